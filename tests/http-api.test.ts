/**
 * HTTP API through the real Hono app (`app.request`): every endpoint and error path, CORS, rate limit,
 * feedback file, OpenAPI. Uses the hand-written fake assistant; tests/http-chat.test.ts runs the real one.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJsonlFeedbackSink } from '../src/adapters/jsonl-feedback.ts';
import { AppError } from '../src/core/types.ts';
import { createApp } from '../src/http/create-app.ts';
import { createRateLimiter } from '../src/http/rate-limit.ts';
import { FAKE_CHUNKS, FAKE_DOCUMENTS, createFakeAssistant } from './fakes/fake-assistant.ts';

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  expect(response.headers.get('content-type')).toMatch(/application\/json/);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(typeof body.error.code).toBe('string');
  expect(typeof body.error.message).toBe('string');
  return body.error;
}

let temporary: string;
beforeAll(async () => {
  temporary = await mkdtemp(join(tmpdir(), 'planassistenten-http-'));
});
afterAll(async () => {
  await rm(temporary, { recursive: true, force: true });
});

describe('read endpoints', () => {
  const assistant = createFakeAssistant();
  const app = createApp({ assistant });

  it('GET /healthz reports the index', async () => {
    const response = await app.request('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', documents: 2, chunks: 4, embedder: 'fake-embedder' });
  });

  it('GET /api/documents lists documents without internals', async () => {
    const response = await app.request('/api/documents');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { documents: Array<Record<string, unknown>> };
    expect(body.documents.map((document) => document.id)).toEqual(FAKE_DOCUMENTS.map((document) => document.id));
    const yrkande = body.documents[1];
    expect(yrkande).toMatchObject({ type: 'yrkande', status: 'yrkande', date: '2024-11-18', parties: ['V', 'S', 'MP'], chunks: 1 });
    expect(yrkande).not.toHaveProperty('contentHash');
    expect(body.documents[0]).not.toHaveProperty('date');
  });

  it('GET /api/documents pages with limit and offset and states the total; a bad page is a 400', async () => {
    const first = (await (await app.request('/api/documents?limit=1')).json()) as { documents: Array<{ id: string }>; total: number; offset: number; limit: number };
    expect(first).toMatchObject({ total: FAKE_DOCUMENTS.length, offset: 0, limit: 1 });
    expect(first.documents.map((document) => document.id)).toEqual([FAKE_DOCUMENTS[0].id]);
    const second = (await (await app.request('/api/documents?limit=1&offset=1')).json()) as { documents: Array<{ id: string }> };
    expect(second.documents.map((document) => document.id)).toEqual([FAKE_DOCUMENTS[1].id]);
    const past = (await (await app.request('/api/documents?offset=50')).json()) as { documents: unknown[]; total: number };
    expect(past).toMatchObject({ documents: [], total: FAKE_DOCUMENTS.length });
    for (const query of ['limit=0', 'limit=1001', 'limit=abc', 'offset=-1']) {
      const response = await app.request(`/api/documents?${query}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'bad_request' });
    }
  });

  it('GET /api/documents/:id returns chunks with sections joined by ›', async () => {
    const response = await app.request('/api/documents/002_a78cf953a858aaff');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { document: { id: string }; chunks: Array<{ id: string; section: string; kind: string; text: string }> };
    expect(body.document.id).toBe('002_a78cf953a858aaff');
    expect(body.chunks).toHaveLength(3);
    expect(body.chunks[1]).toMatchObject({ section: 'Uppdrag › Från kommunfullmäktige', kind: 'uppdrag', text: FAKE_CHUNKS[1].text });
    expect(body.chunks[1]).not.toHaveProperty('originalText');
  });

  it('GET /api/documents/:id → 404 for an unknown id', async () => {
    const response = await app.request('/api/documents/nope');
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toEqual({ code: 'not_found', message: "No document with id 'nope'" });
  });

  it('GET /api/chunks/:id returns the chunk with neighbours', async () => {
    const response = await app.request(`/api/chunks/${FAKE_CHUNKS[1].id}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { chunk: { id: string }; document: { id: string }; previous: Array<{ id: string }>; next: Array<{ id: string }> };
    expect(body.chunk.id).toBe(FAKE_CHUNKS[1].id);
    expect(body.document.id).toBe('002_a78cf953a858aaff');
    expect(body.previous.map((item) => item.id)).toEqual([FAKE_CHUNKS[0].id]);
    expect(body.next.map((item) => item.id)).toEqual([FAKE_CHUNKS[2].id]);

    const none = await app.request(`/api/chunks/${FAKE_CHUNKS[1].id}?neighbours=0`);
    const noneBody = (await none.json()) as { previous: unknown[]; next: unknown[] };
    expect(noneBody.previous).toEqual([]);
    expect(noneBody.next).toEqual([]);
  });

  it('GET /api/chunks/:id → 404 unknown, 400 bad neighbours', async () => {
    const missing = await app.request('/api/chunks/unknown-chunk');
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).code).toBe('not_found');
    const bad = await app.request(`/api/chunks/${FAKE_CHUNKS[1].id}?neighbours=99`);
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).message).toContain('neighbours');
  });

  it('unknown routes → 404 JSON, wrong methods → 405 JSON with Allow', async () => {
    const unknown = await app.request('/api/nothing-here');
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).code).toBe('not_found');

    const wrongMethod = await app.request('/api/search');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toContain('POST');
    expect((await errorOf(wrongMethod)).code).toBe('method_not_allowed');

    const deleteDocument = await app.request('/api/documents/x', { method: 'DELETE' });
    expect(deleteDocument.status).toBe(405);
    expect(deleteDocument.headers.get('allow')).toContain('GET');
  });

  it('internal errors are generic for clients and detailed in the log', async () => {
    const logged: Array<{ message: string; fields?: Record<string, unknown> }> = [];
    const logger = {
      debug() {},
      info() {},
      warn() {},
      error(message: string, fields?: Record<string, unknown>) {
        logged.push({ message, fields });
      },
    };
    const broken = createApp({
      assistant: {
        ...createFakeAssistant(),
        async listDocuments() {
          throw new Error('lance table corrupt at /secret/path');
        },
        async health() {
          throw new AppError('index_empty', 'The index is empty; run npm run ingest');
        },
      },
      logger,
    });
    const response = await broken.request('/api/documents');
    expect(response.status).toBe(500);
    const error = await errorOf(response);
    expect(error).toEqual({ code: 'internal', message: 'Internal server error' });
    expect(JSON.stringify(logged)).toContain('lance table corrupt at /secret/path');

    const health = await broken.request('/healthz');
    expect(health.status).toBe(503);
    expect(await errorOf(health)).toEqual({ code: 'index_empty', message: 'The index is empty; run npm run ingest' });
  });
});

describe('POST /api/search', () => {
  const assistant = createFakeAssistant();
  const app = createApp({ assistant });

  it('returns results and passes k and filter through', async () => {
    const response = await app.request('/api/search', json({ query: 'familjehem', k: 2, filter: { documentId: '002_a78cf953a858aaff' } }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { query: string; results: Array<{ id: string; section: string; document: { id: string } }>; understood: { text: string } };
    expect(body.query).toBe('familjehem');
    expect(body.understood.text).toBe('familjehem');
    expect(body.results.length).toBeGreaterThan(0);
    expect(body.results.every((result) => result.document.id === '002_a78cf953a858aaff')).toBe(true);
    expect(assistant.searches.at(-1)).toEqual({ query: 'familjehem', k: 2, filter: { documentId: '002_a78cf953a858aaff' } });
  });

  it('defaults k to 8', async () => {
    await app.request('/api/search', json({ query: 'stöd' }));
    expect(assistant.searches.at(-1)?.k).toBe(8);
  });

  const cases: Array<[string, unknown, string]> = [
    ['empty query', { query: '' }, 'query'],
    ['blank query', { query: '   ' }, 'query'],
    ['missing query', { k: 3 }, 'query'],
    ['over-long query', { query: 'a'.repeat(2001) }, 'query'],
    ['query of the wrong type', { query: 42 }, 'query'],
    ['k too small', { query: 'x', k: 0 }, 'k'],
    ['k too large', { query: 'x', k: 51 }, 'k'],
    ['k not an integer', { query: 'x', k: 2.5 }, 'k'],
    ['k as a string', { query: 'x', k: '5' }, 'k'],
    ['unknown filter key', { query: 'x', filter: { nämnd: 'Centrum' } }, 'filter'],
    ['bad filter type', { query: 'x', filter: { type: 'roman' } }, 'filter.type'],
    ['unknown top-level key', { query: 'x', limit: 3 }, 'limit'],
    ['array body', ['query'], 'body'],
  ];
  for (const [name, body, field] of cases) {
    it(`400 for ${name}, naming ${field}`, async () => {
      const response = await app.request('/api/search', json(body));
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.code).toBe('bad_request');
      expect(error.message).toContain(field);
    });
  }

  it('400 for malformed JSON', async () => {
    const response = await app.request('/api/search', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"query": ' });
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({ code: 'bad_request', message: 'Request body is not valid JSON' });
  });

  it('415 for non-JSON bodies', async () => {
    const text = await app.request('/api/search', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'query=x' });
    expect(text.status).toBe(415);
    expect((await errorOf(text)).code).toBe('unsupported_media_type');
    const form = await app.request('/api/search', { method: 'POST', body: new URLSearchParams({ query: 'x' }) });
    expect(form.status).toBe(415);
    const none = await app.request('/api/search', { method: 'POST' });
    expect(none.status).toBe(415);
  });

  it('413 for bodies over 1 MB (with and without Content-Length)', async () => {
    const big = JSON.stringify({ query: 'x', padding: 'a'.repeat(1100 * 1024) });
    const response = await app.request('/api/search', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: big });
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe('payload_too_large');

    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let index = 0; index < 140; index++) controller.enqueue(encoder.encode('a'.repeat(8 * 1024)));
        controller.close();
      },
    });
    const chunked = await app.request('/api/search', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it('AppError bad_request from the assistant → 400 with its message', async () => {
    const failing = createApp({
      assistant: {
        ...createFakeAssistant(),
        async search() {
          throw new AppError('bad_request', 'Unknown committee "Månen"');
        },
      },
    });
    const response = await failing.request('/api/search', json({ query: 'x', filter: { committee: 'Månen' } }));
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({ code: 'bad_request', message: 'Unknown committee "Månen"' });
  });
});

describe('POST /api/chat (JSON)', () => {
  const assistant = createFakeAssistant();
  const app = createApp({ assistant });

  it('collects the stream into one answer', async () => {
    const response = await app.request('/api/chat', json({ messages: [{ role: 'user', content: 'Vilka uppdrag om familjehem?' }], filter: { committee: 'Centrum' } }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await response.json()) as Record<string, unknown> & { citations: Array<{ marker: number; id: string }> };
    expect(Object.keys(body).sort()).toEqual(['abstained', 'answer', 'answerer', 'citations', 'query']);
    expect(body.answer).toBe('Socialnämnden Centrum ska öka andelen familjehem [1] och göra stödet likvärdigt [2].');
    expect(body.abstained).toBe(false);
    expect(body.answerer).toBe('fake');
    expect(body.citations.map((citation) => citation.marker)).toEqual([1, 2]);
    expect(body.query).toEqual({ text: 'Vilka uppdrag om familjehem?', committee: 'Socialnämnden Centrum' });
    expect(assistant.chats.at(-1)).toEqual({ messages: [{ role: 'user', content: 'Vilka uppdrag om familjehem?' }], filter: { committee: 'Centrum' } });
  });

  it('passes abstention through', async () => {
    const response = await app.request('/api/chat', json({ messages: [{ role: 'user', content: 'ABSTAIN please' }] }));
    const body = (await response.json()) as { abstained: boolean; citations: unknown[] };
    expect(body.abstained).toBe(true);
    expect(body.citations).toEqual([]);
  });

  const turn = (content: string, role = 'user') => ({ role, content });
  const cases: Array<[string, unknown, string]> = [
    ['no messages', { messages: [] }, 'messages'],
    ['missing messages', {}, 'messages'],
    ['more than 100 messages', { messages: Array.from({ length: 101 }, () => turn('hej')) }, 'messages'],
    ['last message from the assistant', { messages: [turn('hej'), turn('svar', 'assistant')] }, 'messages'],
    ['bad role', { messages: [turn('hej', 'system')] }, 'messages[0].role'],
    ['empty content', { messages: [turn('')] }, 'messages[0].content'],
    ['a user turn over 2000 characters', { messages: [turn('a'.repeat(2001))] }, 'messages[0].content'],
    ['an assistant turn over 50000 characters', { messages: [turn('hej'), turn('a'.repeat(50_001), 'assistant'), turn('och?')] }, 'messages[1].content'],
    ['content of the wrong type', { messages: [{ role: 'user', content: ['x'] }] }, 'messages[0].content'],
    ['stream not a boolean', { messages: [turn('hej')], stream: 'yes' }, 'stream'],
    ['unknown filter key', { messages: [turn('hej')], filter: { colour: 'red' } }, 'filter'],
    ['unknown message key', { messages: [{ role: 'user', content: 'hej', name: 'x' }] }, 'messages[0]'],
  ];
  for (const [name, body, field] of cases) {
    it(`400 for ${name}, naming ${field}`, async () => {
      const response = await app.request('/api/chat', json(body));
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.code).toBe('bad_request');
      expect(error.message).toContain(field);
    });
  }

  it('provider errors are mapped to 502 with a clean message', async () => {
    const failing = createApp({ assistant: createFakeAssistant({ failBeforeStart: new AppError('provider_error', 'upstream said: secret-internal-detail') }) });
    const response = await failing.request('/api/chat', json({ messages: [turn('hej')] }));
    expect(response.status).toBe(502);
    const error = await errorOf(response);
    expect(error.code).toBe('provider_error');
    expect(error.message).not.toContain('secret');
  });
});

describe('POST /api/feedback', () => {
  it('appends one JSON line per feedback and answers 201', async () => {
    const file = join(temporary, 'nested', 'feedback.jsonl');
    const app = createApp({ assistant: createFakeAssistant(), feedback: createJsonlFeedbackSink({ file }) });
    const first = { messages: [{ role: 'user', content: 'Vad gäller?\nRad två' }], answer: 'Svar [1]', rating: 'up' };
    const second = { messages: [{ role: 'user', content: 'Och sen?' }], answer: 'Annat', rating: 'down', comment: 'Fel nämnd' };
    const before = Date.now();
    const responses = await Promise.all([app.request('/api/feedback', json(first)), app.request('/api/feedback', json(second))]);
    for (const response of responses) {
      expect(response.status).toBe(201);
      expect(await response.json()).toEqual({ ok: true });
    }
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines.at(-1)).toBe('');
    const entries = lines.slice(0, -1).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toHaveLength(2);
    const byRating = Object.fromEntries(entries.map((entry) => [entry.rating, entry]));
    expect(byRating.up).toMatchObject(first);
    expect(byRating.down).toMatchObject(second);
    for (const entry of entries) {
      const time = Date.parse(entry.timestamp as string);
      expect(time).toBeGreaterThanOrEqual(before - 1000);
      expect(entry.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });

  it('validates rating, comment length and body size', async () => {
    const file = join(temporary, 'rejected.jsonl');
    const app = createApp({ assistant: createFakeAssistant(), feedback: createJsonlFeedbackSink({ file }) });
    const base = { messages: [{ role: 'user', content: 'x' }], answer: 'y', rating: 'up' };
    const badRating = await app.request('/api/feedback', json({ ...base, rating: 'meh' }));
    expect(badRating.status).toBe(400);
    expect((await errorOf(badRating)).message).toContain('rating');
    const longComment = await app.request('/api/feedback', json({ ...base, comment: 'c'.repeat(2001) }));
    expect(longComment.status).toBe(400);
    expect((await errorOf(longComment)).message).toContain('comment');
    const huge = await app.request('/api/feedback', json({ ...base, answer: 'a'.repeat(1100 * 1024) }));
    expect(huge.status).toBe(413);
    const missing = await app.request('/api/feedback', json({ rating: 'up' }));
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).message).toMatch(/messages.*answer|answer.*messages/);
    await expect(readFile(file, 'utf8')).rejects.toThrow();
  });

  it('a failing sink is a 500 with a generic message', async () => {
    const app = createApp({
      assistant: createFakeAssistant(),
      feedback: {
        async append() {
          throw new Error('EACCES: permission denied, open /var/secret');
        },
      },
    });
    const response = await app.request('/api/feedback', json({ messages: [{ role: 'user', content: 'x' }], answer: 'y', rating: 'down' }));
    expect(response.status).toBe(500);
    expect((await errorOf(response)).message).not.toContain('secret');
  });
});

describe('CORS', () => {
  const app = createApp({ assistant: createFakeAssistant(), allowedOrigins: ['https://goteborg.se'] });
  const preflight = (origin: string, path = '/api/chat') =>
    app.request(path, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });

  it('answers preflight requests from allowed origins', async () => {
    const response = await preflight('https://goteborg.se');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://goteborg.se');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
    expect(response.headers.get('vary')).toContain('Origin');
  });

  it('refuses preflight requests from other origins with 403 JSON and no CORS headers', async () => {
    const response = await preflight('https://evil.example');
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect((await errorOf(response)).code).toBe('forbidden_origin');
  });

  it('adds CORS headers to actual requests from allowed origins only', async () => {
    const allowed = await app.request('/api/search', json({ query: 'familjehem' }, { Origin: 'https://goteborg.se' }));
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://goteborg.se');
    const other = await app.request('/api/documents', { headers: { Origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('same-origin requests always work', async () => {
    const closed = createApp({ assistant: createFakeAssistant(), allowedOrigins: [] });
    const response = await closed.request('http://localhost/api/search', json({ query: 'familjehem' }, { Origin: 'http://localhost' }));
    expect(response.status).toBe(200);
    const sameOriginPreflight = await closed.request('http://localhost/api/chat', {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost', 'Access-Control-Request-Method': 'POST' },
    });
    expect(sameOriginPreflight.status).toBe(204);
    const foreign = await closed.request('http://localhost/api/chat', {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' },
    });
    expect(foreign.status).toBe(403);
  });

  it('* allows every origin', async () => {
    const open = createApp({ assistant: createFakeAssistant(), allowedOrigins: ['*'] });
    const response = await open.request('/api/chat', {
      method: 'OPTIONS',
      headers: { Origin: 'https://anything.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('rate limit', () => {
  it('429 with Retry-After after the limit, per client, on chat and search only; resets after a minute', async () => {
    let now = 1_000_000;
    const app = createApp({ assistant: createFakeAssistant(), rateLimitPerMinute: 3, now: () => now });
    const from = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });
    const search = (address: string) => app.request('/api/search', json({ query: 'familjehem' }), from(address));
    const chat = (address: string) => app.request('/api/chat', json({ messages: [{ role: 'user', content: 'hej' }] }), from(address));

    expect((await search('10.0.0.1')).status).toBe(200);
    expect((await chat('10.0.0.1')).status).toBe(200);
    expect((await search('10.0.0.1')).status).toBe(200);
    now += 15_000;
    const limited = await chat('10.0.0.1');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('45');
    expect((await errorOf(limited)).code).toBe('rate_limited');

    // Another client and other endpoints are not affected.
    expect((await search('10.0.0.2')).status).toBe(200);
    expect((await app.request('/api/documents', {}, from('10.0.0.1'))).status).toBe(200);

    now += 45_000;
    expect((await search('10.0.0.1')).status).toBe(200);
  });

  it('0 turns the limit off', async () => {
    const app = createApp({ assistant: createFakeAssistant(), rateLimitPerMinute: 0 });
    for (let index = 0; index < 5; index++) expect((await app.request('/api/search', json({ query: 'x' }))).status).toBe(200);
  });

  it('the limiter does not grow without bound', () => {
    let now = 0;
    const limiter = createRateLimiter({ limit: 1, now: () => now, maxClients: 10 });
    for (let index = 0; index < 100; index++) expect(limiter.hit(`client-${index}`).allowed).toBe(true);
    // A fresh key after sweeping still works and the most recent clients are still limited.
    expect(limiter.hit('client-99').allowed).toBe(false);
    now += 60_000;
    expect(limiter.hit('client-99').allowed).toBe(true);
  });
});

describe('OpenAPI', () => {
  const app = createApp({ assistant: createFakeAssistant() });

  it('GET /api/openapi.json documents every route', async () => {
    const response = await app.request('/api/openapi.json');
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };
    expect(document.openapi).toMatch(/^3\./);
    const operations = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual(
      [
        'GET /healthz',
        'GET /api/documents',
        'GET /api/documents/{id}',
        'GET /api/chunks/{id}',
        'POST /api/search',
        'POST /api/chat',
        'POST /api/feedback',
        'GET /api/openapi.json',
        'GET /api/docs',
        'POST /v1/chat/completions',
        'GET /v1/models',
        'GET /v1/models/{model}',
      ].sort(),
    );
    const searchBody = (document.paths['/api/search'].post as { requestBody: { content: Record<string, { schema: { $ref?: string } }> } }).requestBody;
    expect(searchBody.content['application/json'].schema.$ref).toBe('#/components/schemas/SearchRequest');
    const searchRequest = document.components.schemas.SearchRequest as { properties: Record<string, { maximum?: number }>; required: string[] };
    expect(searchRequest.required).toEqual(['query']);
    expect(searchRequest.properties.k.maximum).toBe(50);
    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(['ChatRequest', 'ChatResponse', 'Citation', 'Error', 'FeedbackRequest']));
  });

  it('GET /api/docs is a self-contained HTML page naming every path', async () => {
    const response = await app.request('/api/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    for (const path of ['/healthz', '/api/documents/{id}', '/api/chunks/{id}', '/api/search', '/api/chat', '/api/feedback']) expect(html).toContain(path);
    expect(html).toContain('text-delta');
    expect(html).not.toMatch(/<script|https?:\/\/cdn|<link[^>]+stylesheet/i);
  });
});

describe('widget mount', () => {
  it('serves the sub-app at / after the API routes', async () => {
    const widget = new Hono();
    widget.get('/', (context) => context.html('<p>widget</p>'));
    widget.get('/widget.js', (context) => context.body('console.log(1)', 200, { 'Content-Type': 'text/javascript' }));
    const app = createApp({ assistant: createFakeAssistant(), widget });
    expect(await (await app.request('/')).text()).toBe('<p>widget</p>');
    expect((await app.request('/widget.js')).status).toBe(200);
    expect((await app.request('/healthz')).status).toBe(200);
    expect((await app.request('/nope')).status).toBe(404);
  });
});
