/**
 * The optional cross-encoder stage: the `/rerank` HTTP client against fake rerank servers on 127.0.0.1 (good, TEI
 * shape, slow, failing, malformed), the time budget and fallback of the core reranker, and the assistant with a
 * reranker over fictional documents (it reorders; it never brings in another nämnd's passages).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createRerankClient, parseRerankResponse, rerankEndpoint } from '../src/adapters/rerank-client.ts';
import { parseConfig } from '../src/config.ts';
import { applyRerankScores, createReranker, type CrossEncoder, rerankText } from '../src/core/retrieval/rerank.ts';
import type { ScoredChunk } from '../src/core/types.ts';
import { fixtureAssistant } from './helpers/fixture-assistant.ts';

interface RerankBody {
  model?: string;
  query: string;
  documents: string[];
  texts?: string[];
  top_n?: number;
}

type Handler = (body: RerankBody, request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** A fake rerank server; `handler` answers each POST. */
async function fakeRerankServer(handler: Handler): Promise<{ url: string; requests: Array<{ body: RerankBody; headers: IncomingMessage['headers']; path: string }> }> {
  const requests: Array<{ body: RerankBody; headers: IncomingMessage['headers']; path: string }> = [];
  const server = createServer(async (request, response) => {
    let raw = '';
    for await (const piece of request) raw += piece;
    const body = JSON.parse(raw) as RerankBody;
    requests.push({ body, headers: request.headers, path: request.url ?? '' });
    await handler(body, request, response);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const json = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};

/** Scores by how many of the query's words a document contains (a deliberately simple "good" cross-encoder). */
function overlapScores(body: RerankBody): Array<{ index: number; relevance_score: number }> {
  const words = new Set(body.query.toLowerCase().match(/\p{L}{4,}/gu) ?? []);
  return body.documents.map((document, index) => ({
    index,
    relevance_score: [...words].filter((word) => document.toLowerCase().includes(word)).length / Math.max(1, words.size),
  }));
}

function candidate(id: string, text: string, score: number): ScoredChunk {
  return {
    chunk: { id, documentId: 'd', position: 0, section: ['Avsnitt'], kind: 'text', text, originalText: text, start: 0, end: text.length, context: '' },
    document: { id: 'd', source: 'd.txt', title: 'D', committee: 'Stadsmiljönämnden', committeeId: 'stadsmiljonamnden', type: 'verksamhetsplan', status: 'beslutad', contentHash: 'x' },
    score,
  };
}

const CANDIDATES = [
  candidate('a', 'Nämnden ska minska buller längs större vägar.', 0.9),
  candidate('b', 'Cykelvägar ska byggas ut i ytterstaden under året.', 0.8),
  candidate('c', 'Gatubelysning byts till LED.', 0.7),
];

function recordingLogger() {
  const warnings: Array<{ message: string; fields?: Record<string, unknown> }> = [];
  return { warnings, warn: (message: string, fields?: Record<string, unknown>) => warnings.push({ message, fields }) };
}

describe('rerank client', () => {
  it('sends {model, query, documents, top_n} with the API key and reads {results: [{index, relevance_score}]}', async () => {
    const fake = await fakeRerankServer((body, _request, response) => json(response, 200, { results: overlapScores(body) }));
    const client = createRerankClient({ url: fake.url, model: 'bge-reranker-v2-m3', apiKey: 'secret-key' });
    const scores = await client.score('cykelvägar ytterstaden', CANDIDATES.map((item) => item.chunk.text));
    expect(fake.requests[0].path).toBe('/rerank');
    expect(fake.requests[0].headers.authorization).toBe('Bearer secret-key');
    expect(fake.requests[0].body).toMatchObject({ model: 'bge-reranker-v2-m3', query: 'cykelvägar ytterstaden', top_n: 3 });
    expect(fake.requests[0].body.documents).toHaveLength(3);
    expect(scores.find((score) => score.index === 1)!.score).toBeGreaterThan(scores.find((score) => score.index === 0)!.score);
    expect(client.modelId).toBe('rerank:bge-reranker-v2-m3');
  });

  it("reads TEI's bare array [{index, score}] (and TEI's `texts` field is sent)", async () => {
    const fake = await fakeRerankServer((body, _request, response) =>
      json(response, 200, body.texts!.map((_, index) => ({ index, score: index === 2 ? 5 : -1 })).reverse()),
    );
    const scores = await createRerankClient({ url: `${fake.url}/rerank` }).score('belysning', ['x', 'y', 'z']);
    expect(scores.sort((a, b) => b.score - a.score)[0]).toEqual({ index: 2, score: 5 });
    expect(fake.requests[0].body.model).toBeUndefined();
  });

  it('endpoints and response shapes', () => {
    expect(rerankEndpoint('http://h:8080')).toBe('http://h:8080/rerank');
    expect(rerankEndpoint('https://api.example.com/v1/')).toBe('https://api.example.com/v1/rerank');
    expect(rerankEndpoint('https://api.example.com/v2/rerank')).toBe('https://api.example.com/v2/rerank');
    expect(() => parseRerankResponse({ data: [] })).toThrow(/unexpected body/);
    expect(() => parseRerankResponse([{ index: 0 }])).toThrow(/score/);
  });

  it('RERANK_* configuration is validated and optional', () => {
    expect(parseConfig({}).rerank).toBeUndefined();
    expect(parseConfig({ RERANK_URL: 'http://127.0.0.1:8080', RERANK_MODEL: 'm', RERANK_TIMEOUT_MS: '800' }).rerank).toEqual({
      url: 'http://127.0.0.1:8080',
      model: 'm',
      timeoutMs: 800,
    });
    expect(() => parseConfig({ RERANK_URL: 'not a url' })).toThrow(/RERANK_URL/);
    expect(() => parseConfig({ RERANK_URL: 'http://h', RERANK_TIMEOUT_MS: 'soon' })).toThrow(/RERANK_TIMEOUT_MS/);
  });
});

describe('reranker: budget and fallback', () => {
  it('reorders by the model and turns the order into a fused-scale prior', async () => {
    const fake = await fakeRerankServer((body, _request, response) => json(response, 200, { results: overlapScores(body) }));
    const reranker = createReranker({ crossEncoder: createRerankClient({ url: fake.url }), timeoutMs: 2000 });
    const reordered = await reranker.rerank('Gatubelysning LED', CANDIDATES);
    expect(reordered.map((item) => item.chunk.id)[0]).toBe('c');
    expect(reordered.map((item) => item.chunk.id).sort()).toEqual(['a', 'b', 'c']);
    expect(reordered[0].score).toBeGreaterThan(reordered[1].score);
  });

  it('a slow reranker is abandoned at the budget: builtin order, a warning, and the request is aborted', async () => {
    let aborted = false;
    const fake = await fakeRerankServer(async (body, request, response) => {
      request.socket.once('close', () => (aborted = true));
      await new Promise((resolve) => setTimeout(resolve, 3000));
      if (!response.destroyed) json(response, 200, { results: overlapScores(body) });
    });
    const logger = recordingLogger();
    const reranker = createReranker({ crossEncoder: createRerankClient({ url: fake.url }), timeoutMs: 200, logger });
    const started = Date.now();
    const result = await reranker.rerank('Gatubelysning LED', CANDIDATES);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(result).toBe(CANDIDATES);
    expect(logger.warnings[0].message).toMatch(/builtin ranking/);
    expect(String(logger.warnings[0].fields?.error)).toMatch(/200 ms/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(aborted).toBe(true);
  });

  it('a failing or malformed reranker falls back to the builtin order with a warning', async () => {
    for (const answer of [
      (response: ServerResponse) => json(response, 500, { error: 'model not loaded' }),
      (response: ServerResponse) => json(response, 200, { unexpected: true }),
      (response: ServerResponse) => json(response, 200, { results: [] }),
    ]) {
      const fake = await fakeRerankServer((_body, _request, response) => answer(response));
      const logger = recordingLogger();
      const reranker = createReranker({ crossEncoder: createRerankClient({ url: fake.url }), logger });
      expect(await reranker.rerank('LED', CANDIDATES)).toBe(CANDIDATES);
      expect(logger.warnings).toHaveLength(1);
    }
    const refused = createReranker({ crossEncoder: createRerankClient({ url: 'http://127.0.0.1:1' }), logger: recordingLogger() });
    expect(await refused.rerank('LED', CANDIDATES)).toBe(CANDIDATES);
  });

  it('unscored, duplicate and out-of-range indices never lose or invent candidates', () => {
    const reordered = applyRerankScores(CANDIDATES, [
      { index: 2, score: 1 },
      { index: 2, score: 3 },
      { index: 7, score: 9 },
      { index: -1, score: 9 },
      { index: 0, score: Number.NaN },
    ]);
    expect(reordered.map((item) => item.chunk.id)).toEqual(['c', 'a', 'b']);
  });

  it('only the first maxCandidates are sent; the rest follow in their order', async () => {
    const seen: number[] = [];
    const encoder: CrossEncoder = {
      modelId: 'fake',
      async score(_query, documents) {
        seen.push(documents.length);
        return documents.map((_, index) => ({ index, score: index }));
      },
    };
    const result = await createReranker({ crossEncoder: encoder, maxCandidates: 2 }).rerank('x', CANDIDATES);
    expect(seen).toEqual([2]);
    expect(result.map((item) => item.chunk.id)).toEqual(['b', 'a', 'c']);
    expect(result[2].score).toBeLessThan(result[1].score);
  });
});

describe('assistant with a reranker (fictional documents)', () => {
  it('reorders search results, and only ever sees the passages the nämnd filter lets through', async () => {
    const queries: Array<{ query: string; documents: string[] }> = [];
    // A "reranker" that prefers whatever mentions Stadsmiljönämnden: it must not be able to bring such passages in.
    const encoder: CrossEncoder = {
      modelId: 'fake',
      async score(query, documents) {
        queries.push({ query, documents });
        return documents.map((document, index) => ({ index, score: (/stadsmilj/i.test(document) ? 10 : 0) - index * 0.01 + (/timmar/.test(document) ? 5 : 0) }));
      },
    };
    const { assistant, store } = await fixtureAssistant({ reranker: createReranker({ crossEncoder: encoder }) });
    const idrott = new Set((await store.listDocuments()).filter((document) => document.committee === 'Idrotts- och föreningsnämnden').map((document) => document.id));
    const allowed = new Set(
      (await store.allChunks()).filter((chunk) => idrott.has(chunk.documentId)).map((chunk) => rerankText({ chunk, document: undefined as never, score: 0 })),
    );
    expect(allowed.size).toBeGreaterThan(0);
    const { assistant: plain } = await fixtureAssistant();
    const question = 'Vilka indikatorer har idrotts- och föreningsnämnden?';
    const ranked = await assistant.search({ query: question, k: 5 });
    const builtin = await plain.search({ query: question, k: 5 });
    expect(queries.length).toBeGreaterThan(0);
    expect(ranked.results.every((result) => result.document.committee === 'Idrotts- och föreningsnämnden')).toBe(true);
    expect(ranked.results.map((result) => result.id)).not.toEqual(builtin.results.map((result) => result.id));
    expect(ranked.results[0].text).toMatch(/timmar/);

    let answer;
    for await (const event of assistant.chat({ messages: [{ role: 'user', content: question }] })) if (event.type === 'done') answer = event;
    expect(answer!.citations.length).toBeGreaterThan(0);
    expect(answer!.citations.every((citation) => citation.document.committee === 'Idrotts- och föreningsnämnden')).toBe(true);
    // Everything the reranker saw for the nämnd's questions came from that nämnd's documents (the filter ran first).
    for (const { documents } of queries) for (const document of documents) expect(allowed.has(document), document.slice(0, 80)).toBe(true);
  });

  it('a failing reranker leaves answers as they were', async () => {
    const encoder: CrossEncoder = {
      modelId: 'broken',
      async score() {
        throw new Error('connection refused');
      },
    };
    const logger = recordingLogger();
    const { assistant } = await fixtureAssistant({ reranker: createReranker({ crossEncoder: encoder, logger }) });
    const { assistant: plain } = await fixtureAssistant();
    const question = 'Vad är målvärdet för andelen flickor bland aktiva i föreningar?';
    const collect = async (which: typeof assistant) => {
      for await (const event of which.chat({ messages: [{ role: 'user', content: question }] })) if (event.type === 'done') return event.answer;
    };
    expect(await collect(assistant)).toBe(await collect(plain));
    expect(logger.warnings.length).toBeGreaterThan(0);
  });
});
