// A plugin's `paramsSchema` (JSON Schema) as form fields, and the form's raw values back as params.
// Pure functions: the form component only renders what these decide, so the rules are unit-tested.
// Conditional requirements (`allOf: [{ if: { properties: { x: { const } } }, then: { required } }]`,
// as the debug plugin uses) are honoured, so "Count is required" shows before the server says so.
// Fields marked with `x-taskdeck-ref` become pickers ('ref', or 'ref-list' for an array); their
// raw value is the chosen option's value as text (comma-separated for a list).
import type { JsonSchema, TaskdeckRef } from '@taskdeck/contracts';

export type FieldKind =
  | 'enum'
  | 'integer'
  | 'number'
  | 'string'
  | 'boolean'
  | 'string-list'
  | 'json'
  | 'ref'
  | 'ref-list';

/** A form field; the bounds are the schema's own. */
export interface ParamField extends Pick<
  JsonSchema,
  'minimum' | 'maximum' | 'minLength' | 'maxLength' | 'minItems' | 'maxItems' | 'default'
> {
  name: string;
  label: string;
  description: string;
  kind: FieldKind;
  options: readonly (string | number)[];
  /** For pickers: what the field refers to, and the environment field it follows. */
  ref?: TaskdeckRef;
  /** A picker whose values are numbers (Superset ids) rather than text (uuids). */
  numeric?: boolean;
}

/** What the form holds: text for inputs and selects, a flag for checkboxes. */
export type RawValues = Record<string, string | boolean>;

export interface ParamsResult {
  params: Record<string, unknown>;
  /** Field name → message; empty when the params may be sent. */
  errors: Record<string, string>;
}

function labelOf(name: string, schema: JsonSchema): string {
  if (schema.title) return schema.title;
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function refOf(schema: JsonSchema): TaskdeckRef | undefined {
  return schema['x-taskdeck-ref'] ?? schema.items?.['x-taskdeck-ref'];
}

function kindOf(schema: JsonSchema): FieldKind {
  if (refOf(schema)) return schema.type === 'array' ? 'ref-list' : 'ref';
  if (schema.enum?.length) return 'enum';
  switch (schema.type) {
    case 'integer':
    case 'number':
    case 'string':
    case 'boolean':
      return schema.type;
    case 'array':
      return schema.items?.type === 'string' && !schema.items.enum ? 'string-list' : 'json';
    case 'object':
    case 'null':
    case undefined:
      return 'json';
  }
}

export function fieldsOf(schema: JsonSchema | null | undefined): ParamField[] {
  return Object.entries(schema?.properties ?? {}).map(([name, property]) => ({
    name,
    label: labelOf(name, property),
    description: property.description ?? '',
    kind: kindOf(property),
    options: property.enum ?? [],
    minimum: property.minimum,
    maximum: property.maximum,
    minLength: property.minLength,
    maxLength: property.maxLength,
    minItems: property.minItems,
    maxItems: property.maxItems,
    default: property.default,
    ...(refOf(property)
      ? {
          ref: refOf(property),
          numeric: ['integer', 'number'].includes(
            (property.type === 'array' ? property.items?.type : property.type) ?? '',
          ),
        }
      : {}),
  }));
}

/** Pickers that list the objects of the environment chosen in `name`: they reset when it changes. */
export function dependentFields(schema: JsonSchema | null | undefined, name: string): string[] {
  return fieldsOf(schema)
    .filter((field) => field.ref?.environmentField === name)
    .map((field) => field.name);
}

/** Start values: defaults where the schema has them, the first option of a required enum. */
export function initialValues(schema: JsonSchema | null | undefined): RawValues {
  const required = new Set(schema?.required ?? []);
  const values: RawValues = {};
  for (const field of fieldsOf(schema)) {
    if (field.kind === 'boolean') values[field.name] = field.default === true;
    else if (field.default !== undefined) values[field.name] = rawOf(field, field.default);
    else if (field.kind === 'enum' && required.has(field.name)) {
      values[field.name] = String(field.options[0] ?? '');
    } else values[field.name] = '';
  }
  return values;
}

/**
 * Values given in the page's query (`/tasks/new?plugin=git&action=commit&repositoryId=…`) for
 * the schema's fields, as the form holds them; other keys are ignored.
 */
export function prefilledValues(
  schema: JsonSchema | null | undefined,
  query: Readonly<Record<string, string>>,
): RawValues {
  const values: RawValues = {};
  for (const field of fieldsOf(schema)) {
    const given = query[field.name];
    if (given === undefined) continue;
    values[field.name] = field.kind === 'boolean' ? given === 'true' : given;
  }
  return values;
}

function rawOf(field: ParamField, value: unknown): string {
  if (field.kind === 'string-list' && Array.isArray(value)) return value.join(', ');
  if (field.kind === 'ref-list' && Array.isArray(value)) return value.join(',');
  if (field.kind === 'json') return JSON.stringify(value);
  return String(value);
}

function matchesCondition(condition: JsonSchema, raw: RawValues): boolean {
  return Object.entries(condition.properties ?? {}).every(([name, property]) =>
    property.const === undefined
      ? true
      : String(raw[name] ?? '') ===
        (typeof property.const === 'string' ? property.const : JSON.stringify(property.const)),
  );
}

/** Required fields for these values: the static list plus every `if`/`then` whose `if` holds. */
export function requiredFor(schema: JsonSchema | null | undefined, raw: RawValues): Set<string> {
  const required = new Set(schema?.required ?? []);
  for (const rule of schema?.allOf ?? []) {
    if (rule.if && rule.then && matchesCondition(rule.if, raw)) {
      for (const name of rule.then.required ?? []) required.add(name);
    }
  }
  return required;
}

function numberError(field: ParamField, value: number): string | null {
  if (!Number.isFinite(value)) return `${field.label} must be a number`;
  if (field.kind === 'integer' && !Number.isInteger(value)) {
    return `${field.label} must be a whole number`;
  }
  if (field.minimum !== undefined && value < field.minimum) {
    return `${field.label} must be at least ${field.minimum}`;
  }
  if (field.maximum !== undefined && value > field.maximum) {
    return `${field.label} must be at most ${field.maximum}`;
  }
  return null;
}

function textError(field: ParamField, value: string, what = field.label): string | null {
  if (field.minLength !== undefined && value.length < field.minLength) {
    return `${what} must have at least ${field.minLength} characters`;
  }
  if (field.maxLength !== undefined && value.length > field.maxLength) {
    return `${what} must have at most ${field.maxLength} characters`;
  }
  return null;
}

/** Validates the raw values against the schema and converts them to the params to send. */
export function toParams(schema: JsonSchema | null | undefined, raw: RawValues): ParamsResult {
  const required = requiredFor(schema, raw);
  const params: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fieldsOf(schema)) {
    const value = raw[field.name];
    if (field.kind === 'boolean') {
      if (value === true || required.has(field.name)) params[field.name] = value === true;
      continue;
    }
    const text = typeof value === 'string' ? value.trim() : '';
    if (!text) {
      if (required.has(field.name)) errors[field.name] = `${field.label} is required`;
      continue;
    }
    switch (field.kind) {
      case 'integer':
      case 'number': {
        const number = Number(text);
        const error = numberError(field, number);
        if (error) errors[field.name] = error;
        else params[field.name] = number;
        break;
      }
      case 'enum': {
        const option = field.options.find((o) => String(o) === text);
        if (option === undefined) {
          errors[field.name] = `${field.label} must be one of ${field.options.join(', ')}`;
        } else params[field.name] = option;
        break;
      }
      case 'string': {
        const error = textError(field, text);
        if (error) errors[field.name] = error;
        else params[field.name] = text;
        break;
      }
      case 'string-list': {
        const items = text
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        if (field.minItems !== undefined && items.length < field.minItems) {
          errors[field.name] = `${field.label} needs at least ${field.minItems} item(s)`;
        } else if (field.maxItems !== undefined && items.length > field.maxItems) {
          errors[field.name] = `${field.label} takes at most ${field.maxItems} items`;
        } else params[field.name] = items;
        break;
      }
      case 'ref': {
        const value = refValue(field, text);
        if (value === undefined) errors[field.name] = `${field.label} is not a valid choice`;
        else params[field.name] = value;
        break;
      }
      case 'ref-list': {
        const values = text
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((item) => refValue(field, item));
        if (values.some((v) => v === undefined)) {
          errors[field.name] = `${field.label} holds an invalid choice`;
        } else if (field.minItems !== undefined && values.length < field.minItems) {
          errors[field.name] = `${field.label} needs at least ${field.minItems} item(s)`;
        } else if (field.maxItems !== undefined && values.length > field.maxItems) {
          errors[field.name] = `${field.label} takes at most ${field.maxItems} items`;
        } else params[field.name] = values;
        break;
      }
      case 'json':
        try {
          params[field.name] = JSON.parse(text) as unknown;
        } catch {
          errors[field.name] = `${field.label} must be valid JSON`;
        }
        break;
    }
  }
  return { params, errors };
}

/** A picker's value as the param wants it: a whole number for Superset ids, else the text. */
function refValue(field: ParamField, text: string): string | number | undefined {
  if (!field.numeric) return text;
  const number = Number(text);
  return Number.isSafeInteger(number) ? number : undefined;
}
