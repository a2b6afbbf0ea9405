import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { fixGbkMojibake } from '../pipeline/decode/gbk-mojibake.js';
import { SEED_003_GOLD_PHRASES, checkedApplyRepairs as applyRepairs } from './helpers.js';

const fixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`./fixtures/gbk/${name}`, import.meta.url)), 'utf8');


/**
 * What Python's `bytes.decode('gbk', errors)` does to UTF-8 bytes: pairs a
 * lead byte (81–FE) with a trail byte (40–7E, 80–FE) when GBK defines the
 * pair; otherwise the lead byte alone is dropped ('ignore') or becomes U+FFFD
 * ('replace'). iconv-lite's decoder drops nothing (it maps 0x80 to € and the
 * user-defined areas to the Private Use Area), so it cannot stand in for it.
 */
function decodeAsGbkLikePython(text: string, errors: 'ignore' | 'replace'): { text: string; lost: number } {
  const bytes = Buffer.from(text, 'utf8');
  let out = '';
  let lost = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i++;
      continue;
    }
    const trail = bytes[i + 1];
    if (b >= 0x81 && b <= 0xfe && trail !== undefined && trail >= 0x40 && trail <= 0xfe && trail !== 0x7f) {
      const ch = iconv.decode(Buffer.from([b, trail]), 'gbk');
      const code = ch.charCodeAt(0);
      if (ch.length === 1 && code !== 0xfffd && !(code >= 0xe000 && code <= 0xf8ff)) {
        out += ch;
        i += 2;
        continue;
      }
    }
    if (errors === 'replace') out += '\uFFFD';
    lost++;
    i++;
  }
  return { text: out, lost };
}

const mojibake = (text: string): string => decodeAsGbkLikePython(text, 'ignore').text;

describe('the five forms of seed 003', () => {
  it('restores an opening quote whose following letter was swallowed', () => {
    expect(fixGbkMojibake('鈥淚nnovation and resilience').text).toBe('“Innovation and resilience');
  });
  it('restores an apostrophe whose s was swallowed', () => {
    expect(fixGbkMojibake('Vice Premier of the People鈥檚 Republic').text).toBe('Vice Premier of the People’s Republic');
  });
  it('guesses a closing quote after a comma inside an open quotation', () => {
    expect(fixGbkMojibake('鈥淚nnovation has deeper roots than assets,鈥 declared the Director-General.').text).toBe(
      '“Innovation has deeper roots than assets,” declared the Director-General.',
    );
  });
  it('guesses an em dash between spaces', () => {
    expect(fixGbkMojibake('never been more important 鈥 and cities').text).toBe('never been more important — and cities');
  });
  it('guesses a closing quote at the end of a quoted paragraph', () => {
    const input = '鈥淪olutions lie in the imaginations of women and men, for learning.鈥\n\nMs Liu spoke.';
    expect(fixGbkMojibake(input).text).toBe('“Solutions lie in the imaginations of women and men, for learning.”\n\nMs Liu spoke.');
  });
  it("handles errors='replace' output, where the lost byte shows as U+FFFD", () => {
    expect(fixGbkMojibake('鈥淚t is ours,鈥\uFFFD declared she; important 鈥\uFFFD and true.').text).toBe(
      '“It is ours,” declared she; important — and true.',
    );
  });
});

describe('whole articles', () => {
  it('repairs seed 003 so that it holds every gold phrase and no mojibake', () => {
    const { text, repairs } = fixGbkMojibake(fixture('seed-003.txt'));
    for (const phrase of SEED_003_GOLD_PHRASES) {
      expect(text).toContain(phrase);
    }
    expect(text).not.toContain('鈥');
    expect(text).not.toContain('\uFFFD');
    // Four apostrophes (People’s ×3, world’s) and three opening quotes are exact; the two
    // closing quotes before a space or line end and the dash are guesses.
    expect(repairs.filter((r) => r.rule === 'utf8-as-gbk')).toHaveLength(7);
    expect(repairs.filter((r) => r.rule === 'utf8-as-gbk-lossy').map((r) => r.after)).toEqual(['”', '—', '”', '”']);
    // Nothing but the mojibake changed: the straight quotes of the headline stay.
    expect(text).toContain('"We need Learning Cities for a Better Future for All," declares');
  });

  it('repairs devset d03 with its opening quotes and lossy spots', () => {
    const { text } = fixGbkMojibake(fixture('d03.txt'));
    for (const phrase of [
      'have concluded an agreement creating an $8 million Funds-in-Trust',
      'UNESCO’s Director-General, Irina Bokova',
      'Hu Jintao in Shenzhen in August 2011.',
      '“Education for All is our first priority',
      'Africa for four years — with teachers as its main concern.',
      'together we can change things,” Irina Bokova said.',
      'Vice- Education Minister: “Setting up these Funds-in-Trust',
      'a good example to follow.”\n',
      'the People’s Republic of China',
    ]) {
      expect(text).toContain(phrase);
    }
    expect(text).not.toContain('鈥');
  });
});

describe('repair records', () => {
  it('gives code-point offsets, the mojibake, its repair and the rule', () => {
    const input = 'People鈥檚 鈥淚dea,鈥 he said 鈥 ok.';
    const result = fixGbkMojibake(input);
    expect(result.text).toBe('People’s “Idea,” he said — ok.');
    expect(result.repairs).toEqual([
      { start: 6, end: 8, before: '鈥檚', after: '’s', rule: 'utf8-as-gbk' },
      { start: 9, end: 11, before: '鈥淚', after: '“I', rule: 'utf8-as-gbk' },
      { start: 15, end: 16, before: '鈥', after: '”', rule: 'utf8-as-gbk-lossy' },
      { start: 25, end: 26, before: '鈥', after: '—', rule: 'utf8-as-gbk-lossy' },
    ]);
    expect(applyRepairs(input, result.repairs)).toBe(result.text);
  });

  it('counts an astral character before the mojibake as one code point', () => {
    const input = '😀 People鈥檚 鈥\uFFFD';
    const result = fixGbkMojibake(input);
    expect(result.repairs).toEqual([
      { start: 8, end: 10, before: '鈥檚', after: '’s', rule: 'utf8-as-gbk' },
      { start: 11, end: 13, before: '鈥\uFFFD', after: '—', rule: 'utf8-as-gbk-lossy' },
    ]);
    expect(applyRepairs(input, result.repairs)).toBe('😀 People’s —');
  });

  it('reproduces the repaired seed 003 and d03 by applying their repairs', () => {
    for (const name of ['seed-003.txt', 'd03.txt']) {
      const input = fixture(name);
      const result = fixGbkMojibake(input);
      expect(applyRepairs(input, result.repairs)).toBe(result.text);
    }
  });
});

describe('legitimate text is left alone', () => {
  const unchanged = [
    '眉毛', // GBK bytes C3BC C3AB are valid UTF-8: üë
    '茅台', // C3A9 CCA8: é + combining ogonek
    'a 眉毛 b',
    '习近平',
    '怀进鹏',
    'Minister 怀进鹏 met 习近平 in 北京 on Monday.',
    '中华人民共和国教育部与联合国教科文组织签署合作协议。',
    '他说：“我们需要学习型城市。”',
    'the Chinese term 教育 (education)',
    'the Chinese term “教育” (education) and 茅台酒',
    'Real punctuation — “quoted” and it’s fine – 2015–2016…',
    'École Normale Supérieure, Zürich, São Paulo',
    'iPhone前', // C7B0 is valid UTF-8 (ǰ), a letter no English name uses
    '鈈 b', // E2 62: E2 never leads a GBK pair with an ASCII trail in mojibake
    '',
  ];
  for (const text of unchanged) {
    it(`keeps ${JSON.stringify(text)}`, () => {
      expect(fixGbkMojibake(text)).toEqual({ text, repairs: [] });
    });
  }
});

describe('other characters of English text', () => {
  it('restores accented letters glued to a word', () => {
    expect(fixGbkMojibake(mojibake('École Normale Supérieure in Zürich')).text).toBe('École Normale Supérieure in Zürich');
  });
  it('restores an unspaced em dash and a range dash', () => {
    expect(fixGbkMojibake(mojibake('teachers—and schools, 2015–2030 plan')).text).toBe('teachers—and schools, 2015–2030 plan');
  });
  it('restores the euro sign before a space', () => {
    expect(fixGbkMojibake(mojibake('It cost 8 million € in total')).text).toBe('It cost 8 million € in total');
  });
  it('restores a closing single quotation', () => {
    expect(fixGbkMojibake(mojibake('the ‘Chinese dream’ of equity')).text).toBe('the ‘Chinese dream’ of equity');
  });
  it('restores a plural possessive before a space', () => {
    expect(fixGbkMojibake(mojibake('the teachers’ training')).text).toBe('the teachers’ training');
  });
  it('restores Chinese written in UTF-8 inside English text', () => {
    expect(fixGbkMojibake('the Chinese term 鏁欒偛 (education)').text).toBe('the Chinese term 教育 (education)');
    expect(fixGbkMojibake(mojibake('from “教育” on')).text).toBe('from “教育” on');
  });
  it('restores a no-break space, a degree sign and symbols before digits or spaces', () => {
    expect(fixGbkMojibake('Beijing,聽China at 30掳C').text).toBe('Beijing,\u00a0China at 30°C');
    expect(fixGbkMojibake(mojibake('ranked №1™ brand for 5 €')).text).toBe('ranked №1™ brand for 5 €');
  });
  it('guesses a dash before a line end and a bullet at a line start', () => {
    expect(fixGbkMojibake('more important 鈥\nand cities').text).toBe('more important —\nand cities');
    expect(fixGbkMojibake(mojibake('Goals:\n• teachers\n• schools')).text).toBe('Goals:\n• teachers\n• schools');
  });
  it('guesses an ellipsis before a letter and an opening quote before a digit', () => {
    expect(fixGbkMojibake(mojibake('wait…what about the “2030 Agenda”?')).text).toBe('wait…what about the “2030 Agenda”?');
  });
  it('restores two closing marks in a row', () => {
    expect(fixGbkMojibake(mojibake('He said “they call it ‘dream’” today')).text).toBe('He said “they call it ‘dream’” today');
  });
});

describe('round trip through UTF-8 read as GBK', () => {
  it('restores the original exactly where no byte was lost', () => {
    const original = '“Innovation’s roots—deeper than José’s or Zürich’s—lie in the École’s work';
    const { text: broken, lost } = decodeAsGbkLikePython(original, 'ignore');
    expect(lost).toBe(0);
    expect(broken).not.toBe(original);
    const result = fixGbkMojibake(broken);
    expect(result.text).toBe(original);
    expect(result.repairs.every((r) => r.rule === 'utf8-as-gbk')).toBe(true);
  });

  it('restores quotes and dashes by the guessing rule where a byte was lost', () => {
    const original = [
      '“Innovation and resilience,” she said, “matter — now.”',
      '',
      'The 2015–2030 agenda’s ‘core’ is the students’ learning.',
      '',
    ].join('\n');
    for (const errors of ['ignore', 'replace'] as const) {
      const { text: broken, lost } = decodeAsGbkLikePython(original, errors);
      expect(lost).toBeGreaterThan(0);
      const result = fixGbkMojibake(broken);
      expect(result.text).toBe(original);
      expect(result.repairs.some((r) => r.rule === 'utf8-as-gbk-lossy')).toBe(true);
    }
  });

  it('never leaves mojibake in generated English and changes at most the guessed marks', () => {
    const word = fc.constantFrom('education', 'cities', 'learning', 'UNESCO', 'China', 'Africa', 'José', 'Zürich', 'École', 'I', 'It', '2012');
    const token = fc
      .record({
        open: fc.constantFrom('', '', '“', '‘'),
        word,
        possessive: fc.boolean(),
        trail: fc.constantFrom('', '', ',', '.'),
      })
      .map(({ open, word: w, possessive, trail }) => {
        const close = open === '“' ? '”' : open === '‘' ? '’' : '';
        return `${open}${w}${possessive ? '’s' : ''}${close}${trail}`;
      });
    const line = fc
      .array(fc.tuple(token, fc.constantFrom(' ', ' ', ' — ', ' – ')), { minLength: 1, maxLength: 10 })
      .map((parts) => parts.map(([t, sep], i) => (i === 0 ? t : sep + t)).join(''));
    const article = fc.array(line, { minLength: 1, maxLength: 4 }).map((lines) => lines.join('\n\n') + '\n');
    const marks = /[“”‘’—–…]/g;
    fc.assert(
      fc.property(article, fc.constantFrom('ignore' as const, 'replace' as const), (original, errors) => {
        const { text: broken, lost } = decodeAsGbkLikePython(original, errors);
        const { text, repairs } = fixGbkMojibake(broken);
        expect(applyRepairs(broken, repairs)).toBe(text);
        if (lost === 0) expect(text).toBe(original);
        expect(text.replace(marks, '*')).toBe(original.replace(marks, '*'));
      }),
      { numRuns: 300 },
    );
  });
});

describe('properties', () => {
  it('never throws on arbitrary strings, and its repairs reproduce its output', () => {
    const mojibakeish = fc.constantFrom('鈥', '淚', '檚', '濃', '\uFFFD', '聽', '茅', '眉', '毛', 'a', 's', ' ', '\n', ',', '.', '1', '“', '—', '😀');
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      fc.array(mojibakeish, { maxLength: 30 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, (input) => {
        const { text: output, repairs } = fixGbkMojibake(input);
        expect(applyRepairs(input, repairs)).toBe(output);
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves English with real curly punctuation and whole Chinese words unchanged', () => {
    const gb2312Hanzi = fc
      .tuple(fc.integer({ min: 0xb0, max: 0xd6 }), fc.integer({ min: 0xa1, max: 0xfe }))
      .map(([lead, trail]) => iconv.decode(Buffer.from([lead, trail]), 'gbk'));
    const chineseWord = fc.oneof(
      fc.constantFrom('教育', '中国', '联合国', '教科文组织', '眉毛', '茅台', '习近平', '怀进鹏', '北京', '学习型城市', '非洲', '教师', '合作'),
      fc.array(gb2312Hanzi, { minLength: 1, maxLength: 6 }).map((chars) => chars.join('')),
    );
    const englishWord = fc.constantFrom('education', 'the', 'Minister', 'said', '“learning”', '‘dream’', 'People’s', 'students’', '—', '–', '2015–2030', 'café', 'Supérieure', 'well…');
    const text = fc
      .array(fc.oneof(englishWord, chineseWord), { minLength: 1, maxLength: 20 })
      .map((words) => words.join(' '));
    fc.assert(
      fc.property(text, (input) => {
        expect(fixGbkMojibake(input)).toEqual({ text: input, repairs: [] });
      }),
      { numRuns: 1000 },
    );
  });
});
