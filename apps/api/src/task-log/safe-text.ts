// Text that Postgres accepts in `text` and `jsonb`: no NUL character (text rejects the byte, jsonb
// rejects the \u0000 escape) and no lone UTF-16 surrogate (not encodable as UTF-8). Sources are
// cleaned the same way where they are written and where a filter names them.
import { LOG_SOURCE_MAX_LENGTH } from '@taskdeck/contracts';

/** Shown where a NUL character was: U+2400 SYMBOL FOR NULL. */
export const NUL_REPLACEMENT = '\u2400';
/** Shown where a lone surrogate was: U+FFFD REPLACEMENT CHARACTER. */
export const SURROGATE_REPLACEMENT = '\uFFFD';

// eslint-disable-next-line no-control-regex -- NUL is exactly what these look for
const SUSPECT = /[\u0000\uD800-\uDFFF]/;
// eslint-disable-next-line no-control-regex
const NUL_ALL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text with NULs and lone surrogates replaced; the same string when it is already safe. */
export function sanitizeText(text: string): string {
  // One native scan on the fast path; well-formed surrogate pairs only cost the second regex.
  if (!SUSPECT.test(text)) return text;
  return text.replace(NUL_ALL, NUL_REPLACEMENT).replace(LONE_SURROGATE, SURROGATE_REPLACEMENT);
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes on a character boundary, ending with `marker`. */
export function truncateUtf8(text: string, maxBytes: number, marker: string): string {
  // A UTF-16 code unit never takes more than 3 UTF-8 bytes: short strings need no measuring.
  if (text.length * 3 <= maxBytes) return text;
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  // maxBytes characters hold at least maxBytes bytes, so encoding that prefix is enough.
  const bytes = Buffer.from(text.slice(0, maxBytes), 'utf8');
  let cut = Math.max(0, maxBytes - Buffer.byteLength(marker, 'utf8'));
  while (cut > 0 && (bytes[cut] & 0xc0) === 0x80) cut--;
  return bytes.toString('utf8', 0, cut) + marker;
}

/**
 * A source tag as stored: text, trimmed, no control characters, at most 100 characters;
 * `fallback` when nothing is left.
 */
export function sanitizeSource(source: unknown, fallback: string): string {
  let text: string;
  try {
    if (typeof source === 'string') text = source;
    else if (source === undefined || source === null) text = '';
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- any value a plugin passes
    else text = String(source);
  } catch {
    text = '';
  }
  // eslint-disable-next-line no-control-regex
  text = sanitizeText(text.replace(/[\u0000-\u001f\u007f]/g, ' ')).trim();
  if (text.length > LOG_SOURCE_MAX_LENGTH) {
    text = text.slice(0, LOG_SOURCE_MAX_LENGTH);
    // Do not end on half a surrogate pair.
    if (/[\uD800-\uDBFF]$/.test(text)) text = text.slice(0, -1);
    text = text.trimEnd();
  }
  return text === '' ? fallback : text;
}
