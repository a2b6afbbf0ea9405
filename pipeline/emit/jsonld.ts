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

/** Columns that hold another row's ID, so JSON-LD emits them as node references. */
function referenceColumns(table: TableName): Set<string> {
  return new Set(TABLES[table].foreignKeys.filter((fk) => fk.fields.length === 1 && TABLES[table].primaryKey[0] !== fk.fields[0]).map((fk) => fk.fields[0]!));
}

const iri = (id: string) => `${dataset.base_iri}${id}`;

/** One row as its schema.org node (tables without a node type, like entities, give null). */
export function jsonLdNode(table: TableName, row: Record<string, unknown>): Node | null {
  const mapping = TABLES[table].jsonld;
  if (!mapping?.['@type']) return null;
  const refs = referenceColumns(table);
  const idColumn = TABLES[table].columns.find((c) => c.jsonld === '@id')!.name;
  let type = mapping['@type'];
  if (mapping.typeByColumn) type = mapping.typeByColumn.types[String(row[mapping.typeByColumn.column])] ?? type;
  const node: Node = { '@id': iri(String(row[idColumn])), '@type': type };
  for (const column of TABLES[table].columns) {
    if (!column.jsonld || column.jsonld === '@id') continue;
    const value = row[column.name];
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    node[column.jsonld] = refs.has(column.name) ? { '@id': iri(String(value)) } : value;
  }
  if (mapping.reverse) node['@reverse'] = { [mapping.reverse.property]: { '@id': iri(String(row[mapping.reverse.column])) } };
  return node;
}

/** Tables that are links between nodes (mentions, participants, roles) and the property they become. */
export function attachments(): Array<{ table: TableName; column: string; property: string; value: string }> {
  return TABLE_NAMES.flatMap((table) => {
    const attach = TABLES[table].jsonld?.attach;
    return attach ? [{ table, ...attach }] : [];
  });
}

/** Adds the links of `rows` (a link table) to the nodes they start from; references sorted, each once. */
export function attachLinks(nodes: ReadonlyMap<string, Node>, table: TableName, rows: ReadonlyArray<Record<string, unknown>>): void {
  const attach = TABLES[table].jsonld?.attach;
  if (!attach) return;
  // Targets per node as a set: a person named in thousands of articles holds thousands of roles.
  const targets = new Map<Node, Set<string>>();
  for (const row of rows) {
    const node = nodes.get(iri(String(row[attach.column])));
    if (!node) continue;
    let set = targets.get(node);
    if (!set) {
      set = new Set((node[attach.property] as Array<{ '@id': string }> | undefined)?.map((r) => r['@id']));
      targets.set(node, set);
    }
    set.add(iri(String(row[attach.value])));
  }
  for (const [node, set] of targets) node[attach.property] = [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((id) => ({ '@id': id }));
}

/** The nodes of some tables' rows, in table order, with the links among them attached. */
export function jsonLdNodes(tables: Partial<Record<TableName, readonly object[]>>): Node[] {
  const nodes = new Map<string, Node>();
  const order: Node[] = [];
  for (const table of TABLE_NAMES) {
    for (const row of (tables[table] ?? []) as ReadonlyArray<Record<string, unknown>>) {
      const node = jsonLdNode(table, row);
      if (!node) continue;
      nodes.set(node['@id'] as string, node);
      order.push(node);
    }
  }
  for (const { table } of attachments()) attachLinks(nodes, table, (tables[table] ?? []) as ReadonlyArray<Record<string, unknown>>);
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
  yield `${before}"isBasedOn":[`;
  let first = true;
  for (const id of articleIds) {
    yield `${first ? '' : ','}${graphElement({ '@id': iri(id) })}`;
    first = false;
  }
  yield `]${after}`;
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
