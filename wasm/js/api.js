// The package's functions. Each one converts its arguments, calls the
// WebAssembly module and returns what the core said; every rule is in the
// core. Money in results is text ("166.67"): a double could lose a kopeck.
import * as raw from './ofdkit_wasm.js';
import { OfdkitError, loaded, stage } from './bridge.js';
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

// `{ strict: true }` turns every warning into an error; anything else follows the spec.
const strict = (options) => options != null && options.strict === true;

export function validateReceipt(request, operation, options) {
  ensureLoaded();
  return raw.validateReceipt(stage(request, raw), operation, strict(options));
}

export function validateCorrection(request, operation, options) {
  ensureLoaded();
  return raw.validateCorrection(stage(request, raw), operation, strict(options));
}

export function validateApplication(application, check, options) {
  ensureLoaded();
  return raw.validateApplication(stage(application, raw), check, strict(options));
}

export function validateApplicationUpdate(update, check, options) {
  ensureLoaded();
  return raw.validateApplicationUpdate(stage(update, raw), check, strict(options));
}

export function validatePartnerRegistration(registration, options) {
  ensureLoaded();
  return raw.validatePartnerRegistration(stage(registration, raw), strict(options));
}

export function validateSignRequest(request, options) {
  ensureLoaded();
  return raw.validateSignRequest(stage(request, raw), strict(options));
}

export function normalizeReceipt(request, operation, options) {
  ensureLoaded();
  return raw.normalizeReceipt(stage(request, raw), operation, strict(options));
}

export function fillTotals(request, options) {
  ensureLoaded();
  const payRest = options != null && options.payRest != null ? Number(options.payRest) : undefined;
  return raw.fillTotals(stage(request, raw), payRest);
}

export function parseResponse(kind, body, httpStatus) {
  ensureLoaded();
  return raw.parseResponse(kind, body, httpStatus);
}

export function violationsToJson(violations) {
  ensureLoaded();
  return raw.violationsToJson(violations);
}

export function applicationState(stage, status) {
  ensureLoaded();
  return raw.applicationState(stage, status);
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
