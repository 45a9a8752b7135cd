/**
 * CORS for the API: origins in the allow-list (or `*`) get CORS headers and answered preflights;
 * other origins get no CORS headers, and their preflight requests are refused with 403 JSON.
 * Same-origin requests always work. Runtime-neutral.
 */
import type { MiddlewareHandler } from 'hono';
import { errorResponse } from './errors.ts';

/** Options of {@link createCorsMiddleware}. */
export interface CorsOptions {
  /** Allowed origins like `https://goteborg.se`; `*` allows every origin. */
  allowedOrigins: string[];
  /** Seconds browsers may cache a preflight answer. */
  maxAgeSeconds?: number;
}

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
const DEFAULT_ALLOWED_HEADERS = 'Content-Type, Accept';

/** Normalises an origin for comparison (`https://Example.org/` → `https://example.org`). */
export function normalizeOrigin(origin: string): string {
  try {
    const url = new URL(origin);
    return url.origin === 'null' ? origin : url.origin;
  } catch {
    return origin.trim().toLowerCase();
  }
}

/** True when `origin` may use the API from a browser on another site. */
export function isOriginAllowed(origin: string, allowedOrigins: readonly string[]): boolean {
  if (allowedOrigins.includes('*')) return true;
  const normalized = normalizeOrigin(origin);
  return allowedOrigins.some((allowed) => normalizeOrigin(allowed) === normalized);
}

/**
 * Same origin for our purposes: the Origin's host (name and port) is the host the request was sent to.
 * The scheme is ignored on purpose: behind a TLS-terminating proxy the app sees `http` while the page is `https`.
 */
export function isSameHost(origin: string, requestUrl: string): boolean {
  try {
    return new URL(origin).host === new URL(requestUrl).host;
  } catch {
    return false;
  }
}

/** Creates the CORS middleware. Mount it before the routes. */
export function createCorsMiddleware(options: CorsOptions): MiddlewareHandler {
  const allowAll = options.allowedOrigins.includes('*');
  const maxAge = String(options.maxAgeSeconds ?? 600);
  return async (context, next) => {
    const origin = context.req.header('origin');
    const isPreflight = context.req.method === 'OPTIONS' && context.req.header('access-control-request-method') !== undefined;
    if (!origin) {
      await next();
      return;
    }
    const sameOrigin = isSameHost(origin, context.req.url);
    const allowed = sameOrigin || isOriginAllowed(origin, options.allowedOrigins);
    if (isPreflight) {
      if (!allowed) {
        const response = errorResponse(context, 'forbidden_origin', `Origin ${origin} is not allowed to use this API`);
        response.headers.append('Vary', 'Origin');
        return response;
      }
      const requested = context.req.header('access-control-request-headers');
      return context.body(null, 204, {
        'Access-Control-Allow-Origin': allowAll && !sameOrigin ? '*' : origin,
        'Access-Control-Allow-Methods': ALLOWED_METHODS,
        'Access-Control-Allow-Headers': requested && requested.length <= 500 ? requested : DEFAULT_ALLOWED_HEADERS,
        'Access-Control-Max-Age': maxAge,
        Vary: 'Origin, Access-Control-Request-Headers',
      });
    }
    await next();
    if (allowed && !sameOrigin) {
      context.res.headers.set('Access-Control-Allow-Origin', allowAll ? '*' : origin);
      context.res.headers.set('Access-Control-Expose-Headers', 'Retry-After');
    }
    context.res.headers.append('Vary', 'Origin');
  };
}
