// The merge step: the one cross-article step. Article-local entities become
// dataset-wide entities with stable IDs (derived from the canonical name),
// attributes are reconciled (conflicts warn, never silently pick), and
// extraction offsets (UTF-16) become code-point offsets for publication.
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

export interface ArticleForMerge {
  record: ArticlesRecord;
  clean: CleanArticle;
  extraction: Extraction;
}

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

const ID_PREFIX: Record<LocalEntity['type'], string> = {
  person: 'person',
  organization: 'org',
  place: 'place',
  event: 'event',
};

export function globalEntityId(entity: LocalEntity): string {
  const base = `${ID_PREFIX[entity.type]}-${slug(entity.name)}`;
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

interface Occurrence {
  articleId: string;
  entity: LocalEntity;
  /** For an event: the global ID of its place, resolved within its article. */
  placeId: string | null;
}

type Pushable = Pick<MessageSink, 'push'>;

/** The value most articles agree on; ties go to the smallest, so the result is deterministic. */
function consensus<T extends string | number>(
  values: Array<T | null>,
  what: string,
  entityId: string,
  sink: Pushable,
): T | null {
  const counts = new Map<T, number>();
  for (const v of values) if (v !== null && v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  if (counts.size === 0) return null;
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

export function merge(articles: readonly ArticleForMerge[], sink: MessageSink): Tables {
  const sorted = [...articles].sort((a, b) => cmp(a.record.article_id, b.record.article_id));
  const occurrences = new Map<string, Occurrence[]>();
  const tables: Tables = {
    articles: [],
    entities: [],
    people: [],
    organizations: [],
    places: [],
    events: [],
    mentions: [],
    roles: [],
    interactions: [],
    interaction_participants: [],
    quotes: [],
  };

  for (const { record, clean, extraction } of sorted) {
    tables.articles.push(record);
    const articleId = record.article_id;
    const toCp = codePointOffsets(clean.text);
    const globalOf = new Map<string, string>();
    for (const entity of extraction.entities) globalOf.set(entity.key, globalEntityId(entity));
    for (const entity of extraction.entities) {
      const id = globalOf.get(entity.key)!;
      const placeId = entity.type === 'event' && entity.place !== null ? (globalOf.get(entity.place) ?? null) : null;
      const list = occurrences.get(id) ?? [];
      list.push({ articleId, entity, placeId });
      occurrences.set(id, list);
    }
    const ref = (key: string | null): string | null => (key === null ? null : (globalOf.get(key) ?? null));
    const typeOf = new Map(extraction.entities.map((e) => [e.key, e.type]));

    const seenMentions = new Set<string>();
    for (const m of extraction.mentions) {
      const entityId = ref(m.entity);
      if (!entityId) continue;
      const start = toCp(m.start);
      const end = toCp(m.end);
      const id = `mention-${articleId.slice('article-'.length)}-${start}-${end}-${slug(entityId)}`;
      if (seenMentions.has(id)) continue;
      seenMentions.add(id);
      tables.mentions.push({ mention_id: id, article_id: articleId, entity_id: entityId, entity_type: typeOf.get(m.entity)!, start, end, surface: m.surface });
    }
    for (const r of extraction.roles) {
      const personId = ref(r.person);
      if (!personId) continue;
      const start = toCp(r.start);
      const end = toCp(r.end);
      tables.roles.push({
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
      tables.interactions.push({
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
      for (const entityId of participantIds) {
        tables.interaction_participants.push({ interaction_id: interactionId, entity_id: entityId, role: participants.get(entityId)! });
      }
    }
    for (const q of extraction.quotes) {
      const start = toCp(q.start);
      const end = toCp(q.end);
      tables.quotes.push({
        quote_id: rowId('quote', articleId, start, end),
        article_id: articleId,
        speaker_id: ref(q.speaker),
        text: q.text,
        direct: q.direct,
        start,
        end,
      });
    }
  }

  for (const [id, list] of occurrences) {
    const entity = list[0]!.entity;
    const names = list.map((o) => o.entity.name);
    const name = consensus(names, 'the spelling of the name', id, new NullSink())!;
    const aliasSet = new Set<string>();
    for (const o of list) {
      for (const a of [o.entity.name, ...o.entity.aliases]) {
        if (a !== name && !a.includes(';') && a.trim() !== '') aliasSet.add(a);
      }
    }
    const aliases = [...aliasSet].sort(cmp);
    tables.entities.push({ entity_id: id, entity_type: entity.type, name });
    switch (entity.type) {
      case 'person': {
        const locals = list.map((o) => o.entity as Extract<LocalEntity, { type: 'person' }>);
        tables.people.push({ person_id: id, name, aliases, country_code: consensus(locals.map((e) => e.country_code), 'country_code', id, sink) });
        break;
      }
      case 'organization': {
        const locals = list.map((o) => o.entity as Extract<LocalEntity, { type: 'organization' }>);
        tables.organizations.push({
          organization_id: id,
          name,
          acronym: consensus(locals.map((e) => e.acronym), 'acronym', id, sink),
          aliases: aliases.filter((a) => !locals.some((e) => e.acronym === a)),
          kind: consensus(locals.map((e) => e.kind), 'kind', id, sink),
          country_code: consensus(locals.map((e) => e.country_code), 'country_code', id, sink),
        });
        break;
      }
      case 'place': {
        const locals = list.map((o) => o.entity as Extract<LocalEntity, { type: 'place' }>);
        const withCoordinates = locals.find((e) => e.latitude !== null && e.longitude !== null);
        tables.places.push({
          place_id: id,
          name,
          aliases,
          kind: consensus(locals.map((e) => e.kind), 'kind', id, sink)!,
          country_code: consensus(locals.map((e) => e.country_code), 'country_code', id, sink),
          latitude: withCoordinates?.latitude ?? null,
          longitude: withCoordinates?.longitude ?? null,
        });
        break;
      }
      case 'event': {
        const locals = list.map((o) => ({ event: o.entity as Extract<LocalEntity, { type: 'event' }> }));
        const placeIds = list.map((o) => o.placeId);
        tables.events.push({
          event_id: id,
          name,
          aliases,
          kind: consensus(locals.map(({ event }) => event.kind), 'kind', id, sink),
          start_date: consensus(locals.map(({ event }) => event.start_date), 'start_date', id, sink),
          end_date: consensus(locals.map(({ event }) => event.end_date), 'end_date', id, sink),
          place_id: consensus(placeIds, 'place', id, sink),
        });
        break;
      }
    }
  }

  const byKey = <T>(key: (r: T) => string) => (a: T, b: T) => cmp(key(a), key(b));
  tables.entities.sort(byKey((r) => r.entity_id));
  tables.people.sort(byKey((r) => r.person_id));
  tables.organizations.sort(byKey((r) => r.organization_id));
  tables.places.sort(byKey((r) => r.place_id));
  tables.events.sort(byKey((r) => r.event_id));
  tables.mentions.sort((a, b) => cmp(a.article_id, b.article_id) || a.start - b.start || a.end - b.end || cmp(a.entity_id, b.entity_id));
  tables.roles.sort((a, b) => cmp(a.article_id, b.article_id) || a.start - b.start || cmp(a.role_id, b.role_id));
  tables.interactions.sort((a, b) => cmp(a.article_id, b.article_id) || a.start - b.start || cmp(a.interaction_id, b.interaction_id));
  tables.interaction_participants.sort((a, b) => cmp(a.interaction_id, b.interaction_id) || cmp(a.entity_id, b.entity_id));
  tables.quotes.sort((a, b) => cmp(a.article_id, b.article_id) || a.start - b.start || cmp(a.quote_id, b.quote_id));
  return tables;
}

/** Name spellings differ legitimately (case, accents); that is not worth a warning. */
class NullSink implements Pushable {
  push(): void {}
}
