// The build report (report.json) without holding it: every input and every
// message is appended to a scratch file as it arrives, in report order (the
// articles come in file order, and an article's messages are sorted), and
// read back once at the end, when report.json is written. What stays in
// memory is counts, the few entries that arrive out of order (skipped inputs,
// the run's own messages: merged in at the end) and the first few of each
// kind for the terminal.
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

export class ReportCollector {
  private readonly counts = { inputs: 0, emitted: 0, rejected: 0, skipped: 0, repairs: 0, warnings: 0, errors: 0 };
  private lastInput: InputReport | null = null;
  private lastMessage: Message | null = null;
  private readonly lateInputs: InputReport[] = [];
  private readonly lateMessages: Message[] = [];
  private readonly firstRejected: InputReport[] = [];
  private readonly firstErrors: Message[] = [];
  private readonly firstWarnings: Message[] = [];
  /** Errors that only repeat a rejection (listed with the rejected file already). */
  private rejectionEchoes = 0;

  constructor(
    private readonly inputs: ScratchFile,
    private readonly messages: ScratchFile,
    /** How many of each kind the terminal shows. */
    private readonly listed = LISTED_ON_TERMINAL,
  ) {}

  /** An input file's entry; in file order. */
  input(entry: InputReport): void {
    if (this.lastInput && byFile(this.lastInput, entry) >= 0) throw new Error(`internal: report inputs out of file order (${entry.file} after ${this.lastInput.file})`);
    this.lastInput = entry;
    this.count(entry);
    this.inputs.appendLine(JSON.stringify(entry));
  }

  /** A message, in report order (after every message given before). `echo`: an error that repeats the file's rejection. */
  message(message: Message, echo = false): void {
    if (this.lastMessage && compareMessages(this.lastMessage, message) > 0) throw new Error(`internal: report messages out of order (${message.file ?? '(dataset)'} ${message.rule})`);
    this.lastMessage = message;
    this.countMessage(message, echo);
    this.messages.appendLine(JSON.stringify(message));
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
   * with the late entries merged into the spilled ones in file and message order.
   */
  *text(head: Pick<Report, 'pipeline' | 'summary'>): Generator<string> {
    const opening = JSON.stringify(head, null, 2);
    yield `${opening.slice(0, -2)},\n  "inputs": `;
    yield* prettyArray(mergeSorted(parsed<InputReport>(this.inputs.lines()), [...this.lateInputs].sort(byFile), byFile));
    yield ',\n  "messages": ';
    yield* prettyArray(mergeSorted(parsed<Message>(this.messages.lines()), [...this.lateMessages].sort(compareMessages), compareMessages));
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
