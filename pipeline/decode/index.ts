// The decode stage: raw bytes → Unicode text with mojibake repaired.
// Pure: bytes in, text + repair ledger out; problems become messages.
import type { MessageSink } from '../messages.js';
import { detectAndDecode, type EncodingLabel } from './detect.js';
import { fixGbkMojibake } from './gbk-mojibake.js';
import { fixLatinMojibake } from './latin-mojibake.js';
import type { FixResult, Repair } from './repair.js';

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

/** Repairs the mojibake in already-decoded text; offsets refer to `text`. */
export function repairMojibake(text: string): FixResult {
  let current = text;
  let repairs: Repair[] = [];
  for (const fix of FIXERS) {
    const result = fix(current);
    if (result.repairs.length === 0) continue;
    repairs = repairs.concat(result.repairs.map((r) => mapToOriginal(r, repairs)));
    current = result.text;
  }
  repairs.sort((a, b) => a.start - b.start || a.end - b.end);
  return { text: current, repairs };
}

/**
 * Re-expresses a repair made on an intermediate text in the offsets of the
 * original text, given the repairs that produced the intermediate text.
 */
function mapToOriginal(repair: Repair, earlier: readonly Repair[]): Repair {
  const toOriginal = (position: number, isEnd: boolean): number => {
    let shift = 0;
    for (const e of [...earlier].sort((a, b) => a.start - b.start)) {
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
  const { text, repairs } = repairMojibake(detected.text);
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
