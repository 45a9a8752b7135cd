/**
 * The widget in Chromium against the real application (createApp + createNodeAssistant, sample corpus ingested into
 * a temp LanceDB): the familjehem question, a citation in context, a keyboard-only run, a host page on another origin,
 * a hostile document, an axe-core scan and screenshots (desktop, 320 px, 200 % zoom) in test-artifacts/.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchChromium, runAxe, screenshot, type AxeViolation } from './fixtures/browser.ts';
import { startRealServer, type RealServer } from './fixtures/real-server.ts';

const FAMILJEHEM = 'Vilka uppdrag har socialnämnden Centrum om familjehem?';

let browser: Browser;
let server: RealServer;
let hostServer: { url: string; close(): Promise<void> };
let otherHostServer: { url: string; close(): Promise<void> };
const contexts: BrowserContext[] = [];

/** A minimal page server on `host` whose page embeds the widget from `scriptOrigin()` the way a partner site would. */
async function startHostPage(host: string, scriptOrigin: () => string): Promise<{ url: string; close(): Promise<void> }> {
  const http: Server = createServer((request, response) => {
    if (request.url !== '/') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Partnersida</title><link rel="icon" href="data:,">
      <style>body { font-family: Georgia, serif; color: #333; } button { all: unset; }</style>
      <script src="${scriptOrigin()}/widget.js" defer></script></head>
      <body><main><h1>En annan webbplats</h1><p>Sidan bäddar in Planassistenten.</p><plan-assistent></plan-assistent></main></body></html>`);
  });
  const listen = (address: string) =>
    new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(0, address, () => resolve());
    });
  let address = host;
  try {
    await listen(host);
  } catch {
    address = '127.0.0.1'; // loopback aliases unavailable: another port is still another origin
    await listen(address);
  }
  return {
    url: `http://${address}:${(http.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
}

async function newPage(options: { width: number; height: number; scale?: number } = { width: 1280, height: 800 }): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: options.width, height: options.height }, deviceScaleFactor: options.scale ?? 1 });
  contexts.push(context);
  const page = await context.newPage();
  return { page, errors: collectPageErrors(page) };
}

async function openWidgetPage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => customElements.get('plan-assistent') !== undefined);
}

async function activeElement(page: Page): Promise<{ tag: string; className: string; outline: string; text: string }> {
  return page.evaluate(() => {
    let element: Element | null = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    if (!element) return { tag: 'none', className: '', outline: 'none', text: '' };
    const style = getComputedStyle(element);
    return { tag: element.tagName.toLowerCase(), className: element.getAttribute('class') ?? '', outline: `${style.outlineStyle} ${style.outlineWidth}`, text: (element.textContent ?? '').trim().slice(0, 80) };
  });
}

async function askAndWait(page: Page, question: string): Promise<void> {
  await page.getByLabel('Din fråga').fill(question);
  await page.getByLabel('Din fråga').press('Enter');
  await page.locator('article.answer[data-status="done"], article.answer[data-status="error"]').last().waitFor({ timeout: 30_000 });
}

function serious(violations: AxeViolation[]): AxeViolation[] {
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

beforeAll(async () => {
  let apiOrigin = '';
  hostServer = await startHostPage('127.0.0.2', () => apiOrigin);
  otherHostServer = await startHostPage('127.0.0.3', () => apiOrigin);
  server = await startRealServer({ allowedOrigins: [hostServer.url] });
  apiOrigin = server.url;
  browser = await launchChromium();
}, 180_000);

afterEach(async () => {
  while (contexts.length) await contexts.pop()?.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await hostServer?.close();
  await otherHostServer?.close();
});

describe('widget against the real application', () => {
  it('answers the familjehem question on the demo page with streamed text and Centrum citations', async () => {
    const { page, errors } = await newPage();
    const chatResponses: Array<{ status: number; type: string }> = [];
    page.on('response', (response) => {
      if (response.url().endsWith('/api/chat')) chatResponses.push({ status: response.status(), type: response.headers()['content-type'] ?? '' });
    });
    await openWidgetPage(page, `${server.url}/`);
    await page.getByRole('button', { name: FAMILJEHEM }).click();
    expect(await page.getByLabel('Din fråga').inputValue()).toBe(FAMILJEHEM);
    await page.getByLabel('Din fråga').press('Enter');
    const answer = page.locator('article.answer').last();
    await page.locator('article.answer[data-status="done"]').waitFor({ timeout: 30_000 });

    expect(chatResponses).toEqual([{ status: 200, type: expect.stringContaining('text/event-stream') }]);
    const text = await answer.locator('.answer-text').innerText();
    expect(text.toLowerCase()).toContain('familjehem');
    const sources = await answer.locator('.sources li').allInnerTexts();
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(source).toMatch(/centrum/i);
      expect(source).not.toMatch(/nordost/i);
    }
    expect(await answer.locator('button.marker').count()).toBeGreaterThan(0);
    await expect.poll(() => page.evaluate(() => document.querySelector('plan-assistent')?.shadowRoot?.querySelector('[role=status][aria-live=polite]')?.textContent ?? '')).toContain('Svaret är klart.');
    expect(errors).toEqual([]);
    await screenshot(page, 'widget-desktop-1280x800');
  });

  it('opens a citation with the cited passage highlighted in context, and returns focus on Escape', async () => {
    const { page } = await newPage();
    await openWidgetPage(page, `${server.url}/`);
    await askAndWait(page, FAMILJEHEM);
    const marker = page.locator('button.marker').first();
    const markerNumber = await marker.getAttribute('data-marker');
    await marker.click();
    await page.locator('dialog mark').waitFor();
    const citationId = await page.evaluate(async (number) => {
      const key = Object.keys(sessionStorage).find((name) => name.startsWith('plan-assistent:'));
      const exchanges = JSON.parse(sessionStorage.getItem(key as string) as string) as Array<{ citations: Array<{ marker: number; id: string }> }>;
      return exchanges[exchanges.length - 1].citations.find((citation) => String(citation.marker) === number)?.id;
    }, markerNumber);
    const fromApi = (await (await fetch(`${server.url}/api/chunks/${encodeURIComponent(citationId as string)}`)).json()) as {
      chunk: { text: string };
      document: { title: string };
      previous: Array<{ text: string }>;
    };
    expect(await page.locator('dialog mark').innerText()).toBe(fromApi.chunk.text);
    expect(await page.locator('dialog h2').innerText()).toBe(fromApi.document.title);
    if (fromApi.previous.length) expect(await page.locator('dialog .context').first().innerText()).toBe(fromApi.previous[0].text);
    expect((await activeElement(page)).className).toBe('cited');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('dialog').isVisible()).toBe(false);
    expect((await activeElement(page)).className).toBe('marker');
  });

  it('can be used with the keyboard alone, with a visible focus indicator at every step', async () => {
    const { page } = await newPage();
    await openWidgetPage(page, `${server.url}/`);
    const steps: string[] = [];
    const tabTo = async (predicate: (element: Awaited<ReturnType<typeof activeElement>>) => boolean, label: string, limit = 40) => {
      for (let index = 0; index < limit; index++) {
        await page.keyboard.press('Tab');
        const element = await activeElement(page);
        expect(element.outline, `focus indicator on ${element.tag}.${element.className}`).not.toMatch(/^none/);
        if (predicate(element)) {
          steps.push(label);
          return element;
        }
      }
      throw new Error(`Tab never reached ${label}; steps so far: ${steps.join(' → ')}`);
    };
    await tabTo((element) => element.tag === 'button' && element.text === FAMILJEHEM, 'example question');
    await page.keyboard.press('Enter');
    expect((await activeElement(page)).className).toBe('question-input');
    await page.keyboard.press('Enter');
    await page.locator('article.answer[data-status="done"]').waitFor({ timeout: 30_000 });
    expect((await activeElement(page)).className).toBe('answer');
    await tabTo((element) => element.className === 'marker', 'first marker');
    await page.keyboard.press('Enter');
    await page.locator('dialog mark').waitFor();
    expect((await activeElement(page)).className).toBe('cited');
    // Backwards inside the modal dialog: the scrollable body (Chromium makes scrollers focusable), then the close button.
    const backwards: string[] = [];
    for (let index = 0; index < 3 && !backwards.some((name) => name.includes('close')); index++) {
      await page.keyboard.press('Shift+Tab');
      const element = await activeElement(page);
      expect(element.outline, `focus indicator on ${element.className}`).not.toMatch(/^none/);
      backwards.push(element.className);
    }
    expect(backwards[backwards.length - 1]).toContain('close');
    await page.keyboard.press('Escape');
    expect((await activeElement(page)).className).toBe('marker');
    await tabTo((element) => element.className === 'source', 'first source');
    await page.keyboard.press('Enter');
    await page.locator('dialog mark').waitFor();
    await page.keyboard.press('Escape');
    expect((await activeElement(page)).className).toBe('source');
    await tabTo((element) => element.className.includes('thumb-up'), 'thumbs up');
    await page.keyboard.press('Enter');
    await page.getByText('Tack för ditt omdöme!').waitFor();
    await tabTo((element) => element.className === 'question-input', 'question box');
    await page.keyboard.type('Och vad gäller för Nordost?');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('article.answer[data-status="done"], article.answer[data-status="error"]').count(), { timeout: 30_000 }).toBe(2);
    expect(await page.locator('article.answer').nth(1).getAttribute('data-status')).toBe('done');
    expect(steps).toEqual(['example question', 'first marker', 'first source', 'thumbs up', 'question box']);
  });

  it('works on a host page of another origin with the API defaulting to the script origin; other origins are refused', async () => {
    const { page, errors } = await newPage();
    await openWidgetPage(page, `${hostServer.url}/`);
    expect(new URL(hostServer.url).origin).not.toBe(new URL(server.url).origin);
    expect(await page.evaluate(() => (document.querySelector('plan-assistent') as unknown as { api: string }).api)).toBe(server.url);
    await askAndWait(page, FAMILJEHEM);
    expect(await page.locator('article.answer').getAttribute('data-status')).toBe('done');
    expect(await page.locator('.sources li').count()).toBeGreaterThan(0);
    // The host page's `button { all: unset }` does not reach the widget's buttons.
    const sendBackground = await page.evaluate(() => getComputedStyle(document.querySelector('plan-assistent')!.shadowRoot!.querySelector('.send')!).backgroundColor);
    expect(sendBackground).toBe('rgb(0, 75, 137)');
    expect(errors).toEqual([]);

    const other = await newPage();
    await openWidgetPage(other.page, `${otherHostServer.url}/`);
    if (new URL(otherHostServer.url).origin === new URL(hostServer.url).origin) return; // no loopback alias to test with
    await askAndWait(other.page, FAMILJEHEM);
    expect(await other.page.locator('.error').innerText()).toContain('Det gick inte att nå Planassistenten.');
  });

  it('never runs script from a hostile document in the real pipeline', async () => {
    const corpusDir = await mkdtemp(join(tmpdir(), 'planassistent-hostile-'));
    await writeFile(
      join(corpusDir, 'hostile.txt'),
      [
        'Genomförandeplan 2025 för Socialnämnden Centrum',
        '',
        'Uppdrag',
        '',
        'Nämnden ska utreda hur familjehem kan rekryteras <script>window.__pwned=1</script> i egen regi.',
        'Nämnden ska stärka stödet till familjehem <img src=x onerror="window.__pwned=1"> över hela staden.',
        '',
      ].join('\n'),
      'utf8',
    );
    const hostile = await startRealServer({ corpusDir });
    try {
      const { page, errors } = await newPage();
      await openWidgetPage(page, `${hostile.url}/`);
      await askAndWait(page, 'Vilka uppdrag om familjehem har socialnämnden Centrum?');
      const marker = page.locator('button.marker, button.source').first();
      await marker.click();
      await page.locator('dialog mark').waitFor();
      await page.waitForTimeout(200); // a wrongly created <img> would fire onerror now
      const seen = await page.evaluate(() => {
        const root = document.querySelector('plan-assistent')!.shadowRoot!;
        return {
          pwned: (window as unknown as { __pwned?: number }).__pwned,
          images: root.querySelectorAll('img').length + document.querySelectorAll('img').length,
          scripts: root.querySelectorAll('script').length,
          text: `${root.querySelector('article.answer')?.textContent ?? ''} ${root.querySelector('dialog')?.textContent ?? ''}`,
        };
      });
      expect(seen.pwned).toBeUndefined();
      expect(seen.images).toBe(0);
      expect(seen.scripts).toBe(0);
      expect(seen.text).toMatch(/<script>|onerror/);
      expect(errors).toEqual([]);
    } finally {
      await hostile.close();
      await rm(corpusDir, { recursive: true, force: true });
    }
  });

  it('has no serious or critical axe-core violations (page, widget shadow root, open source dialog)', async () => {
    const { page } = await newPage();
    await openWidgetPage(page, `${server.url}/`);
    const initial = await runAxe(page);
    await askAndWait(page, FAMILJEHEM);
    const answered = await runAxe(page);
    await page.locator('button.marker').first().click();
    await page.locator('dialog mark').waitFor();
    const dialog = await runAxe(page);
    const all = [...initial, ...answered, ...dialog];
    console.info('axe violations (all impacts):', JSON.stringify(all.map((violation) => `${violation.impact} ${violation.id}: ${violation.targets.join(' ')}`)));
    expect(serious(initial)).toEqual([]);
    expect(serious(answered)).toEqual([]);
    expect(serious(dialog)).toEqual([]);
  });

  it('fits 320 px and 200 % zoom without horizontal scrolling (screenshots in test-artifacts/)', async () => {
    for (const size of [
      { name: 'mobile-320x640', width: 320, height: 640, scale: 1 },
      { name: 'zoom-200', width: 640, height: 400, scale: 2 },
    ]) {
      const { page } = await newPage(size);
      await openWidgetPage(page, `${server.url}/`);
      await askAndWait(page, FAMILJEHEM);
      const overflow = await page.evaluate(() => {
        const root = document.querySelector('plan-assistent')!.shadowRoot!;
        const panel = root.querySelector('.panel') as HTMLElement;
        const log = root.querySelector('.log') as HTMLElement;
        return {
          page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          panel: panel.scrollWidth - panel.clientWidth,
          log: log.scrollWidth - log.clientWidth,
        };
      });
      expect(overflow, size.name).toEqual({ page: 0, panel: 0, log: 0 });
      await screenshot(page, `widget-${size.name}`);
      await page.locator('button.marker').first().click();
      await page.locator('dialog mark').waitFor();
      const dialogOverflow = await page.evaluate(() => {
        const dialog = document.querySelector('plan-assistent')!.shadowRoot!.querySelector('dialog') as HTMLElement;
        const close = dialog.querySelector('.close') as HTMLElement;
        const mark = dialog.querySelector('mark') as HTMLElement;
        const body = dialog.querySelector('.dialog-body') as HTMLElement;
        const closeBox = close.getBoundingClientRect();
        const markBox = mark.getBoundingClientRect();
        const bodyBox = body.getBoundingClientRect();
        return {
          horizontal: dialog.scrollWidth - dialog.clientWidth,
          right: dialog.getBoundingClientRect().right - window.innerWidth,
          closeVisible: closeBox.top >= 0 && closeBox.bottom <= window.innerHeight,
          markVisible: markBox.top >= bodyBox.top - 1 && markBox.top < bodyBox.bottom,
        };
      });
      expect(dialogOverflow.horizontal, size.name).toBe(0);
      expect(dialogOverflow.closeVisible, `${size.name}: close button on screen`).toBe(true);
      expect(dialogOverflow.markVisible, `${size.name}: highlighted passage scrolled into view`).toBe(true);
      expect(dialogOverflow.right, size.name).toBeLessThanOrEqual(0);
      await screenshot(page, `widget-${size.name}-source`, { fullPage: false });
    }
  });
});
