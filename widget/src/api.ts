/**
 * The widget's HTTP client: streamed chat (SSE over `fetch`), a citation in context, and feedback.
 * Only `fetch`; every failure becomes a {@link WidgetRequestError} whose `kind` picks the Swedish message.
 */
import type { ChatMessage, Citation, UnderstoodQuery } from '../../src/core/types.ts';
import { readServerSentEvents } from './sse.ts';

/** The final event of an answer. */
export interface DoneEventData {
  abstained: boolean;
  answerer: string;
  citations: Citation[];
  query: UnderstoodQuery;
  answer: string;
}

/** Events the widget consumes from `POST /api/chat` with `stream: true`. */
export type ChatStreamEvent =
  | { type: 'citations'; citations: Citation[]; query?: UnderstoodQuery }
  | { type: 'text-delta'; text: string }
  | { type: 'done'; data: DoneEventData };

/** Why a request failed, as far as the user needs to know. */
export type RequestErrorKind = 'offline' | 'network' | 'rate_limited' | 'server' | 'client' | 'stream';

/** A failed request: HTTP status / API error code when the server sent one. */
export class WidgetRequestError extends Error {
  constructor(
    public readonly kind: RequestErrorKind,
    message: string,
    public readonly details: { status?: number; code?: string; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'WidgetRequestError';
  }
}

/** A request that never got an answer: `offline` when the browser says it has no network, else `network` (server unreachable). */
export function networkFailure(message: string, online: boolean | undefined = globalThis.navigator?.onLine): WidgetRequestError {
  return new WidgetRequestError(online === false ? 'offline' : 'network', message);
}

/** Joins the API base (with or without trailing slash) and a path starting with `/`. */
export function apiUrl(api: string, path: string): string {
  return api.replace(/\/+$/, '') + path;
}

async function send(url: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { mode: 'cors', credentials: 'omit', ...init });
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw networkFailure(error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) throw await errorFromResponse(response);
  return response;
}

async function errorFromResponse(response: Response): Promise<WidgetRequestError> {
  let code: string | undefined;
  let message = `HTTP ${response.status}`;
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body?.error?.code === 'string') code = body.error.code;
    if (typeof body?.error?.message === 'string') message = body.error.message;
  } catch {
    // Not JSON: keep the status line.
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  const details = {
    status: response.status,
    code,
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  };
  if (response.status === 429) return new WidgetRequestError('rate_limited', message, details);
  if (response.status >= 500) return new WidgetRequestError('server', message, details);
  return new WidgetRequestError('client', message, details);
}

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    throw new WidgetRequestError('stream', 'Ogiltig händelse i svarsströmmen');
  }
}

/**
 * Asks a question and yields the answer's events as they arrive.
 * Throws {@link WidgetRequestError} on failure (an SSE `error` event included); an abort rethrows the AbortError.
 */
export async function* streamChat(
  api: string,
  messages: ChatMessage[],
  options: { signal?: AbortSignal } = {},
): AsyncGenerator<ChatStreamEvent> {
  const response = await send(apiUrl(api, '/api/chat'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ messages, stream: true }),
    signal: options.signal,
  });
  const contentType = response.headers.get('content-type') ?? '';
  if (contentType.includes('application/json')) {
    // A server that answered in one piece: treat the body as the `done` event.
    const data = (await response.json()) as DoneEventData;
    yield { type: 'citations', citations: data.citations ?? [], query: data.query };
    yield { type: 'text-delta', text: data.answer ?? '' };
    yield { type: 'done', data };
    return;
  }
  if (!response.body) throw new WidgetRequestError('stream', 'Tomt svar');
  let sawDone = false;
  try {
    for await (const event of readServerSentEvents(response.body)) {
      if (event.event === 'citations') {
        const data = parseJson(event.data) as { citations?: Citation[]; query?: UnderstoodQuery };
        yield { type: 'citations', citations: Array.isArray(data?.citations) ? data.citations : [], query: data?.query };
      } else if (event.event === 'text-delta') {
        const data = parseJson(event.data) as { text?: unknown };
        if (typeof data?.text === 'string') yield { type: 'text-delta', text: data.text };
      } else if (event.event === 'done') {
        const data = parseJson(event.data) as DoneEventData;
        sawDone = true;
        yield { type: 'done', data: { ...data, citations: Array.isArray(data?.citations) ? data.citations : [], answer: String(data?.answer ?? '') } };
        return;
      } else if (event.event === 'error') {
        const data = parseJson(event.data) as { code?: unknown; message?: unknown };
        const code = typeof data?.code === 'string' ? data.code : undefined;
        const kind: RequestErrorKind = code === 'rate_limited' || code === 'budget_exhausted' ? 'rate_limited' : code === 'bad_request' || code === 'payload_too_large' ? 'client' : 'server';
        throw new WidgetRequestError(kind, typeof data?.message === 'string' ? data.message : 'Fel i svarsströmmen', { code });
      }
    }
  } catch (error) {
    if (error instanceof WidgetRequestError || options.signal?.aborted) throw error;
    throw networkFailure(error instanceof Error ? error.message : String(error));
  }
  if (!sawDone) throw new WidgetRequestError('stream', 'Svarsströmmen tog slut före svaret var klart');
}

/** A chunk as `GET /api/chunks/:id` returns it (`section` joined with ` › `; an array is accepted too). */
export interface ChunkView {
  id: string;
  text: string;
  section?: string | string[];
  kind?: string;
  position?: number;
}

/** Body of `GET /api/chunks/:id`. */
export interface ChunkInContextView {
  chunk: ChunkView;
  document: Citation['document'];
  previous: ChunkView[];
  next: ChunkView[];
}

/** A section path as one line, whichever shape the server sent. */
export function sectionText(section: string | string[] | undefined): string {
  return Array.isArray(section) ? section.join(' › ') : (section ?? '');
}

/** `GET /api/chunks/:id`: the cited passage with its document and neighbours. */
export async function fetchChunkInContext(api: string, id: string, options: { signal?: AbortSignal } = {}): Promise<ChunkInContextView> {
  const response = await send(apiUrl(api, `/api/chunks/${encodeURIComponent(id)}`), {
    method: 'GET',
    headers: { accept: 'application/json' },
    signal: options.signal,
  });
  const body = (await response.json()) as Partial<ChunkInContextView>;
  if (!body?.chunk || typeof body.chunk.text !== 'string' || !body.document) throw new WidgetRequestError('stream', 'Ofullständigt svar från /api/chunks');
  return { chunk: body.chunk, document: body.document, previous: Array.isArray(body.previous) ? body.previous : [], next: Array.isArray(body.next) ? body.next : [] };
}

/** Body of `POST /api/feedback`. */
export interface FeedbackBody {
  messages: ChatMessage[];
  answer: string;
  rating: 'up' | 'down';
  comment?: string;
}

/** `POST /api/feedback`. */
export async function sendFeedback(api: string, body: FeedbackBody): Promise<void> {
  await send(apiUrl(api, '/api/feedback'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
}
