// The build report (report.json) without holding it: every input and every
// message of a chunk of articles becomes a JSON line of the chunk's stored
// pieces, in report order (the articles come in file order, and an article's
// messages are sorted); the lines of every chunk are read back once at the
// end, when report.json is written. What stays in memory is counts, the few
// entries that arrive out of order (skipped inputs, the run's own messages:
// merged in at the end) and the first few of each kind for the terminal.
import { compareMessages, type Message } from '../messages.js';
import type { InputReport, Report } from '../build.js';

/** A file outside the published folder that the build appends lines to and reads back once. */
export interface ScratchFile {
  /** Appends one line (it must not contain a line break). */
  appendLine(line: string): void;
  /** Every line appended, in order. */
  lines(): Iterable<string>;
}

/** What a run shows on the terminal: the report's head and the first entries of each kind. */
export interface ReportListing {
  head: Pick<Report, 'pipeline' | 'summary'>;
  /** The first rejected inputs, in file order. */
  rejected: InputReport[];
  /** The first errors (other than the rejections themselves) and warnings, in report order. */
  errors: Message[];
  warnings: Message[];
  /** How many there are in all. */
  totals: { rejected: number; errors: number; warnings: number };
}

/** Lines kept in memory (a chunk's report lines before they are stored; tests). */
export class LinesInMemory implements ScratchFile {
  readonly kept: string[] = [];
  appendLine(line: string): void {
    this.kept.push(line);
  }
  lines(): Iterable<string> {
    return this.kept;
  }
}

/** What a collector knows besides its lines: enough to combine the collectors of consecutive runs of articles. */
export interface ReportState {
  counts: { inputs: number; emitted: number; rejected: number; skipped: number; repairs: number; warnings: number; errors: number };
  firstInput: InputReport | null;
  lastInput: InputReport | null;
  firstMessage: Message | null;
  lastMessage: Message | null;
  firstRejected: InputReport[];
  firstErrors: Message[];
  firstWarnings: Message[];
  rejectionEchoes: number;
}

/** Rejected files, errors and warnings a build names on the terminal, of each kind; report.json has them all. */
export const LISTED_ON_TERMINAL = 20;

const byFile = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);

/** Merges two sorted sequences (the spilled one read lazily) into one. */
function* mergeSorted<T>(spilled: Iterable<T>, held: readonly T[], compare: (a: T, b: T) => number): Generator<T> {
  let h = 0;
  for (const item of spilled) {
    while (h < held.length && compare(held[h]!, item) <= 0) yield held[h++]!;
    yield item;
  }
  while (h < held.length) yield held[h++]!;
}

/** The values of JSON lines, parsed as they are read. */
function* parsed<T>(lines: Iterable<string>): Generator<T> {
  for (const line of lines) yield JSON.parse(line) as T;
}

/** `[ ...items ]` as JSON.stringify(value, null, 2) prints an array nested one level deep. */
function* prettyArray(items: Iterable<unknown>): Generator<string> {
  let first = true;
  for (const item of items) {
    yield `${first ? '[\n' : ',\n'}    ${JSON.stringify(item, null, 2).replace(/\n/g, '\n    ')}`;
    first = false;
  }
  yield first ? '[]' : '\n  ]';
}

/**
 * Collects the report of a run of articles (a chunk, in the thread that assembles it: its lines go to
 * the scratch files given) or of the whole dataset (the main thread: it absorbs the chunks' states in
 * order, and the chunks' stored lines are handed to text() at the end).
 */
export class ReportCollector {
  private counts = { inputs: 0, emitted: 0, rejected: 0, skipped: 0, repairs: 0, warnings: 0, errors: 0 };
  private firstInput: InputReport | null = null;
  private lastInput: InputReport | null = null;
  private firstMessage: Message | null = null;
  private lastMessage: Message | null = null;
  private readonly lateInputs: InputReport[] = [];
  private readonly lateMessages: Message[] = [];
  private firstRejected: InputReport[] = [];
  private firstErrors: Message[] = [];
  private firstWarnings: Message[] = [];
  /** Errors that only repeat a rejection (listed with the rejected file already). */
  private rejectionEchoes = 0;

  constructor(
    private readonly inputs: ScratchFile | null = null,
    private readonly messages: ScratchFile | null = null,
    /** How many of each kind the terminal shows. */
    private readonly listed = LISTED_ON_TERMINAL,
  ) {}

  /** An input file's entry; in file order. */
  input(entry: InputReport): void {
    if (this.lastInput && byFile(this.lastInput, entry) >= 0) throw new Error(`internal: report inputs out of file order (${entry.file} after ${this.lastInput.file})`);
    this.firstInput ??= entry;
    this.lastInput = entry;
    this.count(entry);
    this.linesOf(this.inputs).appendLine(JSON.stringify(entry));
  }

  /** A message, in report order (after every message given before). `echo`: an error that repeats the file's rejection. */
  message(message: Message, echo = false): void {
    if (this.lastMessage && compareMessages(this.lastMessage, message) > 0) throw new Error(`internal: report messages out of order (${message.file ?? '(dataset)'} ${message.rule})`);
    this.firstMessage ??= message;
    this.lastMessage = message;
    this.countMessage(message, echo);
    this.linesOf(this.messages).appendLine(JSON.stringify(message));
  }

  private linesOf(file: ScratchFile | null): ScratchFile {
    if (!file) throw new Error('internal: this report collector takes whole chunks (absorb), not single entries');
    return file;
  }

  state(): ReportState {
    const { counts, firstInput, lastInput, firstMessage, lastMessage, firstRejected, firstErrors, firstWarnings, rejectionEchoes } = this;
    return { counts: { ...counts }, firstInput, lastInput, firstMessage, lastMessage, firstRejected, firstErrors, firstWarnings, rejectionEchoes };
  }

  /** The state of the collector of the articles that follow this one's (their lines are the caller's to keep). */
  absorb(later: ReportState): void {
    if (this.lastInput && later.firstInput && byFile(this.lastInput, later.firstInput) >= 0) throw new Error(`internal: report inputs out of file order (${later.firstInput.file} after ${this.lastInput.file})`);
    if (this.lastMessage && later.firstMessage && compareMessages(this.lastMessage, later.firstMessage) > 0) throw new Error(`internal: report messages out of order (${later.firstMessage.file ?? '(dataset)'})`);
    for (const [key, n] of Object.entries(later.counts)) this.counts[key as keyof ReportState['counts']] += n;
    this.firstInput ??= later.firstInput;
    this.lastInput = later.lastInput ?? this.lastInput;
    this.firstMessage ??= later.firstMessage;
    this.lastMessage = later.lastMessage ?? this.lastMessage;
    // Each side kept at least the first `listed` of its own, in order: together they hold the first `listed` of both.
    this.firstRejected = [...this.firstRejected, ...later.firstRejected].sort(byFile).slice(0, this.listed);
    this.firstErrors = [...this.firstErrors, ...later.firstErrors].sort(compareMessages).slice(0, this.listed);
    this.firstWarnings = [...this.firstWarnings, ...later.firstWarnings].sort(compareMessages).slice(0, this.listed);
    this.rejectionEchoes += later.rejectionEchoes;
  }

  /** Entries that arrive after the articles (skipped inputs, the run's own messages); merged in their place at the end. */
  late(inputs: readonly InputReport[], messages: readonly Message[]): void {
    for (const entry of inputs) {
      this.count(entry);
      this.lateInputs.push(entry);
    }
    for (const message of messages) {
      this.countMessage(message, false);
      this.lateMessages.push(message);
    }
  }

  private count(entry: InputReport): void {
    this.counts.inputs++;
    this.counts[entry.status]++;
    if (entry.status === 'rejected' && this.firstRejected.length < this.listed) this.firstRejected.push(entry);
  }

  private countMessage(m: Message, echo: boolean): void {
    if (m.stage === 'decode' && m.severity === 'info') this.counts.repairs++;
    if (m.severity === 'warning') this.counts.warnings++;
    if (m.severity === 'error') this.counts.errors++;
    if (echo) this.rejectionEchoes++;
    else this.keepFirst(m);
  }

  /** Keeps at least the first `listed` errors and warnings in report order (the late ones may sort first). */
  private keepFirst(m: Message): void {
    const list = m.severity === 'error' ? this.firstErrors : m.severity === 'warning' ? this.firstWarnings : null;
    if (!list) return;
    list.push(m);
    if (list.length > 4 * this.listed) {
      list.sort(compareMessages);
      list.length = this.listed;
    }
  }

  /**
   * report.json, a piece at a time: the same bytes as JSON.stringify(report, null, 2) plus a line break,
   * with the late entries merged into the collected ones (JSON lines, in file and message order) in their place.
   */
  *text(head: Pick<Report, 'pipeline' | 'summary'>, inputLines: Iterable<string> = this.linesOf(this.inputs).lines(), messageLines: Iterable<string> = this.linesOf(this.messages).lines()): Generator<string> {
    const opening = JSON.stringify(head, null, 2);
    yield `${opening.slice(0, -2)},\n  "inputs": `;
    yield* prettyArray(mergeSorted(parsed<InputReport>(inputLines), [...this.lateInputs].sort(byFile), byFile));
    yield ',\n  "messages": ';
    yield* prettyArray(mergeSorted(parsed<Message>(messageLines), [...this.lateMessages].sort(compareMessages), compareMessages));
    yield '\n}\n';
  }

  /** The report's head: who made it and the counts. */
  head(pipeline: Report['pipeline'], rows: Record<string, number>): Pick<Report, 'pipeline' | 'summary'> {
    const { inputs, emitted, rejected, skipped, repairs, warnings, errors } = this.counts;
    return { pipeline, summary: { inputs, emitted, rejected, skipped, repairs, warnings, errors, rows } };
  }

  listing(head: Pick<Report, 'pipeline' | 'summary'>): ReportListing {
    const first = (list: Message[]) => [...list].sort(compareMessages).slice(0, this.listed);
    return {
      head,
      rejected: [...this.firstRejected].sort(byFile).slice(0, this.listed),
      errors: first(this.firstErrors),
      warnings: first(this.firstWarnings),
      totals: { rejected: this.counts.rejected, errors: this.counts.errors - this.rejectionEchoes, warnings: this.counts.warnings },
    };
  }
}
