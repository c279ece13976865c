import { expect, request, APIRequestContext, Locator, Page, TestInfo } from '@playwright/test';

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
  await expect(page).toHaveURL(new RegExp(`${homeOf(username)}$`));
  await expect(page.getByTestId('signed-in-as')).toHaveText(username);
}

/** Where each demo account lands after signing in: leadership outside an office on the charts,
 * the system administrator on the accounts, everyone in an office on the inbox. */
export function homeOf(username: string): string {
  if (username === 'national' || username.startsWith('viewer.')) return '/stats';
  if (username === 'sysadmin') return '/admin/users';
  return '/staff/inbox';
}

/** Takes one action on a case from its page and waits for the stage or status to change. */
export async function act(page: Page, info: TestInfo, code: string, action: string, fill?: Record<string, string>) {
  await page.goto(`/staff/cases/${code}`);
  await ready(page, info);
  // A return or a refusal is folded away until opened; an onward action's comment too.
  const opener = page.getByTestId(`open-${action}`);
  if (await opener.count()) await opener.click();
  const button = page.getByTestId(`act-${action}`);
  await expect(button).toBeVisible();
  const form = page.locator('form.action-form', { has: button });
  for (const [name, value] of Object.entries(fill ?? {})) {
    const field = form.locator(`[name="${name}"]`);
    if (!(await field.isVisible())) await form.locator('details.comment-more > summary').click();
    await field.fill(value);
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
  const value = pick(values);
  await page.locator(select).selectOption(value);
  const name = await page.locator(select).getAttribute('name');
  if (jsEnabled(info)) {
    // With JavaScript the choice asks for the next level by itself, in place.
    await expect(page).toHaveURL(new RegExp(`[?&]${name}=${value}(&|$)`));
    await page.waitForLoadState('networkidle');
  } else {
    await page.getByTestId('update-choices').click();
    await page.waitForLoadState('load');
  }
}

/**
 * Picks a level of the registration form's address and waits for the next level's list. With
 * JavaScript the list fills in place; without it, "show choices" posts the whole form back.
 */
export async function chooseAddress(
  page: Page, info: TestInfo, level: 'province' | 'district' | 'commune', pick: (values: string[]) => string,
) {
  const address = page.getByTestId('address');
  const select = address.locator(`select[name="${level}"]`);
  const values = await select.locator('option').evaluateAll((os) =>
    os.map((o) => (o as HTMLOptionElement).value).filter((v) => v !== ''),
  );
  await select.selectOption(pick(values));
  if (!jsEnabled(info)) {
    await page.getByTestId('address-choices').click();
    await page.waitForLoadState('load');
  }
  const next = { province: 'district', district: 'commune', commune: 'village_code' }[level];
  await expect(address.locator(`select[name="${next}"]`)).toBeEnabled();
  await expect(address.locator(`select[name="${next}"] option`).nth(1)).toBeAttached();
}

/** Fills the front desk's registration form as an officer would, for a sector 17 service (the
 * whole workflow) in village 12010101, submits it and answers the receipt's case code. */
export async function registerThroughTheForm(
  page: Page,
  info: TestInfo,
  inspect?: (form: Locator) => Promise<void>,
): Promise<string> {
  await page.goto('/staff/cases/new');
  await ready(page, info);
  await choose(page, info, 'select[name="sector"]', () => '17');
  await choose(page, info, '[data-testid="service-select"]', (v) => v[0]);
  await chooseAddress(page, info, 'province', () => '12');
  await chooseAddress(page, info, 'district', (v) => v[0]);
  await chooseAddress(page, info, 'commune', (v) => v[0]);
  const form = page.getByTestId('register-form');
  if (inspect) await inspect(form);
  for (const box of await form.locator('input[type="checkbox"][name^="documents"]').all()) await box.check();
  await form.locator('[name="name_km"]').fill('ចាន់ សុភា');
  await form.locator('[name="name_latin"]').fill('CHAN SOPHEA');
  await form.locator('[name="sex"]').selectOption('F');
  await form.locator('[name="phone"]').fill('012 777 888');
  await page.getByTestId('village-select').selectOption('12010101');
  await page.getByTestId('register-submit').click();
  await expect(page).toHaveURL(/\/staff\/cases\/\d{10}\/receipt/);
  return (await page.getByTestId('receipt-code').textContent())!.trim();
}

/**
 * Registers a case at office 1201's front desk for a service with the whole workflow and
 * answers its code; the cashier then takes the fee, so the case waits for the chief's check.
 * Tests make their own cases instead of relying on what the date-dependent demo data left open.
 */
export async function caseAwaitingChiefCheck(page: Page, info: TestInfo): Promise<string> {
  await signIn(page, info, 'desk.1201');
  const code = await registerThroughTheForm(page, info);
  await signIn(page, info, 'cashier.1201');
  await act(page, info, code, 'pay');
  return code;
}

export const NAME_KM = 'កែវ ចន្ធូ';
export const NAME_LATIN = 'KEO CHANTHOU';
export const PHONE = '012 818 919';

/** A request context signed in as a demo staff account. */
export async function staff(baseURL: string, username: string): Promise<APIRequestContext> {
  const ctx = await request.newContext({ baseURL, extraHTTPHeaders: { accept: 'text/html' } });
  const res = await ctx.post('/api/auth/login', { form: { username, password: DEMO_PASSWORD }, maxRedirects: 0 });
  expect(res.status(), `sign-in of ${username}`).toBe(302);
  return ctx;
}

/** Registers a case of a fully staged (sector 17) service at office 1201; answers code and PIN. */
export async function registerCase(baseURL: string): Promise<{ code: string; pin: string }> {
  const desk = await staff(baseURL, 'desk.1201');
  const catalogue = await (await desk.post('/api/catalogue/list', { headers: { accept: 'application/json' } })).json();
  const service = catalogue.find((s: { id: number }) => s.id === 17).services.find((s: { fee_riel: number }) => s.fee_riel > 0);
  const res = await desk.post('/api/cases/register', {
    form: {
      service_id: String(service.id), quantity: '1', applicant_kind: 'person',
      name_km: NAME_KM, name_latin: NAME_LATIN, sex: 'F', phone: PHONE, village_code: '12010101',
    },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(302);
  const receipt = res.headers()['location'];
  expect(receipt).toMatch(/^\/staff\/cases\/\d{10}\/receipt\?print$/);
  const html = await (await desk.get(receipt)).text();
  const code = receipt.split('/')[3];
  const pin = /receipt-pin"[^>]*>(\d{6})</.exec(html)![1];
  await desk.dispose();
  return { code, pin };
}

/** Who takes each step of a full workflow at office 1201, after registration, with the fields it needs. */
export const WORKFLOW: [string, string, Record<string, string>][] = [
  ['cashier.1201', 'pay', {}],
  ['chief.1201', 'forward', {}],
  ['tech.1201', 'forward', {}],
  ['chief.1201', 'forward', {}],
  ['director.1201', 'forward', {}],
  ['decision.1201', 'approve', {}],
  ['desk.1201', 'tax_confirm', {}],
  ['desk.1201', 'deliver', { receiver: NAME_LATIN }],
];

/** Takes a fresh case through every step to hand-over, or through the first `steps` of them. */
export async function deliver(baseURL: string, code: string, steps = WORKFLOW.length) {
  let version = 1;
  for (const [who, action, fields] of WORKFLOW.slice(0, steps)) {
    const extra = { ...fields };
    const ctx = await staff(baseURL, who);
    if (action === 'pay') {
      const html = await (await ctx.get(`/staff/cases/${code}`)).text();
      extra.amount = /name="amount"[^>]*value="(\d+)"/.exec(html)![1];
    }
    const res = await ctx.post('/api/cases/act', {
      form: { code, action, version: String(version), ...extra },
      maxRedirects: 0,
    });
    expect(res.headers()['location'], `${who} ${action}`).toBe(`/staff/cases/${code}`);
    version += 1;
    await ctx.dispose();
  }
}


/** Opens a case's status page with its PIN, as a citizen following the receipt's QR code. */
export async function lookUp(page: Page, info: TestInfo, code: string, pin: string) {
  await page.goto(`/track/${code}`);
  await ready(page, info);
  await page.locator('input[name="pin"]').fill(pin);
  await page.getByTestId('track-submit').click();
  await expect(page.getByTestId('track-title')).toContainText(code);
}
