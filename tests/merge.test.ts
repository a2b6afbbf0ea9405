// The merge: per article, localize gives dataset-wide IDs; across articles, EntityMerger turns every
// article's occurrences of an entity into one row, by consensus, whatever order the articles come in.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { TallyLedger, processArticle, type TallySnapshot } from '../pipeline/build.js';
import { EntityMerger, type EntityMergerState, type EntityOccurrence } from '../pipeline/merge.js';
import { MessageSink } from '../pipeline/messages.js';
import { ROOT, ROUND_TRIPS, cutSets, plainInOrder, split } from './helpers.js';

const person = (name: string, country_code: string | null, aliases: string[] = []): EntityOccurrence => ({ table: 'people', row: { person_id: 'person-irina-bokova', name, aliases, country_code } });

describe('EntityMerger', () => {
  it('keeps the value most articles give, warns about the disagreement, and keeps other spellings as aliases', () => {
    const merger = new EntityMerger();
    merger.add(person('Irina Bokova', 'BG', ['Bokova']));
    merger.add(person('Irina Bokova', 'BG'));
    merger.add(person('Irina BOKOVA', 'FR'));
    const sink = new MessageSink();
    const { people, entities } = merger.finish(sink);
    expect(people).toEqual([{ person_id: 'person-irina-bokova', name: 'Irina Bokova', aliases: ['Bokova', 'Irina BOKOVA'], country_code: 'BG' }]);
    expect(entities).toEqual([{ entity_id: 'person-irina-bokova', entity_type: 'person', name: 'Irina Bokova' }]);
    expect(sink.messages).toEqual([expect.objectContaining({ stage: 'merge', rule: 'conflicting-attribute', severity: 'warning', reason: expect.stringContaining('BG ×2, FR ×1') })]);
  });

  it('gives the same rows and warnings whatever order the articles of the development set arrive in', () => {
    const dir = path.join(ROOT, 'tests/fixtures/devset');
    const occurrences = readdirSync(dir)
      .filter((f) => f.endsWith('.txt'))
      .flatMap((f) => processArticle({ name: f, bytes: readFileSync(path.join(dir, f)) }, { texts: true }).summary.digest?.occurrences ?? []);
    expect(occurrences.length).toBeGreaterThan(100);
    const merged = (list: EntityOccurrence[]) => {
      const merger = new EntityMerger();
      for (const o of list) merger.add(o);
      const sink = new MessageSink();
      return { tables: merger.finish(sink), messages: sink.messages };
    };
    expect(merged([...occurrences].reverse())).toEqual(merged(occurrences));
  });
});


describe('EntityMerger in chunks (state, fromState, absorb)', () => {
  /** Occurrences of entities the development set names too, disagreeing with it and with each other in ways that depend on k. */
  function disagreeing(k: number, devsetArticle: EntityOccurrence[]): EntityOccurrence[] {
    const pick = <T>(values: readonly T[]): T => values[k % values.length]!;
    return [
      { table: 'people', row: { person_id: 'person-irina-bokova', name: pick(['Irina Bokova', 'Irina BOKOVA', 'Irina Bokova', 'I. Bokova']), aliases: pick([['Bokova'], [], ['Ms Bokova', 'Bokova']]), country_code: pick(['BG', 'FR', null, 'BG', 'FR']) } },
      {
        table: 'organizations',
        row: { organization_id: 'org-unesco', name: pick(['UNESCO', 'Unesco', 'United Nations Educational, Scientific and Cultural Organization']), acronym: pick(['UNESCO', null, 'Unesco', 'UNESCO']), aliases: pick([[], ['UN agency']]), kind: pick(['igo', 'agency', null, 'igo']), country_code: pick([null, 'FR']) },
      },
      { table: 'places', row: { place_id: 'place-victoria-au', name: 'Victoria', aliases: [], kind: pick(['region', 'city', 'region'] as const), country_code: 'AU', latitude: pick([-37.8, -37.81, null]), longitude: pick([144.9, 144.96]) } },
      // Articles say where Paris is only from the seventh on: an attribute first voted on in a later chunk.
      { table: 'places', row: { place_id: 'place-paris', name: 'Paris', aliases: pick([[], ['City of Light']]), kind: 'city', country_code: k < 3 ? null : 'FR', latitude: k < 6 ? null : 48.86, longitude: k < 6 ? null : 2.35 } },
      { table: 'events', row: { event_id: 'event-summit', name: pick(['Summit', 'The Summit']), aliases: [], kind: pick(['conference', null, 'summit']), start_date: pick(['2023-11-07', '2023-11-08', null]), end_date: pick([null, '2023-11-12']), place_id: pick(['place-victoria-au', null, 'place-paris']) } },
      // The article's first entity again, spelt differently, with an alias of its own.
      ...devsetArticle.slice(0, 1).map((o) => ({ ...o, row: { ...o.row, name: pick([o.row.name.toUpperCase(), o.row.name]), aliases: [...o.row.aliases, `Alias ${k % 4}`] } }) as EntityOccurrence),
    ];
  }

  let memo: EntityOccurrence[][] | undefined;
  /** The occurrences of each development-set article in file-name order, each article followed by one that disagrees. */
  function articles(): EntityOccurrence[][] {
    const dir = path.join(ROOT, 'tests/fixtures/devset');
    memo ??= readdirSync(dir)
      .filter((f) => f.endsWith('.txt'))
      .sort()
      .map((f) => processArticle({ name: f, bytes: readFileSync(path.join(dir, f)) }, { texts: true }).summary.digest?.occurrences ?? [])
      .flatMap((occurrences, k) => [occurrences, disagreeing(k, occurrences)]);
    return memo;
  }

  function fold(occurrences: readonly EntityOccurrence[], into = new EntityMerger()): EntityMerger {
    for (const o of occurrences) into.add(o);
    return into;
  }

  /** All a merger shows: its size, its rows and warnings, and its state with the order of its Maps and Sets. */
  function observe(merger: EntityMerger) {
    const sink = new MessageSink();
    const tables = merger.finish(sink);
    return { size: merger.size, tables, messages: sink.messages, state: plainInOrder(merger.state()) };
  }

  it.each(ROUND_TRIPS)('gives the rows, warnings and state of one pass, however the articles are cut into chunks (state through %s)', (_how, roundTrip) => {
    const whole = observe(fold(articles().flat()));
    // The sequence is worth testing with: many entities, and disagreements to warn about.
    expect(whole.size).toBeGreaterThan(100);
    expect(whole.messages.length).toBeGreaterThan(5);
    for (const cuts of cutSets(articles().length)) {
      const [first, ...rest] = split(articles(), cuts).map((chunk) => EntityMerger.fromState(roundTrip(fold(chunk.flat()).state())));
      for (const later of rest) first!.absorb(later);
      expect(observe(first!), `cut at ${cuts.join(',')}`).toEqual(whole);
    }
  });

  it('taking away the tallies of articles counted twice (subtract) gives the rows and warnings of counting them once; entities only they named go', () => {
    const chunks = articles();
    const rowsOf = (merger: EntityMerger) => {
      const { state: _order, ...rest } = observe(merger);
      return rest;
    };
    const whole = rowsOf(fold(chunks.flat()));
    for (let c = 0; c < chunks.length; c += 3) {
      const twice = fold(chunks.flat());
      twice.absorbState(fold(chunks[c]!).state());
      twice.subtract(fold(chunks[c]!).state());
      expect(rowsOf(twice), `chunk ${c}`).toEqual(whole);
      // Without the chunk: what the others name, no more.
      const others = chunks.filter((_, i) => i !== c).flat();
      const without = fold(chunks.flat());
      without.subtract(fold(chunks[c]!).state());
      expect(rowsOf(without), `without chunk ${c}`).toEqual(rowsOf(fold(others)));
    }
    expect(() => fold([]).subtract(fold(chunks[0]!).state())).toThrow(/never added/);
  });

  describe('TallyLedger (a build\'s tallies from the last build\'s sum, not from every chunk)', () => {
    // Each development-set article (and its disagreeing twin) stands for a chunk; the cache is a Map of states by key.
    const rowsOf = (merger: EntityMerger) => {
      const { state: _order, ...rest } = observe(merger);
      return rest;
    };
    const cache = new Map<string, Buffer>();
    const store = (key: string, occurrences: readonly EntityOccurrence[]) => cache.set(key, v8.serialize(fold(occurrences).state()));
    const fromCache = (key: string) => (cache.has(key) ? (v8.deserialize(cache.get(key)!) as EntityMergerState) : null);
    const none = (): EntityMergerState => ({ tallies: new Map() });
    /** One build: chunks by key, taken whole when `whole` says so (else assembled, their tallies given); the ledger's total and snapshot, and how many tallies it read. */
    const build = (chunks: ReadonlyArray<[key: string, occurrences: EntityOccurrence[]]>, whole: (key: string) => boolean, previous: TallySnapshot | null, uncached: EntityOccurrence[][] = []) => {
      const ledger = new TallyLedger(fromCache);
      for (const [key, occurrences] of chunks) {
        if (!whole(key)) store(key, occurrences);
        ledger.chunk(key, whole(key), whole(key) ? none() : fold(occurrences).state());
      }
      for (const occurrences of uncached) ledger.chunk(null, false, fold(occurrences).state());
      const { total, snapshot } = ledger.finish(previous);
      return { total, snapshot: v8.deserialize(v8.serialize(snapshot)) as TallySnapshot, read: ledger.read };
    };
    const keyed = () => articles().map((occurrences, i): [string, EntityOccurrence[]] => [`k${i}`, occurrences]);
    const expectRowsOf = (total: EntityMerger, chunks: ReadonlyArray<[string, EntityOccurrence[]]>, extra: EntityOccurrence[][] = []) =>
      expect(rowsOf(total)).toEqual(rowsOf(fold([...chunks.flatMap(([, o]) => o), ...extra.flat()])));

    it('a cold build, a warm one and one with a changed, a removed and an added chunk give the totals of a recount, reading only what changed', () => {
      const chunks = keyed();
      const cold = build(chunks, () => false, null);
      expectRowsOf(cold.total, chunks);
      expect(cold.read).toBe(0);
      const warm = build(chunks, () => true, cold.snapshot);
      expectRowsOf(warm.total, chunks);
      expect(warm.read).toBe(0);
      // Chunk 5 changed (a new key, assembled), chunk 7 removed, and a chunk another build cached comes in whole.
      store('elsewhere', chunks[2]![1]);
      const changed: Array<[string, EntityOccurrence[]]> = chunks.filter((_, i) => i !== 7).map(([key, o], i) => (i === 5 ? ['k5-changed', chunks[9]![1]] : [key, o]));
      changed.push(['elsewhere', chunks[2]![1]]);
      const incremental = build(changed, (key) => key !== 'k5-changed', warm.snapshot);
      expectRowsOf(incremental.total, changed);
      // The old chunk 5 and chunk 7 taken away, the one from elsewhere added.
      expect(incremental.read).toBe(3);
      expect(new Set(incremental.snapshot.chunks)).toEqual(new Set(changed.map(([key]) => key)));
      expectRowsOf(EntityMerger.fromState(incremental.snapshot.tallies), changed);
    });

    it('a chunk assembled again under a key the snapshot has (its cached copy was damaged) is counted once', () => {
      const chunks = keyed();
      const first = build(chunks, () => false, null);
      const again = build(chunks, (key) => key !== 'k3', first.snapshot);
      expectRowsOf(again.total, chunks);
    });

    it('chunks that are not cached (assembled again after a duplicate) count in the total, not in the snapshot', () => {
      const chunks = keyed();
      const extra = [articles()[4]!];
      const first = build(chunks, () => false, null, extra);
      expectRowsOf(first.total, chunks, extra);
      expectRowsOf(EntityMerger.fromState(first.snapshot.tallies), chunks);
      const second = build(chunks, () => true, first.snapshot, extra);
      expectRowsOf(second.total, chunks, extra);
    });

    it('without a snapshot, or when one of the tallies it needs is gone, or when it does not add up, the chunks taken whole are counted afresh', () => {
      const chunks = keyed();
      const first = build(chunks, () => false, null);
      const unknown = build(chunks, () => true, null);
      expectRowsOf(unknown.total, chunks);
      expect(unknown.read).toBe(chunks.length);
      // The snapshot lists a chunk whose tallies are no longer in the cache.
      const stale = build(chunks.slice(1), () => true, { ...first.snapshot, chunks: [...first.snapshot.chunks, 'pruned'] });
      expectRowsOf(stale.total, chunks.slice(1));
      // A snapshot whose sum lacks a chunk it lists: taking that chunk away fails, so it is not used.
      const wrong = build(chunks.slice(1), () => true, { chunks: first.snapshot.chunks, tallies: fold([]).state() });
      expectRowsOf(wrong.total, chunks.slice(1));
      // A chunk taken whole whose tallies cannot be read at all: the build says so.
      cache.delete('k2');
      expect(() => build(chunks, () => true, null)).toThrow(/k2 could not be read/);
    });
  });

  it('keeps accepting occurrences after fromState and absorb', () => {
    const all = articles().flat();
    const [a, b, c, d] = split(all, [40, 60, 100]) as [EntityOccurrence[], EntityOccurrence[], EntityOccurrence[], EntityOccurrence[]];
    const merger = EntityMerger.fromState(v8.deserialize(v8.serialize(fold(a).state())) as EntityMergerState);
    fold(b, merger);
    merger.absorb(EntityMerger.fromState(structuredClone(fold(c).state())));
    fold(d, merger);
    expect(observe(merger)).toEqual(observe(fold(all)));
  });

  it('leaves the absorbed merger as it was, and its state does not follow later additions', () => {
    const [a, b] = split(articles().flat(), [70]) as [EntityOccurrence[], EntityOccurrence[]];
    const earlier = fold(a);
    const later = fold(b);
    const before = observe(later);
    const state = earlier.state();
    const snapshot = plainInOrder(state);
    earlier.absorb(later);
    const combined = observe(earlier);
    // Going on with the combined one (with the entities first seen in the absorbed one) does not change the absorbed one.
    fold(b, earlier);
    expect(observe(later)).toEqual(before);
    expect(plainInOrder(state)).toEqual(snapshot);
    // A state can be restored twice: the two mergers do not share their tallies.
    const one = EntityMerger.fromState(state);
    const two = EntityMerger.fromState(state);
    fold(b, one);
    expect(observe(two)).toEqual(observe(fold(a)));
    expect(observe(one)).toEqual(combined);
  });
});

describe('localize', () => {
  it('idSlug is slug, which leaves lower-case ASCII words joined by single hyphens as they are', async () => {
    const fc = (await import('fast-check')).default;
    const { idSlug } = await import('../pipeline/merge.js');
    const { slug } = await import('../pipeline/ids.js');
    const piece = fc.constantFrom('a', 'z', '0', '9', '-', '--', 'É', 'é', "'", ' ', 'A', '_', '\u0301', '中', 'ǆ', 'ﬁ');
    fc.assert(fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
      const id = pieces.join('');
      expect(idSlug(id)).toBe(slug(id));
    }), { numRuns: 2000 });
    for (const id of ['person-irina-bokova', 'place-victoria-au', 'org-unesco', 'place-h0123456789ab']) expect(idSlug(id)).toBe(slug(id));
  });
});
