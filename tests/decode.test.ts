// The decode stage: byte encodings, mojibake repair, bad input, properties.
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decode, repairMojibake } from '../pipeline/decode/index.js';
import { detectAndDecode } from '../pipeline/decode/detect.js';
import { fixLatinMojibake } from '../pipeline/decode/latin-mojibake.js';
import { MessageSink } from '../pipeline/messages.js';
import { SEED_003_GOLD_PHRASES } from './helpers.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/decode/${name}`, import.meta.url));
const CLEAN = fixture('clean-english.txt').toString('utf8');
// Without the Chinese character, for codecs that cannot encode it (windows-1252).
const CLEAN_LATIN = CLEAN.replace(' 茶 (tea)', '');

function decodeOk(bytes: Uint8Array) {
  const sink = new MessageSink('fixture.txt');
  const result = decode(bytes, sink);
  expect(result, JSON.stringify(sink.messages)).not.toBeNull();
  return { ...result!, messages: sink.messages };
}

describe('encoding detection, each codec path generated from clean text', () => {
  const cases: Array<[string, Buffer, string, string]> = [
    ['UTF-8 without BOM', Buffer.from(CLEAN, 'utf8'), 'utf-8', CLEAN],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CLEAN, 'utf8')]), 'utf-8', CLEAN],
    ['UTF-16 LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(CLEAN, 'utf-16le')]), 'utf-16le', CLEAN],
    ['UTF-16 BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(CLEAN, 'utf-16be')]), 'utf-16be', CLEAN],
    ['UTF-16 LE without BOM', iconv.encode(CLEAN, 'utf-16le'), 'utf-16le', CLEAN],
    ['UTF-16 BE without BOM', iconv.encode(CLEAN, 'utf-16be'), 'utf-16be', CLEAN],
    ['GB18030', iconv.encode(CLEAN, 'gb18030'), 'gb18030', CLEAN],
    ['GBK', iconv.encode(CLEAN, 'gbk'), 'gb18030', CLEAN],
    ['Big5', iconv.encode(CLEAN.replace('Supérieure', 'Superieure'), 'big5'), 'big5', CLEAN.replace('Supérieure', 'Superieure')],
    ['Windows-1252', iconv.encode(CLEAN_LATIN, 'windows-1252'), 'windows-1252', CLEAN_LATIN],
  ];
  it.each(cases)('%s', (_label, bytes, encoding, expected) => {
    const result = decodeOk(bytes);
    expect(result.encoding).toBe(encoding);
    expect(result.text).toBe(expected);
    expect(result.repairs).toEqual([]);
  });

  it('labels pure ASCII as utf-8', () => {
    expect(decodeOk(Buffer.from('Plain ASCII news text.\n')).encoding).toBe('utf-8');
  });
});

describe('mojibake repair', () => {
  it('repairs UTF-8 read as Windows-1252 (generated with the exact codec path)', () => {
    const mojibake = iconv.decode(Buffer.from(CLEAN_LATIN, 'utf8'), 'windows-1252');
    expect(mojibake).toContain('â€œ');
    const result = decodeOk(Buffer.from(mojibake, 'utf8'));
    expect(result.text).toBe(CLEAN_LATIN);
    expect(result.repairs.length).toBeGreaterThan(0);
  });

  it('repairs UTF-8 read as Latin-1', () => {
    const result = decodeOk(Buffer.from('Ecole Normale SupÃ©rieure and the cafÃ©', 'utf8'));
    expect(result.text).toBe('Ecole Normale Supérieure and the café');
  });

  it('restores a closing quote lost as U+FFFD after â€ (undefined windows-1252 byte 0x9D)', () => {
    const result = decodeOk(Buffer.from('â€œPoverty still bars the way,â€\ufffd the Director-General said.', 'utf8'));
    expect(result.text).toBe('“Poverty still bars the way,” the Director-General said.');
  });

  it('repairs seed 003: UTF-8 read as GBK, including the lossy cases', () => {
    const result = decodeOk(readFileSync(new URL('../raw/003_32da3d9a2be3f6e0.txt', import.meta.url)));
    // Hand-written expectations from the gold annotation of seed 003.
    for (const phrase of SEED_003_GOLD_PHRASES) {
      expect(result.text).toContain(phrase);
    }
    expect(result.text).not.toContain('鈥');
    expect(result.text).not.toContain('\ufffd');
    expect(result.repairs.length).toBeGreaterThanOrEqual(11);
    for (const r of result.repairs) expect(r.rule).toMatch(/^utf8-as-gbk/);
  });

  it('reports each repair with its offset in the decoded text, before and after', () => {
    const text = 'the People鈥檚 Republic';
    const { repairs } = repairMojibake(text);
    expect(repairs).toHaveLength(1);
    const [r] = repairs;
    expect(Array.from(text).slice(r!.start, r!.end).join('')).toBe(r!.before);
    expect(r!.after).toContain('’');
  });

  it('keeps offsets in the original text when both fixers repair the same text', () => {
    const text = 'girlsâ€™ day, the People鈥檚 Republic, the cafÃ©';
    const { text: fixed, repairs } = repairMojibake(text);
    expect(fixed).toBe('girls’ day, the People’s Republic, the café');
    const chars = Array.from(text);
    for (const r of repairs) expect(chars.slice(r.start, r.end).join('')).toBe(r.before);
  });

  it('never touches legitimate text', () => {
    for (const legit of ['Institut Supérieure d’Etudes Scientifiques', '习近平 met 怀进鹏', '眉毛', '茅台', 'a real em dash — and “curly quotes”', 'Jacques Frémont']) {
      expect(repairMojibake(legit)).toEqual({ text: legit, repairs: [], declined: [] });
    }
  });

  it('declines a "repair" into a script nobody writes such text in (regression: Łódź“Ærø became Łódꓯrø)', () => {
    const sink = new MessageSink('lodz.txt');
    const result = decode(Buffer.from('The Łódź“Ærø exchange'), sink);
    expect(result!.text).toBe('The Łódź“Ærø exchange');
    expect(sink.messages).toContainEqual(expect.objectContaining({ rule: 'implausible-repair', severity: 'warning', before: 'ź“Æ' }));
  });
});

describe('ftfy test suite through the whole repair chain', () => {
  // tests/decode-latin.test.ts checks every `expect: pass` case against ftfy's
  // expectation; here: adding the GBK fixer to the chain changes none of them.
  for (const file of ['in-the-wild', 'synthetic', 'negative', 'language-names']) {
    const cases = JSON.parse(readFileSync(new URL(`./fixtures/ftfy-cases/${file}.json`, import.meta.url), 'utf8')) as Array<{ label: string; original: string; expect: string }>;
    it(`${file}: the GBK repair conflicts with no case`, () => {
      for (const c of cases.filter((x) => x.expect === 'pass')) {
        expect(repairMojibake(c.original).text, c.label).toBe(fixLatinMojibake(c.original).text);
        expect(repairMojibake(c.original).declined, c.label).toEqual([]);
      }
    });
  }
});

describe('bad input is rejected with a reason, never a crash', () => {
  const rejected = (bytes: Uint8Array) => {
    const sink = new MessageSink('bad.txt');
    expect(decode(bytes, sink)).toBeNull();
    const errors = sink.messages.filter((m) => m.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.file).toBe('bad.txt');
    return errors[0]!;
  };
  it('an empty file', () => {
    expect(rejected(fixture('empty.txt')).rule).toBe('empty-file');
  });
  it('an image', () => {
    const error = rejected(fixture('image.png.txt'));
    expect(error.rule).toBe('binary-file');
    expect(error.reason).toContain('PNG');
  });
  it('random bytes', () => {
    expect(rejected(fixture('random-bytes.txt')).rule).toBe('binary-file');
  });
  it('text that no encoding decodes cleanly', () => {
    expect(rejected(fixture('undecodable.txt')).rule).toBe('undecodable');
  });
});

describe('properties', () => {
  // Clean text of any kind: letters of many scripts, punctuation, CJK words, emoji.
  const cleanText = fc
    .array(
      fc.constantFrom(
        'Minister', 'UNESCO', 'education', ' ', ' ', '\n', ', ', '. ', '“', '”', '’', '—', '–', '…',
        'Supérieure', 'Frémont', 'Ærø', 'Łódź', 'São Paulo', '教育部', '习近平', '北京', 'Москва', 'Ελλάδα', 'عربي', '😀', '2023-07-03', '$8 million',
      ),
      { maxLength: 60 },
    )
    .map((parts) => parts.join(''));

  it('clean text passes through decode unchanged in UTF-8, UTF-16 and GB18030', () => {
    fc.assert(
      fc.property(cleanText.filter((t) => t.trim().length > 0), (text) => {
        for (const bytes of [Buffer.from(text, 'utf8'), Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')])]) {
          const result = decode(bytes, new MessageSink());
          expect(result?.text).toBe(text);
          expect(result?.repairs).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('repairMojibake leaves clean text unchanged', () => {
    fc.assert(
      fc.property(cleanText, (text) => {
        expect(repairMojibake(text)).toMatchObject({ text, repairs: [] });
      }),
      { numRuns: 500 },
    );
  });

  it('decode never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const sink = new MessageSink('any.txt');
        const result = decode(bytes, sink);
        if (result === null) expect(sink.messages.some((m) => m.severity === 'error')).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('detection never throws on arbitrary strings in any encoding', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), (text) => {
        for (const enc of ['utf8', 'gb18030', 'big5', 'windows-1252']) detectAndDecode(iconv.encode(text, enc));
      }),
      { numRuns: 300 },
    );
  });
});

describe('UTF-8 detection keeps the text of its validity check', () => {
  it('is the text iconv-lite decodes, BOMs, control characters, astral characters and all', () => {
    const piece = fc.constantFrom('a', ' ', '\n', '\r\n', '\u0001', '\u0085', '\u009f', '\u00e9', '\ufeff', '\u{1F600}', '中', '\u0000', 'abc def');
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 40 }), (pieces) => {
        const bytes = Buffer.from(pieces.join(''), 'utf8');
        const detected = detectAndDecode(bytes);
        if (detected.ok && detected.encoding === 'utf-8') expect(detected.text).toBe(iconv.decode(bytes.subarray(detected.bom ? 3 : 0), 'utf-8'));
      }),
      { numRuns: 3000 },
    );
  });
});
