// out/index.html: the dataset's landing page. One self-contained file (inline
// CSS and script, pictures drawn at build time as SVG, no network request)
// that says what the dataset is, lists every published file with its
// SHA-256, documents every table, previews every table and describes the
// dataset for dataset search engines (schema.org JSON-LD).
//
// Pure: the same page data, report, file list and version give the same bytes.
// The page never needs whole article tables (a corpus of 100k articles has
// millions of mentions): PageData carries counts, previews, the entity
// tables and what the pictures need of the meetings (a MeetingDigest, of
// bounded size), which the streaming build collects as it goes.
// Every string that comes from an article (titles, names, evidence) is
// escaped with escapeMarkup; JSON inside <script> with jsonForScript. The
// Content-Security-Policy allows only this page's own script and style
// (by hash), so even a mistake in escaping could not load or run anything.
import { createHash } from 'node:crypto';
import type { Report } from '../build.js';
import type { Tables } from '../merge.js';
import type { ArticlesRecord } from '../records.generated.js';
import { TABLES, TABLE_NAMES, dataset, type Column, type TableName } from '../schema.js';
import { cellValue } from './csv.js';
import type { PublishedFile } from './datapackage.js';
import { mediaType } from './jsonld.js';
import { MeetingDigest } from './meetings.js';
import { NETWORK_EDGE_CAP, NETWORK_NODE_CAP, daySpanOf, escapeMarkup, isoOfDay, networkKinds, networkSvg, timelineSvg, type DaySpan, type PictureContext, type PictureTables } from './svg.js';

export { escapeMarkup } from './svg.js';

export const PAGE_PATH = 'index.html';
export const CHECKSUMS_PATH = 'SHA256SUMS';
/** Rows shown per table: enough to look at, light enough for 100k articles. */
export const PREVIEW_ROWS = 50;
/** Longer cells (article texts) are cut in the preview; the CSV has them whole. */
const PREVIEW_CELL_CHARS = 160;
const SOURCE_ARTICLES_LISTED = 50;
const SPATIAL_COVERAGE_CAP = 50;

/** An article as the page lists it: everything but the text. */
export type ArticleListing = Omit<ArticlesRecord, 'text'>;

/** What the page shows of the data. */
export interface PageData extends PictureTables {
  /** Rows per table. */
  counts: Record<TableName, number>;
  /** The first PREVIEW_ROWS rows of each table, as in the CSV. */
  previews: Tables;
  /** What is shown of the articles: the newest, and the dates' range. */
  articles: ArticleListings;
  places: Tables['places'];
  /** Mentions per place ID. */
  placeMentions: ReadonlyMap<string, number>;
  /** What the pictures and the temporal coverage need of the meetings. */
  meetings: MeetingDigest;
}

/** Newest first; undated articles last; then by ID. */
function pageOrder(a: ArticleListing, b: ArticleListing): number {
  const da = a.date_published ?? '';
  const db = b.date_published ?? '';
  return da === db ? (a.article_id < b.article_id ? -1 : 1) : da === '' ? 1 : db === '' ? -1 : da < db ? 1 : -1;
}

/** ArticleListings' whole state as plain data (it survives structuredClone and v8.serialize). */
export interface ArticleListingsState {
  newest: ArticleListing[];
  count: number;
  firstPublished: string | null;
  lastPublished: string | null;
  span: DaySpan | null;
}

/** The days both spans cover, and those between. */
function spanOfBoth(a: DaySpan | null, b: DaySpan | null): DaySpan | null {
  if (!a || !b) return a ?? b;
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/**
 * The articles as the page shows them, gathered one at a time so that a
 * build never holds every article: the newest few (the sources list), the
 * first and last publication dates, and the days they cover.
 */
export class ArticleListings {
  /** In page order, at most SOURCE_ARTICLES_LISTED. */
  readonly newest: ArticleListing[] = [];
  count = 0;
  firstPublished: string | null = null;
  lastPublished: string | null = null;
  /** Days covered by the publication dates (for the temporal coverage). */
  span: DaySpan | null = null;

  add(listing: ArticleListing): void {
    this.count++;
    const date = listing.date_published;
    if (date) {
      if (this.firstPublished === null || date < this.firstPublished) this.firstPublished = date;
      if (this.lastPublished === null || date > this.lastPublished) this.lastPublished = date;
      const span = daySpanOf(date);
      if (span) this.span = this.span ? { start: Math.min(this.span.start, span.start), end: Math.max(this.span.end, span.end) } : span;
    }
    const list = this.newest;
    if (list.length === SOURCE_ARTICLES_LISTED && pageOrder(listing, list[list.length - 1]!) > 0) return;
    let at = list.length;
    while (at > 0 && pageOrder(listing, list[at - 1]!) < 0) at--;
    list.splice(at, 0, listing);
    if (list.length > SOURCE_ARTICLES_LISTED) list.pop();
  }

  /** A copy: adding to these listings later does not change it. */
  state(): ArticleListingsState {
    const { count, firstPublished, lastPublished, span } = this;
    return { newest: [...this.newest], count, firstPublished, lastPublished, span: span && { ...span } };
  }

  /** Listings that behave as those whose state() this was; it copies the state, so the state can be used again. */
  static fromState(state: ArticleListingsState): ArticleListings {
    const listings = new ArticleListings();
    listings.newest.push(...state.newest);
    listings.count = state.count;
    listings.firstPublished = state.firstPublished;
    listings.lastPublished = state.lastPublished;
    listings.span = state.span && { ...state.span };
    return listings;
  }

  /** Folds in the listings of the articles that come after this one's: the same as adding them here, one by one. `later` is left as it was. */
  absorb(later: ArticleListings): void {
    if (later === this) throw new Error('ArticleListings.absorb: listings cannot absorb themselves');
    this.count += later.count;
    if (later.firstPublished !== null && (this.firstPublished === null || later.firstPublished < this.firstPublished)) this.firstPublished = later.firstPublished;
    if (later.lastPublished !== null && (this.lastPublished === null || later.lastPublished > this.lastPublished)) this.lastPublished = later.lastPublished;
    this.span = spanOfBoth(this.span, later.span);
    // The newest of all are among the newest of each. add() puts a listing after those it ties with,
    // so on a tie this one's (earlier) listing goes first.
    const earlier = this.newest.splice(0);
    const after = later.newest;
    let i = 0;
    let j = 0;
    while (this.newest.length < SOURCE_ARTICLES_LISTED && (i < earlier.length || j < after.length)) {
      const laterFirst = i === earlier.length || (j < after.length && pageOrder(after[j]!, earlier[i]!) < 0);
      this.newest.push(laterFirst ? after[j++]! : earlier[i++]!);
    }
  }
}

/** Page data of tables held in memory (small builds, tests). */
export function pageDataOf(tables: Tables, textsOmitted = false): PageData {
  const counts = Object.fromEntries(TABLE_NAMES.map((t) => [t, tables[t].length])) as Record<TableName, number>;
  const previews = Object.fromEntries(TABLE_NAMES.map((t) => [t, tables[t].slice(0, PREVIEW_ROWS)])) as unknown as Tables;
  const placeMentions = new Map<string, number>();
  for (const m of tables.mentions) if (m.entity_type === 'place') placeMentions.set(m.entity_id, (placeMentions.get(m.entity_id) ?? 0) + 1);
  const textOf = new Map(tables.articles.map((a) => [a.article_id, a.text]));
  const participantsOf = new Map<string, Tables['interaction_participants']>();
  for (const p of tables.interaction_participants) {
    const list = participantsOf.get(p.interaction_id);
    if (list) list.push(p);
    else participantsOf.set(p.interaction_id, [p]);
  }
  const meetings = new MeetingDigest();
  for (const i of tables.interactions) {
    meetings.add(i, participantsOf.get(i.interaction_id) ?? [], textsOmitted ? null : evidenceSentence(textOf.get(i.article_id), i.start, i.end));
  }
  return {
    counts,
    previews,
    articles: listingsOf(tables.articles),
    entities: tables.entities,
    people: tables.people,
    places: tables.places,
    events: tables.events,
    placeMentions,
    meetings,
  };
}

function listingsOf(articles: Tables['articles']): ArticleListings {
  const listings = new ArticleListings();
  for (const { text: _text, ...listing } of articles) listings.add(listing);
  return listings;
}

/** The evidence sentence `text[start:end]` (code points) on one line, or null. */
export function evidenceSentence(text: string | undefined, start: number, end: number): string | null {
  if (!text) return null;
  // Offsets count code points; without astral characters they are UTF-16 indexes too.
  const sentence = /[\uD800-\uDFFF]/.test(text) ? Array.from(text).slice(start, end).join('') : text.slice(start, end);
  // The sentence may span a line break in the text.
  return sentence.replace(/\s+/g, ' ').trim() || null;
}

export interface PageInput {
  data: PageData;
  report: Pick<Report, 'pipeline' | 'summary'>;
  /** Every published file with its size and SHA-256, except this page and SHA256SUMS (neither can be hashed before the page exists). */
  files: readonly PublishedFile[];
  version: string;
  /** The build publishes everything but the article texts (`--no-texts`). */
  textsOmitted?: boolean;
}

/**
 * JSON for a `<script>` element: `<`, `>` and `&` become \u escapes, so no
 * string in the data can close the element or open a comment; U+2028/2029
 * too, for old JavaScript parsers. JSON.parse gives back the same value.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value, null, 2)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Schema descriptions use Markdown code spans; they become <code> after escaping. */
function describedText(markdown: string): string {
  return escapeMarkup(markdown).replace(/`([^`]+)`/g, '<code>$1</code>');
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

function fileMediaType(path: string): string {
  return path.endsWith('.html') ? 'text/html' : mediaType(path);
}

/** One line per published file that is not a table. */
const FILE_DESCRIPTIONS: Record<string, string> = {
  'datapackage.json': 'Frictionless Data Package: fields, types, primary and foreign keys, licence, checksums',
  'csv-metadata.json': 'W3C CSV on the Web metadata for the same tables',
  'dataset.jsonld': 'The whole dataset as one schema.org JSON-LD graph (inline @context, works offline)',
  'README.md': 'The data dictionary: every table and column, generated from the schemas',
  'report.json': 'Build report: every input file, emitted or rejected with the reason; every repair and warning',
  [PAGE_PATH]: 'This page',
  [CHECKSUMS_PATH]: '`sha256sum -c SHA256SUMS` checks every other file',
};

function tableOfPath(path: string): TableName | undefined {
  const m = /^csv\/(.+)\.csv$/.exec(path);
  return m && (TABLE_NAMES as readonly string[]).includes(m[1]!) ? (m[1] as TableName) : undefined;
}

function describeFile(path: string): string {
  const table = tableOfPath(path);
  if (table) return TABLES[table].description;
  return FILE_DESCRIPTIONS[path] ?? `${fileMediaType(path)} file`;
}

function columnType(c: Column): string {
  let type = c.format === 'date' ? 'date' : c.baseType === 'array' ? `list (${c.separator})` : c.baseType;
  if (c.enum) type += `: ${c.enum.join(', ')}`;
  return type;
}

// ---------------------------------------------------------------- coverage

/** Earliest and latest day any meeting, event or article is dated; null when nothing has a full year. */
function temporalCoverage(tables: PageData): string | null {
  let first = Infinity;
  let last = -Infinity;
  const spans = tables.events.flatMap((e) => [e.start_date, e.end_date]).map(daySpanOf);
  spans.push(tables.meetings.span, tables.articles.span);
  for (const span of spans) {
    if (!span) continue;
    first = Math.min(first, span.start);
    last = Math.max(last, span.end);
  }
  if (first === Infinity) return null;
  return first === last ? isoOfDay(first) : `${isoOfDay(first)}/${isoOfDay(last)}`;
}

/** The places most mentioned, with coordinates where the gazetteer has them. */
function spatialCoverage(tables: PageData): Array<Record<string, unknown>> {
  const mentions = tables.placeMentions;
  return [...tables.places]
    .sort((a, b) => (mentions.get(b.place_id) ?? 0) - (mentions.get(a.place_id) ?? 0) || (a.place_id < b.place_id ? -1 : 1))
    .slice(0, SPATIAL_COVERAGE_CAP)
    .map((p) => {
      const place: Record<string, unknown> = { '@type': 'Place', name: p.name };
      if (p.latitude !== null && p.longitude !== null) place['geo'] = { '@type': 'GeoCoordinates', latitude: p.latitude, longitude: p.longitude };
      return place;
    });
}

// ---------------------------------------------------------------- schema.org

const absoluteUrl = (path: string) => `${dataset.base_iri}${path}`;

export function pageJsonLd(input: PageInput): Record<string, unknown> {
  const { data: tables, files, version } = input;
  const node: Record<string, unknown> = {
    '@context': 'https://schema.org/',
    '@type': 'Dataset',
    '@id': absoluteUrl('dataset'),
    name: dataset.title,
    description: input.textsOmitted ? `${dataset.description} This edition omits the article texts.` : dataset.description,
    url: dataset.base_iri,
    version,
    license: dataset.licenses[0]!.path,
    isAccessibleForFree: true,
    keywords: dataset.keywords,
    creator: { '@type': 'Organization', name: dataset.creator },
  };
  const temporal = temporalCoverage(tables);
  if (temporal) node['temporalCoverage'] = temporal;
  const spatial = spatialCoverage(tables);
  if (spatial.length > 0) node['spatialCoverage'] = spatial;
  node['distribution'] = [
    ...files.map((f) => ({
      '@type': 'DataDownload',
      name: f.path,
      description: describeFile(f.path).replace(/`/g, ''),
      contentUrl: absoluteUrl(f.path),
      encodingFormat: fileMediaType(f.path),
      contentSize: String(f.bytes),
      sha256: f.sha256,
    })),
    { '@type': 'DataDownload', name: CHECKSUMS_PATH, description: describeFile(CHECKSUMS_PATH).replace(/`/g, ''), contentUrl: absoluteUrl(CHECKSUMS_PATH), encodingFormat: 'text/plain' },
  ];
  return node;
}

// ---------------------------------------------------------------- static parts

const STYLE = `
:root{--ink:#1d2330;--muted:#5b6475;--line:#d9dde5;--bg:#fff;--soft:#f4f6f9;--accent:#0b5cad;--event:#b35c00}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header,main,footer{max-width:1100px;margin:0 auto;padding:0 20px}
header{padding-top:28px}
h1{font-size:1.7em;line-height:1.25;margin:0 0 .4em}
h2{margin-top:2em;border-bottom:2px solid var(--line);padding-bottom:.2em}
h3{margin-top:1.6em}
a{color:var(--accent)}
code,pre,.hash{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em}
pre{background:var(--soft);padding:10px 12px;overflow-x:auto;white-space:pre-wrap}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:1em 0}
.facts dt{color:var(--muted)}.facts dd{margin:0}
nav ul{display:flex;flex-wrap:wrap;gap:4px 18px;padding:0;list-style:none}
.notice{background:#fff6e0;border-left:4px solid var(--event);padding:8px 12px}
table{border-collapse:collapse;width:100%;margin:.5em 0}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--soft)}
td.num,th.num{text-align:right;white-space:nowrap}
.scroll table.preview{width:max-content;min-width:100%}
.preview td{white-space:nowrap}
.preview td .long{width:26em;white-space:normal}
.hash{word-break:break-all;font-size:.78em;color:var(--muted)}
#downloads-table .hash{white-space:nowrap;word-break:normal;font-size:.75em}
.wide{overflow-x:auto}
.scroll{overflow-x:auto;max-height:520px;overflow-y:auto;border:1px solid var(--line)}
.scroll table{margin:0;font-size:.88em}
.scroll th{position:sticky;top:0}
th button.sort{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit}
th[aria-sort=ascending] button.sort::after{content:" \\25B2"}
th[aria-sort=descending] button.sort::after{content:" \\25BC"}
.filter-row{display:flex;gap:12px;align-items:center;margin:.5em 0}
input.filter{font:inherit;padding:4px 8px;min-width:260px}
.count{color:var(--muted)}
figure.picture{margin:1em 0}
figure.picture .canvas{overflow-x:auto;border:1px solid var(--line)}
figure.picture svg{display:block;max-width:100%;height:auto;font-size:11px}
figcaption,.detail{color:var(--muted)}
.detail{white-space:pre-line;min-height:4.5em;background:var(--soft);padding:6px 10px;margin-top:6px}
.tick{fill:var(--muted)}
.tl-item{cursor:pointer}
.tl-meeting circle,.tl-meeting rect{fill:var(--accent)}
.tl-event rect{fill:var(--event)}
.tl-item text{fill:var(--ink)}
.tl-bin{cursor:pointer}.bar-meeting{fill:var(--accent)}.bar-event{fill:var(--event)}
.tl-bin.active rect,.tl-bin:focus rect,.tl-bin:hover rect{fill-opacity:.7}
.tl-item.active text,.tl-item:focus text{font-weight:700}
.edge{cursor:pointer}
.edge .line{fill:none;stroke:var(--accent);stroke-width:2;stroke-opacity:.65}
.edge .hit{fill:none;stroke:transparent;stroke-width:12}
.edge .hub{fill:var(--accent)}
.edge.kind-1 .line{stroke:#2a8a3e}.edge.kind-1 .hub{fill:#2a8a3e}
.edge.kind-2 .line{stroke:#b35c00}.edge.kind-2 .hub{fill:#b35c00}
.edge.kind-3 .line{stroke:#8a2aa8}.edge.kind-3 .hub{fill:#8a2aa8}
.edge.kind-4 .line{stroke:#b0263c}.edge.kind-4 .hub{fill:#b0263c}
.edge.active .line,.edge:focus .line,.edge:hover .line{stroke-width:4;stroke-opacity:1}
.node circle{fill:#fff;stroke:var(--ink);stroke-width:1.5}
.node text{fill:var(--ink)}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;padding:0;list-style:none;color:var(--muted)}
.swatch{display:inline-block;width:18px;height:4px;vertical-align:middle;margin-right:4px;background:var(--accent)}
.swatch.kind-1{background:#2a8a3e}.swatch.kind-2{background:#b35c00}.swatch.kind-3{background:#8a2aa8}.swatch.kind-4{background:#b0263c}
.swatch.event{background:var(--event);height:10px;width:10px}
footer{margin-top:3em;padding-bottom:3em;color:var(--muted);border-top:1px solid var(--line)}
`;

// Works on the server-rendered markup, so the page reads fine without it.
const SCRIPT = `
(() => {
  'use strict';
  for (const box of document.querySelectorAll('input.filter')) {
    const table = document.getElementById(box.dataset.target);
    const count = document.getElementById(box.dataset.target + '-count');
    const rows = Array.from(table.tBodies[0].rows);
    box.addEventListener('input', () => {
      const query = box.value.trim().toLowerCase();
      let shown = 0;
      for (const row of rows) {
        const hit = query === '' || row.textContent.toLowerCase().includes(query);
        row.hidden = !hit;
        if (hit) shown++;
      }
      count.textContent = shown + ' of ' + rows.length + ' rows shown';
    });
  }
  for (const button of document.querySelectorAll('th button.sort')) {
    button.addEventListener('click', () => {
      const th = button.closest('th');
      const body = th.closest('table').tBodies[0];
      const index = Array.from(th.parentNode.children).indexOf(th);
      const ascending = th.getAttribute('aria-sort') !== 'ascending';
      for (const other of th.parentNode.children) other.removeAttribute('aria-sort');
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      const numeric = th.dataset.type === 'number';
      const key = (row) => row.cells[index].textContent;
      const compare = (a, b) => {
        if (!numeric) return a.localeCompare(b);
        if (a === '' || b === '') return (a === '') - (b === '');
        return Number(a) - Number(b);
      };
      const rows = Array.from(body.rows).sort((a, b) => (ascending ? 1 : -1) * compare(key(a), key(b)));
      body.append(...rows);
    });
  }
  // Hover or focus a meeting or event: its date, people and evidence sentence show below the picture.
  for (const figure of document.querySelectorAll('figure.picture')) {
    const detail = figure.querySelector('.detail');
    const show = (event) => {
      const item = event.target.closest && event.target.closest('.edge, .tl-item, .tl-bin');
      if (!item) return;
      for (const active of figure.querySelectorAll('.active')) active.classList.remove('active');
      item.classList.add('active');
      detail.textContent = item.querySelector('title').textContent;
    };
    figure.addEventListener('mouseover', show);
    figure.addEventListener('focusin', show);
  }
})();
`;

const cspHash = (source: string) => `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;

/** Only this page's own style and script run; nothing is fetched (the data: icon stops the favicon request). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src ${cspHash(SCRIPT)}`,
  `style-src ${cspHash(STYLE)}`,
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

// ---------------------------------------------------------------- sections

function aboutSection(input: PageInput): string {
  const { data: tables, report, version } = input;
  const licence = dataset.licenses[0]!;
  const temporal = temporalCoverage(tables);
  const rows = (t: TableName) => thousands(tables.counts[t]);
  const { firstPublished: first, lastPublished: last } = tables.articles;
  const published = first === null || last === null ? '' : first === last ? first : `${first} to ${last}`;
  const facts: Array<[string, string]> = [
    ['Version', escapeMarkup(version)],
    ['Licence', `<a href="${escapeMarkup(licence.path)}">${escapeMarkup(licence.name)}</a>: ${escapeMarkup(licence.title)}`],
    ['Contents', `${rows('articles')} articles · ${rows('people')} people · ${rows('organizations')} organizations · ${rows('places')} places · ${rows('events')} events · ${rows('interactions')} meetings · ${rows('quotes')} quotes`],
    ['Period covered', temporal ? escapeMarkup(temporal) : 'no dated facts'],
    ['Sources', `${rows('articles')} English news articles${published ? `, published ${escapeMarkup(published)}` : ''} (<a href="#sources">list with dates</a>, <a href="#cite">how to cite</a>)`],
    ['Built from', `${thousands(report.summary.inputs)} input files: ${thousands(report.summary.emitted)} published, ${thousands(report.summary.rejected)} rejected, ${thousands(report.summary.skipped)} skipped (each listed with the reason in <a href="report.json">report.json</a>)`],
    ['Creator', escapeMarkup(dataset.creator)],
  ];
  const parts = [
    `<h1>${escapeMarkup(dataset.title)}</h1>`,
    `<p>${escapeMarkup(dataset.description)}</p>`,
    `<dl class="facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`,
  ];
  if (input.textsOmitted) {
    parts.push(
      '<p class="notice" id="texts-omitted">This edition publishes everything but the article texts: <code>articles.text</code> is empty because the publishers’ terms do not allow redistribution. Offsets and <code>source_sha256</code> still refer to the original articles, so anyone holding them can recover every evidence span.</p>',
    );
  }
  return parts.join('\n');
}

function sourcesSection(input: PageInput): string {
  const { data: tables } = input;
  const listed = tables.articles.newest;
  const rows = listed
    .map((a) => `<tr><td>${escapeMarkup(a.date_published ?? 'not stated')}</td><td>${escapeMarkup(a.title)}</td><td><code>${escapeMarkup(a.source_file)}</code></td><td class="hash">${escapeMarkup(a.source_sha256)}</td></tr>`)
    .join('\n');
  const more = tables.articles.count > listed.length ? `<p>${thousands(tables.articles.count - listed.length)} more in <a href="csv/articles.csv">articles.csv</a>.</p>` : '';
  const licence = dataset.licenses[0]!;
  const citation = `${dataset.creator}. ${dataset.title}. Version ${input.version} [Data set]. ${dataset.base_iri}`;
  const bibtex = [
    `@misc{${dataset.name},`,
    `  author  = {{${dataset.creator}}},`,
    `  title   = {${dataset.title}},`,
    `  version = {${input.version}},`,
    `  url     = {${dataset.base_iri}},`,
    `  note    = {Data licensed ${licence.name}}`,
    '}',
  ].join('\n');
  return [
    '<section id="sources"><h2>Sources</h2>',
    dataset.sources.map((s) => `<p>${escapeMarkup(s.title)}.</p>`).join('\n'),
    `<p>Articles by publication date (newest first). The article texts remain under their publishers’ terms; the extracted data is ${escapeMarkup(licence.name)}.</p>`,
    `<div class="scroll"><table id="source-articles"><thead><tr><th>date published</th><th>title</th><th>file</th><th>SHA-256 of the raw file</th></tr></thead><tbody>\n${rows}\n</tbody></table></div>`,
    more,
    '<h3 id="cite">How to cite</h3>',
    `<pre>${escapeMarkup(citation)}</pre>`,
    `<pre>${escapeMarkup(bibtex)}</pre>`,
    '</section>',
  ].join('\n');
}

function downloadsSection(input: PageInput): string {
  const { data: tables, files } = input;
  const row = (path: string, bytes: number | null, sha256: string | null) => {
    const table = tableOfPath(path);
    const rowsCell = table ? thousands(tables.counts[table]) : '';
    const size = bytes === null ? '' : `<span title="${bytes} bytes">${formatBytes(bytes)}</span>`;
    const hash = sha256 ?? (path === PAGE_PATH ? 'listed in SHA256SUMS (a page cannot contain its own hash)' : 'not applicable (it holds the hashes of all the others)');
    // The hash goes under the description: one line of 64 digits, easy to compare with SHA256SUMS.
    return `<tr><td><a class="download" href="${escapeMarkup(path)}"${sha256 ? ` data-sha256="${sha256}"` : ''}${bytes === null ? '' : ` data-bytes="${bytes}"`}>${escapeMarkup(path)}</a></td><td class="num">${size}</td><td class="num">${rowsCell}</td><td>${describedText(describeFile(path))}<div class="hash">SHA-256: ${escapeMarkup(hash)}</div></td></tr>`;
  };
  const sorted = [...files].sort((a, b) => {
    // Tables first in the order of the contract, then the metadata files.
    const ta = tableOfPath(a.path);
    const tb = tableOfPath(b.path);
    if (ta && tb) return TABLE_NAMES.indexOf(ta) - TABLE_NAMES.indexOf(tb);
    if (ta || tb) return ta ? -1 : 1;
    return a.path < b.path ? -1 : 1;
  });
  return [
    '<section id="downloads"><h2>Downloads</h2>',
    '<p>Every published file, with its SHA-256. After downloading the folder, <code>sha256sum -c SHA256SUMS</code> checks them all. CSVs are UTF-8 without BOM, RFC 4180, with a header row; an empty cell means “not stated”; list cells are <code>;</code>-separated; <code>start</code>/<code>end</code> count Unicode code points in <code>articles.text</code>.</p>',
    '<div class="wide"><table id="downloads-table"><thead><tr><th>file</th><th class="num">size</th><th class="num">rows</th><th>what, and SHA-256</th></tr></thead><tbody>',
    ...sorted.map((f) => row(f.path, f.bytes, f.sha256)),
    row(PAGE_PATH, null, null),
    row(CHECKSUMS_PATH, null, null),
    '</tbody></table></div>',
    '</section>',
  ].join('\n');
}

function picturesSection(input: PageInput): string {
  const { data: tables } = input;
  const context: PictureContext = { tables, meetings: tables.meetings };
  const timeline = timelineSvg(context);
  const network = networkSvg(context);
  const notes = (picture: { capped: number; undrawable: number }, cappedText: string, undrawableText: string) =>
    [picture.capped > 0 ? `${thousands(picture.capped)} ${cappedText}` : '', picture.undrawable > 0 ? `${thousands(picture.undrawable)} ${undrawableText}` : ''].filter(Boolean).join(' ');
  const evidenceNote = input.textsOmitted ? 'the evidence offsets (the texts are not published in this edition)' : 'the evidence sentence';
  const kinds = networkKinds(tables.meetings);
  // The window is mentioned only when it left meetings out: otherwise the network chose among every meeting.
  const networkRule =
    tables.meetings.betweenPeople > tables.meetings.recentCap
      ? `the network looks only at the ${thousands(tables.meetings.recentCap)} most recent meetings (undated ones count as the oldest) and shows at most the ${NETWORK_NODE_CAP} people with the most of them and the ${NETWORK_EDGE_CAP} most recent meetings between those people.`
      : `the network shows at most the ${NETWORK_NODE_CAP} people with the most meetings and the ${NETWORK_EDGE_CAP} most recent meetings between them.`;
  const parts = ['<section id="pictures"><h2>At a glance</h2>', '<h3 id="timeline">Timeline of meetings and events</h3>'];
  if (timeline.svg) {
    parts.push(
      '<figure class="picture">',
      '<ul class="legend"><li><span class="swatch"></span>meeting, talks, visit…</li><li><span class="swatch event"></span>named event (conference, ceremony)</li></ul>',
      `<div class="canvas">${timeline.svg}</div>`,
      timeline.mode === 'counts'
        ? '<div class="detail" aria-live="polite">Hover over or focus (Tab) a bar to see how many meetings and events it counts.</div>'
        : `<div class="detail" aria-live="polite">Hover over or focus (Tab) a meeting or event to see its date, the people and ${evidenceNote}.</div>`,
      `<figcaption>${thousands(timeline.drawn)} meetings and events by date${timeline.mode === 'counts' ? ', counted per month or year' : ''}. ${escapeMarkup(notes(timeline, 'are not drawn.', 'have no stated year (e.g. XXXX-10-21) and cannot be placed; they are in the CSVs.'))}</figcaption>`,
      '</figure>',
    );
  } else {
    parts.push('<p>No meeting or event has a date with a stated year yet.</p>');
  }
  parts.push('<h3 id="network">Who met whom</h3>');
  if (network.svg) {
    parts.push(
      '<figure class="picture">',
      `<ul class="legend">${kinds.map((k, i) => `<li><span class="swatch kind-${i}"></span>${escapeMarkup(k)}</li>`).join('')}</ul>`,
      `<div class="canvas">${network.svg}</div>`,
      `<div class="detail" aria-live="polite">Hover over or focus (Tab) a line to see the meeting’s date, the people and ${evidenceNote}. A meeting of three or more people is drawn as spokes from a dot.</div>`,
      `<figcaption>People as circles, one line (or group of spokes) per meeting. ${escapeMarkup(notes(network, `meetings are not drawn: ${networkRule}`, 'meetings have fewer than two named people and are not drawn.'))}</figcaption>`,
      '</figure>',
    );
  } else {
    parts.push('<p>No meeting between two named people yet.</p>');
  }
  parts.push('</section>');
  return parts.join('\n');
}

function previewCell(column: Column, value: unknown): string {
  const text = cellValue(column, value);
  const chars = Array.from(text);
  const shown = chars.length > PREVIEW_CELL_CHARS ? `${chars.slice(0, PREVIEW_CELL_CHARS - 1).join('')}…` : text;
  const numeric = column.baseType === 'integer' || column.baseType === 'number';
  // Long cells wrap in a column of fixed width; short ones stay on one line.
  const content = chars.length > 40 && /\s/.test(shown) ? `<div class="long">${escapeMarkup(shown)}</div>` : escapeMarkup(shown);
  return `<td${numeric ? ' class="num"' : ''}>${content}</td>`;
}

function tableSection(name: TableName, input: PageInput): string {
  const table = TABLES[name];
  const preview = input.data.previews[name].slice(0, PREVIEW_ROWS) as unknown as Array<Record<string, unknown>>;
  const total = input.data.counts[name];
  const keys = [`Primary key: ${table.primaryKey.map((k) => `<code>${escapeMarkup(k)}</code>`).join(', ')}.`];
  for (const fk of table.foreignKeys) {
    keys.push(`Foreign key: <code>${escapeMarkup(fk.fields.join(', '))}</code> → <a href="#table-${escapeMarkup(fk.reference.resource)}"><code>${escapeMarkup(`${fk.reference.resource}.${fk.reference.fields.join(', ')}`)}</code></a>.`);
  }
  const dictionary = table.columns
    .map((c) => `<tr><td><code>${escapeMarkup(c.name)}</code></td><td>${escapeMarkup(columnType(c))}</td><td>${c.nullable ? 'no' : 'yes'}</td><td>${describedText(c.description)}</td></tr>`)
    .join('\n');
  const id = `preview-${name}`;
  const header = table.columns
    .map((c) => {
      const numeric = c.baseType === 'integer' || c.baseType === 'number';
      return `<th${numeric ? ' class="num" data-type="number"' : ''}><button type="button" class="sort" title="sort by ${escapeMarkup(c.name)}">${escapeMarkup(c.name)}</button></th>`;
    })
    .join('');
  const body = preview.map((row) => `<tr>${table.columns.map((c) => previewCell(c, row[c.name])).join('')}</tr>`).join('\n');
  const textNote = name === 'articles' && input.textsOmitted ? ' The <code>text</code> column is empty in this edition.' : '';
  return [
    `<section class="table" id="table-${name}"><h3><code>${name}</code></h3>`,
    `<p>${describedText(table.description)} <a href="csv/${name}.csv">csv/${name}.csv</a>, ${thousands(total)} rows.${textNote}</p>`,
    `<p>${keys.join(' ')}</p>`,
    `<details><summary>Data dictionary: ${table.columns.length} columns</summary><table class="dictionary"><thead><tr><th>column</th><th>type</th><th>required</th><th>description</th></tr></thead><tbody>\n${dictionary}\n</tbody></table></details>`,
    `<div class="filter-row"><input type="search" class="filter" data-target="${id}" placeholder="Filter these rows" aria-label="Filter the ${name} preview"><span class="count" id="${id}-count" aria-live="polite">${preview.length} of ${preview.length} rows shown</span></div>`,
    `<div class="scroll"><table class="preview" id="${id}"><thead><tr>${header}</tr></thead><tbody>\n${body}\n</tbody></table></div>`,
    total > preview.length ? `<p>The first ${preview.length} of ${thousands(total)} rows; long cells are cut. The CSV has them all.</p>` : '<p>All rows; long cells are cut. The CSV has them whole.</p>',
    '</section>',
  ].join('\n');
}

// ---------------------------------------------------------------- the page

export function renderPage(input: PageInput): string {
  const title = `${dataset.title} (version ${input.version})`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeMarkup(title)}</title>`,
    `<meta name="description" content="${escapeMarkup(dataset.description)}">`,
    '<link rel="icon" href="data:,">',
    `<style>${STYLE}</style>`,
    `<script type="application/ld+json">\n${jsonForScript(pageJsonLd(input))}\n</script>`,
    '</head>',
    '<body>',
    '<header>',
    aboutSection(input),
    '<nav aria-label="Sections"><ul><li><a href="#downloads">Downloads</a></li><li><a href="#timeline">Timeline</a></li><li><a href="#network">Who met whom</a></li><li><a href="#sources">Sources</a></li><li><a href="#cite">How to cite</a></li><li><a href="#tables">Tables</a></li></ul></nav>',
    '</header>',
    '<main>',
    downloadsSection(input),
    picturesSection(input),
    sourcesSection(input),
    '<section id="tables"><h2>Tables</h2>',
    `<p>What every column means (generated from the JSON Schemas) and the first ${PREVIEW_ROWS} rows of each table: type in the box to filter, click a column name to sort.</p>`,
    ...TABLE_NAMES.map((name) => tableSection(name, input)),
    '</section>',
    '</main>',
    `<footer><p>Generated by ${escapeMarkup(input.report.pipeline.name)} ${escapeMarkup(input.report.pipeline.version)} from the same schemas and data as the files above. This page makes no network request.</p></footer>`,
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
