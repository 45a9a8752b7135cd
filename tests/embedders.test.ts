import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbedderFromConfig, createOpenAIEmbedder, embedderConfigFromEnv } from '../src/adapters/openai-embedder.ts';
import { embedInBatches, splitIntoBatches } from '../src/core/embedding/batch.ts';
import { createHashedEmbedder, stemWord, textSearchTerms } from '../src/core/embedding/hashed-embedder.ts';
import { AppError } from '../src/core/types.ts';
import { fakeEmbedding, startFakeOpenAI, type FakeOpenAI } from './fakes/fake-openai-server.ts';

const dot = (a: number[], b: number[]) => a.reduce((sum, value, index) => sum + value * b[index], 0);
const norm = (a: number[]) => Math.sqrt(dot(a, a));

describe('hashed embedder', () => {
  const embedder = createHashedEmbedder();
  const embedOne = async (text: string) => (await embedder.embed([text], { inputType: 'document' }))[0];

  it('is deterministic, L2-normalised and of the configured size', async () => {
    const text = 'Socialnämnden Centrum ska öka andelen familjehem i egen regi.';
    const [first, second] = await embedder.embed([text, text], { inputType: 'document' });
    const third = (await createHashedEmbedder().embed([text], { inputType: 'query' }))[0];
    expect(first).toHaveLength(1024);
    expect(first).toEqual(second);
    expect(first).toEqual(third);
    expect(norm(first)).toBeCloseTo(1, 6);
    expect(embedder.modelId).toBe('builtin-hash-v2');
    const small = createHashedEmbedder({ dimensions: 256 });
    expect((await small.embed(['hej'], { inputType: 'query' }))[0]).toHaveLength(256);
    expect(small.dimensions).toBe(256);
  });

  it('rejects bad dimensions', () => {
    expect(() => createHashedEmbedder({ dimensions: 10 })).toThrow(/dimensions/);
    expect(() => createHashedEmbedder({ dimensions: 100.5 })).toThrow(/dimensions/);
  });

  it('keeps å, ä, ö (text made only of them is not empty) and gives an empty text the zero vector', async () => {
    const onlyDiacritics = await embedOne('åäö ÅÄÖ ö å');
    expect(norm(onlyDiacritics)).toBeCloseTo(1, 6);
    const empty = await embedOne('   ');
    expect(norm(empty)).toBe(0);
    // "nämnden" and its folded spelling share all features.
    expect(dot(await embedOne('nämnden'), await embedOne('namnden'))).toBeCloseTo(1, 6);
  });

  it('relates inflections, compounds and OCR-damaged words more than unrelated words', async () => {
    const familjehem = await embedOne('familjehem');
    const unrelated = await embedOne('budgetramar');
    expect(dot(familjehem, await embedOne('familjehemmen'))).toBeGreaterThan(dot(familjehem, unrelated) + 0.3);
    expect(dot(familjehem, await embedOne('familjehemsplacering'))).toBeGreaterThan(dot(familjehem, unrelated) + 0.15);
    const namnden = await embedOne('ska nämnden fokusera på förebyggande insatser');
    const damaged = await embedOne('ska ndmnden fokusera pé férebyggande insatser');
    const other = await embedOne('kommunfullmäktige beslutar om budgeten för Göteborg');
    expect(dot(namnden, damaged)).toBeGreaterThan(dot(namnden, other) + 0.3);
  });

  it('stems for matching: familjehemmen → familjehem, nämnderna → nämnd; stop words dropped from search terms', () => {
    expect(stemWord('familjehemmen')).toBe('familjehem');
    expect(stemWord('familjehem')).toBe('familjehem');
    expect(stemWord('nämnderna')).toBe('nämnd');
    expect(textSearchTerms('Vilka uppdrag har Socialnämnden om familjehemmen?')).toEqual(['uppdrag', 'socialnamnd', 'familjehem']);
  });
});

describe('batching', () => {
  it('splits by size and embeds batch by batch in order', async () => {
    expect(splitIntoBatches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(() => splitIntoBatches([1], 0)).toThrow(RangeError);
    const seen: number[] = [];
    const embedder = { ...createHashedEmbedder({ dimensions: 64 }), maxBatchSize: 3 };
    const calls: number[] = [];
    const counting = { ...embedder, embed: (texts: string[], options: { inputType: 'query' | 'document' }) => (calls.push(texts.length), embedder.embed(texts, options)) };
    const texts = ['a b', 'c d', 'e f', 'g h', 'i j', 'k l', 'm n'];
    const vectors = await embedInBatches(counting, texts, { inputType: 'document', onBatch: (done) => seen.push(done) });
    expect(calls).toEqual([3, 3, 1]);
    expect(seen).toEqual([3, 6, 7]);
    expect(vectors).toEqual(await embedder.embed(texts, { inputType: 'document' }));
  });
});

describe('OpenAI-compatible embedder against the fake server', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI({ embeddingDimensions: 48, apiKey: 'sk-secret-test-key' });
  });
  afterAll(async () => {
    await fake.close();
  });
  const options = () => ({ apiKey: 'sk-secret-test-key', baseURL: fake.url, model: 'fake-embedding', retryBaseDelayMs: 1 });

  it('decodes base64 float32 vectors (the SDK default) and learns the dimensions from the first response', async () => {
    const embedder = createOpenAIEmbedder(options());
    expect(embedder.modelId).toBe('openai:fake-embedding');
    expect(embedder.dimensions).toBe(0);
    const before = fake.embeddingRequests().length;
    const texts = ['Socialnämnden Centrum', 'Göteborgs Stads budget för 2025', 'åäö'];
    const vectors = await embedder.embed(texts, { inputType: 'document' });
    expect(embedder.dimensions).toBe(48);
    const request = fake.embeddingRequests()[before];
    expect(request.body.encoding_format).toBe('base64');
    expect(request.body.input).toEqual(texts);
    expect(request.headers.authorization).toBe('Bearer sk-secret-test-key');
    texts.forEach((text, index) => {
      const expected = fakeEmbedding(text, 48);
      vectors[index].forEach((value, position) => expect(value).toBeCloseTo(expected[position], 6));
    });
  });

  it('sends configured dimensions and batches by maxBatchSize, keeping input order', async () => {
    const embedder = createOpenAIEmbedder({ ...options(), dimensions: 16, maxBatchSize: 2 });
    const before = fake.embeddingRequests().length;
    const texts = ['ett', 'två', 'tre', 'fyra', 'fem'];
    const vectors = await embedder.embed(texts, { inputType: 'document' });
    const requests = fake.embeddingRequests().slice(before);
    expect(requests.map((request) => request.body.input)).toEqual([['ett', 'två'], ['tre', 'fyra'], ['fem']]);
    expect(requests.every((request) => request.body.dimensions === 16)).toBe(true);
    expect(vectors.map((vector) => vector.length)).toEqual([16, 16, 16, 16, 16]);
    expect(dot(vectors[4], fakeEmbedding('fem', 16))).toBeCloseTo(1, 5);
  });

  it('retries on 429 and 500 and a dropped connection, then succeeds', async () => {
    const embedder = createOpenAIEmbedder(options());
    fake.failNextEmbeddings({ status: 429 }, { status: 500 }, { network: true });
    const before = fake.embeddingRequests().length;
    const [vector] = await embedder.embed(['familjehem'], { inputType: 'query' });
    expect(fake.embeddingRequests().length - before).toBe(4);
    expect(dot(vector, fakeEmbedding('familjehem', 48))).toBeCloseTo(1, 5);
  });

  it('fails with a clear provider_error naming model and base URL, never the key, after the retries', async () => {
    const embedder = createOpenAIEmbedder({ ...options(), maxRetries: 2 });
    fake.failNextEmbeddings({ status: 429, message: 'Rate limit reached' }, { status: 429 }, { status: 429 });
    const before = fake.embeddingRequests().length;
    const error = await embedder.embed(['x'], { inputType: 'query' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('provider_error');
    expect((error as AppError).message).toContain('fake-embedding');
    expect((error as AppError).message).toContain(fake.url);
    expect((error as AppError).message).toContain('after 3 attempts');
    expect((error as AppError).message).toContain('429');
    expect((error as AppError).message).not.toContain('sk-secret-test-key');
    expect(fake.embeddingRequests().length - before).toBe(3);
  });

  it('does not retry a 4xx such as a wrong key', async () => {
    const embedder = createOpenAIEmbedder({ ...options(), apiKey: 'sk-wrong-key' });
    const before = fake.embeddingRequests().length;
    const error = (await embedder.embed(['x'], { inputType: 'query' }).catch((caught: unknown) => caught)) as AppError;
    expect(error.code).toBe('provider_error');
    expect(error.message).toMatch(/HTTP 401/);
    expect(error.message).not.toContain('sk-wrong-key');
    expect(fake.embeddingRequests().length - before).toBe(1);
  });

  it('fails clearly when the server is unreachable', async () => {
    const closed = await startFakeOpenAI();
    const url = closed.url;
    await closed.close();
    const embedder = createOpenAIEmbedder({ baseURL: url, model: 'm', maxRetries: 1, retryBaseDelayMs: 1 });
    const error = (await embedder.embed(['x'], { inputType: 'query' }).catch((caught: unknown) => caught)) as AppError;
    expect(error.code).toBe('provider_error');
    expect(error.message).toContain(url);
    expect(error.message).toMatch(/connection failed|after 2 attempts/);
  });

  it('supports Azure-style api-version and api-key header, and query/document prefixes', async () => {
    const embedder = createOpenAIEmbedder({ ...options(), apiVersion: '2024-10-21', queryPrefix: 'query: ', documentPrefix: 'passage: ' });
    const before = fake.requests.length;
    await embedder.embed(['hej'], { inputType: 'query' });
    await embedder.embed(['hej'], { inputType: 'document' });
    const [query, document] = fake.requests.slice(before);
    expect(query.query['api-version']).toBe('2024-10-21');
    expect(query.headers['api-key']).toBe('sk-secret-test-key');
    expect(query.body.input).toEqual(['query: hej']);
    expect(document.body.input).toEqual(['passage: hej']);
  });
});

describe('fake OpenAI server', () => {
  it('answers float embeddings, models, and chat completions streamed and not streamed', async () => {
    const fake = await startFakeOpenAI({ chatReplies: [{ text: 'Hej från fejkservern [1].', chunkSize: 5 }, { text: 'Icke-strömmat svar.' }, { status: 503, message: 'overloaded' }] });
    try {
      const floats = await fetch(`${fake.url}/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'm', input: 'åäö', encoding_format: 'float' }),
      }).then((response) => response.json());
      expect(floats.data[0].embedding).toEqual(fakeEmbedding('åäö', 64));
      expect(norm(fakeEmbedding('åäö', 64))).toBeCloseTo(1, 6);
      expect(fakeEmbedding('å', 64)).not.toEqual(fakeEmbedding('a', 64));

      const client = new OpenAI({ apiKey: 'k', baseURL: fake.url, maxRetries: 0 });
      expect((await client.models.list()).data.map((model) => model.id)).toContain('fake-chat');
      const stream = await client.chat.completions.create({ model: 'fake-chat', messages: [{ role: 'user', content: 'Hej' }], stream: true });
      const pieces: string[] = [];
      for await (const chunk of stream) pieces.push(chunk.choices[0]?.delta?.content ?? '');
      expect(pieces.join('')).toBe('Hej från fejkservern [1].');
      expect(pieces.filter(Boolean).length).toBeGreaterThan(1);
      const completion = await client.chat.completions.create({ model: 'fake-chat', messages: [{ role: 'user', content: 'Igen' }] });
      expect(completion.choices[0].message.content).toBe('Icke-strömmat svar.');
      const error = await client.chat.completions.create({ model: 'fake-chat', messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
      expect((error as { status?: number }).status).toBe(503);
      expect(fake.chatRequests().map((request) => request.body.messages[0].content)).toEqual(['Hej', 'Igen', 'x']);
    } finally {
      await fake.close();
    }
  });
});

describe('embedder configuration from the environment', () => {
  it('chooses the builtin embedder unless EMBEDDING_MODEL comes with a key or base URL', () => {
    expect(embedderConfigFromEnv({})).toEqual({ provider: 'builtin', dimensions: undefined });
    expect(embedderConfigFromEnv({ OPENAI_API_KEY: 'sk-x' }).provider).toBe('builtin');
    const config = embedderConfigFromEnv({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', EMBEDDING_MODEL: 'bge-m3', EMBEDDING_DIMENSIONS: '1024' });
    expect(config).toMatchObject({ provider: 'openai', baseURL: 'http://127.0.0.1:11434/v1', model: 'bge-m3', dimensions: 1024 });
    expect(createEmbedderFromConfig(config).modelId).toBe('openai:bge-m3');
    expect(createEmbedderFromConfig({ provider: 'builtin' }).modelId).toBe('builtin-hash-v2');
  });

  it('names the variable in errors', () => {
    expect(() => embedderConfigFromEnv({ OPENAI_BASE_URL: 'not a url', EMBEDDING_MODEL: 'm' })).toThrow(/OPENAI_BASE_URL/);
    expect(() => embedderConfigFromEnv({ OPENAI_API_KEY: 'k', EMBEDDING_MODEL: 'm', EMBEDDING_DIMENSIONS: 'abc' })).toThrow(/EMBEDDING_DIMENSIONS/);
    expect(() => embedderConfigFromEnv({ EMBEDDING_MODEL: 'm' })).toThrow(/EMBEDDING_MODEL/);
  });
});
