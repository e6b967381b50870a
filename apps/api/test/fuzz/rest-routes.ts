// Every REST route of the running server, from its own OpenAPI document (/api/docs-json), so a
// route added later is fuzzed without touching the suite: method, path, path and query
// parameters, and the request body's JSON Schema.

export interface FieldSchema {
  type?: string;
  enum?: unknown[];
  format?: string;
}

export interface BodySchema {
  properties: Record<string, FieldSchema>;
  required: string[];
}

export interface RestRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** OpenAPI path, e.g. /api/tasks/{id}. */
  path: string;
  pathParams: string[];
  query: Record<string, FieldSchema>;
  body: BodySchema | null;
  /** Whether a request could change stored state (so a rejected one must change none). */
  mutating: boolean;
}

interface OpenApiOperation {
  parameters?: { name: string; in: string; schema?: FieldSchema }[];
  requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: {
    schemas?: Record<string, { properties?: Record<string, FieldSchema>; required?: string[] }>;
  };
}

/** Routes that change nothing stored, whatever they are sent (login counts only in memory). */
const NOT_MUTATING = new Set(['POST /api/auth/login', 'POST /api/auth/refresh']);

export async function restRoutes(baseUrl: string): Promise<RestRoute[]> {
  const res = await fetch(`${baseUrl}/api/docs-json`);
  if (!res.ok) throw new Error(`GET /api/docs-json → ${res.status}`);
  const doc = (await res.json()) as OpenApiDocument;
  const routes: RestRoute[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [lower, op] of Object.entries(operations)) {
      const method = lower.toUpperCase() as RestRoute['method'];
      if (!['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].includes(method)) continue;
      const params = op.parameters ?? [];
      const ref = op.requestBody?.content?.['application/json']?.schema?.$ref;
      const schema = ref ? doc.components?.schemas?.[ref.split('/').pop() ?? ''] : undefined;
      routes.push({
        method,
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: Object.fromEntries(
          params.filter((p) => p.in === 'query').map((p) => [p.name, p.schema ?? {}]),
        ),
        body: schema
          ? { properties: schema.properties ?? {}, required: schema.required ?? [] }
          : null,
        mutating: method !== 'GET' && !NOT_MUTATING.has(`${method} ${path}`),
      });
    }
  }
  return routes;
}
