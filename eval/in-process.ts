/**
 * The in-process system under test: `createNodeAssistant` (index in a temp folder, auto-ingest of the corpus)
 * behind `createApp({ assistant })`, called through `app.request` — the same HTTP app a server runs, without a socket.
 */
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Assistant } from '../src/core/types.ts';
import { createRetriever } from '../src/core/retrieval/retriever.ts';
import type { ChunkStore, Embedder } from '../src/core/types.ts';
import { createInProcessClient, type EvalClient, type RequestableApp } from './clients.ts';
import type { RetrieveFunction } from './baselines.ts';

/** Options of {@link createInProcessSystem}. */
export interface InProcessOptions {
  /** One corpus folder, or several ingested together (their files are copied into one temporary corpus). */
  corpusDir: string | string[];
  /** Index folder; a fresh temp folder (removed by `close`) when omitted. */
  indexDir?: string;
  /** Rank fusion of the hybrid retrieval (default rrf). */
  fusion?: 'rrf' | 'convex';
}

/** The in-process system: an API client plus what the retriever baselines need. */
export interface InProcessSystem {
  client: EvalClient;
  /** Our retriever's `retrieve` (null when the assembled pipeline does not expose a store/retriever). */
  retrieve: RetrieveFunction | null;
  /** Milliseconds spent building the assistant (ingest included). */
  setupMs: number;
  close(): Promise<void>;
}

interface NodeAssistantModule {
  createNodeAssistant(options: { corpusDir: string; indexDir: string; autoIngest: boolean; fusion?: 'rrf' | 'convex' }): unknown;
}

interface CreateAppModule {
  createApp(options: { assistant: Assistant }): unknown;
}

type Loose = Record<string, unknown> | null | undefined;

async function importModule<T>(relativePath: string, exportName: string): Promise<T> {
  const url = new URL(relativePath, import.meta.url).href;
  let module: Record<string, unknown>;
  try {
    module = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`cannot load ${relativePath} for the in-process eval: ${(error as Error).message}`);
  }
  if (typeof module[exportName] !== 'function') throw new Error(`${relativePath} does not export ${exportName}()`);
  return module as T;
}

function isAssistant(value: unknown): value is Assistant {
  return !!value && typeof (value as Assistant).chat === 'function' && typeof (value as Assistant).search === 'function';
}

function findRetrieve(created: Loose, assistant: Assistant): RetrieveFunction | null {
  for (const holder of [created, assistant as unknown as Loose]) {
    if (!holder) continue;
    const retriever = holder.retriever as { retrieve?: RetrieveFunction } | undefined;
    if (retriever && typeof retriever.retrieve === 'function') return retriever.retrieve.bind(retriever);
    const store = holder.store as ChunkStore | undefined;
    const embedder = holder.embedder as Embedder | undefined;
    if (store && embedder && typeof store.searchText === 'function' && typeof embedder.embed === 'function') {
      const built = createRetriever({ store, embedder });
      return (query, options) => built.retrieve(query, options);
    }
  }
  return null;
}

/**
 * One folder for the pipeline: the folder itself, or a temporary folder holding the files of several (a file name
 * found in two of them is an error, since gold sets name documents by file name).
 */
async function combinedCorpus(corpus: string | string[], cleanups: Array<() => Promise<void>>): Promise<string> {
  const folders = typeof corpus === 'string' ? [corpus] : corpus;
  if (folders.length === 1) return folders[0];
  const combined = await mkdtemp(join(tmpdir(), 'planassistenten-eval-corpus-'));
  cleanups.push(() => rm(combined, { recursive: true, force: true }));
  const seen = new Map<string, string>();
  for (const folder of folders) {
    for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile()) continue;
      const from = join(entry.parentPath, entry.name);
      const relativePath = from.slice(folder.length).replace(/^[\\/]+/, '');
      const other = seen.get(relativePath);
      if (other) throw new Error(`corpus folders ${other} and ${folder} both hold ${relativePath}`);
      seen.set(relativePath, folder);
      await mkdir(dirname(join(combined, relativePath)), { recursive: true });
      await copyFile(from, join(combined, relativePath));
    }
  }
  return combined;
}

/** Builds the in-process system (ingests the corpus into a temp index). */
export async function createInProcessSystem(options: InProcessOptions): Promise<InProcessSystem> {
  const started = performance.now();
  const ownsIndex = !options.indexDir;
  const indexDir = options.indexDir ?? (await mkdtemp(join(tmpdir(), 'planassistenten-eval-')));
  const cleanups: Array<() => Promise<void>> = [];
  if (ownsIndex) cleanups.push(() => rm(indexDir, { recursive: true, force: true }));
  const close = async (): Promise<void> => {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  };
  try {
    const corpusDir = await combinedCorpus(options.corpusDir, cleanups);
    const { createNodeAssistant } = await importModule<NodeAssistantModule>('../src/node-assistant.ts', 'createNodeAssistant');
    const { createApp } = await importModule<CreateAppModule>('../src/http/create-app.ts', 'createApp');
    const created = (await createNodeAssistant({ corpusDir, indexDir, autoIngest: true, ...(options.fusion ? { fusion: options.fusion } : {}) })) as Loose;
    const assistant = isAssistant(created) ? created : (created?.assistant as Assistant | undefined);
    if (!isAssistant(assistant)) throw new Error('createNodeAssistant() returned neither an Assistant nor { assistant }');
    for (const holder of [created, assistant as unknown as Loose]) {
      const closer = holder?.close;
      if (typeof closer === 'function') {
        cleanups.unshift(async () => {
          await (closer as () => unknown).call(holder);
        });
        break;
      }
    }
    const appValue = (await createApp({ assistant })) as Loose;
    const app = (typeof appValue?.request === 'function' ? appValue : appValue?.app) as RequestableApp | undefined;
    if (!app || typeof app.request !== 'function') throw new Error('createApp() returned no app with request()');
    return {
      client: createInProcessClient(app),
      retrieve: findRetrieve(created, assistant),
      setupMs: performance.now() - started,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
