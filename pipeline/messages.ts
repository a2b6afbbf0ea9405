// Messages, not prints: every warning, repair and rejection is a record that
// the report and stderr render. Stages never print; they push into a sink.

export type Stage = 'read' | 'decode' | 'clean' | 'extract' | 'merge' | 'validate' | 'emit';
export type Severity = 'error' | 'warning' | 'info';

export interface Message {
  stage: Stage;
  /** Stable rule id, e.g. `gbk-mojibake`, `section-label`, `schema`. */
  rule: string;
  severity: Severity;
  /** Input file name (relative to the input folder). */
  file?: string;
  article_id?: string;
  /** Code-point offsets into the text the stage worked on (decode: decoded text before repair; later stages: articles.text). */
  start?: number;
  end?: number;
  before?: string;
  after?: string;
  reason: string;
}

/** Collects messages for one article (or the whole run), stamping file and article id. */
export class MessageSink {
  readonly messages: Message[] = [];
  constructor(
    private readonly file?: string,
    private readonly articleId?: string,
  ) {}

  /** Stamps the sink's file and article id unless the message names its own. */
  push(message: Message): void {
    const stamped: Message = { ...message };
    if (stamped.file === undefined && this.file !== undefined) stamped.file = this.file;
    if (stamped.article_id === undefined && this.articleId !== undefined) stamped.article_id = this.articleId;
    this.messages.push(stamped);
  }
}

/** Stable order for the report: file, then offset, then stage and rule. */
export function compareMessages(a: Message, b: Message): number {
  return (
    cmp(a.file ?? '', b.file ?? '') ||
    (a.start ?? -1) - (b.start ?? -1) ||
    cmp(a.stage, b.stage) ||
    cmp(a.rule, b.rule) ||
    cmp(a.reason, b.reason)
  );
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
