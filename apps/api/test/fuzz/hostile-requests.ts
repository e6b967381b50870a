// One hostile HTTP request for a route. A request to a route that can change state always carries
// at least one value that is certainly invalid (a wrong type, an unknown or polluting key, a
// missing required field, a value outside an enum, a malformed body), next to plausible and
// hostile values in its other fields: so it must be refused as a whole and change nothing.
import fc from 'fast-check';
import type { BodySchema, FieldSchema, RestRoute } from './rest-routes';
import {
  DEEP_JSON_TEXTS,
  PROTO_KEYS,
  hostileId,
  hostileJson,
  hostileString,
  wellFormed,
  wrongTypeFor,
} from './hostile-values';

export interface HostileRequest {
  route: RestRoute;
  method: string;
  url: string;
  /** A JSON value to send, or raw text (malformed JSON), or nothing. */
  body?: { json: unknown } | { raw: string; contentType: string };
  asAdmin: boolean;
  /** What was done to it, for the failure message. */
  note: string;
}

const RAW_BODIES = [
  ...DEEP_JSON_TEXTS,
  '{',
  '{"a":',
  '[1,2',
  '{"__proto__":{"admin":true}',
  'null',
  '"just a string"',
  '\u0000',
  '{}{}',
];

function plausible(field: FieldSchema): fc.Arbitrary<unknown> {
  if (field.enum?.length) return fc.constantFrom(...field.enum);
  switch (field.type ?? '') {
    case 'string':
      return hostileString;
    case 'integer':
      return fc.integer({ min: 0, max: 100 });
    case 'boolean':
      return fc.boolean();
    case 'object':
      return fc.oneof(fc.constant({}), fc.dictionary(hostileString, hostileJson, { maxKeys: 3 }));
    default:
      return hostileJson;
  }
}

/** A body for the schema with at least one certainly invalid part. */
function poisonedBody(schema: BodySchema): fc.Arbitrary<{ json: unknown; note: string }> {
  const names = Object.keys(schema.properties);
  const base = fc.record(
    Object.fromEntries(names.map((name) => [name, plausible(schema.properties[name])])),
    { requiredKeys: [] },
  );
  const poisons: fc.Arbitrary<{ json: unknown; note: string }>[] = [
    // an unknown or prototype-polluting key next to plausible fields
    fc
      .tuple(
        base,
        fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.constant('unknownField')),
        hostileJson,
      )
      .map(([body, key, value]) => {
        const json: Record<string, unknown> = { ...body };
        // defineProperty: a plain assignment to __proto__ would set the prototype, not a key.
        Object.defineProperty(json, key, {
          value,
          enumerable: true,
          configurable: true,
          writable: true,
        });
        return { json, note: `unknown key ${key}` };
      }),
    // not an object at all
    fc
      .oneof(
        hostileString,
        fc.constant(null),
        fc.array(hostileJson, { maxLength: 3 }),
        fc.integer(),
      )
      .map((json) => ({ json, note: 'body not an object' })),
  ];
  if (names.length) {
    poisons.push(
      fc.tuple(base, fc.constantFrom(...names)).chain(([body, name]) =>
        wrongTypeFor(schema.properties[name].type).map((bad) => ({
          json: { ...body, [name]: bad },
          note: `${name} of a wrong type`,
        })),
      ),
    );
    const enums = names.filter((n) => schema.properties[n].enum?.length);
    if (enums.length) {
      poisons.push(
        fc.tuple(base, fc.constantFrom(...enums), hostileString).map(([body, name, value]) => ({
          json: {
            ...body,
            [name]: schema.properties[name].enum?.includes(value) ? `${value}!` : value,
          },
          note: `${name} outside its enum`,
        })),
      );
    }
  }
  if (schema.required.length) {
    poisons.push(
      fc.tuple(base, fc.constantFrom(...schema.required)).map(([body, name]) => {
        const copy: Record<string, unknown> = { ...body };
        delete copy[name];
        return { json: copy, note: `${name} missing` };
      }),
    );
  }
  return fc.oneof(...poisons);
}

function queryString(route: RestRoute): fc.Arbitrary<string> {
  const names = [...Object.keys(route.query), 'unknownParam', '__proto__'];
  return fc
    .array(fc.tuple(fc.constantFrom(...names), hostileString), { maxLength: 4 })
    .map((pairs) => {
      const params = new URLSearchParams();
      for (const [name, value] of pairs) params.append(name, value);
      const text = params.toString();
      return text ? `?${text}` : '';
    });
}

export function hostileRequest(
  route: RestRoute,
  baseUrl: string,
  existingIds: string[],
): fc.Arbitrary<HostileRequest> {
  // Existing ids only where the body is poisoned: a bare DELETE or cancel of one would be valid.
  const usesExisting = route.body !== null && existingIds.length > 0;
  const id = usesExisting ? fc.oneof(hostileId, fc.constantFrom(...existingIds)) : hostileId;
  const path = fc
    .tuple(...route.pathParams.map(() => id))
    .map((values) =>
      route.pathParams.reduce(
        (p, name, i) => p.replace(`{${name}}`, encodeURIComponent(wellFormed(values[i]))),
        route.path,
      ),
    );
  const body: fc.Arbitrary<{ body?: HostileRequest['body']; note: string }> = route.body
    ? fc.oneof(
        {
          weight: 5,
          arbitrary: poisonedBody(route.body).map(({ json, note }) => ({ body: { json }, note })),
        },
        {
          weight: 1,
          arbitrary: fc.constantFrom(...RAW_BODIES).map((raw) => ({
            body: { raw, contentType: 'application/json' },
            note: raw.length > 1000 ? 'JSON nested 5,000 deep' : 'malformed JSON',
          })),
        },
      )
    : route.method === 'GET'
      ? fc.constant({ note: 'no body' })
      : fc.oneof(
          fc.constant({ note: 'no body' }),
          hostileJson.map((json) => ({ body: { json }, note: 'unexpected body' })),
        );
  return fc
    .tuple(
      path,
      route.method === 'GET' ? queryString(route) : fc.constant(''),
      body,
      fc.integer({ min: 0, max: 9 }),
    )
    .map(([p, query, b, dice]) => {
      const request: HostileRequest = {
        route,
        method: route.method,
        url: `${baseUrl}${p}${query}`,
        body: b.body,
        asAdmin: dice > 0, // one in ten without a token
        note: b.note,
      };
      // How a counterexample is printed: fast-check's own printer recurses into 5,000 levels.
      return Object.assign(request, { [fc.toStringMethod]: () => describeRequest(request) });
    });
}

export function describeRequest(request: HostileRequest): string {
  const body = !request.body
    ? 'no body'
    : 'raw' in request.body
      ? `raw ${JSON.stringify(request.body.raw)}`
      : (JSON.stringify(request.body.json) ?? 'undefined');
  return `${request.asAdmin ? 'admin' : 'anonymous'} ${request.method} ${request.url.slice(0, 300)} (${request.note}): ${body.slice(0, 400)}`;
}
