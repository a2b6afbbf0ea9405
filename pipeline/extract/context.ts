// What the interaction and quote finders share about one article.
import type { CleanArticle } from '../article.js';
import type { DateMatch } from './dates.js';
import type { Doc } from './text.js';
import type { FoundPerson, NameOccurrence } from './people.js';
import type { FoundEvent } from './events.js';

export interface LocatedKey {
  key: string;
  start: number;
  end: number;
}

export interface ArticleContext {
  article: CleanArticle;
  doc: Doc;
  /** Every reference to a person (full name, surname, title alone), sorted by start. */
  occurrences: NameOccurrence[];
  personKey: ReadonlyMap<FoundPerson, string>;
  dates: DateMatch[];
  /** Place mentions with their entity keys and kinds, sorted by start. */
  places: Array<LocatedKey & { kind: string }>;
  /** Event mentions with their entity keys, sorted by start. */
  events: Array<LocatedKey & { event: FoundEvent }>;
  /** Spans of people's titles (places inside them are not meeting places). */
  roleSpans: ReadonlyArray<{ start: number; end: number }>;
  /** Dates of each event key (EDTF start/end). */
  eventDates: ReadonlyMap<string, { start: string | null; end: string | null; place: string | null }>;
}
