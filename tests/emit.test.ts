// The published metadata holds for the published data: keys, foreign keys,
// and a JSON-LD graph that a JSON-LD processor turns into RDF offline.
import jsonld from 'jsonld';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { firstRows } from '../pipeline/emit/index.js';
import { ReportCollector } from '../pipeline/emit/report.js';
import { ROOT, readCsv, runCli, tempDir } from './helpers.js';

interface Resource {
  name: string;
  path: string;
  bytes: number;
  hash: string;
  schema: { fields: Array<{ name: string; type: string; constraints?: { required?: boolean; enum?: string[] } }>; primaryKey: string[]; foreignKeys: Array<{ fields: string[]; reference: { resource: string; fields: string[] } }> };
}

let out: string;
beforeAll(() => {
  out = path.join(tempDir('emit'), 'out');
  const result = runCli(['build', '--raw', path.join(ROOT, 'tests/fixtures/devset'), '--out', out, '--allow-rejects']);
  expect(result.status, result.stderr).toBe(0);
});

describe('datapackage.json', () => {
  it('declares a primary key for every table, and the keys hold in the CSVs', () => {
    const pkg = JSON.parse(readFileSync(path.join(out, 'datapackage.json'), 'utf8')) as { resources: Resource[] };
    for (const resource of pkg.resources) {
      expect(resource.schema.primaryKey.length, resource.name).toBeGreaterThan(0);
      const rows = readCsv(out, resource.name);
      const keys = rows.map((r) => JSON.stringify(resource.schema.primaryKey.map((f) => r[f])));
      expect(new Set(keys).size, `${resource.name} primary key unique`).toBe(rows.length);
    }
  });

  it('declares foreign keys, and every reference resolves', () => {
    const pkg = JSON.parse(readFileSync(path.join(out, 'datapackage.json'), 'utf8')) as { resources: Resource[] };
    let checked = 0;
    for (const resource of pkg.resources) {
      const rows = readCsv(out, resource.name);
      for (const fk of resource.schema.foreignKeys) {
        const target = new Set(readCsv(out, fk.reference.resource).map((r) => JSON.stringify(fk.reference.fields.map((f) => r[f]))));
        for (const row of rows) {
          if (fk.fields.some((f) => row[f] === '')) continue;
          expect(target.has(JSON.stringify(fk.fields.map((f) => row[f]))), `${resource.name}.${fk.fields} → ${fk.reference.resource}`).toBe(true);
          checked++;
        }
      }
    }
    expect(pkg.resources.filter((r) => r.schema.foreignKeys.length > 0).map((r) => r.name)).toEqual(
      expect.arrayContaining(['people', 'organizations', 'places', 'events', 'mentions', 'roles', 'interactions', 'interaction_participants', 'quotes']),
    );
    // The development set has roles, mentions and interactions: the loop above really checked references.
    expect(checked).toBeGreaterThan(100);
  });

  it('gives each resource its size and SHA-256, matching the file', () => {
    const pkg = JSON.parse(readFileSync(path.join(out, 'datapackage.json'), 'utf8')) as { resources: Resource[] };
    const sums = readFileSync(path.join(out, 'SHA256SUMS'), 'utf8');
    for (const r of pkg.resources) {
      expect(readFileSync(path.join(out, r.path)).length).toBe(r.bytes);
      expect(sums).toContain(`${r.hash.replace('sha256:', '')}  ${r.path}`);
    }
  });

  it('every required field is filled and every enum value is allowed', () => {
    const pkg = JSON.parse(readFileSync(path.join(out, 'datapackage.json'), 'utf8')) as { resources: Resource[] };
    for (const resource of pkg.resources) {
      const rows = readCsv(out, resource.name);
      for (const field of resource.schema.fields) {
        for (const row of rows) {
          if (field.constraints?.required) expect(row[field.name], `${resource.name}.${field.name}`).not.toBe('');
          if (field.constraints?.enum && row[field.name] !== '') expect(field.constraints.enum).toContain(row[field.name]);
        }
      }
    }
  });
});

describe('evidence offsets', () => {
  it('text[start:end] (code points) is the surface of every mention and the text of every quote; spans lie inside the article', () => {
    const texts = new Map(readCsv(out, 'articles').map((a) => [a['article_id']!, Array.from(a['text']!)]));
    let rows = 0;
    for (const [table, column] of [['mentions', 'surface'], ['quotes', 'text'], ['roles', null], ['interactions', null]] as const) {
      for (const row of readCsv(out, table)) {
        const text = texts.get(row['article_id']!)!;
        const start = Number(row['start']);
        const end = Number(row['end']);
        expect(start).toBeLessThan(end);
        expect(end).toBeLessThanOrEqual(text.length);
        if (column) expect(text.slice(start, end).join(''), `${table} ${row[`${table.slice(0, -1)}_id`]}`).toBe(row[column]);
        rows++;
      }
    }
    expect(rows).toBeGreaterThan(0);
  });
});

describe('dataset.jsonld', () => {
  it('converts to N-Quads offline with a JSON-LD processor', async () => {
    const doc = JSON.parse(readFileSync(path.join(out, 'dataset.jsonld'), 'utf8'));
    const offline = async (url: string) => {
      throw new Error(`the document must not need a remote context, but asked for ${url}`);
    };
    const nquads = (await jsonld.toRDF(doc, { format: 'application/n-quads', documentLoader: offline as never })) as unknown as string;
    const lines = nquads.trim().split('\n');
    expect(lines.length).toBeGreaterThan(100);
    // Nodes of the dataset's own IRIs (the Dataset's creator is a blank node, not counted).
    const typeOf = (cls: string) =>
      lines.filter((l) => l.startsWith('<https://example.org/') && l.includes('<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>') && l.includes(`<https://schema.org/${cls}>`)).length;
    expect(typeOf('Dataset')).toBe(1);
    expect(typeOf('NewsArticle')).toBe(readCsv(out, 'articles').length);
    expect(typeOf('Person')).toBe(readCsv(out, 'people').length);
    expect(typeOf('Organization')).toBe(readCsv(out, 'organizations').length);
    expect(typeOf('Quotation')).toBe(readCsv(out, 'quotes').length);
    // Meetings are schema.org Events (alongside the named events), with attendees.
    expect(typeOf('Event')).toBe(readCsv(out, 'events').length + readCsv(out, 'interactions').length);
    const attendees = lines.filter((l) => l.includes('<https://schema.org/attendee>')).length;
    expect(attendees).toBe(readCsv(out, 'interaction_participants').length);
    // Each role row says that its person is memberOf the role (schema.org's Role pattern), whichever node carries it.
    const memberOf = new Set(lines.filter((l) => l.startsWith('<https://example.org/china-unesco-education/person-') && l.includes(' <https://schema.org/memberOf> ')).map((l) => l.split(' ').slice(0, 3).join(' ')));
    const roles = readCsv(out, 'roles');
    expect(roles.length).toBeGreaterThan(10);
    for (const r of roles) expect(memberOf.has(`<https://example.org/china-unesco-education/${r['person_id']}> <https://schema.org/memberOf> <https://example.org/china-unesco-education/${r['role_id']}>`)).toBe(true);
    expect(memberOf.size).toBe(roles.length);
  }, 60_000);
});

describe('table previews (the landing page shows the first rows of each table)', () => {
  // A chunk's piece as the pipeline stores it, written out by hand: rows without a header, a quoted text with line breaks and quotes.
  const row = (id: string, title: string, text: string) => `article-${id},${id}.txt,${id.repeat(64 / id.length)},utf-8,0,${title},headline,2024-05-0${id.length},3,"${text}"\n`;
  const long = `Paris, 4 May.\n\nThe minister said ""education first"". ${'More words follow. '.repeat(8000)}`;

  it('are the first rows of the piece, also when they are longer than the part of the piece read first', () => {
    const piece = Buffer.from(row('a', 'First', long) + row('bb', 'Second', 'Short text.') + row('c', 'Third', 'Another.'), 'utf8');
    expect(piece.length).toBeGreaterThan(1 << 17);
    const rows = firstRows('articles', piece, 2);
    expect(rows.map((r) => r['title'])).toEqual(['First', 'Second']);
    expect(rows[0]!['text']).toBe(long.replace('""education first""', '"education first"'));
    expect(rows[1]).toMatchObject({ article_id: 'article-bb', repairs: 0, word_count: 3, date_published: '2024-05-02', text: 'Short text.' });
  });

  it('of short rows are read from the start of the piece; a piece with fewer rows gives them all', () => {
    const rows = Array.from({ length: 3000 }, (_, i) => row(String(i + 1), `Title ${i + 1}`, `Text ${i + 1}.`)).join('');
    expect(firstRows('articles', Buffer.from(rows, 'utf8'), 10).map((r) => r['title'])).toEqual(Array.from({ length: 10 }, (_, i) => `Title ${i + 1}`));
    expect(firstRows('articles', Buffer.from(row('z', 'Only', 'One.'), 'utf8'), 10).map((r) => r['title'])).toEqual(['Only']);
  });
});

describe('report.json (written from the chunks\' rendered entries, not held)', () => {
  const pipeline = { name: 'test-pipeline', version: '0.0.1' };

  it('lists every input in file order and every message in report order, late entries merged into their place', () => {
    const collector = new ReportCollector(true);
    collector.input({ file: 'a.txt', status: 'emitted', sha256: 'aa', bytes: 10, article_id: 'article-a', encoding: 'utf-8', repairs: 1 });
    collector.message({ stage: 'decode', rule: 'latin-mojibake', severity: 'info', file: 'a.txt', start: 3, end: 4, before: 'â€œ', after: '“', reason: 'repaired' });
    collector.input({ file: 'c.txt', status: 'rejected', sha256: 'cc', bytes: 0, rule: 'empty-file', reason: 'the file is empty' });
    collector.message({ stage: 'read', rule: 'empty-file', severity: 'error', file: 'c.txt', reason: 'the file is empty' }, true);
    // A folder found when listing, and a warning of the whole run: both arrive after the articles.
    collector.late([{ file: 'b', status: 'skipped', reason: 'a folder' }], [{ stage: 'read', rule: 'skipped-input', severity: 'warning', file: 'b', reason: 'a folder' }]);
    collector.late([], [{ stage: 'merge', rule: 'conflicting-attribute', severity: 'warning', reason: 'articles disagree' }]);
    const head = collector.head(pipeline, { articles: 1 });
    const text = [...collector.text(head)].join('');
    const expected = {
      pipeline,
      summary: { inputs: 3, emitted: 1, rejected: 1, skipped: 1, repairs: 1, warnings: 2, errors: 1, rows: { articles: 1 } },
      inputs: [
        { file: 'a.txt', status: 'emitted', sha256: 'aa', bytes: 10, article_id: 'article-a', encoding: 'utf-8', repairs: 1 },
        { file: 'b', status: 'skipped', reason: 'a folder' },
        { file: 'c.txt', status: 'rejected', sha256: 'cc', bytes: 0, rule: 'empty-file', reason: 'the file is empty' },
      ],
      messages: [
        { stage: 'merge', rule: 'conflicting-attribute', severity: 'warning', reason: 'articles disagree' },
        { stage: 'decode', rule: 'latin-mojibake', severity: 'info', file: 'a.txt', start: 3, end: 4, before: 'â€œ', after: '“', reason: 'repaired' },
        { stage: 'read', rule: 'skipped-input', severity: 'warning', file: 'b', reason: 'a folder' },
        { stage: 'read', rule: 'empty-file', severity: 'error', file: 'c.txt', reason: 'the file is empty' },
      ],
    };
    expect(JSON.parse(text)).toEqual(expected);
    // Indented as before the report was streamed: two spaces, one entry per block, a final line break.
    expect(text).toBe(`${JSON.stringify(expected, null, 2)}\n`);
    // The terminal: the rejection's own error is not repeated among the errors.
    const listing = collector.listing(head);
    expect(listing.rejected.map((r) => r.file)).toEqual(['c.txt']);
    expect(listing.errors).toEqual([]);
    expect(listing.warnings.map((m) => m.file ?? '(dataset)')).toEqual(['(dataset)', 'b']);
    expect(listing.totals).toEqual({ rejected: 1, errors: 0, warnings: 2 });
  });

  it('from chunks: their rendered pieces copied one after the other give the bytes of one collector, with or without late entries', () => {
    const inputs = ['a', 'b', 'c', 'd', 'e'].map((f) => ({ file: `${f}.txt`, status: 'emitted' as const, sha256: f, bytes: 1 }));
    const messageOf = (f: string) => ({ stage: 'extract' as const, rule: 'r', severity: 'warning' as const, file: `${f}.txt`, start: 2, reason: `about “${f}”` });
    const fill = (collector: ReportCollector, files: readonly string[]) => {
      for (const f of files) {
        collector.input(inputs.find((i) => i.file === `${f}.txt`)!);
        if (f !== 'c') collector.message(messageOf(f));
      }
      return collector;
    };
    const runMessage = { stage: 'merge' as const, rule: 'conflicting-attribute', severity: 'warning' as const, reason: 'articles disagree' };
    const skipped = { file: 'bb', status: 'skipped' as const, reason: 'a folder' };
    const skippedWarning = { stage: 'read' as const, rule: 'skipped-input', severity: 'warning' as const, file: 'bb', reason: 'a folder' };
    const lates = [
      { inputs: [], messages: [] },
      { inputs: [], messages: [runMessage] },
      { inputs: [skipped], messages: [runMessage, skippedWarning] },
    ];
    for (const late of lates) {
      const whole = fill(new ReportCollector(true), ['a', 'b', 'c', 'd', 'e']);
      // Chunks: one with a file but no message, one empty.
      const chunks = [['a', 'b'], ['c'], [], ['d', 'e']].map((files) => fill(new ReportCollector(true), files));
      const main = new ReportCollector();
      for (const chunk of chunks) main.absorb(chunk.state());
      for (const collector of [whole, main]) {
        collector.late(late.inputs, late.messages);
      }
      const head = whole.head(pipeline, {});
      expect(main.head(pipeline, {})).toEqual(head);
      // Each chunk's pieces, as the main thread gets them: copied as they are, or read when the text must change.
      const pieces = chunks.map((c) => c.pieces());
      const parts = [...main.text(head, (array) => pieces.map((p) => ({ text: p[array] })), (p) => p.text)];
      const fromChunks = parts.map((part) => (typeof part === 'string' ? part : part.text)).join('');
      expect(fromChunks, `late: ${late.messages.length}`).toBe([...whole.text(head)].join(''));
      expect(JSON.parse(fromChunks).inputs).toHaveLength(5 + late.inputs.length);
      // Printed as JSON.stringify(report, null, 2) prints it.
      expect(fromChunks).toBe(`${JSON.stringify(JSON.parse(fromChunks), null, 2)}\n`);
    }
  });

  it('prints empty lists as [] and refuses entries out of order', () => {
    const collector = new ReportCollector(true);
    expect(JSON.parse([...collector.text(collector.head(pipeline, {}))].join(''))).toMatchObject({ inputs: [], messages: [] });
    collector.input({ file: 'b.txt', status: 'rejected', rule: 'empty-file', reason: 'empty' });
    expect(() => collector.input({ file: 'a.txt', status: 'rejected', rule: 'empty-file', reason: 'empty' })).toThrow(/out of file order/);
  });

  it('keeps only the first few of each kind for the terminal, counting the rest', () => {
    const collector = new ReportCollector(true, 2);
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']) collector.message({ stage: 'extract', rule: 'r', severity: 'warning', file: `${name}.txt`, reason: 'w' });
    collector.late([], [{ stage: 'merge', rule: 'm', severity: 'warning', reason: 'dataset-wide' }]);
    const listing = collector.listing(collector.head(pipeline, {}));
    expect(listing.warnings.map((m) => m.file ?? '(dataset)')).toEqual(['(dataset)', 'a.txt']);
    expect(listing.totals.warnings).toBe(11);
  });
});

describe('CSV cells (csv-stringify)', () => {
  it('quotes a cell with whitespace at either end exactly as the single pattern /^\\s|\\s$/ would', async () => {
    const fc = (await import('fast-check')).default;
    const { stringify } = await import('csv-stringify/sync');
    const { csvRows } = await import('../pipeline/emit/csv.js');
    const piece = fc.constantFrom('a', ' ', '\t', '\n', '\r', ',', '"', '\u00a0', '\u2028', '\u3000', 'é', '\u{1F600}', 'x y');
    const cell = fc.array(piece, { maxLength: 6 }).map((p) => p.join(''));
    fc.assert(
      fc.property(cell, cell, (surface, title) => {
        const row = { role_id: 'role-1', article_id: 'article-1', person_id: 'person-1', title, organization_id: null, place_id: null, as_of: surface, start: 0, end: 1 };
        const single = stringify([['role-1', 'article-1', 'person-1', title, '', '', surface, '0', '1']], { record_delimiter: '\n', quoted_match: /^\s|\s$/ });
        expect(csvRows('roles', [row])).toBe(single);
      }),
      { numRuns: 1000 },
    );
  });
});
