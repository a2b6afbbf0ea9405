// Organisations: head nouns, `Name (ACRONYM)` definitions and later acronyms, foreign names,
// UNESCO's full names, countries; events and prizes are not organisations.
import { beforeAll, describe, expect, it } from 'vitest';
import { entity, named, run, surfacesOf, warmUp } from './fixtures/extract/helpers.js';

beforeAll(warmUp, 60_000);

describe('organizations', () => {
  it('joins a full name and its acronym, and finds the acronym alone later', () => {
    const x = run('UNESCO member states established the International Institute for STEM Education (IISTEM) in Shanghai. IISTEM will help Africa.', { useReference: false });
    const org = entity(x, 'International Institute for STEM Education')!;
    expect(org.type === 'organization' && org.acronym).toBe('IISTEM');
    expect(surfacesOf(x, 'International Institute for STEM Education')).toEqual(['International Institute for STEM Education', 'IISTEM', 'IISTEM']);
  });

  it('keeps long names whole, with `of the People’s Republic of China` and `for UNESCO`', () => {
    const x = run('It is co-hosted by the Secretariat of the National Commission of the People’s Republic of China for UNESCO and the Beijing Municipal Education Commission.', { useReference: false });
    expect(named(x, 'organization')).toEqual(['Beijing Municipal Education Commission', 'Secretariat of the National Commission of the People’s Republic of China for UNESCO']);
    // The country inside the name is part of the name, not a place mention.
    expect(named(x, 'place')).toEqual([]);
  });

  it('uses the reference canonical name for a known variant', () => {
    const x = run('It is co-hosted by the Secretariat of the National Commission of the People’s Republic of China for UNESCO.');
    expect(named(x, 'organization')).toEqual(['National Commission of the People’s Republic of China for UNESCO']);
  });

  it('reads foreign names that put the head first', () => {
    const x = run('He visited the Institut Supérieure d’Etudes Scientifiques and Ecole Polytechnique Centrale de Paris, and the Centro Universitario de Participación Social (Mexico).');
    expect(named(x, 'organization')).toEqual(['Centro Universitario de Participación Social', 'Ecole Polytechnique Centrale de Paris', 'Institut Supérieure d’Etudes Scientifiques']);
  });

  it('recognises UNESCO by its full name with or without the reference list', () => {
    for (const useReference of [true, false]) {
      const x = run('Irina Bokova, Director-General of the UN Educational, Scientific, and Cultural Organization (UNESCO), arrived. UNESCO is a partner.', { useReference });
      const orgs = x.entities.filter((e) => e.type === 'organization');
      expect(orgs).toHaveLength(1);
      expect(x.mentions.filter((m) => m.entity === orgs[0]!.key).map((m) => m.surface)).toEqual(['UN Educational, Scientific, and Cultural Organization', 'UNESCO', 'UNESCO']);
    }
  });

  it('takes the country from a possessive or a demonym', () => {
    const x = run("BEIJING - China's Ministry of Education signed a Memorandum of Understanding (MoU). The Chinese Academy of Engineering agreed.", { useReference: false });
    const moe = entity(x, 'Ministry of Education')!;
    expect(moe.type === 'organization' && moe.country_code).toBe('CN');
    const cae = entity(x, 'Chinese Academy of Engineering')!;
    expect(cae.type === 'organization' && cae.country_code).toBe('CN');
    // Documents are neither organisations nor events.
    expect(named(x, 'organization')).toEqual(['Chinese Academy of Engineering', 'Ministry of Education']);
  });

  it('does not take a prize or a conference for an organisation', () => {
    const x = run('They received the first UNESCO Prize for Girls’ and Women’s Education at the 2024 World Digital Education Conference.', { useReference: false });
    expect(named(x, 'organization')).toEqual([]);
    expect(named(x, 'event')).toEqual(['2024 World Digital Education Conference', 'first UNESCO Prize for Girls’ and Women’s Education']);
  });

  it('takes the last head word of a name as its head', () => {
    const x = run('Ms Evernice Munando, Project Director at the Femal Students Network Trust from Zimbabwe, spoke.');
    expect(named(x, 'organization')).toEqual(['Femal Students Network Trust']);
  });
});
