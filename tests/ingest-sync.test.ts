/**
 * Where documents come from and when they go: corpus-folder sync vs other folders, --prune, start-up sync,
 * batch-independent processing and the per-document report. Real LanceDB in temp folders, real hunspell lexicon,
 * fictional documents of other nämnder under tests/fixtures/ingest-sync.
 */
import { appendFile, copyFile, cp, mkdtemp, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHunspellLexicon } from '../src/adapters/hunspell-lexicon.ts';
import { createLanceStore } from '../src/adapters/lancedb-store.ts';
import { createMemoryStore } from '../src/adapters/memory-store.ts';
import { createHashedEmbedder } from '../src/core/embedding/hashed-embedder.ts';
import type { Lexicon } from '../src/core/types.ts';
import { createNodeAssistant } from '../src/node-assistant.ts';
import { runIngestCli } from '../ingest/cli.ts';
import { fileOfSource, ingestCorpus, isCorpusSource, sourceForPath, type IngestStore } from '../ingest/pipeline.ts';
import { formatSummary } from '../ingest/progress.ts';
import { countAssignmentSentences, countDamage } from '../ingest/report.ts';
import { sink } from './helpers/sink.ts';

const FIXTURES = resolve('tests/fixtures/ingest-sync');
const IDROTT = 'idrott-verksamhetsplan-2025.md';
const STADSMILJO = 'stadsmiljo-genomforandeplan-2026.txt';
const ARBETSMARKNAD = 'arbetsmarknad-budget-2024.txt';
const ANTECKNINGAR = 'minnesanteckningar.txt';

const folders: string[] = [];
async function temporaryFolder(prefix: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), `planassistenten-sync-${prefix}-`));
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

const embedder = createHashedEmbedder({ dimensions: 64 });
const sources = async (store: IngestStore) => (await store.listDocuments()).map((document) => document.source).sort();

describe('sources: where a document remembers its file', () => {
  it('is relative inside the corpus folder and absolute outside it, and maps back to the file', () => {
    const root = resolve('/srv/corpus');
    expect(sourceForPath('/srv/corpus/a.txt', root)).toBe('a.txt');
    expect(sourceForPath('/srv/corpus/sub/b c.pdf', root)).toBe('sub/b c.pdf');
    expect(sourceForPath('/srv/other/a.txt', root)).toBe('/srv/other/a.txt');
    expect(sourceForPath('/srv/corpus-2/a.txt', root)).toBe('/srv/corpus-2/a.txt');
    expect(sourceForPath('/srv/corpus/..hidden.txt', root)).toBe('..hidden.txt');
    expect(isCorpusSource('sub/b c.pdf')).toBe(true);
    expect(isCorpusSource('/srv/other/a.txt')).toBe(false);
    expect(fileOfSource('sub/b c.pdf', root)).toBe(join(root, 'sub', 'b c.pdf'));
    expect(fileOfSource('/srv/other/a.txt', root)).toBe(resolve('/srv/other/a.txt'));
  });
});

describe('ingesting other folders next to the corpus folder', () => {
  it('a plain corpus ingest keeps documents from elsewhere; only --prune removes them once their files are gone', async () => {
    const corpus = await temporaryFolder('corpus');
    const other = await temporaryFolder('other');
    const index = await temporaryFolder('index');
    await copyFile(join(FIXTURES, IDROTT), join(corpus, IDROTT));
    await copyFile(join(FIXTURES, STADSMILJO), join(corpus, STADSMILJO));
    await copyFile(join(FIXTURES, ARBETSMARKNAD), join(other, ARBETSMARKNAD));
    const run = async (argv: string[]) => {
      const stdout = sink();
      const stderr = sink();
      const code = await runIngestCli(['--index', index, '--corpus', corpus, ...argv], {}, { stdout, stderr, lexicon, embedder, interactive: false });
      return { code, stdout: stdout.text(), stderr: stderr.text() };
    };
    const listed = async () => {
      const store = await createLanceStore({ directory: index });
      try {
        return await sources(store);
      } finally {
        await store.close();
      }
    };
    const otherSource = join(other, ARBETSMARKNAD).split('\\').join('/');

    expect((await run([])).code).toBe(0);
    const added = await run([other]);
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/added 1, updated 0, unchanged 0, removed 0/);
    expect(await listed()).toEqual([otherSource, IDROTT, STADSMILJO].sort());

    // The plain ingest of the corpus folder used to delete the other folder's document.
    const plain = await run([]);
    expect(plain.stdout).toMatch(/removed 0/);
    expect(await listed()).toEqual([otherSource, IDROTT, STADSMILJO].sort());

    // A file gone from the corpus folder goes; the other folder's document stays even when its file is gone ...
    await unlink(join(corpus, STADSMILJO));
    await unlink(join(other, ARBETSMARKNAD));
    const synced = await run([]);
    expect(synced.stdout).toMatch(/removed 1/);
    expect(await listed()).toEqual([otherSource, IDROTT].sort());
    // ... an explicit path never removes anything ...
    await copyFile(join(FIXTURES, ANTECKNINGAR), join(corpus, ANTECKNINGAR));
    expect((await run([join(corpus, ANTECKNINGAR)])).stdout).toMatch(/added 1, updated 0, unchanged 0, removed 0/);
    // ... and --prune removes every document whose file no longer exists anywhere.
    const pruned = await run(['--prune', join(corpus, IDROTT)]);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toMatch(/removed 1/);
    expect(await listed()).toEqual([IDROTT, ANTECKNINGAR].sort());

    const help = await run(['--help']);
    expect(help.stdout).toMatch(/--prune/);
    expect(help.stdout).toMatch(/relative to the corpus folder/);
    expect(help.stdout).toMatch(/absolute path/);
  });
});

describe('start-up sync of the corpus folder', () => {
  it('applies new, changed and removed files on every start and never removes documents from other folders', async () => {
    const corpus = await temporaryFolder('start-corpus');
    const other = await temporaryFolder('start-other');
    const index = await temporaryFolder('start-index');
    await copyFile(join(FIXTURES, IDROTT), join(corpus, IDROTT));
    const start = () => createNodeAssistant({ corpusDir: corpus, indexDir: index, embedder, lexicon });

    let node = await start(); // first start: ingests the corpus folder
    expect(await sources(node.store)).toEqual([IDROTT]);
    await node.close();

    // A document ingested from another folder.
    await copyFile(join(FIXTURES, ARBETSMARKNAD), join(other, ARBETSMARKNAD));
    const store = await createLanceStore({ directory: index });
    await ingestCorpus({ paths: [other], corpusRoot: corpus, store, embedder, lexicon });
    await store.close();

    // A copied-in file, a changed file.
    await copyFile(join(FIXTURES, STADSMILJO), join(corpus, STADSMILJO));
    await appendFile(join(corpus, IDROTT), '\nFörvaltningen får i uppdrag att öppna en ny konstgräsplan i Kortedala.\n');
    node = await start();
    const listed = await sources(node.store);
    expect(listed).toContain(STADSMILJO);
    expect(listed).toContain(IDROTT);
    expect(listed.some((source) => source.endsWith(`/${ARBETSMARKNAD}`))).toBe(true);
    const found = await node.assistant.search({ query: 'konstgräsplan Kortedala', k: 3 });
    expect(found.results.map((result) => result.text).join('\n')).toMatch(/konstgräsplan/);
    await node.close();

    // A removed file goes; the other folder's document stays.
    await unlink(join(corpus, IDROTT));
    node = await start();
    const after = await sources(node.store);
    expect(after).not.toContain(IDROTT);
    expect(after).toContain(STADSMILJO);
    expect(after.some((source) => source.endsWith(`/${ARBETSMARKNAD}`))).toBe(true);
    await node.close();
  });
});

describe('each document is processed on its own', () => {
  it('stores the same text for a file ingested alone and in a batch with other files', async () => {
    // The sample corpus includes OCR-damaged documents whose repair used to depend on word counts over the batch.
    const batchFolder = await temporaryFolder('batch');
    await cp(resolve('data/corpus'), batchFolder, { recursive: true });
    for (const name of await readdir(FIXTURES)) await copyFile(join(FIXTURES, name), join(batchFolder, name));
    const batch = createMemoryStore();
    await ingestCorpus({ paths: [batchFolder], corpusRoot: batchFolder, store: batch, embedder, lexicon });
    const stored = async (store: IngestStore, source: string) => {
      const document = (await store.listDocuments()).find((item) => item.source === source);
      expect(document, source).toBeDefined();
      return (await store.getChunks(document!.id)).map((chunk) => chunk.text);
    };
    for (const name of (await readdir(batchFolder)).sort()) {
      const alone = createMemoryStore();
      await ingestCorpus({ paths: [join(batchFolder, name)], corpusRoot: batchFolder, store: alone, embedder, lexicon });
      expect(await stored(alone, name), name).toEqual(await stored(batch, name));
    }
  }, 120_000);
});

describe('per-document report', () => {
  it('counts damage left in a text, not words that merely end in a or o', () => {
    const damage = countDamage('Det ﬁnns ﬂer till\u00ADgängliga lokaler � fo r na mnden. Vi ska ta mer ansvar och bo kvar.', lexicon);
    expect(damage).toMatchObject({ ligatures: 2, softHyphens: 1, replacementCharacters: 1, splitDiacritics: 2, total: 6 });
    expect(countDamage('Nämnden ska ta mer ansvar för att barn och unga får bo kvar i området.', lexicon).total).toBe(0);
  });

  it('sees "i uppdrag"-like sentences in general Swedish', () => {
    const text = [
      'Nämnden ger förvaltningen i uppdrag att utreda frågan. Detta är bakgrund.',
      'Förvaltningen får i uppdrag att redovisa. Förvaltningen uppdras att återkomma.',
      'Kommunstyrelsen gav stadsledningskontoret i uppdrag att samordna arbetet.',
      'Uppdraget redovisades i juni. Uppdrag',
    ].join('\n');
    expect(countAssignmentSentences(text)).toBe(4);
  });

  it('reports chunks, uppdrag, committee, year/date and damage per document and lists the ones needing attention', async () => {
    const corpus = await temporaryFolder('report');
    for (const name of [IDROTT, STADSMILJO, ANTECKNINGAR]) await copyFile(join(FIXTURES, name), join(corpus, name));
    const index = await temporaryFolder('report-index');
    const run = async (argv: string[]) => {
      const stdout = sink();
      const code = await runIngestCli(['--index', index, '--corpus', corpus, ...argv], {}, { stdout, stderr: sink(), lexicon, embedder, interactive: false });
      return { code, stdout: stdout.text() };
    };
    const json = await run(['--json']);
    expect(json.code).toBe(0);
    const summary = JSON.parse(json.stdout);
    const quality = (source: string) => summary.documents.find((report: { source: string }) => report.source === source).quality;
    expect(quality(IDROTT)).toMatchObject({ committee: { recognised: true }, year: 2025, uppdrag: { sentences: 3 } });
    expect(quality(IDROTT).chunks).toBeGreaterThan(0);
    // The raw file has ligatures and a soft hyphen; normalisation leaves none in the stored text.
    expect(quality(STADSMILJO).damage).toMatchObject({ ligatures: 0, softHyphens: 0, replacementCharacters: 0 });
    expect(quality(ANTECKNINGAR)).toMatchObject({ committee: { recognised: false } });
    expect(quality(ANTECKNINGAR).warnings).toEqual(expect.arrayContaining(['committee not recognised', 'no year', 'no date']));
    const attention = summary.needsAttention.map((entry: { source: string }) => entry.source);
    expect(attention).toEqual(expect.arrayContaining([ANTECKNINGAR]));

    const text = formatSummary(summary);
    expect(text).toMatch(/Needs attention \(\d+\):[\s\S]*minnesanteckningar\.txt: committee not recognised/);
    expect(text).toMatch(/stadsmiljo-genomforandeplan-2026\.txt: .*uppdrag \d+ records \/ 2 "i uppdrag" sentences/);

    // Unchanged documents are reported only when asked to check them.
    const again = await run([]);
    expect(again.stdout).toMatch(/3 unchanged document\(s\) not re-checked/);
    const all = await run(['--report-all']);
    expect(all.stdout).toMatch(/Needs attention[\s\S]*minnesanteckningar\.txt/);
  });

  it('reports wrong or missing metadata per document: no committee, no date, a committee outside the profile', async () => {
    const corpus = await temporaryFolder('metadata-report');
    const files: Record<string, string> = {
      // A committee the profile does not list, a year but no date.
      'fritid.txt': 'Fritidsnämnden Norrby\nVerksamhetsplan 2027\n\n1 Uppdrag\n\nFritidsnämnden Norrby ger förvaltningen i uppdrag att rusta upp badplatserna.\n',
      // Notes without committee, year, date or document type.
      'workshop.txt': 'Anteckningar från workshop om cykelvägar\n\nVi pratade om cykelvägar, belysning och vinterväghållning längs älven.\n',
      // Complete: committee, type, year and date.
      'byggnad.txt': 'Stadsbyggnadsnämnden\nVerksamhetsplan 2026\nDatum: 2025-11-20\n\n1 Mål\n\nHandläggningstiderna för bygglov ska bli kortare.\n',
    };
    for (const [name, text] of Object.entries(files)) await writeFile(join(corpus, name), text);
    const index = await temporaryFolder('metadata-report-index');
    const stdout = sink();
    expect(await runIngestCli(['--index', index, '--corpus', corpus, '--json'], {}, { stdout, stderr: sink(), lexicon, embedder, interactive: false })).toBe(0);
    const summary = JSON.parse(stdout.text());
    const quality = (source: string) => summary.documents.find((report: { source: string }) => report.source === source).quality;
    expect(quality('fritid.txt').metadata).toEqual(['committee not in the profile: Fritidsnämnden Norrby', 'no date']);
    expect(quality('fritid.txt')).toMatchObject({ committee: { name: 'Fritidsnämnden Norrby', recognised: true }, year: 2027 });
    expect(quality('workshop.txt').metadata).toEqual(expect.arrayContaining(['committee not recognised', 'no year', 'no date', 'type unknown']));
    expect(quality('byggnad.txt').metadata).toEqual([]);
    // The metadata warnings lead each document's warnings and put it under "Needs attention".
    expect(quality('workshop.txt').warnings.slice(0, quality('workshop.txt').metadata.length)).toEqual(quality('workshop.txt').metadata);
    expect(summary.needsAttention.map((entry: { source: string }) => entry.source).sort()).toEqual(['fritid.txt', 'workshop.txt']);
    const text = formatSummary(summary);
    expect(text).toMatch(/fritid\.txt: .*Fritidsnämnden Norrby; verksamhetsplan, 2027, no date; damage left 0; metadata: committee not in the profile: Fritidsnämnden Norrby/);
    expect(text).toMatch(/workshop\.txt: .*committee not recognised; annat, no year, no date; .*metadata: type unknown/);
    expect(text).not.toMatch(/byggnad\.txt: [^\n]*metadata:/);
    expect(text).toMatch(/Needs attention[\s\S]*fritid\.txt: committee not in the profile: Fritidsnämnden Norrby; no date/);
  });
});
