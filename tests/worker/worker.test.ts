/**
 * The deployed Worker (src/main-worker.ts with wrangler.toml's bindings and dist/worker-bundle.json), run in workerd.
 */
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { parseSse } from '../../src/http/sse.ts';

const CENTRUM_SOURCES = ['002_a78cf953a858aaff.txt', '004_6b9fbc6b6a484550.txt'];
const NORDOST_SOURCE = '001_685a6afae0d19dc8.txt';

function request(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(`https://planassistenten.example${path}`, init);
}

function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return request(path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

interface SearchResponse {
  query: string;
  results: Array<{ id: string; score: number; text: string; section: string; document: { id: string; source: string; committee: string } }>;
}

interface ChatResponse {
  answer: string;
  abstained: boolean;
  answerer: string;
  citations: Array<{ marker: number; id: string; text: string; document: { source: string; committee: string } }>;
}

describe('Worker: health and documents', () => {
  it('GET /healthz shows the 5 bundled documents and the builtin embedder', async () => {
    const response = await request('/healthz');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; documents: number; chunks: number; embedder: string };
    expect(body.status).toBe('ok');
    expect(body.documents).toBe(5);
    expect(body.chunks).toBeGreaterThan(5);
    expect(body.embedder).toBe('builtin-hash-v2');
  });

  it('GET /api/documents lists the corpus files by their unchanged names', async () => {
    const response = await request('/api/documents');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { documents: Array<{ source: string; chunks: number }> };
    expect(body.documents.map((document) => document.source).sort()).toEqual([
      '000_2e06263a4aea9303.txt',
      '001_685a6afae0d19dc8.txt',
      '002_a78cf953a858aaff.txt',
      '003_17685376f62255a5.txt',
      '004_6b9fbc6b6a484550.txt',
    ]);
    expect(body.documents.every((document) => document.chunks > 0)).toBe(true);
  });
});

describe('Worker: search', () => {
  it('POST /api/search "familjehem Centrum" returns Centrum passages about familjehem, none from Nordost', async () => {
    const response = await postJson('/api/search', { query: 'familjehem Centrum', k: 5 });
    expect(response.status).toBe(200);
    const body = (await response.json()) as SearchResponse;
    expect(body.results.length).toBeGreaterThan(0);
    for (const result of body.results) {
      expect(CENTRUM_SOURCES).toContain(result.document.source);
      expect(result.document.source).not.toBe(NORDOST_SOURCE);
    }
    expect(body.results[0].text.toLowerCase()).toContain('familjehem');
  });

  it('repairs a query with split diacritics using the bundled vocabulary ("fo rvaltningen" finds förvaltningen)', async () => {
    const response = await postJson('/api/search', { query: 'fo rvaltningen', k: 3 });
    expect(response.status).toBe(200);
    const body = (await response.json()) as SearchResponse;
    expect(body.results.length).toBeGreaterThan(0);
    expect(body.results[0].text.toLowerCase()).toMatch(/förvaltning/);
  });
});

describe('Worker: chat', () => {
  const question = { messages: [{ role: 'user', content: 'Vilka uppdrag har socialnämnden Centrum om familjehem?' }] };

  it('POST /api/chat (JSON) answers with citations of Centrum documents', async () => {
    const response = await postJson('/api/chat', question);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await response.json()) as ChatResponse;
    expect(body.abstained).toBe(false);
    expect(body.answerer).toBe('extractive');
    expect(body.answer.length).toBeGreaterThan(0);
    expect(body.citations.length).toBeGreaterThan(0);
    for (const citation of body.citations) {
      expect(CENTRUM_SOURCES).toContain(citation.document.source);
      expect(body.answer).toContain(`[${citation.marker}]`);
    }
    expect(body.citations.some((citation) => citation.text.toLowerCase().includes('familjehem'))).toBe(true);
  });

  it('POST /api/chat with Accept: text/event-stream streams citations, text deltas and done', async () => {
    const response = await postJson('/api/chat', question, { Accept: 'text/event-stream' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = parseSse(await response.text());
    const names = events.map((event) => event.event);
    expect(names[0]).toBe('citations');
    expect(names[names.length - 1]).toBe('done');
    expect(names).toContain('text-delta');
    expect(names).not.toContain('error');
    const done = JSON.parse(events[events.length - 1].data) as ChatResponse;
    expect(done.citations.length).toBeGreaterThan(0);
    expect(done.citations.every((citation) => CENTRUM_SOURCES.includes(citation.document.source))).toBe(true);
    const streamed = events
      .filter((event) => event.event === 'text-delta')
      .map((event) => (JSON.parse(event.data) as { text: string }).text)
      .join('');
    expect(streamed).toBe(done.answer);
  });

  it('abstains on a question the documents do not answer', async () => {
    const response = await postJson('/api/chat', { messages: [{ role: 'user', content: 'Vad kostar en bussbiljett i Stockholm?' }] });
    expect(response.status).toBe(200);
    const body = (await response.json()) as ChatResponse;
    expect(body.abstained).toBe(true);
    expect(body.citations).toEqual([]);
  });
});

describe('Worker: bad input', () => {
  it.each([
    ['search without a query', '/api/search', { k: 3 }],
    ['search with k out of range', '/api/search', { query: 'familjehem', k: 500 }],
    ['chat without messages', '/api/chat', { messages: [] }],
    ['chat ending with an assistant turn', '/api/chat', { messages: [{ role: 'assistant', content: 'Hej' }] }],
  ])('400 JSON error for %s', async (_name, path, body) => {
    const response = await postJson(path, body);
    expect(response.status).toBe(400);
    const error = (await response.json()) as { error: { code: string; message: string } };
    expect(error.error.code).toBe('bad_request');
    expect(error.error.message.length).toBeGreaterThan(0);
  });

  it('400 for a body that is not JSON', async () => {
    const response = await request('/api/chat', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"messages": [' });
    expect(response.status).toBe(400);
    const error = (await response.json()) as { error: { code: string } };
    expect(error.error.code).toBe('bad_request');
  });

  it('404 JSON error for an unknown route', async () => {
    const response = await request('/api/nothing-here');
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});

describe('Worker: widget', () => {
  it('serves the bundled widget script', async () => {
    const response = await request('/widget.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect((await response.text()).length).toBeGreaterThan(1000);
  });
});
