// Frictionless Data Package (v1 tabular-data-package) derived from schemas/.
import { TABLES, TABLE_NAMES, dataset, type Column } from '../schema.js';

export interface PublishedFile {
  path: string;
  bytes: number;
  sha256: string;
}

/** JSON Schema (ECMAScript) anchored patterns → Table Schema (XML Schema) patterns. */
export function xsdPattern(pattern: string): string {
  return pattern.replace(/^\^/, '').replace(/\$$/, '').replace(/\(\?:/g, '(');
}

function tableSchemaType(column: Column): { type: string; format?: string } {
  if (column.format === 'date') return { type: 'date' };
  switch (column.baseType) {
    case 'integer':
      return { type: 'integer' };
    case 'number':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    default:
      return { type: 'string' };
  }
}

export function fieldOf(column: Column): Record<string, unknown> {
  const constraints: Record<string, unknown> = {};
  if (column.required && !column.nullable && column.baseType !== 'array') constraints['required'] = true;
  if (column.enum) constraints['enum'] = column.enum;
  if (column.pattern && column.baseType === 'string' && column.format !== 'date') constraints['pattern'] = xsdPattern(column.pattern);
  if (column.minimum !== undefined) constraints['minimum'] = column.minimum;
  if (column.maximum !== undefined) constraints['maximum'] = column.maximum;
  const description =
    column.baseType === 'array' ? `${column.description} List cell: values separated by \`${column.separator}\`.` : column.description;
  const field: Record<string, unknown> = { name: column.name, ...tableSchemaType(column), description };
  if (column.baseType === 'boolean') Object.assign(field, { trueValues: ['true'], falseValues: ['false'] });
  if (Object.keys(constraints).length > 0) field['constraints'] = constraints;
  return field;
}

export function dataPackage(version: string, csvFiles: ReadonlyMap<string, PublishedFile>): unknown {
  return {
    profile: 'tabular-data-package',
    name: dataset.name,
    title: dataset.title,
    description: dataset.description,
    version,
    homepage: dataset.base_iri,
    keywords: dataset.keywords,
    licenses: dataset.licenses,
    sources: dataset.sources,
    contributors: [{ title: dataset.creator, role: 'author' }],
    resources: TABLE_NAMES.map((name) => {
      const table = TABLES[name];
      const file = csvFiles.get(name)!;
      return {
        name,
        path: file.path,
        profile: 'tabular-data-resource',
        description: table.description,
        format: 'csv',
        mediatype: 'text/csv',
        encoding: 'utf-8',
        bytes: file.bytes,
        hash: `sha256:${file.sha256}`,
        dialect: { delimiter: ',', lineTerminator: '\n', quoteChar: '"', doubleQuote: true, header: true },
        schema: {
          fields: table.columns.map(fieldOf),
          missingValues: [''],
          primaryKey: [...table.primaryKey],
          foreignKeys: table.foreignKeys.map((fk) => ({ fields: [...fk.fields], reference: { resource: fk.reference.resource, fields: [...fk.reference.fields] } })),
        },
      };
    }),
  };
}
