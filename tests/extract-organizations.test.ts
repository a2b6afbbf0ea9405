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

  it('keeps `and` inside one name but splits two names joined by `and`', () => {
    const one = run('Delegates of the UNESCO Asia and Pacific Regional Bureau for Education and of the World MOOC and Online Education Alliance met in Hangzhou.', { useReference: false });
    expect(named(one, 'organization')).toEqual(['UNESCO Asia and Pacific Regional Bureau for Education', 'World MOOC and Online Education Alliance']);
    const two = run('The plan was approved by the Ministry of Education and Shanghai Municipal Government last year.', { useReference: false });
    expect(named(two, 'organization')).toEqual(['Ministry of Education', 'Shanghai Municipal Government']);
    const personAndOrg = run('Audrey Azoulay and Fudan University signed the letter.');
    expect(named(personAndOrg, 'organization')).toEqual(['Fudan University']);
    const founders = run('A grant from the Bill and Melinda Gates Foundation helped.', { useReference: false });
    expect(named(founders, 'organization')).toEqual(['Bill and Melinda Gates Foundation']);
  });

  it('does not take a scholarship programme for a government', () => {
    const x = run('Over 300 students from Kenya have received Chinese Government Scholarships since 2015.', { useReference: false });
    expect(named(x, 'organization')).toEqual([]);
  });

  it('reads `Headquarters` names and a short name in parentheses used alone later', () => {
    const x = run('Teachers were trained with support from the Confucius Institute Headquarters (Hanban) in 2018. Hanban also sent textbooks.', { useReference: false });
    expect(named(x, 'organization')).toEqual(['Confucius Institute Headquarters']);
    expect(surfacesOf(x, 'Confucius Institute Headquarters')).toEqual(['Confucius Institute Headquarters', 'Hanban', 'Hanban']);
    // A seat is not a new organisation; a place in parentheses is not a short name.
    const seat = run('The ceremony took place at UNESCO Headquarters on Friday.');
    expect(named(seat, 'organization')).toEqual(['UNESCO']);
    const credit = run('The plan was announced by the Ministry of Education (Xinhua).\n\nXinhua is a news agency.', { useReference: false });
    expect(surfacesOf(credit, 'Ministry of Education')).toEqual(['Ministry of Education']);
    const mixed = run('The Southern Institute of Technology (SoTech) opened a lab. SoTech hired staff.', { useReference: false });
    expect(surfacesOf(mixed, 'Southern Institute of Technology')).toEqual(['Southern Institute of Technology', 'SoTech', 'SoTech']);
  });

  it('reads a delegation named with where it is sent, but not a generic delegation', () => {
    const x = run('A reception was given by the Permanent Delegation of the Republic of Kenya to UNESCO on Tuesday.', { useReference: false });
    expect(named(x, 'organization')).toEqual(['Permanent Delegation of the Republic of Kenya to UNESCO']);
    const generic = run('Minister Li Leads Delegation to Paris Talks', { headline: true, useReference: false });
    expect(named(generic, 'organization')).toEqual([]);
  });

  it('continues a name with where an office is, keeping the city as a place', () => {
    const x = run('Experts from the UNESCO Office in Bangkok joined the meeting.', { useReference: false });
    expect(named(x, 'organization')).toEqual(['UNESCO Office in Bangkok']);
    expect(named(x, 'place')).toEqual(['Bangkok']);
    // A ministry is not named by the city it is in.
    const ministry = run('The Ministry of Education in Beijing approved the plan.', { useReference: false });
    expect(named(ministry, 'organization')).toEqual(['Ministry of Education']);
  });

  it('continues a name with a place its acronym spells', () => {
    const x = run('The UNESCO International Institute for Educational Planning in Africa (IIEPA) opened. IIEPA will train planners.', { useReference: false });
    const org = entity(x, 'UNESCO International Institute for Educational Planning in Africa')!;
    expect(org.type === 'organization' && org.acronym).toBe('IIEPA');
    expect(surfacesOf(x, 'UNESCO International Institute for Educational Planning in Africa')).toHaveLength(3);
  });

  it('reads a unit hosted by a university as one organisation', () => {
    const x = run('Students at the Confucius Institute at the University of Lagos performed.', { useReference: false });
    expect(named(x, 'organization')).toEqual(['Confucius Institute at the University of Lagos']);
  });

  it('finds lower-case local government bodies named by their place', () => {
    const x = run('Funding came from the municipal government of Chongqing, the Hunan provincial government and the provincial department of education of Guangdong.', { useReference: false });
    expect(named(x, 'organization')).toEqual(['Hunan provincial government', 'municipal government of Chongqing', 'provincial department of education of Guangdong']);
    const gov = entity(x, 'Hunan provincial government')!;
    expect(gov.type === 'organization' && gov.country_code).toBe('CN');
    // Without a place the phrase only describes a body already named.
    const bare = run('The provincial government welcomed the decision.', { useReference: false });
    expect(named(bare, 'organization')).toEqual([]);
  });

  it('takes a standing `Forum on … Cooperation` for an institution, and a dated one for an event', () => {
    const x = run('Under the Forum on China-Arab Cooperation (FOCAR), ten projects started. FOCAR will review them.', { useReference: false });
    expect(named(x, 'organization')).toEqual(['Forum on China-Arab Cooperation']);
    expect(surfacesOf(x, 'Forum on China-Arab Cooperation')).toEqual(['Forum on China-Arab Cooperation', 'FOCAR', 'FOCAR']);
    expect(named(x, 'event')).toEqual([]);
    const dated = run('Ministers met at the 2021 Forum on China-Arab Cooperation in Cairo.', { useReference: false });
    expect(named(dated, 'organization')).toEqual([]);
  });

  it('reads networks, alliances and associations, but not a heritage route listing', () => {
    const x = run('The University Alliance of the Maritime Silk Road, the Global Network of Learning Cities and the Chinese People’s Association for Friendship with Foreign Countries signed the letter.', { useReference: false });
    expect(named(x, 'organization')).toEqual(['Chinese People’s Association for Friendship with Foreign Countries', 'Global Network of Learning Cities', 'University Alliance of the Maritime Silk Road']);
    const site = run('The Silk Roads: Routes Network of the Tianshan Corridor was inscribed on the World Heritage List.', { useReference: false });
    expect(named(site, 'organization')).toEqual([]);
  });
});
