/**
 * What citizens see, in Chromium against the real application: the conversation uses the page's scroll on a phone
 * and a desktop (screenshots in test-artifacts/), axe-core finds nothing, Escape returns to the question box after an
 * answer, and each failure (rate limit, the site's daily budget, server error, server unreachable, offline) has its
 * own Swedish message and a working retry.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchChromium, runAxe, screenshot } from './fixtures/browser.ts';
import { startRealServer, type RealServer, type RealServerOptions } from './fixtures/real-server.ts';

const FAMILJEHEM = 'Vilka uppdrag har socialnämnden Centrum om familjehem?';

let browser: Browser;
let indexDir: string;
let server: RealServer;
const contexts: BrowserContext[] = [];
const extraServers: RealServer[] = [];

async function newPage(width = 1280, height = 800): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width, height } });
  contexts.push(context);
  const page = await context.newPage();
  return { page, context, errors: collectPageErrors(page) };
}

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => customElements.get('plan-assistent') !== undefined);
}

async function ask(page: Page, question: string): Promise<void> {
  await page.getByLabel('Din fråga').fill(question);
  await page.getByLabel('Din fråga').press('Enter');
}

async function settled(page: Page, count: number): Promise<string> {
  await expect
    .poll(() => page.locator('article.answer[data-status="done"], article.answer[data-status="error"]').count(), { timeout: 30_000 })
    .toBe(count);
  return (await page.locator('article.answer').nth(count - 1).getAttribute('data-status')) ?? '';
}

async function activeClass(page: Page): Promise<string> {
  return page.evaluate(() => {
    let element: Element | null = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    return element?.getAttribute('class') ?? 'none';
  });
}

async function liveText(page: Page): Promise<string> {
  return page.evaluate(() => document.querySelector('plan-assistent')!.shadowRoot!.querySelector('[role=status][aria-live=polite]')!.textContent ?? '');
}

async function startExtra(options: RealServerOptions): Promise<RealServer> {
  const extra = await startRealServer({ indexDir, ...options });
  extraServers.push(extra);
  return extra;
}

beforeAll(async () => {
  indexDir = await mkdtemp(join(tmpdir(), 'planassistent-citizens-'));
  server = await startRealServer({ indexDir });
  browser = await launchChromium();
}, 180_000);

afterEach(async () => {
  while (contexts.length) await contexts.pop()?.close();
});

afterAll(async () => {
  await browser?.close();
  for (const extra of extraServers) await extra.close().catch(() => undefined);
  await server?.close();
  await rm(indexDir, { recursive: true, force: true });
});

describe('the widget on a phone and a desktop', () => {
  for (const size of [
    { name: 'phone-390x844', width: 390, height: 844 },
    { name: 'desktop-1280x800', width: 1280, height: 800 },
  ]) {
    it(`${size.name}: the answer and its sources use the page's scroll, the question box stays reachable, axe finds nothing`, async () => {
      const { page, errors } = await newPage(size.width, size.height);
      await open(page, `${server.url}/`);
      expect(await runAxe(page)).toEqual([]);
      await ask(page, FAMILJEHEM);
      expect(await settled(page, 1)).toBe('done');

      const layout = await page.evaluate(() => {
        const root = document.querySelector('plan-assistent')!.shadowRoot!;
        // Every box inside the widget that scrolls by itself (the closed dialog excluded).
        const nested = [...root.querySelectorAll<HTMLElement>('*')]
          .filter((element) => !element.closest('dialog'))
          .filter((element) => /auto|scroll/.test(getComputedStyle(element).overflowY) && element.scrollHeight > element.clientHeight + 1)
          .map((element) => element.className);
        const sources = root.querySelector('.sources') as HTMLElement;
        const answer = root.querySelector('article.answer') as HTMLElement;
        return {
          nested,
          sources: sources.getBoundingClientRect().height,
          sourceItems: sources.querySelectorAll('li').length,
          answerTop: answer.getBoundingClientRect().top + window.scrollY,
          pageWidth: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        };
      });
      expect(layout.nested, 'no scroll box inside the page').toEqual([]);
      expect(layout.sourceItems).toBeGreaterThan(0);
      expect(layout.sources).toBeGreaterThan(0);
      expect(layout.pageWidth).toBe(0);

      // Reading the answer from its top: the question box is still on screen.
      await page.evaluate((top) => window.scrollTo(0, top - 10), layout.answerTop);
      const input = await page.evaluate(() => {
        const box = document.querySelector('plan-assistent')!.shadowRoot!.querySelector('textarea')!.getBoundingClientRect();
        return { top: box.top, bottom: box.bottom, height: window.innerHeight };
      });
      expect(input.top).toBeGreaterThanOrEqual(0);
      expect(input.bottom).toBeLessThanOrEqual(input.height);

      // Tabbing to a source below the sticky question box brings it into view above the box.
      await page.locator('button.source').last().focus();
      const covered = await page.evaluate(() => {
        const root = document.querySelector('plan-assistent')!.shadowRoot!;
        const source = (root.activeElement as HTMLElement).getBoundingClientRect();
        const composer = root.querySelector('.composer')!.getBoundingClientRect();
        return source.bottom > composer.top + 1 && source.top < composer.bottom;
      });
      expect(covered, 'focused source hidden under the question box').toBe(false);
      await screenshot(page, `citizens-${size.name}-sources-in-view`, { fullPage: false });

      expect(await runAxe(page)).toEqual([]);
      // The whole page in one picture: a viewport as tall as the page (a full-page capture would leave the
      // sticky question box where the first screen ended).
      const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.setViewportSize({ width: size.width, height: pageHeight });
      await screenshot(page, `citizens-${size.name}`, { fullPage: false });
      await page.setViewportSize({ width: size.width, height: size.height });

      await page.locator('button.marker').first().click();
      await page.locator('dialog mark').waitFor();
      expect(await runAxe(page)).toEqual([]);
      await screenshot(page, `citizens-${size.name}-source`, { fullPage: false });
      expect(errors).toEqual([]);
    });
  }
});

describe('keyboard and screen readers', () => {
  it('after an answer, one Escape returns to the question box (announced and described); a follow-up needs no more keys', async () => {
    const { page } = await newPage(390, 844);
    await open(page, `${server.url}/`);
    await page.getByLabel('Din fråga').focus();
    await page.keyboard.type(FAMILJEHEM);
    await page.keyboard.press('Enter');
    expect(await settled(page, 1)).toBe('done');
    expect(await activeClass(page)).toBe('answer');
    await expect.poll(() => liveText(page)).toMatch(/^Svaret är klart\..*Tryck Escape för att gå till frågerutan/s);
    const description = await page.evaluate(() => {
      const root = document.querySelector('plan-assistent')!.shadowRoot!;
      const id = root.querySelector('article.answer')!.getAttribute('aria-describedby');
      return id ? root.getElementById(id)?.textContent : null;
    });
    expect(description).toContain('Escape');

    // Keystroke 1: Escape. Then the follow-up is typed straight away.
    await page.keyboard.press('Escape');
    expect(await activeClass(page)).toBe('question-input');
    await page.keyboard.type('Och för Nordost?');
    await page.keyboard.press('Enter');
    expect(await settled(page, 2)).toBe('done');

    // From a marker deep in the answer, Escape also returns.
    await page.keyboard.press('Tab');
    expect(await activeClass(page)).toBe('marker');
    await page.keyboard.press('Escape');
    await expect.poll(() => activeClass(page)).toBe('question-input');
    // The source dialog keeps its own Escape: it closes and gives focus back to its marker, not to the question box.
    const marker = page.locator('plan-assistent button.marker').last();
    await marker.focus();
    await page.keyboard.press('Enter');
    await page.locator('dialog mark').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate(() => document.querySelector('plan-assistent')!.shadowRoot!.querySelector('dialog')?.open ?? false)).toBe(false);
    await expect.poll(() => activeClass(page)).toBe('marker');
  });
});

describe('honest errors against a real server', () => {
  async function expectError(page: Page, text: RegExp): Promise<void> {
    const error = page.locator('.error').last();
    await expect.poll(() => error.innerText(), { timeout: 30_000 }).toMatch(text);
    expect(await error.getAttribute('role')).toBe('alert');
    expect(await error.getByRole('button', { name: 'Försök igen' }).count()).toBe(1);
    expect(await error.innerText()).not.toMatch(/internetanslutning/);
  }

  it('rate limited: says how long to wait, from Retry-After', async () => {
    const limited = await startExtra({ rateLimitPerMinute: 1 });
    const { page } = await newPage();
    await open(page, `${limited.url}/`);
    await ask(page, FAMILJEHEM);
    expect(await settled(page, 1)).toBe('done');
    await ask(page, 'Och för Nordost?');
    expect(await settled(page, 2)).toBe('error');
    await expectError(page, /^Många frågor just nu\. Vänta (\d|[1-5]\d|60) sekunder? och försök igen\./);
    expect(await activeClass(page)).toBe('button secondary retry');
  });

  it("the site's daily budget: its own message, with the hours until it resets", async () => {
    const budgeted = await startExtra({ originDailyLimit: 1 });
    const { page } = await newPage();
    await open(page, `${budgeted.url}/`);
    await ask(page, FAMILJEHEM);
    expect(await settled(page, 1)).toBe('done');
    await ask(page, 'Och för Nordost?');
    expect(await settled(page, 2)).toBe('error');
    await expectError(page, /dagens gräns är nådd\. Försök igen om ungefär \d+ (sekund|sekunder|minuter|timme|timmar)\./);
    expect(await page.locator('.error').innerText()).not.toMatch(/^Många frågor just nu/);
  });

  it('server error: a temporary fault, not the user\'s connection', async () => {
    const failing = await startExtra({ failChat: true });
    const { page } = await newPage();
    await open(page, `${failing.url}/`);
    await ask(page, FAMILJEHEM);
    expect(await settled(page, 1)).toBe('error');
    await expectError(page, /^Planassistenten har ett tillfälligt fel\./);
  });

  it('server unreachable: says the service cannot be reached; retry works once it is back', async () => {
    const first = await startExtra({});
    const port = Number(new URL(first.url).port);
    const { page } = await newPage();
    await open(page, `${first.url}/`);
    await first.close();
    extraServers.splice(extraServers.indexOf(first), 1);
    await ask(page, FAMILJEHEM);
    expect(await settled(page, 1)).toBe('error');
    await expectError(page, /^Det gick inte att nå Planassistenten\. Tjänsten kan vara tillfälligt nere\./);
    await startExtra({ port });
    await page.getByRole('button', { name: 'Försök igen' }).click();
    await expect.poll(() => page.locator('article.answer').first().getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
    expect(await page.locator('.error').count()).toBe(0);
  });

  it('offline: says the device is not connected; retry works when it is again', async () => {
    const { page, context } = await newPage(390, 844);
    await open(page, `${server.url}/`);
    await context.setOffline(true);
    await ask(page, FAMILJEHEM);
    expect(await settled(page, 1)).toBe('error');
    const error = page.locator('.error');
    await expect.poll(() => error.innerText()).toMatch(/^Din enhet är inte ansluten till internet\./);
    await context.setOffline(false);
    await page.getByRole('button', { name: 'Försök igen' }).click();
    await expect.poll(() => page.locator('article.answer').first().getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
  });

  it('serves the accessibility statement beside the demo, linked from it, with no axe findings', async () => {
    const { page } = await newPage(390, 844);
    await open(page, `${server.url}/`);
    await page.getByRole('link', { name: 'Tillgänglighet' }).click();
    await page.waitForURL(/\/tillganglighet$/);
    expect(await page.locator('h1').innerText()).toBe('Tillgänglighet för Planassistenten');
    for (const heading of ['Så testar vi', 'Kända brister', 'Kontakta oss']) {
      expect(await page.getByRole('heading', { name: heading }).count(), heading).toBe(1);
    }
    expect(await runAxe(page)).toEqual([]);
  });
});
