// The package's TypeScript types against the core: every member of every
// request model (read from the core's Rust source: wire name and the other
// spellings it reads, whether it is optional, its type) must be declared
// alike in models.d.ts, and real
// code using the types must compile under `tsc --strict` — with the valid
// vectors typed as their structures, and mistakes the types must refuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

const repo = new URL('../../', import.meta.url).pathname;
const pkg = join(repo, 'wasm/pkg');
const modelFiles = [
  'core/src/ferma/request.rs',
  'core/src/ferma/receipt.rs',
  'core/src/ferma/item.rs',
  'core/src/ferma/agent.rs',
  'core/src/ofd/application.rs',
  'core/src/ofd/partner.rs',
  'core/src/ofd/place.rs',
];

/** The text of the `{…}` block that opens at or after `from`. */
function block(source, from) {
  const open = source.indexOf('{', from);
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    if (source[i] === '{') depth++;
    if (source[i] === '}' && --depth === 0) return source.slice(open + 1, i);
  }
  throw new Error('unbalanced braces');
}

function wireName(field, renameAll) {
  const words = field.split('_');
  const cap = (w) => w.charAt(0).toUpperCase() + w.slice(1);
  if (renameAll === 'PascalCase') return words.map(cap).join('');
  if (renameAll === 'camelCase') return words[0] + words.slice(1).map(cap).join('');
  return field;
}

/**
 * The request models as the core defines them: `#[derive(Model)]` structs
 * (members, optionality, types) and hand-written decoders (member names
 * from their `match` arms).
 */
function rustModels() {
  const models = new Map();
  for (const file of modelFiles) {
    const source = readFileSync(join(repo, file), 'utf8');
    const derived = /#\[derive\(([^)]*)\)\]\s*((?:#\[json\([^\]]*\)\]\s*)*)pub struct (\w+) \{/g;
    for (const m of source.matchAll(derived)) {
      if (!/\bModel\b/.test(m[1])) continue;
      const renameAll = /rename_all = "(\w+)"/.exec(m[2])?.[1];
      const members = [];
      let attributes = '';
      for (const line of block(source, m.index + m[0].length - 1).split('\n').map((l) => l.trim())) {
        if (line.startsWith('#[json(')) attributes += line;
        const field = /^pub (\w+): (.+),$/.exec(line);
        if (!field) continue;
        if (!/\bflatten\b/.test(attributes)) {
          const optional = field[2].startsWith('Option<') || /\bdefault\b/.test(attributes);
          const wire = /\brename = "([^"]+)"/.exec(attributes)?.[1] ?? wireName(field[1], renameAll);
          const aliases = [...attributes.matchAll(/\balias = "([^"]+)"/g)].map((a) => a[1]);
          members.push({ spellings: [wire, ...aliases], optional, type: tsTypeOf(field[2]) });
        }
        attributes = '';
      }
      models.set(m[3], { derived: true, members });
    }
    for (const m of source.matchAll(/impl FromJson for (\w+) \{/g)) {
      const arms = [...block(source, m.index + m[0].length - 1).matchAll(/((?:"\w+"(?: \| )?)+) => \w+\.fill\(/g)];
      const members = arms.map((a) => ({ spellings: [...a[1].matchAll(/"(\w+)"/g)].map((q) => q[1]) }));
      models.set(m[1], { derived: false, members });
    }
  }
  return models;
}

/** The TypeScript a Rust field type is declared with in models.d.ts. */
function tsTypeOf(rust) {
  const option = /^Option<(.+)>$/.exec(rust);
  if (option) return tsTypeOf(option[1]);
  // A box is only where the core keeps the value: the same JSON.
  const boxed = /^Box<(.+)>$/.exec(rust);
  if (boxed) return tsTypeOf(boxed[1]);
  const vec = /^Vec<(.+)>$/.exec(rust);
  if (vec) return `${tsTypeOf(vec[1])}[]`;
  const leaves = {
    String: 'string',
    bool: 'boolean',
    u32: 'number',
    Amount: 'Money',
    Quantity: 'Quantity',
    DateTime: 'DateTimeText',
    Date: 'DateText',
    ShortDate: 'ShortDateText',
    IsoDateTime: 'IsoDateTimeText',
  };
  // Models and code tables are declared under the core's own names.
  return leaves[rust] ?? rust;
}

/**
 * The exported types of models.d.ts as their object parts (one for an
 * interface, one per alternative of a union), each with its members.
 */
function typescriptModels() {
  const file = join(pkg, 'models.d.ts');
  const program = ts.createProgram([file], { strict: true, noEmit: true, types: [], lib: ['lib.es2022.d.ts'] });
  const checker = program.getTypeChecker();
  const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(file)));
  const types = new Map();
  for (const symbol of exported) {
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    const objects = (type.isUnion() ? type.types : [type]).filter(
      (t) => t.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection),
    );
    if (objects.length === 0) continue;
    const parts = objects.map((part) => {
      const members = new Map();
      for (const prop of checker.getPropertiesOfType(part)) {
        const typeText = prop.declarations?.[0]?.type?.getText() ?? '';
        if (typeText === 'never') continue;
        members.set(prop.name, { optional: (prop.flags & ts.SymbolFlags.Optional) !== 0, type: typeText });
      }
      return members;
    });
    // The interfaces a model is made of (its bases, the members of its
    // intersections) are pieces of it, not models of their own.
    const pieces = objects
      .flatMap((t) => (t.isIntersection() ? t.types : [t]))
      .flatMap((t) => [t, ...(t.isClassOrInterface() ? checker.getBaseTypes(t) : [])]);
    const pieceNames = pieces.map((t) => t.symbol?.name).filter((n) => n && n !== symbol.name && n !== '__type');
    types.set(symbol.name, { parts, pieceNames, isInterface: type.isClassOrInterface() });
  }
  return types;
}

/** What differs between a core model and its declaration. */
function differences(name, model, declared) {
  const problems = [];
  const known = new Set(model.members.flatMap((m) => m.spellings));
  for (const member of model.members) {
    const [wire] = member.spellings;
    const found = declared.parts.map((part) => member.spellings.filter((s) => part.has(s)).map((s) => part.get(s)));
    const missing = member.spellings.filter((s) => !declared.parts.some((part) => part.has(s)));
    if (missing.length) problems.push(`${name}.${missing.join('/')}: missing`);
    if (!model.derived) continue;
    const spelt = member.spellings.join('/');
    if (member.optional && found.some((f) => f.some((m) => !m.optional))) problems.push(`${name}.${spelt}: optional in the core`);
    if (!member.optional && found.some((f) => f.filter((m) => !m.optional).length !== 1 || f.length !== 1))
      problems.push(`${name}.${spelt}: required in the core (exactly one spelling)`);
    for (const m of found.flat()) {
      if (m.type !== member.type) problems.push(`${name}.${wire}: declared ${m.type}, the core has ${member.type}`);
    }
  }
  for (const part of declared.parts) {
    for (const member of part.keys()) {
      if (!known.has(member)) problems.push(`${name}.${member}: not a member of the core's model`);
    }
  }
  return [...new Set(problems)];
}

test('models.d.ts declares every member of every core request model, alike', () => {
  const rust = rustModels();
  const typescript = typescriptModels();
  assert.ok(rust.size >= 35, `found only ${rust.size} models in the core`);
  const problems = [];
  for (const [name, model] of rust) {
    const declared = typescript.get(name);
    if (declared) problems.push(...differences(name, model, declared));
    else problems.push(`${name}: not declared`);
  }
  const pieces = new Set([...typescript.values()].flatMap((t) => t.pieceNames));
  for (const [name, declared] of typescript) {
    if (declared.isInterface && !rust.has(name) && !pieces.has(name)) problems.push(`${name}: the core has no such model`);
  }
  assert.deepEqual(problems, []);
});

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
export { paths, wire, total, vatSum, measure, kilogram, invalidRequest, misspelled, both, noId, boolMoney, badMeasure };
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
