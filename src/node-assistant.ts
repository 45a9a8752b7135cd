/**
 * Node wiring of the assistant: LanceDB store, embedder check against the index, corpus sync on every start,
 * hunspell lexicon and the core assistant service.
 */
import { access, constants, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { createHunspellLexicon } from './adapters/hunspell-lexicon.ts';
import { explainStoreError, isIndexUri } from './adapters/index-location.ts';
import { createLanceStore } from './adapters/lancedb-store.ts';
import { readFile } from 'node:fs/promises';
import { createAssistant } from './core/assistant.ts';
import { defaultSynonyms, mergeSynonyms, parseSynonymFile } from './core/query/index.ts';
import { createHashedEmbedder } from './core/embedding/hashed-embedder.ts';
import type { Reranker } from './core/retrieval/rerank.ts';
import { AppError, type Assistant, type ChatModel, type Embedder, type IndexInfo, type Lexicon } from './core/types.ts';
import { type Logger, silentLogger } from './http/errors.ts';
import { findCorpusFiles } from '../ingest/loaders.ts';
import { builtBySameEmbedder, ingestCorpus, type IngestStore } from '../ingest/pipeline.ts';

/** Options of {@link createNodeAssistant}. */
export interface NodeAssistantOptions {
  /** Folder with the documents (ingested on first start, synced on every later start). */
  corpusDir: string;
  /** LanceDB folder, or an object-store URI (`s3://bucket/prefix`, with `indexStorageOptions`). */
  indexDir: string;
  /** LanceDB storage options of an object-store index (`parseIndexLocation`). */
  indexStorageOptions?: Record<string, string>;
  /**
   * Never write the index (default false): no corpus sync at start, whatever `autoIngest` says. A replica serving an
   * index that one ingest job writes; it picks up each new version on its own (see `indexRefreshSeconds`).
   */
  readOnly?: boolean;
  /** Seconds between checks for a new index version written by another process (default 0 = on every read). */
  indexRefreshSeconds?: number;
  /** Default: the builtin hashed embedder. Must match the embedder the index was built with. */
  embedder?: Embedder;
  /** When given, answers come from the LLM with the extractive answer as fallback. */
  chatModel?: ChatModel;
  /** Budget of one LLM attempt incl. fallback (ms, default 2500). */
  llmTimeoutMs?: number;
  /**
   * Bring `corpusDir` into the index on start (default true): the first start ingests it, later starts apply its new,
   * changed and removed files (documents from other folders stay).
   */
  autoIngest?: boolean;
  /** Default: hunspell sv_SE. */
  lexicon?: Lexicon;
  /** Rank fusion of hybrid retrieval: reciprocal rank fusion (default) or a convex combination of normalised scores. */
  fusion?: 'rrf' | 'convex';
  /** Extra synonym file (SYNONYMS_FILE) merged into the builtin table; a bad file is an error naming it. */
  synonymsFile?: string;
  /** Optional cross-encoder stage (RERANK_URL) before the coverage rerank. */
  reranker?: Reranker;
  logger?: Logger;
}

/** What {@link createNodeAssistant} returns. */
export interface NodeAssistant {
  assistant: Assistant;
  store: Awaited<ReturnType<typeof createLanceStore>>;
  embedder: Embedder;
  close(): Promise<void>;
}

/** Array fields of a summary as counts (`{ added: 5, failed: 0 }`), other scalar fields as they are. */
function countsOf(summary: object): Record<string, unknown> {
  const counts: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(summary)) {
    if (Array.isArray(value)) counts[key] = value.length;
    else if (value === null || typeof value !== 'object') counts[key] = value;
  }
  return counts;
}

/**
 * Throws `index_mismatch` when the index was built with another embedder (model id, or vector size when
 * the configured embedder knows it) than the configured one.
 */
export function assertIndexMatches(info: IndexInfo | null, embedder: Embedder, indexDir: string): void {
  if (!info || builtBySameEmbedder(info, embedder)) return;
  const configured = `${embedder.modelId}${embedder.dimensions ? ` (${embedder.dimensions} dimensions)` : ''}`;
  throw new AppError(
    'index_mismatch',
    `The index in ${indexDir} was built with the embedder ${info.embedder} (${info.dimensions} dimensions), ` +
      `but the configured embedder is ${configured}. Re-ingest with \`npm run ingest -- --rebuild\` ` +
      '(using the same EMBEDDING_MODEL / OPENAI_* settings as the server), or change the settings back.',
  );
}

/**
 * Why the index on disk was written by an older version of this program and must be rebuilt, or null: built by an
 * older version of the builtin embedder (`builtin-hash-v1` while the code has `-v2`: the Swedish analysis changed),
 * or its tables lack a column of the current schema. Another embedder altogether is not "outdated" (that is a
 * configuration mismatch, see {@link assertIndexMatches}).
 */
export async function outdatedIndex(store: { outdated?: () => Promise<string | null> }, info: IndexInfo | null, embedder: Embedder): Promise<string | null> {
  const builtin = (modelId: string) => modelId.startsWith('builtin-hash-');
  if (info && info.embedder !== embedder.modelId && builtin(info.embedder) && builtin(embedder.modelId) && info.dimensions === embedder.dimensions) {
    return `The index was built with ${info.embedder}, an older version of the builtin embedder (now ${embedder.modelId})`;
  }
  if (info && !builtBySameEmbedder(info, embedder)) return null;
  return (await store.outdated?.()) ?? null;
}

/** What the start-up steps (rebuild of an outdated index, sync of the corpus folder) work with. */
interface StartContext {
  corpusDir: string;
  indexDir: string;
  store: IngestStore;
  embedder: Embedder;
  lexicon: Lexicon;
  logger: Logger;
}

/**
 * Rebuilds an outdated index from the corpus folder on start (logged as a warning); documents ingested from other
 * folders must be ingested again. Without auto-ingest, a corpus folder or a writable index folder, it is an
 * `index_mismatch` error saying to rebuild.
 */
async function rebuildOutdatedIndex(context: StartContext & { reason: string; autoIngest: boolean }): Promise<void> {
  const { reason, corpusDir, indexDir, store, embedder, lexicon, logger } = context;
  const corpusExists = await stat(corpusDir).then((entry) => entry.isDirectory(), () => false);
  const readOnly = await notWritable(indexDir);
  if (!context.autoIngest || !corpusExists || readOnly) {
    throw new AppError('index_mismatch', `${reason}. Re-ingest with \`npm run ingest -- --rebuild\` (in ${indexDir}).`);
  }
  logger.warn(`${reason}: rebuilding the index from the corpus folder (documents ingested from other folders must be ingested again)`, { corpusDir, indexDir });
  const started = Date.now();
  const summary = await ingestCorpus({ paths: [corpusDir], corpusRoot: corpusDir, store, embedder, lexicon, rebuild: true });
  logger.info('index rebuilt', { ms: Date.now() - started, ...countsOf(summary) });
}

/** Why `directory` (or the folder it would be created in) cannot be written, or null. */
async function notWritable(directory: string): Promise<string | null> {
  let folder = directory;
  while (!(await access(folder, constants.F_OK).then(() => true, () => false))) {
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return access(folder, constants.W_OK).then(
    () => null,
    (error: NodeJS.ErrnoException) => `${folder} is not writable (${error.code ?? 'permission denied'})`,
  );
}

/**
 * Brings the corpus folder into the index on start: the first start ingests it; later starts apply new, changed and
 * removed files of the corpus folder (incremental by content hash; unchanged files are only hashed). Documents
 * ingested from other folders are never removed. A sync that cannot run (index folder read-only, embedding provider
 * down) is logged and the existing index is served; only an embedder/index mismatch is fatal.
 */
async function syncCorpusOnStart(context: StartContext & { firstStart: boolean }): Promise<void> {
  const { corpusDir, indexDir, store, embedder, lexicon, logger, firstStart } = context;
  const exists = await stat(corpusDir).then(
    (entry) => entry.isDirectory(),
    () => false,
  );
  if (!exists) {
    if (firstStart) logger.warn('no index and no corpus folder: starting with an empty index', { corpusDir, indexDir });
    else logger.warn('the corpus folder does not exist: serving the index as it is', { corpusDir, indexDir });
    return;
  }
  const readOnly = isIndexUri(indexDir) ? null : await notWritable(indexDir);
  if (readOnly) {
    logger.warn(`the index folder cannot be written (${readOnly}): serving the index as it is, without syncing the corpus folder`, { corpusDir, indexDir });
    return;
  }
  if (firstStart) {
    const found = await findCorpusFiles([corpusDir], corpusDir);
    if (found.files.length === 0) {
      for (const problem of found.errors) logger.warn(`skipping: ${problem.message}`);
      logger.warn('no index and the corpus folder has no documents: starting with an empty index', { corpusDir });
      return;
    }
    logger.info('no index yet: ingesting the corpus', { corpusDir, indexDir, files: found.files.length, embedder: embedder.modelId });
  }
  const started = Date.now();
  try {
    const summary = await ingestCorpus({ paths: [corpusDir], corpusRoot: corpusDir, store, embedder, lexicon });
    const changed = summary.added.length + summary.updated.length + summary.removed.length;
    logger.info(firstStart ? 'ingest finished' : changed ? 'corpus folder synced' : 'corpus folder unchanged', {
      ms: Date.now() - started,
      ...countsOf(summary),
    });
    for (const failure of summary.failed) logger.warn(`could not ingest ${failure.source}: ${failure.message}`);
    for (const entry of summary.needsAttention) logger.warn(`needs attention: ${entry.source}: ${entry.warnings.join('; ')}`);
  } catch (error) {
    if (error instanceof AppError && error.code === 'index_mismatch') throw error;
    logger.error(`could not sync the corpus folder; serving the index as it is: ${error instanceof Error ? error.message : String(error)}`, {
      corpusDir,
      indexDir,
    });
  }
}

/**
 * Opens the index, brings the corpus folder into it (see `syncCorpusOnStart`) and creates the assistant.
 * Fails with AppError('index_mismatch') when the index and the configured embedder disagree.
 */
export async function createNodeAssistant(options: NodeAssistantOptions): Promise<NodeAssistant> {
  const logger = options.logger ?? silentLogger;
  const embedder = options.embedder ?? createHashedEmbedder();
  const indexDir = isIndexUri(options.indexDir) ? options.indexDir : resolve(options.indexDir);
  const corpusDir = resolve(options.corpusDir);
  const store = await createLanceStore({
    directory: indexDir,
    ...(options.indexStorageOptions ? { storageOptions: options.indexStorageOptions } : {}),
    ...(options.indexRefreshSeconds !== undefined ? { readConsistencyInterval: options.indexRefreshSeconds } : {}),
  }).catch((error: unknown) => {
    if (!isIndexUri(indexDir)) throw error;
    throw new AppError('internal', `could not open the index ${indexDir}: ${explainStoreError(error)}`);
  });
  const closeStore = async (): Promise<void> => {
    const closable = store as { close?: () => unknown };
    if (typeof closable.close === 'function') await closable.close();
  };

  try {
    const info = await store.info();
    const outdated = await outdatedIndex(store, info, embedder);
    if (!outdated) assertIndexMatches(info, embedder, indexDir);
    const lexicon = options.lexicon ?? (await createHunspellLexicon());

    if (options.readOnly) {
      if (info) logger.info('read-only index: serving it without syncing the corpus folder; new versions are picked up as they are written', { indexDir });
      else logger.warn('read-only index with nothing in it yet: serving it empty until an ingest writes it', { indexDir });
    } else if (outdated) {
      await rebuildOutdatedIndex({ reason: outdated, corpusDir, indexDir, store, embedder, lexicon, logger, autoIngest: options.autoIngest !== false });
    } else if (options.autoIngest !== false) {
      await syncCorpusOnStart({ corpusDir, indexDir, store, embedder, lexicon, logger, firstStart: !info });
    }

    const synonyms = options.synonymsFile
      ? mergeSynonyms(defaultSynonyms, parseSynonymFile(await readFile(options.synonymsFile, 'utf8'), options.synonymsFile))
      : undefined;
    const assistant = createAssistant({
      store,
      embedder,
      lexicon,
      ...(synonyms ? { synonyms } : {}),
      ...(options.fusion ? { fusion: options.fusion } : {}),
      ...(options.chatModel ? { chatModel: options.chatModel } : {}),
      ...(options.llmTimeoutMs !== undefined ? { llmTimeoutMs: options.llmTimeoutMs } : {}),
      ...(options.reranker ? { reranker: options.reranker } : {}),
      logger,
    });
    return { assistant, store, embedder, close: closeStore };
  } catch (error) {
    await closeStore().catch(() => undefined);
    throw error;
  }
}
