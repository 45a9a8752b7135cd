/**
 * Error responses of the HTTP API: one JSON shape (`{"error":{"code","message"}}`) and one place
 * that maps AppError codes to HTTP statuses. Runtime-neutral (no `node:*` imports).
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError } from '../core/types.ts';

/** Error codes the API can answer with: every AppError code plus the HTTP-only ones. */
export type ApiErrorCode = AppError['code'] | 'method_not_allowed' | 'rate_limited';

/** Body of every error response. */
export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string };
}

/** Minimal structured logger; compatible with `console`-style loggers. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A logger that drops everything (default for tests and library use). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** HTTP status for each AppError code (the only place this mapping lives). */
export const STATUS_BY_CODE: Record<ApiErrorCode, ContentfulStatusCode> = {
  bad_request: 400,
  forbidden_origin: 403,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  provider_error: 502,
  index_mismatch: 503,
  index_empty: 503,
};

/** Builds the JSON error body. */
export function errorBody(code: ApiErrorCode, message: string): ApiErrorBody {
  return { error: { code, message } };
}

/** A JSON error response with the status that belongs to `code`. */
export function errorResponse(context: Context, code: ApiErrorCode, message: string, headers?: Record<string, string>): Response {
  return context.json(errorBody(code, message), STATUS_BY_CODE[code], headers);
}

const CODE_BY_HTTP_STATUS: Record<number, ApiErrorCode> = {
  400: 'bad_request',
  403: 'forbidden_origin',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/**
 * Turns any thrown value into a public error: AppErrors keep their (author-written) message
 * (except `internal` and `provider_error`, which get a generic one),
 * Hono HTTPExceptions (malformed JSON, 415 from the validator) keep a short message, and
 * everything else becomes a generic `internal` error whose details go to the log only.
 */
export function toPublicError(error: unknown): { code: ApiErrorCode; message: string; internal: boolean } {
  if (error instanceof AppError) {
    if (error.code === 'internal') return { code: 'internal', message: 'Internal server error', internal: true };
    if (error.code === 'provider_error') return { code: 'provider_error', message: 'The language model service failed; please try again', internal: true };
    return { code: error.code, message: error.message, internal: false };
  }
  if (error instanceof HTTPException) {
    const code = CODE_BY_HTTP_STATUS[error.status];
    if (code) {
      const message =
        code === 'bad_request' && /json/i.test(error.message)
          ? 'Request body is not valid JSON'
          : code === 'unsupported_media_type'
            ? 'Content-Type must be application/json'
            : code === 'payload_too_large'
              ? 'Request body is too large'
              : error.message || 'Bad request';
      return { code, message, internal: false };
    }
  }
  return { code: 'internal', message: 'Internal server error', internal: true };
}

/** `app.onError` handler: maps errors to JSON responses and logs internals. */
export function createErrorHandler(logger: Logger) {
  return (error: Error, context: Context): Response => {
    const mapped = toPublicError(error);
    const fields = { method: context.req.method, path: context.req.path, code: mapped.code };
    const clientGone = (context.req.raw.signal as AbortSignal | undefined)?.aborted === true;
    if (clientGone) {
      logger.debug('request aborted by the client', { ...fields, error: describeError(error) });
    } else if (mapped.internal) {
      logger.error('request failed', { ...fields, error: describeError(error) });
    } else {
      logger.debug('request rejected', { ...fields, message: mapped.message });
    }
    return errorResponse(context, mapped.code, mapped.message);
  };
}

/** Message and cause chain of an error, for the log (never for clients). */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (current instanceof Error) {
      parts.push(`${current.name}: ${current.message}`);
      current = (current as { cause?: unknown }).cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join(' <- ');
}
