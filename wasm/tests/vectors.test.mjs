// The shared vectors of tests/vectors/ (see its README), run through the
// package as a user calls it: every request vector as JSON text, and every
// vector written as a JSON value once more as a parsed object, must give
// exactly the violations the Rust core gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ofdkit from '../pkg/node.js';

const root = new URL('../../tests/vectors/', import.meta.url).pathname;

function collect(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      // peers/ holds other projects' raw requests, run by their own test.
      if (entry.isDirectory()) return entry.name === 'tools' || entry.name === 'peers' ? [] : collect(path);
      return entry.name.endsWith('.json') ? [path] : [];
    });
}

const validators = {
  'ferma.receipt_request': (input, v) => ofdkit.validateReceipt(input, v.operation),
  'ofd.application_request': (input, v) => ofdkit.validateApplication(input, v.check),
  'ofd.application_update': (input, v) => ofdkit.validateApplicationUpdate(input, v.check),
  'ofd.partner_registration': (input) => ofdkit.validatePartnerRegistration(input),
  'ofd.sign_request': (input) => ofdkit.validateSignRequest(input),
};

const verdict = (violations) =>
  violations.map((v) => `${v.severity} ${v.path} ${v.code}`).sort();

/** JSON equality as the vectors define it: numbers by value, objects as unordered maps. */
function jsonEqual(a, b) {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return a === b;
}

const vectors = collect(root)
  .map((path) => ({ path, name: path.slice(root.length), vector: JSON.parse(readFileSync(path, 'utf8')) }))
  .filter(({ vector }) => vector.kind in validators);

test('the shared vectors are found', () => {
  assert.ok(vectors.length >= 180, `only ${vectors.length} request vectors`);
});

for (const { name, vector } of vectors) {
  const validate = validators[vector.kind];
  const text = vector.input_text ?? JSON.stringify(vector.input);

  test(`${name}: as JSON text`, () => {
    if (vector.expect.json_error) {
      assert.throws(
        () => validate(text, vector),
        (e) =>
          e instanceof ofdkit.OfdkitError &&
          e.code === ofdkit.ErrorCode.INVALID_JSON &&
          e.line === vector.expect.json_error.line &&
          e.column === vector.expect.json_error.column,
      );
      return;
    }
    assert.deepEqual(verdict(validate(text, vector)), verdict(vector.expect.violations));
  });

  if ('input' in vector && vector.expect.violations) {
    test(`${name}: as a JS object`, () => {
      assert.deepEqual(verdict(validate(vector.input, vector)), verdict(vector.expect.violations));
    });
  }

  if (vector.expect.wire) {
    test(`${name}: normalised to its wire JSON`, () => {
      for (const input of [text, vector.input ?? text]) {
        const wire = JSON.parse(ofdkit.normalizeReceipt(input, vector.operation));
        assert.ok(jsonEqual(wire, vector.expect.wire), JSON.stringify(wire));
      }
    });
  }
}
