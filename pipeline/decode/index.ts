// The decode stage: raw bytes → Unicode text with mojibake repaired.
// Pure: bytes in, text + repair ledger out; problems become messages.
import type { MessageSink } from '../messages.js';
import { detectAndDecode, type EncodingLabel } from './detect.js';
import { fixGbkMojibake } from './gbk-mojibake.js';
import { fixLatinMojibake } from './latin-mojibake.js';
import { applyRepairs, type FixResult, type Repair } from './repair.js';

export type { EncodingLabel } from './detect.js';
export type { Repair } from './repair.js';

export interface Decoded {
  encoding: EncodingLabel;
  /** Decoded text with every repair applied (nothing cleaned yet). */
  text: string;
  /** Repairs with code-point offsets into the decoded text before any repair. */
  repairs: Repair[];
}

/** Mojibake fixers, applied in order; each sees the previous one's output. */
const FIXERS: ReadonlyArray<(text: string) => FixResult> = [fixLatinMojibake, fixGbkMojibake];

/**
 * Scripts that real text uses. The byte-level heuristics can turn a rare run
 * of legitimate characters into a "repair" in a script nobody writes news in
 * (`ź“Æ` read as cp1257 bytes gives the Lisu letter `ꓯ`); such a repair is
 * declined and the text kept as it was.
 */
const PLAUSIBLE_REPAIR =
  /^[\u0000-\u05FF\u0600-\u06FF\u0750-\u077F\u0900-\u0DFF\u0E00-\u0E7F\u10A0-\u10FF\u1100-\u11FF\u1E00-\u1FFF\u2000-\u2BFF\u2E80-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFB00-\uFB4F\uFE30-\uFE4F\uFF00-\uFFEF\uFFFD\u{1F000}-\u{1FAFF}\u{20000}-\u{2FFFF}]*$/u;

export interface MojibakeRepair extends FixResult {
  /** Repairs a fixer proposed that would produce implausible characters (offsets in `text`). */
  declined: Repair[];
}

/** Repairs the mojibake in already-decoded text; offsets refer to `text`. */
export function repairMojibake(text: string): MojibakeRepair {
  let current = text;
  let repairs: Repair[] = [];
  const declined: Repair[] = [];
  for (const fix of FIXERS) {
    const result = fix(current);
    if (result.repairs.length === 0) continue;
    const accepted = result.repairs.filter((r) => PLAUSIBLE_REPAIR.test(r.after));
    for (const r of result.repairs) if (!accepted.includes(r)) declined.push(mapToOriginal(r, repairs));
    if (accepted.length === 0) continue;
    const next = accepted.length === result.repairs.length ? result.text : applyRepairs(current, accepted);
    repairs = repairs.concat(accepted.map((r) => mapToOriginal(r, repairs)));
    current = next;
  }
  repairs.sort((a, b) => a.start - b.start || a.end - b.end);
  return { text: current, repairs, declined };
}

/**
 * Re-expresses a repair made on an intermediate text in the offsets of the
 * original text, given the repairs that produced the intermediate text.
 */
function mapToOriginal(repair: Repair, earlier: readonly Repair[]): Repair {
  const sorted = [...earlier].sort((a, b) => a.start - b.start);
  const toOriginal = (position: number, isEnd: boolean): number => {
    let shift = 0;
    for (const e of sorted) {
      const afterStart = e.start + shift;
      const afterLength = [...e.after].length;
      const afterEnd = afterStart + afterLength;
      if (position < afterStart || (position === afterStart && !isEnd)) break;
      if (position < afterEnd || (position === afterEnd && isEnd && position > afterStart)) {
        return isEnd ? e.end : e.start;
      }
      shift += afterLength - (e.end - e.start);
    }
    return position - shift;
  };
  if (earlier.length === 0) return repair;
  return { ...repair, start: toOriginal(repair.start, false), end: toOriginal(repair.end, true) };
}

export function decode(bytes: Uint8Array, sink: MessageSink): Decoded | null {
  const detected = detectAndDecode(bytes);
  if (!detected.ok) {
    sink.push({ stage: 'decode', rule: detected.rule, severity: 'error', reason: detected.reason });
    return null;
  }
  const { text, repairs, declined } = repairMojibake(detected.text);
  for (const r of declined) {
    sink.push({ stage: 'decode', rule: 'implausible-repair', severity: 'warning', start: r.start, end: r.end, before: r.before, after: r.after, reason: `a ${r.rule} repair would produce characters of a script not used in such text; kept as printed` });
  }
  for (const r of repairs) {
    sink.push({
      stage: 'decode',
      rule: r.rule,
      severity: 'info',
      start: r.start,
      end: r.end,
      before: r.before,
      after: r.after,
      reason: `mojibake repaired (${r.rule})`,
    });
  }
  return { encoding: detected.encoding, text, repairs };
}
