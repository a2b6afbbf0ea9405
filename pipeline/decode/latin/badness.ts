// The "badness" heuristic: does this text contain sequences that are far
// more likely to be mojibake than intended text?
//
// Part of a TypeScript port of ftfy (https://github.com/rspeer/python-ftfy),
// copyright Robyn Speer, licensed under the Apache License 2.0. Ported from
// ftfy 6.3.1's `ftfy/badness.py` (MOJIBAKE_CATEGORIES, BADNESS_RE, is_bad).
//
// Python's `\w` and `\s` are Unicode-aware while JavaScript's are ASCII-only,
// so they are spelled out below (PY_WORD, PY_SPACE); Python's `.` only
// excludes "\n", hence `[^\n]`.

/** The ~400 characters that occur in UTF-8 mojibake, by role. Regex class fragments. */
export const MOJIBAKE_CATEGORIES = {
  // Characters that appear in many different contexts; not mojibake by themselves.
  common: '\u00a0\u00ad\u00b7\u00b4\u2013\u2014\u2015\u2026\u2019',
  // The C1 control characters, which have no uses outside of mojibake anymore.
  c1: '\u0080-\u009f',
  // Characters that are nearly 100% used in mojibake.
  bad:
    '\u00a6\u00a4\u00a8\u00ac\u00af\u00b8\u0192\u02c6\u02c7\u02d8\u02db\u02dc\u2020\u2021\u2030\u2310\u25ca\ufffd' +
    '\u00aa\u00ba',
  law: '\u00b6\u00a7',
  currency: '\u00a2\u00a3\u00a5\u20a7\u20ac',
  start_punctuation: '\u00a1\u00ab\u00bf\u00a9\u0384\u0385\u2018\u201a\u201c\u201e\u2022\u2039\uf8ff',
  end_punctuation: '\u00ae\u00bb\u02dd\u201d\u203a\u2122',
  numeric:
    '\u00b2\u00b3\u00b9\u00b1\u00bc\u00bd\u00be\u00d7\u00b5\u00f7\u2044\u2202\u2206\u220f\u2211\u221a\u221e\u2229\u222b\u2248\u2260\u2261\u2264\u2265\u2116',
  // Letters that might be used in kaomoji faces, so they may appear in odd contexts.
  kaomoji: '\u00d2-\u00d6\u00d9-\u00dc\u00f2-\u00f6\u00f8-\u00fc\u0150\u014c\u016a\u0172\u00b0',
  upper_accented:
    '\u00c0-\u00d1\u00d8\u00dc\u00dd\u0102\u0100\u0104\u0106\u010c\u010e\u0110\u0118\u011a\u0112\u0116\u011e\u0122\u0130' +
    '\u012a\u0136\u0139\u013d\u0141\u013b\u0143\u0147\u0145\u0152\u0158\u015a\u015e\u0160\u0162\u0164\u016e\u0170\u0178' +
    '\u0179\u017b\u017d\u0490',
  lower_accented:
    '\u00df\u00e0-\u00f1\u0103\u0105\u0101\u0107\u010d\u010f\u0111\u0119\u011b\u0113\u0117\u011f\u0123\u012f\u012b\u0137' +
    '\u013a\u013e\u0142\u013c\u0153\u0155\u015b\u015f\u0161\u0165\u00fc\u017a\u017c\u017e\u0491\ufb01\ufb02',
  upper_common:
    '\u00de\u0391-\u03a9\u0386\u0388\u0389\u038a\u038c\u038e\u038f\u03aa\u03ab\u0401-\u042f',
  lower_common: '\u03b1-\u03c9\u03ac\u03ad\u03ae\u03af\u03b0\u0430-\u045f',
  box: '\u2502\u250c\u2510\u2518\u251c\u2524\u252c\u253c\u2550-\u256c\u2580\u2584\u2588\u258c\u2590\u2591\u2592\u2593',
} as const;

const PY_WORD = '[\\p{L}\\p{N}_]';
const PY_SPACE = '[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';

function buildBadnessSource(): string {
  const c = MOJIBAKE_CATEGORIES;
  const cls = (...parts: string[]): string => `[${parts.join('')}]`;
  const alternatives = [
    cls(c.c1),
    cls(c.bad, c.lower_accented, c.upper_accented, c.box, c.start_punctuation, c.end_punctuation, c.currency, c.numeric, c.law) +
      cls(c.bad),
    '[a-zA-Z]' + cls(c.lower_common, c.upper_common) + cls(c.bad),
    cls(c.bad) +
      cls(c.lower_accented, c.upper_accented, c.box, c.start_punctuation, c.end_punctuation, c.currency, c.numeric, c.law),
    cls(c.lower_accented, c.lower_common, c.box, c.end_punctuation, c.currency, c.numeric) + cls(c.upper_accented),
    cls(c.box, c.end_punctuation, c.currency, c.numeric) + cls(c.lower_accented),
    cls(c.lower_accented, c.box, c.end_punctuation) + cls(c.currency),
    PY_SPACE + cls(c.upper_accented) + cls(c.currency),
    cls(c.upper_accented, c.box) + cls(c.numeric, c.law),
    cls(c.lower_accented, c.upper_accented, c.box, c.currency, c.end_punctuation) + cls(c.start_punctuation) + cls(c.numeric),
    cls(c.lower_accented, c.upper_accented, c.currency, c.numeric, c.box, c.law) + cls(c.end_punctuation) + cls(c.start_punctuation),
    cls(c.currency, c.numeric, c.box) + cls(c.start_punctuation),
    '[a-z]' + cls(c.upper_accented) + cls(c.start_punctuation, c.currency),
    cls(c.box) + cls(c.kaomoji),
    cls(c.lower_accented, c.upper_accented, c.currency, c.numeric, c.start_punctuation, c.end_punctuation, c.law) + cls(c.box),
    cls(c.box) + cls(c.end_punctuation),
    cls(c.lower_accented, c.upper_accented) + cls(c.start_punctuation, c.end_punctuation) + PY_WORD,
    // The ligature œ when not followed by an unaccented Latin letter
    '[\u0152\u0153][^A-Za-z]',
    // Degree signs after capital letters
    cls(c.upper_accented) + '\u00b0',
    // Common Windows-1252 2-character mojibake that isn't covered by the cases above
    '[\u00c2\u00c3\u00ce\u00d0]' +
      cls('\u20ac\u0153\u0160\u0161\u00a2\u00a3\u0178\u017e\\xa0\\xad\u00ae\u00a9\u00b0\u00b7\u00bb', c.start_punctuation, c.end_punctuation, '\u2013\u2014\u00b4'),
    '\u00d7[\u00b2\u00b3]',
    // Windows-1252 mojibake of Arabic words needs to include the 'common'
    // characters; to compensate, four characters must match.
    '[\u00d8\u00d9]' + cls(c.common, c.currency, c.bad, c.numeric, c.start_punctuation, '\u0178\u0160\u00ae\u00b0\u00b5\u00bb') +
      '[\u00d8\u00d9]' + cls(c.common, c.currency, c.bad, c.numeric, c.start_punctuation, '\u0178\u0160\u00ae\u00b0\u00b5\u00bb'),
    // Windows-1252 mojibake that starts 3-character sequences for some South Asian alphabets
    '\u00e0[\u00b2\u00b5\u00b9\u00bc\u00bd\u00be]',
    // MacRoman mojibake that isn't covered by the cases above
    '\u221a[\u00b1\u2202\u2020\u2260\u00ae\u2122\u00b4\u2264\u2265\u00a5\u00b5\u00f8]',
    '\u2248[\u00b0\u00a2]',
    '\u201a\u00c4[\u00ec\u00ee\u00ef\u00f2\u00f4\u00fa\u00f9\u00fb\u2020\u00b0\u00a2\u03c0]',
    '\u201a[\u00e2\u00f3][\u00e0\u00e4\u00b0\u00ea]',
    // Windows-1251 mojibake of characters in the U+2000 range
    '\u0432\u0402',
    // Windows-1251 mojibake of Latin-1 characters and/or the Cyrillic alphabet
    '[\u0412\u0413\u0420\u0421]' + cls(c.c1, c.bad, c.start_punctuation, c.end_punctuation, c.currency, '\u00b0\u00b5') + '[\u0412\u0413\u0420\u0421]',
    // Windows-1251 mojibake on top of Latin-1 mojibake of Windows-1252 characters
    '\u0413\u045e\u0412\u0402\u0412[^\\n][A-Za-z ]',
    // Windows-1252 encodings of 'à' and 'á', as well as \xa0 itself
    '\u00c3[\\xa0\u00a1]',
    '[a-z]' + PY_SPACE + '?[\u00c3\u00c2][ ]',
    '^[\u00c3\u00c2][ ]',
    // Â preceding a character as an encoding of exactly the same character
    cls('a-z.,?!', c.end_punctuation) + '\u00c2' + cls(' ', c.start_punctuation, c.end_punctuation),
    // Windows-1253 mojibake of characters in the U+2000 range
    '\u03b2\u20ac[\u2122\\xa0\u0386\\xad\u00ae\u00b0]',
    // Windows-1253 mojibake of Latin-1 characters and/or the Greek alphabet
    '[\u0392\u0393\u039e\u039f]' + cls(c.c1, c.bad, c.start_punctuation, c.end_punctuation, c.currency, '\u00b0') + '[\u0392\u0393\u039e\u039f]',
    // Windows-1257 mojibake of characters in the U+2000 range
    '\u0101\u20ac',
  ];
  return alternatives.join('|');
}

export const BADNESS_SOURCE = buildBadnessSource();
const BADNESS_RE = new RegExp(BADNESS_SOURCE, 'u');
const BADNESS_RE_GLOBAL = new RegExp(BADNESS_SOURCE, 'gu');
const BADNESS_RE_STICKY = new RegExp(BADNESS_SOURCE, 'uy');

// Every alternative of BADNESS_RE needs a non-ASCII character from one of
// its explicit classes (or a non-ASCII Python whitespace) within its first
// three characters, and the characters before it are BMP. So a match can
// only start 0–2 UTF-16 units before such an "anchor" character, and
// is_bad only has to try those few positions instead of the whole text.
const ANCHOR_CHARS = [
  ...Object.values(MOJIBAKE_CATEGORIES),
  '\u0152\u0153\u00c2\u00c3\u00ce\u00d0\u20ac\u0160\u0161\u00a2\u00a3\u0178\u017e\u00ae\u00a9\u00b0\u00b7\u00bb',
  '\u2013\u2014\u00b4\u00d7\u00b2\u00b3\u00d8\u00d9\u00b5\u00e0\u00b9\u00bc\u00bd\u00be\u221a\u00b1\u2202',
  '\u2020\u2260\u2122\u2264\u2265\u00a5\u00f8\u2248\u201a\u00c4\u00ec\u00ee\u00ef\u00f2\u00f4\u00fa\u00f9',
  '\u00fb\u03c0\u00e2\u00f3\u00e4\u00ea\u0432\u0402\u0412\u0413\u0420\u0421\u045e\u00a1\u03b2\u0386',
  '\u0392\u0393\u039e\u039f\u0101\u00a0\u00ad',
  '\x85\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000',
].join('');
const ANCHOR_TEST_RE = new RegExp(`[${ANCHOR_CHARS}]`, 'u');
// All anchors are BMP characters; a lookup table makes the scan a tight loop.
const IS_ANCHOR = new Uint8Array(0x10000);
for (let cp = 0x80; cp < 0x10000; cp++) {
  if (ANCHOR_TEST_RE.test(String.fromCharCode(cp))) IS_ANCHOR[cp] = 1;
}

/**
 * Cheap precheck: false means no character that mojibake is made of occurs,
 * so `isBad` is false and nothing can need fixing.
 */
export function hasMojibakeCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x80 && IS_ANCHOR[unit] === 1) return true;
  }
  return false;
}

/** True iff the text contains a sequence that looks like mojibake (ftfy's `is_bad`). */
export function isBad(text: string): boolean {
  let tried = -1; // last start position already tried
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80 || IS_ANCHOR[unit] !== 1) continue;
    for (let start = Math.max(i - 2, tried + 1); start <= i; start++) {
      BADNESS_RE_STICKY.lastIndex = start;
      if (BADNESS_RE_STICKY.test(text)) return true;
    }
    tried = i;
  }
  return false;
}

/** ftfy's `is_bad` as one plain regex search: the reference `isBad` must agree with. */
export function isBadReference(text: string): boolean {
  return BADNESS_RE.test(text);
}

/** Number of non-overlapping mojibake-like sequences (ftfy's `badness`). */
export function badness(text: string): number {
  let count = 0;
  BADNESS_RE_GLOBAL.lastIndex = 0;
  while (BADNESS_RE_GLOBAL.exec(text) !== null) count++;
  return count;
}
