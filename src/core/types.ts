/**
 * Shared types and ports of Planassistenten's core.
 *
 * The core is pure TypeScript: no `node:*` imports, no `process.env`, no SDK imports.
 * Adapters (LanceDB, hunspell, openai) implement the ports declared here.
 */

/** Every document type, in one place for the schemas (HTTP, bundle, sidecar files, store). */
export const DOCUMENT_TYPES = ['genomförandeplan', 'verksamhetsplan', 'yrkande', 'presentation', 'protokoll', 'tjänsteutlåtande', 'budget', 'annat'] as const;

/** What kind of plan document a file is. */
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/**
 * Status of a document: a `yrkande` (party proposal) must never be presented as an adopted decision.
 * `beslutad` = adopted by the nämnd, `förslag` = a proposal without a known decision,
 * `information` = slides or other informational material.
 */
export type DocumentStatus = 'beslutad' | 'yrkande' | 'förslag' | 'information';

/** Metadata of one ingested document, read from its text (a sidecar `NAME.meta.json` may override). */
export interface DocumentMeta {
  /** Deterministic id derived from `source` (file name without extension, slugged path for nested files). */
  id: string;
  /** Path relative to the corpus folder; for the sample corpus the file name, e.g. `004_6b9fbc6b6a484550.txt`. */
  source: string;
  title: string;
  /** Committee (nämnd) display name as the document names it, e.g. `Socialnämnden Centrum`. */
  committee: string;
  /**
   * Canonical committee key; former names map to the same key
   * (`Nämnden för konsument- och medborgarservice` → `namnden-for-demokrati-och-medborgarservice`).
   */
  committeeId: string;
  type: DocumentType;
  status: DocumentStatus;
  /** The plan year the document is about (budget year), e.g. 2025. */
  year?: number;
  /** ISO date `YYYY-MM-DD` when the document states one (e.g. the yrkande's date). */
  date?: string;
  /** Party abbreviations behind a yrkande, e.g. `["V", "S", "MP"]`. */
  parties?: string[];
  /** Diarienummer as written ("SNNO-2025-00914", "Dnr SLK-2024-00912" → `SLK-2024-00912`). */
  diarienummer?: string;
  /** The decision the document records or was adopted by ("Beslutad i socialnämnden Nordost 2025-12-16, § 312"). */
  decision?: DocumentDecision;
  /** People who signed the document (tjänsteutlåtande, protokoll), as written, e.g. `Karin Ahlström (Förvaltningsdirektör)`. */
  signatories?: string[];
  /** sha256 (hex) of the raw file bytes; used to skip unchanged documents on re-ingest. */
  contentHash: string;
}

/** A decision line of a document: who decided, when and under which paragraph. */
export interface DocumentDecision {
  /** The deciding body as written ("Socialnämnden Nordost", "kommunfullmäktige"). */
  body?: string;
  /** ISO date `YYYY-MM-DD`. */
  date?: string;
  /** Paragraph as written without the sign, e.g. `312` (or `187–188`). */
  paragraph?: string;
}

/**
 * Every chunk kind the structure-aware chunker produces; `tabellrad` is one row of a table with its cells by
 * column header in `Chunk.fields`.
 */
export const CHUNK_KINDS = ['rubrik', 'mål', 'inriktning', 'uppdrag', 'omhändertagande', 'text', 'lista', 'bild', 'tabellrad'] as const;

/** Kinds of chunks the structure-aware chunker produces. */
export type ChunkKind = (typeof CHUNK_KINDS)[number];

/** One retrievable, citable unit of a document. */
export interface Chunk {
  /** Deterministic: hash of document id, section path and position. */
  id: string;
  documentId: string;
  /** 0-based order within the document. */
  position: number;
  /** Section path, outermost first, e.g. `["Uppdrag", "Från nämnden"]`. */
  section: string[];
  kind: ChunkKind;
  /** Repaired, whitespace-normalised text: what is shown and cited. */
  text: string;
  /** The same span before repair, for traceability. */
  originalText: string;
  /** Character offsets of the span in the cleaned (repaired) document text. */
  start: number;
  end: number;
  /** For uppdrag table rows (002): the uppdragsår column. */
  assignmentYear?: number;
  /** For uppdrag table rows (002): the Omhändertagande column (how the nämnd handles it). */
  handling?: string;
  /**
   * Named fields of a record chunk: a table row's cells by column header (`{"Indikator": "Sjukfrånvaro (%)",
   * "Utfall 2024": "8,8", "Målvärde 2025": "8,0"}`), an uppdrag's reporting date, … Keys as the document writes them.
   */
  fields?: Record<string, string>;
  /** For uppdrag: where it comes from — the city budget (KF) or the committee itself. */
  origin?: AssignmentOrigin;
  /** Short context line embedded and indexed with the text: title · nämnd · section. */
  context: string;
}

/** Where an uppdrag comes from: Göteborgs Stads budget (kommunfullmäktige) or the nämnd's own decision. */
export type AssignmentOrigin = 'budget' | 'nämnd';

/** A document as listed by the store. */
export interface StoredDocument extends DocumentMeta {
  chunks: number;
}

/** Filter on documents; every field optional, all given fields must match. */
export interface SearchFilter {
  /** A committee key (`committeeId`) or any name/alias the gazetteer resolves to one. */
  committee?: string;
  documentId?: string;
  type?: DocumentType;
  /** Plan year of the documents (e.g. 2026): answers come from that year's versions. */
  year?: number;
  /** Only documents of this status (e.g. `beslutad`). */
  status?: DocumentStatus;
}

/** A chunk with its document and a retrieval score (higher is better). */
export interface ScoredChunk {
  chunk: Chunk;
  document: DocumentMeta;
  score: number;
}

/** Facts about the vectors in an index: a mismatch with the configured embedder means re-ingest. */
export interface IndexInfo {
  embedder: string;
  dimensions: number;
}

/** Resolved, store-level filter (committee already canonicalised to a committeeId list). */
export interface StoreFilter {
  committeeIds?: string[];
  documentId?: string;
  /** Only these documents (the versions a question is answered from); an empty list matches nothing. */
  documentIds?: string[];
  type?: DocumentType;
  /** Only chunks of these kinds (e.g. the uppdrag records of a list answer); an empty list matches nothing. */
  kinds?: ChunkKind[];
}

/**
 * Port: where chunks live and how they are searched. Implemented by LanceDB on Node
 * and by an in-memory index (Workers, tests).
 */
export interface ChunkStore {
  /** Embedder that built the index, or null when the index is empty/new. */
  info(): Promise<IndexInfo | null>;
  listDocuments(): Promise<StoredDocument[]>;
  getDocument(id: string): Promise<StoredDocument | null>;
  /** All chunks of a document, ordered by position. */
  getChunks(documentId: string): Promise<Chunk[]>;
  getChunk(id: string): Promise<Chunk | null>;
  /** Every chunk matching the filter, ordered by document and position (list answers select with `kinds` and documents). */
  allChunks(filter?: StoreFilter): Promise<Chunk[]>;
  /**
   * A cheap token that changes whenever documents or chunks change (e.g. the tables' versions): callers cache what
   * they derive from the index per revision. Optional; without it callers compare the document list.
   */
  revision?(): Promise<string>;
  /**
   * Every chunk's text and section, streamed in batches (for corpus statistics) without materialising whole chunks.
   * Optional; without it callers read `allChunks()`.
   */
  chunkTexts?(): AsyncIterable<Array<{ id: string; text: string; section: string[]; documentId: string; kind: ChunkKind }>>;
  /** Swedish full-text search (stemming, stop words, ascii folding) on the indexed text. */
  searchText(query: string, options: { k: number; filter?: StoreFilter }): Promise<Array<{ chunk: Chunk; score: number }>>;
  /** N-gram full-text search (compounds, damaged words). */
  searchNgram(query: string, options: { k: number; filter?: StoreFilter }): Promise<Array<{ chunk: Chunk; score: number }>>;
  /** Nearest neighbours by vector (score = similarity, higher is better). */
  searchVector(vector: number[], options: { k: number; filter?: StoreFilter }): Promise<Array<{ chunk: Chunk; score: number }>>;
  /**
   * Optional id-first search, for stores where reading a candidate's columns costs more than finding it (LanceDB at
   * city scale): `searchText` and `searchVector` ranked the same way, returning chunk ids only, and `chunksByIds` to read
   * the few a caller keeps (in the order asked; ids no longer in the index are left out). A store offers all three or
   * none.
   */
  searchTextIds?(query: string, options: { k: number; filter?: StoreFilter }): Promise<Array<{ id: string; score: number }>>;
  searchVectorIds?(vector: number[], options: { k: number; filter?: StoreFilter }): Promise<Array<{ id: string; score: number }>>;
  chunksByIds?(ids: string[]): Promise<Chunk[]>;
  /** Optional: loads the store's per-version in-memory state (snapshot or text index) ahead of the first search. */
  warm?(): Promise<void>;
}

/** Port: turns texts into vectors. `inputType` matters for e5-style models (query vs passage prefixes). */
export interface Embedder {
  /** e.g. `builtin-hash-v2` or `openai:text-embedding-3-small`. */
  modelId: string;
  dimensions: number;
  maxBatchSize: number;
  embed(texts: string[], options: { inputType: 'query' | 'document'; signal?: AbortSignal }): Promise<number[][]>;
}

/** Port: a dictionary that knows Swedish words including compounds (hunspell sv_SE on Node). */
export interface Lexicon {
  /** True when `word` is valid Swedish (case as given; implementations also try lower case). */
  isWord(word: string): boolean;
}

/** A chat turn as sent by clients. */
export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** A citation as returned by /api/chat: `marker` n matches `[n]` in the answer. */
export interface Citation {
  marker: number;
  id: string;
  text: string;
  section: string;
  kind: ChunkKind;
  document: {
    id: string;
    title: string;
    source: string;
    committee: string;
    type: DocumentType;
    year?: number;
    date?: string;
    parties?: string[];
    status: DocumentStatus;
  };
}

/** How the question was understood (returned with every answer). */
export interface UnderstoodQuery {
  /** The standalone query that was retrieved with. */
  text: string;
  /** Detected or given committee (display name). */
  committee?: string;
  /** The user's literal last turn when `text` was rewritten from the conversation. */
  rewrittenFrom?: string;
}

/** Events an answerer emits; the HTTP layer turns them into SSE or one JSON body. */
export type AnswerEvent =
  | { type: 'citations'; citations: Citation[]; query: UnderstoodQuery }
  | { type: 'text-delta'; text: string }
  | { type: 'done'; abstained: boolean; answerer: string; citations: Citation[]; query: UnderstoodQuery; answer: string };

/** Port: a streaming chat model (OpenAI-compatible on Node). */
export interface ChatModel {
  modelId: string;
  stream(messages: Array<{ role: 'system' | 'user' | 'assistant'; content: string }>, options: { signal?: AbortSignal; temperature?: number }): AsyncIterable<string>;
  /** Structured JSON completion (for query rewriting); returns the raw JSON text. */
  complete?(messages: Array<{ role: 'system' | 'user' | 'assistant'; content: string }>, options: { signal?: AbortSignal; json?: boolean }): Promise<string>;
}

/** One error type for the whole app; `code` maps to an HTTP status in one place. */
export class AppError extends Error {
  constructor(
    public readonly code:
      | 'bad_request'
      | 'not_found'
      | 'payload_too_large'
      | 'index_mismatch'
      | 'index_empty'
      | 'provider_error'
      | 'unsupported_media_type'
      | 'forbidden_origin'
      | 'internal',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

/** Body of POST /api/search (validated by the HTTP layer). */
export interface SearchRequest {
  query: string;
  /** 1–50, default 8. */
  k?: number;
  filter?: SearchFilter;
}

/** One result of POST /api/search. `section` is the path joined with ` › `. */
export interface SearchResult {
  id: string;
  score: number;
  text: string;
  section: string;
  kind: ChunkKind;
  document: { id: string; title: string; source: string; committee: string; type: DocumentType; year?: number };
}

/** Body of POST /api/chat (validated by the HTTP layer: 1–20 messages, last from the user). */
export interface ChatRequest {
  messages: ChatMessage[];
  filter?: SearchFilter;
}

/** A chunk with its document and neighbours, to show a citation in context. */
export interface ChunkInContext {
  chunk: Chunk;
  document: StoredDocument;
  previous: Chunk[];
  next: Chunk[];
}

/**
 * The application service the HTTP layer (and the in-process eval) talks to.
 * Runtime-neutral: Node wires it to LanceDB, the Worker to the bundled in-memory index.
 */
export interface Assistant {
  health(): Promise<{ documents: number; chunks: number; embedder: string }>;
  /**
   * Loads what questions share (documents, term statistics, the store's in-memory indexes) for the current index
   * version, so the first question after a start does not wait for it (seconds at 100k chunks). Optional.
   */
  warm?(): Promise<void>;
  listDocuments(): Promise<StoredDocument[]>;
  getDocument(id: string): Promise<{ document: StoredDocument; chunks: Chunk[] } | null>;
  getChunkInContext(id: string, neighbours?: number): Promise<ChunkInContext | null>;
  search(request: SearchRequest): Promise<{ query: string; understood: UnderstoodQuery; results: SearchResult[] }>;
  /** Streams answer events: `citations` first, then `text-delta`s, then `done`. Throws AppError on bad input. */
  chat(request: ChatRequest, options?: { signal?: AbortSignal }): AsyncIterable<AnswerEvent>;
}
