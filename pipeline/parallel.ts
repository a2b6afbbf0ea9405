// Runs the per-article part over many files, in worker threads when more
// than one worker is asked for. Each article is read, looked up in the part
// store by its key, and processed and stored only when missing. Summaries are
// handed over in input order (a small reorder buffer), so the output is
// byte-identical whatever the number of workers, and the caller can fold each
// one in and drop it.
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import type { WorkerRequest, WorkerResponse, WorkerSetup } from './article-worker.js';
import { partKey, processArticle, type ArticleSummary } from './build.js';
import { PartFolder, readInputEntry, type InputEntry } from './io.js';

export interface ParallelOptions {
  workers: number;
  /** Collect per-stage timings. */
  timings: boolean;
  texts: boolean;
}

/** One article: from the store when its key is there, else processed and stored. */
export function summaryOf(entry: InputEntry, store: PartFolder, options: Omit<ParallelOptions, 'workers'>): { summary: ArticleSummary; fromStore: boolean } {
  const input = readInputEntry(entry);
  const key = partKey(input.name, input.bytes, options);
  const stored = store.summary(key);
  if (stored) return { summary: stored, fromStore: true };
  const part = processArticle(input, { texts: options.texts, clock: options.timings ? () => performance.now() : undefined }, key);
  store.put(part);
  return { summary: part.summary, fromStore: false };
}

/** Files per message: large enough to amortise messaging, small enough to balance the load. */
const BATCH_SIZE = 64;

export async function processArticles(
  entries: readonly InputEntry[],
  store: PartFolder,
  options: ParallelOptions,
  onSummary: (summary: ArticleSummary, fromStore: boolean) => void,
): Promise<void> {
  if (options.workers <= 1 || entries.length < 2 * BATCH_SIZE) {
    for (const entry of entries) {
      const { summary, fromStore } = summaryOf(entry, store, options);
      onSummary(summary, fromStore);
    }
    return;
  }
  const batches: InputEntry[][] = [];
  for (let i = 0; i < entries.length; i += BATCH_SIZE) batches.push(entries.slice(i, i + BATCH_SIZE));
  const done = new Map<number, WorkerResponse['results']>();
  let delivered = 0;
  let next = 0;
  const deliver = () => {
    for (let ready = done.get(delivered); ready; ready = done.get(delivered)) {
      done.delete(delivered++);
      for (const r of ready) onSummary(r.summary, r.fromStore);
    }
  };
  const setup: WorkerSetup = { store: store.folder, timings: options.timings, texts: options.texts };
  const workerUrl = new URL('./article-worker.js', import.meta.url);
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(workerUrl, { workerData: setup });
      const send = () => {
        if (next >= batches.length) {
          void worker.terminate().then(() => resolve());
          return;
        }
        const batch = next++;
        const request: WorkerRequest = { batch, entries: batches[batch]! };
        worker.postMessage(request);
      };
      worker.on('message', (response: WorkerResponse) => {
        done.set(response.batch, response.results);
        deliver();
        send();
      });
      worker.on('error', reject);
      worker.on('exit', (code) => {
        if (code !== 0 && next < batches.length) reject(new Error(`worker thread exited with code ${code}`));
      });
      send();
    });
  await Promise.all(Array.from({ length: Math.min(options.workers, batches.length) }, runWorker));
  deliver();
}
