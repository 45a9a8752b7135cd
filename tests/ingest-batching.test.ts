/**
 * Ingest at scale: writes in batches, a document's result reported only once its batch is written, progress lines
 * with throughput and time left. Fictional documents of other nämnder.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHunspellLexicon } from '../src/adapters/hunspell-lexicon.ts';
import { createMemoryStore } from '../src/adapters/memory-store.ts';
import { createHashedEmbedder } from '../src/core/embedding/hashed-embedder.ts';
import type { Lexicon } from '../src/core/types.ts';
import { ingestCorpus, writeBatchLimits, type IngestProgress, type IngestStore } from '../ingest/pipeline.ts';
import { createProgressReporter, formatDuration, throughputLine } from '../ingest/progress.ts';

const committees = ['Idrotts- och föreningsnämnden', 'Stadsmiljönämnden', 'Miljö- och klimatnämnden', 'Nämnden för Arbetsmarknad och vuxenutbildning'];
const embedder = createHashedEmbedder({ dimensions: 64 });
let lexicon: Lexicon;
let corpus: string;

beforeAll(async () => {
  lexicon = await createHunspellLexicon();
  corpus = await mkdtemp(join(tmpdir(), 'planassistenten-batching-'));
  for (let index = 0; index < 45; index++) {
    const committee = committees[index % committees.length];
    await writeFile(
      join(corpus, `plan-${String(index).padStart(2, '0')}.txt`),
      `Verksamhetsplan ${2021 + (index % 5)} för ${committee}\n\n1 Uppdrag\n\n${committee} ger förvaltningen i uppdrag att utreda ` +
        `${['konstgräsplaner', 'cykelbanor', 'luftkvaliteten', 'vuxenutbildningen'][index % 4]} i område ${index}.\n\n` +
        `Nämnden följer upp arbetet med ${index * 3} åtgärder under året.\n`,
    );
  }
});
afterAll(async () => {
  await rm(corpus, { recursive: true, force: true });
});

/** A memory store that buffers deferred writes like the LanceDB store and records what is durable. */
function bufferingStore(): { store: IngestStore; durable: Set<string>; flushes: number[] } {
  const inner = createMemoryStore();
  const pending: Array<() => Promise<void>> = [];
  const pendingIds: string[] = [];
  const durable = new Set<string>();
  const flushes: number[] = [];
  const flush = async () => {
    if (!pending.length) return;
    flushes.push(pending.length);
    for (const write of pending.splice(0)) await write();
    for (const id of pendingIds.splice(0)) durable.add(id);
  };
  const store: IngestStore = {
    ...inner,
    async replaceDocument(document, chunks, vectors, options) {
      pending.push(() => inner.replaceDocument(document, chunks, vectors, options));
      pendingIds.push(document.source);
    },
    async listDocuments() {
      await flush();
      return inner.listDocuments();
    },
    async allChunks(filter) {
      await flush();
      return inner.allChunks(filter);
    },
    async refreshIndexes() {
      await flush();
      return inner.refreshIndexes();
    },
    flush,
  };
  return { store, durable, flushes };
}

describe('batched ingest', () => {
  it('writes in batches of about a twentieth of the files and reports a document only once its batch is written', async () => {
    const { store, durable, flushes } = bufferingStore();
    const events: IngestProgress[] = [];
    const notYetWritten: string[] = [];
    const summary = await ingestCorpus({
      paths: [corpus],
      corpusRoot: corpus,
      store,
      embedder,
      lexicon,
      onProgress: (event) => {
        events.push(event);
        if (event.type === 'result' && event.outcome === 'added' && !durable.has(event.source)) notYetWritten.push(event.source);
      },
    });
    expect(summary.added).toHaveLength(45);
    expect(notYetWritten).toEqual([]);
    expect(flushes.length).toBeGreaterThan(1);
    expect(Math.max(...flushes)).toBeLessThanOrEqual(writeBatchLimits(45).documents);
    // Results keep the order of the files, and the one index update comes after the last of them.
    const results = events.filter((event) => event.type === 'result').map((event) => (event as { index: number }).index);
    expect(results).toEqual([...results].sort((a, b) => a - b));
    const indexing = events.findIndex((event) => event.type === 'indexing');
    expect(indexing).toBeGreaterThan(events.findLastIndex((event) => event.type === 'result'));
    expect((await store.listDocuments()).length).toBe(45);
  });

  it('batch limits: a twentieth of the files, never more than 4096 chunks, at least one document', () => {
    expect(writeBatchLimits(1)).toEqual({ documents: 1, chunks: 4096 });
    expect(writeBatchLimits(60).documents).toBe(3);
    expect(writeBatchLimits(5000).documents).toBe(250);
  });
});

describe('ingest progress', () => {
  it('formats durations and a throughput line with the time left', () => {
    expect(formatDuration(42)).toBe('42s');
    expect(formatDuration(185)).toBe('3m05s');
    expect(formatDuration(3720)).toBe('1h02m');
    expect(throughputLine(0, 10, 0, 0)).toBe('');
    // 25 of 100 files in 50 s: 75 left at 2 s each.
    expect(throughputLine(25, 100, 5000, 50)).toBe('100 chunks/s, ETA 2m30s');
  });

  it('prints each document with chunks/s and ETA, and the indexing step', () => {
    let text = '';
    const stream = new Writable({
      write(chunk, _encoding, done) {
        text += String(chunk);
        done();
      },
    });
    const reporter = createProgressReporter({ stream, interactive: false });
    reporter.onProgress({ type: 'start', total: 2 });
    reporter.onProgress({ type: 'result', source: 'a.txt', index: 0, total: 2, outcome: 'added', chunks: 12 });
    reporter.onProgress({ type: 'indexing', chunks: 12 });
    expect(text).toMatch(/\[1\/2\] a\.txt: added \(12 chunks\) — \d+ chunks\/s, ETA \d+s/);
    expect(text).toMatch(/indexing 12 chunk/);
  });
});
