// Latin-family mojibake repair: UTF-8 text that was decoded as windows-1252,
// latin-1, windows-1250/1251/1253/1254/1257, iso-8859-2, mac-roman or cp437
// (possibly several times over), with a ledger of every repair.
//
// This is a TypeScript port of ftfy's `fix_encoding` (ftfy 6.3.1,
// https://github.com/rspeer/python-ftfy), copyright Robyn Speer, licensed
// under the Apache License 2.0. The logic of `ftfy/__init__.py`
// (fix_encoding_and_explain, _fix_encoding_one_step_and_explain) and
// `ftfy/fixes.py` (restore_byte_a0, replace_lossy_sequences,
// decode_inconsistent_utf8, fix_c1_controls) is ported here; the heuristic,
// codecs and regexes are in ./latin/. Changes from ftfy:
//  - Every character carries the span of input it came from, so the fixer
//    can report code-point-exact repairs.
//  - Like ftfy's `fix_text`, each line is fixed independently (an article
//    often has one broken paragraph among clean ones).
//  - Lossy guess (ftfy never guesses a lost character): "â€" followed by a
//    lost byte is the UTF-8 of U+2000–U+203F whose last byte was undefined in
//    windows-1252 (0x81, 0x8D, 0x8F, 0x90, 0x9D) and was replaced by U+FFFD
//    on decoding. Of those, only 0x9D → U+201D ” plausibly occurs in prose,
//    so byte 0x9D is put back and the text decodes to ” instead of ftfy's
//    U+FFFD. Where ftfy's lossy decoding accepts "?" for a lost byte (the
//    whole line re-decoded as sloppy windows-1252), "â€?" is guessed alike.
//    Rule id `utf8-as-cp1252-lossy`; ftfy's own lossy decodings to U+FFFD
//    get `utf8-as-<encoding>-lossy`.
import { badness as countBadness, hasMojibakeCharacters, isBad } from './latin/badness.js';
import {
  A_GRAVE_WORD_RE,
  ALTERED_UTF8_RE,
  C1_CONTROL_RE,
  LOSSY_UTF8_RE,
  UTF8_DETECTOR_RE,
} from './latin/chardata.js';
import {
  CHARMAP_ENCODINGS,
  CODECS,
  ENCODING_RULE_NAME,
  STRICT_WINDOWS_1252,
  type CharmapEncoding,
} from './latin/codecs.js';
import { decodeUtf8Variants } from './latin/utf8.js';
import type { FixResult, Repair } from './repair.js';

export { countBadness as badness, isBad };

/** Rule id for the lossy guess of a lost third byte of "â€". */
export const LOSSY_GUESS_RULE = 'utf8-as-cp1252-lossy';
const C1_RULE = 'c1-controls';
const SURROGATE_RULE = 'utf8-variant-surrogates';

/** A character (or, mid-repair, a byte) with the span of input code points it came from. */
interface Unit {
  cp: number;
  start: number;
  end: number;
  /** The repair rule that produced it; null while it is unchanged input. */
  rule: string | null;
}

const RIGHT_DOUBLE_QUOTE = 0x201d;
const LOSSY_GUESS_TAIL = 0x9d; // E2 80 9D is U+201D
const LOST_BYTE_GUESS = 0x9d; // sloppy-windows-1252 decodes byte 0x9D to U+009D
// ftfy loops until the text stops changing; every real case converges in a
// handful of rounds, so this only guards against pathological input.
const MAX_ROUNDS = 16;
const NON_ASCII_RE = /[^\x00-\x7f]/;

const utf16Decoder = new TextDecoder('utf-16le');

function unitsToText(units: readonly Unit[]): string {
  const codeUnits = new Uint16Array(units.length * 2);
  let length = 0;
  let loneSurrogate = false;
  for (const u of units) {
    const cp = u.cp;
    if (cp > 0xffff) {
      codeUnits[length++] = 0xd7c0 + (cp >> 10);
      codeUnits[length++] = 0xdc00 | (cp & 0x3ff);
    } else {
      if (cp >= 0xd800 && cp <= 0xdfff) loneSurrogate = true;
      codeUnits[length++] = cp;
    }
  }
  const used = codeUnits.subarray(0, length);
  // TextDecoder would turn a lone surrogate (possible in arbitrary input) into U+FFFD.
  if (!loneSurrogate) return utf16Decoder.decode(used);
  let text = '';
  for (let i = 0; i < length; i += 4096) text += String.fromCharCode(...used.subarray(i, i + 4096));
  return text;
}

/** Byte values as a string of code units 0x00–0xFF, so byte regexes can run on them. */
function byteString(bytes: Uint8Array | readonly number[]): string {
  // Node's "latin1" is true ISO-8859-1 (byte n → U+00nn), unlike TextDecoder's.
  const buffer = bytes instanceof Uint8Array ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length) : Buffer.from(bytes);
  return buffer.toString('latin1');
}

function mergedSpan(units: readonly Unit[]): { start: number; end: number } {
  let start = Infinity;
  let end = -Infinity;
  for (const u of units) {
    if (u.start < start) start = u.start;
    if (u.end > end) end = u.end;
  }
  return { start, end };
}

/** The rule of a character made from these units: a lossy step wins, then the earliest step. */
function combinedRule(units: readonly Unit[], stepRule: string): string {
  let first: string | null = null;
  for (const u of units) {
    if (u.rule === null) continue;
    if (u.rule.endsWith('-lossy')) return u.rule;
    first ??= u.rule;
  }
  return first ?? stepRule;
}

/**
 * Text encoded in a single-byte codec, each byte with the span and rule of
 * the character(s) it came from (parallel arrays: this runs on whole lines
 * for up to ten codecs, so it avoids an object per byte).
 */
interface ByteSeq {
  bytes: number[];
  start: number[];
  end: number[];
  rule: (string | null)[];
}

function byteSeqFrom(units: readonly Unit[], bytes: ArrayLike<number>): ByteSeq {
  const n = units.length;
  const seq: ByteSeq = { bytes: new Array(n), start: new Array(n), end: new Array(n), rule: new Array(n) };
  for (let i = 0; i < n; i++) {
    const u = units[i] as Unit;
    seq.bytes[i] = bytes[i] as number;
    seq.start[i] = u.start;
    seq.end[i] = u.end;
    seq.rule[i] = u.rule;
  }
  return seq;
}

/** Replaces each regex match in a byte sequence with what `replace` builds. */
function substituteBytes(
  seq: ByteSeq,
  regex: RegExp,
  replace: (match: string, from: number, out: ByteSeq) => void,
): ByteSeq {
  const text = byteString(seq.bytes);
  const out: ByteSeq = { bytes: [], start: [], end: [], rule: [] };
  const copy = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      out.bytes.push(seq.bytes[i] as number);
      out.start.push(seq.start[i] as number);
      out.end.push(seq.end[i] as number);
      out.rule.push(seq.rule[i] as string | null);
    }
  };
  let last = 0;
  regex.lastIndex = 0;
  for (const match of text.matchAll(regex)) {
    copy(last, match.index);
    replace(match[0], match.index, out);
    last = match.index + match[0].length;
  }
  if (last === 0) return seq;
  copy(last, seq.bytes.length);
  return out;
}

/** ftfy `restore_byte_a0`: put back 0xA0 bytes that became ASCII spaces. */
function restoreByteA0(seq: ByteSeq): ByteSeq {
  const withAGrave = substituteBytes(seq, A_GRAVE_WORD_RE, (_match, from, out) => {
    // "\xc3 " → "\xc3\xa0 ": the inserted byte belongs to the Ã.
    for (const [i, byte] of [[from, 0xc3], [from, 0xa0], [from + 1, 0x20]] as const) {
      out.bytes.push(byte);
      out.start.push(seq.start[i] as number);
      out.end.push(seq.end[i] as number);
      out.rule.push(seq.rule[i] as string | null);
    }
  });
  return substituteBytes(withAGrave, ALTERED_UTF8_RE, (match, from, out) => {
    for (let i = from; i < from + match.length; i++) {
      const byte = withAGrave.bytes[i] as number;
      out.bytes.push(byte === 0x20 ? 0xa0 : byte);
      out.start.push(withAGrave.start[i] as number);
      out.end.push(withAGrave.end[i] as number);
      out.rule.push(withAGrave.rule[i] as string | null);
    }
  });
}

/** ftfy `replace_lossy_sequences`, plus the project's guess for "â€" + a lost byte. */
function replaceLossySequences(seq: ByteSeq, encoding: CharmapEncoding): ByteSeq {
  const lossyRule = `utf8-as-${ENCODING_RULE_NAME[encoding]}-lossy`;
  return substituteBytes(seq, LOSSY_UTF8_RE, (match, from, out) => {
    let start = Infinity;
    let end = -Infinity;
    for (let i = from; i < from + match.length; i++) {
      start = Math.min(start, seq.start[i] as number);
      end = Math.max(end, seq.end[i] as number);
    }
    const isQuoteGuess =
      encoding === 'sloppy-windows-1252' &&
      match.length === 3 &&
      match.charCodeAt(0) === 0xe2 &&
      match.charCodeAt(1) === 0x80;
    const bytes = isQuoteGuess ? [0xe2, 0x80, LOSSY_GUESS_TAIL] : [0xef, 0xbf, 0xbd];
    for (const byte of bytes) {
      out.bytes.push(byte);
      out.start.push(start);
      out.end.push(end);
      out.rule.push(isQuoteGuess ? LOSSY_GUESS_RULE : lossyRule);
    }
  });
}

/** Bytes → text as UTF-8 (with ftfy's variants), or null if they are not UTF-8. */
function decodeByteSeq(seq: ByteSeq, stepRule: string): Unit[] | null {
  const out: Unit[] = [];
  const ok = decodeUtf8Variants(seq.bytes, (cp, from, to, surrogatePair) => {
    let start = seq.start[from] as number;
    let end = seq.end[from] as number;
    let rule = seq.rule[from] as string | null;
    if (to - from > 1) {
      let first: string | null = null;
      let lossy: string | null = null;
      for (let i = from; i < to; i++) {
        start = Math.min(start, seq.start[i] as number);
        end = Math.max(end, seq.end[i] as number);
        const r = seq.rule[i] as string | null;
        if (r !== null && r.endsWith('-lossy')) lossy ??= r;
        if (r !== null) first ??= r;
      }
      rule = lossy ?? first ?? (surrogatePair ? SURROGATE_RULE : stepRule);
    }
    out.push({ cp, start, end, rule });
  });
  return ok ? out : null;
}

/**
 * Encodes the text in the codec, applies ftfy's byte fixes and decodes the
 * result as UTF-8. Returns 'impossible' if some character is not in the codec,
 * null if the bytes are not UTF-8.
 */
function tryRedecoding(units: readonly Unit[], encoding: CharmapEncoding): Unit[] | null | 'impossible' {
  const table = CODECS[encoding].encodeBmp;
  const bytes = new Uint8Array(units.length);
  for (let i = 0; i < units.length; i++) {
    const cp = (units[i] as Unit).cp;
    const byte = cp < 0x10000 ? (table[cp] as number) : -1;
    if (byte < 0) return 'impossible';
    bytes[i] = byte;
  }
  const text = byteString(bytes);
  ALTERED_UTF8_RE.lastIndex = 0;
  // In macroman, an en dash followed by a space would look like an altered 0xA0.
  const restoreA0 = encoding !== 'macroman' && ALTERED_UTF8_RE.test(text);
  LOSSY_UTF8_RE.lastIndex = 0;
  const lossy = encoding.startsWith('sloppy-') && LOSSY_UTF8_RE.test(text);
  // Cheap rejection: with no byte fixes to apply, most attempts fail here.
  if (!restoreA0 && !lossy && !decodeUtf8Variants(bytes)) return null;
  let seq = byteSeqFrom(units, bytes);
  if (restoreA0) seq = restoreByteA0(seq);
  if (lossy) seq = replaceLossySequences(seq, encoding);
  return decodeByteSeq(seq, `utf8-as-${ENCODING_RULE_NAME[encoding]}`);
}

/** ftfy `decode_inconsistent_utf8`: fix UTF-8-looking runs embedded in other text. */
function decodeInconsistentUtf8(units: readonly Unit[], text: string): Unit[] {
  // Map UTF-16 offsets of `text` to unit indexes.
  const unitAt = new Int32Array(text.length + 1);
  let offset = 0;
  for (let i = 0; i < units.length; i++) {
    unitAt[offset] = i;
    offset += (units[i] as Unit).cp > 0xffff ? 2 : 1;
  }
  unitAt[offset] = units.length;

  const out: Unit[] = [];
  let last = 0;
  UTF8_DETECTOR_RE.lastIndex = 0;
  for (const match of text.matchAll(UTF8_DETECTOR_RE)) {
    const from = unitAt[match.index] as number;
    const to = unitAt[match.index + match[0].length] as number;
    for (let i = last; i < from; i++) out.push(units[i] as Unit);
    const piece = units.slice(from, to);
    // Requiring the match to be shorter than the text keeps this from recursing forever.
    if (piece.length < units.length && isBad(match[0])) out.push(...fixEncoding(piece, match[0]).units);
    else out.push(...piece);
    last = to;
  }
  for (let i = last; i < units.length; i++) out.push(units[i] as Unit);
  return out;
}

/** Maps C1 controls to what windows-1252 has at those bytes (ftfy `fix_c1_controls`). */
function fixC1Controls(units: readonly Unit[]): Unit[] {
  const table = CODECS['sloppy-windows-1252'].decode;
  return units.map((u) => {
    if (u.cp < 0x80 || u.cp > 0x9f) return u;
    const cp = table[u.cp] as number;
    return cp === u.cp ? u : { ...u, cp, rule: u.rule ?? C1_RULE };
  });
}

/** One step of ftfy's `_fix_encoding_one_step_and_explain`. */
function fixEncodingOneStep(units: readonly Unit[], text: string): readonly Unit[] {
  if (units.length === 0 || !NON_ASCII_RE.test(text) || !isBad(text)) return units;

  const possibleEncodings: CharmapEncoding[] = [];
  for (const encoding of CHARMAP_ENCODINGS) {
    const decoded = tryRedecoding(units, encoding);
    if (decoded === 'impossible') continue;
    possibleEncodings.push(encoding);
    if (decoded !== null) return decoded;
  }

  UTF8_DETECTOR_RE.lastIndex = 0;
  if (UTF8_DETECTOR_RE.test(text)) {
    const fixed = decodeInconsistentUtf8(units, text);
    if (unitsToText(fixed) !== text) return fixed;
  }

  // ftfy checks `"windows-1252" in possible_1byte_encodings`, which never
  // holds (the list has "sloppy-windows-1252"), so Latin-1 text always gets
  // a strict windows-1252 re-decoding attempt here.
  if (possibleEncodings.includes('latin-1')) {
    const undecodable = units.some((u) => STRICT_WINDOWS_1252[u.cp] === 0xfffd);
    if (!undecodable) {
      const fixed = units.map((u) => {
        const cp = STRICT_WINDOWS_1252[u.cp] as number;
        return cp === u.cp ? u : { ...u, cp, rule: u.rule ?? C1_RULE };
      });
      if (unitsToText(fixed) !== text) return fixed;
    }
  }

  if (C1_CONTROL_RE.test(text)) return fixC1Controls(units);
  return units;
}

/**
 * ftfy `fix_encoding`: repeat single steps until the text stops changing.
 * `text` is the text of `units` when the caller already has it.
 */
function fixEncoding(units: readonly Unit[], text = unitsToText(units)): { units: Unit[]; text: string } {
  let current = units;
  let currentText = text;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const next = fixEncodingOneStep(current, currentText);
    if (next === current) break;
    const nextText = unitsToText(next);
    if (nextText === currentText) break;
    current = next;
    currentText = nextText;
  }
  return { units: current as Unit[], text: currentText };
}

/**
 * The project's lossy guess, before ftfy's fixer runs: in "â€�" the U+FFFD
 * stands for the lost byte 0x9D (see the header), so it is put back as
 * U+009D, the character sloppy-windows-1252 gives that byte. The fixer then
 * decodes it in whatever layer it belongs to, also where the line cannot be
 * re-decoded as a whole, and also in double mojibake ("Ã¢â‚¬â€�" is "—"
 * encoded twice).
 */
function guessLostBytes(units: readonly Unit[]): { units: readonly Unit[]; guessed: boolean } {
  let guessed = false;
  const out = units.map((u, i) => {
    if (u.cp !== 0xfffd || i < 2 || units[i - 1]!.cp !== 0x20ac || units[i - 2]!.cp !== 0xe2) return u;
    guessed = true;
    return { ...u, cp: LOST_BYTE_GUESS, rule: LOSSY_GUESS_RULE };
  });
  return { units: out, guessed };
}

/**
 * Where the fixer left a guessed byte undecoded: write ” directly if "â€"
 * still precedes it, else give back the U+FFFD.
 */
function settleLostByteGuesses(units: readonly Unit[]): readonly Unit[] {
  const out: Unit[] = [];
  for (const u of units) {
    if (u.cp !== LOST_BYTE_GUESS || u.rule !== LOSSY_GUESS_RULE) {
      out.push(u);
      continue;
    }
    const a = out[out.length - 2];
    const euro = out[out.length - 1];
    if (a?.cp === 0xe2 && euro?.cp === 0x20ac) {
      out.length -= 2;
      out.push({ cp: RIGHT_DOUBLE_QUOTE, ...mergedSpan([a, euro, u]), rule: LOSSY_GUESS_RULE });
    } else {
      out.push({ ...u, cp: 0xfffd });
    }
  }
  return out;
}

function lineNeedsWork(line: string): boolean {
  return NON_ASCII_RE.test(line) && (isBad(line) || line.includes('\u00e2\u20ac\ufffd'));
}

/** A line of input addressed by code-point offsets. */
interface LineText {
  length: number;
  slice(from: number, to: number): string;
}

/**
 * Groups output units by overlapping input spans into repairs (offsets into
 * `input`, shifted by `offset`); unchanged groups are dropped and touching
 * changed groups merged, so there is one repair per contiguous changed region.
 */
function buildRepairs(input: LineText, units: readonly Unit[], offset: number): Repair[] {
  const repairs: Repair[] = [];
  const push = (start: number, end: number, after: string, rule: string): void => {
    const before = input.slice(start, end);
    if (before === after) return;
    const previous = repairs[repairs.length - 1];
    if (previous !== undefined && previous.end === start + offset) {
      previous.end = end + offset;
      previous.before += before;
      previous.after += after;
      if (rule.endsWith('-lossy')) previous.rule = rule;
      return;
    }
    repairs.push({ start: start + offset, end: end + offset, before, after, rule });
  };

  let covered = 0;
  let i = 0;
  while (i < units.length) {
    const first = units[i] as Unit;
    i++;
    // An untouched input character: nothing to report.
    if (first.rule === null && first.end === first.start + 1 && first.start >= covered) {
      const next = units[i];
      if (next === undefined || next.start >= first.end) {
        if (first.start > covered) push(covered, first.start, '', C1_RULE); // input lost without output (not expected)
        covered = first.end;
        continue;
      }
    }
    let start = first.start;
    let end = first.end;
    const group: Unit[] = [first];
    while (i < units.length && (units[i] as Unit).start < end) {
      const u = units[i] as Unit;
      if (u.end > end) end = u.end;
      if (u.start < start) start = u.start;
      group.push(u);
      i++;
    }
    if (start > covered) push(covered, start, '', C1_RULE); // input lost without output (not expected)
    push(start, end, String.fromCodePoint(...group.map((u) => u.cp)), combinedRule(group, 'utf8-as-cp1252'));
    covered = Math.max(covered, end);
  }
  if (covered < input.length) push(covered, input.length, '', C1_RULE);
  return repairs;
}

function applyRepairs(input: LineText, repairs: readonly Repair[], offset: number): string {
  let out = '';
  let position = 0;
  for (const r of repairs) {
    out += input.slice(position, r.start - offset) + r.after;
    position = r.end - offset;
  }
  return out + input.slice(position, input.length);
}

/** A single repair covering everything between the common prefix and suffix (fallback). */
function diffRepair(line: string, output: string, offset: number, rule: string): Repair[] {
  const input = Array.from(line);
  const outChars = Array.from(output);
  let prefix = 0;
  while (prefix < input.length && prefix < outChars.length && input[prefix] === outChars[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < input.length - prefix &&
    suffix < outChars.length - prefix &&
    input[input.length - 1 - suffix] === outChars[outChars.length - 1 - suffix]
  ) {
    suffix++;
  }
  if (prefix === input.length && prefix === outChars.length) return [];
  return [
    {
      start: prefix + offset,
      end: input.length - suffix + offset,
      before: input.slice(prefix, input.length - suffix).join(''),
      after: outChars.slice(prefix, outChars.length - suffix).join(''),
      rule,
    },
  ];
}

/** Fixes one line; `offset` is the code-point offset of the line in the whole text. */
function fixLine(line: string, offset: number): FixResult {
  const units: Unit[] = [];
  const utf16Offsets: number[] = [];
  for (let i = 0; i < line.length; i++) {
    utf16Offsets.push(i);
    let cp = line.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff) {
      const low = line.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = ((cp - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
        i++;
      }
    }
    units.push({ cp, start: units.length, end: units.length + 1, rule: null });
  }
  utf16Offsets.push(line.length);
  const input: LineText = {
    length: units.length,
    slice: (from, to) => line.slice(utf16Offsets[from], utf16Offsets[to]),
  };
  const guess = guessLostBytes(units);
  let fixed: readonly Unit[];
  let output: string;
  if (guess.guessed) {
    fixed = settleLostByteGuesses(fixEncoding(guess.units).units);
    output = unitsToText(fixed);
  } else {
    ({ units: fixed, text: output } = fixEncoding(units, line));
  }
  if (output === line) return { text: line, repairs: [] };
  let repairs = buildRepairs(input, fixed, offset);
  if (applyRepairs(input, repairs, offset) !== output) repairs = diffRepair(line, output, offset, 'utf8-as-cp1252');
  return { text: output, repairs };
}

const HIGH_SURROGATE_RE = /[\ud800-\udbff]/;

function countCodePoints(text: string): number {
  if (!HIGH_SURROGATE_RE.test(text)) return text.length;
  let count = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}

function fixLines(text: string): FixResult {
  // Like ftfy's fix_text, each line is fixed on its own.
  let output = '';
  const repairs: Repair[] = [];
  let copiedUpTo = 0; // UTF-16 offset of text not yet copied to the output
  let countedUpTo = 0; // UTF-16 offset up to which code points are counted
  let codePoints = 0;
  let lineStart = 0;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline + 1;
    const line = text.slice(lineStart, lineEnd);
    if (lineNeedsWork(line)) {
      codePoints += countCodePoints(text.slice(countedUpTo, lineStart));
      countedUpTo = lineStart;
      const result = fixLine(line, codePoints);
      if (result.repairs.length > 0) {
        output += text.slice(copiedUpTo, lineStart) + result.text;
        copiedUpTo = lineEnd;
        repairs.push(...result.repairs);
      }
    }
    lineStart = lineEnd;
  }
  return repairs.length === 0 ? { text, repairs: [] } : { text: output + text.slice(copiedUpTo), repairs };
}

/**
 * Repairs UTF-8 text that was mis-decoded in a Latin-family single-byte
 * encoding (ftfy's `fix_encoding`, line by line, plus the "â€" + lost byte →
 * ” guess). Repairs carry code-point offsets into `text`. Never throws: on an
 * internal error the text is returned unchanged.
 */
export function fixLatinMojibake(text: string): FixResult {
  // Fast path: nothing outside ASCII, or none of the characters mojibake is
  // made of (every badness pattern and "â€�" need one of them).
  if (!NON_ASCII_RE.test(text) || !hasMojibakeCharacters(text)) return { text, repairs: [] };
  try {
    return fixLines(text);
  } catch {
    return { text, repairs: [] };
  }
}
