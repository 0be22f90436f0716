// The package's functions. Each one converts its arguments, calls the
// WebAssembly module and returns what the core said; every rule is in the
// core. Money in results is text ("166.67"): a double could lose a kopeck.
import * as raw from './ofdkit_wasm.js';
import { OfdkitError, loaded } from './bridge.js';
import { ErrorCode, TABLE_NAMES } from './generated.js';

export { OfdkitError, ErrorCode };

function ensureLoaded() {
  if (!loaded.ready) {
    throw new OfdkitError(
      'ofdkit is not loaded yet: in a browser, `await init()` before calling it',
      ErrorCode.INVALID_STATE,
      'INVALID_STATE',
      [],
    );
  }
}

export function validateReceipt(request, operation) {
  ensureLoaded();
  return raw.validateReceipt(request, operation);
}

export function validateCorrection(request, operation) {
  ensureLoaded();
  return raw.validateCorrection(request, operation);
}

export function validateApplication(application, check) {
  ensureLoaded();
  return raw.validateApplication(application, check);
}

export function validateApplicationUpdate(update, check) {
  ensureLoaded();
  return raw.validateApplicationUpdate(update, check);
}

export function validatePartnerRegistration(registration) {
  ensureLoaded();
  return raw.validatePartnerRegistration(registration);
}

export function validateSignRequest(request) {
  ensureLoaded();
  return raw.validateSignRequest(request);
}

export function normalizeReceipt(request, operation) {
  ensureLoaded();
  return raw.normalizeReceipt(request, operation);
}

export function fillTotals(request) {
  ensureLoaded();
  return raw.fillTotals(request);
}

export function vat(sum, rate) {
  ensureLoaded();
  return raw.vat(sum, rate);
}

export function itemSum(price, quantity) {
  ensureLoaded();
  return raw.itemSum(price, quantity);
}

export function version() {
  ensureLoaded();
  return raw.version();
}

export function setMaxInputBytes(maxBytes) {
  ensureLoaded();
  raw.setMaxInputBytes(maxBytes);
}

export function maxInputBytes() {
  ensureLoaded();
  return raw.maxInputBytes();
}

const camelCase = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

/** The code tables: `codes.measure()`, `codes.table("vat_type")`, `codes.tables()`, `codes.lookup(…)`. */
export const codes = Object.freeze({
  tables() {
    ensureLoaded();
    return raw.codeTables();
  },
  table(name) {
    ensureLoaded();
    return raw.codeTable(name);
  },
  lookup(table, value) {
    ensureLoaded();
    return raw.codeLookup(table, value);
  },
  ...Object.fromEntries(
    TABLE_NAMES.map((name) => [
      camelCase(name),
      () => {
        ensureLoaded();
        return raw.codeTable(name);
      },
    ]),
  ),
});
