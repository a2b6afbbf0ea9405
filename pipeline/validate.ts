// The validate step: every record against its JSON Schema (ajv), then the
// foreign keys and offsets across tables. A failing record is kept out of
// the output and reported with its schema path, never dropped silently;
// rows that pointed at it are dropped in turn. Runs per article (in the
// worker threads): an article's rows point only at its own rows and at the
// entities it names, which it checks as its own occurrence rows; the merged
// entity rows are checked once more at the end of the build.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { ARTICLE_TABLES, ENTITY_TABLES, ENTITY_TYPE_OF_TABLE, occurrenceId, type ArticleTableName, type EntityOccurrence, type LocalizedArticle, type Tables } from './merge.js';
import type { MessageSink } from './messages.js';
import { SCHEMA_DEFS, TABLES, TABLE_NAMES, createAjv, resolveRef, validatorFor, type JsonSchema, type TableName } from './schema.js';

type Row = Record<string, unknown>;

/** Key of a row for uniqueness and reference checks (IDs contain no NUL). */
function keyOf(row: Row, fields: readonly string[]): string {
  return fields.length === 1 ? String(row[fields[0]!]) : fields.map((f) => String(row[f])).join('\u0000');
}

// ajv counts minLength/maxLength in code points, with a loop over the whole string (the article text is
// thousands of characters, and every ID has a maxLength). Validators compiled with `unicode: false` compare
// the UTF-16 length instead, which is never smaller: a string they find no longer than a maxLength has no more
// code points either, and against a minLength of 0 or 1 the two lengths always agree. So a row the UTF-16
// validator accepts is accepted by the code-point validators of schema.ts (validatorFor) too, except against a
// minLength above 1 (none in the schemas so far; such rows, when a string is long enough in code units to
// matter, are checked by the code-point validator); a row it rejects is checked again by the code-point
// validator, whose verdict and errors are the ones reported. Every row gets exactly what validatorFor gives.

/** A column (or its list items) with a minLength above 1: strings from `min` code units up might have fewer code points. */
type MinLengthCheck = { column: string; items: boolean; min: number };

/** Length keywords anywhere in a schema, references followed. */
function lengthKeywords(node: unknown): number {
  if (!node || typeof node !== 'object') return 0;
  const schema = (node as JsonSchema).$ref ? resolveRef(node as JsonSchema) : node;
  return Object.entries(schema).reduce((n, [key, value]) => n + (key === 'minLength' || key === 'maxLength' ? 1 : 0) + lengthKeywords(value), 0);
}

/** The minLengths above 1 of a table's columns: at the top of a column or of its list items, the only places the schemas use length keywords. */
function minLengthChecks(table: TableName): MinLengthCheck[] {
  const checks: MinLengthCheck[] = [];
  const add = (column: string, items: boolean, schema: JsonSchema): number => {
    const min = schema['minLength'] as number | undefined;
    const max = schema['maxLength'] as number | undefined;
    if (min !== undefined && min > 1) checks.push({ column, items, min });
    return (min === undefined ? 0 : 1) + (max === undefined ? 0 : 1);
  };
  const { properties = {}, ...rest } = TABLES[table].schema;
  let handled = 0;
  for (const [column, property] of Object.entries(properties)) {
    const resolved = resolveRef(property);
    handled += add(column, false, resolved) + (resolved.items ? add(column, true, resolveRef(resolved.items)) : 0);
  }
  // Anywhere else (nested objects, combinators) the rows would need a walk of their own.
  if (lengthKeywords(properties) + lengthKeywords(rest) !== handled) throw new Error(`validate: ${table} has minLength/maxLength where minLengthChecks does not look`);
  return checks;
}

const MIN_LENGTH_CHECKS = Object.fromEntries(TABLE_NAMES.map((t) => [t, minLengthChecks(t)])) as Record<TableName, MinLengthCheck[]>;

/** Whether the UTF-16 validator might accept the row where the code-point validator would not. */
function mayBeTooShortInCodePoints(table: TableName, row: Row): boolean {
  for (const check of MIN_LENGTH_CHECKS[table]) {
    const value = row[check.column];
    if (check.items) {
      if (Array.isArray(value)) for (const item of value) if (typeof item === 'string' && item.length >= check.min) return true;
    } else if (typeof value === 'string' && value.length >= check.min) return true;
  }
  return false;
}

type Validators = Record<TableName, ValidateFunction>;
let utf16Validators: Validators | undefined;

/** The table's validator with UTF-16 string lengths; the same ajv set-up as schema.ts's otherwise (createAjv). */
export function utf16LengthValidatorFor(table: TableName): ValidateFunction {
  utf16Validators ??= loadGeneratedValidators(requireFromHere) ?? compileUtf16Validators();
  return utf16Validators[table];
}

/** Compiled in this process (about 0.2 s: every worker thread and the main thread would pay it). */
export function compileUtf16Validators(): Validators {
  const ajv = createAjv({ utf16Lengths: true });
  return Object.fromEntries(TABLE_NAMES.map((name) => [name, ajv.compile(TABLES[name].schema as object)])) as Validators;
}

// ---------------------------------------------------------------------------
// The generated validators
//
// `pipeline/tools/generate-validators.ts` writes the UTF-16-length validators
// as ajv's standalone code (dist/pipeline/validators.generated.cjs, made by
// `make` beside the compiled pipeline): loading it takes a few milliseconds
// instead of compiling. It carries a fingerprint of the schemas and of ajv's
// version; a file that is missing or was made from others is not used, and
// the validators are compiled as before, so results never depend on it.

/** Bump when the generated module's form or the ajv set-up of the UTF-16 validators changes. */
const GENERATED_FORMAT = 1;
export const GENERATED_VALIDATORS = fileURLToPath(new URL('./validators.generated.cjs', import.meta.url));
const requireFromHere = createRequire(import.meta.url);

/** What the generated validators are made from: format, ajv's and ajv-formats' versions, the schemas. */
export function validatorsFingerprint(): string {
  const versions = ['ajv', 'ajv-formats'].map((name) => (requireFromHere(`${name}/package.json`) as { version: string }).version);
  const schemas = TABLE_NAMES.map((name) => TABLES[name].schema);
  return createHash('sha256').update(JSON.stringify([GENERATED_FORMAT, versions, SCHEMA_DEFS, schemas])).digest('hex');
}

/** The text of the generated module: one export per table, and the fingerprint. */
export function generateValidatorsModule(): string {
  const ajv = createAjv({ utf16Lengths: true, source: true });
  for (const name of TABLE_NAMES) ajv.addSchema(TABLES[name].schema as object, `table:${name}`);
  const code = standaloneCode.default(ajv, Object.fromEntries(TABLE_NAMES.map((name) => [name, `table:${name}`])));
  return `// Generated by pipeline/tools/generate-validators.ts from schemas/ (do not edit).\n${code}\nexports.fingerprint = ${JSON.stringify(validatorsFingerprint())};\n`;
}

/** The generated validators, or null when the module is missing or was made from other schemas (`load` is require, or a stand-in in tests). */
export function loadGeneratedValidators(load: (file: string) => unknown, file = GENERATED_VALIDATORS): Validators | null {
  let module: Record<string, unknown>;
  try {
    module = load(file) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return null;
    throw error;
  }
  if (module['fingerprint'] !== validatorsFingerprint()) return null;
  for (const name of TABLE_NAMES) if (typeof module[name] !== 'function') return null;
  return module as unknown as Validators;
}

/** Compiles the validators before the first row needs them (a build does it while it waits for its first chunks). */
export function prepareValidators(): void {
  utf16LengthValidatorFor('entities');
}

/** Checks a row against its table's JSON Schema; each failure becomes a message with the schema path. */
function matchesSchema(table: TableName, row: Row, sink: MessageSink): boolean {
  if (utf16LengthValidatorFor(table)(row) && !mayBeTooShortInCodePoints(table, row)) return true;
  const validator = validatorFor(table);
  if (validator(row)) return true;
  for (const error of validator.errors ?? []) {
    sink.push({
      stage: 'validate',
      rule: 'schema',
      severity: 'error',
      ...(typeof row['article_id'] === 'string' ? { article_id: row['article_id'] } : {}),
      reason: `${table} ${keyOf(row, TABLES[table].primaryKey)}: ${error.instancePath || '/'} ${error.message ?? 'is invalid'} (schema ${error.schemaPath})`,
    });
  }
  return false;
}

/** The rows that pass `keep`, in order; the array itself when all do (the arrays here are validate's own). */
function keepWhere(rows: Row[], keep: (row: Row) => boolean): Row[] {
  for (let i = 0; i < rows.length; i++) {
    if (keep(rows[i]!)) continue;
    const kept = rows.slice(0, i);
    for (let j = i + 1; j < rows.length; j++) if (keep(rows[j]!)) kept.push(rows[j]!);
    return kept;
  }
  return rows;
}

const NOTHING_CHECKED: ReadonlySet<TableName> = new Set();

/** `schemaChecked`: tables whose rows were already checked against their schema (not checked twice). */
export function validate(tables: Tables, sink: MessageSink, schemaChecked: ReadonlySet<TableName> = NOTHING_CHECKED): Tables {
  const result = { ...tables } as unknown as Record<TableName, Row[]>;
  for (const table of TABLE_NAMES) {
    const pk = TABLES[table].primaryKey;
    const checked = schemaChecked.has(table);
    const seen = new Set<string>();
    const rows: Row[] = [];
    for (const row of tables[table] as unknown as Row[]) {
      if (!checked && !matchesSchema(table, row, sink)) continue;
      const id = keyOf(row, pk);
      if (seen.has(id)) {
        sink.push({ stage: 'validate', rule: 'duplicate-key', severity: 'error', reason: `${table}: duplicate primary key ${id}; the later row is dropped` });
        continue;
      }
      seen.add(id);
      rows.push(row);
    }
    result[table] = rows;
  }
  checkOffsets(result, sink);
  dropDanglingReferences(result, sink);
  return result as unknown as Tables;
}

/** Tables whose rows point into the article text, and the column that must equal the text there. */
const OFFSET_TABLES = [
  ['mentions', 'surface'],
  ['roles', undefined],
  ['interactions', undefined],
  ['quotes', 'text'],
] as const satisfies ReadonlyArray<readonly [TableName, string | undefined]>;

/** Offsets are the evidence: `text[start:end]` must be the surface (code points). */
function checkOffsets(tables: Record<TableName, Row[]>, sink: MessageSink): void {
  const texts = new Map<string, { text: string; codePoints: string[] | null }>();
  // Without astral characters UTF-16 indexes are code points: slice the string, no array of characters.
  for (const a of tables.articles) {
    const text = a['text'] as string;
    texts.set(a['article_id'] as string, { text, codePoints: /[\uD800-\uDFFF]/.test(text) ? Array.from(text) : null });
  }
  for (const [table, column] of OFFSET_TABLES) {
    tables[table] = keepWhere(tables[table], (row) => {
      const article = texts.get(row['article_id'] as string);
      const start = row['start'] as number;
      const end = row['end'] as number;
      const length = article ? (article.codePoints ?? article.text).length : 0;
      const slice = () => (article!.codePoints ? article!.codePoints.slice(start, end).join('') : article!.text.slice(start, end));
      const ok = article !== undefined && start < end && end <= length && (column === undefined || slice() === row[column]);
      if (!ok) {
        sink.push({ stage: 'validate', rule: 'offsets', severity: 'error', article_id: row['article_id'] as string, start, end, reason: `${table}: text[${start}:${end}] does not match the row; the row is dropped` });
      }
      return ok;
    });
  }
}

/** Foreign keys of every table, resolved once; `keys` names the set of the target's keys, `ownKeys` the start of the names of sets of this table's keys. */
const FOREIGN_KEYS = TABLE_NAMES.flatMap((table) =>
  TABLES[table].foreignKeys.map((fk) => {
    const target = fk.reference.resource as TableName;
    return { table, fields: fk.fields, fieldList: fk.fields.join(','), target, targetFields: fk.reference.fields, keys: `${target}\u0000${fk.reference.fields.join(',')}`, ownKeys: `${table}\u0000` };
  }),
);

/** Repeats until stable, since dropping a row can orphan rows that point at it. */
function dropDanglingReferences(tables: Record<TableName, Row[]>, sink: MessageSink): void {
  // Key sets of the referenced tables, rebuilt only after that table lost rows.
  const keySets = new Map<string, Set<string>>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const fk of FOREIGN_KEYS) {
      const rows = tables[fk.table];
      if (rows.length === 0) continue;
      let keys = keySets.get(fk.keys);
      if (!keys) {
        keys = new Set();
        for (const r of tables[fk.target]) keys.add(keyOf(r, fk.targetFields));
        keySets.set(fk.keys, keys);
      }
      const targetKeys = keys;
      const kept = keepWhere(rows, (row) => {
        for (const f of fk.fields) if (row[f] === null) return true;
        const key = keyOf(row, fk.fields);
        if (targetKeys.has(key)) return true;
        sink.push({ stage: 'validate', rule: 'foreign-key', severity: 'error', reason: `${fk.table}: ${fk.fieldList}=${key} has no row in ${fk.target}; the row is dropped` });
        return false;
      });
      if (kept !== rows) {
        tables[fk.table] = kept;
        for (const id of keySets.keys()) if (id.startsWith(fk.ownKeys)) keySets.delete(id);
        changed = true;
      }
    }
  }
}

const ENTITY_TABLE_SET: ReadonlySet<TableName> = new Set(ENTITY_TABLES);

type OccurrenceTable = EntityOccurrence['table'];
const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'x-primaryKey', 'x-foreignKeys', 'x-jsonld', 'x-separator']);
/** A schema's validation keywords only, references resolved: two schemas with the same accept the same values. */
const constraintsOf = (schema: JsonSchema | undefined) => (schema ? JSON.stringify(Object.entries(resolveRef(schema)).filter(([k]) => !ANNOTATIONS.has(k))) : undefined);

/**
 * Whether an occurrence row that matches its schema makes its entities row ({ID, type, name}) match the
 * entities schema too: when that schema asks of the ID and the name exactly what the occurrence's table asks
 * of them (both required there), allows the table's type, and nothing else. Worked out from the schemas, so a
 * schema that stops implying it is checked again.
 */
function entityRowImplied(table: OccurrenceTable): boolean {
  const entities = TABLES.entities.schema;
  const own = TABLES[table].schema;
  const id = TABLES[table].primaryKey[0]!;
  const { properties = {}, required = [], type, additionalProperties, ...rest } = entities;
  const typeSchema = properties['entity_type'] ? resolveRef(properties['entity_type']) : undefined;
  return (
    Object.keys(rest).every((k) => ANNOTATIONS.has(k)) &&
    type === 'object' &&
    additionalProperties === false &&
    JSON.stringify([...required].sort()) === JSON.stringify(['entity_id', 'entity_type', 'name']) &&
    Object.keys(properties).length === 3 &&
    constraintsOf(properties['entity_id']) === constraintsOf(own.properties?.[id]) &&
    constraintsOf(properties['name']) === constraintsOf(own.properties?.['name']) &&
    (own.required ?? []).includes(id) &&
    (own.required ?? []).includes('name') &&
    constraintsOf(typeSchema) === JSON.stringify([['type', 'string'], ['enum', typeSchema?.enum]]) &&
    (typeSchema?.enum ?? []).includes(ENTITY_TYPE_OF_TABLE[table])
  );
}

/** Occurrence tables whose valid rows make valid entities rows (see entityRowImplied): those are not checked twice. */
export const ENTITY_ROW_IMPLIED = Object.fromEntries((Object.keys(ENTITY_TYPE_OF_TABLE) as OccurrenceTable[]).map((t) => [t, entityRowImplied(t)])) as Record<OccurrenceTable, boolean>;

/**
 * Validates one localized article: each entity occurrence against its
 * table's schema (a bad one is dropped, with the rows that name it), then the
 * article's rows with offsets and references. Null when the article row
 * itself is invalid: the article is then rejected, with the reason.
 */
export function validateArticle(article: LocalizedArticle, sink: MessageSink): { rows: Pick<Tables, ArticleTableName>; occurrences: EntityOccurrence[] } | null {
  const tables: Tables = { articles: [], entities: [], people: [], organizations: [], places: [], events: [], mentions: [], roles: [], interactions: [], interaction_participants: [], quotes: [] };
  const occurrences: EntityOccurrence[] = [];
  const seen = new Set<string>();
  for (const occurrence of article.occurrences) {
    const id = occurrenceId(occurrence);
    const entityRow = { entity_id: id, entity_type: ENTITY_TYPE_OF_TABLE[occurrence.table], name: occurrence.row.name };
    if (!matchesSchema(occurrence.table, occurrence.row as unknown as Row, sink)) continue;
    if (!ENTITY_ROW_IMPLIED[occurrence.table] && !matchesSchema('entities', entityRow, sink)) continue;
    occurrences.push(occurrence);
    // Two local entities may share an ID; the article's references need it once.
    if (seen.has(id)) continue;
    seen.add(id);
    (tables[occurrence.table] as unknown as Row[]).push(occurrence.row as unknown as Row);
    tables.entities.push(entityRow);
  }
  for (const t of ARTICLE_TABLES) (tables[t] as unknown as Row[]) = article.rows[t] as unknown as Row[];
  // The entity rows were checked one by one above.
  const valid = validate(tables, sink, ENTITY_TABLE_SET);
  if (valid.articles.length === 0) return null;
  const { articles, mentions, roles, interactions, interaction_participants, quotes } = valid;
  return { rows: { articles, mentions, roles, interactions, interaction_participants, quotes }, occurrences };
}
