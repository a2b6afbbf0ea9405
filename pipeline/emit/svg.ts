// The two pictures of the landing page, drawn at build time as inline SVG:
// a timeline of meetings and events by date, and a network of who met whom.
// Pure and deterministic: fixed layouts (no force simulation, no randomness),
// numbers rounded so the bytes do not depend on floating-point noise.
// Every string that comes from an article goes through escapeMarkup.
import type { Tables } from '../merge.js';
import type { DigestedMeeting, MeetingDigest } from './meetings.js';

/** Escapes text for HTML and SVG, in element content and in quoted attribute values alike. */
export function escapeMarkup(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const round = (n: number) => Math.round(n * 10) / 10;

// ---------------------------------------------------------------- dates

const DAY_MS = 86_400_000;

/** Day number (days since 1970-01-01, UTC) of a calendar date; no clock involved. */
const dayOf = (year: number, month: number, day: number) => Date.UTC(year, month - 1, day) / DAY_MS;

export function isoOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export interface DaySpan {
  start: number;
  end: number;
}

/**
 * The days an EDTF date covers: `2023-07-02`, `2014-06` (the month), `2024`
 * (the year), `2023-11-07/2023-11-12` (the interval). Null when the year is
 * not stated (`XXXX-10-21`) or the form is not one of these: such a date
 * cannot be placed on a time axis.
 */
export function daySpanOf(edtf: string | null | undefined): DaySpan | null {
  if (!edtf) return null;
  const parts = edtf.split('/');
  if (parts.length === 2) {
    const from = daySpanOf(parts[0]);
    const to = daySpanOf(parts[1]);
    if (!from || !to || to.end < from.start) return from ?? to;
    return { start: from.start, end: to.end };
  }
  // Uncertain/approximate qualifiers do not move the date.
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(edtf.replace(/[?~%]/g, ''));
  if (!m) return null;
  const year = Number(m[1]);
  if (m[3]) {
    const day = dayOf(year, Number(m[2]), Number(m[3]));
    return { start: day, end: day };
  }
  if (m[2]) {
    const month = Number(m[2]);
    if (month < 1 || month > 12) return null;
    return { start: dayOf(year, month, 1), end: dayOf(year, month + 1, 1) - 1 };
  }
  return { start: dayOf(year, 1, 1), end: dayOf(year + 1, 1, 1) - 1 };
}

// ---------------------------------------------------------------- shared lookups

/** The entity tables the pictures look names and events up in (whole, not previews). */
export type PictureTables = Pick<Tables, 'entities' | 'people' | 'events'>;

/** What the pictures draw from. */
export interface PictureContext {
  tables: PictureTables;
  /** The meetings, gathered as the articles arrived. */
  meetings: MeetingDigest;
}

function namesById(tables: PictureTables): Map<string, string> {
  return new Map(tables.entities.map((e) => [e.entity_id, e.name]));
}

const MAX_LABEL = 48;
const shorten = (s: string, max = MAX_LABEL) => (Array.from(s).length > max ? `${Array.from(s).slice(0, max - 1).join('')}…` : s);

// ---------------------------------------------------------------- timeline

export interface TimelineItem {
  id: string;
  type: 'meeting' | 'event';
  date: string;
  span: DaySpan;
  label: string;
  /** Tooltip lines: date, kind and place; who or what. */
  detail: string;
  /** Where the evidence sentence is, and the sentence (null when the texts are not published). */
  evidence: { articleId: string; start: number; end: number; sentence: string | null } | null;
}

export interface Picture {
  svg: string;
  /** Items drawn. */
  drawn: number;
  /** Items that exist but are not drawn (cap reached). */
  capped: number;
  /** Items that cannot be drawn (no year stated, no participants...). */
  undrawable: number;
  /** `counts`: a large timeline drawn as bars per month or year instead of one mark per item. */
  mode?: 'items' | 'counts';
}

function meetingItem(meeting: DigestedMeeting, names: ReadonlyMap<string, string>): TimelineItem {
  const i = meeting.interaction;
  const who = meeting.participants.map((id) => names.get(id) ?? id);
  const place = i.place_id ? names.get(i.place_id) : undefined;
  return {
    id: i.interaction_id,
    type: 'meeting',
    date: i.date!,
    span: daySpanOf(i.date)!,
    label: who.join(' – '),
    detail: [`${i.date} · ${i.kind}${place ? ` · ${place}` : ''}`, who.join(', ')].join('\n'),
    evidence: { articleId: i.article_id, start: i.start, end: i.end, sentence: meeting.evidence },
  };
}

function eventItems(tables: PictureTables, names: ReadonlyMap<string, string>): { items: TimelineItem[]; undated: number } {
  const items: TimelineItem[] = [];
  let undated = 0;
  for (const e of tables.events) {
    const date = e.end_date ? `${e.start_date}/${e.end_date}` : e.start_date;
    const span = daySpanOf(date);
    if (!span) {
      undated++;
      continue;
    }
    const place = e.place_id ? names.get(e.place_id) : undefined;
    items.push({
      id: e.event_id,
      type: 'event',
      date: date!,
      span,
      label: e.name,
      detail: [`${date} · ${e.kind ?? 'event'}${place ? ` · ${place}` : ''}`, e.name].join('\n'),
      evidence: null,
    });
  }
  return { items, undated };
}

interface Tick {
  day: number;
  label: string;
}

/** Year ticks for long spans, month ticks for short ones; at most about a dozen. */
function ticksFor(from: number, to: number): Tick[] {
  const first = new Date(from * DAY_MS);
  const last = new Date(to * DAY_MS);
  const years = last.getUTCFullYear() - first.getUTCFullYear();
  const ticks: Tick[] = [];
  if (years >= 3) {
    const step = Math.max(1, Math.ceil(years / 12));
    for (let y = first.getUTCFullYear() + 1; y <= last.getUTCFullYear(); y += step) ticks.push({ day: dayOf(y, 1, 1), label: String(y) });
  } else {
    const months = years * 12 + last.getUTCMonth() - first.getUTCMonth();
    const step = Math.max(1, Math.ceil(months / 12));
    for (let k = 1; k <= months; k += step) {
      const y = first.getUTCFullYear() + Math.floor((first.getUTCMonth() + k) / 12);
      const m = ((first.getUTCMonth() + k) % 12) + 1;
      ticks.push({ day: dayOf(y, m, 1), label: `${y}-${String(m).padStart(2, '0')}` });
    }
  }
  return ticks;
}

/** A stretch of the time axis; long empty gaps between stretches are cut out. */
interface AxisSegment {
  from: number;
  to: number;
  /** Pixels from the start of the plot, and width in pixels. */
  left: number;
  width: number;
}

const AXIS_BREAK_PX = 28;

/**
 * Splits the time axis where nothing happens for a long time (more than a
 * quarter of the whole span and half a year), so that a 2014 conference does
 * not squeeze a busy 2023 into a corner. Each stretch gets width in
 * proportion to its length, with a floor so a short one stays readable.
 */
function axisSegments(spans: readonly DaySpan[], plot: number): AxisSegment[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const first = sorted[0]!.start;
  const last = Math.max(...sorted.map((s) => s.end));
  const minGap = Math.max(183, (last - first) * 0.25);
  const clusters: Array<{ from: number; to: number }> = [];
  for (const span of sorted) {
    const current = clusters[clusters.length - 1];
    if (current && span.start - current.to <= minGap) current.to = Math.max(current.to, span.end);
    else clusters.push({ from: span.start, to: span.end });
  }
  // Pad each stretch so that markers at its ends stay clear of the breaks.
  const padded = clusters.map((c) => {
    const pad = Math.max(15, (c.to - c.from) * 0.04);
    return { from: c.from - pad, to: c.to + pad };
  });
  const usable = plot - AXIS_BREAK_PX * (padded.length - 1);
  const total = padded.reduce((sum, c) => sum + (c.to - c.from), 0);
  const floor = usable / (padded.length * 4);
  const raw = padded.map((c) => Math.max(floor, (usable * (c.to - c.from)) / total));
  const scale = usable / raw.reduce((a, b) => a + b, 0);
  let left = 0;
  return padded.map((c, i) => {
    const segment = { ...c, left, width: raw[i]! * scale };
    left += segment.width + AXIS_BREAK_PX;
    return segment;
  });
}

function positionOn(segments: readonly AxisSegment[], day: number): number {
  const segment = segments.find((s) => day <= s.to) ?? segments[segments.length - 1]!;
  const clamped = Math.min(Math.max(day, segment.from), segment.to);
  return segment.left + ((clamped - segment.from) / (segment.to - segment.from)) * segment.width;
}

/** The axis line of each stretch with its ticks, and a break mark between stretches. */
function axisMarkup(segments: readonly AxisSegment[], x: (day: number) => number, left: number, axisY: number): string {
  const parts: string[] = [];
  for (const segment of segments) {
    parts.push(`<line class="axis" x1="${round(left + segment.left)}" y1="${round(axisY)}" x2="${round(left + segment.left + segment.width)}" y2="${round(axisY)}" stroke="#666"/>`);
    let ticks = ticksFor(segment.from, segment.to);
    // A short stretch may hold no month start: label its middle.
    if (ticks.length === 0) ticks = [{ day: (segment.from + segment.to) / 2, label: isoOfDay((segment.from + segment.to) / 2).slice(0, 7) }];
    for (const tick of ticks) {
      const tx = round(x(tick.day));
      parts.push(`<line x1="${tx}" y1="${round(axisY)}" x2="${tx}" y2="${round(axisY + 5)}" stroke="#666"/><text class="tick" x="${tx}" y="${round(axisY + 17)}" text-anchor="middle">${escapeMarkup(tick.label)}</text>`);
    }
  }
  // The years between stretches that nothing happened in are cut out.
  for (const segment of segments.slice(1)) {
    const bx = left + segment.left - AXIS_BREAK_PX / 2;
    parts.push(`<path class="axis-break" d="M${round(bx - 5)},${round(axisY + 5)} l4,-10 M${round(bx + 1)},${round(axisY + 5)} l4,-10" stroke="#666" fill="none"/>`);
  }
  return parts.join('\n');
}

/** Above this many dated items the timeline counts them per month or year instead of drawing each. */
export const TIMELINE_DETAILED_MAX = 60;

/** One labelled mark per meeting and event; bars of counts (histogramSvg) when there are too many to label. */
export function timelineSvg(context: PictureContext): Picture {
  const { tables, meetings } = context;
  const names = namesById(tables);
  const events = eventItems(tables, names);
  const undated = meetings.undated + events.undated;
  if (meetings.dated + events.items.length > TIMELINE_DETAILED_MAX) {
    const counts: DatedCount[] = [...meetings.perSpan.values()].map(({ span, count }) => ({ span, type: 'meeting' as const, count }));
    for (const e of events.items) counts.push({ span: e.span, type: 'event', count: 1 });
    return histogramSvg(counts, undated);
  }
  // At most TIMELINE_DETAILED_MAX dated meetings: the digest kept each of them.
  if (!meetings.detailed) throw new Error('internal: the meetings of a detailed timeline were not kept');
  const items = [...meetings.detailed.map((m) => meetingItem(m, names)), ...events.items];
  items.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const width = 960;
  const margin = { left: 24, right: 24, top: 16, axis: 28 };
  if (items.length === 0) {
    return { svg: '', drawn: 0, capped: 0, undrawable: undated };
  }
  const plot = width - margin.left - margin.right;
  const segments = axisSegments(items.map((i) => i.span), plot);
  const x = (day: number) => margin.left + positionOn(segments, day);
  const charWidth = 6.2;
  const laneHeight = 20;
  // Greedy lanes: each item takes the first lane where it does not overlap the previous one.
  const laneEnds: number[] = [];
  const placed = items.map((item) => {
    const x0 = x(item.span.start);
    const x1 = Math.max(x(item.span.end), x0);
    const labelText = shorten(item.label, 40);
    let right = x1 + 6 + labelText.length * charWidth;
    let anchorEnd = false;
    if (right > width - margin.right && x0 - 6 - labelText.length * charWidth > margin.left) {
      // Near the right edge the label goes to the left of the marker.
      anchorEnd = true;
      right = x1 + 6;
    }
    const left = anchorEnd ? x0 - 6 - labelText.length * charWidth : x0 - 6;
    let lane = laneEnds.findIndex((end) => end < left);
    if (lane === -1) lane = laneEnds.push(right) - 1;
    else laneEnds[lane] = right;
    return { item, x0, x1, lane, labelText, anchorEnd };
  });
  const height = margin.top + laneEnds.length * laneHeight + margin.axis;
  const axisY = height - margin.axis + 6;
  const parts: string[] = [];
  parts.push(
    `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${round(height)}" width="${width}" height="${round(height)}" role="group" aria-labelledby="timeline-title">`,
    `<title id="timeline-title">Timeline: ${items.length} meetings and events by date</title>`,
  );
  parts.push(axisMarkup(segments, x, margin.left, axisY));
  for (const p of placed) {
    const cy = round(margin.top + p.lane * laneHeight + laneHeight / 2);
    const cls = p.item.type === 'meeting' ? 'tl-item tl-meeting' : 'tl-item tl-event';
    const marker =
      p.x1 - p.x0 >= 4
        ? `<rect x="${round(p.x0)}" y="${round(cy - 4)}" width="${round(p.x1 - p.x0)}" height="8" rx="3"/>`
        : p.item.type === 'meeting'
          ? `<circle cx="${round(p.x0)}" cy="${cy}" r="5"/>`
          : `<rect x="${round(p.x0 - 5)}" y="${round(cy - 5)}" width="10" height="10" transform="rotate(45 ${round(p.x0)} ${cy})"/>`;
    const label = `<text x="${round(p.anchorEnd ? p.x0 - 8 : p.x1 + 8)}" y="${round(cy + 4)}"${p.anchorEnd ? ' text-anchor="end"' : ''}>${escapeMarkup(p.labelText)}</text>`;
    const where = p.item.evidence;
    const detail = where ? `${p.item.detail}\n${where.sentence ? `“${where.sentence}”` : `evidence: ${where.articleId}, characters ${where.start}–${where.end}`}` : p.item.detail;
    parts.push(`<g class="${cls}" tabindex="0" data-id="${escapeMarkup(p.item.id)}" data-date="${escapeMarkup(p.item.date)}"><title>${escapeMarkup(detail)}</title>${marker}${label}</g>`);
  }
  parts.push('</svg>');
  return { svg: parts.join('\n'), drawn: items.length, capped: 0, undrawable: undated, mode: 'items' };
}

/** How many meetings or events have the same dates. */
interface DatedCount {
  span: DaySpan;
  type: 'meeting' | 'event';
  count: number;
}

/**
 * The timeline of a large dataset: bars of meetings and events per month (or
 * per year where months would be too thin), on the same broken axis. Every
 * dated item is counted; nothing is capped. Counts per span are enough: the
 * axis depends on which spans occur, not how often, and an item's bar on its first day.
 */
function histogramSvg(unordered: readonly DatedCount[], undated: number): Picture {
  // Bars are made in order of their first day (a month's and a year's bar may start on the same day).
  const counts = [...unordered].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  const total = counts.reduce((sum, c) => sum + c.count, 0);
  const width = 960;
  const margin = { left: 24, right: 24, top: 16, axis: 28 };
  const barsHeight = 140;
  const plot = width - margin.left - margin.right;
  const segments = axisSegments(counts.map((c) => c.span), plot);
  const x = (day: number) => margin.left + positionOn(segments, day);
  const monthly = segments.map((s) => (s.to - s.from) / 30.44 <= s.width / 5);
  interface Bin {
    key: string;
    from: number;
    to: number;
    meetings: number;
    events: number;
  }
  const bins = new Map<string, Bin>();
  for (const item of counts) {
    const segment = segments.findIndex((s) => item.span.start <= s.to);
    const iso = isoOfDay(item.span.start);
    const byMonth = monthly[segment === -1 ? segments.length - 1 : segment]!;
    const key = byMonth ? iso.slice(0, 7) : iso.slice(0, 4);
    let bin = bins.get(key);
    if (!bin) {
      const year = Number(iso.slice(0, 4));
      const month = Number(iso.slice(5, 7));
      const from = byMonth ? dayOf(year, month, 1) : dayOf(year, 1, 1);
      const to = byMonth ? dayOf(year, month + 1, 1) : dayOf(year + 1, 1, 1);
      bin = { key, from, to, meetings: 0, events: 0 };
      bins.set(key, bin);
    }
    if (item.type === 'meeting') bin.meetings += item.count;
    else bin.events += item.count;
  }
  const ordered = [...bins.values()].sort((a, b) => a.from - b.from);
  const most = Math.max(...ordered.map((b) => b.meetings + b.events));
  const axisY = margin.top + barsHeight + 6;
  const parts: string[] = [
    `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${axisY + margin.axis}" width="${width}" height="${axisY + margin.axis}" role="group" aria-labelledby="timeline-title">`,
    `<title id="timeline-title">Timeline: ${total} meetings and events, counted per ${monthly.every(Boolean) ? 'month' : monthly.some(Boolean) ? 'month or year' : 'year'}</title>`,
    `<text class="tick" x="${margin.left}" y="${margin.top - 4}">${most} per bar at most</text>`,
  ];
  for (const bin of ordered) {
    const x0 = x(bin.from);
    const w = Math.max(2, x(bin.to) - x0 - 1);
    const unit = (count: number) => (count / most) * barsHeight;
    const meetingHeight = unit(bin.meetings);
    const eventHeight = unit(bin.events);
    const title = `${bin.key}: ${bin.meetings} meeting${bin.meetings === 1 ? '' : 's'}, ${bin.events} event${bin.events === 1 ? '' : 's'}`;
    parts.push(
      `<g class="tl-bin" tabindex="0" data-key="${escapeMarkup(bin.key)}"><title>${escapeMarkup(title)}</title>` +
        (bin.meetings > 0 ? `<rect class="bar-meeting" x="${round(x0)}" y="${round(axisY - meetingHeight)}" width="${round(w)}" height="${round(meetingHeight)}"/>` : '') +
        (bin.events > 0 ? `<rect class="bar-event" x="${round(x0)}" y="${round(axisY - meetingHeight - eventHeight)}" width="${round(w)}" height="${round(eventHeight)}"/>` : '') +
        '</g>',
    );
  }
  parts.push(axisMarkup(segments, x, margin.left, axisY));
  parts.push('</svg>');
  return { svg: parts.join('\n'), drawn: total, capped: 0, undrawable: undated, mode: 'counts' };
}

// ---------------------------------------------------------------- network

export const NETWORK_NODE_CAP = 100;
export const NETWORK_EDGE_CAP = 400;
/**
 * The network chooses its people and meetings among this many most recent
 * meetings between people: a window the digest keeps as the articles stream
 * by (about 1 kB a meeting, 5 MB in all), so that the picture needs no
 * pass over every meeting at the end.
 */
export const NETWORK_WINDOW = 5000;

interface Point {
  x: number;
  y: number;
}

/**
 * Circle layout in breadth-first order from the best-connected person, so
 * people who met sit next to each other and edges stay short; components
 * follow each other, largest first. Deterministic: ties break by ID.
 */
function circleOrder(nodes: readonly string[], neighbours: ReadonlyMap<string, Map<string, number>>, degree: ReadonlyMap<string, number>): string[] {
  const byImportance = [...nodes].sort((a, b) => degree.get(b)! - degree.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
  const seen = new Set<string>();
  const order: string[] = [];
  for (const root of byImportance) {
    if (seen.has(root)) continue;
    seen.add(root);
    const queue = [root];
    while (queue.length > 0) {
      const current = queue.shift()!;
      order.push(current);
      const next = [...(neighbours.get(current) ?? new Map()).entries()]
        .filter(([id]) => !seen.has(id) && degree.has(id))
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      for (const [id] of next) {
        seen.add(id);
        queue.push(id);
      }
    }
  }
  return order;
}

/**
 * Who met whom. Among the most recent meetings between people (the digest's
 * window, NETWORK_WINDOW of them): the `nodeCap` people in the most of them
 * (ties by ID), and the `edgeCap` most recent meetings between two or more
 * of those people. With no more meetings than the window, that is every meeting.
 */
export function networkSvg(context: PictureContext, nodeCap = NETWORK_NODE_CAP, edgeCap = NETWORK_EDGE_CAP): Picture {
  const { tables, meetings } = context;
  const people = new Map(tables.people.map((p) => [p.person_id, p.name]));
  const recent = meetings.recentMeetings();
  const degree = new Map<string, number>();
  for (const m of recent) for (const id of m.people) degree.set(id, (degree.get(id) ?? 0) + 1);
  const kept = new Set(
    [...degree.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, nodeCap)
      .map(([id]) => id),
  );
  // The window is newest first: the most recent meetings are drawn when capping.
  const drawable = recent.map((m) => ({ ...m, people: m.people.filter((id) => kept.has(id)) })).filter((m) => m.people.length >= 2);
  const drawn = drawable.slice(0, edgeCap).sort((a, b) => (a.interaction.interaction_id < b.interaction.interaction_id ? -1 : 1));
  const undrawable = meetings.count - meetings.betweenPeople;
  if (drawn.length === 0) return { svg: '', drawn: 0, capped: meetings.betweenPeople, undrawable };

  const drawnDegree = new Map<string, number>();
  const neighbours = new Map<string, Map<string, number>>();
  for (const m of drawn) {
    for (const a of m.people) {
      drawnDegree.set(a, (drawnDegree.get(a) ?? 0) + 1);
      for (const b of m.people) {
        if (a === b) continue;
        const row = neighbours.get(a) ?? new Map<string, number>();
        row.set(b, (row.get(b) ?? 0) + 1);
        neighbours.set(a, row);
      }
    }
  }
  const order = circleOrder([...drawnDegree.keys()], neighbours, drawnDegree);
  const n = order.length;
  const radius = Math.max(180, (n * 22) / (2 * Math.PI));
  // Labels beside the circle need room left and right, little above and below.
  const radial = n > 36;
  const width = 2 * (radius + 170);
  const height = radial ? width : 2 * (radius + 36);
  const centre: Point = { x: width / 2, y: height / 2 };
  const position = new Map<string, Point>();
  order.forEach((id, k) => {
    // Start at the top and go clockwise.
    const angle = -Math.PI / 2 + (2 * Math.PI * k) / n;
    position.set(id, { x: centre.x + radius * Math.cos(angle), y: centre.y + radius * Math.sin(angle) });
  });

  const names = namesById(tables);
  const kinds = networkKinds(meetings);
  const parts: string[] = [
    `<svg class="network" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${round(width)} ${round(height)}" width="${round(width)}" height="${round(height)}" role="group" aria-labelledby="network-title">`,
    `<title id="network-title">Network: ${n} people, ${drawn.length} meetings</title>`,
  ];
  // Several meetings of the same people are drawn as separate, differently bent curves.
  const seenGroups = new Map<string, number>();
  for (const m of drawn) {
    const i = m.interaction;
    const groupKey = m.people.join('\u0000');
    const repeat = seenGroups.get(groupKey) ?? 0;
    seenGroups.set(groupKey, repeat + 1);
    const points = m.people.map((id) => position.get(id)!);
    const place = i.place_id ? names.get(i.place_id) : undefined;
    const title = [
      `${i.date ?? 'date not stated'} · ${i.kind}${place ? ` · ${place}` : ''}`,
      m.people.map((id) => people.get(id)!).join(', '),
      m.evidence ? `“${m.evidence}”` : `evidence: ${i.article_id}, characters ${i.start}–${i.end}`,
    ].join('\n');
    let shape: string;
    if (points.length === 2) {
      const [a, b] = points as [Point, Point];
      const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
      // Bend towards the centre; each repeat bends a little further.
      const pull = 0.25 + 0.2 * repeat;
      const control = { x: mid.x + (centre.x - mid.x) * pull, y: mid.y + (centre.y - mid.y) * pull };
      const d = `M${round(a.x)},${round(a.y)} Q${round(control.x)},${round(control.y)} ${round(b.x)},${round(b.y)}`;
      shape = `<path class="hit" d="${d}"/><path class="line" d="${d}"/>`;
    } else {
      // A meeting of three or more: spokes from a hub between the participants.
      const mean = { x: points.reduce((s, p) => s + p.x, 0) / points.length, y: points.reduce((s, p) => s + p.y, 0) / points.length };
      const hub = { x: mean.x + (centre.x - mean.x) * (0.3 + 0.15 * repeat), y: mean.y + (centre.y - mean.y) * (0.3 + 0.15 * repeat) };
      const d = points.map((p) => `M${round(hub.x)},${round(hub.y)} L${round(p.x)},${round(p.y)}`).join(' ');
      shape = `<path class="hit" d="${d}"/><path class="line" d="${d}"/><circle class="hub" cx="${round(hub.x)}" cy="${round(hub.y)}" r="4"/>`;
    }
    parts.push(
      `<g class="edge kind-${kinds.indexOf(i.kind)}" tabindex="0" data-id="${escapeMarkup(i.interaction_id)}" data-people="${escapeMarkup(m.people.join(' '))}"><title>${escapeMarkup(title)}</title>${shape}</g>`,
    );
  }
  for (const id of order) {
    const p = position.get(id)!;
    const angle = Math.atan2(p.y - centre.y, p.x - centre.x);
    // Bigger for more meetings, but small enough not to overlap neighbours when there are many people.
    const r = 4 + Math.min(radial ? 3 : 8, 1.5 * (drawnDegree.get(id)! - 1));
    const lx = centre.x + (radius + r + 6) * Math.cos(angle);
    const ly = centre.y + (radius + r + 6) * Math.sin(angle);
    const name = people.get(id)!;
    const count = drawnDegree.get(id)!;
    let label: string;
    if (radial) {
      // Many people: labels point outwards along the radius so neighbours do not overlap; never upside down.
      const right = Math.cos(angle) >= 0;
      const degrees = round((angle * 180) / Math.PI + (right ? 0 : 180));
      label = `<text x="${round(lx)}" y="${round(ly + 3.5)}" text-anchor="${right ? 'start' : 'end'}" transform="rotate(${degrees} ${round(lx)} ${round(ly)})">${escapeMarkup(shorten(name, 24))}</text>`;
    } else {
      const anchor = Math.abs(Math.cos(angle)) < 0.2 ? 'middle' : Math.cos(angle) > 0 ? 'start' : 'end';
      const dy = Math.abs(Math.cos(angle)) < 0.2 ? (Math.sin(angle) > 0 ? 12 : -4) : 4;
      label = `<text x="${round(lx)}" y="${round(ly + dy)}" text-anchor="${anchor}">${escapeMarkup(shorten(name, 28))}</text>`;
    }
    parts.push(
      `<g class="node" data-id="${escapeMarkup(id)}"><title>${escapeMarkup(`${name}: ${count} meeting${count === 1 ? '' : 's'}`)}</title><circle cx="${round(p.x)}" cy="${round(p.y)}" r="${round(r)}"/>${label}</g>`,
    );
  }
  parts.push('</svg>');
  return { svg: parts.join('\n'), drawn: drawn.length, capped: meetings.betweenPeople - drawn.length, undrawable };
}

/** The interaction kinds in the order the network's `kind-N` classes number them. */
export function networkKinds(meetings: MeetingDigest): string[] {
  return [...meetings.kinds].sort();
}
