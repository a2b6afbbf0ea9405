// Worker thread: runs the per-article part (read, look up or process, store)
// on batches of input files sent by pipeline/parallel.ts and answers with the
// small summaries; the articles' rows stay in the part store.
import { parentPort, workerData } from 'node:worker_threads';
import type { ArticleSummary } from './build.js';
import { PartFolder, type InputEntry } from './io.js';
import { summaryOf } from './parallel.js';

export interface WorkerSetup {
  store: string;
  timings: boolean;
  texts: boolean;
}

export interface WorkerRequest {
  batch: number;
  entries: InputEntry[];
}

export interface WorkerResponse {
  batch: number;
  results: Array<{ summary: ArticleSummary; fromStore: boolean }>;
}

const setup = workerData as WorkerSetup;
const store = PartFolder.attach(setup.store);

parentPort!.on('message', (request: WorkerRequest) => {
  const results = request.entries.map((entry) => summaryOf(entry, store, setup));
  const response: WorkerResponse = { batch: request.batch, results };
  parentPort!.postMessage(response);
});
