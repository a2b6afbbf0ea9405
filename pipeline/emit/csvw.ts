// W3C CSV on the Web metadata for the same tables, derived from schemas/.
import { TABLES, TABLE_NAMES, dataset, type Column } from '../schema.js';

function datatypeOf(column: Column): unknown {
  if (column.format === 'date') return 'date';
  switch (column.baseType) {
    case 'integer':
      return 'integer';
    case 'number':
      return 'double';
    case 'boolean':
      return { base: 'boolean', format: 'true|false' };
    default:
      return 'string';
  }
}

export function columnOf(column: Column): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: column.name,
    titles: column.name,
    'dc:description': column.description,
    datatype: datatypeOf(column),
    required: column.required && !column.nullable && column.baseType !== 'array',
  };
  if (column.separator !== undefined) out['separator'] = column.separator;
  return out;
}

export function csvwMetadata(version: string, csvPath: (table: string) => string): unknown {
  return {
    '@context': ['http://www.w3.org/ns/csvw', { '@language': 'en' }],
    'dc:title': dataset.title,
    'dc:description': dataset.description,
    'dc:license': { '@id': dataset.licenses[0]!.path },
    'schema:version': version,
    dialect: { encoding: 'utf-8', header: true, lineTerminators: ['\n'], doubleQuote: true },
    tables: TABLE_NAMES.map((name) => {
      const table = TABLES[name];
      return {
        url: csvPath(name),
        'dc:description': table.description,
        tableSchema: {
          columns: table.columns.map(columnOf),
          primaryKey: table.primaryKey.length === 1 ? table.primaryKey[0] : [...table.primaryKey],
          foreignKeys: table.foreignKeys.map((fk) => ({
            columnReference: fk.fields.length === 1 ? fk.fields[0] : [...fk.fields],
            reference: { resource: csvPath(fk.reference.resource), columnReference: fk.reference.fields.length === 1 ? fk.reference.fields[0] : [...fk.reference.fields] },
          })),
        },
      };
    }),
  };
}
