import { test, expect } from '@playwright/test';
import { readFileSync } from 'fs';
import { jsEnabled, ready, screenshot, signIn } from './helpers';

// The Ministry's quarterly report and the public scorecard, on the demo data (3,000 generated
// cases over two years), in Khmer on a phone-sized screen.

/** The quarter before the current one in Phnom Penh (UTC+7): over, and full of demo cases. */
function lastQuarter(): { year: number; part: string } {
  const now = new Date(Date.now() + 7 * 3600 * 1000);
  const q = Math.floor(now.getUTCMonth() / 3) + 1;
  return q === 1 ? { year: now.getUTCFullYear() - 1, part: 'Q4' } : { year: now.getUTCFullYear(), part: `Q${q - 1}` };
}

test('the national viewer opens a quarterly report: silent offices first, CSV, print', async ({ page }, info) => {
  const { year, part } = lastQuarter();
  await signIn(page, info, 'national');
  await page.goto('/reports');
  await ready(page, info);
  await page.getByTestId('report-year').selectOption(String(year));
  await page.getByTestId('report-part').selectOption(part);
  await page.getByTestId('report-open').click();
  await expect(page).toHaveURL(new RegExp(`/reports/${year}-${part}$`));
  await ready(page, info);
  await expect(page.getByTestId('report-title')).toContainText('ត្រីមាសទី');

  // The offices that sent nothing come before everything else.
  const order = await page.locator('[data-testid^="report-"] h2').evaluateAll((hs) =>
    hs.map((h) => h.parentElement!.getAttribute('data-testid')));
  expect(order).toEqual(['report-silent', 'report-totals', 'report-stages', 'report-performance']);
  const silent = page.getByTestId('report-silent').locator('tr.silent-office');
  expect(await silent.count()).toBeGreaterThan(0);
  await expect(page.getByTestId('report-silent')).toContainText('ការិយាល័យដែលមិនបានផ្ញើអ្វីសោះ');
  await expect(page.getByTestId('total-revenue')).toContainText('៛');

  // Printing: a button with JavaScript, a hint without.
  if (jsEnabled(info)) {
    await expect(page.getByTestId('report-print')).toBeVisible();
  } else {
    await expect(page.getByTestId('report-print-hint')).toBeVisible();
  }

  // The CSV: UTF-8 with a byte-order mark, a header row, one row per office.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-csv').click()]);
  expect(download.suggestedFilename()).toBe(`owso-${year}-${part}-KH.csv`);
  const bytes = readFileSync((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
  expect(lines[0]).toContain('លេខកូដការិយាល័យ');
  expect(lines).toHaveLength(211);

  // As printed: no menu, no buttons.
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.site-header')).toBeHidden();
  await expect(page.locator('.toolbar')).toBeHidden();
  await screenshot(page, info, 'report-print');
  await page.emulateMedia({ media: 'screen' });
});

test('a province report is narrowed by the form and refused outside the jurisdiction', async ({ page }, info) => {
  await signIn(page, info, 'viewer.12');
  await page.goto('/reports');
  await ready(page, info);
  await page.getByTestId('report-part').selectOption('S1');
  await page.getByTestId('report-office').selectOption('1201');
  await page.getByTestId('report-open').click();
  await expect(page).toHaveURL(/\/reports\/\d{4}-S1\?office=1201$/);
  await expect(page.getByTestId('report-title')).toContainText('ឆមាសទី១');
  const res = await page.goto('/reports/2025-Q1?province=17');
  expect(res?.status()).toBe(404);
  await expect(page.getByTestId('report-error')).toBeVisible();
  const bad = await page.goto('/reports/2025-Q7');
  expect(bad?.status()).toBe(422);
  await expect(page.getByTestId('report-error')).toContainText('2026-Q3');
});

test('the public scorecard ranks offices and filters by province', async ({ page }, info) => {
  await page.context().clearCookies();
  await page.goto('/offices');
  await ready(page, info);
  await page.locator('.site-nav a[href="/scorecard"]').click();
  await expect(page).toHaveURL(/\/scorecard$/);
  await ready(page, info);
  const ranked = page.getByTestId('scorecard-ranked').locator('tr.scorecard-row');
  const unranked = page.getByTestId('scorecard-unranked').locator('tr.scorecard-row');
  expect((await ranked.count()) + (await unranked.count())).toBe(210);
  // Offices below five ratings show no average.
  if ((await unranked.count()) > 0) {
    await expect(unranked.first().locator('.score-rating')).toHaveText('មិនទាន់មានការវាយតម្លៃគ្រប់គ្រាន់នៅឡើយ');
  }

  await page.getByTestId('scorecard-sort').selectOption('on_time');
  await page.getByTestId('scorecard-province').selectOption('12');
  await page.getByTestId('scorecard-show').click();
  await expect(page).toHaveURL(/sort=on_time/);
  await expect(page).toHaveURL(/province=12/);
  const codes = await page.locator('tr.scorecard-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-code')));
  expect(codes.length).toBeGreaterThan(0);
  expect(codes.every((c) => c!.startsWith('12'))).toBe(true);
  await expect(page.getByTestId('scorecard-sort')).toHaveValue('on_time');
  await screenshot(page, info, 'scorecard');
});
