// The schemas in schemas/ are the single source of truth: this module loads
// them once, compiles the ajv validators, and derives from them everything
// that describes a table (column order, types, keys, list separators,
// JSON-LD mapping). Emitters and tests read tables only through here.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import defs from '../schemas/_defs.schema.json' with { type: 'json' };
import articles from '../schemas/articles.schema.json' with { type: 'json' };
import entities from '../schemas/entities.schema.json' with { type: 'json' };
import people from '../schemas/people.schema.json' with { type: 'json' };
import organizations from '../schemas/organizations.schema.json' with { type: 'json' };
import places from '../schemas/places.schema.json' with { type: 'json' };
import events from '../schemas/events.schema.json' with { type: 'json' };
import mentions from '../schemas/mentions.schema.json' with { type: 'json' };
import roles from '../schemas/roles.schema.json' with { type: 'json' };
import interactions from '../schemas/interactions.schema.json' with { type: 'json' };
import interactionParticipants from '../schemas/interaction_participants.schema.json' with { type: 'json' };
import quotes from '../schemas/quotes.schema.json' with { type: 'json' };
import datasetMetadata from '../schemas/dataset.json' with { type: 'json' };

export const dataset = datasetMetadata;

/** Tables in publication order (the order of the contract). */
export const TABLE_NAMES = [
  'articles',
  'entities',
  'people',
  'organizations',
  'places',
  'events',
  'mentions',
  'roles',
  'interactions',
  'interaction_participants',
  'quotes',
] as const;
export type TableName = (typeof TABLE_NAMES)[number];

export interface JsonSchema {
  $id?: string;
  $ref?: string;
  title?: string;
  description?: string;
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  'x-separator'?: string;
  'x-jsonld'?: unknown;
  'x-primaryKey'?: readonly string[];
  'x-foreignKeys'?: readonly ForeignKey[];
  [key: string]: unknown;
}

export interface ForeignKey {
  fields: readonly string[];
  reference: { resource: string; fields: readonly string[] };
}

export interface JsonLdTableMapping {
  '@type'?: string;
  typeByColumn?: { column: string; types: Record<string, string> };
  attach?: { column: string; property: string; value: string };
  /**
   * The row's node is the object of `property` from the node in `column`: written as `@reverse` on the row's own
   * node, so the link travels with the row (a person named in thousands of articles holds thousands of roles, and
   * the person's node is written only at the end).
   */
  reverse?: { column: string; property: string };
}

/** A column as every output format sees it, derived from one schema property. */
export interface Column {
  name: string;
  description: string;
  /** JSON types allowed, without "null". */
  baseType: 'string' | 'integer' | 'number' | 'boolean' | 'array';
  nullable: boolean;
  required: boolean;
  format?: string;
  pattern?: string;
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
  /** For list cells: the separator used in CSV. */
  separator?: string;
  /** JSON-LD property (term or compact IRI), `@id`, or undefined when not mapped. */
  jsonld?: string;
}

export interface TableDefinition {
  name: TableName;
  description: string;
  schema: JsonSchema;
  columns: Column[];
  primaryKey: readonly string[];
  foreignKeys: readonly ForeignKey[];
  jsonld: JsonLdTableMapping | null;
}

const RAW_SCHEMAS: Record<TableName, JsonSchema> = {
  articles,
  entities,
  people,
  organizations,
  places,
  events,
  mentions,
  roles,
  interactions,
  interaction_participants: interactionParticipants,
  quotes,
} as Record<TableName, JsonSchema>;

const DEFS = (defs as JsonSchema)['$defs'] as Record<string, JsonSchema>;

/** Resolves `_defs.schema.json#/$defs/x` references, the only kind the schemas use; sibling keywords override. */
export function resolveRef(schema: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const match = /^_defs\.schema\.json#\/\$defs\/([A-Za-z_]+)$/.exec(schema.$ref);
  const target = match ? DEFS[match[1]!] : undefined;
  if (!target) throw new Error(`schema: unresolvable $ref ${schema.$ref}`);
  const { $ref: _ignored, ...siblings } = schema;
  return { ...resolveRef(target), ...siblings };
}

function columnFrom(name: string, property: JsonSchema, required: boolean): Column {
  const resolved = resolveRef(property);
  const types = Array.isArray(resolved.type) ? resolved.type : [resolved.type ?? 'string'];
  const nonNull = types.filter((t) => t !== 'null');
  if (nonNull.length !== 1) throw new Error(`schema: column ${name} must have exactly one non-null type`);
  const column: Column = {
    name,
    description: resolved.description ?? '',
    baseType: nonNull[0] as Column['baseType'],
    nullable: types.includes('null'),
    required,
  };
  if (resolved.format !== undefined) column.format = resolved.format;
  const itemSchema = resolved.items ? resolveRef(resolved.items) : undefined;
  const pattern = resolved.pattern ?? itemSchema?.pattern;
  if (pattern !== undefined) column.pattern = pattern;
  if (resolved.enum !== undefined) column.enum = resolved.enum;
  if (resolved.minimum !== undefined) column.minimum = resolved.minimum;
  if (resolved.maximum !== undefined) column.maximum = resolved.maximum;
  if (typeof resolved['x-separator'] === 'string') column.separator = resolved['x-separator'];
  if (typeof resolved['x-jsonld'] === 'string') column.jsonld = resolved['x-jsonld'];
  if (column.baseType === 'array' && column.separator === undefined) {
    throw new Error(`schema: list column ${name} needs an x-separator`);
  }
  return column;
}

function definitionOf(name: TableName): TableDefinition {
  const schema = RAW_SCHEMAS[name];
  const required = new Set(schema.required ?? []);
  const columns = Object.entries(schema.properties ?? {}).map(([column, property]) =>
    columnFrom(column, property, required.has(column)),
  );
  return {
    name,
    description: schema.description ?? '',
    schema,
    columns,
    primaryKey: schema['x-primaryKey'] ?? [],
    foreignKeys: schema['x-foreignKeys'] ?? [],
    jsonld: (schema['x-jsonld'] as JsonLdTableMapping | null | undefined) ?? null,
  };
}

export const TABLES: Record<TableName, TableDefinition> = Object.fromEntries(
  TABLE_NAMES.map((name) => [name, definitionOf(name)]),
) as Record<TableName, TableDefinition>;

/** schemas/_defs.schema.json, which the tables' schemas refer to. */
export const SCHEMA_DEFS = defs as JsonSchema;

/**
 * The ajv instance every validator is compiled with. `utf16Lengths`: minLength and maxLength count UTF-16
 * code units instead of code points (ajv's `unicode: false`), which validate.ts uses as a quick first check.
 */
export function createAjv(options: { utf16Lengths?: boolean; source?: boolean } = {}): Ajv2020 {
  // `unicode` is deprecated in ajv 8 (it warns on construction), not removed; an instance that sets it means it.
  const quiet = { log: console.log, warn: (...args: unknown[]) => void (String(args[0]).includes('"minLength"/"maxLength"') || console.warn(...args)), error: console.error };
  // `source`: the validators keep their code, for ajv's standalone module (validate.ts).
  const code = options.source ? { code: { source: true } } : {};
  const ajv = new Ajv2020(options.utf16Lengths ? { allErrors: true, strict: true, unicode: false, logger: quiet, ...code } : { allErrors: true, strict: true, ...code });
  addFormats.default(ajv);
  // Annotation keywords used to derive CSV, metadata and JSON-LD.
  ajv.addVocabulary(['x-primaryKey', 'x-foreignKeys', 'x-jsonld', 'x-separator']);
  ajv.addSchema(defs as object);
  return ajv;
}

let validators: Record<TableName, ValidateFunction> | undefined;

/** Compiled once per process (ajv compilation is the expensive part). */
export function validatorFor(table: TableName): ValidateFunction {
  if (!validators) {
    const ajv = createAjv();
    validators = Object.fromEntries(
      TABLE_NAMES.map((name) => [name, ajv.compile(RAW_SCHEMAS[name] as object)]),
    ) as Record<TableName, ValidateFunction>;
  }
  return validators[table];
}
