// The validate step: every record against its JSON Schema (ajv), then the
// foreign keys and offsets across tables. A failing record is kept out of
// the output and reported with its schema path, never dropped silently;
// rows that pointed at it are dropped in turn. Runs per article (in the
// worker threads): an article's rows point only at its own rows and at the
// entities it names, which it checks as its own occurrence rows; the merged
// entity rows are checked once more at the end of the build.
import { ARTICLE_TABLES, ENTITY_TABLES, ENTITY_TYPE_OF_TABLE, emptyTables, occurrenceId, type ArticleTableName, type EntityOccurrence, type LocalizedArticle, type Tables } from './merge.js';
import type { MessageSink } from './messages.js';
import { TABLES, TABLE_NAMES, validatorFor, type TableName } from './schema.js';

type Row = Record<string, unknown>;

/** Key of a row for uniqueness and reference checks (IDs contain no NUL). */
function keyOf(row: Row, fields: readonly string[]): string {
  return fields.length === 1 ? String(row[fields[0]!]) : fields.map((f) => String(row[f])).join('\u0000');
}

/** Checks a row against its table's JSON Schema; each failure becomes a message with the schema path. */
function matchesSchema(table: TableName, row: Row, sink: MessageSink): boolean {
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

/** `schemaChecked`: tables whose rows were already checked against their schema (not checked twice). */
export function validate(tables: Tables, sink: MessageSink, schemaChecked: ReadonlySet<TableName> = new Set()): Tables {
  const result = { ...tables } as unknown as Record<TableName, Row[]>;
  for (const table of TABLE_NAMES) {
    const pk = TABLES[table].primaryKey;
    const checked = schemaChecked.has(table);
    const seen = new Set<string>();
    result[table] = (tables[table] as unknown as Row[]).filter((row) => {
      if (!checked && !matchesSchema(table, row, sink)) return false;
      const id = keyOf(row, pk);
      if (seen.has(id)) {
        sink.push({ stage: 'validate', rule: 'duplicate-key', severity: 'error', reason: `${table}: duplicate primary key ${id}; the later row is dropped` });
        return false;
      }
      seen.add(id);
      return true;
    });
  }
  checkOffsets(result, sink);
  dropDanglingReferences(result, sink);
  return result as unknown as Tables;
}

/** Offsets are the evidence: `text[start:end]` must be the surface (code points). */
function checkOffsets(tables: Record<TableName, Row[]>, sink: MessageSink): void {
  const texts = new Map<string, { text: string; codePoints: string[] | null }>();
  // Without astral characters UTF-16 indexes are code points: slice the string, no array of characters.
  for (const a of tables.articles) {
    const text = a['text'] as string;
    texts.set(a['article_id'] as string, { text, codePoints: /[\uD800-\uDFFF]/.test(text) ? Array.from(text) : null });
  }
  const surfaceColumn: Partial<Record<TableName, string>> = { mentions: 'surface', quotes: 'text' };
  for (const table of ['mentions', 'roles', 'interactions', 'quotes'] as const) {
    const column = surfaceColumn[table];
    tables[table] = tables[table].filter((row) => {
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

/** Foreign keys of every table, resolved once. */
const FOREIGN_KEYS = TABLE_NAMES.flatMap((table) => TABLES[table].foreignKeys.map((fk) => ({ table, fields: fk.fields, target: fk.reference.resource as TableName, targetFields: fk.reference.fields })));

/** Repeats until stable, since dropping a row can orphan rows that point at it. */
function dropDanglingReferences(tables: Record<TableName, Row[]>, sink: MessageSink): void {
  // Key sets of the referenced tables, rebuilt only after that table lost rows.
  const keySets = new Map<string, Set<string>>();
  const keysOf = (target: TableName, fields: readonly string[]) => {
    const id = `${target}\u0000${fields.join(',')}`;
    let keys = keySets.get(id);
    if (!keys) keySets.set(id, (keys = new Set(tables[target].map((r) => keyOf(r, fields)))));
    return keys;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const fk of FOREIGN_KEYS) {
      const rows = tables[fk.table];
      if (rows.length === 0) continue;
      const keys = keysOf(fk.target, fk.targetFields);
      const kept = rows.filter((row) => {
        if (fk.fields.some((f) => row[f] === null)) return true;
        const ok = keys.has(keyOf(row, fk.fields));
        if (!ok) {
          sink.push({ stage: 'validate', rule: 'foreign-key', severity: 'error', reason: `${fk.table}: ${fk.fields.join(',')}=${keyOf(row, fk.fields)} has no row in ${fk.target}; the row is dropped` });
        }
        return ok;
      });
      if (kept.length !== rows.length) {
        tables[fk.table] = kept;
        for (const id of keySets.keys()) if (id.startsWith(`${fk.table}\u0000`)) keySets.delete(id);
        changed = true;
      }
    }
  }
}

/**
 * Validates one localized article: each entity occurrence against its
 * table's schema (a bad one is dropped, with the rows that name it), then the
 * article's rows with offsets and references. Null when the article row
 * itself is invalid: the article is then rejected, with the reason.
 */
export function validateArticle(article: LocalizedArticle, sink: MessageSink): { rows: Pick<Tables, ArticleTableName>; occurrences: EntityOccurrence[] } | null {
  const tables = emptyTables();
  const occurrences: EntityOccurrence[] = [];
  const seen = new Set<string>();
  for (const occurrence of article.occurrences) {
    const id = occurrenceId(occurrence);
    const entityRow = { entity_id: id, entity_type: ENTITY_TYPE_OF_TABLE[occurrence.table], name: occurrence.row.name };
    if (!matchesSchema(occurrence.table, occurrence.row as unknown as Row, sink) || !matchesSchema('entities', entityRow, sink)) continue;
    occurrences.push(occurrence);
    // Two local entities may share an ID; the article's references need it once.
    if (seen.has(id)) continue;
    seen.add(id);
    (tables[occurrence.table] as unknown as Row[]).push(occurrence.row as unknown as Row);
    tables.entities.push(entityRow);
  }
  for (const t of ARTICLE_TABLES) (tables[t] as unknown as Row[]) = article.rows[t] as unknown as Row[];
  // The entity rows were checked one by one above.
  const valid = validate(tables, sink, new Set(ENTITY_TABLES));
  if (valid.articles.length === 0) return null;
  return { rows: Object.fromEntries(ARTICLE_TABLES.map((t) => [t, valid[t]])) as unknown as Pick<Tables, ArticleTableName>, occurrences };
}
