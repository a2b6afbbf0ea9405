// `make bench`: builds synthetic corpora of several sizes and reports
// articles/s, MB/s, peak RSS and per-stage time as medians of several runs
// (whole-process figures, measured from outside with GNU time).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCorpus } from './generate-corpus.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'dist/pipeline/cli.js');
const work = path.join(root, '.bench');

interface Run { seconds: number; peakKb: number; stages: Record<string, number> }

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function build(raw: string, out: string, workers: number): Run {
  const timeFile = path.join(work, 'time.txt');
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', timeFile, process.execPath, cli, 'build', '--raw', raw, '--out', out, '--allow-rejects', '--timings', '--no-progress', '--workers', String(workers)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`build failed: ${result.stderr}`);
  const [seconds, peakKb] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
  const stages: Record<string, number> = {};
  const line = result.stderr.split('\n').find((l) => l.startsWith('timings:')) ?? '';
  for (const m of line.matchAll(/([a-z+]+) (\d+) ms/g)) stages[m[1]!] = Number(m[2]);
  return { seconds: seconds!, peakKb: peakKb!, stages };
}

const sizes = (process.env['BENCH_SIZES'] ?? '1000 10000 100000').split(/\s+/).filter(Boolean).map(Number);
const runs = Number(process.env['BENCH_RUNS'] ?? 3);
const workers = Number(process.env['BENCH_WORKERS'] ?? 2);
const lines = [`| articles | MB | runs | wall s (median) | articles/s | MB/s | peak RSS MiB | per-stage ms (median; stages summed over workers) |`, '| --- | --- | --- | --- | --- | --- | --- | --- |'];
for (const size of sizes) {
  const corpus = path.join(work, `corpus-${size}`);
  if (!existsSync(corpus) || readdirSync(corpus).length !== size) await generateCorpus(path.join(root, 'raw'), corpus, size, size);
  const mb = readdirSync(corpus).reduce((n, f) => n + statSync(path.join(corpus, f)).size, 0) / 1e6;
  const measured = Array.from({ length: runs }, () => build(corpus, path.join(work, `out-${size}`), workers));
  const seconds = median(measured.map((r) => r.seconds));
  const stageNames = Object.keys(measured[0]!.stages);
  const stages = stageNames.map((s) => `${s} ${median(measured.map((r) => r.stages[s] ?? 0)).toFixed(0)}`).join(', ');
  lines.push(`| ${size} | ${mb.toFixed(1)} | ${runs} | ${seconds.toFixed(2)} | ${(size / seconds).toFixed(0)} | ${(mb / seconds).toFixed(2)} | ${(median(measured.map((r) => r.peakKb)) / 1024).toFixed(0)} | ${stages} |`);
  process.stdout.write(`${lines.at(-1)}\n`);
}
process.stdout.write(`\n${lines.join('\n')}\n`);
