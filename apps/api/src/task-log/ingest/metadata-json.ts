// Log metadata → the JSON text of a plain object that jsonb accepts, serialised once at call time
// (later changes to the caller's object do not leak into the log). Never throws.
import { sanitizeText } from '../safe-text';

/** Above this many JSON characters metadata is replaced by a short preview. */
export const METADATA_MAX_CHARS = 256 * 1024;
const PREVIEW_CHARS = 1024;
/** Deeper structures are cut; it also bounds the recursion of the slow path. */
const MAX_DEPTH = 32;
/** The fast path hands deeper trees to the slow path, which detects cycles. */
const FAST_MAX_DEPTH = 12;
/** JSON.stringify escapes NUL and lone surrogates like this; jsonb rejects both. */
const UNSAFE_ESCAPE = /\\u(?:0000|d[89a-f])/;
const UNSERIALISABLE = '{"error":"metadata could not be serialised"}';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * JSON of `metadata`: null when absent; a plain object as it is; an Error as
 * {name, message, stack, ...}; anything else wrapped as {value}. Cycles become "[Circular]",
 * BigInts strings, functions and symbols are left out.
 */
export function metadataToJson(metadata: unknown): string | null {
  if (metadata === undefined || metadata === null) return null;
  try {
    const plain = typeof metadata === 'object' && isPlainObject(metadata);
    if (plain) {
      const fast = plainTreeToJson(metadata);
      if (fast !== null) return capSize(fast);
    }
    if (metadata instanceof Error) {
      return capSize(JSON.stringify(errorToJson(metadata, new Set([metadata]), 0)));
    }
    const value = toSafeJson(metadata, new Set(), 0);
    if (value === undefined) return null;
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    return capSize(JSON.stringify(plain && isObject ? value : { value }));
  } catch {
    return UNSERIALISABLE;
  }
}

/** One JSON.stringify for a tree of plain objects, arrays and primitives; null when unsure. */
function plainTreeToJson(value: object): string | null {
  let json: string | undefined;
  try {
    if (!isPlainTree(value, 0)) return null;
    json = JSON.stringify(value);
  } catch {
    return null; // e.g. a getter or toJSON that throws, or a toJSON returning a BigInt
  }
  if (typeof json !== 'string') return null;
  // A toJSON may have turned the object into something else: the slow path wraps it.
  return json.charCodeAt(0) === 0x7b && !UNSAFE_ESCAPE.test(json) ? json : null;
}

function isPlainTree(value: object, depth: number): boolean {
  if (depth > FAST_MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (!isPlainValue(item, depth)) return false;
    return true;
  }
  for (const key in value) {
    if (!isPlainValue((value as Record<string, unknown>)[key], depth)) return false;
  }
  return true;
}

function isPlainValue(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'object':
      return (
        value === null ||
        ((Array.isArray(value) || isPlainObject(value)) && isPlainTree(value, depth + 1))
      );
    case 'bigint':
      return false;
    case 'string':
    case 'number':
    case 'boolean':
    case 'undefined': // JSON.stringify leaves undefined, functions and symbols out by itself
    case 'function':
    case 'symbol':
      return true;
  }
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A JSON-safe copy: strings and keys sanitised; undefined for what JSON leaves out. */
function toSafeJson(value: unknown, ancestors: Set<object>, depth: number): Json | undefined {
  switch (typeof value) {
    case 'string':
      return sanitizeText(value);
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'object':
      return value === null ? null : objectToSafeJson(value, ancestors, depth);
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined; // left out, as JSON.stringify does
  }
}

function objectToSafeJson(value: object, ancestors: Set<object>, depth: number): Json {
  if (ancestors.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  ancestors.add(value);
  try {
    if (value instanceof Error) return errorToJson(value, ancestors, depth);
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      const result = toSafeJson(toJSON.call(value), ancestors, depth + 1);
      return result === undefined ? null : result;
    }
    if (Array.isArray(value)) {
      return value.map((item) => toSafeJson(item, ancestors, depth + 1) ?? null);
    }
    if (value instanceof Set) {
      return [...value].map((item) => toSafeJson(item, ancestors, depth + 1) ?? null);
    }
    if (value instanceof Map) {
      const out: Record<string, Json> = {};
      for (const [key, item] of value) {
        const safe = toSafeJson(item, ancestors, depth + 1);
        if (safe !== undefined) out[sanitizeText(String(key))] = safe;
      }
      return out;
    }
    return ownPropertiesToSafeJson(value, {}, ancestors, depth);
  } finally {
    ancestors.delete(value);
  }
}

function ownPropertiesToSafeJson(
  value: object,
  out: Record<string, Json>,
  ancestors: Set<object>,
  depth: number,
): Record<string, Json> {
  for (const key of Object.keys(value)) {
    let item: unknown;
    try {
      item = (value as Record<string, unknown>)[key];
    } catch {
      item = '[Unreadable]'; // a getter that throws
    }
    const safe = toSafeJson(item, ancestors, depth + 1);
    if (safe !== undefined) out[sanitizeText(key)] = safe;
  }
  return out;
}

/** Errors keep what JSON.stringify loses: name, message and stack (non-enumerable), and cause. */
function errorToJson(error: Error, ancestors: Set<object>, depth: number): Json {
  const out: Record<string, Json> = {
    name: sanitizeText(String(error.name)),
    message: sanitizeText(String(error.message)),
  };
  if (typeof error.stack === 'string') out.stack = sanitizeText(error.stack);
  ownPropertiesToSafeJson(error, out, ancestors, depth);
  if (error.cause !== undefined) {
    const cause = toSafeJson(error.cause, ancestors, depth + 1);
    if (cause !== undefined) out.cause = cause;
  }
  return out;
}

function capSize(json: string): string {
  if (json.length <= METADATA_MAX_CHARS) return json;
  return JSON.stringify({
    truncated: true,
    originalLength: json.length,
    preview: sanitizeText(json.slice(0, PREVIEW_CHARS)),
  });
}
