// CSV files: RFC 4180, UTF-8 without BOM, header row, `\n` line ends, columns
// in schema order. Empty cell = null; list cells joined by the schema's separator.
import { stringify } from 'csv-stringify/sync';
import { TABLES, type Column, type TableName } from '../schema.js';

export function cellValue(column: Column, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(column.separator);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

export function toCsv(table: TableName, rows: ReadonlyArray<Record<string, unknown>>): string {
  const columns = TABLES[table].columns;
  const records = rows.map((row) => columns.map((c) => cellValue(c, row[c.name])));
  return stringify([columns.map((c) => c.name), ...records], { record_delimiter: '\n', quoted_match: /^\s|\s$/ });
}
