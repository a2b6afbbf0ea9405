// A repair made to decoded text: what was replaced, where, and by which rule.

export interface Repair {
  /** Code-point offset of `before` in the text handed to the fixer (end exclusive). */
  start: number;
  end: number;
  /** The text as it was (mojibake), exactly text[start:end] of the fixer's input. */
  before: string;
  /** What it was replaced with. */
  after: string;
  /** Stable rule id, e.g. `utf8-as-cp1252`, `utf8-as-gbk`, `utf8-as-gbk-lossy`. */
  rule: string;
}

export interface FixResult {
  text: string;
  repairs: Repair[];
}

/** Applies non-overlapping repairs (code-point offsets) to the text they were made on. */
export function applyRepairs(text: string, repairs: readonly Repair[]): string {
  const codePoints = Array.from(text);
  let out = '';
  let position = 0;
  for (const r of [...repairs].sort((a, b) => a.start - b.start)) {
    out += codePoints.slice(position, r.start).join('') + r.after;
    position = r.end;
  }
  return out + codePoints.slice(position).join('');
}
