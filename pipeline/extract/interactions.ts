// Interactions between named people: who met / held talks with / received /
// visited / signed with whom, when, where, at which event, with the sentence
// that proves it. One interaction per pair when the text lists separate
// meetings (`met three foreign guests one by one: A; B; and C`, `held
// meetings with A, ...; B; C; and D`); one shared interaction when people met
// jointly. Others present (`also attended the meeting`, `During the meeting,
// X ... delivered speeches`) join the latest interaction as participants.
import type { ArticleContext } from './context.js';
import type { LocalInteraction, ParticipantRole } from './types.js';
import type { NameOccurrence } from './people.js';
import type { DateMatch } from './dates.js';
import { sentenceAt } from './text.js';

// The `\b` every alternative starts with is tested once, before the alternation (`^Meeting` is at a word
// boundary too): the regex then tries the alternatives only at word starts. That made the literal
// pre-check it had (a test of the whole sentence for one of the verbs' stems) cost more than it spared.
const TRIGGER = new RegExp(
  '\\b(?:' +
  [
    '(?:jointly |also |then |later |separately |first )?(?:met|meets?)(?: (?:also|separately|jointly))?(?: with)?\\b',
    'had the opportunity to meet(?: with)?\\b',
    '(?:held|holds?|had|conducted) (?:in-depth |separate |individual |bilateral |cordial |friendly |a |an )*(?:talks|meetings?|discussions|a meeting)\\b',
    '(?:in )?talks with\\b',
    'talked with\\b',
    '(?:spoke|speaks) (?:by (?:tele)?phone )?with\\b',
    '(?:had|held) (?:a )?(?:(?:tele)?phone|video) (?:call|conversation|talks|conference) with\\b',
    'meeting (?:with|between)\\b',
    '^Meeting\\b',
    'speaking with\\b',
    '(?:received|receives|receive|hosted|hosts)\\b',
    '(?:visited|visits|called on|paid a (?:courtesy )?(?:call|visit) (?:on|to))\\b',
    '(?:co-)?signed by\\b',
    '(?:signed|put (?:their|his|her) signatures?)\\b',
    '(?:co-chaired|co-chair|presided (?:jointly )?over|jointly presided(?: over)?|co-hosted)\\b',
  ].join('|') + ')',
  'gi',
);

interface Trigger {
  start: number;
  end: number;
  kind: string;
  cameo: string;
  /** Subject hosts, object is the guest (`received`). */
  hosting: boolean;
  /** Subject visits the object (`visited`). */
  visiting: boolean;
  /** `meeting between A and B`: everybody after the trigger takes part. */
  between: boolean;
}

function classify(word: string): Omit<Trigger, 'start' | 'end'> {
  const w = word.toLowerCase();
  if (/receiv|host/.test(w)) return { kind: 'meeting', cameo: '043', hosting: true, visiting: false, between: false };
  if (/visit|called on|paid a/.test(w)) return { kind: 'visit', cameo: '042', hosting: false, visiting: true, between: false };
  // `The agreement was signed by A and B`: everybody named after the verb signed.
  if (/sign/.test(w)) return { kind: 'signing', cameo: '057', hosting: false, visiting: false, between: /\bby$/.test(w) };
  if (/talk|discussion|spoke|speaks|call|conversation/.test(w)) return { kind: 'talks', cameo: '040', hosting: false, visiting: false, between: false };
  return { kind: 'meeting', cameo: '040', hosting: false, visiting: false, between: /between/.test(w) };
}

const AWARD_WORDS = /\b(?:prizes?|awards?|medals?|honou?rs?|certificates?|letters?|degrees?|titles?|donations?|gifts?)\b/i;
const COORDINATION = /^\s*,?\s*(?:and|&)?\s*$/;
// What may stand between a subject and its verb: adverbs and auxiliaries, no clause.
const SUBJECT_GAP = /^[\s,]*(?:(?:also|then|later|jointly|separately|first|had the opportunity to|has|have|had|will|would|was|were|on \w+(?: \w+)?|\((?:L|R|C|left|right|centre|center|front|\d+(?:st|nd|rd|th)? [lr])\)|,)\s*)*$/i;
const SEPARATE_MEETINGS = /\b(?:one by one|separately|respectively|individual(?:ly)?|separate|meetings)\b|;/i;
const OTHERS_PRESENT = /\b(?:also attended|attended the (?:meeting|talks)|(?:present|participated|took part) (?:at|in) the (?:meeting|talks)|(?:were|was) (?:also )?present|also present|joined the (?:meeting|talks)|sat in on)\b|^During the (?:meeting|talks)\b/i;
const UNRESOLVED_DAY = /\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|tomorrow)\b/;
const SAME_DAY = /\b(?:on|later) (?:the|that) same day\b|\bthe same day\b/i;
const DURING_EVENT = /\b(?:during|on the (?:margins|sidelines) of|in the (?:margins|sidelines) of|at) the ((?:International |General |UNESCO )?(?:conference|Conference|forum|Forum|summit|Summit|session|Session))\b/;
const PRONOUN_SUBJECT = /^(?:[^,]*,\s*)?(?:He|She|he|she)\b/;

export function findInteractions(ctx: ArticleContext): LocalInteraction[] {
  const { doc, occurrences, personKey } = ctx;
  const text = doc.text;
  const out: LocalInteraction[] = [];
  const bySentence = new Map<number, NameOccurrence[]>();
  for (const o of occurrences) {
    const s = sentenceAt(doc, o.start);
    if (s < 0) continue;
    const list = bySentence.get(s) ?? [];
    list.push(o);
    bySentence.set(s, list);
  }
  const keyOf = (o: NameOccurrence) => personKey.get(o.person) ?? null;
  const roleSpans = ctx.roleSpans;
  let lastSubject: string | null = null;

  for (let si = 0; si < doc.sentences.length; si++) {
    const sentence = doc.sentences[si]!;
    // (In start order already: occurrences are sorted by start.)
    const people = bySentence.get(si) ?? [];
    // Sentences without a named person cannot add an interaction: a pronoun subject still needs
    // someone named after the verb, and nobody to add to the latest meeting either.
    if (people.length === 0) continue;
    const sText = text.slice(sentence.start, sentence.end);

    // Others present at the latest meeting.
    if (out.length > 0 && OTHERS_PRESENT.test(sText)) {
      const last = out[out.length - 1]!;
      for (const o of people) {
        const key = keyOf(o);
        if (key && !last.participants.some((p) => p.entity === key)) last.participants.push({ entity: key, role: 'participant' });
      }
    }

    const triggers: Trigger[] = [];
    TRIGGER.lastIndex = 0;
    for (let m = TRIGGER.exec(sText); m; m = TRIGGER.exec(sText)) {
      triggers.push({ start: sentence.start + m.index, end: sentence.start + m.index + m[0].length, ...classify(m[0]) });
    }
    let sentenceSubjects: NameOccurrence[] = [];
    for (let ti = 0; ti < triggers.length; ti++) {
      const trig = triggers[ti]!;
      const limit = triggers[ti + 1]?.start ?? sentence.end;
      // Subjects: the noun phrases right before the verb, with those coordinated to them.
      let subjects: NameOccurrence[] = [];
      const before = people.filter((o) => o.npEnd <= trig.start);
      const nearest = before[before.length - 1];
      if (nearest && SUBJECT_GAP.test(text.slice(nearest.npEnd, trig.start)) && text.slice(nearest.npEnd, trig.start).length <= 45) {
        subjects.push(nearest);
        for (let k = before.length - 2; k >= 0; k--) {
          const gap = text.slice(before[k]!.npEnd, subjects[0]!.npStart);
          if (!COORDINATION.test(gap)) break;
          subjects.unshift(before[k]!);
        }
      }
      // `Huai Jinpeng attended the opening ceremony and met with ...`: the sentence's subject, when it opens the sentence
      // (after an introductory `On May 8,`) and nobody else is named before the verb.
      if (subjects.length === 0 && before.length > 0 && sentenceSubjects.length === 0) {
        const first = before[0]!;
        const opensSentence = /^(?:[^,]{0,60},\s*)?$/.test(text.slice(sentence.start, first.npStart));
        const alone = before.every((o) => o.person === first.person);
        if (opensSentence && alone && !/[;:]/.test(text.slice(first.npEnd, trig.start))) subjects.push(first);
      }
      const objectsAll = people.filter((o) => o.start >= trig.end && o.start < limit);
      let objects = objectsAll;
      if (subjects.length === 0 && sentenceSubjects.length > 0 && !trig.between) subjects = sentenceSubjects;
      // `Meeting Naranbayar, Wu said ...`, `In talks with Manamela, Wu said ...`: the subject follows the object.
      if (subjects.length === 0 && !trig.between && /^(?:In\s+)?$/.test(text.slice(sentence.start, trig.start)) && objectsAll.length >= 2) {
        const commaAfterObject = text.indexOf(',', objectsAll[0]!.npEnd);
        const after = objectsAll.filter((o) => o.start > commaAfterObject && commaAfterObject >= 0);
        if (after.length > 0) {
          subjects = [after[0]!];
          objects = objectsAll.filter((o) => o.start < commaAfterObject);
        }
      }
      let subjectKeys = unique(subjects.map(keyOf));
      if (subjectKeys.length === 0 && !trig.between && PRONOUN_SUBJECT.test(text.slice(sentence.start, trig.start)) && lastSubject) subjectKeys = [lastSubject];
      // `received the prize from X` is not a visit received.
      if (trig.hosting && objects[0] && AWARD_WORDS.test(text.slice(trig.end, objects[0].npStart))) objects = [];
      let objectKeys = unique(objects.map(keyOf)).filter((k) => !subjectKeys.includes(k));
      if (trig.between) {
        subjectKeys = [];
        objectKeys = unique(objects.map(keyOf));
      }
      const groups: Array<Array<{ entity: string; role: ParticipantRole }>> = [];
      // `Bokova was received by Premier Wen`: in the passive the subject is the guest.
      const passive = nearest !== undefined && subjects.includes(nearest) && /\b(?:was|were|been|being)\s+$/.test(text.slice(nearest.npEnd, trig.start));
      const role = (subject: boolean): ParticipantRole => {
        const first = passive ? !subject : subject;
        return trig.hosting ? (first ? 'host' : 'guest') : trig.visiting ? (first ? 'guest' : 'host') : 'participant';
      };
      if (trig.between) {
        if (objectKeys.length >= 2) groups.push(objectKeys.map((k) => ({ entity: k, role: 'participant' })));
      } else if (subjectKeys.length > 0 && objectKeys.length > 1 && SEPARATE_MEETINGS.test(text.slice(trig.start, limit))) {
        for (const ok of objectKeys) groups.push([...subjectKeys.map((k) => ({ entity: k, role: role(true) })), { entity: ok, role: role(false) }]);
      } else if (subjectKeys.length > 0 && objectKeys.length > 0) {
        groups.push([...subjectKeys.map((k) => ({ entity: k, role: role(true) })), ...objectKeys.map((k) => ({ entity: k, role: role(false) }))]);
      } else if (subjectKeys.length >= 2 && trig.kind !== 'visit') {
        // `Huai Jinpeng and Gong Zheng jointly met with foreign guests`, `A and B put their signatures to the agreement`.
        groups.push(subjectKeys.map((k) => ({ entity: k, role: 'participant' as ParticipantRole })));
      }
      if (subjectKeys.length > 0) sentenceSubjects = subjects.length ? subjects : sentenceSubjects;
      for (const participants of groups) {
        const { date, basis, event } = dateFor(ctx, si, trig, out);
        const place = placeFor(ctx, si, event, roleSpans) ?? (SAME_DAY.test(sText) ? (out[out.length - 1]?.place ?? null) : null);
        addInteraction(out, { kind: trig.kind, cameo_code: trig.cameo, date, date_basis: date ? basis : null, place, event, start: sentence.start, end: sentence.end, participants });
      }
    }
    // The subject of this sentence is who `he`/`she` means next.
    const firstPerson = people[0];
    if (firstPerson) lastSubject = keyOf(firstPerson) ?? lastSubject;
  }
  return out.sort((a, b) => a.start - b.start);
}

function unique(keys: Array<string | null>): string[] {
  const out: string[] = [];
  for (const k of keys) if (k && !out.includes(k)) out.push(k);
  return out;
}

/** The same people meeting again in the text (headline and body, `Meeting X, Wu said`) is the same interaction. */
function addInteraction(out: LocalInteraction[], next: LocalInteraction): void {
  const key = next.participants.map((p) => p.entity).sort().join('|');
  const same = out.find((i) => i.participants.map((p) => p.entity).sort().join('|') === key || (i.participants.length > next.participants.length && next.participants.every((p) => i.participants.some((q) => q.entity === p.entity)) && i.kind === next.kind));
  if (!same) {
    out.push(next);
    return;
  }
  // Keep the sentence that states a date (the body rather than the headline).
  if (!same.date && next.date) {
    same.date = next.date;
    same.date_basis = next.date_basis;
    same.start = next.start;
    same.end = next.end;
    same.kind = next.kind;
    same.cameo_code = next.cameo_code;
  }
  same.place ??= next.place;
  same.event ??= next.event;
  for (const p of next.participants) {
    const existing = same.participants.find((q) => q.entity === p.entity);
    if (!existing) same.participants.push(p);
    else if (existing.role === 'participant' && p.role !== 'participant') existing.role = p.role;
  }
}

function yearOf(date: string): string | null {
  return /^\d{4}/.test(date) ? date.slice(0, 4) : null;
}

/** Fills `XXXX` from the year printed in an event's name in the sentence or the latest full date before. */
function fillYear(ctx: ArticleContext, date: string, at: number, sentence: { start: number; end: number }): string {
  if (!date.includes('XXXX')) return date;
  const ev = ctx.events.find((e) => e.start >= sentence.start && e.end <= sentence.end && /^(?:19|20)\d\d$/.test(e.event.edition ?? ''));
  if (ev) return date.replace(/XXXX/g, ev.event.edition!);
  if (ctx.article.date_published) return date;
  let year: string | null = null;
  for (const d of ctx.dates) {
    if (d.start >= at) break;
    year = yearOf(d.date) ?? year;
  }
  return year ? date.replace(/XXXX/g, year) : date;
}

function dateFor(ctx: ArticleContext, si: number, trig: Trigger, out: LocalInteraction[]): { date: string | null; basis: string | null; event: string | null } {
  const sentence = ctx.doc.sentences[si]!;
  const sText = ctx.doc.text.slice(sentence.start, sentence.end);
  const inSentence = ctx.dates.filter((d) => d.start >= sentence.start && d.end <= sentence.end);
  const eventHere = ctx.events.find((e) => e.start >= sentence.start && e.end <= sentence.end) ?? null;
  let event = eventHere?.key ?? null;
  const during = DURING_EVENT.exec(sText);
  if (during && !eventHere) {
    const previous = ctx.events.filter((e) => e.start < sentence.start);
    const ev = previous[previous.length - 1];
    if (ev) event = ev.key;
  }
  if (inSentence.length > 0) {
    let best: DateMatch = inSentence[0]!;
    let bestDistance = Infinity;
    for (const d of inSentence) {
      const distance = Math.abs(d.start - trig.start);
      if (distance < bestDistance) {
        best = d;
        bestDistance = distance;
      }
    }
    return { date: fillYear(ctx, best.date, best.start, sentence), basis: best.basis, event };
  }
  if (SAME_DAY.test(sText) && out.length > 0 && out[out.length - 1]!.date) {
    return { date: out[out.length - 1]!.date, basis: 'same day as previous', event };
  }
  if (during && event) {
    const d = ctx.eventDates.get(event);
    if (d?.start) return { date: d.end ? `${d.start}/${d.end}` : d.start, basis: 'during the event', event };
  }
  // Inherited from the preceding context: the latest date stated before this sentence.
  // The sentence dates the meeting itself (`on Tuesday`) but without a dateline it cannot be resolved: no date, not an older one.
  if (UNRESOLVED_DAY.test(sText)) return { date: null, basis: null, event };
  // A bare year (`Created in 2015`) is too coarse to date a meeting by.
  let previous: DateMatch | null = null;
  for (const d of ctx.dates) {
    if (d.start >= sentence.start) break;
    if (!/^(?:\d{4}|XXXX)$/.test(d.date)) previous = d;
  }
  if (previous) return { date: fillYear(ctx, previous.date, previous.start, sentence), basis: 'from preceding context', event };
  return { date: null, basis: null, event };
}

function placeFor(ctx: ArticleContext, si: number, event: string | null, roleSpans: ReadonlyArray<{ start: number; end: number }>): string | null {
  const sentence = ctx.doc.sentences[si]!;
  // A place inside someone's title (`Minister of Education of Mongolia`) is not where they met.
  const here = ctx.places.filter((p) => p.start >= sentence.start && p.end <= sentence.end && !roleSpans.some((r) => p.start >= r.start && p.end <= r.end));
  const city = here.find((p) => p.kind === 'city') ?? here.find((p) => p.kind === 'region');
  if (city) return city.key;
  if (event) {
    const d = ctx.eventDates.get(event);
    if (d?.place) return d.place;
  }
  return here.find((p) => p.kind === 'country')?.key ?? null;
}
