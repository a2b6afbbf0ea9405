// Shared test helpers: run the built CLI, read published CSVs as a user would.
import { parse } from 'csv-parse/sync';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { expect } from 'vitest';
import { applyRepairs, type Repair } from '../pipeline/decode/repair.js';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = path.join(ROOT, 'dist/pipeline/cli.js');

/** A fresh folder inside the test run's temporary folder (tests/global-setup.ts removes it at the end). */
export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(process.env['UNESCO_EDU_TEST_TMP'] ?? tmpdir(), `${prefix}-`));
}

/**
 * The cache of this test file's builds that name none: the maintainer's `.cache` is not the tests'
 * (their manifests would stay there), and test files running at the same time each have their own.
 */
let testCache: string | null = null;

/** The arguments of a build, with this test file's cache unless they name one (or --no-cache). */
export function withTestCache(args: string[]): string[] {
  if (args[0] !== 'build' || args.some((a) => a === '--cache' || a === '--no-cache')) return args;
  testCache ??= tempDir('cache');
  return [...args, '--cache', testCache];
}

export function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...withTestCache(args)], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A build that succeeded; when not, the assertion shows what the CLI said. */
export function expectBuilt(result: { status: number | null; stderr: string }): void {
  expect(result.status, result.stderr).toBe(0);
}

export function readCsv(out: string, table: string): Array<Record<string, string>> {
  return parse(readFileSync(path.join(out, 'csv', `${table}.csv`)), { columns: true, bom: false }) as Array<Record<string, string>>;
}

export function csvHeader(out: string, table: string): string[] {
  return readFileSync(path.join(out, 'csv', `${table}.csv`), 'utf8').split('\n')[0]!.split(',');
}

/** Verifies SHA256SUMS like `sha256sum -c`; returns the files that fail. */
export function checksumFailures(out: string): string[] {
  const failures: string[] = [];
  for (const line of readFileSync(path.join(out, 'SHA256SUMS'), 'utf8').trim().split('\n')) {
    const [hash, file] = line.split(/ {2}/);
    const actual = createHash('sha256').update(readFileSync(path.join(out, file!))).digest('hex');
    if (actual !== hash) failures.push(file!);
  }
  return failures;
}

/** Applies repairs with the decode stage's own function, after checking each one against the input. */
export function checkedApplyRepairs(input: string, repairs: readonly Repair[]): string {
  const points = Array.from(input);
  let position = 0;
  for (const r of repairs) {
    expect(r.start).toBeGreaterThanOrEqual(position);
    expect(r.end).toBeGreaterThanOrEqual(r.start);
    expect(points.slice(r.start, r.end).join('')).toBe(r.before);
    position = r.end;
  }
  return applyRepairs(input, repairs);
}

/** Phrases of seed 003 as the gold annotation has them: curly quotes and dashes the GBK mojibake had garbled. */
export const SEED_003_GOLD_PHRASES = [
  '“Innovation and resilience have deeper roots than financial or economic assets,” declared the Director-General.',
  'never been more important — and cities',
  'People’s Republic of China',
  'creating new opportunities for learning.”',
  'this development is sustainable,” said Irina Bokova.',
] as const;

// For the accumulators that are folded in chunks and combined (state, fromState, absorb).

/** Maps and Sets as arrays, in iteration order (toEqual alone ignores their order); throws on anything that is not plain data. */
export function plainInOrder(value: unknown, at = 'state'): unknown {
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') throw new Error(`${at} is a ${typeof value}`);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Map) return { map: [...value].map(([k, v], i) => [plainInOrder(k, `${at} key ${i}`), plainInOrder(v, `${at}.get(${String(k)})`)]) };
  if (value instanceof Set) return { set: [...value].map((v, i) => plainInOrder(v, `${at} item ${i}`)) };
  if (Array.isArray(value)) return value.map((v, i) => plainInOrder(v, `${at}[${i}]`));
  if (Object.getPrototypeOf(value) !== Object.prototype) throw new Error(`${at} is an instance of ${value.constructor.name}`);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainInOrder(v, `${at}.${k}`)]));
}

/** Where to cut n items into chunks: nowhere, empty chunks at either end and in the middle, halves, a dozen chunks, one item a chunk. */
export function cutSets(n: number): number[][] {
  const third = Math.floor(n / 3);
  return [
    [],
    [0],
    [n],
    [1],
    [n - 1],
    [Math.floor(n / 2)],
    [0, 0, third, third, 2 * third, n, n],
    Array.from({ length: 11 }, (_, k) => Math.floor(((k + 1) * n) / 12)),
    Array.from({ length: n - 1 }, (_, k) => k + 1),
  ];
}

export function split<T>(items: readonly T[], cuts: readonly number[]): T[][] {
  const bounds = [0, ...cuts, items.length];
  return bounds.slice(1).map((end, k) => items.slice(bounds[k], end));
}

/** How a chunk's state reaches the main thread: from a worker, or from the cache on disk. */
export type RoundTrip = <T>(state: T) => T;
export const ROUND_TRIPS: Array<[string, RoundTrip]> = [
  ['v8.serialize', (state) => v8.deserialize(v8.serialize(state))],
  ['structuredClone', (state) => structuredClone(state)],
];
