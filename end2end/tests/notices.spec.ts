import { test, expect } from '@playwright/test';
import { lookUp, ready, registerCase, registerThroughTheForm, screenshot, signIn } from './helpers';

// Issue 20: notices to citizens. The demo server has no gateway, so messages go to its log
// (OWSO_NOTICE_LOG); what the citizen and the officer see is the same as with a real one.

test('the case page lists the registered notice; the citizen sees SMS on and stops it', async ({ page, baseURL }, info) => {
  const { code, pin } = await registerCase(baseURL!);
  await signIn(page, info, 'desk.1201');
  await page.goto(`/staff/cases/${code}`);
  await ready(page, info);
  const row = page.getByTestId('case-notice').first();
  await expect(row).toHaveAttribute('data-event', 'registered');
  await expect(row).toHaveAttribute('data-channel', 'sms');
  await expect(row).toContainText(code);
  // The officer sees the phone masked and the message never carries the PIN.
  await expect(row).not.toContainText(pin);
  await screenshot(page, info, 'case-notices');

  await page.context().clearCookies();
  await lookUp(page, info, code, pin);
  const card = page.getByTestId('track-notices');
  await expect(card.getByTestId('notices-sms')).toContainText('*');
  await card.getByTestId('stop-notices').click();
  await expect(page.getByTestId('notices-stopped')).toBeVisible();
  await expect(page.getByTestId('stop-notices')).toHaveCount(0);
  await screenshot(page, info, 'track-notices-stopped');
  // Stopped stays stopped on the next visit.
  await page.reload();
  await ready(page, info);
  await expect(page.getByTestId('notices-stopped')).toBeVisible();
});

test('the registration form asks for the language of messages and takes a refusal of SMS', async ({ page }, info) => {
  await signIn(page, info, 'desk.1201');
  // The choice sits in the registration form, drawn once a service is chosen.
  const code = await registerThroughTheForm(page, info, async (form) => {
    const choice = form.getByTestId('notice-choice');
    await expect(choice.locator('select[name="notice_language"]')).toHaveValue('km');
    await expect(choice.locator('input[name="sms_declined"]')).not.toBeChecked();
  });
  await page.goto(`/staff/cases/${code}`);
  await ready(page, info);
  // Not declined: the registered notice is there, in Khmer.
  await expect(page.getByTestId('case-notice').first()).toHaveAttribute('data-event', 'registered');
  await expect(page.getByTestId('case-notice').first()).toContainText('OWSO៖');

  // Declined: the case is registered and no SMS is written for it.
  const quiet = await registerThroughTheForm(page, info, async (form) => {
    await form.locator('input[name="sms_declined"]').check();
  });
  await page.goto(`/staff/cases/${quiet}`);
  await ready(page, info);
  await expect(page.getByTestId('case-notices')).toBeVisible();
  await expect(page.getByTestId('case-notice')).toHaveCount(0);
});

test('a citizen links Telegram from the status page; the webhook binds it only with its secret', async ({ page, baseURL, request }, info) => {
  const { code, pin } = await registerCase(baseURL!);
  await lookUp(page, info, code, pin);
  const href = await page.getByTestId('telegram-link').getAttribute('href');
  expect(href).toMatch(/^https:\/\/t\.me\/owso_e2e_bot\?start=[0-9a-f]{32}$/);
  const token = href!.split('start=')[1];
  const chat = 4_000_000 + Math.floor(Math.random() * 1_000_000);
  const update = {
    update_id: Date.now(),
    message: {
      message_id: 1, date: Math.floor(Date.now() / 1000),
      chat: { id: chat, type: 'private', first_name: 'Dara' },
      from: { id: chat, is_bot: false, first_name: 'Dara', language_code: 'km' },
      text: `/start ${token}`,
    },
  };
  // Forged calls: without Telegram's secret token, or with a wrong one.
  expect((await request.post('/hooks/telegram', { data: update })).status()).toBe(401);
  const wrong = await request.post('/hooks/telegram', { data: update, headers: { 'x-telegram-bot-api-secret-token': 'guess' } });
  expect(wrong.status()).toBe(401);
  await page.reload();
  await ready(page, info);
  await expect(page.getByTestId('telegram-link')).toBeVisible();

  const signed = await request.post('/hooks/telegram', {
    data: update,
    headers: { 'x-telegram-bot-api-secret-token': 'e2e-webhook-secret' },
  });
  expect(signed.status()).toBe(200);
  await page.reload();
  await ready(page, info);
  await expect(page.getByTestId('notices-telegram-bound')).toBeVisible();
  await expect(page.getByTestId('telegram-link')).toHaveCount(0);
  await screenshot(page, info, 'track-telegram-bound');
});
