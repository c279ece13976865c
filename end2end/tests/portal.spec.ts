import { test, expect, Page, TestInfo } from '@playwright/test';
import { gzipSync } from 'zlib';
import { NAME_KM, NAME_LATIN, PHONE, deliver, jsEnabled, ready, registerCase, screenshot } from './helpers';

// The citizen portal on a 360 px phone in Khmer: look up a case from its receipt's QR link,
// find a service's fee, rate a delivered case, read an office's page. Cases are registered and
// moved on through the staff server functions, as plain form posts.

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
  // The browser's grant cookie opens the result page; the PIN is in no URL.
  expect(page.url()).not.toContain(pin);
  const html = await (await page.request.get(`/track/${code}`)).body();
  expect(html.toString('utf8')).toContain('data-testid="track-title"');
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
  // With JavaScript the message comes in place; without, on the page the post is sent back to.
  const notice = jsEnabled(info) ? 'track-error' : 'track-notice';
  const message = page.getByTestId(notice);
  await expect(message).toHaveText('រកមិនឃើញសំណើដែលត្រូវនឹងលេខកូដ និងលេខសម្ងាត់នេះទេ។ សូមពិនិត្យលេខទាំងពីរនៅលើបង្កាន់ដៃ ហើយព្យាយាមម្តងទៀត។');
  const first = await message.textContent();
  await page.goto('/track');
  await ready(page, info);
  await page.locator('input[name="code"]').fill(`${code.slice(0, 4)}999999`);
  await page.locator('input[name="pin"]').fill(pin);
  await page.getByTestId('track-submit').click();
  await expect(page.getByTestId(notice)).toHaveText(first!);
  expect(page.url()).not.toContain(pin);
  // A PIN of the wrong length is named; with JavaScript beside its field, and what was typed stays.
  await page.goto(`/track/${code}`);
  await ready(page, info);
  await page.locator('input[name="pin"]').fill('12');
  await page.getByTestId('track-submit').click();
  if (jsEnabled(info)) {
    await expect(page.getByTestId('err-pin')).toBeVisible();
    await expect(page.locator('input[name="pin"]')).toHaveValue('12');
  } else {
    await expect(page.getByTestId('track-notice')).toBeVisible();
  }
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
  // The lookup's grant still opens the case, now with the rating given.
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
