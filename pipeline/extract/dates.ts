// Date recognition for the extract stage (and, via parseDateLine, the clean
// stage's date lines under headlines).
//
// Output dates are EDTF: `2015-12-29`, `2014-06`, `XXXX-10-21` (year not
// stated), intervals `2023-11-07/2023-11-12`. Nothing here reads the clock:
// relative expressions are resolved only against the article's own
// date_published, never against "today".

export interface DateMatch {
  start: number;
  end: number;
  /** Exactly text.slice(start, end). */
  surface: string;
  /** EDTF date or interval. */
  date: string;
  /** How the date was obtained: `stated`, `relative to dateline`, `year from dateline`, `year from text`, `stated without year`. */
  basis: string;
}

// ---------------------------------------------------------------------------
// Month and weekday names

const MONTH_NUMBER: ReadonlyMap<string, number> = new Map([
  ['january', 1], ['jan', 1],
  ['february', 2], ['feb', 2],
  ['march', 3], ['mar', 3],
  ['april', 4], ['apr', 4],
  ['may', 5],
  ['june', 6], ['jun', 6],
  ['july', 7], ['jul', 7],
  ['august', 8], ['aug', 8],
  ['september', 9], ['sep', 9], ['sept', 9],
  ['october', 10], ['oct', 10],
  ['november', 11], ['nov', 11],
  ['december', 12], ['dec', 12],
]);

const WEEKDAY_NUMBER: ReadonlyMap<string, number> = new Map([
  ['sunday', 0], ['monday', 1], ['tuesday', 2], ['wednesday', 3],
  ['thursday', 4], ['friday', 5], ['saturday', 6],
]);

/** Month names as a regex alternation; longest first so `Sept` wins over `Sep`. Abbreviations may carry a dot. */
const MONTH_RE =
  '(?:January|February|March|April|May|June|July|August|September|October|November|December|' +
  'Jan\\.?|Feb\\.?|Mar\\.?|Apr\\.?|Jun\\.?|Jul\\.?|Aug\\.?|Sept\\.?|Sep\\.?|Oct\\.?|Nov\\.?|Dec\\.?)';
const WEEKDAY_RE = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const DAY_RE = '(?:[0-3]?\\d)(?:st|nd|rd|th)?';
const YEAR_RE = '(?:1[89]\\d\\d|2\\d\\d\\d)';

function monthNumber(word: string): number | null {
  return MONTH_NUMBER.get(word.replace(/\.$/, '').toLowerCase()) ?? null;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Days in a month (1-12) of the proleptic Gregorian calendar, as Date.UTC counts them (no Date object). */
function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  // Date.UTC reads years 0-99 as 1900-1999.
  const y = year >= 0 && year <= 99 ? 1900 + year : year;
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
}

/** A real calendar date? (unknown year: allow Feb 29). */
function isValidDay(year: number | null, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year ?? 2000, month);
}

function isoDate(year: number, month: number, day: number): string | null {
  return isValidDay(year, month, day) ? `${year}-${pad2(month)}-${pad2(day)}` : null;
}

// ---------------------------------------------------------------------------
// parseDateLine

const LINE_MONTH_DAY_YEAR = new RegExp(`^(?:${WEEKDAY_RE},?\\s+)?(${MONTH_RE})\\s+(${DAY_RE}),?\\s+(${YEAR_RE})$`, 'i');
const LINE_DAY_MONTH_YEAR = new RegExp(`^(?:${WEEKDAY_RE},?\\s+)?(${DAY_RE})\\s+(${MONTH_RE}),?\\s+(${YEAR_RE})$`, 'i');
const LINE_ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const LINE_YEAR_SLASH = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/;
const LINE_DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;
const LINE_SLASHED = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/**
 * A line that consists only of a date → ISO `YYYY-MM-DD`; anything else → null.
 *
 * Accepted: `December 29, 2015`, `Dec. 29, 2015`, `29 December 2015` (optionally
 * after a weekday), `2025-05-18`, `2016/06/06`, `06.06.2016` (dotted dates on
 * the genre's European sites are day.month.year), `18/05/2010`. Slashed
 * day/month dates are resolved only when unambiguous (one part > 12, or both
 * parts equal); `05/06/2010` could be either order, so it gives null.
 */
export function parseDateLine(line: string): string | null {
  const s = line.trim().replace(/\s+/g, ' ');
  if (s.length === 0 || s.length > 40) return null;
  let m: RegExpExecArray | null;
  if ((m = LINE_MONTH_DAY_YEAR.exec(s))) {
    const month = monthNumber(m[1]!);
    return month === null ? null : isoDate(Number(m[3]), month, parseInt(m[2]!, 10));
  }
  if ((m = LINE_DAY_MONTH_YEAR.exec(s))) {
    const month = monthNumber(m[2]!);
    return month === null ? null : isoDate(Number(m[3]), month, parseInt(m[1]!, 10));
  }
  if ((m = LINE_ISO.exec(s)) || (m = LINE_YEAR_SLASH.exec(s))) {
    return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  }
  if ((m = LINE_DOTTED.exec(s))) {
    return isoDate(Number(m[3]), Number(m[2]), Number(m[1]));
  }
  if ((m = LINE_SLASHED.exec(s))) {
    const first = Number(m[1]);
    const second = Number(m[2]);
    const year = Number(m[3]);
    if (first > 12 && second <= 12) return isoDate(year, second, first);
    if (second > 12 && first <= 12) return isoDate(year, first, second);
    if (first === second) return isoDate(year, first, second);
    return null;
  }
  return null;
}

// ---------------------------------------------------------------------------
// findDates

interface Dateline {
  year: number;
  month: number;
  day: number;
}

function parseDateline(datePublished: string | null): Dateline | null {
  const m = datePublished ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(datePublished) : null;
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return isValidDay(year, month, day) ? { year, month, day } : null;
}

/** Calendar arithmetic in UTC on the stated date only (no clock). */
function shiftDays(d: Dateline, days: number): string {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return `${t.getUTCFullYear()}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())}`;
}

function weekdayOf(d: Dateline): number {
  return new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
}

/** A day/month/year where the year may still be unknown (null). */
interface DayRef {
  month: number;
  day: number;
  year: number | null;
}

/** A raw date expression before year resolution. */
type Raw =
  | { type: 'full'; from: DayRef; to: DayRef | null } // every part has a year
  | { type: 'yearless'; from: DayRef; to: DayRef | null } // no year printed
  | { type: 'month'; year: number; month: number }
  | { type: 'yearlessMonth'; month: number }
  | { type: 'year'; from: number; to: number | null }
  | { type: 'weekday'; weekday: number; qualifier: string | null }
  | { type: 'relative'; unit: 'month' | 'year' | 'day'; offset: number };

interface RawMatch {
  start: number;
  end: number;
  raw: Raw;
}

const M = `(${MONTH_RE})`;
const D = `([0-3]?\\d)(?:st|nd|rd|th)?`;
const Y = `(${YEAR_RE})`;
/** Range separators: `14-15`, `7th to 12th`, `25 – 27`, `7 and 8`, `3 through 5`. */
const SEP = `\\s*(?:-|–|—|to|and|through|until|till)\\s*`;
const W = `(?:${WEEKDAY_RE},?\\s+)?`;
/** After a yearless range's second number: a following noun makes it a count (`15 and 20 students`). */
const NOT_A_COUNT = '(?!\\s+(?!(?:in|at|on|to|for|with|when|and|as|the|this|that|last|next|while|where|after|before|during|respectively)(?![\\p{L}]))\\p{Ll})';
/** No letter or digit may touch a date expression. */
const L = '(?<![\\p{L}\\p{N}])';
const R = '(?![\\p{L}\\p{N}])';

// What a pattern can start at (see collectRaw): a day or year number, a lower-case relative word
// (`last`, `yesterday`), or a capitalised anchor word: a month (`May 18`), a weekday (`Monday,
// December 28`, `Monday`) or `Yesterday`. Patterns with `${W}${M}` start at a month or a weekday.
type AnchorStart = 'digit' | 'lower' | 'month' | 'weekday' | 'yesterday';
const DIGIT: readonly AnchorStart[] = ['digit'];
const MONTH: readonly AnchorStart[] = ['month'];
const WEEKDAY: readonly AnchorStart[] = ['weekday'];
const MONTH_OR_WEEKDAY: readonly AnchorStart[] = ['month', 'weekday'];
const WEEKDAY_OR_DIGIT: readonly AnchorStart[] = ['weekday', 'digit'];
const LOWER_OR_WEEKDAY: readonly AnchorStart[] = ['lower', 'weekday'];
const LOWER_OR_YESTERDAY: readonly AnchorStart[] = ['lower', 'yesterday'];

interface Pattern {
  start: readonly AnchorStart[];
  /** A digit-anchored pattern whose first number is a four-digit year (the others start with a day). */
  startsWithYear?: boolean;
  re: RegExp;
  build: (m: RegExpExecArray) => Raw | null;
}

function day(monthWord: string, dayText: string, year: number | null): DayRef | null {
  const month = monthNumber(monthWord);
  const d = parseInt(dayText, 10);
  if (month === null || !isValidDay(year, month, d)) return null;
  return { month, day: d, year };
}

function rangeOf(from: DayRef | null, to: DayRef | null, yearKnown: boolean): Raw | null {
  if (!from || !to) return null;
  // A range runs forwards: `7th to 12th`, not `12th to 7th`.
  const fromKey = from.month * 100 + from.day;
  const toKey = to.month * 100 + to.day;
  if (toKey <= fromKey && to.month === from.month) return null;
  return yearKnown ? { type: 'full', from, to } : { type: 'yearless', from, to };
}

const PATTERNS: Pattern[] = [
  // `December 25th to 27th, 2015`, `August 14-15, 2023`
  { start: MONTH_OR_WEEKDAY, re: new RegExp(`${L}${W}${M}\\s+${D}${SEP}${D},?\\s+${Y}${R}`, 'uy'),
    build: (m) => { const y = Number(m[4]); return rangeOf(day(m[1]!, m[2]!, y), day(m[1]!, m[3]!, y), true); } },
  // `November 28 to December 2, 2015`
  { start: MONTH_OR_WEEKDAY, re: new RegExp(`${L}${W}${M}\\s+${D}${SEP}${M}\\s+${D},?\\s+${Y}${R}`, 'uy'),
    build: (m) => { const y = Number(m[5]); return rangeOf(day(m[1]!, m[2]!, y), day(m[3]!, m[4]!, y), true); } },
  // `14-15 August 2023`
  { start: DIGIT, re: new RegExp(`${L}${D}${SEP}${D}\\s+${M},?\\s+${Y}${R}`, 'uy'),
    build: (m) => { const y = Number(m[4]); return rangeOf(day(m[3]!, m[1]!, y), day(m[3]!, m[2]!, y), true); } },
  // `28 November to 2 December 2015`
  { start: DIGIT, re: new RegExp(`${L}${D}\\s+${M}${SEP}${D}\\s+${M},?\\s+${Y}${R}`, 'uy'),
    build: (m) => { const y = Number(m[5]); return rangeOf(day(m[2]!, m[1]!, y), day(m[4]!, m[3]!, y), true); } },
  // `May 18, 2010`, `Monday, December 28, 2015`, `Dec. 29 2015`
  { start: MONTH_OR_WEEKDAY, re: new RegExp(`${L}${W}${M}\\s+${D},?\\s+${Y}${R}`, 'uy'),
    build: (m) => { const d = day(m[1]!, m[2]!, Number(m[3])); return d ? { type: 'full', from: d, to: null } : null; } },
  // `6 June 2016`, `28 September 2020`
  { start: WEEKDAY_OR_DIGIT, re: new RegExp(`${L}${W}${D}\\s+(?:of\\s+)?${M},?\\s+${Y}${R}`, 'uy'),
    build: (m) => { const d = day(m[2]!, m[1]!, Number(m[3])); return d ? { type: 'full', from: d, to: null } : null; } },
  // `2025-05-18`
  { start: DIGIT, startsWithYear: true, re: new RegExp(`${L}(\\d{4})-(\\d{2})-(\\d{2})${R}`, 'uy'),
    build: (m) => {
      const y = Number(m[1]); const mo = Number(m[2]); const d = Number(m[3]);
      return y >= 1800 && isValidDay(y, mo, d) ? { type: 'full', from: { year: y, month: mo, day: d }, to: null } : null;
    } },
  // `06.06.2016`: dotted dates on the genre's European sites are day.month.year
  { start: DIGIT, re: new RegExp(`${L}(\\d{1,2})\\.(\\d{1,2})\\.(\\d{4})${R}`, 'uy'),
    build: (m) => {
      const d = Number(m[1]); const mo = Number(m[2]); const y = Number(m[3]);
      return y >= 1800 && isValidDay(y, mo, d) ? { type: 'full', from: { year: y, month: mo, day: d }, to: null } : null;
    } },
  // `August 2011`, `June 2014`
  { start: MONTH, re: new RegExp(`${L}${M},?\\s+(?:of\\s+)?${Y}${R}`, 'uy'),
    build: (m) => { const mo = monthNumber(m[1]!); return mo === null ? null : { type: 'month', year: Number(m[2]), month: mo }; } },
  // `November 7th to 12th`, `August 14-15` (not `May 15 and 20 students`: a count)
  { start: MONTH_OR_WEEKDAY, re: new RegExp(`${L}${W}${M}\\s+${D}${SEP}${D}${R}${NOT_A_COUNT}`, 'uy'),
    build: (m) => rangeOf(day(m[1]!, m[2]!, null), day(m[1]!, m[3]!, null), false) },
  // `November 28 to December 2`
  { start: MONTH_OR_WEEKDAY, re: new RegExp(`${L}${W}${M}\\s+${D}${SEP}${M}\\s+${D}${R}`, 'uy'),
    build: (m) => rangeOf(day(m[1]!, m[2]!, null), day(m[3]!, m[4]!, null), false) },
  // `14-15 August`
  { start: DIGIT, re: new RegExp(`${L}${D}${SEP}${D}\\s+${M}${R}`, 'uy'),
    build: (m) => rangeOf(day(m[3]!, m[1]!, null), day(m[3]!, m[2]!, null), false) },
  // `Jan 30`, `May 15`, `October 21st`
  { start: MONTH_OR_WEEKDAY, re: new RegExp(`${L}${W}${M}\\s+${D}${R}`, 'uy'),
    build: (m) => { const d = day(m[1]!, m[2]!, null); return d ? { type: 'yearless', from: d, to: null } : null; } },
  // `21 October`, `8 September`, `the 21st of October`
  { start: WEEKDAY_OR_DIGIT, re: new RegExp(`${L}${W}${D}\\s+(?:of\\s+)?${M}${R}`, 'uy'),
    build: (m) => { const d = day(m[2]!, m[1]!, null); return d ? { type: 'yearless', from: d, to: null } : null; } },
  // `in May`, `since October` (a month alone, after a preposition; `May` only after `in`)
  { start: MONTH, re: new RegExp(`(?<=(?<![\\p{L}])(?:(?:[Ii]n|[Ss]ince|[Dd]uring|[Uu]ntil|[Bb]y|[Ff]rom|[Ee]arly|[Ll]ate|[Ee]nd of)\\s|[Mm]id-))(January|February|March|April|May|June|July|August|September|October|November|December)${R}(?!\\s*,?\\s*\\d)`, 'uy'),
    build: (m) => ({ type: 'yearlessMonth', month: monthNumber(m[1]!)! }) },
  // `on Sunday`, `last Monday`, `Monday morning`; a bare weekday followed by a
  // capitalised word is a name (`Sunday Times`) unless `on` precedes it.
  { start: LOWER_OR_WEEKDAY, re: new RegExp(`${L}(?:(last|next|this|past)\\s+)?(${WEEKDAY_RE})${R}(?!\\s+(?!${MONTH_RE})\\p{Lu})`, 'uy'),
    build: (m) => ({ type: 'weekday', weekday: WEEKDAY_NUMBER.get(m[2]!.toLowerCase())!, qualifier: m[1] ?? null }) },
  { start: WEEKDAY, re: new RegExp(`(?<=(?<![\\p{L}])[Oo]n\\s)()(${WEEKDAY_RE})${R}`, 'uy'),
    build: (m) => ({ type: 'weekday', weekday: WEEKDAY_NUMBER.get(m[2]!.toLowerCase())!, qualifier: null }) },
  // `last month`, `this year`, `yesterday`
  { start: LOWER_OR_YESTERDAY, re: new RegExp(`${L}(?:(last|this|next|previous)\\s+(month|year)|([Yy]esterday))${R}`, 'uy'),
    build: (m) => {
      if (m[3]) return { type: 'relative', unit: 'day', offset: -1 };
      const offset = m[1] === 'last' || m[1] === 'previous' ? -1 : m[1] === 'next' ? 1 : 0;
      return { type: 'relative', unit: m[2] as 'month' | 'year', offset };
    } },
  // `from 2016 to 2020`, `between 2016 and 2020`
  { start: DIGIT, startsWithYear: true, re: new RegExp(`(?<=\\b(?:[Ff]rom|[Bb]etween)\\s)${Y}\\s*(?:-|–|to|and|until)\\s*${Y}${R}(?!\\s+\\p{Lu})`, 'uy'),
    build: (m) => { const a = Number(m[1]); const b = Number(m[2]); return b > a ? { type: 'year', from: a, to: b } : null; } },
  // `in 2011`, `since 2013` (a year followed by a capitalised word is part of a name: `in 2024 World Digital Education Conference`;
  // `by 2030` is a target, not a date)
  { start: DIGIT, startsWithYear: true, re: new RegExp(`(?<=\\b(?:[Ii]n|[Ss]ince|[Dd]uring|[Uu]ntil|[Ff]rom)\\s)${Y}${R}(?!\\s+\\p{Lu})(?!\\s*(?:-|–|to|and)\\s*\\d)`, 'uy'),
    build: (m) => ({ type: 'year', from: Number(m[1]), to: null }) },
];

/**
 * Where a date expression can start: a number, a month or weekday name, or a
 * relative word. The patterns (sticky) are tried only there: scanning the
 * whole text once per pattern was the cost of this stage.
 */
const ANCHOR_RE = /\b(?:\d|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun|last|next|this|past|previous|[Yy]esterday)/g;

/**
 * Which patterns can match at an anchor, by the anchor's first character: a
 * digit starts only day/number patterns, a lower-case anchor (`last`,
 * `this`, `yesterday`...) only the relative ones, a capitalised word only
 * those that start at its kind of word (month, weekday or `Yesterday`).
 * Trying only those (in PATTERNS order) gives the same matches as trying
 * them all.
 */
const PATTERNS_AT_DIGIT = PATTERNS.filter((p) => p.start.includes('digit'));
const PATTERNS_AT_LOWER = PATTERNS.filter((p) => p.start.includes('lower'));
const PATTERNS_AT_MONTH = PATTERNS.filter((p) => p.start.includes('month'));
const PATTERNS_AT_WEEKDAY = PATTERNS.filter((p) => p.start.includes('weekday'));
const PATTERNS_AT_YESTERDAY = PATTERNS.filter((p) => p.start.includes('yesterday'));
// Narrower still, by the anchor's whole digit run or word (same matches, far fewer attempts):
// a day (`[0-3]?\d`) or a dotted date's first part has one or two digits, a year four;
// a month, weekday or relative word must be the whole word (not `Market`, `Mongolia`, `thistle`).
const PATTERNS_AT_DAY_NUMBER = PATTERNS_AT_DIGIT.filter((p) => !p.startsWithYear);
const PATTERNS_AT_YEAR_NUMBER = PATTERNS_AT_DIGIT.filter((p) => p.startsWithYear);
const NO_PATTERNS: Pattern[] = [];
const capitalised = (w: string) => w[0]!.toUpperCase() + w.slice(1);
const WEEKDAY_ANCHOR_WORDS: ReadonlySet<string> = new Set([...WEEKDAY_NUMBER.keys()].map(capitalised));
const ANCHOR_WORDS = new Set([
  ...[...MONTH_NUMBER.keys()].map(capitalised),
  ...WEEKDAY_ANCHOR_WORDS,
  'Yesterday', 'yesterday', 'last', 'next', 'this', 'past', 'previous',
]);

function isAsciiLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** The patterns worth trying at an anchor (a subset, in PATTERNS order, of those its first character allows). */
function patternsAt(text: string, at: number): Pattern[] {
  const first = text.charCodeAt(at);
  let end = at + 1;
  if (first >= 48 && first <= 57) {
    while (end < text.length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
    const digits = end - at;
    return digits <= 2 ? PATTERNS_AT_DAY_NUMBER : digits === 4 ? PATTERNS_AT_YEAR_NUMBER : NO_PATTERNS;
  }
  while (end < text.length && isAsciiLetter(text.charCodeAt(end))) end++;
  const word = text.slice(at, end);
  if (!ANCHOR_WORDS.has(word)) return NO_PATTERNS;
  if (first >= 97 && first <= 122) return PATTERNS_AT_LOWER;
  return word === 'Yesterday' ? PATTERNS_AT_YESTERDAY : WEEKDAY_ANCHOR_WORDS.has(word) ? PATTERNS_AT_WEEKDAY : PATTERNS_AT_MONTH;
}

function collectRaw(text: string): RawMatch[] {
  const all: RawMatch[] = [];
  ANCHOR_RE.lastIndex = 0;
  let anchor: RegExpExecArray | null;
  while ((anchor = ANCHOR_RE.exec(text))) {
    const at = anchor.index;
    const patterns = patternsAt(text, at);
    for (const p of patterns) {
      p.re.lastIndex = at;
      const m = p.re.exec(text);
      if (!m) continue;
      const raw = p.build(m);
      if (raw) all.push({ start: at, end: at + m[0].length, raw });
    }
  }
  // Longest first, then earliest; keep non-overlapping.
  all.sort((a, b) => (b.end - b.start) - (a.end - a.start) || a.start - b.start);
  const kept: RawMatch[] = [];
  for (const r of all) {
    if (kept.some((k) => r.start < k.end && k.start < r.end)) continue;
    kept.push(r);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** `.`, `!`, `?` or a line break (what `/[.!?\n]/` matches), by character code: no one-character string per step. */
function endsSentence(c: number): boolean {
  return c === 46 || c === 33 || c === 63 || c === 10;
}

/** The sentence around an offset (for years stated alongside a yearless date). */
function sentenceAround(text: string, start: number, end: number): string {
  let from = start;
  while (from > 0 && !endsSentence(text.charCodeAt(from - 1))) from--;
  let to = end;
  while (to < text.length && !endsSentence(text.charCodeAt(to))) to++;
  return text.slice(from, to);
}

function dayString(d: DayRef, year: number | null): string {
  return `${year === null ? 'XXXX' : year}-${pad2(d.month)}-${pad2(d.day)}`;
}

/**
 * Every date expression in text, resolved to EDTF, sorted and non-overlapping.
 *
 * Year of a date printed without one (`on May 15`, `November 7th to 12th`):
 * - with a dateline (datePublished): the dateline's year, or the year before
 *   when the month lies after the dateline's month (news reports the past);
 *   basis `year from dateline`;
 * - without a dateline: the year of the text's full dates (day, month and
 *   year) when they all agree (`8 September` in a text that states `28
 *   September 2020`), else the only year printed in the same sentence (`the
 *   2024 World Digital Education Conference ... on Jan 30`); basis `year from
 *   text`. A month-and-year elsewhere (`to be held in June 2014`) often names
 *   another time, so it does not count. Otherwise `XXXX`, basis `stated
 *   without year`.
 * Weekdays and `last month` need a dateline (the most recent such weekday
 * on or before it); without one they are not returned: never invent a date.
 */
export function findDates(text: string, datePublished: string | null): DateMatch[] {
  const dateline = parseDateline(datePublished);
  const raws = collectRaw(text);

  const fullYears = new Set<number>();
  for (const r of raws) if (r.raw.type === 'full') fullYears.add(r.raw.from.year!);
  const textYear = fullYears.size === 1 ? [...fullYears][0]! : null;

  const out: DateMatch[] = [];
  for (const r of raws) {
    const resolved = resolve(r, text, dateline, textYear);
    if (resolved) out.push({ start: r.start, end: r.end, surface: text.slice(r.start, r.end), ...resolved });
  }
  return out;
}

/** The one year the date's sentence prints, or null (none or several). */
function onlyYearOfSentence(text: string, r: RawMatch): number | null {
  const sentenceYears = new Set(
    [...sentenceAround(text, r.start, r.end).matchAll(/(?<![\p{L}\p{N}])((?:1[89]|20)\d\d)(?![\p{L}\p{N}])/gu)].map((m) => Number(m[1])),
  );
  return sentenceYears.size === 1 ? [...sentenceYears][0]! : null;
}

/** The year of a date printed without one (rules in findDates' comment); null when nothing states it. */
function yearFor(month: number, days: DayRef[], r: RawMatch, text: string, dateline: Dateline | null, textYear: number | null): { year: number | null; basis: string } {
  if (dateline) return { year: month > dateline.month ? dateline.year - 1 : dateline.year, basis: 'year from dateline' };
  const candidate = textYear ?? onlyYearOfSentence(text, r);
  // 29 February needs a leap year.
  if (candidate !== null && days.every((d) => isValidDay(candidate, d.month, d.day))) return { year: candidate, basis: 'year from text' };
  return { year: null, basis: 'stated without year' };
}

function resolve(r: RawMatch, text: string, dateline: Dateline | null, textYear: number | null): { date: string; basis: string } | null {
  const raw = r.raw;
  switch (raw.type) {
    case 'full': {
      const from = dayString(raw.from, raw.from.year);
      return { date: raw.to ? `${from}/${dayString(raw.to, raw.to.year)}` : from, basis: 'stated' };
    }
    case 'month':
      return { date: `${raw.year}-${pad2(raw.month)}`, basis: 'stated' };
    case 'year':
      return { date: raw.to === null ? String(raw.from) : `${raw.from}/${raw.to}`, basis: 'stated' };
    case 'yearlessMonth': {
      const { year, basis } = yearFor(raw.month, [], r, text, dateline, textYear);
      return { date: `${year === null ? 'XXXX' : year}-${pad2(raw.month)}`, basis };
    }
    case 'yearless': {
      const { year, basis } = yearFor(raw.from.month, raw.to ? [raw.from, raw.to] : [raw.from], r, text, dateline, textYear);
      const fromDate = dayString(raw.from, year);
      if (!raw.to) return { date: fromDate, basis };
      // `December 28 to January 3`: the range crosses into the next year.
      const toYear = year !== null && raw.to.month < raw.from.month ? year + 1 : year;
      return { date: `${fromDate}/${dayString(raw.to, toYear)}`, basis };
    }
    case 'weekday': {
      if (!dateline) return null;
      const current = weekdayOf(dateline);
      let offset: number;
      if (raw.qualifier === 'next') offset = (raw.weekday - current + 7) % 7 || 7;
      else {
        const back = (current - raw.weekday + 7) % 7;
        offset = -(raw.qualifier === 'last' || raw.qualifier === 'past' ? back || 7 : back);
      }
      return { date: shiftDays(dateline, offset), basis: 'relative to dateline' };
    }
    case 'relative': {
      if (!dateline) return null;
      if (raw.unit === 'day') return { date: shiftDays(dateline, raw.offset), basis: 'relative to dateline' };
      if (raw.unit === 'year') return { date: String(dateline.year + raw.offset), basis: 'relative to dateline' };
      const monthIndex = dateline.year * 12 + (dateline.month - 1) + raw.offset;
      return { date: `${Math.floor(monthIndex / 12)}-${pad2((monthIndex % 12) + 1)}`, basis: 'relative to dateline' };
    }
  }
}
