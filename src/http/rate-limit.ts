/**
 * In-memory per-client rate limit (fixed one-minute windows). Runtime-neutral.
 * On Workers each isolate keeps its own counters, so the limit is per isolate there.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { errorResponse } from './errors.ts';

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Requests allowed per window and client; 0 turns the limit off. */
  limit: number;
  /** Window length in milliseconds (default 60 000). */
  windowMs?: number;
  /** Clock (injectable for tests). */
  now?: () => number;
  /** Most clients tracked at once; expired windows are swept when this is reached. */
  maxClients?: number;
}

/** Outcome of one {@link RateLimiter.hit}. */
export interface RateLimitDecision {
  allowed: boolean;
  remaining: number;
  /** Seconds until the client's window resets (≥ 1 when refused). */
  retryAfterSeconds: number;
}

/** Counts requests per client key. */
export interface RateLimiter {
  hit(key: string): RateLimitDecision;
}

/** Creates a fixed-window rate limiter. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const maxClients = options.maxClients ?? 10_000;
  const windows = new Map<string, { count: number; resetAt: number }>();

  const sweep = (time: number): void => {
    for (const [key, window] of windows) if (window.resetAt <= time) windows.delete(key);
    // Still full (many active clients): drop the oldest entries rather than grow without bound.
    for (const key of windows.keys()) {
      if (windows.size < maxClients) break;
      windows.delete(key);
    }
  };

  return {
    hit(key: string): RateLimitDecision {
      if (options.limit <= 0) return { allowed: true, remaining: Number.POSITIVE_INFINITY, retryAfterSeconds: 0 };
      const time = now();
      let window = windows.get(key);
      if (!window || window.resetAt <= time) {
        if (!window && windows.size >= maxClients) sweep(time);
        window = { count: 0, resetAt: time + windowMs };
        windows.set(key, window);
      }
      window.count += 1;
      const retryAfterSeconds = Math.max(1, Math.ceil((window.resetAt - time) / 1000));
      return {
        allowed: window.count <= options.limit,
        remaining: Math.max(0, options.limit - window.count),
        retryAfterSeconds,
      };
    },
  };
}

/**
 * Client key of a request, without trusting spoofable headers on Node:
 * the socket address from @hono/node-server (`env.incoming`), else Cloudflare's `cf-connecting-ip`
 * (set by Cloudflare itself on Workers), else `unknown`.
 */
export function clientAddress(context: Context): string {
  const env = context.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const socketAddress = env?.incoming?.socket?.remoteAddress;
  if (socketAddress) return socketAddress;
  return context.req.header('cf-connecting-ip') ?? 'unknown';
}

/** Middleware: 429 JSON with `Retry-After` once a client exceeds the limit; `skip` exempts requests (the evaluator key). */
export function createRateLimitMiddleware(
  limiter: RateLimiter,
  keyOf: (context: Context) => string = clientAddress,
  options: { skip?: (context: Context) => boolean } = {},
): MiddlewareHandler {
  return async (context, next) => {
    if (context.req.method === 'OPTIONS' || options.skip?.(context)) return next();
    const decision = limiter.hit(keyOf(context));
    if (!decision.allowed) {
      return errorResponse(context, 'rate_limited', `Too many requests; try again in ${decision.retryAfterSeconds} seconds`, {
        'Retry-After': String(decision.retryAfterSeconds),
      });
    }
    await next();
  };
}
