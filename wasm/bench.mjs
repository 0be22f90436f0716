// Size and speed of the package (a benchmark, not a test): the gzipped
// .wasm against its 250 KB budget, and validating a typical receipt in
// Node after warm-up against 50 µs, given as a JS object and as JSON text.
//   node wasm/bench.mjs [iterations]     (after wasm/build.sh)
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import * as ofdkit from './pkg/node.js';

const iterations = Number(process.argv[2] ?? 20000);
const wasm = readFileSync(new URL('./pkg/ofdkit_wasm_bg.wasm', import.meta.url));
const gzipped = gzipSync(wasm, { level: 9 }).length;
const vector = JSON.parse(
  readFileSync(new URL('../tests/vectors/ferma/valid/typical_two_items.json', import.meta.url), 'utf8'),
);
const receipt = vector.input;
const text = JSON.stringify(receipt);

function microseconds(run) {
  for (let i = 0; i < 2000; i++) run();
  // The best of several rounds: the machine is shared, and the minimum is
  // the cost of the call itself.
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) run();
    best = Math.min(best, ((performance.now() - start) * 1000) / iterations);
  }
  return best;
}

if (ofdkit.validateReceipt(receipt).length !== 0) throw new Error('the typical receipt should be valid');
const asObject = microseconds(() => ofdkit.validateReceipt(receipt));
const asText = microseconds(() => ofdkit.validateReceipt(text));
const kb = (bytes) => (bytes / 1024).toFixed(1);
console.log(`wasm: ${kb(wasm.length)} KiB, gzipped ${kb(gzipped)} KiB (budget 250 KB: ${gzipped <= 250_000 ? 'ok' : 'OVER'})`);
console.log(`validateReceipt, typical receipt (2 items), as an object: ${asObject.toFixed(1)} µs (budget 50 µs: ${asObject < 50 ? 'ok' : 'OVER'})`);
console.log(`validateReceipt, typical receipt (2 items), as JSON text: ${asText.toFixed(1)} µs`);
