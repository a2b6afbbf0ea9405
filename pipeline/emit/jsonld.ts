// The dataset as one schema.org JSON-LD graph, derived from the x-jsonld
// annotations in schemas/. The @context is inline so the file is processable
// offline (no remote context fetch).
import { TABLES, TABLE_NAMES, dataset, type TableName } from '../schema.js';
import type { PublishedFile } from './datapackage.js';

type Node = Record<string, unknown>;

export function jsonLdContext(): Record<string, string> {
  return {
    '@vocab': 'https://schema.org/',
    [dataset.vocabulary_prefix]: dataset.vocabulary_iri,
    xsd: 'http://www.w3.org/2001/XMLSchema#',
  };
}

const iri = (id: string) => `${dataset.base_iri}${id}`;

/** How a table's rows become nodes, worked out once from its schema rather than for every row. */
interface NodePlan {
  type: string;
  typeByColumn: { column: string; types: Record<string, string> } | undefined;
  idColumn: string;
  /** Mapped columns other than the ID, in schema order; `reference`: it holds another row's ID (a node reference). */
  properties: Array<{ column: string; property: string; reference: boolean }>;
  reverse: { column: string; property: string } | undefined;
}

function nodePlan(table: TableName): NodePlan | null {
  const mapping = TABLES[table].jsonld;
  if (!mapping?.['@type']) return null;
  // Columns that hold another row's ID, so JSON-LD emits them as node references.
  const refs = new Set(TABLES[table].foreignKeys.filter((fk) => fk.fields.length === 1 && TABLES[table].primaryKey[0] !== fk.fields[0]).map((fk) => fk.fields[0]!));
  return {
    type: mapping['@type'],
    typeByColumn: mapping.typeByColumn,
    idColumn: TABLES[table].columns.find((c) => c.jsonld === '@id')!.name,
    properties: TABLES[table].columns.filter((c) => c.jsonld && c.jsonld !== '@id').map((c) => ({ column: c.name, property: c.jsonld!, reference: refs.has(c.name) })),
    reverse: mapping.reverse,
  };
}

const NODE_PLANS = Object.fromEntries(TABLE_NAMES.map((t) => [t, nodePlan(t)])) as Record<TableName, NodePlan | null>;

/** One row as its schema.org node (tables without a node type, like entities, give null). */
export function jsonLdNode(table: TableName, row: Record<string, unknown>): Node | null {
  const plan = NODE_PLANS[table];
  if (!plan) return null;
  let type = plan.type;
  if (plan.typeByColumn) type = plan.typeByColumn.types[String(row[plan.typeByColumn.column])] ?? type;
  const node: Node = { '@id': iri(String(row[plan.idColumn])), '@type': type };
  for (const { column, property, reference } of plan.properties) {
    const value = row[column];
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    node[property] = reference ? { '@id': iri(String(value)) } : value;
  }
  if (plan.reverse) node['@reverse'] = { [plan.reverse.property]: { '@id': iri(String(row[plan.reverse.column])) } };
  return node;
}

const ATTACHMENTS = TABLE_NAMES.flatMap((table) => {
  const attach = TABLES[table].jsonld?.attach;
  return attach ? [{ table, ...attach }] : [];
});

/** Tables that are links between nodes (mentions, participants, roles) and the property they become. */
export function attachments(): Array<{ table: TableName; column: string; property: string; value: string }> {
  return ATTACHMENTS.map((a) => ({ ...a }));
}

/** Adds the links of `rows` (a link table) to the nodes they start from; references sorted, each once. */
export function attachLinks(nodes: ReadonlyMap<string, Node>, table: TableName, rows: ReadonlyArray<Record<string, unknown>>): void {
  const attach = TABLES[table].jsonld?.attach;
  if (!attach || rows.length === 0) return;
  // Targets per node as a set of IDs, not IRIs (an ID is hashed once, an IRI would be built for every row):
  // a person named in thousands of articles holds thousands of roles.
  const targets = new Map<Node, Set<string>>();
  const targetsOf = (node: Node | undefined): Set<string> | undefined => {
    if (!node) return undefined;
    let set = targets.get(node);
    if (!set) targets.set(node, (set = new Set(((node[attach.property] as Array<{ '@id': string }> | undefined) ?? []).map((r) => idOf(r['@id'])))));
    return set;
  };
  // Link rows come grouped by the node they start from (an article's mentions): it is looked up once per group.
  let from: unknown;
  let set: Set<string> | undefined;
  for (const row of rows) {
    if (set === undefined || row[attach.column] !== from) {
      from = row[attach.column];
      set = targetsOf(nodes.get(iri(String(from))));
      if (!set) continue;
    }
    set.add(String(row[attach.value]));
  }
  // IRIs share their prefix, so IDs sort as their IRIs do; the default sort compares UTF-16 code units, as `<` does.
  for (const [node, ids] of targets) node[attach.property] = [...ids].sort().map((id) => ({ '@id': iri(id) }));
}

/** The ID of an IRI made by iri(). */
function idOf(nodeIri: string): string {
  if (!nodeIri.startsWith(dataset.base_iri)) throw new Error(`internal: ${nodeIri} is not an IRI of the dataset`);
  return nodeIri.slice(dataset.base_iri.length);
}

/** The nodes of some tables' rows, in table order, with the links among them attached. */
export function jsonLdNodes(tables: Partial<Record<TableName, readonly object[]>>): Node[] {
  const nodes = new Map<string, Node>();
  const order: Node[] = [];
  for (const table of TABLE_NAMES) {
    const rows = tables[table] as ReadonlyArray<Record<string, unknown>> | undefined;
    if (!rows || NODE_PLANS[table] === null) continue;
    for (const row of rows) {
      const node = jsonLdNode(table, row)!;
      nodes.set(node['@id'] as string, node);
      order.push(node);
    }
  }
  for (const { table } of ATTACHMENTS) attachLinks(nodes, table, (tables[table] ?? []) as ReadonlyArray<Record<string, unknown>>);
  return order;
}

/** The Dataset node, without its list of articles (isBasedOn), which datasetElement streams in. */
function datasetNode(version: string, files: readonly PublishedFile[]): Node {
  return {
    '@id': iri('dataset'),
    '@type': 'Dataset',
    name: dataset.title,
    description: dataset.description,
    version,
    license: dataset.licenses[0]!.path,
    keywords: dataset.keywords,
    creator: { '@type': 'Organization', name: dataset.creator },
    isBasedOn: [],
    distribution: files.map((f) => ({
      '@type': 'DataDownload',
      name: f.path,
      contentUrl: `${dataset.base_iri}${f.path}`,
      encodingFormat: mediaType(f.path),
      contentSize: String(f.bytes),
      sha256: f.sha256,
    })),
  };
}

/** The Dataset node as a graph element, a piece at a time: it lists every article (isBasedOn), read as it is written. */
export function* datasetElement(version: string, articleIds: Iterable<string>, files: readonly PublishedFile[]): Generator<string> {
  const [before, after] = graphElement(datasetNode(version, files)).split('"isBasedOn":[]') as [string, string];
  // The list runs to one entry per article: given out in pieces of about 64 KiB, not one piece per article.
  let pending = `${before}"isBasedOn":[`;
  let first = true;
  for (const id of articleIds) {
    pending += `${first ? '' : ','}${graphElement({ '@id': iri(id) })}`;
    first = false;
    if (pending.length >= 1 << 16) {
      yield pending;
      pending = '';
    }
  }
  yield `${pending}]${after}`;
}

// dataset.jsonld is written as a stream: the opening (the @context, indented
// for reading), then each node of "@graph" on a line of its own (a million
// nodes stay greppable and line-splittable), then the closing.
export const GRAPH_OPENING = `{\n  "@context": ${JSON.stringify(jsonLdContext(), null, 2).replace(/\n/g, '\n  ')},\n  "@graph": [\n`;
export const GRAPH_SEPARATOR = ',\n';
export const GRAPH_CLOSING = '\n  ]\n}\n';

export function graphElement(node: Node): string {
  return JSON.stringify(node);
}

export function mediaType(path: string): string {
  if (path.endsWith('.csv')) return 'text/csv';
  if (path.endsWith('.jsonld')) return 'application/ld+json';
  if (path.endsWith('.json')) return 'application/json';
  if (path.endsWith('.md')) return 'text/markdown';
  return 'text/plain';
}
