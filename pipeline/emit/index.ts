// The emit stage: tables and report → the published files (contents only;
// io.ts writes them). Order matters: metadata files describe the CSVs, the
// landing page lists every file before it with its hash, and SHA256SUMS
// covers everything else (the page included).
import type { Report } from '../build.js';
import { sha256Hex } from '../ids.js';
import type { Tables } from '../merge.js';
import { TABLE_NAMES } from '../schema.js';
import { toCsv } from './csv.js';
import { csvwMetadata } from './csvw.js';
import { dataPackage, type PublishedFile } from './datapackage.js';
import { dataDictionary } from './dictionary.js';
import { jsonLdGraph } from './jsonld.js';
import { PAGE_PATH, renderPage } from './page.js';

export const csvPath = (table: string) => `csv/${table}.csv`;

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function describe(path: string, content: string): PublishedFile {
  return { path, bytes: Buffer.byteLength(content, 'utf8'), sha256: sha256Hex(content) };
}

export interface EmitOptions {
  /** Publish everything but the article texts (`--no-texts`): `articles.text` is empty; offsets and `source_sha256` stay. */
  textsOmitted?: boolean;
}

const TEXTS_OMITTED_NOTE =
  'Empty in this edition: the article texts are not published (their publishers’ terms do not allow it). Offsets and `source_sha256` still refer to the original texts.';

/** Metadata of a build without texts: `articles.text` is no longer required and says why it is empty. */
function markTextOmitted(field: Record<string, unknown>, descriptionKey: string): void {
  field[descriptionKey] = `${String(field[descriptionKey])} ${TEXTS_OMITTED_NOTE}`;
  if ('required' in field) field['required'] = false;
  const constraints = field['constraints'] as Record<string, unknown> | undefined;
  if (constraints) delete constraints['required'];
}

export function emitDataset(tables: Tables, report: Report, version: string, options: EmitOptions = {}): Map<string, string> {
  const textsOmitted = options.textsOmitted ?? false;
  if (textsOmitted) tables = { ...tables, articles: tables.articles.map((a) => ({ ...a, text: '' })) };
  const files = new Map<string, string>();
  // Size and hash of each file, computed once: the metadata, the page and SHA256SUMS all list them.
  const descriptions = new Map<string, PublishedFile>();
  const describedFiles = () =>
    [...files.entries()].map(([path, content]) => {
      if (!descriptions.has(path)) descriptions.set(path, describe(path, content));
      return descriptions.get(path)!;
    });
  const csvFiles = new Map<string, PublishedFile>();
  for (const table of TABLE_NAMES) {
    const content = toCsv(table, tables[table] as unknown as Array<Record<string, unknown>>);
    files.set(csvPath(table), content);
    csvFiles.set(table, describedFiles().find((f) => f.path === csvPath(table))!);
  }
  const datapackage = dataPackage(version, csvFiles) as { resources: Array<{ name: string; schema: { fields: Array<Record<string, unknown>> } }> };
  const csvw = csvwMetadata(version, csvPath) as { tables: Array<{ url: string; tableSchema: { columns: Array<Record<string, unknown>> } }> };
  if (textsOmitted) {
    markTextOmitted(datapackage.resources.find((r) => r.name === 'articles')!.schema.fields.find((f) => f['name'] === 'text')!, 'description');
    markTextOmitted(csvw.tables.find((t) => t.url === csvPath('articles'))!.tableSchema.columns.find((c) => c['name'] === 'text')!, 'dc:description');
  }
  files.set('datapackage.json', json(datapackage));
  files.set('csv-metadata.json', json(csvw));
  files.set('README.md', textsOmitted ? `${dataDictionary(version)}\n## This edition\n\nThe article texts are not published: \`articles.text\` is empty. ${TEXTS_OMITTED_NOTE}\n` : dataDictionary(version));
  files.set('report.json', json(report));
  const dataGraph = jsonLdGraph(tables, version, describedFiles()) as { '@graph': Array<Record<string, unknown>> };
  // An empty articleBody would claim the article has no text; leave the property out instead.
  if (textsOmitted) for (const node of dataGraph['@graph']) if (node['articleBody'] === '') delete node['articleBody'];
  files.set('dataset.jsonld', json(dataGraph));
  // The page lists every file above with its hash; it cannot list its own, nor SHA256SUMS (which covers the page).
  files.set(PAGE_PATH, renderPage({ tables, report, files: describedFiles(), version, textsOmitted }));
  const sums = describedFiles().sort((a, b) => (a.path < b.path ? -1 : 1));
  files.set('SHA256SUMS', sums.map((f) => `${f.sha256}  ${f.path}\n`).join(''));
  return files;
}
