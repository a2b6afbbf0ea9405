// The only module (with the CLI) that touches files: the input folder, the
// store of processed articles (the per-article cache), and publishing the
// output folder atomically. Reads and writes here are synchronous on
// purpose: they run one article at a time inside worker threads or in the
// single emit pass, where a callback per file would only add overhead.
import { createHash } from 'node:crypto';
import { closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { access, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { threadId } from 'node:worker_threads';
import path from 'node:path';
import { bodyOf, decodeSummary, encodePart, type ArticlePart, type InputFile, type SkippedInput } from './build.js';
import type { Publisher } from './emit/index.js';
import type { ScratchFile } from './emit/report.js';

/** An article file of the input folder, not yet read. */
export interface InputEntry {
  name: string;
  path: string;
  /** What the previous build saw under this name: when the file's stat signature is unchanged, its cache key. */
  previous?: { signature: string; key: string };
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
  files: InputEntry[];
  skipped: SkippedInput[];
}

/** Every regular file of the folder (sorted by name); anything else is listed as skipped with why. */
export async function listInputFolder(dir: string): Promise<InputFolder> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: InputEntry[] = [];
  const skipped: SkippedInput[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.name.startsWith('.')) {
      skipped.push({ name: entry.name, reason: 'hidden file or folder (name starts with a dot)' });
    } else if (entry.isFile() || (entry.isSymbolicLink() && (await stat(full)).isFile())) {
      files.push({ name: entry.name, path: full });
    } else {
      skipped.push({ name: entry.name, reason: entry.isDirectory() ? 'a folder, not an article file (input folders are not searched recursively)' : 'not a regular file' });
    }
  }
  return { files, skipped };
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

  *lines(): Generator<string> {
    this.flush();
    const chunk = Buffer.allocUnsafe(SCRATCH_CHUNK_BYTES);
    let position = 0;
    let carry = Buffer.alloc(0);
    for (let read = readSync(this.fd, chunk, 0, chunk.length, position); read > 0; read = readSync(this.fd, chunk, 0, chunk.length, position)) {
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
    if (carry.length > 0) throw new Error(`internal: ${this.file} does not end with a line break`);
  }

  close(): void {
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
  for (const leftover of [staging, previous, scratch]) {
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
  private readonly scratchFiles: DiskScratchFile[] = [];
  private readonly folders = new Set<string>();
  private readonly written: string[] = [];

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

  open(relative: string): { write(chunk: Uint8Array): void; close(): void } {
    const target = path.join(this.staging, relative);
    const folder = path.dirname(target);
    if (!this.folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      this.folders.add(folder);
    }
    const fd = openSync(target, 'w');
    this.written.push(target);
    return {
      write: (chunk) => {
        for (let offset = 0; offset < chunk.length; ) offset += writeSync(fd, chunk, offset, chunk.length - offset);
      },
      close: () => closeSync(fd),
    };
  }

  /** Scratch files live beside the staging folder (never published) and go at the commit. */
  scratch(name: string): ScratchFile {
    mkdirSync(this.scratchFolder, { recursive: true });
    const file = new DiskScratchFile(path.join(this.scratchFolder, name));
    this.scratchFiles.push(file);
    return file;
  }

  async commit(): Promise<void> {
    for (const file of this.scratchFiles) file.close();
    await rm(this.scratchFolder, { recursive: true, force: true });
    // Durable before visible: the data of every file and folder reaches the disk before the swap.
    await Promise.all(this.written.map((file) => fsyncPath(file)));
    for (const folder of this.folders) await fsyncPath(folder);
    if (await exists(this.out)) await rename(this.out, this.previous);
    await rename(this.staging, this.out);
    await fsyncPath(path.dirname(this.out));
    await rm(this.previous, { recursive: true, force: true });
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
 * The per-article cache: processed articles, content-addressed. One file per
 * article (its summary line, then its serialised rows), named by the part
 * key (hash of the file name, raw bytes and build options), under a folder
 * per code version, so an unchanged article is never processed twice and a
 * code change invalidates everything.
 */
export class PartFolder {
  private constructor(readonly folder: string) {}

  /** The cache of this code version; entries of other versions can never be read again, so they go. */
  static async open(cacheRoot: string, version: string): Promise<PartFolder> {
    const versions = path.join(cacheRoot, 'articles');
    const folder = path.join(versions, version);
    await mkdir(folder, { recursive: true });
    for (const other of await readdir(versions)) {
      if (other !== version) await rm(path.join(versions, other), { recursive: true, force: true });
    }
    return new PartFolder(folder).withFanOut();
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

  private manifestPath(rawDir: string, texts: boolean): string {
    return path.join(this.folder, `inputs-${createHash('sha256').update(`${path.resolve(rawDir)}\u0000${texts}`).digest('hex').slice(0, 16)}.json`);
  }

  /** What the last build of this input folder saw: name → stat signature and cache key. */
  readManifest(rawDir: string, texts: boolean): Map<string, { signature: string; key: string }> {
    try {
      const entries = JSON.parse(readFileSync(this.manifestPath(rawDir, texts), 'utf8')) as Array<[string, string, string]>;
      return new Map(entries.map(([name, signature, key]) => [name, { signature, key }]));
    } catch {
      return new Map(); // none yet, or unreadable: every file is read
    }
  }

  writeManifest(rawDir: string, texts: boolean, entries: ReadonlyArray<[name: string, signature: string, key: string]>): void {
    const target = this.manifestPath(rawDir, texts);
    const temporaryPath = `${target}.tmp-${process.pid}`;
    writeFileSync(temporaryPath, JSON.stringify(entries));
    renameSync(temporaryPath, target);
  }

  /**
   * Removes the entries that no input folder's manifest refers to any more (earlier versions of
   * changed articles, removed files, temporary files of killed runs), so the cache does not grow
   * with every edit. Returns how many went.
   */
  prune(): number {
    const live = new Set<string>();
    for (const name of readdirSync(this.folder)) {
      if (!name.startsWith('inputs-') || !name.endsWith('.json')) continue;
      try {
        for (const [, , key] of JSON.parse(readFileSync(path.join(this.folder, name), 'utf8')) as Array<[string, string, string]>) live.add(key);
      } catch {
        return 0; // an unreadable manifest: better keep everything than guess
      }
    }
    let removed = 0;
    for (let i = 0; i < 256; i++) {
      const folder = path.join(this.folder, i.toString(16).padStart(2, '0'));
      for (const name of readdirSync(folder)) {
        if (name.endsWith('.part') && live.has(name.slice(0, -'.part'.length))) continue;
        rmSync(path.join(folder, name), { force: true });
        removed++;
      }
    }
    return removed;
  }

  /** Stores a part (written whole under a temporary name, then renamed: never half-written). Timings are not kept. */
  put(part: ArticlePart): void {
    const target = this.pathOf(part.summary.key);
    const temporaryPath = `${target}.tmp-${process.pid}-${threadId}`;
    writeFileSync(temporaryPath, encodePart({ summary: { ...part.summary, timings: {} }, body: part.body }));
    renameSync(temporaryPath, target);
  }
}
