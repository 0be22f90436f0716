// The package as npm would ship it: its manifest points at files that
// exist, the browser entry refuses calls until init() has loaded the
// module, and nothing in it can reach the network or hold a credential.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as browserEntry from '../pkg/index.js';

const pkg = new URL('../pkg/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', pkg), 'utf8'));

test('the manifest names files that exist, and every shipped file is named', () => {
  const present = new Set(readdirSync(pkg));
  for (const file of manifest.files) assert.ok(present.has(file), `${file} is missing`);
  for (const file of present) assert.ok(file === 'package.json' || manifest.files.includes(file), `${file} is not listed`);
  const entry = manifest.exports['.'];
  for (const target of [entry.types, entry.node, entry.default, manifest.main, manifest.types]) {
    assert.ok(present.has(target.replace('./', '')), target);
  }
  assert.match(manifest.version, /^\d+\.\d+\.\d+/);
});

test('the browser entry refuses calls before init(), then works', async () => {
  assert.throws(
    () => browserEntry.validateReceipt('{}'),
    (e) => e instanceof browserEntry.OfdkitError && e.code === browserEntry.ErrorCode.INVALID_STATE && /init\(\)/.test(e.message),
  );
  await browserEntry.init(readFileSync(new URL('ofdkit_wasm_bg.wasm', pkg)));
  await browserEntry.init();
  assert.equal(browserEntry.vat('1000', 'vat20'), '166.67');
  assert.equal(browserEntry.version(), manifest.version);
});

test('no network code and no credentials in the package', () => {
  const code = ['index.js', 'node.js', 'api.js', 'bridge.js', 'generated.js', 'ofdkit_wasm.js']
    .map((f) => readFileSync(new URL(f, pkg), 'utf8'))
    .join('\n');
  // wasm-bindgen's loader fetches the .wasm file itself, and only that.
  const fetches = code.match(/fetch\(/g) ?? [];
  assert.ok(fetches.length <= 1, 'one fetch, of the module');
  for (const pattern of [/XMLHttpRequest/, /WebSocket/, /sendBeacon/, /EventSource/, /password/i, /login/i, /token/i]) {
    assert.doesNotMatch(code, pattern);
  }
  const wasm = readFileSync(new URL('ofdkit_wasm_bg.wasm', pkg)).toString('latin1');
  assert.doesNotMatch(wasm, /ferma-test|Go2999483Mb|fermatest/);
});
