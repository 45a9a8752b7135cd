/**
 * A real assistant (core pipeline, in-memory store, builtin embedder, hunspell lexicon) over the fictional documents
 * in tests/fixtures/documents (other nämnder, layouts and years than the sample corpus), and a real HTTP server for
 * it on 127.0.0.1. Used by the interface tests (OpenAI-compatible API, MCP, reranker).
 */
import type { AddressInfo } from 'node:net';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { createHunspellLexicon } from '../../src/adapters/hunspell-lexicon.ts';
import { createMemoryStore, type MemoryStore } from '../../src/adapters/memory-store.ts';
import { createAssistant, type AssistantDependencies } from '../../src/core/assistant.ts';
import { createHashedEmbedder } from '../../src/core/embedding/hashed-embedder.ts';
import type { Assistant, Lexicon } from '../../src/core/types.ts';
import { type AppDependencies, createApp } from '../../src/http/create-app.ts';
import { ingestCorpus } from '../../ingest/pipeline.ts';

export const FIXTURE_CORPUS = resolve(import.meta.dirname, '../fixtures/documents');

let lexiconPromise: Promise<Lexicon> | undefined;

/** The fixture documents ingested into a memory store (one per call). */
export async function fixtureStore(): Promise<{ store: MemoryStore; lexicon: Lexicon }> {
  const lexicon = await (lexiconPromise ??= createHunspellLexicon());
  const store = createMemoryStore();
  const files = (await readdir(FIXTURE_CORPUS)).filter((name) => name.endsWith('.txt')).map((name) => join(FIXTURE_CORPUS, name));
  const summary = await ingestCorpus({ paths: files, corpusRoot: FIXTURE_CORPUS, store, embedder: createHashedEmbedder(), lexicon });
  if (summary.failed.length > 0) throw new Error(`fixture ingest failed: ${summary.failed.map((failure) => failure.message).join('; ')}`);
  return { store, lexicon };
}

/** A real assistant over the fixture documents. */
export async function fixtureAssistant(extra: Partial<AssistantDependencies> = {}): Promise<{ assistant: Assistant; store: MemoryStore }> {
  const { store, lexicon } = await fixtureStore();
  return { assistant: createAssistant({ store, embedder: createHashedEmbedder(), lexicon, ...extra }), store };
}

/** A server for `createApp(deps)` on 127.0.0.1 (any free port). */
export async function listen(deps: AppDependencies): Promise<{ url: string; server: ServerType; close: () => Promise<void> }> {
  const app = createApp(deps);
  const server = await new Promise<ServerType>((resolveServer) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolveServer(started));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () =>
    new Promise<void>((resolveClose) => {
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      server.close(() => resolveClose());
    });
  return { url, server, close };
}
