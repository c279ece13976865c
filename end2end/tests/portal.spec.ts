import { test, expect, request, APIRequestContext, Page, TestInfo } from '@playwright/test';
import { gzipSync } from 'zlib';
import { jsEnabled, ready, screenshot } from './helpers';

// The citizen portal on a 360 px phone in Khmer: look up a case from its receipt's QR link,
// find a service's fee, rate a delivered case, read an office's page. Cases are registered and
// moved on through the staff server functions, as plain form posts.

const PASSWORD = 'owso-demo-2026';
const NAME_KM = 'កែវ ចន្ធូ';
const NAME_LATIN = 'KEO CHANTHOU';
const PHONE = '012 818 919';

/** A request context signed in as a demo staff account. */
async function staff(baseURL: string, username: string): Promise<APIRequestContext> {
  const ctx = await request.newContext({ baseURL, extraHTTPHeaders: { accept: 'text/html' } });
  const res = await ctx.post('/api/auth/login', { form: { username, password: PASSWORD }, maxRedirects: 0 });
  expect(res.status(), `sign-in of ${username}`).toBe(302);
  return ctx;
}

/** Registers a case of a fully staged (sector 17) service at office 1201; answers code and PIN. */
async function registerCase(baseURL: string): Promise<{ code: string; pin: string }> {
  const desk = await staff(baseURL, 'desk.1201');
  const catalogue = await (await desk.post('/api/catalogue/list', { headers: { accept: 'application/json' } })).json();
  const service = catalogue.find((s: { id: number }) => s.id === 17).services.find((s: { fee_riel: number }) => s.fee_riel > 0);
  const res = await desk.post('/api/cases/register', {
    form: {
      service_id: String(service.id), quantity: '1', applicant_kind: 'person',
      name_km: NAME_KM, name_latin: NAME_LATIN, sex: 'F', phone: PHONE, village_code: '12010101',
    },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(302);
  const receipt = res.headers()['location'];
  expect(receipt).toMatch(/^\/staff\/cases\/\d{10}\/receipt$/);
  const html = await (await desk.get(receipt)).text();
  const code = receipt.split('/')[3];
  const pin = /receipt-pin"[^>]*>(\d{6})</.exec(html)![1];
  await desk.dispose();
  return { code, pin };
}

/** Takes a fresh case through every step to hand-over. */
async function deliver(baseURL: string, code: string) {
  const steps: [string, string, Record<string, string>][] = [
    ['cashier.1201', 'pay', {}],
    ['chief.1201', 'forward', {}],
    ['tech.1201', 'forward', {}],
    ['chief.1201', 'forward', {}],
    ['director.1201', 'forward', {}],
    ['decision.1201', 'approve', {}],
    ['desk.1201', 'tax_confirm', {}],
    ['desk.1201', 'deliver', { receiver: NAME_LATIN }],
  ];
  let version = 1;
  for (const [who, action, extra] of steps) {
    const ctx = await staff(baseURL, who);
    if (action === 'pay') {
      const html = await (await ctx.get(`/staff/cases/${code}`)).text();
      extra.amount = /name="amount"[^>]*value="(\d+)"/.exec(html)![1];
    }
    const res = await ctx.post('/api/cases/act', {
      form: { code, action, version: String(version), ...extra },
      maxRedirects: 0,
    });
    expect(res.headers()['location'], `${who} ${action}`).toBe(`/staff/cases/${code}`);
    version += 1;
    await ctx.dispose();
  }
}

async function expectPrivate(page: Page) {
  const html = await page.content();
  for (const secret of [NAME_KM, NAME_LATIN, PHONE, PHONE.replace(/ /g, '')]) {
    expect(html, `the page shows ${secret}`).not.toContain(secret);
  }
}

async function noSideScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

async function lookUp(page: Page, info: TestInfo, code: string, pin: string) {
  await page.goto(`/track/${code}`);
  await ready(page, info);
  await page.locator('input[name="pin"]').fill(pin);
  await page.getByTestId('track-submit').click();
}

test('a citizen looks a case up from its receipt QR link', async ({ page, baseURL }, info) => {
  const { code, pin } = await registerCase(baseURL!);
  await lookUp(page, info, code, pin);
  await expect(page.getByTestId('track-title')).toContainText(code);
  await expect(page.getByTestId('track-stage')).toContainText('បេឡា');
  await expect(page.getByTestId('track-fee')).toContainText('៛');
  await expect(page.getByTestId('track-timeline').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('track-ahead').locator('li')).toHaveCount(8);
  await expectPrivate(page);
  await noSideScroll(page);
  await screenshot(page, info, 'track-result');
  // Cheap phones on slow networks: the result page and its stylesheet stay under 30 KB gzipped.
  const html = await (await page.request.get(`/track?code=${code}&pin=${pin}`)).body();
  const cssHref = await page.locator('link[rel="stylesheet"]').first().getAttribute('href');
  const css = await (await page.request.get(cssHref!)).body();
  const weight = gzipSync(html).length + gzipSync(css).length;
  expect(weight).toBeLessThan(30_000);
  console.log(`track result page: ${html.length} B HTML, ${weight} B gzipped with CSS`);

  // With JavaScript the device remembers the code, never the PIN; without it, nothing is kept.
  await page.goto('/track');
  await ready(page, info);
  if (jsEnabled(info)) {
    await expect(page.getByTestId('track-recent').locator(`a[href="/track/${code}"]`)).toBeVisible();
    const stored = await page.evaluate(() => window.localStorage.getItem('owso_track_codes'));
    expect(stored).toContain(code);
    expect(stored).not.toContain(pin);
  } else {
    await expect(page.getByTestId('track-recent')).toHaveCount(0);
  }
});

test('a wrong PIN and an unknown code get the same message', async ({ page, baseURL }, info) => {
  const { code, pin } = await registerCase(baseURL!);
  const wrong = pin === '000000' ? '000001' : '000000';
  await page.goto('/track');
  await ready(page, info);
  await page.locator('input[name="code"]').fill(code);
  await page.locator('input[name="pin"]').fill(wrong);
  await page.getByTestId('track-submit').click();
  const message = page.getByTestId('track-error');
  await expect(message).toHaveText('រកមិនឃើញសំណើដែលត្រូវនឹងលេខកូដ និងលេខសម្ងាត់នេះទេ។ សូមពិនិត្យលេខទាំងពីរនៅលើបង្កាន់ដៃ ហើយព្យាយាមម្តងទៀត។');
  const first = await message.textContent();
  await page.goto(`/track?code=${code.slice(0, 4)}999999&pin=${pin}`);
  await expect(page.getByTestId('track-error')).toHaveText(first!);
  // A PIN of the wrong length names the field.
  await page.goto(`/track?code=${code}&pin=12`);
  await expect(page.getByTestId('err-pin')).toBeVisible();
  await screenshot(page, info, 'track-error');
});

test('a citizen finds the fee of a service', async ({ page }, info) => {
  await page.goto('/services');
  await ready(page, info);
  await expect(page.getByTestId('sector-list').locator('li')).toHaveCount(17);
  const search = page.getByTestId('service-search');
  await search.fill('ផ្ទះសំណាក់');
  if (jsEnabled(info)) {
    // Results come as the user types, without pressing the button.
    await expect(page).toHaveURL(/\/services\?q=/);
  } else {
    await search.press('Enter');
  }
  const hit = page.locator('li.service[data-code="TOU-001"] a');
  await expect(hit).toBeVisible();
  await hit.click();
  await expect(page.getByTestId('service-fee')).toContainText('៤០០,០០០ ៛');
  await expect(page.getByTestId('service-days')).toContainText('២០');
  await expect(page.getByTestId('service-documents').locator('li')).toHaveCount(6);
  await noSideScroll(page);
  await screenshot(page, info, 'service');
});

test('a delivered case can be rated once', async ({ page, baseURL }, info) => {
  test.setTimeout(90_000);
  const { code, pin } = await registerCase(baseURL!);
  await deliver(baseURL!, code);
  await lookUp(page, info, code, pin);
  await expect(page.getByTestId('track-state')).toBeVisible();
  const form = page.getByTestId('feedback-form');
  await form.locator('input[name="rating"][value="4"]').check();
  await form.locator('textarea[name="comment"]').fill('<b>ល្អ</b>');
  await page.getByTestId('feedback-submit').click();
  await expect(page).toHaveURL(new RegExp(`/track/${code}\\?feedback=thanks$`));
  expect(page.url()).not.toContain(pin);
  await expect(page.getByTestId('track-notice')).toHaveText('សូមអរគុណចំពោះមតិយោបល់របស់អ្នក។');
  await ready(page, info);
  await page.locator('input[name="pin"]').fill(pin);
  await page.getByTestId('track-submit').click();
  await expect(page.getByTestId('feedback-given')).toContainText('៤');
  await expect(page.getByTestId('feedback-form')).toHaveCount(0);
  await expectPrivate(page);
  await screenshot(page, info, 'track-delivered');
});

test('an office page shows its address, hours and scorecard', async ({ page }, info) => {
  await page.goto('/offices');
  await ready(page, info);
  await page.locator('li.office[data-code="1201"] a').click();
  await expect(page).toHaveURL(/\/offices\/1201$/);
  await expect(page.getByTestId('office-address')).not.toBeEmpty();
  await expect(page.getByTestId('office-hours')).not.toBeEmpty();
  await expect(page.getByTestId('scorecard').locator('.figure')).toHaveCount(6);
  await noSideScroll(page);
  await screenshot(page, info, 'office');
});
