import { test, expect, Page, TestInfo } from '@playwright/test';
import { execFileSync } from 'child_process';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';
import { BakongKHQR } from 'bakong-khqr';
import { act, lookUp, ready, registerCase, screenshot, signIn, jsEnabled, staff } from './helpers';

// Issue 19: KHQR payment codes, checked with the National Bank of Cambodia's own JavaScript SDK
// (`bakong-khqr`), on the receipt, on the status page and at the cashier.

type Decoded = {
  bakongAccountID: string; transactionAmount: string; transactionCurrency: string; billNumber: string;
  storeLabel: string; merchantName: string; merchantNameAlternateLanguage: string; pointofInitiationMethod: string;
};

function verified(payload: string): Decoded {
  expect(BakongKHQR.verify(payload).isValid, `the SDK accepts ${payload}`).toBe(true);
  return BakongKHQR.decode(payload).data as Decoded;
}

function owso(args: string[], database: string): string {
  const bin = process.env.OWSO_BIN ?? `${process.env.HOME}/.cache/owso-target/release/owso`;
  return execFileSync(bin, args, { env: { ...process.env, DATABASE_URL: database }, encoding: 'utf8' });
}

test('the National Bank SDK verifies the payloads of 200 varied cases', async ({}, info) => {
  test.skip(!jsEnabled(info), 'no browser involved: once is enough');
  const dir = mkdtempSync(path.join(tmpdir(), 'owso-khqr-'));
  const database = `sqlite://${dir}/owso.db`;
  owso(['migrate', 'up'], database);
  const lines = owso(['payments', 'sample', '--count', '200', '--seed', String(Date.now())], database).trim().split('\n');
  expect(lines).toHaveLength(200);
  const offices = new Set<string>();
  const amounts = new Set<string>();
  for (const line of lines) {
    const sample = JSON.parse(line);
    const decoded = verified(sample.payload);
    expect(decoded.transactionAmount).toBe(String(sample.amount));
    expect(decoded.transactionCurrency).toBe('116');
    expect(decoded.billNumber).toBe(sample.bill_number);
    expect(decoded.bakongAccountID).toBe(sample.account_id);
    expect(decoded.storeLabel).toBe(sample.store_label);
    expect(decoded.merchantName).toBe(sample.merchant_name);
    expect(decoded.merchantNameAlternateLanguage).toBe(sample.merchant_name_km);
    expect(decoded.pointofInitiationMethod).toBe('12');
    offices.add(sample.store_label);
    amounts.add(String(sample.amount));
  }
  expect(offices.size).toBeGreaterThan(50);
  expect(amounts.size).toBeGreaterThan(20);
});

test('the receipt shows a KHQR for the fee that the SDK verifies', async ({ page, baseURL }, info) => {
  const { code } = await registerCase(baseURL!);
  await signIn(page, info, 'desk.1201');
  await page.goto(`/staff/cases/${code}/receipt`);
  await ready(page, info);
  const card = page.getByTestId('khqr');
  await expect(card).toBeVisible();
  await expect(card.locator('svg').first()).toBeVisible();
  const decoded = verified((await card.getAttribute('data-khqr'))!);
  expect(decoded.billNumber).toBe(code);
  expect(decoded.bakongAccountID).toBe('owso_1201@demo');
  expect(decoded.storeLabel).toBe('1201');
  const fee = (await page.getByTestId('khqr-amount').textContent())!;
  // The amount in words is in Khmer digits; the payload's in Latin ones.
  const latin = fee.replace(/[០-៩]/g, (d) => String(d.charCodeAt(0) - 0x17e0)).replace(/\D/g, '');
  expect(decoded.transactionAmount).toBe(latin);
  await screenshot(page, info, 'receipt-khqr');
});

test('the status page shows the KHQR until the fee is paid, then how it was paid', async ({ page, baseURL }, info) => {
  const { code, pin } = await registerCase(baseURL!);
  await lookUp(page, info, code, pin);
  await expect(page.getByTestId('khqr')).toBeVisible();
  verified((await page.getByTestId('khqr').getAttribute('data-khqr'))!);
  await screenshot(page, info, 'track-khqr');
  if (jsEnabled(info)) await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));

  // The bank's confirmation arrives: here a cashier records it by hand with the bank reference.
  const cashier = await staff(baseURL!, 'cashier.1201');
  const html = await (await cashier.get(`/staff/cases/${code}`)).text();
  const amount = /name="amount"[^>]*value="(\d+)"/.exec(html)![1];
  const res = await cashier.post('/api/cases/act', {
    form: { code, action: 'pay', version: '1', amount, reference: `E2E${Date.now()}` },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(302);
  await cashier.dispose();

  if (jsEnabled(info)) {
    // In place, within ten seconds, without a reload.
    await expect(page.getByTestId('track-fee')).toContainText('KHQR', { timeout: 10_000 });
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  } else {
    await page.reload();
    await expect(page.getByTestId('track-fee')).toContainText('KHQR');
  }
  await expect(page.getByTestId('khqr')).toHaveCount(0);
});

test('a cashier records a KHQR payment by its bank reference and sees it reconciled', async ({ page, baseURL }, info) => {
  const { code } = await registerCase(baseURL!);
  await signIn(page, info, 'cashier.1201');
  const reference = `REF${Date.now()}`;
  await act(page, info, code, 'pay', { reference });
  await expect(page.getByTestId('nav-payments')).toHaveAttribute('href', '/staff/payments');
  await page.goto('/staff/payments');
  await ready(page, info);
  const row = page.getByTestId('recon-confirmed').getByTestId(`recon-${code}`);
  await expect(row).toBeVisible();
  await expect(row).toContainText(reference);
  await screenshot(page, info, 'reconciliation');

  // The same reference cannot pay a second case.
  const other = await registerCase(baseURL!);
  await page.goto(`/staff/cases/${other.code}`);
  await ready(page, info);
  const form = page.locator('form.action-form', { has: page.getByTestId('act-pay') });
  await form.locator('details.comment-more > summary').click();
  await form.locator('[name="reference"]').fill(reference);
  await page.getByTestId('act-pay').click();
  await expect(page.getByTestId('action-error')).toContainText('លេខយោង');
  await expect(page.getByTestId('case-stage')).toContainText('បេឡា');
});

test('an office administrator sets the Bakong account, field by field', async ({ page }, info) => {
  await signIn(page, info, 'admin.0203');
  await page.goto('/admin/payment-account');
  await ready(page, info);
  const form = page.getByTestId('payment-account-form');
  await expect(form.locator('[name="account_id"]')).toHaveValue(/@/);
  await form.locator('[name="account_id"]').fill('no-at-sign');
  await form.locator('[name="city"]').fill('ក្រុងបាត់ដំបង');
  await page.getByTestId('save-payment-account').click();
  await expect(page.getByTestId('err-account_id')).toContainText('ឈ្មោះ@ធនាគារ');
  await expect(page.getByTestId('err-city')).toContainText('ឡាតាំង');
  await form.locator('[name="account_id"]').fill('owso_battambang@aclb');
  await form.locator('[name="city"]').fill('Battambang');
  await page.getByTestId('save-payment-account').click();
  await expect(page.getByTestId('notice')).toBeVisible();
  await expect(page.getByTestId('payment-account-form').locator('[name="account_id"]')).toHaveValue('owso_battambang@aclb');
  // Another office's account is not this administrator's to see.
  await page.goto('/admin/payment-account?office=1201');
  await expect(page.getByTestId('page-error')).toBeVisible();
});
