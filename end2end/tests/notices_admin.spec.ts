import { test, expect } from '@playwright/test';
import { jsEnabled, ready, screenshot, signIn, staff } from './helpers';

// The system administrator's message templates: a live SMS preview with its part count (with
// JavaScript), the saved text's preview without it, and "edited" until reset to the default.

const SHORT_KM = 'OWSO៖ ពាក្យ {code}';

/** Starts from the default, whatever an earlier run left behind: both texts empty reset it. */
async function resetRegistered(baseURL: string) {
  const admin = await staff(baseURL, 'sysadmin');
  const res = await admin.post('/api/notices/templates/save', {
    form: { event: 'registered', body_km: '', body_en: '' },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(302);
  await admin.dispose();
}

test('the system administrator edits the Khmer registered template and resets it', async ({ page, baseURL }, info) => {
  await resetRegistered(baseURL!);
  await signIn(page, info, 'sysadmin');
  await expect(page.getByTestId('nav-notice-templates')).toHaveAttribute('href', '/admin/notices');
  await page.goto('/admin/notices');
  await ready(page, info);
  const card = page.getByTestId('notice-template-registered');
  await expect(card).toBeVisible();
  await expect(card.getByTestId('edited-registered')).toHaveCount(0);
  for (const placeholder of ['{code}', '{service}', '{due}', '{link}']) {
    await expect(card.getByTestId('placeholders-registered')).toContainText(placeholder);
  }

  // The default Khmer text with the long sample service name takes two parts at most.
  const segments = card.getByTestId('segments-km-registered');
  await expect(segments).toHaveAttribute('data-over', 'false');
  const before = await segments.getAttribute('data-segments');
  const unitsBefore = await segments.getAttribute('data-units');
  expect(Number(before)).toBeGreaterThanOrEqual(1);
  expect(Number(before)).toBeLessThanOrEqual(2);
  await expect(card.getByTestId('preview-km-registered')).toContainText('120101-26-004321');

  await card.getByTestId('body-km-registered').fill(SHORT_KM);
  if (jsEnabled(info)) {
    // The preview follows typing, before anything is saved.
    await expect(segments).toHaveAttribute('data-segments', '1');
    await expect(segments).not.toHaveAttribute('data-units', unitsBefore ?? '');
    await expect(card.getByTestId('preview-km-registered')).toHaveText('OWSO៖ ពាក្យ 120101-26-004321');
    // "១ SMS": the count is in Khmer digits on a Khmer page.
    await expect(segments).toContainText('១ SMS');
  }
  await card.getByTestId('save-template-registered').click();

  const saved = page.getByTestId('notice-template-registered');
  await expect(page).toHaveURL(/\/admin\/notices\?saved=registered/);
  await expect(saved.getByTestId('saved-registered')).toBeVisible();
  await expect(saved.getByTestId('edited-registered')).toBeVisible();
  await expect(saved.getByTestId('body-km-registered')).toHaveValue(SHORT_KM);
  // Without JavaScript the preview is the saved text's: now one part as well.
  await expect(saved.getByTestId('segments-km-registered')).toHaveAttribute('data-segments', '1');
  await expect(saved.getByTestId('preview-km-registered')).toHaveText('OWSO៖ ពាក្យ 120101-26-004321');
  await screenshot(page, info, 'notice-templates');

  // Reset to default: the Khmer text is the default again, and no longer edited.
  await saved.getByTestId('reset-template-registered').click();
  await expect(page.getByTestId('notice-template-registered').getByTestId('edited-registered')).toHaveCount(0);
  await expect(page.getByTestId('notice-template-registered').getByTestId('body-km-registered')).not.toHaveValue(SHORT_KM);
  await expect(page.getByTestId('segments-km-registered')).toHaveAttribute('data-segments', before ?? '');
});

test('a placeholder the event does not have is refused beside the Khmer field', async ({ page, baseURL }, info) => {
  await resetRegistered(baseURL!);
  await signIn(page, info, 'sysadmin');
  await page.goto('/admin/notices');
  await ready(page, info);
  const card = page.getByTestId('notice-template-registered');
  await card.getByTestId('body-km-registered').fill('OWSO៖ {code} {pin}');
  await card.getByTestId('save-template-registered').click();
  const again = page.getByTestId('notice-template-registered');
  await expect(again.getByTestId('err-body_km')).toBeVisible();
  await expect(again.getByTestId('err-body_en')).toHaveCount(0);
  // What was typed is still there to correct, and nothing was saved.
  await expect(again.getByTestId('body-km-registered')).toHaveValue('OWSO៖ {code} {pin}');
  await expect(again.getByTestId('edited-registered')).toHaveCount(0);
  // Only this card shows the message.
  await expect(page.getByTestId('err-body_km')).toHaveCount(1);
});
