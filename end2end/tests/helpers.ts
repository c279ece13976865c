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

