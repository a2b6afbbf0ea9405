// Regexes that recognise UTF-8 byte patterns inside mis-decoded text.
//
// Part of a TypeScript port of ftfy (https://github.com/rspeer/python-ftfy),
// copyright Robyn Speer, licensed under the Apache License 2.0. Ported from
// ftfy 6.3.1's `ftfy/chardata.py` (UTF8_CLUES, UTF8_DETECTOR_RE,
// ALTERED_UTF8_RE, LOSSY_UTF8_RE, C1_CONTROL_RE) and `ftfy/fixes.py`
// (A_GRAVE_WORD_RE).
//
// Byte regexes run over "byte strings": strings whose UTF-16 code units are
// the byte values 0x00–0xFF, so a match index is also a byte index.
import { CODECS, type CharmapEncoding } from './codecs.js';

// ftfy's UTF8_CLUES are generated from the "Latin-1-like" encodings below;
// we derive them from the same codec tables instead of copying the list.
const LATIN1_LIKE: readonly CharmapEncoding[] = [
  'latin-1',
  'sloppy-windows-1250',
  'sloppy-windows-1251',
  'sloppy-windows-1252',
  'sloppy-windows-1253',
  'sloppy-windows-1254',
  'sloppy-windows-1257',
];

function decodedChars(bytes: readonly number[]): Set<number> {
  const chars = new Set<number>();
  for (const encoding of LATIN1_LIKE) {
    for (const byte of bytes) chars.add(CODECS[encoding].decode[byte] as number);
  }
  return chars;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function classBody(chars: Iterable<number>): string {
  return [...chars]
    .sort((a, b) => a - b)
    .map((cp) => `\\u{${cp.toString(16)}}`)
    .join('');
}

// Continuation characters that usually stand for themselves next to
// mojibake (spaces, dashes, bullets, quotation marks, ellipses), excluded
// from the "strict" set.
const NOT_STRICT = new Set([0x20, 0x2013, 0x2014, 0x2015, 0x2018, 0x2019, 0x201a, 0x201c, 0x201d, 0x201e, 0x2022, 0x2026]);

const firstOf2 = decodedChars(range(0xc2, 0xdf));
const firstOf3 = decodedChars(range(0xe0, 0xef));
// Other lead bytes of 4-byte sequences correspond only to unassigned or rare code points.
const firstOf4 = decodedChars([0xf0, 0xf3]);
const continuation = new Set([...range(0x80, 0xbf), 0x20, ...decodedChars(range(0x80, 0xbf))]);
const continuationStrict = new Set([...continuation].filter((cp) => !NOT_STRICT.has(cp)));

/**
 * Runs of characters that look like UTF-8 sequences decoded in a
 * single-byte encoding, not preceded by a strict continuation character (so
 * a few characters in the middle of a huge garble are not "fixed").
 */
export const UTF8_DETECTOR_RE = new RegExp(
  `(?<![${classBody(continuationStrict)}])` +
    `(?:[${classBody(firstOf2)}][${classBody(continuation)}]` +
    `|[${classBody(firstOf3)}][${classBody(continuation)}]{2}` +
    `|[${classBody(firstOf4)}][${classBody(continuation)}]{3})+`,
  'gu',
);

/** UTF-8 sequences that would be valid if an ASCII space were byte 0xA0 again. */
export const ALTERED_UTF8_RE =
  /[\xc2\xc3\xc5\xce\xd0\xd9][ ]|[\xe2\xe3][ ][\x80-\x84\x86-\x9f\xa1-\xbf]|[\xe0-\xe3][\x80-\x84\x86-\x9f\xa1-\xbf][ ]|[\xf0][ ][\x80-\xbf][\x80-\xbf]|[\xf0][\x80-\xbf][ ][\x80-\xbf]|[\xf0][\x80-\xbf][\x80-\xbf][ ]/g;

/**
 * "Ã " as a word of its own is almost always "à" followed by a space (French
 * "à la"), except for Portuguese contractions such as "às" and "àquele".
 */
export const A_GRAVE_WORD_RE = /\xc3 (?! |quele|quela|quilo|s )/g;

/**
 * UTF-8 (and CESU-8) sequences where some continuation bytes were lost:
 * byte 0x1A stands for a character a sloppy codec decoded as U+FFFD, and an
 * ASCII "?" may stand in for at most one lost byte per sequence.
 */
export const LOSSY_UTF8_RE =
  /[\xc2-\xdf][\x1a]|[\xc2-\xc3][?]|\xed[\xa0-\xaf][\x1a?]\xed[\xb0-\xbf][\x1a?\x80-\xbf]|\xed[\xa0-\xaf][\x1a?\x80-\xbf]\xed[\xb0-\xbf][\x1a?]|[\xe0-\xef][\x1a?][\x1a\x80-\xbf]|[\xe0-\xef][\x1a\x80-\xbf][\x1a?]|[\xf0-\xf4][\x1a?][\x1a\x80-\xbf][\x1a\x80-\xbf]|[\xf0-\xf4][\x1a\x80-\xbf][\x1a?][\x1a\x80-\xbf]|[\xf0-\xf4][\x1a\x80-\xbf][\x1a\x80-\xbf][\x1a?]|\x1a/g;

export const C1_CONTROL_RE = /[\x80-\x9f]/;
