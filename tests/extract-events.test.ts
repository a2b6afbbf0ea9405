// Events: named conferences, days and prizes with editions, dates and places; the same
// event printed with and without edition or by acronym is one event.
import { beforeAll, describe, expect, it } from 'vitest';
import { entity, named, run, surfacesOf, warmUp } from './fixtures/extract/helpers.js';

beforeAll(warmUp, 60_000);

describe('events', () => {
  it('dates a conference from `From ... to ...` in its sentence', () => {
    const x = run('Minister Huai Leads Delegation to UNESCO General Conference\n\nFrom November 7th to 12th, Minister of Education Huai Jinpeng led a delegation to attend the 42nd UNESCO General Conference.', { date: '2023-11-14', headline: true });
    const ev = entity(x, '42nd UNESCO General Conference')!;
    expect(ev.type === 'event' && [ev.start_date, ev.end_date]).toEqual(['2023-11-07', '2023-11-12']);
    expect(surfacesOf(x, '42nd UNESCO General Conference')).toEqual(['UNESCO General Conference', '42nd UNESCO General Conference']);
    expect(named(x, 'event')).toHaveLength(1);
  });

  it('joins `2024 World Digital Education Conference (WDEC)`, `2024 WDEC` and `WDEC`, taking the year from the name', () => {
    const x = run('They met guests attending the 2024 World Digital Education Conference (WDEC) in Shanghai on Jan 30.\n\nThe 2024 WDEC was a success. WDEC will return.');
    expect(named(x, 'event')).toEqual(['2024 World Digital Education Conference']);
    const ev = entity(x, '2024 World Digital Education Conference')!;
    expect(ev.type === 'event' && ev.start_date).toBe('2024-01-30');
    expect(ev.type === 'event' && ev.place).toBe('place:Shanghai|CN');
    expect(surfacesOf(x, '2024 World Digital Education Conference')).toEqual(['2024 World Digital Education Conference', 'WDEC', '2024 WDEC', 'WDEC']);
  });

  it('reads ordinals in words and names with comma lists', () => {
    const x = run('Meeting on November 7, 2015, the Thirty-eighth General Conference of UNESCO approved it. They discussed the International Conference on Engineering, Science and Technology to be held in Beijing in June 2014.', { date: '2015-12-29' });
    expect(named(x, 'event')).toEqual(['International Conference on Engineering, Science and Technology', 'Thirty-eighth General Conference of UNESCO']);
    const ev = entity(x, 'International Conference on Engineering, Science and Technology')!;
    expect(ev.type === 'event' && ev.start_date).toBe('2014-06');
  });

  it('finds a numbered meeting in lower case', () => {
    const x = run('Education officials gathered in Canberra, Australia, on Monday for the fourth China-Australia education joint work group meeting.', { date: '2011-05-23' });
    expect(named(x, 'event')).toEqual(['fourth China-Australia education joint work group meeting']);
    const ev = entity(x, 'fourth China-Australia education joint work group meeting')!;
    expect(ev.type === 'event' && [ev.start_date, ev.place]).toEqual(['2011-05-23', 'place:Canberra|AU']);
  });

  it('does not take plans and initiatives for events', () => {
    const x = run("It is one element of China's 13th Five Year Plan under the Belt and Road Initiative.");
    expect(named(x, 'event')).toEqual([]);
  });

  it('treats a short back-reference as the same event', () => {
    const x = run('Irina Bokova opened the first International Conference on Learning Cities. The International Conference is co-organized by UNESCO.');
    expect(named(x, 'event')).toEqual(['first International Conference on Learning Cities']);
  });

  it('keeps `in Education` inside a name but not `in Paris`', () => {
    const x = run('The delegation attended the UNESCO Forum on Artificial Intelligence in Education in Paris from June 18 to 19.', { date: '2019-06-20' });
    expect(named(x, 'event')).toEqual(['UNESCO Forum on Artificial Intelligence in Education']);
    const ev = entity(x, 'UNESCO Forum on Artificial Intelligence in Education')!;
    expect(ev.type === 'event' && [ev.start_date, ev.end_date, ev.place]).toEqual(['2019-06-18', '2019-06-19', 'place:Paris|FR']);
  });
});

