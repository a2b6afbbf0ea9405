// Extraction quality must not fall below a floor, measured as a user reads
// the published CSVs, against hand-made gold annotations (tests/fixtures/gold).
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, formatEvaluation, type Evaluation } from '../pipeline/tools/evaluate.js';
import { ROOT, runCli, tempDir } from './helpers.js';

// Floors: a little under what the pipeline measures today, so a regression fails CI.
// Measured 2026-11-24: seeds 1.000, devset 1.000 (both developed against); held-out 0.970 and
// held-out 2 0.981 (written blind to the engine; first measured at 0.932 and 0.942, then the
// organisation failure classes they revealed were fixed generically without reading them).
// Never tune on the held-out sets: once the engine is fitted to one it stops measuring anything.
const FLOORS = {
  seeds: { overall: 0.98, people: 0.98, meetings: 0.95 },
  devset: { overall: 0.98, people: 0.98, meetings: 0.95 },
  heldout: { overall: 0.93, people: 0.95, meetings: 0.9 },
  heldout2: { overall: 0.93, people: 0.95, meetings: 0.85 },
};

function build(raw: string): string {
  const out = path.join(tempDir('eval'), 'out');
  const result = runCli(['build', '--raw', raw, '--out', out, '--allow-rejects']);
  expect(result.status, result.stderr).toBe(0);
  return out;
}

describe.each([
  ['seeds', path.join(ROOT, 'raw'), path.join(ROOT, 'tests/fixtures/gold/seeds')],
  ['devset', path.join(ROOT, 'tests/fixtures/devset'), path.join(ROOT, 'tests/fixtures/gold/devset')],
  ['heldout', path.join(ROOT, 'tests/fixtures/heldout/raw'), path.join(ROOT, 'tests/fixtures/heldout/gold')],
  ['heldout2', path.join(ROOT, 'tests/fixtures/heldout2/raw'), path.join(ROOT, 'tests/fixtures/heldout2/gold')],
] as const)('quality on the %s', (name, raw, gold) => {
  let e: Evaluation;
  beforeAll(() => {
    e = evaluate(build(raw), gold);
    console.log(formatEvaluation(name, e));
  });

  it('has no integrity problem (offsets, unique IDs, every article present)', () => {
    expect(e.problems).toEqual([]);
  });

  it('keeps the text, titles and dates right', () => {
    for (const check of ['text_keeps', 'text_clean', 'title', 'no_false_headline', 'date_published']) {
      const [ok, total] = e.checks[check] ?? [0, 0];
      expect(ok, check).toBe(total);
    }
  });

  it('stays above the quality floor', () => {
    const floor = FLOORS[name];
    expect(e.overall.f1).toBeGreaterThanOrEqual(floor.overall);
    expect(e.categories.people.f1).toBeGreaterThanOrEqual(floor.people);
    expect(e.categories.meetings.f1).toBeGreaterThanOrEqual(floor.meetings);
  });
});
