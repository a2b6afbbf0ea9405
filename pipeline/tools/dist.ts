// `make dist`: the release archives of a built output folder.
//   dist/<name>-<version>.zip and dist/<name>-<version>.tar.gz, each holding
//   the folder <name>-<version>/ with every published file, and
//   dist/SHA256SUMS with the hashes of both archives.
// Usage: npx tsx pipeline/tools/dist.ts [--out out] [--dist dist]
//
// The archives are written here in plain Node (ustar + gzip, zip with
// deflate) rather than with the system tar/zip: no tool to install, and the
// bytes are reproducible (fixed timestamps, owners and modes, sorted entries),
// so the same out/ always gives the same archives and the same checksums.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, gzipSync } from 'node:zlib';
import packageJson from '../../package.json' with { type: 'json' };

export interface ArchiveEntry {
  /** Path inside the archive, `/`-separated. */
  path: string;
  bytes: Uint8Array;
}

/** 1980-01-01T00:00:00Z: the earliest date a zip entry can hold; used for tar too so both agree. */
const FIXED_TIME = Date.UTC(1980, 0, 1) / 1000;

// ---------------------------------------------------------------- tar (POSIX ustar)

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function tarHeader(name: string, size: number, type: '0' | '5'): Buffer {
  const header = Buffer.alloc(512);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    // ustar splits long names at a slash into prefix (155 bytes) and name (100 bytes).
    const cut = name.lastIndexOf('/', 155);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
    if (cut <= 0 || Buffer.byteLength(base) > 100 || Buffer.byteLength(prefix) > 155) throw new Error(`tar: path too long: ${name}`);
  }
  header.write(base, 0, 100, 'utf8');
  header.write(octal(type === '5' ? 0o755 : 0o644, 8), 100, 'ascii');
  header.write(octal(0, 8), 108, 'ascii'); // uid
  header.write(octal(0, 8), 116, 'ascii'); // gid
  header.write(octal(size, 12), 124, 'ascii');
  header.write(octal(FIXED_TIME, 12), 136, 'ascii');
  header.write('        ', 148, 'ascii'); // checksum field counts as spaces while summing
  header.write(type, 156, 'ascii');
  header.write('ustar\u000000', 257, 'ascii');
  header.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return header;
}

/** An uncompressed ustar archive: directories first where needed, entries in the given order. */
export function tarArchive(entries: readonly ArchiveEntry[]): Buffer {
  const blocks: Buffer[] = [];
  const directories = new Set<string>();
  for (const entry of entries) {
    const parts = entry.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = `${parts.slice(0, i).join('/')}/`;
      if (directories.has(dir)) continue;
      directories.add(dir);
      blocks.push(tarHeader(dir, 0, '5'));
    }
    blocks.push(tarHeader(entry.path, entry.bytes.length, '0'), Buffer.from(entry.bytes));
    const padding = (512 - (entry.bytes.length % 512)) % 512;
    if (padding > 0) blocks.push(Buffer.alloc(padding));
  }
  blocks.push(Buffer.alloc(1024)); // two zero blocks end the archive
  return Buffer.concat(blocks);
}

export function tarGz(entries: readonly ArchiveEntry[]): Buffer {
  // Node's gzip header carries no file name and a zero mtime: reproducible.
  return gzipSync(tarArchive(entries), { level: 9 });
}

// ---------------------------------------------------------------- zip

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A zip archive (deflate, UTF-8 names, DOS time 1980-01-01 00:00) of the entries in the given order. */
export function zipArchive(entries: readonly ArchiveEntry[]): Buffer {
  const DOS_TIME = 0;
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
  const UTF8_NAMES = 0x0800;
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.path, 'utf8');
    const data = Buffer.from(entry.bytes);
    const deflated = deflateRawSync(data, { level: 9 });
    const stored = deflated.length >= data.length;
    const body = stored ? data : deflated;
    const crc = crc32(data);
    if (offset > 0xffffffff || data.length > 0xffffffff) throw new Error('zip: archive too large (zip64 is not written)');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(stored ? 0 : 8, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0 (so the file mode below is read)
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(UTF8_NAMES, 8);
    central.writeUInt16LE(stored ? 0 : 8, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((0o100644 << 16) >>> 0), 38); // regular file, rw-r--r--
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
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

export function makeRelease(out: string, dist: string, name = packageJson.name, version = packageJson.version): Release {
  checkOutput(out, version);
  const base = `${name}-${version}`;
  const entries = listFiles(out)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((file) => ({ path: `${base}/${file}`, bytes: readFileSync(path.join(out, file)) }));
  mkdirSync(dist, { recursive: true });
  const archives = [
    { path: `${base}.tar.gz`, bytes: tarGz(entries) },
    { path: `${base}.zip`, bytes: zipArchive(entries) },
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
    const release = makeRelease(option('out', 'out'), dist);
    for (const f of release.files) process.stdout.write(`${path.join(dist, f.path)}  ${f.sha256}\n`);
    process.stdout.write(`${path.join(dist, 'SHA256SUMS')}: cd ${dist} && sha256sum -c SHA256SUMS\n`);
  } catch (error) {
    process.stderr.write(`dist: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
