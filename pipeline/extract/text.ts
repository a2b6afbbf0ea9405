// Tokens and sentences of a cleaned article: the units every pattern of the
// extract stage works on. Built once per article in linear time.
import type { CleanArticle, Span } from '../article.js';
import { wordCharTest } from './chars.js';
import { lexiconFlags } from './lexicon.js';

export interface Token {
  /** Exactly text.slice(start, end). */
  text: string;
  start: number;
  end: number;
  /** The token without a possessive `'s`/`’s`/`’` ending (`Wen's` → `Wen`, `Girls’` keeps `Girls’`). */
  base: string;
  baseEnd: number;
  /** Lower-cased base. */
  lower: string;
  /** Starts with an upper-case letter. */
  cap: boolean;
  /** Two or more letters, all upper case (`TANG`, `UNESCO`, `SUSTech` is not). */
  upper: boolean;
  possessive: boolean;
  /** Index of the sentence the token belongs to. */
  sentence: number;
  /** Index of the paragraph the token belongs to. */
  paragraph: number;
  /** Word-list flags of `lower` for capitalised tokens, 0 for others (see FLAG in ./lexicon.ts). */
  flags: number;
}

export interface Sentence extends Span {
  paragraph: number;
}

export interface Doc {
  text: string;
  tokens: Token[];
  sentences: Sentence[];
  paragraphs: Span[];
  /** Index of the first token of each sentence (sentences without tokens point at the next token). */
  sentenceFirstToken: number[];
}

// Words with inner apostrophes/hyphens/dots (`O'Connor`, `Director-General`, `U.S`, `d’Etudes`) are one token;
// a trailing apostrophe (`Girls’`) is kept and checked below.
// (A hand-written scanner: the equivalent regex with Unicode classes is several times slower.)
const NON_ASCII_WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
// (A lone surrogate never matches the class; a high surrogate starts a word character.)
const isWordChar = wordCharTest((c) => NON_ASCII_WORD_CHAR.test(String.fromCharCode(c)) || (c >= 0xd800 && c <= 0xdbff));

function nextWordStart(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isWordChar(c) && !(c >= 0x300 && c <= 0x36f)) return i;
    i++;
  }
  return i;
}

/**
 * Set by wordEnd: the word has an ASCII capital or a non-ASCII character. When false the word is
 * lower case already (lower-casing changes no character), which spares a second pass over it.
 */
let wordMayChangeCase = false;

/** End of the word starting at i: letters/digits, inner `’ ' . -` followed by a letter, a trailing apostrophe. */
function wordEnd(text: string, i: number): number {
  const n = text.length;
  let mayChange = false;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isWordChar(c)) {
      if ((c >= 65 && c <= 90) || c >= 128) mayChange = true;
      i++;
      continue;
    }
    const inner = c === 0x2019 || c === 0x27 || c === 0x2e || c === 0x2d;
    if (inner && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (isWordChar(d)) {
        if ((d >= 65 && d <= 90) || d >= 128) mayChange = true;
        i += 2;
        continue;
      }
    }
    if (c === 0x2019 || c === 0x27) {
      i++;
      break;
    }
    break;
  }
  wordMayChangeCase = mayChange;
  return i;
}
/** Every letter upper case, no digit (`TANG`, `UNESCO`; not `SUSTech`, `G20`). */
function isUpperWord(base: string, lower: string): boolean {
  for (let i = 0; i < base.length; i++) {
    const c = base.charCodeAt(i);
    if (c >= 48 && c <= 57) return false;
    // A letter that lower-casing leaves unchanged is lower case already (or caseless).
    if (c === lower.charCodeAt(i) && ((c >= 97 && c <= 122) || (c > 127 && base[i] !== base[i]!.toUpperCase()))) return false;
  }
  return base !== lower;
}

/** Length of a possessive ending (`’s`, `'s`, or the lone `’` of `Girls’`), 0 when none. */
function possessiveLength(raw: string): number {
  const n = raw.length;
  if (n >= 3 && raw[n - 1] === 's' && (raw[n - 2] === '’' || raw[n - 2] === "'")) return 2;
  if (n >= 3 && (raw[n - 1] === '’' || raw[n - 1] === "'") && raw[n - 2] === 's') return 1;
  return 0;
}

// Abbreviations whose period does not end a sentence.
const ABBREVIATION = /(?:\b(?:Mr|Ms|Mrs|Dr|Prof|St|No|Nos|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Gov|Sen|Rep|Gen|Lt|Col|Jr|Sr|vs|etc|Inc|Ltd|Co|Corp|approx|Mt|Ft|Dept|Univ|Assn)|\b\p{Lu}|\b(?:e\.g|i\.e))\.$/u;
const SENTENCE_END = /[.!?…]+[”"’)\]]*(?=\s+[“"‘(\[]?[\p{Lu}\p{N}])|[.!?…]+[”"’)\]]*$/gu;

/** Paragraph spans: from the clean stage when present, else split on blank lines. */
function paragraphSpans(article: Pick<CleanArticle, 'text' | 'paragraphs'>): Span[] {
  if (article.paragraphs && article.paragraphs.length > 0) return article.paragraphs;
  const spans: Span[] = [];
  const re = /[^\n]+(?:\n(?!\n)[^\n]*)*/g;
  for (let m = re.exec(article.text); m; m = re.exec(article.text)) spans.push({ start: m.index, end: m.index + m[0].length });
  return spans;
}

/** Sentence spans inside one paragraph; lines of a paragraph (captions) are separate sentences. */
function sentencesOf(text: string, para: Span, index: number, out: Sentence[]): void {
  let lineStart = para.start;
  while (lineStart < para.end) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0 || lineEnd > para.end) lineEnd = para.end;
    const line = text.slice(lineStart, lineEnd);
    let start = 0;
    SENTENCE_END.lastIndex = 0;
    for (let m = SENTENCE_END.exec(line); m; m = SENTENCE_END.exec(line)) {
      const end = m.index + m[0].length;
      if (end < line.length && ABBREVIATION.test(line.slice(Math.max(0, m.index - 6), m.index + 1))) continue;
      pushTrimmed(out, line, lineStart, start, end, index);
      start = end;
    }
    pushTrimmed(out, line, lineStart, start, line.length, index);
    lineStart = lineEnd + 1;
  }
}

function pushTrimmed(out: Sentence[], line: string, offset: number, start: number, end: number, paragraph: number): void {
  while (start < end && /\s/.test(line[start]!)) start++;
  while (end > start && /\s/.test(line[end - 1]!)) end--;
  if (end > start) out.push({ start: offset + start, end: offset + end, paragraph });
}

/** text and its lower-cased copy agree on [start, end). */
function isLowerAt(text: string, lowerText: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) !== lowerText.charCodeAt(i)) return false;
  return true;
}

export function analyse(article: Pick<CleanArticle, 'text' | 'paragraphs'>): Doc {
  const text = article.text;
  const paragraphs = paragraphSpans(article);
  const sentences: Sentence[] = [];
  paragraphs.forEach((p, i) => sentencesOf(text, p, i, sentences));
  const tokens: Token[] = [];
  const lowerText = text.toLowerCase();
  const sameLength = lowerText.length === text.length;
  const sentenceFirstToken: number[] = new Array(sentences.length).fill(-1);
  let s = 0;
  for (let pos = nextWordStart(text, 0); pos < text.length; pos = nextWordStart(text, pos)) {
    const start = pos;
    pos = wordEnd(text, pos);
    while (s < sentences.length - 1 && start >= sentences[s]!.end) s++;
    let raw = text.slice(start, pos);
    let end = pos;
    const lastChar = raw.charCodeAt(raw.length - 1);
    // A trailing apostrophe is a plural possessive (`Girls’ and`) only before a space or punctuation; else it opens a quote.
    if ((lastChar === 0x2019 || lastChar === 0x27) && end < text.length && !/[\s,.;:!?)]/.test(text[end]!)) {
      raw = raw.slice(0, -1);
      end--;
    }
    // `Girls’` and `People’s` stay whole in names; the base drops the possessive for matching (`Wen's` → `Wen`).
    const pLen = possessiveLength(raw);
    const base = pLen > 0 && raw.length > pLen + 1 ? raw.slice(0, raw.length - pLen) : raw;
    // Lower-casing the whole text once is much cheaper than once per token (per-token calls on a
    // two-byte string take V8's slow path).
    // A word already in lower case shares its string (one string to hash for every word-list lookup).
    const lower = sameLength ? (!wordMayChangeCase || isLowerAt(text, lowerText, start, start + base.length) ? base : lowerText.slice(start, start + base.length)) : base.toLowerCase();
    const cap = sameLength ? text.charCodeAt(start) !== lowerText.charCodeAt(start) : raw[0] !== raw[0]!.toLowerCase();
    const sentence = sentences.length ? s : 0;
    if (sentenceFirstToken[sentence] === -1) sentenceFirstToken[sentence] = tokens.length;
    tokens.push({
      text: raw,
      start,
      end,
      base,
      baseEnd: start + base.length,
      lower,
      cap,
      upper: cap && base.length >= 2 && isUpperWord(base, lower),
      possessive: base.length !== raw.length,
      sentence,
      paragraph: sentences[sentence]?.paragraph ?? 0,
      // Only capitalised words need the word-list flags (heads and name words are capitalised).
      flags: cap ? lexiconFlags(lower) : 0,
    });
  }
  for (let i = sentenceFirstToken.length - 1, next = tokens.length; i >= 0; i--) {
    if (sentenceFirstToken[i] === -1) sentenceFirstToken[i] = next;
    else next = sentenceFirstToken[i]!;
  }
  return { text, tokens, sentences, paragraphs, sentenceFirstToken };
}

/** The text between two tokens (what separates them). */
export function gapBetween(doc: Doc, a: number, b: number): string {
  return doc.text.slice(doc.tokens[a]!.end, doc.tokens[b]!.start);
}

/** Index of the first token whose start is >= offset (binary search). */
export function tokenAt(doc: Doc, offset: number): number {
  let lo = 0;
  let hi = doc.tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (doc.tokens[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Calls visit with the index of every token that starts inside the span, in order (the first found by binary search). */
export function forEachTokenIn(doc: Doc, span: Span, visit: (index: number) => void): void {
  const tokens = doc.tokens;
  for (let i = tokenAt(doc, span.start); i < tokens.length && tokens[i]!.start < span.end; i++) visit(i);
}

/** Index of the sentence containing offset (binary search); -1 when none. */
export function sentenceAt(doc: Doc, offset: number): number {
  let lo = 0;
  let hi = doc.sentences.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = doc.sentences[mid]!;
    if (offset < s.start) hi = mid - 1;
    else if (offset >= s.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** Tokens a and b are separated by exactly one space (no substring is built: this runs for every token pair). */
export function spaced(doc: Doc, a: number, b: number): boolean {
  const end = doc.tokens[a]!.end;
  return doc.tokens[b]!.start - end === 1 && doc.text.charCodeAt(end) === 32;
}

/** True when the gap between adjacent tokens is a plain space (the words belong to one phrase). */
export function isSpace(gap: string): boolean {
  return gap === ' ';
}
