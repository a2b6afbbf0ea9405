// GENERATED from schemas/*.schema.json by pipeline/tools/generate-records.ts. Do not edit.

/**
 * One row per article emitted: its source file, decoding, title, date and cleaned text.
 */
export interface ArticlesRecord {
/**
 * Stable ID of the article: `article-` and the first 16 hex digits of the SHA-256 of the raw file's bytes.
 */
article_id: string
/**
 * File name of the article in the input folder.
 */
source_file: string
/**
 * SHA-256 of the raw file's bytes, lower-case hex.
 */
source_sha256: string
/**
 * Byte encoding detected for the raw file (WHATWG encoding label).
 */
encoding: ("utf-8" | "utf-16le" | "utf-16be" | "gb18030" | "gbk" | "big5" | "windows-1252")
/**
 * Number of mojibake and character repairs made while decoding (each one is listed in report.json).
 */
repairs: number
/**
 * Headline as printed, or when the article has no headline a title derived from its lead sentence.
 */
title: string
/**
 * `headline` when the article prints a headline (it is then the first paragraph of `text`); `lead` when the title was derived from the lead paragraph.
 */
title_source: ("headline" | "lead")
/**
 * Publication date stated by the file (dateline or date line), ISO 8601; empty when the file states none (never guessed).
 */
date_published: (string | null)
/**
 * Number of words in `text` (runs of letters and digits, with inner apostrophes and hyphens).
 */
word_count: number
/**
 * The whole cleaned article that all offsets refer to: the headline, when there is one, as the first paragraph, then the body; paragraphs separated by one blank line; Unicode NFC.
 */
text: string
}

/**
 * Index of every entity (people, organizations, places, events), so that any `entity_id` column has a single foreign-key target.
 */
export interface EntitiesRecord {
/**
 * ID of a person, organization, place or event; unique across the whole dataset.
 */
entity_id: string
/**
 * Which table holds the entity: `person`, `organization`, `place` or `event`.
 */
entity_type: ("person" | "organization" | "place" | "event")
/**
 * Canonical name of the entity.
 */
name: string
}

/**
 * People mentioned in the articles, merged across articles.
 */
export interface PeopleRecord {
/**
 * Stable ID: `person-` and the slug of the canonical name.
 */
person_id: string
/**
 * Canonical full name.
 */
name: string
/**
 * Other printed forms of the name (surname alone, upper-case surname, misspellings) and known equivalents.
 */
aliases: string[]
/**
 * Country the person belongs to or serves (ISO 3166-1 alpha-2); empty if unknown.
 */
country_code: (string | null)
}

/**
 * Organizations mentioned in the articles, merged across articles.
 */
export interface OrganizationsRecord {
/**
 * Stable ID: `org-` and the slug of the canonical name.
 */
organization_id: string
/**
 * Full name.
 */
name: string
/**
 * Acronym, when the text gives one (e.g. `IISTEM`).
 */
acronym: (string | null)
/**
 * Other names printed for the organization.
 */
aliases: string[]
/**
 * Kind of organization (e.g. `ministry`, `university`, `intergovernmental organization`); empty if unknown.
 */
kind: (string | null)
/**
 * Country of the organization (ISO 3166-1 alpha-2) where stated; empty otherwise.
 */
country_code: (string | null)
}

/**
 * Countries, cities, regions and continents mentioned in the articles, with ISO codes and coordinates.
 */
export interface PlacesRecord {
/**
 * Stable ID: `place-` and the slug of the name (with the country code).
 */
place_id: string
/**
 * Canonical English name.
 */
name: string
/**
 * Other names printed for the place.
 */
aliases: string[]
/**
 * `country`, `city`, `region` (province, state) or `continent`.
 */
kind: ("country" | "city" | "region" | "continent")
/**
 * ISO 3166-1 alpha-2 code of the country (the country itself for a country); empty for a continent.
 */
country_code: (string | null)
/**
 * Latitude (WGS 84 decimal degrees) from the gazetteer data package.
 */
latitude: (number | null)
/**
 * Longitude (WGS 84 decimal degrees) from the gazetteer data package.
 */
longitude: (number | null)
}

/**
 * Named events (conferences, meetings, award ceremonies) with their dates and places.
 */
export interface EventsRecord {
/**
 * Stable ID: `event-` and the slug of the canonical name.
 */
event_id: string
/**
 * Name with edition where stated (e.g. `42nd UNESCO General Conference`).
 */
name: string
/**
 * Other names printed for the event (acronym, without edition).
 */
aliases: string[]
/**
 * Kind of event (e.g. `conference`, `award ceremony`); empty if unknown.
 */
kind: (string | null)
/**
 * Start date (EDTF; `XXXX` where the year is not stated); empty if not stated.
 */
start_date: (string | null)
/**
 * End date (EDTF); empty if not stated or a single day.
 */
end_date: (string | null)
/**
 * Where the event took place (`places.place_id`); empty if not stated.
 */
place_id: (string | null)
}

/**
 * Every place in an article's text where an entity is named, with exact code-point offsets (the evidence).
 */
export interface MentionsRecord {
/**
 * Stable ID of the mention: article ID, entity and offsets.
 */
mention_id: string
/**
 * Article the mention is in (`articles.article_id`).
 */
article_id: string
/**
 * Entity mentioned (`entities.entity_id`).
 */
entity_id: string
/**
 * Type of the entity mentioned.
 */
entity_type: ("person" | "organization" | "place" | "event")
/**
 * Code-point offset in articles.text where the mention starts.
 */
start: number
/**
 * Code-point offset in articles.text where the mention ends (exclusive).
 */
end: number
/**
 * The text as printed: exactly `text[start:end]` of the article.
 */
surface: string
}

/**
 * Roles (titles) of people as an article states them, with the organization and place they belong to.
 */
export interface RolesRecord {
/**
 * Stable ID of the role statement.
 */
role_id: string
/**
 * Article that states the role (`articles.article_id`).
 */
article_id: string
/**
 * Person holding the role (`people.person_id`).
 */
person_id: string
/**
 * Title as stated (e.g. `Minister of Education`).
 */
title: string
/**
 * Organization the role belongs to (`organizations.organization_id`); empty if not stated.
 */
organization_id: (string | null)
/**
 * Place the role belongs to (`places.place_id`), e.g. Shanghai for `Shanghai Mayor`; empty if none.
 */
place_id: (string | null)
/**
 * Date the article states the role (its publication date); empty if the article is undated. Not a tenure.
 */
as_of: (string | null)
/**
 * Code-point offset in articles.text where the evidence of the role starts.
 */
start: number
/**
 * Code-point offset in articles.text where the evidence of the role ends (exclusive).
 */
end: number
}

/**
 * Meetings, talks, visits and signings between named people, with date, place, event and the evidence sentence.
 */
export interface InteractionsRecord {
/**
 * Stable ID of the interaction.
 */
interaction_id: string
/**
 * Article that reports it (`articles.article_id`).
 */
article_id: string
/**
 * `meeting`, `talks`, `visit`, `signing`, ...
 */
kind: string
/**
 * CAMEO event code the kind maps to (e.g. `040` consult, `042` make a visit, `043` host a visit, `057` sign formal agreement).
 */
cameo_code: string
/**
 * When it happened (EDTF: a day, a month, an interval, `XXXX` for an unstated year); empty if the text does not say.
 */
date: (string | null)
/**
 * How the date was found: `stated`, `relative to dateline`, `year from dateline`, ...; empty when there is no date.
 */
date_basis: (string | null)
/**
 * Where (`places.place_id`); empty if not stated.
 */
place_id: (string | null)
/**
 * Event it happened at (`events.event_id`); empty if none.
 */
event_id: (string | null)
/**
 * Code-point offset in articles.text where the evidence sentence starts.
 */
start: number
/**
 * Code-point offset in articles.text where the evidence sentence ends (exclusive).
 */
end: number
}

/**
 * Who took part in each interaction.
 */
export interface InteractionParticipantsRecord {
/**
 * The interaction (`interactions.interaction_id`).
 */
interaction_id: string
/**
 * A participant (`entities.entity_id`, usually a person).
 */
entity_id: string
/**
 * `host` or `guest` where the text shows who received whom; otherwise `participant`.
 */
role: ("host" | "guest" | "participant")
}

/**
 * Direct quotes and reported speech with their speakers.
 */
export interface QuotesRecord {
/**
 * Stable ID of the quote.
 */
quote_id: string
/**
 * Article that prints it (`articles.article_id`).
 */
article_id: string
/**
 * Who said it (`people.person_id`); empty if no speaker could be resolved.
 */
speaker_id: (string | null)
/**
 * The quoted words (direct) or the reported clause (indirect): exactly `text[start:end]` of the article.
 */
text: string
/**
 * `true` for words in quotation marks, `false` for reported speech.
 */
direct: boolean
/**
 * Code-point offset in articles.text where the quoted words starts.
 */
start: number
/**
 * Code-point offset in articles.text where the quoted words ends (exclusive).
 */
end: number
}
