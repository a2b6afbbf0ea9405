// The dataset as one schema.org JSON-LD graph, derived from the x-jsonld
// annotations in schemas/. The @context is inline so the file is processable
// offline (no remote context fetch).
import type { Tables } from '../merge.js';
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

export function jsonLdGraph(tables: Tables, version: string, files: readonly PublishedFile[]): unknown {
  const nodes = new Map<string, Node>();
  const order: Node[] = [];
  const rows = tables as unknown as Record<TableName, Array<Record<string, unknown>>>;

  for (const table of TABLE_NAMES) {
    const mapping = TABLES[table].jsonld;
    if (!mapping?.['@type']) continue;
    const refs = referenceColumns(table);
    const idColumn = TABLES[table].columns.find((c) => c.jsonld === '@id')!.name;
    for (const row of rows[table]) {
      let type = mapping['@type'];
      if (mapping.typeByColumn) type = mapping.typeByColumn.types[String(row[mapping.typeByColumn.column])] ?? type;
      const node: Node = { '@id': iri(String(row[idColumn])), '@type': type };
      for (const column of TABLES[table].columns) {
        if (!column.jsonld || column.jsonld === '@id') continue;
        const value = row[column.name];
        if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) continue;
        node[column.jsonld] = refs.has(column.name) ? { '@id': iri(String(value)) } : value;
      }
      nodes.set(node['@id'] as string, node);
      order.push(node);
    }
  }
  // Tables that are links between nodes (mentions, participants) become properties.
  for (const table of TABLE_NAMES) {
    const attach = TABLES[table].jsonld?.attach;
    if (!attach) continue;
    for (const row of rows[table]) {
      const node = nodes.get(iri(String(row[attach.column])));
      if (!node) continue;
      const list = (node[attach.property] as Array<{ '@id': string }> | undefined) ?? [];
      const target = iri(String(row[attach.value]));
      if (!list.some((r) => r['@id'] === target)) list.push({ '@id': target });
      node[attach.property] = list;
    }
  }
  for (const node of order) {
    for (const value of Object.values(node)) {
      if (Array.isArray(value) && value.every((v) => typeof v === 'object' && v && '@id' in v)) {
        value.sort((a, b) => (a['@id'] < b['@id'] ? -1 : a['@id'] > b['@id'] ? 1 : 0));
      }
    }
  }

  const datasetNode: Node = {
    '@id': iri('dataset'),
    '@type': 'Dataset',
    name: dataset.title,
    description: dataset.description,
    version,
    license: dataset.licenses[0]!.path,
    keywords: dataset.keywords,
    creator: { '@type': 'Organization', name: dataset.creator },
    isBasedOn: rows.articles.map((a) => ({ '@id': iri(String(a['article_id'])) })),
    distribution: files.map((f) => ({
      '@type': 'DataDownload',
      name: f.path,
      contentUrl: `${dataset.base_iri}${f.path}`,
      encodingFormat: mediaType(f.path),
      contentSize: String(f.bytes),
      sha256: f.sha256,
    })),
  };
  return { '@context': jsonLdContext(), '@graph': [datasetNode, ...order] };
}

export function mediaType(path: string): string {
  if (path.endsWith('.csv')) return 'text/csv';
  if (path.endsWith('.jsonld')) return 'application/ld+json';
  if (path.endsWith('.json')) return 'application/json';
  if (path.endsWith('.md')) return 'text/markdown';
  return 'text/plain';
}
