// The landing page out/index.html, tested as a person sees it: built by the
// CLI, opened from disk in headless Chromium (Debian's chromium package,
// driven by playwright-core). Plus unit tests of the escaping every string
// from an article goes through.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import type { Report } from '../pipeline/build.js';
import type { Tables } from '../pipeline/merge.js';
import { MeetingDigest } from '../pipeline/emit/meetings.js';
import { ArticleListings, escapeMarkup, jsonForScript, pageDataOf, renderPage, type ArticleListing, type ArticleListingsState } from '../pipeline/emit/page.js';
import { daySpanOf, networkSvg, timelineSvg } from '../pipeline/emit/svg.js';
import { ROOT, ROUND_TRIPS, checksumFailures, cutSets, plainInOrder, readCsv, runCli, split, tempDir } from './helpers.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SEEDS = path.join(ROOT, 'raw');
const EVIL_HEADLINE = '</script><img src=x onerror=alert(1)>';
const EVIL_FIXTURE = path.join(ROOT, 'tests/fixtures/page/evil-headline.txt');

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function publishedFiles(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? publishedFiles(dir, path.join(prefix, e.name)) : [path.join(prefix, e.name)],
  );
}

function checksums(out: string): Map<string, string> {
  const lines = readFileSync(path.join(out, 'SHA256SUMS'), 'utf8').trim().split('\n');
  return new Map(lines.map((l) => l.split('  ') as [string, string]).map(([hash, file]) => [file, hash]));
}

function build(raw: string, ...extra: string[]): string {
  const out = path.join(tempDir('page'), 'out');
  const result = runCli(['build', '--raw', raw, '--out', out, '--no-cache', '--no-progress', ...extra]);
  expect(result.status, result.stderr).toBe(0);
  return out;
}

/** What a visitor's browser reports while the page is open. */
interface Visit {
  page: Page;
  consoleErrors: string[];
  pageErrors: string[];
  dialogs: string[];
  requests: string[];
}

let browser: Browser;

async function visit(out: string): Promise<Visit> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const v: Visit = { page, consoleErrors: [], pageErrors: [], dialogs: [], requests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') v.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => v.pageErrors.push(String(e)));
  page.on('dialog', async (d) => {
    v.dialogs.push(d.message());
    await d.dismiss();
  });
  page.on('request', (r) => v.requests.push(r.url()));
  await page.goto(pathToFileURL(path.join(out, 'index.html')).href, { waitUntil: 'load' });
  return v;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`page tests need Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('the landing page of a build of the seeds', () => {
  let out: string;
  let v: Visit;
  beforeAll(async () => {
    out = build(SEEDS);
    v = await visit(out);
  }, 120_000);
  afterAll(async () => {
    await v?.page.close();
  });

  it('is published, covered by SHA256SUMS, and loads with no console error, no dialog and no request but itself', async () => {
    expect(existsSync(path.join(out, 'index.html'))).toBe(true);
    expect(checksums(out).has('index.html')).toBe(true);
    expect(checksumFailures(out)).toEqual([]);
    // Give the page's script time to run, and any late request to show up.
    await v.page.waitForTimeout(300);
    expect(v.consoleErrors).toEqual([]);
    expect(v.pageErrors).toEqual([]);
    expect(v.dialogs).toEqual([]);
    expect(v.requests).toEqual([pathToFileURL(path.join(out, 'index.html')).href]);
  });

  it('forbids remote loads with a Content-Security-Policy and loads nothing itself', async () => {
    const csp = await v.page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/https?:/);
    expect(await v.page.locator('[src], link[rel=stylesheet], iframe, object, embed').count()).toBe(0);
  });

  it('says what the dataset is: title, version, licence, sources with dates, how to cite', async () => {
    const text = (await v.page.textContent('body'))!;
    expect(await v.page.textContent('h1')).toContain('China–UNESCO education cooperation');
    expect(text).toContain(`Version${packageJson.version}`);
    expect(text).toContain('CC-BY-4.0');
    expect(text).toContain('article texts remain under their publishers');
    // Seed 001 is dated 2023-11-14 with this headline (gold).
    const source = v.page.locator('#source-articles tr', { hasText: 'Minister of Education Huai Jinpeng Leads Delegation to UNESCO General Conference and France' });
    await expect.poll(() => source.count()).toBe(1);
    expect(await source.textContent()).toContain('2023-11-14');
    expect(await v.page.textContent('#sources')).toContain(`Version ${packageJson.version} [Data set]`);
  });

  it('every download link points to an existing file whose SHA-256 matches SHA256SUMS; every published file is listed', async () => {
    const links = await v.page.$$eval('#downloads-table a.download', (as) =>
      as.map((a) => ({ href: (a as HTMLAnchorElement).href, path: a.getAttribute('href')!, shown: a.getAttribute('data-sha256'), row: a.closest('tr')!.textContent! })),
    );
    const sums = checksums(out);
    expect(links.map((l) => l.path).sort()).toEqual(publishedFiles(out).sort());
    for (const link of links) {
      const file = fileURLToPath(link.href);
      expect(existsSync(file), link.path).toBe(true);
      const actual = sha256(file);
      if (link.path === 'SHA256SUMS') continue;
      expect(sums.get(link.path), link.path).toBe(actual);
      // The page cannot hold its own hash; every other row shows the file's.
      if (link.path === 'index.html') continue;
      expect(link.shown, link.path).toBe(actual);
      expect(link.row).toContain(actual);
    }
    // Row counts of the tables are those of the CSVs.
    const people = links.find((l) => l.path === 'csv/people.csv')!;
    expect(people.row).toContain(String(readCsv(out, 'people').length));
  });

  it('has a data dictionary for every table, from the schemas', async () => {
    for (const table of ['articles', 'people', 'interactions', 'interaction_participants', 'quotes']) {
      const dictionary = v.page.locator(`#table-${table} table.dictionary`);
      expect(await dictionary.count()).toBe(1);
    }
    expect(await v.page.textContent('#table-mentions table.dictionary')).toContain('Code-point offset in articles.text where the mention starts.');
  });

  it('the filter box narrows a table preview, and clearing it shows every row again', async () => {
    const rows = v.page.locator('#preview-people tbody tr');
    const visible = v.page.locator('#preview-people tbody tr:visible');
    const total = await rows.count();
    expect(total).toBe(readCsv(out, 'people').length);
    await v.page.fill('input.filter[data-target="preview-people"]', 'azoulay');
    await expect.poll(() => visible.count()).toBeLessThan(total);
    const shown = await visible.allTextContents();
    expect(shown.length).toBeGreaterThanOrEqual(1);
    for (const row of shown) expect(row.toLowerCase()).toContain('azoulay');
    expect(shown.some((r) => r.includes('Audrey Azoulay'))).toBe(true);
    expect(await v.page.textContent('#preview-people-count')).toBe(`${shown.length} of ${total} rows shown`);
    await v.page.fill('input.filter[data-target="preview-people"]', '');
    await expect.poll(() => visible.count()).toBe(total);
  });

  it('clicking a column name sorts the preview by it, again for the reverse order', async () => {
    const names = () => v.page.$$eval('#preview-people tbody tr', (trs) => trs.map((tr) => (tr as HTMLTableRowElement).cells[1]!.textContent!));
    const button = v.page.locator('#preview-people th button', { hasText: /^name$/ });
    await button.click();
    const ascending = await names();
    expect(ascending).toEqual([...ascending].sort((a, b) => a.localeCompare(b)));
    await button.click();
    expect(await names()).toEqual([...ascending].reverse());
  });

  it('draws the timeline and the network as SVG: visible, one edge per meeting', async () => {
    for (const selector of ['svg.timeline', 'svg.network']) {
      const box = await v.page.locator(selector).boundingBox();
      expect(box, selector).not.toBeNull();
      expect(box!.width).toBeGreaterThan(100);
      expect(box!.height).toBeGreaterThan(50);
    }
    const participants = readCsv(out, 'interaction_participants');
    const people = new Set(readCsv(out, 'people').map((p) => p['person_id']));
    const meetings = readCsv(out, 'interactions').filter((i) => participants.filter((p) => p['interaction_id'] === i['interaction_id'] && people.has(p['entity_id'])).length >= 2);
    // Every meeting of the seeds' gold has at least two named people.
    expect(meetings.length).toBeGreaterThanOrEqual(4);
    const edges = v.page.locator('svg.network g.edge');
    expect(await edges.count()).toBe(meetings.length);
    expect((await edges.evaluateAll((gs) => gs.map((g) => g.getAttribute('data-id')))).sort()).toEqual(meetings.map((m) => m['interaction_id']).sort());
    for (const box of await edges.evaluateAll((gs) => gs.map((g) => (g as SVGGraphicsElement).getBBox()).map((b) => ({ width: b.width, height: b.height })))) {
      expect(box.width + box.height).toBeGreaterThan(0);
    }
    expect(await v.page.locator('svg.network g.node').count()).toBe(new Set(meetings.flatMap((m) => participants.filter((p) => p['interaction_id'] === m['interaction_id'] && people.has(p['entity_id'])).map((p) => p['entity_id']))).size);
    // Gold: seed 000's meeting of 2023-07-02 and the 42nd UNESCO General Conference (2023-11-07/12) are on the timeline.
    const dates = await v.page.locator('svg.timeline g.tl-item').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-date')));
    expect(dates).toContain('2023-07-02');
    expect(dates).toContain('2023-11-07/2023-11-12');
  });

  it('hovering a meeting shows its date and evidence sentence', async () => {
    // Gold, seed 000: Chen Jining met Stefania Giannini on 2023-07-02.
    const edge = v.page.locator('svg.network g.edge[data-people="person-chen-jining person-stefania-giannini"]');
    expect(await edge.count()).toBe(1);
    // Move the mouse onto the middle of the drawn line, as a person would.
    await edge.scrollIntoViewIfNeeded();
    const point = await edge.locator('path.hit').evaluate((el) => {
      const line = el as SVGPathElement;
      const p = line.getPointAtLength(line.getTotalLength() / 2);
      const m = line.getScreenCTM()!;
      return { x: p.x * m.a + p.y * m.c + m.e, y: p.x * m.b + p.y * m.d + m.f };
    });
    await v.page.mouse.move(point.x, point.y);
    const detail = v.page.locator('#network ~ figure .detail');
    await expect.poll(() => detail.textContent()).toContain('2023-07-02');
    const text = (await detail.textContent())!;
    expect(text).toContain('Shanghai Party Secretary Chen Jining met with Stefania Giannini');
    // The native tooltip (<title>) says the same, for when scripts are off.
    expect(await edge.locator('title').textContent()).toContain('Shanghai Party Secretary Chen Jining met with Stefania Giannini');
  });

  it('describes the dataset as a schema.org Dataset for dataset search engines', async () => {
    const json = JSON.parse((await v.page.textContent('script[type="application/ld+json"]'))!);
    expect(json).toMatchObject({ '@context': 'https://schema.org/', '@type': 'Dataset', version: packageJson.version, license: 'https://creativecommons.org/licenses/by/4.0/' });
    for (const key of ['name', 'description', 'creator', 'temporalCoverage', 'spatialCoverage', 'keywords', 'distribution']) expect(json, key).toHaveProperty(key);
    expect(json.description.length).toBeGreaterThanOrEqual(50);
    // Gold: the seeds run from a 2014-06 conference to the 2024-01-30 World Digital Education Conference.
    expect(json.temporalCoverage).toMatch(/^2014-06-\d\d\/2024-\d\d-\d\d$/);
    expect(json.spatialCoverage.map((p: { name: string }) => p.name)).toContain('Shanghai');
    const sums = checksums(out);
    const downloads = json.distribution as Array<Record<string, string>>;
    expect(downloads.map((d) => d['name'])).toContain('csv/interactions.csv');
    for (const d of downloads) {
      expect(d['@type']).toBe('DataDownload');
      expect(d['contentUrl']).toMatch(/^https?:\/\/.+/);
      expect(d['encodingFormat']).toBeTruthy();
      if (d['name'] === 'SHA256SUMS') continue;
      expect(d['sha256'], d['name']).toBe(sums.get(d['name']!));
      expect(Number(d['contentSize'])).toBe(readFileSync(path.join(out, d['name']!)).length);
    }
  });

  it('shows the same version as datapackage.json and dataset.jsonld: the one in package.json', () => {
    const datapackage = JSON.parse(readFileSync(path.join(out, 'datapackage.json'), 'utf8'));
    const graph = JSON.parse(readFileSync(path.join(out, 'dataset.jsonld'), 'utf8'));
    expect(datapackage.version).toBe(packageJson.version);
    expect(graph['@graph'].find((node: { '@type': string }) => node['@type'] === 'Dataset').version).toBe(packageJson.version);
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).toContain(`<dt>Version</dt><dd>${packageJson.version}</dd>`);
  });
});

describe('an article whose headline is markup', () => {
  let out: string;
  let v: Visit;
  beforeAll(async () => {
    const raw = tempDir('page-evil-raw');
    copyFileSync(EVIL_FIXTURE, path.join(raw, 'evil.txt'));
    out = build(raw);
    v = await visit(out);
    await v.page.waitForTimeout(300);
  }, 120_000);
  afterAll(async () => {
    await v?.page.close();
  });

  it('renders the headline as text: no element injected, no script run, no dialog', async () => {
    expect(readCsv(out, 'articles')[0]!['title']).toBe(EVIL_HEADLINE);
    expect(v.dialogs).toEqual([]);
    expect(v.pageErrors).toEqual([]);
    expect(v.consoleErrors).toEqual([]);
    expect(await v.page.locator('img').count()).toBe(0);
    expect(await v.page.locator('script').count()).toBe(2);
    const cells = await v.page.locator('#source-articles td').allTextContents();
    expect(cells).toContain(EVIL_HEADLINE);
    // The quote holds a script element as text; it stays text too.
    expect(await v.page.textContent('#preview-quotes')).toContain('<script>alert(2)</script>');
    expect(await v.page.title()).toContain('China–UNESCO');
  });

  it('keeps the page working: the JSON-LD parses and the filter still narrows', async () => {
    const json = JSON.parse((await v.page.textContent('script[type="application/ld+json"]'))!);
    expect(json['@type']).toBe('Dataset');
    await v.page.fill('input.filter[data-target="preview-quotes"]', 'no such words anywhere');
    await expect.poll(() => v.page.locator('#preview-quotes tbody tr:visible').count()).toBe(0);
  });
});

describe('a build without the article texts (--no-texts)', () => {
  let full: string;
  let bare: string;
  beforeAll(() => {
    full = build(SEEDS);
    bare = build(SEEDS, '--no-texts');
  }, 120_000);

  it('publishes everything but articles.text: offsets and hashes stay, checksums verify', () => {
    expect(checksumFailures(bare)).toEqual([]);
    const articles = readCsv(bare, 'articles');
    expect(articles.length).toBe(4);
    for (const a of articles) expect(a['text']).toBe('');
    expect(articles.map((a) => a['source_sha256'])).toEqual(readCsv(full, 'articles').map((a) => a['source_sha256']));
    for (const table of ['mentions', 'roles', 'interactions', 'quotes']) {
      expect(readFileSync(path.join(bare, 'csv', `${table}.csv`), 'utf8'), table).toBe(readFileSync(path.join(full, 'csv', `${table}.csv`), 'utf8'));
    }
  });

  it('says so on the page and in the metadata, and the page quotes no evidence sentence', () => {
    const html = readFileSync(path.join(bare, 'index.html'), 'utf8');
    expect(html).toContain('id="texts-omitted"');
    // Seed 001's evidence of the meeting with Azoulay; only the texts hold it.
    expect(readFileSync(path.join(full, 'index.html'), 'utf8')).toContain('During the conference, Huai Jinpeng met with Azoulay');
    expect(html).not.toContain('During the conference, Huai Jinpeng met with Azoulay');
    const datapackage = JSON.parse(readFileSync(path.join(bare, 'datapackage.json'), 'utf8'));
    const text = datapackage.resources.find((r: { name: string }) => r.name === 'articles').schema.fields.find((f: { name: string }) => f.name === 'text');
    expect(text.constraints?.required).toBeUndefined();
    expect(text.description).toContain('not published');
    expect(readFileSync(path.join(bare, 'README.md'), 'utf8')).toContain('not published');
  });
});

// ---------------------------------------------------------------- units

describe('escaping', () => {
  it('escapeMarkup makes markup characters text, in content and in quoted attributes', () => {
    expect(escapeMarkup(EVIL_HEADLINE)).toBe('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeMarkup(`a "quoted" & 'single' <b>`)).toBe('a &quot;quoted&quot; &amp; &#39;single&#39; &lt;b&gt;');
    expect(escapeMarkup('Simona-Mirela Miculescu, 北京, café')).toBe('Simona-Mirela Miculescu, 北京, café');
  });

  it('jsonForScript cannot close its <script> element and parses back to the same value', () => {
    const value = { name: EVIL_HEADLINE, other: '<!-- & -->', line: 'a\u2028b' };
    const json = jsonForScript(value);
    expect(json).not.toMatch(/[<>&\u2028]/);
    expect(json).toContain('\\u003c/script\\u003e');
    expect(JSON.parse(json)).toEqual(value);
  });
});

/** A tiny dataset in which every string an article could supply is markup. */
function hostileTables(): Tables {
  const evil = (s: string) => `<img src=x onerror=alert('${s}')>"'&`;
  const text = `${evil('title')}\n\n${evil('sentence')} met in ${evil('place')}.`;
  return {
    articles: [{ article_id: 'article-0000000000000001', source_file: `${evil('file')}.txt`, source_sha256: 'a'.repeat(64), encoding: 'utf-8', repairs: 0, title: evil('title'), title_source: 'headline', date_published: '2024-03-04', word_count: 9, text }],
    entities: [
      { entity_id: 'person-a', entity_type: 'person', name: evil('a') },
      { entity_id: 'person-b', entity_type: 'person', name: `</script>${evil('b')}` },
      { entity_id: 'place-x', entity_type: 'place', name: evil('place') },
      { entity_id: 'event-e', entity_type: 'event', name: evil('event') },
    ],
    people: [
      { person_id: 'person-a', name: evil('a'), aliases: [evil('alias')], country_code: null },
      { person_id: 'person-b', name: `</script>${evil('b')}`, aliases: [], country_code: null },
    ],
    organizations: [],
    places: [{ place_id: 'place-x', name: evil('place'), aliases: [], kind: 'city', country_code: 'CN', latitude: 1, longitude: 2 }],
    events: [{ event_id: 'event-e', name: evil('event'), aliases: [], kind: evil('kind'), start_date: '2024-03', end_date: null, place_id: 'place-x' }],
    mentions: [],
    roles: [],
    interactions: [{ interaction_id: 'interaction-1', article_id: 'article-0000000000000001', kind: evil('kind'), cameo_code: '040', date: '2024-03-04', date_basis: 'stated', place_id: 'place-x', event_id: null, start: 0, end: Array.from(text).length }],
    interaction_participants: [
      { interaction_id: 'interaction-1', entity_id: 'person-a', role: 'participant' },
      { interaction_id: 'interaction-1', entity_id: 'person-b', role: 'participant' },
    ],
    quotes: [{ quote_id: 'quote-1', article_id: 'article-0000000000000001', speaker_id: 'person-a', text: evil('quote'), direct: true, start: 0, end: 3 }],
  } as Tables;
}

const fakeReport = (): Report =>
  ({ pipeline: { name: 'p', version: '9.9.9' }, summary: { inputs: 1, emitted: 1, rejected: 0, skipped: 0, repairs: 0, warnings: 0, errors: 0, rows: {} }, inputs: [], messages: [] }) as Report;

describe('renderPage with hostile strings everywhere', () => {
  const input = { data: pageDataOf(hostileTables()), report: fakeReport(), files: [{ path: 'csv/people.csv', bytes: 10, sha256: 'b'.repeat(64) }], version: '9.9.9' };
  const html = renderPage(input);

  it('emits no element or attribute from the data: only its own two scripts, no <img>', () => {
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/onerror=alert\([^)]*\)>/);
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toContain('&lt;img src=x onerror=alert(&#39;title&#39;)&gt;&quot;&#39;&amp;');
  });

  it('is deterministic: the same input gives the same bytes', () => {
    expect(renderPage(input)).toBe(html);
  });

  it('draws one network edge for the meeting and puts both hostile names in its tooltip as text', () => {
    const tables = hostileTables();
    const meetings = new MeetingDigest();
    meetings.add(tables.interactions[0]!, tables.interaction_participants, '<b>evidence</b>');
    const context = { tables: input.data, meetings };
    const network = networkSvg(context);
    expect(network.drawn).toBe(1);
    expect(network.svg.match(/<g class="edge/g)).toHaveLength(1);
    expect(network.svg).toContain('&lt;/script&gt;&lt;img');
    expect(network.svg).toContain('&lt;b&gt;evidence&lt;/b&gt;');
    const timeline = timelineSvg(context);
    expect(timeline.drawn).toBe(2);
  });
});

describe('the timeline of a large dataset', () => {
  it('counts meetings per month instead of drawing each, and counts every one', () => {
    const tables = hostileTables();
    const base = tables.interactions[0]!;
    // 90 meetings in 2023 (every month 7 or 8) and 30 in March 2024.
    const dates = [...Array.from({ length: 90 }, (_, k) => `2023-${String((k % 12) + 1).padStart(2, '0')}-10`), ...Array.from({ length: 30 }, () => '2024-03-05')];
    tables.interactions = dates.map((date, k) => ({ ...base, interaction_id: `interaction-${k}`, date }));
    const data = pageDataOf(tables);
    const timeline = timelineSvg({ tables: data, meetings: data.meetings });
    expect(timeline.mode).toBe('counts');
    const counts = [...timeline.svg.matchAll(/<title>(\d{4}(?:-\d{2})?): (\d+) meetings?, (\d+) events?<\/title>/g)].map((m) => [m[1], Number(m[2]), Number(m[3])]);
    expect(counts.reduce((sum, [, meetings]) => sum + (meetings as number), 0)).toBe(120);
    expect(counts).toContainEqual(['2024-03', 30, 1]);
    expect(counts).toContainEqual(['2023-01', 8, 0]);
  });
});

describe('the network of a large dataset', () => {
  /** The page of n meetings of the same two people, one a day from 2000-01-01. */
  function pageOfDailyMeetings(n: number): { html: string; drawn: string[] } {
    const tables = hostileTables();
    const base = tables.interactions[0]!;
    const day = (k: number) => new Date(Date.UTC(2000, 0, 1 + k)).toISOString().slice(0, 10);
    tables.interactions = Array.from({ length: n }, (_, k) => ({ ...base, interaction_id: `interaction-${String(k).padStart(5, '0')}`, date: day(k) }));
    tables.interaction_participants = tables.interactions.flatMap((i) => ['person-a', 'person-b'].map((entity_id) => ({ interaction_id: i.interaction_id, entity_id, role: 'participant' as const })));
    const html = renderPage({ data: pageDataOf(tables), report: fakeReport(), files: [], version: '9.9.9' });
    const drawn = [...html.matchAll(/<g class="edge[^"]*" tabindex="0" data-id="([^"]+)"/g)].map((m) => m[1]!);
    return { html, drawn };
  }

  it('draws the 400 most recent meetings and says why the others are not drawn', () => {
    const { html, drawn } = pageOfDailyMeetings(402);
    expect(drawn).toEqual(Array.from({ length: 400 }, (_, k) => `interaction-${String(k + 2).padStart(5, '0')}`));
    expect(html).toContain('2 meetings are not drawn: the network shows at most the 100 people with the most meetings and the 400 most recent meetings between them.');
  });

  it('says when it looked only at the most recent 5,000 meetings', () => {
    const { html, drawn } = pageOfDailyMeetings(5002);
    expect(drawn).toEqual(Array.from({ length: 400 }, (_, k) => `interaction-${String(k + 4602).padStart(5, '0')}`));
    expect(html).toContain(
      '4,602 meetings are not drawn: the network looks only at the 5,000 most recent meetings (undated ones count as the oldest) and shows at most the 100 people with the most of them and the 400 most recent meetings between those people.',
    );
  });
});

describe('dates on the time axis', () => {
  const iso = (edtf: string) => {
    const span = daySpanOf(edtf);
    return span && [new Date(span.start * 86_400_000).toISOString().slice(0, 10), new Date(span.end * 86_400_000).toISOString().slice(0, 10)];
  };
  it('places days, months, years and intervals; not dates without a year', () => {
    expect(iso('2023-07-02')).toEqual(['2023-07-02', '2023-07-02']);
    expect(iso('2014-06')).toEqual(['2014-06-01', '2014-06-30']);
    expect(iso('2024')).toEqual(['2024-01-01', '2024-12-31']);
    expect(iso('2023-11-07/2023-11-12')).toEqual(['2023-11-07', '2023-11-12']);
    expect(iso('XXXX-10-21')).toBeNull();
    expect(iso('')).toBeNull();
  });
});

// Keep the fixture honest: it must stay a file whose headline is the markup.
it('the hostile fixture starts with the markup headline', () => {
  expect(readFileSync(EVIL_FIXTURE, 'utf8').split('\n')[0]).toBe(EVIL_HEADLINE);
});

describe('ArticleListings (the sources list of a large build, gathered one article at a time)', () => {
  it('keeps the same newest articles, in the same order, as sorting every article; and the first and last dates', () => {
    const listing = (k: number) => ({
      article_id: `article-${String(k).padStart(16, '0')}`, source_file: `${k}.txt`, source_sha256: 'a'.repeat(64), encoding: 'utf-8' as const, repairs: 0,
      title: `T${k}`, title_source: 'headline' as const, date_published: k % 7 === 0 ? null : `20${10 + (k % 13)}-0${1 + (k % 9)}-1${k % 10}`, word_count: 5,
    });
    const all = Array.from({ length: 120 }, (_, k) => listing((k * 37) % 120));
    const listings = new ArticleListings();
    for (const l of all) listings.add(l);
    // Newest first, undated last, ties by ID: written out here independently of the page's comparator.
    const expected = [...all].sort((a, b) => (b.date_published ?? '0').localeCompare(a.date_published ?? '0') || a.article_id.localeCompare(b.article_id));
    expect(listings.newest.map((l) => l.article_id)).toEqual(expected.slice(0, 50).map((l) => l.article_id));
    const dates = all.map((l) => l.date_published).filter((d): d is string => d !== null).sort();
    expect([listings.firstPublished, listings.lastPublished]).toEqual([dates[0], dates.at(-1)]);
    expect(listings.count).toBe(120);
  });
});


describe('ArticleListings in chunks (state, fromState, absorb)', () => {
  // 11 dates (some twice, one none), so many articles share a date; listings k and k + 110 have the same ID and date
  // (the same article listed twice, with different titles): true ties, which add() keeps in the order they came.
  const DATES = ['2019', '2021-05', '2021-05-03', '2021-05-03', '2022-12-31', null, '2018-02-28', '2022-12-31', '2023-01-01', '2021-05', '2020-07-14'];
  const listing = (k: number): ArticleListing => ({
    article_id: `article-${String(k % 110).padStart(16, '0')}`, source_file: `${k}.txt`, source_sha256: 'b'.repeat(64), encoding: 'utf-8', repairs: 0,
    title: `Title ${k}`, title_source: 'headline', date_published: DATES[(k * 7) % DATES.length]!, word_count: k,
  });
  // 160 listings in a scrambled order (37 is prime to 160: each k comes once).
  const all = Array.from({ length: 160 }, (_, n) => listing((n * 37) % 160));

  function fold(listings: readonly ArticleListing[], into = new ArticleListings()): ArticleListings {
    for (const l of listings) into.add(l);
    return into;
  }

  const observe = (listings: ArticleListings) => {
    const { newest, count, firstPublished, lastPublished, span } = listings;
    return { newest: [...newest], count, firstPublished, lastPublished, span, state: plainInOrder(listings.state()) };
  };

  it.each(ROUND_TRIPS)('lists the same newest articles, count, dates and span as one pass, however the articles are cut into chunks (state through %s)', (_how, roundTrip) => {
    const whole = observe(fold(all));
    // The sequence is worth testing with: the list is full, and holds ties (the same ID and date twice).
    expect(whole.newest).toHaveLength(50);
    expect(new Set(whole.newest.map((l) => `${l.article_id} ${l.date_published}`)).size).toBeLessThan(45);
    for (const cuts of cutSets(all.length)) {
      const [first, ...rest] = split(all, cuts).map((chunk) => ArticleListings.fromState(roundTrip(fold(chunk).state())));
      for (const later of rest) first!.absorb(later);
      expect(observe(first!), `cut at ${cuts.join(',')}`).toEqual(whole);
    }
  });

  it('keeps accepting articles after fromState and absorb', () => {
    const [a, b, c, d] = split(all, [30, 75, 90]) as [ArticleListing[], ArticleListing[], ArticleListing[], ArticleListing[]];
    const listings = ArticleListings.fromState(v8.deserialize(v8.serialize(fold(a).state())) as ArticleListingsState);
    fold(b, listings);
    listings.absorb(ArticleListings.fromState(structuredClone(fold(c).state())));
    fold(d, listings);
    expect(observe(listings)).toEqual(observe(fold(all)));
  });

  it('combines listings with no dated article, and leaves the absorbed ones as they were', () => {
    const undated = all.filter((l) => l.date_published === null);
    const earlier = fold(undated.slice(0, 5));
    const later = fold(all.slice(0, 60));
    const before = observe(later);
    const state = earlier.state();
    const snapshot = plainInOrder(state);
    earlier.absorb(later);
    expect(observe(earlier)).toEqual(observe(fold([...undated.slice(0, 5), ...all.slice(0, 60)])));
    // Going on with the combined listings does not change the absorbed ones.
    fold(all.slice(60), earlier);
    expect(observe(later)).toEqual(before);
    expect(plainInOrder(state)).toEqual(snapshot);
    const empty = new ArticleListings();
    empty.absorb(fold(undated));
    expect(observe(empty)).toEqual(observe(fold(undated)));
    expect([empty.firstPublished, empty.span]).toEqual([null, null]);
  });
});
