// Tokens and sentences: the units the extract patterns work on.
import { describe, expect, it } from 'vitest';
import { analyse } from '../pipeline/extract/text.js';
import { articleOf } from './fixtures/extract/article.js';

describe('tokens and sentences', () => {
  it('keeps names with apostrophes and hyphens whole and marks possessives', () => {
    const doc = analyse(articleOf("Brendan O'Connor met the Director-General at UNESCO’s office with TANG’s delegation and the girls’ teams."));
    const words = doc.tokens.map((t) => t.text);
    expect(words).toContain("O'Connor");
    expect(words).toContain('Director-General');
    const unesco = doc.tokens.find((t) => t.text === 'UNESCO’s')!;
    expect([unesco.base, unesco.possessive, unesco.upper]).toEqual(['UNESCO', true, true]);
    expect(doc.tokens.find((t) => t.text === 'TANG’s')!.base).toBe('TANG');
    expect(doc.tokens.find((t) => t.text === 'girls’')!.possessive).toBe(true);
  });

  it('splits sentences but not after Mr., Dr. or initials, and keeps quotes with their attribution', () => {
    const text = 'Mr. Qu Xing met Dr. A. Smith in Paris. “We agree,” said Qu. He left.';
    const doc = analyse(articleOf(text));
    expect(doc.sentences.map((s) => text.slice(s.start, s.end))).toEqual(['Mr. Qu Xing met Dr. A. Smith in Paris.', '“We agree,” said Qu.', 'He left.']);
  });

  it('treats each line of a caption paragraph and each paragraph as separate sentences', () => {
    const text = 'Headline here\n\nExamining a scale model\nReviewing the plans\n\nBody text.';
    const doc = analyse(articleOf(text));
    expect(doc.sentences.map((s) => text.slice(s.start, s.end))).toEqual(['Headline here', 'Examining a scale model', 'Reviewing the plans', 'Body text.']);
  });
});
