// Runs the per-article part over many files, in worker threads when more
// than one worker is asked for. Each article is read, looked up in the cache
// by its key, and processed (and cached) only when missing. Articles are
// handed over in input order (a small reorder buffer), so the output is
// byte-identical whatever the number of workers, and the caller writes each
// one out and drops it.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import type { WorkerRequest, WorkerResponse, WorkerSetup } from './article-worker.js';
import { partKey, processArticle, type ArticlePart } from './build.js';
import { PartFolder, readInputEntry, statSignature, type InputEntry } from './io.js';

export interface ParallelOptions {
  workers: number;
  /** Threads start only with at least this many articles per worker (default MIN_ARTICLES_PER_WORKER). */
  minArticlesPerWorker?: number;
  /** Collect per-stage timings. */
  timings: boolean;
  texts: boolean;
}

export interface ArticleOutcome extends ArticlePart {
  fromCache: boolean;
  /** The file's stat signature when it was read (for the next build's manifest). */
  signature: string;
}

/** One article: from the cache when its key is there, else processed (and cached). */
export function outcomeOf(entry: InputEntry, cache: PartFolder | null, options: Pick<ParallelOptions, 'timings' | 'texts'>): ArticleOutcome {
  // Only the cache's manifest needs the signature.
  const signature = cache ? statSignature(entry.path) : '';
  if (cache && entry.previous?.signature === signature) {
    // Unchanged since the last build: not even read.
    const cached = cache.get(entry.previous.key);
    if (cached) return { ...cached, fromCache: true, signature };
  }
  const input = readInputEntry(entry);
  const key = partKey(input.name, input.bytes, options);
  const cached = cache?.get(key);
  if (cached) return { ...cached, fromCache: true, signature };
  const part = processArticle(input, { texts: options.texts, clock: options.timings ? () => performance.now() : undefined }, key);
  cache?.put(part);
  return { ...part, fromCache: false, signature };
}

/** Files per message: large enough to amortise messaging, small enough to balance the load. */
const BATCH_SIZE = 64;
/** Batches queued per worker: the next one is already there when a worker finishes, even while the main thread is busy. */
const BATCHES_IN_FLIGHT = 2;
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
   * What the previous build saw under a name (stat signature and cache key); asked in name order,
   * as each file's turn comes, so that the previous build's manifest is read along, never held.
   */
  previousOf?: (name: string) => InputEntry['previous'];
}

export async function processArticles(
  files: ArticleFiles,
  cache: PartFolder | null,
  options: ParallelOptions,
  onArticle: (outcome: ArticleOutcome) => void,
): Promise<{ threads: number }> {
  const { dir, names } = files;
  const entryOf = (name: string): InputEntry => ({ name, path: path.join(dir, name), previous: files.previousOf?.(name) });
  const workers = Math.min(options.workers, Math.floor(names.length / Math.max(1, options.minArticlesPerWorker ?? MIN_ARTICLES_PER_WORKER)));
  if (workers <= 1) {
    for (const name of names) onArticle(outcomeOf(entryOf(name), cache, options));
    return { threads: 0 };
  }
  // Batches are made as they are sent, in name order.
  const batchCount = Math.ceil(names.length / BATCH_SIZE);
  const batchAt = (batch: number) => names.slice(batch * BATCH_SIZE, (batch + 1) * BATCH_SIZE).map(entryOf);
  const done = new Map<number, ArticleOutcome[]>();
  let delivered = 0;
  let next = 0;
  const deliver = () => {
    for (let ready = done.get(delivered); ready; ready = done.get(delivered)) {
      done.delete(delivered++);
      for (const outcome of ready) onArticle(outcome);
    }
  };
  const setup: WorkerSetup = { cache: cache?.folder ?? null, timings: options.timings, texts: options.texts };
  const workerUrl = new URL('./article-worker.js', import.meta.url);
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(workerUrl, { workerData: setup });
      let inFlight = 0;
      const send = () => {
        if (next >= batchCount) {
          if (inFlight === 0) void worker.terminate().then(() => resolve());
          return;
        }
        const batch = next++;
        const request: WorkerRequest = { batch, entries: batchAt(batch) };
        inFlight++;
        worker.postMessage(request);
      };
      worker.on('message', (response: WorkerResponse) => {
        inFlight--;
        // Queue the next batch first, so the worker stays busy while this one is written out.
        send();
        done.set(response.batch, response.outcomes);
        deliver();
      });
      worker.on('error', reject);
      worker.on('exit', (code) => {
        if (code !== 0 && next < batchCount) reject(new Error(`worker thread exited with code ${code}`));
      });
      for (let i = 0; i < BATCHES_IN_FLIGHT; i++) send();
    });
  await Promise.all(Array.from({ length: workers }, runWorker));
  deliver();
  return { threads: workers };
}
