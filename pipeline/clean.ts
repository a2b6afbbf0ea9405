// The clean stage: decoded text → CleanArticle. Takes the dateline and date
// lines into date_published, drops front matter (section labels, mastheads,
// share widgets), tells a headline from a lead paragraph, and normalises
// whitespace and Unicode (NFC). Every dropped piece becomes a message, so
// nothing disappears silently.
import type { CleanArticle, Span } from './article.js';
import { parseDateLine } from './extract/dates.js';
import type { MessageSink } from './messages.js';

// Seeds 000/001 start with ` date YYYY-MM-DD ` and then the headline or the lead on the same line.
const DATELINE = /^date\s+(\d{4}-\d{2}-\d{2})(?:\s+|$)/i;
// Characters that carry no text: BOM/zero-width marks, C0/C1 controls other than tab and newline.
const INVISIBLE = /[\u200B\u200C\u200D\u2060\uFEFF\u00AD]/g;
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
// A run of spaces/tabs other than a single plain space (replacing every lone
// space with itself would copy the whole text for nothing).
const SPACES = /[\t\p{Zs}]{2,}|(?! )[\t\p{Zs}]/gu;
// Where SPACES can match: a tab, a space separator (\p{Zs}) other than the plain space, or two plain spaces.
// Most texts have none, and this plain class is searched far faster than the Unicode property.
export const SPACE_SEPARATORS_BUT_SPACE = '\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000';
const MAY_HAVE_SPACES = new RegExp(`[\\t${SPACE_SEPARATORS_BUT_SPACE}]| {2}`);
// End of a sentence: . ! ? optionally followed by closing quotes or brackets.
const SENTENCE_END = /[.!?…][”"’')\]]*$/u;
// Share/print widgets that page scrapes leave under the headline.
const WIDGET = /^(?:share(?: (?:to|on|this|via))?|print|e-?mail|tweet|font size|back to top)\b[\w\s:|/-]{0,40}$/i;
// What a word is; wordCount finds its matches by a scan (the tests check that they agree).
export const WORD = /[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*/gu;

export interface CleanInput {
  article_id: string;
  source_file: string;
  text: string;
}

interface Block {
  lines: string[];
  /** Code-point offset of the block's first character in the normalised input (for messages). */
  offset: number;
}

/** Number of code points (a surrogate pair counts once, as `for...of` does). */
function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

const HIGH_SURROGATE = /[\uD800-\uDBFF]/;

const WORD_CHARACTER = /^[\p{L}\p{N}]$/u;
/** Whether each BMP character is a letter or digit (\p{L}, \p{N}): 1 or 0, -1 until the regex has been asked (once per character; never for surrogates). */
const BMP_WORD_CHARACTER = new Int8Array(0x10000).fill(-1);

function isWordCharacter(c: number): boolean {
  let known = BMP_WORD_CHARACTER[c]!;
  if (known < 0) BMP_WORD_CHARACTER[c] = known = WORD_CHARACTER.test(String.fromCharCode(c)) ? 1 : 0;
  return known === 1;
}

/** Code units of the letter or digit that starts at `i`, 0 when there is none (a surrogate pair is one code point). */
function wordCharacterAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    const cp = s.codePointAt(i)!;
    return cp > 0xffff && WORD_CHARACTER.test(String.fromCodePoint(cp)) ? 2 : 0;
  }
  // A lone low surrogate is no letter; past the end, charCodeAt gives NaN.
  return c >= 0xdc00 && c <= 0xdfff ? 0 : c === c && isWordCharacter(c) ? 1 : 0;
}

const isWordJoiner = (c: number) => c === 0x27 || c === 0x2019 || c === 0x2d; // ' ’ -

/**
 * Number of words, counted only up to `limit` (enough to compare with a bound below it): the matches of WORD,
 * found by a scan instead (the Unicode regex costs tens of microseconds on an article). A word is letters and
 * digits, joined by an apostrophe or hyphen between two of them.
 */
function wordCount(s: string, limit = Infinity): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Surrogates stay -1 in the table: they are read as code points.
    let width: number = BMP_WORD_CHARACTER[c]!;
    if (width < 0) width = wordCharacterAt(s, i);
    if (width > 0) {
      if (!inWord) {
        if (n >= limit) return n;
        n++;
        inWord = true;
      }
      i += width - 1;
    } else if (!(inWord && isWordJoiner(c) && wordCharacterAt(s, i + 1) > 0)) {
      // (A joiner between two letters or digits keeps the word going.)
      inWord = false;
      // Step over a whole code point, as the regex does.
      if (c >= 0xd800 && c <= 0xdbff && s.codePointAt(i)! > 0xffff) i++;
    }
  }
  return n;
}

/** YYYY-MM-DD (four-digit year, proleptic Gregorian) names a day of the calendar: what `new Date` and back gives, by arithmetic. */
export function isCalendarDate(iso: string): boolean {
  const year = Number(iso.slice(0, 4));
  const month = Number(iso.slice(5, 7));
  const day = Number(iso.slice(8, 10));
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) && month >= 1 && month <= 12 && day >= 1 && day <= days;
}

/** Splits normalised text into blocks separated by blank lines, keeping offsets. */
function toBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  let offset = 0;
  // Without surrogate pairs a code-point length is the string length.
  const length = HIGH_SURROGATE.test(text) ? codePointLength : (s: string) => s.length;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') {
      current = null;
    } else {
      if (!current) {
        current = { lines: [], offset: offset + length(line) - length(line.trimStart()) };
        blocks.push(current);
      }
      current.lines.push(trimmed);
    }
    offset += length(line) + 1;
  }
  return blocks;
}

const isSingleLine = (b: Block) => b.lines.length === 1;
const blockText = (b: Block) => b.lines.join('\n');

/** A lone short line such as `News` or `Press Releases` above the headline. */
function isSectionLabel(b: Block): boolean {
  const line = b.lines[0]!;
  return isSingleLine(b) && wordCount(line, 4) <= 3 && !/[\d.!?:;,"“”]/.test(line);
}

/** A site name printed over several short lines above the headline. */
function isMasthead(b: Block): boolean {
  return b.lines.length >= 2 && b.lines.every((l) => wordCount(l, 13) <= 12 && !SENTENCE_END.test(l));
}

function looksLikeHeadline(b: Block): boolean {
  const line = b.lines[0]!;
  if (!isSingleLine(b) || line.length > 300) return false;
  const words = wordCount(line, 46);
  if (/[!?][”"’]*$/.test(line)) return words <= 20;
  return !SENTENCE_END.test(line) && words <= 45;
}

// Abbreviations that end with a period but do not end a sentence.
const ABBREVIATION = /(?:\b(?:Mr|Ms|Mrs|Dr|Prof|St|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Gov|Sen|Rep|Gen|Lt|Col|Jr|Sr|vs|etc|e\.g|i\.e)|\b[A-Z])\.$/;

/** The lead's first sentence, used as the title of an article printed without a headline. */
export function titleFromLead(lead: string): string {
  const firstLine = lead.split('\n')[0]!;
  let end = firstLine.length;
  const boundary = /[.!?][”"’)]*(?=\s+[“"‘(]?[A-Z0-9])/g;
  for (let m = boundary.exec(firstLine); m; m = boundary.exec(firstLine)) {
    if (!ABBREVIATION.test(firstLine.slice(0, m.index + 1))) {
      end = m.index + m[0].length;
      break;
    }
  }
  let title = firstLine.slice(0, end).replace(/[.]$/, '').trim();
  const MAX = 160;
  if (title.length > MAX) {
    const cut = title.lastIndexOf(' ', MAX - 1);
    title = `${title.slice(0, cut > 40 ? cut : MAX - 1).replace(/[\s,;:–—-]+$/, '')}…`;
  }
  return title;
}

export function clean(input: CleanInput, sink: MessageSink): CleanArticle | null {
  let text = input.text.replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n').normalize('NFC');
  if (INVISIBLE.test(text)) {
    text = text.replace(INVISIBLE, '');
  }
  const controls = text.match(CONTROL);
  if (controls) {
    sink.push({
      stage: 'clean',
      rule: 'control-characters',
      severity: 'warning',
      reason: `removed ${controls.length} control character${controls.length === 1 ? '' : 's'}`,
    });
    text = text.replace(CONTROL, '');
  }
  if (MAY_HAVE_SPACES.test(text)) text = text.replace(SPACES, ' ');

  const blocks = toBlocks(text);
  let datePublished: string | null = null;

  const first = blocks[0];
  if (first) {
    const match = DATELINE.exec(first.lines[0]!);
    if (match) {
      const date = match[1]!;
      if (isCalendarDate(date)) {
        datePublished = date;
        sink.push({ stage: 'clean', rule: 'dateline', severity: 'info', start: first.offset, end: first.offset + codePointLength(match[0]), before: match[0].trim(), reason: `publication date ${date} taken from the dateline` });
      } else {
        sink.push({ stage: 'clean', rule: 'invalid-dateline', severity: 'warning', start: first.offset, before: match[0].trim(), reason: `dateline ${date} is not a calendar date; not used` });
      }
      const rest = first.lines[0]!.slice(match[0].length).trim();
      if (rest) first.lines[0] = rest;
      else first.lines.shift();
      if (first.lines.length === 0) blocks.shift();
    }
  }

  const drop = (b: Block, rule: string, reason: string) =>
    sink.push({ stage: 'clean', rule, severity: 'info', start: b.offset, end: b.offset + codePointLength(blockText(b)), before: blockText(b), reason });

  // Front matter above the headline or lead.
  while (blocks.length > 1) {
    const b = blocks[0]!;
    if (isSectionLabel(b) && blocks.length > 1) drop(b, 'section-label', 'section label dropped');
    else if (isMasthead(b) && looksLikeHeadline(blocks[1]!)) drop(b, 'masthead', 'site name above the headline dropped');
    else if (isSingleLine(b) && parseDateLine(b.lines[0]!)) datePublished = takeDateLine(b, datePublished, sink);
    else break;
    blocks.shift();
  }

  const hasHeadline = blocks.length > 1 && looksLikeHeadline(blocks[0]!);
  // Lines under the headline that are not body: date lines and share widgets.
  for (let i = hasHeadline ? 1 : 0; i < blocks.length && i < 6; ) {
    const b = blocks[i]!;
    if (!isSingleLine(b) || wordCount(b.lines[0]!, 13) > 12) break;
    if (parseDateLine(b.lines[0]!)) {
      datePublished = takeDateLine(b, datePublished, sink);
      blocks.splice(i, 1);
    } else if (WIDGET.test(b.lines[0]!)) {
      drop(b, 'share-widget', 'share/print widget dropped');
      blocks.splice(i, 1);
    } else i++;
  }

  if (blocks.length === 0) {
    sink.push({ stage: 'clean', rule: 'empty-text', severity: 'error', reason: 'no article text left after cleaning' });
    return null;
  }

  const paragraphs: Span[] = [];
  let out = '';
  for (const b of blocks) {
    if (out) out += '\n\n';
    const start = out.length;
    out += blockText(b);
    paragraphs.push({ start, end: out.length });
  }
  const title = hasHeadline ? blocks[0]!.lines[0]! : titleFromLead(blockText(blocks[0]!));
  return {
    article_id: input.article_id,
    source_file: input.source_file,
    text: out,
    title,
    title_source: hasHeadline ? 'headline' : 'lead',
    date_published: datePublished,
    paragraphs,
  };
}

function takeDateLine(b: Block, current: string | null, sink: MessageSink): string | null {
  const line = b.lines[0]!;
  const date = parseDateLine(line)!;
  const span = { start: b.offset, end: b.offset + codePointLength(line), before: line };
  if (current && current !== date) {
    sink.push({ stage: 'clean', rule: 'conflicting-dates', severity: 'warning', ...span, reason: `date line ${date} differs from the dateline ${current}; the dateline is kept` });
    return current;
  }
  sink.push({ stage: 'clean', rule: 'date-line', severity: 'info', ...span, reason: `publication date ${date} taken from a date line` });
  return date;
}

export function wordCountOf(text: string, limit = Infinity): number {
  return wordCount(text, limit);
}
