// What the per-article work costs at the least, for `make bench`: the calls
// into the libraries the design prescribes (iconv-lite to decode, ajv to
// validate every row, csv-stringify for the CSV rows) and the serialising
// and hashing any build must do (JSON-LD text, SHA-256 of input and output),
// made on the pipeline's own rows of real corpus articles, each alone, in a
// warm loop. Against that, the whole per-article path of the same articles
// in the same process. A warm loop over one call is the cheapest that call
// ever gets (inside a build the caches are shared with everything else), so
// the floor is a lower bound: no implementation that makes these calls can
// spend less per article.
import iconv from 'iconv-lite';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeArticle, articleRecord, processArticle, serialise, type InputFile } from '../build.js';
import { csvRows } from '../emit/csv.js';
import { graphElement, jsonLdNodes } from '../emit/jsonld.js';
import { ARTICLE_TABLES, localize, type EntityOccurrence, type Tables, type ArticleTableName } from '../merge.js';
import { MessageSink } from '../messages.js';
import { utf16LengthValidatorFor, validateArticle } from '../validate.js';

export interface FloorFigures {
  articles: number;
  /** Milliseconds per article of each library call alone (median of the passes). */
  calls: Record<string, number>;
  /** Milliseconds per article of the whole per-article path (processArticle) of the same articles, same process. */
  whole: number;
}

interface Prepared {
  input: InputFile;
  encoding: string;
  rows: Pick<Tables, ArticleTableName>;
  occurrences: EntityOccurrence[];
  body: Uint8Array;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The first `count` articles of `corpus` (in name order), `passes` timed passes of each measurement. */
export function measureLibraryFloor(corpus: string, count: number, passes = 5): FloorFigures {
  const inputs: InputFile[] = readdirSync(corpus)
    .sort()
    .slice(0, count)
    .map((name) => ({ name, bytes: readFileSync(path.join(corpus, name)) }));
  const prepared: Prepared[] = [];
  for (const input of inputs) {
    const sink = new MessageSink(input.name, '');
    const analysis = analyzeArticle(input, sink);
    if (!analysis) continue;
    const valid = validateArticle(localize({ record: articleRecord(input, analysis), clean: analysis.clean, extraction: analysis.extraction }), sink);
    if (!valid) continue;
    const { body } = serialise(valid.rows, valid.occurrences, { texts: true });
    prepared.push({ input, encoding: analysis.decoded.encoding, rows: valid.rows, occurrences: valid.occurrences, body });
  }
  if (prepared.length === 0) throw new Error(`library floor: no article of ${corpus} was emitted`);

  const calls: Record<string, () => void> = {
    'iconv-lite decode': () => {
      for (const p of prepared) iconv.decode(Buffer.from(p.input.bytes), p.encoding);
    },
    'ajv, every row': () => {
      for (const p of prepared) {
        for (const o of p.occurrences) utf16LengthValidatorFor(o.table)(o.row);
        for (const table of ARTICLE_TABLES) {
          const validator = utf16LengthValidatorFor(table);
          for (const row of p.rows[table]) validator(row);
        }
      }
    },
    'csv-stringify, every row': () => {
      for (const p of prepared) for (const table of ARTICLE_TABLES) csvRows(table, p.rows[table] as unknown as Array<Record<string, unknown>>);
    },
    'JSON-LD text': () => {
      for (const p of prepared) jsonLdNodes(p.rows).map(graphElement).join(',\n');
    },
    'SHA-256 of input and rows': () => {
      for (const p of prepared) {
        createHash('sha256').update(p.input.bytes).digest('hex');
        createHash('sha256').update(p.body).digest('hex');
      }
    },
  };
  const time = (run: () => void) => {
    const t0 = performance.now();
    run();
    return (performance.now() - t0) / prepared.length;
  };
  const whole = () => {
    for (const p of prepared) processArticle(p.input, { texts: true });
  };
  // A warm-up pass of each, then the timed passes alternated so that a change in the machine's load hits all alike.
  for (const run of [...Object.values(calls), whole]) run();
  const samples: Record<string, number[]> = {};
  const wholeSamples: number[] = [];
  for (let pass = 0; pass < passes; pass++) {
    for (const [name, run] of Object.entries(calls)) (samples[name] ??= []).push(time(run));
    wholeSamples.push(time(whole));
  }
  return {
    articles: prepared.length,
    calls: Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)])),
    whole: median(wholeSamples),
  };
}
