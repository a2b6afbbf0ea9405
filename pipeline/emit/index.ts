// The emit stage: the published files, written as streams. The article
// tables and the articles' JSON-LD nodes are the articles' serialised
// fragments (made per article, in the worker threads, and stored per chunk
// of consecutive articles) concatenated in input-file order, so no table is
// ever held whole in memory. Order matters: metadata files describe the CSVs, dataset.jsonld
// lists them, the landing page lists every file before it with its hash, and
// SHA256SUMS covers everything else. No I/O here: the publisher is given.
import { createHash, type Hash } from 'node:crypto';
import { BODY_SECTIONS, PIPELINE_NAME, type DatasetDigest } from '../build.js';
import { ARTICLE_TABLES, ENTITY_TABLES, emptyTables, type ArticleTableName, type EntityMerger } from '../merge.js';
import { MessageSink } from '../messages.js';
import { TABLE_NAMES, type TableName } from '../schema.js';
import type { ReportArray, ReportCollector, ReportListing } from './report.js';
import { validate } from '../validate.js';
import { csvHeader, parseCsvRows, toCsv } from './csv.js';
import { csvwMetadata } from './csvw.js';
import { dataPackage, type PublishedFile } from './datapackage.js';
import { dataDictionary } from './dictionary.js';
import { GRAPH_CLOSING, GRAPH_OPENING, GRAPH_SEPARATOR, datasetElement, graphElement, jsonLdNode } from './jsonld.js';
import type { NetworkMeeting } from './meetings.js';
import { PAGE_PATH, PREVIEW_ROWS, renderPage, type PageData } from './page.js';

export const csvPath = (table: string) => `csv/${table}.csv`;

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** A published file being written. */
export interface PublishedSink {
  /** Must be done with the chunk when it returns: the caller reuses the buffer. */
  write(chunk: Uint8Array): void;
  /** Appends a stored chunk's piece (the publisher may copy it without reading it into memory). */
  copy(location: string, piece: string): void;
  close(): void;
}

/** Where the published files go (io.ts: a staging folder swapped in at the end; tests: memory), and where the chunks' pieces are read. */
export interface Publisher {
  open(path: string): PublishedSink;
  /** The bytes of a stored chunk's piece. */
  readPiece(location: string, piece: string): Uint8Array;
  /** The bytes of a stored chunk's piece a block at a time (each block is only valid until the next: the buffer is reused). */
  pieceBlocks(location: string, piece: string): Iterable<Uint8Array>;
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

  /** A stored chunk's piece: hashed here (read a block at a time), copied by the publisher. */
  writeStored(location: string, piece: string, blocks: Iterable<Uint8Array>): void {
    this.flush();
    let bytes = 0;
    for (const block of blocks) {
      this.hash.update(block);
      bytes += block.length;
    }
    if (bytes === 0) return;
    this.sink.copy(location, piece);
    this.bytes += bytes;
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

/** Lines of text read a block at a time (split on the byte 0x0a, so a character cut between two blocks is joined again). */
function* linesOfBlocks(blocks: Iterable<Uint8Array>): Generator<string> {
  let carry: Buffer = Buffer.alloc(0);
  for (const block of blocks) {
    const data = carry.length > 0 ? Buffer.concat([carry, block]) : Buffer.from(block.buffer, block.byteOffset, block.length);
    let start = 0;
    for (let end = data.indexOf(0x0a, start); end !== -1; end = data.indexOf(0x0a, start)) {
      yield data.toString('utf8', start, end);
      start = end + 1;
    }
    // The block is reused for the next read: keep a copy of the unfinished line.
    carry = Buffer.from(data.subarray(start));
  }
  if (carry.length > 0) throw new Error('internal: a stored piece does not end with a line break');
}

/** The lines of a chunk's `network` piece, parsed as they are asked for (an undated meeting's day, -Infinity, is stored as null). */
function* networkMeetingsOf(lines: Iterable<string>): Generator<NetworkMeeting> {
  for (const line of lines) {
    const stored = JSON.parse(line) as Omit<NetworkMeeting, 'day'> & { day: number | null };
    yield { ...stored, day: stored.day ?? -Infinity };
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
 * Writes the published files: the article tables and the articles' JSON-LD nodes are the chunks' stored
 * pieces in file order, copied as the chunks arrive (never held); finish() writes what needs every
 * article (entity tables, metadata, report, page, sums).
 */
export class DatasetWriter {
  private readonly tables: Map<ArticleTableName, FileWriter>;
  private readonly graph: FileWriter;
  /** The first rows of each article table (the page previews them), parsed from the first chunks. */
  private readonly previews = emptyTables();

  constructor(private readonly publisher: Publisher) {
    this.tables = new Map(ARTICLE_TABLES.map((t) => [t, new FileWriter(publisher, csvPath(t))]));
    for (const [table, writer] of this.tables) writer.write(csvHeader(table));
    this.graph = new FileWriter(publisher, 'dataset.jsonld');
    this.graph.write(GRAPH_OPENING);
  }

  /**
   * The next chunk's rows, as it arrives: its pieces are hashed now and copied by the publisher (while
   * the build goes on), so that neither waits for the end.
   */
  addChunk(location: string, rows?: readonly Uint8Array[]): void {
    for (const [table, writer] of this.tables) {
      const inMemory = rows?.[BODY_SECTIONS.indexOf(table)];
      if (inMemory) writer.write(inMemory);
      else writer.writeStored(location, table, this.publisher.pieceBlocks(location, table));
      const preview = this.previews[table] as unknown[];
      if (preview.length < PREVIEW_ROWS) {
        const bytes = inMemory ?? this.publisher.readPiece(location, table);
        if (bytes.length > 0) preview.push(...parseCsvRows(table, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8')).slice(0, PREVIEW_ROWS - preview.length));
      }
    }
    const nodes = rows?.[BODY_SECTIONS.indexOf('jsonld')];
    if (nodes) this.graph.write(nodes);
    else this.graph.writeStored(location, 'jsonld', this.publisher.pieceBlocks(location, 'jsonld'));
  }

  /** The lines of the given piece of every chunk, in order, read as they are asked for. */
  private *linesOf(piece: string, chunks: readonly string[]): Generator<string> {
    for (const location of chunks) yield* linesOfBlocks(this.publisher.pieceBlocks(location, piece));
  }

  finish(input: DatasetInput): ReportListing {
    const { digest, version } = input;
    const { publisher } = this;
    const { previews } = this;
    const textsOmitted = !input.texts;
    const runSink = new MessageSink();

    // The entity tables: one row per entity from the tallies. Every occurrence was valid, so a merged row that is
    // not is a bug (the articles' rows point at it): stop rather than publish dangling references.
    const entities = validate({ ...emptyTables(), ...input.merger.finish(runSink) }, runSink);
    const broken = runSink.messages.filter((m) => m.stage === 'validate');
    if (broken.length > 0) throw new Error(`internal: merged entity rows failed validation: ${broken.map((m) => m.reason).join('; ')}`);

    const tableFiles = new Map<TableName, PublishedFile>();
    for (const [table, writer] of this.tables) tableFiles.set(table, writer.close());
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
    // The chunks' rendered entries, copied, with the late ones in their place.
    const reportFile = new FileWriter(publisher, 'report.json');
    const pieceOf = (array: ReportArray) => (array === 'inputs' ? 'report-inputs' : 'report-messages');
    const stored = (array: ReportArray) => digest.chunks.map((location) => ({ location, piece: pieceOf(array) }));
    const pieceText = ({ location, piece }: { location: string; piece: string }) => Buffer.from(publisher.readPiece(location, piece)).toString('utf8');
    for (const part of input.report.text(report, stored, pieceText)) {
      if (typeof part === 'string') reportFile.write(part);
      else reportFile.writeStored(part.location, part.piece, publisher.pieceBlocks(part.location, part.piece));
    }
    files.push(reportFile.close());

    // The articles' nodes (each followed by the separator), then the dataset-wide nodes close the graph:
    // entities, then the Dataset itself, which lists the files above with their hashes.
    // (A person's roles point back at the person from the article's role nodes: nothing to gather here.)
    const graph = this.graph;
    for (const table of ENTITY_TABLES) {
      for (const row of entities[table] as unknown as Array<Record<string, unknown>>) {
        const node = jsonLdNode(table, row);
        if (node) graph.write(`${graphElement(node)}${GRAPH_SEPARATOR}`);
      }
    }
    // The Dataset node lists every article (isBasedOn), read back from the chunks as it is written.
    for (const piece of datasetElement(version, this.linesOf('article-ids', digest.chunks), files)) graph.write(piece);
    graph.write(GRAPH_CLOSING);
    files.push(graph.close());

    // The network draws among the most recent meetings: each chunk's window, newest first, read only as far as it is newer than what is kept.
    for (const location of digest.chunks) {
      digest.meetings.absorbRecent(networkMeetingsOf(linesOfBlocks(this.publisher.pieceBlocks(location, 'network'))));
    }

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
