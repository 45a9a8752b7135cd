/**
 * The HTTP API (Hono + zod-openapi). Runtime-neutral: no `node:*` imports, so the Node server and
 * the Cloudflare Worker serve the same app.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { streamSSE } from 'hono/streaming';
import type { AnswerEvent, Assistant, Chunk, StoredDocument } from '../core/types.ts';
import { AppError } from '../core/types.ts';
import { createCorsMiddleware } from './cors.ts';
import { type Logger, createErrorHandler, describeError, errorResponse, silentLogger, toPublicError } from './errors.ts';
import { registerMcpDocumentation } from './mcp-docs.ts';
import { openAIErrorShape, registerOpenAICompatRoutes } from './openai-compat.ts';
import { renderOpenApiPage } from './openapi-page.ts';
import { createOriginBudget, createOriginBudgetMiddleware, evaluatorCheck } from './origin-budget.ts';
import { clientAddress, createRateLimitMiddleware, createRateLimiter } from './rate-limit.ts';
import {
  ChatRequestSchema,
  ChatResponseSchema,
  ChunkInContextSchema,
  DocumentDetailSchema,
  DocumentListSchema,
  ErrorSchema,
  FeedbackRequestSchema,
  FeedbackResponseSchema,
  type FeedbackSink,
  HealthSchema,
  IdParamSchema,
  MAX_BODY_BYTES,
  SearchRequestSchema,
  SearchResponseSchema,
  formatIssues,
} from './schemas.ts';
import { toSseMessage } from './sse.ts';

/** Dependencies of {@link createApp}. */
export interface AppDependencies {
  assistant: Assistant;
  /** Where POST /api/feedback goes; without one, feedback is written to the log. */
  feedback?: FeedbackSink;
  /** Origins allowed to call the API from other sites; `*` allows all. Same-origin always works. */
  allowedOrigins?: string[];
  /** Requests per minute and client on /api/chat and /api/search; 0 or undefined = off. */
  rateLimitPerMinute?: number;
  /** Requests per allowed origin and UTC day on /api/chat and /api/search (`ORIGIN_DAILY_LIMIT`); 0 or undefined = off. */
  originDailyLimit?: number;
  /** Evaluator key (`EVAL_API_KEY`): requests sending it in `x-eval-key` skip the rate limit and the budget; undefined = off. */
  evalApiKey?: string;
  /** Client key for the rate limit (default: socket address on Node, `cf-connecting-ip` on Workers). */
  clientKey?: (context: Context) => string;
  /** Sub-app (the chat widget) mounted at `/` after the API routes. */
  widget?: Hono;
  logger?: Logger;
  /** Clock for the rate limiter (tests). */
  now?: () => number;
  /** MCP Streamable HTTP handler mounted at `/mcp` (Node; see src/http/mcp.ts). */
  mcp?: (request: Request) => Promise<Response>;
}

const jsonError = (description: string) => ({ content: { 'application/json': { schema: ErrorSchema } }, description });

const healthRoute = createRoute({
  method: 'get',
  path: '/healthz',
  summary: 'Liveness and index size',
  responses: { 200: { content: { 'application/json': { schema: HealthSchema } }, description: 'The service is up' }, 503: jsonError('No index') },
});

/** At most this many documents per `GET /api/documents` page (a city-wide index holds thousands). */
const MAX_DOCUMENT_PAGE = 1000;

const DocumentPageQuerySchema = z.object({
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be an integer' })
    .min(1, { error: `must be from 1 to ${MAX_DOCUMENT_PAGE}` })
    .max(MAX_DOCUMENT_PAGE, { error: `must be from 1 to ${MAX_DOCUMENT_PAGE}` })
    .optional()
    .openapi({ param: { name: 'limit', in: 'query' }, description: `Documents per page (1–${MAX_DOCUMENT_PAGE}, default ${MAX_DOCUMENT_PAGE}).` }),
  offset: z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be an integer' })
    .min(0, { error: 'must be 0 or more' })
    .optional()
    .openapi({ param: { name: 'offset', in: 'query' }, description: 'Documents to skip (default 0).' }),
});

const listDocumentsRoute = createRoute({
  method: 'get',
  path: '/api/documents',
  summary: 'The indexed documents, a page at a time (with the total)',
  request: { query: DocumentPageQuerySchema },
  responses: { 200: { content: { 'application/json': { schema: DocumentListSchema } }, description: 'Documents' } },
});

const getDocumentRoute = createRoute({
  method: 'get',
  path: '/api/documents/{id}',
  summary: 'One document with all its chunks',
  request: { params: IdParamSchema },
  responses: {
    200: { content: { 'application/json': { schema: DocumentDetailSchema } }, description: 'The document and its chunks in order' },
    404: jsonError('Unknown document id'),
  },
});

const NeighboursQuerySchema = z.object({
  neighbours: z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be an integer' })
    .min(0, { error: 'must be from 0 to 10' })
    .max(10, { error: 'must be from 0 to 10' })
    .optional()
    .openapi({ param: { name: 'neighbours', in: 'query' }, description: 'Chunks to show before and after (0–10).' }),
});

const getChunkRoute = createRoute({
  method: 'get',
  path: '/api/chunks/{id}',
  summary: 'A chunk (e.g. a citation) with its document and neighbouring chunks',
  request: { params: IdParamSchema, query: NeighboursQuerySchema },
  responses: {
    200: { content: { 'application/json': { schema: ChunkInContextSchema } }, description: 'The chunk in context' },
    400: jsonError('Invalid parameter'),
    404: jsonError('Unknown chunk id'),
  },
});

const searchRoute = createRoute({
  method: 'post',
  path: '/api/search',
  summary: 'Hybrid search over the plan documents',
  request: { body: { content: { 'application/json': { schema: SearchRequestSchema } }, required: true } },
  responses: {
    200: { content: { 'application/json': { schema: SearchResponseSchema } }, description: 'Ranked chunks' },
    400: jsonError('Invalid request; the message names the field'),
    413: jsonError('Body larger than 1 MB'),
    415: jsonError('Body is not application/json'),
    429: jsonError("Rate limit ('rate_limited') or the origin's daily budget ('budget_exhausted') exceeded; see Retry-After"),
  },
});

const chatRoute = createRoute({
  method: 'post',
  path: '/api/chat',
  summary: 'Answer a question with citations (JSON or Server-Sent Events)',
  description:
    'JSON by default. With `stream: true` or `Accept: text/event-stream` the answer streams as SSE events: ' +
    '`citations` (data `{citations, query}`), then `text-delta` (data `{text}`) repeatedly, then `done` ' +
    '(data `{abstained, answerer, citations, query, answer}`). On failure an `error` event (data `{code, message}`) ends the stream.',
  request: { body: { content: { 'application/json': { schema: ChatRequestSchema } }, required: true } },
  responses: {
    200: {
      content: {
        'application/json': { schema: ChatResponseSchema },
        'text/event-stream': { schema: z.string().openapi({ description: 'SSE stream: citations, text-delta*, done (or error)' }) },
      },
      description: 'The answer',
    },
    400: jsonError('Invalid request; the message names the field'),
    413: jsonError('Body larger than 1 MB'),
    415: jsonError('Body is not application/json'),
    429: jsonError("Rate limit ('rate_limited') or the origin's daily budget ('budget_exhausted') exceeded; see Retry-After"),
  },
});

const feedbackRoute = createRoute({
  method: 'post',
  path: '/api/feedback',
  summary: 'Thumbs up/down on an answer',
  request: { body: { content: { 'application/json': { schema: FeedbackRequestSchema } }, required: true } },
  responses: {
    201: { content: { 'application/json': { schema: FeedbackResponseSchema } }, description: 'Stored' },
    400: jsonError('Invalid request; the message names the field'),
    413: jsonError('Body larger than 1 MB'),
    415: jsonError('Body is not application/json'),
  },
});

const openApiRoute = createRoute({
  method: 'get',
  path: '/api/openapi.json',
  summary: 'This OpenAPI document',
  responses: { 200: { content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } }, description: 'OpenAPI 3 document' } },
});

const docsRoute = createRoute({
  method: 'get',
  path: '/api/docs',
  summary: 'Human-readable API documentation',
  responses: { 200: { content: { 'text/html': { schema: z.string() } }, description: 'HTML page' } },
});

/** Public view of a document (no content hash). */
export function toDocumentView(document: StoredDocument) {
  return {
    id: document.id,
    title: document.title,
    source: document.source,
    committee: document.committee,
    committeeId: document.committeeId,
    type: document.type,
    ...(document.year !== undefined ? { year: document.year } : {}),
    ...(document.date !== undefined ? { date: document.date } : {}),
    ...(document.parties !== undefined ? { parties: document.parties } : {}),
    ...(document.diarienummer !== undefined ? { diarienummer: document.diarienummer } : {}),
    ...(document.decision !== undefined ? { decision: document.decision } : {}),
    ...(document.signatories !== undefined ? { signatories: document.signatories } : {}),
    status: document.status,
    chunks: document.chunks,
  };
}

/** Public view of a chunk (`section` joined with ` › `). */
export function toChunkView(chunk: Chunk) {
  return {
    id: chunk.id,
    documentId: chunk.documentId,
    position: chunk.position,
    section: chunk.section.join(' › '),
    kind: chunk.kind,
    text: chunk.text,
    ...(chunk.assignmentYear !== undefined ? { assignmentYear: chunk.assignmentYear } : {}),
    ...(chunk.handling !== undefined ? { handling: chunk.handling } : {}),
    ...(chunk.fields !== undefined ? { fields: chunk.fields } : {}),
    ...(chunk.origin !== undefined ? { origin: chunk.origin } : {}),
  };
}

/** An AbortController that also fires when the client goes away (the request's signal aborts). */
function linkedAbort(request: Request): AbortController {
  const controller = new AbortController();
  const signal = request.signal as AbortSignal | undefined;
  if (signal) {
    if (signal.aborted) controller.abort(signal.reason);
    else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  }
  return controller;
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'APIUserAbortError');
}

/** Builds the API app. */
export function createApp(deps: AppDependencies): OpenAPIHono {
  const logger = deps.logger ?? silentLogger;
  const assistant = deps.assistant;
  const feedback: FeedbackSink = deps.feedback ?? {
    async append(entry) {
      logger.info('feedback', { ...entry });
    },
  };

  const app = new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) throw new AppError('bad_request', formatIssues(result.error.issues));
    },
  });

  app.onError(createErrorHandler(logger));
  app.notFound((context) => errorResponse(context, 'not_found', `No route for ${context.req.method} ${context.req.path}`));

  app.use('*', async (context, next) => {
    const started = Date.now();
    await next();
    context.res.headers.set('X-Content-Type-Options', 'nosniff');
    logger.info('request', { method: context.req.method, path: context.req.path, status: context.res.status, ms: Date.now() - started });
  });
  app.use('/v1/*', openAIErrorShape());
  app.use(
    '*',
    methodNotAllowed({
      app,
      onMethodNotAllowed: (context, methods) =>
        errorResponse(context, 'method_not_allowed', `${context.req.method} is not allowed on ${context.req.path}; use ${methods.join(', ')}`, {
          Allow: methods.join(', '),
        }),
    }),
  );
  app.use('*', createCorsMiddleware({ allowedOrigins: deps.allowedOrigins ?? [] }));
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new AppError('payload_too_large', `Request body is larger than ${MAX_BODY_BYTES / 1024} KB`);
    },
  });
  for (const path of ['/api/*', '/v1/*', '/mcp']) app.use(path, limitBody);
  const isEvaluator = evaluatorCheck(deps.evalApiKey);
  if (deps.rateLimitPerMinute && deps.rateLimitPerMinute > 0) {
    const limiter = createRateLimiter({ limit: deps.rateLimitPerMinute, now: deps.now });
    const limit = createRateLimitMiddleware(limiter, deps.clientKey ?? clientAddress, { skip: isEvaluator });
    app.use('/api/chat', limit);
    app.use('/api/search', limit);
    app.use('/v1/chat/completions', limit);
    app.use('/mcp', limit);
  }
  if (deps.originDailyLimit && deps.originDailyLimit > 0) {
    const budget = createOriginBudgetMiddleware(createOriginBudget({ dailyLimit: deps.originDailyLimit, now: deps.now }), { skip: isEvaluator });
    app.use('/api/chat', budget);
    app.use('/api/search', budget);
  }
  // Clear 415 before the validator sees the body (a JSON API: every POST body is JSON).
  const requireJson: MiddlewareHandler = async (context, next) => {
    if (context.req.method === 'POST') {
      const type = context.req.header('content-type') ?? '';
      if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
        throw new AppError('unsupported_media_type', `Content-Type must be application/json${type ? `, got '${type.slice(0, 100)}'` : ''}`);
      }
    }
    await next();
  };
  for (const path of ['/api/*', '/v1/*']) app.use(path, requireJson);

  app.openapi(healthRoute, async (context) => {
    const health = await assistant.health();
    return context.json({ status: 'ok' as const, documents: health.documents, chunks: health.chunks, embedder: health.embedder }, 200);
  });

  app.openapi(listDocumentsRoute, async (context) => {
    const { limit = MAX_DOCUMENT_PAGE, offset = 0 } = context.req.valid('query');
    const documents = await assistant.listDocuments();
    return context.json({ documents: documents.slice(offset, offset + limit).map(toDocumentView), total: documents.length, offset, limit }, 200);
  });

  app.openapi(getDocumentRoute, async (context) => {
    const { id } = context.req.valid('param');
    const found = await assistant.getDocument(id);
    if (!found) throw new AppError('not_found', `No document with id '${id}'`);
    return context.json({ document: toDocumentView(found.document), chunks: found.chunks.map(toChunkView) }, 200);
  });

  app.openapi(getChunkRoute, async (context) => {
    const { id } = context.req.valid('param');
    const { neighbours } = context.req.valid('query');
    const found = await assistant.getChunkInContext(id, neighbours);
    if (!found) throw new AppError('not_found', `No chunk with id '${id}'`);
    return context.json(
      {
        chunk: toChunkView(found.chunk),
        document: toDocumentView(found.document),
        previous: found.previous.map(toChunkView),
        next: found.next.map(toChunkView),
      },
      200,
    );
  });

  app.openapi(searchRoute, async (context) => {
    const body = context.req.valid('json');
    const result = await assistant.search({ query: body.query.trim(), k: body.k ?? 8, ...(body.filter ? { filter: body.filter } : {}) });
    return context.json({ query: result.query, results: result.results, understood: result.understood }, 200);
  });

  app.openapi(chatRoute, async (context) => {
    const body = context.req.valid('json');
    const request = { messages: body.messages, ...(body.filter ? { filter: body.filter } : {}) };
    const wantsStream = body.stream ?? /text\/event-stream/i.test(context.req.header('accept') ?? '');
    const controller = linkedAbort(context.req.raw);
    const iterator = assistant.chat(request, { signal: controller.signal })[Symbol.asyncIterator]();

    if (!wantsStream) {
      let done: Extract<AnswerEvent, { type: 'done' }> | undefined;
      try {
        for (;;) {
          const step = await iterator.next();
          if (step.done) break;
          if (step.value.type === 'done') done = step.value;
        }
      } catch (error) {
        controller.abort();
        throw error;
      }
      if (!done) throw new AppError('internal', 'The assistant ended without a done event');
      return context.json(
        { answer: done.answer, abstained: done.abstained, answerer: done.answerer, citations: done.citations, query: done.query },
        200,
      );
    }

    // Pull the first event before committing to a 200 stream: bad input and an empty index
    // still get their proper HTTP status.
    const first = await iterator.next().catch((error: unknown) => {
      controller.abort();
      throw error;
    });
    context.header('X-Accel-Buffering', 'no');
    return streamSSE(context, async (stream) => {
      stream.onAbort(() => controller.abort());
      let completed = false;
      try {
        let step = first;
        while (!step.done) {
          await stream.writeSSE(toSseMessage(step.value));
          if (stream.aborted || controller.signal.aborted) break;
          step = await iterator.next();
        }
        completed = step.done === true;
      } catch (error) {
        if (controller.signal.aborted || stream.aborted || isAbortError(error)) {
          logger.debug('chat stream aborted by client');
        } else {
          const mapped = toPublicError(error);
          if (mapped.internal) logger.error('chat stream failed', { error: describeError(error) });
          await stream.writeSSE({ event: 'error', data: JSON.stringify({ code: mapped.code, message: mapped.message }) });
        }
      } finally {
        if (!completed) {
          controller.abort();
          await iterator.return?.().catch(() => undefined);
        }
      }
    }) as never;
  });

  app.openapi(feedbackRoute, async (context) => {
    const body = context.req.valid('json');
    await feedback.append({ timestamp: new Date().toISOString(), ...body });
    return context.json({ ok: true as const }, 201);
  });

  registerOpenAICompatRoutes(app, { assistant, logger });
  if (deps.mcp) {
    const handle = deps.mcp;
    app.all('/mcp', (context) => handle(context.req.raw));
    registerMcpDocumentation(app);
  }

  const documentConfig = {
    openapi: '3.0.3',
    info: {
      title: 'Planassistenten API',
      version: '1.0.0',
      description:
        "Conversational, cited search over the City of Gothenburg's plan documents. Errors are JSON: " +
        '`{"error":{"code","message"}}` with 4xx for bad input.',
    },
  };
  let cachedDocument: ReturnType<typeof app.getOpenAPIDocument> | undefined;
  const openApiDocument = () => (cachedDocument ??= app.getOpenAPIDocument(documentConfig));

  app.openapi(openApiRoute, (context) => context.json(openApiDocument() as unknown as Record<string, unknown>, 200));
  app.openapi(docsRoute, (context) => context.html(renderOpenApiPage(openApiDocument() as never, { specUrl: '/api/openapi.json' }), 200) as never);

  if (deps.widget) {
    app.route('/', deps.widget);
  } else {
    app.get('/', (context) =>
      context.json({ name: 'Planassistenten API', documentation: '/api/docs', openapi: '/api/openapi.json', health: '/healthz' }),
    );
  }
  return app;
}
