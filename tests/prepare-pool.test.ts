/**
 * Documents prepared in worker threads (`workers`) are stored exactly as when prepared in the main thread: same
 * documents, chunks, vectors and report; a file that fails in a worker is reported by name like in the main thread.
 * Fictional documents of other nämnder (one OCR-damaged, one empty, one unchanged on the second run).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHunspellLexicon } from '../src/adapters/hunspell-lexicon.ts';
import { createMemoryStore } from '../src/adapters/memory-store.ts';
import { createHashedEmbedder } from '../src/core/embedding/hashed-embedder.ts';
import type { Lexicon } from '../src/core/types.ts';
import { ingestCorpus, type IngestSummary } from '../ingest/pipeline.ts';
import { createPreparePool } from '../ingest/prepare-pool.ts';

const embedder = createHashedEmbedder({ dimensions: 64 });
let lexicon: Lexicon;
let corpus: string;

const topics = ['badplatser', 'fritidsgårdar', 'gatubelysning', 'skolgårdar', 'parkeringsplatser', 'kolonilotter'];

beforeAll(async () => {
  lexicon = await createHunspellLexicon();
  corpus = await mkdtemp(join(tmpdir(), 'planassistenten-pool-'));
  for (let index = 0; index < 7; index++) {
    const topic = topics[index % topics.length];
    await writeFile(
      join(corpus, `fritid-${index}.txt`),
      `Fritidsnämnden Norrby\nVerksamhetsplan ${2022 + index}\n\n1 Mål\n\nNämnden ska förbättra ${topic} i hela staden.\n\n` +
        `2 Uppdrag\n\nFritidsnämnden Norrby ger förvaltningen i uppdrag att inventera ${topic} senast ${index + 1} mars.\n\n` +
        `Förvaltningen får i uppdrag att redovisa kostnaden för ${topic} (${(index + 2) * 1000} kronor).\n`,
    );
  }
  // Split diacritics as a PDF extraction leaves them: repaired the same in a worker as here.
  await writeFile(
    join(corpus, 'skadad.txt'),
    'Byggnadsna mnden Söderby\nVerksamhetsplan 2025\n\nNa mnden ska fo rbättra handla ggningen av bygglov.\nFo rvaltningen far i uppdrag att korta va ntetiderna.\n',
  );
  await writeFile(join(corpus, 'tom.txt'), '   \n');
});
afterAll(async () => {
  await rm(corpus, { recursive: true, force: true });
});

async function ingestWith(workers: number): Promise<{ summary: IngestSummary; store: ReturnType<typeof createMemoryStore> }> {
  const store = createMemoryStore();
  const summary = await ingestCorpus({ paths: [corpus], corpusRoot: corpus, store, embedder, lexicon, workers });
  return { summary, store };
}

const comparable = (summary: IngestSummary) => ({ ...summary, durationMs: 0, stages: undefined });

describe('prepare pool', () => {
  it('stores the same documents, chunks and vectors and reports the same as the main thread', async () => {
    const inThread = await ingestWith(0);
    const pooled = await ingestWith(2);
    expect(inThread.summary.added.length).toBe(8);
    expect(inThread.summary.failed.map((failure) => failure.source)).toEqual(['tom.txt']);
    expect(comparable(pooled.summary)).toEqual(comparable(inThread.summary));
    expect(await pooled.store.listDocuments()).toEqual(await inThread.store.listDocuments());
    const chunks = await inThread.store.allChunks();
    expect(chunks.length).toBeGreaterThan(8);
    expect(await pooled.store.allChunks()).toEqual(chunks);
    const query = (await embedder.embed(['inventera badplatser'], { inputType: 'query' }))[0];
    expect(await pooled.store.searchVector(query, { k: 5 })).toEqual(await inThread.store.searchVector(query, { k: 5 }));
    // The damaged document was repaired in the worker as here.
    expect(chunks.some((chunk) => chunk.text.includes('förbättra handläggningen'))).toBe(true);
  });

  it('a second run with workers skips the unchanged files and re-prepares them with reportUnchanged', async () => {
    const store = createMemoryStore();
    await ingestCorpus({ paths: [corpus], corpusRoot: corpus, store, embedder, lexicon, workers: 2 });
    const again = await ingestCorpus({ paths: [corpus], corpusRoot: corpus, store, embedder, lexicon, workers: 2, reportUnchanged: true });
    expect(again.unchanged.length).toBe(8);
    expect(again.documents.filter((report) => report.outcome === 'unchanged').every((report) => report.quality !== undefined)).toBe(true);
  });

  it('rejects a file that fails in a worker with a LoadError naming it, and refuses work once closed', async () => {
    const pool = createPreparePool(1);
    try {
      await expect(pool.prepare({ path: join(corpus, 'tom.txt'), source: 'tom.txt' })).rejects.toMatchObject({ name: 'LoadError', message: expect.stringContaining('tom.txt') });
      await expect(pool.prepare({ path: join(corpus, 'saknas.txt'), source: 'saknas.txt' })).rejects.toThrow(/saknas\.txt/);
      const prepared = await pool.prepare({ path: join(corpus, 'fritid-0.txt'), source: 'fritid-0.txt' });
      expect(prepared.document.committee).toBe('Fritidsnämnden Norrby');
    } finally {
      await pool.close();
    }
    await expect(pool.prepare({ path: join(corpus, 'fritid-0.txt'), source: 'fritid-0.txt' })).rejects.toThrow(/closed/);
  });
});
