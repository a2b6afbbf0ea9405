// Publishing: the output folder is replaced as a whole, and an interrupted swap is recovered.
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChunkFolder, PartFolder, StagingPublisher, listInputFolder, manifestText, publishAtomically, recoverInterruptedPublish, statSignature } from '../pipeline/io.js';
import { CHUNK_PIECES, processArticle, type AssembledChunk, type ChunkState } from '../pipeline/build.js';
import { tempDir } from './helpers.js';

const files = (version: string) => new Map([['a.txt', `a ${version}\n`], ['csv/b.csv', `b ${version}\n`]]);

describe('publishAtomically', () => {
  it('replaces the whole folder: files of the previous output that are no longer published disappear', async () => {
    const out = path.join(tempDir('pub'), 'out');
    await publishAtomically(out, new Map([...files('1'), ['old-only.txt', 'x']]));
    await publishAtomically(out, files('2'));
    expect(readFileSync(path.join(out, 'csv/b.csv'), 'utf8')).toBe('b 2\n');
    expect(existsSync(path.join(out, 'old-only.txt'))).toBe(false);
    expect(existsSync(`${out}.staging`) || existsSync(`${out}.previous`)).toBe(false);
  });

  it('a kill between the two renames (out moved away, new output not yet in place) restores the previous output', async () => {
    const base = tempDir('recover');
    const out = path.join(base, 'out');
    mkdirSync(`${out}.previous`);
    writeFileSync(path.join(`${out}.previous`, 'a.txt'), 'previous\n');
    mkdirSync(`${out}.staging`);
    writeFileSync(path.join(`${out}.staging`, 'a.txt'), 'half-writ');
    expect(await recoverInterruptedPublish(out)).toBe('restored-previous');
    expect(readFileSync(path.join(out, 'a.txt'), 'utf8')).toBe('previous\n');
    expect(existsSync(`${out}.staging`)).toBe(false);
  });

  it('a kill after the swap (old output not yet removed) keeps the new output', async () => {
    const base = tempDir('recover2');
    const out = path.join(base, 'out');
    mkdirSync(out);
    writeFileSync(path.join(out, 'a.txt'), 'new\n');
    mkdirSync(`${out}.previous`);
    expect(await recoverInterruptedPublish(out)).toBe('removed-leftovers');
    expect(readFileSync(path.join(out, 'a.txt'), 'utf8')).toBe('new\n');
    expect(existsSync(`${out}.previous`)).toBe(false);
  });
});

describe('stored chunks (the articles\' rows, copied into the published files at the end)', () => {
  const pieces = (tag: string) => CHUNK_PIECES.map((piece, i) => Buffer.from(i % 3 === 0 ? '' : `${tag} ${piece} “é”\n`, 'utf8'));
  const assembled = (tag: string): AssembledChunk => {
    const bytes = pieces(tag);
    return { state: { files: 1, pieceBytes: bytes.map((b) => b.length) } as unknown as ChunkState, pieces: bytes };
  };

  it('are copied between written bytes in order, byte for byte; beside the output they are never published', async () => {
    const out = path.join(tempDir('chunks-out'), 'out');
    const publisher = await StagingPublisher.create(out);
    const store = publisher.scratchChunks();
    const chunks = ['one', 'two', 'three'].map((tag) => store.put(`chunk-${tag}`, assembled(tag)));
    const file = publisher.open('csv/table.csv');
    file.write(Buffer.from('head\n'));
    for (const chunk of chunks) file.copy(chunk.location, 'mentions');
    file.write(Buffer.from('middle\n'));
    for (const chunk of chunks) file.copy(chunk.location, 'roles');
    file.close();
    expect(Buffer.from(publisher.readPiece(chunks[1]!.location, 'roles')).toString('utf8')).toBe('two roles “é”\n');
    await publisher.commit();
    expect(readFileSync(path.join(out, 'csv/table.csv'), 'utf8')).toBe(
      'head\none mentions “é”\ntwo mentions “é”\nthree mentions “é”\nmiddle\none roles “é”\ntwo roles “é”\nthree roles “é”\n',
    );
    expect(readdirSync(out)).toEqual(['csv']);
    expect(existsSync(`${out}.scratch`)).toBe(false);
  });

  // More pieces than one `cat` takes (64): the runs must follow each other, and the writes between them wait.
  const manyChunks = async (out: string, count: number) => {
    const publisher = await StagingPublisher.create(out);
    const store = publisher.scratchChunks();
    const chunks = Array.from({ length: count }, (_, i) => store.put(`chunk-${i}`, assembled(`c${i}`)));
    const file = publisher.open('csv/table.csv');
    let expected = '';
    file.write(Buffer.from('head\n'));
    expected += 'head\n';
    chunks.forEach((chunk, i) => {
      file.copy(chunk.location, 'mentions');
      expected += `c${i} mentions “é”\n`;
      if (i % 50 === 49) {
        file.write(Buffer.from(`after ${i}\n`));
        expected += `after ${i}\n`;
      }
    });
    file.close();
    return { publisher, chunks, expected };
  };

  it('many pieces with writes between them arrive in call order, with xargs and cat or without them', async () => {
    for (const withoutTools of [false, true]) {
      const out = path.join(tempDir('chunks-many'), 'out');
      const savedPath = process.env['PATH'];
      // Without xargs on the PATH, the publisher copies the pieces itself.
      if (withoutTools) process.env['PATH'] = tempDir('empty-path');
      try {
        const { publisher, expected } = await manyChunks(out, 150);
        await publisher.commit();
        expect(readFileSync(path.join(out, 'csv/table.csv'), 'utf8'), withoutTools ? 'without xargs' : 'with xargs').toBe(expected);
      } finally {
        process.env['PATH'] = savedPath;
      }
    }
  });

  it('are hashed beside the build, with the bytes written between them, in order: the SHA-256 of the published file', async () => {
    const out = path.join(tempDir('chunks-digest'), 'out');
    const { publisher, chunks, expected } = await manyChunks(out, 120);
    // The same file's bytes hashed as manyChunks wrote it, and a second file fed at the same time.
    const digest = publisher.digest();
    const other = publisher.digest();
    digest.update(Buffer.from('head\n'));
    other.update(Buffer.from('other\n'));
    chunks.forEach((chunk, i) => {
      digest.updatePiece(chunk.location, 'mentions');
      if (i % 50 === 49) digest.update(Buffer.from(`after ${i}\n`));
    });
    const [sha256, otherSha256] = await Promise.all([digest.digest(), other.digest()]);
    await publisher.commit();
    expect(readFileSync(path.join(out, 'csv/table.csv'), 'utf8')).toBe(expected);
    expect(sha256).toBe(spawnSync('sha256sum', [path.join(out, 'csv/table.csv')], { encoding: 'utf8' }).stdout.split(' ')[0]);
    // printf 'other\n' | sha256sum
    expect(otherSha256).toBe('7e4fa2eb8c7ac089739d5defc4489fad68a100d92082ca35c6b40a4524821f87');
  });

  it('bytes in memory beyond what may wait to be hashed (64 MiB) wait for the thread, and are hashed in order', async () => {
    const out = path.join(tempDir('digest-memory'), 'out');
    const publisher = await StagingPublisher.create(out);
    const file = publisher.open('big.bin');
    const digest = publisher.digest();
    // 160 blocks of 1 MiB, each filled with its own number: out of order or lost, the hash differs.
    const block = Buffer.alloc(1 << 20);
    for (let i = 0; i < 160; i++) {
      block.fill(i);
      file.write(block);
      digest.update(block);
    }
    file.close();
    const sha256 = await digest.digest();
    await publisher.commit();
    expect(sha256).toBe(spawnSync('sha256sum', [path.join(out, 'big.bin')], { encoding: 'utf8' }).stdout.split(' ')[0]);
  });

  it('a piece that cannot be hashed fails its digest, naming the piece', async () => {
    const out = path.join(tempDir('chunks-digest-fail'), 'out');
    const publisher = await StagingPublisher.create(out);
    const chunk = publisher.scratchChunks().put('chunk-gone', assembled('gone'));
    rmSync(path.join(chunk.location, 'roles'));
    const digest = publisher.digest();
    digest.updatePiece(chunk.location, 'roles');
    await expect(digest.digest()).rejects.toThrow(/hashing a published file failed: .*chunk-gone\/roles/);
    await publisher.commit();
  });

  it('a piece that cannot be copied fails the commit, naming the copy, and the previous output stays', async () => {
    const out = path.join(tempDir('chunks-fail'), 'out');
    await publishAtomically(out, files('v1'));
    const { publisher, chunks } = await manyChunks(out, 70);
    // Gone before the copying process reads it (the pieces are named to it a run at a time).
    rmSync(path.join(chunks[69]!.location, 'mentions'));
    await expect(publisher.commit()).rejects.toThrow(/copying \d+ stored pieces .* into the output failed: .*mentions/);
    expect(readFileSync(path.join(out, 'a.txt'), 'utf8')).toBe('a v1\n');
  });

  it('for a build without cache, a chunk\'s rows stay in memory (one buffer of their own) and only the rest is stored', () => {
    const store = new ChunkFolder(tempDir('chunk-rows'));
    const chunk = assembled('r');
    const stored = store.put('k', chunk, true);
    const bodySections = CHUNK_PIECES.indexOf('report-inputs');
    expect(stored.rows!.map((r) => Buffer.from(r).toString('utf8'))).toEqual(chunk.pieces.slice(0, bodySections).map((p) => Buffer.from(p).toString('utf8')));
    expect(new Set(stored.rows!.map((r) => r.buffer)).size).toBe(1);
    expect(readdirSync(stored.location).sort()).toEqual([...CHUNK_PIECES.slice(bodySections), 'state.v8', 'tallies.v8'].sort());
  });

  it('a chunk whose piece was cut short, whose state is damaged or whose tallies are missing reads as missing, so it is assembled again', () => {
    const store = new ChunkFolder(tempDir('chunk-store'));
    const stored = store.put('k1', assembled('x'));
    expect(store.get('k1')?.state.pieceBytes).toEqual(stored.state.pieceBytes);
    writeFileSync(path.join(stored.location, 'mentions'), 'cut');
    expect(store.get('k1')).toBeNull();
    const other = store.put('k2', assembled('y'));
    writeFileSync(path.join(other.location, 'state.v8'), 'not a state');
    expect(store.get('k2')).toBeNull();
    const third = store.put('k3', assembled('z'));
    rmSync(path.join(third.location, 'tallies.v8'));
    expect(store.get('k3')).toBeNull();
    expect(store.get('never-stored')).toBeNull();
  });

  it('a chunk taken from the store comes without its entity tallies, which are read apart; unreadable, the chunk is removed', () => {
    const store = new ChunkFolder(tempDir('chunk-tallies'));
    const tally = { table: 'people' as const, names: new Map([['Irina Bokova', 2]]), aliases: new Map([['Bokova', 1]]), acronyms: new Map<string, number>(), attributes: new Map([['country_code', new Map([['BG', 2]])]]) };
    const chunk = assembled('t');
    chunk.state.merger = { tallies: new Map([['person-irina-bokova', tally]]) };
    store.put('kt', chunk);
    expect(store.get('kt')!.state.merger.tallies.size).toBe(0);
    expect(store.tallies('kt')).toEqual(chunk.state.merger);
    writeFileSync(path.join(store.folder, 'kt', 'tallies.v8'), 'damaged');
    expect(store.tallies('kt')).toBeNull();
    expect(existsSync(path.join(store.folder, 'kt'))).toBe(false);
  });

  it('left over by a killed build, they are removed by the next one', async () => {
    const out = path.join(tempDir('scratch-left'), 'out');
    mkdirSync(`${out}.scratch`, { recursive: true });
    writeFileSync(path.join(`${out}.scratch`, 'report-inputs.jsonl'), '{"file":"half');
    // A previous output being removed in the background when the machine stopped.
    mkdirSync(`${out}.trash-1234`);
    writeFileSync(path.join(`${out}.trash-1234`, 'dataset.jsonld'), '{');
    expect(await recoverInterruptedPublish(out)).toBe('removed-leftovers');
    expect(existsSync(`${out}.scratch`)).toBe(false);
    expect(existsSync(`${out}.trash-1234`)).toBe(false);
  });
});

describe('listInputFolder', () => {
  it('reads regular files in name order and lists hidden files and folders as skipped with why', async () => {
    const dir = tempDir('inputs');
    writeFileSync(path.join(dir, 'b.txt'), 'b');
    writeFileSync(path.join(dir, 'a.txt'), 'a');
    writeFileSync(path.join(dir, '.DS_Store'), 'x');
    mkdirSync(path.join(dir, 'more'));
    const { names, skipped } = await listInputFolder(dir);
    expect(names).toEqual(['a.txt', 'b.txt']);
    expect(skipped.map((s) => s.name)).toEqual(['.DS_Store', 'more']);
    for (const s of skipped) expect(s.reason.length).toBeGreaterThan(10);
  });
});

describe('PartFolder (the per-article cache)', () => {
  const part = () => processArticle({ name: 'a.txt', bytes: Buffer.from('UNESCO chief visits Beijing\n\nIrina Bokova met Yuan Guiren in Beijing on Monday.\n') }, { texts: true });

  it('gives back the summary and body that were put under the same code version, and drops the entries of other versions', async () => {
    const root = tempDir('cache');
    const stored = part();
    const old = await PartFolder.open(root, 'version-a');
    old.put(stored);
    const back = old.get(stored.summary.key)!;
    expect(back.summary).toEqual({ ...stored.summary, timings: {} });
    expect(Buffer.from(back.body!).equals(Buffer.from(stored.body!))).toBe(true);
    const current = await PartFolder.open(root, 'version-b');
    expect(current.get(stored.summary.key)).toBeNull();
    expect(existsSync(path.join(root, 'articles', 'version-a'))).toBe(false);
    await current.discarded();
    expect(readdirSync(root).sort()).toEqual(['articles']);
  });

  it('a damaged entry reads as missing, so the article is processed again', async () => {
    const root = tempDir('cache-damaged');
    const stored = part();
    const store = await PartFolder.open(root, 'v');
    store.put(stored);
    const key = stored.summary.key;
    const file = path.join(store.folder, key.slice(0, 2), `${key}.part`);
    writeFileSync(file, '{"file": "a.tx');
    expect(store.get(key)).toBeNull();
    // Cut short after a whole summary line: the rows are missing, so it is missing too.
    store.put(stored);
    writeFileSync(file, readFileSync(file).subarray(0, readFileSync(file).length - 10));
    expect(store.get(key)).toBeNull();
  });
});

describe('the manifest (what the last build saw of each input file)', () => {
  it('is read along in name order: known names give their signature and key, new names nothing', async () => {
    const cache = await PartFolder.open(tempDir('manifest'), 'version-a');
    const raw = tempDir('manifest-raw');
    const next = cache.nextBuild(raw, true);
    next.addText(manifestText([['a.txt', '1:2:3:4', 'key-a'], ['c "quoted" \\ é.txt', '5:6:7:8', 'c0ffee']]));
    next.addText(manifestText([['d.txt', '9:9:9:9', 'key-d']]));
    // Nothing is in place before the commit: a killed build leaves the last manifest as it was.
    expect(cache.previousBuild(raw, true).lookup('a.txt')).toBeUndefined();
    next.commit();
    const previous = cache.previousBuild(raw, true);
    // The line comes back as written, to be written again for an unchanged file.
    expect(previous.lookup('a.txt')).toEqual({ signature: '1:2:3:4', key: 'key-a', line: '["a.txt","1:2:3:4","key-a"]' });
    expect(previous.lookup('b.txt')).toBeUndefined();
    expect(previous.lookup('c "quoted" \\ é.txt')).toEqual({ signature: '5:6:7:8', key: 'c0ffee', line: '["c \\"quoted\\" \\\\ é.txt","5:6:7:8","c0ffee"]' });
    expect(previous.lookup('d.txt')).toEqual({ signature: '9:9:9:9', key: 'key-d', line: '["d.txt","9:9:9:9","key-d"]' });
    expect(previous.lookup('e.txt')).toBeUndefined();
    previous.close();
    // Another input folder, or the same one built without texts, has a manifest of its own.
    expect(cache.previousBuild(raw, false).lookup('a.txt')).toBeUndefined();
  });

  it('gives every line whole, also when a character is cut between two of the megabyte chunks it is read in', async () => {
    const cache = await PartFolder.open(tempDir('manifest-long'), 'version-a');
    const raw = tempDir('manifest-long-raw');
    const next = cache.nextBuild(raw, true);
    // Three-byte characters in names of varying length: some fall across the 1 MiB chunks the file is read in.
    const names = Array.from({ length: 40_000 }, (_, i) => `${String(i).padStart(5, '0')} “quoted” ${'é'.repeat(i % 7)}.txt`);
    // Rendered in runs, as worker threads render a chunk's lines.
    for (let i = 0; i < names.length; i += 256) next.addText(manifestText(names.slice(i, i + 256).map((name) => [name, 'sig', `key ${name}`])));
    next.commit();
    const previous = cache.previousBuild(raw, true);
    expect(names.filter((name) => previous.lookup(name)?.key !== `key ${name}`)).toEqual([]);
  });

  it('finds every name it has and no other, whatever characters the names hold (quotes, backslashes, controls, any script)', async () => {
    const cache = await PartFolder.open(tempDir('manifest-names'), 'version-a');
    let run = 0;
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 30 }), fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }), (names, kept) => {
        const raw = `manifest-names-raw-${run++}`;
        // JavaScript's order, as the input folder's names are sorted; every other one built before, half of them asked for.
        const sorted = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        const built = sorted.filter((_, i) => i % 2 === 0);
        const next = cache.nextBuild(raw, true);
        next.addText(manifestText(built.map((name, i) => [name, `${i}:1:2:3`, `${i.toString(16)}abc`])));
        next.commit();
        const previous = cache.previousBuild(raw, true);
        const asked = sorted.filter((_, i) => kept[i]);
        for (const name of asked) {
          const at = built.indexOf(name);
          expect(previous.lookup(name)).toEqual(at < 0 ? undefined : { signature: `${at}:1:2:3`, key: `${at.toString(16)}abc`, line: JSON.stringify([name, `${at}:1:2:3`, `${at.toString(16)}abc`]) });
        }
        previous.close();
      }),
      { numRuns: 200 },
    );
  });

  it('cut short, gives what it has and then nothing (those files are read again)', async () => {
    const cache = await PartFolder.open(tempDir('manifest-cut'), 'version-a');
    const raw = tempDir('manifest-cut-raw');
    const next = cache.nextBuild(raw, true);
    next.addText(manifestText([['a.txt', '1:1:1:1', 'key-a'], ['b.txt', '2:2:2:2', 'key-b']]));
    next.commit();
    const file = readdirSync(cache.folder).find((n) => n.startsWith('inputs-'))!;
    const text = readFileSync(path.join(cache.folder, file), 'utf8');
    writeFileSync(path.join(cache.folder, file), text.slice(0, text.length - 10));
    const previous = cache.previousBuild(raw, true);
    expect(previous.lookup('a.txt')).toMatchObject({ signature: '1:1:1:1', key: 'key-a' });
    expect(previous.lookup('b.txt')).toBeUndefined();
  });
});

describe('statSignature (an unchanged file is not read again)', () => {
  it('changes when a file is rewritten, even with bytes of the same length', () => {
    const file = path.join(tempDir('stat'), 'a.txt');
    writeFileSync(file, 'Bokova met Yuan.');
    const before = statSignature(file);
    expect(statSignature(file)).toBe(before);
    writeFileSync(file, 'Bokova met Chen.');
    expect(statSignature(file)).not.toBe(before);
  });
});
