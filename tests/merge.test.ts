// The merge: per article, localize gives dataset-wide IDs; across articles, EntityMerger turns every
// article's occurrences of an entity into one row, by consensus, whatever order the articles come in.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processArticle } from '../pipeline/build.js';
import { EntityMerger, type EntityOccurrence } from '../pipeline/merge.js';
import { MessageSink } from '../pipeline/messages.js';
import { ROOT } from './helpers.js';

const person = (name: string, country_code: string | null, aliases: string[] = []): EntityOccurrence => ({ table: 'people', row: { person_id: 'person-irina-bokova', name, aliases, country_code } });

describe('EntityMerger', () => {
  it('keeps the value most articles give, warns about the disagreement, and keeps other spellings as aliases', () => {
    const merger = new EntityMerger();
    merger.add(person('Irina Bokova', 'BG', ['Bokova']));
    merger.add(person('Irina Bokova', 'BG'));
    merger.add(person('Irina BOKOVA', 'FR'));
    const sink = new MessageSink();
    const { people, entities } = merger.finish(sink);
    expect(people).toEqual([{ person_id: 'person-irina-bokova', name: 'Irina Bokova', aliases: ['Bokova', 'Irina BOKOVA'], country_code: 'BG' }]);
    expect(entities).toEqual([{ entity_id: 'person-irina-bokova', entity_type: 'person', name: 'Irina Bokova' }]);
    expect(sink.messages).toEqual([expect.objectContaining({ stage: 'merge', rule: 'conflicting-attribute', severity: 'warning', reason: expect.stringContaining('BG ×2, FR ×1') })]);
  });

  it('gives the same rows and warnings whatever order the articles of the development set arrive in', () => {
    const dir = path.join(ROOT, 'tests/fixtures/devset');
    const occurrences = readdirSync(dir)
      .filter((f) => f.endsWith('.txt'))
      .flatMap((f) => processArticle({ name: f, bytes: readFileSync(path.join(dir, f)) }, { texts: true }).summary.digest?.occurrences ?? []);
    expect(occurrences.length).toBeGreaterThan(100);
    const merged = (list: EntityOccurrence[]) => {
      const merger = new EntityMerger();
      for (const o of list) merger.add(o);
      const sink = new MessageSink();
      return { tables: merger.finish(sink), messages: sink.messages };
    };
    expect(merged([...occurrences].reverse())).toEqual(merged(occurrences));
  });
});
