// End to end through the built CLI, as a maintainer runs it: the published
// files, determinism, bad input, and atomic replacement of the output folder.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import lockfile from 'proper-lockfile';
import { ChunkFolder } from '../pipeline/io.js';
import { processArticles } from '../pipeline/parallel.js';
import { CLI, ROOT, checksumFailures, csvHeader, expectBuilt, readCsv, runCli, tempDir, withTestCache } from './helpers.js';

const SEEDS = path.join(ROOT, 'raw');
const FIXTURES = path.join(ROOT, 'tests/fixtures/decode');

function readTree(dir: string, prefix = ''): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = path.join(prefix, entry.name);
    if (entry.isDirectory()) for (const [k, v] of readTree(dir, relative)) files.set(k, v);
    else files.set(relative, readFileSync(path.join(dir, relative), 'utf8'));
  }
  return files;
}

describe('a build of the seeds', () => {
  let out: string;
  beforeAll(() => {
    out = path.join(tempDir('build'), 'out');
    const result = runCli(['build', '--raw', SEEDS, '--out', out, '--no-cache']);
    expect(result.status, result.stderr).toBe(0);
  });

  it('publishes every file of the contract, each covered by SHA256SUMS', () => {
    const files = [...readTree(out).keys()].sort();
    expect(files).toEqual([
      'README.md', 'SHA256SUMS', 'csv-metadata.json',
      ...['articles', 'entities', 'events', 'interaction_participants', 'interactions', 'mentions', 'organizations', 'people', 'places', 'quotes', 'roles'].map((t) => `csv/${t}.csv`),
      'datapackage.json', 'dataset.jsonld', 'index.html', 'report.json',
    ].sort());
    expect(checksumFailures(out)).toEqual([]);
    const listed = readFileSync(path.join(out, 'SHA256SUMS'), 'utf8').trim().split('\n').map((l) => l.split('  ')[1]);
    expect(listed.sort()).toEqual(files.filter((f) => f !== 'SHA256SUMS'));
  });

  it('articles: one row per seed with the facts of the gold annotations', () => {
    const rows = readCsv(out, 'articles');
    const byFile = Object.fromEntries(rows.map((r) => [r['source_file'], r]));
    expect(Object.keys(byFile).sort()).toEqual(['000_0a9b6fb1ace13510.txt', '001_b2fe448af0767840.txt', '002_cc8bb5dccd63488c.txt', '003_32da3d9a2be3f6e0.txt']);
    expect(byFile['000_0a9b6fb1ace13510.txt']).toMatchObject({ title_source: 'lead', date_published: '2023-07-03', source_sha256: '7bfcd63bdb4ef0c0b574069c4fff923dbf080afe23029869f3aa8c26164e45d3', encoding: 'utf-8', repairs: '0' });
    expect(byFile['001_b2fe448af0767840.txt']).toMatchObject({ title_source: 'headline', date_published: '2023-11-14', title: 'Minister of Education Huai Jinpeng Leads Delegation to UNESCO General Conference and France' });
    expect(byFile['002_cc8bb5dccd63488c.txt']).toMatchObject({ title_source: 'headline', date_published: '' });
    const seed3 = byFile['003_32da3d9a2be3f6e0.txt']!;
    expect(seed3['title']).toBe('"We need Learning Cities for a Better Future for All," declares UNESCO Director-General in Beijing');
    expect(Number(seed3['repairs'])).toBeGreaterThanOrEqual(11);
    expect(seed3['text']).toContain('“Innovation and resilience have deeper roots than financial or economic assets,” declared the Director-General.');
    expect(seed3['text']).not.toContain('鈥');
    for (const r of rows) {
      expect(r['article_id']).toBe(`article-${r['source_sha256']!.slice(0, 16)}`);
      expect(Number(r['word_count'])).toBeGreaterThan(100);
    }
  });

  it('CSV files are UTF-8 without BOM with \\n line ends; headers follow the schemas', () => {
    for (const table of ['articles', 'people', 'interaction_participants']) {
      const bytes = readFileSync(path.join(out, 'csv', `${table}.csv`));
      expect(bytes[0]).not.toBe(0xef);
      expect(bytes.includes(Buffer.from('\r\n'))).toBe(false);
    }
    expect(csvHeader(out, 'interaction_participants')).toEqual(['interaction_id', 'entity_id', 'role']);
  });

  it('every repair is listed in report.json with article id, offset, before, after and rule', () => {
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
    const repairs = report.messages.filter((m: { stage: string; severity: string }) => m.stage === 'decode' && m.severity === 'info');
    const seed3 = readCsv(out, 'articles').find((r) => r['source_file'] === '003_32da3d9a2be3f6e0.txt')!;
    expect(repairs).toHaveLength(Number(seed3['repairs']));
    for (const r of repairs) {
      expect(r).toMatchObject({ file: '003_32da3d9a2be3f6e0.txt', article_id: seed3['article_id'] });
      expect(typeof r.start).toBe('number');
      expect(r.before).toBeTruthy();
      expect(r.after).toBeTruthy();
      expect(r.rule).toMatch(/^utf8-as-gbk/);
    }
  });

  it('the JSON-LD has a Dataset with its distribution and a NewsArticle per article, with an inline context', () => {
    const doc = JSON.parse(readFileSync(path.join(out, 'dataset.jsonld'), 'utf8'));
    expect(typeof doc['@context']).toBe('object');
    const graph = doc['@graph'] as Array<Record<string, unknown>>;
    const datasetNode = graph.find((n) => n['@type'] === 'Dataset')!;
    const distribution = datasetNode['distribution'] as Array<{ name: string; sha256: string }>;
    expect(distribution.map((d) => d.name)).toContain('csv/articles.csv');
    const sums = readFileSync(path.join(out, 'SHA256SUMS'), 'utf8');
    for (const d of distribution) expect(sums).toContain(`${d.sha256}  ${d.name}`);
    const articles = graph.filter((n) => n['@type'] === 'NewsArticle');
    expect(articles).toHaveLength(4);
    expect(articles.map((a) => a['headline'])).toContain('Huai Jinpeng and Gong Zheng meet with foreign guests at 2024 WDEC');
  });

  it('article tables follow the input files: rows of one article are together, articles in file-name order', () => {
    const files = readCsv(out, 'articles').map((a) => a['source_file']!);
    expect(files).toEqual([...files].sort());
    const articleOrder = readCsv(out, 'articles').map((a) => a['article_id']!);
    for (const table of ['mentions', 'roles', 'interactions', 'quotes']) {
      const ids = readCsv(out, table).map((r) => r['article_id']!);
      // Collapse runs: each article appears as one run, in the articles' order.
      const runs = ids.filter((id, i) => i === 0 || ids[i - 1] !== id);
      expect(runs, table).toEqual(articleOrder.filter((id) => runs.includes(id)));
    }
  });

  it('is deterministic: a second build is byte-identical', () => {
    const again = path.join(tempDir('build-again'), 'out');
    expect(runCli(['build', '--raw', SEEDS, '--out', again, '--no-cache']).status).toBe(0);
    expect(readTree(again)).toEqual(readTree(out));
  });
});

describe('bad input', () => {
  const raw = tempDir('bad-raw');
  for (const f of readdirSync(SEEDS)) copyFileSync(path.join(SEEDS, f), path.join(raw, f));
  copyFileSync(path.join(FIXTURES, 'empty.txt'), path.join(raw, 'empty.txt'));
  copyFileSync(path.join(FIXTURES, 'image.png.txt'), path.join(raw, 'photo.jpg.txt'));
  copyFileSync(path.join(FIXTURES, 'random-bytes.txt'), path.join(raw, 'random.txt'));
  copyFileSync(path.join(FIXTURES, 'undecodable.txt'), path.join(raw, 'undecodable.txt'));
  copyFileSync(path.join(SEEDS, '000_0a9b6fb1ace13510.txt'), path.join(raw, 'zz-copy-of-000.txt'));
  mkdirSync(path.join(raw, 'subfolder'));

  it('is listed in report.json and on stderr with file and reason; good articles are still emitted; exit 1', () => {
    const out = path.join(tempDir('bad-out'), 'out');
    const result = runCli(['build', '--raw', raw, '--out', out]);
    expect(result.status).toBe(1);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
    const status = Object.fromEntries(report.inputs.map((i: { file: string; status: string; rule?: string }) => [i.file, `${i.status}${i.rule ? `:${i.rule}` : ''}`]));
    expect(status).toEqual({
      '000_0a9b6fb1ace13510.txt': 'emitted',
      '001_b2fe448af0767840.txt': 'emitted',
      '002_cc8bb5dccd63488c.txt': 'emitted',
      '003_32da3d9a2be3f6e0.txt': 'emitted',
      'empty.txt': 'rejected:empty-file',
      'photo.jpg.txt': 'rejected:binary-file',
      'random.txt': 'rejected:binary-file',
      'undecodable.txt': 'rejected:undecodable',
      'zz-copy-of-000.txt': 'rejected:duplicate-file',
      subfolder: 'skipped',
    });
    for (const name of ['empty.txt', 'photo.jpg.txt', 'random.txt', 'undecodable.txt', 'zz-copy-of-000.txt']) {
      expect(result.stderr).toContain(path.join(raw, name));
    }
    expect(readCsv(out, 'articles')).toHaveLength(4);
    expect(checksumFailures(out)).toEqual([]);
  });

  it('exits 0 with --allow-rejects, still listing the rejects', () => {
    const out = path.join(tempDir('bad-out-allowed'), 'out');
    const result = runCli(['build', '--raw', raw, '--out', out, '--allow-rejects']);
    expect(result.status).toBe(0);
    expect(JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')).summary).toMatchObject({ emitted: 4, rejected: 5, skipped: 1 });
  });

  it('many rejected files: the terminal names the first 20 and points to report.json for the rest, which lists them all', () => {
    const many = tempDir('many-rejects');
    copyFileSync(path.join(SEEDS, '000_0a9b6fb1ace13510.txt'), path.join(many, '000.txt'));
    for (let i = 0; i < 25; i++) writeFileSync(path.join(many, `empty-${String(i).padStart(2, '0')}.txt`), '');
    const out = path.join(tempDir('many-rejects-out'), 'out');
    const result = runCli(['build', '--raw', many, '--out', out]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(path.join(many, 'empty-19.txt'));
    expect(result.stderr).not.toContain(path.join(many, 'empty-20.txt'));
    expect(result.stderr).toContain('… and 5 more rejected files in report.json');
    expect(result.stderr).toContain('25 input file(s) rejected');
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
    expect(report.inputs.filter((i: { status: string }) => i.status === 'rejected')).toHaveLength(25);
    expect(report.messages.filter((m: { rule: string }) => m.rule === 'empty-file')).toHaveLength(25);
  });

  it('a file with the same bytes as one in an earlier chunk is the duplicate, whatever the chunks: the output does not depend on their size', () => {
    const dup = tempDir('dup-raw');
    for (const f of readdirSync(SEEDS)) copyFileSync(path.join(SEEDS, f), path.join(dup, f));
    // Sorts first, so the seed it copies (in a later chunk) is the duplicate; another copy sorts last.
    copyFileSync(path.join(SEEDS, '003_32da3d9a2be3f6e0.txt'), path.join(dup, '0-copy-of-003.txt'));
    copyFileSync(path.join(SEEDS, '001_b2fe448af0767840.txt'), path.join(dup, 'zz-copy-of-001.txt'));
    // The last in two worker threads, with a cache: a chunk assembled again there counts its entities once.
    const outs = [['256'], ['1'], ['2'], ['1', '--workers', '2', '--min-per-worker', '1', '--cache', tempDir('dup-cache')]].map(([chunkFiles, ...more], n) => {
      const out = path.join(tempDir(`dup-out-${n}`), 'out');
      const result = runCli(['build', '--raw', dup, '--out', out, '--allow-rejects', '--chunk-files', chunkFiles!, ...(more.length > 0 ? more : ['--no-cache'])]);
      expect(result.status, result.stderr).toBe(0);
      return out;
    });
    const report = JSON.parse(readFileSync(path.join(outs[1]!, 'report.json'), 'utf8'));
    const rejected = report.inputs.filter((i: { status: string }) => i.status === 'rejected').map((i: { file: string; reason: string }) => [i.file, i.reason]);
    expect(rejected).toEqual([
      ['003_32da3d9a2be3f6e0.txt', 'same bytes as 0-copy-of-003.txt, which is emitted'],
      ['zz-copy-of-001.txt', 'same bytes as 001_b2fe448af0767840.txt, which is emitted'],
    ]);
    expect(readCsv(outs[1]!, 'articles').map((a) => a['source_file'])).toEqual(['0-copy-of-003.txt', '000_0a9b6fb1ace13510.txt', '001_b2fe448af0767840.txt', '002_cc8bb5dccd63488c.txt']);
    expect(readTree(outs[1]!)).toEqual(readTree(outs[0]!));
    expect(readTree(outs[2]!)).toEqual(readTree(outs[0]!));
    expect(readTree(outs[3]!)).toEqual(readTree(outs[0]!));
  });

  it('a chunk assembled again because of a duplicate is cached too: the next build takes it whole, and a removed file prunes its chunk', () => {
    const dup = tempDir('dup-cached-raw');
    for (const f of readdirSync(SEEDS)) copyFileSync(path.join(SEEDS, f), path.join(dup, f));
    copyFileSync(path.join(SEEDS, '003_32da3d9a2be3f6e0.txt'), path.join(dup, '0-copy-of-003.txt'));
    const cache = tempDir('dup-cached-cache');
    const build = (name: string, cacheArgs = ['--cache', cache]) => {
      const out = path.join(tempDir(name), 'out');
      const result = runCli(['build', '--raw', dup, '--out', out, '--allow-rejects', '--timings', '--chunk-files', '1', ...cacheArgs]);
      expect(result.status, result.stderr).toBe(0);
      const [processed, assembled] = [/\((\d+) processed/, /(\d+) chunks assembled/].map((re) => Number(re.exec(result.stderr)![1]));
      return { out, processed, assembled };
    };
    const chunkFolders = () => readdirSync(cache, { recursive: true }).filter((f) => /(^|\/)chunks\/[0-9a-f]{64}$/.test(String(f)));
    const fresh = build('dup-cached-fresh', ['--no-cache']);
    // Five chunks of one file; 003's is assembled twice (first alone, then knowing 0-copy-of-003.txt came first).
    const cold = build('dup-cached-cold');
    expect([cold.processed, cold.assembled]).toEqual([5, 6]);
    expect(chunkFolders()).toHaveLength(6);
    const warm = build('dup-cached-warm');
    expect([warm.processed, warm.assembled]).toEqual([0, 0]);
    expect(readTree(warm.out)).toEqual(readTree(fresh.out));
    expect(readTree(cold.out)).toEqual(readTree(fresh.out));
    // Without the copy, 003 is emitted again: its plain chunk is taken whole, and the one assembled knowing the copy goes.
    rmSync(path.join(dup, '0-copy-of-003.txt'));
    const removed = build('dup-cached-removed');
    expect([removed.processed, removed.assembled]).toEqual([0, 0]);
    expect(chunkFolders()).toHaveLength(4);
    expect(readTree(removed.out)).toEqual(readTree(build('dup-cached-fresh-2', ['--no-cache']).out));
  }, 60_000);

  it('a missing input folder is an error naming it', () => {
    const result = runCli(['build', '--raw', path.join(raw, 'no-such-folder'), '--out', path.join(tempDir('x'), 'out')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('no-such-folder');
  });
});

describe('parallelism', () => {
  it('one worker or two: byte-identical output', () => {
    const raw = tempDir('workers-raw');
    const seeds = readdirSync(SEEDS).map((f) => readFileSync(path.join(SEEDS, f)));
    // Enough files for many batches per worker; the threshold for threads is lowered to fit them.
    const count = 1000;
    for (let i = 0; i < count; i++) writeFileSync(path.join(raw, `w${String(i).padStart(4, '0')}.txt`), Buffer.concat([seeds[i % 4]!, Buffer.from(`\n\nVariant ${i}.\n`)]));
    const one = path.join(tempDir('workers-1'), 'out');
    const two = path.join(tempDir('workers-2'), 'out');
    const build = (out: string, workers: string) => {
      const result = runCli(['build', '--raw', raw, '--out', out, '--workers', workers, '--min-per-worker', '400', '--chunk-files', '50', '--no-cache', '--timings']);
      expect(result.status, result.stderr).toBe(0);
      return result.stderr;
    };
    expect(build(one, '1')).toContain('in the main thread');
    expect(build(two, '2')).toContain('2 worker threads');
    expect(readTree(two)).toEqual(readTree(one));
    expect(JSON.parse(readFileSync(path.join(one, 'report.json'), 'utf8')).summary.emitted).toBe(count);
  }, 120_000);
});

describe('per-article cache', () => {
  it('cold, warm and incremental builds give the same bytes as a build without cache', () => {
    const raw = tempDir('cache-raw');
    for (const f of readdirSync(SEEDS)) copyFileSync(path.join(SEEDS, f), path.join(raw, f));
    const cache = tempDir('cache');
    const build = (out: string, ...extra: string[]) => {
      const result = runCli(['build', '--raw', raw, '--out', out, '--timings', ...extra]);
      expect(result.status, result.stderr).toBe(0);
      return /\((\d+) processed, (\d+) from the cache/.exec(result.stderr)!.slice(1).map(Number);
    };
    const cold = path.join(tempDir('cold'), 'out');
    const warm = path.join(tempDir('warm'), 'out');
    expect(build(cold, '--cache', cache)).toEqual([4, 0]);
    expect(build(warm, '--cache', cache)).toEqual([0, 4]);
    expect(readTree(warm)).toEqual(readTree(cold));
    // Change one article: the cached others and the new one together equal a fresh build.
    writeFileSync(path.join(raw, '002_cc8bb5dccd63488c.txt'), Buffer.concat([readFileSync(path.join(SEEDS, '002_cc8bb5dccd63488c.txt')), Buffer.from('\n\nAn added closing paragraph.\n')]));
    const incremental = path.join(tempDir('incremental'), 'out');
    const fresh = path.join(tempDir('fresh'), 'out');
    expect(build(incremental, '--cache', cache)).toEqual([1, 3]);
    // The changed article's earlier entry is pruned: one entry per current article.
    const entries = readdirSync(cache, { recursive: true }).filter((f) => String(f).endsWith('.part'));
    expect(entries).toHaveLength(4);
    build(fresh, '--no-cache');
    expect(readTree(incremental)).toEqual(readTree(fresh));
    expect(readCsv(incremental, 'articles').find((a) => a['source_file'] === '002_cc8bb5dccd63488c.txt')!['text']).toContain('An added closing paragraph.');
  }, 60_000);

  it('a changed file assembles its own chunk again and the other chunks are taken whole; the cache keeps the current chunks only', () => {
    const raw = tempDir('chunk-raw');
    for (const f of readdirSync(SEEDS)) copyFileSync(path.join(SEEDS, f), path.join(raw, f));
    const cache = tempDir('chunk-cache');
    const chunkFolders = () => readdirSync(cache, { recursive: true }).filter((f) => /(^|\/)chunks\/[0-9a-f]{64}$/.test(String(f)));
    const build = (out: string) => {
      // One file per chunk.
      const result = runCli(['build', '--raw', raw, '--out', out, '--timings', '--cache', cache, '--chunk-files', '1']);
      expect(result.status, result.stderr).toBe(0);
      return /\((\d+) processed, (\d+) from the cache/.exec(result.stderr)!.slice(1).map(Number);
    };
    const first = path.join(tempDir('chunk-first'), 'out');
    expect(build(first)).toEqual([4, 0]);
    const before = chunkFolders();
    expect(before).toHaveLength(4);
    writeFileSync(path.join(raw, '001_b2fe448af0767840.txt'), Buffer.concat([readFileSync(path.join(SEEDS, '001_b2fe448af0767840.txt')), Buffer.from('\n\nA later paragraph.\n')]));
    const second = path.join(tempDir('chunk-second'), 'out');
    expect(build(second)).toEqual([1, 3]);
    const after = chunkFolders();
    // The changed file's chunk is new and its old one is gone; the other three are the same entries.
    expect(after).toHaveLength(4);
    expect(after.filter((c) => before.includes(c))).toHaveLength(3);
    const fresh = path.join(tempDir('chunk-fresh'), 'out');
    expect(runCli(['build', '--raw', raw, '--out', fresh, '--no-cache']).status).toBe(0);
    expect(readTree(second)).toEqual(readTree(fresh));
  }, 60_000);

  it('entity tallies come from the last build\'s sum: a warm build reads none, one with a changed, a removed and an added file those chunks\' only', () => {
    const raw = tempDir('tallies-raw');
    for (const f of readdirSync(SEEDS)) copyFileSync(path.join(SEEDS, f), path.join(raw, f));
    const cache = tempDir('tallies-cache');
    const build = (out: string) => {
      const result = runCli(['build', '--raw', raw, '--out', out, '--timings', '--cache', cache, '--chunk-files', '1']);
      expect(result.status, result.stderr).toBe(0);
      return Number(/entity tallies of (\d+) cached chunks read/.exec(result.stderr)![1]);
    };
    const fresh = (name: string) => {
      const out = path.join(tempDir(name), 'out');
      expect(runCli(['build', '--raw', raw, '--out', out, '--no-cache']).status).toBe(0);
      return readTree(out);
    };
    expect(build(path.join(tempDir('tallies-cold'), 'out'))).toBe(0);
    const warm = path.join(tempDir('tallies-warm'), 'out');
    expect(build(warm)).toBe(0);
    expect(readTree(warm)).toEqual(fresh('tallies-fresh-1'));
    // One file changed (its old chunk is taken away), one removed (taken away), one added (assembled: its tallies come with it).
    writeFileSync(path.join(raw, '001_b2fe448af0767840.txt'), Buffer.concat([readFileSync(path.join(SEEDS, '001_b2fe448af0767840.txt')), Buffer.from('\n\nUNESCO Director-General Audrey Azoulay met Chinese Minister of Education Huai Jinpeng in Paris.\n')]));
    rmSync(path.join(raw, '002_cc8bb5dccd63488c.txt'));
    copyFileSync(path.join(ROOT, 'tests/fixtures/devset/d01_634b5edc.txt'), path.join(raw, 'd01_634b5edc.txt'));
    const changed = path.join(tempDir('tallies-changed'), 'out');
    expect(build(changed)).toBe(2);
    expect(readTree(changed)).toEqual(fresh('tallies-fresh-2'));
    // Without the snapshot every chunk taken whole is counted again, with the same result.
    for (const f of readdirSync(cache, { recursive: true })) if (/tallies-[0-9a-f]+\.v8$/.test(String(f))) rmSync(path.join(cache, String(f)));
    const recounted = path.join(tempDir('tallies-recounted'), 'out');
    expect(build(recounted)).toBe(4);
    expect(readTree(recounted)).toEqual(readTree(changed));
  }, 60_000);
});

describe('a cache shared by builds', () => {
  it('a build whose cache another build holds runs without it, publishes the same bytes and leaves that cache as it was', async () => {
    const raw = tempDir('held-raw');
    for (const f of readdirSync(SEEDS)) copyFileSync(path.join(SEEDS, f), path.join(raw, f));
    const cache = tempDir('held-cache');
    const build = (out: string, ...extra: string[]) => {
      const result = runCli(['build', '--raw', raw, '--out', out, '--timings', ...extra]);
      expectBuilt(result);
      return { counts: /\((\d+) processed, (\d+) from the cache/.exec(result.stderr)!.slice(1).map(Number), stderr: result.stderr };
    };
    expect(build(path.join(tempDir('held-first'), 'out'), '--cache', cache).counts).toEqual([4, 0]);
    const cacheFiles = () => readdirSync(cache, { recursive: true }).map(String).sort();
    const before = cacheFiles();
    // A changed file: a build using the cache would store a new entry and prune the old one.
    writeFileSync(path.join(raw, '002_cc8bb5dccd63488c.txt'), Buffer.concat([readFileSync(path.join(SEEDS, '002_cc8bb5dccd63488c.txt')), Buffer.from('\n\nAn added closing paragraph.\n')]));
    // Held the way a running build holds it.
    const release = await lockfile.lock(cache, { lockfilePath: path.join(cache, 'build.lock') });
    const whileHeld = path.join(tempDir('held-second'), 'out');
    const second = build(whileHeld, '--cache', cache);
    expect(second.counts).toEqual([4, 0]);
    expect(second.stderr).toContain(`the cache ${cache} is in use by another build`);
    expect(cacheFiles().filter((f) => f !== 'build.lock')).toEqual(before);
    await release();
    const afterRelease = path.join(tempDir('held-third'), 'out');
    expect(build(afterRelease, '--cache', cache).counts).toEqual([1, 3]);
    const fresh = path.join(tempDir('held-fresh'), 'out');
    build(fresh, '--no-cache');
    expect(readTree(whileHeld)).toEqual(readTree(fresh));
    expect(readTree(afterRelease)).toEqual(readTree(fresh));
  }, 60_000);

  it('a build in the main thread lets timers run between chunks, so its hold on the cache is kept fresh', async () => {
    // A lock not refreshed for 10 s counts as abandoned: a long build without threads must not stall the refresh.
    const raw = tempDir('main-thread-raw');
    for (const f of readdirSync(SEEDS)) copyFileSync(path.join(SEEDS, f), path.join(raw, f));
    const stores = { parts: null, chunks: null, scratch: new ChunkFolder(path.join(tempDir('main-thread-scratch'), 'chunks')) };
    let timerRan = false;
    setTimeout(() => (timerRan = true), 0);
    const seenByChunk: boolean[] = [];
    // One file per chunk: four chunks, all in this thread.
    const { threads } = await processArticles({ dir: raw, names: readdirSync(raw).sort(), previousManifest: null }, stores, { workers: 1, chunkFiles: 1, timings: false, texts: true }, () => seenByChunk.push(timerRan));
    expect(threads).toBe(0);
    expect(seenByChunk).toEqual([false, true, true, true]);
  });
});

describe('atomic publication', () => {
  it('a build killed with SIGKILL at any moment leaves a complete, checksum-consistent output', async () => {
    const base = tempDir('kill');
    const rawA = path.join(base, 'raw-a');
    const rawB = path.join(base, 'raw-b');
    mkdirSync(rawA);
    mkdirSync(rawB);
    const seedTexts = readdirSync(SEEDS).map((f) => readFileSync(path.join(SEEDS, f)));
    for (let i = 0; i < 2; i++) writeFileSync(path.join(rawA, `a${i}.txt`), Buffer.concat([seedTexts[i % 4]!, Buffer.from(`\n\nVariant ${i}.\n`)]));
    // A bigger second corpus so that kills land in reading, processing and writing.
    for (let i = 0; i < 400; i++) writeFileSync(path.join(rawB, `b${i}.txt`), Buffer.concat([seedTexts[i % 4]!, Buffer.from(`\n\nVariant ${i}.\n`)]));
    const out = path.join(base, 'out');
    expect(runCli(['build', '--raw', rawA, '--out', out]).status).toBe(0);
    const complete = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')).summary.inputs as number;

    for (const delay of [30, 150, 300, 500, 800, 1200, 1800]) {
      const child = spawn(process.execPath, [CLI, ...withTestCache(['build', '--raw', rawB, '--out', out])], { stdio: 'ignore' });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.kill('SIGKILL');
      await exited;
      // Whatever happened, a reader finds a complete output (after the next run's recovery at the latest).
      if (!existsSync(out)) expectBuilt(runCli(['build', '--raw', rawA, '--out', out]));
      expect(checksumFailures(out), `killed after ${delay} ms`).toEqual([]);
      expect([2, 400]).toContain(complete(out));
    }
    expectBuilt(runCli(['build', '--raw', rawB, '--out', out]));
    expect(complete(out)).toBe(400);
    expect(existsSync(`${out}.staging`) || existsSync(`${out}.previous`)).toBe(false);
  }, 60_000);
});

describe('single-stage commands', () => {
  it('decode writes the decoded, repaired text under the same name and lists repairs on stderr', () => {
    const dir = tempDir('decode');
    const result = runCli(['decode', '--out', dir, path.join(SEEDS, '003_32da3d9a2be3f6e0.txt')]);
    expect(result.status).toBe(0);
    const text = readFileSync(path.join(dir, '003_32da3d9a2be3f6e0.txt'), 'utf8');
    expect(text.startsWith('News\n')).toBe(true); // nothing cleaned yet
    expect(text).toContain('People’s Republic of China');
    expect(result.stderr).toMatch(/003_32da3d9a2be3f6e0\.txt:\d+: \[decode\/utf8-as-gbk/);
  });

  it('--help describes the options', () => {
    const result = runCli(['--help']);
    expect(result.stdout).toContain('--raw');
    expect(result.stdout).toContain('--out');
    expect(result.stdout).toContain('--allow-rejects');
  });
});

describe('make (for maintainers: drop files into the input folder and run make)', () => {
  const make = (...args: string[]) => spawnSync('make', ['-s', ...args], { cwd: ROOT, encoding: 'utf8' });

  it('rebuilds when an input file is modified, added or removed, and finds nothing to do otherwise', () => {
    const raw = tempDir('make-raw');
    for (const f of readdirSync(SEEDS)) copyFileSync(path.join(SEEDS, f), path.join(raw, f));
    const out = path.join(tempDir('make-out'), 'out');
    const vars = [`RAW=${raw}`, `OUT=${out}`, `CACHE=${tempDir('make-cache')}`];
    const upToDate = () => make('-q', ...vars).status === 0;
    expect(make(...vars).status).toBe(0);
    expect(upToDate()).toBe(true);
    writeFileSync(path.join(raw, '001_b2fe448af0767840.txt'), Buffer.concat([readFileSync(path.join(SEEDS, '001_b2fe448af0767840.txt')), Buffer.from('\n\nOne more sentence.\n')]));
    expect(upToDate()).toBe(false);
    expect(make(...vars).status).toBe(0);
    expect(upToDate()).toBe(true);
    rmSync(path.join(raw, '002_cc8bb5dccd63488c.txt'));
    expect(upToDate()).toBe(false);
    expect(make(...vars).status).toBe(0);
    expect(readCsv(out, 'articles').map((a) => a['source_file'])).not.toContain('002_cc8bb5dccd63488c.txt');
  }, 60_000);
});

describe('serialise', () => {
  it('encodes the sections as Buffer.from does, lone surrogates, astral characters and all, and gives their byte lengths', async () => {
    const { serialise, BODY_SECTIONS } = await import('../pipeline/build.js');
    const { csvRows } = await import('../pipeline/emit/csv.js');
    const { graphElement, jsonLdNodes } = await import('../pipeline/emit/jsonld.js');
    for (const text of ['plain', 'é “quoted” 中文', 'astral \u{1F600} and lone \uD800 and \uDC00 ends \uD83D', 'x'.repeat(30000) + '\u{20000}'.repeat(9000)]) {
      const article = { article_id: 'article-0123456789abcdef', source_file: 'a.txt', source_sha256: 'a'.repeat(64), encoding: 'utf-8' as const, repairs: 0, title: text.slice(0, 40), title_source: 'headline' as const, date_published: null, word_count: 1, text };
      const rows = { articles: [article], mentions: [], roles: [], interactions: [], interaction_participants: [], quotes: [] };
      const { body, digest } = serialise(rows, [], { texts: true });
      const sections = BODY_SECTIONS.map((s) => Buffer.from(s === 'jsonld' ? jsonLdNodes(rows).map(graphElement).join(',\n') : csvRows(s, rows[s]), 'utf8'));
      expect(Buffer.from(body).equals(Buffer.concat(sections))).toBe(true);
      expect(digest.sections).toEqual(sections.map((b) => b.length));
    }
  });
});
