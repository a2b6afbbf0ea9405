// Strict UTF-8 decoding extended with ftfy's "utf-8-variants": CESU-8
// surrogate pairs (UTF-8 layered on UTF-16) and Java's two-byte NUL.
//
// Part of a TypeScript port of ftfy (https://github.com/rspeer/python-ftfy),
// copyright Robyn Speer, licensed under the Apache License 2.0. Ported from
// ftfy 6.3.1's `ftfy/bad_codecs/utf8_variants.py`; everything else follows
// Python's strict UTF-8 decoder (no overlongs, no lone surrogates, nothing
// above U+10FFFF), because a sequence that does not decode means the
// re-decoding attempt fails.

/**
 * Receives each decoded character with the byte range [from, to) it came
 * from; `surrogatePair` is true for a six-byte CESU-8 sequence.
 */
export type CharSink = (cp: number, from: number, to: number, surrogatePair: boolean) => void;

const ignore: CharSink = () => undefined;

const inRange = (b: number | undefined, lo: number, hi: number): boolean => b !== undefined && b >= lo && b <= hi;

/**
 * Decodes the bytes, passing each character to `sink`; returns false where
 * Python's "utf-8-variants" would raise (the sink may have seen a prefix).
 */
export function decodeUtf8Variants(bytes: ArrayLike<number>, sink: CharSink = ignore): boolean {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b0 = bytes[i] as number;
    if (b0 < 0x80) {
      sink(b0, i, i + 1, false);
      i += 1;
      continue;
    }
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    const b3 = bytes[i + 3];
    if (b0 === 0xc0 && b1 === 0x80) {
      sink(0, i, i + 2, false);
      i += 2;
      continue;
    }
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      if (!inRange(b1, 0x80, 0xbf)) return false;
      sink(((b0 & 0x1f) << 6) | ((b1 as number) & 0x3f), i, i + 2, false);
      i += 2;
      continue;
    }
    if (b0 === 0xed && inRange(b1, 0xa0, 0xaf) && inRange(b2, 0x80, 0xbf)) {
      const b4 = bytes[i + 4];
      const b5 = bytes[i + 5];
      if (b3 === 0xed && inRange(b4, 0xb0, 0xbf) && inRange(b5, 0x80, 0xbf)) {
        const cp =
          (((b1 as number) & 0x0f) << 16) +
          (((b2 as number) & 0x3f) << 10) +
          (((b4 as number) & 0x0f) << 6) +
          ((b5 as number) & 0x3f) +
          0x10000;
        sink(cp, i, i + 6, true);
        i += 6;
        continue;
      }
      return false; // a lone surrogate
    }
    if (b0 >= 0xe0 && b0 <= 0xef) {
      const lo = b0 === 0xe0 ? 0xa0 : 0x80;
      const hi = b0 === 0xed ? 0x9f : 0xbf;
      if (!inRange(b1, lo, hi) || !inRange(b2, 0x80, 0xbf)) return false;
      const cp = ((b0 & 0x0f) << 12) | (((b1 as number) & 0x3f) << 6) | ((b2 as number) & 0x3f);
      sink(cp, i, i + 3, false);
      i += 3;
      continue;
    }
    if (b0 >= 0xf0 && b0 <= 0xf4) {
      const lo = b0 === 0xf0 ? 0x90 : 0x80;
      const hi = b0 === 0xf4 ? 0x8f : 0xbf;
      if (!inRange(b1, lo, hi) || !inRange(b2, 0x80, 0xbf) || !inRange(b3, 0x80, 0xbf)) return false;
      const cp =
        ((b0 & 0x07) << 18) | (((b1 as number) & 0x3f) << 12) | (((b2 as number) & 0x3f) << 6) | ((b3 as number) & 0x3f);
      sink(cp, i, i + 4, false);
      i += 4;
      continue;
    }
    return false;
  }
  return true;
}
