// Runs the per-article part over many files, in worker threads when more
// than one worker is asked for. The files are cut into chunks of consecutive
// names; a chunk whose files are all unchanged is taken whole from the cache,
// otherwise each article is looked up in the per-article cache by its key,
// processed (and cached) only when missing, and the chunk is assembled and
// stored. Chunks are handed over in input order (a small reorder buffer), so
// the output is byte-identical whatever the number of workers or the chunks'
// sizes, and the caller folds each chunk in and keeps only its location.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import type { WorkerRequest, WorkerResponse, WorkerSetup } from './article-worker.js';
import { ChunkAssembler, partKey, processArticle, type StoredChunk } from './build.js';
import type { EntityMergerState } from './merge.js';
import { ChunkFolder, ManifestCursor, PartFolder, manifestLine, readInputEntry, statSignature, type InputEntry } from './io.js';

export interface ParallelOptions {
  workers: number;
  /** Threads start only with at least this many articles per worker (default MIN_ARTICLES_PER_WORKER). */
  minArticlesPerWorker?: number;
  /** Files per chunk on average (default CHUNK_FILES). */
  chunkFiles?: number;
  /** Collect per-stage timings. */
  timings: boolean;
  texts: boolean;
}

/** Where parts and chunks are stored. */
export interface Stores {
  /** The per-article cache, or null without a cache. */
  parts: PartFolder | null;
  /** Cached chunks, or null without a cache. */
  chunks: ChunkFolder | null;
  /** Chunks that are not cached (no cache, or assembled again after a duplicate): beside the output, removed after the build. */
  scratch: ChunkFolder;
}

/** A chunk of consecutive input files. */
export interface ChunkRequest {
  /** Position among the build's chunks. */
  chunk: number;
  /** Position of its first file among the build's input files. */
  first: number;
  /** The files' names, each followed by a NUL (no file name holds one): one string, which crosses to a worker thread in a copy, where objects cost a clone each. */
  names: string;
}

/** The request for a chunk of these files (in name order). */
export function chunkRequest(chunk: number, first: number, names: Iterable<string>): ChunkRequest {
  let joined = '';
  for (const name of names) joined += `${name}\0`;
  return { chunk, first, names: joined };
}

/** The names of a request's files. */
export function requestNames(request: ChunkRequest): string[] {
  return request.names.split('\0').slice(0, -1);
}

/** How a chunk's files are found: their folder, and what the previous build saw of each (looked up in name order). */
export interface ChunkFiles {
  dir: string;
  previousOf?: (name: string) => InputEntry['previous'];
}

export interface ChunkOutcome extends StoredChunk {
  chunk: number;
  first: number;
  /** Its key in the cache (null when it is not cached). */
  key: string | null;
  /** The next build's manifest lines of its files (name, stat signature, part key), each ending with a line break; empty without a cache. */
  manifestText: string;
  /** Articles that went through the stages (the others came from the cache). */
  processed: number;
  /** Taken whole from the cache: its state comes without its entity tallies. */
  wholeFromCache: boolean;
}

/**
 * What a chunk assembled again knows of the earlier chunks: the file each emitted with given bytes, and
 * the answers that matter to this chunk written out (`<sha256> <file>` lines for its files' bytes), which
 * with its files decide how it is assembled, and so key it in the cache.
 */
export interface EarlierChunks {
  emittedBefore: (sha256: string) => string | undefined;
  answers: string;
}

/**
 * Assembles one chunk, or takes it from the cache when the same files (names and bytes, by their part
 * keys) were assembled before. `earlier` is given only when an earlier chunk emitted the same bytes as
 * one of this chunk's files (which are then duplicates): such a chunk is keyed by its files and by those
 * earlier files.
 */
export function assembleChunk(request: ChunkRequest, where: ChunkFiles, stores: Stores, options: Pick<ParallelOptions, 'timings' | 'texts'>, earlier?: EarlierChunks): ChunkOutcome {
  const { parts } = stores;
  const entries = requestNames(request).map((name): InputEntry => ({ name, path: path.join(where.dir, name), previous: where.previousOf?.(name) }));
  const files = entries.map((entry) => {
    // Only the cache's manifest needs the signature.
    const signature = parts ? statSignature(entry.path) : '';
    // Unchanged since the last build: not even read, and its manifest line is the last one.
    if (parts && entry.previous?.signature === signature) return { entry, signature, key: entry.previous.key, input: null, line: entry.previous.line };
    const input = readInputEntry(entry);
    return { entry, signature, key: partKey(input.name, input.bytes, options), input, line: undefined };
  });
  // The next build's manifest lines (only a cache keeps them).
  const manifest = parts ? files.map((f) => `${f.line ?? manifestLine(f.entry.name, f.signature, f.key)}\n`).join('') : '';
  const key = stores.chunks !== null ? createHash('sha256').update(files.map((f) => f.key).join('\n')).update(earlier ? `\n\n${earlier.answers}` : '').digest('hex') : null;
  const cached = key === null ? null : stores.chunks!.get(key);
  if (cached) return { ...cached, chunk: request.chunk, first: request.first, key, manifestText: manifest, processed: 0, wholeFromCache: true };

  const assembler = new ChunkAssembler(earlier?.emittedBefore);
  let processed = 0;
  for (const f of files) {
    let part = parts?.get(f.key) ?? null;
    if (!part) {
      part = processArticle(f.input ?? readInputEntry(f.entry), { texts: options.texts, clock: options.timings ? () => performance.now() : undefined }, f.key);
      parts?.put(part);
      processed++;
    }
    assembler.add(part.summary, part.body);
  }
  const assembled = assembler.finish();
  // Without a cache, a chunk is stored beside the output for this build only, and its rows go to the output
  // once, from memory.
  const scratchName = `chunk-${request.chunk}${earlier ? '-again' : ''}`;
  const stored = key !== null ? stores.chunks!.put(key, assembled) : stores.scratch.put(scratchName, assembled, true);
  return { ...stored, chunk: request.chunk, first: request.first, key, manifestText: manifest, processed, wholeFromCache: false };
}

/**
 * Files per chunk, on average. A chunk is the unit of caching above the article: a build with one file
 * changed assembles one chunk again and takes the others whole. Larger chunks mean fewer stored files and
 * less to combine; smaller ones less to assemble again.
 */
export const CHUNK_FILES = 256;
/** No chunk is longer than this many times the average. */
const CHUNK_MAX_FACTOR = 4;

/** FNV-1a of a name: a boundary depends on the name alone. */
function nameHash(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Cuts the names into chunks: a chunk ends after a name whose hash says so, so adding, removing or
 * changing a file changes its own chunk only, not the boundaries of the others.
 */
export function* chunkRanges(names: readonly string[], averageFiles = CHUNK_FILES): Generator<[from: number, to: number]> {
  const average = Math.max(1, Math.floor(averageFiles));
  let from = 0;
  for (let i = 0; i < names.length; i++) {
    if (nameHash(names[i]!) % average === 0 || i + 1 - from >= average * CHUNK_MAX_FACTOR) {
      yield [from, i + 1];
      from = i + 1;
    }
  }
  if (from < names.length) yield [from, names.length];
}

/** Chunks queued per worker: the next one is already there when a worker finishes, even while the main thread is busy. */
const CHUNKS_IN_FLIGHT = 2;
/**
 * Below this many articles per worker, threads cost more than they save: each
 * starts by loading the code, the gazetteer and the validators and warms up
 * its own compiled code, while an article takes ≈ 1.5 ms. Measured (see
 * BENCHMARKS.md): two threads are 1.47× slower than one at 1k articles, even
 * at 10k, 0.52× at 100k.
 */
export const MIN_ARTICLES_PER_WORKER = 5000;

/** The input files to go through: a folder and its files' names, in the order the articles are handed over. */
export interface ArticleFiles {
  dir: string;
  names: readonly string[];
  /**
   * The previous build's manifest (what it saw under each name: stat signature and cache key), or null.
   * Whoever assembles a chunk reads it along, in name order (a worker thread gets its chunks in order),
   * so that it is never held, nor sent.
   */
  previousManifest: string | null;
}

/**
 * Calls onChunk with each chunk in order. Chunks come without their entity tallies when taken whole from the
 * cache (a TallyLedger knows or reads them) or assembled in a worker thread (they are most of a chunk's
 * state, and adding them up does not depend on the order): each thread adds up those of the chunks it
 * assembled and they are returned at the end, in `tallies`.
 */
export async function processArticles(
  files: ArticleFiles,
  stores: Stores,
  options: ParallelOptions,
  onChunk: (outcome: ChunkOutcome) => void,
): Promise<{ threads: number; tallies: EntityMergerState[] }> {
  const { dir, names } = files;
  // Requests are made as they are sent, in name order.
  const ranges = chunkRanges(names, options.chunkFiles);
  let next = 0;
  const nextRequest = (): ChunkRequest | null => {
    const range = ranges.next();
    return range.done ? null : chunkRequest(next++, range.value[0], names.slice(range.value[0], range.value[1]));
  };
  const workers = Math.min(options.workers, Math.floor(names.length / Math.max(1, options.minArticlesPerWorker ?? MIN_ARTICLES_PER_WORKER)));
  if (workers <= 1) {
    const previous = files.previousManifest === null ? null : new ManifestCursor(files.previousManifest);
    const where: ChunkFiles = { dir, previousOf: previous ? (name) => previous.lookup(name) : undefined };
    try {
      for (let request = nextRequest(), first = true; request; request = nextRequest(), first = false) {
        // Let due timers run between chunks: the hold on the cache is refreshed by a timer, and a lock
        // not refreshed for 10 s counts as abandoned, so a long build here must not starve it.
        if (!first) await new Promise((resolve) => setTimeout(resolve, 0));
        onChunk(assembleChunk(request, where, stores, options));
      }
    } finally {
      previous?.close();
    }
    return { threads: 0, tallies: [] };
  }
  const done = new Map<number, ChunkOutcome>();
  let delivered = 0;
  const deliver = () => {
    for (let ready = done.get(delivered); ready; ready = done.get(delivered)) {
      done.delete(delivered++);
      onChunk(ready);
    }
  };
  const setup: WorkerSetup = { dir, previousManifest: files.previousManifest, parts: stores.parts?.folder ?? null, chunks: stores.chunks?.folder ?? null, scratch: stores.scratch.folder, timings: options.timings, texts: options.texts };
  const workerUrl = new URL('./article-worker.js', import.meta.url);
  const tallies: EntityMergerState[] = [];
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(workerUrl, { workerData: setup });
      let inFlight = 0;
      let askedForTallies = false;
      let finished = false;
      const send = () => {
        const request = nextRequest();
        if (request) {
          inFlight++;
          worker.postMessage(request satisfies WorkerRequest);
        } else if (inFlight === 0 && !askedForTallies) {
          // No more chunks, and this thread's are all back: its tallies come last, once.
          askedForTallies = true;
          worker.postMessage({ tallies: true } satisfies WorkerRequest);
        }
      };
      worker.on('message', (response: WorkerResponse) => {
        if ('tallies' in response) {
          if (finished) return;
          tallies.push(response.tallies);
          finished = true;
          void worker.terminate().then(() => resolve());
          return;
        }
        inFlight--;
        // Queue the next chunk first, so the worker stays busy while this one is folded in.
        send();
        done.set(response.chunk, response);
        deliver();
      });
      worker.on('error', reject);
      worker.on('exit', (code) => {
        if (!finished) reject(new Error(`worker thread exited with code ${code} before its work was done`));
      });
      for (let i = 0; i < CHUNKS_IN_FLIGHT; i++) send();
    });
  await Promise.all(Array.from({ length: workers }, runWorker));
  deliver();
  return { threads: workers, tallies };
}
