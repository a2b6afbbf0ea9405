// Any cleaned text: extract() never throws, and every offset it gives points at its surface.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { articleOf } from './fixtures/extract/article.js';
import { extract } from '../pipeline/extract/index.js';
import { MessageSink } from '../pipeline/messages.js';
import { warmUp } from './fixtures/extract/helpers.js';

beforeAll(warmUp, 60_000);

const WORDS = ['Minister', 'of', 'Education', 'Huai', 'Jinpeng', 'met', 'with', 'Irina', 'Bokova', ',', '.', 'the', 'UNESCO', 'Director-General', '“', '”', '"', 'said', 'Mr', 'Ms', 'TANG', 'Qian', 'Conference', '42nd', 'on', 'Monday', 'in', 'Beijing', 'University', 'and', '(IISTEM)', 'he', 'told', ':', ';', '\n\n', '😀', 'Ünïcödé', 'O\'Connor', 'received', 'visited', '—'];

function checkOffsets(text: string): void {
  const x = extract(articleOf(text), new MessageSink());
  const keys = new Set(x.entities.map((e) => e.key));
  for (const m of x.mentions) {
    expect(text.slice(m.start, m.end)).toBe(m.surface);
    expect(keys.has(m.entity)).toBe(true);
  }
  for (const q of x.quotes) expect(text.slice(q.start, q.end)).toBe(q.text);
  for (const r of x.roles) expect(r.start).toBeLessThan(r.end);
  for (const i of x.interactions) {
    expect(i.participants.length).toBeGreaterThanOrEqual(2);
    for (const p of i.participants) expect(keys.has(p.entity)).toBe(true);
  }
}

describe('extract on arbitrary text', () => {
  it('handles empty and one-word articles', () => {
    for (const text of ['x', 'UNESCO', '“', 'Mr', '\uFFFD']) checkOffsets(text);
  });

  it('keeps offsets exact on random genre-like word soups', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 80 }), (words) => {
        const text = words.join(' ').replace(/ ?\n\n ?/g, '\n\n').trim() || 'x';
        checkOffsets(text);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps offsets exact on arbitrary Unicode text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => {
        const text = s.trim() || 'x';
        checkOffsets(text);
      }),
      { numRuns: 200 },
    );
  });
});
