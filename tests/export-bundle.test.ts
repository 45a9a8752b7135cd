/**
 * The Worker bundle exporter (Node): from the corpus and from a LanceDB index, deterministic output,
 * the vocabulary filter, and clear errors for bad arguments and unusable sources.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeVector, parseWorkerBundle } from '../src/adapters/bundled-index.ts';
import { createHunspellLexicon } from '../src/adapters/hunspell-lexicon.ts';
import { createLanceStore } from '../src/adapters/lancedb-store.ts';
import { createHashedEmbedder } from '../src/core/embedding/hashed-embedder.ts';
import type { Chunk, Lexicon, StoredDocument } from '../src/core/types.ts';
import { buildVocabulary, ExportError, exportWorkerBundle, parseExportArguments } from '../ingest/export-bundle.ts';
import { ingestCorpus } from '../ingest/pipeline.ts';

const CORPUS = resolve('data/corpus');
let folder: string;
let lexicon: Lexicon;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'export-bundle-'));
  lexicon = await createHunspellLexicon();
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('exportWorkerBundle', () => {
  it('writes a valid bundle of the corpus, byte for byte the same on a second run', async () => {
    const first = join(folder, 'first.json');
    const second = join(folder, 'second.json');
    const result = await exportWorkerBundle({ source: 'corpus', corpusDir: CORPUS, outFile: first, lexicon, widget: false });
    await exportWorkerBundle({ source: 'corpus', corpusDir: CORPUS, outFile: second, lexicon, widget: false });
    const text = await readFile(first, 'utf8');
    expect(text).toBe(await readFile(second, 'utf8'));
    expect(result.source).toBe('corpus');
    expect(result.documents).toBe(5);
    expect(result.bytes).toBe(Buffer.byteLength(text));
    const bundle = parseWorkerBundle(JSON.parse(text));
    expect(bundle.documents.map((document) => document.source)).toEqual([
      '000_2e06263a4aea9303.txt',
      '001_685a6afae0d19dc8.txt',
      '002_a78cf953a858aaff.txt',
      '003_17685376f62255a5.txt',
      '004_6b9fbc6b6a484550.txt',
    ]);
    expect(bundle.chunks).toHaveLength(result.chunks);
    expect(bundle.widget).toBeUndefined();
    expect(bundle.vocabulary).toContain('familjehem');
  });

  it('reads the same documents, chunks and vectors from a LanceDB index as from the corpus', async () => {
    const indexDir = join(folder, 'index');
    const store = await createLanceStore({ directory: indexDir });
    try {
      await ingestCorpus({ paths: [CORPUS], corpusRoot: CORPUS, store, embedder: createHashedEmbedder(), lexicon });
    } finally {
      await store.close();
    }
    const fromIndex = join(folder, 'from-index.json');
    const fromCorpus = join(folder, 'from-corpus.json');
    const auto = await exportWorkerBundle({ indexDir, corpusDir: CORPUS, outFile: fromIndex, lexicon, widget: false });
    expect(auto.source).toBe('index');
    await exportWorkerBundle({ source: 'corpus', corpusDir: CORPUS, outFile: fromCorpus, lexicon, widget: false });
    const indexBundle = parseWorkerBundle(JSON.parse(await readFile(fromIndex, 'utf8')));
    const corpusBundle = parseWorkerBundle(JSON.parse(await readFile(fromCorpus, 'utf8')));
    expect(indexBundle.documents).toEqual(corpusBundle.documents);
    expect(indexBundle.chunks).toEqual(corpusBundle.chunks);
    expect(indexBundle.vocabulary).toEqual(corpusBundle.vocabulary);
    // LanceDB stores float32, the bundle too: the vectors are identical.
    expect(indexBundle.vectors).toEqual(corpusBundle.vectors);
    const vector = decodeVector(indexBundle.vectors[0], indexBundle.info.dimensions);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
  });

  it('falls back to the corpus when the index folder does not exist, and refuses --source index there', async () => {
    const missing = join(folder, 'no-index');
    const result = await exportWorkerBundle({ indexDir: missing, corpusDir: CORPUS, outFile: join(folder, 'fallback.json'), lexicon, widget: false });
    expect(result.source).toBe('corpus');
    await expect(exportWorkerBundle({ source: 'index', indexDir: missing, outFile: join(folder, 'x.json'), lexicon, widget: false })).rejects.toThrow(
      /index folder .*no-index does not exist/,
    );
  });

  it('refuses a missing corpus folder and a corpus without documents, naming the folder', async () => {
    await expect(exportWorkerBundle({ source: 'corpus', corpusDir: join(folder, 'nowhere'), outFile: join(folder, 'x.json'), lexicon })).rejects.toThrow(
      /corpus folder .*nowhere does not exist/,
    );
    const empty = join(folder, 'empty-corpus');
    await mkdir(empty, { recursive: true });
    await expect(exportWorkerBundle({ source: 'corpus', corpusDir: empty, outFile: join(folder, 'x.json'), lexicon, widget: false })).rejects.toThrow(
      ExportError,
    );
  });

  it('bundles a corpus subset (one file) with only its document', async () => {
    const single = join(folder, 'single');
    await mkdir(single, { recursive: true });
    await copyFile(join(CORPUS, '003_17685376f62255a5.txt'), join(single, '003_17685376f62255a5.txt'));
    const result = await exportWorkerBundle({ source: 'corpus', corpusDir: single, outFile: join(folder, 'single.json'), lexicon, widget: false });
    expect(result.documents).toBe(1);
  });
});

describe('buildVocabulary', () => {
  const document = { id: 'd', source: 'd.txt', title: 'Plan för Socialnämnden Hisingen', committee: 'Socialnämnden Hisingen', chunks: 1 } as StoredDocument;
  const chunk = { id: 'c', documentId: 'd', text: 'Förvaltningen ska öka 6ka ndmnden familjehem 2025.', section: ['Uppdrag', 'Från nämnden'] } as Chunk;
  const known = new Set(['förvaltningen', 'ska', 'öka', 'familjehem', 'uppdrag', 'från', 'nämnden']);
  const fakeLexicon: Lexicon = { isWord: (word) => known.has(word.toLowerCase()) };

  it('keeps words the dictionary knows plus the words of titles and committee names, drops debris and numbers', () => {
    const { words, rejected } = buildVocabulary({ documents: [document], chunks: [{ chunk, vector: [] }] }, fakeLexicon);
    expect(words).toEqual(['familjehem', 'från', 'förvaltningen', 'hisingen', 'nämnden', 'plan', 'ska', 'socialnämnden', 'uppdrag', 'öka', 'för'].sort());
    expect(rejected).toEqual(['ka', 'ndmnden']);
  });
});

describe('parseExportArguments and the CLI', () => {
  it('parses flags in both spellings', () => {
    expect(parseExportArguments(['--source', 'corpus', '--out=x.json', '--no-widget', '--index', 'i', '--corpus', 'c', '--table', 't'])).toEqual({
      source: 'corpus',
      outFile: 'x.json',
      widget: false,
      indexDir: 'i',
      corpusDir: 'c',
      tableName: 't',
    });
  });

  it('names a bad argument', () => {
    expect(() => parseExportArguments(['--source', 'cloud'])).toThrow(/--source must be auto, index or corpus, got "cloud"/);
    expect(() => parseExportArguments(['--bogus'])).toThrow(/Unknown argument "--bogus"/);
    expect(() => parseExportArguments(['--out'])).toThrow(/--out needs a value/);
    expect(() => parseExportArguments(['--out', '--no-widget'])).toThrow(/--out needs a value/);
  });

  it('exits with code 2 and a message on a bad argument', async () => {
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'ingest/export-bundle.ts', '--bogus']);
    await expect(run).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/export-bundle: Unknown argument "--bogus"/) });
  });
});
