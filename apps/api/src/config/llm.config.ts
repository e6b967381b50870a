import { registerAs } from '@nestjs/config';
import { envInt } from './env';

/** Calls to LLM providers (llm/llm-client.ts). */
export const llmConfig = registerAs('llm', () => ({
  /** One try of a chat completion; a slow local model may need more. */
  timeoutMs: envInt(process.env, 'LLM_TIMEOUT_MS', 120_000, 1000, 3_600_000),
  /** Tries per call on 429, 5xx, timeouts and dropped connections (the first one included). */
  tries: envInt(process.env, 'LLM_TRIES', 3, 1, 10),
  /** A Retry-After longer than this is not waited for: the call fails at once. */
  maxRetryAfterMs: envInt(process.env, 'LLM_MAX_RETRY_AFTER_MS', 60_000, 0, 3_600_000),
  /** Prompts and answers logged at DEBUG are cut to this many characters. */
  debugChars: envInt(process.env, 'LLM_DEBUG_CHARS', 4096, 256, 1_000_000),
}));
