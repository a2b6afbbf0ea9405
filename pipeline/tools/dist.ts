// `make dist`: the release archives of a built output folder.
//   dist/<name>-<version>.zip and dist/<name>-<version>.tar.gz, each holding
//   the folder <name>-<version>/ with every published file, and
//   dist/SHA256SUMS with the hashes of both archives.
// Usage: npx tsx pipeline/tools/dist.ts [--out out] [--dist dist]
//
// The archives are written with tar-stream (+ Node's gzip) and yazl with
// fixed timestamps, owners and modes and sorted entries, so the same out/
// always gives the same archive bytes and the same checksums.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import tarStream from 'tar-stream';
import yazl from 'yazl';
import packageJson from '../../package.json' with { type: 'json' };

export interface ArchiveEntry {
  /** Path inside the archive, `/`-separated. */
  path: string;
  bytes: Uint8Array;
}

/** 1980-01-01T00:00:00Z: the earliest date a zip entry can hold; used for tar too so both agree. */
const FIXED_DATE = new Date(Date.UTC(1980, 0, 1));

async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/** An uncompressed ustar archive: directories first where needed, entries in the given order. */
export async function tarArchive(entries: readonly ArchiveEntry[]): Promise<Buffer> {
  const pack = tarStream.pack();
  const done = collect(pack);
  const directories = new Set<string>();
  const common = { mtime: FIXED_DATE, uid: 0, gid: 0, uname: '', gname: '' };
  for (const entry of entries) {
    const parts = entry.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (directories.has(dir)) continue;
      directories.add(dir);
      pack.entry({ ...common, name: dir, type: 'directory', mode: 0o755 });
    }
    pack.entry({ ...common, name: entry.path, type: 'file', mode: 0o644, size: entry.bytes.length }, Buffer.from(entry.bytes));
  }
  pack.finalize();
  return done;
}

export async function tarGz(entries: readonly ArchiveEntry[]): Promise<Buffer> {
  // Node's gzip header carries no file name and a zero mtime: reproducible.
  return gzipSync(await tarArchive(entries), { level: 9 });
}

/** A zip archive (deflate, UTF-8 names, fixed 1980-01-01 timestamps) of the entries in the given order. */
export async function zipArchive(entries: readonly ArchiveEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const done = collect(zip.outputStream);
  for (const entry of entries) zip.addBuffer(Buffer.from(entry.bytes), entry.path, { mtime: FIXED_DATE, mode: 0o100644, compress: true });
  zip.end();
  return done;
}

// ---------------------------------------------------------------- the release

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const relative = prefix ? `${prefix}/${e.name}` : e.name;
    return e.isDirectory() ? listFiles(dir, relative) : [relative];
  });
}

/** Refuses an output folder whose checksums fail or that another version built. */
export function checkOutput(out: string, version: string): void {
  const sums = readFileSync(path.join(out, 'SHA256SUMS'), 'utf8').trim().split('\n');
  for (const line of sums) {
    const [hash, file] = line.split('  ') as [string, string];
    if (sha256(readFileSync(path.join(out, file))) !== hash) throw new Error(`${out}/${file} does not match SHA256SUMS: rebuild with make`);
  }
  const built = (JSON.parse(readFileSync(path.join(out, 'datapackage.json'), 'utf8')) as { version?: string }).version;
  if (built !== version) throw new Error(`${out} was built as version ${built}, package.json says ${version}: rebuild with make`);
}

export interface Release {
  base: string;
  files: Array<{ path: string; sha256: string }>;
}

export async function makeRelease(out: string, dist: string, name = packageJson.name, version = packageJson.version): Promise<Release> {
  checkOutput(out, version);
  const base = `${name}-${version}`;
  const entries = listFiles(out)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((file) => ({ path: `${base}/${file}`, bytes: readFileSync(path.join(out, file)) }));
  mkdirSync(dist, { recursive: true });
  const archives = [
    { path: `${base}.tar.gz`, bytes: await tarGz(entries) },
    { path: `${base}.zip`, bytes: await zipArchive(entries) },
  ];
  for (const a of archives) writeFileSync(path.join(dist, a.path), a.bytes);
  const files = archives.map((a) => ({ path: a.path, sha256: sha256(a.bytes) }));
  writeFileSync(path.join(dist, 'SHA256SUMS'), files.map((f) => `${f.sha256}  ${f.path}\n`).join(''));
  return { base, files };
}

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const dist = option('dist', 'dist');
    const release = await makeRelease(option('out', 'out'), dist);
    for (const f of release.files) process.stdout.write(`${path.join(dist, f.path)}  ${f.sha256}\n`);
    process.stdout.write(`${path.join(dist, 'SHA256SUMS')}: cd ${dist} && sha256sum -c SHA256SUMS\n`);
  } catch (error) {
    process.stderr.write(`dist: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
