// The emit stage: the published files, written as streams. The article
// tables and the articles' JSON-LD nodes are the articles' serialised
// fragments (made per article, in the worker threads) concatenated in
// input-file order as the articles arrive, so no table is ever held whole in
// memory. Order matters: metadata files describe the CSVs, dataset.jsonld
// lists them, the landing page lists every file before it with its hash, and
// SHA256SUMS covers everything else. No I/O here: the publisher is given.
import { createHash, type Hash } from 'node:crypto';
import { BODY_SECTIONS, PIPELINE_NAME, type DatasetDigest } from '../build.js';
import { ARTICLE_TABLES, ENTITY_TABLES, emptyTables, type EntityMerger } from '../merge.js';
import { MessageSink } from '../messages.js';
import { TABLE_NAMES, type TableName } from '../schema.js';
import type { ReportCollector, ReportListing, ScratchFile } from './report.js';
import { validate } from '../validate.js';
import { csvHeader, parseCsvRows, toCsv } from './csv.js';
import { csvwMetadata } from './csvw.js';
import { dataPackage, type PublishedFile } from './datapackage.js';
import { dataDictionary } from './dictionary.js';
import { GRAPH_CLOSING, GRAPH_OPENING, GRAPH_SEPARATOR, datasetElement, graphElement, jsonLdNode } from './jsonld.js';
import { PAGE_PATH, PREVIEW_ROWS, renderPage, type PageData } from './page.js';

export const csvPath = (table: string) => `csv/${table}.csv`;

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Where the published files go (io.ts: a staging folder swapped in at the end; tests: memory). */
export interface Publisher {
  /** write() must be done with the chunk when it returns: the caller reuses the buffer. */
  open(path: string): { write(chunk: Uint8Array): void; close(): void };
  /** A file for what the build appends as it goes and reads back once at the end instead of holding it; never published. */
  scratch(name: string): ScratchFile;
}

/** Chunks are gathered to this size before hashing and writing: fewer calls, same bytes. */
const CHUNK_BYTES = 1 << 20;

/** Writes one published file, counting its bytes and hashing it on the way. */
class FileWriter {
  private readonly hash: Hash = createHash('sha256');
  private readonly sink: ReturnType<Publisher['open']>;
  // Small chunks (an article's rows) are copied into one buffer and written and hashed a megabyte at a time
  // (copying is far cheaper than Buffer.concat of thousands of small views).
  private readonly buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  private used = 0;
  private bytes = 0;

  constructor(
    publisher: Publisher,
    readonly path: string,
  ) {
    this.sink = publisher.open(path);
  }

  write(chunk: string | Uint8Array): void {
    const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (data.length === 0) return;
    if (this.used + data.length > CHUNK_BYTES) this.flush();
    if (data.length >= CHUNK_BYTES) {
      this.emit(data);
      return;
    }
    this.buffer.set(data, this.used);
    this.used += data.length;
  }

  private emit(data: Uint8Array): void {
    this.hash.update(data);
    this.sink.write(data);
    this.bytes += data.length;
  }

  private flush(): void {
    if (this.used === 0) return;
    this.emit(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  close(): PublishedFile {
    this.flush();
    this.sink.close();
    return { path: this.path, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }
}

function writeWhole(publisher: Publisher, path: string, content: string): PublishedFile {
  const writer = new FileWriter(publisher, path);
  writer.write(content);
  return writer.close();
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

export interface DatasetInput {
  digest: DatasetDigest;
  merger: EntityMerger;
  /** Every input and message of the articles so far; the run's own messages are added here. */
  report: ReportCollector;
  texts: boolean;
  version: string;
}

/**
 * Writes the dataset as the articles arrive (in input-file order): each
 * article's stored fragments are appended to the article tables and to the
 * JSON-LD graph at once, so nothing per article is held; finish() writes
 * what needs every article (entity tables, metadata, report, page, sums).
 */
export class DatasetWriter {
  private readonly csvWriters: Map<(typeof ARTICLE_TABLES)[number], FileWriter>;
  private readonly graph: FileWriter;
  private graphNodes = 0;
  private readonly previews = emptyTables();

  constructor(private readonly publisher: Publisher) {
    this.csvWriters = new Map(ARTICLE_TABLES.map((t) => [t, new FileWriter(publisher, csvPath(t))]));
    for (const [table, writer] of this.csvWriters) writer.write(csvHeader(table));
    this.graph = new FileWriter(publisher, 'dataset.jsonld');
    this.graph.write(GRAPH_OPENING);
  }

  /** One node of the graph, written a piece at a time. */
  private graphNode(pieces: Iterable<string | Uint8Array>): void {
    if (this.graphNodes++ > 0) this.graph.write(GRAPH_SEPARATOR);
    for (const piece of pieces) this.graph.write(piece);
  }

  /** Appends one article's stored body (its sections, of the given byte lengths). */
  addArticle(body: Uint8Array, lengths: readonly number[]): void {
    let offset = 0;
    const sections = lengths.map((length) => body.subarray(offset, (offset += length)));
    ARTICLE_TABLES.forEach((table, i) => {
      const section = sections[i]!;
      this.csvWriters.get(table)!.write(section);
      // The landing page previews the first rows of each table, read back from the CSV: only the first articles are parsed.
      if (this.previews[table].length < PREVIEW_ROWS && section.length > 0) {
        const rows = parseCsvRows(table, Buffer.from(section).toString('utf8'));
        (this.previews[table] as unknown[]).push(...rows.slice(0, PREVIEW_ROWS - this.previews[table].length));
      }
    });
    const nodes = sections[BODY_SECTIONS.indexOf('jsonld')]!;
    if (nodes.length > 0) this.graphNode([nodes]);
  }

  finish(input: DatasetInput): ReportListing {
    const { digest, version } = input;
    const { publisher, previews } = this;
    const textsOmitted = !input.texts;
    const runSink = new MessageSink();

    // The entity tables: one row per entity from the tallies. Every occurrence was valid, so a merged row that is
    // not is a bug (the articles' rows point at it): stop rather than publish dangling references.
    const entities = validate({ ...emptyTables(), ...input.merger.finish(runSink) }, runSink);
    const broken = runSink.messages.filter((m) => m.stage === 'validate');
    if (broken.length > 0) throw new Error(`internal: merged entity rows failed validation: ${broken.map((m) => m.reason).join('; ')}`);

    const tableFiles = new Map<TableName, PublishedFile>();
    for (const [table, writer] of this.csvWriters) tableFiles.set(table, writer.close());
    for (const table of ENTITY_TABLES) {
      tableFiles.set(table, writeWhole(publisher, csvPath(table), toCsv(table, entities[table] as unknown as Array<Record<string, unknown>>)));
      (previews[table] as unknown[]) = entities[table].slice(0, PREVIEW_ROWS);
    }

    // Metadata of the CSVs, and the report.
    const datapackage = dataPackage(version, tableFiles) as { resources: Array<{ name: string; schema: { fields: Array<Record<string, unknown>> } }> };
    const csvw = csvwMetadata(version, csvPath) as { tables: Array<{ url: string; tableSchema: { columns: Array<Record<string, unknown>> } }> };
    if (textsOmitted) {
      markTextOmitted(datapackage.resources.find((r) => r.name === 'articles')!.schema.fields.find((f) => f['name'] === 'text')!, 'description');
      markTextOmitted(csvw.tables.find((t) => t.url === csvPath('articles'))!.tableSchema.columns.find((c) => c['name'] === 'text')!, 'dc:description');
    }
    const files: PublishedFile[] = TABLE_NAMES.map((t) => tableFiles.get(t)!);
    files.push(writeWhole(publisher, 'datapackage.json', json(datapackage)));
    files.push(writeWhole(publisher, 'csv-metadata.json', json(csvw)));
    files.push(
      writeWhole(publisher, 'README.md', textsOmitted ? `${dataDictionary(version)}\n## This edition\n\nThe article texts are not published: \`articles.text\` is empty. ${TEXTS_OMITTED_NOTE}\n` : dataDictionary(version)),
    );
    const counts = { ...digest.counts } as Record<TableName, number>;
    for (const t of ENTITY_TABLES) counts[t] = entities[t].length;
    input.report.late([], runSink.messages);
    const report = input.report.head({ name: PIPELINE_NAME, version }, Object.fromEntries(TABLE_NAMES.map((t) => [t, counts[t]])));
    const reportFile = new FileWriter(publisher, 'report.json');
    for (const piece of input.report.text(report)) reportFile.write(piece);
    files.push(reportFile.close());

    // The dataset-wide nodes close the graph: entities, then the Dataset itself,
    // which lists the files above with their hashes.
    // (A person's roles point back at the person from the article's role nodes: nothing to gather here.)
    for (const table of ENTITY_TABLES) {
      for (const row of entities[table] as unknown as Array<Record<string, unknown>>) {
        const node = jsonLdNode(table, row);
        if (node) this.graphNode([graphElement(node)]);
      }
    }
    // The Dataset node lists every article (isBasedOn), read back from the scratch file as it is written.
    this.graphNode(datasetElement(version, digest.articleIds.lines(), files));
    this.graph.write(GRAPH_CLOSING);
    files.push(this.graph.close());

    // The page lists every file above with its hash; it cannot list its own, nor SHA256SUMS (which covers the page).
    const data: PageData = {
      counts,
      previews,
      articles: digest.listings,
      entities: entities.entities,
      people: entities.people,
      places: entities.places,
      events: entities.events,
      placeMentions: digest.placeMentions,
      meetings: digest.meetings,
    };
    files.push(writeWhole(publisher, PAGE_PATH, renderPage({ data, report, files, version, textsOmitted })));
    const sums = [...files].sort((a, b) => (a.path < b.path ? -1 : 1));
    writeWhole(publisher, 'SHA256SUMS', sums.map((f) => `${f.sha256}  ${f.path}\n`).join(''));
    return input.report.listing(report);
  }
}
