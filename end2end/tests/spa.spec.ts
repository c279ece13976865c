import { test, expect, Browser, Page, Request, TestInfo } from '@playwright/test';
import { WORKFLOW, jsEnabled, ready, registerCase, signIn, staff } from './helpers';

// The application as a single page: after the first load, moving between pages, acting on
// cases and filtering charts happen in place. Each test counts the main frame's document
// requests; a client-side navigation makes none.

/** Counts the main frame's document loads from now on. */
function countDocumentLoads(page: Page): () => number {
  let loads = 0;
  page.on('request', (r: Request) => {
    if (r.isNavigationRequest() && r.frame() === page.mainFrame()) loads += 1;
  });
  return () => loads;
}

test('a citizen walks from the home page to a lookup and back without a document load', async ({ page, baseURL }, info) => {
  const { code, pin } = await registerCase(baseURL!);
  await page.goto('/');
  await ready(page, info);
  const loads = countDocumentLoads(page);
  if (jsEnabled(info)) await page.evaluate(() => ((window as any).__walk = 'kept'));

  await page.locator('.site-nav a[href="/services"]').click();
  await expect(page.getByTestId('sector-list').locator('li')).toHaveCount(17);
  await page.getByTestId('sector-list').locator('a').first().click();
  await expect(page.getByTestId('sector-title')).toBeVisible();
  const service = page.getByTestId('service-list').locator('li.service a').first();
  const serviceName = (await service.textContent())!.trim();
  await service.click();
  await expect(page.getByTestId('service-fee')).toBeVisible();
  await expect(page).toHaveTitle(new RegExp(serviceName.slice(0, 8)));

  await page.locator('.site-nav a[href="/track"]').click();
  await page.locator('input[name="code"]').fill(code);
  await page.locator('input[name="pin"]').fill(pin);
  await page.getByTestId('track-submit').click();
  await expect(page.getByTestId('track-title')).toContainText(code);
  await expect(page).toHaveURL(new RegExp(`/track/${code}$`));
  expect(page.url()).not.toContain(pin);

  await page.goBack();
  await expect(page.locator('main h1').first()).toBeVisible();
  if (jsEnabled(info)) {
    expect(loads(), 'document loads after the first').toBe(0);
    expect(await page.evaluate(() => (window as any).__walk)).toBe('kept');
  }
});

test('the PIN is in no URL, request or history entry', async ({ page, baseURL }, info) => {
  const { code, pin } = await registerCase(baseURL!);
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  await page.goto('/track');
  await ready(page, info);
  await page.locator('input[name="code"]').fill(code);
  await page.locator('input[name="pin"]').fill(pin);
  await page.getByTestId('track-submit').click();
  await expect(page.getByTestId('track-title')).toContainText(code);
  expect(page.url()).not.toContain(pin);
  for (const url of urls) {
    expect(url, 'a request URL').not.toContain(pin);
    expect(url, 'a request URL').not.toContain('pin=');
  }
  // Opening the address again, as from the history, shows the status from the grant cookie.
  await page.reload();
  await expect(page.getByTestId('track-title')).toContainText(code);
});

test('the first visit to /track fetches no staff, admin or stats chunk', async ({ page }, info) => {
  const wasm: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname);
  });
  await page.goto('/track');
  await ready(page, info);
  await page.waitForLoadState('networkidle');
  // Each lazily loaded area has a module of its own, `split_<area>_area_*.wasm`.
  const areas = () => wasm.filter((w) => w.includes('/split_'));
  expect(areas(), 'area modules fetched on /track').toEqual([]);
  if (jsEnabled(info)) {
    expect(wasm.filter((w) => /\/owso\.[^/]*wasm$/.test(w)), 'the entry wasm').toHaveLength(1);
  }
  // Signing in fetches the sign-in area, and the inbox the staff area, and nothing else. Without
  // JavaScript Chromium may or may not follow the <link rel=preload>s the server writes for the
  // page's own area (it did locally and did not in CI), so only the negative is asserted there.
  await signIn(page, info, 'desk.1201');
  await expect(page.getByTestId('inbox-total')).toBeVisible();
  if (jsEnabled(info)) {
    await expect.poll(() => areas().some((w) => w.includes('split_staff_area'))).toBe(true);
  } else {
    await page.waitForLoadState('networkidle');
  }
  for (const other of ['stats', 'admin', 'audits', 'reports', 'citizen']) {
    expect(areas().some((w) => w.includes(`split_${other}_area`)), `${other} area`).toBe(false);
  }
});

test('each role of a full workflow goes inbox → case → act → inbox in place', async ({ page, baseURL }, info) => {
  test.setTimeout(180_000);
  const { code } = await registerCase(baseURL!);
  for (const [who, action, fill] of WORKFLOW) {
    await signIn(page, info, who);
    await ready(page, info);
    const loads = countDocumentLoads(page);
    // The inbox's search is a client-side GET form.
    const search = page.locator('form.search input[name="q"]');
    await search.fill(code);
    await search.press('Enter');
    await expect(page).toHaveURL(new RegExp(`q=${code}`));
    await page.locator(`a[href="/staff/cases/${code}"]`).click();
    await expect(page.getByTestId('case-code')).toHaveText(code);
    const button = page.getByTestId(`act-${action}`);
    const form = page.locator('form.action-form', { has: button });
    for (const [name, value] of Object.entries(fill)) await form.locator(`[name="${name}"]`).fill(value);
    const before = await page.getByTestId('case-stage').textContent();
    await button.click();
    await expect(page.getByTestId('case-stage'), `${who} ${action}`).not.toHaveText(before ?? '');
    // With JavaScript a success line says what was done; without, the page the post returns to.
    if (jsEnabled(info)) await expect(page.getByTestId('action-done')).toBeVisible();
    await page.locator('.site-nav a[href="/staff/inbox"]').click();
    await expect(page.getByTestId('inbox-total')).toBeVisible();
    if (jsEnabled(info)) expect(loads(), `document loads for ${who} ${action}`).toBe(0);
  }
  await page.goto(`/staff/cases/${code}`);
  await expect(page.getByTestId('case-stage')).toContainText('បានប្រគល់ជូនអតិថិជន');
});

test('a second officer acting on the same case sees who acted first, with the text kept', async ({ browser, baseURL }, info) => {
  const { code } = await registerCase(baseURL!);
  const cashier = await staff(baseURL!, 'cashier.1201');
  const html = await (await cashier.get(`/staff/cases/${code}`)).text();
  const amount = /name="amount"[^>]*value="(\d+)"/.exec(html)![1];
  expect((await cashier.post('/api/cases/act', { form: { code, action: 'pay', version: '1', amount }, maxRedirects: 0 })).status()).toBe(302);
  await cashier.dispose();

  const [first, second] = await Promise.all([chief(browser, info), chief(browser, info)]);
  for (const page of [first, second]) {
    await page.goto(`/staff/cases/${code}`);
    await ready(page, info);
  }
  const typed = 'ឯកសារគ្រប់គ្រាន់ — checked by the second officer';
  const stageBefore = await second.getByTestId('case-stage').textContent();
  const secondForm = second.locator('form.action-form', { has: second.getByTestId('act-forward') });
  await secondForm.locator('details.comment-more > summary').click();
  await secondForm.locator('textarea').fill(typed);
  await first.getByTestId('act-forward').click();
  await expect(first.getByTestId('case-stage')).not.toHaveText(stageBefore!);
  await second.getByTestId('act-forward').click();
  // Either way the case shown is the fresh one (now at technical review, where the chief has
  // nothing to do) and the refusal is explained.
  await expect(second.getByTestId('case-stage')).not.toHaveText(stageBefore!);
  if (jsEnabled(info)) {
    const conflict = second.getByTestId('action-conflict');
    await expect(conflict).toContainText('chief.1201');
    // The comment the second officer typed is still there to copy.
    await expect(second.getByTestId('kept-text')).toHaveText(typed);
  } else {
    // A plain post is sent back to the case page with the message; what was typed is not kept.
    await expect(second.getByTestId('action-error')).toBeVisible();
    expect(second.url()).not.toContain(encodeURIComponent(typed).slice(0, 12));
  }
  await Promise.all([first.context().close(), second.context().close()]);
});

async function chief(browser: Browser, info: TestInfo): Promise<Page> {
  const context = await browser.newContext({
    locale: 'km-KH',
    viewport: { width: 1280, height: 800 },
    javaScriptEnabled: jsEnabled(info),
  });
  const page = await context.newPage();
  await signIn(page, info, 'chief.1201');
  return page;
}

test('leadership changes two filters and drills into a district in place; back restores', async ({ page }, info) => {
  await signIn(page, info, 'national');
  await page.locator('.site-nav a[href="/stats"]').click();
  await expect(page.getByTestId('stats-scope')).toContainText('ទូទាំងប្រទេស');
  const loads = countDocumentLoads(page);
  await page.getByTestId('province-select').selectOption('12');
  await page.getByTestId('quarter-select').selectOption('1');
  await page.getByTestId('stats-apply').click();
  await expect(page).toHaveURL(/province=12/);
  await expect(page).toHaveURL(/quarter=1/);
  await expect(page.getByTestId('stats-scope')).toContainText('ភ្នំពេញ');
  const bar = page.getByTestId('chart-revenue-by-district').locator('svg a').first();
  const district = /district=(\d{4})/.exec((await bar.getAttribute('href')) ?? '')![1];
  await bar.click();
  await expect(page.getByTestId('district-select')).toHaveValue(district);
  if (jsEnabled(info)) expect(loads(), 'document loads while filtering').toBe(0);
  await page.goBack();
  await expect(page).not.toHaveURL(new RegExp(`district=${district}`));
  await expect(page.getByTestId('district-select')).not.toHaveValue(district);
  await expect(page.getByTestId('stats-scope')).toContainText('ភ្នំពេញ');
});
