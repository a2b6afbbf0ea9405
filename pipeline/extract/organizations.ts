// Organisations: capitalised phrases around a head noun (Ministry, Commission,
// Institute, University, Centre, Bureau ...), `Name (ACRONYM)` definitions,
// foreign names that put the head first (`Institut Supérieure d’Etudes
// Scientifiques`, `Centro Universitario de Participación Social`), and the
// reference list's acronyms and spellings (UNESCO and its full names).
import type { Doc } from './text.js';
import { tokenAt } from './text.js';
import { DOCUMENT_WORDS, FLAG, WordSet, FOREIGN_ORG_HEADS, NON_NAME_WORDS, ORG_HEADS, REFERENCE_ORGANIZATIONS, isOrdinal, isTitleHead, literalAlternation, nameKey, type ReferenceOrganization } from './lexicon.js';
import { acronymAfter, acronymFits, capLike, isNameWord, joined, readCapRun } from './phrases.js';
import type { PlaceMatch } from './places.js';
import { countryFromDemonym } from './places.js';

export interface OrgMention {
  start: number;
  end: number;
  surface: string;
}

export interface FoundOrganization {
  /** Canonical name (reference name, else the first full form printed). */
  name: string;
  acronym: string | null;
  aliases: string[];
  kind: string | null;
  country: string | null;
  mentions: OrgMention[];
  /** Spans of the full printed names (where places inside must not count as places). */
  spans: OrgMention[];
  /** Places inside those spans that still count as places: where an office is (`UNESCO Office in Beijing`). */
  keptPlaces: Array<{ start: number; end: number }>;
  /** Read as an institution where the event patterns read a meeting (`Forum on China-Africa Cooperation`): the organisation wins. */
  institution: boolean;
}

const REFERENCE_ORG_PATTERN = literalAlternation(REFERENCE_ORGANIZATIONS.flatMap((o) => [o.name, ...o.aliases]));
const REFERENCE_ORG_BY_KEY = new Map<string, ReferenceOrganization>();
for (const o of REFERENCE_ORGANIZATIONS) {
  for (const n of [o.name, ...o.aliases]) REFERENCE_ORG_BY_KEY.set(nameKey(n), o);
  if (o.acronym) REFERENCE_ORG_BY_KEY.set(nameKey(o.acronym), o);
}

const UNDER_AUSPICES = /^ under the auspices of [A-Z][A-Za-z]+(?= \()/;

// Head nouns with their plurals (`Ministries` aside, `Institutes`, `Centres`), built once.
const ORG_HEADS_WITH_PLURALS: ReadonlyMap<string, string> = (() => {
  const m = new Map(ORG_HEADS);
  for (const [w, k] of ORG_HEADS) if (!m.has(`${w}s`)) m.set(`${w}s`, k);
  return m;
})();

function orgHeadKind(lower: string): string | undefined {
  return ORG_HEADS_WITH_PLURALS.get(lower);
}

// `Chinese Government Scholarships`, `Ministry of Education Award`: a name continued by a
// programme word names the programme, not an organisation.
const PROGRAMME_WORDS = /^(?:scholarships?|fellowships?|grants?|awards?|prizes?|programmes?|programs?|schemes?|medals?)$/;

/**
 * Token `and` (index k) inside one name (`National Development and Reform Commission`, `UNESCO
 * Asia and Pacific Regional Bureau`, `World MOOC and Online Education Alliance`) rather than
 * between two names (`Irina Bokova and Peking University`, `UNESCO and Tsinghua University`):
 * topic words on either side, or two regions, belong to one name; a head noun, a known
 * organisation or a country on the left ends a name of its own.
 */
function andJoinsOneName(doc: Doc, k: number, placesByStart: ReadonlyMap<number, PlaceMatch>): boolean {
  const left = doc.tokens[k - 1]!;
  const right = doc.tokens[k + 1];
  if (!right || orgHeadKind(left.lower)) return false;
  if (REFERENCE_ORG_BY_KEY.has(nameKey(left.base))) return false;
  const leftPlace = placesByStart.get(left.start);
  const rightPlace = placesByStart.get(right.start);
  if (leftPlace) return leftPlace.kind !== 'country' && (rightPlace ? rightPlace.kind !== 'country' : NON_NAME_WORDS.has(right.lower));
  if (left.upper) return k >= 2 && joined(doc, k - 2, k - 1) && isNameWord(doc.tokens[k - 2]!) && NON_NAME_WORDS.has(right.lower);
  if (NON_NAME_WORDS.has(left.lower) || NON_NAME_WORDS.has(right.lower)) return true;
  // `Bill and Melinda Gates Foundation`: one word before `and`, not the end of a longer name (`Irina Bokova and ...`).
  const before = doc.tokens[k - 2];
  return !(before && joined(doc, k - 2, k - 1) && isNameWord(before));
}

const NEWS_CREDITS = new Set(['xinhua', 'reuters', 'photo', 'photos', 'file', 'cgtn', 'cctv', 'chinanews', 'ecns', 'afp', 'courtesy', 'video', 'updated']);

/**
 * `(Hanban)` right after token `last`: one capitalised word that is not an acronym (those are
 * read by acronymAfter) and not a place, a date or a common word (`(Mexico)`, `(2019)`, `(Online)`).
 */
function shortNameAfter(doc: Doc, last: number, placesByStart: ReadonlyMap<number, PlaceMatch>): { name: string; acronym: string; start: number; end: number; token: number } | null {
  const t = doc.tokens[last + 1];
  if (!t || doc.text.slice(doc.tokens[last]!.end, t.start) !== ' (' || doc.text[t.end] !== ')') return null;
  if (!/^\p{Lu}[\p{L}\p{N}]{2,}$/u.test(t.text) || t.upper || t.possessive) return null;
  // `... the Ministry of Education (Xinhua).`: a news credit, at the end of a paragraph.
  if (NEWS_CREDITS.has(t.lower) || /^\)[.\s]*(?:\n|$)/.test(doc.text.slice(t.end, t.end + 4))) return null;
  if (placesByStart.has(t.start) || NON_NAME_WORDS.has(t.lower) || countryFromDemonym(t.text) || orgHeadKind(t.lower) || isTitleHead(t.lower)) return null;
  return { name: t.text, acronym: t.text, start: t.start, end: t.end, token: last + 1 };
}

/** The capitalised run starting at token i (`Beijing Municipal Government`) contains a head noun. */
function runHasOrgHead(doc: Doc, i: number): boolean {
  for (let k = i; k < doc.tokens.length && k < i + 8; k++) {
    const t = doc.tokens[k]!;
    if (!isNameWord(t)) return false;
    if (t.cap && !t.upper && orgHeadKind(t.lower) !== undefined) return true;
    if (k + 1 < doc.tokens.length && !joined(doc, k, k + 1)) return false;
  }
  return false;
}

const ROUTE_WORDS = new Set(['route', 'routes', 'road', 'roads', 'corridor', 'corridors', 'river', 'rivers', 'railway', 'railways', 'rail', 'highway', 'canal', 'canals', 'trail', 'trails', 'pipeline', 'mountains', 'valley']);
const SENT_TO_HEADS = new Set(['delegation', 'delegations', 'mission', 'missions', 'embassy', 'consulate']);
const NEEDS_COMPLEMENT_HEADS = new Set(['delegation', 'delegations', 'mission', 'missions']);

// Offices are named with where they are (`UNESCO Office in Beijing`, `Embassy of China in Kenya`).
const LOCATED_HEADS = new Set(['office', 'bureau', 'embassy', 'consulate', 'delegation', 'mission', 'headquarters']);
// Units hosted by another organisation (`Confucius Institute at the University of Nairobi`).
const HOSTED_HEADS = new Set(['institute', 'centre', 'center', 'school', 'college', 'office', 'department', 'laboratory', 'library', 'museum', 'academy']);
const HOST_KINDS = new Set(['university', 'college', 'academy', 'institute', 'school']);

/**
 * `in <place>` after a name ending at token `last`: part of the name for offices, and for any
 * name whose acronym spells the place (`Institute for Capacity Building in Africa (IICBA)`).
 * Returns the new last token.
 */
function extendByLocation(doc: Doc, headLower: string, last: number, placesByStart: ReadonlyMap<number, PlaceMatch>): number {
  const tokens = doc.tokens;
  const n = tokens[last + 1];
  const p = tokens[last + 2];
  if (!n || !p || n.lower !== 'in' || !joined(doc, last, last + 1) || !joined(doc, last + 1, last + 2) || p.sentence !== tokens[last]!.sentence) return last;
  const place = placesByStart.get(p.start);
  if (!place) return last;
  const placeLast = tokenAt(doc, place.end) - 1;
  if (placeLast < last + 2 || tokens[placeLast]!.end !== place.end || tokens[placeLast]!.possessive) return last;
  if (LOCATED_HEADS.has(headLower)) {
    // `Regional Bureau for Education in Latin America and the Caribbean`: two regions.
    let k = placeLast + 2;
    if (tokens[k]?.lower === 'the') k++;
    const second = tokens[k] && tokens[placeLast + 1]?.lower === 'and' && joined(doc, placeLast, placeLast + 1) && joined(doc, k - 1, k) ? placesByStart.get(tokens[k]!.start) : undefined;
    if (second && place.kind !== 'country' && second.kind !== 'country') {
      const secondLast = tokenAt(doc, second.end) - 1;
      if (tokens[secondLast]!.end === second.end && !tokens[secondLast]!.possessive) return secondLast;
    }
    return placeLast;
  }
  const acronym = acronymAfter(doc, placeLast);
  if (acronym && acronym.acronym.replace(/[^A-Z]/g, '').endsWith(place.surface[0]!.toUpperCase())) return placeLast;
  return last;
}

/** `at (the) <university ...>` after a hosted unit's name: returns the new last token. */
function extendByHost(doc: Doc, headLower: string, last: number, stopAt: (i: number) => boolean): number {
  const tokens = doc.tokens;
  const n = tokens[last + 1];
  if (!n || n.lower !== 'at' || !HOSTED_HEADS.has(headLower) || !joined(doc, last, last + 1) || n.sentence !== tokens[last]!.sentence) return last;
  let k = last + 2;
  if (tokens[k]?.lower === 'the' && joined(doc, k - 1, k)) k++;
  if (!tokens[k] || !joined(doc, k - 1, k)) return last;
  const end = readCapRun(doc, k, { stopAt });
  if (end < k) return last;
  for (let i = k; i <= end; i++) {
    const t = tokens[i]!;
    if (t.cap && !t.upper && HOST_KINDS.has(orgHeadKind(t.lower) ?? '')) return end;
  }
  return last;
}

interface Candidate {
  start: number;
  end: number;
  firstToken: number;
  lastToken: number;
  kind: string | null;
  country: string | null;
  acronym: { acronym: string; start: number; end: number } | null;
  /** `Confucius Institute Headquarters (Hanban)`: a short name in parentheses that is not an acronym. */
  shortName: string | null;
  keptPlace: { start: number; end: number } | null;
}

/** Country of a place-possessive or demonym before an organisation (`China's Ministry of Education`, `Chinese National Commission`). */
function countryOfModifier(word: string, placesByStart: ReadonlyMap<number, PlaceMatch>, start: number): string | null {
  const place = placesByStart.get(start);
  if (place && place.kind === 'country') return place.country_code;
  return countryFromDemonym(word);
}

function findCandidates(doc: Doc, places: readonly PlaceMatch[]): Candidate[] {
  const tokens = doc.tokens;
  const placesByStart = new Map(places.map((p) => [p.start, p]));
  const out: Candidate[] = [];
  let coveredUntil = -1;
  for (let h = 0; h < tokens.length; h++) {
    const head = tokens[h]!;
    if (head.start < coveredUntil) continue;
    if ((head.flags & FLAG.orgHead) === 0) continue;
    const kind = orgHeadKind(head.lower);
    if (!kind || !head.cap || head.upper) continue;
    const foreign = FOREIGN_ORG_HEADS.has(head.lower);
    // `Female Students Network Trust`: the last head word of a name is its head.
    const next = tokens[h + 1];
    if (!foreign && next && joined(doc, h, h + 1) && next.cap && !next.upper && (orgHeadKind(next.lower) || DOCUMENT_WORDS.has(next.lower) || PROGRAMME_WORDS.test(next.lower))) continue;
    // `Party Secretary`, `Commission Chairman`: a head noun before a title is part of the title.
    if (next && joined(doc, h, h + 1) && isTitleHead(next.lower)) continue;
    // Left: capitalised modifiers (`Beijing Municipal`, `UNESCO International Research and Training`, `Category 1`).
    let first = h;
    let country: string | null = null;
    for (let k = h - 1; k >= 0 && h - k <= 8; k--) {
      const t = tokens[k]!;
      if (!joined(doc, k, k + 1) || t.sentence !== head.sentence || t.start < coveredUntil) break;
      if (t.possessive && placesByStart.get(t.start)?.kind === 'country') {
        country = placesByStart.get(t.start)!.country_code;
        break;
      }
      if (/^(?:\d+|I{1,3}|IV|V|VI{0,3})$/.test(t.text) && tokens[k - 1]?.cap && joined(doc, k - 1, k)) {
        first = k;
        continue;
      }
      if (t.lower === 'and' && tokens[k - 1] && tokens[k - 1]!.start >= coveredUntil && joined(doc, k - 1, k) && isNameWord(tokens[k - 1]!) && andJoinsOneName(doc, k, placesByStart)) {
        first = k - 1;
        k--;
        continue;
      }
      if (!isNameWord(t) || isTitleHead(t.lower) || FOREIGN_ORG_HEADS.has(t.lower)) break;
      first = k;
    }
    // Right: `of Education`, `for UNESCO`, `of the People’s Republic of China`; head-first foreign names continue directly.
    let last = h;
    // `Ministry of Education and Beijing Municipal Government`: after `and`, a run with its own head noun is a second name.
    const stopAt = (i: number) => (orgHeadKind(tokens[i]!.lower) !== undefined && FOREIGN_ORG_HEADS.has(tokens[i]!.lower)) || isTitleHead(tokens[i]!.lower) || (tokens[i - 1]?.lower === 'and' && runHasOrgHead(doc, i));
    for (let guard = 0; guard < 6; guard++) {
      const n = tokens[last + 1];
      if (!n || !joined(doc, last, last + 1) || n.sentence !== head.sentence) break;
      if (foreign && (capLike(n) || /^(?:de|del|della|di|da|du|des|la|le|y|et)$/.test(n.lower))) {
        const end = readCapRun(doc, capLike(n) ? last + 1 : last + 2, { foreign: true, stopAt });
        if (end > last) {
          last = end;
          continue;
        }
        break;
      }
      // `Permanent Delegation of China to UNESCO`: missions are named with where they are sent.
      if (n.lower === 'of' || n.lower === 'for' || n.lower === 'on' || (n.lower === 'to' && last > h && SENT_TO_HEADS.has(head.lower)) || (n.lower === 'with' && last > h && /^(?:friendship|cooperation)$/.test(tokens[last]!.lower))) {
        let k = last + 2;
        if (tokens[k]?.lower === 'the' && joined(doc, k - 1, k)) k++;
        if (!tokens[k] || !joined(doc, k - 1, k)) break;
        const end = readCapRun(doc, k, { stopAt });
        if (end >= k) {
          last = end;
          continue;
        }
      }
      // `University of Technology Sydney`: a place name right after the complement.
      if (capLike(n) && placesByStart.has(n.start) && last > h) {
        last = last + 1;
        continue;
      }
      break;
    }
    if (first === h && last === h) continue;
    const beforeLocation = last;
    last = extendByLocation(doc, head.lower, last, placesByStart);
    // The city of an office is also a place mention (gold annotates both).
    const keptPlace = last > beforeLocation && LOCATED_HEADS.has(head.lower) ? placesByStart.get(tokens[beforeLocation + 2]!.start) ?? null : null;
    last = extendByHost(doc, head.lower, last, stopAt);
    // A delegation is an organisation only with its complement (`Permanent Delegation of X to UNESCO`), not `Chinese Delegation`.
    if (NEEDS_COMPLEMENT_HEADS.has(head.lower) && (last === h || tokens[h + 1]!.lower !== 'of')) continue;
    // A bare `Ministry of X` with nothing capitalised is still an organisation; `The Ministry` is not.
    let end = tokens[last]!.possessive && last !== h ? tokens[last]!.baseEnd : tokens[last]!.end;
    let acronym = acronymAfter(doc, last);
    const auspices = UNDER_AUSPICES.exec(doc.text.slice(end, end + 60));
    if (!acronym && auspices) {
      const k = tokenAt(doc, end + auspices[0].length);
      const a = acronymAfter(doc, k - 1);
      if (a) {
        end += auspices[0].length;
        acronym = a;
      }
    }
    const surface = doc.text.slice(tokens[first]!.start, end);
    let shortName: string | null = null;
    // `UNESCO International Institute for ... (IICBA)`: the acronym may leave out a leading `UNESCO`.
    if (acronym && !acronymFits(acronym.acronym, surface) && !(tokens[first]!.upper && first < h && acronymFits(acronym.acronym, doc.text.slice(tokens[first + 1]!.start, end)))) acronym = null;
    if (!acronym && end === tokens[last]!.end) {
      const short = shortNameAfter(doc, last, placesByStart);
      if (short) {
        shortName = short.name;
        acronym = short;
      }
    }
    if (!country) {
      const t = tokens[first]!;
      country = countryOfModifier(t.base, placesByStart, t.start);
    }
    // `Silk Roads: Routes Network of Chang'an-Tianshan Corridor` is a heritage site's listing, not a network of institutions.
    if (head.lower === 'network' && tokens.slice(first, last + 1).some((t) => ROUTE_WORDS.has(t.lower))) continue;
    // `Confucius Institute Headquarters (Hanban)` is an organisation; `UNESCO Headquarters` is UNESCO's seat.
    if (head.lower === 'headquarters' && !acronym && !(h > first && orgHeadKind(tokens[h - 1]!.lower))) continue;
    out.push({ start: tokens[first]!.start, end, firstToken: first, lastToken: last, kind, country, acronym: shortName ? null : acronym, shortName, keptPlace: keptPlace ? { start: keptPlace.start, end: keptPlace.end } : null });
    coveredUntil = acronym ? acronym.end + 1 : end;
  }
  return out;
}

/**
 * `Global Innovation Hub` in a headline and `UNESCO-Tsinghua Global Innovation Hub for Higher
 * Education` in the body are one organisation: a shorter name inside a longer one that keeps the
 * longer one's head. (`Ministry of Education` inside `Department ... of the Ministry of Education`
 * does not keep the head `Department`, so it stays separate.)
 */
function mergeShortForms(all: FoundOrganization[]): void {
  const words = (n: string) => n.split(/\s+/);
  // What the test reads of each name, made once per organisation (names do not change here).
  const shapes = new Map<FoundOrganization, { padded: string; head: string | undefined }>();
  const shapeOf = (o: FoundOrganization) => {
    let shape = shapes.get(o);
    if (!shape) {
      shape = { padded: ` ${o.name} `, head: words(o.name).find((w) => orgHeadKind(w.toLowerCase()) !== undefined) };
      shapes.set(o, shape);
    }
    return shape;
  };
  for (const short of [...all]) {
    // (The words only when some longer name holds this one: most names are in no other.)
    let sw: string[] | undefined;
    const shortPadded = shapeOf(short).padded;
    const longer = all.find((o) => {
      if (o === short || o.name.length <= short.name.length) return false;
      const shape = shapeOf(o);
      if (!shape.padded.includes(shortPadded)) return false;
      const head = shape.head;
      return head !== undefined && (sw ??= words(short.name)).includes(head) && (!short.acronym || !o.acronym || short.acronym === o.acronym);
    });
    if (!longer) continue;
    longer.mentions.push(...short.mentions);
    for (const a of [short.name, ...short.aliases]) if (a !== longer.name && !longer.aliases.includes(a)) longer.aliases.push(a);
    longer.acronym ??= short.acronym;
    all.splice(all.indexOf(short), 1);
  }
}

/**
 * `X Educational, Scientific and Cultural Organization`: walking back from a head noun over
 * `Word and Word`, then `, Word` segments, then up to four capitalised words.
 */
function commaListCandidates(doc: Doc): Array<{ start: number; end: number; kind: string | null }> {
  const tokens = doc.tokens;
  const out: Array<{ start: number; end: number; kind: string | null }> = [];
  for (let h = 3; h < tokens.length; h++) {
    const head = tokens[h]!;
    if ((head.flags & FLAG.orgHead) === 0) continue;
    if (!isNameWord(tokens[h - 1]!) || tokens[h - 2]!.lower !== 'and' || !joined(doc, h - 1, h) || !joined(doc, h - 2, h - 1)) continue;
    let k = h - 3;
    const gapBeforeAnd = doc.text.slice(tokens[k]!.end, tokens[h - 2]!.start);
    if (gapBeforeAnd !== ' ' && gapBeforeAnd !== ', ') continue;
    if (!isNameWord(tokens[k]!)) continue;
    let segments = 0;
    while (k > 0 && doc.text.slice(tokens[k - 1]!.end, tokens[k]!.start) === ', ' && isNameWord(tokens[k - 1]!)) {
      k--;
      segments++;
    }
    if (segments === 0) continue;
    let first = k;
    while (first > 0 && k - first < 4 && joined(doc, first - 1, first) && isNameWord(tokens[first - 1]!) && !isTitleHead(tokens[first - 1]!.lower)) first--;
    out.push({ start: tokens[first]!.start, end: head.end, kind: orgHeadKind(head.lower) ?? null });
  }
  return out;
}

// `municipal government`, `provincial department of education`, `city education bureau`: local
// government bodies as news stories print them, in lower case.
const LOWERCASE_GOVERNMENT = /(?:municipal|provincial|city|county|district|prefectural|regional) (?:(people['’]s government|government)|(?:education|health|culture|science and technology) (?:commission|department|bureau)|(?:department|bureau|commission) of (?:education|science and technology|foreign affairs|culture))(?![\p{L}\p{N}])/uy;

/**
 * Lower-case local government bodies named by their place, before (`the Sichuan provincial
 * government`) or after (`the municipal government of Tianjin`); without a place (`the provincial
 * government`) the phrase is a description, not a name.
 */
function lowercaseGovernmentCandidates(doc: Doc, places: readonly PlaceMatch[]): Array<{ start: number; end: number; kind: string }> {
  const tokens = doc.tokens;
  const text = doc.text;
  const out: Array<{ start: number; end: number; kind: string }> = [];
  let placesByStart: Map<number, PlaceMatch> | null = null;
  let placesByEnd: Map<number, PlaceMatch> | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.cap || !LOWERCASE_LEVEL_WORDS.has(t.text)) continue;
    LOWERCASE_GOVERNMENT.lastIndex = t.start;
    const m = LOWERCASE_GOVERNMENT.exec(text);
    if (!m) continue;
    placesByStart ??= new Map(places.map((p) => [p.start, p]));
    placesByEnd ??= new Map(places.map((p) => [p.end, p]));
    let start = -1;
    let end = t.start + m[0].length;
    const before = tokens[i - 1];
    if (before && joined(doc, i - 1, i) && !before.possessive && before.sentence === t.sentence) {
      const place = placesByEnd.get(before.end);
      if (place) start = place.start;
      // `Jining municipal government`: a capitalised name that is not a common or national word names the place too.
      else if (isNameWord(before) && !before.upper && !NON_NAME_WORDS.has(before.lower) && !countryFromDemonym(before.text) && !isTitleHead(before.lower) && !orgHeadKind(before.lower) && before.start > doc.sentences[t.sentence]!.start) start = before.start;
    }
    const of = /^ of (?:the )?/.exec(text.slice(end, end + 9));
    const placeAfter = of ? placesByStart.get(end + of[0].length) : undefined;
    if (placeAfter && !placeAfter.surface.endsWith('’s') && !placeAfter.surface.endsWith("'s")) end = placeAfter.end;
    else if (start < 0) continue;
    out.push({ start: start >= 0 ? start : t.start, end, kind: m[1] ? 'government' : 'government department' });
  }
  return out;
}

/**
 * `Forum on China-Africa Cooperation (FOCAC)`: a `Forum on … Cooperation` without an edition is
 * the standing cooperation mechanism (an institution), not one meeting of it (`2018 Forum on …`).
 */
function cooperationForumCandidates(doc: Doc): Array<{ start: number; end: number; kind: string; acronym: string | null }> {
  const tokens = doc.tokens;
  const out: Array<{ start: number; end: number; kind: string; acronym: string | null }> = [];
  for (let h = 0; h + 2 < tokens.length; h++) {
    const t = tokens[h]!;
    if (t.text !== 'Forum' || tokens[h + 1]!.lower !== 'on' || !joined(doc, h, h + 1) || !joined(doc, h + 1, h + 2)) continue;
    const prev = tokens[h - 1];
    if (prev && joined(doc, h - 1, h) && (isNameWord(prev) || /^\d/.test(prev.text) || isOrdinal(prev.text))) continue;
    const last = readCapRun(doc, h + 2);
    if (last < h + 2 || tokens[last]!.lower !== 'cooperation') continue;
    const a = acronymAfter(doc, last);
    out.push({ start: t.start, end: tokens[last]!.end, kind: 'intergovernmental organization', acronym: a && acronymFits(a.acronym, doc.text.slice(t.start, tokens[last]!.end)) ? a.acronym : null });
    h = last;
  }
  return out;
}

const LOWERCASE_LEVEL_WORDS = new WordSet(['municipal', 'provincial', 'city', 'county', 'district', 'prefectural', 'regional']);

/** Organisations in the article, with every mention (full name, acronym, reference spelling). */
export function findOrganizations(doc: Doc, places: readonly PlaceMatch[], useReference: boolean): FoundOrganization[] {
  const text = doc.text;
  const byKey = new Map<string, FoundOrganization>();
  const all: FoundOrganization[] = [];
  const taken: Array<[number, number]> = [];
  const overlaps = (s: number, e: number) => taken.some(([a, b]) => s < b && e > a);

  const add = (name: string, init: Omit<FoundOrganization, 'name' | 'mentions' | 'aliases' | 'spans' | 'keptPlaces' | 'institution'>, mention: OrgMention, full: boolean): FoundOrganization => {
    const ref = useReference ? (REFERENCE_ORG_BY_KEY.get(nameKey(mention.surface)) ?? REFERENCE_ORG_BY_KEY.get(nameKey(name))) : undefined;
    const canonical = ref?.name ?? name;
    const key = nameKey(canonical);
    let org = byKey.get(key) ?? (init.acronym ? byKey.get(nameKey(init.acronym)) : undefined);
    if (!org) {
      org = { name: canonical, acronym: ref?.acronym ?? init.acronym, aliases: [], kind: ref?.kind ?? init.kind, country: ref?.country ?? init.country, mentions: [], spans: [], keptPlaces: [], institution: false };
      all.push(org);
      byKey.set(key, org);
    }
    if (!org.acronym && init.acronym) org.acronym = init.acronym;
    if (!org.country && init.country) org.country = init.country;
    if (org.acronym) byKey.set(nameKey(org.acronym), org);
    for (const a of ref ? [ref.name, ...ref.aliases] : []) if (a !== org.name && !org.aliases.includes(a)) org.aliases.push(a);
    if (mention.surface !== org.name && mention.surface !== org.acronym && !org.aliases.includes(mention.surface)) org.aliases.push(mention.surface);
    byKey.set(nameKey(mention.surface), org);
    org.mentions.push(mention);
    if (full) org.spans.push(mention);
    taken.push([mention.start, mention.end]);
    return org;
  };

  // Proposals from the reference spellings (they include names with commas: `United Nations
  // Educational, Scientific and Cultural Organization`) and from the head-noun patterns; the
  // longer of two overlapping proposals wins (`UNESCO Mutisectoral Regional Office` over `UNESCO`).
  interface Proposal { start: number; end: number; acronym: string | null; kind: string | null; country: string | null; ref: boolean; shortName?: string | null; keptPlace?: { start: number; end: number } | null; institution?: boolean }
  const proposals: Proposal[] = [];
  if (useReference) {
    REFERENCE_ORG_PATTERN.lastIndex = 0;
    for (let m = REFERENCE_ORG_PATTERN.exec(text); m; m = REFERENCE_ORG_PATTERN.exec(text)) {
      const ref = REFERENCE_ORG_BY_KEY.get(nameKey(m[0]))!;
      proposals.push({ start: m.index, end: m.index + m[0].length, acronym: ref.acronym, kind: ref.kind, country: ref.country, ref: true });
    }
  } else {
    // Without the reference list, UNESCO's full name is still recognised by its shape.
    const unesco = /\b(?:United Nations|UN) Educational, Scientific,? and Cultural Organi[sz]ation\b/g;
    for (let m = unesco.exec(text); m; m = unesco.exec(text)) proposals.push({ start: m.index, end: m.index + m[0].length, acronym: null, kind: 'intergovernmental organization', country: null, ref: false });
  }
  // `the Sichuan provincial government`, `Forum on China-Africa Cooperation`: names without the usual capitalised head.
  for (const c of lowercaseGovernmentCandidates(doc, places)) proposals.push({ ...c, acronym: null, country: null, ref: false });
  for (const c of cooperationForumCandidates(doc)) proposals.push({ ...c, country: null, ref: false, institution: true });
  // `Islamic World Educational, Scientific and Cultural Organization`: a comma list of adjectives before the head.
  for (const c of commaListCandidates(doc)) proposals.push({ ...c, acronym: null, country: null, ref: false });
  for (const c of findCandidates(doc, places)) proposals.push({ start: c.start, end: c.end, acronym: c.acronym?.acronym ?? null, kind: c.kind, country: c.country, ref: false, shortName: c.shortName, keptPlace: c.keptPlace });
  proposals.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const accepted: Proposal[] = [];
  const shortNames = new Map<string, FoundOrganization>();
  for (const p of proposals) if (!accepted.some((q) => p.start < q.end && p.end > q.start)) accepted.push(p);
  accepted.sort((a, b) => a.start - b.start);
  for (const p of accepted) {
    const surface = text.slice(p.start, p.end);
    const org = add(surface, { acronym: p.acronym, kind: p.kind, country: p.country }, { start: p.start, end: p.end, surface }, true);
    if (p.acronym) byKey.set(nameKey(p.acronym), org);
    if (p.keptPlace) org.keptPlaces.push(p.keptPlace);
    if (p.institution) org.institution = true;
    if (p.shortName) {
      if (!org.aliases.includes(p.shortName)) org.aliases.push(p.shortName);
      shortNames.set(p.shortName, org);
    }
  }

  // `Name (ACR)` after a reference/UNESCO name: `... Cultural Organization (UNESCO)` defines the acronym.
  const defined = /(?<![\p{L}\p{N}])\(([A-Z][A-Za-z0-9&-]*[A-Z0-9])\)/gu;
  for (let m = defined.exec(text); m; m = defined.exec(text)) {
    const before = all.find((o) => o.spans.some((s) => s.end === m!.index - 1));
    if (before && !before.acronym && acronymFits(m[1]!, before.name)) {
      before.acronym = m[1]!;
      byKey.set(nameKey(m[1]!), before);
    }
  }

  // Acronyms and known short forms anywhere else (`IISTEM`, `UNESCO’s`, `SUSTech`).
  const acronyms = new Map<string, FoundOrganization>();
  for (const o of all) if (o.acronym) acronyms.set(o.acronym, o);
  for (const [n, o] of shortNames) if (!acronyms.has(n)) acronyms.set(n, o);
  if (useReference) for (const r of REFERENCE_ORGANIZATIONS) if (r.acronym && !acronyms.has(r.acronym)) acronyms.set(r.acronym, undefined as unknown as FoundOrganization);
  // (The loop only adds values to keys already present: the prefiltered key set stays exact.)
  const acronymKeys = new WordSet(acronyms.keys(), acronyms);
  for (const t of doc.tokens) {
    if (!acronymKeys.has(t.base) || overlaps(t.start, t.baseEnd)) continue;
    let org = acronyms.get(t.base);
    if (!org) {
      const ref = REFERENCE_ORG_BY_KEY.get(nameKey(t.base))!;
      org = add(ref.name, { acronym: ref.acronym, kind: ref.kind, country: ref.country }, { start: t.start, end: t.baseEnd, surface: t.base }, false);
      acronyms.set(t.base, org);
      continue;
    }
    org.mentions.push({ start: t.start, end: t.baseEnd, surface: t.base });
    taken.push([t.start, t.baseEnd]);
  }
  mergeShortForms(all);
  for (const o of all) o.mentions.sort((a, b) => a.start - b.start);
  return all.filter((o) => o.mentions.length > 0);
}

