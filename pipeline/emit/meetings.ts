// The meetings the landing page draws (timeline and network), gathered one
// interaction at a time as the articles arrive, in one pass.
//
// Its memory does not grow with the number of meetings. It keeps:
// - counts (meetings, dated, undated, between people), the days the dates
//   cover, and the set of kinds (a small vocabulary);
// - dated meetings per distinct day span: grows with the distinct dates named
//   (days, months, years), not with the meetings on them;
// - at most TIMELINE_DETAILED_MAX dated meetings in full: beyond that the
//   timeline counts them per month or year and draws none of them;
// - the NETWORK_WINDOW most recent meetings between people: the network
//   picks the people and meetings it draws among those.
// Measured on synthetic meetings: about 5.5 MB after 10,000, 100,000 or
// 300,000 of them (keeping every row took about 1 kB a meeting).
import { Heap } from 'heap-js';
import type { InteractionParticipantsRecord, InteractionsRecord } from '../records.generated.js';
import { NETWORK_WINDOW, TIMELINE_DETAILED_MAX, daySpanOf, type DaySpan } from './svg.js';

/** A dated meeting the timeline draws a mark for. */
export interface DigestedMeeting {
  interaction: InteractionsRecord;
  /** Entity IDs of the participants, in the order of interaction_participants. */
  participants: string[];
  /** The evidence sentence; null when the article texts are not published. */
  evidence: string | null;
}

/** A meeting the network can draw: two people or more. */
export interface NetworkMeeting {
  interaction: InteractionsRecord;
  /** First day of its date; -Infinity when it cannot be placed in time (sorts as the oldest). */
  day: number;
  /** Its people's IDs, each once, sorted. */
  people: string[];
  evidence: string | null;
}

/** Person IDs are `person-` and a slug (schemas/people.schema.json): a participant is known to be a person without the people table, which exists only at the end. */
const isPerson = (entityId: string) => entityId.startsWith('person-');

/** Newest first; undated last; then by interaction ID. */
function newestFirst(a: NetworkMeeting, b: NetworkMeeting): number {
  if (a.day !== b.day) return b.day - a.day;
  const x = a.interaction.interaction_id;
  const y = b.interaction.interaction_id;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** MeetingDigest's whole state as plain data (it survives structuredClone and v8.serialize). */
export interface MeetingDigestState {
  recentCap: number;
  count: number;
  betweenPeople: number;
  dated: number;
  undated: number;
  span: DaySpan | null;
  /** In the order first seen. */
  kinds: Set<string>;
  /** In the order first seen. */
  perSpan: Map<string, { span: DaySpan; count: number }>;
  detailed: DigestedMeeting[] | null;
  /** The window of recent meetings between people, newest first (as recentMeetings()): the same meetings give the same state. */
  recent: NetworkMeeting[];
}

/** The days both spans cover, and those between. */
function spanOfBoth(a: DaySpan | null, b: DaySpan | null): DaySpan | null {
  if (!a || !b) return a ?? b;
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

export class MeetingDigest {
  /** Interactions added. */
  count = 0;
  /** Interactions between at least two people: those the network could draw. */
  betweenPeople = 0;
  /** Interactions whose date can be placed on a time axis (it states the year). */
  dated = 0;
  /** The others: no date, or no stated year. */
  undated = 0;
  /** Days covered by the dated interactions. */
  span: DaySpan | null = null;
  readonly kinds = new Set<string>();
  /** Dated interactions per distinct day span (`start end`). */
  readonly perSpan = new Map<string, { span: DaySpan; count: number }>();
  /** Every dated interaction while there are at most TIMELINE_DETAILED_MAX; null once there are more. */
  detailed: DigestedMeeting[] | null = [];
  /** The most recent meetings between people, at most recentCap: a heap whose root is the oldest of them. */
  private readonly window = new Heap<NetworkMeeting>((a, b) => newestFirst(b, a));

  constructor(readonly recentCap = NETWORK_WINDOW) {}

  /** One interaction, its participants, and its evidence sentence (null when the texts are not published). */
  add(interaction: InteractionsRecord, participants: readonly InteractionParticipantsRecord[], evidence: string | null): void {
    this.count++;
    this.kinds.add(interaction.kind);
    const participantIds = participants.map((p) => p.entity_id);

    const span = daySpanOf(interaction.date);
    if (span) {
      this.dated++;
      this.span = this.span ? { start: Math.min(this.span.start, span.start), end: Math.max(this.span.end, span.end) } : span;
      const key = `${span.start} ${span.end}`;
      const same = this.perSpan.get(key);
      if (same) same.count++;
      else this.perSpan.set(key, { span, count: 1 });
      if (this.detailed) {
        if (this.dated > TIMELINE_DETAILED_MAX) this.detailed = null;
        else this.detailed.push({ interaction, participants: participantIds, evidence });
      }
    } else {
      this.undated++;
    }

    const people = [...new Set(participantIds.filter(isPerson))].sort();
    if (people.length >= 2) {
      this.betweenPeople++;
      this.keepIfRecent({ interaction, day: span?.start ?? -Infinity, people, evidence });
    }
  }

  /** A copy: adding to this digest later does not change it. */
  state(): MeetingDigestState {
    const { recentCap, count, betweenPeople, dated, undated, span } = this;
    return {
      recentCap,
      count,
      betweenPeople,
      dated,
      undated,
      span: span && { ...span },
      kinds: new Set(this.kinds),
      perSpan: new Map([...this.perSpan].map(([key, same]) => [key, { span: { ...same.span }, count: same.count }])),
      detailed: this.detailed && [...this.detailed],
      recent: this.recentMeetings(),
    };
  }

  /** A digest that behaves as the one whose state() this was; it copies the state, so the state can be used again. */
  static fromState(state: MeetingDigestState): MeetingDigest {
    if (state.recent.length > state.recentCap) throw new Error(`MeetingDigest.fromState: ${state.recent.length} recent meetings for a window of ${state.recentCap}`);
    const digest = new MeetingDigest(state.recentCap);
    digest.count = state.count;
    digest.betweenPeople = state.betweenPeople;
    digest.dated = state.dated;
    digest.undated = state.undated;
    digest.span = state.span && { ...state.span };
    for (const kind of state.kinds) digest.kinds.add(kind);
    for (const [key, same] of state.perSpan) digest.perSpan.set(key, { span: { ...same.span }, count: same.count });
    digest.detailed = state.detailed && [...state.detailed];
    // init copies the array and makes it a heap.
    digest.window.init(state.recent);
    return digest;
  }

  /** Folds in a digest of the interactions that come after this one's: the same as adding them here, one by one. `later` is left as it was. */
  absorb(later: MeetingDigest): void {
    if (later === this) throw new Error('MeetingDigest.absorb: a digest cannot absorb itself');
    // The window of the union would need the meetings the smaller window dropped.
    if (later.recentCap !== this.recentCap) throw new Error(`MeetingDigest.absorb: windows of ${this.recentCap} and ${later.recentCap} meetings cannot be combined`);
    // Detailed while the dated meetings of both together are few enough (a digest past the limit has dropped its list).
    const bothDated = this.dated + later.dated;
    this.detailed = this.detailed && later.detailed && bothDated <= TIMELINE_DETAILED_MAX ? [...this.detailed, ...later.detailed] : null;
    this.count += later.count;
    this.betweenPeople += later.betweenPeople;
    this.dated = bothDated;
    this.undated += later.undated;
    this.span = spanOfBoth(this.span, later.span);
    // Kinds and spans first seen in `later` go last, as they would have been added.
    for (const kind of later.kinds) this.kinds.add(kind);
    for (const [key, theirs] of later.perSpan) {
      const same = this.perSpan.get(key);
      if (same) same.count += theirs.count;
      else this.perSpan.set(key, { span: theirs.span, count: theirs.count });
    }
    // The newest of all are among the newest of each; newestFirst is total, so the order they come in does not matter.
    for (const meeting of later.window.toArray()) this.keepIfRecent(meeting);
  }

  /** The most recent meetings between people, newest first: at most recentCap. */
  recentMeetings(): NetworkMeeting[] {
    return this.window.toArray().sort(newestFirst);
  }

  /**
   * The window of a digest whose state was taken without it (a chunk stores its window apart, so that
   * the main thread reads only the newest of each), newest first: each is kept while it is among the
   * recentCap newest so far; the first that is not ends it, as the rest are older still.
   */
  absorbRecent(newestFirstMeetings: Iterable<NetworkMeeting>): void {
    for (const meeting of newestFirstMeetings) if (!this.keepIfRecent(meeting)) return;
  }

  /** Keeps the meeting if it is among the recentCap newest so far (a newer one replaces the oldest kept). */
  private keepIfRecent(meeting: NetworkMeeting): boolean {
    if (this.window.size() < this.recentCap) this.window.push(meeting);
    else if (this.recentCap > 0 && newestFirst(meeting, this.window.peek()!) < 0) this.window.replace(meeting);
    else return false;
    return true;
  }
}
