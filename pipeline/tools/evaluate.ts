// `make eval`: the project's own evaluation. Reads a published output folder
// as a user would (its CSVs) and scores it against gold annotations (format in
// tests/fixtures/gold/FORMAT.md): precision/recall/F1 per category and checks
// on titles, dates, roles, quotes and meetings. It follows the shared scorer's
// matching rules so that the figures are comparable.
import { parse } from 'csv-parse/sync';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type Row = Record<string, string>;
interface GoldEntity { name: string; aliases?: string[]; roles?: string[]; kind?: string; country?: string | null }
interface GoldMeeting { core: string[]; others?: string[]; date?: string | null }
interface Gold {
  file: string;
  title: string | null;
  date_published: string | null;
  date_published_accept?: Array<string | null>;
  text_must_contain?: string[];
  text_must_not_contain?: string[];
  people?: GoldEntity[];
  organizations?: GoldEntity[];
  places?: GoldEntity[];
  events?: GoldEntity[];
  meetings?: GoldMeeting[];
  quotes?: Array<{ speaker: string; starts_with: string }>;
  optional?: Record<string, unknown[]>;
}

export const CATEGORIES = ['people', 'organizations', 'places', 'events', 'meetings'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface Score { p: number; r: number; f1: number; tp: number; fp: number; fn: number }
export interface Evaluation {
  categories: Record<Category, Score>;
  overall: Score;
  checks: Record<string, [number, number]>;
  problems: string[];
  detail: Record<string, Record<string, unknown>>;
}

/** Name normalisation of the shared scorer: accents, quotes, case, leading honorifics, punctuation. */
export function norm(s: string | null | undefined): string {
  if (!s) return '';
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[’‘]/g, "'")
    .replace(/[“”]/g, '"')
    .toLowerCase()
    .replace(/^(the|mr|ms|mrs|dr)\.?\s+/, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function prf(tp: number, fp: number, fn: number): Score {
  const p = tp + fp ? tp / (tp + fp) : fn === 0 ? 1 : 0;
  const r = tp + fn ? tp / (tp + fn) : 1;
  const f1 = p + r ? (2 * p * r) / (p + r) : 0;
  return { p, r, f1, tp, fp, fn };
}

function readTable(out: string, name: string): Row[] | null {
  const file = path.join(out, 'csv', `${name}.csv`);
  if (!existsSync(file)) return null;
  return parse(readFileSync(file), { columns: true }) as Row[];
}

const setOf = (values: Iterable<string>) => {
  const s = new Set<string>();
  for (const v of values) if (v) s.add(v);
  return s;
};
const intersects = (a: Set<string>, b: Set<string>) => [...a].some((x) => b.has(x));

function namesOf(row: Row): Set<string> {
  return setOf([norm(row['name']), ...(row['aliases'] ?? '').split(';').map((a) => norm(a.trim())), norm(row['acronym'])]);
}
const goldNames = (g: GoldEntity) => setOf([norm(g.name), ...(g.aliases ?? []).map(norm)]);

export function evaluate(out: string, goldDir: string): Evaluation {
  const problems: string[] = [];
  const t: Record<string, Row[]> = {};
  for (const name of ['articles', 'people', 'organizations', 'places', 'events', 'mentions', 'roles', 'interactions', 'interaction_participants', 'quotes']) {
    const rows = readTable(out, name);
    if (rows === null) problems.push(`missing table ${name}.csv`);
    t[name] = rows ?? [];
  }
  const idColumn: Record<string, string> = { people: 'person_id', organizations: 'organization_id', places: 'place_id', events: 'event_id' };
  const entities = new Map<string, Row & { _type: string }>();
  for (const [table, column] of Object.entries(idColumn)) {
    for (const row of t[table]!) {
      const id = row[column]!;
      if (entities.has(id)) problems.push(`entity id ${id} not unique across tables`);
      entities.set(id, { ...row, _type: table });
    }
  }
  const articles = new Map(t['articles']!.map((a) => [a['article_id']!, a]));
  const byFile = new Map(t['articles']!.map((a) => [a['source_file']!, a]));
  const group = (rows: Row[], key: string) => {
    const m = new Map<string, Row[]>();
    for (const r of rows) m.set(r[key]!, [...(m.get(r[key]!) ?? []), r]);
    return m;
  };
  let badOffsets = 0;
  const mentionsByArticle = new Map<string, Row[]>();
  for (const m of t['mentions']!) {
    const article = articles.get(m['article_id']!);
    if (!article || !entities.has(m['entity_id']!)) {
      problems.push(`mention ${m['mention_id']} points to unknown article/entity`);
      continue;
    }
    if (Array.from(article['text']!).slice(Number(m['start']), Number(m['end'])).join('') !== m['surface']) badOffsets++;
    mentionsByArticle.set(m['article_id']!, [...(mentionsByArticle.get(m['article_id']!) ?? []), m]);
  }
  if (badOffsets) problems.push(`${badOffsets} mentions whose text[start:end] != surface`);
  const participants = new Map<string, string[]>();
  for (const p of t['interaction_participants']!) participants.set(p['interaction_id']!, [...(participants.get(p['interaction_id']!) ?? []), p['entity_id']!]);
  const interactionsByArticle = group(t['interactions']!, 'article_id');
  const rolesByArticle = group(t['roles']!, 'article_id');
  const quotesByArticle = group(t['quotes']!, 'article_id');

  const totals = Object.fromEntries(CATEGORIES.map((c) => [c, [0, 0, 0]])) as Record<Category, [number, number, number]>;
  const checks: Record<string, [number, number]> = {};
  const check = (name: string, ok: boolean) => {
    const c = (checks[name] ??= [0, 0]);
    c[0] += ok ? 1 : 0;
    c[1] += 1;
  };
  const detail: Record<string, Record<string, unknown>> = {};

  for (const goldFile of readdirSync(goldDir).filter((f) => f.endsWith('.json')).sort()) {
    const g = JSON.parse(readFileSync(path.join(goldDir, goldFile), 'utf8')) as Gold;
    const d: Record<string, unknown> = (detail[g.file] = {});
    const article = byFile.get(g.file);
    if (!article) {
      problems.push(`no article for ${g.file}`);
      for (const c of CATEGORIES) totals[c][2] += (g[c] ?? []).length;
      continue;
    }
    const articleId = article['article_id']!;
    const text = article['text']!;
    for (const phrase of g.text_must_contain ?? []) check('text_keeps', text.replace(/’/g, "'").includes(phrase.replace(/’/g, "'")));
    for (const phrase of g.text_must_not_contain ?? []) check('text_clean', !text.includes(phrase));
    if (g.title !== null) {
      const ok = norm(article['title']) === norm(g.title);
      check('title', ok);
      if (!ok) d['title'] = article['title'];
    } else check('no_false_headline', article['title_source'] !== 'headline');
    const accept = g.date_published_accept ?? [g.date_published];
    const got = article['date_published'] || null;
    check('date_published', accept.includes(got));

    const mentions = mentionsByArticle.get(articleId) ?? [];
    const surfaces = new Map<string, Set<string>>();
    for (const m of mentions) surfaces.set(m['entity_id']!, setOf([...(surfaces.get(m['entity_id']!) ?? []), m['surface']!]));
    const idsInArticle = [...surfaces.keys()].sort();
    const nameOf = new Map<string, Set<string>>();
    const optional = g.optional ?? {};
    for (const category of ['people', 'organizations', 'places', 'events'] as const) {
      const rows = idsInArticle.map((id) => entities.get(id)).filter((e): e is Row & { _type: string } => e?._type === category);
      const optionalNames = setOf(((optional[category] ?? []) as string[]).map(norm));
      const goldList = g[category] ?? [];
      const matched = new Set<number>();
      const extras: string[] = [];
      for (const row of rows) {
        const id = row[idColumn[category]!]!;
        const names = setOf([...namesOf(row), ...[...(surfaces.get(id) ?? [])].map(norm)]);
        nameOf.set(id, names);
        let hit: number | null = null;
        for (let i = 0; i < goldList.length; i++) {
          if (intersects(names, goldNames(goldList[i]!))) {
            hit = i;
            if (!matched.has(i)) break;
          }
        }
        if (hit !== null && !matched.has(hit)) {
          matched.add(hit);
          totals[category][0]++;
        } else if (hit !== null) {
          totals[category][1]++;
          extras.push(`${row['name']} (duplicate)`);
        } else if (!intersects(names, optionalNames)) {
          totals[category][1]++;
          extras.push(row['name']!);
        }
        if (category === 'places') {
          for (const gp of goldList) {
            if (intersects(names, goldNames(gp))) {
              check('place_country_code', (row['country_code'] ?? '').toUpperCase() === gp.country);
              check('place_kind', row['kind'] === gp.kind);
            }
          }
        }
      }
      const missed = goldList.filter((_g, i) => !matched.has(i)).map((x) => x.name);
      totals[category][2] += missed.length;
      if (missed.length || extras.length) d[category] = { missed, extra: extras };
    }
    const who = (id: string) => nameOf.get(id) ?? (entities.has(id) ? namesOf(entities.get(id)!) : setOf([norm(id)]));
    const goldPerson = (name: string) => {
      for (const gp of g.people ?? []) if (goldNames(gp).has(norm(name))) return goldNames(gp);
      return setOf([norm(name)]);
    };
    const has = (ids: string[], name: string) => ids.some((id) => intersects(who(id), goldPerson(name)));
    const predicted = (interactionsByArticle.get(articleId) ?? []).map((i) => ({ row: i, ids: participants.get(i['interaction_id']!) ?? [] }));
    const used = new Set<number>();
    for (const gm of g.meetings ?? []) {
      const k = predicted.findIndex((p, index) => !used.has(index) && gm.core.every((c) => has(p.ids, c)));
      if (k === -1) {
        d['meetings_missed'] = [...((d['meetings_missed'] as unknown[]) ?? []), gm.core];
        continue;
      }
      used.add(k);
      totals.meetings[0]++;
      const date = predicted[k]!.row['date'] || null;
      check('meeting_date', date === (gm.date ?? null));
      if (date !== (gm.date ?? null)) d['meeting_dates'] = [...((d['meeting_dates'] as unknown[]) ?? []), [gm.core, date, gm.date]];
      for (const other of gm.others ?? []) check('meeting_others', has(predicted[k]!.ids, other));
    }
    const optionalMeetings = (optional['meetings'] ?? []) as GoldMeeting[];
    predicted.forEach((p, k) => {
      if (used.has(k) || optionalMeetings.some((om) => om.core.every((c) => has(p.ids, c)))) return;
      totals.meetings[1]++;
      d['meetings_extra'] = [...((d['meetings_extra'] as unknown[]) ?? []), p.ids.map((id) => [...who(id)][0] ?? id).sort()];
    });
    totals.meetings[2] += (g.meetings ?? []).length - [...used].length;
    for (const gp of g.people ?? []) {
      if (!gp.roles?.length) continue;
      const ids = [...nameOf.entries()].filter(([, names]) => intersects(names, goldNames(gp))).map(([id]) => id);
      const rows = (rolesByArticle.get(articleId) ?? []).filter((r) => ids.includes(r['person_id']!));
      const ok = rows.some((r) => {
        const words = setOf(norm(r['title']).split(' '));
        return gp.roles!.some((role) => {
          const goldWords = setOf(norm(role).split(' ').filter((w) => !['of', 'the', 'for', 'at'].includes(w)));
          return goldWords.size > 0 && [...goldWords].filter((w) => words.has(w)).length / goldWords.size >= 0.5;
        });
      });
      check('roles', ok);
      if (!ok) d['roles_missed'] = [...((d['roles_missed'] as unknown[]) ?? []), gp.name];
    }
    for (const gq of g.quotes ?? []) {
      const q = (quotesByArticle.get(articleId) ?? []).find((x) => norm(x['text']).startsWith(norm(gq.starts_with).slice(0, 30)));
      const ok = q !== undefined && intersects(who(q['speaker_id'] ?? ''), goldPerson(gq.speaker));
      check('quotes', ok);
      if (!ok) d['quotes_missed'] = [...((d['quotes_missed'] as unknown[]) ?? []), gq.starts_with];
    }
  }
  const categories = Object.fromEntries(CATEGORIES.map((c) => [c, prf(...totals[c])])) as Record<Category, Score>;
  const sum = (i: 0 | 1 | 2) => CATEGORIES.reduce((n, c) => n + totals[c][i], 0);
  return { categories, overall: prf(sum(0), sum(1), sum(2)), checks, problems, detail };
}

export function formatEvaluation(name: string, e: Evaluation): string {
  const lines = [`== ${name}`, `${'category'.padEnd(16)} ${'P'.padStart(6)} ${'R'.padStart(6)} ${'F1'.padStart(6)}   tp/fp/fn`];
  const row = (label: string, s: Score) => `${label.padEnd(16)} ${s.p.toFixed(3).padStart(6)} ${s.r.toFixed(3).padStart(6)} ${s.f1.toFixed(3).padStart(6)}   ${s.tp}/${s.fp}/${s.fn}`;
  for (const c of CATEGORIES) lines.push(row(c, e.categories[c]));
  lines.push(row('overall', e.overall));
  for (const [k, [ok, n]] of Object.entries(e.checks).sort()) lines.push(`check ${k.padEnd(20)} ${ok}/${n}`);
  for (const p of e.problems) lines.push(`PROBLEM ${p}`);
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const [out, gold] = process.argv.slice(2);
  if (!out || !gold) {
    process.stderr.write('usage: evaluate.ts OUT_DIR GOLD_DIR [--verbose]\n');
    process.exit(2);
  }
  const e = evaluate(out, gold);
  process.stdout.write(`${formatEvaluation(`${out} against ${gold}`, e)}\n`);
  if (process.argv.includes('--verbose')) process.stdout.write(`${JSON.stringify(e.detail, null, 1)}\n`);
}
