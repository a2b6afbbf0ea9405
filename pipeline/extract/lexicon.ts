// The extractor's vocabulary and reference lists, loaded once at module load
// (JSON imports: no file access at run time) and turned into sets and
// precompiled patterns.
import vocabulary from './reference/vocabulary.json' with { type: 'json' };
import peopleData from './reference/people.json' with { type: 'json' };
import organizationsData from './reference/organizations.json' with { type: 'json' };
import eventsData from './reference/events.json' with { type: 'json' };

export interface ReferencePerson {
  name: string;
  aliases: string[];
  country: string | null;
  prefer_printed?: boolean;
}
export interface ReferenceOrganization {
  name: string;
  acronym: string | null;
  aliases: string[];
  kind: string | null;
  country: string | null;
}
export interface ReferenceEvent {
  name: string;
  acronym: string | null;
  aliases: string[];
  kind: string | null;
}

const lowerSet = (words: readonly string[]) => new Set(words.map((w) => w.toLowerCase()));

/**
 * A word set whose lookups first test length and first character. Hashing a
 * fresh token string is the cost of a Set lookup, and loops over every token
 * of an article ask about words that mostly fail this cheap test.
 */
export class WordSet {
  private readonly words: { has(word: string): boolean };
  /** Bit c of the 128-bit mask (four 32-bit parts): some word starts with ASCII character c. */
  private first0 = 0;
  private first1 = 0;
  private first2 = 0;
  private first3 = 0;
  private firstNonAscii = false;
  /** Bit n: some word has length n (n < 31); `long`: some word is longer. */
  private lengths = 0;
  private long = false;

  /**
   * `words`, or the keys of a map or set given as `lookup` (not copied: it must not gain keys
   * later; values may change). No typed array and no copy: cheap enough to make per article.
   */
  constructor(words: Iterable<string>, lookup?: { has(word: string): boolean }) {
    const set = lookup ? null : new Set(words);
    this.words = lookup ?? set!;
    for (const w of set ?? words) {
      const c = w.charCodeAt(0);
      if (c < 32) this.first0 |= 1 << c;
      else if (c < 64) this.first1 |= 1 << (c - 32);
      else if (c < 96) this.first2 |= 1 << (c - 64);
      else if (c < 128) this.first3 |= 1 << (c - 96);
      else this.firstNonAscii = true;
      if (w.length < 31) this.lengths |= 1 << w.length;
      else this.long = true;
    }
  }

  has(word: string): boolean {
    const n = word.length;
    if (n < 31 ? (this.lengths & (1 << n)) === 0 : !this.long) return false;
    if (n > 0) {
      const c = word.charCodeAt(0);
      const bits = c < 32 ? this.first0 >> c : c < 64 ? this.first1 >> (c - 32) : c < 96 ? this.first2 >> (c - 64) : c < 128 ? this.first3 >> (c - 96) : this.firstNonAscii ? 1 : 0;
      if ((bits & 1) === 0) return false;
    }
    return this.words.has(word);
  }
}

export const TITLE_HEADS = lowerSet(vocabulary.title_heads.filter((w) => !w.includes(' ')));
/** Two-word title heads (`prime minister`, `secretary general`, `chief executive`), keyed by their first word. */
export const TITLE_HEAD_PAIRS = new Set(vocabulary.title_heads.filter((w) => w.includes(' ')).map((w) => w.toLowerCase()));
/** First words of TITLE_HEAD_PAIRS (`prime`, `secretary`): only after one of them is a pair worth building. */
export const TITLE_HEAD_PAIR_FIRST_WORDS: ReadonlySet<string> = new Set([...TITLE_HEAD_PAIRS].map((w) => w.slice(0, w.indexOf(' '))));
export const TITLE_MODIFIERS = lowerSet(vocabulary.title_modifiers);
export const HONORIFICS = lowerSet(vocabulary.honorifics);
export const PERSON_HONORIFICS = lowerSet(vocabulary.person_honorifics);
export const ORG_HEADS: ReadonlyMap<string, string> = new Map(Object.entries(vocabulary.organization_heads));
export const FOREIGN_ORG_HEADS = lowerSet(vocabulary.foreign_organization_heads);
export const EVENT_HEADS: ReadonlyMap<string, string> = new Map(Object.entries(vocabulary.event_heads));
export const EVENT_HEADS_NEEDING_COMPLEMENT = lowerSet(vocabulary.event_heads_needing_complement);
export const LOWERCASE_EVENT_HEADS = new WordSet(lowerSet(vocabulary.lowercase_event_heads));
export const ORDINAL_WORDS = lowerSet(vocabulary.ordinal_words);
export const ORDINAL_TENS = lowerSet(vocabulary.ordinal_tens);
export const DOCUMENT_WORDS = lowerSet(vocabulary.document_words);
export const NON_NAME_WORDS = lowerSet(vocabulary.non_name_words);
export const CHINESE_SURNAMES = lowerSet(vocabulary.chinese_surnames);

export const REFERENCE_PEOPLE: readonly ReferencePerson[] = peopleData.people;
export const REFERENCE_ORGANIZATIONS: readonly ReferenceOrganization[] = organizationsData.organizations;
export const REFERENCE_EVENTS: readonly ReferenceEvent[] = eventsData.events;

/** Name key: case, accents, apostrophe style, hyphens and spacing do not matter. */
const nameKeyCache = new Map<string, string>();
export function nameKey(s: string): string {
  const cached = nameKeyCache.get(s);
  if (cached !== undefined) return cached;
  // Bounded: the cache serves repeated words and names, not every string ever seen.
  if (nameKeyCache.size > 50_000) nameKeyCache.clear();
  const key = computeNameKey(s);
  nameKeyCache.set(s, key);
  return key;
}

function computeNameKey(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’‘`´]/g, "'")
    .toLowerCase()
    .replace(/[^a-z0-9']+/g, ' ')
    .trim();
}

/** Reference people by the key of every printed form (name and aliases). */
export const REFERENCE_PEOPLE_BY_KEY: ReadonlyMap<string, ReferencePerson> = (() => {
  const m = new Map<string, ReferencePerson>();
  for (const p of REFERENCE_PEOPLE) for (const n of [p.name, ...p.aliases]) if (!m.has(nameKey(n))) m.set(nameKey(n), p);
  return m;
})();

const TITLE_HEADS_WITH_PLURALS = new Set([...TITLE_HEADS, ...[...TITLE_HEADS].map((w) => `${w}s`)]);

/** A title head: one word (`minister`, `ministers`); pairs (`prime minister`) are in TITLE_HEAD_PAIRS. */
export function isTitleHead(lower: string): boolean {
  return TITLE_HEADS_WITH_PLURALS.has(lower);
}

// One lookup per token instead of one per word list: the flags of every listed word.
export const FLAG = {
  titleHead: 1,
  titleModifier: 2,
  honorific: 4,
  personHonorific: 8,
  orgHead: 16,
  foreignOrgHead: 32,
  eventHead: 64,
  nonName: 128,
  surname: 256,
} as const;

const LEXICON_FLAGS: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  const add = (words: Iterable<string>, flag: number) => {
    for (const w of words) m.set(w, (m.get(w) ?? 0) | flag);
  };
  add(TITLE_HEADS_WITH_PLURALS, FLAG.titleHead);
  add(TITLE_MODIFIERS, FLAG.titleModifier);
  add(HONORIFICS, FLAG.honorific);
  add(PERSON_HONORIFICS, FLAG.personHonorific);
  add([...ORG_HEADS.keys(), ...[...ORG_HEADS.keys()].map((w) => `${w}s`)], FLAG.orgHead);
  add(FOREIGN_ORG_HEADS, FLAG.foreignOrgHead);
  add(EVENT_HEADS.keys(), FLAG.eventHead);
  add(NON_NAME_WORDS, FLAG.nonName);
  add(CHINESE_SURNAMES, FLAG.surname);
  return m;
})();

/** Flags of a lower-cased word (0 when it is in no list). */
export function lexiconFlags(lower: string): number {
  return LEXICON_FLAGS.get(lower) ?? 0;
}

// Pinyin syllables: initial + final. Good enough to tell `Jinpeng`, `Yandong`,
// `Xuejun` from English words in the slot after a Chinese surname.
const PINYIN_SYLLABLE = '(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|üan|ai|ei|ao|ou|an|en|in|un|ün|ia|ie|iu|ua|uo|ui|ue|üe|ve|er|a|o|e|i|u|ü|v)';
const PINYIN_GIVEN = new RegExp(`^(?:${PINYIN_SYLLABLE}){1,2}(?:-(?:${PINYIN_SYLLABLE}){1,2})?$`, 'i');

export function isPinyinGivenName(word: string): boolean {
  return word.length >= 2 && word.length <= 12 && PINYIN_GIVEN.test(word.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''));
}

export function isChineseSurname(word: string): boolean {
  return CHINESE_SURNAMES.has(word.toLowerCase());
}

/** `42nd`, `6th`, `first`, `Thirty-eighth`, `twenty-first`. */
export function isOrdinal(word: string): boolean {
  const w = word.toLowerCase();
  // (Each test only where it can succeed: a number ordinal starts with a digit, a compound has one hyphen.)
  const c = w.charCodeAt(0);
  if (c >= 48 && c <= 57) return /^\d+(?:st|nd|rd|th)$/.test(w);
  if (ORDINAL_WORDS.has(w)) return true;
  const dash = w.indexOf('-');
  if (dash < 0 || w.indexOf('-', dash + 1) >= 0) return false;
  return ORDINAL_TENS.has(w.slice(0, dash)) && ORDINAL_WORDS.has(w.slice(dash + 1));
}

/** `/^(?:19|20)\d\d$/` by character codes. */
export function isYear(word: string): boolean {
  if (word.length !== 4) return false;
  const a = word.charCodeAt(0);
  const b = word.charCodeAt(1);
  const c = word.charCodeAt(2);
  const d = word.charCodeAt(3);
  return ((a === 49 && b === 57) || (a === 50 && b === 48)) && c >= 48 && c <= 57 && d >= 48 && d <= 57;
}

/** Escapes a literal for a RegExp. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One regex matching any of the literal names (longest first, word-bounded, apostrophe style free). */
export function literalAlternation(names: readonly string[]): RegExp {
  const parts = [...new Set(names)]
    .sort((a, b) => b.length - a.length)
    .map((n) => escapeRegExp(n).replace(/['’]/g, "['’]"));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${parts.join('|')})(?![\\p{L}\\p{N}])`, 'gu');
}
