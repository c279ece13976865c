import { expect, Page, TestInfo } from '@playwright/test';

export const jsEnabled = (info: TestInfo) => info.project.use.javaScriptEnabled !== false;

/** With JavaScript on, waits until the page is hydrated, so clicks reach the Rust handlers. */
export async function ready(page: Page, info: TestInfo) {
  if (jsEnabled(info)) {
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  }
}

export async function screenshot(page: Page, info: TestInfo, name: string) {
  await page.screenshot({ path: info.outputPath(`${name}-${info.project.name}.png`), fullPage: true });
}

export const DEMO_PASSWORD = 'owso-demo-2026';

export async function signIn(page: Page, info: TestInfo, username: string, password = DEMO_PASSWORD) {
  await page.context().clearCookies();
  await page.goto('/login');
  await ready(page, info);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form button[type="submit"]').last().click();
  await expect(page).toHaveURL(/\/staff\/inbox/);
  await expect(page.getByTestId('signed-in-as')).toHaveText(username);
}

/** Takes one action on a case from its page and waits for the stage or status to change. */
export async function act(page: Page, info: TestInfo, code: string, action: string, fill?: Record<string, string>) {
  await page.goto(`/staff/cases/${code}`);
  await ready(page, info);
  const button = page.getByTestId(`act-${action}`);
  await expect(button).toBeVisible();
  const form = page.locator('form.action-form', { has: button });
  for (const [name, value] of Object.entries(fill ?? {})) {
    await form.locator(`[name="${name}"]`).fill(value);
  }
  const before = await page.getByTestId('case-stage').textContent();
  await button.click();
  await expect(page.getByTestId('case-stage')).not.toHaveText(before ?? '');
}


/** Picks a value in a select of the choices form and asks the server for the next level. */
export async function choose(page: Page, info: TestInfo, select: string, pick: (values: string[]) => string) {
  const values = await page.locator(`${select} option`).evaluateAll((os) =>
    os.map((o) => (o as HTMLOptionElement).value).filter((v) => v !== ''),
  );
  await page.locator(select).selectOption(pick(values));
  await page.getByTestId('update-choices').click();
  await page.waitForLoadState('load');
  await ready(page, info);
}

/**
 * Registers a case at office 1201's front desk for a service with the whole workflow and
 * answers its code; the cashier then takes the fee, so the case waits for the chief's check.
 * Tests make their own cases instead of relying on what the date-dependent demo data left open.
 */
export async function caseAwaitingChiefCheck(page: Page, info: TestInfo): Promise<string> {
  await signIn(page, info, 'desk.1201');
  await page.goto('/staff/cases/new');
  await ready(page, info);
  await choose(page, info, 'select[name="sector"]', () => '17');
  await choose(page, info, '[data-testid="service-select"]', (v) => v[0]);
  await choose(page, info, 'select[name="province"]', () => '12');
  await choose(page, info, 'select[name="district"]', (v) => v[0]);
  await choose(page, info, 'select[name="commune"]', (v) => v[0]);
  const form = page.getByTestId('register-form');
  for (const box of await form.locator('input[type="checkbox"]').all()) await box.check();
  await form.locator('[name="name_km"]').fill('ចាន់ សុភា');
  await form.locator('[name="name_latin"]').fill('CHAN SOPHEA');
  await form.locator('[name="sex"]').selectOption('F');
  await form.locator('[name="phone"]').fill('012 777 888');
  const villages = await page.locator('[data-testid="village-select"] option').evaluateAll((os) =>
    os.map((o) => (o as HTMLOptionElement).value).filter((v) => v !== ''),
  );
  await page.getByTestId('village-select').selectOption(villages[0]);
  await page.getByTestId('register-submit').click();
  await expect(page).toHaveURL(/\/staff\/cases\/\d{10}\/receipt/);
  const code = (await page.getByTestId('receipt-code').textContent())!.trim();
  await signIn(page, info, 'cashier.1201');
  await act(page, info, code, 'pay');
  return code;
}
