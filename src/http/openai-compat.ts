/**
 * OpenAI-compatible chat completions over the assistant: `POST /v1/chat/completions` (JSON or streamed) and
 * `GET /v1/models`, close enough to the OpenAI wire format that the official `openai` client works unchanged.
 * Runtime-neutral (no `node:*`).
 *
 * - The answer (`choices[0].message.content`, or the streamed `delta.content`s) carries the `[n]` markers.
 * - Extension fields: `citations` (the same objects as POST /api/chat: marker, passage id, text, section, kind,
 *   document {id, title, committee, status, …}) and `planassistenten` (`{abstained, answerer, query}`), on the
 *   response and on the final stream chunk (the one with `finish_reason`).
 * - `user` and `assistant` turns become the conversation; `system`/`developer` messages are ignored (the assistant
 *   answers only from the documents and is never instructed by the client). An optional extension field `filter`
 *   takes the same filter as POST /api/chat.
 * - Unsupported features (tools, functions, n > 1, logprobs, audio, JSON response formats, non-text content) and
 *   bad input answer 4xx with an OpenAI error object `{error: {message, type, param, code}}`.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AnswerEvent, Assistant, ChatMessage, ChatRequest } from '../core/types.ts';
import { type Logger, describeError, silentLogger, toPublicError } from './errors.ts';
import { CitationSchema, MAX_ASSISTANT_TEXT_LENGTH, MAX_MESSAGES, MAX_TEXT_LENGTH, SearchFilterSchema, UnderstoodQuerySchema, formatIssuePath } from './schemas.ts';

/** The one model this endpoint serves (any requested model name is accepted and answered by it). */
export const OPENAI_MODEL_ID = 'planassistenten';

/** When the model "was created" (a fixed timestamp: GET /v1/models must be stable). */
const MODEL_CREATED = 1_767_225_600; // 2026-01-01T00:00:00Z

// ---------------------------------------------------------------- errors

/** OpenAI error object. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** OpenAI's error `type` for an HTTP status. */
export function openAIErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** Builds an OpenAI error body. */
export function openAIErrorBody(status: number, message: string, options: { param?: string | null; code?: string | null } = {}): OpenAIErrorBody {
  return { error: { message, type: openAIErrorType(status), param: options.param ?? null, code: options.code ?? null } };
}

function openAIError(context: Context, status: 400 | 404, message: string, options: { param?: string | null; code?: string | null } = {}): Response {
  return context.json(openAIErrorBody(status, message, options), status);
}

/**
 * Middleware for `/v1/*`: turns the app's error bodies (`{error: {code, message}}` from validation, body limit,
 * rate limit, CORS, not found, …) into OpenAI error objects, keeping status and headers (Retry-After, Allow).
 * Register it outside the middleware whose errors it should reshape.
 */
export function openAIErrorShape(): MiddlewareHandler {
  return async (context, next) => {
    await next();
    const response = context.res;
    if (response.status < 400 || !/json/i.test(response.headers.get('content-type') ?? '')) return;
    let body: unknown;
    try {
      body = await response.clone().json();
    } catch {
      return;
    }
    const error = (body as { error?: { code?: unknown; message?: unknown; type?: unknown } } | null)?.error;
    if (!error || typeof error !== 'object' || 'type' in error) return;
    const code = typeof error.code === 'string' ? (response.status === 429 ? 'rate_limit_exceeded' : error.code) : null;
    const message = typeof error.message === 'string' ? error.message : `HTTP ${response.status}`;
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    context.res = undefined;
    context.res = new Response(JSON.stringify(openAIErrorBody(response.status, message, { code })), { status: response.status, headers });
  };
}

// ---------------------------------------------------------------- schemas

const TextPartSchema = z.object({ type: z.literal('text'), text: z.string() }).passthrough();
const ContentSchema = z.union([z.string(), z.array(z.object({ type: z.string() }).passthrough()), z.null()]);

const OpenAIMessageSchema = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']).openapi({
      description: '`user` and `assistant` turns are the conversation; `system`/`developer` messages are ignored; `tool`/`function` are refused.',
    }),
    content: ContentSchema.optional().openapi({ description: 'Text, or an array of `{type: "text", text}` parts.' }),
    name: z.string().optional(),
  })
  .passthrough()
  .openapi('OpenAIChatMessage');

/** Body of POST /v1/chat/completions (OpenAI's, plus the optional extension `filter`). Unknown fields are ignored. */
export const ChatCompletionRequestSchema = z
  .object({
    model: z.string({ error: 'you must provide a model parameter' }).min(1).openapi({ example: OPENAI_MODEL_ID, description: 'Any name; answered by `planassistenten`.' }),
    messages: z.array(OpenAIMessageSchema, { error: 'must be an array of messages' }).min(1, { error: 'must contain at least one message' }),
    stream: z.boolean().nullable().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).passthrough().nullable().optional(),
    n: z.number().int().nullable().optional().openapi({ description: 'Only 1.' }),
    temperature: z.number().nullable().optional().openapi({ description: 'Accepted and ignored.' }),
    top_p: z.number().nullable().optional(),
    max_tokens: z.number().int().nullable().optional().openapi({ description: 'Accepted and ignored: answers are complete.' }),
    max_completion_tokens: z.number().int().nullable().optional(),
    user: z.string().optional(),
    filter: SearchFilterSchema.optional().openapi({ description: 'Extension: the same filter as POST /api/chat.' }),
  })
  .passthrough()
  .openapi('ChatCompletionRequest');

const ExtensionSchema = z
  .object({ abstained: z.boolean(), answerer: z.string(), query: UnderstoodQuerySchema })
  .openapi('PlanassistentenExtension', { description: 'Extension: whether the documents answer the question, who answered, how the question was understood.' });

/** Response of POST /v1/chat/completions (JSON). */
export const ChatCompletionSchema = z
  .object({
    id: z.string(),
    object: z.literal('chat.completion'),
    created: z.number().int(),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.number().int(),
        message: z.object({ role: z.literal('assistant'), content: z.string(), refusal: z.null() }),
        finish_reason: z.literal('stop'),
        logprobs: z.null(),
      }),
    ),
    citations: z.array(CitationSchema).openapi({ description: 'Extension: the passages the `[n]` markers of the answer cite.' }),
    planassistenten: ExtensionSchema,
  })
  .openapi('ChatCompletion');

const ModelSchema = z.object({ id: z.string(), object: z.literal('model'), created: z.number().int(), owned_by: z.string() }).openapi('Model');
const ModelListSchema = z.object({ object: z.literal('list'), data: z.array(ModelSchema) }).openapi('ModelList');

const OpenAIErrorSchema = z
  .object({ error: z.object({ message: z.string(), type: z.string(), param: z.string().nullable(), code: z.string().nullable() }) })
  .openapi('OpenAIError');
const openAIErrorResponse = (description: string) => ({ content: { 'application/json': { schema: OpenAIErrorSchema } }, description });

const completionsRoute = createRoute({
  method: 'post',
  path: '/v1/chat/completions',
  tags: ['OpenAI-compatible'],
  summary: 'OpenAI-compatible chat completion with citations (JSON or streamed)',
  description:
    'Works with the official `openai` clients (base URL `…/v1`, any API key). The answer carries `[n]` markers; the ' +
    'cited passages are in the extension field `citations` (and `planassistenten: {abstained, answerer, query}`), on the ' +
    'response and, when streaming, on the last chunk (the one with `finish_reason: "stop"`) before `data: [DONE]`. ' +
    '`system` messages are ignored. Tools, n > 1, logprobs, audio and JSON response formats are refused with 400.',
  request: { body: { content: { 'application/json': { schema: ChatCompletionRequestSchema } }, required: true } },
  responses: {
    200: {
      content: {
        'application/json': { schema: ChatCompletionSchema },
        'text/event-stream': { schema: z.string().openapi({ description: '`data: {chat.completion.chunk}` lines, then `data: [DONE]`' }) },
      },
      description: 'The answer',
    },
    400: openAIErrorResponse('Invalid or unsupported request; `param` names the field'),
    413: openAIErrorResponse('Body larger than 1 MB'),
    415: openAIErrorResponse('Body is not application/json'),
    429: openAIErrorResponse('Rate limit exceeded; see Retry-After'),
    503: openAIErrorResponse('No index'),
  },
});

const modelsRoute = createRoute({
  method: 'get',
  path: '/v1/models',
  tags: ['OpenAI-compatible'],
  summary: 'The model served by /v1/chat/completions',
  responses: { 200: { content: { 'application/json': { schema: ModelListSchema } }, description: 'One model: planassistenten' } },
});

const modelRoute = createRoute({
  method: 'get',
  path: '/v1/models/{model}',
  tags: ['OpenAI-compatible'],
  summary: 'One model',
  request: { params: z.object({ model: z.string().openapi({ param: { name: 'model', in: 'path' }, example: OPENAI_MODEL_ID }) }) },
  responses: { 200: { content: { 'application/json': { schema: ModelSchema } }, description: 'The model' }, 404: openAIErrorResponse('Unknown model') },
});

// ---------------------------------------------------------------- mapping

type CompletionRequest = z.infer<typeof ChatCompletionRequestSchema>;

/** A request the assistant can answer, or an OpenAI-style complaint naming the parameter. */
export type MappedRequest = { ok: true; request: ChatRequest; stream: boolean } | { ok: false; message: string; param: string; code: string };

const UNSUPPORTED: Array<[string, (value: unknown) => boolean, string]> = [
  ['tools', (value) => Array.isArray(value) && value.length > 0, 'tools are not supported: the assistant only answers from the plan documents'],
  ['functions', (value) => Array.isArray(value) && value.length > 0, 'functions are not supported'],
  ['tool_choice', (value) => value !== undefined && value !== null && value !== 'none' && value !== 'auto', 'tool_choice is not supported'],
  ['function_call', (value) => value !== undefined && value !== null && value !== 'none' && value !== 'auto', 'function_call is not supported'],
  ['n', (value) => typeof value === 'number' && value !== 1, 'n must be 1: one answer per request'],
  ['logprobs', (value) => value === true, 'logprobs are not supported'],
  ['top_logprobs', (value) => typeof value === 'number' && value > 0, 'top_logprobs are not supported'],
  ['audio', (value) => value !== undefined && value !== null, 'audio output is not supported'],
  ['modalities', (value) => Array.isArray(value) && value.some((modality) => modality !== 'text'), 'only the text modality is supported'],
  [
    'response_format',
    (value) => value !== undefined && value !== null && (value as { type?: unknown }).type !== 'text',
    'only response_format {"type": "text"} is supported: answers are cited text',
  ],
];

function textOf(content: unknown, index: number): { text: string } | { message: string; param: string } {
  if (content === undefined || content === null) return { text: '' };
  if (typeof content === 'string') return { text: content };
  const parts: string[] = [];
  for (const [position, part] of (content as Array<{ type: string }>).entries()) {
    const text = TextPartSchema.safeParse(part);
    if (!text.success) return { message: `content part type '${String(part.type).slice(0, 40)}' is not supported; only text`, param: `messages[${index}].content[${position}]` };
    parts.push(text.data.text);
  }
  return { text: parts.join('\n') };
}

/**
 * Maps an OpenAI chat completion request to the assistant's ChatRequest: `user`/`assistant` turns in order (the last
 * {@link MAX_MESSAGES}), `system`/`developer` dropped, unsupported features refused.
 */
export function toChatRequest(body: CompletionRequest & Record<string, unknown>): MappedRequest {
  for (const [param, unsupported, message] of UNSUPPORTED) {
    if (unsupported(body[param])) return { ok: false, message, param, code: 'unsupported_parameter' };
  }
  const messages: ChatMessage[] = [];
  for (const [index, message] of body.messages.entries()) {
    if (message.role === 'system' || message.role === 'developer') continue;
    if (message.role === 'tool' || message.role === 'function') {
      return { ok: false, message: `role '${message.role}' is not supported: tools are not supported`, param: `messages[${index}].role`, code: 'unsupported_parameter' };
    }
    const content = textOf(message.content, index);
    if ('message' in content) return { ok: false, message: content.message, param: content.param, code: 'unsupported_parameter' };
    const max = message.role === 'assistant' ? MAX_ASSISTANT_TEXT_LENGTH : MAX_TEXT_LENGTH;
    if (content.text.length > max) return { ok: false, message: `must be at most ${max} characters`, param: `messages[${index}].content`, code: 'invalid_value' };
    if (message.role === 'user' && content.text.trim() === '') return { ok: false, message: 'a user message must not be empty', param: `messages[${index}].content`, code: 'invalid_value' };
    messages.push({ role: message.role, content: content.text });
  }
  const last = messages[messages.length - 1];
  if (!last || last.role !== 'user') {
    return { ok: false, message: "the last user or assistant message must have role 'user' (the question)", param: 'messages', code: 'invalid_value' };
  }
  return {
    ok: true,
    request: { messages: messages.slice(-MAX_MESSAGES), ...(body.filter ? { filter: body.filter } : {}) },
    stream: body.stream === true,
  };
}

// ---------------------------------------------------------------- routes

/** Dependencies of {@link registerOpenAICompatRoutes}. */
export interface OpenAICompatDependencies {
  assistant: Assistant;
  logger?: Logger;
  /** Clock in ms (tests). */
  now?: () => number;
  /** Completion ids (tests); default random UUIDs. */
  newId?: () => string;
}

type DoneEvent = Extract<AnswerEvent, { type: 'done' }>;

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

function extension(done: DoneEvent) {
  return { abstained: done.abstained, answerer: done.answerer, query: done.query };
}

/**
 * Adds `POST /v1/chat/completions`, `GET /v1/models` and `GET /v1/models/{model}` to `app`. Mount
 * {@link openAIErrorShape} on `/v1/*` (outside body limit, rate limit and CORS) so every error is OpenAI-shaped.
 */
export function registerOpenAICompatRoutes(app: OpenAPIHono, deps: OpenAICompatDependencies): void {
  const logger = deps.logger ?? silentLogger;
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => crypto.randomUUID().replace(/-/g, ''));
  const model = { id: OPENAI_MODEL_ID, object: 'model' as const, created: MODEL_CREATED, owned_by: 'planassistenten' };

  app.openapi(modelsRoute, (context) => context.json({ object: 'list' as const, data: [model] }, 200));
  app.openapi(modelRoute, (context) => {
    const { model: name } = context.req.valid('param');
    if (name !== OPENAI_MODEL_ID) {
      return openAIError(context, 404, `The model '${name.slice(0, 100)}' does not exist; use '${OPENAI_MODEL_ID}'`, { param: 'model', code: 'model_not_found' }) as never;
    }
    return context.json(model, 200);
  });

  app.openapi(
    completionsRoute,
    async (context) => {
      const body = context.req.valid('json') as CompletionRequest & Record<string, unknown>;
      const mapped = toChatRequest(body);
      if (!mapped.ok) return openAIError(context, 400, mapped.message, { param: mapped.param, code: mapped.code }) as never;
      const id = `chatcmpl-${newId()}`;
      const created = Math.floor(now() / 1000);
      const controller = linkedAbort(context.req.raw);
      const iterator = deps.assistant.chat(mapped.request, { signal: controller.signal })[Symbol.asyncIterator]();

      if (!mapped.stream) {
        let done: DoneEvent | undefined;
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
        if (!done) throw new Error('The assistant ended without a done event');
        return context.json(
          {
            id,
            object: 'chat.completion' as const,
            created,
            model: OPENAI_MODEL_ID,
            choices: [{ index: 0, message: { role: 'assistant' as const, content: done.answer, refusal: null }, finish_reason: 'stop' as const, logprobs: null }],
            citations: done.citations,
            planassistenten: extension(done),
          },
          200,
        );
      }

      // The first event before the 200: bad input and an empty index keep their HTTP status.
      const first = await iterator.next().catch((error: unknown) => {
        controller.abort();
        throw error;
      });
      const chunk = (delta: Record<string, unknown>, finish: 'stop' | null, extra: Record<string, unknown> = {}) =>
        JSON.stringify({
          id,
          object: 'chat.completion.chunk',
          created,
          model: OPENAI_MODEL_ID,
          choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
          ...extra,
        });
      context.header('X-Accel-Buffering', 'no');
      return streamSSE(context, async (stream) => {
        stream.onAbort(() => controller.abort());
        let completed = false;
        try {
          await stream.writeSSE({ data: chunk({ role: 'assistant', content: '' }, null) });
          let step = first;
          while (!step.done) {
            const event = step.value;
            if (event.type === 'text-delta' && event.text) await stream.writeSSE({ data: chunk({ content: event.text }, null) });
            if (event.type === 'done') await stream.writeSSE({ data: chunk({}, 'stop', { citations: event.citations, planassistenten: extension(event) }) });
            if (stream.aborted || controller.signal.aborted) break;
            step = await iterator.next();
          }
          completed = step.done === true;
          if (completed) await stream.writeSSE({ data: '[DONE]' });
        } catch (error) {
          if (controller.signal.aborted || stream.aborted || isAbortError(error)) {
            logger.debug('chat completion stream aborted by client');
          } else {
            const mappedError = toPublicError(error);
            if (mappedError.internal) logger.error('chat completion stream failed', { error: describeError(error) });
            await stream.writeSSE({ data: JSON.stringify(openAIErrorBody(500, mappedError.message, { code: mappedError.code })) });
          }
        } finally {
          if (!completed) {
            controller.abort();
            await iterator.return?.().catch(() => undefined);
          }
        }
      }) as never;
    },
    (result, context) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        const param = formatIssuePath(issue.path);
        return openAIError(context, 400, `${param}: ${issue.message}`, { param, code: 'invalid_value' });
      }
    },
  );
}
