/**
 * Clients the evaluation talks to: the public HTTP API (`POST /api/search`, `POST /api/chat` in JSON mode,
 * `GET /api/documents/:id`), either over a socket (`--url`) or in-process through the same Hono app
 * (`app.request`), so both modes produce the same numbers. Baselines implement the same interface.
 */
import { z } from 'zod';

/** A chat turn as the API takes it. */
export interface EvalMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** The document fields every search result and citation carries. */
const documentFields = {
  id: z.string(),
  title: z.string().optional().default(''),
  source: z.string(),
  committee: z.string().optional().default(''),
  type: z.string().optional().default('annat'),
  year: z.number().optional(),
};

/** The passage fields shared by search results and citations. */
const passageFields = {
  id: z.string(),
  text: z.string(),
  section: z.string().optional().default(''),
  kind: z.string().optional().default('text'),
};

const searchResultSchema = z.looseObject({
  ...passageFields,
  score: z.number(),
  document: z.looseObject(documentFields),
});

const searchResponseSchema = z.looseObject({
  query: z.string().optional().default(''),
  results: z.array(searchResultSchema),
});

const citationSchema = z.looseObject({
  ...passageFields,
  marker: z.number(),
  document: z.looseObject({
    ...documentFields,
    date: z.string().optional(),
    parties: z.array(z.string()).optional(),
  }),
});

const chatResponseSchema = z.looseObject({
  answer: z.string(),
  abstained: z.boolean(),
  answerer: z.string().optional().default('unknown'),
  citations: z.array(citationSchema),
  query: z
    .looseObject({ text: z.string(), committee: z.string().optional(), rewrittenFrom: z.string().optional() })
    .optional(),
});

/** One result of `POST /api/search`. */
export type ApiSearchResult = z.infer<typeof searchResultSchema>;
/** Body of a `POST /api/search` response. */
export type ApiSearchResponse = z.infer<typeof searchResponseSchema>;
/** One citation of `POST /api/chat`. */
export type ApiCitation = z.infer<typeof citationSchema>;
/** Body of a `POST /api/chat` response (JSON mode). */
export type ApiChatResponse = z.infer<typeof chatResponseSchema>;

/** What the evaluation needs from a system under test. */
export interface EvalClient {
  /** Shown in reports, e.g. `in-process`, `http://127.0.0.1:8787`, `baseline:naive`. */
  name: string;
  search(body: { query: string; k?: number }): Promise<ApiSearchResponse>;
  chat(body: { messages: EvalMessage[] }): Promise<ApiChatResponse>;
  /** The full text of a document (for citation faithfulness), or null when the document does not exist. */
  documentText(id: string): Promise<string | null>;
  /** Total milliseconds spent waiting before retries (HTTP 429); the runner leaves them out of latencies. */
  retryWaitMs?(): number;
}

/** Options of {@link createApiClient}. */
export interface ApiClientOptions {
  /** Retries of a request answered with HTTP 429 (waiting `Retry-After`, default 1 s); default 3. */
  maxRetries?: number;
  /** Longest single wait before a retry (ms); default 65 000. */
  maxRetryWaitMs?: number;
  /** Sleep function (tests). */
  sleep?: (milliseconds: number) => Promise<void>;
  /** Headers sent with every request, e.g. the evaluator key (`x-eval-key`) that skips the server's rate limit. */
  headers?: Record<string, string>;
}

/** Header carrying the evaluator key (the server's `EVAL_API_KEY`). */
export const EVAL_KEY_HEADER = 'x-eval-key';

/** A request to the system under test failed (network, HTTP status or unexpected body). */
export class EvalRequestError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'EvalRequestError';
  }
}

/** `fetch`-like function bound to a base: `(path, init) => Response`. */
export type RequestFunction = (path: string, init: RequestInit) => Promise<Response>;

async function readError(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (body.error) return `${body.error.code ?? 'error'}: ${body.error.message ?? ''}`;
  } catch {
    // not JSON
  }
  return text.slice(0, 300);
}

function validate<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new EvalRequestError(`${what} returned an unexpected body: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}

/** Parses an SSE body and returns the data of the `done` event (fallback when a server ignores JSON mode). */
export function parseDoneEvent(sse: string): unknown {
  let done: unknown;
  for (const block of sse.split(/\r?\n\r?\n/)) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length === 0) continue;
    try {
      const parsed = JSON.parse(data.join('\n')) as { type?: string };
      if (event === 'done' || parsed?.type === 'done') done = parsed;
    } catch {
      // ignore non-JSON data lines
    }
  }
  if (done === undefined) throw new EvalRequestError('POST /api/chat streamed no "done" event');
  return done;
}

/** Joins a document response into one text: `text` when given, else its chunks' text and original text. */
export function documentTextFromBody(body: unknown): string {
  const value = body as { text?: unknown; chunks?: Array<{ text?: unknown; originalText?: unknown }> } | null;
  if (value && typeof value.text === 'string') return value.text;
  if (value && Array.isArray(value.chunks)) {
    return value.chunks
      .flatMap((chunk) => [chunk.text, chunk.originalText])
      .filter((part): part is string => typeof part === 'string')
      .join('\n');
  }
  throw new EvalRequestError('GET /api/documents/:id returned neither "text" nor "chunks"');
}

/** Builds an {@link EvalClient} over a request function (HTTP or in-process). */
export function createApiClient(name: string, request: RequestFunction, options: ApiClientOptions = {}): EvalClient {
  const maxRetries = options.maxRetries ?? 3;
  const maxRetryWaitMs = options.maxRetryWaitMs ?? 65_000;
  const sleep = options.sleep ?? ((milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds)));
  let waited = 0;
  const call = async (path: string, requestInit: RequestInit): Promise<Response> => {
    const init: RequestInit = options.headers ? { ...requestInit, headers: { ...options.headers, ...(requestInit.headers as Record<string, string> | undefined) } } : requestInit;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await request(path, init);
      } catch (error) {
        throw new EvalRequestError(`${init.method ?? 'GET'} ${path} failed: ${(error as Error).message}`);
      }
      if (response.status !== 429 || attempt >= maxRetries) return response;
      // Rate limited: wait as the server asks, then retry (the wait is not counted as latency).
      await response.body?.cancel().catch(() => undefined);
      const seconds = Number(response.headers.get('retry-after'));
      const wait = Math.min(maxRetryWaitMs, Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000);
      const started = performance.now();
      await sleep(wait);
      waited += performance.now() - started;
    }
  };
  const post = async (path: string, body: unknown, accept: string): Promise<Response> => {
    const response = await call(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new EvalRequestError(`POST ${path} → HTTP ${response.status} ${await readError(response)}`, response.status);
    return response;
  };
  const documentCache = new Map<string, Promise<string | null>>();
  return {
    name,
    retryWaitMs: () => waited,
    async search(body) {
      const response = await post('/api/search', body, 'application/json');
      return validate(searchResponseSchema, await response.json(), 'POST /api/search');
    },
    async chat(body) {
      const response = await post('/api/chat', body, 'application/json');
      const type = response.headers.get('content-type') ?? '';
      const parsed = type.includes('text/event-stream') ? parseDoneEvent(await response.text()) : await response.json();
      return validate(chatResponseSchema, parsed, 'POST /api/chat');
    },
    documentText(id) {
      let cached = documentCache.get(id);
      if (!cached) {
        cached = (async () => {
          const response = await call(`/api/documents/${encodeURIComponent(id)}`, { method: 'GET', headers: { accept: 'application/json' } });
          if (response.status === 404) return null;
          if (!response.ok) throw new EvalRequestError(`GET /api/documents/${id} → HTTP ${response.status} ${await readError(response)}`, response.status);
          return documentTextFromBody(await response.json());
        })();
        documentCache.set(id, cached);
      }
      return cached;
    },
  };
}

/** A client for a running server, e.g. `createHttpClient('http://127.0.0.1:8787')`. */
export function createHttpClient(baseUrl: string, options: ApiClientOptions = {}): EvalClient {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new EvalRequestError(`--url must be an absolute http(s) URL, got "${baseUrl}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new EvalRequestError(`--url must use http or https, got "${baseUrl}"`);
  const base = baseUrl.replace(/\/+$/, '');
  return createApiClient(base, (path, init) => fetch(base + path, init), options);
}

/** Anything with Hono's `request(path, init)` (the app itself; no socket). */
export interface RequestableApp {
  request(path: string, init?: RequestInit): Response | Promise<Response>;
}

/** A client that sends every request through the app in-process. */
export function createInProcessClient(app: RequestableApp, name = 'in-process'): EvalClient {
  return createApiClient(name, async (path, init) => app.request(path, init));
}
