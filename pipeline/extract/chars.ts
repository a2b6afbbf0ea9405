// Character classes of UTF-16 code units for the hand-written scanners (text.ts, places.ts).

/**
 * A word-character test of one UTF-16 code unit, remembered per code unit: ASCII letters and
 * digits are decided up front, any other unit by `isNonAsciiWordUnit` the first time it is seen.
 * The scanners ask at every character; this way a Unicode regex runs once per distinct character
 * (curly quotes and dashes between words would otherwise run it at every occurrence).
 */
export function wordCharTest(isNonAsciiWordUnit: (code: number) => boolean): (code: number) => boolean {
  const known = new Uint8Array(65536); // 0 not asked yet, 1 word character, 2 not
  for (let c = 0; c < 128; c++) known[c] = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) ? 1 : 2;
  return (code) => {
    const k = known[code]!;
    if (k !== 0) return k === 1;
    const word = isNonAsciiWordUnit(code);
    known[code] = word ? 1 : 2;
    return word;
  };
}
