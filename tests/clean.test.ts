// The clean stage: dateline, section labels, headline vs lead, front matter, whitespace.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clean, titleFromLead } from '../pipeline/clean.js';
import { decode } from '../pipeline/decode/index.js';
import { MessageSink } from '../pipeline/messages.js';

function cleanText(text: string) {
  const sink = new MessageSink('t.txt', 'article-0000000000000000');
  const article = clean({ article_id: 'article-0000000000000000', source_file: 't.txt', text }, sink);
  return { article: article!, messages: sink.messages };
}

function cleanSeed(name: string) {
  const bytes = readFileSync(new URL(`../raw/${name}`, import.meta.url));
  return cleanText(decode(bytes, new MessageSink())!.text);
}

describe('the four seeds (expectations from their gold annotations)', () => {
  it('000: dateline taken into date_published; no headline, the lead stays in the text', () => {
    const { article } = cleanSeed('000_0a9b6fb1ace13510.txt');
    expect(article.date_published).toBe('2023-07-03');
    expect(article.title_source).toBe('lead');
    expect(article.text.startsWith('Shanghai Party Secretary Chen Jining met with Stefania Giannini')).toBe(true);
    expect(article.title).toBe('Shanghai Party Secretary Chen Jining met with Stefania Giannini, assistant director-general for Education at UNESCO, and her delegation on Sunday');
    expect(article.text.endsWith('promote the sustainable development of global education.')).toBe(true);
  });

  it('001: dateline, then the headline on the same line', () => {
    const { article } = cleanSeed('001_b2fe448af0767840.txt');
    expect(article.date_published).toBe('2023-11-14');
    expect(article.title_source).toBe('headline');
    expect(article.title).toBe('Minister of Education Huai Jinpeng Leads Delegation to UNESCO General Conference and France');
    expect(article.text.split('\n\n')[0]).toBe(article.title);
    expect(article.text).toContain('Institut Supérieure d’Etudes Scientifiques');
  });

  it('002: headline, no date stated, so none is invented', () => {
    const { article } = cleanSeed('002_cc8bb5dccd63488c.txt');
    expect(article.date_published).toBeNull();
    expect(article.title).toBe('Huai Jinpeng and Gong Zheng meet with foreign guests at 2024 WDEC');
    // Three blank lines under the headline in the source collapse to one paragraph break.
    expect(article.text).toMatch(/^Huai Jinpeng and Gong Zheng meet with foreign guests at 2024 WDEC\n\nMinister of Education Huai Jinpeng/);
  });

  it('003: the section label `News` is dropped and reported; the quoted headline is the title', () => {
    const { article, messages } = cleanSeed('003_32da3d9a2be3f6e0.txt');
    expect(article.text.startsWith('News')).toBe(false);
    expect(article.text).not.toContain('\nNews\n');
    expect(article.title).toBe('"We need Learning Cities for a Better Future for All," declares UNESCO Director-General in Beijing');
    expect(article.date_published).toBeNull();
    expect(messages).toContainEqual(expect.objectContaining({ rule: 'section-label', before: 'News' }));
  });

  it('every seed: paragraphs separated by exactly one blank line, no trailing blank lines, NFC, paragraph spans right', () => {
    for (const name of ['000_0a9b6fb1ace13510.txt', '001_b2fe448af0767840.txt', '002_cc8bb5dccd63488c.txt', '003_32da3d9a2be3f6e0.txt']) {
      const { article } = cleanSeed(name);
      expect(article.text).not.toMatch(/\n{3,}/);
      expect(article.text).not.toMatch(/\s$/);
      expect(article.text).not.toMatch(/^\s/);
      expect(article.text).not.toMatch(/ {2,}|[ \t]\n|\n[ \t]/);
      expect(article.text.normalize('NFC')).toBe(article.text);
      const fromSpans = article.paragraphs.map((p) => article.text.slice(p.start, p.end)).join('\n\n');
      expect(fromSpans).toBe(article.text);
    }
  });
});

describe('front matter of other page formats', () => {
  it('masthead lines, date line and share widget above the body are removed; the date line gives the date', () => {
    const { article, messages } = cleanText(
      'International Centre for Higher Education Innovation\nunder the auspices of UNESCO\n\nUNESCO official reviews preparations at SUSTech\n\nDecember 29, 2015\n\nShare to WeChat\n\nMeeting on November 7, 2015, the General Conference approved the centre.\n\n\n',
    );
    expect(article.title).toBe('UNESCO official reviews preparations at SUSTech');
    expect(article.date_published).toBe('2015-12-29');
    expect(article.text).toBe('UNESCO official reviews preparations at SUSTech\n\nMeeting on November 7, 2015, the General Conference approved the centre.');
    expect(messages.map((m) => m.rule)).toEqual(['masthead', 'date-line', 'share-widget']);
  });

  it('a day.month.year date line after a section label and headline', () => {
    const { article } = cleanText('News\n\nBeijing ceremony honours champions of girls’ education\n\n06.06.2016\n\nAt a ceremony in Beijing on 6 June 2016, the prize was awarded.\n');
    expect(article.date_published).toBe('2016-06-06');
    expect(article.title_source).toBe('headline');
  });

  it('keeps source and byline lines (they name organisations and people)', () => {
    const { article } = cleanText('Wu Yan holds talks at 2025 WDEC\n\nSource: MOE\n\n2025-05-18\n\nOn May 15, Vice Minister Wu Yan met three guests.\n');
    expect(article.text).toBe('Wu Yan holds talks at 2025 WDEC\n\nSource: MOE\n\nOn May 15, Vice Minister Wu Yan met three guests.');
    expect(article.date_published).toBe('2025-05-18');
  });

  it('a one-paragraph article is a lead, not a headline', () => {
    const { article } = cleanText('Minister Huai met the Director-General in Paris on Monday');
    expect(article.title_source).toBe('lead');
  });

  it('a dateline that is not a calendar date is not used, and says so', () => {
    const { article, messages } = cleanText(' date 2023-02-30 Headline here\n\nBody sentence one.\n');
    expect(article.date_published).toBeNull();
    expect(messages).toContainEqual(expect.objectContaining({ rule: 'invalid-dateline', severity: 'warning' }));
  });

  it('normalises CRLF, tabs, non-breaking spaces and decomposed accents', () => {
    const { article } = cleanText('Headline\tof\u00a0the day\r\n\r\nThe Ecole Supe\u0301rieure  hosted it.\r\n');
    expect(article.text).toBe('Headline of the day\n\nThe Ecole Supérieure hosted it.');
  });

  it('an article that is empty after cleaning is rejected with a reason', () => {
    const sink = new MessageSink('blank.txt');
    expect(clean({ article_id: 'article-0000000000000000', source_file: 'blank.txt', text: ' \n\n\t\n' }, sink)).toBeNull();
    expect(sink.messages).toContainEqual(expect.objectContaining({ rule: 'empty-text', severity: 'error', file: 'blank.txt' }));
  });
});

describe('titles derived from a lead', () => {
  it('stop at the end of the first sentence, not at an abbreviation', () => {
    expect(titleFromLead('Ms. Liu Yandong opened the conference in Beijing. Later she met the mayor.')).toBe('Ms. Liu Yandong opened the conference in Beijing');
  });
  it('are shortened at a word boundary when the sentence is very long', () => {
    const title = titleFromLead(`${'word '.repeat(60)}end.`);
    expect(title.length).toBeLessThanOrEqual(160);
    expect(title.endsWith('…')).toBe(true);
  });
});

describe('word count', () => {
  it('counts the matches of WORD, for any text: letters and digits of every script, astral ones, joiners, lone surrogates', async () => {
    const fc = (await import('fast-check')).default;
    const { WORD, wordCountOf } = await import('../pipeline/clean.js');
    const byRegex = (s: string, limit = Infinity) => {
      const word = new RegExp(WORD.source, WORD.flags);
      let n = 0;
      while (n < limit && word.exec(s) !== null) n++;
      return n;
    };
    const piece = fc.constantFrom('a', 'Z', '7', ' ', "'", '’', '-', '--', '.', 'é', 'e\u0301', '中', '٣', 'Ⅻ', '\u{1D400}', '\u{20000}', '\u{1F600}', '\uD800', '\uDC00', '\u00AD', '_', '\n', 'ǅ', '²');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }), fc.integer({ min: 0, max: 6 }), (pieces, limit) => {
        const text = pieces.join('');
        expect(wordCountOf(text)).toBe(byRegex(text));
        expect(wordCountOf(text, limit)).toBe(byRegex(text, limit));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('clean without the costly general tools', () => {
  it('isCalendarDate agrees with a round trip through Date for every month and day number, over leap-year rules and the ends of the range', async () => {
    const { isCalendarDate } = await import('../pipeline/clean.js');
    const byDate = (iso: string) => {
      const d = new Date(`${iso}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso;
    };
    const years = [0, 1, 4, 100, 400, 1600, 1700, 1899, 1900, 1996, 2000, 2023, 2024, 2100, 2400, 9999];
    const two = (n: number) => String(n).padStart(2, '0');
    for (const year of years) {
      for (let month = 0; month < 100; month++) {
        for (let day = 0; day < 100; day++) {
          const iso = `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}`;
          if (isCalendarDate(iso) !== byDate(iso)) expect(iso).toBe(`${isCalendarDate(iso)} by arithmetic, ${byDate(iso)} by Date`);
        }
      }
    }
  });

  it('lists every space separator but the plain space (so that texts without any skip the whitespace regex)', async () => {
    const { SPACE_SEPARATORS_BUT_SPACE } = await import('../pipeline/clean.js');
    const listed = new RegExp(`^[${SPACE_SEPARATORS_BUT_SPACE}]$`, 'u');
    const wrong: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (listed.test(ch) !== (cp !== 0x20 && /\p{Zs}/u.test(ch))) wrong.push(`U+${cp.toString(16)}`);
    }
    expect(wrong).toEqual([]);
  });
});
