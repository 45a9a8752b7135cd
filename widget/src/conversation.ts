/**
 * The conversation model of the widget and its persistence in `sessionStorage` (kept for the page session).
 */
import type { ChatMessage, Citation } from '../../src/core/types.ts';

/** State of one question/answer pair. */
export type ExchangeStatus = 'streaming' | 'done' | 'stopped' | 'error';

/** One question and its answer. */
export interface Exchange {
  id: string;
  question: string;
  answer: string;
  citations: Citation[];
  abstained: boolean;
  status: ExchangeStatus;
  /** Swedish error text when `status` is `error`. */
  error?: string;
  /** Feedback already given. */
  rating?: 'up' | 'down';
}

/** The server accepts at most 20 messages; the last is the new question. */
export const MAX_MESSAGES = 20;

/** The server accepts at most 2000 characters per message. */
export const MAX_MESSAGE_LENGTH = 2000;

/** Shortens text to the server's message limit (long answers in the history keep their beginning). */
export function clipMessage(text: string, limit = MAX_MESSAGE_LENGTH): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1).trimEnd()}…`;
}

/**
 * Messages for a request: completed exchanges (question + answer) before `upTo`, then its question.
 * Stopped and failed exchanges are left out so turns alternate; the oldest are dropped to fit {@link MAX_MESSAGES}.
 */
export function messagesFor(exchanges: Exchange[], upTo: number): ChatMessage[] {
  const history: ChatMessage[] = [];
  for (const exchange of exchanges.slice(0, upTo)) {
    if (exchange.status !== 'done' || exchange.answer.trim() === '') continue;
    history.push({ role: 'user', content: clipMessage(exchange.question) }, { role: 'assistant', content: clipMessage(exchange.answer) });
  }
  const keep = (MAX_MESSAGES - 1) - ((MAX_MESSAGES - 1) % 2);
  const trimmed = history.slice(Math.max(0, history.length - keep));
  return [...trimmed, { role: 'user', content: clipMessage(exchanges[upTo].question) }];
}

/** Where a conversation is kept: one key per API so two widgets for different services do not mix. */
export function storageKey(api: string): string {
  return `plan-assistent:v1:${api}`;
}

function isExchange(value: unknown): value is Exchange {
  if (!value || typeof value !== 'object') return false;
  const item = value as Record<string, unknown>;
  return typeof item.id === 'string' && typeof item.question === 'string' && typeof item.answer === 'string' && Array.isArray(item.citations);
}

/** Reads a saved conversation; anything unreadable gives an empty one. A stream cut by a reload counts as stopped. */
export function loadConversation(storage: Storage | undefined, key: string): Exchange[] {
  try {
    const raw = storage?.getItem(key);
    if (!raw) return [];
    const parsed = JSON.parse(raw) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(isExchange).map((exchange) => (exchange.status === 'streaming' ? { ...exchange, status: 'stopped' as const } : exchange));
  } catch {
    return [];
  }
}

/** Saves the conversation; when storage is full the oldest exchanges are dropped, and failures are ignored. */
export function saveConversation(storage: Storage | undefined, key: string, exchanges: Exchange[]): void {
  if (!storage) return;
  for (let start = 0; start <= exchanges.length; start++) {
    try {
      if (start === exchanges.length) storage.removeItem(key);
      else storage.setItem(key, JSON.stringify(exchanges.slice(start)));
      return;
    } catch {
      // Quota exceeded: try with fewer exchanges.
    }
  }
}

/** Removes the saved conversation. */
export function clearConversation(storage: Storage | undefined, key: string): void {
  try {
    storage?.removeItem(key);
  } catch {
    // Storage unavailable (privacy mode): nothing to clear.
  }
}

/** `sessionStorage`, or undefined where it is blocked (sandboxed iframes, some privacy settings). */
export function sessionStorageOrUndefined(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}
