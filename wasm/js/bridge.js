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

// Set by the entry point once the WebAssembly module is instantiated, with
// the module's memory, where `stage` writes.
export const loaded = { ready: false, memory: null };

const encoder = new TextEncoder();

// UTF-8 bytes of a string, a lone surrogate counted as the U+FFFD it becomes.
function utf8Length(text) {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit < 0xdc00 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

// A document argument (JSON text, or a value walked into it by toJson)
// written as UTF-8 into the module's staging area (convert.rs) in one native
// copy; returns the bytes written, which the module's function is called
// with, or the refusal it turns into the error: `{ reason, path }`, or
// `{ tooLarge }` (text longer than `max` UTF-16 units is more bytes than
// `max`: counted, never copied).
export function stage(value, raw) {
  const max = raw.maxInputBytes();
  const text = typeof value === 'string' ? value : toJson(value, max);
  if (typeof text !== 'string') return text;
  if (text.length > max) return { tooLarge: utf8Length(text) };
  // At most three bytes of UTF-8 per UTF-16 unit.
  const capacity = text.length * 3;
  const at = raw.stagingArea(capacity);
  return encoder.encodeInto(text, new Uint8Array(loaded.memory.buffer, at, capacity)).written;
}

// What a finite double is as JSON, by the core's rule (ofdkit::json::Number::
// from_f64, the same in every binding): whole numbers below 1e21 in full,
// others by their shortest round-trip digits, with an exponent below 1e-4
// and from 1e16 on (written 1e21, not 1e+21). -0 is 0. The wasm tests hold
// this to the core's own text for many values.
export function numberText(n) {
  const a = Math.abs(n);
  if (Number.isInteger(n) && a < 1e21) return String(n);
  if (a >= 1e-4 && a < 1e16) return String(n);
  return n.toExponential().replace('e+', 'e');
}

const MAX_DEPTH = 128;
const RUST_FLOAT = (n) => (Number.isNaN(n) ? 'NaN' : n > 0 ? 'inf' : '-inf');

function describe(value) {
  const type = typeof value;
  if (type !== 'object') return type;
  const name = value.constructor?.name;
  return typeof name === 'string' && name ? name : 'object';
}

// A JS value as JSON text, walked here in one call instead of one call into
// JavaScript per value from the module (convert.rs). The same refusals as
// convert.rs describes: a value JSON cannot carry comes back as
// `{ reason, path }` (path: member names and indices from the root), text
// passing `max` UTF-16 units (so more bytes) as `{ tooLarge: true }`.
// Why toJson stops: `reason` null for text over the limit. This and the
// helpers below are made once: built on every call, they cost about a tenth
// of validating an object, counting the garbage they left.
class Refusal {
  constructor(reason) {
    this.reason = reason;
  }
}

// A lone surrogate reaches the module as U+FFFD, as a string argument does.
const wellFormed =
  typeof ''.isWellFormed === 'function'
    ? (s) => (s.isWellFormed() ? s : s.toWellFormed())
    : (s) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
const wellFormedText = (s) => (typeof s.isWellFormed === 'function' ? s.isWellFormed() : !/[\ud800-\udfff]/.test(s));

export function toJson(root, max) {
  const path = [];
  let length = 0;
  function walk(value, depth) {
    if (length > max) throw new Refusal(null);
    switch (kindOf(value)) {
      case 0:
        return 'null';
      case 1:
        return 'false';
      case 2:
        return 'true';
      case 3:
        if (!Number.isFinite(value)) throw new Refusal(`${RUST_FLOAT(value)} is not a JSON number`);
        return numberText(value);
      case 4: {
        const text = JSON.stringify(wellFormed(value));
        length += text.length;
        return text;
      }
      case 5: {
        if (depth >= MAX_DEPTH) throw new Refusal(`is nested deeper than ${MAX_DEPTH} levels (does the object contain itself?)`);
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          path.push(i);
          out += (i > 0 ? ',' : '') + walk(value[i], depth + 1);
          path.pop();
        }
        length += 2;
        return out + ']';
      }
      case 6: {
        if (depth >= MAX_DEPTH) throw new Refusal(`is nested deeper than ${MAX_DEPTH} levels (does the object contain itself?)`);
        let out = '{';
        const keys = Object.keys(value);
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i];
          path.push(key);
          let member;
          try {
            member = value[key];
          } catch {
            throw new Refusal('could not be read (a getter threw)');
          }
          const name = JSON.stringify(wellFormed(key));
          length += name.length + 2;
          out += (i > 0 ? ',' : '') + name + ':' + walk(member, depth + 1);
          path.pop();
        }
        return out + '}';
      }
      default:
        throw new Refusal(`a ${describe(value)} has no JSON form; give strings, numbers, booleans, arrays and plain objects`);
    }
  }
  // First a walk that only looks: it refuses what convert.rs refuses, and
  // says whether JSON.stringify (native, several times faster than any
  // walk that writes) would write the same text: no `undefined` (which it
  // drops from objects), no lone surrogate, no number it spells otherwise
  // than the core's rule (below 1e-4, or whole from 1e21 on).
  let plain = true;
  function look(value, depth) {
    switch (kindOf(value)) {
      case 0:
        if (value === undefined) plain = false;
        return;
      case 1:
      case 2:
        return;
      case 3: {
        if (!Number.isFinite(value)) throw new Refusal(`${RUST_FLOAT(value)} is not a JSON number`);
        const a = Math.abs(value);
        if (Number.isInteger(value) ? a >= 1e21 : a < 1e-4 || a >= 1e16) plain = false;
        return;
      }
      case 4:
        if (!wellFormedText(value)) plain = false;
        return;
      case 5:
        if (depth >= MAX_DEPTH) throw new Refusal(`is nested deeper than ${MAX_DEPTH} levels (does the object contain itself?)`);
        for (let i = 0; i < value.length; i++) {
          path.push(i);
          look(value[i], depth + 1);
          path.pop();
        }
        return;
      case 6: {
        if (depth >= MAX_DEPTH) throw new Refusal(`is nested deeper than ${MAX_DEPTH} levels (does the object contain itself?)`);
        const keys = Object.keys(value);
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i];
          path.push(key);
          let member;
          try {
            member = value[key];
          } catch {
            throw new Refusal('could not be read (a getter threw)');
          }
          if (!wellFormedText(key)) plain = false;
          look(member, depth + 1);
          path.pop();
        }
        return;
      }
      default:
        throw new Refusal(`a ${describe(value)} has no JSON form; give strings, numbers, booleans, arrays and plain objects`);
    }
  }
  try {
    look(root, 0);
    if (plain) {
      const text = JSON.stringify(root);
      return text.length > max ? { tooLarge: true } : text;
    }
    return walk(root, 0);
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    if (e.reason === null) return { tooLarge: true };
    return { reason: e.reason, path };
  }
}
