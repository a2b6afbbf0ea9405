// Tests for the Latin-family mojibake fixer (a port of ftfy's fix_encoding).
// The ftfy cases in fixtures/ftfy-cases/ are ftfy's own test data (Apache-2.0,
// Robyn Speer; see fixtures/ftfy-cases/ATTRIBUTION.md).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasMojibakeCharacters, isBad, isBadReference, MOJIBAKE_CATEGORIES } from '../pipeline/decode/latin/badness.js';
import { fixLatinMojibake } from '../pipeline/decode/latin-mojibake.js';
import { checkedApplyRepairs as applyRepairs } from './helpers.js';

interface FtfyCase {
  label: string;
  comment?: string;
  original: string;
  fixed: string;
  'fixed-encoding'?: string;
  expect: 'pass' | 'fail';
}

function loadCases(name: string): FtfyCase[] {
  const url = new URL(`./fixtures/ftfy-cases/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as FtfyCase[];
}

/** Applies repairs (code-point offsets) to the input, checking each `before`. */

function expectConsistentRepairs(input: string): void {
  const result = fixLatinMojibake(input);
  expect(applyRepairs(input, result.repairs)).toBe(result.text);
  for (const r of result.repairs) expect(r.before).not.toBe(r.after);
  // Contiguous changed regions are reported as one repair.
  for (let i = 1; i < result.repairs.length; i++) {
    expect(result.repairs[i]!.start).toBeGreaterThan(result.repairs[i - 1]!.end);
  }
}

/**
 * ftfy cases whose expected output conflicts with the project's lossy guess:
 * "â€" followed by a lost byte (U+FFFD, or "?" inside text ftfy decodes
 * lossily) is restored as ” where ftfy leaves U+FFFD.
 */
const LOSSY_GUESS_EXCEPTIONS: Record<string, { output: string; reason: string }> = {
  'Synthetic: lossy decoding in sloppy-windows-1252': {
    output: '“lossy decoding”',
    reason: 'ftfy gives “lossy decoding� ; the lost third byte of â€ is guessed as 0x9D (”)',
  },
  'Lossy decoding can have plain ASCII question marks, as well': {
    output: 'The ICR has been upgraded to “bb+” from “bb”',
    reason: 'ftfy gives “bb+� and “bb� ; â€? in lossy context is guessed as ”',
  },
  'We can mostly decode the face above when we lose the character U+009D': {
    output: '┒(⌣˛⌣)┎',
    reason:
      'ftfy gives �(⌣˛⌣)� ; guessing the lost byte as 0x9D in the first round lets the second round recover the whole face',
  },
};

describe.each(['in-the-wild', 'synthetic', 'negative', 'language-names'])('ftfy test cases: %s', (file) => {
  const cases = loadCases(file).filter((c) => c.expect === 'pass');
  const seen = new Map<string, number>();
  for (const testCase of cases) {
    const count = (seen.get(testCase.label) ?? 0) + 1;
    seen.set(testCase.label, count);
    const name = count === 1 ? testCase.label : `${testCase.label} (#${count})`;
    const exception = LOSSY_GUESS_EXCEPTIONS[testCase.label];
    it(name, () => {
      const expected = exception?.output ?? testCase['fixed-encoding'] ?? testCase.fixed;
      const result = fixLatinMojibake(testCase.original);
      expect(result.text).toBe(expected);
      expect(applyRepairs(testCase.original, result.repairs)).toBe(result.text);
      if (result.text === testCase.original) expect(result.repairs).toEqual([]);
    });
  }
});

describe('lossy-guess exceptions list', () => {
  it('names only existing passing ftfy cases whose expected output has U+FFFD where we restore ”', () => {
    const all = ['in-the-wild', 'synthetic', 'negative', 'language-names'].flatMap(loadCases);
    for (const [label, exception] of Object.entries(LOSSY_GUESS_EXCEPTIONS)) {
      const testCase = all.find((c) => c.label === label);
      expect(testCase, label).toBeDefined();
      expect(testCase!.expect).toBe('pass');
      expect(testCase!['fixed-encoding'] ?? testCase!.fixed).toContain('\ufffd');
      expect(exception.reason.length).toBeGreaterThan(0);
    }
  });
});

describe('article mojibake', () => {
  it('restores apostrophes: girlsâ€™ and womenâ€™s', () => {
    const result = fixLatinMojibake('girlsâ€™ and womenâ€™s');
    expect(result.text).toBe('girls’ and women’s');
    expect(result.repairs).toEqual([
      { start: 5, end: 8, before: 'â€™', after: '’', rule: 'utf8-as-cp1252' },
      { start: 18, end: 21, before: 'â€™', after: '’', rule: 'utf8-as-cp1252' },
    ]);
  });

  it('restores an opening quote and an accented letter', () => {
    expect(fixLatinMojibake('â€œ').text).toBe('“');
    expect(fixLatinMojibake('Ã©').text).toBe('é');
    expect(fixLatinMojibake('the cafÃ© opened').text).toBe('the café opened');
  });

  it('guesses the lost closing quote (â€ + U+FFFD) as ” mid-sentence', () => {
    const input = 'â€œPoverty ... imagined,â€� the Director-General said.';
    const result = fixLatinMojibake(input);
    expect(result.text).toBe('“Poverty ... imagined,” the Director-General said.');
    expect(result.repairs).toEqual([
      { start: 0, end: 3, before: 'â€œ', after: '“', rule: 'utf8-as-cp1252' },
      { start: 24, end: 27, before: 'â€\ufffd', after: '”', rule: 'utf8-as-cp1252-lossy' },
    ]);
  });

  it('guesses the lost closing quote at a paragraph end', () => {
    const input = 'It shows how far girls and women can be empowered.â€�\n\nCreated in 2015, the Prize honours work.\n';
    const result = fixLatinMojibake(input);
    expect(result.text).toBe('It shows how far girls and women can be empowered.”\n\nCreated in 2015, the Prize honours work.\n');
    expect(result.repairs).toEqual([{ start: 50, end: 53, before: 'â€\ufffd', after: '”', rule: 'utf8-as-cp1252-lossy' }]);
  });

  it('guesses the lost quote also where the line cannot be re-decoded as a whole', () => {
    // The Chinese name cannot be encoded in any single-byte codec, so ftfy
    // falls back to fixing the UTF-8-looking runs one by one.
    const result = fixLatinMojibake('习近平 said: â€œEducation firstâ€� on Monday.');
    expect(result.text).toBe('习近平 said: “Education first” on Monday.');
    expect(result.repairs.map((r) => r.rule)).toEqual(['utf8-as-cp1252', 'utf8-as-cp1252-lossy']);
  });

  it('does not turn a question mark into a quote outside lossy context', () => {
    // Not re-decodable as a whole (Chinese name), so "?" is just a question mark.
    const result = fixLatinMojibake('习近平 asked: â€œWhy not?â€?');
    expect(result.text).toBe('习近平 asked: “Why not?â€?');
  });

  it('repairs double mojibake in one step of the ledger', () => {
    const result = fixLatinMojibake('nÃƒÂ©');
    expect(result.text).toBe('né');
    expect(result.repairs).toEqual([{ start: 1, end: 5, before: 'ÃƒÂ©', after: 'é', rule: 'utf8-as-cp1252' }]);
  });

  it('reports code-point offsets even after astral characters', () => {
    const result = fixLatinMojibake('😀 cafÃ© 😀 â€œhiâ€');
    expect(result.text).toBe('😀 café 😀 “hiâ€');
    expect(result.repairs[0]).toEqual({ start: 5, end: 7, before: 'Ã©', after: 'é', rule: 'utf8-as-latin1' });
  });

  it('maps C1 control characters to windows-1252', () => {
    const result = fixLatinMojibake('This text was never UTF-8 at all\x85');
    expect(result.text).toBe('This text was never UTF-8 at all…');
    expect(result.repairs).toEqual([{ start: 32, end: 33, before: '\x85', after: '…', rule: 'c1-controls' }]);
  });

  it('restores à followed by a space (Ã + space)', () => {
    expect(fixLatinMojibake('voilÃ le travail').text).toBe('voilà le travail');
  });

  it('decodes CESU-8 surrogate pairs to an emoji', () => {
    const result = fixLatinMojibake('Hi guys í\u00a0½í¸\u008d');
    expect(result.text).toBe('Hi guys 😍');
    expect(result.repairs).toEqual([
      { start: 8, end: 14, before: 'í\u00a0½í¸\u008d', after: '😍', rule: 'utf8-variant-surrogates' },
    ]);
  });

  it('guesses the lost byte in the right layer of double mojibake', () => {
    // "—" encoded twice; the second windows-1252 decoding lost byte 0x9D.
    const result = fixLatinMojibake('习近平 said: Ã¢â‚¬â€\ufffd ok');
    expect(result.text).toBe('习近平 said: — ok');
    expect(result.repairs).toEqual([
      { start: 10, end: 18, before: 'Ã¢â‚¬â€\ufffd', after: '—', rule: 'utf8-as-cp1252-lossy' },
    ]);
  });

  it('labels each repair with the codec that was mixed up', () => {
    const ruleOf = (text: string): string[] => fixLatinMojibake(text).repairs.map((r) => r.rule);
    expect(ruleOf('conseille g√¢teaux pour un r√©gime')).toEqual(['utf8-as-macroman', 'utf8-as-macroman']);
    expect(ruleOf('РґРѕСЂРѕРіРµ Р\u0098Р·-РїРѕРґ #С„СѓС‚Р±РѕР»')).toEqual(Array(4).fill('utf8-as-cp1251'));
    expect(ruleOf('#╨┐╤Ç╨░╨▓╨╕╨╗╤î╨╜╨╛╨╡╨┐╨╕╤é╨░╨╜╨╕╨╡')).toEqual(['utf8-as-cp437']);
    expect(ruleOf("LiĂ¨ge Avenue de l'HĂ´pital")).toEqual(['utf8-as-cp1250', 'utf8-as-cp1250']);
    expect(ruleOf('MĂĄm dost tĹ\u0099etĂ\u00adho')).toEqual(['utf8-as-iso8859-2', 'utf8-as-iso8859-2', 'utf8-as-iso8859-2']);
    // ftfy's own lossy decoding to U+FFFD, not a guess of the project's.
    expect(ruleOf('Asia, Ă\ufffdfrica, AmĂ©rica')).toEqual(['utf8-as-cp1250-lossy', 'utf8-as-cp1250']);
  });

  it('fixes only the broken line of a multi-line article', () => {
    const input = 'Clean line with real é and “quotes”.\nBroken: UNESCOâ€™s Director-General\n';
    const result = fixLatinMojibake(input);
    expect(result.text).toBe('Clean line with real é and “quotes”.\nBroken: UNESCO’s Director-General\n');
    expect(result.repairs).toEqual([{ start: 51, end: 54, before: 'â€™', after: '’', rule: 'utf8-as-cp1252' }]);
  });
});

describe('text that must stay unchanged', () => {
  const unchanged = [
    'Institut Supérieure d’Etudes Scientifiques',
    '习近平',
    'Chinese President Xi Jinping (习近平) met Irina Bokova — twice — and said “education is key.”',
    'HÅØYA',
    '├┤a┼┐a',
    '(-1/2)! = √π',
    'Café, naïve, résumé, Zürich, São Paulo, Kraków, Ålesund',
    'A real em dash — and an en dash – and an ellipsis…',
    'plain ASCII text',
    '',
  ];
  for (const text of unchanged) {
    it(JSON.stringify(text), () => {
      expect(fixLatinMojibake(text)).toEqual({ text, repairs: [] });
    });
  }
});

describe('properties', () => {
  it('never throws on arbitrary strings, and its repairs reproduce its output', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        expectConsistentRepairs(text);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary UTF-16 (lone surrogates included)', () => {
    const codeUnits = fc
      .array(fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(0xd83d, 0xde0d, 0xe2, 0x20ac, 0xfffd, 0x9d)), {
        maxLength: 40,
      })
      .map((units) => String.fromCharCode(...units));
    fc.assert(
      fc.property(codeUnits, (text) => {
        expectConsistentRepairs(text);
      }),
      { numRuns: 500 },
    );
  });

  // Characters that occur in mojibake, so that random strings do trigger repairs.
  const mojibakeAlphabet = [
    ...'ÃÂâ€œ™šžŸ¢£©®°±²³´µ¶·¸¹º»¼½¾¿ÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ\u0080\u0081\u008d\u009d\ufffd?ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜›œ ',
    ...'ab. \n',
  ];
  const mojibakeString = fc
    .array(fc.constantFrom(...mojibakeAlphabet), { maxLength: 40 })
    .map((chars) => chars.join(''));

  it('produces consistent repairs on strings full of mojibake characters', () => {
    fc.assert(
      fc.property(mojibakeString, (text) => {
        expectConsistentRepairs(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('re-decodes any UTF-8 text mis-read as windows-1252 back to the text', () => {
    // Words of letters and common punctuation, encoded as UTF-8 and decoded as windows-1252.
    const word = fc.constantFrom('café', 'naïve', 'Zürich', 'São', 'Kraków', 'women’s', '“quoted”', 'education', '—', 'résumé');
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 8 }), (words) => {
        const clean = words.join(' ');
        const bytes = new TextEncoder().encode(clean);
        const mojibake = new TextDecoder('windows-1252').decode(bytes);
        const result = fixLatinMojibake(mojibake);
        expect(result.text).toBe(clean);
        expect(applyRepairs(mojibake, result.repairs)).toBe(clean);
      }),
      { numRuns: 300 },
    );
  });

  it('returns clean prose unchanged with no repairs', () => {
    // Prose-like tokens: ASCII words, accented words, curly quotes and dashes
    // used as in English text, CJK runs and emoji, separated by spaces.
    const asciiWord = fc.stringMatching(/^[A-Za-z0-9]{1,10}[.,;:!?]?$/);
    const token = fc.oneof(
      asciiWord,
      asciiWord.map((w) => `“${w}”`),
      asciiWord.map((w) => `${w}’s`),
      fc.constantFrom('—', '–', '…', '(UNESCO)', 'café', 'Zürich', 'naïve', 'Kraków', 'São Paulo', 'Ålesund', '10 °C', '£5', '€20'),
      fc
        .array(fc.integer({ min: 0x4e00, max: 0x9fff }), { minLength: 1, maxLength: 4 })
        .map((cps) => String.fromCodePoint(...cps)),
      fc.integer({ min: 0x1f600, max: 0x1f64f }).map((cp) => String.fromCodePoint(cp)),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 20 }), fc.constantFrom(' ', '\n', ' \n'), (tokens, separator) => {
        const text = tokens.join(separator);
        expect(fixLatinMojibake(text)).toEqual({ text, repairs: [] });
      }),
      { numRuns: 1000 },
    );
  });

  it('fast isBad and the precheck agree with ftfy’s plain regex search', () => {
    const categoryChars = Object.values(MOJIBAKE_CATEGORIES)
      .join('')
      .replace(/-/g, '');
    const alphabet = [...categoryChars, ...'ÂÃÎÐ€œŠšŸž×²³ØÙ√≈‚ÄвЂВГРСўΒΓΞΟβΆāaZ .,?!\n\u3000x'];
    const text = fc.array(fc.constantFrom(...alphabet), { maxLength: 12 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(text, (s) => {
        expect(isBad(s)).toBe(isBadReference(s));
        if (!hasMojibakeCharacters(s)) expect(isBadReference(s)).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });
});
