// MeetingDigest: what the landing page keeps of the meetings while the
// articles stream by, and the pictures drawn from it. What it keeps must not
// grow with the number of meetings; the timeline must still count every
// meeting, and the network choose among the most recent ones.
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { MeetingDigest, type MeetingDigestState } from '../pipeline/emit/meetings.js';
import type { InteractionParticipantsRecord, InteractionsRecord } from '../pipeline/records.generated.js';
import { TIMELINE_DETAILED_MAX, networkSvg, timelineSvg, type PictureTables } from '../pipeline/emit/svg.js';
import { ROUND_TRIPS, cutSets, plainInOrder, split } from './helpers.js';

const PEOPLE = ['a', 'b', 'c', 'd', 'e', 'f'];

/** Entity tables with people A to F and one organization. */
function entityTables(): PictureTables {
  return {
    entities: [
      ...PEOPLE.map((p) => ({ entity_id: `person-${p}`, entity_type: 'person' as const, name: `Person ${p.toUpperCase()}` })),
      { entity_id: 'org-unesco', entity_type: 'organization' as const, name: 'UNESCO' },
    ],
    people: PEOPLE.map((p) => ({ person_id: `person-${p}`, name: `Person ${p.toUpperCase()}`, aliases: [], country_code: null })),
    events: [],
  };
}

function interaction(id: string, date: string | null, kind = 'meeting'): InteractionsRecord {
  return { interaction_id: id, article_id: 'article-0000000000000001', kind, cameo_code: '040', date, date_basis: date ? 'stated' : null, place_id: null, event_id: null, start: 0, end: 10 };
}

function participants(id: string, who: readonly string[]): InteractionParticipantsRecord[] {
  return who.map((entity_id) => ({ interaction_id: id, entity_id, role: 'participant' }));
}

/** Adds a meeting of the given people (letters for people, or entity IDs); its evidence names it. */
function meet(digest: MeetingDigest, id: string, date: string | null, who: readonly string[]): void {
  digest.add(interaction(id, date), participants(id, who.map((w) => (w.length === 1 ? `person-${w}` : w))), `Evidence of ${id}.`);
}

const edgeIds = (svg: string) => [...svg.matchAll(/<g class="edge[^"]*" tabindex="0" data-id="([^"]+)"/g)].map((m) => m[1]);
const nodeIds = (svg: string) => [...svg.matchAll(/<g class="node" data-id="([^"]+)"/g)].map((m) => m[1]);

describe('the network picture', () => {
  // A and B met four times long ago (once on a date not stated); in 2024 C met D, then D met E, then C met E and F; C also met UNESCO.
  function feed(digest: MeetingDigest, order: 'as written' | 'reversed' = 'as written'): void {
    const meetings: Array<[string, string | null, string[]]> = [
      ['interaction-0', null, ['a', 'b']],
      ['interaction-1', '2020-01-01', ['a', 'b']],
      ['interaction-2', '2020-02', ['a', 'b']],
      ['interaction-3', '2020', ['a', 'b']],
      ['interaction-4', '2024-01-01', ['c', 'd']],
      ['interaction-5', '2024-02-01', ['c', 'e', 'f']],
      ['interaction-6', '2024-03-01', ['c', 'org-unesco']],
      ['interaction-7', '2024-01-15', ['d', 'e']],
    ];
    for (const [id, date, who] of order === 'reversed' ? [...meetings].reverse() : meetings) meet(digest, id, date, who);
  }
  // A window of the 3 most recent meetings between people, 3 people, 2 meetings drawn.
  const draw = (digest: MeetingDigest) => networkSvg({ tables: entityTables(), meetings: digest }, 3, 2);

  it('chooses among the most recent meetings: the people in the most of them, and the newest meetings between those', () => {
    const digest = new MeetingDigest(3);
    feed(digest);
    const network = draw(digest);
    // The window holds 5, 7 and 4 (A and B, with the most meetings overall, met before it). C, D and E are in two of
    // them each, F in one: C, D and E are drawn. Between them, 5 (C and E) and 7 are newer than 4.
    expect(edgeIds(network.svg)).toEqual(['interaction-5', 'interaction-7']);
    expect(nodeIds(network.svg).sort()).toEqual(['person-c', 'person-d', 'person-e']);
    expect(network.svg).toContain('data-people="person-c person-e"');
    expect(network.svg).toContain('“Evidence of interaction-5.”');
    // Seven meetings have two people or more (all but 6, which has one), two are drawn.
    expect([network.drawn, network.capped, network.undrawable]).toEqual([2, 5, 1]);
  });

  it('does not depend on the order the articles arrive in', () => {
    const forward = new MeetingDigest(3);
    feed(forward);
    const backward = new MeetingDigest(3);
    feed(backward, 'reversed');
    expect(draw(backward).svg).toBe(draw(forward).svg);
  });

  it('keeps meetings of the same day by interaction ID, and undated ones last', () => {
    const digest = new MeetingDigest(2);
    meet(digest, 'interaction-9', '2023-05-05', ['a', 'b']);
    meet(digest, 'interaction-7', '2023-05-05', ['a', 'c']);
    meet(digest, 'interaction-0', null, ['a', 'd']);
    meet(digest, 'interaction-8', '2023-05-05', ['a', 'e']);
    expect(edgeIds(networkSvg({ tables: entityTables(), meetings: digest }).svg)).toEqual(['interaction-7', 'interaction-8']);
  });

  it('draws every meeting between people when there are no more than the caps', () => {
    const digest = new MeetingDigest();
    feed(digest);
    const network = networkSvg({ tables: entityTables(), meetings: digest });
    expect(edgeIds(network.svg)).toEqual(['interaction-0', 'interaction-1', 'interaction-2', 'interaction-3', 'interaction-4', 'interaction-5', 'interaction-7']);
    expect(nodeIds(network.svg).sort()).toEqual(PEOPLE.map((p) => `person-${p}`));
    expect([network.capped, network.undrawable]).toEqual([0, 1]);
  });
});

describe('the timeline picture', () => {
  const day = (k: number) => new Date(Date.UTC(2023, 0, 1 + k)).toISOString().slice(0, 10);

  it('draws each of 60 meetings with its evidence sentence', () => {
    const digest = new MeetingDigest();
    for (let k = 0; k < 60; k++) meet(digest, `interaction-${k}`, day(k), ['a', 'b']);
    meet(digest, 'interaction-undated', 'XXXX-10-21', ['a', 'b']);
    const timeline = timelineSvg({ tables: entityTables(), meetings: digest });
    expect(timeline.mode).toBe('items');
    expect(timeline.svg.match(/<g class="tl-item tl-meeting"/g)).toHaveLength(60);
    expect(timeline.svg).toContain('data-date="2023-03-01"><title>2023-03-01 · meeting\nPerson A, Person B\n“Evidence of interaction-59.”</title>');
    expect([timeline.drawn, timeline.undrawable]).toEqual([60, 1]);
  });

  it('counts 60 meetings and one event per month: 61 items are too many to label', () => {
    const digest = new MeetingDigest();
    for (let k = 0; k < 60; k++) meet(digest, `interaction-${k}`, day(k), ['a', 'b']);
    const tables = { ...entityTables(), events: [{ event_id: 'event-x', name: 'X', aliases: [], kind: 'conference', start_date: '2023-02-10', end_date: null, place_id: null }] };
    const timeline = timelineSvg({ tables, meetings: digest });
    expect(timeline.mode).toBe('counts');
    expect(timeline.svg).toContain('<title id="timeline-title">Timeline: 61 meetings and events, counted per month</title>');
    // Days 0 to 59 of 2023: all of January (31), all of February (28), 1 March.
    expect(timeline.svg).toContain('<title>2023-01: 31 meetings, 0 events</title>');
    expect(timeline.svg).toContain('<title>2023-02: 28 meetings, 1 event</title>');
    expect(timeline.svg).toContain('<title>2023-03: 1 meeting, 0 events</title>');
  });

  it('counts every one of 73,000 meetings per month, keeping none of them', () => {
    const digest = new MeetingDigest();
    // 200 meetings on each day of 2023, 1,000 without a year.
    for (let k = 0; k < 365 * 200; k++) meet(digest, `interaction-${String(k).padStart(5, '0')}`, day(k % 365), ['a', 'b']);
    for (let k = 0; k < 1000; k++) meet(digest, `interaction-x${k}`, 'XXXX-05-01', ['c', 'd']);
    const timeline = timelineSvg({ tables: entityTables(), meetings: digest });
    expect(timeline.svg).toContain('Timeline: 73000 meetings and events, counted per month');
    const months = [...timeline.svg.matchAll(/<title>(2023-\d\d): (\d+) meetings, 0 events<\/title>/g)].map((m) => [m[1], Number(m[2])]);
    const days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    expect(months).toEqual(days.map((n, m) => [`2023-${String(m + 1).padStart(2, '0')}`, n * 200]));
    expect(timeline.undrawable).toBe(1000);
  });
});

describe('what the digest keeps', () => {
  /** n meetings over 365 distinct days among 1,000 people, as a large corpus would bring them. */
  function digestOf(n: number): MeetingDigest {
    const digest = new MeetingDigest();
    for (let k = 0; k < n; k++) {
      const date = new Date(Date.UTC(2020, 0, 1 + (k % 365))).toISOString().slice(0, 10);
      const id = `interaction-${k}`;
      digest.add(interaction(id, date, k % 3 === 0 ? 'talks' : 'meeting'), participants(id, [`person-${k % 1000}`, `person-${(k * 7 + 1) % 1000}`]), `Sentence ${k}.`);
    }
    return digest;
  }

  it('keeps the newest meetings whatever order they come in', () => {
    const digest = new MeetingDigest(100);
    // Meeting k is on day k of 2000; they arrive scrambled (7,919 is prime, so every k comes once).
    for (let n = 0; n < 2000; n++) {
      const k = (n * 7919) % 2000;
      const date = new Date(Date.UTC(2000, 0, 1 + k)).toISOString().slice(0, 10);
      meet(digest, `interaction-${k}`, date, ['a', 'b']);
    }
    expect(digest.recentMeetings().map((m) => m.interaction.interaction_id)).toEqual(Array.from({ length: 100 }, (_, i) => `interaction-${1999 - i}`));
  });

  it('holds as much after 100,000 meetings as after 10,000: counts per date, the 5,000 most recent, none in full', () => {
    const sizes = (d: MeetingDigest) => ({ recent: d.recentMeetings().length, detailed: d.detailed, spans: d.perSpan.size, kinds: d.kinds.size });
    const small = digestOf(10_000);
    const large = digestOf(100_000);
    expect(sizes(small)).toEqual({ recent: 5000, detailed: null, spans: 365, kinds: 2 });
    expect(sizes(large)).toEqual(sizes(small));
    expect([large.count, large.dated, large.betweenPeople]).toEqual([100_000, 100_000, 100_000]);
  });
});


describe('MeetingDigest in chunks (state, fromState, absorb)', () => {
  type Meeting = Parameters<MeetingDigest['add']>;
  // Days, months, years, a range, no date, no year; some twice, so meetings share days and spans.
  const DATES = ['2023-05-05', '2023-05', '2023', '2023-11-07/2023-11-12', null, '2024-01-15', 'XXXX-10-21', '2022-12-31', '2024-01-15', '2019-06-01', '2024-02', '2023-05-05', '1999'];
  const KINDS = ['talks', 'meeting', 'visit', 'meeting', 'call'];
  // Letters are people; some meetings have one person, or one named twice.
  const WHO = [['a', 'b'], ['c'], ['a', 'b', 'c'], ['d', 'org-unesco'], ['e', 'f', 'e'], ['org-unesco'], ['b', 'd'], ['f', 'a']];

  /** Meeting k; IDs are unique but not in the order the meetings come. */
  function meeting(k: number, date: string | null = DATES[k % DATES.length]!): Meeting {
    const id = `interaction-${String((k * 53) % 1000).padStart(4, '0')}`;
    const who = WHO[k % WHO.length]!.map((w) => (w.length === 1 ? `person-${w}` : w));
    return [interaction(id, date, KINDS[(k * 3) % KINDS.length]), participants(id, who), k % 5 === 0 ? null : `Evidence of ${id}.`];
  }
  const day = (k: number) => new Date(Date.UTC(2023, 0, 1 + k)).toISOString().slice(0, 10);
  /** `dated` meetings on distinct days (the last first), with an undated one after every fifth. */
  const datedMeetings = (dated: number) => Array.from({ length: dated }, (_, k) => [meeting(k, day(dated - k)), ...(k % 5 === 4 ? [meeting(1000 - k, null)] : [])]).flat();

  const SEQUENCES: Array<[string, number | undefined, Meeting[]]> = [
    ['400 meetings, a window of 25', 25, Array.from({ length: 400 }, (_, k) => meeting(k))],
    ['400 meetings, the default window', undefined, Array.from({ length: 400 }, (_, k) => meeting(k))],
    [`${TIMELINE_DETAILED_MAX} dated meetings (all detailed), a window of 4`, 4, datedMeetings(TIMELINE_DETAILED_MAX)],
    [`${TIMELINE_DETAILED_MAX + 1} dated meetings (too many to detail), a window of 4`, 4, datedMeetings(TIMELINE_DETAILED_MAX + 1)],
  ];

  function fold(meetings: readonly Meeting[], into: MeetingDigest): MeetingDigest {
    for (const m of meetings) into.add(...m);
    return into;
  }

  /** All the landing page sees of a digest, Maps and Sets in their order, and its state: a copy, which later additions do not change. */
  function observe(digest: MeetingDigest) {
    const { recentCap, count, betweenPeople, dated, undated, span, detailed } = digest;
    const context = { tables: entityTables(), meetings: digest };
    return structuredClone({
      numbers: { recentCap, count, betweenPeople, dated, undated, span },
      kinds: [...digest.kinds],
      perSpan: [...digest.perSpan],
      detailed,
      recent: digest.recentMeetings(),
      timeline: timelineSvg(context),
      network: networkSvg(context),
      state: plainInOrder(digest.state()),
    });
  }

  describe.each(SEQUENCES)('%s', (_name, recentCap, meetings) => {
    it.each(ROUND_TRIPS)('gives what one pass gives, however the meetings are cut into chunks (state through %s)', (_how, roundTrip) => {
      const whole = observe(fold(meetings, new MeetingDigest(recentCap)));
      // The sequence is worth testing with: the window is full (when it is small), or the detailed list at its limit.
      if (recentCap !== undefined) expect(whole.recent).toHaveLength(recentCap);
      expect(whole.detailed === null).toBe(whole.numbers.dated > TIMELINE_DETAILED_MAX);
      for (const cuts of cutSets(meetings.length)) {
        const [first, ...rest] = split(meetings, cuts).map((chunk) => MeetingDigest.fromState(roundTrip(fold(chunk, new MeetingDigest(recentCap)).state())));
        for (const later of rest) first!.absorb(later);
        expect(observe(first!), `cut at ${cuts.join(',')}`).toEqual(whole);
      }
    });

    it('gives what one pass gives when each chunk\'s window is stored apart and read back newest first (absorbRecent)', () => {
      const whole = observe(fold(meetings, new MeetingDigest(recentCap)));
      for (const cuts of cutSets(meetings.length)) {
        const chunks = split(meetings, cuts).map((chunk) => fold(chunk, new MeetingDigest(recentCap)));
        const [first, ...rest] = chunks.map((chunk) => MeetingDigest.fromState({ ...chunk.state(), recent: [] }));
        for (const later of rest) first!.absorb(later);
        // Through JSON, as the chunks store them.
        for (const chunk of chunks) {
          const lines = chunk.recentMeetings().map((m) => JSON.stringify({ ...m, day: Number.isFinite(m.day) ? m.day : null }));
          first!.absorbRecent(
            (function* () {
              for (const line of lines) {
                const stored = JSON.parse(line);
                yield { ...stored, day: stored.day ?? -Infinity };
              }
            })(),
          );
        }
        const seen = observe(first!);
        expect({ ...seen, state: null }, `cut at ${cuts.join(',')}`).toEqual({ ...whole, state: null });
      }
    });

    it('keeps accepting meetings after fromState and absorb', () => {
      const n = meetings.length;
      const [a, b, c, d] = split(meetings, [Math.floor(n / 4), Math.floor(n / 2), Math.floor((3 * n) / 4)]) as [Meeting[], Meeting[], Meeting[], Meeting[]];
      const digest = MeetingDigest.fromState(v8.deserialize(v8.serialize(fold(a, new MeetingDigest(recentCap)).state())) as MeetingDigestState);
      fold(b, digest);
      digest.absorb(MeetingDigest.fromState(structuredClone(fold(c, new MeetingDigest(recentCap)).state())));
      fold(d, digest);
      expect(observe(digest)).toEqual(observe(fold(meetings, new MeetingDigest(recentCap))));
    });

    it('leaves the absorbed digest as it was, and its state does not follow later additions', () => {
      const [a, b] = split(meetings, [Math.floor(meetings.length / 3)]) as [Meeting[], Meeting[]];
      const earlier = fold(a, new MeetingDigest(recentCap));
      const later = fold(b, new MeetingDigest(recentCap));
      const before = observe(later);
      const state = earlier.state();
      const snapshot = plainInOrder(state);
      earlier.absorb(later);
      const combined = observe(earlier);
      // Going on with the combined one (with the spans first seen in the absorbed one) does not change the absorbed one.
      fold(b, earlier);
      expect(observe(later)).toEqual(before);
      expect(plainInOrder(state)).toEqual(snapshot);
      // A state can be restored twice: the two digests share nothing they change.
      const one = MeetingDigest.fromState(state);
      const two = MeetingDigest.fromState(state);
      fold(b, one);
      expect(observe(two)).toEqual(observe(fold(a, new MeetingDigest(recentCap))));
      expect(observe(one)).toEqual(combined);
    });
  });

  it('has a window with ties and undated meetings, and kinds and spans first seen in later chunks', () => {
    const digest = fold(SEQUENCES[0]![2], new MeetingDigest(25));
    const days = digest.recentMeetings().map((m) => m.day);
    expect(new Set(days).size).toBeLessThan(days.length);
    expect(digest.perSpan.size).toBeGreaterThan(5);
    expect(fold(SEQUENCES[1]![2], new MeetingDigest()).recentMeetings().at(-1)!.day).toBe(-Infinity);
  });

  it('refuses to absorb a digest with a window of another size', () => {
    const digest = new MeetingDigest(3);
    expect(() => digest.absorb(new MeetingDigest(4))).toThrow(/windows of 3 and 4/);
    expect(() => digest.absorb(digest)).toThrow();
  });
});
