import { test, expect } from '@playwright/test';
import { act, ready, screenshot, signIn } from './helpers';

test('a citizen files a complaint and reads the office chief’s answer', async ({ page }, info) => {
  await page.goto('/complaints/new?office=1201');
  await ready(page, info);
  const form = page.getByTestId('complaint-form');
  // Sending without text names the field.
  await form.locator('input[name="category"][value="middleman"]').check();
  await expect(page.getByTestId('office_code-select')).toHaveValue('1201');
  await form.locator('[name="body"]').fill(' ');
  await form.locator('[name="body"]').evaluate((el) => el.removeAttribute('required'));
  await page.getByTestId('complaint-submit').click();
  await expect(page.getByTestId('err-body')).toHaveText('សូមបំពេញ');
  const again = page.getByTestId('complaint-form');
  await again.locator('input[name="category"][value="middleman"]').check();
  await again.locator('[name="body"]').fill(`A man at the gate asked for money (${info.project.name})`);
  await page.getByTestId('complaint-submit').click();
  await expect(page.getByTestId('complaint-filed')).toBeVisible();
  const number = (await page.getByTestId('complaint-number').textContent())!.trim();
  expect(number).toMatch(/^\d{4}-\d{6}$/);
  await expect(page.getByTestId('complaint-state')).toHaveText('កំពុងរង់ចាំចម្លើយ');
  const pin = (await page.getByTestId('complaint-pin').textContent())!.trim();
  // Neither the number's PIN nor the phone is in the address.
  expect(page.url()).not.toContain(pin);
  await screenshot(page, info, 'complaint-filed');

  await signIn(page, info, 'chief.1201');
  await page.goto('/staff/complaints');
  await ready(page, info);
  const card = page.getByTestId(`complaint-${number}`);
  await card.locator('[name="answer"]').fill('We have warned the guard; no one may ask for money at the gate.');
  await card.locator('button[value="true"]').click();
  await expect(page.getByTestId(`complaint-${number}`).getByTestId('given-answer')).toBeVisible();

  // Another day, another browser: the number and PIN are typed and posted.
  await page.context().clearCookies();
  await page.goto('/complaints/track');
  await ready(page, info);
  const lookup = page.getByTestId('complaint-lookup');
  await lookup.locator('[name="number"]').fill(number);
  await lookup.locator('[name="pin"]').fill(pin);
  await lookup.locator('button[type="submit"]').click();
  expect(page.url()).not.toContain(pin);
  await expect(page.getByTestId('complaint-state')).toHaveText('បានបិទ');
  await expect(page.getByTestId('complaint-answer')).toContainText('no one may ask for money');
});

test('a citizen applies online and the front desk completes it', async ({ page }, info) => {
  await page.goto('/apply');
  await ready(page, info);
  const service = page.getByTestId('apply-service');
  const values = await service.locator('option').evaluateAll((os) =>
    os.map((o) => (o as HTMLOptionElement).value).filter((v) => v !== ''),
  );
  await service.selectOption(values[3]);
  await page.getByTestId('office_code-select').selectOption('1201');
  const form = page.getByTestId('apply-form');
  await form.locator('[name="name_km"]').fill('ចាន់ សុភា');
  await form.locator('[name="name_latin"]').fill('CHAN SOPHEA');
  await form.locator('[name="sex"]').selectOption('F');
  // No phone: the office could not reach the citizen, so it is asked for.
  await page.getByTestId('apply-submit').click();
  await expect(page.getByTestId('err-phone')).toHaveText('សូមបំពេញ');
  const again = page.getByTestId('apply-form');
  await expect(again.locator('[name="name_latin"]')).toHaveValue('CHAN SOPHEA');
  await again.locator('[name="phone"]').fill('012 345 111');
  await page.getByTestId('apply-submit').click();
  await expect(page).toHaveURL(/\/track/);
  await expect(page.locator('main')).toContainText('កំពុងរង់ចាំឯកសាររបស់អ្នកនៅបញ្ជរទទួល');
  await expect(page.locator('main')).not.toContainText('CHAN SOPHEA');
  const code = (await page.getByTestId('track-title').textContent())!.match(/\d{10}/)![0];
  await screenshot(page, info, 'applied');

  await signIn(page, info, 'desk.1201');
  await act(page, info, code, 'complete_registration');
  await expect(page.getByTestId('case-code')).toHaveText(code);
});
