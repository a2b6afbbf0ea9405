// The emit stage: tables and report → the published files (contents only;
// io.ts writes them). Order matters: metadata files describe the CSVs, and
// SHA256SUMS covers everything else.
import type { Report } from '../build.js';
import { sha256Hex } from '../ids.js';
import type { Tables } from '../merge.js';
import { TABLE_NAMES } from '../schema.js';
import { toCsv } from './csv.js';
import { csvwMetadata } from './csvw.js';
import { dataPackage, type PublishedFile } from './datapackage.js';
import { dataDictionary } from './dictionary.js';
import { jsonLdGraph } from './jsonld.js';

export const csvPath = (table: string) => `csv/${table}.csv`;

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function describe(path: string, content: string): PublishedFile {
  return { path, bytes: Buffer.byteLength(content, 'utf8'), sha256: sha256Hex(content) };
}

export function emitDataset(tables: Tables, report: Report, version: string): Map<string, string> {
  const files = new Map<string, string>();
  const csvFiles = new Map<string, PublishedFile>();
  for (const table of TABLE_NAMES) {
    const content = toCsv(table, tables[table] as unknown as Array<Record<string, unknown>>);
    files.set(csvPath(table), content);
    csvFiles.set(table, describe(csvPath(table), content));
  }
  files.set('datapackage.json', json(dataPackage(version, csvFiles)));
  files.set('csv-metadata.json', json(csvwMetadata(version, csvPath)));
  files.set('README.md', dataDictionary(version));
  files.set('report.json', json(report));
  const described = [...files.entries()].map(([path, content]) => describe(path, content));
  files.set('dataset.jsonld', json(jsonLdGraph(tables, version, described)));
  const paths = [...files.keys()].sort();
  files.set('SHA256SUMS', paths.map((p) => `${sha256Hex(files.get(p)!)}  ${p}\n`).join(''));
  return files;
}
