// Quotes: attribution after or before the quote, continuing quotes, the headline quote,
// pronoun speakers, reported speech as indirect.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Extraction } from '../pipeline/extract/types.js';
import { run, warmUp } from './fixtures/extract/helpers.js';

function quotes(x: Extraction): Array<{ speaker: string | null; start: string; direct: boolean }> {
  const nameOf = (k: string | null) => (k ? x.entities.find((e) => e.key === k)!.name : null);
  return x.quotes.map((q) => ({ speaker: nameOf(q.speaker), start: q.text.split(' ').slice(0, 3).join(' '), direct: q.direct }));
}

beforeAll(warmUp, 60_000);

describe('quotes', () => {
  it('attributes `“...,” declared the Director-General` and a following unattributed paragraph', () => {
    const x = run('On 21 October, the UNESCO Director-General, Irina Bokova, opened the conference.\n\n“Innovation and resilience have deeper roots than assets,” declared the Director-General.\n\n“Solutions lie in the imaginations of women and men.”');
    expect(quotes(x)).toEqual([
      { speaker: 'Irina Bokova', start: 'Innovation and resilience', direct: true },
      { speaker: 'Irina Bokova', start: 'Solutions lie in', direct: true },
    ]);
  });

  it('attributes the headline quote through the title', () => {
    const x = run('"We need Learning Cities for a Better Future for All," declares UNESCO Director-General in Beijing\n\nOn 21 October, the UNESCO Director-General, Irina Bokova, opened the conference.', { headline: true });
    expect(quotes(x)[0]).toEqual({ speaker: 'Irina Bokova', start: 'We need Learning', direct: true });
  });

  it('resolves `he told reporters` to the person named just before', () => {
    const x = run('Qin Changwei, secretary-general of the Chinese National Commission for UNESCO, spoke. China put forward a proposal, Qin said.\n\n"Developing countries will get more support from us," he told reporters.');
    expect(quotes(x).filter((q) => q.direct)).toEqual([{ speaker: 'Qin Changwei', start: 'Developing countries will', direct: true }]);
  });

  it('takes the speaker before a colon and handles a lost closing mark', () => {
    const x = run('The statement also cited Hao Ping, the Chinese Vice- Education Minister: “Setting up these Funds-in-Trust is only a first step.\uFFFD');
    expect(quotes(x)).toEqual([{ speaker: 'Hao Ping', start: 'Setting up these', direct: true }]);
  });

  it('records reported speech as indirect', () => {
    const x = run('Shanghai Party Secretary Chen Jining met guests.\n\nChen said that Shanghai is following the important instructions.');
    expect(quotes(x)).toEqual([{ speaker: 'Chen Jining', start: 'Shanghai is following', direct: false }]);
    expect(x.quotes[0]!.text).toBe('Shanghai is following the important instructions');
  });

  it('gives a later quote in the same paragraph the same speaker', () => {
    const x = run('Irina Bokova, UNESCO Director-General, spoke.\n\n“Poverty still bars the way to school for girls,” the Director-General said. “The Prize puts the heroes of education in the spotlight.”');
    expect(quotes(x).map((q) => q.speaker)).toEqual(['Irina Bokova', 'Irina Bokova']);
  });
});
