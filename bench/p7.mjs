// P3a and P7: what a phone downloads before /track is usable, and how long that takes on a slow
// phone and network, measured in Debian's Chromium through the DevTools protocol.
//
// Usage: node bench/p7.mjs BASE_URL SITE_PKG_DIR [RUNS]
//   BASE_URL      a running `owso serve` with demo data, e.g. http://127.0.0.1:3000
//   SITE_PKG_DIR  the site's pkg folder (target/site/pkg), for the brotli size of each file fetched
//
// Each run is a first visit in a fresh browser context (empty cache) with a 4x CPU slowdown and
// 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip. The time is from the start of navigation to
// the moment the app has hydrated (`body[data-hydrated]`) and the lookup form is enabled; for the
// inbox, after signing in through the API, until the inbox's table is shown by the hydrated app.
import { chromium } from '@playwright/test';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const [base, pkg, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 5);
if (!base || !pkg) {
  console.error('usage: node bench/p7.mjs BASE_URL SITE_PKG_DIR [RUNS]');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function slowPage(context) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1000 * 1000) / 8,
    uploadThroughput: (750 * 1000) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  return page;
}

/** The brotli size on disk of each bundle file the page fetched. */
function bundleBytes(urls) {
  let total = 0;
  const files = [];
  for (const url of urls) {
    const path = new URL(url).pathname;
    if (!path.startsWith('/pkg/') || !/\.(wasm|js)$/.test(path)) continue;
    const file = join(pkg, path.slice('/pkg/'.length));
    const br = `${file}.br`;
    const size = existsSync(br) ? statSync(br).size : existsSync(file) ? statSync(file).size : 0;
    total += size;
    files.push(path);
  }
  return { total, files };
}

async function measure(path, signIn) {
  const context = await browser.newContext({ locale: 'km-KH', viewport: { width: 360, height: 740 } });
  if (signIn) {
    const res = await context.request.post(`${base}/api/auth/login`, {
      form: { username: signIn, password: 'owso-demo-2026' },
      headers: { accept: 'text/html' },
      maxRedirects: 0,
    });
    if (res.status() !== 302) throw new Error(`sign-in of ${signIn}: ${res.status()}`);
  }
  const page = await slowPage(context);
  const urls = [];
  page.on('request', (r) => urls.push(r.url()));
  const start = Date.now();
  await page.goto(`${base}${path}`, { waitUntil: 'commit' });
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 120_000 });
  if (path.startsWith('/track')) {
    await page.waitForSelector('[data-testid="track-submit"]:not([disabled])');
  } else {
    await page.waitForSelector('[data-testid="inbox-total"]');
  }
  const ms = Date.now() - start;
  const bytes = bundleBytes(urls);
  await context.close();
  return { ms, bytes };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [label, path, user] of [['/track', '/track', null], ['/staff/inbox', '/staff/inbox', 'desk.1201']]) {
  const times = [];
  let bytes;
  for (let i = 0; i < runs; i += 1) {
    const r = await measure(path, user);
    times.push(r.ms);
    bytes = r.bytes;
  }
  console.log(`${label}: usable after ${(median(times) / 1000).toFixed(2)} s (median of ${runs}; ` +
    `runs ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s); ` +
    `wasm + JS fetched ${(bytes.total / 1024).toFixed(1)} KB brotli in ${bytes.files.length} files`);
}
await browser.close();
