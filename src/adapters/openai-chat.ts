/**
 * ChatModel adapter for any OpenAI-compatible chat completions endpoint (OpenAI, Azure-style proxies,
 * vLLM, llama.cpp, Ollama…), built on the official `openai` SDK v6.
 *
 * Configuration is passed in explicitly; this module never reads `process.env` (the SDK's own
 * environment defaults for key, base URL, organisation, project and log level are overridden).
 * Every failure surfaces as `AppError('provider_error')` whose message names the HTTP status or the
 * kind of failure but never contains the API key.
 */
import OpenAI, { APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { AppError, type ChatModel } from '../core/types.ts';

/** Options of {@link createOpenAIChatModel}. */
export interface OpenAIChatModelOptions {
  /** API key; optional for local endpoints that need none (a placeholder is sent then). */
  apiKey?: string;
  /** Base URL of the OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1`. Default: OpenAI's. */
  baseURL?: string;
  /** Model name sent with every request, e.g. `gpt-4o-mini`. */
  model: string;
  /** Per-request timeout of the SDK in ms (default 30 000). Callers set tighter budgets with an AbortSignal. */
  timeoutMs?: number;
  /**
   * SDK retries on connection errors, 408/409/429/5xx (default 0: the answerer's fallback to the
   * extractive answer is faster than a retry with back-off inside a 2.5 s budget).
   */
  maxRetries?: number;
  /** Custom fetch (tests, proxies). */
  fetch?: typeof fetch;
  /** Sampling temperature used when a call does not give one (default 0.1). */
  temperature?: number;
}

type Message = { role: 'system' | 'user' | 'assistant'; content: string };

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
/** Sent as the bearer token when no key is configured (local servers ignore it). */
const PLACEHOLDER_KEY = 'no-key';

/**
 * Creates a streaming ChatModel for an OpenAI-compatible endpoint.
 *
 * - `stream()` uses `chat.completions.create({ stream: true })` and yields the content deltas in order
 *   (empty deltas and role-only chunks are skipped).
 * - `complete()` makes one non-streaming call; with `json: true` it asks for
 *   `response_format: { type: 'json_object' }` and returns the raw JSON text.
 * - Aborting the given signal aborts the HTTP request.
 */
export function createOpenAIChatModel(options: OpenAIChatModelOptions): ChatModel {
  if (!options.model || !options.model.trim()) {
    throw new AppError('bad_request', 'createOpenAIChatModel: a model name is required (CHAT_MODEL)');
  }
  const apiKey = options.apiKey && options.apiKey.length > 0 ? options.apiKey : undefined;
  const client = new OpenAI({
    apiKey: apiKey ?? PLACEHOLDER_KEY,
    adminAPIKey: null,
    baseURL: options.baseURL && options.baseURL.length > 0 ? options.baseURL : DEFAULT_BASE_URL,
    organization: null,
    project: null,
    webhookSecret: null,
    logLevel: 'off',
    timeout: options.timeoutMs ?? 30_000,
    maxRetries: options.maxRetries ?? 0,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const model = options.model;
  const defaultTemperature = options.temperature ?? 0.1;

  return {
    modelId: model,

    async *stream(messages: Message[], callOptions: { signal?: AbortSignal; temperature?: number }): AsyncIterable<string> {
      let stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>;
      try {
        stream = await client.chat.completions.create(
          { model, messages, stream: true, temperature: callOptions.temperature ?? defaultTemperature },
          { signal: callOptions.signal },
        );
      } catch (error) {
        throw toProviderError(error, apiKey);
      }
      try {
        for await (const chunk of stream) {
          const text = chunk.choices?.[0]?.delta?.content;
          if (typeof text === 'string' && text.length > 0) yield text;
        }
      } catch (error) {
        throw toProviderError(error, apiKey);
      }
    },

    async complete(messages: Message[], callOptions: { signal?: AbortSignal; json?: boolean }): Promise<string> {
      let completion: OpenAI.Chat.Completions.ChatCompletion;
      try {
        completion = await client.chat.completions.create(
          {
            model,
            messages,
            stream: false,
            temperature: 0,
            ...(callOptions.json ? { response_format: { type: 'json_object' as const } } : {}),
          },
          { signal: callOptions.signal },
        );
      } catch (error) {
        throw toProviderError(error, apiKey);
      }
      const content = completion.choices?.[0]?.message?.content;
      if (typeof content !== 'string' || content.length === 0) {
        throw new AppError('provider_error', `Chat provider returned no content (model ${model})`);
      }
      return content;
    },
  };
}

/** Maps SDK and network errors to `AppError('provider_error')` with a key-free message. */
function toProviderError(error: unknown, apiKey: string | undefined): AppError {
  if (error instanceof AppError) return error;
  let message: string;
  if (error instanceof APIUserAbortError) {
    message = 'Chat request was aborted';
  } else if (error instanceof APIConnectionTimeoutError) {
    message = 'Chat provider timed out';
  } else if (error instanceof APIError && typeof error.status === 'number') {
    message = `Chat provider returned HTTP ${error.status}: ${redact(error.message, apiKey)}`;
  } else if (error instanceof APIError) {
    message = `Chat provider could not be reached: ${redact(error.message, apiKey)}`;
  } else if (error instanceof Error && error.name === 'AbortError') {
    message = 'Chat request was aborted';
  } else {
    message = `Chat provider failed: ${redact(error instanceof Error ? error.message : String(error), apiKey)}`;
  }
  // The cause is kept for logs but stripped of anything that could carry headers.
  return new AppError('provider_error', message, { cause: error instanceof Error ? { name: error.name } : undefined });
}

/** Removes the key (and anything that looks like an OpenAI key) and caps the length. */
function redact(text: string, apiKey: string | undefined): string {
  let result = text;
  if (apiKey) result = result.split(apiKey).join('***');
  result = result.replace(/\bsk-[A-Za-z0-9_\-*]{6,}/g, 'sk-***');
  return result.length > 300 ? `${result.slice(0, 300)}…` : result;
}
