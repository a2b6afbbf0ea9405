// `make bench`: builds synthetic corpora of several sizes and reports, as
// medians of several whole-process runs measured from outside (GNU time):
//   cold         no cache, N worker threads (the figure the targets are about)
//   baseline     no cache, one worker, measured in the same run (ratio N/1)
//   warm         every article in the cache, nothing changed (the CLI run directly)
//   incremental  one article changed in the corpus, the others from the cache
//   make, one changed / one added   `make` after changing or adding one article (what a maintainer waits for)
//   make no-op   a second `make` when nothing changed (make itself decides)
// plus articles/s, MB/s, peak RSS, per-stage time, the ratio of each size's
// cold time to the previous size's (linearity), and whether every build of a
// size published byte-identical files; last, the library floor: what the
// prescribed libraries' calls alone cost per article (./library-floor.ts),
// against the whole per-article path. No timing is asserted in the tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCorpus } from './generate-corpus.js';
import { measureLibraryFloor } from './library-floor.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'dist/pipeline/cli.js');
const work = path.join(root, '.bench');

interface Run {
  seconds: number;
  /** CPU time of the process, user and system, every thread. */
  cpuSeconds: number;
  peakMiB: number;
  stages: Record<string, number>;
  /** SHA256SUMS of the output: equal sums mean byte-identical published files. */
  sums: string;
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function timed(command: string, args: string[], out: string): Run {
  const timeFile = path.join(work, 'time.txt');
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', '-o', timeFile, command, ...args], { encoding: 'utf8', cwd: root, maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr.slice(-2000)}`);
  const [seconds, peakKb, user, system] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-4).map(Number);
  const stages: Record<string, number> = {};
  const line = result.stderr.split('\n').find((l) => l.startsWith('timings:')) ?? '';
  for (const m of line.matchAll(/([a-z+-]+) (\d+) ms/g)) stages[m[1]!] = Number(m[2]);
  const sumsFile = path.join(out, 'SHA256SUMS');
  return { seconds: seconds!, cpuSeconds: user! + system!, peakMiB: peakKb! / 1024, stages, sums: existsSync(sumsFile) ? readFileSync(sumsFile, 'utf8') : '' };
}

function build(raw: string, out: string, workers: number, cache: string | null): Run {
  const cacheArgs = cache ? ['--cache', cache] : ['--no-cache'];
  return timed(process.execPath, [cli, 'build', '--raw', raw, '--out', out, '--allow-rejects', '--timings', '--no-progress', '--workers', String(workers), ...cacheArgs], out);
}

const sizes = (process.env['BENCH_SIZES'] ?? '1000 10000 100000').split(/\s+/).filter(Boolean).map(Number);
const runs = Number(process.env['BENCH_RUNS'] ?? 3);
const workers = Number(process.env['BENCH_WORKERS'] ?? 2);

const fmt = (n: number, digits = 2) => n.toFixed(digits);
const rows: string[] = [];
const stageRows: string[] = [];
let previous: { size: number; seconds: number } | null = null;
/** CPU of the cold builds of the last size, ms per article (every thread of the process). */
let cpuPerArticle = { size: 0, cold: 0, oneWorker: 0 };
for (const size of sizes) {
  const corpus = path.join(work, `corpus-${size}`);
  if (!existsSync(corpus) || readdirSync(corpus).length !== size) await generateCorpus(path.join(root, 'raw'), corpus, size, size);
  const mb = readdirSync(corpus).reduce((n, f) => n + statSync(path.join(corpus, f)).size, 0) / 1e6;
  const out = path.join(work, `out-${size}`);
  const cache = path.join(work, `cache-${size}`);
  rmSync(cache, { recursive: true, force: true });
  const cold: Run[] = [];
  const baseline: Run[] = [];
  // Alternated, so that a change in the machine's load hits both alike.
  for (let r = 0; r < runs; r++) {
    cold.push(build(corpus, out, workers, null));
    baseline.push(build(corpus, out, 1, null));
  }
  build(corpus, out, workers, cache); // fills the cache
  const warm = Array.from({ length: runs }, () => build(corpus, out, workers, cache));
  // One article changed per run (a sentence appended), then put back; a last build restores the output.
  const files = readdirSync(corpus).sort();
  const incremental: Run[] = [];
  for (let r = 0; r < runs; r++) {
    const file = path.join(corpus, files[Math.floor(((r + 1) * files.length) / (runs + 1))]!);
    const original = readFileSync(file);
    writeFileSync(file, Buffer.concat([original, Buffer.from(`\nThe meeting was reported on day ${r + 1} of the benchmark.\n`)]));
    try {
      incremental.push(build(corpus, out, workers, cache));
    } finally {
      writeFileSync(file, original);
    }
  }
  const restored = build(corpus, out, workers, cache);
  // make decides nothing is to be done: the first call brings out/ up to date, the second is timed.
  const makeArgs = ['-s', `RAW=${path.relative(root, corpus)}`, `OUT=${path.relative(root, out)}`, `CACHE=${path.relative(root, cache)}`, 'ALLOW_REJECTS=1'];
  timed('make', makeArgs, out);
  const noop = Array.from({ length: runs }, () => timed('make', makeArgs, out));
  // What a maintainer waits for: `make` after changing one article, or after adding one (a copy of another
  // under a name that sorts among the others, a sentence appended); each put back by another make.
  const changedByMake: Run[] = [];
  const addedByMake: Run[] = [];
  const restoredByMake: Run[] = [];
  for (let r = 0; r < runs; r++) {
    const file = path.join(corpus, files[Math.floor(((r + 1) * files.length) / (runs + 2))]!);
    const original = readFileSync(file);
    writeFileSync(file, Buffer.concat([original, Buffer.from(`\nThe meeting was reported again on day ${r + 1} of the benchmark.\n`)]));
    try {
      changedByMake.push(timed('make', makeArgs, out));
    } finally {
      writeFileSync(file, original);
    }
    restoredByMake.push(timed('make', makeArgs, out));
    const added = `${file.replace(/\.txt$/, '')}-added.txt`;
    writeFileSync(added, Buffer.concat([original, Buffer.from(`\nAn added article, day ${r + 1} of the benchmark.\n`)]));
    try {
      addedByMake.push(timed('make', makeArgs, out));
    } finally {
      rmSync(added);
    }
    restoredByMake.push(timed('make', makeArgs, out));
  }

  const identical = [...cold, ...baseline, ...warm, restored, ...restoredByMake].every((r) => r.sums === cold[0]!.sums);
  const seconds = median(cold.map((r) => r.seconds));
  const baseSeconds = median(baseline.map((r) => r.seconds));
  const linear = previous ? `${fmt(seconds / previous.seconds)} (×${size / previous.size} articles)` : '';
  rows.push(
    `| ${size.toLocaleString('en')} | ${fmt(mb, 1)} | ${fmt(seconds)} | ${fmt(size / seconds, 0)} | ${fmt(mb / seconds)} | ${fmt(median(cold.map((r) => r.peakMiB)), 0)} | ${fmt(median(baseline.map((r) => r.peakMiB)), 0)} | ${fmt(median(warm.map((r) => r.peakMiB)), 0)} | ${fmt(baseSeconds)} (${fmt(seconds / baseSeconds)}) | ${fmt(median(warm.map((r) => r.seconds)))} | ${fmt(median(incremental.map((r) => r.seconds)))} | ${fmt(median(changedByMake.map((r) => r.seconds)))} | ${fmt(median(addedByMake.map((r) => r.seconds)))} | ${fmt(median(noop.map((r) => r.seconds)))} | ${linear} | ${identical ? 'yes' : 'NO'} |`,
  );
  const stageNames = Object.keys(cold[0]!.stages);
  stageRows.push(`| ${size.toLocaleString('en')} | ${stageNames.map((s) => `${s} ${fmt(median(cold.map((r) => r.stages[s] ?? 0)), 0)}`).join(', ')} |`);
  process.stdout.write(`${rows.at(-1)}\n`);
  previous = { size, seconds };
  cpuPerArticle = { size, cold: (1000 * median(cold.map((r) => r.cpuSeconds))) / size, oneWorker: (1000 * median(baseline.map((r) => r.cpuSeconds))) / size };
}
process.stdout.write(
  [
    '',
    `${runs} runs each (medians), ${workers} worker threads unless said otherwise; seconds of wall time, whole process.`,
    '',
    `| articles | MB | cold s | articles/s | MB/s | peak RSS MiB | 1 worker peak RSS MiB | warm peak RSS MiB | 1 worker s (ratio ${workers}/1) | warm s | one changed s | make, one changed s | make, one added s | make no-op s | cold ratio to previous size | identical outputs |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    'Per-stage time of the cold builds, ms (median; per-article stages summed over the worker threads):',
    '',
    '| articles | stages |',
    '| --- | --- |',
    ...stageRows,
    '',
  ].join('\n'),
);

// The floor, on the first articles of the largest corpus (BENCH_FLOOR_ARTICLES, default 2,000).
const largest = Math.max(...sizes);
const floor = measureLibraryFloor(path.join(work, `corpus-${largest}`), Number(process.env['BENCH_FLOOR_ARTICLES'] ?? 2000));
const floorSum = Object.values(floor.calls).reduce((a, b) => a + b, 0);
// The target of issue 4: 100,000 articles in 20 s on the machine's 2 cores.
const budget = (20 * 1000 * 2) / 100_000;
process.stdout.write(
  [
    '',
    `Library floor: each call alone over the pipeline's own rows of ${floor.articles.toLocaleString('en')} articles of the ${largest.toLocaleString('en')} corpus, warm loop, one thread, median of 5 passes, ms per article:`,
    '',
    '| call | ms per article |',
    '| --- | --- |',
    ...Object.entries(floor.calls).map(([name, ms]) => `| ${name} | ${fmt(ms, 4)} |`),
    `| **floor, sum** | **${fmt(floorSum, 4)}** |`,
    `| whole per-article path (processArticle), same articles, same process | ${fmt(floor.whole, 4)} |`,
    `| CPU of a cold build of ${cpuPerArticle.size.toLocaleString('en')} articles, every thread, per article: 1 worker | ${fmt(cpuPerArticle.oneWorker, 4)} |`,
    `| the same, ${workers} worker threads | ${fmt(cpuPerArticle.cold, 4)} |`,
    `| CPU per article that 100,000 articles in 20 s on 2 cores leave | ${fmt(budget, 4)} |`,
    '',
    `The floor takes ${fmt((100 * floorSum) / budget, 0)} % of that budget, the whole path ${fmt(floor.whole / budget, 1)} times it, a cold build with ${workers} threads ${fmt(cpuPerArticle.cold / budget, 1)} times it.`,
    '',
  ].join('\n'),
);
