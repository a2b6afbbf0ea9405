// Place recognition (gazetteer) for the extract stage.
//
// Codes and coordinates come from maintained packages: `world-countries`
// (countries: cca2, names, altSpellings, latlng, demonyms) and
// `country-state-city` (states/provinces and cities). The small JSON files in
// ./geo/ hold only what no package has (see ./geo/README.md).

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Countries } from 'world-countries';
import type { PlaceKind } from './types.js';
import { wordCharTest } from './chars.js';
import countryAliases from './geo/country-aliases.json' with { type: 'json' };
import continents from './geo/continents.json' with { type: 'json' };
import placeWords from './geo/place-words.json' with { type: 'json' };

// The packages' data files are loaded with require rather than typed JSON
// imports: TypeScript would otherwise infer a type from 10 MB of JSON on every
// type-check (tsc took 3x longer). Their shapes are declared here instead.
const requireData = createRequire(import.meta.url);
const worldCountries = requireData('world-countries/countries.json') as Countries;
type CityRow = [name: string, countryCode: string, stateCode: string, latitude: string, longitude: string];
interface StateRow { name: string; isoCode: string; countryCode: string; latitude: string | null; longitude: string | null }
// Loaded on the first findPlaces call only, so findCountry users (the clean
// stage) do not pay for them.
/** country-state-city: states/provinces (555 kB). */
const loadStates = (): StateRow[] => loadOnce<StateRow[]>('country-state-city/lib/assets/state.json');
/** country-state-city: 148k cities as compact rows (8 MB, about 0.3 s to load). */
const loadCities = (): CityRow[] => loadOnce<CityRow[]>('country-state-city/lib/assets/city.json');
/**
 * Require a data file so that nothing keeps it once indexed: a require
 * function of its own (its module's `children` list would hold the file) and
 * no require-cache entry. The 148k raw city rows then cost nothing after load.
 */
function loadOnce<T>(specifier: string): T {
  const requireOnce = createRequire(import.meta.url);
  const data = requireOnce(specifier) as T;
  delete requireOnce.cache[requireOnce.resolve(specifier)];
  return data;
}

export interface PlaceMatch {
  /** UTF-16 offsets into text, end exclusive; text.slice(start, end) === surface. */
  start: number;
  end: number;
  surface: string;
  /** Canonical English name (the data package's common name). */
  name: string;
  /** Other accepted names (official name, printed variant). */
  aliases: string[];
  kind: PlaceKind;
  /** ISO 3166-1 alpha-2: for a country itself, for a city/region its country; null for continents. */
  country_code: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface CountryInfo {
  code: string;
  name: string;
  latitude: number;
  longitude: number;
}

// ---------------------------------------------------------------------------
// Name keys

const ASCII_ALPHANUMERIC_WORD = /^[A-Za-z0-9]+$/;

/**
 * Lookup key for a place name: case, diacritics, apostrophe style, dots and a
 * leading "the" do not matter (`U.S.` = `US`, `People’s` = `People's`,
 * `Sana’a` = `Sana'a`, `São Tomé` = `Sao Tome`).
 */
export function placeNameKey(name: string): string {
  // A plain ASCII word has nothing to normalise but its case (the common call: one word of a text).
  if (ASCII_ALPHANUMERIC_WORD.test(name)) return name.toLowerCase();
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019\u02bc\u0060\u00b4]/g, "'")
    .toLowerCase()
    .replace(/\./g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^the /, '');
}

// ---------------------------------------------------------------------------
// Countries (world-countries)

interface CountryRecord extends CountryInfo {
  official: string;
  /** Names a text may print (common, official, Latin-script alternates, hand aliases). */
  names: string[];
  /** Codes of the country (cca2, cca3): accepted by findCountry, not matched in running text. */
  codes: string[];
  unMember: boolean;
}

/** Latin script only: altSpellings also hold native-script names we never see in English text. */
function isLatinName(s: string): boolean {
  return /^[\p{Script=Latin}\p{M}0-9 '’.,()\-]+$/u.test(s);
}

function buildCountries(): { byCode: Map<string, CountryRecord>; byKey: Map<string, CountryRecord> } {
  const byCode = new Map<string, CountryRecord>();
  for (const c of worldCountries) {
    const [lat, lon] = c.latlng;
    const names = new Set<string>([c.name.common, c.name.official]);
    for (const alt of c.altSpellings) {
      // Skip the bare code (`CN`) and inverted catalogue forms (`Korea, Republic of`).
      if (alt === c.cca2 || alt.includes(',') || !isLatinName(alt)) continue;
      names.add(alt);
    }
    byCode.set(c.cca2, {
      code: c.cca2,
      name: c.name.common,
      official: c.name.official,
      latitude: lat ?? 0,
      longitude: lon ?? 0,
      names: [...names],
      codes: [c.cca2, c.cca3],
      unMember: c.unMember,
    });
  }
  for (const [alias, code] of Object.entries(countryAliases as Record<string, string>)) {
    const record = byCode.get(code);
    if (!record) throw new Error(`geo/country-aliases.json: unknown country code ${code}`);
    if (!record.names.includes(alias)) record.names.push(alias);
  }
  const byKey = new Map<string, CountryRecord>();
  // Names first, so a name always wins over a code with the same key.
  for (const record of byCode.values()) {
    for (const n of record.names) {
      const key = placeNameKey(n);
      const previous = byKey.get(key);
      // Two countries sharing a name (`Congo`): keep the one whose common name it is, else the first UN member.
      if (!previous || (placeNameKey(record.name) === key && placeNameKey(previous.name) !== key)) byKey.set(key, record);
    }
  }
  for (const record of byCode.values()) {
    for (const code of record.codes) {
      const key = placeNameKey(code);
      if (!byKey.has(key)) byKey.set(key, record);
    }
  }
  return { byCode, byKey };
}

let countryIndex: ReturnType<typeof buildCountries> | null = null;
function countries(): ReturnType<typeof buildCountries> {
  countryIndex ??= buildCountries();
  return countryIndex;
}

function countryInfo(record: CountryRecord): CountryInfo {
  return { code: record.code, name: record.name, latitude: record.latitude, longitude: record.longitude };
}

/**
 * A country by name, alternate name or ISO code: `China`, `People's Republic
 * of China` (straight or curly apostrophe), `PRC`, `US`, `U.S.`, `the United
 * States`, `Cape Verde`, `Cabo Verde`, `CN`, `CHN`. Null when unknown.
 */
export function findCountry(nameOrCode: string): CountryInfo | null {
  const record = countries().byKey.get(placeNameKey(nameOrCode));
  return record ? countryInfo(record) : null;
}

/** The country record for an ISO alpha-2 code (exported for callers that need names). */
export function countryByCode(code: string): CountryInfo | null {
  const record = countries().byCode.get(code.toUpperCase());
  return record ? countryInfo(record) : null;
}

// ---------------------------------------------------------------------------
// Demonyms

function buildDemonyms(): Map<string, string | null> {
  const codesByDemonym = new Map<string, CountryRecord[]>();
  for (const c of worldCountries) {
    const record = countries().byCode.get(c.cca2)!;
    const forms = new Set([c.demonyms?.['eng']?.m, c.demonyms?.['eng']?.f].filter((d): d is string => !!d));
    for (const d of forms) {
      const key = d.toLowerCase();
      const list = codesByDemonym.get(key) ?? [];
      list.push(record);
      codesByDemonym.set(key, list);
    }
  }
  const result = new Map<string, string | null>();
  for (const [key, records] of codesByDemonym) {
    // `French` is also listed for the French Southern Territories, `American`
    // for the Northern Marianas: the UN member state is what a news text means.
    // Two UN members sharing one (`Congolese`, `Dominican`) stay ambiguous.
    const members = records.filter((r) => r.unMember);
    const pool = members.length > 0 ? members : records;
    result.set(key, pool.length === 1 ? pool[0]!.code : null);
  }
  return result;
}

let demonymIndex: Map<string, string | null> | null = null;

/**
 * The country a demonym/adjective refers to: `Chinese` → `CN`, `French` →
 * `FR`, `Australian` → `AU`. Compounds (`Sino-French`) and unknown or
 * ambiguous words (`Congolese`) → null.
 */
export function countryFromDemonym(word: string): string | null {
  demonymIndex ??= buildDemonyms();
  const key = ASCII_ALPHANUMERIC_WORD.test(word) ? word.toLowerCase() : word.trim().replace(/[\u2019]/g, "'").toLowerCase();
  return demonymIndex.get(key) ?? null;
}

// ---------------------------------------------------------------------------
// Gazetteer: countries, continents, states/provinces, cities

/**
 * Prominence, lower is more prominent: a name shared by several places
 * resolves to the most prominent one the context allows (brief: country >
 * capital > province/state > big city).
 */
const RANK = {
  country: 0,
  capital: 1,
  chineseProvince: 2,
  chinesePrefectureCity: 3,
  chineseCity: 4,
  stateNamesakeCity: 5,
  state: 6,
  city: 7,
} as const;

interface Candidate {
  name: string;
  official: string | null;
  kind: PlaceKind;
  countryCode: string | null;
  /** For a city its state's code, for a region its own code (country-state-city isoCode). */
  stateCode: string | null;
  latitude: number | null;
  longitude: number | null;
  rank: number;
  /** Matches without context (countries, continents, Chinese provinces and cities, capitals). */
  free: boolean;
  /** Also an English word (`Reading`, `Mobile`): needs a strong signal. */
  englishWord: boolean;
  /** Country name that is also a given name (`Jordan`, `Chad`). */
  givenName: boolean;
  /** Printed names that are abbreviations in capitals (`US`, `PRC`, `UAE`): the only all-caps forms accepted outside datelines. */
  abbreviations: ReadonlySet<string>;
  /**
   * How many other places of its state carry this name inside theirs
   * (`North Sydney`, `East Melbourne`, `Montréal-Est`): the data has no
   * population, and a city that lends its name to suburbs is the big one.
   */
  namesakes: number;
}

/** The names of the gazetteer: built from the data packages, or read from the file generated from them. */
interface PlaceIndex {
  /**
   * Candidates for a match key (undefined when none), and whether the key is
   * a token-prefix of a longer key, so n-gram extension stops as soon as
   * nothing can match.
   */
  entry: (key: string) => KeyInfo;
  maxTokens: number;
}

interface Gazetteer extends PlaceIndex {
  demonyms: Map<string, string | null>;
  /** Designations after a name (`Province`, `Autonomous Region`), keyed by their first word, longest first. */
  regionSuffixes: SuffixIndex;
  citySuffixes: SuffixIndex;
  signalPrepositions: Set<string>;
  chineseCompoundSurnames: Set<string>;
}

/** Key for matching: placeNameKey without apostrophes and commas, hyphens as spaces (`Sana’a` = `Sanaa`, `Asia-Pacific` = `Asia Pacific`, `Washington, D.C.` = `Washington DC`). */
function matchKey(name: string): string {
  if (/^[A-Za-z]+(?: [A-Za-z]+)*$/.test(name)) return name.toLowerCase();
  return placeNameKey(name).replace(/[',]/g, '').replace(/-/g, ' ').replace(/\s+/g, ' ').trim();
}

function toNumber(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

const NO_ABBREVIATIONS: ReadonlySet<string> = new Set();

/** The index built from the data packages, with what writing it to a file needs. */
interface BuiltPlaceIndex extends PlaceIndex {
  /** Keys with candidates that need no city-list row. */
  eager: ReadonlyMap<string, Candidate[]>;
  /** Keys with rows in the city list (their candidates are made on lookup), and token-prefixes of keys. */
  lazyKeys: ReadonlySet<string>;
  prefixes: ReadonlySet<string>;
  lookup: (key: string) => Candidate[] | undefined;
}

function buildPlaceIndex(): BuiltPlaceIndex {
  const words = placeWords as PlaceWords;
  const englishWords = new Set(words.englishWords.map(matchKey));
  const neverPlaces = new Set(words.neverPlaceNames.map(matchKey));
  const capitalsNeedingContext = new Set(words.capitalsNeedingContext.map(matchKey));
  const excludedCountryNames = new Set(words.excludedCountryNames.map(matchKey));
  const givenNameCountries = new Set(words.givenNameCountries.map(matchKey));

  const byKey = new Map<string, Candidate[]>();
  const add = (printed: string, candidate: Candidate): void => {
    const key = matchKey(printed);
    if (key === '' || neverPlaces.has(key)) return;
    const list = byKey.get(key);
    if (!list) {
      byKey.set(key, [candidate]);
      return;
    }
    // One entry per place: the data lists some towns twice (`Hefei` and `Hefei Shi`).
    if (list.some((c) => c.kind === candidate.kind && c.countryCode === candidate.countryCode && c.stateCode === candidate.stateCode && c.name === candidate.name)) return;
    list.push(candidate);
  };

  const states = loadStates();
  const cities = loadCities();

  // Territories that country-state-city files under another country (Hong
  // Kong, Macau, Taiwan as Chinese subdivisions) are regions; they keep their
  // own ISO 3166-1 code from world-countries.
  const subdivisionNames = new Set(states.map((s) => matchKey(s.name.replace(/ SAR$/, ''))));
  const { byCode } = countries();
  for (const record of byCode.values()) {
    const isTerritory = subdivisionNames.has(matchKey(record.name)) && !worldCountries.find((c) => c.cca2 === record.code)?.independent;
    const abbreviations = new Set(record.names.filter((n) => /^[A-Z.]+$/.test(n)).map((n) => n.replace(/\./g, '')));
    for (const printed of record.names) {
      if (excludedCountryNames.has(matchKey(printed))) continue;
      add(printed, {
        name: record.name,
        official: record.official,
        kind: isTerritory ? 'region' : 'country',
        countryCode: record.code,
        stateCode: null,
        latitude: record.latitude,
        longitude: record.longitude,
        rank: RANK.country,
        free: true,
        englishWord: false,
        givenName: givenNameCountries.has(matchKey(printed)),
        abbreviations,
        namesakes: 0,
      });
    }
  }

  const continentData = continents as { continents: string[]; areas: string[] };
  for (const printed of [...continentData.continents, ...continentData.areas]) {
    add(printed, {
      name: printed, official: null, kind: 'continent', countryCode: null, stateCode: null,
      latitude: null, longitude: null, rank: RANK.country, free: true, englishWord: false, givenName: false,
      abbreviations: NO_ABBREVIATIONS, namesakes: 0,
    });
  }

  // States / provinces.
  const stateKeyByCode = new Map<string, Map<string, string>>(); // CN → SD → key of the state's name
  const chineseStateByName = new Map<string, StateRow>();
  for (const s of states) {
    const key = matchKey(s.name);
    let statesOfCountry = stateKeyByCode.get(s.countryCode);
    if (!statesOfCountry) stateKeyByCode.set(s.countryCode, (statesOfCountry = new Map()));
    statesOfCountry.set(s.isoCode, key);
    if (s.countryCode === 'CN') chineseStateByName.set(s.name, s);
    // Territories are covered by their world-countries entry above.
    if (s.countryCode === 'CN' && (/ SAR$/.test(s.name) || byKey.get(key)?.some((c) => c.kind !== 'continent'))) continue;
    const chinese = s.countryCode === 'CN';
    const englishName = chinese ? words.regionNames[s.name] : undefined;
    add(s.name, {
      name: englishName ?? s.name, official: englishName ? s.name : null, kind: 'region', countryCode: s.countryCode, stateCode: s.isoCode,
      latitude: toNumber(s.latitude), longitude: toNumber(s.longitude),
      rank: chinese ? RANK.chineseProvince : RANK.state,
      free: chinese && !englishWords.has(key),
      englishWord: englishWords.has(key), givenName: false, abbreviations: NO_ABBREVIATIONS, namesakes: 0,
    });
  }
  for (const [alias, stateName] of Object.entries(words.regionAliases)) {
    const s = chineseStateByName.get(stateName);
    if (!s) throw new Error(`geo/place-words.json: regionAliases: no Chinese state named ${stateName}`);
    const candidate = byKey.get(matchKey(s.name))?.find((c) => c.kind === 'region' && c.countryCode === 'CN');
    if (candidate) add(alias, candidate);
  }

  // Capitals (world-countries), located in country-state-city's city list.
  const capitalKeys = new Map<string, Set<string>>(); // country → capital keys
  const capitalNames = new Map<string, string>(); // `YE|sanaa` → `Sana'a`
  for (const c of worldCountries) {
    for (const capital of c.capital) {
      capitalNames.set(`${c.cca2}|${matchKey(capital)}`, capital);
      let set = capitalKeys.get(c.cca2);
      if (!set) capitalKeys.set(c.cca2, (set = new Set()));
      set.add(matchKey(capital));
    }
  }

  // Chinese prefecture-level cities appear twice in the data, once as `X Shi`.
  const prefectureCities = new Set<string>();
  for (const [name, country, stateCode] of cities) {
    if (country === 'CN' && name.endsWith(' Shi')) prefectureCities.add(`${stateCode}|${matchKey(name.slice(0, -4))}`);
  }

  // The ~146k ordinary towns outside China are kept in columns and turned into
  // candidates only when a text names them: it halves the memory the index holds.
  const lazy = { names: [] as string[], countries: [] as string[], states: [] as string[], latitudes: [] as number[], longitudes: [] as number[], englishWords: [] as boolean[] };
  const lazyByKey = new Map<string, number | number[]>();
  const addLazyCity = (key: string, name: string, country: string, stateCode: string, lat: string, lon: string, englishWord: boolean): void => {
    if (neverPlaces.has(key)) return;
    const row = lazy.names.length;
    lazy.names.push(name);
    lazy.countries.push(country);
    lazy.states.push(stateCode);
    lazy.latitudes.push(toNumber(lat) ?? Number.NaN);
    lazy.longitudes.push(toNumber(lon) ?? Number.NaN);
    lazy.englishWords.push(englishWord);
    const existing = lazyByKey.get(key);
    if (existing === undefined) lazyByKey.set(key, row);
    else if (typeof existing === 'number') lazyByKey.set(key, [existing, row]);
    else existing.push(row);
  };

  const multiWordNames: Array<[key: string, country: string, stateCode: string]> = [];
  const capitalsFound = new Set<string>();
  for (const [rawName, country, stateCode, lat, lon] of cities) {
    let name = country === 'CN' && rawName.endsWith(' Shi') ? rawName.slice(0, -4) : rawName;
    // The list spells some Chinese cities in camel case (`NanJing`, `SuZhou`).
    if (country === 'CN' && /^[A-Z][a-z]+[A-Z][a-z]+$/.test(name)) name = name.charAt(0) + name.slice(1).toLowerCase();
    const key = matchKey(name);
    if (key.includes(' ')) multiWordNames.push([key, country, stateCode]);
    const isCapital = capitalKeys.get(country)?.has(key) ?? false;
    // Capitals take world-countries' spelling (`Sana'a`; the city list has `Sanaa`).
    if (isCapital) name = capitalNames.get(`${country}|${key}`) ?? name;
    if (isCapital) capitalsFound.add(`${country}|${key}`);
    const chinese = country === 'CN';
    // A city that gave its name to its own state (Geneva, New York, Jilin) is the state's main city.
    const namesake = stateKeyByCode.get(country)?.get(stateCode) === key;
    const rank = isCapital ? RANK.capital
      : chinese ? (prefectureCities.has(`${stateCode}|${key}`) || namesake ? RANK.chinesePrefectureCity : RANK.chineseCity)
      : namesake ? RANK.stateNamesakeCity : RANK.city;
    const englishWord = englishWords.has(key);
    if (rank === RANK.city) {
      addLazyCity(key, name, country, stateCode, lat, lon, englishWord);
      continue;
    }
    const candidate: Candidate = {
      name, official: null, kind: 'city', countryCode: country, stateCode,
      latitude: toNumber(lat), longitude: toNumber(lon), rank,
      free: (chinese || (isCapital && !capitalsNeedingContext.has(key))) && !englishWord,
      englishWord, givenName: false, abbreviations: NO_ABBREVIATIONS, namesakes: 0,
    };
    add(name, candidate);
  }
  // Capitals the city list spells differently (`Washington D.C.`): take the state's coordinates when a state has that name.
  for (const c of worldCountries) {
    for (const capital of c.capital) {
      const key = matchKey(capital);
      if (capitalsFound.has(`${c.cca2}|${key}`) || byKey.get(key)?.some((x) => x.countryCode === c.cca2)) continue;
      const state = states.find((s) => s.countryCode === c.cca2 && matchKey(s.name) === key);
      add(capital, {
        name: capital, official: null, kind: 'city', countryCode: c.cca2, stateCode: state?.isoCode ?? null,
        latitude: toNumber(state?.latitude), longitude: toNumber(state?.longitude), rank: RANK.capital,
        free: !capitalsNeedingContext.has(key) && !englishWords.has(key),
        englishWord: englishWords.has(key), givenName: false, abbreviations: NO_ABBREVIATIONS, namesakes: 0,
      });
    }
  }

  // `Washington D.C.` is mostly printed `Washington`: the capital, when the
  // context allows (Washington is also a state and a given name).
  for (const c of worldCountries) {
    for (const capital of c.capital) {
      if (!capital.endsWith(' D.C.')) continue;
      const found = byKey.get(matchKey(capital))?.find((x) => x.countryCode === c.cca2 && x.kind === 'city');
      if (found) add(capital.slice(0, -5), { ...found, free: false });
    }
  }

  const prefixes = new Set<string>();
  let maxTokens = 1;
  for (const keys of [byKey.keys(), lazyByKey.keys()]) {
    for (const key of keys) {
      if (!key.includes(' ')) continue;
      const parts = key.split(' ');
      maxTokens = Math.max(maxTokens, parts.length);
      for (let i = 1; i < parts.length; i++) prefixes.add(parts.slice(0, i).join(' '));
    }
  }

  const latitudes = Float64Array.from(lazy.latitudes);
  const longitudes = Float64Array.from(lazy.longitudes);
  const materialised = new Map<string, Candidate[]>();
  // Suburbs named after a city (`North Sydney`, `East Melbourne`) tell which
  // of several same-named towns is the big one: count, per state, the longer
  // names that contain an ambiguous name.
  const namesakeCounts = new Map<string, number>();
  for (const [key, country, stateCode] of multiWordNames) {
    const parts = key.split(' ');
    for (let i = 0; i < parts.length; i++) {
      let sub = parts[i]!;
      for (let j = i + 1; j < parts.length + (i === 0 ? 0 : 1); j++) {
        if (Array.isArray(lazyByKey.get(sub))) {
          const k = `${country}|${stateCode}|${sub}`;
          namesakeCounts.set(k, (namesakeCounts.get(k) ?? 0) + 1);
        }
        if (j < parts.length) sub += ` ${parts[j]!}`;
      }
    }
  }

  const lookup = (key: string): Candidate[] | undefined => {
    const rows = lazyByKey.get(key);
    if (rows === undefined) return byKey.get(key);
    const cached = materialised.get(key);
    if (cached) return cached;
    const list = [...(byKey.get(key) ?? [])];
    for (const row of typeof rows === 'number' ? [rows] : rows) {
      const [name, countryCode, stateCode] = [lazy.names[row]!, lazy.countries[row]!, lazy.states[row]!];
      if (list.some((c) => c.kind === 'city' && c.countryCode === countryCode && c.stateCode === stateCode && c.name === name)) continue;
      const lat = latitudes[row]!;
      const lon = longitudes[row]!;
      list.push({
        name, official: null, kind: 'city', countryCode, stateCode,
        latitude: Number.isNaN(lat) ? null : lat, longitude: Number.isNaN(lon) ? null : lon,
        rank: RANK.city, free: false, englishWord: lazy.englishWords[row]!, givenName: false, abbreviations: NO_ABBREVIATIONS,
        namesakes: namesakeCounts.get(`${countryCode}|${stateCode}|${key}`) ?? 0,
      });
    }
    materialised.set(key, list);
    return list;
  };

  return {
    entry: (key: string) => ({ candidates: lookup(key), prefix: prefixes.has(key) }),
    maxTokens,
    eager: byKey,
    lazyKeys: new Set(lazyByKey.keys()),
    prefixes,
    lookup,
  };
}

function assembleGazetteer(index: PlaceIndex): Gazetteer {
  const words = placeWords as PlaceWords;
  demonymIndex ??= buildDemonyms();
  const suffixTokens = (list: string[]): SuffixIndex => {
    const index = new Map<string, string[][]>();
    // Longest first (a stable sort: equal lengths keep the list's order); the first word picks the few worth trying.
    for (const suffix of list.map((s) => s.split(' ')).sort((a, b) => b.length - a.length)) {
      const same = index.get(suffix[0]!);
      if (same) same.push(suffix);
      else index.set(suffix[0]!, [suffix]);
    }
    return index;
  };
  return {
    entry: index.entry,
    maxTokens: index.maxTokens,
    demonyms: demonymIndex,
    regionSuffixes: suffixTokens(words.regionSuffixes),
    citySuffixes: suffixTokens(words.citySuffixes),
    signalPrepositions: new Set(words.signalPrepositions),
    chineseCompoundSurnames: new Set(words.chineseCompoundSurnames.map((s) => s.toLowerCase())),
  };
}

type SuffixIndex = ReadonlyMap<string, readonly string[][]>;

interface PlaceWords {
  excludedCountryNames: string[];
  givenNameCountries: string[];
  neverPlaceNames: string[];
  capitalsNeedingContext: string[];
  englishWords: string[];
  chineseCompoundSurnames: string[];
  regionSuffixes: string[];
  citySuffixes: string[];
  signalPrepositions: string[];
  regionAliases: Record<string, string>;
  regionNames: Record<string, string>;
}

let gazetteerIndex: Gazetteer | null = null;
function gazetteer(): Gazetteer {
  gazetteerIndex ??= assembleGazetteer(readGeneratedPlaceIndex() ?? buildPlaceIndex());
  return gazetteerIndex;
}

// ---------------------------------------------------------------------------
// The generated index file
//
// Building the index from the packages costs about a second per process
// (8 MB of city rows to parse and key). `pipeline/tools/generate-gazetteer.ts`
// writes the finished index to geo/gazetteer.generated.txt; reading it takes
// a few milliseconds. The file carries a fingerprint of its inputs: when it
// is missing or was made from other data, the index is built as before, so
// results never depend on the file.
//
// Format: a JSON header line (fingerprint, maxTokens, the candidates of the
// eager keys), then one line per key that has city rows or is a prefix of a
// longer key, sorted by key (UTF-16 order): `key TAB flags TAB rows`, flags a
// digit (1: prefix, 2: has city rows), rows separated by U+001E, the fields of
// a row (name, country, state, latitude, longitude, English word 0/1,
// namesakes) by U+001F.

/** Bump when the index format or the way it is built changes. */
const GENERATED_FORMAT = 1;
const GENERATED_FILE = new URL('./geo/gazetteer.generated.txt', import.meta.url);
const FLAG_PREFIX = 1;
const FLAG_CITY_ROWS = 2;
const ROW_SEPARATOR = '\u001e';
const FIELD_SEPARATOR = '\u001f';

/** What the index is made from: format, package versions and the hand-made word lists. */
export function placeDataFingerprint(): string {
  const versions = ['country-state-city', 'world-countries'].map((name) => (requireData(`${name}/package.json`) as { version: string }).version);
  return createHash('sha256').update(JSON.stringify([GENERATED_FORMAT, versions, countryAliases, continents, placeWords])).digest('hex');
}

type SerialCandidate = [name: string, official: string | null, kind: PlaceKind, countryCode: string | null, stateCode: string | null, latitude: number | null, longitude: number | null, rank: number, free: boolean, englishWord: boolean, givenName: boolean, abbreviations: string[], namesakes: number];

interface GeneratedHeader {
  fingerprint: string;
  maxTokens: number;
  candidates: SerialCandidate[];
  /** Key and indexes into `candidates`. */
  eager: Array<[string, number[]]>;
}

/** The index built from the packages, as the text of the generated file. */
export function generatePlaceIndexFile(): string {
  const index = buildPlaceIndex();
  const candidates: SerialCandidate[] = [];
  // Equal candidates are written once (a country is added under each of its names).
  const numbers = new Map<string, number>();
  const numberOf = (c: Candidate): number => {
    const serial: SerialCandidate = [c.name, c.official, c.kind, c.countryCode, c.stateCode, c.latitude, c.longitude, c.rank, c.free, c.englishWord, c.givenName, [...c.abbreviations], c.namesakes];
    const json = JSON.stringify(serial);
    let n = numbers.get(json);
    if (n === undefined) {
      n = candidates.length;
      numbers.set(json, n);
      candidates.push(serial);
    }
    return n;
  };
  const eager: Array<[string, number[]]> = [...index.eager].map(([key, list]) => [key, list.map(numberOf)]);
  const header: GeneratedHeader = { fingerprint: placeDataFingerprint(), maxTokens: index.maxTokens, candidates, eager };
  const check = (value: string): string => {
    if (/[\t\n\u0001\u001e\u001f]/.test(value)) throw new Error(`gazetteer: a name or key contains a separator: ${JSON.stringify(value)}`);
    return escapeNonAscii(value);
  };
  const keys = [...new Set([...index.lazyKeys, ...index.prefixes])];
  const escapedKeys = new Map(keys.map((key) => [key, check(key)]));
  keys.sort((a, b) => (escapedKeys.get(a)! < escapedKeys.get(b)! ? -1 : 1));
  // The header is JSON: its non-ASCII characters are written as \u escapes.
  const lines = [JSON.stringify(header).replace(/[^\x00-\x7f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)];
  for (const key of keys) {
    const lazy = index.lazyKeys.has(key);
    const flags = (index.prefixes.has(key) ? FLAG_PREFIX : 0) | (lazy ? FLAG_CITY_ROWS : 0);
    // A key's city rows are the candidates its lookup adds after the eager ones.
    const rows = lazy ? index.lookup(key)!.slice(index.eager.get(key)?.length ?? 0) : [];
    const serialRows = rows.map((c) => {
      if (c.kind !== 'city' || c.official !== null || c.rank !== RANK.city || c.free || c.givenName || c.abbreviations.size > 0) throw new Error(`gazetteer: unexpected city row for ${key}`);
      return [check(c.name), c.countryCode ?? '', c.stateCode ?? '', c.latitude ?? '', c.longitude ?? '', c.englishWord ? 1 : 0, c.namesakes].join(FIELD_SEPARATOR);
    });
    lines.push(`${escapedKeys.get(key)!}\t${flags}\t${serialRows.join(ROW_SEPARATOR)}`);
  }
  return `${lines.join('\n')}\n`;
}

// The file is ASCII (read as a compact one-byte string): a non-ASCII UTF-16
// code unit in a key or name is written as U+0001 and four hex digits, and
// lines are sorted by the written keys.
const ESCAPE = '\u0001';
const NON_ASCII = /[^\x00-\x7f]/;

function escapeNonAscii(value: string): string {
  return NON_ASCII.test(value) ? value.replace(/[^\x00-\x7f]/g, (ch) => ESCAPE + ch.charCodeAt(0).toString(16).padStart(4, '0')) : value;
}

function unescapeNonAscii(value: string): string {
  return value.includes(ESCAPE) ? value.replace(/\u0001([0-9a-f]{4})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))) : value;
}

/** The generated index, or null when the file is missing or was made from other data. */
function readGeneratedPlaceIndex(): PlaceIndex | null {
  // Kept as bytes: lookups read the few lines they need (no string of the whole file, no line table).
  let data: Buffer;
  try {
    data = readFileSync(GENERATED_FILE);
  } catch {
    return null;
  }
  const headerEnd = data.indexOf(10);
  const header = JSON.parse(data.toString('latin1', 0, headerEnd)) as GeneratedHeader;
  if (header.fingerprint !== placeDataFingerprint()) return null;

  const candidates = header.candidates.map(([name, official, kind, countryCode, stateCode, latitude, longitude, rank, free, englishWord, givenName, abbreviations, namesakes]): Candidate => ({
    name, official, kind, countryCode, stateCode, latitude, longitude, rank, free, englishWord, givenName,
    abbreviations: abbreviations.length === 0 ? NO_ABBREVIATIONS : new Set(abbreviations), namesakes,
  }));
  const eager = new Map<string, Candidate[]>();
  for (const [key, numbers] of header.eager) eager.set(key, numbers.map((n) => candidates[n]!));

  /** key compared with the key of the line starting at `at` (UTF-16 order of the written keys, as the file is sorted). */
  const compareAt = (key: string, at: number): number => {
    for (let i = 0; ; i++) {
      const a = i < key.length ? key.charCodeAt(i) : -1;
      const byte = data[at + i]!;
      const b = byte === 9 ? -1 : byte;
      if (a !== b) return a - b;
      if (a === -1) return 0;
    }
  };
  /** Start of the line with this key, or -1: a binary search over byte offsets, each probe moved back to its line's start. */
  const findLine = (key: string): number => {
    let lo = headerEnd + 1;
    let hi = data.length;
    while (lo < hi) {
      // Back to the start of the probe's line (lines run to hundreds of bytes: a native search, not a loop).
      const mid = Math.max(lo, data.lastIndexOf(10, ((lo + hi) >>> 1) - 1) + 1);
      const c = compareAt(key, mid);
      if (c === 0) return mid;
      if (c < 0) hi = mid;
      else lo = data.indexOf(10, mid) + 1;
    }
    return -1;
  };

  const materialised = new Map<string, Candidate[]>();
  const entry = (key: string): KeyInfo => {
    const written = escapeNonAscii(key);
    const at = findLine(written);
    if (at < 0) return { candidates: eager.get(key), prefix: false };
    const flagsAt = at + written.length + 1;
    const flags = data[flagsAt]! - 48;
    const prefix = (flags & FLAG_PREFIX) !== 0;
    if ((flags & FLAG_CITY_ROWS) === 0) return { candidates: eager.get(key), prefix };
    let list = materialised.get(key);
    if (!list) {
      list = [...(eager.get(key) ?? [])];
      const rowsText = data.toString('latin1', flagsAt + 2, data.indexOf(10, flagsAt));
      if (rowsText !== '') {
        for (const row of rowsText.split(ROW_SEPARATOR)) {
          const [name, countryCode, stateCode, latitude, longitude, englishWord, namesakes] = row.split(FIELD_SEPARATOR) as [string, string, string, string, string, string, string];
          list.push({
            name: unescapeNonAscii(name), official: null, kind: 'city', countryCode, stateCode,
            latitude: latitude === '' ? null : Number(latitude), longitude: longitude === '' ? null : Number(longitude),
            rank: RANK.city, free: false, englishWord: englishWord === '1', givenName: false, abbreviations: NO_ABBREVIATIONS,
            namesakes: Number(namesakes),
          });
        }
      }
      materialised.set(key, list);
    }
    return { candidates: list, prefix };
  };
  return { entry, maxTokens: header.maxTokens };
}

/** Build the gazetteer now rather than on the first findPlaces call (e.g. before timing a run). */
export function warmUpPlaces(): void {
  gazetteer();
}

// ---------------------------------------------------------------------------
// Tokens

/**
 * What the gazetteer says about one printed word, whatever text it occurs
 * in: keys and lookups are computed once per distinct word (news reuses the
 * same capitalised words constantly), not once per occurrence.
 */
interface WordInfo {
  key: string;
  /** Key without a possessive `'s`, or null. */
  bareKey: string | null;
  /** lookup(key) and lookup(bareKey). */
  full: Candidate[] | undefined;
  bare: Candidate[] | undefined;
  /** Some longer key starts with this key. */
  prefix: boolean;
  /** The key is a demonym (`chinese`). */
  demonym: boolean;
  /** Country of the lower-cased printed word as a demonym (`Chinese` → CN); null/undefined when none. */
  demonymCode: string | null | undefined;
  /** The key as the first word of longer names (made on first use). */
  node: KeyNode | null;
}

/** Lookup and prefix test of a multi-word key. */
interface KeyInfo {
  candidates: Candidate[] | undefined;
  prefix: boolean;
}

/**
 * A multi-word key reached word by word (`new` → `new york` → `new york city`):
 * each longer key hangs off the shorter one under its last word, so extending a
 * name looks up one already-hashed word in a small map instead of building and
 * hashing the concatenated key.
 */
interface KeyNode {
  key: string;
  info: KeyInfo;
  next: Map<string, KeyNode> | null;
  /** Nodes of an older generation drop their children (the bound below). */
  generation: number;
}

// Bounded: the caches serve the words a corpus repeats, not every string ever seen.
const CACHE_LIMIT = 100_000;
const wordInfoCache = new Map<string, WordInfo>();
let keyNodeGeneration = 0;
let keyNodesMade = 0;

function wordInfo(text: string, g: Gazetteer): WordInfo {
  let info = wordInfoCache.get(text);
  if (info) return info;
  if (wordInfoCache.size >= CACHE_LIMIT) wordInfoCache.clear();
  const key = tokenKey(text);
  const bareKey = text.length > 2 && /['’][sS]$/.test(text) ? tokenKey(text.slice(0, -2)) : null;
  const entry = g.entry(key);
  info = {
    key,
    bareKey,
    full: entry.candidates,
    bare: bareKey === null ? undefined : g.entry(bareKey).candidates,
    prefix: entry.prefix,
    demonym: g.demonyms.has(key),
    demonymCode: g.demonyms.get(text.toLowerCase()),
    node: null,
  };
  wordInfoCache.set(text, info);
  return info;
}

function firstNode(info: WordInfo): KeyNode {
  return (info.node ??= { key: info.key, info: { candidates: info.full, prefix: info.prefix }, next: null, generation: keyNodeGeneration });
}

/** The key `node.key + ' ' + word`, with its lookup. */
function childNode(node: KeyNode, word: string, g: Gazetteer): KeyNode {
  if (node.generation !== keyNodeGeneration) {
    node.next = null;
    node.generation = keyNodeGeneration;
  }
  let child = node.next?.get(word);
  if (child) return child;
  if (++keyNodesMade > CACHE_LIMIT) {
    keyNodesMade = 0;
    node.next = null;
    node.generation = ++keyNodeGeneration;
  }
  const key = `${node.key} ${word}`;
  child = { key, info: g.entry(key), next: null, generation: keyNodeGeneration };
  (node.next ??= new Map()).set(word, child);
  return child;
}

/** A word of the text; keys are computed only for the few tokens a lookup needs. */
class Token {
  private cachedInfo: WordInfo | undefined;
  constructor(
    readonly start: number,
    readonly end: number,
    readonly text: string,
    readonly capitalised: boolean,
  ) {}

  get info(): WordInfo {
    return (this.cachedInfo ??= wordInfo(this.text, gazetteer()));
  }

  get key(): string {
    return this.info.key;
  }

  /** Without a possessive `'s` (`China's` → `china`), or null when there is none. */
  get bareKey(): string | null {
    return this.info.bareKey;
  }

  get bareEnd(): number {
    return this.bareKey === null ? this.end : this.end - 2;
  }

  get allCaps(): boolean {
    const t = this.text;
    return this.capitalised && t.length >= 2 && t === t.toUpperCase() && /\p{Lu}.*\p{Lu}/u.test(t);
  }
}

const PLAIN_ASCII_WORD = /^[A-Za-z0-9]+$/;

function tokenKey(text: string): string {
  // Fast path for plain ASCII words; the full key function handles the rest.
  return PLAIN_ASCII_WORD.test(text) ? text.toLowerCase() : matchKey(text);
}

const NON_ASCII_WORD_CHAR = /[\p{L}\p{M}\p{Nd}]/u;
const NON_ASCII_UPPER = /\p{Lu}/u;

/** Letter, mark or digit (a code unit: a lone surrogate is not one). */
const isWordChar = wordCharTest((c) => NON_ASCII_WORD_CHAR.test(String.fromCharCode(c)));

function isApostrophe(code: number): boolean {
  return code === 39 || code === 0x2019 || code === 0x02bc;
}

/**
 * Words of the text: letters/marks/digits, with inner apostrophes (`People’s`,
 * `Sana'a`), and dotted capital abbreviations (`U.S.`, `P.R.C.`). A hand
 * scanner: this runs on every article and is several times faster than a
 * Unicode regex.
 */
/**
 * The words of a text as offsets; Token objects are made only for the few
 * words a lookup touches (capitalised words and their neighbours).
 */
// The word offsets of the text being read, in typed arrays kept from one call to the next: a
// typed array longer than 64 bytes lives outside the heap and is costly to allocate. They are
// sized for the most words a text can hold (a word and a separator each take a character).
let wordStarts = new Int32Array(4096);
let wordEnds = new Int32Array(4096);
let wordCapitals = new Uint8Array(4096);

class TokenList {
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  private readonly capitals: Uint8Array;
  private count = 0;
  private made: Array<Token | undefined> | null = null;
  /** Indices of the capitalised words, in order (only they can start a place name). */
  readonly capitalisedIndices: number[] = [];
  /** Only one list is in use at a time (findPlaces is synchronous): it overwrites the shared arrays. */
  constructor(readonly text: string) {
    const most = (text.length >> 1) + 1;
    if (wordStarts.length < most) {
      wordStarts = new Int32Array(most);
      wordEnds = new Int32Array(most);
      wordCapitals = new Uint8Array(most);
    }
    this.starts = wordStarts;
    this.ends = wordEnds;
    this.capitals = wordCapitals;
  }

  get length(): number {
    return this.count;
  }

  isCapitalised(i: number): boolean {
    return i >= 0 && i < this.count && this.capitals[i] === 1;
  }

  get(i: number): Token | undefined {
    if (i < 0 || i >= this.count) return undefined;
    // (Made with its final length: filling a growing sparse array can turn it into a dictionary.)
    const made = (this.made ??= new Array<Token | undefined>(this.count));
    let t = made[i];
    if (!t) {
      const start = this.starts[i]!;
      const end = this.ends[i]!;
      t = new Token(start, end, this.text.slice(start, end), this.capitals[i] === 1);
      made[i] = t;
    }
    return t;
  }

  push(start: number, end: number, capitalised: boolean): void {
    const i = this.count++;
    this.starts[i] = start;
    this.ends[i] = end;
    this.capitals[i] = capitalised ? 1 : 0;
    if (capitalised) this.capitalisedIndices.push(i);
  }
}

/**
 * Words of the text: letters/marks/digits, with inner apostrophes (`People’s`,
 * `Sana'a`), and dotted capital abbreviations (`U.S.`, `P.R.C.`). A hand
 * scanner: this runs on every article and is several times faster than a
 * Unicode regex.
 */
function tokenize(text: string): TokenList {
  const tokens = new TokenList(text);
  const n = text.length;
  let i = 0;
  while (i < n) {
    const code = text.charCodeAt(i);
    if (!isWordChar(code)) {
      i++;
      continue;
    }
    const start = i;
    // `U.S.`: a capital, a dot, a capital, a dot...
    if (code >= 65 && code <= 90 && text.charCodeAt(i + 1) === 46) {
      let j = i;
      while (j + 1 < n && text.charCodeAt(j) >= 65 && text.charCodeAt(j) <= 90 && text.charCodeAt(j + 1) === 46) j += 2;
      if (j - i >= 4 && !(j < n && isWordChar(text.charCodeAt(j)))) {
        tokens.push(start, j, true);
        i = j;
        continue;
      }
    }
    i++;
    for (;;) {
      while (i < n && isWordChar(text.charCodeAt(i))) i++;
      // An apostrophe between letters stays inside the word.
      if (i + 1 < n && isApostrophe(text.charCodeAt(i)) && isWordChar(text.charCodeAt(i + 1))) {
        i += 2;
        continue;
      }
      break;
    }
    tokens.push(start, i, code < 128 ? code >= 65 && code <= 90 : NON_ASCII_UPPER.test(text.charAt(start)));
  }
  return tokens;
}

/** Tokens i and i+1 belong to one name only when a single space or hyphen separates them (or `St. ` style abbreviations). */
function joined(text: string, a: Token, b: Token): boolean {
  // The gap `' '`, `'-'` or `'. '`, read as character codes (no substring).
  const length = b.start - a.end;
  if (length === 1) {
    const c = text.charCodeAt(a.end);
    return c === 32 || c === 45;
  }
  return length === 2 && text.charCodeAt(a.end) === 46 && text.charCodeAt(a.end + 1) === 32 && a.text.length <= 3 && a.capitalised;
}

/** Only a single space between the two tokens. */
function spaceBetween(text: string, a: Token, b: Token): boolean {
  return b.start - a.end === 1 && text.charCodeAt(a.end) === 32;
}

// ---------------------------------------------------------------------------
// Person-name guard

// A capitalised word that is one pinyin syllable (Chen, Wang, TANG, Xu) right
// before a place name makes it a Chinese given name (`Chen Jining`, `Wang
// Anshun`): Chinese towns are named with the same syllables as people.
const PINYIN_SYLLABLE = /^(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue|er|a|o|e|i|u|v|ü)$/i;
const PINYIN_WORD = /^(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue|er|a|o|e|i|u|v|ü)){1,2}$/i;
/** English words that happen to be pinyin syllables and often start a sentence or precede a place. */
const ENGLISH_PINYIN_LOOKALIKES = new Set(['a', 'an', 'in', 'on', 'he', 'she', 'we', 'me', 'ye', 'you', 'so', 'no', 'go', 'do', 'to', 'the', 'then', 'and', 'one', 'new', 'san', 'sun', 'mount', 'mao']);

function isChineseSurnameToken(token: Token, g: Gazetteer): boolean {
  if (!token.capitalised) return false;
  const lower = token.text.toLowerCase();
  if (ENGLISH_PINYIN_LOOKALIKES.has(lower)) return false;
  return PINYIN_SYLLABLE.test(token.text) || g.chineseCompoundSurnames.has(lower);
}

/**
 * A capitalised pinyin word after a Chinese place name makes it a person's
 * name (`Haiyan Wang`, `Ouyang Ziyuan`), except when that word starts a
 * Chinese-order name of its own (`Mayor of Beijing Wang Anshun`).
 */
function isChineseNameAfter(token: Token, after: Token | undefined, text: string, g: Gazetteer): boolean {
  if (!token.capitalised) return false;
  // A surname (`Wang` is also a town in Austria: still a surname here).
  if (isChineseSurnameToken(token, g)) {
    const startsName = after !== undefined && text.slice(token.end, after.start) === ' ' && after.capitalised && PINYIN_WORD.test(after.text);
    return !startsName;
  }
  const lower = token.text.toLowerCase();
  if (token.allCaps || ENGLISH_PINYIN_LOOKALIKES.has(lower) || token.info.full !== undefined) return false;
  return PINYIN_WORD.test(token.text);
}

// ---------------------------------------------------------------------------
// Matching

interface RawSpan {
  startToken: number;
  endToken: number; // inclusive
  start: number;
  end: number;
  key: string;
  candidates: Candidate[];
}

const NO_SPANS: RawSpan[] = [];

/** Longest-first n-gram matches starting at token i. */
function spansAt(text: string, tokens: TokenList, i: number, g: Gazetteer): RawSpan[] {
  if (!tokens.isCapitalised(i)) return NO_SPANS;
  const first = tokens.get(i)!;
  // Adjectives are never places on their own: `Chinese`, `Canadian` (also a
  // US town), `Sino-French`; as the start of a longer name they may be
  // (`Dominican Republic`).
  const firstInfo = first.info;
  // (The hyphen first: it spares a lookup of the previous word.)
  const adjective = firstInfo.demonym || (i > 0 && tokens.ends[i - 1] === first.start - 1 && text.charCodeAt(first.start - 1) === 45 && tokens.get(i - 1)!.key === 'sino');
  // (Made on the first match: most capitalised words start no place name.)
  let found: RawSpan[] | null = null;
  // The first word: its lookups are cached with the word.
  if (firstInfo.bare) (found ??= []).push({ startToken: i, endToken: i, start: first.start, end: first.bareEnd, key: firstInfo.bareKey!, candidates: firstInfo.bare });
  if (firstInfo.full) (found ??= []).push({ startToken: i, endToken: i, start: first.start, end: first.end, key: firstInfo.key, candidates: firstInfo.full });
  if (firstInfo.prefix) {
    let node = firstNode(firstInfo);
    for (let j = i + 1; j < tokens.length && j - i < g.maxTokens; j++) {
      const token = tokens.get(j)!;
      if (!joined(text, tokens.get(j - 1)!, token)) break;
      if (token.bareKey !== null) {
        const bare = childNode(node, token.bareKey, g);
        if (bare.info.candidates) (found ??= []).push({ startToken: i, endToken: j, start: first.start, end: token.bareEnd, key: bare.key, candidates: bare.info.candidates });
      }
      node = childNode(node, token.key, g);
      const info = node.info;
      if (info.candidates) (found ??= []).push({ startToken: i, endToken: j, start: first.start, end: token.end, key: node.key, candidates: info.candidates });
      if (!info.prefix) break;
    }
  }
  if (found === null) return NO_SPANS;
  return (adjective ? found.filter((f) => f.endToken > i) : found).reverse();
}

const SMALL_WORDS = new Set(['and', 'of', 'the', 'de', 'la', 'le', 'du', 'des', 'da', 'do', 'dos', 'al', 'el', 'en', 'y', 'et', 'upon', 'on', 'am', 'an', 'der', 'di']);

/** Printed capitalisation fits a proper name: capitalised words, small words may be lower case, all capitals only for abbreviations or datelines. */
type CaseShape = 'proper' | 'capitals' | 'other';

/** Some character in [start, end) is an ASCII lower-case letter (then the letters are not all capitals). */
function hasAsciiLowerCase(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 97 && c <= 122) return true;
  }
  return false;
}

/** How the span is printed: as a proper name (capitalised words; small words may be lower case), in capitals, or neither. */
function caseShape(text: string, tokens: TokenList, span: RawSpan): CaseShape {
  if (!hasAsciiLowerCase(text, span.start, span.end)) {
    const surface = text.slice(span.start, span.end);
    const letters = surface.replace(/[^\p{L}]/gu, '');
    if (letters.length >= 2 && letters === letters.toUpperCase()) return 'capitals';
  }
  for (let k = span.startToken; k <= span.endToken; k++) {
    const w = tokens.get(k)!;
    // Small words may be lower case, and so may an elided particle: `Côte d'Ivoire`.
    if (!w.capitalised && (k === span.startToken || !(SMALL_WORDS.has(w.key) || /^[a-z]{1,2}['’]\p{Lu}/u.test(w.text)))) return 'other';
  }
  return 'proper';
}

/** Capitals are accepted only for abbreviations (`US`, `PRC`) and wire datelines (`BEIJING - `). */
function caseAcceptable(text: string, span: RawSpan, shape: CaseShape, candidate: Candidate): boolean {
  if (shape === 'proper') {
    // An abbreviation counts only in capitals: `Us` at a sentence start is the pronoun.
    if (candidate.abbreviations.size === 0) return true;
    const bare = text.slice(span.start, span.end).replace(/\./g, '');
    return !candidate.abbreviations.has(bare.toUpperCase());
  }
  if (shape === 'other') return false;
  if (candidate.abbreviations.has(text.slice(span.start, span.end).replace(/\./g, ''))) return true;
  return isDateline(text, span.end);
}

/** Wire datelines print the place in capitals before a dash: `BEIJING - `, `CANBERRA, Aug. 16 (Xinhua) -- `. */
function isDateline(text: string, end: number): boolean {
  return /^(?:,[^\n\-–—]{0,40})?\s*(?:--?|–|—)\s/.test(text.slice(end, end + 48));
}

interface Context {
  countries: Set<string>;
  /** `CN|SD` for every state named in the text. */
  states: Set<string>;
  /** usedInLowerCase of words asked about in this text. */
  lowerCaseUse: Map<string, boolean> | null;
}

function suffixAfter(text: string, tokens: TokenList, endToken: number, suffixes: SuffixIndex): number | null {
  const next = tokens.get(endToken + 1);
  const candidates = next && suffixes.get(next.text);
  if (!candidates) return null;
  for (const suffix of candidates) {
    let ok = true;
    let prev = tokens.get(endToken)!;
    for (let k = 0; k < suffix.length; k++) {
      const t = tokens.get(endToken + 1 + k);
      if (!t || t.text !== suffix[k] || !spaceBetween(text, prev, t)) {
        ok = false;
        break;
      }
      prev = t;
    }
    if (ok) return endToken + suffix.length;
  }
  return null;
}

/** token.key === 'the', without the word's gazetteer lookup for a plain ASCII word. */
function keyIsThe(token: Token): boolean {
  const w = token.text;
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57))) return token.key === 'the';
  }
  // (`| 32` lower-cases an ASCII letter and leaves digits as they are.)
  return w.length === 3 && (w.charCodeAt(0) | 32) === 116 && (w.charCodeAt(1) | 32) === 104 && (w.charCodeAt(2) | 32) === 101;
}

function precededBySignal(text: string, tokens: TokenList, startToken: number, g: Gazetteer): boolean {
  const prev = tokens.get(startToken - 1);
  if (!prev) return false;
  // Skip a determiner: `in the Inner Mongolia ...`.
  const word = keyIsThe(prev) ? tokens.get(startToken - 2) : prev;
  return !!word && g.signalPrepositions.has(word.text) && /^ +(?:the )?$/.test(text.slice(word.end, tokens.get(startToken)!.start));
}

function sentenceBefore(text: string, start: number): string {
  const from = Math.max(0, start - 200);
  const chunk = text.slice(from, start);
  const boundary = Math.max(chunk.lastIndexOf('. '), chunk.lastIndexOf('\n'));
  return boundary >= 0 ? chunk.slice(boundary + 1) : chunk;
}

interface Resolved {
  candidate: Candidate;
  start: number;
  end: number;
  endToken: number;
}

function resolveSpan(text: string, tokens: TokenList, span: RawSpan, ctx: Context, g: Gazetteer, previousEnd: number): Resolved | null {
  // `US$8 million` is a currency.
  if (text.charCodeAt(span.end) === 36) return null;
  const shape = caseShape(text, tokens, span);
  // (No candidate passes caseAcceptable in this shape: the tests below are not needed.)
  if (shape === 'other') return null;
  const single = span.startToken === span.endToken;
  const prev = tokens.get(span.startToken - 1);
  const next = tokens.get(span.endToken + 1);
  const prevJoined = prev !== undefined && spaceBetween(text, prev, tokens.get(span.startToken)!);
  const nextJoined = next !== undefined && spaceBetween(text, tokens.get(span.endToken)!, next);
  const regionSuffixEnd = suffixAfter(text, tokens, span.endToken, g.regionSuffixes);
  const citySuffixEnd = suffixAfter(text, tokens, span.endToken, g.citySuffixes);
  const hasSuffix = regionSuffixEnd !== null || citySuffixEnd !== null;
  // A list continues a signal: `in Paris, Geneva and New York`.
  const isSignalled = () => precededBySignal(text, tokens, span.startToken, g) ||
    (previousEnd >= 0 && span.start - previousEnd <= 6 && /^(?:,? and |, | or |, or )$/.test(text.slice(previousEnd, span.start)));
  // A following capitalised word that is not a designation makes the span part of a longer name.
  const nextCapitalised = nextJoined && next!.capitalised && !hasSuffix;
  const prevCapitalised = prevJoined && prev!.capitalised;

  // Tests on the span's words, the same for every candidate: made once, when a candidate first needs them.
  let signal: boolean | undefined;
  let sentenceStart: boolean | undefined;
  let afterChineseSurname: boolean | undefined;
  let beforeChineseName: boolean | undefined;
  let pinyinSyllable: boolean | undefined;
  let lowerCaseElsewhere: boolean | undefined;
  const acceptable = span.candidates.filter((c) => {
    if (!caseAcceptable(text, span, shape, c)) return false;
    if (c.kind === 'country' || c.kind === 'continent') {
      if (c.givenName && nextCapitalised) return false;
      return true;
    }
    // Person-name guard for Chinese syllables (`Chen Jining`, `Wang Anshun`, `Ouyang Ziyuan`).
    if (single && prevJoined && (afterChineseSurname ??= isChineseSurnameToken(prev!, g))) return false;
    if (single && c.countryCode === 'CN' && nextJoined && !hasSuffix && (beforeChineseName ??= isChineseNameAfter(next!, tokens.get(span.endToken + 2), text, g))) return false;
    if (c.englishWord) return hasSuffix || ((signal ??= isSignalled()) && c.countryCode !== null && ctx.countries.has(c.countryCode));
    if (c.free) return true;
    // Context tier: a standalone name whose country the text mentions, or a signal.
    if (prevCapitalised || nextCapitalised) return false;
    // `Wang`, `Gao`, `Yao` are towns in Austria, Germany, Nigeria... and far more often a Chinese surname.
    if (single && (pinyinSyllable ??= PINYIN_SYLLABLE.test(tokens.get(span.startToken)!.text))) return hasSuffix;
    if (hasSuffix || (signal ??= isSignalled())) return true;
    // Without a signal, not at the start of a sentence (`Research shows`:
    // Research is a town in Australia) and not a word the text also uses in
    // lower case (`... more research`).
    if ((sentenceStart ??= startsSentence(text, span.start)) || (single && (lowerCaseElsewhere ??= usedInLowerCaseMemo(text, tokens.get(span.startToken)!.text, ctx)))) return false;
    return c.countryCode !== null && ctx.countries.has(c.countryCode);
  });
  if (acceptable.length === 0) return null;

  const score = (c: Candidate): number[] => [
    c.kind === 'country' || c.kind === 'continent' ? 0 : 1,
    c.countryCode !== null && ctx.countries.has(c.countryCode) ? 0 : 1,
    c.countryCode !== null && c.stateCode !== null && ctx.states.has(`${c.countryCode}|${c.stateCode}`) && c.kind === 'city' ? 0 : 1,
    c.rank,
    -c.namesakes,
  ];
  // The best candidate: the first in (score, list order), which is a total order; found by scans,
  // not a sort (a single acceptable candidate, the common case, needs no ranking).
  const scores = acceptable.length === 1 ? null : acceptable.map(score);
  const ranksBefore = (a: number, b: number): boolean => {
    const sa = scores![a]!;
    const sb = scores![b]!;
    for (let k = 0; k < sa.length; k++) if (sa[k] !== sb[k]) return sa[k]! - sb[k]! < 0;
    return a < b;
  };
  /** Index of the best candidate among those passing the test, or -1. */
  const bestWhere = (test: (c: Candidate) => boolean): number => {
    let found = -1;
    for (let n = 0; n < acceptable.length; n++) if (test(acceptable[n]!) && (found < 0 || ranksBefore(n, found))) found = n;
    return found;
  };
  let best = scores === null ? acceptable[0]! : acceptable[bestWhere(() => true)]!;

  // A printed designation decides between a city and a region of that name
  // (`Sana'a Governorate`, `Jilin Province`, `Jining City`).
  const designated = regionSuffixEnd !== null ? 'region' : citySuffixEnd !== null ? 'city' : null;
  if (designated && best.kind !== designated && (best.kind === 'city' || best.kind === 'region')) {
    const at = bestWhere((c) => c.kind === designated);
    const other = at >= 0 ? acceptable[at] : undefined;
    if (other) best = other;
  }

  // Same name for a city and its province (Jilin; also Beijing, Shanghai as
  // municipalities): the city unless the text says province/region.
  if (best.kind === 'region' || best.kind === 'city') {
    const twin = acceptable.find((c) => c !== best && c.countryCode === best.countryCode && c.stateCode === best.stateCode && (c.kind === 'region' || c.kind === 'city') && c.kind !== best.kind);
    if (twin) {
      const city = best.kind === 'city' ? best : twin;
      const region = best.kind === 'region' ? best : twin;
      best = regionSignalled(text, span, regionSuffixEnd, citySuffixEnd) ? region : city;
    }
  }

  let endToken = span.endToken;
  let end = span.end;
  const suffixEnd = best.kind === 'region' ? regionSuffixEnd : best.kind === 'city' ? citySuffixEnd : null;
  if (suffixEnd !== null && span.end === tokens.get(span.endToken)!.end) {
    endToken = suffixEnd;
    end = tokens.get(suffixEnd)!.end;
  }
  return { candidate: best, start: span.start, end, endToken };
}

/** Only spaces, quotes or brackets since the previous `.`, `!`, `?`, `:` or line break (or the text's start). */
function startsSentence(text: string, start: number): boolean {
  for (let i = start - 1; i >= 0; i--) {
    const ch = text.charAt(i);
    if (ch === '\n' || ch === '.' || ch === '!' || ch === '?' || ch === ':') return true;
    if (!/[\s"“‘'(\[]/.test(ch)) return false;
  }
  return true;
}

const LETTER = /\p{L}/u;

/** The code point ending at `end` (a surrogate pair counts as one) is a letter. */
function letterBefore(text: string, end: number): boolean {
  const low = text.charCodeAt(end - 1);
  if (low < 128) return (low >= 97 && low <= 122) || (low >= 65 && low <= 90);
  const from = low >= 0xdc00 && low <= 0xdfff && end >= 2 && text.charCodeAt(end - 2) >= 0xd800 && text.charCodeAt(end - 2) <= 0xdbff ? end - 2 : end - 1;
  return LETTER.test(text.slice(from, end));
}

/** The code point starting at `start` is a letter. */
function letterAt(text: string, start: number): boolean {
  const c = text.charCodeAt(start);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  return LETTER.test(String.fromCodePoint(text.codePointAt(start)!));
}

/** The word occurs in lower case as a word of its own (no letter touching it). */
function usedInLowerCase(text: string, word: string): boolean {
  const lower = word.toLowerCase();
  if (lower === word) return false;
  for (let at = text.indexOf(lower); at !== -1; at = text.indexOf(lower, at + 1)) {
    if (at > 0 && letterBefore(text, at)) continue;
    const end = at + lower.length;
    if (end < text.length && letterAt(text, end)) continue;
    return true;
  }
  return false;
}

function usedInLowerCaseMemo(text: string, word: string, ctx: Context): boolean {
  ctx.lowerCaseUse ??= new Map();
  let used = ctx.lowerCaseUse.get(word);
  if (used === undefined) {
    used = usedInLowerCase(text, word);
    ctx.lowerCaseUse.set(word, used);
  }
  return used;
}

function regionSignalled(text: string, span: RawSpan, regionSuffixEnd: number | null, citySuffixEnd: number | null): boolean {
  if (citySuffixEnd !== null) return false;
  if (regionSuffixEnd !== null) return true;
  // `four provinces: Jilin, Heilongjiang, ...`, `the province of Jilin`.
  return /\bprovinces?\b|\bautonomous regions?\b/i.test(sentenceBefore(text, span.start));
}

function toMatch(text: string, r: Resolved): PlaceMatch {
  const surface = text.slice(r.start, r.end);
  const c = r.candidate;
  const aliases: string[] = [];
  if (c.official && c.official !== c.name) aliases.push(c.official);
  if (surface !== c.name && !aliases.includes(surface)) aliases.push(surface);
  return {
    start: r.start, end: r.end, surface, name: c.name, aliases, kind: c.kind,
    country_code: c.countryCode, latitude: c.latitude, longitude: c.longitude,
  };
}

const contextCache = new WeakMap<Candidate[], { countries: string[]; states: string[] }>();

/**
 * What naming these candidates tells about the text's countries and states:
 * a country name its country; a free-tier name of one country only (Shanghai)
 * that country; a Chinese province its state. Cached per candidate list.
 */
function contextOf(candidates: Candidate[]): { countries: string[]; states: string[] } {
  let summary = contextCache.get(candidates);
  if (summary) return summary;
  const countries = new Set<string>();
  const states: string[] = [];
  let onlyCountry: string | null | undefined;
  for (const c of candidates) {
    if (c.kind === 'country' && c.countryCode) countries.add(c.countryCode);
    if (c.kind === 'region' && c.free && c.countryCode && c.stateCode) states.push(`${c.countryCode}|${c.stateCode}`);
    if (c.free && c.kind !== 'continent') onlyCountry = onlyCountry === undefined || onlyCountry === c.countryCode ? c.countryCode : null;
  }
  if (onlyCountry) countries.add(onlyCountry);
  summary = { countries: [...countries], states };
  contextCache.set(candidates, summary);
  return summary;
}

/**
 * All place mentions in text, sorted by start, non-overlapping (longest name
 * wins: `South Africa` is not `Africa`). Places inside organisation names are
 * returned too; the caller drops those it covers with an organisation span.
 */
export function findPlaces(text: string): PlaceMatch[] {
  const g = gazetteer();
  const tokens = tokenize(text);
  // Only capitalised words start a place name (spansAt finds none elsewhere): the loops visit those
  // alone, and keep the ones that start some name.
  const spanStarts: number[] = [];
  const spansByStart: RawSpan[][] = [];

  // Context: countries and states the text names (countries by name or
  // adjective; unambiguous free-tier places bring their country too).
  const ctx: Context = { countries: new Set(), states: new Set(), lowerCaseUse: null };
  for (const i of tokens.capitalisedIndices) {
    const spans = spansAt(text, tokens, i, g);
    const code = tokens.get(i)!.info.demonymCode;
    if (code) ctx.countries.add(code);
    if (spans.length === 0) continue;
    spanStarts.push(i);
    spansByStart.push(spans);
    for (const span of spans) {
      const summary = contextOf(span.candidates);
      for (const code of summary.countries) ctx.countries.add(code);
      for (const state of summary.states) ctx.states.add(state);
    }
  }

  const matches: PlaceMatch[] = [];
  // Words inside the last match start no other.
  let nextFree = 0;
  for (let k = 0; k < spanStarts.length; k++) {
    if (spanStarts[k]! < nextFree) continue;
    const previousEnd = matches.length > 0 ? matches[matches.length - 1]!.end : -1;
    let resolved: Resolved | null = null;
    for (const span of spansByStart[k]!) {
      resolved = resolveSpan(text, tokens, span, ctx, g, previousEnd);
      if (resolved) break;
    }
    if (!resolved) continue;
    matches.push(toMatch(text, resolved));
    nextFree = resolved.endToken + 1;
  }
  return matches;
}
