// The core of a build, with no I/O. processArticle is the per-article part
// (pure, so it runs in worker threads and is cached by content hash): it
// decodes, cleans, extracts, localizes and validates one article and
// serialises its rows for publication. ChunkAssembler folds a run of
// consecutive articles (a chunk, in a worker thread): their rows become the
// chunk's pieces (stored, and cached as a whole) and the rest a small state
// (duplicates, report counts, entity tallies, what the landing page needs).
// DatasetAssembler is the cross-article part: it combines the chunks' states
// in input-file order and finally has the pieces copied into the published
// files, so memory does not grow with the articles' rows.
import { createHash } from 'node:crypto';
import packageJson from '../package.json' with { type: 'json' };
import { clean, wordCountOf } from './clean.js';
import type { CleanArticle } from './article.js';
import { decode, type Decoded } from './decode/index.js';
import { csvRows } from './emit/csv.js';
import { DatasetWriter, type Publisher } from './emit/index.js';
import { GRAPH_SEPARATOR, graphElement, jsonLdNodes } from './emit/jsonld.js';
import { ArticleListings, evidenceSentence, type ArticleListing, type ArticleListingsState } from './emit/page.js';
import { MeetingDigest, type MeetingDigestState } from './emit/meetings.js';
import { ReportCollector, type ReportListing, type ReportState } from './emit/report.js';
import { extract } from './extract/index.js';
import type { Extraction } from './extract/types.js';
import { articleId, sha256Hex } from './ids.js';
import { ARTICLE_TABLES, EntityMerger, localize, type ArticleTableName, type EntityMergerState, type EntityOccurrence, type Tables } from './merge.js';
import { MessageSink, compareMessages, type Message, type Stage } from './messages.js';
import type { ArticlesRecord, InteractionParticipantsRecord, InteractionsRecord } from './records.generated.js';
import { validateArticle } from './validate.js';

export const PIPELINE_NAME = packageJson.name;
export const PIPELINE_VERSION = packageJson.version;

export interface InputFile {
  /** Name relative to the input folder. */
  name: string;
  bytes: Uint8Array;
}

/** An entry of the input folder that is not an article file (directory, hidden file). */
export interface SkippedInput {
  name: string;
  reason: string;
}

export interface ProcessOptions {
  /** false: `articles.text` is published empty (`--no-texts`). */
  texts: boolean;
  /** For per-stage timings; the result does not depend on it. */
  clock?: () => number;
}

/** Sections of an article's stored body, in order: a CSV fragment per article table, then its JSON-LD nodes. */
export const BODY_SECTIONS = [...ARTICLE_TABLES, 'jsonld'] as const;
export type BodySection = (typeof BODY_SECTIONS)[number];

/** What the cross-article steps need of one article: small, kept in memory until the build ends. */
export interface ArticleDigest {
  listing: ArticleListing;
  occurrences: EntityOccurrence[];
  counts: Record<ArticleTableName, number>;
  /** For the landing page's pictures. */
  interactions: InteractionsRecord[];
  participants: InteractionParticipantsRecord[];
  /** Evidence sentence of each interaction (null when the texts are not published). */
  evidence: Array<string | null>;
  placeMentions: Array<[string, number]>;
  /** Byte length of each body section, in BODY_SECTIONS order. */
  sections: number[];
}

export interface ArticleSummary {
  file: string;
  sha256: string;
  bytes: number;
  /** Key of the stored part: the hash of the file name, the raw bytes and the build options. */
  key: string;
  status: 'emitted' | 'rejected';
  rule?: string;
  reason?: string;
  /** Sorted for the report. */
  messages: Message[];
  /** Milliseconds per stage, when a clock was given. */
  timings: Partial<Record<Stage, number>>;
  digest?: ArticleDigest;
}

/** One processed article: its summary and, when emitted, the serialised rows (the body). */
export interface ArticlePart {
  summary: ArticleSummary;
  body: Uint8Array | null;
}

/** Key under which an article's part is stored: name and bytes (the summary records the name), and the options that shape the body. */
export function partKey(name: string, bytes: Uint8Array, options: Pick<ProcessOptions, 'texts'>): string {
  return createHash('sha256').update(`${name}\u0000${options.texts ? 'texts' : 'no-texts'}\u0000`).update(bytes).digest('hex');
}

export interface Analysis {
  id: string;
  sha256: string;
  decoded: Decoded;
  clean: CleanArticle;
  extraction: Extraction;
}

type Timed = <T>(stage: Stage, run: () => T) => T;
const untimed: Timed = (_stage, run) => run();

/** Decode, clean and extract one article; null when it is rejected (the reason is in the sink). */
export function analyzeArticle(input: InputFile, sink: MessageSink, timed: Timed = untimed, sha256 = sha256Hex(input.bytes)): Analysis | null {
  const id = articleId(sha256);
  const decoded = timed('decode', () => decode(input.bytes, sink));
  if (!decoded) return null;
  const cleaned = timed('clean', () => clean({ article_id: id, source_file: input.name, text: decoded.text }, sink));
  if (!cleaned) return null;
  const extraction = timed('extract', () => extract(cleaned, sink));
  return { id, sha256, decoded, clean: cleaned, extraction };
}

/** The article's own row (its text as cleaned). */
export function articleRecord(input: InputFile, { id, sha256, decoded, clean }: Analysis): ArticlesRecord {
  return {
    article_id: id,
    source_file: input.name,
    source_sha256: sha256,
    encoding: decoded.encoding,
    repairs: decoded.repairs.length,
    title: clean.title,
    title_source: clean.title_source,
    date_published: clean.date_published,
    word_count: wordCountOf(clean.text),
    text: clean.text,
  };
}

/** Everything per article: the stages, validation and the serialised rows. Pure apart from the optional clock. */
export function processArticle(input: InputFile, options: ProcessOptions, key = partKey(input.name, input.bytes, options)): ArticlePart {
  const sha256 = sha256Hex(input.bytes);
  const sink = new MessageSink(input.name, articleId(sha256));
  const timings: Partial<Record<Stage, number>> = {};
  const clock = options.clock;
  const timed: Timed = (stage, run) => {
    if (!clock) return run();
    const t0 = clock();
    const result = run();
    timings[stage] = (timings[stage] ?? 0) + clock() - t0;
    return result;
  };
  const summary: ArticleSummary = { file: input.name, sha256, bytes: input.bytes.length, key, status: 'rejected', messages: sink.messages, timings };
  const finish = (body: Uint8Array | null): ArticlePart => {
    summary.messages.sort(compareMessages);
    if (body === null) {
      const error = sink.messages.find((m) => m.severity === 'error')!;
      Object.assign(summary, { status: 'rejected', rule: error.rule, reason: error.reason });
    }
    return { summary, body };
  };

  const analysis = analyzeArticle(input, sink, timed, sha256);
  if (!analysis) return finish(null);
  const record = articleRecord(input, analysis);
  const localized = timed('merge', () => localize({ record, clean: analysis.clean, extraction: analysis.extraction }));
  const validated = timed('validate', () => validateArticle(localized, sink));
  if (!validated) return finish(null);
  const serialised = timed('emit', () => serialise(validated.rows, validated.occurrences, options));
  summary.status = 'emitted';
  summary.digest = serialised.digest;
  return finish(serialised.body);
}

const utf8 = new TextEncoder();
/** Reused by serialise (it only ever grows to the largest article's need): the body's bytes are copied out of it. */
let encodingSpace = new Uint8Array(1 << 16);

export function serialise(rows: Pick<Tables, ArticleTableName>, occurrences: EntityOccurrence[], options: ProcessOptions): { digest: ArticleDigest; body: Uint8Array } {
  const article = rows.articles[0]!;
  const { text, ...listing } = article;
  const published: Pick<Tables, ArticleTableName> = options.texts ? rows : { ...rows, articles: [{ ...article, text: '' }] };
  const nodes = jsonLdNodes(published);
  // An empty articleBody would claim the article has no text; leave the property out instead.
  if (!options.texts) for (const node of nodes) if (node['articleBody'] === '') delete node['articleBody'];
  const sections = BODY_SECTIONS.map((s) => (s === 'jsonld' ? nodes.map(graphElement).join(GRAPH_SEPARATOR) : csvRows(s, published[s] as unknown as Array<Record<string, unknown>>)));
  // Encoded in one pass each into scratch space (a UTF-16 code unit is at most 3 bytes of UTF-8), then copied into
  // a buffer of its own (not Node's shared pool), so that a worker thread can transfer it.
  const space = sections.reduce((n, s) => n + 3 * s.length, 0);
  if (encodingSpace.length < space) encodingSpace = new Uint8Array(space);
  let encoded = 0;
  const lengths = sections.map((s) => {
    const { read, written } = utf8.encodeInto(s, encodingSpace.subarray(encoded));
    if (read !== s.length) throw new Error('internal: serialise: encoding space too small');
    encoded += written;
    return written;
  });
  const body = Buffer.allocUnsafeSlow(encoded);
  body.set(encodingSpace.subarray(0, encoded));
  const placeMentions = new Map<string, number>();
  for (const m of rows.mentions) if (m.entity_type === 'place') placeMentions.set(m.entity_id, (placeMentions.get(m.entity_id) ?? 0) + 1);
  const counts = {} as Record<ArticleTableName, number>;
  for (const t of ARTICLE_TABLES) counts[t] = rows[t].length;
  return {
    body,
    digest: {
      listing,
      occurrences,
      counts,
      interactions: rows.interactions,
      participants: rows.interaction_participants,
      evidence: rows.interactions.map((i) => (options.texts ? evidenceSentence(text, i.start, i.end) : null)),
      placeMentions: [...placeMentions.entries()],
      sections: lengths,
    },
  };
}

/** A part as stored: the summary as one JSON line, then the body. */
export function encodePart(part: ArticlePart): Uint8Array {
  const head = Buffer.from(`${JSON.stringify(part.summary)}\n`, 'utf8');
  return part.body ? Buffer.concat([head, part.body]) : head;
}

/** The summary of a stored part (JSON never contains a raw line break, so the first one ends it). */
export function decodeSummary(stored: Uint8Array): ArticleSummary {
  const end = stored.indexOf(0x0a);
  return JSON.parse(Buffer.from(stored.buffer, stored.byteOffset, end).toString('utf8')) as ArticleSummary;
}

/** The body of a stored part. */
export function bodyOf(stored: Uint8Array): Uint8Array {
  return stored.subarray(stored.indexOf(0x0a) + 1);
}

export interface InputReport {
  file: string;
  status: 'emitted' | 'rejected' | 'skipped';
  sha256?: string;
  bytes?: number;
  article_id?: string;
  encoding?: string;
  repairs?: number;
  rule?: string;
  reason?: string;
}

export interface Report {
  pipeline: { name: string; version: string };
  summary: {
    inputs: number;
    emitted: number;
    rejected: number;
    skipped: number;
    repairs: number;
    warnings: number;
    errors: number;
    rows: Record<string, number>;
  };
  inputs: InputReport[];
  messages: Message[];
}

/** What the end of the emit step needs of the articles: small, combined from the chunks as they arrive. */
export interface DatasetDigest {
  /** Where each chunk's pieces are stored, in file order. */
  chunks: readonly string[];
  listings: ArticleListings;
  counts: Record<ArticleTableName, number>;
  /** What the landing page draws of the meetings. */
  meetings: MeetingDigest;
  placeMentions: Map<string, number>;
}

export interface AssembleOptions {
  /** false: publish everything but the article texts (`--no-texts`), for sources that cannot be redistributed. */
  texts: boolean;
  /** The chunks' rows come in memory (a build without cache), not as stored pieces. */
  rowsInMemory: boolean;
}

const byFile = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);

/**
 * A chunk's stored pieces: a fragment per article table and the articles' JSON-LD nodes (each article's
 * followed by the graph's separator), then the report's entries (rendered as report.json prints them), the article IDs and the chunk's window of
 * recent meetings for the landing page's network (JSON lines, newest first: the main thread reads only
 * the newest of each chunk). The published files are these pieces of every chunk, in order, between
 * their heads and tails.
 */
export const CHUNK_PIECES = [...BODY_SECTIONS, 'report-inputs', 'report-messages', 'article-ids', 'network'] as const;
export type ChunkPiece = (typeof CHUNK_PIECES)[number];

/** What the dataset needs of a chunk besides its pieces: small; sent to the main thread, and cached with the pieces. */
export interface ChunkState {
  /** Input files of the chunk. */
  files: number;
  /** SHA-256 (hex, one after the other) of each emitted file, and its position in the chunk: a later file with the same bytes is a duplicate. */
  emitted: string;
  emittedAt: number[];
  report: ReportState;
  merger: EntityMergerState;
  listings: ArticleListingsState;
  /** Without its window of recent meetings (the `network` piece). */
  meetings: MeetingDigestState;
  placeMentions: Map<string, number>;
  counts: Record<ArticleTableName, number>;
  /** Milliseconds per stage of the articles processed (not of those that came from the cache). */
  timings: Partial<Record<Stage, number>>;
  /** Byte length of each piece, in CHUNK_PIECES order. */
  pieceBytes: number[];
}

/** A chunk assembled: its state and its pieces' bytes, in CHUNK_PIECES order. */
export interface AssembledChunk {
  state: ChunkState;
  pieces: Uint8Array[];
}

const GRAPH_SEPARATOR_BYTES = Buffer.from(GRAPH_SEPARATOR, 'utf8');
const zeroCounts = () => Object.fromEntries(ARTICLE_TABLES.map((t) => [t, 0])) as Record<ArticleTableName, number>;
const addTimings = (into: Partial<Record<Stage, number>>, from: Partial<Record<Stage, number>>) => {
  for (const [stage, ms] of Object.entries(from)) into[stage as Stage] = (into[stage as Stage] ?? 0) + ms;
};

/**
 * Folds a run of consecutive articles (a chunk), in file-name order: the first of two identical files is
 * the one emitted, so each article is checked against the chunk's earlier ones and, when the chunk is
 * assembled again because an earlier chunk emitted the same bytes, against those (`emittedBefore`).
 * Pure: the caller stores the pieces.
 */
export class ChunkAssembler {
  private readonly sections = BODY_SECTIONS.map(() => [] as Uint8Array[]);
  private readonly report = new ReportCollector(true);
  private readonly articleIds: string[] = [];
  private readonly firstBySha = new Map<string, string>();
  private readonly emitted: string[] = [];
  private readonly emittedAt: number[] = [];
  private lastFile: string | null = null;
  private files = 0;
  private readonly merger = new EntityMerger();
  private readonly listings = new ArticleListings();
  private readonly meetings = new MeetingDigest();
  private readonly placeMentions = new Map<string, number>();
  private readonly counts = zeroCounts();
  private readonly timings: Partial<Record<Stage, number>> = {};

  constructor(private readonly emittedBefore: (sha256: string) => string | undefined = () => undefined) {}

  /** One article: its summary and, when emitted, its body (the serialised rows). */
  add(s: ArticleSummary, body: Uint8Array | null): void {
    if (this.lastFile !== null && byFile({ file: this.lastFile }, s) >= 0) throw new Error(`internal: summaries out of file order (${s.file} after ${this.lastFile})`);
    this.lastFile = s.file;
    this.files++;
    addTimings(this.timings, s.timings);
    const entry: InputReport = { file: s.file, status: s.status, sha256: s.sha256, bytes: s.bytes };
    const duplicateOf = this.firstBySha.get(s.sha256) ?? this.emittedBefore(s.sha256);
    if (s.status === 'emitted' && duplicateOf !== undefined) {
      const reason = `same bytes as ${duplicateOf}, which is emitted`;
      this.report.input({ ...entry, status: 'rejected', rule: 'duplicate-file', reason });
      this.report.message({ stage: 'read', rule: 'duplicate-file', severity: 'error', file: s.file, reason }, true);
      return;
    }
    if (s.status !== 'emitted' || !s.digest) {
      this.report.input({ ...entry, rule: s.rule!, reason: s.reason! });
      // The rejection's own error is listed with the rejected file; the report has both.
      for (const m of s.messages) this.report.message(m, s.status === 'rejected' && m.severity === 'error' && m.rule === s.rule);
      return;
    }
    for (const m of s.messages) this.report.message(m);
    if (!body) throw new Error(`internal: ${s.file} is emitted but its rows are missing`);
    this.firstBySha.set(s.sha256, s.file);
    this.emitted.push(s.sha256);
    this.emittedAt.push(this.files - 1);
    const d = s.digest;
    this.addBody(body, d.sections);
    const { article_id, encoding, repairs } = d.listing;
    this.report.input({ ...entry, article_id, encoding, repairs });
    for (const o of d.occurrences) this.merger.add(o);
    this.articleIds.push(article_id);
    this.listings.add(d.listing);
    for (const t of ARTICLE_TABLES) this.counts[t] += d.counts[t];
    // Participants come grouped, in the order of their interactions.
    let p = 0;
    d.interactions.forEach((i, n) => {
      const from = p;
      while (p < d.participants.length && d.participants[p]!.interaction_id === i.interaction_id) p++;
      this.meetings.add(i, d.participants.slice(from, p), d.evidence[n] ?? null);
    });
    if (p !== d.participants.length) throw new Error(`internal: ${s.file}: participants out of their interactions' order`);
    for (const [place, n] of d.placeMentions) this.placeMentions.set(place, (this.placeMentions.get(place) ?? 0) + n);
  }

  /** An article's stored body (its sections, of the given byte lengths) goes to the chunk's pieces. */
  private addBody(body: Uint8Array, lengths: readonly number[]): void {
    let offset = 0;
    lengths.forEach((length, i) => {
      const section = body.subarray(offset, (offset += length));
      if (section.length > 0) this.sections[i]!.push(section);
    });
    // Every article's nodes are followed by the separator: the dataset-wide nodes always come after them.
    if (lengths[BODY_SECTIONS.indexOf('jsonld')]! > 0) this.sections[BODY_SECTIONS.indexOf('jsonld')]!.push(GRAPH_SEPARATOR_BYTES);
  }

  finish(): AssembledChunk {
    const lines = (list: Iterable<string>) => {
      const all = [...list];
      return Buffer.from(all.length > 0 ? `${all.join('\n')}\n` : '', 'utf8');
    };
    const network = this.meetings.recentMeetings().map((m) => JSON.stringify({ ...m, day: Number.isFinite(m.day) ? m.day : null }));
    const report = this.report.pieces();
    const text = (t: string) => Buffer.from(t, 'utf8');
    const pieces: Uint8Array[] = [...this.sections.map((parts) => Buffer.concat(parts)), text(report.inputs), text(report.messages), lines(this.articleIds), lines(network)];
    const state: ChunkState = {
      files: this.files,
      emitted: this.emitted.join(''),
      emittedAt: this.emittedAt,
      report: this.report.state(),
      merger: this.merger.state(),
      listings: this.listings.state(),
      meetings: { ...this.meetings.state(), recent: [] },
      placeMentions: this.placeMentions,
      counts: this.counts,
      timings: this.timings,
      pieceBytes: pieces.map((p) => p.length),
    };
    return { state, pieces };
  }
}


/** A chunk as the main thread gets it: its state, and where its pieces are stored (the publisher reads them). */
export interface StoredChunk {
  state: ChunkState;
  location: string;
  /**
   * Without a cache, the body sections (rows and JSON-LD nodes, in BODY_SECTIONS order) come in memory
   * instead and are written out once, as they arrive: storing them only to copy them would write them twice.
   */
  rows?: Uint8Array[];
}

/** The sum of the entity tallies of some cached chunks, and which: kept by the cache beside the manifest for the next build. */
export interface TallySnapshot {
  chunks: string[];
  tallies: EntityMergerState;
}

/**
 * The entity tallies of a build, without reading every chunk's. The tallies of a chunk depend on its key
 * only (its files' names and bytes, in one code version) and counts add and subtract exactly in any order,
 * so the last build's sum over the cached chunks it took in (its snapshot) is this build's sum once the
 * chunks it had and this build does not take whole are taken away and the new ones added: a build with
 * one changed file reads two chunks' tallies instead of all of them. Without a snapshot, or when one of
 * the tallies it needs cannot be read, every chunk taken whole is counted.
 */
export class TallyLedger {
  /** Chunks assembled in this build: their tallies come with them (or summed by the worker threads). */
  private readonly assembled = new EntityMerger();
  private readonly assembledKeys: string[] = [];
  /** Chunks taken whole from the cache, by key: their tallies are in the snapshot or read. */
  private readonly takenWhole: string[] = [];
  /** Chunks that are not cached (assembled again after a duplicate): not part of a snapshot. */
  private readonly uncached = new EntityMerger();
  /** How many chunks' tallies were read from the cache (for the tests and timings). */
  read = 0;

  constructor(
    /** The tallies of a cached chunk by its key, or null when they cannot be read. */
    private readonly talliesOf: (key: string) => EntityMergerState | null,
  ) {}

  /**
   * A chunk taken in: `tallies` are its own (assembled here) or none (taken whole, or summed by a worker thread:
   * addSums). A chunk without a key (no cache) counts in the total, never in a snapshot.
   */
  chunk(key: string | null, wholeFromCache: boolean, tallies: EntityMergerState): void {
    if (wholeFromCache && key !== null) {
      this.takenWhole.push(key);
      return;
    }
    if (key !== null) this.assembledKeys.push(key);
    (key === null ? this.uncached : this.assembled).absorbState(tallies);
  }

  /** A worker thread's sum over the chunks it assembled (cached ones: a build without cache passes no keys). */
  addSums(tallies: EntityMergerState): void {
    this.assembled.absorbState(tallies);
  }

  /** A worker thread's sum had a chunk that was then assembled again here: its tallies go. */
  takeAway(tallies: EntityMergerState): void {
    this.assembled.subtract(tallies);
  }

  /**
   * The total, and the snapshot for the next build (null without cached chunks). `previous`: the last build's
   * snapshot. The ledger is spent afterwards.
   */
  finish(previous: TallySnapshot | null): { total: EntityMerger; snapshot: TallySnapshot | null; sameChunks: boolean } {
    const cached = this.fromSnapshot(previous) ?? this.recount();
    const keys = [...this.takenWhole, ...this.assembledKeys];
    cached.absorbState(this.assembled.state());
    const snapshot = keys.length > 0 ? { chunks: keys, tallies: cached.state() } : null;
    cached.absorbState(this.uncached.state());
    // The same chunks as the last build (all taken whole): nothing in the cache became stale.
    const sameChunks = previous !== null && this.assembledKeys.length === 0 && previous.chunks.length === this.takenWhole.length && new Set([...previous.chunks, ...this.takenWhole]).size === this.takenWhole.length;
    return { total: cached, snapshot, sameChunks };
  }

  /** The chunks taken whole, from the snapshot: null when it cannot be used. */
  private fromSnapshot(previous: TallySnapshot | null): EntityMerger | null {
    if (!previous) return null;
    const sum = EntityMerger.fromState(previous.tallies);
    const taken = new Set(this.takenWhole);
    const inSnapshot = new Set(previous.chunks);
    try {
      for (const key of previous.chunks) {
        if (taken.has(key)) continue;
        const gone = this.readTallies(key);
        if (!gone) return null;
        sum.subtract(gone);
      }
      for (const key of this.takenWhole) {
        if (inSnapshot.has(key)) continue;
        const added = this.readTallies(key);
        if (!added) return null;
        sum.absorbState(added);
      }
    } catch {
      return null; // a snapshot that does not add up (damaged): counted afresh
    }
    return sum;
  }

  private recount(): EntityMerger {
    const sum = new EntityMerger();
    for (const key of this.takenWhole) {
      const tallies = this.readTallies(key);
      if (!tallies) throw new Error(`the entity tallies of the cached chunk ${key} could not be read; it is removed from the cache, so the next build assembles it again`);
      sum.absorbState(tallies);
    }
    return sum;
  }

  private readTallies(key: string): EntityMergerState | null {
    this.read++;
    return this.talliesOf(key);
  }
}

const SHA256_HEX = 64;

/**
 * The cross-article part: chunks arrive in file-name order and are combined (entity tallies, report
 * counts, landing-page digests) as they come; what stays in memory is those and one SHA-256 per emitted
 * article. The articles' rows stay in the chunks' pieces until finish() copies them into the published files.
 */
export class DatasetAssembler {
  private readonly report = new ReportCollector();
  /** Position in `names` of the file emitted with these bytes. */
  private readonly firstBySha = new Map<string, number>();
  private merger = new EntityMerger();
  private readonly listings = new ArticleListings();
  private readonly meetings = new MeetingDigest();
  private readonly placeMentions = new Map<string, number>();
  private readonly counts = zeroCounts();
  private readonly chunks: string[] = [];
  /** Milliseconds per stage, summed over the articles processed in this run. */
  readonly timings: Partial<Record<Stage, number>> = {};

  private readonly writer: DatasetWriter;

  constructor(
    private readonly options: AssembleOptions,
    /** The input files' names, in order. */
    private readonly names: readonly string[],
    publisher: Publisher,
  ) {
    this.writer = new DatasetWriter(publisher, options.rowsInMemory);
  }

  /** The file that an earlier chunk emitted with these bytes, if any. */
  readonly emittedBefore = (sha256: string): string | undefined => {
    const at = this.firstBySha.get(sha256);
    return at === undefined ? undefined : this.names[at];
  };

  /**
   * What a chunk that absorb() refused needs to be assembled again: emittedBefore, and its answers for the
   * bytes of the chunk's emitted files (every file the chunk would emit has the bytes of one of them).
   */
  earlierChunksFor(state: ChunkState): { emittedBefore: (sha256: string) => string | undefined; answers: string } {
    let answers = '';
    for (let i = 0; i < state.emittedAt.length; i++) {
      const sha = state.emitted.slice(i * SHA256_HEX, (i + 1) * SHA256_HEX);
      const file = this.emittedBefore(sha);
      if (file !== undefined) answers += `${sha} ${file}\n`;
    }
    return { emittedBefore: this.emittedBefore, answers };
  }

  /**
   * The next chunk, whose first file is names[first]. False (and nothing taken) when one of its files has the
   * same bytes as a file an earlier chunk emitted: the chunk must then be assembled again with emittedBefore,
   * which makes it a duplicate.
   */
  absorb(chunk: StoredChunk, first: number): boolean {
    const { state } = chunk;
    const shas = Array.from(state.emittedAt, (_, i) => state.emitted.slice(i * SHA256_HEX, (i + 1) * SHA256_HEX));
    if (shas.some((sha) => this.firstBySha.has(sha))) return false;
    shas.forEach((sha, i) => this.firstBySha.set(sha, first + state.emittedAt[i]!));
    this.report.absorb(state.report);
    // The entity tallies are not taken from the chunks here: a TallyLedger sums them (see setTallies).
    this.listings.absorb(ArticleListings.fromState(state.listings));
    this.meetings.absorb(MeetingDigest.fromState(state.meetings));
    // The network draws among the most recent meetings: the chunk's window is read now, while the build waits
    // for the next chunk, not at the end (which meetings are the newest does not depend on the order they come in).
    this.meetings.absorbRecent(this.writer.networkMeetings(chunk.location));
    for (const [place, n] of state.placeMentions) this.placeMentions.set(place, (this.placeMentions.get(place) ?? 0) + n);
    for (const t of ARTICLE_TABLES) {
      this.counts[t] += state.counts[t];
    }
    addTimings(this.timings, state.timings);
    this.chunks.push(chunk.location);
    this.writer.addChunk(chunk.location, chunk.rows);
    return true;
  }

  /** The entity tallies of every chunk absorbed (a TallyLedger's total), before finish(). */
  setTallies(tallies: EntityMerger): void {
    this.merger = tallies;
  }

  skip(skipped: readonly SkippedInput[]): void {
    this.report.late(
      skipped.map((s) => ({ file: s.name, status: 'skipped', reason: s.reason })),
      skipped.map((s) => ({ stage: 'read', rule: 'skipped-input', severity: 'warning', file: s.name, reason: s.reason })),
    );
  }

  /** Writes the published files: the chunks' pieces and what needs every article (entity tables, metadata, report, page, sums). */
  finish(): Promise<ReportListing> {
    const digest: DatasetDigest = { chunks: this.chunks, listings: this.listings, counts: this.counts, meetings: this.meetings, placeMentions: this.placeMentions };
    return this.writer.finish({ digest, merger: this.merger, report: this.report, texts: this.options.texts, version: PIPELINE_VERSION });
  }
}
