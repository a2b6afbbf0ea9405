// Single-byte codec tables used by the Latin-family mojibake fixer.
//
// Part of a TypeScript port of ftfy (https://github.com/rspeer/python-ftfy),
// copyright Robyn Speer, licensed under the Apache License 2.0. Ported from
// ftfy 6.3.1's `ftfy/chardata.py` (CHARMAP_ENCODINGS, possible_encoding) and
// `ftfy/bad_codecs/sloppy.py` (the "sloppy" codecs).
import iconv from 'iconv-lite';

/** The encodings ftfy tries, in the order it tries them (chardata.CHARMAP_ENCODINGS). */
export const CHARMAP_ENCODINGS = [
  'latin-1',
  'sloppy-windows-1252',
  'sloppy-windows-1251',
  'sloppy-windows-1250',
  'sloppy-windows-1253',
  'sloppy-windows-1254',
  'sloppy-windows-1257',
  'iso-8859-2',
  'macroman',
  'cp437',
] as const;

export type CharmapEncoding = (typeof CHARMAP_ENCODINGS)[number];

/** Rule-id suffix for each encoding: a repair is `utf8-as-<suffix>`. */
export const ENCODING_RULE_NAME: Readonly<Record<CharmapEncoding, string>> = {
  'latin-1': 'latin1',
  'sloppy-windows-1252': 'cp1252',
  'sloppy-windows-1251': 'cp1251',
  'sloppy-windows-1250': 'cp1250',
  'sloppy-windows-1253': 'cp1253',
  'sloppy-windows-1254': 'cp1254',
  'sloppy-windows-1257': 'cp1257',
  'iso-8859-2': 'iso8859-2',
  macroman: 'macroman',
  cp437: 'cp437',
};

const REPLACEMENT_CHAR = 0xfffd;
const SUBSTITUTE_BYTE = 0x1a;

/** The iconv-lite codec behind each table (latin-1 is the identity map). */
const ICONV_NAME: Readonly<Record<CharmapEncoding, string | null>> = {
  'latin-1': null,
  'sloppy-windows-1252': 'windows1252',
  'sloppy-windows-1251': 'windows1251',
  'sloppy-windows-1250': 'windows1250',
  'sloppy-windows-1253': 'windows1253',
  'sloppy-windows-1254': 'windows1254',
  'sloppy-windows-1257': 'windows1257',
  'iso-8859-2': 'iso88592',
  macroman: 'macintosh',
  cp437: 'cp437',
};

// iconv-lite's "macintosh" table predates Mac OS 8.5; ftfy uses Python's
// mac_roman codec, which has these three bytes differently.
const PYTHON_MAC_ROMAN_OVERRIDES: ReadonlyArray<[number, number]> = [
  [0xbd, 0x03a9], // GREEK CAPITAL LETTER OMEGA (iconv-lite: OHM SIGN)
  [0xdb, 0x20ac], // EURO SIGN (iconv-lite: CURRENCY SIGN)
  [0xf0, 0xf8ff], // Apple logo, private use (iconv-lite: undefined)
];

export interface Codec {
  /** Code point each byte 0x00–0xFF decodes to. */
  readonly decode: Uint32Array;
  /** Code point → byte, for every code point the codec can encode. */
  readonly encode: ReadonlyMap<number, number>;
  /** The same as a flat table over the BMP: byte, or -1 where not encodable. */
  readonly encodeBmp: Int16Array;
}

function buildCodec(encoding: CharmapEncoding): Codec {
  const decode = new Uint32Array(256);
  const iconvName = ICONV_NAME[encoding];
  const decoded =
    iconvName === null
      ? Array.from({ length: 256 }, (_, byte) => byte)
      : Array.from(iconv.decode(Buffer.from(Array.from({ length: 256 }, (_, b) => b)), iconvName)).map(
          (ch) => ch.codePointAt(0) ?? REPLACEMENT_CHAR,
        );
  for (let byte = 0; byte < 256; byte++) decode[byte] = decoded[byte] ?? REPLACEMENT_CHAR;
  if (encoding === 'macroman') {
    for (const [byte, cp] of PYTHON_MAC_ROMAN_OVERRIDES) decode[byte] = cp;
  }
  if (encoding.startsWith('sloppy-')) {
    // ftfy's sloppy codecs: a byte the real codec leaves undefined decodes to
    // the same-numbered code point (as Latin-1 would), and byte 0x1A stands
    // for U+FFFD, so text that lost characters can still be re-encoded.
    for (let byte = 0; byte < 256; byte++) {
      if (decode[byte] === REPLACEMENT_CHAR) decode[byte] = byte;
    }
    decode[SUBSTITUTE_BYTE] = REPLACEMENT_CHAR;
  }
  const encode = new Map<number, number>();
  for (let byte = 0; byte < 256; byte++) {
    const cp = decode[byte] as number;
    if (!encode.has(cp)) encode.set(cp, byte);
  }
  const encodeBmp = new Int16Array(0x10000).fill(-1);
  for (const [cp, byte] of encode) encodeBmp[cp] = byte;
  return { decode, encode, encodeBmp };
}

export const CODECS: Readonly<Record<CharmapEncoding, Codec>> = Object.fromEntries(
  CHARMAP_ENCODINGS.map((encoding) => [encoding, buildCodec(encoding)]),
) as Record<CharmapEncoding, Codec>;

/** Strict windows-1252 (undefined bytes are errors), for ftfy's Latin-1 → Windows-1252 step. */
export const STRICT_WINDOWS_1252: Uint32Array = (() => {
  const table = new Uint32Array(256);
  const decoded = Array.from(iconv.decode(Buffer.from(Array.from({ length: 256 }, (_, b) => b)), 'windows1252'));
  for (let byte = 0; byte < 256; byte++) table[byte] = decoded[byte]?.codePointAt(0) ?? REPLACEMENT_CHAR;
  return table;
})();
