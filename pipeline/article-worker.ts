// Worker thread: assembles chunks of input files sent by pipeline/parallel.ts
// (each article read, looked up in the cache or processed and cached; the
// chunk stored) and answers with each chunk's state and where it is stored.
import { parentPort, workerData } from 'node:worker_threads';
import { ChunkFolder, PartFolder } from './io.js';
import { assembleChunk, type ChunkOutcome, type ChunkRequest, type Stores } from './parallel.js';

export interface WorkerSetup {
  /** Folders of the per-article cache and of the cached chunks, or null without a cache. */
  parts: string | null;
  chunks: string | null;
  /** Folder of the chunks that are not cached. */
  scratch: string;
  timings: boolean;
  texts: boolean;
}

export type WorkerRequest = ChunkRequest;
export type WorkerResponse = ChunkOutcome;

const setup = workerData as WorkerSetup;
const stores: Stores = {
  parts: setup.parts === null ? null : PartFolder.attach(setup.parts),
  chunks: setup.chunks === null ? null : new ChunkFolder(setup.chunks),
  scratch: new ChunkFolder(setup.scratch),
};

parentPort!.on('message', (request: WorkerRequest) => {
  parentPort!.postMessage(assembleChunk(request, stores, setup) satisfies WorkerResponse);
});
