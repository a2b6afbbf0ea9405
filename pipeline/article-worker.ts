// Worker thread: runs the per-article stages (decode, clean, extract) on
// batches of files sent by pipeline/parallel.ts. Pure per article, so the
// results do not depend on which worker handled which file.
import { parentPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { processArticle, type ArticleResult, type InputFile } from './build.js';

export interface WorkerRequest {
  batch: number;
  files: InputFile[];
  timings: boolean;
}

export interface WorkerResponse {
  batch: number;
  results: ArticleResult[];
}

parentPort!.on('message', (request: WorkerRequest) => {
  const clock = request.timings ? () => performance.now() : undefined;
  const results = request.files.map((file) => processArticle(file, clock));
  const response: WorkerResponse = { batch: request.batch, results };
  parentPort!.postMessage(response);
});
