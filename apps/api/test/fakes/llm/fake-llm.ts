// A fake OpenAI-compatible chat completions API as a real HTTP server on loopback (port 0), for
// integration tests. Faithful where Taskdeck depends on it: `POST /v1/chat/completions` with
// Bearer auth (401 with OpenAI's error body on a wrong key), the completion shape with `usage`,
// `response_format` json_schema / json_object (json_schema refusable, as older local servers do),
// 429 with Retry-After and 5xx with OpenAI's error bodies. Tests script the answers, inject
// failures and read `requests` afterwards.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FakeLlmRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  /** The JSON body as sent. */
  body: FakeChatBody;
  status: number;
  at: number;
}

export interface FakeChatBody {
  model?: string;
  messages?: {
    role: string;
    content:
      | string
      | ({ type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } })[];
  }[];
  response_format?: { type: string; json_schema?: { name: string; schema: unknown } };
  max_tokens?: number;
}

/** What the next chat completion answers: a text, or a function of the request. */
export type FakeAnswer = string | ((body: FakeChatBody) => string);

export interface FakeLlmFailure {
  status: number;
  /** Seconds, sent as Retry-After. */
  retryAfter?: number;
  times?: number;
}

export interface FakeLlmOptions {
  /** Required Bearer key; undefined: any or none accepted. */
  apiKey?: string;
  /** Refuse `response_format: json_schema` with 400, as servers that know only json_object do. */
  refuseJsonSchema?: boolean;
}

export class FakeLlm {
  readonly requests: FakeLlmRequest[] = [];
  /** Answers used in order; when empty, `defaultAnswer`. */
  readonly answers: FakeAnswer[] = [];
  defaultAnswer: FakeAnswer = '{}';
  url = '';
  private failures: (FakeLlmFailure & { left: number })[] = [];
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  private constructor(readonly options: FakeLlmOptions) {}

  static async start(options: FakeLlmOptions = {}): Promise<FakeLlm> {
    const fake = new FakeLlm(options);
    await fake.listen();
    return fake;
  }

  /** The base URL a provider is configured with (the client appends /chat/completions). */
  get baseUrl(): string {
    return `${this.url}/v1`;
  }

  /** The next answers, in order (a JSON value is sent as its text). */
  script(...answers: (FakeAnswer | object)[]): void {
    for (const a of answers) {
      this.answers.push(
        typeof a === 'string' || typeof a === 'function' ? (a as FakeAnswer) : JSON.stringify(a),
      );
    }
  }

  failNext(failure: FakeLlmFailure): void {
    this.failures.push({ ...failure, left: failure.times ?? 1 });
  }

  chatRequests(): FakeLlmRequest[] {
    return this.requests.filter((r) => r.path === '/v1/chat/completions');
  }

  reset(): void {
    this.requests.length = 0;
    this.answers.length = 0;
    this.failures = [];
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private listen(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    return new Promise((resolve) => {
      this.server!.listen(0, '127.0.0.1', () => {
        this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
        resolve();
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const record: FakeLlmRequest = {
      method: req.method ?? 'GET',
      path,
      authorization: req.headers.authorization,
      body: {},
      status: 0,
      at: Date.now(),
    };
    this.requests.push(record);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      record.status = status;
      const buffer = Buffer.from(JSON.stringify(body));
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': buffer.length,
        ...headers,
      });
      res.end(buffer);
    };
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      return send(404, openAiError('Not found', 'invalid_request_error', null));
    }
    if (
      this.options.apiKey !== undefined &&
      req.headers.authorization !== `Bearer ${this.options.apiKey}`
    ) {
      return send(
        401,
        openAiError('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'),
      );
    }
    try {
      record.body = JSON.parse(raw.toString()) as FakeChatBody;
    } catch {
      return send(
        400,
        openAiError(
          'We could not parse the JSON body of your request.',
          'invalid_request_error',
          null,
        ),
      );
    }
    const failure = this.failures.find((f) => f.left > 0);
    if (failure) {
      failure.left--;
      const headers: Record<string, string> =
        failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {};
      if (failure.status === 429) {
        return send(
          429,
          openAiError('Rate limit reached for requests', 'requests', 'rate_limit_exceeded'),
          headers,
        );
      }
      return send(
        failure.status,
        openAiError('The server had an error while processing your request.', 'server_error', null),
        headers,
      );
    }
    const body = record.body;
    if (!body.model || !Array.isArray(body.messages) || body.messages.length === 0) {
      return send(
        400,
        openAiError("'messages' and 'model' are required", 'invalid_request_error', null),
      );
    }
    if (body.response_format?.type === 'json_schema' && this.options.refuseJsonSchema) {
      return send(
        400,
        openAiError(
          "Invalid value for 'response_format': json_schema is not supported",
          'invalid_request_error',
          null,
        ),
      );
    }
    const next = this.answers.shift() ?? this.defaultAnswer;
    const content = typeof next === 'function' ? next(body) : next;
    const promptChars = JSON.stringify(body.messages).length;
    send(200, {
      id: `chatcmpl-fake-${this.requests.length}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: `${body.model}-fake`,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal: null },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: Math.ceil(promptChars / 4),
        completion_tokens: Math.ceil(content.length / 4),
        total_tokens: Math.ceil(promptChars / 4) + Math.ceil(content.length / 4),
      },
    });
  }
}

function openAiError(message: string, type: string, code: string | null): unknown {
  return { error: { message, type, param: null, code } };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The images a request carried, decoded from their data: URLs. */
export function imagesIn(body: FakeChatBody): { mimeType: string; data: Buffer }[] {
  const images: { mimeType: string; data: Buffer }[] = [];
  for (const message of body.messages ?? []) {
    if (typeof message.content === 'string') continue;
    for (const part of message.content) {
      if (part.type !== 'image_url') continue;
      const m = /^data:([^;]+);base64,(.*)$/s.exec(part.image_url.url);
      if (m) images.push({ mimeType: m[1], data: Buffer.from(m[2], 'base64') });
    }
  }
  return images;
}

/** The text of every message, for assertions on what the prompt said. */
export function promptText(body: FakeChatBody): string {
  return (body.messages ?? [])
    .map((m) =>
      typeof m.content === 'string'
        ? m.content
        : m.content.map((p) => (p.type === 'text' ? p.text : '[image]')).join('\n'),
    )
    .join('\n');
}
