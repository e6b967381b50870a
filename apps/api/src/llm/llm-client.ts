// The only code that speaks to an LLM provider: any OpenAI-compatible chat completions API, through
// the official `openai` client with the provider's base URL. The library times out each try and
// retries 429, 5xx, timeouts and dropped connections with back-off, honouring `Retry-After`; our
// fetch wrapper sees every try, logs each retry at WARNING, refuses a Retry-After longer than we
// will wait, and sends no Authorization header for a provider without a key. Each call is one INFO
// line under `llm` (model, tokens in and out, duration); the prompt and the answer go at DEBUG, cut
// to a few KB, images replaced by their size, the API key never included.
import OpenAI, { APIError, APIConnectionTimeoutError, APIUserAbortError } from 'openai';
import type {
  ChatCompletionContentPart,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { TaskLogger } from '../plugin-api';
import { parseJsonAnswer, type JsonSchemaObject } from './llm-json';

export interface LlmTarget {
  name: string;
  baseUrl: string;
  model: string;
  apiKey?: string;
}

export interface LlmClientOptions {
  /** Lines go under its `llm` source. */
  logger: TaskLogger;
  signal?: AbortSignal;
  timeoutMs: number;
  /** Tries per call, the first included. */
  tries: number;
  maxRetryAfterMs: number;
  debugChars: number;
}

export type LlmContentPart =
  { type: 'text'; text: string } | { type: 'image'; mimeType: string; data: Buffer };

export interface LlmJsonRequest {
  /** What the call is for, in the log ("dataset description"). */
  purpose: string;
  system: string;
  user: string | LlmContentPart[];
  /** The JSON Schema the answer must match (an object schema). */
  schema: JsonSchemaObject;
  /** A short identifier for the schema (response_format's name). */
  schemaName: string;
}

export interface LlmChatAnswer {
  content: string;
  model: string;
  tokensIn: number | null;
  tokensOut: number | null;
  ms: number;
}

/** The provider could not be asked, or refused: a sentence naming it, never the key. */
export class LlmCallError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'LlmCallError';
  }
}

/** The answer never matched the schema (after one retry quoting the error): the raw answer kept. */
export class LlmAnswerError extends Error {
  constructor(
    message: string,
    readonly rawAnswer: string,
  ) {
    super(message);
    this.name = 'LlmAnswerError';
  }
}

const RETRYABLE = (status: number): boolean =>
  status === 408 || status === 409 || status === 429 || status >= 500;

/** Which response format the provider took last: some accept only `json_object`. */
type JsonMode = 'json_schema' | 'json_object';

export class LlmClient {
  private readonly openai: OpenAI;
  private readonly log: TaskLogger;
  private jsonMode: JsonMode = 'json_schema';

  constructor(
    readonly target: LlmTarget,
    private readonly options: LlmClientOptions,
  ) {
    this.log = options.logger.withSource('llm');
    this.openai = new OpenAI({
      baseURL: target.baseUrl,
      // The library insists on a key; without one the wrapper below sends no Authorization header.
      apiKey: target.apiKey || 'no-key',
      timeout: options.timeoutMs,
      maxRetries: Math.max(0, options.tries - 1),
      logLevel: 'off',
      fetch: (url, init) => this.fetch(url, init),
    });
  }

  /** A chat completion: the answer's text, model and token counts. */
  async chat(
    messages: ChatCompletionMessageParam[],
    extra: Partial<ChatCompletionCreateParamsNonStreaming> = {},
    purpose = 'chat',
  ): Promise<LlmChatAnswer> {
    const started = performance.now();
    this.log.debug(
      `${purpose}: prompt to ${this.target.model}\n${this.cut(showMessages(messages))}`,
      {
        model: this.target.model,
        purpose,
      },
    );
    let completion: OpenAI.Chat.Completions.ChatCompletion;
    try {
      completion = await this.openai.chat.completions.create(
        { model: this.target.model, messages, ...extra, stream: false },
        { signal: this.options.signal },
      );
    } catch (error) {
      throw this.failure(error, Math.round(performance.now() - started));
    }
    const ms = Math.round(performance.now() - started);
    const content = completion.choices?.[0]?.message?.content ?? '';
    const answer: LlmChatAnswer = {
      content,
      model: completion.model || this.target.model,
      tokensIn: completion.usage?.prompt_tokens ?? null,
      tokensOut: completion.usage?.completion_tokens ?? null,
      ms,
    };
    this.log.info(
      `${purpose}: ${answer.model} answered in ${ms} ms (${answer.tokensIn ?? '?'} tokens in, ${answer.tokensOut ?? '?'} out)`,
      {
        provider: this.target.name,
        model: answer.model,
        tokensIn: answer.tokensIn,
        tokensOut: answer.tokensOut,
        ms,
        purpose,
      },
    );
    this.log.debug(`${purpose}: answer\n${this.cut(content)}`, { purpose, chars: content.length });
    return answer;
  }

  /**
   * Asks for JSON matching `schema` (response_format json_schema, or json_object where the provider
   * refuses schemas) and validates it. An answer that does not parse or match is asked again once,
   * quoting the error; a second bad one throws LlmAnswerError with the raw answer.
   */
  async json<T>(request: LlmJsonRequest): Promise<T> {
    const messages: ChatCompletionMessageParam[] = [
      {
        role: 'system',
        content: `${request.system}\n\nAnswer with one JSON object only, no prose and no code fences, matching this JSON Schema:\n${JSON.stringify(request.schema)}`,
      },
      { role: 'user', content: toOpenAiContent(request.user) },
    ];
    let answer = await this.chatJson(messages, request);
    let parsed = parseJsonAnswer<T>(answer.content, request.schema);
    if (parsed.ok) return parsed.value;
    this.log.warning(
      `${request.purpose}: the answer is not valid (${parsed.error}); asking once more`,
      { purpose: request.purpose, error: parsed.error },
    );
    messages.push(
      { role: 'assistant', content: answer.content },
      {
        role: 'user',
        content: `That answer is not valid: ${parsed.error}. Answer again with one JSON object only that matches the schema.`,
      },
    );
    answer = await this.chatJson(messages, request);
    parsed = parseJsonAnswer<T>(answer.content, request.schema);
    if (parsed.ok) return parsed.value;
    throw new LlmAnswerError(
      `${request.purpose}: ${this.target.model} answered twice with no valid JSON (${parsed.error})`,
      answer.content,
    );
  }

  private async chatJson(
    messages: ChatCompletionMessageParam[],
    request: LlmJsonRequest,
  ): Promise<LlmChatAnswer> {
    if (this.jsonMode === 'json_schema') {
      try {
        return await this.chat(
          messages,
          {
            response_format: {
              type: 'json_schema',
              json_schema: { name: request.schemaName, schema: request.schema, strict: false },
            },
          },
          request.purpose,
        );
      } catch (error) {
        if (!(error instanceof LlmCallError && error.status === 400 && mentionsFormat(error))) {
          throw error;
        }
        this.log.warning(
          `${this.target.name} refuses JSON schemas as response format; asking for a JSON object instead`,
        );
        this.jsonMode = 'json_object';
      }
    }
    return this.chat(messages, { response_format: { type: 'json_object' } }, request.purpose);
  }

  /** Every try of every request passes here. */
  private async fetch(url: string | URL | Request, init?: RequestInit): Promise<Response> {
    const headers = new Headers(init?.headers);
    const attempt = Number(headers.get('x-stainless-retry-count') ?? 0) + 1;
    if (!this.target.apiKey) headers.delete('authorization');
    const tries = this.options.tries;
    let response: Response;
    try {
      response = await fetch(url, { ...init, headers });
    } catch (error) {
      if (attempt < tries && !this.options.signal?.aborted) {
        const what =
          (error as Error)?.name === 'AbortError'
            ? `no answer within ${this.options.timeoutMs} ms`
            : `connection failed (${(error as Error)?.message ?? String(error)})`;
        this.log.warning(`${this.target.name}: ${what}; try ${attempt} of ${tries}, trying again`, {
          attempt,
          tries,
        });
      }
      throw error;
    }
    if (!RETRYABLE(response.status) || response.headers.get('x-should-retry') === 'false') {
      return response;
    }
    const waitMs = retryAfterMs(response.headers);
    if (waitMs !== undefined && waitMs > this.options.maxRetryAfterMs) {
      this.log.warning(
        `${this.target.name} answered ${response.status} and asks to wait ${Math.round(waitMs / 1000)} s (more than ${Math.round(this.options.maxRetryAfterMs / 1000)} s): not retrying`,
        { status: response.status, retryAfterMs: waitMs },
      );
      const stop = new Headers(response.headers);
      stop.set('x-should-retry', 'false');
      return new Response(response.body, { status: response.status, headers: stop });
    }
    if (attempt < tries) {
      const wait = waitMs === undefined ? 'after a back-off' : `in ${waitMs} ms (Retry-After)`;
      this.log.warning(
        `${this.target.name} answered ${response.status}; try ${attempt} of ${tries}, trying again ${wait}`,
        { status: response.status, attempt, tries, retryAfterMs: waitMs ?? null },
      );
    }
    return response;
  }

  private failure(error: unknown, ms: number): Error {
    const who = `LLM provider "${this.target.name}" (${this.target.baseUrl})`;
    if (error instanceof APIUserAbortError || this.options.signal?.aborted) {
      return this.options.signal?.reason instanceof Error
        ? this.options.signal.reason
        : new LlmCallError(`${who}: call cancelled`);
    }
    if (error instanceof APIConnectionTimeoutError) {
      return new LlmCallError(
        `${who}: no answer within ${this.options.timeoutMs} ms (${this.options.tries} tries, ${ms} ms in all)`,
      );
    }
    if (error instanceof APIError) {
      const apiError = error as APIError<number | undefined>;
      const status: number | undefined = apiError.status;
      const said = this.scrub(apiErrorText(apiError));
      return new LlmCallError(
        status
          ? `${who} answered ${status}${said ? `: ${said}` : ''}`
          : `${who}: ${said || 'connection failed'}`,
        status,
      );
    }
    return new LlmCallError(`${who}: ${this.scrub((error as Error)?.message ?? String(error))}`);
  }

  /** Cut for the log, the key removed wherever it might appear. */
  private cut(text: string): string {
    const clean = this.scrub(text);
    const max = this.options.debugChars;
    return clean.length <= max ? clean : `${clean.slice(0, max)}… (${clean.length} characters)`;
  }

  private scrub(text: string): string {
    const key = this.target.apiKey;
    return key && key.length >= 4 ? text.split(key).join('[api key]') : text;
  }
}

function mentionsFormat(error: LlmCallError): boolean {
  return /response_format|json_schema|response format|schema/i.test(error.message);
}

function apiErrorText(error: APIError<number | undefined>): string {
  const body = error.error as { message?: unknown } | string | undefined;
  if (typeof body === 'string') return body.slice(0, 500);
  if (body && typeof body.message === 'string') return body.message.slice(0, 500);
  return (error.message ?? '').slice(0, 500);
}

/** Retry-After (seconds or an HTTP date) or retry-after-ms, in milliseconds. */
export function retryAfterMs(headers: Headers): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && !Number.isNaN(parseFloat(ms))) return Math.max(0, parseFloat(ms));
  const after = headers.get('retry-after');
  if (after === null) return undefined;
  const seconds = parseFloat(after);
  if (!Number.isNaN(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function toOpenAiContent(user: string | LlmContentPart[]): string | ChatCompletionContentPart[] {
  if (typeof user === 'string') return user;
  return user.map((part): ChatCompletionContentPart => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    return {
      type: 'image_url',
      image_url: { url: `data:${part.mimeType};base64,${part.data.toString('base64')}` },
    };
  });
}

/** The messages as text for the DEBUG line: images as their type and size, not their bytes. */
function showMessages(messages: ChatCompletionMessageParam[]): string {
  return messages
    .map((message) => {
      const content = message.content;
      const text =
        typeof content === 'string'
          ? content
          : (content ?? [])
              .map((part) => {
                if (part.type === 'text') return part.text;
                if (part.type === 'image_url') {
                  const url = part.image_url.url;
                  const type = /^data:([^;,]+)/.exec(url)?.[1] ?? 'image';
                  const bytes = Math.floor(((url.length - url.indexOf(',') - 1) * 3) / 4);
                  return `[${type}, ${bytes} bytes]`;
                }
                return `[${part.type}]`;
              })
              .join('\n');
      return `${message.role}: ${text}`;
    })
    .join('\n');
}
