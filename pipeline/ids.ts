// Stable, URL-safe identifiers derived from content (never from run order).
import * as crypto from 'node:crypto';

// One-shot hashing (Node ≥ 20.12) skips creating a Hash object, which costs more than hashing a short ID's input.
// (engines allows 20.10: fall back to createHash there).
const oneShotHash = typeof crypto.hash === 'function' ? crypto.hash : undefined;

export function sha256Hex(data: Uint8Array | string): string {
  return oneShotHash ? oneShotHash('sha256', data, 'hex') : crypto.createHash('sha256').update(data).digest('hex');
}

/** ASCII slug of a name: accents folded, apostrophes dropped, everything else a hyphen. */
export function slug(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/['’‘`]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  // Names with no Latin letters (e.g. written in Chinese characters) get a hash instead.
  return ascii || `h${sha256Hex(name).slice(0, 12)}`;
}

export function articleId(rawSha256: string): string {
  return `article-${rawSha256.slice(0, 16)}`;
}

/** ID of a row that is a statement inside an article (mention, role, quote...). */
export function rowId(prefix: string, ...parts: Array<string | number | null>): string {
  return `${prefix}-${sha256Hex(parts.map((p) => String(p ?? '')).join('\u0000')).slice(0, 16)}`;
}

/** Key under which two printed names count as the same entity name. */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/['’‘`]/g, "'")
    .toLowerCase()
    .replace(/^(?:the|mr|ms|mrs|dr)\.?\s+/, '')
    .replace(/[^\p{L}\p{N}']+/gu, ' ')
    .trim();
}
