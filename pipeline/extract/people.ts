// People and their roles. A run of capitalised name words is a person when
// something in the genre says so: a title before it (`Minister of Education
// Huai Jinpeng`, `the UNESCO Director-General, Irina Bokova`), an honorific
// (`Excellency Ms Liu Yandong`), a title apposition after it (`Stefania
// Giannini, assistant director-general for Education at UNESCO`), a Chinese
// name shape (pinyin surname + given name, `TANG Qian`), a meeting or speech
// verb next to it, or the reference list. Later references by surname, given
// name or title alone are resolved in ./coref.ts.
import type { Doc, Token } from './text.js';
import { forEachTokenIn, spaced, tokenAt } from './text.js';
import {
  FLAG, HONORIFICS, NON_NAME_WORDS, PERSON_HONORIFICS, REFERENCE_PEOPLE_BY_KEY, TITLE_HEAD_PAIR_FIRST_WORDS, TITLE_HEAD_PAIRS, TITLE_MODIFIERS,
  isChineseSurname, isPinyinGivenName, isTitleHead, nameKey, type ReferencePerson,
} from './lexicon.js';
import { CAPITALISED_FUNCTION_WORDS, capLike, extendCommaList, joined } from './phrases.js';
import { countryFromDemonym } from './places.js';

export interface PersonMention {
  start: number;
  end: number;
  surface: string;
}

export interface TitleSpan {
  start: number;
  end: number;
  text: string;
  /** The title has a recognised head word (false: published as stated, with a warning). */
  known: boolean;
}

export interface FoundPerson {
  name: string;
  aliases: string[];
  country: string | null;
  mentions: PersonMention[];
  roles: TitleSpan[];
  /** A reference entry matched this person. */
  reference: ReferencePerson | null;
}

/** A person's name with the context that made it one (kept for interactions: the name's noun phrase). */
export interface NameOccurrence {
  person: FoundPerson;
  start: number;
  end: number;
  /** Start of the noun phrase (title before or honorific), end of its apposition. */
  npStart: number;
  npEnd: number;
  tokenStart: number;
  tokenEnd: number;
}

const PARTICLES = new Set(['de', 'van', 'von', 'der', 'den', 'da', 'di', 'del', 'della', 'dos', 'das', 'bin', 'binti', 'ibn', 'al', 'el', 'la', 'le', 'ter', 'y']);
const PERSON_NOUNS = /^(?:his|her|their|its|the)?\s*(?:\p{L}+\s+){0,2}(?:counterpart|colleague|wife|husband|spouse|predecessor|successor|son|daughter|father|mother|host|guest)\b/iu;
const SPEECH_OR_MEETING_AFTER = /^\s+(?:also\s+|then\s+|jointly\s+|later\s+)?(?:said|says|told|added|noted|stressed|stated|explained|pointed|emphasi[sz]ed|underlined|hoped|hopes|thanked|met|meets|held|holds|received|receives|visited|visits|urged|called|expressed|praised|welcomed|declared|announced|spoke|delivered|signed|presided|co-chaired|attended|introduced|had|led|leads|travelled|traveled)\b/;
// (Not `visited X Y` or `by X Y`: what follows is far more often a place or an organisation.)
const SPEECH_OR_MEETING_BEFORE = /(?:\b(?:met|meet|meets|received|receives|receive|greeted|thanked|congratulated|hosted|said|says|declared|added)(?: with)?|\b(?:talks|meetings?|talked|spoke|conversation|call)\s+with|\baccording to)\s$/i;

const CONNECTORS = new Set(['of', 'for', 'at', 'to', 'on', 'and', 'in']);
const isConnector = (t: Token) => CONNECTORS.has(t.lower);

const demonymCache = new Map<string, boolean>();
/** `Chinese`, `Australian`: adjectives of countries (memoised; the lookup normalises its argument). */
function isDemonym(lower: string): boolean {
  let d = demonymCache.get(lower);
  if (d === undefined) {
    if (demonymCache.size > 20_000) demonymCache.clear();
    d = countryFromDemonym(lower) !== null;
    demonymCache.set(lower, d);
  }
  return d;
}

// The memo of the article being read (a WeakMap lookup per call cost more than the test it saves),
// in one array kept from article to article (a typed array over 64 bytes is costly to allocate).
let nameTokenDoc: Doc | null = null;
let nameTokenCache = new Int8Array(4096);

/** A word that can be part of a person's name (memoised per article: every pass asks). */
function isNameToken(doc: Doc, i: number): boolean {
  // (Outside the article's tokens: false, as a read past the end of a memo of its own length gave.)
  if (i < 0 || i >= doc.tokens.length) return false;
  if (doc !== nameTokenDoc) {
    nameTokenDoc = doc;
    if (nameTokenCache.length < doc.tokens.length) nameTokenCache = new Int8Array(doc.tokens.length);
    else nameTokenCache.fill(0, 0, doc.tokens.length);
  }
  const cache = nameTokenCache;
  const c = cache[i]!;
  if (c !== 0) return c > 0;
  const result = computeIsNameToken(doc, i);
  cache[i] = result ? 1 : -1;
  return result;
}

function computeIsNameToken(doc: Doc, i: number): boolean {
  const t = doc.tokens[i]!;
  if (!t.cap || hasDigit(t.text)) return false;
  const lower = t.lower;
  if (t.upper) {
    // `TANG Qian`: an upper-case surname before a capitalised given name.
    const n = doc.tokens[i + 1];
    const p = doc.tokens[i - 1];
    const beforeGiven = !!n && n.cap && !n.upper && joined(doc, i, i + 1) && isChineseSurname(t.base);
    const afterSurname = !!p && p.cap && !p.upper && joined(doc, i - 1, i) && isChineseSurname(p.base);
    return beforeGiven || (afterSurname && isPinyinGivenName(t.base));
  }
  if ((t.flags & (FLAG.nonName | FLAG.honorific | FLAG.titleHead | FLAG.titleModifier | FLAG.orgHead | FLAG.eventHead)) !== 0) return false;
  if (CAPITALISED_FUNCTION_WORDS.has(lower)) return false;
  if (isDemonym(t.lower) || /^(?:sino|afro|euro)-/.test(lower)) return false;
  if (t.base.includes('-') && /^\p{Lu}[\p{Ll}\p{M}]*-(?:style|based|led|level|related|funded|made)$/u.test(t.base)) return false;
  return true;
}

function hasDigit(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/** Title-case for an upper-case surname (`TANG` → `Tang`). */
function normaliseCase(word: string): string {
  return word === word.toUpperCase() && word.length > 1 ? word[0] + word.slice(1).toLowerCase() : word;
}

/** Words of a name separated by single spaces (`split(' ').length` without the array). */
function wordCount(printed: string): number {
  let n = 1;
  for (let at = printed.indexOf(' '); at >= 0; at = printed.indexOf(' ', at + 1)) n++;
  return n;
}

/** normaliseCase on every space-separated word; a name whose longer words all hold a lower-case ASCII letter is unchanged. */
function normaliseNameCase(printed: string): string {
  let wordStart = 0;
  let lowerSeen = false;
  for (let i = 0; i <= printed.length; i++) {
    const c = i < printed.length ? printed.charCodeAt(i) : 32;
    if (c === 32) {
      if (i - wordStart > 1 && !lowerSeen) return printed.split(' ').map(normaliseCase).join(' ');
      wordStart = i + 1;
      lowerSeen = false;
    } else if (c >= 97 && c <= 122) lowerSeen = true;
  }
  return printed;
}

interface Run {
  first: number;
  last: number;
}

/** Maximal runs of name words joined by single spaces (particles allowed inside). */
function nameRuns(doc: Doc, blocked: (i: number) => boolean): Run[] {
  const runs: Run[] = [];
  const tokens = doc.tokens;
  let i = 0;
  while (i < tokens.length) {
    if (blocked(i) || !isNameToken(doc, i)) {
      i++;
      continue;
    }
    let last = i;
    while (!tokens[last]!.possessive) {
      const n = last + 1;
      // `Salim M. AlMalik`: a middle initial keeps the name together.
      // (Tested only when no single space joins them; one capital letter is one or two code units.)
      if (!tokens[n] || !(spaced(doc, last, n) || (tokens[last]!.text.length <= 2 && /^\p{Lu}$/u.test(tokens[last]!.text) && doc.text.slice(tokens[last]!.end, tokens[n]!.start) === '. ')) || blocked(n)) break;
      if (isNameToken(doc, n)) {
        last = n;
        continue;
      }
      if (PARTICLES.has(tokens[n]!.text) && tokens[n + 1] && joined(doc, n, n + 1) && isNameToken(doc, n + 1)) {
        last = n + 1;
        continue;
      }
      break;
    }
    // `Huai Jinpeng Leads Delegation` (a title-case headline): a Chinese name is two words.
    const t0 = tokens[i]!;
    const t1 = tokens[i + 1];
    if (last > i + 1 && t1 && isChineseSurname(t0.base) && isPinyinGivenName(t1.base) && !t1.upper) last = i + 1;
    runs.push({ first: i, last });
    i = last + 1;
  }
  return runs;
}

/** Honorifics right before token i (`Excellency Ms`, `Honourable Mr`, `Professor`): index of the first, or i. */
function honorificsBefore(doc: Doc, i: number): { first: number; person: boolean } {
  let k = i;
  let person = false;
  while (k > 0) {
    const t = doc.tokens[k - 1]!;
    const gap = doc.text.slice(t.end, doc.tokens[k]!.start);
    if (gap !== ' ' && gap !== '. ') break;
    const lower = withoutFinalDot(t.lower);
    // `His Excellency Mr ...`: the possessive belongs to the honorific.
    const excellency = (lower === 'his' || lower === 'her') && doc.tokens[k]!.lower === 'excellency';
    if (PERSON_HONORIFICS.has(lower) || HONORIFICS.has(lower) || excellency) {
      if (PERSON_HONORIFICS.has(lower)) person = true;
      k--;
      continue;
    }
    break;
  }
  return { first: k, person };
}

/** `prof.` → `prof` (what `.replace(/\.$/, '')` does, without a regex). */
function withoutFinalDot(word: string): string {
  return word.endsWith('.') ? word.slice(0, -1) : word;
}

function zoneWord(t: Token): boolean {
  return capLike(t) || isConnector(t) || t.lower === 'the' || isTitleHead(t.lower) || TITLE_MODIFIERS.has(t.lower) || t.lower === 'vice' || t.lower === 'vice-';
}

function hasTitleHead(doc: Doc, first: number, last: number): boolean {
  for (let k = first; k <= last; k++) {
    const t = doc.tokens[k]!;
    if (isTitleHead(t.lower)) return true;
    const n = doc.tokens[k + 1];
    if (n && k + 1 <= last && TITLE_HEAD_PAIR_FIRST_WORDS.has(t.lower) && TITLE_HEAD_PAIRS.has(`${t.lower} ${n.lower}`)) return true;
  }
  return false;
}

/**
 * The title printed right before a name: `Minister of Education` Huai Jinpeng,
 * `Shanghai Mayor` Gong Zheng, `the UNESCO Director-General,` Irina Bokova.
 */
function titleBefore(doc: Doc, nameStart: number, inName: (i: number) => boolean, claimed: (s: number, e: number) => boolean, endsName: (offset: number) => boolean): TitleSpan | null {
  const tokens = doc.tokens;
  const j = nameStart - 1;
  if (j < 0) return null;
  const gap = doc.text.slice(tokens[j]!.end, tokens[nameStart]!.start);
  const comma = gap === ', ';
  if (gap !== ' ' && !comma) return null;
  let k = j;
  let sawThe = false;
  for (; k >= 0 && j - k < 14; k--) {
    const t = tokens[k]!;
    if (t.sentence !== tokens[nameStart]!.sentence || inName(k)) break;
    if (k < j) {
      const g = doc.text.slice(t.end, tokens[k + 1]!.start);
      if (g !== ' ' && g !== '- ') break;
    }
    if (t.lower === 'the') {
      const before = tokens[k - 1];
      if (before && isConnector(before) && before.lower !== 'and' && doc.text.slice(before.end, t.start) === ' ') continue;
      sawThe = true;
      break;
    }
    if (!zoneWord(t)) break;
    if (t.cap && CAPITALISED_FUNCTION_WORDS.has(t.lower) && !isTitleHead(t.lower) && !TITLE_MODIFIERS.has(t.lower)) break;
    if (t.possessive && k < j) {
      // `UNESCO’s Director-General`: the possessive opens the title.
      k--;
      break;
    }
  }
  let first = k + 1;
  // `Meets Vice Premier` (a title-case headline): a leading verb is not part of the title.
  const leading = (t: Token) => isConnector(t) || t.lower === 'the' || (NON_NAME_WORDS.has(t.lower) && !TITLE_MODIFIERS.has(t.lower) && !isTitleHead(t.lower) && t.lower.endsWith('s'));
  while (first <= j && leading(tokens[first]!)) first++;
  if (first > j || isConnector(tokens[j]!)) return null;
  if (!hasTitleHead(doc, first, j)) return null;
  if (comma) {
    const startsClause = first === doc.sentenceFirstToken[tokens[first]!.sentence] || tokens[first]!.possessive || sawThe;
    if (!startsClause) return null;
    // `the Beijing Municipal Party Secretary, Mr Guo Jinlong`, `the President of the Chinese Academy of Engineering, Mr Zhou Ji`;
    // not `the education ministers of Sri Lanka, Cape Verde`.
    const lastWord = tokens[j]!;
    const endsWithHead = isTitleHead(lastWord.lower) && !(/s$/.test(lastWord.lower) && isTitleHead(lastWord.lower.slice(0, -1)));
    // `the Finnish Minister of Education, Li Andersson`: a singular title ending in its portfolio.
    const plural = tokens.slice(first, j + 1).some((t) => t.lower.endsWith('s') && isTitleHead(t.lower) && isTitleHead(t.lower.slice(0, -1)));
    const endsWithPortfolio = (lastWord.flags & FLAG.nonName) !== 0 && !plural;
    if (!endsWithHead && !endsName(lastWord.end) && !endsWithPortfolio) return null;
  }
  const start = tokens[first]!.start;
  const end = tokens[j]!.end;
  if (claimed(start, end)) return null;
  return { start, end, text: doc.text.slice(start, end), known: true };
}

const APPOSITION_OPEN = /^(?:,\s+|\s+[—–]\s+|\s+--\s+)(?:(?:the|his|her|its|their)\s+)?/;
const APPOSITION_STOP = /^(?:\s*[,;:.()\[\]!?“”"]|\s+[—–]|\s+--|\s+(?:from|who|which|whose|with|to be|where|when|said|told|during)\b)/;

/**
 * The apposition after a name: `, assistant director-general for Education at UNESCO`,
 * `, the French Minister of Higher Education and Research`, ` — deputy director of the project team —`.
 */
function appositionAfter(doc: Doc, last: number, atomic: (offset: number) => number): (TitleSpan & { personNoun: boolean }) | null {
  const tokens = doc.tokens;
  const t = tokens[last]!;
  if (t.possessive) return null;
  // Cheap check first: an apposition opens with a comma or a dash.
  const c0 = doc.text.charCodeAt(t.end);
  if (c0 !== 44 && !(c0 === 32 && /[—–-]/.test(doc.text[t.end + 1] ?? ''))) return null;
  const rest = doc.text.slice(t.end, Math.min(doc.text.length, t.end + 200));
  const open = APPOSITION_OPEN.exec(rest);
  if (!open) return null;
  let pos = t.end + open[0].length;
  const startTok = Math.max(last + 1, tokenAt(doc, pos));
  if (startTok >= tokens.length) return null;
  const sentence = t.sentence;
  const firstTok = tokens[startTok]!;
  if (firstTok.sentence !== sentence) return null;
  if (PERSON_NOUNS.test(doc.text.slice(t.end + (/^,\s+/.exec(rest)?.[0].length ?? 0), t.end + 80))) {
    return { start: pos, end: pos, text: '', known: false, personNoun: true };
  }
  // Scan to the end of the apposition; organisation/event/place names are atomic (commas inside them do not end it).
  let k = startTok;
  let lastTok = startTok;
  while (k < tokens.length && tokens[k]!.sentence === sentence && k - startTok < 30) {
    const x = tokens[k]!;
    const skipTo = atomic(x.start);
    if (skipTo > x.start) {
      while (k + 1 < tokens.length && tokens[k + 1]!.start < skipTo) k++;
      lastTok = k;
    } else lastTok = k;
    const after = doc.text.slice(tokens[lastTok]!.end, tokens[lastTok]!.end + 12);
    if (APPOSITION_STOP.test(after) || tokens[k + 1]?.sentence !== sentence) break;
    // ` and Ms ...` / ` and Robert ...`: a second person, not part of the title.
    if (/^\s+and\s+/.test(after)) {
      const n = tokens[lastTok + 2];
      if (!n || HONORIFICS.has(n.lower) || PERSON_HONORIFICS.has(n.lower)) break;
    }
    k = lastTok + 1;
  }
  lastTok = extendCommaList(doc, lastTok);
  if (lastTok < startTok) return null;
  const end = tokens[lastTok]!.end;
  const n = lastTok - startTok + 1;
  if (n > 25) return null;
  const head = hasTitleHead(doc, startTok, Math.min(lastTok, startTok + 6));
  const opener = tokens[startTok]!;
  const plausible = capLike(opener) || isTitleHead(opener.lower) || TITLE_MODIFIERS.has(opener.lower);
  if (!plausible) return null;
  pos = opener.start;
  const text = doc.text.slice(pos, end);
  // Without a known title word, only `Keeper of the Archives`-like phrases are titles (not `Chen Jining, Stefania Giannini and ...`).
  if (!head && !/\s(?:of|at|for|to)\s/.test(text)) return null;
  return { start: pos, end, text, known: head, personNoun: false };
}

/** Per-token flags of findPeople, kept from one article to the next (see nameTokenCache). */
let blockedScratch = new Uint8Array(4096);

export interface PeopleResult {
  people: FoundPerson[];
  occurrences: NameOccurrence[];
  /** Unrecognised titles (published as stated): for warnings. */
  unknownTitles: TitleSpan[];
}

/**
 * Finds people by their full (or surname + title) names.
 * `blockedSpans`: organisation, event and place names (not people).
 */
export function findPeople(
  doc: Doc,
  blocked: ReadonlyArray<{ start: number; end: number }>,
  placeSpans: ReadonlyArray<{ start: number; end: number }>,
  atomicSpans: ReadonlyArray<{ start: number; end: number }>,
  useReference: boolean,
): PeopleResult {
  const tokens = doc.tokens;
  // Per-token lookups, from the tokens of each span (found by binary search: spans are few, tokens many).
  if (blockedScratch.length < tokens.length) blockedScratch = new Uint8Array(tokens.length);
  const blockedFlags = blockedScratch.fill(0, 0, tokens.length);
  const block = (i: number) => {
    blockedFlags[i] = 1;
  };
  for (const span of blocked) forEachTokenIn(doc, span, block);
  const inBlocked = (i: number) => blockedFlags[i] === 1;
  const atomicSorted = [...atomicSpans].sort((a, b) => a.start - b.start);
  // A token start inside several spans skips to the end of the first of them in start order.
  const atomicEnd = new Map<number, number>();
  for (const span of atomicSorted) {
    forEachTokenIn(doc, span, (i) => {
      if (!atomicEnd.has(tokens[i]!.start)) atomicEnd.set(tokens[i]!.start, span.end);
    });
  }
  const atomic = (offset: number) => atomicEnd.get(offset) ?? offset;
  const isPlaceRun = (start: number, end: number) => placeSpans.some((p) => p.start <= start && p.end >= end);
  const endsName = (offset: number) => atomicSorted.some((s) => s.end === offset && !placeSpans.some((p) => p.start === s.start && p.end === s.end));
  const runs = nameRuns(doc, inBlocked);
  const acceptedTokens = new Set<number>();
  const claimedTitles: Array<[number, number]> = [];
  const claimed = (s: number, e: number) => claimedTitles.some(([a, b]) => s < b && e > a);

  const people: FoundPerson[] = [];
  const byKey = new Map<string, FoundPerson>();
  const occurrences: NameOccurrence[] = [];
  const unknownTitles: TitleSpan[] = [];
  let previousPluralTitle: { title: TitleSpan; endToken: number } | null = null;
  const pending: Run[] = [];

  for (const run of runs) {
    const first = tokens[run.first]!;
    const last = tokens[run.last]!;
    const start = first.start;
    const end = last.possessive ? last.baseEnd : last.end;
    const printed = doc.text.slice(start, end);
    const n = wordCount(printed);
    if (n > 5) continue;
    const hon = honorificsBefore(doc, run.first);
    const before = titleBefore(doc, hon.first, (i) => acceptedTokens.has(i), claimed, endsName);
    const appos = appositionAfter(doc, run.last, atomic);
    const pinyin = n === 2 && isChineseSurname(first.base) && isPinyinGivenName(last.base) && !last.upper;
    const ref = useReference ? (REFERENCE_PEOPLE_BY_KEY.get(nameKey(printed)) ?? null) : null;
    const honorific = hon.first < run.first;
    // The verb context is the weakest signal: only looked at when nothing else speaks for a name.
    const needContext = !(honorific || before || appos || pinyin || ref) || (n === 1 && ref !== null);
    const ctxBefore = needContext && SPEECH_OR_MEETING_BEFORE.test(doc.text.slice(Math.max(0, tokens[hon.first]!.start - 30), tokens[hon.first]!.start));
    const ctxAfter = needContext && SPEECH_OR_MEETING_AFTER.test(doc.text.slice(end, end + 40));
    const apposTitle = appos && !appos.personNoun ? appos : null;
    // `Vice Ministers of Education Chen Jie and Wu Yan`: the second name shares the plural title.
    let shared: TitleSpan | null = null;
    if (!before && previousPluralTitle && previousPluralTitle.endToken === run.first - 2 && tokens[run.first - 1]?.lower === 'and') {
      shared = previousPluralTitle.title;
    }
    const titled = !!before || !!shared || (apposTitle !== null && (apposTitle.known || honorific || pinyin || ref !== null));
    let accept: boolean;
    if (n >= 2) accept = honorific || titled || !!appos?.personNoun || pinyin || ref !== null || ctxBefore || ctxAfter;
    else accept = (honorific && hon.person) || !!before || (apposTitle !== null && apposTitle.known) || (ref !== null && (ctxBefore || ctxAfter));
    if (!accept) {
      pending.push(run);
      continue;
    }
    if (!honorific && !before && isPlaceRun(start, end)) continue;

    // Canonical name: normal case for upper-case surnames; the reference's name for known people.
    const normalised = normaliseNameCase(printed);
    let name = normalised;
    const aliases: string[] = [];
    if (normalised !== printed) aliases.push(printed);
    if (ref) {
      const printedIsRefName = nameKey(ref.name) === nameKey(printed);
      if (printedIsRefName) name = ref.name;
      else if (n === 1 || !ref.prefer_printed) {
        name = ref.name;
        aliases.push(printed);
      } else aliases.push(ref.name);
    }
    const key = nameKey(name);
    let person = byKey.get(key);
    if (!person) {
      person = { name, aliases: [], country: ref?.country ?? null, mentions: [], roles: [], reference: ref };
      people.push(person);
      byKey.set(key, person);
      for (const a of ref ? [ref.name, ...ref.aliases] : []) byKey.set(nameKey(a), person);
    }
    for (const a of aliases) if (a !== person.name && !person.aliases.includes(a)) person.aliases.push(a);
    person.mentions.push({ start, end, surface: printed });
    for (let k = run.first; k <= run.last; k++) acceptedTokens.add(k);

    let npStart = tokens[hon.first]!.start;
    let npEnd = end;
    const title = before ?? shared;
    if (title) {
      const t = shared ? { ...shared, text: singular(shared.text) } : title;
      person.roles.push(t);
      if (!shared) claimedTitles.push([title.start, title.end]);
      npStart = Math.min(npStart, title.start);
    }
    // `Professor ZHANG Xumu`: an academic honorific is also the person's title.
    const academic = honorific ? tokens.slice(hon.first, run.first).find((x) => /^(?:professor|prof)$/.test(withoutFinalDot(x.lower))) : undefined;
    if (academic && !title && !apposTitle) person.roles.push({ start: academic.start, end: academic.end, text: academic.text, known: true });
    if (apposTitle && (apposTitle.known || honorific || pinyin || ref)) {
      person.roles.push(apposTitle);
      claimedTitles.push([apposTitle.start, apposTitle.end]);
      npEnd = apposTitle.end;
      if (!apposTitle.known) unknownTitles.push(apposTitle);
    }
    previousPluralTitle = before && /s$/.test(lastWordOfHead(before.text)) ? { title: before, endToken: run.last } : null;
    occurrences.push({ person, start, end, npStart, npEnd, tokenStart: run.first, tokenEnd: run.last });
  }
  // A full name printed again without any context (`met separately with Ahmed Abdulla and ...`) is the same person.
  for (const run of pending) {
    const first = tokens[run.first]!;
    const last = tokens[run.last]!;
    const end = last.possessive ? last.baseEnd : last.end;
    const printed = doc.text.slice(first.start, end);
    const person = printed.includes(' ') ? byKey.get(nameKey(normaliseNameCase(printed))) ?? byKey.get(nameKey(printed)) : undefined;
    if (!person) continue;
    person.mentions.push({ start: first.start, end, surface: printed });
    if (printed !== person.name && !person.aliases.includes(printed)) person.aliases.push(printed);
    occurrences.push({ person, start: first.start, end, npStart: first.start, npEnd: end, tokenStart: run.first, tokenEnd: run.last });
  }
  occurrences.sort((a, b) => a.start - b.start);
  const merged = mergeSurnameOnly(people, byKey);
  for (const o of occurrences) o.person = merged.get(o.person) ?? o.person;
  return { people, occurrences, unknownTitles };
}

/** `Mayor Gong` found on its own is the `Gong Zheng` named elsewhere in the article. */
function mergeSurnameOnly(people: FoundPerson[], byKey: Map<string, FoundPerson>): Map<FoundPerson, FoundPerson> {
  const merged = new Map<FoundPerson, FoundPerson>();
  for (const p of [...people]) {
    if (p.name.includes(' ') || p.reference) continue;
    const key = nameKey(p.name);
    const full = people.filter((o) => o !== p && o.name.includes(' ') && [o.name, ...o.aliases].some((n) => n.split(/\s+/).some((w) => nameKey(w) === key)));
    if (full.length !== 1) continue;
    const target = full[0]!;
    target.mentions.push(...p.mentions);
    target.roles.push(...p.roles);
    for (const a of [p.name, ...p.aliases]) if (a !== target.name && !target.aliases.includes(a)) target.aliases.push(a);
    p.mentions.length = 0;
    p.roles.length = 0;
    people.splice(people.indexOf(p), 1);
    byKey.set(key, target);
    merged.set(p, target);
  }
  return merged;
}

function lastWordOfHead(title: string): string {
  const words = title.split(/\s+/);
  for (const w of words) if (isTitleHead(w.toLowerCase()) && /s$/i.test(w) && !/ss$/i.test(w)) return w;
  return '';
}

/** `Vice Ministers of Education` → `Vice Minister of Education`. */
function singular(title: string): string {
  return title.replace(/\b(\p{L}+?)s\b/u, (w, stem: string) => (isTitleHead(stem.toLowerCase()) ? stem : w));
}

/** Country a title names: `French Minister ...` → FR, `Minister of Education of Mongolia` → MN (via places), `Chinese Ambassador` → CN. */
export function countryOfTitle(title: string): string | null {
  const first = title.replace(/^(?:the|his|her)\s+/i, '').split(/[\s’']/)[0] ?? '';
  return countryFromDemonym(first);
}

export { isNameToken as _isNameToken };
