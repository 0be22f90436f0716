// The browser (and bundler) entry point: `await init()` once, then call
// anything. The module is fetched next to this file unless told otherwise.
import initWasm from './ofdkit_wasm.js';
import { loaded } from './bridge.js';

export * from './api.js';

let loading;

/**
 * Loads the WebAssembly module. `source` is optional: a URL or path of
 * `ofdkit_wasm_bg.wasm`, a `Response`, bytes or a `WebAssembly.Module`.
 */
export function init(source) {
  loading ??= initWasm(source === undefined ? undefined : { module_or_path: source }).then((exports) => {
    loaded.memory = exports.memory;
    loaded.ready = true;
  });
  return loading;
}
