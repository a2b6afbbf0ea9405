// `make dist`: the release archives, opened with the tools people use
// (tar, unzip, sha256sum), must give back exactly the published folder.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { makeRelease, tarArchive } from '../pipeline/tools/dist.js';
import { ROOT, runCli, tempDir } from './helpers.js';

const BASE = `${packageJson.name}-${packageJson.version}`;

function tree(dir: string, prefix = ''): Map<string, string> {
  const files = new Map<string, string>();
  for (const e of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = path.join(prefix, e.name);
    if (e.isDirectory()) for (const [k, v] of tree(dir, relative)) files.set(k, v);
    else files.set(relative, createHash('sha256').update(readFileSync(path.join(dir, relative))).digest('hex'));
  }
  return files;
}

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  expect(result.status, `${command} ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

describe('release archives of a build of the seeds', () => {
  let out: string;
  let dist: string;
  beforeAll(async () => {
    out = path.join(tempDir('dist-build'), 'out');
    const built = runCli(['build', '--raw', path.join(ROOT, 'raw'), '--out', out, '--no-cache', '--no-progress']);
    expect(built.status, built.stderr).toBe(0);
    dist = tempDir('dist');
    await makeRelease(out, dist);
  }, 120_000);

  it('writes <name>-<version>.zip and .tar.gz with their own SHA256SUMS that sha256sum -c accepts', () => {
    expect(readdirSync(dist).sort()).toEqual([`${BASE}.tar.gz`, `${BASE}.zip`, 'SHA256SUMS'].sort());
    expect(run('sha256sum', ['-c', 'SHA256SUMS'], dist)).toBe(`${BASE}.tar.gz: OK\n${BASE}.zip: OK\n`);
  });

  it('both archives unpack with tar and unzip to one folder identical to the output folder', () => {
    const expected = tree(out);
    for (const [archive, command, args] of [
      [`${BASE}.tar.gz`, 'tar', ['-xzf']],
      [`${BASE}.zip`, 'unzip', ['-q']],
    ] as const) {
      const target = tempDir('unpacked');
      run(command, [...args, path.join(dist, archive)], target);
      expect(readdirSync(target)).toEqual([BASE]);
      expect(tree(path.join(target, BASE))).toEqual(expected);
      // The unpacked dataset verifies itself.
      run('sha256sum', ['--quiet', '-c', 'SHA256SUMS'], path.join(target, BASE));
    }
  });

  it('is reproducible: the same output folder gives byte-identical archives', async () => {
    const again = tempDir('dist-again');
    await makeRelease(out, again);
    expect(readFileSync(path.join(again, 'SHA256SUMS'), 'utf8')).toBe(readFileSync(path.join(dist, 'SHA256SUMS'), 'utf8'));
  });

  it('refuses an output folder whose files no longer match SHA256SUMS', async () => {
    const broken = tempDir('dist-broken');
    run('cp', ['-r', `${out}/.`, broken], ROOT);
    writeFileSync(path.join(broken, 'csv', 'people.csv'), 'tampered\n');
    await expect(makeRelease(broken, tempDir('dist-none'))).rejects.toThrow(/people\.csv does not match SHA256SUMS/);
  });
});

describe('archive formats', () => {
  it('tar keeps names longer than 100 bytes (ustar prefix)', async () => {
    const long = `${'d'.repeat(60)}/${'e'.repeat(60)}/file.csv`;
    const dir = tempDir('tar-long');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'a.tar'), await tarArchive([{ path: long, bytes: Buffer.from('x\n') }]));
    expect(run('tar', ['-tf', 'a.tar'], dir).trim().split('\n')).toContain(long);
  });
});

describe('release metadata', () => {
  it('CITATION.cff and CHANGELOG.md carry the version of package.json', () => {
    expect(readFileSync(path.join(ROOT, 'CITATION.cff'), 'utf8')).toMatch(new RegExp(`^version: "${packageJson.version.replace(/\./g, '\\.')}"$`, 'm'));
    expect(readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8')).toMatch(new RegExp(`^## ${packageJson.version.replace(/\./g, '\\.')}\\b`, 'm'));
  });
});
