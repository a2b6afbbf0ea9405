// Per-article coreference: once a person is known by a full name, later
// references by surname (`Chen said`, `Minister Huai`, `TANG’s delegation`),
// by given name (`Naranbayar`) or by title alone (`the Director-General`,
// `the Vice Premier`, `declares UNESCO Director-General`) are resolved to the
// same person.
import type { Doc, Token } from './text.js';
import { spaced } from './text.js';
import type { FoundPerson, NameOccurrence, PersonMention } from './people.js';
import { _isNameToken } from './people.js';
import { FLAG, TITLE_MODIFIERS, isTitleHead, nameKey } from './lexicon.js';

export interface TitleReference {
  person: FoundPerson;
  start: number;
  end: number;
  surface: string;
}

/** nameKey of a token's base: for a plain ASCII word that is its lower-cased form, already at hand. */
function wordKey(t: Token): string {
  const base = t.base;
  for (let i = 0; i < base.length; i++) {
    const c = base.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57))) return nameKey(base);
  }
  return t.lower;
}

/** Mentions of known people by one word of their name; returns the new occurrences. */
export function resolveNameParts(doc: Doc, people: FoundPerson[], occurrences: NameOccurrence[], blocked: (offset: number) => boolean): NameOccurrence[] {
  const index = new Map<string, FoundPerson[]>();
  for (const p of people) {
    const forms = new Set([p.name, ...p.aliases]);
    for (const f of forms) {
      for (const w of f.split(/\s+/)) {
        if (w.length < 2) continue;
        const key = nameKey(w);
        const list = index.get(key) ?? [];
        if (!list.includes(p)) list.push(p);
        index.set(key, list);
      }
    }
  }
  const taken = new Set<number>();
  for (const o of occurrences) for (let k = o.tokenStart; k <= o.tokenEnd; k++) taken.add(k);
  const lastSeen = new Map<FoundPerson, number>();
  const all = [...occurrences].sort((a, b) => a.start - b.start);
  const added: NameOccurrence[] = [];
  const tokens = doc.tokens;
  let oi = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    while (oi < all.length && all[oi]!.start <= t.start) {
      lastSeen.set(all[oi]!.person, all[oi]!.start);
      oi++;
    }
    if (!t.cap || taken.has(i) || blocked(t.start)) continue;
    const list = index.get(wordKey(t));
    // `TANG’s delegation`: an upper-case surname alone is still that person.
    if (!list || (!_isNameToken(doc, i) && !(t.upper && list.length > 0))) continue;
    // A word inside a longer unknown name (`Chen Xiaoming` when only `Chen Jining` is known) is someone else.
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    if (!t.possessive && next && spaced(doc, i, i + 1) && _isNameToken(doc, i + 1) && !taken.has(i + 1)) continue;
    if (prev && spaced(doc, i - 1, i) && _isNameToken(doc, i - 1) && !taken.has(i - 1)) continue;
    let person = list[0]!;
    if (list.length > 1) {
      let best = -1;
      for (const p of list) {
        const seen = lastSeen.get(p) ?? -1;
        if (seen > best) {
          best = seen;
          person = p;
        }
      }
    }
    const mention: PersonMention = { start: t.start, end: t.baseEnd, surface: t.base };
    person.mentions.push(mention);
    if (t.base !== person.name && !person.aliases.includes(t.base)) person.aliases.push(t.base);
    const o: NameOccurrence = { person, start: t.start, end: t.baseEnd, npStart: t.start, npEnd: t.baseEnd, tokenStart: i, tokenEnd: i };
    // `Minister Huai`, `Mayor Gong`: the title before is part of the noun phrase.
    let k = i - 1;
    while (k >= 0 && tokens[k]!.cap && (isTitleHead(tokens[k]!.lower) || TITLE_MODIFIERS.has(tokens[k]!.lower)) && spaced(doc, k, k + 1)) k--;
    if (k < i - 1) o.npStart = tokens[k + 1]!.start;
    added.push(o);
    lastSeen.set(person, t.start);
    taken.add(i);
  }
  return added;
}

/**
 * The people one of whose roles holds the title phrase (a one-word phrase: the head as one of its words).
 * (A function of its own: a closure over the phrase inside the token loop made every token allocate a scope.)
 */
function peopleWithRole(people: FoundPerson[], roleKeys: string[][], phrase: string, head: string): FoundPerson[] {
  const oneWord = !phrase.includes(' ');
  return people.filter((_p, n) => roleKeys[n]!.some((key) => key.includes(phrase) || (oneWord && hasWord(key, head))));
}

/** `key.split(' ').includes(word)` without the array. */
function hasWord(key: string, word: string): boolean {
  for (let at = key.indexOf(word); at !== -1; at = key.indexOf(word, at + 1)) {
    const end = at + word.length;
    if ((at === 0 || key.charCodeAt(at - 1) === 32) && (end === key.length || key.charCodeAt(end) === 32)) return true;
  }
  return false;
}

/**
 * `the Director-General`, `the Vice Premier`, `the Party Secretary`, `UNESCO Director-General`
 * without a name: the person whose stated role has that title (the most recent one when several).
 */
export function resolveTitleReferences(doc: Doc, people: FoundPerson[], occurrences: NameOccurrence[], claimed: (s: number, e: number) => boolean): NameOccurrence[] {
  const tokens = doc.tokens;
  const added: NameOccurrence[] = [];
  const sorted = [...occurrences].sort((a, b) => a.start - b.start);
  // nameKey of each person's roles, made when the first title word is met (the roles do not change here).
  let roleKeys: string[][] | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    // (For a capitalised word the title-head flag is isTitleHead(lower).)
    if (!t.cap || t.upper || (t.flags & FLAG.titleHead) === 0 || (t.lower.endsWith('s') && isTitleHead(t.lower.slice(0, -1)))) continue;
    // The phrase: capitalised modifiers before the head (`Vice Premier`, `Party Secretary`, `UNESCO Director-General`).
    let first = i;
    while (first > 0 && spaced(doc, first - 1, first)) {
      const p = tokens[first - 1]!;
      if (p.cap && (TITLE_MODIFIERS.has(p.lower) || p.upper || isTitleHead(p.lower))) first--;
      else break;
    }
    const start = tokens[first]!.start;
    const end = t.end;
    if (claimed(start, end)) continue;
    // Followed by a name or `of ...`: a title of someone named right there, handled by people.ts.
    const after = doc.text.slice(end, end + 4);
    if (/^ (?:of|for|at)\b/.test(after)) continue;
    const next = tokens[i + 1];
    if (next && spaced(doc, i, i + 1) && next.cap && _isNameToken(doc, i + 1)) continue;
    roleKeys ??= people.map((p) => p.roles.map((r) => nameKey(r.text)));
    const candidates = peopleWithRole(people, roleKeys, nameKey(doc.text.slice(start, end)), t.lower);
    if (candidates.length === 0) continue;
    let person = candidates[0]!;
    let best = -1;
    for (const o of sorted) {
      if (o.start >= start) break;
      if (candidates.includes(o.person) && o.start > best) {
        best = o.start;
        person = o.person;
      }
    }
    const surface = doc.text.slice(start, end);
    person.mentions.push({ start, end, surface });
    added.push({ person, start, end, npStart: start, npEnd: end, tokenStart: first, tokenEnd: i });
  }
  return added;
}
