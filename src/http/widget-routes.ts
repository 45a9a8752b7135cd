/**
 * Routes that serve the chat widget: `GET /widget.js` (cached with an ETag), `GET /` (the demo page),
 * `GET /demo.js` (the demo page's example-question script) and `GET /tillganglighet` (the accessibility
 * statement). Runtime-neutral: no `node:*` imports.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { stableHash } from '../core/hash.ts';
import { type AccessibilityContact, renderAccessibilityPage } from '../../widget/src/accessibility-page.ts';
import { DEMO_SCRIPT, renderDemoPage } from '../../widget/src/demo-page.ts';

/** Options of {@link createWidgetRoutes}. */
export interface WidgetRoutesOptions {
  /** Returns the bundled widget script; called per request, so memoise it (Node: `buildWidgetScript`, Worker: a string). */
  script: () => Promise<string>;
  /** `Cache-Control` max-age for `/widget.js` in seconds (default 300). */
  maxAgeSeconds?: number;
  /** Contact shown in the accessibility statement (default: the demo deployment's switchboard). */
  accessibilityContact?: AccessibilityContact;
}

const JAVASCRIPT = 'text/javascript; charset=utf-8';

/** True when an `If-None-Match` header matches the entity tag (weak comparison, lists and `*`). */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((candidate) => {
    const value = candidate.trim();
    return value === '*' || value.replace(/^W\//, '') === bare;
  });
}

function cachedResponse(
  context: Context,
  body: string,
  etag: string,
  contentType: string,
  maxAgeSeconds: number,
  extraHeaders: Record<string, string> = {},
): Response {
  const headers: Record<string, string> = {
    ...extraHeaders,
    ETag: etag,
    'Cache-Control': `public, max-age=${maxAgeSeconds}, must-revalidate`,
    Vary: 'Accept-Encoding',
    'X-Content-Type-Options': 'nosniff',
  };
  if (ifNoneMatchMatches(context.req.header('if-none-match'), etag)) return context.body(null, 304, headers);
  return context.body(body, 200, { ...headers, 'Content-Type': contentType });
}

/** Creates the widget routes; mount with `app.route('/', createWidgetRoutes({ script }))`. */
export function createWidgetRoutes(options: WidgetRoutesOptions): Hono {
  const maxAgeSeconds = options.maxAgeSeconds ?? 300;
  const app = new Hono();
  let lastScript: string | undefined;
  let lastEtag = '';
  const demoPage = renderDemoPage();
  const demoPageEtag = `"${stableHash(demoPage, 24)}"`;
  const demoScriptEtag = `"${stableHash(DEMO_SCRIPT, 24)}"`;
  const statement = renderAccessibilityPage(options.accessibilityContact ? { contact: options.accessibilityContact } : {});
  const statementEtag = `"${stableHash(statement, 24)}"`;

  app.get('/widget.js', async (context) => {
    let script: string;
    try {
      script = await options.script();
    } catch (error) {
      console.error('widget.js: building the widget failed', error);
      return context.json({ error: { code: 'internal', message: 'The widget script could not be built.' } }, 500);
    }
    if (script !== lastScript) {
      lastScript = script;
      lastEtag = `"${stableHash(script, 24)}"`;
    }
    // Host pages on other origins load this script: allow it even where the app sets a same-origin CORP elsewhere.
    return cachedResponse(context, script, lastEtag, JAVASCRIPT, maxAgeSeconds, { 'Cross-Origin-Resource-Policy': 'cross-origin' });
  });

  app.get('/demo.js', (context) => cachedResponse(context, DEMO_SCRIPT, demoScriptEtag, JAVASCRIPT, maxAgeSeconds));

  app.get('/', (context) => cachedResponse(context, demoPage, demoPageEtag, 'text/html; charset=utf-8', 60));

  app.get('/tillganglighet', (context) => cachedResponse(context, statement, statementEtag, 'text/html; charset=utf-8', 300));

  return app;
}
