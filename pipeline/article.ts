// The cleaned article handed from the clean stage to extraction.

export interface Span {
  /** UTF-16 offsets (JavaScript string indices) into `text`, end exclusive. */
  start: number;
  end: number;
}

export interface CleanArticle {
  article_id: string;
  /** File name in the input folder. */
  source_file: string;
  /**
   * The whole cleaned article: the headline (when there is one) as its first
   * paragraph, then the body; paragraphs separated by exactly one blank line
   * ("\n\n"); lines inside a paragraph (photo captions) by "\n"; Unicode NFC.
   */
  text: string;
  title: string;
  title_source: 'headline' | 'lead';
  /** ISO date `YYYY-MM-DD` from the dateline or a date line; null when the file states none. */
  date_published: string | null;
  /** Paragraph spans in `text`; when title_source is `headline`, paragraphs[0] is the headline. */
  paragraphs: Span[];
}
