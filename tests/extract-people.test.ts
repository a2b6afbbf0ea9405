// People and roles from the genre's patterns: titles before names, appositions, honorifics,
// Chinese names (also with upper-case surnames), shared plural titles, reference completion.
import { beforeAll, describe, expect, it } from 'vitest';
import { entity, named, rolesOf, run, surfacesOf, warmUp } from './fixtures/extract/helpers.js';

beforeAll(warmUp, 60_000);

describe('people', () => {
  it('takes the title before a name as a role, not as part of the name', () => {
    const x = run('Minister of Education Huai Jinpeng met President Xi Jinping in Beijing.');
    expect(named(x, 'person')).toEqual(['Huai Jinpeng', 'Xi Jinping']);
    expect(rolesOf(x, 'Huai Jinpeng')).toEqual(['Minister of Education']);
    expect(rolesOf(x, 'Xi Jinping')).toEqual(['President']);
  });

  it('reads a title apposition after a name, with commas inside a list of portfolios', () => {
    const x = run('Chris Evans, Minister for Tertiary Education, Skills, Jobs and Workplace Relations, at the parliament.');
    expect(rolesOf(x, 'Chris Evans')).toEqual(['Minister for Tertiary Education, Skills, Jobs and Workplace Relations']);
  });

  it('reads `the <title>, <Name>` and honorifics', () => {
    const x = run('On 21 October, the UNESCO Director-General, Irina Bokova, met with Excellency Ms Liu Yandong, Vice Premier of the People’s Republic of China.');
    expect(rolesOf(x, 'Irina Bokova')).toEqual(['UNESCO Director-General']);
    expect(rolesOf(x, 'Liu Yandong')).toEqual(['Vice Premier of the People’s Republic of China']);
    expect(named(x, 'person')).toEqual(['Irina Bokova', 'Liu Yandong']);
  });

  it('splits `Vice Ministers of Education Chen Jie and Wu Yan` into two people with the title each', () => {
    const x = run('Vice Ministers of Education Chen Jie and Wu Yan and Shanghai Vice Mayor Xie Dong also attended the meeting.');
    expect(named(x, 'person')).toEqual(['Chen Jie', 'Wu Yan', 'Xie Dong']);
    expect(rolesOf(x, 'Wu Yan')).toEqual(['Vice Minister of Education']);
    expect(rolesOf(x, 'Xie Dong')).toEqual(['Shanghai Vice Mayor']);
  });

  it('gives upper-case surnames a normal-case canonical name and keeps the printed form', () => {
    const x = run('As part of the preparations, TANG Qian, the UNESCO Assistant Director-General for Education, visited the campus. CHEN Shiyi met TANG’s delegation.', { date: '2015-12-29' });
    const tang = entity(x, 'Tang Qian')!;
    expect(tang.aliases).toContain('TANG Qian');
    expect(surfacesOf(x, 'Tang Qian')).toContain('TANG');
    expect(named(x, 'person')).toEqual(['Chen Shiyi', 'Tang Qian']);
  });

  it('resolves later surname-only references to the same person', () => {
    const x = run('Shanghai Party Secretary Chen Jining met with Stefania Giannini, assistant director-general for Education at UNESCO.\n\nChen said the city values education. Giannini thanked Shanghai.');
    expect(named(x, 'person')).toEqual(['Chen Jining', 'Stefania Giannini']);
    expect(surfacesOf(x, 'Chen Jining')).toEqual(['Chen Jining', 'Chen']);
    expect(surfacesOf(x, 'Stefania Giannini')).toEqual(['Stefania Giannini', 'Giannini']);
  });

  it('completes a surname with a title from the reference list and keeps the printed form', () => {
    const x = run('The visit was part of a consensus reached by President Xi Jinping and Prime Minister Albanese.');
    expect(entity(x, 'Anthony Albanese')?.aliases).toContain('Albanese');
    const printed = run('The visit was part of a consensus reached by President Xi Jinping and Prime Minister Albanese.', { useReference: false });
    expect(named(printed, 'person')).toEqual(['Albanese', 'Xi Jinping']);
  });

  it('joins a misprinted name to the right person, keeping both forms', () => {
    const x = run('During the meeting, Simona-Mirera Miculescu, President of the 42nd UNESCO General Conference, delivered a speech.');
    const p = entity(x, 'Simona-Mirela Miculescu')!;
    expect(p.aliases).toContain('Simona-Mirera Miculescu');
  });

  it('finds Western names of two to five words after honorifics', () => {
    const x = run('Representing the winners were Mr Abdulrahman Mohammed Mashof Al-Aslami, Media Director of the Literacy Office; and Ms Mirta Isabel Figuerora Fernandez, Director of the Centro Universitario de Participación Social (Mexico).');
    expect(named(x, 'person')).toEqual(['Abdulrahman Mohammed Mashof Al-Aslami', 'Mirta Isabel Figuerora Fernandez']);
  });

  it('does not take places, countries or organisations for people', () => {
    const x = run('He held meetings with the education ministers of Sri Lanka, Cape Verde, Lebanon and South Africa at the University of Ottawa.');
    expect(named(x, 'person')).toEqual([]);
  });

  it('publishes an unrecognised title as stated, with a warning', () => {
    const x = run('Ms Jane Doe, Keeper of the Archives of Ruritania, opened the exhibition.');
    expect(rolesOf(x, 'Jane Doe')).toEqual(['Keeper of the Archives of Ruritania']);
    expect(x.sink.messages.some((m) => m.rule === 'unknown-title' && m.stage === 'extract')).toBe(true);
  });

  it('resolves a title used alone to the person who holds it', () => {
    const x = run('Ms Liu Yandong, Vice Premier of China, spoke first. Learning matters, declared the Vice Premier.');
    expect(surfacesOf(x, 'Liu Yandong')).toContain('Vice Premier');
  });

  it('keeps a middle initial inside the name and finds a full name repeated without context', () => {
    const x = run('Minister Huai Jinpeng met with Salim M. AlMalik, Director-General of ICESCO. Later, Weng met separately with Salim M. AlMalik and others.');
    expect(named(x, 'person')).toEqual(['Huai Jinpeng', 'Salim M. AlMalik']);
    expect(surfacesOf(x, 'Salim M. AlMalik')).toEqual(['Salim M. AlMalik', 'Salim M. AlMalik']);
  });

  it('reads `the <title> of <portfolio>, <Name>`', () => {
    const x = run('She also held bilateral talks with the Finnish Minister of Education, Li Andersson.');
    expect(rolesOf(x, 'Li Andersson')).toEqual(['Finnish Minister of Education']);
  });
});

