/**
 * A fake OpenAI-compatible server for tests (node:http on 127.0.0.1, random port), used with the real `openai` client.
 *
 * Endpoints:
 *  - `GET  /v1/models` → `{ object: 'list', data: [{ id, object: 'model', … }] }`.
 *  - `POST /v1/embeddings` → deterministic, Unicode-aware fake vectors (character trigrams of the lower-cased NFC text
 *    hashed into `dimensions` buckets, L2-normalised; equal texts give equal vectors, similar texts similar vectors).
 *    Honours `encoding_format: 'base64'` (little-endian float32, what the SDK asks for by default) and `'float'`,
 *    and the request's `dimensions`. Failures can be scripted: the first N requests fail (`embeddingFailures`) or
 *    `failNextEmbeddings(...)` at any time.
 *  - `POST /v1/chat/completions` → non-streaming JSON or, with `stream: true`, SSE chunks `data: {...}\n\n` … `data: [DONE]`.
 *    Replies are scripted: a queue (`chatReplies` array / `enqueueChat`) or a function of the request; each reply is a
 *    text (streamed in pieces), an HTTP error, a delay, a hang (for timeout tests) or a connection drop mid-stream.
 *
 * Every request is recorded (`requests`) with method, path, query, headers and parsed JSON body.
 *
 * @example
 * const fake = await startFakeOpenAI({ chatReplies: [{ text: 'Hej [1].' }] });
 * const client = new OpenAI({ apiKey: 'test', baseURL: fake.url });
 * ...
 * await fake.close();
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One recorded HTTP request. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/embeddings`. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (undefined when there was none or it was not JSON). */
  body: any;
}

/** A scripted failure: an HTTP error status (e.g. 429, 500) or a dropped connection (`network`). */
export type FakeFailure =
  | { status: number; message?: string; headers?: Record<string, string> }
  | { network: true };

/** A scripted chat reply. */
export type ChatReply =
  | {
      /** The assistant text; streamed in pieces of `chunkSize` characters (default 8) when `stream: true`. */
      text: string;
      chunkSize?: number;
      /** Wait before answering (ms). */
      delayMs?: number;
      /** Wait between stream chunks (ms). */
      chunkDelayMs?: number;
      /** Drop the connection after this many content chunks (streaming only). */
      dropAfterChunks?: number;
      finishReason?: 'stop' | 'length' | 'content_filter';
    }
  | { status: number; message?: string; headers?: Record<string, string>; delayMs?: number }
  | { hang: true }
  | { network: true };

/** What a reply function gets. */
export interface ChatRequestInfo {
  body: any;
  headers: IncomingHttpHeaders;
  /** 0-based index of this chat request. */
  index: number;
}

/** Options of `startFakeOpenAI`. */
export interface FakeOpenAIOptions {
  /** Default vector size when a request gives no `dimensions` (default 64). */
  embeddingDimensions?: number;
  /** The first requests to /v1/embeddings fail with these, in order. */
  embeddingFailures?: FakeFailure[];
  /** Chat replies: a queue consumed in order (then `defaultChatReply`), or a function of the request. */
  chatReplies?: ChatReply[] | ((request: ChatRequestInfo) => ChatReply | Promise<ChatReply>);
  /** Reply when the queue is empty (default `{ text: 'OK' }`). */
  defaultChatReply?: ChatReply;
  /** Model ids for GET /v1/models (default `['fake-chat', 'fake-embedding']`). */
  models?: string[];
  /** When set, requests must carry `Authorization: Bearer <apiKey>` or `api-key: <apiKey>`, else 401. */
  apiKey?: string;
}

/** A running fake server. */
export interface FakeOpenAI {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:40123/v1`. */
  url: string;
  port: number;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Recorded requests to /v1/embeddings. */
  embeddingRequests(): RecordedRequest[];
  /** Recorded requests to /v1/chat/completions. */
  chatRequests(): RecordedRequest[];
  /** Appends chat replies to the queue (only when `chatReplies` is an array or not given). */
  enqueueChat(...replies: ChatReply[]): void;
  /** The next embedding requests fail with these, in order. */
  failNextEmbeddings(...failures: FakeFailure[]): void;
  /** Closes the server, dropping hanging connections. */
  close(): Promise<void>;
}

/** The fake vector of a text: deterministic, Unicode-aware (å/ä/ö are distinct characters), L2-normalised. */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const characters = Array.from(` ${text.normalize('NFC').toLowerCase()} `);
  for (let index = 0; index + 3 <= characters.length; index++) {
    let hash = 0x811c9dc5;
    for (const character of characters.slice(index, index + 3)) {
      hash = Math.imul(hash ^ (character.codePointAt(0) ?? 0), 0x01000193);
    }
    hash >>>= 0;
    vector[hash % dimensions] += hash & 0x80000000 ? -1 : 1;
  }
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return norm > 0 ? vector.map((value) => value / norm) : vector;
}

/** Float32 little-endian base64, as the OpenAI API returns for `encoding_format: 'base64'`. */
export function toBase64Float32(vector: number[]): string {
  const view = new DataView(new ArrayBuffer(vector.length * 4));
  vector.forEach((value, index) => view.setFloat32(index * 4, value, true));
  return Buffer.from(view.buffer).toString('base64');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

function sendError(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const type = status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
  sendJson(response, status, { error: { message, type, param: null, code: null } }, headers);
}

/** Starts the fake server on 127.0.0.1 with a random port. */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const requests: RecordedRequest[] = [];
  const embeddingFailures: FakeFailure[] = [...(options.embeddingFailures ?? [])];
  const chatQueue: ChatReply[] = Array.isArray(options.chatReplies) ? [...options.chatReplies] : [];
  const chatFunction = typeof options.chatReplies === 'function' ? options.chatReplies : undefined;
  const defaultEmbeddingDimensions = options.embeddingDimensions ?? 64;
  const models = options.models ?? ['fake-chat', 'fake-embedding'];
  const sockets = new Set<Socket>();
  let chatIndex = 0;
  let completionId = 0;

  async function readBody(request: IncomingMessage): Promise<string> {
    const parts: Buffer[] = [];
    for await (const part of request) parts.push(part as Buffer);
    return Buffer.concat(parts).toString('utf8');
  }

  function authorised(headers: IncomingHttpHeaders): boolean {
    if (!options.apiKey) return true;
    return headers.authorization === `Bearer ${options.apiKey}` || headers['api-key'] === options.apiKey;
  }

  function handleEmbeddings(body: any, response: ServerResponse): void {
    const failure = embeddingFailures.shift();
    if (failure) {
      if ('network' in failure) {
        response.socket?.destroy();
        return;
      }
      sendError(response, failure.status, failure.message ?? `Scripted failure ${failure.status}`, failure.headers);
      return;
    }
    if (!body || typeof body.model !== 'string' || body.model.length === 0) {
      sendError(response, 400, 'you must provide a model parameter');
      return;
    }
    const input: unknown = body.input;
    const texts = typeof input === 'string' ? [input] : input;
    if (!Array.isArray(texts) || texts.length === 0 || texts.some((text) => typeof text !== 'string')) {
      sendError(response, 400, "'input' must be a non-empty string or array of strings");
      return;
    }
    const dimensions = body.dimensions ?? defaultEmbeddingDimensions;
    if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 8192) {
      sendError(response, 400, `invalid dimensions: ${body.dimensions}`);
      return;
    }
    const format = body.encoding_format ?? 'float';
    if (format !== 'float' && format !== 'base64') {
      sendError(response, 400, `invalid encoding_format: ${format}`);
      return;
    }
    const data = (texts as string[]).map((text, index) => {
      const vector = fakeEmbedding(text, dimensions);
      return { object: 'embedding', index, embedding: format === 'base64' ? toBase64Float32(vector) : vector };
    });
    const tokens = (texts as string[]).reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
    sendJson(response, 200, { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  }

  async function handleChat(body: any, headers: IncomingHttpHeaders, response: ServerResponse): Promise<void> {
    const index = chatIndex++;
    if (!body || typeof body.model !== 'string' || !Array.isArray(body.messages)) {
      sendError(response, 400, 'model and messages are required');
      return;
    }
    const reply: ChatReply = chatFunction
      ? await chatFunction({ body, headers, index })
      : (chatQueue.shift() ?? options.defaultChatReply ?? { text: 'OK' });
    if ('hang' in reply) return; // never answer; close() drops the socket
    if ('network' in reply) {
      response.socket?.destroy();
      return;
    }
    if (reply.delayMs) await sleep(reply.delayMs);
    if ('status' in reply) {
      sendError(response, reply.status, reply.message ?? `Scripted failure ${reply.status}`, reply.headers);
      return;
    }
    const id = `chatcmpl-fake-${++completionId}`;
    const created = Math.floor(Date.now() / 1000);
    const model = body.model;
    const usage = { prompt_tokens: 10, completion_tokens: Math.ceil(reply.text.length / 4), total_tokens: 10 + Math.ceil(reply.text.length / 4) };
    const finishReason = reply.finishReason ?? 'stop';
    if (!body.stream) {
      sendJson(response, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: reply.text, refusal: null }, logprobs: null, finish_reason: finishReason }],
        usage,
      });
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const chunk = (delta: Record<string, unknown>, finish: string | null) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
    response.write(chunk({ role: 'assistant', content: '' }, null));
    const size = Math.max(1, reply.chunkSize ?? 8);
    const characters = Array.from(reply.text);
    let sent = 0;
    for (let start = 0; start < characters.length; start += size) {
      if (reply.dropAfterChunks !== undefined && sent >= reply.dropAfterChunks) {
        response.socket?.destroy();
        return;
      }
      if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
      if (response.destroyed) return;
      response.write(chunk({ content: characters.slice(start, start + size).join('') }, null));
      sent++;
    }
    response.write(chunk({}, finishReason));
    response.end('data: [DONE]\n\n');
  }

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const text = await readBody(request);
    let body: any;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    requests.push({
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
      body,
    });
    try {
      if (!authorised(request.headers)) {
        sendError(response, 401, 'Incorrect API key provided');
        return;
      }
      if (text && body === undefined) {
        sendError(response, 400, 'Body is not valid JSON');
        return;
      }
      const route = `${request.method} ${url.pathname.replace(/\/+$/, '')}`;
      if (route === 'GET /v1/models') {
        sendJson(response, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })) });
      } else if (route === 'POST /v1/embeddings') {
        handleEmbeddings(body, response);
      } else if (route === 'POST /v1/chat/completions') {
        await handleChat(body, request.headers, response);
      } else {
        sendError(response, 404, `Unknown route ${route}`);
      }
    } catch (error) {
      if (!response.headersSent) sendError(response, 500, `Fake server error: ${(error as Error).message}`);
      else response.destroy();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    embeddingRequests: () => requests.filter((request) => request.path.startsWith('/v1/embeddings')),
    chatRequests: () => requests.filter((request) => request.path.startsWith('/v1/chat/completions')),
    enqueueChat: (...replies) => {
      chatQueue.push(...replies);
    },
    failNextEmbeddings: (...failures) => {
      embeddingFailures.push(...failures);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
