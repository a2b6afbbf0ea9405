import { describe, expect, it } from 'vitest';
import { findDates, parseDateLine, type DateMatch } from '../pipeline/extract/dates.js';

describe('parseDateLine: a line that is only a date', () => {
  it.each([
    ['December 29, 2015', '2015-12-29'], // devset d04 date line
    ['29 December 2015', '2015-12-29'],
    ['Dec. 29, 2015', '2015-12-29'],
    ['Dec 29 2015', '2015-12-29'],
    ['December 29th, 2015', '2015-12-29'],
    ['Monday, December 28, 2015', '2015-12-28'],
    ['  2025-05-18  ', '2025-05-18'], // devset d10 date line
    ['2016/06/06', '2016-06-06'],
    ['06.06.2016', '2016-06-06'], // devset d05: day.month.year
    ['03.02.2012', '2012-02-03'], // dotted dates are day first
    ['18/05/2010', '2010-05-18'], // day > 12 → day first
    ['05/18/2010', '2010-05-18'], // second part > 12 → month first
    ['Sept. 3, 2020', '2020-09-03'],
  ])('%s → %s', (line, iso) => {
    expect(parseDateLine(line)).toBe(iso);
  });

  it.each([
    ['05/06/2010'], // could be 5 June or May 6
    ['February 30, 2015'], // no such day
    ['2015-13-01'],
    ['Updated: 2011-05-23 22:24'], // more than a date
    ['Source: MOE'],
    ['December 2015'], // no day
    ['On December 29, 2015, the minister said'],
    [''],
  ])('%s → null', (line) => {
    expect(parseDateLine(line)).toBeNull();
  });
});

/** The one date found in text whose surface is `surface`. */
function dateOf(text: string, datePublished: string | null, surface: string): DateMatch {
  const found = findDates(text, datePublished).filter((d) => d.surface === surface);
  expect(found, `${surface} in ${JSON.stringify(findDates(text, datePublished))}`).toHaveLength(1);
  return found[0]!;
}

describe('findDates: stated dates', () => {
  it.each([
    ['The meeting took place on May 18, 2010.', 'May 18, 2010', '2010-05-18'],
    ['They met on 6 June 2016 in Beijing.', '6 June 2016', '2016-06-06'],
    ['the team visited from December 25th to 27th, 2015.', 'December 25th to 27th, 2015', '2015-12-25/2015-12-27'],
    ['The idea was raised in August 2011.', 'August 2011', '2011-08'],
    ['to be held in Beijing in June 2014, when', 'June 2014', '2014-06'],
    ['held on 28 September 2020 in Jining City', '28 September 2020', '2020-09-28'],
    ['signed on Dec. 29, 2015 in Shenzhen', 'Dec. 29, 2015', '2015-12-29'],
    ['Updated: 2011-05-23 22:24', '2011-05-23', '2011-05-23'],
  ])('%s', (text, surface, date) => {
    const d = dateOf(text, null, surface);
    expect(d.date).toBe(date);
    expect(d.basis).toBe('stated');
  });
});

describe('findDates: dates without a year', () => {
  it('takes the year from the dateline (seed 001: 42nd General Conference)', () => {
    const d = dateOf('From November 7th to 12th, the 42nd session of the General Conference was held in Paris.', '2023-11-14', 'November 7th to 12th');
    expect(d.date).toBe('2023-11-07/2023-11-12');
    expect(d.basis).toBe('year from dateline');
  });

  it('takes the year from the date line (devset d10: May 15 under 2025-05-18)', () => {
    expect(dateOf('Wu Yan met the minister on May 15.', '2025-05-18', 'May 15').date).toBe('2025-05-15');
  });

  it('uses the previous year when the month lies after the dateline month', () => {
    const d = dateOf('The forum opened on December 12.', '2024-01-05', 'December 12');
    expect(d.date).toBe('2023-12-12');
  });

  it('keeps XXXX when nothing states the year (seed 003: On 21 October)', () => {
    const text = 'On 21 October, the Director-General opened the conference. The next conference is to be held in Beijing in June 2014.';
    const d = dateOf(text, null, '21 October');
    expect(d.date).toBe('XXXX-10-21');
    expect(d.basis).toBe('stated without year');
  });

  it('keeps XXXX for a span without year (devset d08: August 14-15)', () => {
    expect(dateOf('The minister travelled to Australia on August 14-15 for a visit.', null, 'August 14-15').date).toBe('XXXX-08-14/XXXX-08-15');
  });

  it('takes the year of the full dates of the text (devset d07: 8 September in 2020)', () => {
    const text = 'Laureates received honours at a ceremony held on 28 September 2020 in Jining City. They had been recognised during the webinar held on 8 September for International Literacy Day.';
    const d = dateOf(text, null, '8 September');
    expect(d.date).toBe('2020-09-08');
    expect(d.basis).toBe('year from text');
  });

  it('takes the only year of the same sentence (seed 002: the 2024 conference on Jan 30)', () => {
    const text = 'The minister met foreign guests attending the 2024 World Digital Education Conference (WDEC) in Shanghai on Jan 30.';
    expect(dateOf(text, null, 'Jan 30').date).toBe('2024-01-30');
  });
});

describe('findDates: relative dates need the dateline', () => {
  it.each([
    ['Chen Jining met Stefania Giannini in Shanghai on Sunday.', '2023-07-03', 'Sunday', '2023-07-02'], // seed 000: Monday dateline
    ['Du Yubo held talks on Monday morning.', '2011-05-23', 'Monday', '2011-05-23'], // d02: same day
    ['The centre was announced on Wednesday.', '2023-12-20', 'Wednesday', '2023-12-20'], // d09
    ['The ministry on Tuesday signed an MoU.', '2017-04-12', 'Tuesday', '2017-04-11'], // d06
    ['The ministry approved the plan last month.', '2023-12-20', 'last month', '2023-11'],
    ['The ministry approved the plan last month.', '2024-01-10', 'last month', '2023-12'],
  ])('%s (%s)', (text, datePublished, surface, date) => {
    const d = dateOf(text, datePublished, surface);
    expect(d.date).toBe(date);
    expect(d.basis).toBe('relative to dateline');
  });

  it('returns no weekday or relative date without a dateline', () => {
    expect(findDates('They met on Sunday and signed last month.', null)).toEqual([]);
  });
});

describe('findDates: precision and offsets', () => {
  it('does not read the modal verb or numbers as dates', () => {
    expect(findDates('Students may 3D-print models; 25 schools joined and 2030 Agenda goals were set.', '2023-01-01')).toEqual([]);
  });

  it('rejects impossible days', () => {
    expect(findDates('It was held on February 30, 2015.', null).map((d) => d.date)).not.toContain('2015-02-30');
  });

  it('returns sorted, non-overlapping matches whose surface is the text at their offsets', () => {
    const text = 'CANBERRA – On Monday, May 23, 2011, the group met; from November 7th to 12th and on 21 October they met again, last month and in June 2014.';
    const found = findDates(text, '2011-05-23');
    expect(found.length).toBeGreaterThanOrEqual(5);
    for (let i = 0; i < found.length; i++) {
      const d = found[i]!;
      expect(text.slice(d.start, d.end)).toBe(d.surface);
      if (i > 0) expect(d.start).toBeGreaterThanOrEqual(found[i - 1]!.end);
    }
    expect(found.find((d) => d.surface.includes('May 23, 2011'))?.date).toBe('2011-05-23');
  });
});

describe('findDates: weekdays that are names', () => {
  it('does not read a weekday that starts a name as a date, unless `on` precedes it', () => {
    expect(findDates('The Sunday Times reported it.', '2023-07-03')).toEqual([]);
    expect(dateOf('On Tuesday Vice Minister Tian Xuejun said.', '2017-04-12', 'Tuesday').date).toBe('2017-04-11');
  });
});

describe('findDates: months and counts', () => {
  it('resolves a month named alone after a preposition', () => {
    expect(dateOf('The plan was adopted in March.', '2023-07-03', 'March').date).toBe('2023-03');
    expect(dateOf('The plan was adopted in March.', null, 'March').date).toBe('XXXX-03');
    expect(dateOf('Talks resumed in mid-December.', '2024-01-10', 'December').date).toBe('2023-12');
  });

  it('does not read the modal verb May without a preposition as a month', () => {
    expect(findDates('Schools May join later.', '2023-07-03')).toEqual([]);
  });

  it('does not read a count after a date as the end of a range', () => {
    const found = findDates('On May 15 and 20 students from Ghana arrived.', '2025-05-18');
    expect(found.map((d) => [d.surface, d.date])).toEqual([['May 15', '2025-05-15']]);
  });

  it('still reads `August 14 and 15` before a preposition as a range', () => {
    expect(dateOf('He visited on August 14 and 15 in Canberra.', null, 'August 14 and 15').date).toBe('XXXX-08-14/XXXX-08-15');
  });
});

