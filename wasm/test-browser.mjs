// The checkout example in a real browser: Debian's Chromium, headless,
// driven by playwright-core, opens examples/web-checkout/ served on
// 127.0.0.1, types an invalid phone and a wrong total as a customer would,
// and expects ofdkit's Russian messages next to those fields. A screenshot
// is saved to wasm/test-artifacts/web-checkout.png. The README's browser
// example runs too, as written there.
//   node --test wasm/test-browser.mjs     (after wasm/build.sh)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';

const repo = new URL('../', import.meta.url).pathname;
const artifacts = join(repo, 'wasm/test-artifacts');
const served = ['/examples/web-checkout/', '/wasm/pkg/'];
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** The "Use in the browser" page of wasm/README.md — the same as the
 * repository README's — importing the package from wasm/pkg/. */
function readmeExample() {
  const page = (file) => {
    const readme = readFileSync(join(repo, file), 'utf8');
    return /## Use in the browser[\s\S]*?```html\n([\s\S]*?)```/.exec(readme)[1];
  };
  const html = page('wasm/README.md');
  assert.equal(page('README.md'), html, "README.md's browser example must be wasm/README.md's");
  assert.match(html, /\.\/node_modules\/ofdkit\/index\.js/);
  return html.replace('./node_modules/ofdkit/index.js', '/wasm/pkg/index.js');
}

/** Serves only the example, the README's example and the package, on loopback. */
function serve() {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, 'http://127.0.0.1').pathname));
    if (path === '/favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    if (path === '/readme-example.html') {
      response.writeHead(200, { 'content-type': types['.html'] }).end(readmeExample());
      return;
    }
    if (!served.some((prefix) => path.startsWith(prefix)) || !types[extname(path)]) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(join(repo, path));
      response.writeHead(200, { 'content-type': types[extname(path)] }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The messages shown under a field. */
async function messagesAt(page, field) {
  return page.locator(`#${field}-violations li`).allTextContents();
}

test('the checkout page flags a bad phone and a wrong total in Russian as the customer types', async (t) => {
  const server = await serve();
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
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()} for ${r.url()}`));
  page.on('request', (r) => {
    if (!r.url().startsWith(`http://127.0.0.1:${server.address().port}/`)) problems.push(`request to ${r.url()}`);
  });

  await page.goto(`http://127.0.0.1:${server.address().port}/examples/web-checkout/index.html`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15000 });

  // The cart's total and VAT come from ofdkit; with no contact yet there is
  // only the warning that the receipt would not reach the customer.
  assert.equal(await page.inputValue('#total'), '2089.80');
  assert.equal(await page.textContent('#vat-summary'), 'в т. ч. НДС 20 %: 348.30 ₽');
  assert.match((await messagesAt(page, 'contact')).join(), /ни email, ни phone/);
  assert.equal(await page.isDisabled('#pay'), false);

  await page.locator('#email').pressSequentially('buyer@example.ru');
  assert.deepEqual(await messagesAt(page, 'contact'), []);

  // A phone typed the Russian way, digit by digit.
  await page.locator('#phone').pressSequentially('8 900 123-45-67');
  const phoneMessages = await messagesAt(page, 'phone');
  assert.deepEqual(phoneMessages, ['не в формате +7 и 10 цифр (например +79001234567): Ferma пробьёт чек, но не отправит его на этот телефон (табл. 3.2)']);
  // Only delivery to that phone fails (table 3.2): a warning, shown, that does not block the sale.
  assert.equal(await page.getAttribute('#phone', 'aria-invalid'), null);
  assert.equal(await page.isDisabled('#pay'), false);

  // A total that is not what the items add up to.
  await page.fill('#total', '');
  await page.locator('#total').pressSequentially('1000');
  assert.deepEqual(await messagesAt(page, 'total'), ['равно 1000.00, а сумма позиций 2089.80']);
  assert.equal(await page.isDisabled('#pay'), true);

  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'web-checkout.png'), fullPage: true });

  // A quantity that is not a kopeck-exact amount is the core's verdict too.
  await page.fill('#quantity-0', '1.0005');
  assert.match((await messagesAt(page, 'quantity-0')).join(), /не более 3 знаков после запятой/);
  await page.fill('#quantity-0', '3');
  assert.equal(await page.textContent('#sum-0'), '749.70');
  assert.equal(await page.inputValue('#total'), '2339.70');

  // Corrected, the form is clean and hands over the exact wire JSON.
  await page.fill('#phone', '+79001234567');
  assert.deepEqual(await messagesAt(page, 'phone'), []);
  assert.deepEqual(await messagesAt(page, 'total'), []);
  assert.equal(await page.isDisabled('#pay'), false);
  await page.click('#pay');
  const wire = JSON.parse(await page.textContent('#wire'));
  assert.equal(wire.receipt.client.phone, '+79001234567');
  assert.equal(wire.receipt.total, 2339.7);
  assert.deepEqual(wire.receipt.vats, [{ type: 'vat20', sum: 389.95 }]);
  await page.screenshot({ path: join(artifacts, 'web-checkout-valid.png'), fullPage: true });

  assert.deepEqual(problems, []);
});

test("the README's browser example works as written", async (t) => {
  const server = await serve();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'],
  });
  t.after(async () => {
    await browser.close();
    server.close();
  });
  const page = await browser.newPage();
  const problems = [];
  const logged = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => (m.type() === 'error' ? problems : logged).push(m.text()));
  await page.goto(`http://127.0.0.1:${server.address().port}/readme-example.html`);
  await page.locator('#phone').pressSequentially('8900');
  await page.waitForFunction(() => document.getElementById('phone-error').textContent !== '');
  assert.equal(
    await page.textContent('#phone-error'),
    'не в формате +7 и 10 цифр (например +79001234567): Ferma пробьёт чек, но не отправит его на этот телефон (табл. 3.2)',
  );
  await page.fill('#phone', '+79001234567');
  assert.equal(await page.textContent('#phone-error'), '');
  assert.equal(JSON.parse(logged.at(-1)).receipt.client.phone, '+79001234567');
  assert.deepEqual(problems, []);
});
