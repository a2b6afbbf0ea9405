// Events: named conferences, forums, days, prizes (recorded on their ceremony
// date) and numbered meetings. `42nd UNESCO General Conference`, `Thirty-eighth
// General Conference of UNESCO`, `2024 World Digital Education Conference
// (WDEC)`, `International Conference on Engineering, Science and Technology`,
// `fourth China-Australia education joint work group meeting`, `6th meeting of
// the China- Australia Joint Working Group on Education and Research`.
// The same event printed with and without its edition (`2024 WDEC`, `WDEC`,
// `UNESCO General Conference`) is one event.
import type { Doc } from './text.js';
import { EVENT_HEADS, EVENT_HEADS_NEEDING_COMPLEMENT, FLAG, LOWERCASE_EVENT_HEADS, ORG_HEADS, REFERENCE_EVENTS, isOrdinal, isTitleHead, isYear, nameKey, type ReferenceEvent } from './lexicon.js';
import { acronymAfter, acronymFits, isNameWord, joined, readCapRun } from './phrases.js';

export interface EventMention {
  start: number;
  end: number;
  surface: string;
}

export interface FoundEvent {
  name: string;
  acronym: string | null;
  aliases: string[];
  kind: string | null;
  /** Name without edition (`UNESCO General Conference`): the identity of the series. */
  series: string;
  edition: string | null;
  mentions: EventMention[];
  /** Spans of full printed names. */
  spans: EventMention[];
}

const REFERENCE_EVENT_BY_KEY = new Map<string, ReferenceEvent>();
for (const e of REFERENCE_EVENTS) {
  for (const n of [e.name, ...e.aliases]) REFERENCE_EVENT_BY_KEY.set(nameKey(n), e);
}
const REFERENCE_EVENT_ACRONYMS = new Map(REFERENCE_EVENTS.filter((e) => e.acronym).map((e) => [e.acronym!, e]));

const EDITION = /^(?:(?:19|20)\d\d|\d+(?:st|nd|rd|th)|[A-Za-z]+(?:-[a-z]+)?)\s+/;

/** `General Conference of UNESCO` and `UNESCO General Conference` name the same series. */
function seriesKey(name: string): string {
  let n = name;
  const m = EDITION.exec(n);
  if (m && (isYear(m[0].trim()) || isOrdinal(m[0].trim()))) n = n.slice(m[0].length);
  const of = /^(.*) of ([A-Z][A-Za-z]+)$/.exec(n);
  if (of && /^[A-Z]{2,}$/.test(of[2]!)) n = `${of[2]} ${of[1]}`;
  return nameKey(n);
}

function editionOf(name: string): string | null {
  const m = EDITION.exec(name);
  return m && (isYear(m[0].trim()) || isOrdinal(m[0].trim())) ? m[0].trim() : null;
}

interface Candidate {
  start: number;
  end: number;
  kind: string | null;
  acronym: string | null;
  acronymSpan: [number, number] | null;
}

function headKind(lower: string): string | undefined {
  return EVENT_HEADS.get(lower);
}

/** Words that end the reading leftwards from a lower-case head (`the`, `of`, `their` ...). */
const LEFT_STOP_WORDS = new Set(['the', 'a', 'an', 'and', 'of', 'for', 'in', 'on', 'at', 'to', 'with', 'by', 'this', 'that', 'its', 'their', 'his', 'her']);

function findCandidates(doc: Doc): Candidate[] {
  const tokens = doc.tokens;
  const out: Candidate[] = [];
  let coveredUntil = -1;
  for (let h = 0; h < tokens.length; h++) {
    const head = tokens[h]!;
    if (head.start < coveredUntil) continue;
    if ((head.flags & FLAG.eventHead) === 0 && !LOWERCASE_EVENT_HEADS.has(head.lower)) continue;
    const kind = headKind(head.lower);
    const lowerHead = !head.cap && LOWERCASE_EVENT_HEADS.has(head.lower);
    if (!kind && !lowerHead) continue;
    if (head.upper) continue;
    // `13th Five Year Plan`: a head word followed by more name words is not the head.
    const next = tokens[h + 1];
    if (head.cap && next && joined(doc, h, h + 1) && next.cap && !next.upper) continue;
    let first = h;
    let sawProper = false;
    if (head.cap) {
      // Left: capitalised words, an ordinal or year edition, acronyms, hyphenated compounds (`China-Australia`).
      for (let k = h - 1; k >= 0 && h - k <= 8; k--) {
        const t = tokens[k]!;
        if (!joined(doc, k, k + 1) || t.sentence !== head.sentence) break;
        if (isYear(t.text) || isOrdinal(t.text)) {
          first = k;
          break;
        }
        // `Belt and Road Forum`: `and` between two capitalised words.
        if (t.lower === 'and' && k > 0 && joined(doc, k - 1, k) && isNameWord(tokens[k - 1]!) && !tokens[k - 1]!.upper && first === k + 1) {
          first = k - 1;
          k--;
          continue;
        }
        // `World Teachers’ Day`: a plural possessive is part of the name; `China's` is not.
        // `UNESCO King Sejong Literacy Prize`: a title word inside the name, never at its start.
        const titleInside = isTitleHead(t.lower) && k > 0 && joined(doc, k - 1, k) && isNameWord(tokens[k - 1]!);
        if (!isNameWord(t) || (isTitleHead(t.lower) && !titleInside) || (t.possessive && !/s[’']$/.test(t.text))) break;
        first = k;
      }
      if (first === h && head.lower === 'day') continue;
    } else {
      // `fourth China-Australia education joint work group meeting`: an edition, then up to 7 words with a proper one.
      for (let k = h - 1; k >= 0 && h - k <= 8; k--) {
        const t = tokens[k]!;
        if (!joined(doc, k, k + 1) || t.sentence !== head.sentence) break;
        if (isOrdinal(t.text)) {
          first = k;
          break;
        }
        if (t.cap) sawProper = true;
        if (LEFT_STOP_WORDS.has(t.lower)) break;
      }
      if (first === h || !isOrdinal(tokens[first]!.text)) continue;
    }
    // Right: `on Learning Cities`, `of UNESCO`, `for Girls’ and Women’s Education`, `of the China- Australia Joint Working Group ...`.
    let last = h;
    const n = tokens[h + 1];
    if (n && joined(doc, h, h + 1) && /^(?:on|of|for)$/.test(n.lower)) {
      let k = h + 2;
      if (tokens[k]?.lower === 'the' && joined(doc, k - 1, k)) k++;
      if (tokens[k] && joined(doc, k - 1, k)) {
        const end = readCapRun(doc, k, { commaLists: true, domainIn: true });
        if (end >= k) {
          last = end;
          sawProper = true;
        }
      }
    }
    if (!head.cap && !sawProper) continue;
    // `Luban Workshop`: some heads make an event only with an edition or a complement.
    if (head.cap && last === h && EVENT_HEADS_NEEDING_COMPLEMENT.has(head.lower) && !(isYear(tokens[first]!.text) || isOrdinal(tokens[first]!.text))) continue;
    if (first === h && last === h) continue;
    // Prizes, days and conferences, not an organisation's name with an event word inside (`Conference Centre`).
    const after = tokens[last + 1];
    if (after && joined(doc, last, last + 1) && after.cap && ORG_HEADS.has(after.lower)) continue;
    const end = tokens[last]!.possessive ? tokens[last]!.baseEnd : tokens[last]!.end;
    let acronym = acronymAfter(doc, last);
    const surface = doc.text.slice(tokens[first]!.start, end);
    if (acronym && !acronymFits(acronym.acronym, surface.replace(/^\S+\s+/, (w) => (isYear(w.trim()) || isOrdinal(w.trim()) ? '' : w)))) acronym = null;
    out.push({ start: tokens[first]!.start, end, kind: kind ?? 'meeting', acronym: acronym?.acronym ?? null, acronymSpan: acronym ? [acronym.start, acronym.end] : null });
    coveredUntil = acronym ? acronym.end + 1 : end;
  }
  return out;
}

/** `/^[A-Z]{2,}$/` by character codes. */
function isAsciiCapitals(s: string): boolean {
  if (s.length < 2) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 65 || c > 90) return false;
  }
  return true;
}

/** Events in the article with all their mentions (full names, acronyms, `2024 WDEC`). */
export function findEvents(doc: Doc, useReference: boolean): FoundEvent[] {
  const text = doc.text;
  const events: FoundEvent[] = [];
  const bySeries = new Map<string, FoundEvent>();
  const byAcronym = new Map<string, FoundEvent>();
  const taken: Array<[number, number]> = [];
  const overlaps = (s: number, e: number) => taken.some(([a, b]) => s < b && e > a);

  const add = (surface: string, start: number, end: number, kind: string | null, acronym: string | null, full: boolean): FoundEvent => {
    const series = seriesKey(surface);
    const ref = useReference ? (REFERENCE_EVENT_BY_KEY.get(series) ?? REFERENCE_EVENT_BY_KEY.get(nameKey(surface))) : undefined;
    const identity = ref ? nameKey(ref.name) : series;
    const edition = editionOf(surface);
    let ev = bySeries.get(identity);
    // Two different editions in one text are two events.
    if (ev && edition && ev.edition && ev.edition.toLowerCase() !== edition.toLowerCase()) ev = undefined;
    if (!ev) {
      ev = { name: surface, acronym: acronym ?? ref?.acronym ?? null, aliases: [], kind: ref?.kind ?? kind, series: identity, edition, mentions: [], spans: [] };
      events.push(ev);
      bySeries.set(identity, ev);
    } else if (edition && !ev.edition) {
      // The edition-bearing form is the most specific name (`42nd UNESCO General Conference`).
      if (!ev.aliases.includes(ev.name)) ev.aliases.push(ev.name);
      ev.name = surface;
      ev.edition = edition;
    }
    if (acronym && !ev.acronym) ev.acronym = acronym;
    if (ev.acronym) byAcronym.set(ev.acronym, ev);
    if (surface !== ev.name && !ev.aliases.includes(surface)) ev.aliases.push(surface);
    ev.mentions.push({ start, end, surface });
    if (full) ev.spans.push({ start, end, surface });
    taken.push([start, end]);
    return ev;
  };

  for (const c of findCandidates(doc)) {
    if (overlaps(c.start, c.end)) continue;
    const ev = add(text.slice(c.start, c.end), c.start, c.end, c.kind, c.acronym, true);
    if (c.acronymSpan) {
      ev.mentions.push({ start: c.acronymSpan[0], end: c.acronymSpan[1], surface: text.slice(c.acronymSpan[0], c.acronymSpan[1]) });
      taken.push(c.acronymSpan);
    }
  }
  // `International Conference`, `UNESCO Prize`: a shorter name that begins a longer event's name refers to that event.
  for (const ev of [...events]) {
    const multiWord = ev.series.includes(' ');
    // (`o.series` begins with ev's words: the prefix followed by a space, no split and join.)
    // Also `Confucius Prize` inside `UNESCO Confucius Prize for Literacy` (two words or more, same head).
    const longer = events.find((o) => o !== ev && o.series.length > ev.series.length && ((o.series.startsWith(ev.series) && o.series.charCodeAt(ev.series.length) === 32) || (multiWord && ` ${o.series} `.includes(` ${ev.series} `) && o.kind === ev.kind)));
    if (!longer || ev.edition) continue;
    longer.mentions.push(...ev.mentions);
    for (const a of [ev.name, ...ev.aliases]) if (a !== longer.name && !longer.aliases.includes(a)) longer.aliases.push(a);
    events.splice(events.indexOf(ev), 1);
  }
  // Edition-free aliases: `World Digital Education Conference` alongside `2024 World Digital ...`.
  for (const ev of events) {
    const plain = ev.edition ? ev.name.slice(ev.edition.length).trim() : null;
    if (plain && plain !== ev.name && !ev.aliases.includes(plain)) ev.aliases.push(plain);
  }
  // Acronyms used alone or with a year (`WDEC`, `2024 WDEC`, `this year’s WDEC`).
  if (useReference) for (const [a, r] of REFERENCE_EVENT_ACRONYMS) if (!byAcronym.has(a)) {
    const ev = events.find((e) => e.series === nameKey(r.name));
    if (ev) byAcronym.set(a, ev);
  }
  const tokens = doc.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    // (`upper` is implied by the acronym shape: a cheap test first.)
    if (!t.upper || !isAsciiCapitals(t.base) || overlaps(t.start, t.baseEnd)) continue;
    let ev = byAcronym.get(t.base);
    const prev = tokens[i - 1];
    const withYear = prev && isYear(prev.text) && joined(doc, i - 1, i);
    if (!ev && useReference && REFERENCE_EVENT_ACRONYMS.has(t.base)) {
      const r = REFERENCE_EVENT_ACRONYMS.get(t.base)!;
      const surface = withYear ? `${prev!.text} ${r.name}` : r.name;
      ev = { name: surface, acronym: t.base, aliases: [], kind: r.kind, series: nameKey(r.name), edition: withYear ? prev!.text : null, mentions: [], spans: [] };
      events.push(ev);
      byAcronym.set(t.base, ev);
    }
    if (!ev) continue;
    const start = withYear ? prev!.start : t.start;
    const surface = text.slice(start, t.baseEnd);
    if (surface !== ev.name && surface !== ev.acronym && !ev.aliases.includes(surface)) ev.aliases.push(surface);
    ev.mentions.push({ start, end: t.baseEnd, surface });
    taken.push([start, t.baseEnd]);
  }
  for (const e of events) e.mentions.sort((a, b) => a.start - b.start);
  return events.filter((e) => e.mentions.length > 0);
}
