// Byte-encoding detection. Off-the-shelf detectors (chardet, jschardet,
// uchardet) mislabel short English news text, so the order is: BOM, binary
// signatures, UTF-16 without BOM, strict UTF-8, and only then a ranking of
// legacy encodings by how plausible their decoded text is as English news.
import iconv from 'iconv-lite';

export type EncodingLabel = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'big5' | 'windows-1252';

export type Detection =
  | { ok: true; encoding: EncodingLabel; text: string; bom: boolean }
  | { ok: false; rule: string; reason: string };

/** Legacy encodings tried when the bytes are not UTF-8, in tie-break order. */
const LEGACY: readonly EncodingLabel[] = ['gb18030', 'big5', 'windows-1252'];

const SIGNATURES: ReadonlyArray<[string, number[]]> = [
  ['PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['JPEG image', [0xff, 0xd8, 0xff]],
  ['GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['PDF document', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['ZIP archive (or DOCX/XLSX)', [0x50, 0x4b, 0x03, 0x04]],
  ['gzip archive', [0x1f, 0x8b]],
  ['ELF executable', [0x7f, 0x45, 0x4c, 0x46]],
  ['WebP/RIFF media', [0x52, 0x49, 0x46, 0x46]],
  ['OLE2 document (DOC/XLS)', [0xd0, 0xcf, 0x11, 0xe0]],
];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  if (bytes.length < prefix.length) return false;
  return prefix.every((b, i) => bytes[i] === b);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const strictUtf16le = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });
const strictUtf16be = new TextDecoder('utf-16be', { fatal: true, ignoreBOM: true });

/** The text, or null when the bytes are not valid in the decoder's encoding. */
function strictDecode(decoder: TextDecoder, bytes: Uint8Array): string | null {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

function isValid(decoder: TextDecoder, bytes: Uint8Array): boolean {
  return strictDecode(decoder, bytes) !== null;
}

/** UTF-16 without BOM: English text has a zero high byte on most code units. */
function utf16Guess(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return null;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) zeroEven++;
    if (bytes[i + 1] === 0) zeroOdd++;
  }
  const units = n / 2;
  if (zeroOdd > units * 0.3 && zeroEven < units * 0.05) return 'utf-16le';
  if (zeroEven > units * 0.3 && zeroOdd < units * 0.05) return 'utf-16be';
  return null;
}

const isAsciiAlnum = (c: number) =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isCjk = (c: number) => (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf);
const isCjkPunctuation = (c: number) => (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef);

/**
 * How implausible a decoded text is as a news article (lower is better).
 * ASCII costs nothing; the question is only what the non-ASCII bytes became.
 */
export function implausibility(text: string): number {
  let cost = 0;
  const codes: number[] = [];
  for (const ch of text) codes.push(ch.codePointAt(0)!);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c < 0x80) {
      if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) cost += 50;
      continue;
    }
    const prev = codes[i - 1] ?? 0x20;
    const next = codes[i + 1] ?? 0x20;
    if (c === 0xfffd) cost += 100;
    else if (c <= 0x9f) cost += 50; // C1 controls
    else if ((c >= 0xe000 && c <= 0xf8ff) || c >= 0xf0000) cost += 50; // private use
    else if (c >= 0x2010 && c <= 0x2027) cost += 1; // dashes, quotes, ellipsis
    else if (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) cost += 1; // accented Latin letters
    else if (isCjk(c)) {
      // Chinese runs are plausible; a lone ideograph glued to Latin letters is not.
      if (isAsciiAlnum(prev) || isAsciiAlnum(next)) cost += 20;
      else if (isCjk(prev) || isCjk(next) || isCjkPunctuation(prev) || isCjkPunctuation(next)) cost += 1;
      else cost += 5;
    } else if (isCjkPunctuation(c)) cost += 2;
    else if (c >= 0xa0 && c <= 0xbf) cost += 10; // Latin-1 symbols: the usual debris of a wrong codec
    else cost += 8;
  }
  return cost;
}

function countReplacement(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\ufffd'); i !== -1; i = text.indexOf('\ufffd', i + 1)) n++;
  return n;
}

const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000E-\u001F\u007F-\u009F]/;

/** Share of code points that are control characters other than whitespace. */
function controlShare(text: string): number {
  // Most texts have none: one native scan instead of counting every code point.
  if (!CONTROL_CHARACTER.test(text)) return 0;
  let controls = 0;
  let total = 0;
  // Code points, read as code units: a surrogate pair counts once (and is no control).
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) i++;
    }
    total++;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || (c >= 0x7f && c <= 0x9f)) controls++;
  }
  return total === 0 ? 0 : controls / total;
}

export function detectAndDecode(bytes: Uint8Array): Detection {
  if (bytes.length === 0) return { ok: false, rule: 'empty-file', reason: 'the file is empty (0 bytes)' };
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
    const body = bytes.subarray(3);
    if (!isValid(strictUtf8, body)) {
      return { ok: false, rule: 'invalid-utf8', reason: 'the file starts with a UTF-8 byte-order mark but is not valid UTF-8' };
    }
    return { ok: true, encoding: 'utf-8', text: iconv.decode(Buffer.from(body), 'utf-8'), bom: true };
  }
  for (const [label, bom, decoder] of [
    ['utf-16le', [0xff, 0xfe], strictUtf16le],
    ['utf-16be', [0xfe, 0xff], strictUtf16be],
  ] as const) {
    if (startsWith(bytes, bom)) {
      const body = bytes.subarray(2);
      if (body.length % 2 !== 0 || !isValid(decoder, body)) {
        return { ok: false, rule: 'invalid-utf16', reason: `the file starts with a ${label.toUpperCase()} byte-order mark but is not valid ${label.toUpperCase()}` };
      }
      return { ok: true, encoding: label, text: iconv.decode(Buffer.from(body), label), bom: true };
    }
  }
  for (const [what, signature] of SIGNATURES) {
    if (startsWith(bytes, signature)) return { ok: false, rule: 'binary-file', reason: `binary data (${what}), not text` };
  }
  // UTF-16 of English text is full of zero bytes; without any (most files: a native search) there is nothing to guess.
  const hasZeroByte = bytes.includes(0);
  const utf16 = hasZeroByte ? utf16Guess(bytes) : null;
  if (utf16) {
    const decoder = utf16 === 'utf-16le' ? strictUtf16le : strictUtf16be;
    if (bytes.length % 2 === 0 && isValid(decoder, bytes)) {
      const text = iconv.decode(Buffer.from(bytes), utf16);
      if (controlShare(text) < 0.01) return { ok: true, encoding: utf16, text, bom: false };
    }
  }
  if (hasZeroByte) return { ok: false, rule: 'binary-file', reason: 'binary data (contains NUL bytes), not text' };
  // Valid UTF-8 decodes one way only, so the validity check's text is iconv-lite's (which would also strip a BOM:
  // there is none, files with one were handled above).
  const utf8 = strictDecode(strictUtf8, bytes);
  if (utf8 !== null) {
    if (controlShare(utf8) > 0.01) return { ok: false, rule: 'binary-file', reason: 'binary data (control characters), not text' };
    return { ok: true, encoding: 'utf-8', text: utf8, bom: false };
  }
  let best: { encoding: EncodingLabel; text: string; cost: number } | undefined;
  // iconv-lite only reads the bytes: a view of them, not a copy per candidate.
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const encoding of LEGACY) {
    const text = iconv.decode(view, encoding);
    const cost = implausibility(text);
    if (!best || cost < best.cost) best = { encoding, text, cost };
  }
  const { encoding, text } = best!;
  if (controlShare(text) > 0.01) {
    return { ok: false, rule: 'binary-file', reason: 'binary data (control characters in every candidate encoding), not text' };
  }
  const invalid = countReplacement(text);
  // windows-1252 leaves five bytes undefined; iconv-lite decodes them to U+FFFD.
  if (invalid > 0) {
    return {
      ok: false,
      rule: 'undecodable',
      reason: `not valid UTF-8, and no supported encoding decodes it cleanly (best: ${encoding}, ${invalid} invalid byte sequence${invalid === 1 ? '' : 's'})`,
    };
  }
  return { ok: true, encoding, text, bom: false };
}
