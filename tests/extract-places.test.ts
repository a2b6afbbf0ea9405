import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countryFromDemonym, findCountry, findPlaces, generatePlaceIndexFile, type PlaceMatch } from '../pipeline/extract/places.js';

describe('findCountry', () => {
  it.each([
    ['China', 'CN', 'China'],
    ["People's Republic of China", 'CN', 'China'],
    ['People’s Republic of China', 'CN', 'China'],
    ['PRC', 'CN', 'China'],
    ['US', 'US', 'United States'],
    ['U.S.', 'US', 'United States'],
    ['the United States', 'US', 'United States'],
    ['United States of America', 'US', 'United States'],
    ['Cape Verde', 'CV', 'Cape Verde'],
    ['Cabo Verde', 'CV', 'Cape Verde'],
    ['Antigua and Barbuda', 'AG', 'Antigua and Barbuda'],
    ['South Africa', 'ZA', 'South Africa'],
    ['Sri Lanka', 'LK', 'Sri Lanka'],
    ['Britain', 'GB', 'United Kingdom'],
    ['CN', 'CN', 'China'],
  ])('%s → %s', (input, code, name) => {
    const country = findCountry(input);
    expect(country?.code).toBe(code);
    expect(country?.name).toBe(name);
  });

  it('gives coordinates from the data package', () => {
    const china = findCountry('China');
    expect(china?.latitude).toBeTypeOf('number');
    expect(china?.longitude).toBeTypeOf('number');
    // China lies in the northern and eastern hemispheres.
    expect(china!.latitude).toBeGreaterThan(0);
    expect(china!.longitude).toBeGreaterThan(70);
  });

  it('returns null for things that are not countries', () => {
    expect(findCountry('Shanghai')).toBeNull();
    expect(findCountry('Chinese')).toBeNull();
    expect(findCountry('UNESCO')).toBeNull();
    expect(findCountry('')).toBeNull();
  });
});

describe('countryFromDemonym', () => {
  it.each([
    ['Chinese', 'CN'],
    ['French', 'FR'],
    ['Australian', 'AU'],
    ['American', 'US'],
    ['British', 'GB'],
    ['Ghanaian', 'GH'],
  ])('%s → %s', (word, code) => {
    expect(countryFromDemonym(word)).toBe(code);
  });

  it.each([['Sino-French'], ['Sino-Canadian'], ['Congolese'], ['Education'], ['China']])('%s → null', (word) => {
    expect(countryFromDemonym(word)).toBeNull();
  });
});

const fixtureDir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'places');
const expected = JSON.parse(readFileSync(join(fixtureDir, 'expected.json'), 'utf8')) as Record<string, unknown>;
const fixtureNames = Object.keys(expected).filter((k) => k.endsWith('.txt'));

function summary(matches: PlaceMatch[]): Array<[string, string, string, string | null]> {
  return matches.map((m) => [m.surface, m.name, m.kind, m.country_code]);
}

describe('findPlaces on hand-corrected snippets of the genre', () => {
  it.each(fixtureNames)('%s: exactly the expected places', (name) => {
    const text = readFileSync(join(fixtureDir, name), 'utf8');
    expect(summary(findPlaces(text))).toEqual(expected[name]);
  });

  it.each(fixtureNames)('%s: offsets invariant, sorted and non-overlapping', (name) => {
    const text = readFileSync(join(fixtureDir, name), 'utf8');
    const found = findPlaces(text);
    for (let i = 0; i < found.length; i++) {
      const m = found[i]!;
      expect(text.slice(m.start, m.end)).toBe(m.surface);
      if (i > 0) expect(m.start).toBeGreaterThanOrEqual(found[i - 1]!.end);
    }
  });
});

describe('findPlaces details', () => {
  it('keeps the printed form as an alias and the official name for countries', () => {
    const [shandong] = findPlaces('The ceremony was held in Shandong Province.');
    expect(shandong?.name).toBe('Shandong');
    expect(shandong?.aliases).toContain('Shandong Province');
    const [cv] = findPlaces('Delegates from Cabo Verde attended.');
    expect(cv?.country_code).toBe('CV');
    expect(cv?.aliases).toContain('Cabo Verde');
    const [china] = findPlaces('China signed.');
    expect(china?.aliases).toContain("People's Republic of China");
  });

  it('accepts curly and straight apostrophes', () => {
    for (const text of ['the People’s Republic of China', "the People's Republic of China"]) {
      const found = findPlaces(text);
      expect(found.map((m) => m.country_code)).toEqual(['CN']);
      expect(found[0]!.surface).toBe(text.slice(4));
    }
  });

  it('prefers the Jining of the province the text names (Shandong, not Inner Mongolia)', () => {
    const inShandong = findPlaces('held in Jining City, Shandong Province, China.')[0]!;
    const inInnerMongolia = findPlaces('held in Jining, Inner Mongolia, China.')[0]!;
    expect(inShandong.name).toBe('Jining');
    // Same name, two places: the coordinates must differ and follow the province named.
    expect(inShandong.latitude).not.toBe(inInnerMongolia.latitude);
    const shandong = findPlaces('Shandong')[0]!;
    const innerMongolia = findPlaces('Inner Mongolia')[0]!;
    expect(Math.abs(inShandong.latitude! - shandong.latitude!)).toBeLessThan(Math.abs(inShandong.latitude! - innerMongolia.latitude!));
  });

  it('does not take a possessive or a hyphenated pair apart wrongly', () => {
    expect(summary(findPlaces("China's Ministry of Education and the China-Australia group"))).toEqual([
      ['China', 'China', 'country', 'CN'],
      ['China', 'China', 'country', 'CN'],
      ['Australia', 'Australia', 'country', 'AU'],
    ]);
  });

  it('reads a longer name before a shorter one inside it', () => {
    expect(summary(findPlaces('South Africa and Africa')).map((m) => m[1])).toEqual(['South Africa', 'Africa']);
  });

  it('does not read words in capitals as places outside datelines', () => {
    expect(findPlaces('UNESCO AND CHINA SIGN IT')).toEqual([]);
  });

  it('gives coordinates from the data packages and null ones for continents', () => {
    const [shanghai, africa] = findPlaces('Shanghai and Africa');
    expect(shanghai?.latitude).toBeGreaterThan(30);
    expect(shanghai?.latitude).toBeLessThan(32);
    expect(shanghai?.longitude).toBeGreaterThan(120);
    expect(africa?.latitude).toBeNull();
    expect(africa?.country_code).toBeNull();
  });

  it('holds the offsets invariant on arbitrary mixtures of place names and filler', () => {
    const words = ['China', 'Beijing', "People's", 'Republic', 'of', 'the', 'US', 'U.S.', 'Jining', 'Chen', 'City', 'Province', 'Sana’a', '-', ',', 'and', 'Reading', 'BEIJING', 'Chinese', 'Sino-French', 'é', '\n'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 30 }), fc.array(fc.constantFrom(' ', '', '  '), { minLength: 30, maxLength: 30 }), (parts, gaps) => {
        const text = parts.map((p, i) => p + gaps[i]).join('');
        const found = findPlaces(text);
        let last = 0;
        for (const m of found) {
          if (text.slice(m.start, m.end) !== m.surface) return false;
          if (m.start < last || m.end <= m.start) return false;
          last = m.end;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});

describe('findPlaces: printed designations decide city or region', () => {
  it.each([
    ['Jilin Province signed.', 'Jilin Province', 'region'],
    ['Jilin City signed.', 'Jilin City', 'city'],
    ['the four provinces: Jilin, Heilongjiang', 'Jilin', 'region'],
    ['He studied in Jilin.', 'Jilin', 'city'],
    ['Beijing Municipality', 'Beijing Municipality', 'city'],
    ['Lagos State, Nigeria', 'Lagos State', 'region'],
  ])('%s', (text, surface, kind) => {
    const match = findPlaces(text).find((m) => m.surface === surface);
    expect(match?.kind).toBe(kind);
  });

  it('reads Hong Kong and Macao as regions with their own ISO codes', () => {
    expect(summary(findPlaces('Hong Kong SAR and Macao'))).toEqual([
      ['Hong Kong SAR', 'Hong Kong', 'region', 'HK'],
      ['Macao', 'Macau', 'region', 'MO'],
    ]);
  });

  it('does not read a currency as a country', () => {
    expect(findPlaces('a US$8 million fund')).toEqual([]);
  });
});

describe('findPlaces: abbreviations', () => {
  it('reads US, U.S., UK and PRC in capitals only', () => {
    expect(summary(findPlaces('The US, the U.S., the UK and the PRC.')).map((m) => m[3])).toEqual(['US', 'US', 'GB', 'CN']);
    expect(findPlaces('Us and them. Uk.')).toEqual([]);
  });
});

describe('findPlaces: towns sharing a name', () => {
  it('prefers the town that lends its name to its suburbs (North Sydney, East Melbourne)', () => {
    expect(summary(findPlaces('Delegates flew to Sydney, Melbourne and Montreal.')).map((m) => m[3])).toEqual(['AU', 'AU', 'CA']);
  });

  it('reads Washington after a preposition as the US capital, and not in a person name', () => {
    expect(summary(findPlaces('Talks were held in Washington.'))).toEqual([['Washington', 'Washington D.C.', 'city', 'US']]);
    expect(findPlaces('George Washington said.')).toEqual([]);
  });
});

describe('findPlaces: Chinese names that are also town names', () => {
  it('reads Anshun as a town, but not in the names Wang Anshun or Anshun Wang', () => {
    expect(summary(findPlaces('They visited Anshun, Guizhou.'))).toEqual([
      ['Anshun', 'Anshun', 'city', 'CN'],
      ['Guizhou', 'Guizhou', 'region', 'CN'],
    ]);
    expect(findPlaces('Mayor Wang Anshun spoke.')).toEqual([]);
    expect(findPlaces('Professor Anshun Wang spoke.')).toEqual([]);
  });
});

describe('the generated gazetteer file (make writes it; every process reads it instead of building the index)', () => {
  it('is exactly what the index builder makes now, so reading it gives the same places as building', () => {
    const file = join(dirname(fileURLToPath(import.meta.url)), '../pipeline/extract/geo/gazetteer.generated.txt');
    // `make test` generates it first; a missing file would make this test meaningless, so it fails.
    expect(readFileSync(file, 'utf8')).toBe(generatePlaceIndexFile());
  }, 60_000);
});
