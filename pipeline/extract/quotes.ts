// Quotes: direct quotes (straight or curly marks, a quote running over several
// paragraphs, a headline quote) with their speaker, attributed after the
// quote (`,” declared the Director-General.`, `,” said Irina Bokova.`, `,” Du
// told journalists`, `,” he told reporters`) or before it (`Hao Ping, the
// Chinese Vice- Education Minister: “...`), or continuing the previous
// quote's speaker; and reported speech (`Chen said that ...`) as indirect.
import type { ArticleContext } from './context.js';
import type { LocalQuote } from './types.js';
import type { NameOccurrence } from './people.js';
import { sentenceAt } from './text.js';

const SPEECH_VERB = '(?:said|says|declared|declares|added|adds|noted|notes|stressed|stresses|told|tells|explained|stated|states|remarked|emphasi[sz]ed|continued|concluded|insisted|warned|urged|announced|wrote|asked|recalled|observed|underlined|pointed out)';
const VERB_THEN_SPEAKER = new RegExp(`^[,.!?]?[”"\\uFFFD]?\\s*(?:${SPEECH_VERB}|according to)\\s+`, 'i');
const SPEAKER_THEN_VERB = new RegExp(`^\\s*(?:also\\s+)?${SPEECH_VERB}\\b`, 'i');
const PRONOUN_THEN_VERB = new RegExp(`^[,.!?]?[”"\\uFFFD]?\\s*(?:he|she)\\s+(?:also\\s+)?${SPEECH_VERB}\\b`, 'i');
const INTRODUCES = /(?::|\b(?:said|says|declared|added|stated|noted|stressed|told \w+)[,:]?)\s*$/;
const REPORTED = new RegExp(`^\\s*(?:also\\s+)?(?:said|says|stated|noted|added|stressed|explained|pointed out|hoped|hopes|believed|believes|emphasi[sz]ed|underlined|told (?:\\w+ ){1,2}?)(?:\\s+that)?\\s+`, 'i');

interface RawQuote {
  /** Offsets of the quoted words, without the marks. */
  start: number;
  end: number;
  /** Offsets including the marks. */
  outerStart: number;
  outerEnd: number;
  paragraph: number;
  /** The quote's closing mark is missing in this paragraph (it continues in the next one). */
  open: boolean;
}

const OPENING_MARK = 0x201c; // “
const CLOSING_MARK = 0x201d; // ”
const STRAIGHT_MARK = 0x22; // "
const REPLACEMENT_CHARACTER = 0xfffd;

/** text.indexOf(mark, from), remembering the last answer: the scan jumps from mark to mark instead of reading every character. */
function markFinder(text: string, mark: string): (from: number) => number {
  let askedFrom = Infinity;
  let found = -1;
  return (from) => {
    // The last answer holds for any later start up to the mark it found (or for all, when there was none).
    if (!(askedFrom <= from && (found === -1 || found >= from))) {
      askedFrom = from;
      found = text.indexOf(mark, from);
    }
    return found;
  };
}

function findRawQuotes(ctx: ArticleContext): RawQuote[] {
  const text = ctx.doc.text;
  const out: RawQuote[] = [];
  const nextOpening = markFinder(text, '“');
  const nextStraight = markFinder(text, '"');
  ctx.doc.paragraphs.forEach((p, pi) => {
    let i = p.start;
    while (i < p.end) {
      // Only a mark can open a quote: skip to the next one.
      const opening = nextOpening(i);
      const straightAt = nextStraight(i);
      const at = opening === -1 ? straightAt : straightAt === -1 ? opening : Math.min(opening, straightAt);
      if (at === -1 || at >= p.end) break;
      i = at;
      const c = text.charCodeAt(i);
      if (c === OPENING_MARK || (c === STRAIGHT_MARK && (i === p.start || /[\s(\[—–-]/.test(text[i - 1]!)))) {
        const straight = c === STRAIGHT_MARK;
        let j = i + 1;
        for (; j < p.end; j++) {
          const d = text.charCodeAt(j);
          if (straight ? d === STRAIGHT_MARK : d === CLOSING_MARK || d === REPLACEMENT_CHARACTER || d === STRAIGHT_MARK) break;
        }
        const open = j >= p.end;
        out.push({ start: i + 1, end: j, outerStart: i, outerEnd: open ? p.end : j + 1, paragraph: pi, open });
        i = j + 1;
      } else i++;
    }
  });
  return out;
}

export function findQuotes(ctx: ArticleContext): LocalQuote[] {
  const { doc, occurrences, personKey } = ctx;
  const text = doc.text;
  const keyOf = (o: NameOccurrence | undefined) => (o ? (personKey.get(o.person) ?? null) : null);
  // `he told reporters`: the subject (first person named) of the latest sentence that names someone.
  const lastBefore = (offset: number) => {
    let found: NameOccurrence | undefined;
    let foundSentence = -1;
    for (const o of occurrences) {
      if (o.start >= offset) break;
      if (insideAny(o.start, raw)) continue;
      const si = sentenceIndexAt(ctx, o.start);
      if (si !== foundSentence) {
        found = o;
        foundSentence = si;
      }
    }
    return found;
  };
  const raw = findRawQuotes(ctx);
  const quotes: LocalQuote[] = [];
  let previousSpeaker: string | null = null;
  let previousEnd = -1;
  let previousParagraph = -1;
  for (const q of raw) {
    const words = text.slice(q.start, q.end).trim().split(/\s+/).length;
    const para = doc.paragraphs[q.paragraph]!;
    // Attribution after the closing mark, up to the end of the sentence.
    const afterText = text.slice(q.outerEnd, Math.min(para.end, q.outerEnd + 160));
    let speaker: string | null = null;
    const vts = VERB_THEN_SPEAKER.exec(afterText);
    if (vts) speaker = keyOf(occurrences.find((o) => o.end <= para.end && o.npStart >= q.outerEnd + vts[0].length && o.npStart <= q.outerEnd + vts[0].length + 4));
    if (!speaker && PRONOUN_THEN_VERB.test(afterText)) speaker = keyOf(lastBefore(q.outerStart));
    if (!speaker) {
      const lead = /^[,.!?]?[”"\uFFFD]?\s*/.exec(afterText)![0].length;
      const o = occurrences.find((x) => x.npStart >= q.outerEnd + lead && x.npStart <= q.outerEnd + lead + 4 && x.end <= para.end);
      if (o && SPEAKER_THEN_VERB.test(text.slice(o.end, o.end + 30))) speaker = keyOf(o);
    }
    // Attribution before: `X ...: “...`.
    if (!speaker) {
      const sentenceStart = Math.max(para.start, lastSentenceStart(ctx, q.outerStart));
      const beforeText = text.slice(sentenceStart, q.outerStart);
      if (INTRODUCES.test(beforeText)) {
        const o = occurrences.find((x) => x.start >= sentenceStart && x.end <= q.outerStart);
        speaker = keyOf(o);
      }
    }
    // No attribution: the speaker of the quote just before (same or previous paragraph).
    if (!speaker && previousSpeaker && (q.paragraph === previousParagraph || q.paragraph === previousParagraph + 1) && !occurrences.some((o) => o.start > previousEnd && o.start < q.outerStart)) {
      speaker = previousSpeaker;
    }
    if (!speaker && words < 5) continue;
    quotes.push({ speaker, text: text.slice(q.start, q.end), direct: true, start: q.start, end: q.end });
    if (speaker) {
      previousSpeaker = speaker;
      // The attribution (`,” declared the Director-General.`) belongs to this quote, not to the next one.
      const si = sentenceIndexAt(ctx, Math.max(q.start, q.outerEnd - 1));
      previousEnd = si >= 0 ? Math.max(q.outerEnd, doc.sentences[si]!.end) : q.outerEnd;
      previousParagraph = q.paragraph;
    }
  }

  // Reported speech: `Chen said that ...`, `Minister Huai said that ...`, `He said that ...`.
  let lastSubject: NameOccurrence | undefined;
  // Occurrences are sorted by start and sentences come in text order: those of a sentence are read by one sweep.
  let firstAfter = 0;
  for (const s of doc.sentences) {
    while (firstAfter < occurrences.length && occurrences[firstAfter]!.start < s.start) firstAfter++;
    const here: NameOccurrence[] = [];
    for (let k = firstAfter; k < occurrences.length && occurrences[k]!.start < s.end; k++) if (occurrences[k]!.end <= s.end) here.push(occurrences[k]!);
    const sText = text.slice(s.start, s.end);
    if (/[“”"]/.test(sText)) {
      lastSubject = here[0] ?? lastSubject;
      continue;
    }
    let speaker: NameOccurrence | undefined;
    let clauseStart = -1;
    for (const o of here) {
      const m = REPORTED.exec(text.slice(o.npEnd, s.end));
      if (m) {
        speaker = o;
        clauseStart = o.npEnd + m[0].length;
        break;
      }
    }
    if (!speaker) {
      // (The pattern needs `He` or `She`: a substring test spares it on most sentences.)
      const m = sText.includes('He') || sText.includes('She') ? /^(?:[^,]{0,40},\s*)?(?:He|She)\s+/.exec(sText) : null;
      const r = m ? REPORTED.exec(sText.slice(m[0].length - 1)) : null;
      if (m && r && lastSubject) {
        speaker = lastSubject;
        clauseStart = s.start + m[0].length - 1 + r[0].length;
      }
    }
    if (speaker && clauseStart > 0) {
      let end = s.end;
      while (end > clauseStart && /[.!?\s]/.test(text[end - 1]!)) end--;
      if (end - clauseStart > 10) quotes.push({ speaker: keyOf(speaker), text: text.slice(clauseStart, end), direct: false, start: clauseStart, end });
    }
    lastSubject = here[0] ?? lastSubject;
  }
  return quotes.sort((a, b) => a.start - b.start);
}

function insideAny(offset: number, quotes: readonly RawQuote[]): boolean {
  return quotes.some((q) => offset >= q.start && offset < q.end);
}

// Sentences are in text order and do not overlap: both lookups are binary searches.
function sentenceIndexAt(ctx: ArticleContext, offset: number): number {
  return sentenceAt(ctx.doc, offset);
}

/** Start of the last sentence starting at or before offset (0 when none). */
function lastSentenceStart(ctx: ArticleContext, offset: number): number {
  const sentences = ctx.doc.sentences;
  let lo = 0;
  let hi = sentences.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sentences[mid]!.start <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? sentences[lo - 1]!.start : 0;
}
