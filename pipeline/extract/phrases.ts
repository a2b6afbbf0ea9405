// Shared readers for capitalised name phrases (`Ministry of Foreign Affairs of
// the People's Republic of China`, `International Conference on Engineering,
// Science and Technology`): used by the organisation and event finders.
import type { Doc, Token } from './text.js';
import { findCountry } from './places.js';
import { EVENT_HEADS, FOREIGN_ORG_HEADS, NON_NAME_WORDS, HONORIFICS, ORG_HEADS, isChineseSurname, isPinyinGivenName, isTitleHead } from './lexicon.js';

/** Capitalised, or a French elided article before a capital (`d’Etudes`). */
export function capLike(t: Token): boolean {
  if (t.cap) return true;
  // (The pattern only where it can match: a word starting `d` or `l`.)
  const c = t.text.charCodeAt(0);
  return (c === 100 || c === 108) && /^[dl][’'][\p{Lu}]/u.test(t.text);
}

/** Words that are capitalised at the start of a clause but never inside a name. */
export const CAPITALISED_FUNCTION_WORDS = new Set([
  'the', 'a', 'an', 'in', 'on', 'at', 'during', 'while', 'for', 'from', 'with', 'by', 'as', 'to', 'this', 'that', 'these', 'those',
  'its', 'their', 'our', 'his', 'her', 'according', 'after', 'before', 'since', 'under', 'when', 'where', 'both', 'all', 'each',
  'meeting', 'speaking', 'representing', 'bringing', 'answering', 'examining', 'reviewing', 'pictured', 'created', 'set', 'it',
  'he', 'she', 'they', 'we', 'i', 'and', 'or', 'but', 'also', 'some', 'more', 'many', 'most', 'other', 'between', 'among', 'through',
  'however', 'together', 'following', 'including', 'attending', 'via', 'then', 'there', 'here', 'if',
]);

const MONTHS_AND_DAYS = new Set(['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);

/** A token that can be a word of a capitalised name (not a function word, not a title or honorific, not a date word). */
export function isNameWord(t: Token): boolean {
  if (!capLike(t)) return false;
  if (CAPITALISED_FUNCTION_WORDS.has(t.lower)) return false;
  if (HONORIFICS.has(t.lower)) return false;
  if (MONTHS_AND_DAYS.has(t.lower)) return false;
  return true;
}

/** Two adjacent tokens belong to one phrase: separated by one space, or `China- Australia` as printed. */
export function joined(doc: Doc, a: number, b: number): boolean {
  const end = doc.tokens[a]!.end;
  const len = doc.tokens[b]!.start - end;
  if (len === 1) {
    const c = doc.text.charCodeAt(end);
    return c === 32 || c === 45;
  }
  return len === 2 && doc.text.charCodeAt(end) === 45 && doc.text.charCodeAt(end + 1) === 32;
}

/** Token i starts a Chinese personal name (`Huai Jinpeng`, `TANG Qian`): phrases stop there. */
export function startsChineseName(doc: Doc, i: number): boolean {
  const t = doc.tokens[i];
  const n = doc.tokens[i + 1];
  if (!t || !n || !joined(doc, i, i + 1)) return false;
  return isChineseSurname(t.base) && n.cap && !n.upper && isPinyinGivenName(n.base) && !ORG_HEADS.has(n.lower);
}

const CONNECTORS_IN_NAMES = new Set(['of', 'for', 'on', 'and', '&']);
const FOREIGN_PARTICLES = new Set(['de', 'del', 'della', 'di', 'da', 'du', 'des', 'la', 'le', 'y', 'et', 'für', 'zu']);

export interface PhraseOptions {
  /** Accept `, Word` segments closed by `and Word` (`Engineering, Science and Technology`). */
  commaLists?: boolean;
  /** Accept foreign particles (`de`, `du`) between capitalised words. */
  foreign?: boolean;
  /** Accept `in` before a subject word (`Artificial Intelligence in Education`), never before a place (`in Beijing`). */
  domainIn?: boolean;
  /** Stop before tokens for which this returns true (e.g. another head noun). */
  stopAt?: (i: number) => boolean;
}

/**
 * Reads a run of capitalised words starting at token i (`Foreign Affairs`, `the People's
 * Republic of China`, `Science and Technology`); returns the index of its last token, or -1.
 * Inner connectors (`and`, `of`, `for`, `&`) are kept only when a capitalised word follows.
 */
export function readCapRun(doc: Doc, i: number, options: PhraseOptions = {}): number {
  const tokens = doc.tokens;
  const first = tokens[i];
  if (!first || !isNameWord(first) || startsChineseName(doc, i) || isTitleHead(first.lower) && first.lower !== 'general') return -1;
  if (options.stopAt?.(i)) return -1;
  let last = i;
  while (true) {
    const j = last + 1;
    const t = tokens[j];
    if (!t || !joined(doc, last, j) || t.sentence !== first.sentence) break;
    if (isNameWord(t) && !startsChineseName(doc, j) && !options.stopAt?.(j)) {
      last = j;
      continue;
    }
    const connector =
      CONNECTORS_IN_NAMES.has(t.lower) ||
      (options.foreign === true && FOREIGN_PARTICLES.has(t.lower)) ||
      (options.domainIn === true && t.lower === 'in' && !!tokens[j + 1] && NON_NAME_WORDS.has(tokens[j + 1]!.lower) && findCountry(tokens[j + 1]!.base) === null);
    // `Ministry of Education of China and UNESCO`, `... of China and France`: `and` before an acronym or a country joins two names.
    const joinsNames = (t.lower === 'and' && !!tokens[j + 1] && (tokens[j + 1]!.upper || findCountry(tokens[j + 1]!.base) !== null)) || (t.lower === 'on' && namesAnEvent(doc, j + 1));
    if (connector && !joinsNames) {
      // `of the People's Republic`, `and Technology`; never `and the ...` (a second name).
      let k = j + 1;
      if (t.lower !== 'and' && tokens[k]?.lower === 'the' && joined(doc, j, k)) k++;
      const n = tokens[k];
      if (n && joined(doc, k - 1, k) && isNameWord(n) && !startsChineseName(doc, k) && !options.stopAt?.(k) && !isTitleHead(n.lower)) {
        last = k;
        continue;
      }
    }
    break;
  }
  if (options.commaLists) last = extendCommaList(doc, last);
  return last;
}

/** `... Cooperation on World Teachers’ Day`: after `on`, a run of capitalised words ending in an event word is a date, not a complement. */
function namesAnEvent(doc: Doc, i: number): boolean {
  for (let k = i; k < doc.tokens.length && k < i + 6; k++) {
    const t = doc.tokens[k]!;
    if (!isNameWord(t) && t.lower !== 'of' && t.lower !== 'and' && t.lower !== 'the') return false;
    if (EVENT_HEADS.has(t.lower) && t.cap) return true;
    if (k + 1 < doc.tokens.length && !joined(doc, k, k + 1)) return false;
  }
  return false;
}

/**
 * `Tertiary Education, Skills, Jobs and Workplace Relations`: after a run ending at token
 * `last`, takes `, Word` segments when the list is closed by `and Word` before anything else.
 */
export function extendCommaList(doc: Doc, last: number): number {
  const tokens = doc.tokens;
  let k = last;
  let accepted = last;
  for (let guard = 0; guard < 8; guard++) {
    const comma = doc.text.slice(tokens[k]!.end, tokens[k + 1]?.start ?? tokens[k]!.end);
    if (comma !== ', ') break;
    let j = k + 1;
    let sawAnd = false;
    if (tokens[j]?.lower === 'and') {
      // `X, and Robert Griew`: a second item right after the first comma starts a new phrase, not a list.
      if (k === last) break;
      sawAnd = true;
      j++;
    }
    const t = tokens[j];
    if (!t || !isNameWord(t) || startsChineseName(doc, j) || isTitleHead(t.lower) || ORG_HEADS.has(t.lower) && !sawAnd) break;
    // Segment: capitalised words joined by spaces, possibly `X and Y`.
    let e = j;
    while (tokens[e + 1] && joined(doc, e, e + 1)) {
      const n = tokens[e + 1]!;
      if (isNameWord(n) && !isTitleHead(n.lower)) e++;
      else if (n.lower === 'and' && tokens[e + 2] && joined(doc, e + 1, e + 2) && isNameWord(tokens[e + 2]!)) {
        sawAnd = true;
        e += 2;
      } else break;
    }
    k = e;
    if (sawAnd) {
      // The list ends the name: not `..., and UNESCO’s Director-General`.
      const after = tokens[e + 1];
      const open = after && doc.text.slice(tokens[e]!.end, after.start) === ' ' && after.cap;
      if (!tokens[e]!.possessive && !open) accepted = e;
      break;
    }
  }
  return accepted;
}

/** Plausible acronym of a name: same first letter, and most of its capitals are initials of the name's words, in order. */
export function acronymFits(acronym: string, name: string): boolean {
  const caps = acronym.replace(/[^A-Z]/g, '');
  if (caps.length < 2) return false;
  const words = name.split(/[\s-]+/).filter((w) => /^[\p{Lu}]/u.test(w) || /^[dl][’'][\p{Lu}]/u.test(w));
  const initials = words.map((w) => w.replace(/^[dl][’']/, '')[0]!.toUpperCase()).join('');
  if (!initials || initials[0] !== caps[0]) return false;
  let k = 0;
  let hits = 0;
  for (const c of caps) {
    const at = initials.indexOf(c, k);
    if (at >= 0) {
      hits++;
      k = at + 1;
    }
  }
  return hits >= Math.min(caps.length, Math.max(2, Math.ceil(caps.length / 2)));
}

/** `(ACR)` right after token `last`: returns [acronym, start, end, last token index] or null. */
export function acronymAfter(doc: Doc, last: number): { acronym: string; start: number; end: number; token: number } | null {
  const t = doc.tokens[last + 1];
  if (!t) return null;
  const gap = doc.text.slice(doc.tokens[last]!.end, t.start);
  if (gap !== ' (') return null;
  if (doc.text[t.end] !== ')') return null;
  if (!/^[A-Z][A-Za-z0-9&-]*[A-Z0-9]$/.test(t.text) || t.text.replace(/[^A-Z]/g, '').length < 2) return null;
  return { acronym: t.text, start: t.start, end: t.end, token: last + 1 };
}

export { FOREIGN_ORG_HEADS };
