// The extract stage: one cleaned article → entities, mentions, roles,
// interactions and quotes with article-local keys and UTF-16 offsets.
//
// Order matters: organisations and events first (their names contain places
// and title words), then places outside them, then people (outside all of
// those), then coreference, then interactions and quotes, which need to know
// who is who.
import type { CleanArticle } from '../article.js';
import type { MessageSink } from '../messages.js';
import type { Extraction, LocalEntity, LocalEvent, LocalMention, LocalOrganization, LocalPerson, LocalPlace, LocalRole } from './types.js';
import { analyse, forEachTokenIn, sentenceAt, type Doc } from './text.js';
import { findOrganizations } from './organizations.js';
import { findEvents, type FoundEvent } from './events.js';
import { findPeople, countryOfTitle, type FoundPerson, type NameOccurrence } from './people.js';
import { resolveNameParts, resolveTitleReferences } from './coref.js';
import { findPlaces, type PlaceMatch } from './places.js';
import { findDates, type DateMatch } from './dates.js';
import { findInteractions } from './interactions.js';
import { findQuotes } from './quotes.js';
import type { ArticleContext } from './context.js';

export interface ExtractOptions {
  /** Use the curated reference lists (people, organisations, events). Default true; tests switch it off to check the patterns alone. */
  useReference?: boolean;
}

interface Span {
  start: number;
  end: number;
}

function inside(s: Span, spans: readonly Span[]): boolean {
  for (const o of spans) if (s.start >= o.start && s.end <= o.end) return true;
  return false;
}

function overlapsAny(s: Span, spans: readonly Span[]): boolean {
  for (const o of spans) if (s.start < o.end && s.end > o.start) return true;
  return false;
}

function overlapsRange(start: number, end: number, spans: readonly Span[]): boolean {
  for (const o of spans) if (start < o.end && end > o.start) return true;
  return false;
}

/** The items' lists in one array (a loop: Array.prototype.flatMap is several times slower). */
function concatOf<T, S>(items: readonly T[], listOf: (item: T) => readonly S[]): S[] {
  const out: S[] = [];
  for (const item of items) for (const x of listOf(item)) out.push(x);
  return out;
}

// Place keys by name and country code: the same string object each time, so the maps it keys
// hash it once (names and codes come from the gazetteer; bounded like the other word caches).
const placeKeys = new Map<string, Map<string, string>>();
let placeKeysMade = 0;

function placeKey(p: PlaceMatch): string {
  const code = p.country_code && p.kind !== 'country' ? p.country_code : '';
  let bySuffix = placeKeys.get(p.name);
  let key = bySuffix?.get(code);
  if (key === undefined) {
    if (++placeKeysMade > 100_000) {
      placeKeys.clear();
      placeKeysMade = 1;
      bySuffix = undefined;
    }
    key = `place:${p.name}${code ? `|${code}` : ''}`;
    if (!bySuffix) placeKeys.set(p.name, (bySuffix = new Map()));
    bySuffix.set(code, key);
  }
  return key;
}

/** EDTF interval `a/b` → [a, b]. */
function splitInterval(date: string): [string, string | null] {
  const i = date.indexOf('/');
  return i < 0 ? [date, null] : [date.slice(0, i), date.slice(i + 1)];
}

/** A date without a year takes the year printed in the event's name (`2024 WDEC` on `Jan 30`). */
export function withYear(date: string, year: string | null): string {
  return year ? date.replace(/XXXX/g, year) : date;
}

export function extract(article: CleanArticle, sink: MessageSink, options: ExtractOptions = {}): Extraction {
  const useReference = options.useReference ?? true;
  const text = article.text;
  const doc = analyse(article);
  const dates = findDates(text, article.date_published);

  // Places first as plain matches: organisation finding uses them (country of `China's Ministry ...`).
  // findPlaces also reads capitalised wire datelines (`BEIJING - `).
  const rawPlaces = findPlaces(text);
  const foundOrgs = findOrganizations(doc, rawPlaces, useReference);
  // A name read both ways (`Forum on China-Africa Cooperation`, an institution) is the organisation's when the spans coincide.
  const institutionSpans = concatOf(foundOrgs.filter((o) => o.institution), (o) => o.spans);
  const isInstitutionSpan = (s: Span) => institutionSpans.some((o) => o.start === s.start && o.end === s.end);
  const events = findEvents(doc, useReference).filter((e) => e.spans.length === 0 || !e.spans.every(isInstitutionSpan));
  const eventSpans = concatOf(events, (e) => e.spans);
  const orgs = foundOrgs.filter((o) => {
    // An organisation inside an event's name (`Joint Working Group` in `6th meeting of the ... Group`) is part of that name.
    o.mentions = o.mentions.filter((m) => !inside(m, eventSpans) || o.spans.length === 0 || !o.spans.every((s) => inside(s, eventSpans)));
    if (o.spans.length > 0 && o.spans.every((s) => inside(s, eventSpans))) return false;
    return o.mentions.length > 0;
  });
  const orgSpans = concatOf(orgs, (o) => o.spans);
  const nameSpans = [...orgSpans, ...eventSpans];
  const orgMentionSpans = concatOf(orgs, (o) => o.mentions);
  const eventMentionSpans = concatOf(events, (e) => e.mentions);

  // Places inside organisation or event names are part of those names (gold: optional, not wanted).
  // The city of an office (`UNESCO Office in Beijing`) is both part of the name and a place.
  const keptPlaces = concatOf(orgs, (o) => o.keptPlaces);
  const isKept = (p: PlaceMatch) => keptPlaces.some((k) => k.start === p.start && k.end === p.end) && !overlapsAny(p, eventSpans);
  const places = rawPlaces.filter((p) => isKept(p) || (!overlapsAny(p, nameSpans) && !overlapsAny(p, orgMentionSpans) && !overlapsAny(p, eventMentionSpans)));

  const blocked = [...nameSpans, ...orgMentionSpans, ...eventMentionSpans];
  const atomic = [...nameSpans, ...places];
  const found = findPeople(doc, blocked, places, atomic, useReference);
  const people = found.people;
  for (const t of found.unknownTitles) {
    sink.push({ stage: 'extract', rule: 'unknown-title', severity: 'warning', start: t.start, end: t.end, before: t.text, reason: `title "${t.text}" has no known title word; published as stated` });
  }
  // People's names are not places (`Victoria` in a name), and places inside them are dropped.
  const finalPlaces = places.filter((p) => !overlapsAny(p, found.occurrences));
  // Token starts inside organisation, event or place names (one pass, not a span scan per token).
  const blockedStarts = tokenStartsInside(doc, [...blocked, ...finalPlaces]);
  const isBlocked = (offset: number) => blockedStarts.has(offset);
  const nameParts = resolveNameParts(doc, people, found.occurrences, isBlocked);
  const roleSpans = concatOf(people, (p) => p.roles);
  const allNames = [...found.occurrences, ...nameParts];
  const titleClaims: Span[] = [...roleSpans, ...allNames, ...eventSpans];
  const titleRefs = resolveTitleReferences(doc, people, allNames, (s, e) => overlapsRange(s, e, titleClaims));
  const occurrences: NameOccurrence[] = [...allNames, ...titleRefs].sort((a, b) => a.start - b.start);

  // ---- Entities and mentions
  const entities: LocalEntity[] = [];
  const mentions: LocalMention[] = [];
  const keys = new Set<string>();
  const uniqueKey = (base: string) => {
    let k = base;
    for (let n = 2; keys.has(k); n++) k = `${base}#${n}`;
    keys.add(k);
    return k;
  };
  const pushMention = (entity: string, s: number, e: number) => {
    if (e > s) mentions.push({ entity, start: s, end: e, surface: text.slice(s, e) });
  };

  const placeKeyOf = new Map<string, LocalPlace>();
  const placeMentions: ArticleContext['places'] = [];
  for (const p of finalPlaces) {
    const key = placeKey(p);
    let ent = placeKeyOf.get(key);
    if (!ent) {
      ent = { type: 'place', key: uniqueKey(key), name: p.name, aliases: [], kind: p.kind, country_code: p.country_code, latitude: p.latitude, longitude: p.longitude };
      for (const a of p.aliases) if (a !== p.name && !ent.aliases.includes(a)) ent.aliases.push(a);
      placeKeyOf.set(key, ent);
      entities.push(ent);
    }
    if (p.surface !== ent.name && !ent.aliases.includes(p.surface)) ent.aliases.push(p.surface);
    pushMention(ent.key, p.start, p.end);
    placeMentions.push({ key: ent.key, start: p.start, end: p.end, kind: p.kind });
  }
  // Places inside organisation names still tell the organisation's country.
  const countryAt = (span: Span): string | null => rawPlaces.find((p) => p.start >= span.start && p.end <= span.end && p.country_code)?.country_code ?? null;

  const orgKeyOf = new Map<object, string>();
  for (const o of orgs) {
    const key = uniqueKey(`org:${o.name}`);
    orgKeyOf.set(o, key);
    const country = o.country ?? (o.spans[0] ? countryAt(o.spans[0]) : null);
    const ent: LocalOrganization = { type: 'organization', key, name: o.name, aliases: o.aliases.filter((a) => a !== o.name && a !== o.acronym), acronym: o.acronym, kind: o.kind, country_code: country };
    entities.push(ent);
    for (const m of o.mentions) pushMention(key, m.start, m.end);
  }
  // Organisation mentions by start, for the roles (built only when someone has a role).
  let orgMentionsByStart: Array<{ start: number; end: number; key: string }> | null = null;
  const orgMentionsSorted = () => {
    if (orgMentionsByStart) return orgMentionsByStart;
    orgMentionsByStart = [];
    for (const o of orgs) {
      const key = orgKeyOf.get(o)!;
      for (const m of o.mentions) orgMentionsByStart.push({ start: m.start, end: m.end, key });
    }
    return orgMentionsByStart.sort((a, b) => a.start - b.start);
  };

  // Events: dates and place from the sentence of their first full mention.
  const eventMentions: ArticleContext['events'] = [];
  const eventDates = new Map<string, { start: string | null; end: string | null; place: string | null }>();
  // `which it has funded since 2005`: a date the event has existed since is not its date (the same for every anchor).
  let datesOfEvents: DateMatch[] | null = null;
  for (const ev of events) {
    const key = uniqueKey(`event:${ev.name}`);
    const year = /^(?:19|20)\d\d$/.test(ev.edition ?? '') ? ev.edition : null;
    // The first mention whose sentence states a date dates the event (a headline rarely does).
    let start: string | null = null;
    let end: string | null = null;
    let place: ArticleContext['places'][number] | null = null;
    for (const anchor of [...ev.spans, ...ev.mentions]) {
      const si = sentenceAt(doc, anchor.start);
      const sentence = si >= 0 ? doc.sentences[si]! : { start: anchor.start, end: anchor.end };
      // `held in Beijing`, `in Shanghai on Jan 30`, `gathered in Canberra ... for the fourth ... meeting`.
      place ??= placeMentions.find((p) => p.start >= sentence.start && p.end <= sentence.end && p.kind === 'city') ?? null;
      // `On May 15, in the margins of the 2025 WDEC, X met Y`: the date is the meeting's, not the conference's.
      const margins = /\b(?:margins?|sidelines?) of (?:the )?$/.test(text.slice(Math.max(sentence.start, anchor.start - 30), anchor.start));
      if (!margins) datesOfEvents ??= dates.filter((d) => !/\b(?:since|until|till|before)\s+$/.test(text.slice(Math.max(0, d.start - 7), d.start)));
      const date = margins ? null : nearestDate(datesOfEvents!, sentence, anchor);
      if (date) {
        [start, end] = splitInterval(withYear(date.date, year));
        break;
      }
    }
    const ent: LocalEvent = { type: 'event', key, name: ev.name, aliases: ev.aliases.filter((a) => a !== ev.name), kind: ev.kind, start_date: start, end_date: end, place: place?.key ?? null };
    if (ev.acronym && !ent.aliases.includes(ev.acronym)) ent.aliases.push(ev.acronym);
    entities.push(ent);
    eventDates.set(key, { start, end, place: ent.place });
    for (const m of ev.mentions) {
      pushMention(key, m.start, m.end);
      eventMentions.push({ key, start: m.start, end: m.end, event: ev });
    }
  }
  eventMentions.sort((a, b) => a.start - b.start);

  // People.
  const personKey = new Map<FoundPerson, string>();
  for (const p of people) {
    if (p.mentions.length === 0) continue;
    const key = uniqueKey(`person:${p.name}`);
    personKey.set(p, key);
    let country = p.country;
    if (!country) {
      for (const r of p.roles) {
        country = countryOfTitle(r.text) ?? finalPlaces.find((pl) => pl.start >= r.start && pl.end <= r.end && pl.country_code)?.country_code ?? null;
        if (country) break;
      }
    }
    const ent: LocalPerson = { type: 'person', key, name: p.name, aliases: p.aliases.filter((a) => a !== p.name), country_code: country };
    entities.push(ent);
    for (const m of p.mentions) pushMention(key, m.start, m.end);
  }

  // Roles: the title as stated, with the organisation and place named in it.
  const roles: LocalRole[] = [];
  for (const p of people) {
    const key = personKey.get(p);
    if (!key) continue;
    const seen: Span[] = [];
    for (const r of p.roles) {
      if (!r.text || seen.some((x) => x.start === r.start && x.end === r.end)) continue;
      seen.push(r);
      const org = orgMentionsSorted().find((m) => m.start >= r.start && m.end <= r.end) ?? null;
      const place = placeMentions.find((m) => m.start >= r.start && m.end <= r.end) ?? null;
      roles.push({ person: key, title: r.text, organization: org?.key ?? null, place: place?.key ?? null, as_of: article.date_published, start: r.start, end: r.end });
    }
  }

  const context: ArticleContext = { article, doc, occurrences, personKey, dates, places: placeMentions, events: eventMentions, eventDates, roleSpans: roles };
  const interactions = findInteractions(context);
  const quotes = findQuotes(context);

  mentions.sort((a, b) => a.start - b.start || a.end - b.end || (a.entity < b.entity ? -1 : 1));
  roles.sort((a, b) => a.start - b.start);
  return { entities, mentions, roles, interactions, quotes };
}

/** Starts of the tokens inside the spans: each span's tokens, found by binary search (spans are few, tokens many). */
function tokenStartsInside(doc: Doc, spans: readonly Span[]): Set<number> {
  const out = new Set<number>();
  const add = (i: number) => out.add(doc.tokens[i]!.start);
  for (const span of spans) forEachTokenIn(doc, span, add);
  return out;
}

/** The date stated in a sentence (the one nearest the anchor), or null. */
export function nearestDate(dates: readonly DateMatch[], sentence: Span, anchor: Span): DateMatch | null {
  let best: DateMatch | null = null;
  let bestDistance = Infinity;
  for (const d of dates) {
    if (d.start < sentence.start || d.end > sentence.end) continue;
    const distance = d.start >= anchor.end ? d.start - anchor.end : anchor.start - d.end;
    if (distance < bestDistance) {
      best = d;
      bestDistance = distance;
    }
  }
  return best;
}

export type { FoundEvent };
