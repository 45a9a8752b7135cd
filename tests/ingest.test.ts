/**
 * Loaders, the incremental ingest pipeline (real LanceDB in a temp folder, real hunspell lexicon) and the CLI.
 */
import { appendFile, copyFile, cp, mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHunspellLexicon } from '../src/adapters/hunspell-lexicon.ts';
import { createLanceStore, type LanceStore } from '../src/adapters/lancedb-store.ts';
import { createMemoryStore } from '../src/adapters/memory-store.ts';
import { createHashedEmbedder } from '../src/core/embedding/hashed-embedder.ts';
import { AppError, type Chunk, type Lexicon, type StoredDocument } from '../src/core/types.ts';
import { runIngestCli } from '../ingest/cli.ts';
import { decodeEntities, extractText, findCorpusFiles, htmlToText, loadFile, parseSidecar } from '../ingest/loaders.ts';
import { ingestCorpus, type IngestProgress } from '../ingest/pipeline.ts';
import { startFakeOpenAI } from './fakes/fake-openai-server.ts';
import { sink } from './helpers/sink.ts';

const SAMPLE_CORPUS = resolve('data/corpus');
const FIXTURES = resolve('tests/fixtures/loaders');
const CORPUS_FILES = ['000_2e06263a4aea9303.txt', '001_685a6afae0d19dc8.txt', '002_a78cf953a858aaff.txt', '003_17685376f62255a5.txt', '004_6b9fbc6b6a484550.txt'];

const folders: string[] = [];
async function temporaryFolder(prefix: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), `planassistenten-${prefix}-`));
  folders.push(folder);
  return folder;
}
afterAll(async () => {
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});


let lexicon: Lexicon;
beforeAll(async () => {
  lexicon = await createHunspellLexicon();
});

describe('loaders', () => {
  it('extracts text from .md, .html, .pdf and .docx', async () => {
    const text = async (name: string) => extractText(await readFile(join(FIXTURES, name)), join(FIXTURES, name));
    expect(await text('sample.md')).toContain('Utreda möjligheten att kunna ta med husdjur på skyddat boende.');
    expect(await text('sample.pdf')).toBe('Genomförandeplan för Socialnämnden Centrum\nNämnden ska öka andelen familjehem i egen regi.');
    const docx = await text('sample.docx');
    expect(docx).toContain('Verksamhetsplan 2024 för Socialnämnden Centrum');
    expect(docx).toContain('stödet till familjehemmen blir likvärdigt');
    const html = await text('sample.html');
    expect(html.split('\n')[0]).toBe('Verksamhetsplan 2024 – Socialnämnden Centrum');
    expect(html).toContain('Nämnden ska öka andelen familjehem i egen regi. Från nämnden – "2024".');
    expect(html).toContain('• Jourhem\n');
    expect(html).toContain('Familjehem <egen regi>');
    expect(html).toContain('Öka andelen familjehem | 2023');
    expect(html).not.toMatch(/secret|color|kommentar|inte heller|Plan & uppdrag|<\/?(?:b|p|h1|li|ul|td|th|tr|table|body|html)\b/);
  });

  it('html: decodes entities, keeps blocks as lines, uses <title> when there is no <h1>', () => {
    expect(decodeEntities('&aring;&auml;&ouml; &#229; &#xE4; &amp;lt; &bogus;')).toBe('åäö å ä &lt; &bogus;');
    expect(htmlToText('<title>Min plan</title><div>Rad ett<br>Rad två</div><p>Stycke</p>')).toBe('Min plan\n\nRad ett\nRad två\n\nStycke');
  });

  it('gives every bad file a message naming it, and validates sidecars naming the field', async () => {
    const failure = async (name: string) =>
      loadFile({ path: join(FIXTURES, name), source: name }).then(
        () => 'loaded',
        (error: Error) => error.message,
      );
    expect(await failure('binary.txt')).toMatch(/binary\.txt: .*binary/);
    expect(await failure('latin1.txt')).toMatch(/latin1\.txt: .*UTF-8/);
    expect(await failure('empty.txt')).toMatch(/empty\.txt: is empty/);
    expect(await failure('broken.pdf')).toMatch(/broken\.pdf: could not read the PDF/);
    expect(await failure('bad-sidecar.txt')).toMatch(/bad-sidecar\.meta\.json: invalid field "year"/);
    expect(await failure('missing.txt')).toMatch(/missing\.txt: could not be read/);
    expect(() => parseSidecar('{"titel": "x"}', 'a.meta.json')).toThrow(/a\.meta\.json: invalid field "titel": unknown field/);
    expect(() => parseSidecar('{"date": "18/11/2024"}', 'a.meta.json')).toThrow(/invalid field "date"/);
    expect(() => parseSidecar('{nope', 'a.meta.json')).toThrow(/a\.meta\.json: is not valid JSON/);
    const loaded = await loadFile({ path: join(FIXTURES, 'with-sidecar.txt'), source: 'with-sidecar.txt' });
    expect(loaded.override).toEqual({
      title: 'Yrkande från V, S och MP',
      committee: 'Socialnämnd Nordost',
      committeeId: 'socialnamnden-nordost',
      type: 'yrkande',
      status: 'yrkande',
      year: 2025,
      date: '2024-11-18',
      parties: ['V', 'S', 'MP'],
    });
    expect(loaded.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('finds files recursively, skipping sidecars and dot-files; unsupported and missing paths are errors', async () => {
    const found = await findCorpusFiles([FIXTURES, join(FIXTURES, 'nope.txt')], FIXTURES);
    expect(found.coversCorpusRoot).toBe(true);
    expect(found.files.map((file) => file.source)).not.toContain('with-sidecar.meta.json');
    expect(found.files.map((file) => file.source)).toContain('sample.docx');
    expect(found.errors.map((error) => error.message)).toEqual([
      expect.stringMatching(/notes\.xyz: unsupported file type "\.xyz"/),
      expect.stringMatching(/nope\.txt: no such file or folder/),
    ]);
  });

  it('ingests a mixed folder: good files go in with sidecar metadata, bad ones are reported by name', async () => {
    const store = createMemoryStore();
    const embedder = createHashedEmbedder({ dimensions: 128 });
    const summary = await ingestCorpus({ paths: [FIXTURES], corpusRoot: FIXTURES, store, embedder, lexicon });
    expect(summary.added.sort()).toEqual(['sample.docx', 'sample.html', 'sample.md', 'sample.pdf', 'with-sidecar.txt']);
    expect(summary.failed.map((failure) => failure.message)).toEqual([
      expect.stringMatching(/notes\.xyz/),
      expect.stringMatching(/bad-sidecar\.meta\.json/),
      expect.stringMatching(/binary\.txt/),
      expect.stringMatching(/broken\.pdf/),
      expect.stringMatching(/empty\.txt/),
      expect.stringMatching(/latin1\.txt/),
    ]);
    const document = (await store.listDocuments()).find((item) => item.source === 'with-sidecar.txt');
    expect(document).toMatchObject({ title: 'Yrkande från V, S och MP', committeeId: 'socialnamnden-nordost', type: 'yrkande', parties: ['V', 'S', 'MP'], date: '2024-11-18' });
    expect((await store.searchText('husdjuren', { k: 1 }))[0]?.chunk.documentId).toBe((await store.listDocuments()).find((item) => item.source === 'sample.md')?.id);
  });
});

describe('incremental ingest of the sample corpus into LanceDB', () => {
  let corpus: string;
  let index: string;
  let store: LanceStore;
  const embedder = createHashedEmbedder();
  const snapshot = async (): Promise<Map<string, { document: StoredDocument; chunks: Chunk[] }>> => {
    const result = new Map<string, { document: StoredDocument; chunks: Chunk[] }>();
    for (const document of await store.listDocuments()) result.set(document.source, { document, chunks: await store.getChunks(document.id) });
    return result;
  };

  beforeAll(async () => {
    corpus = await temporaryFolder('corpus');
    await cp(SAMPLE_CORPUS, corpus, { recursive: true });
    index = await temporaryFolder('index');
    store = await createLanceStore({ directory: index });
  });
  afterAll(async () => {
    await store.close();
  });

  it('ingests every file, then skips them all when nothing changed', async () => {
    const events: IngestProgress[] = [];
    const first = await ingestCorpus({ paths: [corpus], corpusRoot: corpus, store, embedder, lexicon, onProgress: (event) => events.push(event) });
    expect(first.added).toEqual(CORPUS_FILES);
    expect(first.failed).toEqual([]);
    expect(first.chunksWritten).toBeGreaterThan(20);
    expect(first.documents.every((report) => (report.chunks ?? 0) > 0)).toBe(true);
    expect(events[0]).toEqual({ type: 'start', total: 5 });
    expect(events.at(-1)?.type).toBe('finish');
    expect(await store.info()).toEqual({ embedder: 'builtin-hash-v2', dimensions: 1024 });
    const documents = await store.listDocuments();
    expect(documents.map((document) => document.source)).toEqual(CORPUS_FILES);
    expect(documents.reduce((sum, document) => sum + document.chunks, 0)).toBe(first.chunksWritten);
    expect((await store.allChunks()).length).toBe(first.chunksWritten);

    const before = await snapshot();
    const second = await ingestCorpus({ paths: [corpus], corpusRoot: corpus, store, embedder, lexicon });
    expect(second.unchanged).toEqual(CORPUS_FILES);
    expect(second.chunksWritten).toBe(0);
    expect(await snapshot()).toEqual(before);
  });

  it('touches only the changed and the removed file', async () => {
    const before = await snapshot();
    await appendFile(join(corpus, '003_17685376f62255a5.txt'), '\n\nNy bild: Medborgarbudget och tryggare mötesplatser i Kortedala.\n');
    await unlink(join(corpus, '002_a78cf953a858aaff.txt'));
    const summary = await ingestCorpus({ paths: [corpus], corpusRoot: corpus, store, embedder, lexicon });
    expect(summary.updated).toEqual(['003_17685376f62255a5.txt']);
    expect(summary.removed).toEqual(['002_a78cf953a858aaff.txt']);
    expect(summary.unchanged).toEqual(['000_2e06263a4aea9303.txt', '001_685a6afae0d19dc8.txt', '004_6b9fbc6b6a484550.txt']);
    const after = await snapshot();
    for (const source of summary.unchanged) expect(after.get(source)).toEqual(before.get(source));
    expect(after.has('002_a78cf953a858aaff.txt')).toBe(false);
    expect(await store.getChunks(before.get('002_a78cf953a858aaff.txt')!.document.id)).toEqual([]);
    expect(after.get('003_17685376f62255a5.txt')!.document.contentHash).not.toBe(before.get('003_17685376f62255a5.txt')!.document.contentHash);
    const hits = await store.searchText('Kortedala', { k: 3 });
    expect(hits[0]?.chunk.documentId).toBe(after.get('003_17685376f62255a5.txt')!.document.id);
    expect((await store.allChunks()).length).toBe([...after.values()].reduce((sum, entry) => sum + entry.document.chunks, 0));
  });

  it('a failing file loses nothing already ingested and the others still ingest', async () => {
    const before = await snapshot();
    await writeFile(join(corpus, '001_685a6afae0d19dc8.txt'), Buffer.from([0x47, 0x00, 0x01, 0x02]));
    await copyFile(join(SAMPLE_CORPUS, '002_a78cf953a858aaff.txt'), join(corpus, '002_a78cf953a858aaff.txt'));
    const summary = await ingestCorpus({ paths: [corpus], corpusRoot: corpus, store, embedder, lexicon });
    expect(summary.failed).toEqual([{ source: '001_685a6afae0d19dc8.txt', message: expect.stringMatching(/001_685a6afae0d19dc8\.txt: .*binary/) }]);
    expect(summary.added).toEqual(['002_a78cf953a858aaff.txt']);
    expect(summary.removed).toEqual([]);
    const after = await snapshot();
    expect(after.get('001_685a6afae0d19dc8.txt')).toEqual(before.get('001_685a6afae0d19dc8.txt'));
    expect(after.has('002_a78cf953a858aaff.txt')).toBe(true);
    await copyFile(join(SAMPLE_CORPUS, '001_685a6afae0d19dc8.txt'), join(corpus, '001_685a6afae0d19dc8.txt'));
  });

  it('explicit single files never remove other documents', async () => {
    await mkdir(join(corpus, 'extra'), { recursive: true });
    await writeFile(join(corpus, 'extra', 'ny plan.md'), '# Ny plan\n\nSocialnämnden ska starta fler mötesplatser för unga.\n');
    const summary = await ingestCorpus({ paths: [join(corpus, 'extra', 'ny plan.md')], corpusRoot: corpus, store, embedder, lexicon });
    expect(summary.added).toEqual(['extra/ny plan.md']);
    expect(summary.removed).toEqual([]);
    expect((await store.listDocuments()).map((document) => document.source)).toEqual([...CORPUS_FILES, 'extra/ny plan.md'].sort());
  });

  it('refuses an index built with another embedder unless rebuilding', async () => {
    const other = createHashedEmbedder({ dimensions: 256 });
    const error = await ingestCorpus({ paths: [corpus], corpusRoot: corpus, store, embedder: other, lexicon }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('index_mismatch');
    expect((error as AppError).message).toBe(
      'The index was built with builtin-hash-v2 (1024 dims); configured builtin-hash-v2 (256 dims). Re-ingest with `npm run ingest -- --rebuild`',
    );
    expect((await store.listDocuments()).length).toBe(6);

    const rebuilt = await ingestCorpus({ paths: [corpus], corpusRoot: corpus, store, embedder: other, lexicon, rebuild: true });
    expect(rebuilt.added.length).toBe(6);
    expect(await store.info()).toEqual({ embedder: 'builtin-hash-v2', dimensions: 256 });
    const [query] = await other.embed(['familjehem'], { inputType: 'query' });
    expect((await store.searchVector(query, { k: 1 })).length).toBe(1);
  });
});

describe('ingest CLI', () => {
  it('ingests, exits 1 naming a failed file, and exits 2 on bad flags or environment', async () => {
    const corpus = await temporaryFolder('cli-corpus');
    const index = await temporaryFolder('cli-index');
    await copyFile(join(SAMPLE_CORPUS, '003_17685376f62255a5.txt'), join(corpus, '003_17685376f62255a5.txt'));
    const run = async (argv: string[], environment: Record<string, string | undefined> = {}) => {
      const stdout = sink();
      const stderr = sink();
      const code = await runIngestCli(argv, environment, { stdout, stderr, lexicon, interactive: false });
      return { code, stdout: stdout.text(), stderr: stderr.text() };
    };

    const ok = await run(['--index', index, '--corpus', corpus]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/added 1, updated 0, unchanged 0, removed 0, failed 0/);
    expect(ok.stderr).toMatch(/\[1\/1\] 003_17685376f62255a5\.txt: added/);

    await writeFile(join(corpus, 'trasig.txt'), Buffer.from([0xff, 0xfe, 0x00, 0x41]));
    const failed = await run(['--corpus', corpus], { LANCEDB_DIR: index });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/trasig\.txt: looks like a binary file/);
    expect(failed.stdout).toMatch(/unchanged 1/);

    const badFlag = await run(['--nope']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toMatch(/--nope/);
    const badEnvironment = await run(['--corpus', corpus], { LANCEDB_DIR: '  ' });
    expect(badEnvironment.code).toBe(2);
    expect(badEnvironment.stderr).toMatch(/LANCEDB_DIR/);
    const badEmbedder = await run(['--index', index, '--corpus', corpus], { EMBEDDING_MODEL: 'text-embedding-3-small' });
    expect(badEmbedder.code).toBe(2);
    expect(badEmbedder.stderr).toMatch(/EMBEDDING_MODEL/);
  });

  it('uses an OpenAI-compatible embedder from the environment and reports a mismatch with the index', async () => {
    const fake = await startFakeOpenAI({ embeddingDimensions: 32 });
    try {
      const corpus = await temporaryFolder('cli-openai-corpus');
      const index = await temporaryFolder('cli-openai-index');
      await copyFile(join(SAMPLE_CORPUS, '003_17685376f62255a5.txt'), join(corpus, '003_17685376f62255a5.txt'));
      const environment = { OPENAI_BASE_URL: fake.url, EMBEDDING_MODEL: 'fake-embedding', EMBEDDING_BATCH_SIZE: '4' };
      const stdout = sink();
      const stderr = sink();
      const code = await runIngestCli(['--index', index, '--corpus', corpus, '--json'], environment, { stdout, stderr, lexicon, interactive: false });
      expect(code).toBe(0);
      const summary = JSON.parse(stdout.text());
      expect(summary.embedder).toEqual({ embedder: 'openai:fake-embedding', dimensions: 32 });
      expect(summary.added).toEqual(['003_17685376f62255a5.txt']);
      expect(fake.embeddingRequests().every((request) => request.body.input.length <= 4)).toBe(true);

      const mismatch = sink();
      const builtin = await runIngestCli(['--index', index, '--corpus', corpus], {}, { stdout: sink(), stderr: mismatch, lexicon, interactive: false });
      expect(builtin).toBe(2);
      expect(mismatch.text()).toMatch(/built with openai:fake-embedding \(32 dims\); configured builtin-hash-v2 \(1024 dims\)\. Re-ingest with `npm run ingest -- --rebuild`/);
    } finally {
      await fake.close();
    }
  });
});
