import { test, expect } from '@playwright/test';
import { act, caseAwaitingChiefCheck, jsEnabled, ready, screenshot, signIn } from './helpers';

test('an office administrator creates an account and disables it', async ({ page }, info) => {
  const username = `desk-${info.project.name}.1201`;
  await signIn(page, info, 'admin.1201');
  await page.goto('/admin/users');
  await ready(page, info);
  // Only this office's staff are listed.
  await expect(page.getByTestId('staff-desk.1201')).toBeVisible();
  await expect(page.getByTestId('staff-desk.0203')).toHaveCount(0);

  const form = page.getByTestId('new-user-form');
  await form.locator('[name="username"]').fill(username);
  await form.locator('[name="full_name"]').fill('Sok Dara');
  await form.locator('[name="role"]').selectOption('front_desk');
  await form.locator('[name="password"]').fill('password123');
  await page.getByTestId('create-user').click();
  // A common password is refused beside its field, in Khmer.
  await expect(page.getByTestId('err-password')).toHaveText('ពាក្យសម្ងាត់នេះងាយទាយពេក សូមជ្រើសឃ្លាវែងជាងនេះ');
  const again = page.getByTestId('new-user-form');
  await expect(again.locator('[name="username"]')).toHaveValue(username);
  await again.locator('[name="password"]').fill('rice fields at dawn');
  await page.getByTestId('create-user').click();
  await expect(page.getByTestId(`staff-${username}`)).toBeVisible();
  await expect(page.getByTestId('notice').first()).toBeVisible();
  await screenshot(page, info, 'admin-users');

  await page.getByTestId(`toggle-${username}`).click();
  await expect(page.getByTestId(`staff-${username}`)).toContainText('បានបិទ');
  // The disabled account cannot sign in.
  await page.context().clearCookies();
  await page.goto('/login');
  await ready(page, info);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill('rice fields at dawn');
  await page.locator('form button[type="submit"]').last().click();
  await expect(page.getByTestId('login-error')).toBeVisible();
  if (jsEnabled(info)) {
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  }
});

test('the system administrator edits a fee and a holiday', async ({ page }, info) => {
  await signIn(page, info, 'sysadmin');
  await page.goto('/admin/services');
  await ready(page, info);
  await page.locator('table.table tbody tr a').first().click();
  await expect(page.getByTestId('service-form')).toBeVisible();
  await ready(page, info);
  const fee = page.getByTestId('service-form').locator('[name="fee_riel"]');
  const next = String(Number(await fee.inputValue()) + (info.project.name === 'js' ? 1000 : 2000));
  await fee.fill(next);
  await page.getByTestId('save-service').click();
  await expect(page.getByTestId('notice')).toBeVisible();
  await expect(page.getByTestId('service-form').locator('[name="fee_riel"]')).toHaveValue(next);

  await page.goto('/admin/holidays?year=2027');
  await ready(page, info);
  const day = info.project.name === 'js' ? '2027-06-15' : '2027-06-16';
  const form = page.getByTestId('holiday-form');
  await form.locator('[name="day"]').fill(day);
  await form.locator('[name="name_km"]').fill('ថ្ងៃសាកល្បង');
  await form.locator('[name="name_en"]').fill('Test day');
  await page.getByTestId('save-holiday').click();
  // The table shows the day in the page's date format; its delete button is keyed by ISO day.
  await expect(page.getByTestId(`delete-${day}`)).toBeVisible();
  await page.getByTestId(`delete-${day}`).click();
  await expect(page.getByTestId(`delete-${day}`)).toHaveCount(0);
});

test('a case returned for correction waits for the resubmission', async ({ page }, info) => {
  test.setTimeout(90_000);
  const code = await caseAwaitingChiefCheck(page, info);
  await signIn(page, info, 'chief.1201');
  // The case waits in the chief's inbox.
  await expect(page.locator('table.table tbody')).toContainText(code);
  await act(page, info, code, 'return', { comment: 'The family book copy is missing' });
  await expect(page.getByTestId('case-stage')).toContainText('ត្រលប់ទៅអ្នកស្នើសុំដើម្បីកែតម្រូវ');
  await expect(page.getByTestId('act-forward')).toHaveCount(0);
  await signIn(page, info, 'desk.1201');
  await act(page, info, code, 'resubmit', { comment: 'Brought the copy' });
  await expect(page.getByTestId('case-stage')).toContainText('កំពុងដំណើរការ');
  await signIn(page, info, 'chief.1201');
  await page.goto(`/staff/cases/${code}`);
  await expect(page.getByTestId('act-forward')).toBeVisible();
  await expect(page.getByTestId('case-timeline').locator('tbody')).toContainText('The family book copy is missing');
});
