// The emit stage: the published files, written as streams. The article
// tables and the articles' JSON-LD nodes are the articles' serialised
// fragments (made per article, in the worker threads, and stored per chunk
// of consecutive articles) concatenated in input-file order, so no table is
// ever held whole in memory. Order matters: metadata files describe the CSVs, dataset.jsonld
// lists them, the landing page lists every file before it with its hash, and
// SHA256SUMS covers everything else. No I/O here: the publisher is given.
import { createHash } from 'node:crypto';
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

/**
 * The SHA-256 of a published file, fed in order with its bytes in memory and its stored pieces (read where
 * the hashing is done: the publisher hashes a gigabyte of pieces beside the build, not in its thread).
 */
export interface FileDigest {
  /** Bytes in memory: done with them (copied or hashed) when it returns. */
  update(bytes: Uint8Array): void;
  /** A stored chunk's piece. */
  updatePiece(location: string, piece: string): void;
  /** The hex SHA-256 of everything fed, once it is hashed. */
  digest(): Promise<string>;
}

/** Where the published files go (io.ts: a staging folder swapped in at the end; tests: memory), and where the chunks' pieces are read. */
export interface Publisher {
  open(path: string): PublishedSink;
  /**
   * Hashes a file as it is written. `inMemory`: the file is made of bytes in memory (a build without cache):
   * hashed as they come, where copying them to another thread would cost as much.
   */
  digest(inMemory?: boolean): FileDigest;
  /** The bytes of a stored chunk's piece. */
  readPiece(location: string, piece: string): Uint8Array;
  /** The byte length of a stored chunk's piece. */
  pieceSize(location: string, piece: string): number;
  /** The bytes of a stored chunk's piece a block at a time (each block is only valid until the next: the buffer is reused). */
  pieceBlocks(location: string, piece: string): Iterable<Uint8Array>;
}

/** Chunks are gathered to this size before hashing and writing: fewer calls, same bytes. */
const CHUNK_BYTES = 1 << 20;

/** Writes one published file made of many pieces, counting its bytes and having it hashed on the way. */
class FileWriter {
  private readonly hash: FileDigest;
  private readonly sink: ReturnType<Publisher['open']>;
  // Small chunks (an article's rows) are copied into one buffer and written and hashed a megabyte at a time
  // (copying is far cheaper than Buffer.concat of thousands of small views).
  private readonly buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  private used = 0;
  private bytes = 0;

  constructor(
    private readonly publisher: Publisher,
    readonly path: string,
    inMemory = false,
  ) {
    this.sink = publisher.open(path);
    this.hash = publisher.digest(inMemory);
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

  /** A stored chunk's piece: hashed and copied by the publisher, never read here. */
  writeStored(location: string, piece: string): void {
    this.flush();
    const bytes = this.publisher.pieceSize(location, piece);
    if (bytes === 0) return;
    this.hash.updatePiece(location, piece);
    this.sink.copy(location, piece);
    this.bytes += bytes;
  }

  private flush(): void {
    if (this.used === 0) return;
    this.emit(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  async close(): Promise<PublishedFile> {
    this.flush();
    this.sink.close();
    return { path: this.path, bytes: this.bytes, sha256: await this.hash.digest() };
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

/** Enough of a piece's start for the previews, most of the time: a chunk's piece is megabytes. */
const PREVIEW_PREFIX_BYTES = 1 << 16;

/** The first rows of a CSV piece, parsed from its start only when that holds them (rows can be long: article texts). */
export function firstRows(table: ArticleTableName, bytes: Buffer, wanted: number): Array<Record<string, unknown>> {
  if (bytes.length > PREVIEW_PREFIX_BYTES) {
    try {
      // The prefix's last row may be cut: the rows are trusted only when another one follows them.
      const rows = parseCsvRows(table, bytes.toString('utf8', 0, PREVIEW_PREFIX_BYTES), wanted + 1);
      if (rows.length === wanted + 1) return rows.slice(0, wanted);
    } catch {
      // cut inside a quoted cell before enough rows: the whole piece below
    }
  }
  return parseCsvRows(table, bytes.toString('utf8'), wanted);
}

/** A small file, written and hashed at once. */
function writeWhole(publisher: Publisher, path: string, content: string): PublishedFile {
  const data = Buffer.from(content, 'utf8');
  const sink = publisher.open(path);
  if (data.length > 0) sink.write(data);
  sink.close();
  return { path, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') };
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

  /** `rowsInMemory`: the chunks' rows come in memory (a build without cache), not as stored pieces. */
  constructor(
    private readonly publisher: Publisher,
    rowsInMemory = false,
  ) {
    this.tables = new Map(ARTICLE_TABLES.map((t) => [t, new FileWriter(publisher, csvPath(t), rowsInMemory)]));
    for (const [table, writer] of this.tables) writer.write(csvHeader(table));
    this.graph = new FileWriter(publisher, 'dataset.jsonld', rowsInMemory);
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
      else writer.writeStored(location, table);
      const preview = this.previews[table] as unknown[];
      if (preview.length < PREVIEW_ROWS) {
        const bytes = inMemory ?? this.publisher.readPiece(location, table);
        if (bytes.length > 0) preview.push(...firstRows(table, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), PREVIEW_ROWS - preview.length));
      }
    }
    const nodes = rows?.[BODY_SECTIONS.indexOf('jsonld')];
    if (nodes) this.graph.write(nodes);
    else this.graph.writeStored(location, 'jsonld');
  }

  /**
   * A chunk's window of recent meetings for the network picture, newest first, parsed as they are asked for
   * (MeetingDigest.absorbRecent reads only as far as they are newer than what it keeps).
   */
  networkMeetings(location: string): Iterable<NetworkMeeting> {
    return networkMeetingsOf(linesOfBlocks(this.publisher.pieceBlocks(location, 'network')));
  }

  /** The lines of the given piece of every chunk, in order, read as they are asked for. */
  private *linesOf(piece: string, chunks: readonly string[]): Generator<string> {
    for (const location of chunks) yield* linesOfBlocks(this.publisher.pieceBlocks(location, piece));
  }

  async finish(input: DatasetInput): Promise<ReportListing> {
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
    // The article tables' last pieces may still be being hashed: they are waited for together.
    for (const [table, file] of await Promise.all([...this.tables].map(async ([table, writer]) => [table, await writer.close()] as const))) tableFiles.set(table, file);
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
      else reportFile.writeStored(part.location, part.piece);
    }
    const reportWritten = reportFile.close();

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
    files.push(await reportWritten);
    // The Dataset node lists every article (isBasedOn), read back from the chunks as it is written.
    for (const piece of datasetElement(version, this.linesOf('article-ids', digest.chunks), files)) graph.write(piece);
    graph.write(GRAPH_CLOSING);
    files.push(await graph.close());

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
