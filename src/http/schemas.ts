/**
 * Zod schemas of the HTTP API: request validation and the OpenAPI document are generated from these.
 * Runtime-neutral (no `node:*` imports).
 */
import { z } from '@hono/zod-openapi';
import { CHUNK_KINDS, DOCUMENT_TYPES } from '../core/types.ts';

/** Longest accepted query or chat message (characters). */
export const MAX_TEXT_LENGTH = 2_000;
/** Longest accepted feedback comment (characters). */
export const MAX_COMMENT_LENGTH = 2_000;
/** Longest accepted answer text in feedback (characters; the body limit caps it too). */
export const MAX_FEEDBACK_ANSWER_LENGTH = 20_000;
/** Most messages in one chat request. */
export const MAX_MESSAGES = 100;
/** Characters of an assistant turn sent back by a client (our own earlier answer). */
export const MAX_ASSISTANT_TEXT_LENGTH = 50_000;
/** Largest accepted request body (bytes). */
export const MAX_BODY_BYTES = 1024 * 1024;

const DOCUMENT_STATUSES = ['beslutad', 'yrkande', 'förslag', 'information'] as const;

/** Non-blank text of at most `max` characters. */
function text(max: number) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .max(max, { error: `must be at most ${max} characters` })
    .refine((value) => value.trim().length > 0, { error: 'must not be empty' });
}

// ---------------------------------------------------------------- requests

/** Optional filter on search and chat. Unknown keys are refused. */
export const SearchFilterSchema = z
  .strictObject({
    committee: z.string().min(1).max(200).optional().openapi({
      description: 'Committee key (e.g. `socialnamnden-centrum`) or any name or alias of a committee.',
      example: 'Socialnämnden Centrum',
    }),
    documentId: z.string().min(1).max(200).optional(),
    type: z.enum(DOCUMENT_TYPES).optional(),
    year: z
      .number({ error: 'must be a number' })
      .int({ error: 'must be an integer' })
      .min(1900, { error: 'must be a year from 1900 to 2100' })
      .max(2100, { error: 'must be a year from 1900 to 2100' })
      .optional()
      .openapi({ description: 'Plan year: answers come from that year\'s documents.', example: 2026 }),
    status: z.enum(DOCUMENT_STATUSES).optional().openapi({ description: 'Only documents of this status.' }),
  })
  .openapi('SearchFilter');

/** Body of POST /api/search. */
export const SearchRequestSchema = z
  .strictObject({
    query: text(MAX_TEXT_LENGTH).openapi({ example: 'Vilka uppdrag har socialnämnden Centrum om familjehem?' }),
    k: z
      .number({ error: 'must be a number' })
      .int({ error: 'must be an integer' })
      .min(1, { error: 'must be from 1 to 50' })
      .max(50, { error: 'must be from 1 to 50' })
      .optional()
      .openapi({ description: 'Number of results (1–50, default 8).', example: 8 }),
    filter: SearchFilterSchema.optional(),
  })
  .openapi('SearchRequest');

/** One turn of a conversation. */
export const ChatMessageSchema = z
  .strictObject({
    role: z.enum(['user', 'assistant'], { error: "must be 'user' or 'assistant'" }),
    // A user turn keeps its limit; an assistant turn is the client sending our own earlier answer back (long list
    // answers included), so it gets a much larger bound — the assistant keeps only a bounded context of it.
    content: z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') }),
  })
  .superRefine((message, context) => {
    const max = message.role === 'assistant' ? MAX_ASSISTANT_TEXT_LENGTH : MAX_TEXT_LENGTH;
    if (message.content.length > max) context.addIssue({ code: 'custom', path: ['content'], message: `must be at most ${max} characters` });
    else if (message.role === 'user' && message.content.trim().length === 0) context.addIssue({ code: 'custom', path: ['content'], message: 'must not be empty' });
  })
  .openapi('ChatMessage');

const MessagesSchema = z
  .array(ChatMessageSchema, { error: (issue) => (issue.input === undefined ? 'is required' : 'must be an array of messages') })
  .min(1, { error: 'must contain at least one message' })
  .max(MAX_MESSAGES, { error: `must contain at most ${MAX_MESSAGES} messages` });

/** Body of POST /api/chat. The last message must come from the user. */
export const ChatRequestSchema = z
  .strictObject({
    messages: MessagesSchema.refine((messages) => messages.length === 0 || messages[messages.length - 1].role === 'user', {
      error: "the last message must have role 'user'",
    }),
    stream: z.boolean({ error: 'must be a boolean' }).optional().openapi({
      description: 'Answer as Server-Sent Events (also chosen by `Accept: text/event-stream`).',
    }),
    filter: SearchFilterSchema.optional(),
  })
  .openapi('ChatRequest');

/** Body of POST /api/feedback. */
export const FeedbackRequestSchema = z
  .strictObject({
    messages: MessagesSchema,
    answer: z
      .string({ error: 'must be a string' })
      .max(MAX_FEEDBACK_ANSWER_LENGTH, { error: `must be at most ${MAX_FEEDBACK_ANSWER_LENGTH} characters` }),
    rating: z.enum(['up', 'down'], { error: "must be 'up' or 'down'" }),
    comment: z
      .string({ error: 'must be a string' })
      .max(MAX_COMMENT_LENGTH, { error: `must be at most ${MAX_COMMENT_LENGTH} characters` })
      .optional(),
  })
  .openapi('FeedbackRequest');

/** Path parameter `id` of documents and chunks. */
export const IdParamSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: 'id', in: 'path' }, example: '004_6b9fbc6b6a484550' }),
});

// ---------------------------------------------------------------- responses

/** Every error response. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'bad_request' }),
      message: z.string().openapi({ example: 'query: must not be empty' }),
    }),
  })
  .openapi('Error');

/** GET /healthz. */
export const HealthSchema = z
  .object({
    status: z.literal('ok'),
    documents: z.number().int(),
    chunks: z.number().int(),
    embedder: z.string().openapi({ example: 'builtin-hash-v2' }),
  })
  .openapi('Health');

/** A document as listed by the API. */
export const DocumentSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    source: z.string().openapi({ description: 'File path relative to the corpus folder.' }),
    committee: z.string(),
    committeeId: z.string(),
    type: z.enum(DOCUMENT_TYPES),
    year: z.number().int().optional(),
    date: z.string().optional(),
    parties: z.array(z.string()).optional(),
    diarienummer: z.string().optional().openapi({ example: 'SNNO-2025-00914' }),
    decision: z
      .object({ body: z.string().optional(), date: z.string().optional(), paragraph: z.string().optional() })
      .optional()
      .openapi({ description: 'The decision the document records: body, ISO date, paragraph (§).' }),
    signatories: z.array(z.string()).optional(),
    status: z.enum(DOCUMENT_STATUSES),
    chunks: z.number().int(),
  })
  .openapi('Document');

/** A chunk as shown by the API (`section` joined with ` › `). */
export const ChunkSchema = z
  .object({
    id: z.string(),
    documentId: z.string(),
    position: z.number().int(),
    section: z.string().openapi({ example: 'Uppdrag › Från nämnden' }),
    kind: z.enum(CHUNK_KINDS),
    text: z.string(),
    assignmentYear: z.number().int().optional(),
    handling: z.string().optional(),
    fields: z.record(z.string(), z.string()).optional().openapi({ description: "A table row's cells by column header." }),
    origin: z.enum(['budget', 'nämnd']).optional().openapi({ description: 'Where an uppdrag comes from.' }),
  })
  .openapi('Chunk');

/** GET /api/documents. */
export const DocumentListSchema = z
  .object({
    documents: z.array(DocumentSchema),
    total: z.number().int().describe('Documents in the index'),
    offset: z.number().int(),
    limit: z.number().int(),
  })
  .openapi('DocumentList');

/** GET /api/documents/{id}. */
export const DocumentDetailSchema = z
  .object({ document: DocumentSchema, chunks: z.array(ChunkSchema) })
  .openapi('DocumentDetail');

/** GET /api/chunks/{id}. */
export const ChunkInContextSchema = z
  .object({
    chunk: ChunkSchema,
    document: DocumentSchema,
    previous: z.array(ChunkSchema),
    next: z.array(ChunkSchema),
  })
  .openapi('ChunkInContext');

/** How the question was understood. */
export const UnderstoodQuerySchema = z
  .object({
    text: z.string(),
    committee: z.string().optional(),
    rewrittenFrom: z.string().optional(),
  })
  .openapi('UnderstoodQuery');

const ResultDocumentSchema = z.object({
  id: z.string(),
  title: z.string(),
  source: z.string(),
  committee: z.string(),
  type: z.enum(DOCUMENT_TYPES),
  year: z.number().int().optional(),
});

/** One search result. */
export const SearchResultSchema = z
  .object({
    id: z.string(),
    score: z.number(),
    text: z.string(),
    section: z.string(),
    kind: z.enum(CHUNK_KINDS),
    document: ResultDocumentSchema,
  })
  .openapi('SearchResult');

/** POST /api/search. */
export const SearchResponseSchema = z
  .object({ query: z.string(), results: z.array(SearchResultSchema), understood: UnderstoodQuerySchema })
  .openapi('SearchResponse');

/** A citation: `marker` n matches `[n]` in the answer. */
export const CitationSchema = z
  .object({
    marker: z.number().int(),
    id: z.string().openapi({ description: 'Chunk id (GET /api/chunks/{id} shows it in context).' }),
    text: z.string(),
    section: z.string(),
    kind: z.enum(CHUNK_KINDS),
    document: z.object({
      id: z.string(),
      title: z.string(),
      source: z.string(),
      committee: z.string(),
      type: z.enum(DOCUMENT_TYPES),
      year: z.number().int().optional(),
      date: z.string().optional(),
      parties: z.array(z.string()).optional(),
      status: z.enum(DOCUMENT_STATUSES),
    }),
  })
  .openapi('Citation');

/** POST /api/chat (JSON mode), also the data of the SSE `done` event. */
export const ChatResponseSchema = z
  .object({
    answer: z.string(),
    abstained: z.boolean().openapi({ description: 'True when the documents do not answer the question.' }),
    answerer: z.string().openapi({ example: 'extractive' }),
    citations: z.array(CitationSchema),
    query: UnderstoodQuerySchema,
  })
  .openapi('ChatResponse');

/** POST /api/feedback. */
export const FeedbackResponseSchema = z.object({ ok: z.literal(true) }).openapi('FeedbackResponse');

// ---------------------------------------------------------------- feedback port

/** Body of POST /api/feedback after validation. */
export type FeedbackRequest = z.infer<typeof FeedbackRequestSchema>;

/** One stored feedback record (one JSON line in the JSONL file). */
export interface FeedbackEntry extends FeedbackRequest {
  /** ISO 8601 time the server received the feedback. */
  timestamp: string;
}

/** Port: where feedback goes (a JSONL file on Node). */
export interface FeedbackSink {
  append(entry: FeedbackEntry): Promise<void>;
}

// ---------------------------------------------------------------- validation messages

/** Minimal shape of a zod issue (so callers need not import zod's types). */
interface IssueLike {
  path: PropertyKey[];
  message: string;
  code?: string;
  keys?: string[];
}

/** `messages[2].content`, `filter.committee`, or `body` for the root. */
export function formatIssuePath(path: PropertyKey[]): string {
  let result = '';
  for (const part of path) {
    if (typeof part === 'number') result += `[${part}]`;
    else result += result ? `.${String(part)}` : String(part);
  }
  return result || 'body';
}

/**
 * One readable message naming every invalid field: `query: must not be empty; k: must be from 1 to 50`.
 * Unknown keys read `filter.nämnd: unknown field`.
 */
export function formatIssues(issues: readonly IssueLike[]): string {
  const messages = issues.slice(0, 5).flatMap((issue) => {
    if (issue.code === 'unrecognized_keys' && issue.keys?.length) {
      return issue.keys.map((key) => `${formatIssuePath([...issue.path, key])}: unknown field`);
    }
    if (issue.code === 'invalid_type' && issue.path.length === 0) return ['body: must be a JSON object'];
    return [`${formatIssuePath(issue.path)}: ${issue.message}`];
  });
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  return `${[...new Set(messages)].join('; ')}${more}`;
}
