// Repair of UTF-8 text that was once decoded as GBK and saved again as UTF-8.
//
// The source quirk: English articles (UTF-8) went through
// `bytes.decode('gbk', errors='ignore' | 'replace')`. GBK pairs bytes, so the
// UTF-8 bytes of `“` (E2 80 9C) followed by `I` (49) come out as 鈥 (E2 80) +
// 淚 (9C 49): the letter after the quote is swallowed into a CJK character.
// When the byte after an unpaired lead is not a valid GBK trail byte (space,
// digit, most ASCII punctuation, line end, end of text) that lead byte is
// dropped ('ignore') or becomes U+FFFD ('replace'), so `,” declared` comes
// back as `,鈥 declared` or `,鈥\uFFFD declared`.
//
// Method: find maximal runs of GBK double-byte characters (plus U+FFFD inside
// or after them), turn each run back into its GBK bytes, and decode those
// bytes as UTF-8. A complete, valid decoding is an exact repair
// (`utf8-as-gbk`). For the General Punctuation lead E2 (all curly quotes and
// dashes are E2 80 xx) lost bytes are restored:
//   - a lost 0x80 in the middle (0x80 can never lead a GBK pair, so it is
//     always dropped when it falls on a pair boundary) is put back exactly;
//   - a lost final byte (E2 80 + ?) is guessed from the context (see
//     `guessLostPunctuation`); such repairs carry the rule `utf8-as-gbk-lossy`.
// A repair is accepted only when the result is more plausible English than
// the input (see `isPlausibleRepair`), so legitimate Chinese is left alone.
import iconv from 'iconv-lite';
import type { FixResult, Repair } from './repair.js';

export const RULE_EXACT = 'utf8-as-gbk';
export const RULE_LOSSY = 'utf8-as-gbk-lossy';

const REPLACEMENT_CHAR = 0xfffd;
/** Stands for a byte whose value is unknown (lost, or shown as U+FFFD). */
const UNKNOWN_BYTE = -1;

// Every mojibake run starts with the GBK character made of a UTF-8 lead byte
// (C2–F4) and a continuation byte: always a CJK ideograph. Texts without one
// are returned at once.
const MAYBE_MOJIBAKE = /[\u4e00-\u9fff]/;
const RUN_START = /[\u4e00-\u9fff]/g;

let gbkCodeByChar: Uint16Array | undefined;

/**
 * Char code → GBK double-byte code (lead << 8 | trail), 0 when the character
 * has none. Built once from iconv-lite's GBK table (the same bytes
 * `iconv.encode(ch, 'gbk')` gives; 'gb18030' would also encode characters GBK
 * lacks as four bytes, and U+FFFD, which must stay a marker).
 */
function gbkTable(): Uint16Array {
  if (gbkCodeByChar) return gbkCodeByChar;
  const table = new Uint16Array(0x10000);
  const trails: number[] = [];
  for (let trail = 0x40; trail <= 0xfe; trail++) if (trail !== 0x7f) trails.push(trail);
  const record = (ch: string, code: number): void => {
    const unit = ch.charCodeAt(0);
    if (ch.length !== 1 || unit < 0x80 || unit === REPLACEMENT_CHAR || table[unit] !== 0) return;
    table[unit] = code;
  };
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    // One decode per lead byte; iconv-lite maps every pair of the row to one
    // BMP character (user-defined areas to the Private Use Area).
    const row = Buffer.from(trails.flatMap((trail) => [lead, trail]));
    const decoded = iconv.decode(row, 'gbk');
    if (decoded.length === trails.length) {
      trails.forEach((trail, i) => record(decoded[i]!, (lead << 8) | trail));
    } else {
      for (const trail of trails) record(iconv.decode(Buffer.from([lead, trail]), 'gbk'), (lead << 8) | trail);
    }
  }
  gbkCodeByChar = table;
  return table;
}

/** A piece of a decoded run: text, or a punctuation mark whose last byte was lost. */
type Piece = string | { lostPunctuation: true };

interface DecodedRun {
  pieces: Piece[];
  /** A byte was restored or guessed. */
  lossy: boolean;
}

/**
 * E2 82 xx and E2 84 xx whose last byte was lost: of those blocks English
 * news carries the euro sign (E2 82 AC), the numero sign before a number
 * (E2 84 96) and otherwise the trade mark sign (E2 84 A2).
 */
function lostByteSymbol(second: number, followedByDigit: boolean): string | undefined {
  if (second === 0x82) return '€';
  if (second === 0x84) return followedByDigit ? '№' : '™';
  return undefined;
}

const isContinuation = (b: number): boolean => b >= 0x80 && b <= 0xbf;

/** Number of continuation bytes a UTF-8 lead byte needs, or -1 for a non-lead. */
function continuationCount(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 1;
  if (lead >= 0xe0 && lead <= 0xef) return 2;
  if (lead >= 0xf0 && lead <= 0xf4) return 3;
  return -1;
}

/** Decodes one complete UTF-8 sequence, or returns null when it is not valid. */
function decodeSequence(lead: number, rest: readonly number[]): string | null {
  let cp = lead & (rest.length === 1 ? 0x1f : rest.length === 2 ? 0x0f : 0x07);
  for (const b of rest) cp = (cp << 6) | (b & 0x3f);
  const minimum = rest.length === 1 ? 0x80 : rest.length === 2 ? 0x800 : 0x10000;
  if (cp < minimum || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null;
  return String.fromCodePoint(cp);
}

/**
 * Decodes the GBK bytes of a run as UTF-8, restoring the bytes the GBK
 * decoder lost around an E2 lead. Returns null when the bytes are not UTF-8.
 */
function decodeRunBytes(bytes: readonly number[], isTrail: readonly boolean[], nextChar: string | undefined): DecodedRun | null {
  const followedBySpace = nextChar === undefined || /\s/.test(nextChar);
  const followedByDigit = nextChar !== undefined && nextChar >= '0' && nextChar <= '9';
  const pieces: Piece[] = [];
  let lossy = false;
  let text = '';
  let k = 0;
  while (k < bytes.length) {
    const lead = bytes[k]!;
    if (lead === UNKNOWN_BYTE) return null;
    if (lead < 0x80) {
      text += String.fromCharCode(lead);
      k++;
      continue;
    }
    const need = continuationCount(lead);
    if (need < 0) return null;
    const rest: number[] = [];
    let next = k + 1;
    while (rest.length < need && next < bytes.length) {
      const b = bytes[next]!;
      if (b !== UNKNOWN_BYTE && !isContinuation(b)) break;
      rest.push(b);
      next++;
    }
    if (rest.length === need && !rest.includes(UNKNOWN_BYTE)) {
      const ch = decodeSequence(lead, rest);
      if (ch === null) return null;
      text += ch;
      k = next;
      continue;
    }
    const onlyUnknown = rest.every((b) => b === UNKNOWN_BYTE);
    if (lead === 0xc2 && rest.length <= 1 && onlyUnknown && next === bytes.length && followedBySpace) {
      // C2 A0 (no-break space) after a three-byte character: A0 falls on a
      // pair boundary before the space that follows and is dropped.
      text += '\u00a0';
      lossy = true;
      k = next;
      continue;
    }
    // Only General Punctuation (E2 80 xx) is restored: it is what English
    // text carries, and the GBK decoder loses its bytes in known ways.
    if (lead !== 0xe2) return null;
    const followedByAscii = next < bytes.length && bytes[next]! < 0x80;
    const [second, third] = rest;
    let lastByte: number | undefined;
    if (rest.length === 0) {
      // E2 ended a GBK pair, so 80 fell on a pair boundary and was dropped,
      // and the last byte was lost too. E2 leading a pair with an ASCII trail
      // (鈈 = E2 62) cannot come from UTF-8, where E2 is followed by 80–BF.
      if (!isTrail[k]) return null;
      lastByte = undefined;
    } else if (rest.length === 1) {
      if (second === UNKNOWN_BYTE || second === 0x80) lastByte = undefined;
      else if (followedByAscii) lastByte = second; // E2 [80] xx + swallowed ASCII
      else {
        // E2 xx + lost last byte: outside General Punctuation only the two
        // symbols English news uses are guessed.
        const symbol = lostByteSymbol(second!, followedByDigit);
        if (symbol === undefined) return null;
        text += symbol;
        lossy = true;
        k = next;
        continue;
      }
    } else {
      const symbol = third === UNKNOWN_BYTE && second !== UNKNOWN_BYTE ? lostByteSymbol(second!, followedByDigit) : undefined;
      if (symbol !== undefined) {
        text += symbol;
        lossy = true;
        k = next;
        continue;
      }
      if (second !== UNKNOWN_BYTE && second !== 0x80) return null;
      lastByte = third === UNKNOWN_BYTE ? undefined : third;
    }
    lossy = true;
    if (lastByte === undefined) {
      if (text) pieces.push(text);
      text = '';
      pieces.push({ lostPunctuation: true });
    } else {
      text += String.fromCharCode(0x2000 + (lastByte! & 0x3f));
    }
    k = next;
  }
  if (text) pieces.push(text);
  return { pieces, lossy };
}

/**
 * The Latin Extended-A letters that names in English news use (Polish,
 * Czech, Turkish, Romanian, Baltic, pinyin macrons); rarer ones such as Ŀ or
 * ŉ are what Chinese characters decode to by accident (目录 → Ŀ¼).
 */
const NAME_LETTERS_EXTENDED_A = new Set(
  [...'ĀāĂăĄąĆćČčĎďĐđĒēĖėĘęĚěĞğĪīĮįİıĶķĻļĹĺĽľŁłŃńŅņŇňŌōŐőŒœŔŕŘřŚśŞşŠšŢţŤťŪūŮůŰűŲųŸŹźŻżŽž'].map((ch) => ch.codePointAt(0)!),
);

type CharClass = 'ascii' | 'latin' | 'symbol' | 'nbsp' | 'punctuation' | 'cjk';

/** What kind of character a decoded code point is; null for what English text does not use. */
function classify(cp: number): CharClass | null {
  if (cp >= 0x20 && cp <= 0x7e) return 'ascii';
  if (cp === 0xa0) return 'nbsp';
  if (cp >= 0xa1 && cp <= 0xbf) return 'symbol';
  if (cp === 0xd7 || cp === 0xf7) return 'symbol';
  if (cp >= 0xc0 && cp <= 0xff) return 'latin';
  if (cp >= 0x100 && cp <= 0x17f) return NAME_LETTERS_EXTENDED_A.has(cp) ? 'latin' : null;
  if (cp >= 0x1e00 && cp <= 0x1eff) return 'latin';
  if ((cp >= 0x2000 && cp <= 0x206f) || (cp >= 0x20a0 && cp <= 0x20cf) || (cp >= 0x2100 && cp <= 0x215f)) {
    return 'punctuation';
  }
  if ((cp >= 0x3000 && cp <= 0x303f) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff)) return 'cjk';
  if (cp >= 0xff01 && cp <= 0xff5e) return 'cjk';
  return null;
}

const isAsciiAlnum = (ch: string | undefined): boolean => ch !== undefined && /^[A-Za-z0-9]$/.test(ch);

/**
 * Whether replacing the run by its decoding makes the text more plausible
 * English. Legitimate Chinese rarely survives the UTF-8 decoding at all; when
 * it does (眉毛 → üë, 茅台 → é + a combining mark) the result is a stray
 * Latin letter pair between spaces or a symbol English does not use.
 */
function isPlausibleRepair(run: string, codes: readonly number[], decoded: DecodedRun, before: string | undefined, after: string | undefined): boolean {
  const seen = new Set<CharClass>();
  for (const piece of decoded.pieces) {
    if (typeof piece !== 'string') {
      seen.add('punctuation');
      continue;
    }
    for (const ch of piece) {
      const cls = classify(ch.codePointAt(0)!);
      if (cls === null) return false;
      seen.add(cls);
    }
  }
  // Curly quotes, dashes, ellipses: only 鈥 (E2 80) starts them, a character
  // no Chinese text uses, so these runs are mojibake.
  if (seen.has('punctuation')) return true;
  if (seen.has('cjk')) {
    // Chinese written in UTF-8 inside English text. Mojibake of it always
    // contains GBK characters outside GB2312 (a continuation byte as lead, or
    // a trail below A1); everyday Chinese text is GB2312.
    const outsideGb2312 = codes.some((code) => code >> 8 < 0xa1 || (code & 0xff) < 0xa1);
    return !decoded.lossy && run.length >= 2 && outsideGb2312 && !seen.has('latin') && !seen.has('symbol') && !seen.has('nbsp');
  }
  // Latin letters and symbols from two-byte sequences: accepted only glued to
  // an ASCII letter or digit (Sup铆rieure → Supérieure, 30掳C → 30°C), where
  // Chinese words never stand; a lone no-break space (聽) between ASCII text.
  if (isAsciiAlnum(before) || isAsciiAlnum(after)) return true;
  const asciiNeighbour = (ch: string | undefined): boolean => ch !== undefined && ch.charCodeAt(0) < 0x80;
  return seen.size === 1 && seen.has('nbsp') && asciiNeighbour(before) && asciiNeighbour(after);
}

interface Candidate {
  start: number; // UTF-16 index into the input
  end: number;
  pieces: Piece[];
  lossy: boolean;
}

/** The quotation left open at the end of the current line: `“`, `‘` or none. */
type OpenQuote = '“' | '‘' | null;

/**
 * Guesses a General Punctuation mark whose last byte was lost, from the
 * characters around it in the repaired text. Only bytes that cannot be a GBK
 * trail byte get lost (space, digits, most ASCII punctuation, line end), so:
 *   - at a line start before a space → bullet `•` (scraped lists);
 *   - space (or line start/end) on both sides → em dash `—` (`important — and`);
 *   - digits on both sides → en dash `–` (`2015–2016`);
 *   - a letter after it (the byte formed no GBK pair with the letter, as the
 *     last bytes of … and • do) → `•` at a line start, else `…`;
 *   - space before, a digit after → opening `“` (`“2030 Agenda`); space
 *     before, punctuation after → `—`;
 *   - after a word or punctuation, before space/punctuation/line end, i.e. a
 *     closing mark: the closing partner of the quotation open in the line
 *     (`”` or `’`); else after sentence punctuation `”` in a text that quotes
 *     with “ ” (`’` otherwise); else after an `s` the plural possessive `’`
 *     (`students’ work`); else after another letter `…`, since English
 *     hardly puts an apostrophe between a letter and a space.
 */
function guessLostPunctuation(
  previous: string | undefined,
  next: string | undefined,
  openQuote: OpenQuote,
  textUsesDoubleQuotes: boolean,
): string {
  const isSpace = (ch: string | undefined): boolean => ch === undefined || /\s/.test(ch);
  const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';
  const isLetter = (ch: string | undefined): boolean => ch !== undefined && /^[A-Za-z]$/.test(ch);
  const atLineStart = previous === undefined || previous === '\n';
  if (atLineStart && next === ' ') return '•';
  if (isSpace(previous) && isSpace(next)) return '—';
  if (isDigit(previous) && isDigit(next)) return '–';
  if (isLetter(next)) return atLineStart ? '•' : '…';
  if (isSpace(previous)) return isDigit(next) ? '“' : '—';
  if (isDigit(next)) return '–';
  if (openQuote === '“') return '”';
  if (openQuote === '‘') return '’';
  if (previous !== undefined && /[.,!?;:]/.test(previous)) return textUsesDoubleQuotes ? '”' : '’';
  if (isLetter(previous) && previous !== 's' && previous !== 'S') return '…';
  return '’';
}

const isLetterChar = (ch: string | undefined): boolean => ch !== undefined && /\p{L}/u.test(ch);

/** Which quotation is open at the end of the last line of `output` (nesting respected). */
function openQuoteInLastLine(output: string): OpenQuote {
  const lineStart = output.lastIndexOf('\n') + 1;
  const stack: Array<'“' | '‘'> = [];
  for (let i = lineStart; i < output.length; i++) {
    const ch = output[i];
    if (ch === '“' || ch === '‘') stack.push(ch);
    else if (ch === '”') {
      const at = stack.lastIndexOf('“');
      if (at >= 0) stack.length = at;
    } else if (ch === '’') {
      // An apostrophe (between letters: People’s, isn’t) closes nothing.
      if (isLetterChar(output[i + 1])) continue;
      const at = stack.lastIndexOf('‘');
      if (at >= 0) stack.length = at;
    }
  }
  return stack[stack.length - 1] ?? null;
}

function countCodePoints(text: string, from: number, to: number): number {
  let count = to - from;
  for (let i = from; i < to; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xdc00 && unit <= 0xdfff && i > 0) {
      const previous = text.charCodeAt(i - 1);
      if (previous >= 0xd800 && previous <= 0xdbff) count--;
    }
  }
  return count;
}

function findCandidates(text: string): Candidate[] {
  const table = gbkTable();
  const isRunChar = (unit: number): boolean => unit >= 0x80 && table[unit] !== 0;
  const candidates: Candidate[] = [];
  RUN_START.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = RUN_START.exec(text)) !== null) {
    let start = match.index;
    if (!isRunChar(text.charCodeAt(start))) continue;
    // Runs are maximal, so a Chinese word is never decoded in part.
    while (start > 0 && isRunChar(text.charCodeAt(start - 1))) start--;
    let end = match.index + 1;
    while (end < text.length) {
      const unit = text.charCodeAt(end);
      if (!isRunChar(unit) && unit !== REPLACEMENT_CHAR) break;
      end++;
    }
    RUN_START.lastIndex = end;
    const run = text.slice(start, end);
    const codes: number[] = [];
    const bytes: number[] = [];
    const isTrail: boolean[] = [];
    for (let i = 0; i < run.length; i++) {
      const unit = run.charCodeAt(i);
      if (unit === REPLACEMENT_CHAR) {
        bytes.push(UNKNOWN_BYTE);
        isTrail.push(false);
        continue;
      }
      const code = table[unit]!;
      codes.push(code);
      bytes.push(code >> 8, code & 0xff);
      isTrail.push(false, true);
    }
    const before = start > 0 ? text[start - 1] : undefined;
    const after = end < text.length ? text[end] : undefined;
    const decoded = decodeRunBytes(bytes, isTrail, after);
    if (decoded === null) continue;
    if (!isPlausibleRepair(run, codes, decoded, before, after)) continue;
    candidates.push({ start, end, pieces: decoded.pieces, lossy: decoded.lossy });
  }
  return candidates;
}

/** Repairs UTF-8 text that was decoded as GBK; offsets in repairs are code points of `text`. */
export function fixGbkMojibake(text: string): FixResult {
  if (!MAYBE_MOJIBAKE.test(text)) return { text, repairs: [] };
  const candidates = findCandidates(text);
  if (candidates.length === 0) return { text, repairs: [] };

  // Which quotation marks the text uses, counting the repaired runs too.
  let doubleOpeners = 0;
  let singleOpeners = 0;
  const countOpeners = (s: string): void => {
    for (const ch of s) {
      if (ch === '“') doubleOpeners++;
      else if (ch === '‘') singleOpeners++;
    }
  };
  countOpeners(text);
  for (const c of candidates) for (const p of c.pieces) if (typeof p === 'string') countOpeners(p);
  const textUsesDoubleQuotes = doubleOpeners > 0 && doubleOpeners >= singleOpeners;

  let output = '';
  let consumed = 0; // UTF-16 index into `text`
  let consumedCodePoints = 0;
  const repairs: Repair[] = [];
  for (const c of candidates) {
    output += text.slice(consumed, c.start);
    consumedCodePoints += countCodePoints(text, consumed, c.start);
    let after = '';
    c.pieces.forEach((piece, index) => {
      if (typeof piece === 'string') {
        after += piece;
        return;
      }
      const following = c.pieces[index + 1];
      const nextChar = typeof following === 'string' ? following[0] : text[c.end];
      // Only the current line matters; avoid copying the whole output per guess.
      const lineSoFar = output.slice(output.lastIndexOf('\n') + 1) + after;
      const previousChar = lineSoFar.length > 0 ? lineSoFar[lineSoFar.length - 1] : output.length > 0 ? '\n' : undefined;
      after += guessLostPunctuation(previousChar, nextChar, openQuoteInLastLine(lineSoFar), textUsesDoubleQuotes);
    });
    const before = text.slice(c.start, c.end);
    repairs.push({
      start: consumedCodePoints,
      end: consumedCodePoints + before.length, // runs are BMP characters only
      before,
      after,
      rule: c.lossy ? RULE_LOSSY : RULE_EXACT,
    });
    output += after;
    consumed = c.end;
    consumedCodePoints += before.length;
  }
  output += text.slice(consumed);
  return { text: output, repairs };
}
