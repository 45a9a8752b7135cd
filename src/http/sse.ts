/**
 * Server-Sent Events of POST /api/chat: the wire format and a small parser for clients
 * (eval, widget, tests). Runtime-neutral: uses only web streams and TextDecoder.
 *
 * Format (one block per event, blocks separated by a blank line, data is one line of JSON):
 *
 *     event: citations
 *     data: {"citations":[…],"query":{"text":"…"}}
 *
 *     event: text-delta
 *     data: {"text":"…"}
 *
 *     event: done
 *     data: {"abstained":false,"answerer":"extractive","citations":[…],"query":{…},"answer":"…"}
 *
 * On failure: `event: error` with data `{"code":"…","message":"…"}`, then the stream ends.
 */
import type { AnswerEvent, Citation, UnderstoodQuery } from '../core/types.ts';

/** Names of the events, in the order they arrive (`text-delta` repeats; `error` replaces the rest). */
export type ChatEventName = 'citations' | 'text-delta' | 'done' | 'error';

/** A parsed chat event with its JSON data. */
export type ChatStreamEvent =
  | { event: 'citations'; data: { citations: Citation[]; query: UnderstoodQuery } }
  | { event: 'text-delta'; data: { text: string } }
  | { event: 'done'; data: { abstained: boolean; answerer: string; citations: Citation[]; query: UnderstoodQuery; answer: string } }
  | { event: 'error'; data: { code: string; message: string } };

/** A raw SSE message: event name (default `message`), data lines joined by `\n`, optional id. */
export interface SseMessage {
  event: string;
  data: string;
  id?: string;
}

/** Formats one SSE block. Multi-line data is split into several `data:` lines, as the spec requires. */
export function formatSseEvent(event: string, data: string): string {
  if (/[\r\n]/.test(event)) throw new Error('SSE event names must not contain line breaks');
  const lines = data.split(/\r\n|\r|\n/).map((line) => `data: ${line}`);
  return `event: ${event}\n${lines.join('\n')}\n\n`;
}

/** Maps an assistant event to the SSE event name and JSON data sent on the wire. */
export function toSseMessage(event: AnswerEvent): { event: ChatEventName; data: string } {
  switch (event.type) {
    case 'citations':
      return { event: 'citations', data: JSON.stringify({ citations: event.citations, query: event.query }) };
    case 'text-delta':
      return { event: 'text-delta', data: JSON.stringify({ text: event.text }) };
    case 'done':
      return {
        event: 'done',
        data: JSON.stringify({
          abstained: event.abstained,
          answerer: event.answerer,
          citations: event.citations,
          query: event.query,
          answer: event.answer,
        }),
      };
  }
}

/**
 * Incremental SSE parser (WHATWG rules: `event:`, `data:`, `id:` fields, `:` comments,
 * CRLF/CR/LF line ends, blank line dispatches). Feed text chunks with `push`, call `end` at EOF.
 */
export function createSseParser(): { push(text: string): SseMessage[]; end(): SseMessage[] } {
  let buffer = '';
  let event = '';
  let dataLines: string[] = [];
  let id: string | undefined;
  let hasData = false;

  const dispatch = (out: SseMessage[]): void => {
    if (hasData) out.push({ event: event || 'message', data: dataLines.join('\n'), ...(id !== undefined ? { id } : {}) });
    event = '';
    dataLines = [];
    hasData = false;
  };

  const processLine = (line: string, out: SseMessage[]): void => {
    if (line === '') return dispatch(out);
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') {
      dataLines.push(value);
      hasData = true;
    } else if (field === 'id') id = value;
  };

  return {
    push(text: string): SseMessage[] {
      const out: SseMessage[] = [];
      buffer += text;
      for (;;) {
        const match = /\r\n|\r|\n/.exec(buffer);
        if (!match) break;
        // A lone CR at the very end may be the first half of CRLF: wait for more input.
        if (match[0] === '\r' && match.index === buffer.length - 1) break;
        processLine(buffer.slice(0, match.index), out);
        buffer = buffer.slice(match.index + match[0].length);
      }
      return out;
    },
    end(): SseMessage[] {
      const out: SseMessage[] = [];
      if (buffer !== '') processLine(buffer.replace(/\r$/, ''), out);
      buffer = '';
      // Per spec an unterminated final block is discarded.
      event = '';
      dataLines = [];
      hasData = false;
      return out;
    },
  };
}

/** Parses a complete SSE text into messages. */
export function parseSse(text: string): SseMessage[] {
  const parser = createSseParser();
  return [...parser.push(text), ...parser.end()];
}

/** Reads an SSE byte stream (e.g. `response.body` of fetch) message by message; breaking out early cancels the stream. */
export async function* readSseStream(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const parser = createSseParser();
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
    finished = true;
    yield* parser.push(decoder.decode());
    yield* parser.end();
  } finally {
    // A consumer that stops early closes the connection instead of leaving it open.
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/** Reads the chat SSE stream of POST /api/chat as typed events (data parsed as JSON). */
export async function* readChatEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ChatStreamEvent> {
  for await (const message of readSseStream(body)) {
    if (message.event === 'citations' || message.event === 'text-delta' || message.event === 'done' || message.event === 'error') {
      yield { event: message.event, data: JSON.parse(message.data) } as ChatStreamEvent;
    }
  }
}
