// The package's functions as a JavaScript user meets them: money in and out
// as text, errors as OfdkitError objects with the core's codes, JS values
// that JSON cannot hold refused with their path, and no input that can
// break the module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as ofdkit from '../pkg/node.js';

const { ErrorCode, OfdkitError } = ofdkit;
const typical = () =>
  JSON.parse(readFileSync(new URL('../../tests/vectors/ferma/valid/typical_two_items.json', import.meta.url))).input;

/** Asserts that `run` throws an OfdkitError with `code`, and returns it. */
function throwsOfdkit(run, code) {
  let thrown;
  assert.throws(run, (e) => {
    thrown = e;
    return e instanceof OfdkitError && e instanceof Error && e.name === 'OfdkitError' && e.code === code;
  });
  assert.equal(ErrorCode[thrown.codeName], code);
  assert.ok(Array.isArray(thrown.violations));
  assert.match(thrown.stack, /OfdkitError/);
  return thrown;
}

test('VAT and item sums come back as text, to the kopeck', () => {
  assert.equal(ofdkit.vat('1000', 'vat20'), '166.67');
  assert.equal(ofdkit.vat(1000, 'vat120'), '166.67');
  assert.equal(ofdkit.vat('100', 'vat10'), '9.09');
  assert.equal(ofdkit.vat('100', 'vat22'), '18.03');
  assert.equal(ofdkit.vat('0.03', 'vat20'), '0.01');
  assert.equal(ofdkit.vat('300', 'none'), '0.00');
  assert.equal(ofdkit.itemSum('249.90', 3), '749.70');
  assert.equal(ofdkit.itemSum(0.1, '0.335'), '0.03');
  assert.equal(ofdkit.itemSum('42949672.95', 1), '42949672.95');
});

test('money that is not a kopeck amount is refused, never rounded', () => {
  const e = throwsOfdkit(() => ofdkit.vat(0.1 + 0.2, 'vat20'), ErrorCode.INVALID_ARGUMENT);
  assert.match(e.message, /0\.30000000000000004/);
  throwsOfdkit(() => ofdkit.vat('12,50', 'vat20'), ErrorCode.INVALID_ARGUMENT);
  throwsOfdkit(() => ofdkit.vat('-1', 'vat20'), ErrorCode.INVALID_ARGUMENT);
  throwsOfdkit(() => ofdkit.vat(NaN, 'vat20'), ErrorCode.INVALID_ARGUMENT);
  throwsOfdkit(() => ofdkit.vat('100', 'vat21'), ErrorCode.INVALID_ARGUMENT);
  throwsOfdkit(() => ofdkit.itemSum('42949672.95', 2), ErrorCode.INVALID_ARGUMENT);
});

test('a JS number inside a receipt is read by its shortest text, and the core judges it', () => {
  const receipt = typical();
  receipt.receipt.items[0].price = 0.1 + 0.2;
  receipt.receipt.items[1].quantity = 1.0001;
  const found = ofdkit.validateReceipt(receipt).map((v) => `${v.path} ${v.code}`);
  assert.ok(found.includes('receipt.items[0].price too_precise'), found.join('\n'));
  assert.ok(found.includes('receipt.items[1].quantity too_precise'), found.join('\n'));
  // Numbers JSON.stringify would write the same way give the same verdicts as text.
  receipt.receipt.items[0].price = 249.9;
  receipt.receipt.items[1].quantity = 1;
  assert.deepEqual(ofdkit.validateReceipt(receipt), []);
  receipt.receipt.total = '799.80';
  receipt.receipt.payments[0].sum = '799.8';
  assert.deepEqual(ofdkit.validateReceipt(receipt), []);
});

test('violations carry path, code, rule, severity and messages in English and Russian', () => {
  const receipt = typical();
  receipt.receipt.client.phone = '89001234567';
  receipt.receipt.total = 100;
  const violations = ofdkit.validateReceipt(receipt);
  const phone = violations.find((v) => v.path === 'receipt.client.phone');
  assert.deepEqual(Object.keys(phone), ['path', 'code', 'rule', 'severity', 'message', 'messageRu']);
  assert.equal(phone.code, 'bad_format');
  assert.equal(phone.rule, 'client_phone_format');
  assert.equal(phone.severity, 'warning');
  assert.match(phone.messageRu, /не в формате \+7 и 10 цифр/);
  const total = violations.find((v) => v.path === 'receipt.total');
  assert.equal(total.code, 'total_mismatch');
  assert.match(total.messageRu, /сумма позиций 799\.80/);
});

test('null and undefined members are absent, as in JSON', () => {
  const receipt = typical();
  receipt.receipt.cashier = undefined;
  receipt.receipt.client.email = null;
  assert.deepEqual(ofdkit.validateReceipt(receipt), []);
});

test('malformed JSON text throws INVALID_JSON with line and column', () => {
  const e = throwsOfdkit(() => ofdkit.validateReceipt('{\n  "external_id": ,\n}'), ErrorCode.INVALID_JSON);
  assert.equal(e.line, 2);
  assert.equal(e.column, 18);
  assert.deepEqual(e.violations, []);
  throwsOfdkit(() => ofdkit.validateApplication('[1, 2'), ErrorCode.INVALID_JSON);
});

test('values JSON cannot hold are refused with their path', () => {
  const cases = [
    [(r) => (r.receipt.items[1].price = NaN), 'receipt.items[1].price', /NaN/],
    [(r) => (r.receipt.total = Infinity), 'receipt.total', /inf/],
    [(r) => (r.timestamp = new Date()), 'timestamp', /Date/],
    [(r) => (r.receipt.payments[0].sum = 100n), 'receipt.payments[0].sum', /bigint/],
    [(r) => (r.receipt.client = new Map()), 'receipt.client', /Map/],
    [(r) => (r.service.callback_url = () => 1), 'service.callback_url', /function/],
    [(r) => (r.receipt.items[0]['odd key'] = Symbol('x')), 'receipt.items[0]["odd key"]', /symbol/],
  ];
  for (const [spoil, path, reason] of cases) {
    const receipt = typical();
    spoil(receipt);
    const e = throwsOfdkit(() => ofdkit.validateReceipt(receipt), ErrorCode.INVALID_ARGUMENT);
    assert.equal(e.path, path);
    assert.match(e.message, reason);
  }
});

test('a cyclic or absurdly deep value is refused, and the module keeps working', () => {
  const cyclic = typical();
  cyclic.receipt.client.self = cyclic;
  const e = throwsOfdkit(() => ofdkit.validateReceipt(cyclic), ErrorCode.INVALID_ARGUMENT);
  assert.match(e.message, /deeper than 128/);
  assert.ok(e.message.length < 400, e.message);
  let deep = [];
  for (let i = 0; i < 10000; i++) deep = [deep];
  throwsOfdkit(() => ofdkit.validateReceipt({ external_id: deep }), ErrorCode.INVALID_ARGUMENT);
  throwsOfdkit(() => ofdkit.validateReceipt('['.repeat(100000)), ErrorCode.INVALID_JSON);
  assert.deepEqual(ofdkit.validateReceipt(typical()), []);
});

test('normalizeReceipt writes the exact wire JSON, or throws INVALID_REQUEST with every violation', () => {
  const wire = ofdkit.normalizeReceipt(typical());
  assert.match(wire, /"price":249\.9,/);
  assert.match(wire, /"total":799\.8[,}]/);
  const correction = typical();
  correction.receipt.correction_info = { type: 'self', base_date: '20.11.2026' };
  const moved = JSON.parse(ofdkit.normalizeReceipt(correction, 'sell_correction'));
  assert.ok(moved.correction && !moved.receipt);
  const bad = typical();
  bad.receipt.company.inn = '1234567890';
  bad.receipt.total = 1;
  const e = throwsOfdkit(() => ofdkit.normalizeReceipt(bad), ErrorCode.INVALID_REQUEST);
  assert.deepEqual(e.violations.map((v) => v.path).sort(), ['receipt.company.inn', 'receipt.payments', 'receipt.total']);
  assert.match(e.message, /inn/);
});

test('fillTotals fills VAT sums, vats and total, money as text', () => {
  const receipt = typical();
  for (const item of receipt.receipt.items) delete item.vat.sum;
  delete receipt.receipt.vats;
  delete receipt.receipt.total;
  const filled = ofdkit.fillTotals(receipt);
  assert.equal(filled.total, '799.80');
  assert.deepEqual(filled.vats, [{ type: 'vat20', sum: '133.30' }]);
  assert.deepEqual(filled.items, [
    { sum: '499.80', vatSum: '83.30' },
    { sum: '300.00', vatSum: '50.00' },
  ]);
  assert.deepEqual(ofdkit.validateReceipt(filled.json), []);
  const unreadable = typical();
  unreadable.receipt.items[0].sum = 'много';
  const e = throwsOfdkit(() => ofdkit.fillTotals(unreadable), ErrorCode.INVALID_REQUEST);
  assert.equal(e.violations[0].path, 'receipt.items[0].sum');
});

test('corrections, registration requests and arguments', () => {
  const correction = { ...typical() };
  correction.correction = correction.receipt;
  delete correction.receipt;
  correction.correction.correction_info = { type: 'self', base_date: '20.11.2026' };
  assert.deepEqual(ofdkit.validateCorrection(correction), []);
  assert.deepEqual(ofdkit.validateCorrection(correction, 'buy_correction'), []);
  throwsOfdkit(() => ofdkit.validateCorrection(correction, 'sell'), ErrorCode.INVALID_ARGUMENT);
  throwsOfdkit(() => ofdkit.validateReceipt(typical(), 'sale'), ErrorCode.INVALID_ARGUMENT);
  const application = { ofdAgreementId: '555b55e5-a555-4e55-95d5-5fcbafd5fe55', purpose: 'InitialRegistration' };
  const draft = ofdkit.validateApplication(application);
  const complete = ofdkit.validateApplication(application, 'complete');
  assert.ok(draft.every((v) => v.severity === 'warning'));
  assert.ok(complete.some((v) => v.severity === 'error'));
  throwsOfdkit(() => ofdkit.validateApplication(application, 'final'), ErrorCode.INVALID_ARGUMENT);
  assert.ok(ofdkit.validateApplicationUpdate({ kktDetails: { FnNumber: '123' } }).some((v) => v.code === 'bad_format'));
  assert.ok(ofdkit.validatePartnerRegistration({}).some((v) => v.code === 'required'));
  assert.ok(ofdkit.validateSignRequest({ documentId: 'd', signature: '***' }).some((v) => v.path === 'signature'));
});

test('code tables come with the spec Russian descriptions', () => {
  const tables = ofdkit.codes.tables();
  assert.ok(tables.length >= 20);
  for (const table of tables) {
    const accessor = table.name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
    assert.deepEqual(ofdkit.codes[accessor](), table, accessor);
    for (const entry of table.entries) assert.match(entry.descriptionRu, /[а-яё]/i, `${table.name} ${entry.name}`);
  }
  const kilogram = ofdkit.codes.measure().entries.find((e) => e.name === 'Kilogram');
  assert.deepEqual(kilogram, { name: 'Kilogram', wire: '11', number: 11, tag: null, aliases: [], descriptionRu: 'Килограмм' });
  assert.equal(ofdkit.codes.table('vat_type').entries.find((e) => e.wire === 'vat20').tag, 1102);
  assert.equal(ofdkit.codes.lookup('payment_object', 'commodity').wire, '1');
  assert.equal(ofdkit.codes.lookup('payment_object', 1).name, 'Commodity');
  assert.equal(ofdkit.codes.lookup('measure', 'литр'), null);
  throwsOfdkit(() => ofdkit.codes.table('measures'), ErrorCode.INVALID_ARGUMENT);
});

test('the error codes are the core table', () => {
  assert.equal(ErrorCode.INVALID_JSON, 1001);
  assert.equal(ErrorCode.INVALID_REQUEST, 1002);
  assert.equal(ErrorCode.INVALID_ARGUMENT, 1003);
  assert.equal(new Set(Object.values(ErrorCode)).size, Object.keys(ErrorCode).length);
  assert.ok(Object.isFrozen(ErrorCode));
});

/** A small deterministic generator, so a failure can be replayed. */
function random(seed) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

test('no input breaks the module: every call returns violations or throws an OfdkitError', () => {
  const next = random(42);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const leaves = [null, undefined, true, 0, -0, 1e308, 5e-324, -1, 0.005, 2 ** 53 + 1, '', 'x', '+7', '1e400', '٣', '\u0000', '\ud800'];
  const keys = ['external_id', 'receipt', 'correction', 'items', 'price', 'sum', 'vat', 'type', 'client', 'phone', 'KktDetails', 'x'];
  const value = (depth) => {
    const r = next();
    if (depth > 5 || r < 0.4) return pick(leaves);
    if (r < 0.6) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(next() * 5) }, () => [pick(keys), value(depth + 1)]));
  };
  const texts = ['{', '{"a":1,}', '"\\ud800"', '[1e999999]', '{"receipt":{"items":[{"price":-0.0}]}}', '\ufeff{}', '{"a":"\\u00"}'];
  const calls = [
    (x) => ofdkit.validateReceipt(x),
    (x) => ofdkit.validateCorrection(x),
    (x) => ofdkit.validateApplication(x, 'secondary'),
    (x) => ofdkit.validateApplicationUpdate(x),
    (x) => ofdkit.validatePartnerRegistration(x),
    (x) => ofdkit.validateSignRequest(x),
    (x) => ofdkit.normalizeReceipt(x),
    (x) => ofdkit.fillTotals(x),
    (x) => ofdkit.vat(x, 'vat20'),
    (x) => ofdkit.itemSum(x, x),
    (x) => ofdkit.codes.lookup('measure', x),
  ];
  for (let i = 0; i < 3000; i++) {
    const input = i % 5 === 0 ? pick(texts) : i % 7 === 0 ? JSON.stringify(value(0)) ?? 'null' : value(0);
    for (const call of calls) {
      try {
        call(input);
      } catch (e) {
        assert.ok(e instanceof OfdkitError, `call ${call} on ${String(JSON.stringify(input))} threw ${e}`);
      }
    }
  }
  assert.deepEqual(ofdkit.validateReceipt(typical()), []);
});

test('severity follows the spec, each violation names its rule, and strict turns warnings into errors', () => {
  const receipt = typical();
  receipt.receipt.client.phone = '88002000600';
  const [phone] = ofdkit.validateReceipt(receipt, 'sell');
  assert.deepEqual([phone.path, phone.code, phone.rule, phone.severity], ['receipt.client.phone', 'bad_format', 'client_phone_format', 'warning']);
  assert.equal(ofdkit.validateReceipt(receipt, 'sell', { strict: true })[0].severity, 'error');
  assert.ok(ofdkit.normalizeReceipt(receipt, 'sell').length > 0);
  const e = throwsOfdkit(() => ofdkit.normalizeReceipt(receipt, 'sell', { strict: true }), ErrorCode.INVALID_REQUEST);
  assert.deepEqual(e.violations.map((v) => v.rule), ['client_phone_format']);
});

test('fillTotals pays the rest with payRest, keeping a discounted item sum', () => {
  const receipt = typical();
  delete receipt.receipt.payments;
  delete receipt.receipt.vats;
  delete receipt.receipt.total;
  receipt.receipt.items[0].sum = '449.82'; // 10 % off price × quantity
  throwsOfdkit(() => ofdkit.fillTotals(receipt), ErrorCode.INVALID_REQUEST);
  const filled = ofdkit.fillTotals(receipt, { payRest: 1 });
  assert.equal(filled.total, '749.82');
  assert.deepEqual(filled.payments, [{ type: 1, sum: '749.82' }]);
  assert.deepEqual(ofdkit.validateReceipt(filled.json, 'sell'), []);
  throwsOfdkit(() => ofdkit.fillTotals(receipt, { payRest: 42 }), ErrorCode.INVALID_ARGUMENT);
});

test('the application life cycle says what comes next', () => {
  const state = ofdkit.applicationState('Initialization', 'AwaitingSignature');
  assert.equal(state.nextStep, 'sign_documents');
  assert.equal(state.final, false);
  assert.ok(state.allowed.includes('sign'));
  assert.deepEqual(ofdkit.applicationState('Finalization', 'Approved').allowed, ['read']);
  throwsOfdkit(() => ofdkit.applicationState('Initialization', 'Sleeping'), ErrorCode.INVALID_ARGUMENT);
});

test('parseResponse gives the core\'s one JSON form, and violationsToJson the bytes of ofdkit validate --json', () => {
  const report = JSON.parse(readFileSync(new URL('../../tests/vectors/ferma/spec/report_done.json', import.meta.url))).input;
  const parsed = JSON.parse(ofdkit.parseResponse('report', JSON.stringify(report)));
  assert.equal(parsed.state, 'done');
  assert.equal(parsed.payload.total, '1598.00');
  assert.equal(parsed.payload.receipt_datetime, '2017-04-12T20:16:00');
  throwsOfdkit(() => ofdkit.parseResponse('receipt', '{}'), ErrorCode.INVALID_ARGUMENT);
  throwsOfdkit(() => ofdkit.parseResponse('token', '{}'), ErrorCode.INVALID_ARGUMENT);
  const receipt = typical();
  receipt.receipt.client.phone = '8900';
  const json = ofdkit.violationsToJson(ofdkit.validateReceipt(receipt));
  assert.deepEqual(Object.keys(JSON.parse(json)[0]), ['code', 'message', 'message_ru', 'path', 'rule', 'severity']);
});

test('a document over the limit is refused before it is read, as text or as an object', () => {
  assert.equal(ofdkit.maxInputBytes(), 4 * 1024 * 1024);
  const text = JSON.stringify(typical());
  const bytes = Buffer.byteLength(text);
  try {
    ofdkit.setMaxInputBytes(bytes - 1);
    const error = throwsOfdkit(() => ofdkit.validateReceipt(text), ErrorCode.INPUT_TOO_LARGE);
    assert.equal(error.code, 1005);
    assert.equal(error.line, undefined);
    throwsOfdkit(() => ofdkit.validateReceipt(typical()), ErrorCode.INPUT_TOO_LARGE);
    throwsOfdkit(() => ofdkit.normalizeReceipt(text), ErrorCode.INPUT_TOO_LARGE);
    ofdkit.setMaxInputBytes(bytes);
    assert.deepEqual(ofdkit.validateReceipt(text), []);
    assert.deepEqual(ofdkit.validateReceipt(typical()), []);
  } finally {
    ofdkit.setMaxInputBytes(0);
  }
  assert.equal(ofdkit.maxInputBytes(), 4 * 1024 * 1024);
  throwsOfdkit(() => ofdkit.validateReceipt(' '.repeat(4 * 1024 * 1024 + 1)), ErrorCode.INPUT_TOO_LARGE);
});

test('a byte order mark is skipped with a warning', () => {
  const [bom] = ofdkit.validateReceipt('\ufeff' + JSON.stringify(typical()));
  assert.deepEqual([bom.path, bom.code, bom.severity], ['', 'non_canonical', 'warning']);
});

test("bridge.js writes a double as the core's rule does (the cases of json::parse's test)", async () => {
  const { numberText } = await import('../pkg/bridge.js');
  const cases = [
    [0, '0'], [-0, '0'], [100, '100'], [249.9, '249.9'], [0.1 + 0.2, '0.30000000000000004'],
    [42949672.95, '42949672.95'], [1e20, '100000000000000000000'], [1e21, '1e21'], [1e-7, '1e-7'],
    [-5.5, '-5.5'], [Number.MAX_VALUE, '1.7976931348623157e308'], [0.00001, '1e-5'], [0.0001, '0.0001'],
  ];
  for (const [n, text] of cases) assert.equal(numberText(n), text, String(n));
});
