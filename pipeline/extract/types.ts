// What extraction produces for ONE article. Keys are article-local; the merge
// step turns them into dataset-wide stable ids and converts offsets.
//
// All offsets here are UTF-16 offsets (plain JavaScript string indices) into
// CleanArticle.text, end exclusive, so that text.slice(start, end) === surface.
// The merge step converts them to Unicode code points for publication.

export type EntityType = 'person' | 'organization' | 'place' | 'event';
export type PlaceKind = 'country' | 'city' | 'region' | 'continent';

interface LocalEntityBase {
  /** Article-local key, unique within this article's Extraction (e.g. `person:Huai Jinpeng`). */
  key: string;
  /** Canonical full name (the best name known: reference list, else the longest printed form). */
  name: string;
  /** Other surface forms seen in this article or known equivalents (never equal to name). */
  aliases: string[];
}

export interface LocalPerson extends LocalEntityBase {
  type: 'person';
  /** ISO 3166-1 alpha-2 of the country the person serves/belongs to, when the text or the reference list says; else null. */
  country_code: string | null;
}

export interface LocalOrganization extends LocalEntityBase {
  type: 'organization';
  acronym: string | null;
  /** e.g. `ministry`, `university`, `intergovernmental organization`, `government`, `school`, `commission`, `institute`; null if unknown. */
  kind: string | null;
  country_code: string | null;
}

export interface LocalPlace extends LocalEntityBase {
  type: 'place';
  kind: PlaceKind;
  country_code: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface LocalEvent extends LocalEntityBase {
  type: 'event';
  /** e.g. `conference`, `general conference`, `meeting`, `award ceremony`, `forum`. */
  kind: string | null;
  /** EDTF dates (`2023-11-07`, `XXXX-10-21`, `2014-06`) or null. */
  start_date: string | null;
  end_date: string | null;
  /** Local key of a LocalPlace in the same Extraction, or null. */
  place: string | null;
}

export type LocalEntity = LocalPerson | LocalOrganization | LocalPlace | LocalEvent;

export interface LocalMention {
  /** Local key of the entity. */
  entity: string;
  start: number;
  end: number;
  /** Exactly text.slice(start, end). */
  surface: string;
}

export interface LocalRole {
  person: string;
  /** Title as stated, e.g. `Minister of Education`, `Shanghai Mayor`, `Director-General of UNESCO`. */
  title: string;
  organization: string | null;
  place: string | null;
  /** The article's date_published (the date the article states the role), or null. */
  as_of: string | null;
  /** Span of the title (or title + name apposition) in the text. */
  start: number;
  end: number;
}

export type ParticipantRole = 'host' | 'guest' | 'participant';

export interface LocalInteraction {
  /** `meeting`, `talks`, `visit`, `signing`, ... */
  kind: string;
  /** CAMEO code for the kind: meeting `040`/`043`, talks `040`, visit `042`, host a visit `043`, signing `057`... */
  cameo_code: string;
  /** EDTF date or interval (`2023-07-02`, `2023-11-07/2023-11-12`, `XXXX-10-21`, `2011-08`), null when not stated. */
  date: string | null;
  /** How the date was found: `stated`, `relative to dateline`, `span of the visit`, `same day as previous`, ...; null when date is null. */
  date_basis: string | null;
  place: string | null;
  event: string | null;
  /** Span of the evidence sentence. */
  start: number;
  end: number;
  participants: Array<{ entity: string; role: ParticipantRole }>;
}

export interface LocalQuote {
  /** Local key of the speaking person, or null when no speaker could be resolved. */
  speaker: string | null;
  /** The quoted words (direct) or the reported clause (indirect), exactly text.slice(start, end). */
  text: string;
  direct: boolean;
  start: number;
  end: number;
}

export interface Extraction {
  entities: LocalEntity[];
  mentions: LocalMention[];
  roles: LocalRole[];
  interactions: LocalInteraction[];
  quotes: LocalQuote[];
}
