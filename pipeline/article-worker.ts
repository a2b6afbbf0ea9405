// Worker thread: runs the per-article part (read, look up in the cache or
// process and cache) on batches of input files sent by pipeline/parallel.ts,
// and answers with each article's summary and serialised rows (moved, not
// copied, to the main thread).
import { parentPort, workerData } from 'node:worker_threads';
import { PartFolder, type InputEntry } from './io.js';
import { outcomeOf, type ArticleOutcome } from './parallel.js';

export interface WorkerSetup {
  /** Folder of the per-article cache, or null without a cache. */
  cache: string | null;
  timings: boolean;
  texts: boolean;
}

export interface WorkerRequest {
  batch: number;
  entries: InputEntry[];
}

export interface WorkerResponse {
  batch: number;
  outcomes: ArticleOutcome[];
}

const setup = workerData as WorkerSetup;
const cache = setup.cache === null ? null : PartFolder.attach(setup.cache);

parentPort!.on('message', (request: WorkerRequest) => {
  const outcomes = request.entries.map((entry) => outcomeOf(entry, cache, setup));
  const response: WorkerResponse = { batch: request.batch, outcomes };
  // Bodies have buffers of their own (never Node's shared pool, whose size is Buffer.poolSize): transfer them
  // instead of copying.
  const buffers = new Set<ArrayBuffer>();
  for (const o of outcomes) if (o.body && o.body.buffer instanceof ArrayBuffer && o.body.buffer.byteLength > Buffer.poolSize) buffers.add(o.body.buffer);
  parentPort!.postMessage(response, [...buffers]);
});
