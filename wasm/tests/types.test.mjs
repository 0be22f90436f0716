// The package's TypeScript types: models.d.ts is generated from the JSON
// Schemas (scripts/generate; `ofdkit-codegen check` fails when it drifts,
// and the schema agreement test holds the schemas to the core), so what is
// tested here is that real code using the types compiles under
// `tsc --strict` — with the valid vectors typed as their structures — and
// that mistakes the types must refuse do not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = new URL('../../', import.meta.url).pathname;
const pkg = join(repo, 'wasm/pkg');

function collect(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? collect(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : [],
  );
}

test('code using the types compiles under tsc --strict, and mistakes do not', () => {
  const typeOf = {
    'ferma.receipt_request': 'ReceiptRequest',
    'ofd.application_request': 'ApplicationRequest',
    'ofd.application_update': 'ApplicationUpdate',
    'ofd.partner_registration': 'PartnerRegistration',
    'ofd.sign_request': 'SignRequest',
  };
  const valid = ['ferma/valid', 'ofd/valid']
    .flatMap((dir) => collect(join(repo, 'tests/vectors', dir)))
    .map((path) => JSON.parse(readFileSync(path, 'utf8')))
    .filter((v) => v.input && typeOf[v.kind]);
  assert.ok(valid.length >= 15);
  const typed = valid.map((v, i) => `const vector${i}: ${typeOf[v.kind]} = ${JSON.stringify(v.input, null, 1)};`);
  const source = `
import {
  codes, ErrorCode, fillTotals, init, itemSum, normalizeReceipt, OfdkitError, validateApplication,
  validateReceipt, vat,
  type ApplicationRequest, type ApplicationUpdate, type CodeEntry, type Item, type PartnerRegistration,
  type Payment, type ReceiptRequest, type SignRequest, type Violation,
} from 'ofdkit';

${typed.join('\n')}

await init();
const violations: Violation[] = validateReceipt(vector0, 'sell_refund');
const paths: string[] = violations.filter((v) => v.severity === 'error').map((v) => v.path + v.messageRu);
const wire: string = normalizeReceipt(vector0);
const filled = fillTotals(vector0);
const total: string = filled.total;
const vatSum: string | null = filled.items[0].vatSum;
const measure: CodeEntry = codes.measure().entries[0];
const kilogram: CodeEntry | null = codes.lookup('measure', 11);
const invalidRequest: 1002 = ErrorCode.INVALID_REQUEST;
const item: Item = {
  name: 'Чай', price: '249.90', quantity: 2, sum: itemSum('249.90', 2), measure: 0,
  payment_method: 'full_payment', payment_object: 'commodity', vat: { type: 'vat20', sum: vat('499.80', 'vat20') },
};
validateApplication({ ofdAgreementId: '555b55e5-a555-4e55-95d5-5fcbafd5fe55', purpose: 'InitialRegistration' }, 'complete');
try {
  normalizeReceipt('{}');
} catch (e) {
  if (e instanceof OfdkitError && e.code === ErrorCode.INVALID_REQUEST) {
    const first: Violation | undefined = e.violations[0];
  }
}

const company = { sno: 'osn', inn: '7825706086', payment_address: 'https://shop.example.ru' } as const;
const payments: Payment[] = [{ type: 1, sum: '499.80' }];
// @ts-expect-error a misspelled member
const misspelled: ReceiptRequest = { external_id: '1', receipt: { company, items: [item], payments, totl: '499.80' } };
// @ts-expect-error a request carries one document, not both
const both: ReceiptRequest = { external_id: '1', receipt: { company, items: [item], payments }, correction: { company, items: [item], payments } };
// @ts-expect-error external_id is required
const noId: ReceiptRequest = { receipt: { company, items: [item], payments } };
// @ts-expect-error money is a string or a number
const boolMoney: Payment = { type: 1, sum: true };
// @ts-expect-error not a VAT rate
vat('100', 'vat21');
// @ts-expect-error not an operation
validateReceipt(vector0, 'sale');
// @ts-expect-error not a measure
const badMeasure: Item = { ...item, measure: 12345 };
// @ts-expect-error not a table
codes.table('measures');
// @ts-expect-error measure is required (rule measure_required)
const noMeasure: Item = { name: 'x', price: 1, quantity: 1, sum: 1, payment_object: 1, vat: { type: 'vat20' } };
// @ts-expect-error a correction carries its correction_info
const noInfo: ReceiptRequest = { external_id: '1', correction: { company, items: [item], payments, total: '499.80' } };
const corrected: ReceiptRequest = {
  external_id: '1',
  correction: { company, items: [item], payments, total: '499.80', correction_info: { type: 'self', base_date: '24.11.2026' } },
};
const spelledAsInSection21: ApplicationRequest = { OfdAgreementId: '555b55e5-a555-4e55-95d5-5fcbafd5fe55', purpose: 'InitialRegistration' };
// @ts-expect-error one spelling of a member, not two
const twoSpellings: ApplicationRequest = { ofdAgreementId: 'a', OfdAgreementId: 'a', purpose: 'InitialRegistration' };
export {
  paths, wire, total, vatSum, measure, kilogram, invalidRequest, misspelled, both, noId, boolMoney, badMeasure,
  noMeasure, noInfo, corrected, spelledAsInSection21, twoSpellings,
};
`;
  const dir = mkdtempSync(join(tmpdir(), 'ofdkit-types-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(pkg, join(dir, 'node_modules', 'ofdkit'));
    writeFileSync(join(dir, 'check.mts'), source);
    // No DOM and no @types/node: the package's types must stand alone.
    const compilerOptions = { noEmit: true, strict: true, target: 'es2022', module: 'nodenext', lib: ['es2022'], types: [] };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['check.mts'] }));
    try {
      execFileSync(join(repo, 'wasm/node_modules/.bin/tsc'), ['-p', dir], { cwd: dir, encoding: 'utf8' });
    } catch (e) {
      assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
