/**
 * A small Server-Sent Events parser for `fetch` response bodies (EventSource cannot POST).
 * Follows the WHATWG event-stream rules that matter here: `event:` / `data:` fields, multi-line data,
 * comments (`:`), CR / LF / CRLF line endings, and dispatch on a blank line.
 */

/** One dispatched server-sent event. */
export interface ServerSentEvent {
  /** The `event:` field, `message` when absent. */
  event: string;
  /** The `data:` lines joined with `\n`. */
  data: string;
}

/** Incremental parser: feed it text as it arrives, it returns the events completed so far. */
export interface SseParser {
  push(text: string): ServerSentEvent[];
  /** Call at end of stream: dispatches a final event that lacked its blank line. */
  flush(): ServerSentEvent[];
}

/** Creates an incremental event-stream parser. */
export function createSseParser(): SseParser {
  let buffer = '';
  let eventName = '';
  let dataLines: string[] = [];
  let hasData = false;

  const dispatch = (events: ServerSentEvent[]): void => {
    if (hasData) events.push({ event: eventName || 'message', data: dataLines.join('\n') });
    eventName = '';
    dataLines = [];
    hasData = false;
  };

  const processLine = (line: string, events: ServerSentEvent[]): void => {
    if (line === '') {
      dispatch(events);
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') eventName = value;
    else if (field === 'data') {
      dataLines.push(value);
      hasData = true;
    }
  };

  return {
    push(text: string): ServerSentEvent[] {
      const events: ServerSentEvent[] = [];
      buffer += text;
      for (;;) {
        const match = /\r\n|\r|\n/.exec(buffer);
        if (!match) break;
        // A lone CR at the very end may be the first half of CRLF: wait for more input.
        if (match[0] === '\r' && match.index === buffer.length - 1) break;
        processLine(buffer.slice(0, match.index), events);
        buffer = buffer.slice(match.index + match[0].length);
      }
      return events;
    },
    flush(): ServerSentEvent[] {
      const events: ServerSentEvent[] = [];
      if (buffer !== '') {
        processLine(buffer.replace(/\r$/, ''), events);
        buffer = '';
      }
      dispatch(events);
      return events;
    },
  };
}

/** Reads a `fetch` body as server-sent events. */
export async function* readServerSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = createSseParser();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        break;
      }
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
    yield* parser.push(decoder.decode());
    yield* parser.flush();
  } finally {
    // Stopped early (consumer returned or threw): tell the server we are not reading any more.
    if (!finished) reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
