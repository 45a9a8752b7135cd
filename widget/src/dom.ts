/**
 * DOM helpers that only ever create elements and text nodes: data is never parsed as HTML.
 */

/** Attribute values; `false`/`undefined` leave the attribute out. */
export type Attributes = Record<string, string | number | boolean | undefined>;

/** A child: a node, a string (becomes a text node) or nothing. */
export type Child = Node | string | null | undefined | false;

/**
 * Creates an element with attributes and children. Strings become text nodes, so markup in data stays text.
 * `on` handlers are attached with `addEventListener`.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  children: Child[] = [],
  on: { [E in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[E]) => void } = {},
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  for (const [type, listener] of Object.entries(on)) {
    if (listener) element.addEventListener(type, listener as EventListener);
  }
  return element;
}

/** Appends children (strings as text nodes). */
export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

const THUMB_PATH =
  'M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z';

/** A decorative thumb icon (SVG built with createElementNS; no emoji font needed). */
export function thumbIcon(direction: 'up' | 'down'): SVGSVGElement {
  const namespace = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(namespace, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '18');
  svg.setAttribute('height', '18');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(namespace, 'path');
  path.setAttribute('d', THUMB_PATH);
  path.setAttribute('fill', 'currentColor');
  if (direction === 'down') path.setAttribute('transform', 'rotate(180 12 12)');
  svg.appendChild(path);
  return svg;
}

/** A citation marker found in answer text. */
export type AnswerToken = { type: 'text'; text: string } | { type: 'marker'; marker: number; raw: string } | { type: 'strong'; text: string };

/**
 * Splits one line of answer text into text, `[n]` markers and `**bold**` runs.
 * `[1, 2]` / `[1][2]` become one marker token per number; a marker only counts when `known(n)` says so.
 */
export function tokenizeAnswerLine(line: string, known: (marker: number) => boolean): AnswerToken[] {
  const tokens: AnswerToken[] = [];
  const pattern = /\[(\d+(?:\s*[,;]\s*\d+)*)\]|\*\*([^*]+)\*\*/g;
  let last = 0;
  for (let match = pattern.exec(line); match; match = pattern.exec(line)) {
    if (match[1] !== undefined) {
      const numbers = match[1].split(/[,;]/).map((value) => Number(value.trim()));
      if (!numbers.every(known)) continue;
      if (match.index > last) tokens.push({ type: 'text', text: line.slice(last, match.index) });
      for (const marker of numbers) tokens.push({ type: 'marker', marker, raw: `[${marker}]` });
    } else {
      if (match.index > last) tokens.push({ type: 'text', text: line.slice(last, match.index) });
      tokens.push({ type: 'strong', text: match[2] });
    }
    last = match.index + match[0].length;
  }
  if (last < line.length) tokens.push({ type: 'text', text: line.slice(last) });
  return tokens;
}

/** A block of answer text: a paragraph or a list (numbered lists keep their first number). */
export type AnswerBlock = { type: 'paragraph'; text: string } | { type: 'list'; items: string[]; ordered: boolean; start?: number };

/** Splits answer text into paragraphs and lists (`- `, `* `, `• ` bullets; `1. ` / `1) ` numbered). */
export function splitAnswerBlocks(text: string): AnswerBlock[] {
  const blocks: AnswerBlock[] = [];
  let paragraph: string[] = [];
  let list: string[] | null = null;
  let ordered = false;
  let start: number | undefined;
  const flushParagraph = (): void => {
    if (paragraph.length) blocks.push({ type: 'paragraph', text: paragraph.join('\n') });
    paragraph = [];
  };
  const flushList = (): void => {
    if (list?.length) blocks.push(ordered ? { type: 'list', items: list, ordered, start } : { type: 'list', items: list, ordered });
    list = null;
  };
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trimEnd();
    const item = /^\s*(?:([-*•])|(\d+)[.)])\s+(.*)$/.exec(line);
    if (item) {
      flushParagraph();
      const itemOrdered = item[2] !== undefined;
      if (list && itemOrdered !== ordered) flushList();
      if (!list) {
        list = [];
        ordered = itemOrdered;
        start = itemOrdered ? Number(item[2]) : undefined;
      }
      list.push(item[3]);
    } else if (line.trim() === '') {
      flushParagraph();
      flushList();
    } else if (list && /^\s{2,}\S/.test(rawLine)) {
      list[list.length - 1] += ` ${line.trim()}`;
    } else {
      flushList();
      paragraph.push(line);
    }
  }
  flushParagraph();
  flushList();
  return blocks;
}
