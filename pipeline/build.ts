// The core of a build, with no I/O: input files in, published files out.
// processArticle is the per-article part (pure, so it can run in worker
// threads and be cached by content hash); assemble is the cross-article part.
import packageJson from '../package.json' with { type: 'json' };
import type { ArticleForMerge } from './merge.js';
import { merge } from './merge.js';
import { clean, wordCountOf } from './clean.js';
import { decode } from './decode/index.js';
import { extract } from './extract/index.js';
import { articleId, sha256Hex } from './ids.js';
import { MessageSink, compareMessages, type Message, type Stage } from './messages.js';
import { validate } from './validate.js';
import { emitDataset } from './emit/index.js';

export const PIPELINE_NAME = packageJson.name;
export const PIPELINE_VERSION = packageJson.version;

export interface InputFile {
  /** Name relative to the input folder. */
  name: string;
  bytes: Uint8Array;
}

/** An entry of the input folder that is not an article file (directory, hidden file). */
export interface SkippedInput {
  name: string;
  reason: string;
}

export interface ArticleResult {
  file: string;
  sha256: string;
  bytes: number;
  status: 'emitted' | 'rejected';
  rule?: string;
  reason?: string;
  article?: ArticleForMerge;
  messages: Message[];
  /** Milliseconds per stage, when a clock was given. */
  timings: Partial<Record<Stage, number>>;
}

/** Decode, clean and extract one article. Pure apart from the optional clock used for timings. */
export function processArticle(input: InputFile, clock?: () => number): ArticleResult {
  const sha256 = sha256Hex(input.bytes);
  const id = articleId(sha256);
  const sink = new MessageSink(input.name, id);
  const timings: Partial<Record<Stage, number>> = {};
  const timed = <T>(stage: Stage, run: () => T): T => {
    if (!clock) return run();
    const t0 = clock();
    const result = run();
    timings[stage] = (timings[stage] ?? 0) + clock() - t0;
    return result;
  };
  const base = { file: input.name, sha256, bytes: input.bytes.length, messages: sink.messages, timings };
  const reject = (): ArticleResult => {
    const error = sink.messages.find((m) => m.severity === 'error')!;
    return { ...base, status: 'rejected', rule: error.rule, reason: error.reason };
  };

  const decoded = timed('decode', () => decode(input.bytes, sink));
  if (!decoded) return reject();
  const cleaned = timed('clean', () => clean({ article_id: id, source_file: input.name, text: decoded.text }, sink));
  if (!cleaned) return reject();
  const extraction = timed('extract', () => extract(cleaned, sink));
  return {
    ...base,
    status: 'emitted',
    article: {
      record: {
        article_id: id,
        source_file: input.name,
        source_sha256: sha256,
        encoding: decoded.encoding,
        repairs: decoded.repairs.length,
        title: cleaned.title,
        title_source: cleaned.title_source,
        date_published: cleaned.date_published,
        word_count: wordCountOf(cleaned.text),
        text: cleaned.text,
      },
      clean: cleaned,
      extraction,
    },
  };
}

export interface InputReport {
  file: string;
  status: 'emitted' | 'rejected' | 'skipped';
  sha256?: string;
  bytes?: number;
  article_id?: string;
  encoding?: string;
  repairs?: number;
  rule?: string;
  reason?: string;
}

export interface BuildOutcome {
  /** Published files by path relative to the output folder. */
  files: Map<string, string>;
  report: Report;
}

export interface Report {
  pipeline: { name: string; version: string };
  summary: {
    inputs: number;
    emitted: number;
    rejected: number;
    skipped: number;
    repairs: number;
    warnings: number;
    errors: number;
    rows: Record<string, number>;
  };
  inputs: InputReport[];
  messages: Message[];
}

export interface AssembleOptions {
  /** false: publish everything but the article texts (`--no-texts`), for sources that cannot be redistributed. */
  texts?: boolean;
}

/** Cross-article part: duplicates, merge, validation, emission. */
export function assemble(results: readonly ArticleResult[], skipped: readonly SkippedInput[], options: AssembleOptions = {}): BuildOutcome {
  const runSink = new MessageSink();
  const firstBySha = new Map<string, string>();
  const inputs: InputReport[] = [];
  const articles: ArticleForMerge[] = [];
  const messages: Message[] = [];
  for (const r of [...results].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
    const entry: InputReport = { file: r.file, status: r.status, sha256: r.sha256, bytes: r.bytes };
    const duplicateOf = firstBySha.get(r.sha256);
    if (r.status === 'emitted' && duplicateOf !== undefined) {
      const reason = `same bytes as ${duplicateOf}, which is emitted`;
      messages.push({ stage: 'read', rule: 'duplicate-file', severity: 'error', file: r.file, reason });
      inputs.push({ ...entry, status: 'rejected', rule: 'duplicate-file', reason });
      continue;
    }
    messages.push(...r.messages);
    if (r.status === 'emitted' && r.article) {
      firstBySha.set(r.sha256, r.file);
      articles.push(r.article);
      const { article_id, encoding, repairs } = r.article.record;
      inputs.push({ ...entry, article_id, encoding, repairs });
    } else {
      inputs.push({ ...entry, rule: r.rule!, reason: r.reason! });
    }
  }
  for (const s of skipped) {
    inputs.push({ file: s.name, status: 'skipped', reason: s.reason });
    messages.push({ stage: 'read', rule: 'skipped-input', severity: 'warning', file: s.name, reason: s.reason });
  }
  inputs.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));

  const tables = validate(merge(articles, runSink), runSink);
  messages.push(...runSink.messages);
  messages.sort(compareMessages);

  const rows: Record<string, number> = {};
  for (const [name, list] of Object.entries(tables)) rows[name] = (list as unknown[]).length;
  const report: Report = {
    pipeline: { name: PIPELINE_NAME, version: PIPELINE_VERSION },
    summary: {
      inputs: inputs.length,
      emitted: inputs.filter((i) => i.status === 'emitted').length,
      rejected: inputs.filter((i) => i.status === 'rejected').length,
      skipped: inputs.filter((i) => i.status === 'skipped').length,
      repairs: messages.filter((m) => m.stage === 'decode' && m.severity === 'info').length,
      warnings: messages.filter((m) => m.severity === 'warning').length,
      errors: messages.filter((m) => m.severity === 'error').length,
      rows,
    },
    inputs,
    messages,
  };
  return { files: emitDataset(tables, report, PIPELINE_VERSION, { textsOmitted: options.texts === false }), report };
}
