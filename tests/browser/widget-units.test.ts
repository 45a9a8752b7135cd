/**
 * The widget's pure parts (no browser): SSE parsing, answer tokenising, conversation history and storage, labels.
 */
import { describe, expect, it } from 'vitest';
import type { Citation } from '../../src/core/types.ts';
import { WidgetRequestError, apiUrl, sectionText } from '../../widget/src/api.ts';
import { type Exchange, loadConversation, messagesFor, saveConversation, storageKey } from '../../widget/src/conversation.ts';
import { splitAnswerBlocks, tokenizeAnswerLine } from '../../widget/src/dom.ts';
import { describeDocument, describeError, describeTypeAndStatus } from '../../widget/src/labels.ts';
import { createSseParser, readServerSentEvents } from '../../widget/src/sse.ts';

function streamOf(parts: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(part);
      controller.close();
    },
  });
}

describe('SSE parsing', () => {
  it('parses events split anywhere, with CRLF, comments and multi-line data', () => {
    const parser = createSseParser();
    const text = ': hello\r\nevent: text-delta\r\ndata: {"text":"a"}\r\n\r\nevent: done\ndata: line1\ndata: line2\n\ndata: plain\n\n';
    const events = [];
    for (const character of text) events.push(...parser.push(character));
    events.push(...parser.flush());
    expect(events).toEqual([
      { event: 'text-delta', data: '{"text":"a"}' },
      { event: 'done', data: 'line1\nline2' },
      { event: 'message', data: 'plain' },
    ]);
  });

  it('dispatches a last event without its blank line at the end of the stream', () => {
    const parser = createSseParser();
    expect(parser.push('event: done\ndata: {}')).toEqual([]);
    expect(parser.flush()).toEqual([{ event: 'done', data: '{}' }]);
  });

  it('decodes UTF-8 split inside a character across network chunks', async () => {
    const bytes = new TextEncoder().encode('event: text-delta\ndata: {"text":"nämnden för å"}\n\n');
    const cut = bytes.indexOf(0xc3) + 1; // between the two bytes of "ä"
    const events = [];
    for await (const event of readServerSentEvents(streamOf([bytes.slice(0, cut), bytes.slice(cut)]))) events.push(event);
    expect(events).toEqual([{ event: 'text-delta', data: '{"text":"nämnden för å"}' }]);
  });
});

describe('answer text', () => {
  const known = (marker: number) => marker === 1 || marker === 2;

  it('turns known [n] markers (also [1, 2]) into marker tokens and leaves unknown ones as text', () => {
    expect(tokenizeAnswerLine('A [1] b [1, 2] c [7] **fet**', known)).toEqual([
      { type: 'text', text: 'A ' },
      { type: 'marker', marker: 1, raw: '[1]' },
      { type: 'text', text: ' b ' },
      { type: 'marker', marker: 1, raw: '[1]' },
      { type: 'marker', marker: 2, raw: '[2]' },
      { type: 'text', text: ' c [7] ' },
      { type: 'strong', text: 'fet' },
    ]);
  });

  it('keeps markup as text tokens', () => {
    expect(tokenizeAnswerLine('<img src=x onerror="alert(1)"> [1]', known)).toEqual([
      { type: 'text', text: '<img src=x onerror="alert(1)"> ' },
      { type: 'marker', marker: 1, raw: '[1]' },
    ]);
  });

  it('splits paragraphs and bullet or numbered lists', () => {
    expect(splitAnswerBlocks('Inledning.\n\n- ett [1]\n- två\n  fortsättning\n3. tre\n4) fyra\nSlut.')).toEqual([
      { type: 'paragraph', text: 'Inledning.' },
      { type: 'list', items: ['ett [1]', 'två fortsättning'], ordered: false },
      { type: 'list', items: ['tre', 'fyra'], ordered: true, start: 3 },
      { type: 'paragraph', text: 'Slut.' },
    ]);
  });
});

function exchange(index: number, status: Exchange['status'] = 'done', answer = `svar ${index}`): Exchange {
  return { id: `e${index}`, question: `fråga ${index}`, answer, citations: [], abstained: false, status };
}

describe('conversation history', () => {
  it('sends completed turns, skips stopped and failed ones, and ends with the question', () => {
    const exchanges = [exchange(1), exchange(2, 'stopped', 'halvt'), exchange(3, 'error', ''), exchange(4), exchange(5, 'streaming', '')];
    expect(messagesFor(exchanges, 4)).toEqual([
      { role: 'user', content: 'fråga 1' },
      { role: 'assistant', content: 'svar 1' },
      { role: 'user', content: 'fråga 4' },
      { role: 'assistant', content: 'svar 4' },
      { role: 'user', content: 'fråga 5' },
    ]);
  });

  it('keeps at most 19 messages (the newest, starting with a user turn) and clips long answers to 2000 characters', () => {
    const exchanges = Array.from({ length: 15 }, (_, index) => exchange(index, 'done', index === 14 ? 'x'.repeat(5000) : `svar ${index}`));
    exchanges.push(exchange(15, 'streaming', ''));
    const messages = messagesFor(exchanges, 15);
    expect(messages).toHaveLength(19);
    expect(messages[0]).toEqual({ role: 'user', content: 'fråga 6' });
    expect(messages[18]).toEqual({ role: 'user', content: 'fråga 15' });
    expect(messages[17].content.length).toBe(2000);
    expect(messages[17].content.endsWith('…')).toBe(true);
  });

  it('saves and loads per API, treats an interrupted stream as stopped, and ignores junk', () => {
    const data = new Map<string, string>();
    const storage = {
      getItem: (key: string) => data.get(key) ?? null,
      setItem: (key: string, value: string) => void data.set(key, value),
      removeItem: (key: string) => void data.delete(key),
    } as unknown as Storage;
    const key = storageKey('https://a.example');
    saveConversation(storage, key, [exchange(1), exchange(2, 'streaming', 'del')]);
    expect(loadConversation(storage, key).map((item) => item.status)).toEqual(['done', 'stopped']);
    expect(loadConversation(storage, storageKey('https://b.example'))).toEqual([]);
    data.set(key, '{not json');
    expect(loadConversation(storage, key)).toEqual([]);
    data.set(key, JSON.stringify([{ id: 1 }, exchange(3)]));
    expect(loadConversation(storage, key).map((item) => item.id)).toEqual(['e3']);
  });

  it('drops the oldest exchanges when storage is full', () => {
    const data = new Map<string, string>();
    const storage = {
      getItem: (key: string) => data.get(key) ?? null,
      setItem: (key: string, value: string) => {
        if (value.length > 150) throw new DOMException('full', 'QuotaExceededError');
        data.set(key, value);
      },
      removeItem: (key: string) => void data.delete(key),
    } as unknown as Storage;
    saveConversation(storage, 'k', [exchange(1), exchange(2), exchange(3)]);
    expect(loadConversation(storage, 'k').map((item) => item.id)).toEqual(['e3']);
  });
});

describe('labels', () => {
  const document: Citation['document'] = {
    id: 'd', title: 'Yrkande', source: '001.txt', committee: 'Socialnämnden Nordost', type: 'yrkande', status: 'yrkande', date: '2024-11-18', parties: ['V', 'S', 'MP'],
  };

  it('never presents a yrkande or a proposal as adopted', () => {
    expect(describeTypeAndStatus(document)).toBe('Yrkande (förslag, ej beslutat)');
    expect(describeTypeAndStatus({ type: 'genomförandeplan', status: 'förslag' })).toBe('Genomförandeplan (förslag, ej beslutat)');
    expect(describeTypeAndStatus({ type: 'genomförandeplan', status: 'beslutad' })).toBe('Genomförandeplan (beslutad)');
    expect(describeTypeAndStatus({ type: 'presentation', status: 'information' })).toBe('Presentation (information)');
    expect(describeDocument(document)).toBe('Socialnämnden Nordost · Yrkande (förslag, ej beslutat) · V, S, MP · 2024');
  });

  it('explains errors in Swedish by code and kind', () => {
    expect(describeError(new WidgetRequestError('rate_limited', 'x', { status: 429, retryAfterSeconds: 12 }))).toBe(
      'Många frågor just nu. Vänta 12 sekunder och försök igen.',
    );
    expect(describeError(new WidgetRequestError('client', 'x', { status: 413, code: 'payload_too_large' }))).toContain('för lång');
    expect(describeError(new WidgetRequestError('server', 'x', { status: 502 }))).toContain('tillfälligt fel');
    expect(describeError(new WidgetRequestError('network', 'Failed to fetch'))).toContain('Det gick inte att nå');
  });

  it('joins API base and paths and reads both section shapes', () => {
    expect(apiUrl('https://h.example/', '/api/chat')).toBe('https://h.example/api/chat');
    expect(sectionText(['Uppdrag', 'Från nämnden'])).toBe('Uppdrag › Från nämnden');
    expect(sectionText('Mål 1')).toBe('Mål 1');
    expect(sectionText(undefined)).toBe('');
  });
});

describe('error messages', () => {
  it('tells offline, unreachable, rate limited, budget and server errors apart, each in its own words', async () => {
    const { WidgetRequestError, networkFailure } = await import('../../widget/src/api.ts');
    const { describeError, describeWait } = await import('../../widget/src/labels.ts');
    const offline = describeError(networkFailure('Failed to fetch', false));
    const unreachable = describeError(networkFailure('Failed to fetch', true));
    const limited = describeError(new WidgetRequestError('rate_limited', 'x', { status: 429, code: 'rate_limited', retryAfterSeconds: 12 }));
    const budget = describeError(new WidgetRequestError('rate_limited', 'x', { status: 429, code: 'budget_exhausted', retryAfterSeconds: 5 * 3600 + 10 }));
    const server = describeError(new WidgetRequestError('server', 'x', { status: 500, code: 'internal' }));
    expect(new Set([offline, unreachable, limited, budget, server]).size).toBe(5);
    expect(offline).toMatch(/inte ansluten till internet/);
    expect(unreachable).not.toMatch(/internet/);
    expect(limited).toContain('12 sekunder');
    expect(budget).toContain('6 timmar');
    expect(describeWait(1)).toBe('1 sekund');
    expect(describeWait(59.2)).toBe('60 sekunder');
    expect(describeWait(600)).toBe('10 minuter');
    expect(describeWait(3600 * 23 + 1)).toBe('24 timmar');
  });
});
