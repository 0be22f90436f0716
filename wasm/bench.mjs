// Size and speed of the package (a benchmark, not a test), beside two
// anchors in the same run: zod's safeParse of the receipt as an object, and
// ajv's compiled JSON Schema after JSON.parse of the text. Both schemas are
// written here by hand (types, the code tables as enums, lengths and
// patterns; no money bounds or totals), so they check less than ofdkit does.
// Targets: the gzipped .wasm within 250 KB; validateReceipt(object) at most
// zod's time; validateReceipt(text) within 2× JSON.parse + ajv.
//   node wasm/bench.mjs [iterations]     (after wasm/build.sh)
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import Ajv from 'ajv';
import { z } from 'zod';
import * as ofdkit from './pkg/node.js';

const iterations = Number(process.argv[2] ?? 20000);
const wasm = readFileSync(new URL('./pkg/ofdkit_wasm_bg.wasm', import.meta.url));
const gzipped = gzipSync(wasm, { level: 9 }).length;
const vector = JSON.parse(
  readFileSync(new URL('../tests/vectors/ferma/valid/typical_two_items.json', import.meta.url), 'utf8'),
);
const receipt = vector.input;
const text = JSON.stringify(receipt);

const vatTypes = ['none', 'vat0', 'vat10', 'vat20', 'vat110', 'vat120', 'vat5', 'vat7', 'vat105', 'vat107', 'vat22', 'vat122'];
const snos = ['osn', 'usn_income', 'usn_income_outcome', 'envd', 'esn', 'patent'];
const paymentMethods = ['full_prepayment', 'prepayment', 'advance', 'full_payment', 'partial_payment', 'credit', 'credit_payment'];
const paymentObjects = [...Array(27).keys()].map((i) => i + 1).concat([30, 31, 32, 33]);
const measures = [0, 10, 11, 12, 20, 21, 22, 30, 31, 32, 40, 41, 42, 50, 51, 70, 71, 72, 73, 80, 81, 82, 83, 255];

const money = { type: 'number', minimum: 0, maximum: 42949672.95 };
const object = (properties, required) => ({ type: 'object', properties, required, additionalProperties: false });
const schema = object(
  {
    timestamp: { type: 'string' },
    external_id: { type: 'string', minLength: 1, maxLength: 64 },
    service: object({ callback_url: { type: 'string', maxLength: 256 } }, []),
    receipt: object(
      {
        client: object({ email: { type: 'string', maxLength: 64, pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' }, phone: { type: 'string', pattern: '^\\+7\\d{10}$' } }, []),
        company: object({ email: { type: 'string' }, sno: { enum: snos }, inn: { type: 'string', pattern: '^(\\d{10}|\\d{12})$' }, payment_address: { type: 'string', maxLength: 256 } }, ['sno', 'inn', 'payment_address']),
        items: {
          type: 'array',
          minItems: 1,
          items: object(
            {
              name: { type: 'string', minLength: 1, maxLength: 128 },
              price: money,
              quantity: { type: 'number', exclusiveMinimum: 0, maximum: 99999.999 },
              sum: money,
              measure: { enum: measures },
              payment_method: { enum: paymentMethods },
              payment_object: { enum: paymentObjects },
              vat: object({ type: { enum: vatTypes }, sum: money }, ['type']),
            },
            ['name', 'price', 'quantity', 'sum', 'payment_object', 'vat'],
          ),
        },
        payments: { type: 'array', minItems: 1, maxItems: 10, items: object({ type: { type: 'integer', minimum: 0, maximum: 9 }, sum: money }, ['type', 'sum']) },
        vats: { type: 'array', items: object({ type: { enum: vatTypes }, sum: money }, ['type', 'sum']) },
        total: money,
        cashier: { type: 'string', maxLength: 64 },
      },
      ['company', 'items', 'payments'],
    ),
  },
  ['external_id', 'receipt'],
);
const ajvValidate = new Ajv({ allErrors: true }).compile(schema);

const zMoney = z.number().min(0).max(42949672.95);
const zReceipt = z
  .object({
    timestamp: z.string().optional(),
    external_id: z.string().min(1).max(64),
    service: z.object({ callback_url: z.string().max(256).optional() }).strict().optional(),
    receipt: z
      .object({
        client: z.object({ email: z.string().max(64).regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/).optional(), phone: z.string().regex(/^\+7\d{10}$/).optional() }).strict().optional(),
        company: z.object({ email: z.string().optional(), sno: z.enum(snos), inn: z.string().regex(/^(\d{10}|\d{12})$/), payment_address: z.string().max(256) }).strict(),
        items: z
          .array(
            z
              .object({
                name: z.string().min(1).max(128),
                price: zMoney,
                quantity: z.number().gt(0).max(99999.999),
                sum: zMoney,
                measure: z.number().refine((m) => measures.includes(m)).optional(),
                payment_method: z.enum(paymentMethods).optional(),
                payment_object: z.number().refine((p) => paymentObjects.includes(p)),
                vat: z.object({ type: z.enum(vatTypes), sum: zMoney.optional() }).strict(),
              })
              .strict(),
          )
          .min(1),
        payments: z.array(z.object({ type: z.number().int().min(0).max(9), sum: zMoney }).strict()).min(1).max(10),
        vats: z.array(z.object({ type: z.enum(vatTypes), sum: zMoney }).strict()).optional(),
        total: zMoney.optional(),
        cashier: z.string().max(64).optional(),
      })
      .strict(),
  })
  .strict();

/** Microseconds per call of each run: rounds alternate between them (the
 * machine is shared), and each keeps its best round. */
function microseconds(runs) {
  for (const run of runs) for (let i = 0; i < 2000; i++) run();
  const best = runs.map(() => Infinity);
  for (let round = 0; round < 7; round++) {
    runs.forEach((run, k) => {
      const start = performance.now();
      for (let i = 0; i < iterations; i++) run();
      best[k] = Math.min(best[k], ((performance.now() - start) * 1000) / iterations);
    });
  }
  return best;
}

if (ofdkit.validateReceipt(receipt).length !== 0) throw new Error('the typical receipt should be valid');
if (!zReceipt.safeParse(receipt).success) throw new Error('zod should accept the typical receipt');
if (!ajvValidate(JSON.parse(text))) throw new Error(`ajv should accept the typical receipt: ${JSON.stringify(ajvValidate.errors)}`);

const [asObject, asText, zod, ajv] = microseconds([
  () => ofdkit.validateReceipt(receipt),
  () => ofdkit.validateReceipt(text),
  () => zReceipt.safeParse(receipt),
  () => ajvValidate(JSON.parse(text)),
]);
const kb = (bytes) => (bytes / 1024).toFixed(1);
const verdict = (ok) => (ok ? 'ok' : 'OVER');
console.log(`wasm: ${kb(wasm.length)} KiB, gzipped ${kb(gzipped)} KiB (budget 250 KB: ${verdict(gzipped <= 250_000)})`);
console.log('typical receipt (2 items):');
console.log(`  validateReceipt(object) ${asObject.toFixed(1)} µs; zod safeParse ${zod.toFixed(1)} µs: ${(asObject / zod).toFixed(2)}× (target ≤ 1.00×: ${verdict(asObject <= zod)})`);
console.log(`  validateReceipt(text)   ${asText.toFixed(1)} µs; JSON.parse + ajv ${ajv.toFixed(1)} µs: ${(asText / ajv).toFixed(2)}× (target ≤ 2.00×: ${verdict(asText <= 2 * ajv)})`);
