import { test, expect, Page, TestInfo } from '@playwright/test';
import { ready, screenshot, signIn } from './helpers';

// Random-sample quality audits on the demo data (3,000 generated cases over two years), in Khmer
// on a phone-sized screen: a viewer draws a reproducible sample of the last finished quarter's
// delivered cases, an assigned monitoring officer records a case's checklist, and the audit's
// summary by office counts it.

/** The quarter before the current one in Phnom Penh (UTC+7): what the drawing form offers. */
function lastQuarter(): { year: number; quarter: number } {
  const now = new Date(Date.now() + 7 * 3600 * 1000);
  const q = Math.floor(now.getUTCMonth() / 3) + 1;
  return q === 1 ? { year: now.getUTCFullYear() - 1, quarter: 4 } : { year: now.getUTCFullYear(), quarter: q - 1 };
}

/** A count as the Khmer pages write it. */
const khmer = (n: number) => String(n).replace(/\d/g, (d) => '០១២៣៤៥៦៧៨៩'[Number(d)]);

type Draw = { province: string; perOffice: number; cap: number; seed: string; officers: string[] };

/** Fills the drawing form at /audits/new for the last finished quarter and sends it; answers the
 * new audit's id. Officers not listed are unticked, the drawer included. */
async function draw(page: Page, info: TestInfo, d: Draw): Promise<number> {
  await page.goto('/audits/new');
  await ready(page, info);
  const form = page.getByTestId('draw-form');
  const { year, quarter } = lastQuarter();
  // The form starts at the last finished quarter, with a random seed already filled in.
  await expect(form.locator('input[name="year"]')).toHaveValue(String(year));
  await expect(form.locator('select[name="quarter"]')).toHaveValue(String(quarter));
  await expect(page.getByTestId('draw-seed')).toHaveValue(/^\d{1,9}$/);
  await page.getByTestId('draw-province').selectOption(d.province);
  await form.locator('input[name="per_office"]').fill(String(d.perOffice));
  await form.locator('input[name="cap"]').fill(String(d.cap));
  await page.getByTestId('draw-seed').fill(d.seed);
  const boxes = form.locator('input[type="checkbox"][data-testid^="officer-"]');
  for (const box of await boxes.all()) {
    const who = (await box.getAttribute('data-testid'))!.slice('officer-'.length);
    if (d.officers.includes(who)) await box.check();
    else await box.uncheck();
  }
  await page.getByTestId('draw-submit').click();
  await expect(page).toHaveURL(/\/audits\/\d+$/);
  await ready(page, info);
  return Number(/\/audits\/(\d+)$/.exec(page.url())![1]);
}

/** The sampled cases listed on an audit's page: code and office, in the order shown. */
async function sampled(page: Page): Promise<{ code: string; office: string }[]> {
  const rows = page.getByTestId('audit-cases').locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  return rows.evaluateAll((trs) =>
    trs.map((tr) => ({
      code: tr.querySelector('[data-testid="checklist-link"]')!.textContent!.trim(),
      office: tr.querySelector('[data-testid="sampled-office"]')!.textContent!.trim(),
    })));
}

test('a viewer draws a reproducible sample and an assigned officer records a checklist', async ({ page }, info) => {
  test.setTimeout(90_000);
  const params: Draw = { province: '12', perOffice: 2, cap: 10, seed: '', officers: ['viewer.12'] };

  // The national viewer finds the audits in the menu and opens the drawing form from there.
  await signIn(page, info, 'national');
  await page.getByTestId('nav-audits').click();
  await expect(page).toHaveURL(/\/audits$/);
  await ready(page, info);
  await expect(page.locator('h1')).toHaveText('ការត្រួតពិនិត្យគុណភាព');
  await expect(page.getByTestId('new-audit')).toHaveText('ជ្រើសរើសគំរូថ្មី');
  await page.getByTestId('new-audit').click();
  await expect(page).toHaveURL(/\/audits\/new$/);
  await ready(page, info);
  await expect(page.locator('h1')).toHaveText('ជ្រើសរើសគំរូដោយចៃដន្យ');
  // The seed shown is the one to write down; keep it.
  params.seed = await page.getByTestId('draw-seed').inputValue();
  expect(params.seed).toMatch(/^\d{1,9}$/);

  // Phnom Penh, two cases per office, at most ten, all for the province's viewer.
  const id = await draw(page, info, params);
  await expect(page.locator('h1')).toHaveText(`ការត្រួតពិនិត្យគុណភាពលេខ ${id}`);
  await expect(page.getByTestId('audit-parameters')).toContainText('ត្រីមាសទី');
  await expect(page.getByTestId('audit-seed')).toHaveText(params.seed);
  const cases = await sampled(page);
  expect(cases.length).toBeGreaterThan(0);
  expect(cases.length).toBeLessThanOrEqual(params.cap);
  await expect(page.getByTestId('audit-size')).toHaveText(khmer(cases.length));
  const codes = cases.map((c) => c.code);
  expect(codes).toEqual([...codes].sort());
  expect(new Set(codes).size).toBe(codes.length);
  const perOffice = new Map<string, number>();
  for (const c of cases) {
    expect(c.office.startsWith('12')).toBe(true);
    expect(c.code.startsWith(c.office.slice(0, 2))).toBe(true);
    perOffice.set(c.office, (perOffice.get(c.office) ?? 0) + 1);
  }
  expect(Math.max(...perOffice.values())).toBeLessThanOrEqual(params.perOffice);
  // Every case went to the one officer chosen, and none is checked yet.
  for (const row of await page.getByTestId('audit-cases').locator('tbody tr').all()) {
    await expect(row).toContainText('viewer.12');
    await expect(row.getByTestId('sampled-checked')).toHaveText('មិនទាន់');
  }
  // One summary row per office, each with its sampled cases and nothing checked.
  await expect(page.getByTestId('audit-summary').locator('tbody tr')).toHaveCount(perOffice.size);
  for (const [office] of perOffice) {
    await expect(page.getByTestId(`summary-${office}`).getByTestId('summary-checked')).toHaveText('០');
  }

  // The same seed and parameters again: the same cases, in a new audit.
  const again = await draw(page, info, params);
  expect(again).not.toBe(id);
  await expect(page.getByTestId('audit-seed')).toHaveText(params.seed);
  expect((await sampled(page)).map((c) => c.code)).toEqual(codes);

  // Both are listed, newest first, nothing checked.
  await page.goto('/audits');
  await ready(page, info);
  const table = page.getByTestId('audits-table');
  await expect(table.getByTestId(`audit-${id}`)).toContainText(`បានពិនិត្យ ០ ក្នុងចំណោម ${khmer(cases.length)}`);
  const listed = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-testid')));
  expect(listed.indexOf(`audit-${again}`)).toBeLessThan(listed.indexOf(`audit-${id}`));

  // The province's viewer, assigned the cases, opens the first audit and a case's checklist.
  await signIn(page, info, 'viewer.12');
  await page.getByTestId('nav-audits').click();
  await expect(page).toHaveURL(/\/audits$/);
  await ready(page, info);
  await page.getByTestId(`audit-${id}`).getByRole('link', { name: String(id), exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/audits/${id}$`));
  await ready(page, info);
  const { code, office } = cases[0];
  await page.getByTestId(`sampled-${code}`).getByTestId('checklist-link').click();
  await expect(page).toHaveURL(new RegExp(`/audits/${id}/cases/${code}$`));
  await ready(page, info);
  await expect(page.locator('h1')).toHaveText(`បញ្ជីត្រួតពិនិត្យករណី ${code}`);
  await expect(page.getByTestId('checklist-facts')).toContainText(office);
  await expect(page.getByTestId('read-only')).toHaveCount(0);

  // Fee overcharged; documents, deadline and data fine; the citizen reached and satisfied.
  const answers: Record<string, 'yes' | 'no'> = {
    fee_correct: 'no',
    documents_complete: 'yes',
    deadline_met: 'yes',
    data_matches: 'yes',
    citizen_reached: 'yes',
    citizen_satisfied: 'yes',
  };
  const form = page.getByTestId('checklist-form');
  await expect(form.getByTestId('item-fee_correct')).toContainText('កម្រៃសេវាដែលបានយកត្រឹមត្រូវ');
  await expect(form.getByTestId('item-citizen_satisfied')).toContainText('ប្រជាពលរដ្ឋពេញចិត្ត');
  for (const [item, value] of Object.entries(answers)) {
    await form.getByTestId(`${item}-${value}`).check();
  }
  const findings = 'ប្រជាពលរដ្ឋបានបង់ ៥០០០ រៀល លើសពីកម្រៃសេវា; no receipt for the difference.';
  await form.locator('textarea[name="findings"]').fill(findings);
  await page.getByTestId('checklist-submit').click();
  await expect(page.getByTestId('notice')).toHaveText('បានរក្សាទុកបញ្ជីត្រួតពិនិត្យ');
  await expect(page.getByTestId('checked-by')).toContainText('viewer.12');
  for (const [item, value] of Object.entries(answers)) {
    await expect(form.getByTestId(`${item}-${value}`)).toBeChecked();
  }
  await expect(form.locator('textarea[name="findings"]')).toHaveValue(findings);

  // Back on the audit: the case is checked and its office's summary counts it and the finding.
  await page.getByTestId('back-to-audit').click();
  await expect(page).toHaveURL(new RegExp(`/audits/${id}$`));
  await ready(page, info);
  await expect(page.getByTestId(`sampled-${code}`).getByTestId('sampled-checked')).toHaveText('បានពិនិត្យ');
  const summary = page.getByTestId(`summary-${office}`);
  await expect(summary.getByTestId('summary-checked')).toHaveText('១');
  await expect(summary.getByTestId('summary-findings')).toHaveText('១');
  // Office, sampled, checked, then the six items: the fee no "yes" in one answer, the rest all.
  const cells = summary.locator('td');
  await expect(cells).toHaveCount(3 + 6 + 1);
  await expect(cells.nth(3)).toHaveText('០%');
  for (let i = 4; i < 9; i++) await expect(cells.nth(i)).toHaveText('១០០%');
  await expect(page.getByTestId('audit-summary').locator('thead')).toContainText('ការរកឃើញ');
  await screenshot(page, info, 'audit-summary');

  // The list says so too; the second draw is untouched.
  await page.goto('/audits');
  await ready(page, info);
  await expect(page.getByTestId(`audit-${id}`)).toContainText(`បានពិនិត្យ ១ ក្នុងចំណោម ${khmer(cases.length)}`);
  await expect(page.getByTestId(`audit-${again}`)).toContainText(`បានពិនិត្យ ០ ក្នុងចំណោម ${khmer(cases.length)}`);
});

test('a province viewer draws only in the province, and bad input is named on the form', async ({ page }, info) => {
  await signIn(page, info, 'viewer.12');
  await page.goto('/audits/new');
  await ready(page, info);
  const form = page.getByTestId('draw-form');
  // Only Phnom Penh, no nationwide choice; officers are the national and this province's viewers.
  await expect(page.getByTestId('draw-province').locator('option')).toHaveCount(1);
  await expect(page.getByTestId('draw-province')).toHaveValue('12');
  const officers = await form.locator('input[type="checkbox"]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-testid')));
  expect(officers.sort()).toEqual(['officer-national', 'officer-viewer.12']);
  await expect(page.getByTestId('officer-viewer.12')).toBeChecked();

  // A cap of 0 is refused by the browser before anything is sent.
  await form.locator('input[name="cap"]').fill('0');
  await page.getByTestId('draw-submit').click();
  await expect(form.locator('input[name="cap"]:invalid')).toHaveCount(1);
  await expect(page).toHaveURL(/\/audits\/new$/);
  await form.locator('input[name="cap"]').fill('5');

  // A seed that is not a number: the form comes back with the field marked and what was typed.
  await page.getByTestId('draw-seed').fill('12ab');
  await page.getByTestId('draw-submit').click();
  await expect(page.getByTestId('err-seed')).toHaveText('សូមបញ្ចូលតែលេខ');
  await expect(page.getByTestId('form-error')).toHaveText('សូមកែព័ត៌មានដែលបានសម្គាល់');
  await ready(page, info);
  await expect(page.locator('h1')).toHaveText('ជ្រើសរើសគំរូដោយចៃដន្យ');
  await expect(page.getByTestId('draw-seed')).toHaveValue('12ab');
  await expect(form.locator('input[name="cap"]')).toHaveValue('5');
  await expect(page.getByTestId('err-cap')).toHaveCount(0);
  await screenshot(page, info, 'audit-bad-seed');

  // A quarter with nothing delivered says so rather than making an empty audit.
  await page.getByTestId('draw-seed').fill('77');
  await form.locator('input[name="year"]').fill('2000');
  await form.locator('select[name="quarter"]').selectOption('1');
  await page.getByTestId('draw-submit').click();
  await expect(page.getByTestId('err-quarter')).toHaveText(
    'គ្មានករណីណាត្រូវបានប្រគល់ជូនក្នុងត្រីមាសនេះ នៅតំបន់នេះទេ ដូច្នេះគ្មានអ្វីត្រូវជ្រើសរើសឡើយ។');
  await expect(page.getByTestId('err-seed')).toHaveCount(0);
  await ready(page, info);
  await expect(page).toHaveURL(/\/audits\/new/);

  // An audit that does not exist: not found, said on the page.
  const res = await page.goto('/audits/999999');
  expect(res?.status()).toBe(404);
  await expect(page.locator('main .error')).toHaveText('រកមិនឃើញ');
});
