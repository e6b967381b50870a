// An LLM's JSON answer, parsed and checked against the schema it was asked for (ajv). Pure.
import Ajv, { type ValidateFunction } from 'ajv';

export type JsonSchemaObject = Record<string, unknown> & { type: 'object' };

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new WeakMap<object, ValidateFunction>();

export type ParsedAnswer<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Parses `content` as JSON (a model that wraps it in a ```json fence anyway is forgiven) and
 * validates it; on failure, a short sentence to quote back to the model.
 */
export function parseJsonAnswer<T>(content: string, schema: JsonSchemaObject): ParsedAnswer<T> {
  const text = unfence(content.trim());
  if (!text) return { ok: false, error: 'the answer is empty' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `it is not JSON (${(error as Error).message})` };
  }
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (!validate(value)) {
    const errors = (validate.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
      .join('; ');
    return { ok: false, error: `it does not match the schema: ${errors}` };
  }
  return { ok: true, value: value as T };
}

function unfence(text: string): string {
  const fenced = /^```(?:json)?\s*\n?([\s\S]*?)\n?```$/i.exec(text);
  return fenced ? fenced[1].trim() : text;
}
