// The checkout example (examples/web-checkout/) as a shop builds it: its
// import of the package is `from 'ofdkit'`, Vite bundled it from the
// installed tarball into build/, and here headless Chromium (Debian's,
// driven by playwright-core) opens the bundled page served on 127.0.0.1,
// types a bad phone and a wrong total, and expects ofdkit's Russian messages.
//   node --test bundle.test.mjs      (in the project, after `vite build`)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';

const built = new URL('./build/', import.meta.url).pathname;
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
};

function serve() {
  const server = createServer((request, response) => {
    let path = normalize(decodeURIComponent(new URL(request.url, 'http://127.0.0.1').pathname));
    if (path.endsWith('/')) path += 'index.html';
    try {
      const body = readFileSync(join(built, path));
      response.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('the bundle holds the page, its script and the .wasm as an asset', () => {
  const assets = readdirSync(join(built, 'assets'));
  assert.ok(assets.some((name) => name.endsWith('.wasm')), `assets: ${assets}`);
  assert.ok(assets.some((name) => name.endsWith('.js')), `assets: ${assets}`);
});

test('the bundled checkout page flags a bad phone and a wrong total in Russian', async (t) => {
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'],
  });
  t.after(async () => {
    await browser.close();
    server.close();
  });
  const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
  const problems = [];
  const fetched = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()} for ${r.url()}`));
  page.on('request', (r) => {
    if (!r.url().startsWith(base)) problems.push(`request to ${r.url()}`);
    fetched.push(new URL(r.url()).pathname);
  });

  await page.goto(base);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15000 });
  assert.ok(fetched.some((path) => path.startsWith('/assets/') && path.endsWith('.wasm')), `fetched: ${fetched}`);

  // The total and VAT come from the core running in the page.
  assert.equal(await page.inputValue('#total'), '2089.80');
  await page.locator('#phone').pressSequentially('8 900 123-45-67');
  assert.deepEqual(await page.locator('#phone-violations li').allTextContents(), [
    'не в формате +7 и 10 цифр (например +79001234567): Ferma пробьёт чек, но не отправит его на этот телефон (табл. 3.2)',
  ]);
  // Only delivery to that phone fails (table 3.2): a warning that does not block the sale.
  assert.equal(await page.isDisabled('#pay'), false);
  await page.fill('#total', '');
  await page.locator('#total').pressSequentially('1000');
  assert.deepEqual(await page.locator('#total-violations li').allTextContents(), ['равно 1000.00, а сумма позиций 2089.80']);
  assert.equal(await page.isDisabled('#pay'), true);

  await page.fill('#phone', '+79001234567');
  await page.fill('#total', '2089.80');
  assert.equal(await page.isDisabled('#pay'), false);
  await page.click('#pay');
  assert.equal(JSON.parse(await page.textContent('#wire')).receipt.client.phone, '+79001234567');
  await page.screenshot({ path: join(built, '..', 'bundled-checkout.png'), fullPage: true });
  assert.deepEqual(problems, []);
});
