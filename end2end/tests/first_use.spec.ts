import { test, expect, Page } from '@playwright/test';
import {
  WORKFLOW, caseAwaitingChiefCheck, choose, chooseAddress, deliver, jsEnabled, ready, registerCase,
  registerThroughTheForm, signIn, staff,
} from './helpers';

// What new users stumbled on the first time they used the system (issue 18), each checked the
// way they met it: on a 360 px phone, in Khmer, with JavaScript on and off.

test('each role lands on its home, and its menu opens nothing it is refused', async ({ page }, info) => {
  test.setTimeout(120_000);
  for (const who of ['national', 'viewer.12', 'sysadmin', 'admin.1201', 'desk.1201', 'cashier.1201', 'chief.1201']) {
    await signIn(page, info, who);
    await expect(page.getByTestId('page-error')).toHaveCount(0);
    const links = await page.locator('.site-nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
    for (const href of links) {
      const res = await page.request.get(href);
      expect(res.status(), `${who} → ${href}`).toBeLessThan(400);
      expect(await res.text(), `${who} → ${href}`).not.toContain('data-testid="page-error"');
    }
  }
});

test('a refused page says who is signed in and leads home, not to sign-in', async ({ page }, info) => {
  await signIn(page, info, 'national');
  await page.goto('/staff/inbox');
  await ready(page, info);
  await expect(page.getByTestId('denied-who')).toContainText('national');
  await expect(page.getByTestId('denied-who')).toContainText('អ្នកតាមដានថ្នាក់ជាតិ');
  await expect(page.getByTestId('sign-in-link')).toHaveCount(0);
  await page.getByTestId('home-link').click();
  await expect(page).toHaveURL(/\/stats$/);
});

test('the address is filled in the registration form, and choosing keeps everything typed', async ({ page }, info) => {
  await signIn(page, info, 'desk.1201');
  await page.goto('/staff/cases/new');
  await ready(page, info);
  await choose(page, info, 'select[name="sector"]', () => '17');
  await choose(page, info, '[data-testid="service-select"]', (v) => v[0]);
  const form = page.getByTestId('register-form');
  await expect(form.getByTestId('address')).toBeVisible();
  // Without JavaScript the officer is told to press "show choices" at each level; with it,
  // the lists fill by themselves and there is nothing to press.
  if (jsEnabled(info)) {
    await expect(page.getByTestId('address-hint')).toBeHidden();
    await expect(page.getByTestId('address-choices')).toBeHidden();
  } else {
    await expect(page.getByTestId('address-hint')).toBeVisible();
  }
  await form.locator('[name="name_km"]').fill('សុខ ដារ៉ា');
  await form.locator('[name="name_latin"]').fill('SOK DARA');
  await form.locator('[name="phone"]').fill('012 345 678');
  await form.locator('input[type="checkbox"]').first().check();
  await chooseAddress(page, info, 'province', () => '12');
  await chooseAddress(page, info, 'district', (v) => v[0]);
  await chooseAddress(page, info, 'commune', (v) => v[0]);
  const again = page.getByTestId('register-form');
  await expect(again.locator('[name="name_latin"]')).toHaveValue('SOK DARA');
  await expect(again.locator('[name="name_km"]')).toHaveValue('សុខ ដារ៉ា');
  await expect(again.locator('[name="phone"]')).toHaveValue('012 345 678');
  await expect(again.locator('input[type="checkbox"]').first()).toBeChecked();
  await expect(again.locator('select[name="province"]')).toHaveValue('12');
  await expect(again.locator('select[name="district"]')).toHaveValue('1201');
  // The unit's type is said once: "ភូមិ ១", never "ភូមិភូមិ ១".
  await expect(page.getByTestId('village-select').locator('option[value="12010101"]')).toHaveText('ភូមិ ១ · Phum 1');
  // Nothing typed ever reaches the address bar.
  expect(page.url()).not.toContain('DARA');
});

/** Every id the system stores for a status, stage, channel, role or action. */
const IDS = new Set([
  'active', 'returned_to_citizen', 'rejected', 'delivered', 'counter', 'online', 'open', 'answered', 'closed',
  'registration', 'cashier', 'chief_check', 'technical_review', 'chief_opinion', 'director_opinion', 'decision',
  'tax_branch', 'returned', 'front_desk', 'office_chief', 'technical_officer', 'admin_director', 'decision_maker',
  'office_admin', 'province_viewer', 'national_viewer', 'system_admin', 'complete_registration', 'pay',
  'cancel_payment', 'forward', 'return', 'resubmit', 'reject', 'approve', 'tax_confirm', 'deliver',
]);

/** The words on a page that are an id left untranslated (`front_desk`, `active`); what people
 * typed (an English complaint) may hold ordinary English words, so only ids count. */
async function strayIds(page: Page): Promise<string[]> {
  const text = await page.locator('main').innerText();
  return text
    .split(/\s+/)
    .map((w) => w.replace(/^[·()\[\]{}",.:;!?។៖]+|[·()\[\]{}",.:;!?។៖]+$/g, ''))
    .filter((w) => /^[a-z]+(_[a-z]+)+$/.test(w) || IDS.has(w));
}

test('staff pages in Khmer show no untranslated ids', async ({ page, baseURL }, info) => {
  test.setTimeout(180_000);
  const open = await registerCase(baseURL!);
  const delivered = await registerCase(baseURL!);
  await deliver(baseURL!, delivered.code);
  const desk = await staff(baseURL!, 'desk.1201');
  const catalogue = await (await desk.post('/api/catalogue/list', { headers: { accept: 'application/json' } })).json();
  const service = catalogue.find((s: { id: number }) => s.id === 17).services[0].id;
  await desk.dispose();
  const visits: [string, string[]][] = [
    ['desk.1201', ['/staff/inbox', `/staff/cases/new?sector=17&service=${service}`, `/staff/cases/${open.code}`, `/staff/cases/${open.code}/receipt`, `/staff/cases/${delivered.code}`]],
    ['chief.1201', ['/staff/inbox', '/staff/complaints', `/staff/cases/${delivered.code}`, '/stats', '/reports']],
    ['admin.1201', ['/admin/users']],
    ['sysadmin', ['/admin/services', '/admin/holidays', '/admin/users']],
    ['national', ['/stats', '/reports', '/audits']],
  ];
  for (const [who, paths] of visits) {
    await signIn(page, info, who);
    for (const path of paths) {
      await page.goto(path);
      await ready(page, info);
      await expect(page.locator('main h1').first()).toBeVisible();
      expect(await strayIds(page), `${who} ${path}`).toEqual([]);
    }
  }
});

const LATIN_DIGIT = /[0-9]/;

test('a Khmer page writes every number and date in Khmer digits', async ({ page, baseURL }, info) => {
  test.setTimeout(120_000);
  const { code } = await registerCase(baseURL!);
  await signIn(page, info, 'desk.1201');
  await page.goto(`/staff/cases/${code}/receipt`);
  await ready(page, info);
  await expect(page.getByTestId('receipt-due')).not.toHaveText(LATIN_DIGIT);
  await page.goto(`/staff/cases/${code}`);
  await ready(page, info);
  // The fee and its "× quantity"; the receipt number after it is a code and stays ASCII.
  const fee = (await page.getByTestId('case-fee').innerText()).split('·')[0];
  expect(fee).toContain('(១ ×');
  expect(fee).not.toMatch(LATIN_DIGIT);
  // The case just registered waits for the cashier, so the cashier's inbox has at least that row
  // whatever earlier tests did with the demo data's open cases.
  await signIn(page, info, 'cashier.1201');
  await page.goto('/staff/inbox');
  await ready(page, info);
  await expect(page.locator('table tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('stage-counts')).not.toHaveText(LATIN_DIGIT);
  const dues = await page.locator('table tbody tr td:nth-child(5)').allInnerTexts();
  expect(dues.length).toBeGreaterThan(0);
  for (const due of dues) expect(due).not.toMatch(LATIN_DIGIT);

  await signIn(page, info, 'national');
  for (const chart of ['monthly-revenue', 'monthly-cases', 'revenue-by-district']) {
    await expect(page.getByTestId(`chart-${chart}`).locator('svg').first()).toBeVisible();
    const texts = await page.getByTestId(`chart-${chart}`).locator('svg text').allTextContents();
    expect(texts.length, chart).toBeGreaterThan(0);
    for (const text of texts) {
      expect(text, chart).not.toMatch(LATIN_DIGIT);
      expect(text, chart).not.toMatch(/[0-9០-៩](M|K)\b/);
    }
  }
  await page.goto('/');
  await ready(page, info);
  const style = await page.locator('ol.stage-list').evaluate((ol) => getComputedStyle(ol).listStyleType);
  expect(style).toBe('khmer');
});

test("the case page puts the way onward first and what can't be undone last, behind a confirmation", async ({ page }, info) => {
  test.setTimeout(90_000);
  const code = await caseAwaitingChiefCheck(page, info);
  await signIn(page, info, 'chief.1201');
  await page.goto(`/staff/cases/${code}`);
  await ready(page, info);
  const actions = page.getByTestId('case-actions');
  const order = await actions.locator('[data-testid^="act-"]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-testid')));
  expect(order[0]).toBe('act-forward');
  expect(order.indexOf('act-cancel_payment')).toBeGreaterThan(order.indexOf('act-return'));
  expect(order.indexOf('act-reject')).toBeGreaterThan(order.indexOf('act-return'));
  await expect(page.getByTestId('act-forward')).toHaveClass(/primary/);
  // No text box until an action is taken, and the destructive ones sit apart, closed.
  await expect(actions.locator('textarea:visible')).toHaveCount(0);
  await expect(page.getByTestId('danger-zone').getByTestId('act-cancel_payment')).toBeHidden();
  await page.getByTestId('open-cancel_payment').click();
  await expect(page.getByTestId('consequence-cancel_payment')).toContainText('បេឡា');
  await expect(page.getByTestId('act-cancel_payment')).toBeVisible();
  await expect(page.getByTestId('act-cancel_payment')).toHaveClass(/danger/);
  await expect(actions.locator('textarea:visible')).toHaveCount(1);
});

test('the ready-for-pickup stage reads as ready, to the citizen and to staff', async ({ page, baseURL }, info) => {
  test.setTimeout(90_000);
  const { code, pin } = await registerCase(baseURL!);
  await deliver(baseURL!, code, WORKFLOW.length - 1);
  await page.goto(`/track/${code}`);
  await ready(page, info);
  await page.locator('input[name="pin"]').fill(pin);
  await page.getByTestId('track-submit').click();
  await expect(page.getByTestId('track-stage')).toContainText('រួចរាល់ សូមមកទទួលឯកសារ');
  await expect(page.locator('main')).not.toContainText('ឯកសារត្រលប់ជូនអតិថិជន');
  await signIn(page, info, 'desk.1201');
  await page.goto(`/staff/cases/${code}`);
  await ready(page, info);
  await expect(page.getByTestId('case-stage')).toContainText('ឯកសារត្រលប់ជូនអតិថិជន (រួចរាល់ រង់ចាំប្រគល់)');
});

test('"register and print" prints, and the receipt has a print button', async ({ page }, info) => {
  test.setTimeout(90_000);
  await page.addInitScript(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => { (window as unknown as { printed: number }).printed += 1; };
  });
  await signIn(page, info, 'desk.1201');
  const code = await registerThroughTheForm(page, info);
  const printed = () => page.evaluate(() => (window as unknown as { printed?: number }).printed ?? 0);
  if (jsEnabled(info)) {
    await expect.poll(printed).toBe(1);
    await expect(page).toHaveURL(new RegExp(`/staff/cases/${code}/receipt$`));
    await page.getByTestId('print-receipt').click();
    await expect.poll(printed).toBe(2);
    await expect(page.getByTestId('print-hint')).toBeHidden();
  } else {
    await expect(page.getByTestId('print-hint')).toBeVisible();
    await expect(page.getByTestId('print-receipt')).toBeHidden();
  }
});

test('a phone user rates with thumb-sized choices on one row, under a compact header', async ({ page, baseURL }, info) => {
  test.setTimeout(90_000);
  const { code, pin } = await registerCase(baseURL!);
  await deliver(baseURL!, code);
  await page.goto(`/track/${code}`);
  await ready(page, info);
  const header = await page.locator('.site-header').boundingBox();
  expect(header!.height, 'header height at 360 px').toBeLessThanOrEqual(100);
  await page.locator('input[name="pin"]').fill(pin);
  await page.getByTestId('track-submit').click();
  const choices = page.getByTestId('feedback-form').locator('.rating label');
  await expect(choices).toHaveCount(5);
  const boxes = await choices.evaluateAll((ls) => ls.map((l) => l.getBoundingClientRect().toJSON()));
  for (const box of boxes) {
    expect(box.top, 'all on one row').toBe(boxes[0].top);
    expect(box.width).toBeGreaterThanOrEqual(44);
    expect(box.height).toBeGreaterThanOrEqual(44);
  }
  const icon = await page.request.get('/favicon.ico');
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toMatch(/icon/);
});

test('the revenue chart draws every district bar on one scale and states the rest in words', async ({ page }, info) => {
  await signIn(page, info, 'national');
  const chart = page.getByTestId('chart-revenue-by-district');
  await expect(chart.locator('svg').first()).toBeVisible();
  const labels = await chart.locator('svg text').allTextContents();
  expect(labels.join(' ')).not.toContain('ផ្សេងៗ');
  await expect(chart.locator('.chart-note').first()).toContainText('ផ្សេងទៀត');
  // Bars are drawn longest first: after the background, no bar is longer than the one above it.
  const widths = await chart.locator('svg rect').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('width') ?? 0)));
  const bars = widths.slice(1);
  expect(bars.length).toBeGreaterThan(1);
  for (let i = 1; i < bars.length; i++) expect(bars[i], `bar ${i + 1}`).toBeLessThanOrEqual(bars[i - 1] + 1);
});
