/**
 * The widget in Chromium against a scripted stand-in API: streaming, markers and sources, safety with hostile data,
 * errors and retry, stop, session persistence, feedback, abstention, the source dialog and CSS isolation.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildWidgetScript } from '../../widget/build.ts';
import { collectPageErrors, launchChromium } from './fixtures/browser.ts';
import { answerEvents, createGate, makeCitation, startStubServer, type ChatScript, type StubServer } from './fixtures/stub-server.ts';

let browser: Browser;
let stub: StubServer;
let context: BrowserContext;
let page: Page;
let pageErrors: string[];

const HOSTILE_SCRIPT = '<script>window.__pwned=1</script>';
const HOSTILE_IMG = '<img src=x onerror="window.__pwned=1">';

/** Evaluates inside the widget's shadow root. */
async function inShadow<T>(fn: string): Promise<T> {
  return page.evaluate(`(() => { const root = document.querySelector('plan-assistent').shadowRoot; return (${fn})(root); })()`) as Promise<T>;
}

async function activeClass(): Promise<string> {
  return inShadow<string>('(root) => { const el = root.activeElement; return el ? el.tagName.toLowerCase() + "." + (el.getAttribute("class") || "") : "none"; }');
}

async function ask(question: string): Promise<void> {
  await page.getByLabel('Din fråga').fill(question);
  await page.getByLabel('Din fråga').press('Enter');
}

function chatRequests() {
  return stub.requests.filter((request) => request.path === '/api/chat');
}

beforeAll(async () => {
  const script = await buildWidgetScript({ minify: false });
  stub = await startStubServer({ widgetScript: script });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stub?.close();
});

beforeEach(async () => {
  stub.requests.length = 0;
  stub.chunks.clear();
  stub.onChat = () => ({ kind: 'sse', events: answerEvents(['Ett svar [1].'], [makeCitation(1)]) });
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  pageErrors = collectPageErrors(page);
  await page.goto(`${stub.url}/`);
  await page.waitForFunction(() => customElements.get('plan-assistent') !== undefined);
});

afterEach(async () => {
  await context?.close();
});

describe('widget against a scripted API', () => {
  it('streams the answer, links markers, lists sources and announces only the finished answer', async () => {
    const gate = createGate();
    const citations = [
      makeCitation(1),
      makeCitation(2, {
        id: 'chunk-yrkande',
        document: { id: 'doc-001', title: 'Yrkande ang Genomförandeplan 2025', committee: 'Socialnämnden Nordost', type: 'yrkande', status: 'yrkande', year: 2025, date: '2024-11-18', parties: ['V', 'S', 'MP'] },
      }),
    ];
    stub.onChat = () => ({
      kind: 'sse',
      events: [
        { event: 'citations', data: { citations, query: { text: 'q' } } },
        { event: 'text-delta', data: { text: 'Första delen [1]. ' } },
        { event: 'text-delta', data: { text: 'Andra delen [2].' }, gate: gate.promise },
        { event: 'done', data: { abstained: false, answerer: 'stub', citations, query: { text: 'q' }, answer: 'Första delen [1]. Andra delen [2].' } },
      ],
    });
    await ask('Vilka uppdrag finns?');
    const answer = page.locator('article.answer').last();
    await expect.poll(() => answer.innerText()).toContain('Första delen');
    // Mid-stream: text visible, nothing announced yet, stop button offered.
    expect(await inShadow<string>('(root) => root.querySelector("[role=status][aria-live=polite]").textContent')).toBe('');
    expect(await page.getByRole('button', { name: 'Stoppa' }).isVisible()).toBe(true);
    expect(await answer.getAttribute('aria-busy')).toBe('true');
    gate.open();
    await page.locator('article.answer[data-status="done"]').waitFor();
    await expect.poll(() => inShadow<string>('(root) => root.querySelector("[role=status][aria-live=polite]").textContent')).toContain('Svaret är klart. Första delen (källa 1). Andra delen (källa 2).');

    // Markers became buttons naming their source; sources list with the yrkande shown as a proposal.
    expect(await page.locator('button.marker').count()).toBe(2);
    expect(await page.getByRole('button', { name: 'Källa 2: Yrkande ang Genomförandeplan 2025' }).count()).toBe(1);
    const sources = page.locator('.sources li');
    expect(await sources.count()).toBe(2);
    expect(await sources.nth(0).innerText()).toContain('Socialnämnden Centrum · Verksamhetsplan (beslutad) · 2024');
    expect(await sources.nth(1).innerText()).toContain('Socialnämnden Nordost · Yrkande (förslag, ej beslutat) · V, S, MP · 2025');
    // Focus moved to the finished answer; the stop button is gone.
    expect(await activeClass()).toBe('article.answer');
    expect(await page.getByRole('button', { name: 'Stoppa' }).isVisible()).toBe(false);
    const body = chatRequests()[0].body as { messages: unknown[]; stream: boolean };
    expect(body).toEqual({ messages: [{ role: 'user', content: 'Vilka uppdrag finns?' }], stream: true });
    expect(pageErrors).toEqual([]);
  });

  it('renders hostile answers and documents as text: no script runs, no element is created', async () => {
    const hostile = `Svar ${HOSTILE_SCRIPT} och ${HOSTILE_IMG} [1]`;
    const citation = makeCitation(1, {
      id: 'hostile-chunk',
      text: `Text ${HOSTILE_IMG}`,
      section: `Rubrik ${HOSTILE_SCRIPT}`,
      document: { title: `Titel ${HOSTILE_IMG}`, committee: `Nämnd ${HOSTILE_SCRIPT}` },
    });
    stub.onChat = () => ({ kind: 'sse', events: answerEvents([hostile.slice(0, 20), hostile.slice(20)], [citation]) });
    stub.chunks.set('hostile-chunk', {
      chunk: { id: 'hostile-chunk', text: `Stycke ${HOSTILE_SCRIPT}${HOSTILE_IMG}`, section: `Avsnitt ${HOSTILE_IMG}`, kind: 'text' },
      document: { ...citation.document, title: `Dokument ${HOSTILE_IMG}`, source: `fil ${HOSTILE_SCRIPT}.txt` },
      previous: [{ id: 'p', text: `Före ${HOSTILE_IMG}`, section: '', kind: 'text' }],
      next: [{ id: 'n', text: `Efter ${HOSTILE_SCRIPT}`, section: '', kind: 'text' }],
    });
    await ask(`Fråga ${HOSTILE_IMG}`);
    await page.locator('article.answer[data-status="done"]').waitFor();
    await page.locator('button.marker').click();
    await page.locator('dialog mark').waitFor();
    await page.waitForTimeout(200); // give a (wrongly) created <img> time to fire onerror
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    const counts = await inShadow<{ img: number; script: number; text: string; dialog: string }>(
      '(root) => ({ img: root.querySelectorAll("img").length, script: root.querySelectorAll("script").length, text: root.querySelector("article.answer").textContent, dialog: root.querySelector("dialog").textContent })',
    );
    expect(counts.img).toBe(0);
    expect(counts.script).toBe(0);
    expect(counts.text).toContain(HOSTILE_SCRIPT);
    expect(counts.text).toContain(HOSTILE_IMG);
    expect(counts.dialog).toContain(`Stycke ${HOSTILE_SCRIPT}${HOSTILE_IMG}`);
    expect(await page.locator('img').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('shows network, 429, 5xx and stream errors in Swedish and retries without the failed turn', async () => {
    // Each phase answers every request the same way (Chromium may retry a POST on a reused, reset connection).
    let next: ChatScript = { kind: 'status', status: 429, body: { error: { code: 'rate_limited', message: 'Too many requests' } }, headers: { 'Retry-After': '7' } };
    stub.onChat = () => next;
    await ask('Hur många?');
    const error = page.locator('.error');
    await expect.poll(() => error.innerText()).toContain('Många frågor just nu. Vänta 7 sekunder och försök igen.');
    expect(await error.getAttribute('role')).toBe('alert');
    expect(await activeClass()).toBe('button.button secondary retry');

    next = { kind: 'status', status: 503, body: { error: { code: 'internal', message: 'down' } } };
    await page.getByRole('button', { name: 'Försök igen' }).click();
    await expect.poll(() => error.innerText()).toContain('Planassistenten har ett tillfälligt fel.');
    next = { kind: 'destroy' };
    await page.getByRole('button', { name: 'Försök igen' }).click();
    await expect.poll(() => error.innerText()).toContain('Det gick inte att nå Planassistenten.');
    next = { kind: 'sse', events: [{ event: 'error', data: { code: 'provider_error', message: 'The language model service failed' } }] };
    await page.getByRole('button', { name: 'Försök igen' }).click();
    await expect.poll(() => error.innerText()).toContain('Språkmodellen svarar inte just nu.');
    next = { kind: 'sse', events: [{ event: 'citations', data: { citations: [], query: { text: 'q' } } }, { event: 'text-delta', data: { text: 'Avbrutet' } }] };
    await page.getByRole('button', { name: 'Försök igen' }).click();
    await expect.poll(() => error.innerText()).toContain('Svaret avbröts innan det var klart.');
    next = { kind: 'sse', events: answerEvents(['Till slut ett svar [1].'], [makeCitation(1)]) };
    await page.getByRole('button', { name: 'Försök igen' }).click();
    await page.locator('article.answer[data-status="done"]').waitFor();
    expect(await page.locator('article.answer').innerText()).toContain('Till slut ett svar');
    expect(await page.locator('.error').count()).toBe(0);
    expect(await page.locator('li.exchange').count()).toBe(1);
    const requests = chatRequests();
    expect(requests.length).toBeGreaterThanOrEqual(6);
    for (const request of requests) expect((request.body as { messages: unknown[] }).messages).toEqual([{ role: 'user', content: 'Hur många?' }]);
  });

  it('stops a streaming answer and leaves the stopped turn out of the next request', async () => {
    stub.onChat = () => ({ kind: 'sse', events: [{ event: 'citations', data: { citations: [], query: { text: 'q' } } }, { event: 'text-delta', data: { text: 'Halvt svar' } }], hang: true });
    await page.getByLabel('Din fråga').fill('Första frågan');
    await page.getByRole('button', { name: 'Skicka' }).click();
    await expect.poll(() => page.locator('article.answer').innerText()).toContain('Halvt svar');
    expect(await activeClass()).toBe('button.button secondary stop');
    await page.keyboard.press('Enter'); // keyboard on the focused stop button
    await page.locator('article.answer[data-status="stopped"]').waitFor();
    expect(await page.locator('article.answer').innerText()).toContain('Svaret stoppades.');
    expect(await page.getByRole('button', { name: 'Stoppa' }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Skicka' }).isEnabled()).toBe(true);
    expect(await activeClass()).toBe('textarea.question-input');

    stub.onChat = () => ({ kind: 'sse', events: answerEvents(['Nytt svar.'], []) });
    await ask('Andra frågan');
    await page.locator('article.answer[data-status="done"]').waitFor();
    expect((chatRequests()[1].body as { messages: unknown[] }).messages).toEqual([{ role: 'user', content: 'Andra frågan' }]);
  });

  it('keeps the conversation for the page session, sends it as history, and "Ny konversation" clears it', async () => {
    stub.onChat = (body) => ({ kind: 'sse', events: answerEvents([`Svar på ${body.messages.length} meddelanden.`], []) });
    await ask('Första');
    await page.locator('article.answer[data-status="done"]').waitFor();
    await page.reload();
    await page.locator('article.answer[data-status="done"]').waitFor();
    expect(await page.locator('p.question').innerText()).toContain('Första');
    expect(await page.locator('article.answer').innerText()).toContain('Svar på 1 meddelanden.');

    await ask('Och sedan?');
    await expect.poll(() => page.locator('article.answer[data-status="done"]').count()).toBe(2);
    expect((chatRequests()[1].body as { messages: unknown[] }).messages).toEqual([
      { role: 'user', content: 'Första' },
      { role: 'assistant', content: 'Svar på 1 meddelanden.' },
      { role: 'user', content: 'Och sedan?' },
    ]);

    await page.getByRole('button', { name: 'Ny konversation' }).click();
    expect(await page.locator('li.exchange').count()).toBe(0);
    expect(await activeClass()).toBe('textarea.question-input');
    await page.reload();
    await page.waitForFunction(() => customElements.get('plan-assistent') !== undefined);
    expect(await page.locator('li.exchange').count()).toBe(0);
    expect(await page.evaluate(() => Object.keys(sessionStorage).length)).toBe(0);
  });

  it('sends thumbs up, and thumbs down with an optional comment', async () => {
    await ask('Fråga ett');
    await page.locator('article.answer[data-status="done"]').waitFor();
    await page.getByRole('button', { name: 'Ja, bra svar' }).click();
    await page.getByText('Tack för ditt omdöme!').waitFor();
    await ask('Fråga två');
    await expect.poll(() => page.locator('article.answer[data-status="done"]').count()).toBe(2);
    await page.getByRole('button', { name: 'Nej, dåligt svar' }).click();
    expect(await activeClass()).toBe('textarea.feedback-comment');
    await page.getByLabel('Vad var fel? (frivilligt)').fill('Fel nämnd');
    await page.getByRole('button', { name: 'Skicka omdöme' }).click();
    await expect.poll(() => page.getByText('Tack för ditt omdöme!').count()).toBe(2);
    const feedback = stub.requests.filter((request) => request.path === '/api/feedback').map((request) => request.body);
    expect(feedback).toEqual([
      { messages: [{ role: 'user', content: 'Fråga ett' }], answer: 'Ett svar [1].', rating: 'up' },
      {
        messages: [
          { role: 'user', content: 'Fråga ett' },
          { role: 'assistant', content: 'Ett svar [1].' },
          { role: 'user', content: 'Fråga två' },
        ],
        answer: 'Ett svar [1].',
        rating: 'down',
        comment: 'Fel nämnd',
      },
    ]);
  });

  it('shows an abstention as such, with the advice on how to ask once', async () => {
    const advice = 'Det finns inte i underlagen. Prova att formulera om frågan med nämndens namn och ett ämnesord.';
    stub.onChat = () => ({ kind: 'sse', events: answerEvents([advice], [], { abstained: true }) });
    await ask('Vad kostar parkering vid Liseberg?');
    await page.locator('article.answer[data-status="done"]').waitFor();
    const text = await page.locator('article.answer').innerText();
    expect(text).toContain('Inget säkert svar');
    expect(text.split('Prova att').length - 1, 'advice shown once').toBe(1);
    expect(text).toContain(advice);
    await expect.poll(() => inShadow<string>('(root) => root.querySelector("[role=status][aria-live=polite]").textContent')).toContain('Inget säkert svar hittades.');

    // An abstention without text of its own gets the widget's hint instead.
    stub.onChat = () => ({ kind: 'sse', events: answerEvents([''], [], { abstained: true }) });
    await ask('Och vid Slottsskogen?');
    await expect.poll(() => page.locator('article.answer[data-status="done"]').count()).toBe(2);
    const second = await page.locator('article.answer').nth(1).innerText();
    expect(second).toContain('Inget säkert svar');
    expect(second).toContain('Prova att nämna nämnden');
  });

  it('sends on Enter, adds a line on Shift+Enter, and refuses an empty question', async () => {
    const box = page.getByLabel('Din fråga');
    await box.press('Enter');
    expect(await page.locator('.notice').innerText()).toBe('Skriv en fråga först.');
    expect(chatRequests()).toHaveLength(0);
    await box.type('rad ett');
    await box.press('Shift+Enter');
    await box.type('rad två');
    expect(await box.inputValue()).toBe('rad ett\nrad två');
    await box.press('Enter');
    await page.locator('article.answer[data-status="done"]').waitFor();
    expect((chatRequests()[0].body as { messages: Array<{ content: string }> }).messages[0].content).toBe('rad ett\nrad två');
    expect(await box.inputValue()).toBe('');
  });

  it('opens the cited passage in context with a highlight, and Escape returns focus to the marker', async () => {
    stub.chunks.set('chunk-1', {
      chunk: { id: 'chunk-1', text: 'Det citerade stycket.', section: 'Uppdrag › Från nämnden', kind: 'uppdrag' },
      document: makeCitation(1).document,
      previous: [{ id: 'p', text: 'Stycket före.', section: '', kind: 'text' }],
      next: [{ id: 'n', text: 'Stycket efter.', section: '', kind: 'text' }],
    });
    await ask('Fråga');
    await page.locator('article.answer[data-status="done"]').waitFor();
    await page.locator('button.marker').focus();
    await page.keyboard.press('Enter');
    await page.locator('dialog mark').waitFor();
    expect(await page.locator('dialog mark').innerText()).toBe('Det citerade stycket.');
    expect(await page.locator('dialog').innerText()).toMatch(/Stycket före\.[\s\S]*Det citerade stycket\.[\s\S]*Stycket efter\./);
    expect(await activeClass()).toBe('p.cited');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('dialog').isVisible()).toBe(false);
    expect(await activeClass()).toBe('button.marker');

    // The source list works too, and a failed fetch falls back to the citation's own text.
    await page.locator('button.source').click();
    await page.locator('dialog mark').waitFor();
    stub.chunks.clear();
    await page.getByRole('button', { name: 'Stäng' }).click();
    expect(await activeClass()).toBe('button.source');
    await page.locator('button.source').click();
    await expect.poll(() => page.locator('dialog').innerText()).toContain('Sammanhanget kunde inte hämtas.');
    expect(await page.locator('dialog mark').innerText()).toBe('Citerad text 1.');
  });

  it('keeps host-page CSS out and its own CSS in', async () => {
    stub.pages.set(
      '/hostile-css',
      `<!doctype html><html lang="sv"><head><title>Värdsida</title><style>
        * { color: rgb(255, 0, 0) !important; font-family: serif !important; }
        button { background: rgb(0, 255, 0) !important; }
        .button, .panel { display: none !important; }
      </style><script src="/widget.js" defer></script></head>
      <body><main><button class="button" type="button">Värdens knapp</button><plan-assistent></plan-assistent></main></body></html>`,
    );
    await page.goto(`${stub.url}/hostile-css`);
    await page.waitForFunction(() => customElements.get('plan-assistent') !== undefined);
    const inside = await inShadow<{ color: string; background: string; display: string; textColor: string; font: string }>(
      '(root) => { const b = getComputedStyle(root.querySelector(".send")); const intro = getComputedStyle(root.querySelector(".intro")); const panel = getComputedStyle(root.querySelector(".panel")); return { color: b.color, background: b.backgroundColor, display: panel.display, textColor: panel.color, font: intro.fontFamily }; }',
    );
    expect(inside.color).toBe('rgb(255, 255, 255)');
    expect(inside.background).toBe('rgb(0, 75, 137)');
    expect(inside.display).toBe('flex');
    expect(inside.textColor).toBe('rgb(26, 26, 26)');
    expect(inside.font).toContain('system-ui');
    const hostButton = await page.evaluate(() => {
      const style = getComputedStyle(document.querySelector('main > button.button') as Element);
      return { display: style.display, background: style.backgroundColor };
    });
    expect(hostButton).toEqual({ display: 'none', background: 'rgb(0, 255, 0)' });
  });

  it('is themable with CSS custom properties from the host page', async () => {
    await page.addStyleTag({ content: 'plan-assistent { --pa-primary: rgb(120, 0, 60); }' });
    const background = await inShadow<string>('(root) => getComputedStyle(root.querySelector(".send")).backgroundColor');
    expect(background).toBe('rgb(120, 0, 60)');
  });
});
