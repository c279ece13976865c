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
