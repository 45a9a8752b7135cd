/**
 * Baselines, run in-process on the same items as our system, exposed as {@link EvalClient}s so the same
 * runner scores them: citations = the top-k passages, answer text = the top-3 passages concatenated,
 * never abstains; the query is the literal last user turn (no rewriting).
 *  - `naive`: LangChain RAG — RecursiveCharacterTextSplitter 1000/200 over the raw, unrepaired corpus text,
 *    the builtin hashed embedder wrapped as a LangChain `Embeddings`, `MemoryVectorStore`.
 *  - `lexical`: our retriever with `mode: 'lexical'` (Swedish BM25 full-text only).
 *  - `vector`: our retriever with `mode: 'vector'` (embeddings only).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Embeddings } from '@langchain/core/embeddings';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { MemoryVectorStore } from '@langchain/classic/vectorstores/memory';
import type { ChunkKind, DocumentType, Embedder, ScoredChunk } from '../src/core/types.ts';
import type { ApiChatResponse, ApiCitation, ApiSearchResult, EvalClient, EvalMessage } from './clients.ts';

/** Number of passages concatenated into a baseline's answer text. */
export const BASELINE_ANSWER_PASSAGES = 3;

/** Wraps a project {@link Embedder} as a LangChain `Embeddings`. */
export class EmbedderEmbeddings extends Embeddings {
  constructor(private readonly embedder: Embedder) {
    super({});
  }

  /** Embeds passages (`inputType: 'document'`). */
  override async embedDocuments(documents: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < documents.length; start += this.embedder.maxBatchSize) {
      vectors.push(...(await this.embedder.embed(documents.slice(start, start + this.embedder.maxBatchSize), { inputType: 'document' })));
    }
    return vectors;
  }

  /** Embeds a query (`inputType: 'query'`). */
  override async embedQuery(document: string): Promise<number[]> {
    const [vector] = await this.embedder.embed([document], { inputType: 'query' });
    return vector;
  }
}

function lastUserTurn(messages: EvalMessage[]): string {
  for (let index = messages.length - 1; index >= 0; index--) if (messages[index].role === 'user') return messages[index].content;
  throw new Error('no user message');
}

function baselineChat(results: ApiSearchResult[], query: string, answerer: string): ApiChatResponse {
  const citations: ApiCitation[] = results.map((result, index) => ({
    marker: index + 1,
    id: result.id,
    text: result.text,
    section: result.section,
    kind: result.kind,
    document: { ...result.document },
  }));
  return {
    answer: results
      .slice(0, BASELINE_ANSWER_PASSAGES)
      .map((result, index) => `[${index + 1}] ${result.text}`)
      .join('\n\n'),
    abstained: false,
    answerer,
    citations,
    query: { text: query },
  };
}

/** Options of {@link createNaiveRagBaseline}. */
export interface NaiveRagOptions {
  /** One corpus folder or several (ingested together). */
  corpusDir: string | string[];
  embedder: Embedder;
  /** Top-k chunks used as citations (default 10). */
  k?: number;
  chunkSize?: number;
  chunkOverlap?: number;
}

/** Builds the naive LangChain RAG baseline over the raw `.txt`/`.md` files of `corpusDir`. */
export async function createNaiveRagBaseline(options: NaiveRagOptions): Promise<EvalClient & { chunkCount: number }> {
  const k = options.k ?? 10;
  const folders = typeof options.corpusDir === 'string' ? [options.corpusDir] : options.corpusDir;
  const files: string[] = [];
  const folderOf = new Map<string, string>();
  for (const folder of folders) {
    for (const name of (await readdir(folder)).filter((candidate) => /\.(txt|md)$/i.test(candidate))) {
      files.push(name);
      folderOf.set(name, folder);
    }
  }
  files.sort();
  if (files.length === 0) throw new Error(`${folders.join(', ')}: no .txt or .md files for the naive baseline`);
  const texts = new Map<string, string>();
  for (const file of files) texts.set(file, await readFile(join(folderOf.get(file)!, file), 'utf8'));
  const splitter = new RecursiveCharacterTextSplitter({ chunkSize: options.chunkSize ?? 1000, chunkOverlap: options.chunkOverlap ?? 200 });
  const documents = await splitter.createDocuments(
    files.map((file) => texts.get(file) ?? ''),
    files.map((file) => ({ source: file, documentId: file.replace(/\.[^.]+$/, '') })),
  );
  documents.forEach((document, index) => {
    document.metadata.chunkId = `naive-${index}`;
  });
  const store = await MemoryVectorStore.fromDocuments(documents, new EmbedderEmbeddings(options.embedder));

  const search = async (query: string, limit: number): Promise<ApiSearchResult[]> => {
    const hits = await store.similaritySearchWithScore(query, limit);
    return hits.map(([document, score]) => {
      const source = String(document.metadata.source);
      return {
        id: String(document.metadata.chunkId),
        score,
        text: document.pageContent,
        section: '',
        kind: 'text' as ChunkKind,
        document: { id: String(document.metadata.documentId), title: source, source, committee: '', type: 'annat' as DocumentType },
      };
    });
  };
  return {
    name: 'baseline:naive',
    chunkCount: documents.length,
    async search(body) {
      return { query: body.query, results: await search(body.query, body.k ?? k) };
    },
    async chat(body) {
      const query = lastUserTurn(body.messages);
      return baselineChat(await search(query, k), query, 'baseline:naive');
    },
    async documentText(id) {
      const file = files.find((name) => name.replace(/\.[^.]+$/, '') === id);
      return file ? (texts.get(file) ?? null) : null;
    },
  };
}

/** The retrieval function a retriever baseline needs (our `Retriever.retrieve`). */
export type RetrieveFunction = (query: string, options: { k: number; mode: 'hybrid' | 'lexical' | 'vector' }) => Promise<ScoredChunk[]>;

/** Options of {@link createRetrieverBaseline}. */
export interface RetrieverBaselineOptions {
  mode: 'lexical' | 'vector';
  retrieve: RetrieveFunction;
  /** Full document text for faithfulness (e.g. the in-process API client's `documentText`). */
  documentText: (id: string) => Promise<string | null>;
  k?: number;
}

function toSearchResult(passage: ScoredChunk): ApiSearchResult {
  const { chunk, document } = passage;
  return {
    id: chunk.id,
    score: passage.score,
    text: chunk.text,
    section: chunk.section.join(' › '),
    kind: chunk.kind,
    document: { id: document.id, title: document.title, source: document.source, committee: document.committee, type: document.type, year: document.year },
  };
}

/** Lexical-only or vector-only baseline over our index. */
export function createRetrieverBaseline(options: RetrieverBaselineOptions): EvalClient {
  const k = options.k ?? 10;
  const name = `baseline:${options.mode}`;
  const search = async (query: string, limit: number): Promise<ApiSearchResult[]> =>
    (await options.retrieve(query, { k: limit, mode: options.mode })).slice(0, limit).map(toSearchResult);
  return {
    name,
    async search(body) {
      return { query: body.query, results: await search(body.query, body.k ?? k) };
    },
    async chat(body) {
      const query = lastUserTurn(body.messages);
      return baselineChat(await search(query, k), query, name);
    },
    documentText: options.documentText,
  };
}
