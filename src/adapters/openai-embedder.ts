/**
 * Embedder for any OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, Azure OpenAI, Ollama, vLLM…) through the
 * official `openai` SDK, plus `createEmbedderFromConfig` / `embedderConfigFromEnv` shared by the ingest CLI and the server.
 */
import OpenAI from 'openai';
import { z } from 'zod';
import { splitIntoBatches } from '../core/embedding/batch.ts';
import { createHashedEmbedder } from '../core/embedding/hashed-embedder.ts';
import { AppError, type Embedder } from '../core/types.ts';

/** Options of `createOpenAIEmbedder`. */
export interface OpenAIEmbedderOptions {
  /** API key (any non-empty string for Ollama/vLLM without auth). Never read from the environment here. */
  apiKey?: string;
  /** Base URL incl. `/v1` (default `https://api.openai.com/v1`); for Azure the deployment URL `…/openai/deployments/NAME`. */
  baseURL?: string;
  /** Model (or Azure deployment) name, e.g. `text-embedding-3-small`. */
  model: string;
  /** Requested vector size (sent as `dimensions`); when omitted it is learnt from the first response. */
  dimensions?: number;
  /** Texts per request (default 64). */
  maxBatchSize?: number;
  /** Retries after the first attempt on 408/409/429/5xx and network errors (default 4). */
  maxRetries?: number;
  /** First backoff delay in ms, doubled per retry with jitter, capped at 8 s (default 500). */
  retryBaseDelayMs?: number;
  /** Per-request timeout in ms (default 60 000). */
  timeoutMs?: number;
  /** Azure OpenAI: sends `?api-version=…` and the key as `api-key` header. */
  apiVersion?: string;
  /** Prefixes for e5-style models, e.g. `query: ` / `passage: ` (default none). */
  queryPrefix?: string;
  documentPrefix?: string;
  /** Custom fetch (tests, proxies). */
  fetch?: typeof fetch;
}

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

function isRetryable(error: unknown): boolean {
  if (error instanceof OpenAI.APIUserAbortError) return false;
  if (error instanceof OpenAI.APIConnectionError) return true; // includes timeouts
  if (error instanceof OpenAI.APIError) {
    const status = error.status ?? 0;
    return status === 408 || status === 409 || status === 429 || status >= 500 || status === 0;
  }
  return false;
}

function retryAfterMs(error: unknown): number | undefined {
  if (!(error instanceof OpenAI.APIError) || !error.headers) return undefined;
  const milliseconds = Number(error.headers.get('retry-after-ms'));
  if (Number.isFinite(milliseconds) && milliseconds >= 0 && error.headers.get('retry-after-ms') !== null) return milliseconds;
  const seconds = Number(error.headers.get('retry-after'));
  if (error.headers.get('retry-after') !== null && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  return undefined;
}

function describeError(error: unknown): string {
  if (error instanceof OpenAI.APIConnectionTimeoutError) return 'request timed out';
  if (error instanceof OpenAI.APIConnectionError) return `connection failed (${(error.cause as Error | undefined)?.message ?? error.message})`;
  if (error instanceof OpenAI.APIError) return `HTTP ${error.status ?? '?'}: ${error.message.replace(/^\d{3}\s*/, '')}`;
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Creates an embedder for an OpenAI-compatible endpoint. `modelId` is `openai:<model>`. Batches by `maxBatchSize`,
 * retries with exponential backoff (honouring `retry-after`), and fails with AppError('provider_error') naming the
 * model and base URL (never the key). `dimensions` is 0 until the first response when not configured.
 */
export function createOpenAIEmbedder(options: OpenAIEmbedderOptions): Embedder {
  if (!options.model?.trim()) throw new AppError('bad_request', 'OpenAI embedder: a model name is required');
  const baseURL = (options.baseURL ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const apiKey = options.apiKey || 'not-needed';
  const maxBatchSize = options.maxBatchSize ?? 64;
  const maxRetries = options.maxRetries ?? 4;
  const retryBaseDelayMs = options.retryBaseDelayMs ?? 500;
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) throw new AppError('bad_request', `OpenAI embedder: maxBatchSize must be a positive integer, got ${maxBatchSize}`);
  if (options.dimensions !== undefined && (!Number.isInteger(options.dimensions) || options.dimensions < 1)) {
    throw new AppError('bad_request', `OpenAI embedder: dimensions must be a positive integer, got ${options.dimensions}`);
  }
  const client = new OpenAI({
    apiKey,
    baseURL,
    organization: null,
    project: null,
    maxRetries: 0,
    timeout: options.timeoutMs ?? 60_000,
    fetch: options.fetch,
    ...(options.apiVersion ? { defaultQuery: { 'api-version': options.apiVersion }, defaultHeaders: { 'api-key': apiKey } } : {}),
  });
  let dimensions = options.dimensions ?? 0;
  const where = `model "${options.model}" at ${baseURL}`;
  const scrub = (text: string) => (options.apiKey ? text.split(options.apiKey).join('***') : text);

  async function embedBatch(batch: string[], signal?: AbortSignal): Promise<number[][]> {
    let attempt = 0;
    for (;;) {
      try {
        const response = await client.embeddings.create(
          { model: options.model, input: batch, ...(options.dimensions ? { dimensions: options.dimensions } : {}) },
          { signal },
        );
        const data = [...(response.data ?? [])].sort((a, b) => a.index - b.index);
        if (data.length !== batch.length) {
          throw new AppError('provider_error', `Embedding ${where} returned ${data.length} vectors for ${batch.length} texts`);
        }
        return data.map((item) => {
          const vector = Array.from(item.embedding as ArrayLike<number>);
          if (vector.length === 0 || vector.some((value) => !Number.isFinite(value))) {
            throw new AppError('provider_error', `Embedding ${where} returned an empty or non-numeric vector`);
          }
          if (dimensions === 0) dimensions = vector.length;
          if (vector.length !== dimensions) {
            throw new AppError('provider_error', `Embedding ${where} returned ${vector.length} dimensions, expected ${dimensions}`);
          }
          return vector;
        });
      } catch (error) {
        if (error instanceof AppError) throw error;
        if (error instanceof OpenAI.APIUserAbortError || signal?.aborted) throw signal?.reason ?? error;
        if (!isRetryable(error) || attempt >= maxRetries) {
          const attempts = attempt + 1;
          throw new AppError(
            'provider_error',
            scrub(`Embedding request to ${where} failed${attempts > 1 ? ` after ${attempts} attempts` : ''}: ${describeError(error)}`),
            { cause: error },
          );
        }
        const backoff = Math.min(8_000, retryBaseDelayMs * 2 ** attempt) * (0.75 + Math.random() * 0.5);
        await sleep(Math.min(30_000, retryAfterMs(error) ?? backoff), signal);
        attempt++;
      }
    }
  }

  return {
    modelId: `openai:${options.model}`,
    get dimensions() {
      return dimensions;
    },
    maxBatchSize,
    async embed(texts, embedOptions) {
      const prefix = (embedOptions.inputType === 'query' ? options.queryPrefix : options.documentPrefix) ?? '';
      // The API rejects empty strings: send a single space instead.
      const inputs = texts.map((text) => `${prefix}${text}`.trim() === '' ? ' ' : `${prefix}${text}`);
      const vectors: number[][] = [];
      for (const batch of splitIntoBatches(inputs, maxBatchSize)) vectors.push(...(await embedBatch(batch, embedOptions.signal)));
      return vectors;
    },
  };
}

/** Which embedder to use; built by `embedderConfigFromEnv` or by hand. */
export type EmbedderConfig =
  | { provider: 'builtin'; dimensions?: number }
  | ({ provider: 'openai' } & Omit<OpenAIEmbedderOptions, 'fetch'>);

/** Creates the configured embedder (builtin hashed or OpenAI-compatible). */
export function createEmbedderFromConfig(config: EmbedderConfig, extra: { fetch?: typeof fetch } = {}): Embedder {
  if (config.provider === 'builtin') return createHashedEmbedder({ dimensions: config.dimensions });
  const { provider: _provider, ...options } = config;
  return createOpenAIEmbedder({ ...options, fetch: extra.fetch });
}

const optionalText = z.string().trim().min(1).optional().catch(undefined);
const positiveInteger = (name: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${name} must be a positive integer`)
    .transform(Number)
    .refine((value) => value >= 1, `${name} must be a positive integer`)
    .optional();

const environmentSchema = z.object({
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: z.string().trim().url('OPENAI_BASE_URL must be a URL such as http://localhost:11434/v1').optional().or(z.literal('').transform(() => undefined)),
  OPENAI_API_VERSION: optionalText,
  EMBEDDING_MODEL: optionalText,
  EMBEDDING_DIMENSIONS: positiveInteger('EMBEDDING_DIMENSIONS'),
  EMBEDDING_BATCH_SIZE: positiveInteger('EMBEDDING_BATCH_SIZE'),
  EMBEDDING_QUERY_PREFIX: z.string().optional(),
  EMBEDDING_DOCUMENT_PREFIX: z.string().optional(),
  BUILTIN_EMBEDDING_DIMENSIONS: positiveInteger('BUILTIN_EMBEDDING_DIMENSIONS'),
});

/**
 * Reads the embedder configuration from an environment object (pass `process.env`; this function does not read it).
 * OpenAI-compatible when EMBEDDING_MODEL and (OPENAI_API_KEY or OPENAI_BASE_URL) are set, else builtin.
 * Optional: EMBEDDING_DIMENSIONS, EMBEDDING_BATCH_SIZE, OPENAI_API_VERSION (Azure), EMBEDDING_QUERY_PREFIX,
 * EMBEDDING_DOCUMENT_PREFIX, BUILTIN_EMBEDDING_DIMENSIONS. Throws AppError('bad_request') naming the variable.
 */
export function embedderConfigFromEnv(environment: Record<string, string | undefined>): EmbedderConfig {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('bad_request', `Invalid environment variable ${String(issue.path[0])}: ${issue.message}`);
  }
  const values = parsed.data;
  const wantsOpenAI = Boolean(values.OPENAI_API_KEY || values.OPENAI_BASE_URL);
  if (values.EMBEDDING_MODEL && wantsOpenAI) {
    return {
      provider: 'openai',
      apiKey: values.OPENAI_API_KEY,
      baseURL: values.OPENAI_BASE_URL,
      model: values.EMBEDDING_MODEL,
      dimensions: values.EMBEDDING_DIMENSIONS,
      maxBatchSize: values.EMBEDDING_BATCH_SIZE,
      apiVersion: values.OPENAI_API_VERSION,
      queryPrefix: values.EMBEDDING_QUERY_PREFIX,
      documentPrefix: values.EMBEDDING_DOCUMENT_PREFIX,
    };
  }
  if (values.EMBEDDING_MODEL) {
    throw new AppError('bad_request', 'Invalid environment variable EMBEDDING_MODEL: it is set but neither OPENAI_API_KEY nor OPENAI_BASE_URL is; set one of them or unset EMBEDDING_MODEL to use the builtin embedder');
  }
  return { provider: 'builtin', dimensions: values.BUILTIN_EMBEDDING_DIMENSIONS };
}
