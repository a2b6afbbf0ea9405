// The only module (with the CLI) that touches files: reading the input
// folder and publishing the output folder atomically.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { InputFile, SkippedInput } from './build.js';

export interface InputFolder {
  files: InputFile[];
  skipped: SkippedInput[];
}

/** Every regular file of the folder (sorted by name); anything else is listed as skipped with why. */
export async function readInputFolder(dir: string): Promise<InputFolder> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: InputFile[] = [];
  const skipped: SkippedInput[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) {
      skipped.push({ name: entry.name, reason: 'hidden file or folder (name starts with a dot)' });
    } else if (entry.isFile() || (entry.isSymbolicLink() && (await stat(path.join(dir, entry.name))).isFile())) {
      files.push({ name: entry.name, bytes: await readFile(path.join(dir, entry.name)) });
    } else {
      skipped.push({ name: entry.name, reason: entry.isDirectory() ? 'a folder, not an article file (input folders are not searched recursively)' : 'not a regular file' });
    }
  }
  return { files, skipped };
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

export function stagingPaths(outDir: string): { staging: string; previous: string } {
  const resolved = path.resolve(outDir);
  return { staging: `${resolved}.staging`, previous: `${resolved}.previous` };
}

/**
 * Finishes or rolls back a publish that was killed. The swap is two renames
 * (out → out.previous, out.staging → out); if only the first happened, the
 * previous output is put back, so a reader always finds a complete folder.
 */
export async function recoverInterruptedPublish(outDir: string): Promise<'none' | 'restored-previous' | 'removed-leftovers'> {
  const out = path.resolve(outDir);
  const { staging, previous } = stagingPaths(out);
  let outcome: 'none' | 'restored-previous' | 'removed-leftovers' = 'none';
  if (!(await exists(out)) && (await exists(previous))) {
    await rename(previous, out);
    outcome = 'restored-previous';
  }
  for (const leftover of [staging, previous]) {
    if (await exists(leftover)) {
      await rm(leftover, { recursive: true, force: true });
      if (outcome === 'none') outcome = 'removed-leftovers';
    }
  }
  return outcome;
}

/** Writes every file into a staging folder beside the output, then swaps it in. */
export async function publishAtomically(outDir: string, files: ReadonlyMap<string, string>): Promise<void> {
  const out = path.resolve(outDir);
  await mkdir(path.dirname(out), { recursive: true });
  await recoverInterruptedPublish(out);
  const { staging, previous } = stagingPaths(out);
  await mkdir(staging, { recursive: true });
  const folders = new Set<string>([staging]);
  for (const [relative, content] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const target = path.join(staging, relative);
    await mkdir(path.dirname(target), { recursive: true });
    folders.add(path.dirname(target));
    const handle = await open(target, 'w');
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  for (const folder of folders) await fsyncPath(folder);
  if (await exists(out)) await rename(out, previous);
  await rename(staging, out);
  await fsyncPath(path.dirname(out));
  await rm(previous, { recursive: true, force: true });
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
 * Content-addressed cache of per-article results: the key is the hash of the
 * file name and raw bytes, under a folder per code version.
 */
export class ArticleCache {
  constructor(private readonly folder: string) {}

  /** Opens the cache of this code version; entries of other versions can never be read again, so they go. */
  static async open(cacheRoot: string, version: string): Promise<ArticleCache> {
    const versions = path.join(cacheRoot, 'articles');
    const folder = path.join(versions, version);
    await mkdir(folder, { recursive: true });
    for (const other of await readdir(versions)) {
      if (other !== version) await rm(path.join(versions, other), { recursive: true, force: true });
    }
    return new ArticleCache(folder);
  }

  private pathOf(key: string): string {
    return path.join(this.folder, key.slice(0, 2), `${key}.json`);
  }

  async get<T>(key: string): Promise<T | null> {
    try {
      return JSON.parse(await readFile(this.pathOf(key), 'utf8')) as T;
    } catch {
      return null; // missing or unreadable: recompute
    }
  }

  async put(key: string, value: unknown): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.tmp-${process.pid}`;
    await writeFile(temporary, JSON.stringify(value));
    await rename(temporary, target);
  }
}
