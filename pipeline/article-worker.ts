// Worker thread: assembles chunks of input files sent by pipeline/parallel.ts
// (each article read, looked up in the cache or processed and cached; the
// chunk stored) and answers with each chunk's state and where it is stored;
// the chunks' entity tallies are added up here and sent once, at the end.
import { parentPort, workerData } from 'node:worker_threads';
import { ChunkFolder, ManifestCursor, PartFolder } from './io.js';
import { EntityMerger, type EntityMergerState } from './merge.js';
import { assembleChunk, type ChunkFiles, type ChunkOutcome, type ChunkRequest, type Stores } from './parallel.js';

export interface WorkerSetup {
  /** The input folder, and the previous build's manifest (read along here: this thread's chunks come in name order), or null. */
  dir: string;
  previousManifest: string | null;
  /** Folders of the per-article cache and of the cached chunks, or null without a cache. */
  parts: string | null;
  chunks: string | null;
  /** Folder of the chunks that are not cached. */
  scratch: string;
  timings: boolean;
  texts: boolean;
}

/** A chunk to assemble, or the request for the thread's tallies once there are no more. */
export type WorkerRequest = ChunkRequest | { tallies: true };
export type WorkerResponse = ChunkOutcome | { tallies: EntityMergerState };

const setup = workerData as WorkerSetup;
const stores: Stores = {
  parts: setup.parts === null ? null : PartFolder.attach(setup.parts),
  chunks: setup.chunks === null ? null : new ChunkFolder(setup.chunks),
  scratch: new ChunkFolder(setup.scratch),
};
const previous = setup.previousManifest === null ? null : new ManifestCursor(setup.previousManifest);
const where: ChunkFiles = { dir: setup.dir, previousOf: previous ? (name) => previous.lookup(name) : undefined };

/** The entity tallies of every chunk this thread assembled: sent once, at the end, instead of with each chunk. */
const tallies = new EntityMerger();
const NO_TALLIES: EntityMergerState = { tallies: new Map() };

parentPort!.on('message', (request: WorkerRequest) => {
  if ('tallies' in request) {
    previous?.close();
    parentPort!.postMessage({ tallies: tallies.state() } satisfies WorkerResponse);
    return;
  }
  const outcome = assembleChunk(request, where, stores, setup);
  tallies.absorbState(outcome.state.merger);
  // Rows in memory (a build without cache) have a buffer of their own: moved, not copied.
  const moved = outcome.rows?.[0] ? [outcome.rows[0].buffer as ArrayBuffer] : [];
  parentPort!.postMessage({ ...outcome, state: { ...outcome.state, merger: NO_TALLIES } } satisfies WorkerResponse, moved);
});
