// The merge step, in two halves. localize (per article, so it runs in the
// worker threads): article-local entities get dataset-wide IDs (derived from
// the canonical name, so no other article is needed), extraction offsets
// (UTF-16) become code-point offsets, and the article's rows are built.
// EntityMerger (the one cross-article step): the occurrences of an entity in
// every article are reconciled into one row (conflicts warn, never silently
// pick). It keeps counts per entity, not the articles, so memory grows with
// the number of distinct entities, not with the corpus.
import type { CleanArticle } from './article.js';
import type { Extraction, LocalEntity } from './extract/types.js';
import { rowId, slug } from './ids.js';
import type { MessageSink } from './messages.js';
import type {
  ArticlesRecord,
  EntitiesRecord,
  EventsRecord,
  InteractionParticipantsRecord,
  InteractionsRecord,
  MentionsRecord,
  OrganizationsRecord,
  PeopleRecord,
  PlacesRecord,
  QuotesRecord,
  RolesRecord,
} from './records.generated.js';
import { cmp } from './messages.js';
import { TABLE_NAMES } from './schema.js';

export interface ArticleForMerge {
  record: ArticlesRecord;
  clean: CleanArticle;
  extraction: Extraction;
}

/** Tables whose rows belong to one article (their IDs embed or hash the article ID). */
export const ARTICLE_TABLES = ['articles', 'mentions', 'roles', 'interactions', 'interaction_participants', 'quotes'] as const;
export type ArticleTableName = (typeof ARTICLE_TABLES)[number];
/** Tables of dataset-wide entities, built by EntityMerger from every article's occurrences. */
export const ENTITY_TABLES = ['entities', 'people', 'organizations', 'places', 'events'] as const;
export type EntityTableName = (typeof ENTITY_TABLES)[number];

export interface Tables {
  articles: ArticlesRecord[];
  entities: EntitiesRecord[];
  people: PeopleRecord[];
  organizations: OrganizationsRecord[];
  places: PlacesRecord[];
  events: EventsRecord[];
  mentions: MentionsRecord[];
  roles: RolesRecord[];
  interactions: InteractionsRecord[];
  interaction_participants: InteractionParticipantsRecord[];
  quotes: QuotesRecord[];
}

export function emptyTables(): Tables {
  return Object.fromEntries(TABLE_NAMES.map((t) => [t, []])) as unknown as Tables;
}

const ID_PREFIX: Record<LocalEntity['type'], string> = {
  person: 'person',
  organization: 'org',
  place: 'place',
  event: 'event',
};

/** Slugs of names seen before: the same names recur across articles, and slugging is Unicode normalisation plus four regexes. */
const slugCache = new Map<string, string>();
const SLUG_CACHE_LIMIT = 100_000;

function cachedSlug(name: string): string {
  let value = slugCache.get(name);
  if (value === undefined) {
    if (slugCache.size >= SLUG_CACHE_LIMIT) slugCache.clear();
    slugCache.set(name, (value = slug(name)));
  }
  return value;
}

/** Strings that slug() returns unchanged: lower-case ASCII letters and digits, single hyphens between them. */
const SLUG_FIXED_POINT = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** slug() of an entity ID, which is almost always a slug already (prefix, slugged name, country code). */
export function idSlug(id: string): string {
  return SLUG_FIXED_POINT.test(id) ? id : cachedSlug(id);
}

export function globalEntityId(entity: LocalEntity): string {
  const base = `${ID_PREFIX[entity.type]}-${cachedSlug(entity.name)}`;
  // Places of the same name in different countries (Victoria, AU / CA) are different places.
  if (entity.type === 'place' && entity.kind !== 'country' && entity.country_code) {
    return `${base}-${entity.country_code.toLowerCase()}`;
  }
  return base;
}

/** Converts UTF-16 offsets of one text to code-point offsets. */
export function codePointOffsets(text: string): (utf16: number) => number {
  if (!/[\uD800-\uDFFF]/.test(text)) return (i) => i;
  const table = new Uint32Array(text.length + 1);
  let cp = 0;
  for (let i = 0; i < text.length; i++) {
    table[i] = cp;
    const c = text.charCodeAt(i);
    // A high surrogate and its low surrogate are one code point.
    if (!(c >= 0xd800 && c <= 0xdbff && i + 1 < text.length)) cp++;
  }
  table[text.length] = cp;
  return (i) => table[i]!;
}

type Pushable = Pick<MessageSink, 'push'>;

/** One entity as one article sees it: the row it would get from this article alone. */
export type EntityOccurrence =
  | { table: 'people'; row: PeopleRecord }
  | { table: 'organizations'; row: OrganizationsRecord }
  | { table: 'places'; row: PlacesRecord }
  | { table: 'events'; row: EventsRecord };

export const ENTITY_TYPE_OF_TABLE = { people: 'person', organizations: 'organization', places: 'place', events: 'event' } as const;

export function occurrenceId(o: EntityOccurrence): string {
  switch (o.table) {
    case 'people':
      return o.row.person_id;
    case 'organizations':
      return o.row.organization_id;
    case 'places':
      return o.row.place_id;
    case 'events':
      return o.row.event_id;
  }
}

export interface LocalizedArticle {
  /** The article's own rows, in publication order. */
  rows: Pick<Tables, ArticleTableName>;
  /** One per local entity (two local entities may share a dataset-wide ID). */
  occurrences: EntityOccurrence[];
}

/** Names and aliases as published: no list separator, nothing blank. */
const publishableAlias = (a: string) => !a.includes(';') && a.trim() !== '';

function occurrenceOf(entity: LocalEntity, id: string, placeId: string | null): EntityOccurrence {
  const aliases = [...new Set(entity.aliases)].filter((a) => a !== entity.name && publishableAlias(a)).sort(cmp);
  switch (entity.type) {
    case 'person':
      return { table: 'people', row: { person_id: id, name: entity.name, aliases, country_code: entity.country_code } };
    case 'organization':
      return {
        table: 'organizations',
        row: { organization_id: id, name: entity.name, acronym: entity.acronym, aliases: aliases.filter((a) => a !== entity.acronym), kind: entity.kind, country_code: entity.country_code },
      };
    case 'place':
      return {
        table: 'places',
        row: { place_id: id, name: entity.name, aliases, kind: entity.kind, country_code: entity.country_code, latitude: entity.latitude, longitude: entity.longitude },
      };
    case 'event':
      return {
        table: 'events',
        row: { event_id: id, name: entity.name, aliases, kind: entity.kind, start_date: entity.start_date, end_date: entity.end_date, place_id: placeId },
      };
  }
}

/** The per-article half of the merge: dataset-wide IDs, code-point offsets, the article's rows. */
export function localize({ record, clean, extraction }: ArticleForMerge): LocalizedArticle {
  const rows: Pick<Tables, ArticleTableName> = { articles: [record], mentions: [], roles: [], interactions: [], interaction_participants: [], quotes: [] };
  const articleId = record.article_id;
  const toCp = codePointOffsets(clean.text);
  const globalOf = new Map<string, string>();
  for (const entity of extraction.entities) globalOf.set(entity.key, globalEntityId(entity));
  const ref = (key: string | null): string | null => (key === null ? null : (globalOf.get(key) ?? null));
  const occurrences = extraction.entities.map((entity) => occurrenceOf(entity, globalOf.get(entity.key)!, entity.type === 'event' ? ref(entity.place) : null));
  const typeOf = new Map(extraction.entities.map((e) => [e.key, e.type]));

  const seenMentions = new Set<string>();
  const articleHash = articleId.slice('article-'.length);
  for (const m of extraction.mentions) {
    const entityId = ref(m.entity);
    if (!entityId) continue;
    const start = toCp(m.start);
    const end = toCp(m.end);
    const id = `mention-${articleHash}-${start}-${end}-${idSlug(entityId)}`;
    if (seenMentions.has(id)) continue;
    seenMentions.add(id);
    rows.mentions.push({ mention_id: id, article_id: articleId, entity_id: entityId, entity_type: typeOf.get(m.entity)!, start, end, surface: m.surface });
  }
  for (const r of extraction.roles) {
    const personId = ref(r.person);
    if (!personId) continue;
    const start = toCp(r.start);
    const end = toCp(r.end);
    rows.roles.push({
      role_id: rowId('role', articleId, personId, r.title, start, end),
      article_id: articleId,
      person_id: personId,
      title: r.title,
      organization_id: ref(r.organization),
      place_id: ref(r.place),
      as_of: r.as_of,
      start,
      end,
    });
  }
  const participantsOf = new Map<string, InteractionParticipantsRecord[]>();
  for (const i of extraction.interactions) {
    const start = toCp(i.start);
    const end = toCp(i.end);
    const participants = new Map<string, InteractionParticipantsRecord['role']>();
    for (const p of i.participants) {
      const id = ref(p.entity);
      if (!id) continue;
      // A participant named twice keeps the more specific role.
      if (!participants.has(id) || participants.get(id) === 'participant') participants.set(id, p.role);
    }
    const participantIds = [...participants.keys()].sort();
    const interactionId = rowId('interaction', articleId, i.kind, start, end, participantIds.join(','));
    rows.interactions.push({
      interaction_id: interactionId,
      article_id: articleId,
      kind: i.kind,
      cameo_code: i.cameo_code,
      date: i.date,
      date_basis: i.date === null ? null : i.date_basis,
      place_id: ref(i.place),
      event_id: ref(i.event),
      start,
      end,
    });
    participantsOf.set(interactionId, participantIds.map((entityId) => ({ interaction_id: interactionId, entity_id: entityId, role: participants.get(entityId)! })));
  }
  for (const q of extraction.quotes) {
    const start = toCp(q.start);
    const end = toCp(q.end);
    rows.quotes.push({ quote_id: rowId('quote', articleId, start, end), article_id: articleId, speaker_id: ref(q.speaker), text: q.text, direct: q.direct, start, end });
  }

  rows.mentions.sort((a, b) => a.start - b.start || a.end - b.end || cmp(a.entity_id, b.entity_id));
  rows.roles.sort((a, b) => a.start - b.start || cmp(a.role_id, b.role_id));
  rows.interactions.sort((a, b) => a.start - b.start || cmp(a.interaction_id, b.interaction_id));
  // Participants follow their interactions, so every article-owned table is grouped by article.
  rows.interaction_participants = rows.interactions.flatMap((i) => participantsOf.get(i.interaction_id) ?? []);
  rows.quotes.sort((a, b) => a.start - b.start || cmp(a.quote_id, b.quote_id));
  return { rows, occurrences };
}

/**
 * Everything the articles say about one entity, as counts: enough for the consensus, whatever the corpus
 * size. Aliases and acronyms are counted too (only which exist is published), so that the tallies of some
 * articles can be taken away again (subtract()).
 */
export interface EntityTally {
  table: EntityOccurrence['table'];
  names: Map<string, number>;
  aliases: Map<string, number>;
  acronyms: Map<string, number>;
  /** Votes per attribute (country_code, kind, ...), value → number of occurrences. */
  attributes: Map<string, Map<string | number, number>>;
}

function copyTally(tally: EntityTally): EntityTally {
  return {
    table: tally.table,
    names: new Map(tally.names),
    aliases: new Map(tally.aliases),
    acronyms: new Map(tally.acronyms),
    attributes: new Map([...tally.attributes].map(([attribute, counts]) => [attribute, new Map(counts)])),
  };
}

/** Adds `from`'s counts to `into`'s. New keys go last, as if `from`'s occurrences had been added after `into`'s. */
function addCounts<K>(into: Map<K, number>, from: ReadonlyMap<K, number>): void {
  for (const [key, n] of from) into.set(key, (into.get(key) ?? 0) + n);
}

function subtractCounts<K>(from: Map<K, number>, counts: ReadonlyMap<K, number>, id: string): void {
  for (const [key, n] of counts) {
    const left = (from.get(key) ?? 0) - n;
    if (left < 0) throw new Error(`internal: EntityMerger.subtract: ${id} has fewer ${String(key)} than taken away`);
    if (left === 0) from.delete(key);
    else from.set(key, left);
  }
}

/** EntityMerger's whole state as plain data (it survives structuredClone and v8.serialize): the tally of each entity, in the order the entities were first seen. */
export interface EntityMergerState {
  tallies: Map<string, EntityTally>;
}

/** The value most articles agree on; ties go to the smallest, so the result is deterministic. */
function consensusOf<T extends string | number>(counts: Map<T, number> | undefined, what: string, entityId: string, sink: Pushable): T | null {
  if (!counts || counts.size === 0) return null;
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || cmp(String(a[0]), String(b[0])));
  if (ranked.length > 1) {
    sink.push({
      stage: 'merge',
      rule: 'conflicting-attribute',
      severity: 'warning',
      reason: `${entityId}: articles disagree on ${what} (${ranked.map(([v, n]) => `${v} ×${n}`).join(', ')}); kept ${ranked[0]![0]}`,
    });
  }
  return ranked[0]![0];
}

/** The cross-article half of the merge: occurrences in, one row per entity out. Order of adding does not matter. */
export class EntityMerger {
  private readonly tallies = new Map<string, EntityTally>();

  add(occurrence: EntityOccurrence): void {
    const id = occurrenceId(occurrence);
    let tally = this.tallies.get(id);
    if (!tally) {
      tally = { table: occurrence.table, names: new Map(), aliases: new Map(), acronyms: new Map(), attributes: new Map() };
      this.tallies.set(id, tally);
    }
    const row = occurrence.row;
    tally.names.set(row.name, (tally.names.get(row.name) ?? 0) + 1);
    if (publishableAlias(row.name)) tally.aliases.set(row.name, (tally.aliases.get(row.name) ?? 0) + 1);
    for (const a of row.aliases) tally.aliases.set(a, (tally.aliases.get(a) ?? 0) + 1);
    const vote = (attribute: string, value: string | number | null) => {
      if (value === null) return;
      let counts = tally.attributes.get(attribute);
      if (!counts) tally.attributes.set(attribute, (counts = new Map()));
      counts.set(value, (counts.get(value) ?? 0) + 1);
    };
    switch (occurrence.table) {
      case 'people':
        vote('country_code', occurrence.row.country_code);
        break;
      case 'organizations':
        if (occurrence.row.acronym !== null) tally.acronyms.set(occurrence.row.acronym, (tally.acronyms.get(occurrence.row.acronym) ?? 0) + 1);
        vote('acronym', occurrence.row.acronym);
        vote('kind', occurrence.row.kind);
        vote('country_code', occurrence.row.country_code);
        break;
      case 'places':
        vote('kind', occurrence.row.kind);
        vote('country_code', occurrence.row.country_code);
        // Latitude and longitude travel together: a vote for the pair.
        if (occurrence.row.latitude !== null && occurrence.row.longitude !== null) vote('coordinates', `${occurrence.row.latitude} ${occurrence.row.longitude}`);
        break;
      case 'events':
        vote('kind', occurrence.row.kind);
        vote('start_date', occurrence.row.start_date);
        vote('end_date', occurrence.row.end_date);
        vote('place', occurrence.row.place_id);
        break;
    }
  }

  /** A copy: adding to this merger later does not change it. */
  state(): EntityMergerState {
    return { tallies: new Map([...this.tallies].map(([id, tally]) => [id, copyTally(tally)])) };
  }

  /** A merger that behaves as the one whose state() this was; it copies the state, so the state can be used again. */
  static fromState(state: EntityMergerState): EntityMerger {
    const merger = new EntityMerger();
    for (const [id, tally] of state.tallies) merger.tallies.set(id, copyTally(tally));
    return merger;
  }

  /** Folds in a merger of the occurrences that come after this one's: the same as adding them here, one by one. `later` is left as it was. */
  absorb(later: EntityMerger): void {
    if (later === this) throw new Error('EntityMerger.absorb: a merger cannot absorb itself');
    // state() is a copy: nothing of `later` is shared.
    this.absorbState(later.state());
  }

  /** The same as absorb(EntityMerger.fromState(later)), without copying: the state's tallies are taken over, so it must not be used again. */
  absorbState(later: EntityMergerState): void {
    for (const [id, theirs] of later.tallies) {
      const ours = this.tallies.get(id);
      if (!ours) {
        this.tallies.set(id, theirs);
        continue;
      }
      // The first occurrence decides the table, as in add().
      addCounts(ours.names, theirs.names);
      addCounts(ours.aliases, theirs.aliases);
      addCounts(ours.acronyms, theirs.acronyms);
      for (const [attribute, counts] of theirs.attributes) {
        const votes = ours.attributes.get(attribute);
        if (votes) addCounts(votes, counts);
        else ours.attributes.set(attribute, new Map(counts));
      }
    }
  }

  /**
   * Takes away the tallies of occurrences that were added before (a chunk counted twice): as if they had
   * never been added, whatever was added around them. An entity none of whose occurrences is left goes.
   */
  subtract(earlier: EntityMergerState): void {
    for (const [id, theirs] of earlier.tallies) {
      const ours = this.tallies.get(id);
      if (!ours) throw new Error(`internal: EntityMerger.subtract: ${id} was never added`);
      subtractCounts(ours.names, theirs.names, id);
      subtractCounts(ours.aliases, theirs.aliases, id);
      subtractCounts(ours.acronyms, theirs.acronyms, id);
      for (const [attribute, counts] of theirs.attributes) {
        const votes = ours.attributes.get(attribute);
        if (!votes) throw new Error(`internal: EntityMerger.subtract: ${id} has no votes on ${attribute}`);
        subtractCounts(votes, counts, id);
        if (votes.size === 0) ours.attributes.delete(attribute);
      }
      // Every occurrence adds a name: none left, no occurrence left.
      if (ours.names.size === 0) this.tallies.delete(id);
    }
  }

  /** Distinct entities so far. */
  get size(): number {
    return this.tallies.size;
  }

  has(id: string): boolean {
    return this.tallies.has(id);
  }

  finish(sink: Pushable): Pick<Tables, EntityTableName> {
    const tables: Pick<Tables, EntityTableName> = { entities: [], people: [], organizations: [], places: [], events: [] };
    const quiet = new NullSink();
    for (const [id, tally] of [...this.tallies.entries()].sort(([a], [b]) => cmp(a, b))) {
      const name = consensusOf(tally.names, 'the spelling of the name', id, quiet)!;
      const aliases = [...tally.aliases.keys()].filter((a) => a !== name).sort(cmp);
      const attribute = <T extends string | number>(key: string, what = key) => consensusOf(tally.attributes.get(key) as Map<T, number> | undefined, what, id, sink);
      tables.entities.push({ entity_id: id, entity_type: ENTITY_TYPE_OF_TABLE[tally.table], name });
      switch (tally.table) {
        case 'people':
          tables.people.push({ person_id: id, name, aliases, country_code: attribute('country_code') });
          break;
        case 'organizations':
          tables.organizations.push({
            organization_id: id,
            name,
            acronym: attribute('acronym'),
            aliases: aliases.filter((a) => !tally.acronyms.has(a)),
            kind: attribute('kind'),
            country_code: attribute('country_code'),
          });
          break;
        case 'places': {
          const coordinates = consensusOf(tally.attributes.get('coordinates') as Map<string, number> | undefined, 'coordinates', id, quiet);
          const [latitude, longitude] = coordinates === null ? [null, null] : coordinates.split(' ').map(Number);
          tables.places.push({
            place_id: id,
            name,
            aliases,
            kind: attribute<PlacesRecord['kind']>('kind')!,
            country_code: attribute('country_code'),
            latitude: latitude ?? null,
            longitude: longitude ?? null,
          });
          break;
        }
        case 'events':
          tables.events.push({
            event_id: id,
            name,
            aliases,
            kind: attribute('kind'),
            start_date: attribute('start_date'),
            end_date: attribute('end_date'),
            place_id: attribute('place'),
          });
          break;
      }
    }
    return tables;
  }
}

/** Name spellings differ legitimately (case, accents); that is not worth a warning. */
class NullSink implements Pushable {
  push(): void {}
}
