import { test, expect } from '@playwright/test';
import { jsEnabled, ready, screenshot } from './helpers';

test('home page is Khmer first and readable', async ({ page }, info) => {
  await page.goto('/');
  await ready(page, info);
  await expect(page.locator('html')).toHaveAttribute('lang', 'km');
  await expect(page.getByTestId('home-title')).toHaveText('សេវារដ្ឋបាល នៅច្រកតែមួយ');
  await expect(page.locator('.figure-value').first()).toHaveText('២១០');
  await expect(page.locator('.demo-note')).toContainText('ទិន្នន័យសាកល្បង');
  await screenshot(page, info, 'home');
});

test('Khmer is drawn with the served webfont, not as boxes', async ({ page, context }, info) => {
  await page.goto('/');
  const title = page.getByTestId('home-title');
  await expect(title).toBeVisible();
  const font = await page.request.get('/fonts/noto-sans-khmer-khmer-400-normal.woff2');
  expect(font.status()).toBe(200);
  await page.waitForLoadState('load');
  const withFont = await title.screenshot({ path: info.outputPath(`title-webfont-${info.project.name}.png`) });
  // The same page with the webfont blocked shows what Debian's Chromium draws on its own.
  const bare = await context.newPage();
  await bare.route('**/*.woff2', (route) => route.abort());
  await bare.goto('/');
  await bare.waitForLoadState('load');
  const withoutFont = await bare
    .getByTestId('home-title')
    .screenshot({ path: info.outputPath(`title-fallback-${info.project.name}.png`) });
  expect(withFont.equals(withoutFont)).toBe(false);
  if (jsEnabled(info)) {
    const loaded = await page.evaluate(async () => {
      await document.fonts.ready;
      return document.fonts.check('16px "Noto Sans Khmer"', 'ខ្មែរ');
    });
    expect(loaded).toBe(true);
  }
});

test('the language switch goes to English and is remembered', async ({ page }, info) => {
  await page.goto('/');
  await ready(page, info);
  if (jsEnabled(info)) {
    // A marker on window survives only if the switch does not reload the page.
    await page.evaluate(() => ((window as any).__noReload = true));
  }
  await page.getByTestId('lang-switch').click();
  await expect(page.getByTestId('home-title')).toHaveText('Administrative services through one window');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('.figure-value').first()).toHaveText('210');
  if (jsEnabled(info)) {
    expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
  }
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === 'owso_lang')?.value).toBe('en');
  await page.goto('/offices');
  // A click before hydration ends can be lost between the server's button and the live one.
  await ready(page, info);
  await expect(page.locator('h1')).toHaveText('One Window Service Offices');
  await page.getByTestId('lang-switch').click();
  await expect(page.locator('h1')).toHaveText('ការិយាល័យច្រកចេញចូលតែមួយ');
});

test.describe('a browser set to English', () => {
  // Chromium sends its locale as Accept-Language.
  test.use({ locale: 'en' });

  test('Accept-Language: en gives English on a first visit', async ({ page }, info) => {
    await page.goto('/');
    await ready(page, info);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByTestId('home-title')).toHaveText('Administrative services through one window');
    expect(await page.context().cookies()).toEqual([]);
  });
});
