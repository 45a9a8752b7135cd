/**
 * POST /api/chat over a real @hono/node-server on 127.0.0.1 with fetch: SSE order and format, error events,
 * client disconnects; the SSE parser; and the whole Node wiring (createNodeAssistant + startNodeServer) against
 * the real assistant over a temporary LanceDB index of the sample corpus.
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../src/core/types.ts';
import { createApp } from '../src/http/create-app.ts';
import { type ChatStreamEvent, createSseParser, formatSseEvent, parseSse, readChatEvents, readSseStream } from '../src/http/sse.ts';
import { createFakeAssistant, type FakeAssistant } from './fakes/fake-assistant.ts';

async function listen(assistant: FakeAssistant | Parameters<typeof createApp>[0]['assistant']): Promise<{ url: string; server: ServerType }> {
  const app = createApp({ assistant });
  return new Promise((resolveServer) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => {
      resolveServer({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server });
    });
  });
}

function close(server: ServerType): Promise<void> {
  return new Promise((resolveClose) => {
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    server.close(() => resolveClose());
  });
}

const chatBody = (content: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ messages: [{ role: 'user', content }], ...extra });

async function collect(response: Response): Promise<ChatStreamEvent[]> {
  const events: ChatStreamEvent[] = [];
  for await (const event of readChatEvents(response.body!)) events.push(event);
  return events;
}

describe('SSE parser', () => {
  it('parses events split across arbitrary chunk boundaries and CRLF/CR/LF', () => {
    const text = 'event: citations\r\ndata: {"a":1}\r\n\r\n: comment\nevent: text-delta\ndata: line one\ndata: line two\n\nevent: done\rdata: {}\r\r';
    const whole = parseSse(text);
    expect(whole).toEqual([
      { event: 'citations', data: '{"a":1}' },
      { event: 'text-delta', data: 'line one\nline two' },
      { event: 'done', data: '{}' },
    ]);
    for (let size = 1; size <= 7; size++) {
      const parser = createSseParser();
      const out = [];
      for (let index = 0; index < text.length; index += size) out.push(...parser.push(text.slice(index, index + size)));
      out.push(...parser.end());
      expect(out).toEqual(whole);
    }
  });

  it('defaults the event name to message, keeps ids, drops an unterminated last block', () => {
    expect(parseSse('data: x\nid: 7\n\ndata: unterminated')).toEqual([{ event: 'message', data: 'x', id: '7' }]);
  });

  it('formatSseEvent round-trips multi-line data', () => {
    const block = formatSseEvent('text-delta', 'a\nb');
    expect(block).toBe('event: text-delta\ndata: a\ndata: b\n\n');
    expect(parseSse(block)).toEqual([{ event: 'text-delta', data: 'a\nb' }]);
    expect(() => formatSseEvent('bad\nname', 'x')).toThrow();
  });
});

describe('POST /api/chat streaming over a real server', () => {
  let fake: FakeAssistant;
  let url: string;
  let server: ServerType;
  beforeAll(async () => {
    fake = createFakeAssistant({ deltas: ['Del ett [1] ', 'rad\ntvå ', 'och slut [2].'] });
    ({ url, server } = await listen(fake));
  });
  afterAll(() => close(server));

  it('stream: true → citations, text-delta…, done, in that order, with the documented data', async () => {
    const response = await fetch(`${url}/api/chat`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: chatBody('Vad gäller familjehem?', { stream: true }) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toContain('no-cache');
    const raw = await response.text();
    // Exact wire format: `event: NAME\ndata: JSON\n\n` per event.
    expect(raw.startsWith('event: citations\ndata: {')).toBe(true);
    expect(raw.endsWith('\n\n')).toBe(true);
    const messages = parseSse(raw);
    expect(messages.map((message) => message.event)).toEqual(['citations', 'text-delta', 'text-delta', 'text-delta', 'done']);
    for (const message of messages) expect(message.data).not.toContain('\n');

    const events = messages.map((message) => ({ event: message.event, data: JSON.parse(message.data) })) as ChatStreamEvent[];
    const citations = events[0] as Extract<ChatStreamEvent, { event: 'citations' }>;
    expect(Object.keys(citations.data).sort()).toEqual(['citations', 'query']);
    expect(citations.data.citations.map((citation) => citation.marker)).toEqual([1, 2]);
    expect(citations.data.query.committee).toBe('Socialnämnden Centrum');
    const deltas = events.filter((event): event is Extract<ChatStreamEvent, { event: 'text-delta' }> => event.event === 'text-delta');
    expect(deltas.map((delta) => Object.keys(delta.data))).toEqual([['text'], ['text'], ['text']]);
    const done = events[4] as Extract<ChatStreamEvent, { event: 'done' }>;
    expect(Object.keys(done.data).sort()).toEqual(['abstained', 'answer', 'answerer', 'citations', 'query']);
    expect(done.data.answer).toBe(deltas.map((delta) => delta.data.text).join(''));
    expect(done.data.answer).toContain('rad\ntvå');
    expect(done.data.abstained).toBe(false);
  });

  it('Accept: text/event-stream also streams; stream: false wins over Accept', async () => {
    const accepted = await fetch(`${url}/api/chat`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: chatBody('Hej'),
    });
    expect(accepted.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect((await collect(accepted)).map((event) => event.event)).toEqual(['citations', 'text-delta', 'text-delta', 'text-delta', 'done']);

    const json = await fetch(`${url}/api/chat`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: chatBody('Hej', { stream: false }),
    });
    expect(json.headers.get('content-type')).toMatch(/application\/json/);
    expect(((await json.json()) as { answer: string }).answer).toContain('och slut');
  });

  it('validation errors are JSON 400 even when streaming was asked for', async () => {
    const response = await fetch(`${url}/api/chat`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify({ messages: [{ role: 'assistant', content: 'x' }], stream: true }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain("role 'user'");
  });

  it('readSseStream stops early and closes the connection when the consumer breaks', async () => {
    const response = await fetch(`${url}/api/chat`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: chatBody('Hej', { stream: true }) });
    const seen: string[] = [];
    for await (const message of readSseStream(response.body!)) {
      seen.push(message.event);
      break;
    }
    expect(seen).toEqual(['citations']);
  });
});

describe('chat failures and disconnects', () => {
  it('a failure before the first event is a normal JSON error status', async () => {
    const { url, server } = await listen(createFakeAssistant({ failBeforeStart: new AppError('index_empty', 'The index is empty; run npm run ingest') }));
    try {
      const response = await fetch(`${url}/api/chat`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: chatBody('Hej', { stream: true }) });
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ error: { code: 'index_empty', message: 'The index is empty; run npm run ingest' } });
    } finally {
      await close(server);
    }
  });

  it('a failure mid-stream sends an error event with a clean message, then the stream ends', async () => {
    const { url, server } = await listen(
      createFakeAssistant({ failAfterDeltas: { count: 1, error: new Error('socket hang up at 10.1.2.3 with key sk-secret') } }),
    );
    try {
      const response = await fetch(`${url}/api/chat`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: chatBody('Hej', { stream: true }) });
      expect(response.status).toBe(200);
      const events = await collect(response);
      expect(events.map((event) => event.event)).toEqual(['citations', 'text-delta', 'error']);
      expect(events[2].data).toEqual({ code: 'internal', message: 'Internal server error' });
    } finally {
      await close(server);
    }
  });

  it('a bad_request AppError mid-stream keeps its message in the error event', async () => {
    const { url, server } = await listen(createFakeAssistant({ failAfterDeltas: { count: 0, error: new AppError('bad_request', 'Okänd nämnd') } }));
    try {
      const response = await fetch(`${url}/api/chat`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: chatBody('Hej', { stream: true }) });
      const events = await collect(response);
      expect(events.at(-1)).toEqual({ event: 'error', data: { code: 'bad_request', message: 'Okänd nämnd' } });
    } finally {
      await close(server);
    }
  });

  it('aborts the assistant when the client disconnects mid-stream', async () => {
    const fake = createFakeAssistant({ hangAfterFirstDelta: true });
    const { url, server } = await listen(fake);
    try {
      const client = new AbortController();
      const response = await fetch(`${url}/api/chat`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: chatBody('Hej', { stream: true }),
        signal: client.signal,
      });
      const reader = readSseStream(response.body!);
      const seen: string[] = [];
      for await (const message of reader) {
        seen.push(message.event);
        if (message.event === 'text-delta') break;
      }
      client.abort();
      expect(seen).toEqual(['citations', 'text-delta']);
      // The fake resolves `aborted` only when the signal it got fires; the test times out otherwise.
      expect(await fake.aborted).toBe(true);
      await expect.poll(() => fake.finished()).toBe(true);
    } finally {
      await close(server);
    }
  });

  it('aborts the assistant when a JSON-mode client disconnects', async () => {
    const fake = createFakeAssistant({ hangAfterFirstDelta: true });
    const { url, server } = await listen(fake);
    try {
      const client = new AbortController();
      const pending = fetch(`${url}/api/chat`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: chatBody('Hej'),
        signal: client.signal,
      }).catch((error: unknown) => error);
      await expect.poll(() => fake.chats.length).toBe(1);
      client.abort();
      await pending;
      expect(await fake.aborted).toBe(true);
    } finally {
      await close(server);
    }
  });
});

describe('Node wiring with the real assistant (temp LanceDB index of the sample corpus)', () => {
  let directory: string;
  let running: { url: string; close(graceMs?: number): Promise<void> } | undefined;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'planassistenten-node-'));
    await cp(resolve('data/corpus'), join(directory, 'corpus'), { recursive: true });
    const { parseConfig } = await import('../src/config.ts');
    const { startNodeServer } = await import('../src/main-node.ts');
    const config = parseConfig({
      HOST: '127.0.0.1',
      CORPUS_DIR: join(directory, 'corpus'),
      LANCEDB_DIR: join(directory, 'index'),
      FEEDBACK_FILE: join(directory, 'feedback', 'feedback.jsonl'),
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'silent',
    });
    // Port 0 (any free port) is not a valid PORT setting, so it is set on the parsed config.
    running = await startNodeServer({ ...config, port: 0 });
  });

  afterAll(async () => {
    await running?.close(1000);
    await rm(directory, { recursive: true, force: true });
  });

  it('ingests the corpus on first start and reports it in /healthz and /api/documents', async () => {
    const health = (await (await fetch(`${running!.url}/healthz`)).json()) as { status: string; documents: number; chunks: number; embedder: string };
    expect(health.status).toBe('ok');
    expect(health.documents).toBe(5);
    expect(health.chunks).toBeGreaterThan(5);
    expect(health.embedder).toBe('builtin-hash-v2');
    const listing = (await (await fetch(`${running!.url}/api/documents`)).json()) as { documents: Array<{ id: string; source: string; chunks: number }> };
    expect(listing.documents.map((document) => document.source).sort()).toEqual([
      '000_2e06263a4aea9303.txt',
      '001_685a6afae0d19dc8.txt',
      '002_a78cf953a858aaff.txt',
      '003_17685376f62255a5.txt',
      '004_6b9fbc6b6a484550.txt',
    ]);
    const first = listing.documents[0];
    const detail = (await (await fetch(`${running!.url}/api/documents/${encodeURIComponent(first.id)}`)).json()) as { chunks: Array<{ id: string; text: string }> };
    expect(detail.chunks).toHaveLength(first.chunks);
    const inContext = (await (await fetch(`${running!.url}/api/chunks/${encodeURIComponent(detail.chunks[0].id)}`)).json()) as { chunk: { id: string }; document: { id: string } };
    expect(inContext.chunk.id).toBe(detail.chunks[0].id);
    expect(inContext.document.id).toBe(first.id);
  });

  it('answers a conversation that sends back a 10,000-character assistant answer (as chat clients do)', async () => {
    const longAnswer = `Socialnämnden Centrum har följande uppdrag:\n${Array.from({ length: 200 }, (_, index) => `${index + 1}. Ett tidigare listat uppdrag om familjehem och HVB [${index + 1}]`).join('\n')}`.slice(0, 10_000);
    expect(longAnswer.length).toBe(10_000);
    const response = await fetch(`${running!.url}/api/chat`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        messages: [
          { role: 'user', content: 'Vilka uppdrag har socialnämnden Centrum om familjehem?' },
          { role: 'assistant', content: longAnswer },
          { role: 'user', content: 'Och Nordost?' },
        ],
      }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { abstained: boolean; citations: Array<{ document: { committee: string } }>; query: { committee?: string } };
    expect(body.abstained).toBe(false);
    expect(body.query.committee).toBe('Socialnämnden Nordost');
    expect(body.citations.length).toBeGreaterThan(0);
    for (const citation of body.citations) expect(citation.document.committee).toBe('Socialnämnden Nordost');
    // A user turn keeps its own limit.
    const tooLong = await fetch(`${running!.url}/api/chat`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(2001) }] }),
    });
    expect(tooLong.status).toBe(400);
  });

  it('searches the real index', async () => {
    const response = await fetch(`${running!.url}/api/search`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: 'familjehem', k: 5, filter: { committee: 'Socialnämnden Centrum' } }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { results: Array<{ text: string; document: { committee: string; source: string } }> };
    expect(body.results.length).toBeGreaterThan(0);
    expect(body.results.length).toBeLessThanOrEqual(5);
    for (const result of body.results) expect(['002_a78cf953a858aaff.txt', '004_6b9fbc6b6a484550.txt']).toContain(result.document.source);
  });

  it('answers a chat as SSE with citations that exist, and the same answer as JSON', async () => {
    const question = 'Vilka uppdrag har socialnämnden Centrum om familjehem?';
    const streamed = await fetch(`${running!.url}/api/chat`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: question }], stream: true }),
    });
    expect(streamed.status).toBe(200);
    const events = await collect(streamed);
    const names = events.map((event) => event.event);
    expect(names[0]).toBe('citations');
    expect(names.at(-1)).toBe('done');
    expect(names.slice(1, -1).every((name) => name === 'text-delta')).toBe(true);
    const done = events.at(-1) as Extract<ChatStreamEvent, { event: 'done' }>;
    const text = events
      .filter((event): event is Extract<ChatStreamEvent, { event: 'text-delta' }> => event.event === 'text-delta')
      .map((event) => event.data.text)
      .join('');
    expect(done.data.answer).toBe(text);
    expect(done.data.answerer).toBe('extractive');
    expect(done.data.abstained).toBe(false);
    expect(done.data.citations.length).toBeGreaterThan(0);
    // An answer about Centrum must not cite Nordost's yrkande.
    for (const citation of done.data.citations) expect(citation.document.source).not.toBe('001_685a6afae0d19dc8.txt');
    const cited = await fetch(`${running!.url}/api/chunks/${encodeURIComponent(done.data.citations[0].id)}`);
    expect(cited.status).toBe(200);

    const json = await fetch(`${running!.url}/api/chat`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: question }] }),
    });
    const body = (await json.json()) as { answer: string; citations: Array<{ id: string }> };
    expect(body.answer).toBe(done.data.answer);
    expect(body.citations.map((citation) => citation.id)).toEqual(done.data.citations.map((citation) => citation.id));
  });

  it('stores feedback in the configured file and serves the widget and docs', async () => {
    const response = await fetch(`${running!.url}/api/feedback`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'Hej' }], answer: 'Svar', rating: 'up' }),
    });
    expect(response.status).toBe(201);
    const line = JSON.parse((await readFile(join(directory, 'feedback', 'feedback.jsonl'), 'utf8')).trim()) as { rating: string };
    expect(line.rating).toBe('up');
    expect((await fetch(`${running!.url}/api/docs`)).status).toBe(200);
    const page = await fetch(`${running!.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('refuses to open an index built with another embedder', async () => {
    const { createNodeAssistant } = await import('../src/node-assistant.ts');
    const { createHashedEmbedder } = await import('../src/core/embedding/hashed-embedder.ts');
    const other = { ...createHashedEmbedder({ dimensions: 256 }), modelId: 'openai:text-embedding-3-small' };
    await expect(createNodeAssistant({ corpusDir: join(directory, 'corpus'), indexDir: join(directory, 'index'), embedder: other })).rejects.toThrow(
      /built with the embedder builtin-hash-v2.*npm run ingest -- --rebuild/s,
    );
  });
});
