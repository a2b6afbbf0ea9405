// Runs the per-article stages over many files, in worker threads when more
// than one worker is asked for. Results come back in input order, so the
// output is byte-identical whatever the number of workers.
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import type { WorkerRequest, WorkerResponse } from './article-worker.js';
import { processArticle, type ArticleResult, type InputFile } from './build.js';

export interface ParallelOptions {
  workers: number;
  /** Collect per-stage timings. */
  timings: boolean;
  /** Called after each finished article (progress bar). */
  onResult?: (result: ArticleResult) => void;
}

/** Files per message: large enough to amortise messaging, small enough to balance the load. */
const BATCH_SIZE = 64;

export async function processArticles(files: readonly InputFile[], options: ParallelOptions): Promise<ArticleResult[]> {
  const clock = options.timings ? () => performance.now() : undefined;
  if (options.workers <= 1 || files.length < 2 * BATCH_SIZE) {
    return files.map((file) => {
      const result = processArticle(file, clock);
      options.onResult?.(result);
      return result;
    });
  }
  const batches: InputFile[][] = [];
  for (let i = 0; i < files.length; i += BATCH_SIZE) batches.push(files.slice(i, i + BATCH_SIZE));
  const results: ArticleResult[][] = new Array(batches.length);
  let next = 0;
  const workerUrl = new URL('./article-worker.js', import.meta.url);
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(workerUrl);
      const send = () => {
        if (next >= batches.length) {
          void worker.terminate().then(() => resolve());
          return;
        }
        const batch = next++;
        const request: WorkerRequest = { batch, files: batches[batch]!, timings: options.timings };
        worker.postMessage(request);
      };
      worker.on('message', (response: WorkerResponse) => {
        results[response.batch] = response.results;
        for (const r of response.results) options.onResult?.(r);
        send();
      });
      worker.on('error', reject);
      worker.on('exit', (code) => {
        if (code !== 0 && next < batches.length) reject(new Error(`worker thread exited with code ${code}`));
      });
      send();
    });
  await Promise.all(Array.from({ length: Math.min(options.workers, batches.length) }, runWorker));
  return results.flat();
}
