/**
 * The widget routes (no browser): `/widget.js` with ETag caching, the demo page and its script, build failures.
 */
import { describe, expect, it } from 'vitest';
import { createWidgetRoutes, ifNoneMatchMatches } from '../../src/http/widget-routes.ts';
import { buildWidgetScript } from '../../widget/build.ts';
import { EXAMPLE_QUESTIONS } from '../../widget/src/demo-page.ts';

describe('createWidgetRoutes', () => {
  it('serves /widget.js as JavaScript with an ETag and a public max-age', async () => {
    const app = createWidgetRoutes({ script: async () => 'console.log("widget v1");' });
    const response = await app.request('/widget.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toMatch(/^public, max-age=300\b/);
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{24}"$/);
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(await response.text()).toBe('console.log("widget v1");');
  });

  it('answers 304 without a body when If-None-Match matches (strong, weak, in a list, *), 200 otherwise', async () => {
    const app = createWidgetRoutes({ script: async () => 'let a = 1;' });
    const etag = (await app.request('/widget.js')).headers.get('etag') as string;
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const response = await app.request('/widget.js', { headers: { 'If-None-Match': header } });
      expect(response.status, header).toBe(304);
      expect(await response.text()).toBe('');
      expect(response.headers.get('etag')).toBe(etag);
    }
    const stale = await app.request('/widget.js', { headers: { 'If-None-Match': '"stale"' } });
    expect(stale.status).toBe(200);
    expect(await stale.text()).toBe('let a = 1;');
  });

  it('changes the ETag when the script changes', async () => {
    let script = 'version 1';
    const app = createWidgetRoutes({ script: async () => script });
    const first = (await app.request('/widget.js')).headers.get('etag');
    script = 'version 2';
    const second = await app.request('/widget.js', { headers: { 'If-None-Match': first as string } });
    expect(second.status).toBe(200);
    expect(second.headers.get('etag')).not.toBe(first);
    expect(await second.text()).toBe('version 2');
  });

  it('answers a failed build with 500 JSON and recovers on the next request', async () => {
    let fail = true;
    const app = createWidgetRoutes({
      script: async () => {
        if (fail) throw new Error('esbuild exploded');
        return 'ok';
      },
    });
    const originalError = console.error;
    console.error = () => undefined;
    try {
      const failed = await app.request('/widget.js');
      expect(failed.status).toBe(500);
      expect(await failed.json()).toEqual({ error: { code: 'internal', message: 'The widget script could not be built.' } });
    } finally {
      console.error = originalError;
    }
    fail = false;
    const recovered = await app.request('/widget.js');
    expect(recovered.status).toBe(200);
    expect(await recovered.text()).toBe('ok');
  });

  it('serves the Swedish demo page with the widget, its script and example questions', async () => {
    const app = createWidgetRoutes({ script: async () => '' });
    const response = await app.request('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('<html lang="sv">');
    expect(html).toContain('<script src="/widget.js" defer></script>');
    expect(html).toContain('<plan-assistent></plan-assistent>');
    for (const question of EXAMPLE_QUESTIONS) expect(html).toContain(`data-question="${question}"`);
    const etag = response.headers.get('etag') as string;
    expect((await app.request('/', { headers: { 'If-None-Match': etag } })).status).toBe(304);

    const demoScript = await app.request('/demo.js');
    expect(demoScript.status).toBe(200);
    expect(demoScript.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await demoScript.text()).toContain("customElements.whenDefined('plan-assistent')");
  });

  it('serves the accessibility statement at /tillganglighet, linked from the demo page, with a configurable contact', async () => {
    const app = createWidgetRoutes({ script: async () => '' });
    expect(await (await app.request('/')).text()).toContain('<a href="/tillganglighet">Tillgänglighet</a>');
    const response = await app.request('/tillganglighet');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    for (const heading of ['Så testar vi', 'Kända brister', 'Kontakta oss']) expect(html).toContain(`>${heading}</h2>`);
    expect(html).not.toMatch(/<script/);
    const etag = response.headers.get('etag') as string;
    expect((await app.request('/tillganglighet', { headers: { 'If-None-Match': etag } })).status).toBe(304);

    const custom = createWidgetRoutes({
      script: async () => '',
      accessibilityContact: { organisation: 'Idrotts- och föreningsförvaltningen', email: 'tillganglighet@idrott.example', phone: '031-000 00 00' },
    });
    const customHtml = await (await custom.request('/tillganglighet')).text();
    expect(customHtml).toContain('Idrotts- och föreningsförvaltningen');
    expect(customHtml).toContain('href="mailto:tillganglighet@idrott.example"');
    expect(customHtml).toContain('href="tel:0310000000"');
    expect(customHtml).not.toContain('365 00 00');
  });

  it('builds the real widget bundle: one self-contained script that registers <plan-assistent>', async () => {
    const script = await buildWidgetScript();
    expect(script).toContain('plan-assistent');
    expect(script).not.toMatch(/\bimport\s*[({"']/);
    expect(script).not.toContain('innerHTML');
    expect(script).not.toContain('insertAdjacentHTML');
    expect(Buffer.byteLength(script)).toBeLessThan(60 * 1024);
  });
});

describe('ifNoneMatchMatches', () => {
  it('compares entity tags weakly and handles missing headers', () => {
    expect(ifNoneMatchMatches(undefined, '"a"')).toBe(false);
    expect(ifNoneMatchMatches('"b"', '"a"')).toBe(false);
    expect(ifNoneMatchMatches('W/"a"', '"a"')).toBe(true);
    expect(ifNoneMatchMatches(' "x" ,  "a"', '"a"')).toBe(true);
  });
});
