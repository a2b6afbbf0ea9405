// Organisations: capitalised phrases around a head noun (Ministry, Commission,
// Institute, University, Centre, Bureau ...), `Name (ACRONYM)` definitions,
// foreign names that put the head first (`Institut Supérieure d’Etudes
// Scientifiques`, `Centro Universitario de Participación Social`), and the
// reference list's acronyms and spellings (UNESCO and its full names).
import type { Doc } from './text.js';
import { tokenAt } from './text.js';
import { DOCUMENT_WORDS, FLAG, FOREIGN_ORG_HEADS, ORG_HEADS, REFERENCE_ORGANIZATIONS, isTitleHead, literalAlternation, nameKey, type ReferenceOrganization } from './lexicon.js';
import { acronymAfter, acronymFits, capLike, isNameWord, joined, readCapRun } from './phrases.js';
import type { PlaceMatch } from './places.js';
import { countryFromDemonym } from './places.js';

export interface OrgMention {
  start: number;
  end: number;
  surface: string;
}

export interface FoundOrganization {
  /** Canonical name (reference name, else the first full form printed). */
  name: string;
  acronym: string | null;
  aliases: string[];
  kind: string | null;
  country: string | null;
  mentions: OrgMention[];
  /** Spans of the full printed names (where places inside must not count as places). */
  spans: OrgMention[];
}

const REFERENCE_ORG_PATTERN = literalAlternation(REFERENCE_ORGANIZATIONS.flatMap((o) => [o.name, ...o.aliases]));
const REFERENCE_ORG_BY_KEY = new Map<string, ReferenceOrganization>();
for (const o of REFERENCE_ORGANIZATIONS) {
  for (const n of [o.name, ...o.aliases]) REFERENCE_ORG_BY_KEY.set(nameKey(n), o);
  if (o.acronym) REFERENCE_ORG_BY_KEY.set(nameKey(o.acronym), o);
}

const UNDER_AUSPICES = /^ under the auspices of [A-Z][A-Za-z]+(?= \()/;

// Head nouns with their plurals (`Ministries` aside, `Institutes`, `Centres`), built once.
const ORG_HEADS_WITH_PLURALS: ReadonlyMap<string, string> = (() => {
  const m = new Map(ORG_HEADS);
  for (const [w, k] of ORG_HEADS) if (!m.has(`${w}s`)) m.set(`${w}s`, k);
  return m;
})();

function orgHeadKind(lower: string): string | undefined {
  return ORG_HEADS_WITH_PLURALS.get(lower);
}

interface Candidate {
  start: number;
  end: number;
  firstToken: number;
  lastToken: number;
  kind: string | null;
  country: string | null;
  acronym: { acronym: string; start: number; end: number } | null;
}

/** Country of a place-possessive or demonym before an organisation (`China's Ministry of Education`, `Chinese National Commission`). */
function countryOfModifier(word: string, placesByStart: ReadonlyMap<number, PlaceMatch>, start: number): string | null {
  const place = placesByStart.get(start);
  if (place && place.kind === 'country') return place.country_code;
  return countryFromDemonym(word);
}

function findCandidates(doc: Doc, places: readonly PlaceMatch[]): Candidate[] {
  const tokens = doc.tokens;
  const placesByStart = new Map(places.map((p) => [p.start, p]));
  const out: Candidate[] = [];
  let coveredUntil = -1;
  for (let h = 0; h < tokens.length; h++) {
    const head = tokens[h]!;
    if (head.start < coveredUntil) continue;
    if ((head.flags & FLAG.orgHead) === 0) continue;
    const kind = orgHeadKind(head.lower);
    if (!kind || !head.cap || head.upper) continue;
    const foreign = FOREIGN_ORG_HEADS.has(head.lower);
    // `Female Students Network Trust`: the last head word of a name is its head.
    const next = tokens[h + 1];
    if (!foreign && next && joined(doc, h, h + 1) && next.cap && !next.upper && (orgHeadKind(next.lower) || DOCUMENT_WORDS.has(next.lower))) continue;
    // `Party Secretary`, `Commission Chairman`: a head noun before a title is part of the title.
    if (next && joined(doc, h, h + 1) && isTitleHead(next.lower)) continue;
    // Left: capitalised modifiers (`Beijing Municipal`, `UNESCO International Research and Training`, `Category 1`).
    let first = h;
    let country: string | null = null;
    for (let k = h - 1; k >= 0 && h - k <= 8; k--) {
      const t = tokens[k]!;
      if (!joined(doc, k, k + 1) || t.sentence !== head.sentence || t.start < coveredUntil) break;
      if (t.possessive && placesByStart.get(t.start)?.kind === 'country') {
        country = placesByStart.get(t.start)!.country_code;
        break;
      }
      if (/^(?:\d+|I{1,3}|IV|V|VI{0,3})$/.test(t.text) && tokens[k - 1]?.cap && joined(doc, k - 1, k)) {
        first = k;
        continue;
      }
      if (t.lower === 'and' && tokens[k - 1] && tokens[k - 1]!.start >= coveredUntil && joined(doc, k - 1, k) && isNameWord(tokens[k - 1]!) && !tokens[k - 1]!.upper && !placesByStart.has(tokens[k - 1]!.start) && !orgHeadKind(tokens[k - 1]!.lower)) {
        first = k - 1;
        k--;
        continue;
      }
      if (!isNameWord(t) || isTitleHead(t.lower) || FOREIGN_ORG_HEADS.has(t.lower)) break;
      first = k;
    }
    // Right: `of Education`, `for UNESCO`, `of the People’s Republic of China`; head-first foreign names continue directly.
    let last = h;
    const stopAt = (i: number) => (orgHeadKind(tokens[i]!.lower) !== undefined && FOREIGN_ORG_HEADS.has(tokens[i]!.lower)) || isTitleHead(tokens[i]!.lower);
    for (let guard = 0; guard < 6; guard++) {
      const n = tokens[last + 1];
      if (!n || !joined(doc, last, last + 1) || n.sentence !== head.sentence) break;
      if (foreign && (capLike(n) || /^(?:de|del|della|di|da|du|des|la|le|y|et)$/.test(n.lower))) {
        const end = readCapRun(doc, capLike(n) ? last + 1 : last + 2, { foreign: true, stopAt });
        if (end > last) {
          last = end;
          continue;
        }
        break;
      }
      if (n.lower === 'of' || n.lower === 'for' || n.lower === 'on') {
        let k = last + 2;
        if (tokens[k]?.lower === 'the' && joined(doc, k - 1, k)) k++;
        if (!tokens[k] || !joined(doc, k - 1, k)) break;
        const end = readCapRun(doc, k, { stopAt });
        if (end >= k) {
          last = end;
          continue;
        }
      }
      // `University of Technology Sydney`: a place name right after the complement.
      if (capLike(n) && placesByStart.has(n.start) && last > h) {
        last = last + 1;
        continue;
      }
      break;
    }
    if (first === h && last === h) continue;
    // A bare `Ministry of X` with nothing capitalised is still an organisation; `The Ministry` is not.
    let end = tokens[last]!.possessive && last !== h ? tokens[last]!.baseEnd : tokens[last]!.end;
    let acronym = acronymAfter(doc, last);
    const auspices = UNDER_AUSPICES.exec(doc.text.slice(end, end + 60));
    if (!acronym && auspices) {
      const k = tokenAt(doc, end + auspices[0].length);
      const a = acronymAfter(doc, k - 1);
      if (a) {
        end += auspices[0].length;
        acronym = a;
      }
    }
    const surface = doc.text.slice(tokens[first]!.start, end);
    if (acronym && !acronymFits(acronym.acronym, surface)) acronym = null;
    if (!country) {
      const t = tokens[first]!;
      country = countryOfModifier(t.base, placesByStart, t.start);
    }
    out.push({ start: tokens[first]!.start, end, firstToken: first, lastToken: last, kind, country, acronym });
    coveredUntil = acronym ? acronym.end + 1 : end;
  }
  return out;
}

/**
 * `Global Innovation Hub` in a headline and `UNESCO-Tsinghua Global Innovation Hub for Higher
 * Education` in the body are one organisation: a shorter name inside a longer one that keeps the
 * longer one's head. (`Ministry of Education` inside `Department ... of the Ministry of Education`
 * does not keep the head `Department`, so it stays separate.)
 */
function mergeShortForms(all: FoundOrganization[]): void {
  const words = (n: string) => n.split(/\s+/);
  for (const short of [...all]) {
    const sw = words(short.name);
    const longer = all.find((o) => {
      if (o === short || o.name.length <= short.name.length) return false;
      if (!` ${o.name} `.includes(` ${short.name} `)) return false;
      const head = words(o.name).find((w) => orgHeadKind(w.toLowerCase()) !== undefined);
      return head !== undefined && sw.includes(head) && (!short.acronym || !o.acronym || short.acronym === o.acronym);
    });
    if (!longer) continue;
    longer.mentions.push(...short.mentions);
    for (const a of [short.name, ...short.aliases]) if (a !== longer.name && !longer.aliases.includes(a)) longer.aliases.push(a);
    longer.acronym ??= short.acronym;
    all.splice(all.indexOf(short), 1);
  }
}

/**
 * `X Educational, Scientific and Cultural Organization`: walking back from a head noun over
 * `Word and Word`, then `, Word` segments, then up to four capitalised words.
 */
function commaListCandidates(doc: Doc): Array<{ start: number; end: number; kind: string | null }> {
  const tokens = doc.tokens;
  const out: Array<{ start: number; end: number; kind: string | null }> = [];
  for (let h = 3; h < tokens.length; h++) {
    const head = tokens[h]!;
    if ((head.flags & FLAG.orgHead) === 0) continue;
    if (!isNameWord(tokens[h - 1]!) || tokens[h - 2]!.lower !== 'and' || !joined(doc, h - 1, h) || !joined(doc, h - 2, h - 1)) continue;
    let k = h - 3;
    const gapBeforeAnd = doc.text.slice(tokens[k]!.end, tokens[h - 2]!.start);
    if (gapBeforeAnd !== ' ' && gapBeforeAnd !== ', ') continue;
    if (!isNameWord(tokens[k]!)) continue;
    let segments = 0;
    while (k > 0 && doc.text.slice(tokens[k - 1]!.end, tokens[k]!.start) === ', ' && isNameWord(tokens[k - 1]!)) {
      k--;
      segments++;
    }
    if (segments === 0) continue;
    let first = k;
    while (first > 0 && k - first < 4 && joined(doc, first - 1, first) && isNameWord(tokens[first - 1]!) && !isTitleHead(tokens[first - 1]!.lower)) first--;
    out.push({ start: tokens[first]!.start, end: head.end, kind: orgHeadKind(head.lower) ?? null });
  }
  return out;
}

/** Organisations in the article, with every mention (full name, acronym, reference spelling). */
export function findOrganizations(doc: Doc, places: readonly PlaceMatch[], useReference: boolean): FoundOrganization[] {
  const text = doc.text;
  const byKey = new Map<string, FoundOrganization>();
  const all: FoundOrganization[] = [];
  const taken: Array<[number, number]> = [];
  const overlaps = (s: number, e: number) => taken.some(([a, b]) => s < b && e > a);

  const add = (name: string, init: Omit<FoundOrganization, 'name' | 'mentions' | 'aliases' | 'spans'>, mention: OrgMention, full: boolean): FoundOrganization => {
    const ref = useReference ? (REFERENCE_ORG_BY_KEY.get(nameKey(mention.surface)) ?? REFERENCE_ORG_BY_KEY.get(nameKey(name))) : undefined;
    const canonical = ref?.name ?? name;
    const key = nameKey(canonical);
    let org = byKey.get(key) ?? (init.acronym ? byKey.get(nameKey(init.acronym)) : undefined);
    if (!org) {
      org = { name: canonical, acronym: ref?.acronym ?? init.acronym, aliases: [], kind: ref?.kind ?? init.kind, country: ref?.country ?? init.country, mentions: [], spans: [] };
      all.push(org);
      byKey.set(key, org);
    }
    if (!org.acronym && init.acronym) org.acronym = init.acronym;
    if (!org.country && init.country) org.country = init.country;
    if (org.acronym) byKey.set(nameKey(org.acronym), org);
    for (const a of ref ? [ref.name, ...ref.aliases] : []) if (a !== org.name && !org.aliases.includes(a)) org.aliases.push(a);
    if (mention.surface !== org.name && mention.surface !== org.acronym && !org.aliases.includes(mention.surface)) org.aliases.push(mention.surface);
    byKey.set(nameKey(mention.surface), org);
    org.mentions.push(mention);
    if (full) org.spans.push(mention);
    taken.push([mention.start, mention.end]);
    return org;
  };

  // Proposals from the reference spellings (they include names with commas: `United Nations
  // Educational, Scientific and Cultural Organization`) and from the head-noun patterns; the
  // longer of two overlapping proposals wins (`UNESCO Mutisectoral Regional Office` over `UNESCO`).
  interface Proposal { start: number; end: number; acronym: string | null; kind: string | null; country: string | null; ref: boolean }
  const proposals: Proposal[] = [];
  if (useReference) {
    REFERENCE_ORG_PATTERN.lastIndex = 0;
    for (let m = REFERENCE_ORG_PATTERN.exec(text); m; m = REFERENCE_ORG_PATTERN.exec(text)) {
      const ref = REFERENCE_ORG_BY_KEY.get(nameKey(m[0]))!;
      proposals.push({ start: m.index, end: m.index + m[0].length, acronym: ref.acronym, kind: ref.kind, country: ref.country, ref: true });
    }
  } else {
    // Without the reference list, UNESCO's full name is still recognised by its shape.
    const unesco = /\b(?:United Nations|UN) Educational, Scientific,? and Cultural Organi[sz]ation\b/g;
    for (let m = unesco.exec(text); m; m = unesco.exec(text)) proposals.push({ start: m.index, end: m.index + m[0].length, acronym: null, kind: 'intergovernmental organization', country: null, ref: false });
  }
  // `Islamic World Educational, Scientific and Cultural Organization`: a comma list of adjectives before the head.
  for (const c of commaListCandidates(doc)) proposals.push({ ...c, acronym: null, country: null, ref: false });
  for (const c of findCandidates(doc, places)) proposals.push({ start: c.start, end: c.end, acronym: c.acronym?.acronym ?? null, kind: c.kind, country: c.country, ref: false });
  proposals.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const accepted: Proposal[] = [];
  for (const p of proposals) if (!accepted.some((q) => p.start < q.end && p.end > q.start)) accepted.push(p);
  accepted.sort((a, b) => a.start - b.start);
  for (const p of accepted) {
    const surface = text.slice(p.start, p.end);
    const org = add(surface, { acronym: p.acronym, kind: p.kind, country: p.country }, { start: p.start, end: p.end, surface }, true);
    if (p.acronym) byKey.set(nameKey(p.acronym), org);
  }

  // `Name (ACR)` after a reference/UNESCO name: `... Cultural Organization (UNESCO)` defines the acronym.
  const defined = /(?<![\p{L}\p{N}])\(([A-Z][A-Za-z0-9&-]*[A-Z0-9])\)/gu;
  for (let m = defined.exec(text); m; m = defined.exec(text)) {
    const before = all.find((o) => o.spans.some((s) => s.end === m!.index - 1));
    if (before && !before.acronym && acronymFits(m[1]!, before.name)) {
      before.acronym = m[1]!;
      byKey.set(nameKey(m[1]!), before);
    }
  }

  // Acronyms and known short forms anywhere else (`IISTEM`, `UNESCO’s`, `SUSTech`).
  const acronyms = new Map<string, FoundOrganization>();
  for (const o of all) if (o.acronym) acronyms.set(o.acronym, o);
  if (useReference) for (const r of REFERENCE_ORGANIZATIONS) if (r.acronym && !acronyms.has(r.acronym)) acronyms.set(r.acronym, undefined as unknown as FoundOrganization);
  for (const t of doc.tokens) {
    if (!acronyms.has(t.base) || overlaps(t.start, t.baseEnd)) continue;
    let org = acronyms.get(t.base);
    if (!org) {
      const ref = REFERENCE_ORG_BY_KEY.get(nameKey(t.base))!;
      org = add(ref.name, { acronym: ref.acronym, kind: ref.kind, country: ref.country }, { start: t.start, end: t.baseEnd, surface: t.base }, false);
      acronyms.set(t.base, org);
      continue;
    }
    org.mentions.push({ start: t.start, end: t.baseEnd, surface: t.base });
    taken.push([t.start, t.baseEnd]);
  }
  mergeShortForms(all);
  for (const o of all) o.mentions.sort((a, b) => a.start - b.start);
  return all.filter((o) => o.mentions.length > 0);
}

