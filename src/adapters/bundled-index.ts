/**
 * The Worker's index: a JSON bundle (`dist/worker-bundle.json`, written by `npm run build:worker`) loaded into the
 * in-memory ChunkStore. Runtime-neutral (no `node:*`): the exporter (Node) encodes with it, the Worker decodes with it.
 *
 * Format (validated by {@link WorkerBundleSchema} on load):
 * ```
 * { format: "planassistenten-worker-bundle", version: 1,
 *   info: { embedder, dimensions },          // the embedder that built the vectors
 *   documents: StoredDocument[],             // sorted by source
 *   chunks: Chunk[],                         // sorted by document source, then position
 *   vectors: string[],                       // vectors[i] belongs to chunks[i]: base64 of little-endian float32
 *   vocabulary: string[],                    // sorted corpus words for the Worker's Lexicon
 *   widget?: { script: string } }            // the chat widget's script (served at /widget.js), when built
 * ```
 * Vectors are float32 (what LanceDB stores too), base64-encoded: 1024 dimensions take 5.5 KB per chunk instead of
 * ~20 KB as JSON numbers, and the bundle stays byte-for-byte deterministic.
 */
import { z } from 'zod';
import { createMemoryStore, type MemoryStore } from './memory-store.ts';
import { createVocabularyLexicon, type VocabularyLexicon } from '../core/vocabulary-lexicon.ts';
import { AppError, CHUNK_KINDS, DOCUMENT_TYPES, type Chunk, type Embedder, type IndexInfo, type StoredDocument } from '../core/types.ts';

/** Value of the bundle's `format` field. */
export const WORKER_BUNDLE_FORMAT = 'planassistenten-worker-bundle';

/** Current bundle version; bump it when the format changes. */
export const WORKER_BUNDLE_VERSION = 1;

const DOCUMENT_STATUSES = ['beslutad', 'yrkande', 'förslag', 'information'] as const;

const count = z.number().int().nonnegative();

/** A stored document (DocumentMeta + chunk count). */
export const BundledDocumentSchema = z.object({
  id: z.string().min(1),
  source: z.string().min(1),
  title: z.string(),
  committee: z.string(),
  committeeId: z.string(),
  type: z.enum(DOCUMENT_TYPES),
  status: z.enum(DOCUMENT_STATUSES),
  year: z.number().int().optional(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  parties: z.array(z.string()).optional(),
  diarienummer: z.string().optional(),
  decision: z.object({ body: z.string().optional(), date: z.string().optional(), paragraph: z.string().optional() }).optional(),
  signatories: z.array(z.string()).optional(),
  contentHash: z.string(),
  chunks: count,
});

/** A chunk as the store holds it. */
export const BundledChunkSchema = z.object({
  id: z.string().min(1),
  documentId: z.string().min(1),
  position: count,
  section: z.array(z.string()),
  kind: z.enum(CHUNK_KINDS),
  text: z.string(),
  originalText: z.string(),
  start: count,
  end: count,
  assignmentYear: z.number().int().optional(),
  handling: z.string().optional(),
  fields: z.record(z.string(), z.string()).optional(),
  origin: z.enum(['budget', 'nämnd']).optional(),
  context: z.string(),
});

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Length of the base64 text of a float32 vector with `dimensions` entries. */
export function encodedVectorLength(dimensions: number): number {
  return Math.ceil((dimensions * 4) / 3) * 4;
}

/** The whole bundle, with cross-field checks (vector count and size, chunk → document links, chunk counts, unique ids). */
export const WorkerBundleSchema = z
  .object({
    format: z.literal(WORKER_BUNDLE_FORMAT),
    version: z.literal(WORKER_BUNDLE_VERSION),
    info: z.object({ embedder: z.string().min(1), dimensions: z.number().int().positive() }),
    documents: z.array(BundledDocumentSchema),
    chunks: z.array(BundledChunkSchema),
    vectors: z.array(z.string().regex(BASE64, 'must be base64')),
    vocabulary: z.array(z.string()),
    widget: z.object({ script: z.string().min(1) }).optional(),
  })
  .superRefine((bundle, context) => {
    if (bundle.vectors.length !== bundle.chunks.length) {
      context.addIssue({ code: 'custom', path: ['vectors'], message: `has ${bundle.vectors.length} entries but there are ${bundle.chunks.length} chunks` });
    }
    const expectedLength = encodedVectorLength(bundle.info.dimensions);
    const wrong = bundle.vectors.findIndex((vector) => vector.length !== expectedLength);
    if (wrong >= 0) {
      context.addIssue({
        code: 'custom',
        path: ['vectors', wrong],
        message: `is not a ${bundle.info.dimensions}-dimensional float32 vector (${bundle.vectors[wrong].length} base64 characters, expected ${expectedLength})`,
      });
    }
    const documents = new Map<string, number>();
    bundle.documents.forEach((document, index) => {
      if (documents.has(document.id)) context.addIssue({ code: 'custom', path: ['documents', index, 'id'], message: `duplicate document id ${document.id}` });
      documents.set(document.id, 0);
    });
    const chunkIds = new Set<string>();
    bundle.chunks.forEach((chunk, index) => {
      if (chunkIds.has(chunk.id)) context.addIssue({ code: 'custom', path: ['chunks', index, 'id'], message: `duplicate chunk id ${chunk.id}` });
      chunkIds.add(chunk.id);
      const seen = documents.get(chunk.documentId);
      if (seen === undefined) {
        context.addIssue({ code: 'custom', path: ['chunks', index, 'documentId'], message: `names the unknown document ${chunk.documentId}` });
      } else {
        documents.set(chunk.documentId, seen + 1);
      }
    });
    bundle.documents.forEach((document, index) => {
      const actual = documents.get(document.id) ?? 0;
      if (actual !== document.chunks) {
        context.addIssue({ code: 'custom', path: ['documents', index, 'chunks'], message: `says ${document.chunks} chunks but the bundle holds ${actual}` });
      }
    });
  });

/** A validated Worker bundle. */
export type WorkerBundle = z.infer<typeof WorkerBundleSchema>;

// Compile-time check: what the schema accepts is assignable to the core types.
const _documentsFit = (bundle: WorkerBundle): StoredDocument[] => bundle.documents;
const _chunksFit = (bundle: WorkerBundle): Chunk[] => bundle.chunks;
void _documentsFit;
void _chunksFit;

function pathOf(path: PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

/**
 * Validates a parsed bundle. Throws `AppError('internal')` naming the first problems and how to rebuild;
 * `name` (e.g. the file name) is used in the message.
 */
export function parseWorkerBundle(value: unknown, name = 'dist/worker-bundle.json'): WorkerBundle {
  if (value === null || typeof value !== 'object') {
    throw new AppError('internal', `The Worker bundle ${name} is not a JSON object. Rebuild it with \`npm run build:worker\`.`);
  }
  const format = (value as { format?: unknown }).format;
  const version = (value as { version?: unknown }).version;
  if (format === WORKER_BUNDLE_FORMAT && version !== WORKER_BUNDLE_VERSION) {
    throw new AppError(
      'internal',
      `The Worker bundle ${name} has version ${String(version)}; this Worker reads version ${WORKER_BUNDLE_VERSION}. Rebuild it with \`npm run build:worker\`.`,
    );
  }
  const result = WorkerBundleSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.slice(0, 5).map((issue) => `${pathOf(issue.path) || '(root)'}: ${issue.message}`);
    const more = result.error.issues.length > 5 ? ` (and ${result.error.issues.length - 5} more)` : '';
    throw new AppError('internal', `The Worker bundle ${name} is invalid — ${problems.join('; ')}${more}. Rebuild it with \`npm run build:worker\`.`);
  }
  return result.data;
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Character code → 6-bit value (0 for `=` and anything else: the schema has already checked the alphabet). */
const BASE64_VALUES = new Uint8Array(128);
for (let index = 0; index < BASE64_ALPHABET.length; index++) BASE64_VALUES[BASE64_ALPHABET.charCodeAt(index)] = index;

function bytesToBase64(bytes: Uint8Array): string {
  let text = '';
  for (let index = 0; index < bytes.length; index += 3) {
    const first = bytes[index];
    const second = index + 1 < bytes.length ? bytes[index + 1] : 0;
    const third = index + 2 < bytes.length ? bytes[index + 2] : 0;
    const triple = (first << 16) | (second << 8) | third;
    text += BASE64_ALPHABET[(triple >> 18) & 63] + BASE64_ALPHABET[(triple >> 12) & 63];
    text += index + 1 < bytes.length ? BASE64_ALPHABET[(triple >> 6) & 63] : '=';
    text += index + 2 < bytes.length ? BASE64_ALPHABET[triple & 63] : '=';
  }
  return text;
}

function base64ToBytes(text: string): Uint8Array {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let offset = 0;
  for (let index = 0; index < text.length; index += 4) {
    let triple = 0;
    for (let part = 0; part < 4; part++) triple = (triple << 6) | BASE64_VALUES[text.charCodeAt(index + part) & 127];
    if (offset < bytes.length) bytes[offset++] = (triple >> 16) & 255;
    if (offset < bytes.length) bytes[offset++] = (triple >> 8) & 255;
    if (offset < bytes.length) bytes[offset++] = triple & 255;
  }
  return bytes;
}

/** Encodes a vector as base64 of little-endian float32 values (precision is that of float32). */
export function encodeVector(vector: readonly number[]): string {
  const bytes = new Uint8Array(vector.length * 4);
  const view = new DataView(bytes.buffer);
  vector.forEach((value, index) => view.setFloat32(index * 4, value, true));
  return bytesToBase64(bytes);
}

/** Decodes {@link encodeVector}'s output; throws when it does not hold exactly `dimensions` values. */
export function decodeVector(text: string, dimensions: number): number[] {
  const bytes = base64ToBytes(text);
  if (bytes.length !== dimensions * 4) {
    throw new AppError('internal', `A bundled vector holds ${bytes.length / 4} values; expected ${dimensions}.`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const vector = new Array<number>(dimensions);
  for (let index = 0; index < dimensions; index++) vector[index] = view.getFloat32(index * 4, true);
  return vector;
}

/** What {@link loadBundledIndex} returns. */
export interface BundledIndex {
  store: MemoryStore;
  lexicon: VocabularyLexicon;
  info: IndexInfo;
  documents: number;
  chunks: number;
  /** The widget script, when the bundle carries one. */
  widgetScript?: string;
}

/**
 * Validates a bundle (already parsed JSON), checks that it was built by `embedder` (same model id and dimensions;
 * otherwise `AppError('index_mismatch')`), and loads it into a fresh in-memory store with a vocabulary Lexicon.
 */
export function loadBundledIndex(value: unknown, options: { embedder: Embedder; name?: string }): BundledIndex {
  const bundle = parseWorkerBundle(value, options.name);
  const { embedder } = options;
  if (bundle.info.embedder !== embedder.modelId || bundle.info.dimensions !== embedder.dimensions) {
    throw new AppError(
      'index_mismatch',
      `The Worker bundle was built with the embedder ${bundle.info.embedder} (${bundle.info.dimensions} dimensions), ` +
        `but the Worker embeds queries with ${embedder.modelId} (${embedder.dimensions} dimensions). ` +
        'Rebuild it with `npm run build:worker` (the Worker supports the builtin hashed embedder only).',
    );
  }
  const store = createMemoryStore({
    snapshot: {
      version: 1,
      info: { embedder: bundle.info.embedder, dimensions: bundle.info.dimensions },
      documents: bundle.documents,
      chunks: bundle.chunks.map((chunk, index) => ({ chunk, vector: decodeVector(bundle.vectors[index], bundle.info.dimensions) })),
    },
  });
  return {
    store,
    lexicon: createVocabularyLexicon(bundle.vocabulary),
    info: { ...bundle.info },
    documents: bundle.documents.length,
    chunks: bundle.chunks.length,
    ...(bundle.widget ? { widgetScript: bundle.widget.script } : {}),
  };
}

/** Input of {@link createWorkerBundle}: what a store snapshot holds, with every chunk's vector. */
export interface WorkerBundleInput {
  info: IndexInfo;
  documents: StoredDocument[];
  chunks: Array<{ chunk: Chunk; vector: readonly number[] }>;
  vocabulary: Iterable<string>;
  /** The built widget script (optional). */
  widgetScript?: string;
}

/**
 * Builds a bundle deterministically: documents sorted by source (then id), chunks by their document's order then
 * position, vocabulary sorted and deduplicated, optional fields left out when absent. Validates the result.
 */
export function createWorkerBundle(input: WorkerBundleInput): WorkerBundle {
  const documents = [...input.documents].sort((a, b) => compare(a.source, b.source) || compare(a.id, b.id));
  const order = new Map(documents.map((document, index) => [document.id, index]));
  const chunks = [...input.chunks].sort(
    (a, b) =>
      (order.get(a.chunk.documentId) ?? Number.MAX_SAFE_INTEGER) - (order.get(b.chunk.documentId) ?? Number.MAX_SAFE_INTEGER) ||
      a.chunk.position - b.chunk.position ||
      compare(a.chunk.id, b.chunk.id),
  );
  const wrongSize = chunks.find(({ vector }) => vector.length !== input.info.dimensions);
  if (wrongSize) {
    throw new AppError('index_mismatch', `Chunk ${wrongSize.chunk.id} has a ${wrongSize.vector.length}-dimensional vector; the index says ${input.info.dimensions}.`);
  }
  const bundle = {
    format: WORKER_BUNDLE_FORMAT,
    version: WORKER_BUNDLE_VERSION,
    info: { embedder: input.info.embedder, dimensions: input.info.dimensions },
    documents: documents.map(canonicalDocument),
    chunks: chunks.map(({ chunk }) => canonicalChunk(chunk)),
    vectors: chunks.map(({ vector }) => encodeVector(vector)),
    vocabulary: [...new Set(input.vocabulary)].sort(compare),
    ...(input.widgetScript ? { widget: { script: input.widgetScript } } : {}),
  };
  return parseWorkerBundle(bundle, 'being built');
}

/** Code-unit order: the same on every machine and locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Fixed key order, optional fields only when set. */
function canonicalDocument(document: StoredDocument): StoredDocument {
  return {
    id: document.id,
    source: document.source,
    title: document.title,
    committee: document.committee,
    committeeId: document.committeeId,
    type: document.type,
    status: document.status,
    ...(document.year !== undefined && document.year !== null ? { year: document.year } : {}),
    ...(document.date ? { date: document.date } : {}),
    ...(document.parties && document.parties.length > 0 ? { parties: [...document.parties] } : {}),
    ...(document.diarienummer ? { diarienummer: document.diarienummer } : {}),
    ...(document.decision ? { decision: { ...document.decision } } : {}),
    ...(document.signatories && document.signatories.length > 0 ? { signatories: [...document.signatories] } : {}),
    contentHash: document.contentHash,
    chunks: document.chunks,
  };
}

function canonicalChunk(chunk: Chunk): Chunk {
  return {
    id: chunk.id,
    documentId: chunk.documentId,
    position: chunk.position,
    section: [...chunk.section],
    kind: chunk.kind,
    text: chunk.text,
    originalText: chunk.originalText,
    start: chunk.start,
    end: chunk.end,
    ...(chunk.assignmentYear !== undefined && chunk.assignmentYear !== null ? { assignmentYear: chunk.assignmentYear } : {}),
    ...(chunk.handling !== undefined && chunk.handling !== null ? { handling: chunk.handling } : {}),
    ...(chunk.fields ? { fields: { ...chunk.fields } } : {}),
    ...(chunk.origin ? { origin: chunk.origin } : {}),
    context: chunk.context,
  };
}
