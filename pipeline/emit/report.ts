// The build report (report.json) without holding it: every input and every
// message of a chunk of articles is rendered as report.json prints it, in
// report order (the articles come in file order, and an article's messages
// are sorted), into the chunk's stored pieces; report.json is those pieces
// copied one after the other, with the entries that arrive out of order
// (skipped inputs, the run's own messages) in their place. What stays in
// memory is counts, those late entries and the first few of each kind for
// the terminal.
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

/**
 * An entry of one of the report's arrays as JSON.stringify(report, null, 2) prints it, with what goes
 * before it when another entry precedes it: a comma, a line break and the indentation. The first entry
 * of an array has `[` instead of the comma.
 */
export function entryText(item: unknown): string {
  return `,\n    ${JSON.stringify(item, null, 2).replace(/\n/g, '\n    ')}`;
}

/** The entries of a run of entry texts (each starts with the comma and line break before a `{` at the indentation of entries). */
function* entriesOf(text: string): Generator<string> {
  if (text !== '') yield* text.split(/(?=,\n {4}\{)/);
}

/** Merges two sorted sequences (the spilled one read lazily) into one. */
function* mergeSorted<T>(spilled: Iterable<T>, held: readonly T[], compare: (a: T, b: T) => number): Generator<T> {
  let h = 0;
  for (const item of spilled) {
    while (h < held.length && compare(held[h]!, item) <= 0) yield held[h++]!;
    yield item;
  }
  while (h < held.length) yield held[h++]!;
}

/**
 * Collects the report of a run of articles (a chunk, in the thread that assembles it: `collect`, and
 * pieces() gives its entries rendered) or of the whole dataset (the main thread: it absorbs the chunks'
 * states in order, and the chunks' stored pieces are handed to text() at the end).
 */
/** The report's two arrays. */
export type ReportArray = 'inputs' | 'messages';

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

  /** Rendered entries (entryText), when collecting. */
  private readonly inputTexts: string[] | null;
  private readonly messageTexts: string[] | null;

  constructor(
    collect = false,
    /** How many of each kind the terminal shows. */
    private readonly listed = LISTED_ON_TERMINAL,
  ) {
    this.inputTexts = collect ? [] : null;
    this.messageTexts = collect ? [] : null;
  }

  /** An input file's entry; in file order. */
  input(entry: InputReport): void {
    if (this.lastInput && byFile(this.lastInput, entry) >= 0) throw new Error(`internal: report inputs out of file order (${entry.file} after ${this.lastInput.file})`);
    this.firstInput ??= entry;
    this.lastInput = entry;
    this.count(entry);
    this.collected(this.inputTexts).push(entryText(entry));
  }

  /** A message, in report order (after every message given before). `echo`: an error that repeats the file's rejection. */
  message(message: Message, echo = false): void {
    if (this.lastMessage && compareMessages(this.lastMessage, message) > 0) throw new Error(`internal: report messages out of order (${message.file ?? '(dataset)'} ${message.rule})`);
    this.firstMessage ??= message;
    this.lastMessage = message;
    this.countMessage(message, echo);
    this.collected(this.messageTexts).push(entryText(message));
  }

  private collected(texts: string[] | null): string[] {
    if (!texts) throw new Error('internal: this report collector takes whole chunks (absorb), not single entries');
    return texts;
  }

  /** The entries collected, rendered: a chunk's stored pieces. */
  pieces(): Record<ReportArray, string> {
    return { inputs: this.collected(this.inputTexts).join(''), messages: this.collected(this.messageTexts).join('') };
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
   * One of report.json's arrays, a part at a time: text, or one of the given pieces (runs of rendered
   * entries, in order) to be copied as it is. The late entries go in their place: the run's own messages
   * (no file) before every other; when a late entry names a file (a skipped input), the pieces' entries
   * are merged with them one by one, as text.
   */
  private *arrayText<P>(array: ReportArray, pieces: Iterable<P>, textOf: (piece: P) => string): Generator<string | P> {
    const late: Array<InputReport | Message> = array === 'inputs' ? [...this.lateInputs].sort(byFile) : [...this.lateMessages].sort(compareMessages);
    let opened = false;
    // The first entry opens the array instead of following a comma.
    const open = (text: string) => {
      if (opened) return text;
      opened = true;
      return `[${text.slice(1)}`;
    };
    if (late.some((entry) => entry.file !== undefined)) {
      const compare = array === 'inputs' ? (byFile as (a: InputReport | Message, b: InputReport | Message) => number) : (compareMessages as (a: InputReport | Message, b: InputReport | Message) => number);
      const entries = (function* () {
        for (const piece of pieces) for (const text of entriesOf(textOf(piece))) yield { text, entry: JSON.parse(text.slice(1)) as InputReport | Message };
      })();
      const lateEntries = late.map((entry) => ({ text: entryText(entry), entry }));
      for (const { text } of mergeSorted(entries, lateEntries, (a, b) => compare(a.entry, b.entry))) yield open(text);
    } else {
      for (const entry of late) yield open(entryText(entry));
      for (const piece of pieces) {
        if (opened) {
          yield piece;
          continue;
        }
        const text = textOf(piece);
        if (text !== '') yield open(text);
      }
    }
    yield opened ? '\n  ]' : '[]';
  }

  /**
   * report.json, a part at a time: text, or one of the pieces given for each array (runs of rendered
   * entries, in order: the chunks' stored ones) to be copied as it is. Together, the same bytes as
   * JSON.stringify(report, null, 2) and a line break. Without pieces, those collected here.
   */
  *text<P = string>(
    head: Pick<Report, 'pipeline' | 'summary'>,
    piecesOf: (array: ReportArray) => Iterable<P> = (array) => [this.pieces()[array]] as P[],
    textOf: (piece: P, array: ReportArray) => string = (piece) => piece as string,
  ): Generator<string | P> {
    yield `${JSON.stringify(head, null, 2).slice(0, -2)},\n  "inputs": `;
    yield* this.arrayText('inputs', piecesOf('inputs'), (piece) => textOf(piece, 'inputs'));
    yield ',\n  "messages": ';
    yield* this.arrayText('messages', piecesOf('messages'), (piece) => textOf(piece, 'messages'));
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
