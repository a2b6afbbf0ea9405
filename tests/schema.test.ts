// schemas/ is the single source of truth: the generated types, CSV headers,
// Data Package, CSVW metadata, JSON-LD mapping and dictionary must agree with it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvHeader, csvRows, parseCsvRows, toCsv } from '../pipeline/emit/csv.js';
import { csvwMetadata } from '../pipeline/emit/csvw.js';
import { dataPackage } from '../pipeline/emit/datapackage.js';
import { dataDictionary } from '../pipeline/emit/dictionary.js';
import { MessageSink } from '../pipeline/messages.js';
import { TABLES, TABLE_NAMES, resolveRef, type TableName } from '../pipeline/schema.js';
import { generateRecordTypes, GENERATED_PATH } from '../pipeline/tools/generate-records.js';
import { ENTITY_ROW_IMPLIED, compileUtf16Validators, generateValidatorsModule, loadGeneratedValidators, utf16LengthValidatorFor, validate } from '../pipeline/validate.js';
import { validatorFor } from '../pipeline/schema.js';
import fc from 'fast-check';
import type { Tables } from '../pipeline/merge.js';
import { ROOT } from './helpers.js';

const schemaFile = (table: string) => JSON.parse(readFileSync(path.join(ROOT, 'schemas', `${table}.schema.json`), 'utf8'));

// The contract's required columns (DATA-CONTRACT.md), written out by hand.
const CONTRACT: Record<string, string[]> = {
  articles: ['article_id', 'source_file', 'source_sha256', 'encoding', 'repairs', 'title', 'title_source', 'date_published', 'word_count', 'text'],
  entities: ['entity_id', 'entity_type', 'name'],
  people: ['person_id', 'name', 'aliases', 'country_code'],
  organizations: ['organization_id', 'name', 'acronym', 'aliases', 'kind', 'country_code'],
  places: ['place_id', 'name', 'kind', 'country_code', 'latitude', 'longitude'],
  events: ['event_id', 'name', 'kind', 'start_date', 'end_date', 'place_id'],
  mentions: ['mention_id', 'article_id', 'entity_id', 'entity_type', 'start', 'end', 'surface'],
  roles: ['role_id', 'article_id', 'person_id', 'title', 'organization_id', 'place_id', 'as_of', 'start', 'end'],
  interactions: ['interaction_id', 'article_id', 'kind', 'cameo_code', 'date', 'date_basis', 'place_id', 'event_id', 'start', 'end'],
  interaction_participants: ['interaction_id', 'entity_id', 'role'],
  quotes: ['quote_id', 'article_id', 'speaker_id', 'text', 'direct', 'start', 'end'],
};

describe('schemas and the contract', () => {
  it('every contract table has a schema with every contract column, primary key first', () => {
    expect([...TABLE_NAMES].sort()).toEqual(Object.keys(CONTRACT).sort());
    for (const [table, columns] of Object.entries(CONTRACT)) {
      const names = TABLES[table as keyof typeof TABLES].columns.map((c) => c.name);
      for (const c of columns) expect(names, `${table}.${c}`).toContain(c);
      expect(names[0]).toBe(columns[0]);
    }
    expect(TABLES.interaction_participants.primaryKey).toEqual(['interaction_id', 'entity_id']);
  });

  it('every foreign key points at an existing table and column', () => {
    for (const table of TABLE_NAMES) {
      for (const fk of TABLES[table].foreignKeys) {
        const target = TABLES[fk.reference.resource as keyof typeof TABLES];
        expect(target, `${table} → ${fk.reference.resource}`).toBeDefined();
        for (const f of fk.reference.fields) expect(target.columns.map((c) => c.name)).toContain(f);
        for (const f of fk.fields) expect(TABLES[table].columns.map((c) => c.name)).toContain(f);
      }
    }
  });

  it('the committed TypeScript record types are what the schemas generate', async () => {
    expect(readFileSync(GENERATED_PATH, 'utf8')).toBe(await generateRecordTypes());
  });
});

describe('outputs derived from the schemas agree with them', () => {
  it('CSV headers are the schema properties in order', () => {
    for (const table of TABLE_NAMES) {
      const header = toCsv(table, []).trimEnd().split(',');
      expect(header).toEqual(Object.keys(schemaFile(table).properties));
    }
  });

  it('Data Package fields, types, keys follow the schemas', () => {
    const files = new Map(TABLE_NAMES.map((t) => [t, { path: `csv/${t}.csv`, bytes: 1, sha256: '0'.repeat(64) }]));
    const pkg = dataPackage('1.2.3', files) as { version: string; resources: Array<{ name: string; schema: { fields: Array<{ name: string; type: string }>; primaryKey: string[]; foreignKeys: unknown[] } }> };
    expect(pkg.version).toBe('1.2.3');
    for (const resource of pkg.resources) {
      const schema = schemaFile(resource.name);
      expect(resource.schema.fields.map((f) => f.name)).toEqual(Object.keys(schema.properties));
      expect(resource.schema.primaryKey).toEqual(schema['x-primaryKey']);
      expect(resource.schema.foreignKeys).toEqual(schema['x-foreignKeys'] ?? []);
      for (const field of resource.schema.fields) {
        const property = resolveRef(schema.properties[field.name]);
        const types = ([] as string[]).concat(property.type as string);
        const expected = property.format === 'date' ? 'date' : types.includes('integer') ? 'integer' : types.includes('number') ? 'number' : types.includes('boolean') ? 'boolean' : 'string';
        expect(field.type, `${resource.name}.${field.name}`).toBe(expected);
      }
    }
  });

  it('CSVW columns follow the schemas, list cells declared with their separator', () => {
    const meta = csvwMetadata('1.2.3', (t) => `csv/${t}.csv`) as { tables: Array<{ url: string; tableSchema: { columns: Array<{ name: string; separator?: string }> } }> };
    for (const t of meta.tables) {
      const table = path.basename(t.url, '.csv');
      const schema = schemaFile(table);
      expect(t.tableSchema.columns.map((c) => c.name)).toEqual(Object.keys(schema.properties));
      for (const c of t.tableSchema.columns) {
        const property = schema.properties[c.name];
        expect(c.separator, `${table}.${c.name}`).toBe(property.type === 'array' ? ';' : undefined);
      }
    }
    expect(TABLES.people.columns.find((c) => c.name === 'aliases')?.separator).toBe(';');
  });

  it('the data dictionary documents every column of every table', () => {
    const md = dataDictionary('1.2.3');
    for (const table of TABLE_NAMES) {
      expect(md).toContain(`## \`${table}\``);
      for (const c of TABLES[table].columns) expect(md).toContain(`| \`${c.name}\` |`);
    }
  });

  it('the JSON-LD mapping names schema.org classes for the entity tables', () => {
    expect(TABLES.articles.jsonld?.['@type']).toBe('NewsArticle');
    expect(TABLES.people.jsonld?.['@type']).toBe('Person');
    expect(TABLES.organizations.jsonld?.['@type']).toBe('Organization');
    expect(TABLES.events.jsonld?.['@type']).toBe('Event');
    expect(TABLES.quotes.jsonld?.['@type']).toBe('Quotation');
    expect(TABLES.places.jsonld?.typeByColumn?.types).toMatchObject({ country: 'Country', city: 'City' });
    // Every table that becomes nodes maps its primary key to @id.
    for (const table of TABLE_NAMES) {
      if (TABLES[table].jsonld?.['@type']) expect(TABLES[table].columns[0]!.jsonld, table).toBe('@id');
    }
  });
});

describe('validation keeps bad records out and says why', () => {
  const empty = (): Tables => Object.fromEntries(TABLE_NAMES.map((t) => [t, []])) as unknown as Tables;
  const article = {
    article_id: 'article-0123456789abcdef', source_file: 'a.txt', source_sha256: 'a'.repeat(64), encoding: 'utf-8' as const, repairs: 0,
    title: 'T', title_source: 'headline' as const, date_published: '2023-07-03', word_count: 3, text: 'Huai met Bokova.',
  };

  it('a record that breaks its schema is dropped and reported with the schema path', () => {
    const tables = empty();
    tables.articles.push(article, { ...article, article_id: 'article-ffffffffffffffff', date_published: '2023-02-30' });
    const sink = new MessageSink();
    const valid = validate(tables, sink);
    expect(valid.articles.map((a) => a.article_id)).toEqual(['article-0123456789abcdef']);
    expect(sink.messages).toContainEqual(expect.objectContaining({ stage: 'validate', rule: 'schema', article_id: 'article-ffffffffffffffff' }));
    expect(sink.messages[0]!.reason).toMatch(/\/date_published must match format "date"/);
  });

  it('a mention whose offsets do not give its surface is dropped', () => {
    const tables = empty();
    tables.articles.push(article);
    tables.people.push({ person_id: 'person-huai', name: 'Huai', aliases: [], country_code: 'CN' });
    tables.entities.push({ entity_id: 'person-huai', entity_type: 'person', name: 'Huai' });
    tables.mentions.push(
      { mention_id: 'mention-a-0-4', article_id: article.article_id, entity_id: 'person-huai', entity_type: 'person', start: 0, end: 4, surface: 'Huai' },
      { mention_id: 'mention-a-1-5', article_id: article.article_id, entity_id: 'person-huai', entity_type: 'person', start: 1, end: 5, surface: 'Huai' },
    );
    const sink = new MessageSink();
    expect(validate(tables, sink).mentions.map((m) => m.mention_id)).toEqual(['mention-a-0-4']);
    expect(sink.messages).toContainEqual(expect.objectContaining({ rule: 'offsets' }));
  });

  it('rows pointing at a dropped or missing entity are dropped too', () => {
    const tables = empty();
    tables.articles.push(article);
    tables.roles.push({ role_id: 'role-x', article_id: article.article_id, person_id: 'person-nobody', title: 'Minister', organization_id: null, place_id: null, as_of: null, start: 0, end: 4 });
    const sink = new MessageSink();
    expect(validate(tables, sink).roles).toEqual([]);
    expect(sink.messages).toContainEqual(expect.objectContaining({ rule: 'foreign-key' }));
  });
});

describe('validation with UTF-16 lengths (the cheap validators) where it gives the same verdict', () => {
  // Strings of code units that code points count differently: astral characters (two units, one point), lone surrogates.
  const unit = fc.constantFrom('a', '-', 'z', '0', ';', ' ', 'é', '\u{1F600}', '\u{20000}', '\uD800', '\uDC00', 'A');
  const text = (max: number) => fc.array(unit, { maxLength: max }).map((u) => u.join(''));
  const around = (n: number) => fc.oneof(text(4), fc.tuple(fc.constantFrom('a', '\u{1F600}'), fc.integer({ min: n - 3, max: n + 3 })).map(([u, k]) => u.repeat(Math.max(0, k))), text(n + 10));
  const messages = (table: TableName, row: Record<string, unknown>) => {
    const sink = new MessageSink();
    const valid = validate({ ...empty(), [table]: [row] } as unknown as Tables, sink);
    return { kept: valid[table].length, schema: sink.messages.filter((m) => m.rule === 'schema') };
  };
  const empty = (): Tables => Object.fromEntries(TABLE_NAMES.map((t) => [t, []])) as unknown as Tables;

  it('reports exactly what the code-point validators report, for IDs near maxLength, empty names, astral and lone surrogates', () => {
    fc.assert(
      fc.property(around(200), around(1), text(6), fc.array(around(1), { maxLength: 3 }), (id, name, code, aliases) => {
        const rows: Array<[TableName, Record<string, unknown>]> = [
          ['people', { person_id: id, name, aliases, country_code: code }],
          ['mentions', { mention_id: id, article_id: `article-${name}`, entity_id: 'person-x', entity_type: 'person', start: 0, end: 1, surface: name }],
          ['entities', { entity_id: id, entity_type: 'place', name }],
        ];
        for (const [table, row] of rows) {
          const exact = validatorFor(table);
          exact(row);
          const key = String(row[TABLES[table].primaryKey[0]!]);
          const expected = (exact.errors ?? []).map((e) => `${table} ${key}: ${e.instancePath || '/'} ${e.message} (schema ${e.schemaPath})`);
          expect(messages(table, row).schema.map((m) => m.reason)).toEqual(expected);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('the cheap validators do differ on long astral strings, which therefore go to the exact ones', () => {
    const id = `person-${'\u{1F600}'.repeat(150)}`;
    expect(utf16LengthValidatorFor('entities')({ entity_id: id, entity_type: 'person', name: 'x' })).toBe(false);
    const exact = validatorFor('entities');
    exact({ entity_id: id, entity_type: 'person', name: 'x' });
    expect(exact.errors!.map((e) => e.keyword)).toEqual(['pattern']);
    expect(messages('entities', { entity_id: id, entity_type: 'person', name: 'x' }).schema.map((m) => m.reason)).toEqual([expect.stringMatching(/must match pattern/)]);
  });
});

describe('an entity occurrence that matches its schema makes a valid entities row', () => {
  it('holds for the schemas as they are, so validateArticle checks those rows once', () => {
    expect(ENTITY_ROW_IMPLIED).toEqual({ people: true, organizations: true, places: true, events: true });
  });

  it('every occurrence row the exact validators accept gives an entities row they accept', () => {
    const unit = fc.constantFrom('a', '-', 'z', '0', ';', ' ', 'é', 'A', '\u{1F600}', '');
    const text = fc.array(unit, { maxLength: 8 }).map((u) => u.join(''));
    const id = fc.oneof(text, text.map((t) => `person-${t}`), fc.constant(`org-${'a'.repeat(193)}`), fc.constant(`org-${'a'.repeat(192)}`));
    const rows = {
      people: (key: unknown, name: unknown) => ({ person_id: key, name, aliases: [], country_code: null }),
      organizations: (key: unknown, name: unknown) => ({ organization_id: key, name, acronym: null, aliases: [], kind: null, country_code: null }),
      places: (key: unknown, name: unknown) => ({ place_id: key, name, aliases: [], kind: 'city', country_code: null, latitude: null, longitude: null }),
      events: (key: unknown, name: unknown) => ({ event_id: key, name, aliases: [], kind: null, start_date: null, end_date: null, place_id: null }),
    };
    const types = { people: 'person', organizations: 'organization', places: 'place', events: 'event' } as const;
    let accepted = 0;
    fc.assert(
      fc.property(fc.constantFrom(...(Object.keys(rows) as Array<keyof typeof rows>)), id, fc.oneof(text, fc.constant(undefined), fc.constant(3)), (table, key, name) => {
        const row = rows[table](key, name);
        if (name === undefined) delete (row as Record<string, unknown>)['name'];
        if (!validatorFor(table)(row)) return;
        accepted++;
        expect(validatorFor('entities')({ entity_id: key, entity_type: types[table], name })).toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(100);
  });
});

describe('CSV read back (the landing page previews what the CSV holds)', () => {
  it('parseCsvRows gives back the typed rows csvRows wrote: lists, nulls, booleans, numbers, quotes and line breaks', () => {
    const people = [
      { person_id: 'person-a', name: 'Irina Bokova', aliases: ['Bokova', 'Ms Bokova'], country_code: 'BG' },
      { person_id: 'person-b', name: 'Huai Jinpeng', aliases: [], country_code: null },
    ];
    const places = [{ place_id: 'place-x', name: ' Paris', aliases: [], kind: 'city', country_code: 'FR', latitude: 48.85341, longitude: -2.3488 }];
    const quotes = [{ quote_id: 'quote-1', article_id: 'article-1', speaker_id: null, text: 'He said "education\nfirst", twice', direct: false, start: 0, end: 31 }];
    expect(parseCsvRows('people', csvRows('people', people))).toEqual(people);
    expect(parseCsvRows('places', csvRows('places', places))).toEqual(places);
    expect(parseCsvRows('quotes', csvRows('quotes', quotes))).toEqual(quotes);
    expect(csvHeader('people') + csvRows('people', people)).toBe(toCsv('people', people));
  });
});

describe('the generated validators (ajv standalone code, made by make beside the compiled pipeline)', () => {
  const requireHere = createRequire(import.meta.url);
  /** The module text evaluated as Node would load it (its requires resolve from here). */
  const evaluate = (source: string): Record<string, unknown> => {
    const module = { exports: {} as Record<string, unknown> };
    new Function('exports', 'require', 'module', source)(module.exports, requireHere, module);
    return module.exports;
  };
  const generated = loadGeneratedValidators(() => evaluate(generateValidatorsModule()))!;
  const compiled = compileUtf16Validators();

  it('give exactly the verdicts and errors of the validators compiled at run time, on rows of every table', () => {
    const unit = fc.constantFrom('a', 'Z', '-', '0', '9', ';', ' ', 'é', '\u{1F600}', '\uD800', ':', '/', 'T', '.');
    const text = fc.oneof(fc.array(unit, { maxLength: 12 }).map((u) => u.join('')), fc.constantFrom('article-0123456789abcdef', 'person-wang-yi', '2024-05-15', 'CN', 'city', 'x'.repeat(300), '\u{1F600}'.repeat(150)));
    const value = fc.oneof(text, fc.integer({ min: -3, max: 5000 }), fc.double({ noNaN: true }), fc.constant(null), fc.boolean(), fc.array(text, { maxLength: 3 }), fc.constant(undefined));
    const tables = fc.constantFrom(...TABLE_NAMES);
    let accepted = 0;
    fc.assert(
      fc.property(tables, fc.array(value, { minLength: 12, maxLength: 12 }), fc.boolean(), (table, values, extra) => {
        const row: Record<string, unknown> = {};
        TABLES[table].columns.forEach((c, i) => {
          if (values[i % values.length] !== undefined) row[c.name] = values[i % values.length];
        });
        if (extra) row['unexpected'] = 1;
        const a = compiled[table];
        const b = generated[table];
        const verdict = a(row);
        expect(b(row)).toBe(verdict);
        expect(b.errors ?? null).toEqual(a.errors ?? null);
        if (verdict) accepted++;
      }),
      { numRuns: 3000 },
    );
    // Valid rows, written by hand, so that acceptance is compared too, not only rejections.
    const valid: Array<[TableName, Record<string, unknown>]> = [
      ['entities', { entity_id: 'person-wang-yi', entity_type: 'person', name: 'Wang Yi' }],
      ['people', { person_id: 'person-audrey-azoulay', name: 'Audrey Azoulay', aliases: ['Azoulay'], country_code: 'FR' }],
      ['places', { place_id: 'place-beijing-cn', name: 'Beijing', aliases: [], kind: 'city', country_code: 'CN', latitude: 39.9075, longitude: 116.39723 }],
      ['interaction_participants', { interaction_id: 'interaction-0123456789abcdef', entity_id: 'person-wang-yi', role: 'participant' }],
    ];
    for (const [table, row] of valid) {
      expect(compiled[table](row), `${table} ${JSON.stringify(compiled[table].errors)}`).toBe(true);
      expect(generated[table](row)).toBe(true);
    }
    expect(accepted + valid.length).toBeGreaterThan(0);
  });

  it('are not used when made from other schemas or missing; the validators are compiled instead', () => {
    const module = evaluate(generateValidatorsModule());
    expect(loadGeneratedValidators(() => ({ ...module, fingerprint: 'made from older schemas' }))).toBeNull();
    expect(loadGeneratedValidators(() => ({ ...module, people: undefined }))).toBeNull();
    const missing = Object.assign(new Error('Cannot find module'), { code: 'MODULE_NOT_FOUND' });
    expect(
      loadGeneratedValidators(() => {
        throw missing;
      }),
    ).toBeNull();
    // Any other failure to load it is a fault of the build, not a reason to go on quietly.
    expect(() =>
      loadGeneratedValidators(() => {
        throw new SyntaxError('Unexpected token');
      }),
    ).toThrow(SyntaxError);
  });

  it('the compiled pipeline has a current module, so its processes and threads load the validators instead of compiling them', () => {
    expect(readFileSync(path.join(ROOT, 'dist/pipeline/validators.generated.cjs'), 'utf8')).toBe(generateValidatorsModule());
    expect(loadGeneratedValidators(requireHere, path.join(ROOT, 'dist/pipeline/validators.generated.cjs'))).not.toBeNull();
  });
});
