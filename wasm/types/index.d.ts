// The public API of the ofdkit package. The request structures are in
// models.d.ts; the code tables, violation codes and error codes in
// codes.d.ts, generated from the core at build time.

import type { ApplicationRequest, ApplicationUpdate, Money, PartnerRegistration, Quantity, ReceiptRequest, SignRequest } from './models.js';
import type { CodeEntry, CodeTable, ErrorCodeName, Operation, TableAccessors, TableName, VatType, ViolationCode } from './codes.js';

export * from './models.js';
export * from './codes.js';

/** One problem found in a request. */
export interface Violation {
  /** The JSON path of the field from the request's root: `receipt.items[2].vat.type`; `""` for the root. */
  path: string;
  /** A stable identifier of the kind of problem: match on it, never on messages. */
  code: ViolationCode;
  /** The id of the rule in the catalog (`client_phone_format`), explained in docs/rules.md. */
  rule: string;
  /** `error`: the request would be refused or the fiscal document wrong; `warning`: worth attention. */
  severity: 'error' | 'warning';
  /** Why, in English. */
  message: string;
  /** Why, in Russian: show it next to the field. */
  messageRu: string;
}

/** How complete a registration application must be. */
export type ApplicationCheck = 'draft' | 'complete' | 'secondary';

/**
 * Every error ofdkit throws. `code` is a number of the core's table
 * ({@link ErrorCode}): `INVALID_JSON` (1001) for malformed JSON text, with
 * `line` and `column`; `INVALID_REQUEST` (1002) for a request that breaks
 * the API's rules where a valid one is needed, with every `violation`;
 * `INVALID_ARGUMENT` (1003) for an argument that cannot be used (an unknown
 * operation, `NaN`, a `Date`, money that is not a kopeck amount), with
 * `path` when the bad value sits inside a request; `INVALID_STATE` (1004)
 * when called before `init()` has finished; `INPUT_TOO_LARGE` (1005) for a
 * document over {@link maxInputBytes}.
 */
export declare class OfdkitError extends Error {
  name: 'OfdkitError';
  code: number;
  codeName: ErrorCodeName;
  /** For `INVALID_REQUEST`: every violation, errors and warnings. Empty otherwise. */
  violations: Violation[];
  /** For `INVALID_JSON`: where, 1-based, the column counted in characters. */
  line?: number;
  column?: number;
  /** For `INVALID_ARGUMENT` inside a request: the path of the value with no JSON form. */
  path?: string;
  constructor(message: string, code: number, codeName: ErrorCodeName, violations: Violation[], details?: object);
}

/** What {@link fillTotals} returns: the request and the computed money, as text. */
export interface FilledTotals {
  /** The whole request as the exact wire JSON, VAT sums, `vats` and `total` filled. */
  json: string;
  /** The receipt's total, such as `"799.80"`. */
  total: string;
  /** One entry per rate, in order of first use. */
  vats: { type: VatType; sum: string }[];
  /** Each item's sum and its VAT sum (`null` for `none`). */
  items: { sum: string; vatSum: string | null }[];
  /** The payments, with the one `payRest` added. */
  payments: { type: number; sum: string }[];
}

/** Options of the validating functions. */
export interface ValidateOptions {
  /** Treat every warning as an error (the default follows the spec: only errors stop a request). */
  strict?: boolean;
}

/** Options of {@link fillTotals}. */
export interface FillTotalsOptions {
  /** A payment type (`1` electronic, `0` cash, …): pay what the payments leave unpaid with it; `payments` may then be absent. */
  payRest?: number;
}

/** What an application's stage and status mean (figure 1 of the registration spec). */
export interface ApplicationStateSummary {
  stage: string;
  status: string;
  /** Nothing more will happen: approved, rejected or failed. */
  final: boolean;
  nextStep: 'prepare_documents' | 'sign_documents' | 'wait' | 'send_secondary_request' | 'done' | 'failed';
  advice: string;
  adviceRu: string;
  /** The requests allowed now. */
  allowed: ('update' | 'prepare_documents' | 'sign' | 'read')[];
}

/**
 * Loads the WebAssembly module; call once and await it before anything else
 * in a browser (in Node the module is loaded on import and this resolves at
 * once). `source` is optional: where `ofdkit_wasm_bg.wasm` is (a string or
 * `URL`; by default next to the package's JS), its bytes, a `Response` (or a
 * promise of one) or a `WebAssembly.Module`.
 */
export function init(source?: string | ArrayBuffer | ArrayBufferView | object): Promise<void>;

/**
 * Every violation of a receipt request sent as `operation` (default
 * `"sell"`): an empty array for a perfect one. `request` is an object or
 * JSON text. Throws only for malformed JSON text (`INVALID_JSON`) or a value
 * JSON cannot hold (`INVALID_ARGUMENT`), never for an invalid request.
 */
export function validateReceipt(request: ReceiptRequest | string, operation?: Operation, options?: ValidateOptions): Violation[];

/** As {@link validateReceipt} for a correction; `operation` is one of the four `*_correction` (default `"sell_correction"`). */
export function validateCorrection(request: ReceiptRequest | string, operation?: Operation, options?: ValidateOptions): Violation[];

/**
 * Every violation of a registration application. `check`: `"draft"`
 * (default; what §2.5.1 still needs comes as warnings), `"complete"`
 * (before documents are prepared) or `"secondary"` (with the registration
 * report's data).
 */
export function validateApplication(application: ApplicationRequest | string, check?: ApplicationCheck, options?: ValidateOptions): Violation[];

/** Every violation of an application update (only what changes). */
export function validateApplicationUpdate(update: ApplicationUpdate | string, check?: ApplicationCheck, options?: ValidateOptions): Violation[];

/** Every violation of a partner's registration of a new client. */
export function validatePartnerRegistration(registration: PartnerRegistration | string, options?: ValidateOptions): Violation[];

/** Every violation of a document signature request. */
export function validateSignRequest(request: SignRequest | string, options?: ValidateOptions): Violation[];

/**
 * The request as the exact JSON text Ferma expects for `operation`
 * (default `"sell"`): the document under the operation's member, codes and
 * money canonical, unknown members kept. Throws `INVALID_REQUEST` with the
 * violations when any violation is an error.
 */
export function normalizeReceipt(request: ReceiptRequest | string, operation?: Operation, options?: ValidateOptions): string;

/**
 * Fills each item's VAT sum, the receipt's `vats` and `total` from the item
 * sums and rates (VAT rounded half-up to the kopeck); item sums are kept as
 * given. Throws `INVALID_REQUEST` when the request cannot be read at all
 * (its rules are not checked here: validate the result).
 */
export function fillTotals(request: ReceiptRequest | string, options?: FillTotalsOptions): FilledTotals;

/** What an application's stage and status (`"Initialization"`, `"AwaitingSignature"`) mean: the next step, whether it is final, the requests allowed now. */
export function applicationState(stage: string, status: string): ApplicationStateSummary;

/**
 * Reads an answer of either API (`"create"`, `"report"`, `"callback"`, `"cashbox_stats"`,
 * `"application"`, `"application_list"`, `"partner"`) into ofdkit's one JSON form (money as text, times
 * in ISO 8601): the same text the C library and Python give. Throws the API's error as an `OfdkitError`.
 * The authorisation answer is not read here: this package never handles credentials.
 */
export function parseResponse(kind: string, body: string, httpStatus?: number): string;

/** Violations as ofdkit's one JSON text: byte for byte what `ofdkit validate --json` prints. */
export function violationsToJson(violations: Violation[]): string;

/** The VAT included in `sum` at `rate`, rounded half-up, as text: `vat("1000", "vat20")` is `"166.67"`. */
export function vat(sum: Money, rate: VatType): string;

/** price × quantity rounded half-up to the kopeck, as text: `itemSum("249.90", 3)` is `"749.70"`. */
export function itemSum(price: Money, quantity: Quantity): string;

/** The version of ofdkit the module was built from. */
export function version(): string;

/**
 * Sets the largest document read, in bytes of JSON (0 restores the default,
 * 4 MiB, 4194304): larger JSON text, or an object whose JSON would be larger,
 * throws `INPUT_TOO_LARGE` (1005) before anything is checked.
 */
export function setMaxInputBytes(maxBytes: number): void;

/** The largest document read, in bytes of JSON. */
export function maxInputBytes(): number;

/** The code tables of both specs with the spec's Russian descriptions. */
export declare const codes: TableAccessors & {
  /** Every table. */
  tables(): CodeTable[];
  /** The table called `name`; throws `INVALID_ARGUMENT` for an unknown name. */
  table(name: TableName): CodeTable;
  /** The entry for any accepted spelling of a value (wire form, alias, number), or `null`. */
  lookup(table: TableName, value: string | number): CodeEntry | null;
};
