/**
 * A daily request budget per calling origin (`ORIGIN_DAILY_LIMIT`), and the evaluator key (`EVAL_API_KEY`) that
 * lets a trusted evaluation run skip the per-client rate limit and the budget. Runtime-neutral (no `node:*`).
 *
 * The budget counts requests that carry an `Origin` header (every browser request from a page that embeds the
 * widget, the demo page included), keyed by the normalised origin, per UTC day. Requests without `Origin`
 * (curl, server-to-server) belong to no site and are only subject to the per-client rate limit.
 * Counters are in memory: per process on Node, per isolate on Workers.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { normalizeOrigin } from './cors.ts';

/** Header `eval --url` sends with the evaluator key. */
export const EVAL_KEY_HEADER = 'x-eval-key';

const DAY_MS = 86_400_000;

/** Options of {@link createOriginBudget}. */
export interface OriginBudgetOptions {
  /** Requests per origin and UTC day; 0 turns the budget off. */
  dailyLimit: number;
  /** Clock (tests). */
  now?: () => number;
  /** Most origins tracked at once (older days are dropped first). */
  maxOrigins?: number;
}

/** Outcome of one {@link OriginBudget.spend}. */
export interface OriginBudgetDecision {
  allowed: boolean;
  remaining: number;
  /** Seconds until the budget resets at the next UTC midnight (≥ 1). */
  retryAfterSeconds: number;
}

/** Counts requests per origin and UTC day. */
export interface OriginBudget {
  spend(origin: string): OriginBudgetDecision;
}

/** Creates an in-memory daily budget per origin. */
export function createOriginBudget(options: OriginBudgetOptions): OriginBudget {
  const now = options.now ?? Date.now;
  const maxOrigins = options.maxOrigins ?? 10_000;
  const counts = new Map<string, { day: number; count: number }>();
  return {
    spend(origin: string): OriginBudgetDecision {
      const time = now();
      const day = Math.floor(time / DAY_MS);
      const retryAfterSeconds = Math.max(1, Math.ceil(((day + 1) * DAY_MS - time) / 1000));
      if (options.dailyLimit <= 0) return { allowed: true, remaining: Number.POSITIVE_INFINITY, retryAfterSeconds };
      const key = normalizeOrigin(origin);
      let entry = counts.get(key);
      if (!entry || entry.day !== day) {
        if (!entry && counts.size >= maxOrigins) {
          for (const [other, value] of counts) if (value.day !== day) counts.delete(other);
          for (const other of counts.keys()) {
            if (counts.size < maxOrigins) break;
            counts.delete(other);
          }
        }
        entry = { day, count: 0 };
        counts.set(key, entry);
      }
      // A refused request does not use up more of the budget.
      if (entry.count >= options.dailyLimit) return { allowed: false, remaining: 0, retryAfterSeconds };
      entry.count += 1;
      return { allowed: true, remaining: options.dailyLimit - entry.count, retryAfterSeconds };
    },
  };
}

/** Middleware: 429 `{error:{code:'budget_exhausted', message}}` with `Retry-After` once an origin's daily budget is spent. */
export function createOriginBudgetMiddleware(budget: OriginBudget, options: { skip?: (context: Context) => boolean } = {}): MiddlewareHandler {
  return async (context, next) => {
    if (context.req.method === 'OPTIONS' || options.skip?.(context)) return next();
    const origin = context.req.header('origin');
    if (!origin) return next();
    const decision = budget.spend(origin);
    if (!decision.allowed) {
      return context.json(
        { error: { code: 'budget_exhausted', message: `The daily request budget of ${normalizeOrigin(origin)} is used up; it resets at midnight UTC` } },
        429,
        { 'Retry-After': String(decision.retryAfterSeconds) },
      );
    }
    await next();
  };
}

/** Compares two strings in time independent of where they differ (the key is not leaked by timing). */
function constantTimeEqual(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  for (let index = 0; index < b.length; index++) difference |= (a.charCodeAt(index % Math.max(1, a.length)) || 0) ^ b.charCodeAt(index);
  return difference === 0;
}

/**
 * A predicate that is true for requests carrying the evaluator key in {@link EVAL_KEY_HEADER}.
 * Without a key (the default) it is always false: nobody bypasses anything.
 */
export function evaluatorCheck(evalApiKey: string | undefined): (context: Context) => boolean {
  if (!evalApiKey) return () => false;
  return (context) => {
    const sent = context.req.header(EVAL_KEY_HEADER);
    return sent !== undefined && constantTimeEqual(sent, evalApiKey);
  };
}
