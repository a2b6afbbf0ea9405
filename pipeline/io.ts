// The only module (with the CLI) that touches files: the input folder, the
// store of processed articles (the per-article cache), and publishing the
// output folder atomically. Reads and writes here are synchronous on
// purpose: they run one article at a time inside worker threads or in the
// single emit pass, where a callback per file would only add overhead.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { closeSync, constants, fdatasync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { access, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { Worker, threadId } from 'node:worker_threads';
import path from 'node:path';
import { promisify } from 'node:util';
import lockfile from 'proper-lockfile';
import { BODY_SECTIONS, CHUNK_PIECES, bodyOf, decodeSummary, encodePart, type ArticlePart, type AssembledChunk, type ChunkState, type InputFile, type SkippedInput, type StoredChunk, type TallySnapshot } from './build.js';
import type { FileDigest, PublishedSink, Publisher } from './emit/index.js';
import type { EntityMergerState } from './merge.js';
import type { ScratchFile } from './emit/report.js';

/** An article file of the input folder, not yet read. */
export interface InputEntry {
  name: string;
  path: string;
  /** What the previous build saw under this name: when the file's stat signature is unchanged, its cache key (and its manifest line, when read from one). */
  previous?: { signature: string; key: string; line?: string };
}

/**
 * Size, modification and change times (ns) and inode of a file: when all are
 * unchanged the bytes are taken to be unchanged too (as git and make do), so
 * an unchanged article is not even read.
 */
export function statSignature(file: string): string {
  const s = statSync(file, { bigint: true });
  return `${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.ino}`;
}

export interface InputFolder {
  dir: string;
  /** The article files' names, sorted: the one list a build holds whole (the order of the tables follows it). */
  names: string[];
  skipped: SkippedInput[];
}

/** Every regular file of the folder (sorted by name); anything else is listed as skipped with why. */
export async function listInputFolder(dir: string): Promise<InputFolder> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const names: string[] = [];
  const skipped: SkippedInput[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) {
      skipped.push({ name: entry.name, reason: 'hidden file or folder (name starts with a dot)' });
    } else if (entry.isFile() || (entry.isSymbolicLink() && (await stat(path.join(dir, entry.name))).isFile())) {
      names.push(entry.name);
    } else {
      skipped.push({ name: entry.name, reason: entry.isDirectory() ? 'a folder, not an article file (input folders are not searched recursively)' : 'not a regular file' });
    }
  }
  return { dir, names, skipped };
}

export function readInputEntry(entry: InputEntry): InputFile {
  return { name: entry.name, bytes: readFileSync(entry.path) };
}

const exists = (p: string) =>
  access(p, constants.F_OK).then(
    () => true,
    () => false,
  );

async function fsyncPath(p: string): Promise<void> {
  const handle = await open(p, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function stagingPaths(outDir: string): { staging: string; previous: string; scratch: string } {
  const resolved = path.resolve(outDir);
  return { staging: `${resolved}.staging`, previous: `${resolved}.previous`, scratch: `${resolved}.scratch` };
}

/** Lines are gathered to this size before a write, and read back this much at a time. */
const SCRATCH_CHUNK_BYTES = 1 << 20;

/** The lines of an open file, read a megabyte at a time from the start (each must end with a line break). */
function* linesOf(fd: number, file: string): Generator<string> {
  const chunk = Buffer.allocUnsafe(SCRATCH_CHUNK_BYTES);
  let position = 0;
  let carry = Buffer.alloc(0);
  for (let read = readSync(fd, chunk, 0, chunk.length, position); read > 0; read = readSync(fd, chunk, 0, chunk.length, position)) {
    position += read;
    // Lines are split on the byte 0x0a, so a character cut between two chunks is joined again before decoding.
    const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, read)]) : chunk.subarray(0, read);
    let start = 0;
    for (let end = data.indexOf(0x0a, start); end !== -1; end = data.indexOf(0x0a, start)) {
      yield data.toString('utf8', start, end);
      start = end + 1;
    }
    carry = Buffer.from(data.subarray(start));
  }
  if (carry.length > 0) throw new Error(`${file}: the last line has no line break (cut short?)`);
}

/** The lines of a file; the file is opened at the first line asked for and closed after the last. */
function* linesOfFile(file: string): Generator<string> {
  const fd = openSync(file, 'r');
  try {
    yield* linesOf(fd, file);
  } finally {
    closeSync(fd);
  }
}

/** A scratch file: appended a megabyte at a time, read back line by line. */
class DiskScratchFile implements ScratchFile {
  private pending: string[] = [];
  private pendingLength = 0;
  private readonly fd: number;

  constructor(private readonly file: string) {
    this.fd = openSync(file, 'w+');
  }

  appendLine(line: string): void {
    this.pending.push(line);
    this.pendingLength += line.length + 1;
    if (this.pendingLength >= SCRATCH_CHUNK_BYTES) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const data = Buffer.from(`${this.pending.join('\n')}\n`, 'utf8');
    for (let offset = 0; offset < data.length; ) offset += writeSync(this.fd, data, offset, data.length - offset);
    this.pending = [];
    this.pendingLength = 0;
  }

  lines(): Generator<string> {
    this.flush();
    return linesOf(this.fd, this.file);
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/**
 * Finishes or rolls back a publish that was killed. The swap is two renames
 * (out → out.previous, out.staging → out); if only the first happened, the
 * previous output is put back, so a reader always finds a complete folder.
 */
export async function recoverInterruptedPublish(outDir: string): Promise<'none' | 'restored-previous' | 'removed-leftovers'> {
  const out = path.resolve(outDir);
  const { staging, previous, scratch } = stagingPaths(out);
  let outcome: 'none' | 'restored-previous' | 'removed-leftovers' = 'none';
  if (!(await exists(out)) && (await exists(previous))) {
    await rename(previous, out);
    outcome = 'restored-previous';
  }
  const trashPrefix = `${path.basename(out)}${TRASH_INFIX}`;
  const trash = (await readdir(path.dirname(out)).catch(() => [] as string[])).filter((name) => name.startsWith(trashPrefix)).map((name) => path.join(path.dirname(out), name));
  for (const leftover of [staging, previous, scratch, ...trash]) {
    if (await exists(leftover)) {
      await rm(leftover, { recursive: true, force: true });
      if (outcome === 'none') outcome = 'removed-leftovers';
    }
  }
  return outcome;
}

/**
 * Publishes into a staging folder beside the output; commit() makes every
 * file durable and swaps the folder in, so a reader (or a killed build)
 * always finds either the previous complete output or the new one.
 */
export class StagingPublisher implements Publisher {
  private readonly out: string;
  private readonly staging: string;
  private readonly previous: string;
  private readonly scratchFolder: string;
  private readonly folders = new Set<string>();
  private readonly written: string[] = [];
  /** Files whose stored pieces are still being copied, complete when these settle. */
  private readonly copying: Array<Promise<void>> = [];
  /** Pieces are read into this block, not into a new buffer each (allocating a gigabyte costs more than reading it). */
  private readonly block = Buffer.allocUnsafeSlow(1 << 20);
  /** The published files are hashed in a thread of their own. */
  private readonly digests = new DigestThread();

  private constructor(outDir: string) {
    this.out = path.resolve(outDir);
    ({ staging: this.staging, previous: this.previous, scratch: this.scratchFolder } = stagingPaths(this.out));
  }

  static async create(outDir: string): Promise<StagingPublisher> {
    const publisher = new StagingPublisher(outDir);
    await mkdir(path.dirname(publisher.out), { recursive: true });
    await recoverInterruptedPublish(publisher.out);
    await mkdir(publisher.staging, { recursive: true });
    publisher.folders.add(publisher.staging);
    return publisher;
  }

  open(relative: string): PublishedSink {
    const target = path.join(this.staging, relative);
    const folder = path.dirname(target);
    if (!this.folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      this.folders.add(folder);
    }
    const fd = openSync(target, 'w');
    this.written.push(target);
    // Bytes reach the file in call order. Stored pieces are copied by a process beside the build (the
    // caller goes on hashing them meanwhile); a write after them waits until they are in. Null: nothing is pending.
    let pending: Promise<void> | null = null;
    let copier: PieceCopier | null = null;
    const endCopying = () => {
      if (!copier) return;
      pending = copier.end();
      copier = null;
    };
    const then = (step: () => void) => {
      pending = pending!.then(step);
      // A failed copy fails the build at the commit, which awaits this chain; not as an unhandled rejection before.
      pending.catch(() => undefined);
    };
    return {
      write: (chunk) => {
        endCopying();
        if (!pending) return writeAll(fd, chunk);
        // The caller reuses its buffer: keep a copy until the copying before it is done.
        const bytes = Buffer.from(chunk);
        then(() => writeAll(fd, bytes));
      },
      copy: (location, piece) => {
        // A new run of pieces starts after what is pending.
        (copier ??= new PieceCopier(fd, pending)).add(path.join(location, piece));
      },
      close: () => {
        endCopying();
        if (!pending) return closeSync(fd);
        then(() => closeSync(fd));
        this.copying.push(pending);
      },
    };
  }

  digest(inMemory = false): FileDigest {
    if (!inMemory) return this.digests.open();
    const hash = createHash('sha256');
    return {
      update: (bytes) => void hash.update(bytes),
      updatePiece: (location, piece) => {
        for (const block of this.pieceBlocks(location, piece)) hash.update(block);
      },
      digest: () => Promise.resolve(hash.digest('hex')),
    };
  }

  readPiece(location: string, piece: string): Uint8Array {
    return readFileSync(path.join(location, piece));
  }

  pieceSize(location: string, piece: string): number {
    return statSync(path.join(location, piece)).size;
  }

  *pieceBlocks(location: string, piece: string): Generator<Uint8Array> {
    const fd = openSync(path.join(location, piece), 'r');
    try {
      for (let read = readSync(fd, this.block, 0, this.block.length, null); read > 0; read = readSync(fd, this.block, 0, this.block.length, null)) yield this.block.subarray(0, read);
    } finally {
      closeSync(fd);
    }
  }

  /** Chunks that are not cached (a build without cache, a chunk assembled again) are stored beside the staging folder and go at the commit. */
  scratchChunks(): ChunkFolder {
    return new ChunkFolder(path.join(this.scratchFolder, 'chunks'));
  }

  async commit(): Promise<void> {
    await this.digests.close();
    // A file is complete when its copying is (a failed copy fails the build here, before anything is published).
    await Promise.all(this.copying);
    await removeInBackground(this.scratchFolder, this.out);
    // Durable before visible: the data of every file and folder reaches the disk before the swap.
    await Promise.all(this.written.map((file) => fsyncPath(file)));
    for (const folder of this.folders) await fsyncPath(folder);
    if (await exists(this.out)) await rename(this.out, this.previous);
    await rename(this.staging, this.out);
    await fsyncPath(path.dirname(this.out));
    await removeInBackground(this.previous, this.out);
  }
}

/** Messages of one file (by id) come in the order its bytes are written; `end` asks for its SHA-256. */
type DigestRequest = { id: number; bytes: Uint8Array } | { id: number; file: string } | { id: number; end: true };
type DigestResponse = { id: number; sha256: string } | { id: number; error: string };

/**
 * The hashing thread's code, run from its source text (it needs nothing but Node's own modules, so it
 * starts in milliseconds, and runs the same from the compiled code and from the sources the tests import).
 */
function digestThread(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  const { closeSync, openSync, readSync } = require('node:fs') as typeof import('node:fs');
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  // Bytes sent and not yet hashed (DigestThread waits when there are too many).
  const queued = new Int32Array(workerData as SharedArrayBuffer);
  const hashes = new Map<number, ReturnType<typeof createHash>>();
  // The first failure of a file: what comes after it for that file is not hashed.
  const failures = new Map<number, string>();
  const block = Buffer.allocUnsafeSlow(1 << 20);
  parentPort!.on('message', (request: DigestRequest) => {
    const { id } = request;
    if ('end' in request) {
      const failure = failures.get(id);
      const response: DigestResponse = failure !== undefined ? { id, error: failure } : { id, sha256: (hashes.get(id) ?? createHash('sha256')).digest('hex') };
      hashes.delete(id);
      failures.delete(id);
      parentPort!.postMessage(response);
      return;
    }
    if (failures.has(id)) return;
    let hash = hashes.get(id);
    if (!hash) hashes.set(id, (hash = createHash('sha256')));
    try {
      if ('bytes' in request) {
        try {
          hash.update(request.bytes);
        } finally {
          Atomics.sub(queued, 0, request.bytes.length);
          Atomics.notify(queued, 0);
        }
        return;
      }
      const fd = openSync(request.file, 'r');
      try {
        for (let read = readSync(fd, block, 0, block.length, null); read > 0; read = readSync(fd, block, 0, block.length, null)) hash.update(block.subarray(0, read));
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      failures.set(id, `${'file' in request ? request.file : 'bytes in memory'}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}

/** At most this many bytes in memory wait to be hashed (a build without cache sends its rows, about 1 GB at 100,000 articles). */
const MAX_QUEUED_BYTES = 64 << 20;

/**
 * SHA-256 of files, computed in a worker thread in the order they are fed, which reads the stored pieces
 * itself: a build that takes its chunks from the cache publishes about a gigabyte of pieces at 100,000
 * articles, and reading and hashing them took the build's own thread 1 to 3 s. The thread starts with the
 * first file, holds the process open only while a digest is awaited, and ends at close().
 */
class DigestThread {
  private worker: Worker | null = null;
  private nextId = 0;
  /** Bytes in memory sent to the thread and not yet hashed: bounded, so that a thread that falls behind does not make the build hold the rows. */
  private readonly queued = new Int32Array(new SharedArrayBuffer(4));
  private readonly waiting = new Map<number, { resolve: (sha256: string) => void; reject: (error: Error) => void }>();

  open(): FileDigest {
    const id = this.nextId++;
    const worker = this.start();
    const post = (request: DigestRequest, transfer: ArrayBuffer[] = []) => worker.postMessage(request, transfer);
    return {
      update: (bytes) => {
        this.waitForRoom();
        // A copy of its own, moved to the thread: the caller reuses its buffer.
        const copy = new Uint8Array(bytes);
        Atomics.add(this.queued, 0, copy.length);
        post({ id, bytes: copy }, [copy.buffer]);
      },
      updatePiece: (location, piece) => post({ id, file: path.join(location, piece) }),
      digest: () =>
        new Promise<string>((resolve, reject) => {
          this.waiting.set(id, { resolve, reject });
          worker.ref();
          post({ id, end: true });
        }),
    };
  }

  /** Blocks while too many bytes wait to be hashed; a thread that makes no progress for a minute has failed. */
  private waitForRoom(): void {
    let waiting = Atomics.load(this.queued, 0);
    let since = Date.now();
    while (waiting > MAX_QUEUED_BYTES) {
      Atomics.wait(this.queued, 0, waiting, 100);
      const now = Atomics.load(this.queued, 0);
      if (now !== waiting) since = Date.now();
      else if (Date.now() - since > 60_000) throw new Error('the hashing thread has hashed nothing for a minute: it has stopped');
      waiting = now;
    }
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(`(${digestThread.toString()})()`, { eval: true, workerData: this.queued.buffer });
    worker.unref();
    worker.on('message', (response: DigestResponse) => {
      const waiting = this.waiting.get(response.id);
      this.waiting.delete(response.id);
      if (this.waiting.size === 0) worker.unref();
      if ('error' in response) waiting?.reject(new Error(`hashing a published file failed: ${response.error}`));
      else waiting?.resolve(response.sha256);
    });
    const failAll = (error: Error) => {
      for (const waiting of this.waiting.values()) waiting.reject(error);
      this.waiting.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`the hashing thread exited (code ${code}) before every published file was hashed`)));
    return (this.worker = worker);
  }
}

/** Folders being removed are renamed `<out>.trash-<uuid>` first; a build removes those a killed one left. */
const TRASH_INFIX = '.trash-';

/**
 * Removes a folder (the previous output, the scratch chunks: a gigabyte at 100,000 articles, about
 * 0.4 s to delete here) by `rm` in a process of its own that outlives the build: it is renamed out of
 * the way first, so nothing else can be using its name. Without `rm`, it is removed here.
 */
async function removeInBackground(folder: string, out: string): Promise<void> {
  if (!(await exists(folder))) return;
  const trash = `${out}${TRASH_INFIX}${randomUUID()}`;
  await rename(folder, trash);
  const removed = await new Promise<boolean>((resolve) => {
    const child = spawn('rm', ['-rf', '--', trash], { detached: true, stdio: 'ignore' });
    child.once('error', () => resolve(false));
    child.once('spawn', () => resolve(true));
    child.unref();
  });
  if (!removed) await rm(trash, { recursive: true, force: true });
}

function writeAll(fd: number, chunk: Uint8Array): void {
  for (let offset = 0; offset < chunk.length; ) offset += writeSync(fd, chunk, offset, chunk.length - offset);
}

const fdatasyncAsync = promisify(fdatasync);

/** Pieces per `cat` (and between two flushes to the disk): a run every few seconds of a cold build. */
const FILES_PER_CAT = 64;

/**
 * Appends stored pieces to an open file at its position, in order, from a process beside the build:
 * `xargs` runs `cat` on them 64 at a time as they are named on its input. GNU cat copies inside the
 * kernel (copy_file_range): about 0.15 s for 530 MB here, where reading and writing them took 0.8
 * to 1.4 s. One `xargs` serves a whole run of pieces, because spawning a process costs this thread
 * 5 to 30 ms (the more memory the build holds, the more). Without xargs, the pieces are read and
 * written here when the run ends.
 */
class PieceCopier {
  private readonly files: string[] = [];
  /** How many of the files xargs was told about. */
  private sent = 0;
  private child: ChildProcess | null = null;
  private ended = false;
  private markEnded!: () => void;
  private readonly endedSignal = new Promise<void>((resolve) => (this.markEnded = resolve));
  /** A flush to the disk under way: the copied bytes are written out while the build goes on, not all in the commit's fsync (1.4 s at 100,000 articles). */
  private flushing: Promise<void> | null = null;
  private readonly done: Promise<void>;

  /** Starts once `after` (what is written before this run) has settled. */
  constructor(
    private readonly fd: number,
    after: Promise<void> | null,
  ) {
    this.done = after ? after.then(() => this.run()) : this.run();
    this.done.catch(() => undefined); // awaited by end()'s caller; not an unhandled rejection meanwhile
  }

  add(file: string): void {
    this.files.push(file);
    // Named to xargs a run at a time: a write to its input costs this thread as much as a short copy.
    if (this.child && this.files.length - this.sent >= FILES_PER_CAT) {
      this.sendNames();
      this.flushing ??= fdatasyncAsync(this.fd).then(() => void (this.flushing = null));
    }
  }

  /** Settles when every piece is in the file (and on the disk). */
  end(): Promise<void> {
    this.ended = true;
    this.markEnded();
    if (this.child) {
      this.sendNames();
      this.child.stdin!.end();
    }
    return this.done;
  }

  private sendNames(): void {
    if (this.sent === this.files.length) return;
    this.child!.stdin!.write(this.files.slice(this.sent).map((file) => `${file}\0`).join(''));
    this.sent = this.files.length;
  }

  private async run(): Promise<void> {
    const child = spawn('xargs', ['-0', '-n', String(FILES_PER_CAT), 'cat', '--'], { stdio: ['pipe', this.fd, 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr!.on('data', (data: Buffer) => (stderr += data.toString()));
    // A child that fails early closes its input: its exit status says why.
    child.stdin!.on('error', () => undefined);
    if (this.ended) {
      this.sendNames();
      child.stdin!.end();
    }
    const outcome = await new Promise<{ code: number | null; error?: NodeJS.ErrnoException }>((resolve) => {
      child.once('error', (error: NodeJS.ErrnoException) => resolve({ code: null, error }));
      child.once('close', (code) => resolve({ code }));
    });
    await this.flushing;
    if (outcome.error?.code === 'ENOENT') {
      await this.endedSignal;
      for (const file of this.files) writeAll(this.fd, readFileSync(file));
    } else if (outcome.error || outcome.code !== 0) {
      throw new Error(`copying ${this.files.length} stored pieces (from ${this.files[0]}) into the output failed: ${outcome.error?.message ?? stderr.trim()}`);
    }
    await fdatasyncAsync(this.fd);
  }
}

/** Publishes whole files held in memory (small outputs, tests). */
export async function publishAtomically(outDir: string, files: ReadonlyMap<string, string>): Promise<void> {
  const publisher = await StagingPublisher.create(outDir);
  for (const [relative, content] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const file = publisher.open(relative);
    file.write(Buffer.from(content, 'utf8'));
    file.close();
  }
  await publisher.commit();
}

/** For the single-stage commands: write one file per input into a folder. */
export async function writeStageOutput(dir: string, name: string, content: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const target = path.join(dir, name);
  const temporary = `${target}.tmp-${process.pid}`;
  await writeFile(temporary, content, 'utf8');
  await rename(temporary, target);
}

export async function readInputFiles(paths: readonly string[]): Promise<InputFile[]> {
  return Promise.all(paths.map(async (p) => ({ name: path.basename(p), bytes: await readFile(p) })));
}

/**
 * Version of the pipeline's own code: a hash of the built code, the schemas
 * and the lockfile (the gazetteer data packages shape the output too), so
 * that any change invalidates the per-article cache.
 */
export async function codeVersion(rootDir: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (/\.(js|json)$/.test(entry.name)) hash.update(entry.name).update(await readFile(full));
    }
  };
  await walk(path.join(rootDir, 'dist/pipeline'));
  await walk(path.join(rootDir, 'dist/schemas'));
  hash.update(await readFile(path.join(rootDir, 'package-lock.json')).catch(() => Buffer.from('no lockfile')));
  return hash.digest('hex').slice(0, 16);
}

/**
 * A build uses its cache alone: another build pruning it at the same time would delete entries this
 * one is writing or reading. The lock is a folder inside the cache, kept fresh while the build runs;
 * one a killed build left counts as abandoned once it is 10 s old.
 */
export class CacheLock {
  /** Set when another build took the lock as abandoned (this one stalled too long): the cache is no longer ours to prune. */
  lost = false;

  private constructor(
    readonly lockPath: string,
    private readonly unlock: () => Promise<void>,
  ) {}

  /** The lock, or null when another build holds it (then this build runs without the cache). */
  static async acquire(cacheRoot: string): Promise<CacheLock | null> {
    await mkdir(cacheRoot, { recursive: true });
    const lockPath = path.join(cacheRoot, 'build.lock');
    let held: CacheLock | null = null;
    try {
      const unlock = await lockfile.lock(cacheRoot, {
        lockfilePath: lockPath,
        stale: 10_000,
        retries: 0,
        onCompromised: () => {
          if (held) held.lost = true;
        },
      });
      held = new CacheLock(lockPath, unlock);
      return held;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOCKED') return null;
      throw error;
    }
  }

  async release(): Promise<void> {
    // A lost lock is another build's now: leave it.
    if (!this.lost) await this.unlock();
  }
}

/**
 * The per-article cache: processed articles, content-addressed. One file per
 * article (its summary line, then its serialised rows), named by the part
 * key (hash of the file name, raw bytes and build options), under a folder
 * per code version, so an unchanged article is never processed twice and a
 * code change invalidates everything.
 */
const DISCARDED_PREFIX = 'discarded-';

export class PartFolder {
  private discarding: Promise<void> = Promise.resolve();

  private constructor(readonly folder: string) {}

  /** The cache of this code version; entries of other versions can never be read again, so they go. */
  static async open(cacheRoot: string, version: string): Promise<PartFolder> {
    const versions = path.join(cacheRoot, 'articles');
    const folder = path.join(versions, version);
    await mkdir(folder, { recursive: true });
    // Other versions (and what a killed build left to remove) are moved out of the way at once...
    const discarded = path.join(cacheRoot, `${DISCARDED_PREFIX}${randomUUID()}`);
    await mkdir(discarded);
    for (const other of await readdir(versions)) {
      if (other !== version) await rename(path.join(versions, other), path.join(discarded, other));
    }
    for (const leftover of await readdir(cacheRoot)) {
      if (leftover.startsWith(DISCARDED_PREFIX) && path.join(cacheRoot, leftover) !== discarded) await rename(path.join(cacheRoot, leftover), path.join(discarded, leftover));
    }
    const store = new PartFolder(folder).withFanOut();
    // ...and removed beside the build (100,000 entries took 19 s here), which waits for it at the end.
    store.discarding = rm(discarded, { recursive: true, force: true });
    return store;
  }

  /** Settles when the entries of other code versions are gone. */
  discarded(): Promise<void> {
    return this.discarding;
  }

  /** Opens a folder another thread opened (worker threads get the folder's path). */
  static attach(folder: string): PartFolder {
    return new PartFolder(folder);
  }

  /** Entries are spread over 256 sub-folders by the key's first two hex digits; made once, not per entry. */
  private withFanOut(): this {
    for (let i = 0; i < 256; i++) mkdirSync(path.join(this.folder, i.toString(16).padStart(2, '0')), { recursive: true });
    return this;
  }

  private pathOf(key: string): string {
    return path.join(this.folder, key.slice(0, 2), `${key}.part`);
  }

  /** The part stored under the key, or null when missing or unreadable (then the article is processed again). */
  get(key: string): ArticlePart | null {
    const file = this.pathOf(key);
    // Missing is the common case of a cold build: ask without the cost of an exception.
    if (!existsSync(file)) return null;
    try {
      const stored = readFileSync(file);
      const summary = decodeSummary(stored);
      if (summary.key !== key) return null;
      const body = bodyOf(stored);
      const expected = summary.digest?.sections.reduce((n, length) => n + length, 0) ?? 0;
      return body.length === expected ? { summary, body: summary.digest ? body : null } : null;
    } catch {
      return null;
    }
  }

  /** The chunks of this code version. */
  chunks(): ChunkFolder {
    return new ChunkFolder(path.join(this.folder, 'chunks'));
  }

  private manifestPath(rawDir: string, texts: boolean): string {
    return path.join(this.folder, `inputs-${createHash('sha256').update(`${path.resolve(rawDir)}\u0000${texts}`).digest('hex').slice(0, 16)}.jsonl`);
  }

  /**
   * What the last build of this input folder saw, one line per file in name order
   * (`[name, stat signature, cache key]`): looked up in name order, a line at a time, so a
   * build never holds the whole manifest. Missing or unreadable: nothing is known, every file is read.
   */
  previousBuild(rawDir: string, texts: boolean): ManifestCursor {
    return new ManifestCursor(this.previousManifest(rawDir, texts));
  }

  /** Where the last build of this input folder left its manifest (it may be missing). */
  previousManifest(rawDir: string, texts: boolean): string {
    return this.manifestPath(rawDir, texts);
  }

  /** The manifest of this build, written as the articles arrive (in name order); replaces the last one at commit(). */
  nextBuild(rawDir: string, texts: boolean): ManifestWriter {
    const inputs = this.manifestPath(rawDir, texts);
    return new ManifestWriter(inputs, inputs.replace(/inputs-([0-9a-f]+)\.jsonl$/, 'chunks-$1.txt'), this.talliesPath(rawDir, texts));
  }

  private talliesPath(rawDir: string, texts: boolean): string {
    return this.manifestPath(rawDir, texts).replace(/inputs-([0-9a-f]+)\.jsonl$/, 'tallies-$1.v8');
  }

  /** The sum of the entity tallies of the cached chunks the last build of this input folder took in, or null when unknown or unreadable. */
  previousTallies(rawDir: string, texts: boolean): TallySnapshot | null {
    try {
      const snapshot = deserialize(readFileSync(this.talliesPath(rawDir, texts))) as TallySnapshot;
      return Array.isArray(snapshot.chunks) && snapshot.tallies?.tallies instanceof Map ? snapshot : null;
    } catch {
      return null;
    }
  }

  /**
   * Removes the entries that no input folder's manifest refers to any more (earlier versions of
   * changed articles, removed files, temporary files of killed runs), so the cache does not grow
   * with every edit. Returns how many went.
   */
  async prune(): Promise<number> {
    const live = new Set<string>();
    const liveChunks = new Set<string>();
    for (const name of readdirSync(this.folder)) {
      const inputs = name.startsWith('inputs-') && name.endsWith('.jsonl');
      if (!inputs && !(name.startsWith('chunks-') && name.endsWith('.txt'))) continue;
      try {
        for (const line of linesOfFile(path.join(this.folder, name))) {
          if (inputs) live.add(keyOfManifestLine(line));
          else liveChunks.add(line);
        }
      } catch {
        return 0; // an unreadable manifest: better keep everything than guess
      }
    }
    // The folders are listed and the stale entries removed by the thread pool, while the build goes on.
    const chunks = this.chunks().folder;
    const chunkNames = await readdir(chunks).catch(() => [] as string[]);
    const partFolders = Array.from({ length: 256 }, (_, i) => path.join(this.folder, i.toString(16).padStart(2, '0')));
    const stale = chunkNames.filter((name) => !liveChunks.has(name)).map((name) => path.join(chunks, name));
    for (const [i, names] of (await Promise.all(partFolders.map((folder) => readdir(folder)))).entries()) {
      for (const name of names) if (!(name.endsWith('.part') && live.has(name.slice(0, -'.part'.length)))) stale.push(path.join(partFolders[i]!, name));
    }
    await Promise.all(stale.map((entry) => rm(entry, { recursive: true, force: true })));
    return stale.length;
  }

  /** Stores a part (written whole under a temporary name, then renamed: never half-written). Timings are not kept. */
  put(part: ArticlePart): void {
    const target = this.pathOf(part.summary.key);
    const temporaryPath = `${target}.tmp-${process.pid}-${threadId}`;
    writeFileSync(temporaryPath, encodePart({ summary: { ...part.summary, timings: {} }, body: part.body }));
    renameSync(temporaryPath, target);
  }
}

const CHUNK_STATE = 'state.v8';
/** The chunk's entity tallies, apart from the rest of its state: most of its size, and a build that knows their sum does not read them. */
const CHUNK_TALLIES = 'tallies.v8';
const NO_TALLIES = (): EntityMergerState => ({ tallies: new Map() });

/** Views of one new buffer holding the given bytes: never Node's shared pool, so the buffer can be transferred to another thread. */
function ownBuffer(parts: readonly Uint8Array[]): Uint8Array[] {
  const whole = Buffer.allocUnsafeSlow(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  return parts.map((part) => {
    whole.set(part, offset);
    return whole.subarray(offset, (offset += part.length));
  });
}

/**
 * Stored chunks: a folder per chunk, with a file per piece (CHUNK_PIECES), its state and its entity
 * tallies, written under a temporary name and renamed whole, so a chunk is either there complete or missing.
 */
export class ChunkFolder {
  private made = false;

  constructor(readonly folder: string) {}

  /** The entity tallies of a stored chunk, by its location; null when they cannot be read. */
  static talliesAt(location: string): EntityMergerState | null {
    try {
      return deserialize(readFileSync(path.join(location, CHUNK_TALLIES))) as EntityMergerState;
    } catch {
      return null;
    }
  }

  /** The entity tallies of the chunk stored under the key, or null; a chunk whose tallies cannot be read is removed (the next build assembles it again). */
  tallies(key: string): EntityMergerState | null {
    const location = path.join(this.folder, key);
    const tallies = ChunkFolder.talliesAt(location);
    if (!tallies) rmSync(location, { recursive: true, force: true });
    return tallies;
  }

  /**
   * The chunk stored under the key, or null when missing or damaged (then it is assembled again). Its
   * state comes without its entity tallies (read them with tallies() when needed).
   */
  get(key: string): StoredChunk | null {
    const location = path.join(this.folder, key);
    const stateFile = path.join(location, CHUNK_STATE);
    if (!existsSync(stateFile)) return null;
    try {
      const state = deserialize(readFileSync(stateFile)) as ChunkState;
      const complete = CHUNK_PIECES.every((piece, i) => statSync(path.join(location, piece)).size === state.pieceBytes[i]) && statSync(path.join(location, CHUNK_TALLIES)).size > 0;
      return complete ? { state: { ...state, merger: NO_TALLIES() }, location } : null;
    } catch {
      return null;
    }
  }

  /**
   * Stores a chunk (its timings are not kept: they belong to the run that assembled it). `rowsInMemory`:
   * the body sections are not stored but given back, in one buffer of their own (a worker thread can
   * transfer it), for a build that writes them out once; such a chunk is for this build only.
   */
  put(key: string, chunk: AssembledChunk, rowsInMemory = false): StoredChunk {
    if (!this.made) mkdirSync(this.folder, { recursive: true });
    this.made = true;
    const location = path.join(this.folder, key);
    const temporary = `${location}.tmp-${process.pid}-${threadId}`;
    rmSync(temporary, { recursive: true, force: true });
    mkdirSync(temporary);
    // The body sections come first.
    CHUNK_PIECES.forEach((piece, i) => {
      if (!rowsInMemory || i >= BODY_SECTIONS.length) writeFileSync(path.join(temporary, piece), chunk.pieces[i]!);
    });
    writeFileSync(path.join(temporary, CHUNK_STATE), serialize({ ...chunk.state, merger: NO_TALLIES(), timings: {} }));
    writeFileSync(path.join(temporary, CHUNK_TALLIES), serialize(chunk.state.merger));
    rmSync(location, { recursive: true, force: true });
    renameSync(temporary, location);
    return rowsInMemory ? { state: chunk.state, location, rows: ownBuffer(chunk.pieces.slice(0, BODY_SECTIONS.length)) } : { state: chunk.state, location };
  }
}

type ManifestLine = [name: string, signature: string, key: string];

/** The part key of a manifest line: its last string, which needs no JSON escapes (hex), so it is cut out, not parsed. */
function keyOfManifestLine(line: string): string {
  const start = line.lastIndexOf(',"');
  return start >= 0 && line.endsWith('"]') ? line.slice(start + 2, -2) : (JSON.parse(line) as ManifestLine)[2];
}

/** A manifest line (name, stat signature, part key), without its line break. */
export function manifestLine(name: string, signature: string, key: string): string {
  return JSON.stringify([name, signature, key] satisfies ManifestLine);
}

/** Manifest lines, each ending with a line break: rendered where they are known, written as they are. */
export function manifestText(lines: readonly ManifestLine[]): string {
  return lines.map((line) => `${manifestLine(...line)}\n`).join('');
}

/** Manifest lines (as manifestText() renders them), by name. */
export function manifestEntries(text: string): Map<string, { signature: string; key: string }> {
  const entries = new Map<string, { signature: string; key: string }>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const [name, signature, key] = JSON.parse(line) as ManifestLine;
    entries.set(name, { signature, key });
  }
  return entries;
}

/** The signature and key of a line whose name is known, read without parsing it as JSON (they hold no character JSON escapes). */
const SIGNATURE_AND_KEY = /^"([0-9:]+)","([0-9a-f]+)"\]$/;

/** Reads a manifest forward: lookups must come in name order (the order it was written in). */
export class ManifestCursor {
  private readonly lines: Generator<string>;
  /** The current line as written, and its name once parsed. */
  private current: string | null = null;
  private currentName: string | null = null;

  constructor(file: string) {
    this.lines = linesOfFile(file);
    this.advance();
  }

  private advance(): void {
    try {
      const next = this.lines.next();
      this.current = next.done ? null : next.value;
    } catch {
      this.current = null; // none yet, damaged or cut short: the files from here on are read
    }
    this.currentName = null;
  }

  private nameOfCurrent(): string | null {
    try {
      this.currentName ??= (JSON.parse(this.current!) as ManifestLine)[0];
      return this.currentName;
    } catch {
      this.current = null; // damaged: the files from here on are read
      return null;
    }
  }

  /**
   * The signature, key and line the last build saw under this name, if any. Unchanged files are the
   * common case: their line starts with the name as JSON, and is given back to be written again as it is.
   */
  lookup(name: string): { signature: string; key: string; line: string } | undefined {
    const prefix = `[${JSON.stringify(name)},`;
    while (this.current !== null) {
      if (this.current.startsWith(prefix)) {
        const known = SIGNATURE_AND_KEY.exec(this.current.slice(prefix.length));
        if (known) return { signature: known[1]!, key: known[2]!, line: this.current };
        const [, signature, key] = JSON.parse(this.current) as ManifestLine;
        return { signature, key, line: this.current };
      }
      const current = this.nameOfCurrent();
      if (current === null || current > name) return undefined;
      this.advance();
    }
    return undefined;
  }

  /** Closes the file when the build stops looking before its end. */
  close(): void {
    this.lines.return(undefined);
  }
}

/**
 * Writes a manifest a line at a time under a temporary name, with the list of the build's chunks and the
 * sum of their entity tallies beside it; commit() puts them in place whole.
 */
export class ManifestWriter {
  private readonly inputs: DiskScratchFile;
  private readonly chunks: DiskScratchFile;

  constructor(
    private readonly target: string,
    private readonly chunksTarget: string,
    private readonly talliesTarget: string,
  ) {
    this.inputs = new DiskScratchFile(`${target}.tmp-${process.pid}`);
    this.chunks = new DiskScratchFile(`${chunksTarget}.tmp-${process.pid}`);
  }

  /** Lines of a chunk's files (each ending with a line break, rendered where the chunk was assembled), in name order. */
  addText(text: string): void {
    if (text !== '') this.inputs.appendLine(text.slice(0, -1));
  }

  /** A chunk the build used (the cache keeps it). */
  addChunk(key: string): void {
    this.chunks.appendLine(key);
  }

  /** `tallies`: the sum of the entity tallies of the cached chunks the build took in, or null when there is none to keep. */
  commit(tallies: TallySnapshot | null = null): void {
    this.inputs.close();
    this.chunks.close();
    renameSync(`${this.chunksTarget}.tmp-${process.pid}`, this.chunksTarget);
    renameSync(`${this.target}.tmp-${process.pid}`, this.target);
    // A snapshot holds on its own (a chunk's tallies depend on its key only): one left by an earlier build is still right.
    if (tallies) {
      const temporary = `${this.talliesTarget}.tmp-${process.pid}`;
      writeFileSync(temporary, serialize(tallies));
      renameSync(temporary, this.talliesTarget);
    }
  }
}
