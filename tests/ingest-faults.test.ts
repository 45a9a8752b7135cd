/**
 * Ingest under faults, with real LanceDB in temp folders and real child processes: killed midway (SIGKILL), queried
 * while it re-ingests, a read-only index folder, an embedding provider that is down.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFile, chmod, chown, copyFile, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHunspellLexicon } from '../src/adapters/hunspell-lexicon.ts';
import { createLanceStore } from '../src/adapters/lancedb-store.ts';
import { createOpenAIEmbedder } from '../src/adapters/openai-embedder.ts';
import { createHashedEmbedder } from '../src/core/embedding/hashed-embedder.ts';
import type { Lexicon, StoredDocument } from '../src/core/types.ts';
import { runIngestCli } from '../ingest/cli.ts';
import { ingestCorpus } from '../ingest/pipeline.ts';
import { createNodeAssistant } from '../src/node-assistant.ts';
import { startFakeOpenAI } from './fakes/fake-openai-server.ts';
import { sink } from './helpers/sink.ts';

const WORKTREE = resolve('.');
const FIXTURES = resolve('tests/fixtures/ingest-sync');
const CLI = resolve('ingest/cli.ts');

const folders: string[] = [];
async function temporaryFolder(prefix: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), `planassistenten-faults-${prefix}-`));
  folders.push(folder);
  return folder;
}
/** Makes a folder tree read-only (owned by `owner` when given), or writable again. */
async function setReadOnly(folder: string, readOnly: boolean, owner?: { uid: number; gid: number }): Promise<void> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  const paths = [folder, ...entries.map((entry) => join(entry.parentPath, entry.name))];
  for (const path of paths.reverse()) {
    const isFolder = path === folder || (await stat(path)).isDirectory();
    if (owner) await chown(path, owner.uid, owner.gid);
    await chmod(path, readOnly ? (isFolder ? 0o555 : 0o444) : isFolder ? 0o755 : 0o644);
  }
}

afterAll(async () => {
  for (const folder of folders) await setReadOnly(folder, false).catch(() => undefined);
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});


let lexicon: Lexicon;
beforeAll(async () => {
  lexicon = await createHunspellLexicon();
});

const embedder = createHashedEmbedder(); // what the CLI child uses without embedder settings

/** A corpus of `count` small documents of several nämnder (fixtures with a numbered paragraph each). */
async function makeCorpus(count: number): Promise<string> {
  const corpus = await temporaryFolder('corpus');
  const names = (await readdir(FIXTURES)).sort();
  for (let index = 0; index < count; index++) {
    const name = names[index % names.length];
    const text = await readFile(join(FIXTURES, name), 'utf8');
    const numbered = `${text}\nUppföljning ${index}: nämnden följer upp arbetet med mötesplatser i stadsdel ${index}.\n`;
    await writeFile(join(corpus, `${String(index).padStart(3, '0')}-${name}`), numbered);
  }
  return corpus;
}

/** Spawns the ingest CLI as a child process; resolves lines of stderr as they come. */
function spawnIngest(args: string[], options: { uid?: number; gid?: number; env?: Record<string, string> } = {}) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: WORKTREE,
    env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), LANCEDB_LOG: 'error', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid } : {}),
  });
  let stderr = '';
  let stdout = '';
  const listeners: Array<() => void> = [];
  child.stderr!.on('data', (data) => {
    stderr += String(data);
    for (const listener of listeners) listener();
  });
  child.stdout!.on('data', (data) => {
    stdout += String(data);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.on('exit', (code, signal) => resolveExit({ code, signal })),
  );
  /** Resolves when `count` per-file result lines were printed. */
  const results = (count: number) =>
    new Promise<void>((resolveResults, reject) => {
      const check = () => {
        if ((stderr.match(/^\[\d+\/\d+\] /gm) ?? []).length >= count) resolveResults();
      };
      listeners.push(check);
      check();
      void exited.then(() => reject(new Error(`ingest exited before ${count} results:\n${stderr}`)));
    });
  return { child, exited, results, stderr: () => stderr, stdout: () => stdout };
}

/** Every listed document has exactly its chunks and no chunk belongs to an unlisted document. */
async function expectConsistent(indexDir: string): Promise<StoredDocument[]> {
  const store = await createLanceStore({ directory: indexDir });
  try {
    const documents = await store.listDocuments();
    const ids = new Set(documents.map((document) => document.id));
    for (const document of documents) expect((await store.getChunks(document.id)).length, document.source).toBeGreaterThan(0);
    expect((await store.allChunks()).filter((chunk) => !ids.has(chunk.documentId))).toEqual([]);
    return documents;
  } finally {
    await store.close();
  }
}

describe('ingest killed with SIGKILL midway', () => {
  it('leaves an index that opens and answers; a rerun completes it', async () => {
    const corpus = await makeCorpus(60);
    const index = await temporaryFolder('kill-index');
    const store = await createLanceStore({ directory: index });
    const first = await ingestCorpus({ paths: [corpus], corpusRoot: corpus, store, embedder, lexicon });
    expect(first.added.length).toBe(60);
    await store.close();
    const before = new Map((await expectConsistent(index)).map((document) => [document.source, document.contentHash]));

    for (const name of await readdir(corpus)) await appendFile(join(corpus, name), '\nNy version: förvaltningen får i uppdrag att öppna ett nytt fritidsgårdsnätverk.\n');
    const run = spawnIngest(['--index', index, '--corpus', corpus]);
    await run.results(8);
    run.child.kill('SIGKILL');
    const exit = await run.exited;
    expect(exit.signal).toBe('SIGKILL');
    expect(run.stderr()).not.toMatch(/\[60\/60\]/);

    // The index opens; every document is there (the previous version or, for the ones finished, the new one).
    const node = await createNodeAssistant({ corpusDir: corpus, indexDir: index, embedder, lexicon, autoIngest: false });
    try {
      const documents = await node.store.listDocuments();
      expect(documents.map((document) => document.source).sort()).toEqual([...before.keys()].sort());
      const updated = documents.filter((document) => document.contentHash !== before.get(document.source));
      expect(updated.length).toBeGreaterThan(0);
      expect(updated.length).toBeLessThan(60);
      const found = await node.assistant.search({ query: 'föreningsbidrag till unga', k: 5 });
      expect(found.results.length).toBeGreaterThan(0);
    } finally {
      await node.close();
    }

    // A rerun completes: everything new, nothing failed, nothing orphaned.
    const rerun = await runIngestCli(['--index', index, '--corpus', corpus], {}, { stdout: sink(), stderr: sink(), lexicon, embedder, interactive: false });
    expect(rerun).toBe(0);
    const after = await expectConsistent(index);
    expect(after.length).toBe(60);
    expect(after.every((document) => document.contentHash !== before.get(document.source))).toBe(true);
  }, 180_000);
});

describe('queries during a re-ingest', () => {
  it('keep answering, from the old or the new version, without errors', async () => {
    const corpus = await makeCorpus(40);
    const index = await temporaryFolder('busy-index');
    const node = await createNodeAssistant({ corpusDir: corpus, indexDir: index, embedder, lexicon });
    try {
      expect((await node.store.listDocuments()).length).toBe(40);
      for (const name of await readdir(corpus)) await appendFile(join(corpus, name), '\nTillägg: nämnden ger förvaltningen i uppdrag att följa upp badplatserna.\n');
      const run = spawnIngest(['--index', index, '--corpus', corpus]);
      let done = false;
      void run.exited.then(() => {
        done = true;
      });
      const errors: unknown[] = [];
      let answered = 0;
      let empty = 0;
      while (!done) {
        try {
          const found = await node.assistant.search({ query: 'uppdrag föreningsbidrag unga', k: 5 });
          if (found.results.length === 0) empty++;
          const listed = await node.assistant.listDocuments();
          const document = await node.assistant.getDocument(listed[answered % listed.length].id);
          if (!document) empty++;
          for await (const event of node.assistant.chat({ messages: [{ role: 'user', content: 'Vilka uppdrag har Idrotts- och föreningsnämnden?' }] })) {
            if (event.type === 'done') answered++;
          }
        } catch (error) {
          errors.push(error);
        }
      }
      const exit = await run.exited;
      expect(exit.code, run.stderr()).toBe(0);
      expect(errors).toEqual([]);
      expect(empty).toBe(0);
      expect(answered).toBeGreaterThan(0);
      const documents = await node.store.listDocuments();
      expect(documents.length).toBe(40);
      // The running assistant sees the new version.
      const found = await node.assistant.search({ query: 'badplatserna', k: 3 });
      expect(found.results.map((result) => result.text).join('\n')).toMatch(/badplatserna/);
    } finally {
      await node.close();
    }
  }, 180_000);
});

describe('a read-only index folder', () => {
  const runAsOther = process.getuid?.() === 0; // root may write anywhere: run the child as "nobody"
  // "nobody" must be able to run this Node binary (one from `npx -p node@22` lives in root's private npm cache).
  const canRun = !runAsOther || spawnSync(process.execPath, ['--version'], { uid: 65534, gid: 65534 }).status === 0;

  it.skipIf(!canRun)('ingest fails with a clear error naming the folder; the server still starts and serves the index', async () => {
    const corpus = await makeCorpus(3);
    const index = await temporaryFolder('readonly-index');
    const store = await createLanceStore({ directory: index });
    await ingestCorpus({ paths: [corpus], corpusRoot: corpus, store, embedder, lexicon });
    await store.close();
    await copyFile(join(FIXTURES, 'minnesanteckningar.txt'), join(corpus, 'ny.txt'));
    const identity = runAsOther ? { uid: 65534, gid: 65534 } : {};
    await setReadOnly(index, true, runAsOther ? { uid: 65534, gid: 65534 } : undefined);

    const run = spawnIngest(['--index', index, '--corpus', corpus], identity);
    const exit = await run.exited;
    expect(exit.code, run.stderr()).toBe(2);
    expect(run.stderr()).toContain(index);
    expect(run.stderr()).toMatch(/cannot write the index folder .*permission denied/);

    // The server side: a start with a read-only index serves what is there (and says why it did not sync).
    const script = join(await temporaryFolder('readonly-script'), 'start.mts');
    await writeFile(
      script,
      [
        `import { createNodeAssistant } from ${JSON.stringify(join(WORKTREE, 'src/node-assistant.ts'))};`,
        `import { createHashedEmbedder } from ${JSON.stringify(join(WORKTREE, 'src/core/embedding/hashed-embedder.ts'))};`,
        'const warnings = [];',
        "const logger = { debug() {}, info() {}, error(m) { warnings.push(m); }, warn(m) { warnings.push(m); } };",
        `const node = await createNodeAssistant({ corpusDir: ${JSON.stringify(corpus)}, indexDir: ${JSON.stringify(index)}, embedder: createHashedEmbedder(), logger });`,
        'const documents = await node.assistant.listDocuments();',
        "const found = await node.assistant.search({ query: 'uppdrag', k: 3 });",
        'console.log(JSON.stringify({ documents: documents.length, results: found.results.length, warnings }));',
        'await node.close();',
      ].join('\n'),
    );
    await chmod(script, 0o644);
    await chmod(join(script, '..'), 0o755);
    const server = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: WORKTREE,
      env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), LANCEDB_LOG: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...identity,
    });
    let output = '';
    let errorOutput = '';
    server.stdout.on('data', (data) => (output += String(data)));
    server.stderr.on('data', (data) => (errorOutput += String(data)));
    const code = await new Promise<number | null>((resolveExit) => server.on('exit', resolveExit));
    expect(code, errorOutput).toBe(0);
    const result = JSON.parse(output.trim().split('\n').at(-1)!);
    expect(result.documents).toBe(3);
    expect(result.results).toBeGreaterThan(0);
    expect(result.warnings.join('\n')).toContain(index);
  }, 120_000);
});

describe('an embedding provider that is down during ingest', () => {
  it('stops with a clear error naming the file and the provider; nothing already ingested is lost; a rerun completes', async () => {
    const fake = await startFakeOpenAI({ embeddingDimensions: 16 });
    try {
      const corpus = await makeCorpus(3);
      const index = await temporaryFolder('down-index');
      const remote = createOpenAIEmbedder({ baseURL: fake.url, model: 'fake-embedding', maxRetries: 1, retryBaseDelayMs: 5 });
      const run = async () => {
        const stdout = sink();
        const stderr = sink();
        const code = await runIngestCli(['--index', index, '--corpus', corpus], {}, { stdout, stderr, lexicon, embedder: remote, interactive: false });
        return { code, stdout: stdout.text(), stderr: stderr.text() };
      };
      expect((await run()).code).toBe(0);
      const before = await expectConsistent(index);
      expect(before.length).toBe(3);

      const names = (await readdir(corpus)).sort();
      await appendFile(join(corpus, names[0]), '\nÄndrad: nämnden får i uppdrag att se över öppettiderna.\n');
      await copyFile(join(FIXTURES, 'idrott-verksamhetsplan-2025.md'), join(corpus, 'zz-ny.md'));
      // Down for this run (2 attempts) and the start-up below (2 attempts), then back.
      fake.failNextEmbeddings(...Array.from({ length: 4 }, () => ({ status: 500, message: 'upstream unavailable' })));
      const down = await run();
      expect(down.code).toBe(2);
      expect(down.stderr).toMatch(/Embedding failed while ingesting .*000-/);
      expect(down.stderr).toMatch(/HTTP 500/);
      expect(down.stderr).toMatch(/nothing already in the index was removed/);
      // The run stopped at the first failure instead of failing every file after its retries.
      expect(fake.embeddingRequests().length).toBe(3 + 2);
      expect(await expectConsistent(index)).toEqual(before);

      // A start while the provider is down serves the index as it is.
      const logged: string[] = [];
      const logger = { debug() {}, info() {}, warn: (message: string) => logged.push(message), error: (message: string) => logged.push(message) };
      const node = await createNodeAssistant({ corpusDir: corpus, indexDir: index, embedder: remote, lexicon, logger });
      expect((await node.store.listDocuments()).length).toBe(3);
      await node.close();
      expect(logged.join('\n')).toMatch(/could not sync the corpus folder; serving the index as it is: Embedding failed/);

      const back = await run();
      expect(back.code, back.stderr).toBe(0);
      expect(back.stdout).toMatch(/added 1, updated 1, unchanged 2/);
      expect((await expectConsistent(index)).length).toBe(4);
    } finally {
      await fake.close();
    }
  }, 120_000);
});
