/**
 * An index written by an older version (older builtin embedder, chunk table without the analyzer's `search_terms`
 * column) is rebuilt from the corpus folder on start instead of stopping the server; without a corpus folder or with
 * auto-ingest off it is a clear `index_mismatch` error that says how to rebuild.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLanceStore } from '../src/adapters/lancedb-store.ts';
import { createHashedEmbedder, HASHED_EMBEDDER_MODEL_ID } from '../src/core/embedding/hashed-embedder.ts';
import { AppError, type Lexicon } from '../src/core/types.ts';
import { createNodeAssistant } from '../src/node-assistant.ts';
import { ingestCorpus } from '../ingest/pipeline.ts';

const lexicon: Lexicon = { isWord: () => true };
let folder: string;
let corpusDir: string;

const PLAN = `Idrotts- och föreningsnämnden – verksamhetsplan 2026

Uppdrag
Idrotts- och föreningsförvaltningen får i uppdrag att öka antalet spontanidrottsplatser i stadens ytterområden.
Idrotts- och föreningsförvaltningen får i uppdrag att förlänga öppettiderna i simhallarna under sommarlovet.
`;

/** An index as the previous version left it: built, then its info and chunk table set back to the old ones. */
async function oldIndex(name: string, options: { oldEmbedder: boolean; oldSchema: boolean }): Promise<string> {
  const indexDir = join(folder, name);
  const store = await createLanceStore({ directory: indexDir });
  await ingestCorpus({ paths: [corpusDir], corpusRoot: corpusDir, store, embedder: createHashedEmbedder(), lexicon });
  if (options.oldEmbedder) await store.setInfo({ embedder: 'builtin-hash-v1', dimensions: 1024 });
  await store.close();
  if (options.oldSchema) {
    const connection = await lancedb.connect(indexDir);
    const table = await connection.openTable('chunks');
    await table.dropColumns(['search_terms']);
    table.close();
    connection.close();
  }
  return indexDir;
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'index-upgrade-'));
  corpusDir = join(folder, 'corpus');
  await mkdir(corpusDir);
  await writeFile(join(corpusDir, 'idrott-2026.txt'), PLAN);
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('an index from an older version', () => {
  it('names the missing column', async () => {
    const indexDir = await oldIndex('schema-only', { oldEmbedder: false, oldSchema: true });
    const store = await createLanceStore({ directory: indexDir });
    try {
      expect(await store.outdated()).toMatch(/older version of Planassistenten \(table chunks has no column "search_terms"\)/);
      const error = await store.searchText('simhallar', { k: 3 }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('index_mismatch');
      expect((error as AppError).message).toMatch(/npm run ingest -- --rebuild/);
    } finally {
      await store.close();
    }
  });

  for (const [label, options] of [
    ['an older builtin embedder', { oldEmbedder: true, oldSchema: false }],
    ['an older chunk table', { oldEmbedder: false, oldSchema: true }],
    ['both', { oldEmbedder: true, oldSchema: true }],
  ] as const) {
    it(`is rebuilt from the corpus folder on start (${label})`, async () => {
      const indexDir = await oldIndex(label.replace(/\W+/g, '-'), options);
      const warnings: string[] = [];
      const logger = { debug() {}, info() {}, warn: (message: string) => warnings.push(message), error() {} };
      const node = await createNodeAssistant({ corpusDir, indexDir, lexicon, logger });
      try {
        expect(warnings.some((message) => /rebuilding the index from the corpus folder/.test(message))).toBe(true);
        expect(await node.store.info()).toEqual({ embedder: HASHED_EMBEDDER_MODEL_ID, dimensions: 1024 });
        expect(await node.store.outdated()).toBeNull();
        const { results } = await node.assistant.search({ query: 'öppettider i simhallarna', k: 3 });
        expect(results[0]?.text).toMatch(/simhallarna/);
      } finally {
        await node.close();
      }
    });
  }

  it('is a clear error when auto-ingest is off', async () => {
    const indexDir = await oldIndex('no-auto', { oldEmbedder: true, oldSchema: true });
    const error = await createNodeAssistant({ corpusDir, indexDir, lexicon, autoIngest: false }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('index_mismatch');
    expect((error as AppError).message).toMatch(/builtin-hash-v1, an older version of the builtin embedder.*npm run ingest -- --rebuild/s);
  });
});
