// CSV files: RFC 4180, UTF-8 without BOM, header row, `\n` line ends, columns
// in schema order. Empty cell = null; list cells joined by the schema's separator.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { TABLES, type Column, type TableName } from '../schema.js';

export function cellValue(column: Column, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(column.separator);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

// Cells with leading or trailing whitespace are quoted. As two patterns (either quotes the cell, as one with
// an alternation would) because V8 searches each alone much faster on short cells.
const STRINGIFY_OPTIONS = { record_delimiter: '\n', quoted_match: [/^\s/, /\s$/] };

/** The header line of a table's CSV file. */
export function csvHeader(table: TableName): string {
  return stringify([TABLES[table].columns.map((c) => c.name)], STRINGIFY_OPTIONS);
}

/** Rows as CSV lines without the header: a file is its header followed by such fragments, in any grouping. */
export function csvRows(table: TableName, rows: ReadonlyArray<Record<string, unknown>>): string {
  if (rows.length === 0) return '';
  const columns = TABLES[table].columns;
  return stringify(rows.map((row) => columns.map((c) => cellValue(c, row[c.name]))), STRINGIFY_OPTIONS);
}

export function toCsv(table: TableName, rows: ReadonlyArray<Record<string, unknown>>): string {
  return csvHeader(table) + csvRows(table, rows);
}

/** A cell as its schema type: the inverse of cellValue (empty is null where the column allows null). */
function typedValue(column: Column, cell: string): unknown {
  if (cell === '' && column.nullable) return null;
  switch (column.baseType) {
    case 'integer':
    case 'number':
      return Number(cell);
    case 'boolean':
      return cell === 'true';
    case 'array':
      return cell === '' ? [] : cell.split(column.separator!);
    default:
      return cell;
  }
}

/** Rows read back from CSV lines without a header (csvRows' output), typed by the table's schema. */
/** `limit`: at most this many rows, and the text after them is not parsed (it may even be cut short). */
export function parseCsvRows(table: TableName, text: string, limit?: number): Array<Record<string, unknown>> {
  const columns = TABLES[table].columns;
  const records = parse(text, limit === undefined ? { relax_column_count: false } : { relax_column_count: false, to: limit }) as string[][];
  return records.map((cells) => Object.fromEntries(columns.map((c, i) => [c.name, typedValue(c, cells[i] ?? '')])));
}
