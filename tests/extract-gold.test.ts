// End to end: extract() on the 4 seed and 10 devset articles as the decode
// and clean stages hand them over, checked against their gold annotations
// (tests/fixtures/gold) with the shared scorer's matching rules.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clean } from '../pipeline/clean.js';
import { decode } from '../pipeline/decode/index.js';
import { extract } from '../pipeline/extract/index.js';
import { MessageSink } from '../pipeline/messages.js';
import { type Gold, f1, namesOf, norm, scoreCategory, scoreMeetings } from './fixtures/extract/gold-score.js';

const SETS = [
  { raw: new URL('../raw/', import.meta.url), gold: new URL('./fixtures/gold/seeds/', import.meta.url) },
  { raw: new URL('./fixtures/devset/', import.meta.url), gold: new URL('./fixtures/gold/devset/', import.meta.url) },
];
const cases = SETS.flatMap(({ raw, gold }) =>
  readdirSync(gold)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const file = f.replace(/\.json$/, '');
      const sink = new MessageSink(file);
      const decoded = decode(readFileSync(new URL(file, raw)), sink)!;
      const article = clean({ article_id: 'article-0000000000000000', source_file: file, text: decoded.text }, sink)!;
      return { file, article, gold: JSON.parse(readFileSync(new URL(f, gold), 'utf8')) as Gold };
    }),
);
const CATEGORIES = ['people', 'organizations', 'places', 'events'] as const;

describe('extract on the seed and devset articles', () => {
  it('has all 14 articles', () => {
    expect(cases).toHaveLength(14);
  });

  for (const { file, article, gold } of cases) {
    describe(file, () => {
      const x = extract(article, new MessageSink(file));

      it('gives offsets where text.slice(start, end) is the surface', () => {
        for (const m of x.mentions) expect(article.text.slice(m.start, m.end)).toBe(m.surface);
        for (const q of x.quotes) expect(article.text.slice(q.start, q.end)).toBe(q.text);
        for (const r of x.roles) expect(r.end).toBeGreaterThan(r.start);
        const keys = new Set(x.entities.map((e) => e.key));
        expect(keys.size).toBe(x.entities.length);
        for (const m of x.mentions) expect(keys.has(m.entity)).toBe(true);
        for (const i of x.interactions) for (const p of i.participants) expect(keys.has(p.entity)).toBe(true);
      });

      for (const cat of CATEGORIES) {
        it(`finds the gold ${cat} without extras`, () => {
          const s = scoreCategory(x, gold, cat);
          expect({ missed: s.missed, extra: s.extra }).toEqual({ missed: [], extra: [] });
        });
      }

      it('finds the gold meetings with their dates', () => {
        const s = scoreMeetings(x, gold);
        expect({ missed: s.missed, extra: s.extra, wrongDates: s.wrongDates }).toEqual({ missed: [], extra: [], wrongDates: [] });
      });

      it('gives each titled gold person a role with the stated title', () => {
        for (const gp of gold.people) {
          if (!gp.roles?.length) continue;
          const ents = x.entities.filter((e) => e.type === 'person' && [...namesOf(x, e)].some((n) => [gp.name, ...(gp.aliases ?? [])].map(norm).includes(n)));
          const titles = x.roles.filter((r) => ents.some((e) => e.key === r.person)).map((r) => new Set(norm(r.title).split(' ')));
          const ok = titles.some((rt) => gp.roles!.some((gr) => {
            const gt = norm(gr).split(' ').filter((w) => !['of', 'the', 'for', 'at'].includes(w));
            return gt.filter((w) => rt.has(w)).length / gt.length >= 0.5;
          }));
          expect(ok, `${gp.name}: ${gp.roles.join(' | ')}`).toBe(true);
        }
      });

      it('attributes the gold quotes to their speakers', () => {
        for (const gq of gold.quotes) {
          const q = x.quotes.find((y) => norm(y.text).startsWith(norm(gq.starts_with).slice(0, 30)));
          expect(q, gq.starts_with).toBeDefined();
          const speaker = x.entities.find((e) => e.key === q!.speaker);
          const gp = gold.people.find((p) => norm(p.name) === norm(gq.speaker))!;
          expect(speaker && [...namesOf(x, speaker)].some((n) => [gp.name, ...(gp.aliases ?? [])].map(norm).includes(n)), gq.starts_with).toBe(true);
          expect(q!.direct).toBe(gq.direct);
        }
      });
    });
  }

  it('still finds most people and organisations with the reference list switched off', () => {
    const totals = { people: { tp: 0, fp: 0, fn: 0 }, organizations: { tp: 0, fp: 0, fn: 0 } };
    for (const { article, gold } of cases) {
      const x = extract(article, new MessageSink(), { useReference: false });
      for (const cat of ['people', 'organizations'] as const) {
        const s = scoreCategory(x, gold, cat);
        totals[cat].tp += s.tp;
        totals[cat].fp += s.fp;
        totals[cat].fn += s.fn;
      }
    }
    expect(f1(totals.people)).toBeGreaterThanOrEqual(0.95);
    // UNESCO printed without its full name is known only from the reference list.
    expect(f1(totals.organizations)).toBeGreaterThanOrEqual(0.8);
  });
});
