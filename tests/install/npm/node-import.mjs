// Run inside a fresh project after `npm install dist/ofdkit-VERSION.tgz`:
// the package imports as an ES module in Node (through its "node" export,
// which loads the .wasm on import) and gives the core's verdicts.
//   node node-import.mjs VERSION
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { validateReceipt, vat, version, codes, OfdkitError, ErrorCode, normalizeReceipt } from 'ofdkit';

const expected = process.argv[2];
assert.equal(version(), expected);
const resolved = fileURLToPath(import.meta.resolve('ofdkit'));
assert.match(resolved, /\/node_modules\/ofdkit\/node\.js$/, `Node resolved ofdkit to ${resolved}`);

assert.equal(vat('1000', 'vat20'), '166.67');
assert.equal(codes.lookup('payment_object', 'commodity')?.wire, '1');

const receipt = {
  external_id: '17',
  receipt: {
    company: { sno: 'osn', inn: '1234567891', payment_address: 'shop' },
    items: [{
      name: 'Tea', price: 100, quantity: 1, sum: 100, measure: 0,
      payment_method: 'full_payment', payment_object: 'commodity', vat: { type: 'vat20', sum: '16.67' },
    }],
    payments: [{ type: 1, sum: 100 }],
    total: 100,
  },
};
const violations = validateReceipt(receipt, 'sell');
assert.ok(
  violations.some((v) => v.path === 'receipt.company.inn' && v.code === 'inn_checksum' && v.severity === 'error'),
  JSON.stringify(violations),
);
assert.throws(() => normalizeReceipt(receipt, 'sell'), (e) => e instanceof OfdkitError && e.code === ErrorCode.INVALID_REQUEST);
console.log(`ofdkit ${version()} imported in Node ${process.version} from ${resolved}`);
