import { test, expect } from '@playwright/test';
import { jsEnabled, ready, screenshot, signIn } from './helpers';

test('the national viewer filters the dashboard, drills into a district and downloads its CSV', async ({ page }, info) => {
  await signIn(page, info, 'national');
  await page.goto('/stats');
  await ready(page, info);
  await expect(page.locator('h1')).toHaveText('ស្ថិតិការិយាល័យច្រកចេញចូលតែមួយ');
  await expect(page.getByTestId('tile-cashier')).toContainText('បេឡា');
  await expect(page.getByTestId('tile-revenue')).toContainText('៛');
  await expect(page.getByTestId('stats-scope')).toContainText('ទូទាំងប្រទេស');
  for (const chart of ['revenue-by-district', 'cases-by-sector', 'top-services', 'monthly-cases',
    'processing-time', 'on-time', 'backlog-stage', 'backlog-age']) {
    await expect(page.getByTestId(`chart-${chart}`).locator('svg')).toBeVisible();
  }
  // Khmer labels in the chart, set in the page's Khmer webfont.
  const label = page.getByTestId('chart-cases-by-sector').locator('svg text').first();
  await expect(label).toHaveCSS('font-family', /Noto Sans Khmer/);
  await screenshot(page, info, 'stats-dashboard');
  // Leadership mostly reads it on a desk screen.
  await page.setViewportSize({ width: 1280, height: 900 });
  await screenshot(page, info, 'stats-dashboard-desktop');
  await page.setViewportSize({ width: 360, height: 740 });

  // A filter: Phnom Penh, first quarter. With JavaScript the page is not reloaded.
  if (jsEnabled(info)) await page.evaluate(() => ((window as any).__stayed = true));
  await page.getByTestId('province-select').selectOption('12');
  await page.getByTestId('quarter-select').selectOption('1');
  await page.getByTestId('stats-apply').click();
  await expect(page).toHaveURL(/province=12/);
  await expect(page).toHaveURL(/quarter=1/);
  await expect(page.getByTestId('stats-scope')).toContainText('ភ្នំពេញ');
  await expect(page.getByTestId('stats-scope')).toContainText('ត្រីមាសទី ១');
  if (jsEnabled(info)) expect(await page.evaluate(() => (window as any).__stayed)).toBe(true);

  // Drill into the district with the most revenue by clicking its bar.
  const bar = page.getByTestId('chart-revenue-by-district').locator('svg a').first();
  const href = await bar.getAttribute('href');
  expect(href).toMatch(/district=12\d\d/);
  const district = /district=(\d{4})/.exec(href ?? '')![1];
  await bar.click();
  await expect(page).toHaveURL(new RegExp(`district=${district}`));
  await expect(page.getByTestId('district-select')).toHaveValue(district);
  await expect(page.getByTestId('chart-revenue-by-district').locator('svg a')).toHaveCount(1);

  // Its CSV: the same filters, UTF-8 with a BOM, the district's own row.
  const csvHref = await page.getByTestId('csv-revenue-by-district').getAttribute('href');
  expect(csvHref).toContain(`district=${district}`);
  const res = await page.request.get(csvHref!);
  expect(res.status()).toBe(200);
  const body = await res.body();
  expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(body.toString('utf8')).toContain(`${district},`);
});

test('a bad filter is named, and another province is not found for a province viewer', async ({ page }, info) => {
  await signIn(page, info, 'viewer.12');
  await page.goto('/stats?year=1999&sector=99');
  await ready(page, info);
  await expect(page.getByTestId('err-year')).toContainText('២០០០');
  await expect(page.getByTestId('err-sector')).toBeVisible();
  const res = await page.goto('/stats?province=17');
  expect(res?.status()).toBe(404);
  await page.goto('/stats');
  await ready(page, info);
  await expect(page.getByTestId('stats-scope')).toContainText('ភ្នំពេញ');
  await expect(page.getByTestId('province-select').locator('option')).toHaveCount(1);
});
