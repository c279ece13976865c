import { test, expect } from '@playwright/test';
import { ready, screenshot } from './helpers';

test('all 210 offices are listed by province, in Khmer and Latin', async ({ page }, info) => {
  await page.goto('/offices');
  await ready(page, info);
  await expect(page.locator('li.office')).toHaveCount(210);
  await expect(page.locator('section.province')).toHaveCount(25);
  const phnomPenh = page.locator('#province-12');
  await expect(phnomPenh).toContainText('ភ្នំពេញ');
  await expect(phnomPenh).toContainText('Phnom Penh');
  await expect(page.locator('li.office[data-code="0102"]')).toContainText('មង្គលបូរី');
  await expect(page.locator('li.office[data-code="0102"]')).toContainText('Mongkol Borey');
  // Readable at 360 px: nothing wider than the screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await screenshot(page, info, 'offices');
});
