/**
 * The per-origin daily budget (ORIGIN_DAILY_LIMIT) and the evaluator key (EVAL_API_KEY) through the real app.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.ts';
import { createApp } from '../src/http/create-app.ts';
import { EVAL_KEY_HEADER, createOriginBudget } from '../src/http/origin-budget.ts';
import { createFakeAssistant } from './fakes/fake-assistant.ts';

const DAY = 86_400_000;
const KEY = 'utvärdering-nyckel-1234567890';

function post(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}
const from = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });

describe('origin budget', () => {
  it('counts per origin and UTC day, answers 429 budget_exhausted with Retry-After to midnight, and resets the next day', async () => {
    let now = 20_000 * DAY + 22 * 3_600_000; // 22:00 UTC
    const app = createApp({ assistant: createFakeAssistant(), allowedOrigins: ['https://idrott.example', 'https://miljo.example'], originDailyLimit: 2, now: () => now });
    const search = (origin?: string, address = '10.1.1.1') =>
      app.request('/api/search', post({ query: 'föreningsbidrag' }, origin ? { origin } : {}), from(address));

    expect((await search('https://idrott.example', '10.1.1.1')).status).toBe(200);
    // Another client of the same site spends the same budget.
    expect((await search('https://idrott.example', '10.1.1.2')).status).toBe(200);
    const refused = await search('https://idrott.example', '10.1.1.3');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe(String(2 * 3600));
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://idrott.example');
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('budget_exhausted');
    expect(body.error.message).toMatch(/idrott\.example/);
    const chat = await app.request('/api/chat', post({ messages: [{ role: 'user', content: 'hej' }] }, { origin: 'https://IDROTT.example/' }), from('10.1.1.4'));
    expect(chat.status).toBe(429);

    // Another origin, requests without Origin and other endpoints are not affected.
    expect((await search('https://miljo.example')).status).toBe(200);
    expect((await search(undefined)).status).toBe(200);
    expect((await app.request('/api/documents', { headers: { origin: 'https://idrott.example' } })).status).toBe(200);

    now += 2 * 3_600_000; // midnight UTC
    expect((await search('https://idrott.example')).status).toBe(200);
  });

  it('off by default and with 0', async () => {
    for (const originDailyLimit of [undefined, 0]) {
      const app = createApp({ assistant: createFakeAssistant(), allowedOrigins: ['*'], ...(originDailyLimit === undefined ? {} : { originDailyLimit }) });
      for (let index = 0; index < 5; index++) {
        expect((await app.request('/api/search', post({ query: 'x' }, { origin: 'https://a.example' }))).status).toBe(200);
      }
    }
  });

  it('refused requests do not grow the count, and the table of origins stays bounded', () => {
    let now = 0;
    const budget = createOriginBudget({ dailyLimit: 1, now: () => now, maxOrigins: 5 });
    expect(budget.spend('https://a.example').allowed).toBe(true);
    for (let index = 0; index < 3; index++) expect(budget.spend('https://a.example')).toMatchObject({ allowed: false, remaining: 0 });
    for (let index = 0; index < 50; index++) expect(budget.spend(`https://site-${index}.example`).allowed).toBe(true);
    expect(budget.spend('https://site-49.example').allowed).toBe(false);
    now += DAY;
    expect(budget.spend('https://site-49.example').allowed).toBe(true);
  });
});

describe('evaluator key', () => {
  it('a request with the key skips the rate limit and the budget; without it or with a wrong one the limits hold', async () => {
    const app = createApp({ assistant: createFakeAssistant(), allowedOrigins: ['*'], rateLimitPerMinute: 2, originDailyLimit: 3, evalApiKey: KEY, now: () => 1_000 });
    const search = (headers: Record<string, string>) => app.request('/api/search', post({ query: 'x' }, headers), from('10.9.9.9'));
    for (let index = 0; index < 10; index++) expect((await search({ [EVAL_KEY_HEADER]: KEY, origin: 'https://eval.example' })).status).toBe(200);
    expect((await search({})).status).toBe(200);
    expect((await search({})).status).toBe(200);
    const limited = await search({ [EVAL_KEY_HEADER]: `${KEY}x` });
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect((await search({ [EVAL_KEY_HEADER]: '' })).status).toBe(429);
  });

  it('without EVAL_API_KEY nothing bypasses the limit, whatever header is sent', async () => {
    const app = createApp({ assistant: createFakeAssistant(), rateLimitPerMinute: 1, now: () => 1_000 });
    const search = () => app.request('/api/search', post({ query: 'x' }, { [EVAL_KEY_HEADER]: 'undefined' }), from('10.9.9.8'));
    expect((await search()).status).toBe(200);
    expect((await search()).status).toBe(429);
  });

  it('configuration: ORIGIN_DAILY_LIMIT defaults to off, EVAL_API_KEY must be long and is never logged', () => {
    const defaults = parseConfig({});
    expect(defaults.originDailyLimit).toBe(0);
    expect(defaults.evalApiKey).toBeUndefined();
    expect(defaults.rateLimitPerMinute).toBe(60);
    expect(parseConfig({ ORIGIN_DAILY_LIMIT: '5000', EVAL_API_KEY: KEY })).toMatchObject({ originDailyLimit: 5000, evalApiKey: KEY });
    expect(() => parseConfig({ EVAL_API_KEY: 'short' })).toThrow(/EVAL_API_KEY must be at least 16/);
    expect(() => parseConfig({ ORIGIN_DAILY_LIMIT: '-1' })).toThrow(/ORIGIN_DAILY_LIMIT/);
  });
});
