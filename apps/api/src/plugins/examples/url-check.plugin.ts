// The example of docs/plugin_dev.md, quoted there from the first import on (its spec checks that
// the quote is this file). Not installed: it is not in PLUGINS.
import {
  TaskPluginBase,
  TaskPluginDefinition,
  beliefScope,
  type TaskContext,
} from '../../plugin-api';

export interface UrlCheckParams {
  urls: string[];
  timeoutMs: number;
}

export interface UrlCheckResult {
  up: number;
  down: string[];
}

@TaskPluginDefinition({
  id: 'url-check',
  name: 'URL check',
  description: 'Requests each URL and reports the ones that do not answer with a 2xx status.',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['urls'],
    properties: {
      urls: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        minItems: 1,
        maxItems: 100,
        title: 'URLs',
        description: 'http(s) addresses to request',
      },
      timeoutMs: {
        type: 'integer',
        minimum: 100,
        maximum: 60_000,
        default: 5000,
        title: 'Timeout (ms)',
        description: 'per request',
      },
    },
  },
})
export class UrlCheckPlugin extends TaskPluginBase<UrlCheckParams, UrlCheckResult> {
  async execute(params: UrlCheckParams, context: TaskContext): Promise<UrlCheckResult> {
    const http = context.logger.withSource('http');
    const down: string[] = [];
    for (const [i, url] of params.urls.entries()) {
      const started = performance.now();
      const outcome = await beliefScope('url-check.request', () =>
        this.request(url, params.timeoutMs, context.signal),
      );
      const ms = Math.round(performance.now() - started);
      http.debug(`GET ${url}: ${outcome}`, { url, outcome, ms });
      if (outcome !== 'ok') {
        down.push(url);
        context.logger.warning(`${url} is down: ${outcome}`, { url });
      }
      context.progress(((i + 1) * 100) / params.urls.length);
    }
    if (down.length === params.urls.length) {
      throw new Error(`none of the ${down.length} URLs answered`);
    }
    const up = params.urls.length - down.length;
    context.logger.info(`${up} of ${params.urls.length} URLs are up`, { up, down: down.length });
    return { up, down };
  }

  /** 'ok' for a 2xx answer, otherwise what went wrong; a cancel rejects (the task is CANCELLED). */
  private async request(url: string, timeoutMs: number, cancel: AbortSignal): Promise<string> {
    const signal = AbortSignal.any([cancel, AbortSignal.timeout(timeoutMs)]);
    try {
      const response = await fetch(url, { signal });
      await response.body?.cancel();
      return response.ok ? 'ok' : `status ${response.status}`;
    } catch (error) {
      if (cancel.aborted) throw error;
      return error instanceof Error ? error.message : String(error);
    }
  }
}
