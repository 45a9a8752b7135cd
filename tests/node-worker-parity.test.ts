/**
 * Node and the Worker rank alike: the sample corpus and the dev2 corpus ingested into LanceDB (temp folder), the
 * Worker bundle built from that index, and `assistant.search` top-5 compared for every turn of every dev and dev2
 * question: the Node assistant over the LanceDB store vs the assistant over the bundled in-memory store. A third
 * assistant reads the same index the way a city-scale corpus is read (no in-memory snapshot: full-text search on the
 * in-memory text index, vector search in LanceDB, id-first reads of the fused top k) and must rank alike too.
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundledIndex } from '../src/adapters/bundled-index.ts';
import { createHunspellLexicon } from '../src/adapters/hunspell-lexicon.ts';
import { createLanceStore, type LanceStore } from '../src/adapters/lancedb-store.ts';
import { createAssistant } from '../src/core/assistant.ts';
import { createHashedEmbedder } from '../src/core/embedding/hashed-embedder.ts';
import type { Assistant } from '../src/core/types.ts';
import { buildWorkerBundle } from '../ingest/export-bundle.ts';
import { ingestCorpus } from '../ingest/pipeline.ts';

const CORPORA = ['data/corpus', 'eval/corpus-dev2'].map((folder) => resolve(folder));
const DATASETS = ['eval/datasets/dev.json', 'eval/datasets/dev2.json'];

let folder: string;
let store: LanceStore;
let scaleStore: LanceStore;
let node: Assistant;
let atScale: Assistant;
let worker: Assistant;
let bundledStore: ReturnType<typeof loadBundledIndex>['store'];
let questions: Array<{ id: string; turns: string[] }>;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'parity-'));
  const corpus = join(folder, 'corpus');
  await mkdir(corpus);
  for (const source of CORPORA) for (const name of await readdir(source)) await copyFile(join(source, name), join(corpus, name));
  const indexDir = join(folder, 'index');
  const embedder = createHashedEmbedder();
  const lexicon = await createHunspellLexicon();
  store = await createLanceStore({ directory: indexDir });
  await ingestCorpus({ paths: [corpus], corpusRoot: corpus, store, embedder, lexicon });
  node = createAssistant({ store, embedder, lexicon });
  scaleStore = await createLanceStore({ directory: indexDir, snapshotLimit: 0 });
  atScale = createAssistant({ store: scaleStore, embedder, lexicon });
  const { bundle, source } = await buildWorkerBundle({ source: 'index', indexDir, corpusDir: corpus, lexicon, widget: false });
  expect(source).toBe('index');
  const bundled = loadBundledIndex(JSON.parse(JSON.stringify(bundle)), { embedder });
  bundledStore = bundled.store;
  worker = createAssistant({ store: bundled.store, embedder, lexicon: bundled.lexicon });
  questions = [];
  for (const dataset of DATASETS) {
    const parsed = JSON.parse(await readFile(resolve(dataset), 'utf8')) as { items: Array<{ id: string; turns: string[] }> };
    questions.push(...parsed.items.map(({ id, turns }) => ({ id, turns })));
  }
}, 180_000);

afterAll(async () => {
  await store?.close();
  await scaleStore?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('Node (LanceDB) and Worker (bundle) ranking', () => {
  it('gives the same top-5 passages for every dev and dev2 question', async () => {
    expect(questions.length).toBe(65);
    const differing: string[] = [];
    let compared = 0;
    let answered = 0;
    for (const { id, turns } of questions) {
      for (const turn of turns) {
        const [fromNode, fromWorker] = await Promise.all([node.search({ query: turn, k: 5 }), worker.search({ query: turn, k: 5 })]);
        const nodeIds = fromNode.results.map((result) => result.id);
        const workerIds = fromWorker.results.map((result) => result.id);
        compared++;
        if (nodeIds.length > 0) answered++;
        if (nodeIds.join() !== workerIds.join()) differing.push(`${id} "${turn}": node ${nodeIds.join(' ')} / worker ${workerIds.join(' ')}`);
      }
    }
    expect(compared).toBeGreaterThanOrEqual(65);
    expect(answered).toBeGreaterThan(60); // a question about a nämnd without documents finds nothing on both sides
    expect(differing).toEqual([]);
  }, 120_000);

  it('reads at city scale (no snapshot: text index, LanceDB vectors, id-first chunk reads) with the same top-5', async () => {
    const differing: string[] = [];
    let compared = 0;
    for (const { id, turns } of questions) {
      for (const turn of turns) {
        const [small, large] = await Promise.all([node.search({ query: turn, k: 5 }), atScale.search({ query: turn, k: 5 })]);
        compared++;
        const smallIds = small.results.map((result) => result.id);
        const largeIds = large.results.map((result) => result.id);
        if (smallIds.join() !== largeIds.join()) differing.push(`${id} "${turn}": snapshot ${smallIds.join(' ')} / scale ${largeIds.join(' ')}`);
      }
    }
    expect(compared).toBeGreaterThanOrEqual(65);
    expect(differing).toEqual([]);
  }, 120_000);

  it('scores the same chunks alike in each search (full-text, n-gram, vector), with and without a filter', async () => {
    const embedder = createHashedEmbedder();
    const queries = ['kompetensutveckling för familjehemmen i stadsområdet', 'forskolans larmiljo och barngruppernas storlek', 'ekonomiskt bistand vantetid'];
    for (const query of queries) {
      const [vector] = await embedder.embed([query], { inputType: 'query' });
      for (const filter of [undefined, { type: 'genomförandeplan' as const }]) {
        const options = { k: 10, ...(filter ? { filter } : {}) };
        const pairs = async (target: LanceStore | typeof bundledStore) => ({
          text: (await target.searchText(query, options)).map((hit) => [hit.chunk.id, hit.score]),
          ngram: (await target.searchNgram(query, options)).map((hit) => [hit.chunk.id, hit.score]),
          vector: (await target.searchVector(vector, options)).map((hit) => [hit.chunk.id, hit.score]),
        });
        const [fromNode, fromWorker] = await Promise.all([pairs(store), pairs(bundledStore)]);
        if (!filter) expect(fromNode.text.length).toBeGreaterThan(0);
        expect(fromNode).toEqual(fromWorker);
      }
    }
  });
});
