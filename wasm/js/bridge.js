// Imported by the WebAssembly module (and by api.js), so that errors it
// throws are instances of the same OfdkitError class users import.

/** A failure of ofdkit: `code` is a number of the core's error table. */
export class OfdkitError extends Error {
  constructor(message, code, codeName, violations, details) {
    super(message);
    this.name = 'OfdkitError';
    this.code = code;
    this.codeName = codeName;
    this.violations = violations;
    if (details) Object.assign(this, details);
  }
}

export function makeError(code, codeName, message, violations, line, column, path) {
  const details = {};
  if (line !== undefined) details.line = line;
  if (column !== undefined) details.column = column;
  if (path !== undefined) details.path = path;
  return new OfdkitError(message, code, codeName, violations, details);
}

export function makeViolation(path, code, rule, severity, message, messageRu) {
  return { path, code, rule, severity, message, messageRu };
}

// The numbers convert.rs matches on.
export function kindOf(value) {
  switch (typeof value) {
    case 'string':
      return 4;
    case 'number':
      return 3;
    case 'boolean':
      return value ? 2 : 1;
    case 'undefined':
      return 0;
    case 'object':
      if (value === null) return 0;
      if (Array.isArray(value)) return 5;
      // Plain objects and instances of user classes; not Date, Map, typed
      // arrays or anything with toJSON, whose keys are not their content.
      if (Object.prototype.toString.call(value) === '[object Object]' && typeof value.toJSON !== 'function') return 6;
      return 7;
    default:
      return 7;
  }
}

// Set by the entry point once the WebAssembly module is instantiated.
export const loaded = { ready: false };
