// The Node entry point: the module is loaded synchronously on import, so
// every function works at once; init() exists so code runs unchanged in
// browsers.
import { readFileSync } from 'node:fs';
import { initSync } from './ofdkit_wasm.js';
import { loaded } from './bridge.js';

export * from './api.js';

loaded.memory = initSync({ module: readFileSync(new URL('./ofdkit_wasm_bg.wasm', import.meta.url)) }).memory;
loaded.ready = true;

export function init() {
  return Promise.resolve();
}
