/**
 * `<plan-assistent api="https://…">`: the Planassistenten chat as a web component in a shadow root.
 *
 * Everything from the network (answers, citations, document text) is rendered with text nodes only.
 */
import type { Citation } from '../../src/core/types.ts';
import { type ChunkInContextView, WidgetRequestError, fetchChunkInContext, networkFailure, sectionText, sendFeedback, streamChat } from './api.ts';
import {
  type Exchange,
  clearConversation,
  clipMessage,
  loadConversation,
  messagesFor,
  saveConversation,
  sessionStorageOrUndefined,
  storageKey,
} from './conversation.ts';
import { h, splitAnswerBlocks, thumbIcon, tokenizeAnswerLine } from './dom.ts';
import { TEXT, describeDocument, describeError } from './labels.ts';
import { WIDGET_CSS } from './styles.ts';

/** Longest question the box accepts (characters). */
export const MAX_QUESTION_LENGTH = 2000;

let defaultApi = '';

/** Sets the API origin used when the element has no `api` attribute (the script's own origin). */
export function setDefaultApi(api: string): void {
  defaultApi = api;
}

let idCounter = 0;
function createId(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${Date.now().toString(36)}-${idCounter.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

interface ExchangeView {
  item: HTMLLIElement;
  article: HTMLElement;
  text: HTMLElement;
}

/** The custom element class (registered as `plan-assistent` by the entry script). */
export class PlanAssistentElement extends HTMLElement {
  /** Attributes that re-read state when they change. */
  static get observedAttributes(): string[] {
    return ['api'];
  }

  readonly #root: ShadowRoot;
  readonly #storage = sessionStorageOrUndefined();
  #exchanges: Exchange[] = [];
  #views = new Map<string, ExchangeView>();
  #controller: AbortController | undefined;
  #chunkController: AbortController | undefined;
  #loadedKey: string | undefined;
  #pendingText = new Set<string>();
  #frame = 0;
  #returnFocus: { element: HTMLElement; exchangeId?: string } | undefined;

  readonly #log: HTMLDivElement;
  readonly #list: HTMLOListElement;
  readonly #empty: HTMLParagraphElement;
  readonly #textarea: HTMLTextAreaElement;
  readonly #sendButton: HTMLButtonElement;
  readonly #stopButton: HTMLButtonElement;
  readonly #notice: HTMLParagraphElement;
  readonly #live: HTMLDivElement;
  readonly #backHint: HTMLParagraphElement;
  readonly #dialog: HTMLDialogElement;
  readonly #dialogTitle: HTMLHeadingElement;
  readonly #dialogMeta: HTMLParagraphElement;
  readonly #dialogBody: HTMLDivElement;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    const titleId = createId('pa-title');
    const inputId = createId('pa-input');
    const hintId = createId('pa-hint');
    const dialogTitleId = createId('pa-dialog-title');
    const backHintId = createId('pa-back-hint');

    this.#empty = h('p', { class: 'empty' }, [TEXT.empty]);
    this.#list = h('ol', { class: 'messages' });
    this.#log = h('div', { class: 'log', role: 'region', 'aria-label': TEXT.conversation }, [this.#empty, this.#list]);
    this.#backHint = h('p', { id: backHintId, class: 'visually-hidden' }, [TEXT.backToQuestionHint]);
    this.#textarea = h('textarea', {
      id: inputId,
      class: 'question-input',
      name: 'question',
      rows: 2,
      maxlength: MAX_QUESTION_LENGTH,
      placeholder: TEXT.placeholder,
      'aria-describedby': hintId,
      autocomplete: 'off',
      enterkeyhint: 'send',
    }, [], { keydown: (event) => this.#onKeydown(event), input: () => this.#setNotice('') });
    this.#sendButton = h('button', { type: 'submit', class: 'button send' }, [TEXT.send]);
    this.#stopButton = h('button', { type: 'button', class: 'button secondary stop', hidden: true }, [TEXT.stop], {
      click: () => this.stop(),
    });
    this.#notice = h('p', { class: 'notice', 'aria-live': 'assertive' });
    this.#live = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });

    this.#dialogTitle = h('h2', { id: dialogTitleId });
    this.#dialogMeta = h('p', { class: 'dialog-meta' });
    this.#dialogBody = h('div', { class: 'dialog-body' });
    this.#dialog = h('dialog', { class: 'source-dialog', 'aria-labelledby': dialogTitleId, lang: 'sv' }, [
      h('div', { class: 'dialog-inner' }, [
        h('div', { class: 'dialog-header' }, [
          h('div', {}, [this.#dialogTitle, this.#dialogMeta]),
          h('button', { type: 'button', class: 'button secondary close' }, [TEXT.dialogClose], { click: () => this.#dialog.close() }),
        ]),
        this.#dialogBody,
      ]),
    ], { close: () => this.#onDialogClose() });

    const form = h('form', { class: 'composer', novalidate: true }, [
      h('label', { for: inputId }, [TEXT.inputLabel]),
      h('p', { class: 'hint', id: hintId }, [TEXT.inputHint]),
      h('div', { class: 'composer-row' }, [this.#textarea, h('div', { class: 'composer-buttons' }, [this.#sendButton, this.#stopButton])]),
      this.#notice,
    ], {
      submit: (event) => {
        event.preventDefault();
        this.#submit(event.submitter === this.#sendButton);
      },
    });

    const style = document.createElement('style');
    style.textContent = WIDGET_CSS;
    this.#root.append(
      style,
      h('section', { class: 'panel', 'aria-labelledby': titleId, lang: 'sv' }, [
        h('div', { class: 'header' }, [
          h('h2', { id: titleId }, [TEXT.title]),
          h('button', { type: 'button', class: 'button on-primary new-conversation' }, [TEXT.newConversation], {
            click: () => this.newConversation(),
          }),
        ]),
        h('p', { class: 'intro' }, [TEXT.intro]),
        this.#log,
        form,
        this.#live,
        this.#backHint,
      ]),
      this.#dialog,
    );
    // Escape anywhere in the conversation (an answer, a marker, a source, feedback) returns to the question box:
    // one documented key instead of tabbing past every marker and source to ask a follow-up.
    // The sticky question box must not hide what has focus (WCAG 2.4.11): scroll a covered element above it.
    this.#log.addEventListener('focusin', (event) => {
      const target = event.composedPath()[0];
      if (!(target instanceof HTMLElement) || getComputedStyle(form).position !== 'sticky') return;
      const box = target.getBoundingClientRect();
      const composerTop = form.getBoundingClientRect().top;
      if (box.bottom > composerTop && box.top < window.innerHeight) window.scrollBy(0, Math.min(box.bottom - composerTop + 8, Math.max(0, box.top - 8)));
    });
    this.#log.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || event.defaultPrevented || this.#dialog.open) return;
      event.preventDefault();
      this.focusQuestion();
    });
  }

  /** Moves focus to the question box (what Escape in the conversation does). */
  focusQuestion(): void {
    this.#textarea.focus();
  }

  /** Base URL of the Planassistenten API: the `api` attribute, else the origin the script came from. */
  get api(): string {
    return (this.getAttribute('api') || defaultApi || globalThis.location?.origin || '').replace(/\/+$/, '');
  }

  set api(value: string) {
    this.setAttribute('api', value);
  }

  connectedCallback(): void {
    this.#loadIfNeeded();
  }

  disconnectedCallback(): void {
    this.#controller?.abort();
    this.#chunkController?.abort();
  }

  attributeChangedCallback(name: string, oldValue: string | null, newValue: string | null): void {
    if (name === 'api' && oldValue !== newValue && this.isConnected) {
      this.#controller?.abort();
      this.#loadIfNeeded();
    }
  }

  /** Puts a question in the text box and focuses it (used by example-question buttons). */
  fill(question: string): void {
    this.#textarea.value = question.slice(0, MAX_QUESTION_LENGTH);
    this.#setNotice('');
    this.#textarea.focus();
  }

  /** Asks a question as if typed and sent. */
  ask(question: string): void {
    this.#textarea.value = question.slice(0, MAX_QUESTION_LENGTH);
    this.#submit(false);
  }

  /** Stops the answer being streamed. */
  stop(): void {
    this.#controller?.abort();
  }

  /** Forgets the conversation (also in sessionStorage) and starts afresh. */
  newConversation(): void {
    this.#controller?.abort();
    this.#controller = undefined;
    this.#exchanges = [];
    clearConversation(this.#storage, storageKey(this.api));
    this.#renderAll();
    this.#setBusy(false);
    this.#announce('Ny konversation påbörjad.');
    this.#textarea.focus();
  }

  #loadIfNeeded(): void {
    const key = storageKey(this.api);
    if (this.#loadedKey === key) return;
    this.#loadedKey = key;
    this.#exchanges = loadConversation(this.#storage, key);
    this.#renderAll();
    this.#setBusy(false);
    this.#updateLogScroller();
    // Only a log with its own height (--pa-log-height) is scrolled on load; the page itself is never moved.
    if (this.#logScrolls()) this.#log.scrollTop = this.#log.scrollHeight;
  }

  #save(): void {
    saveConversation(this.#storage, storageKey(this.api), this.#exchanges);
  }

  #onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      this.#submit(false);
    }
  }

  #setNotice(text: string): void {
    this.#notice.textContent = text;
    this.#notice.hidden = text === '';
  }

  #submit(fromButton: boolean): void {
    if (this.#controller) return;
    const question = this.#textarea.value.trim();
    if (!question) {
      this.#setNotice(TEXT.emptyQuestion);
      this.#textarea.focus();
      return;
    }
    this.#setNotice('');
    const exchange: Exchange = { id: createId('q'), question, answer: '', citations: [], abstained: false, status: 'streaming' };
    this.#exchanges.push(exchange);
    this.#textarea.value = '';
    this.#renderAll();
    this.#scrollToBottom(true, exchange.id);
    void this.#run(exchange, fromButton ? 'stop' : 'input');
  }

  async #run(exchange: Exchange, keepFocus: 'stop' | 'input' | 'answer'): Promise<void> {
    const controller = new AbortController();
    this.#controller = controller;
    Object.assign(exchange, { answer: '', citations: [], abstained: false, status: 'streaming', error: undefined, rating: undefined });
    this.#renderExchange(exchange);
    this.#setBusy(true);
    if (keepFocus === 'stop') this.#stopButton.focus();
    else if (keepFocus === 'answer') this.#views.get(exchange.id)?.article.focus();
    this.#save();
    const index = this.#exchanges.indexOf(exchange);
    try {
      for await (const event of streamChat(this.api, messagesFor(this.#exchanges, index), { signal: controller.signal })) {
        if (event.type === 'citations') {
          exchange.citations = event.citations;
          this.#scheduleText(exchange);
        } else if (event.type === 'text-delta') {
          exchange.answer += event.text;
          this.#scheduleText(exchange);
        } else {
          exchange.answer = event.data.answer || exchange.answer;
          exchange.citations = event.data.citations;
          exchange.abstained = event.data.abstained === true;
          exchange.status = 'done';
        }
      }
    } catch (error) {
      if (controller.signal.aborted) exchange.status = 'stopped';
      else {
        exchange.status = 'error';
        exchange.error = describeError(
          error instanceof WidgetRequestError ? error : networkFailure(error instanceof Error ? error.message : String(error)),
        );
      }
    }
    if (exchange.status === 'streaming') exchange.status = controller.signal.aborted ? 'stopped' : 'error';
    if (exchange.status === 'error' && !exchange.error) exchange.error = describeError(new WidgetRequestError('stream', 'incomplete'));
    if (this.#controller === controller) this.#controller = undefined;
    if (!this.#exchanges.includes(exchange)) return; // "Ny konversation" while streaming.

    const focusWasOurs = this.#focusIsIdle();
    this.#renderExchange(exchange);
    this.#setBusy(false);
    this.#save();
    this.#scrollToBottom(false, exchange.id);
    if (exchange.status === 'done') {
      this.#announce(`${exchange.abstained ? TEXT.announceAbstained : TEXT.announceDone} ${plainAnswer(exchange.answer)} ${TEXT.backToQuestionHint}`);
      if (focusWasOurs) this.#views.get(exchange.id)?.article.focus();
    } else if (exchange.status === 'stopped') {
      this.#announce(TEXT.announceStopped);
      if (focusWasOurs) this.#textarea.focus();
    } else if (focusWasOurs) {
      this.#views.get(exchange.id)?.item.querySelector<HTMLButtonElement>('.retry')?.focus();
    }
  }

  /** True when moving focus will not interrupt the user (focus is on our send/stop controls or an empty box). */
  #focusIsIdle(): boolean {
    const active = this.#root.activeElement;
    if (active === this.#textarea) return this.#textarea.value.trim() === '';
    if (active === this.#stopButton || active === this.#sendButton) return true;
    if (active && this.#views.size) {
      for (const view of this.#views.values()) if (view.article === active) return true;
    }
    const outer = document.activeElement;
    return !active && (outer === null || outer === document.body || outer === this);
  }

  #setBusy(busy: boolean): void {
    this.#sendButton.disabled = busy;
    this.#stopButton.hidden = !busy;
    this.#log.setAttribute('aria-busy', busy ? 'true' : 'false');
  }

  #announce(text: string): void {
    this.#live.textContent = '';
    window.setTimeout(() => {
      this.#live.textContent = text;
    }, 50);
  }

  /** True when the host gave the log its own height (`--pa-log-height`) and it scrolls by itself. */
  #logScrolls(): boolean {
    return this.#log.scrollHeight > this.#log.clientHeight + 1 && getComputedStyle(this.#log).overflowY !== 'visible';
  }

  /** A log that scrolls by itself must be reachable by keyboard; one that grows with the page is no extra tab stop. */
  #updateLogScroller(): void {
    if (this.#logScrolls()) this.#log.setAttribute('tabindex', '0');
    else this.#log.removeAttribute('tabindex');
  }

  /**
   * Keeps the newest exchange in view. By default the log grows with the page (no box inside the page), so the
   * page scrolls to show the question just asked; with `--pa-log-height` the log scrolls inside itself.
   */
  #scrollToBottom(force: boolean, exchangeId?: string): void {
    this.#updateLogScroller();
    const log = this.#log;
    if (this.#logScrolls()) {
      const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 120;
      if (force || nearBottom) log.scrollTop = log.scrollHeight;
      return;
    }
    if (!force || !exchangeId) return;
    const question = this.#views.get(exchangeId)?.item.querySelector('.question');
    if (!question) return;
    const box = question.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight * 0.6) question.scrollIntoView({ block: 'start', behavior: 'auto' });
  }

  #scheduleText(exchange: Exchange): void {
    this.#pendingText.add(exchange.id);
    if (this.#frame) return;
    this.#frame = window.requestAnimationFrame(() => {
      this.#frame = 0;
      for (const id of this.#pendingText) {
        const current = this.#exchanges.find((item) => item.id === id);
        const view = this.#views.get(id);
        if (current && view && current.status === 'streaming') {
          const scrolls = this.#logScrolls();
          const nearBottom = scrolls && this.#log.scrollHeight - this.#log.scrollTop - this.#log.clientHeight < 120;
          view.text.replaceChildren(...this.#answerNodes(current));
          if (nearBottom) this.#log.scrollTop = this.#log.scrollHeight;
        }
      }
      this.#pendingText.clear();
    });
  }

  #renderAll(): void {
    this.#views.clear();
    this.#list.replaceChildren();
    for (const exchange of this.#exchanges) {
      const article = h('article', { class: 'answer', tabindex: -1 });
      const text = h('div', { class: 'answer-text' });
      const item = h('li', { class: 'exchange', 'data-exchange': exchange.id }, [
        h('p', { class: 'question' }, [h('span', { class: 'speaker' }, [TEXT.you]), exchange.question]),
        article,
      ]);
      this.#views.set(exchange.id, { item, article, text });
      this.#list.append(item);
      this.#renderExchange(exchange);
    }
    this.#empty.hidden = this.#exchanges.length > 0;
  }

  #renderExchange(exchange: Exchange): void {
    const view = this.#views.get(exchange.id);
    if (!view) return;
    const speakerId = `${exchange.id}-speaker`;
    const { article } = view;
    const text = h('div', { class: 'answer-text' }, this.#answerNodes(exchange));
    view.text = text;
    article.setAttribute('aria-labelledby', speakerId);
    article.setAttribute('aria-describedby', this.#backHint.id);
    article.setAttribute('aria-busy', exchange.status === 'streaming' ? 'true' : 'false');
    article.dataset.status = exchange.status;
    const children: Node[] = [h('span', { class: 'speaker', id: speakerId }, [`${TEXT.assistant}${exchange.status === 'streaming' ? ` – ${TEXT.thinking}` : ''}`])];
    if (exchange.status === 'done' && exchange.abstained) {
      // The server's abstention text already says how to ask instead; the widget's own hint only stands in for an empty one.
      const hasText = exchange.answer.trim() !== '';
      children.push(h('div', { class: 'abstained' }, [h('strong', {}, [TEXT.abstainedTitle]), hasText ? text : h('p', {}, [TEXT.abstainedHint])]));
    } else {
      children.push(text);
    }
    if (exchange.status === 'stopped') children.push(h('p', { class: 'status' }, [TEXT.stopped]));
    if (exchange.status === 'error') {
      children.push(
        h('div', { class: 'error', role: 'alert' }, [
          h('p', {}, [exchange.error ?? '']),
          h('button', { type: 'button', class: 'button secondary retry' }, [TEXT.retry], {
            click: () => {
              if (this.#controller) return;
              void this.#run(exchange, 'answer');
            },
          }),
        ]),
      );
    }
    if (exchange.status === 'done' && exchange.citations.length) children.push(this.#sourcesList(exchange));
    if (exchange.status === 'done') children.push(this.#feedback(exchange));
    article.replaceChildren(...children);
  }

  #answerNodes(exchange: Exchange): Node[] {
    if (exchange.status === 'streaming' && exchange.answer === '') return [h('p', { class: 'status' }, [TEXT.thinking])];
    const byMarker = new Map(exchange.citations.map((citation) => [citation.marker, citation]));
    const line = (content: string): Node[] =>
      tokenizeAnswerLine(content, (marker) => byMarker.has(marker)).map((token) => {
        if (token.type === 'text') return document.createTextNode(token.text);
        if (token.type === 'strong') return h('strong', {}, [token.text]);
        const citation = byMarker.get(token.marker) as Citation;
        return h('button', {
          type: 'button',
          class: 'marker',
          'data-marker': token.marker,
          'aria-label': TEXT.sourceButton(token.marker, citation.document.title),
          'aria-haspopup': 'dialog',
        }, [String(token.marker)], {
          click: (event) => this.#openSource(exchange.citations.find((item) => item.marker === token.marker) ?? citation, event.currentTarget as HTMLElement, exchange.id),
        });
      });
    return splitAnswerBlocks(exchange.answer).map((block) =>
      block.type === 'paragraph'
        ? h('p', {}, line(block.text))
        : block.ordered
          ? h('ol', { start: block.start !== undefined && block.start !== 1 ? block.start : undefined }, block.items.map((item) => h('li', {}, line(item))))
          : h('ul', {}, block.items.map((item) => h('li', {}, line(item)))),
    );
  }

  #sourcesList(exchange: Exchange): HTMLElement {
    const headingId = `${exchange.id}-sources`;
    return h('div', { class: 'sources' }, [
      h('h3', { id: headingId }, [TEXT.sources]),
      h('ol', { 'aria-labelledby': headingId }, exchange.citations.map((citation) =>
        h('li', {}, [
          h('button', { type: 'button', class: 'source', 'data-marker': citation.marker, 'aria-haspopup': 'dialog' }, [
            h('span', { class: 'source-title' }, [`[${citation.marker}] ${citation.document.title}`]),
            h('span', { class: 'source-meta' }, [describeDocument(citation.document)]),
            citation.section ? h('span', { class: 'source-meta' }, [`${TEXT.section}: ${citation.section}`]) : null,
          ], { click: (event) => this.#openSource(citation, event.currentTarget as HTMLElement, exchange.id) }),
        ]),
      )),
    ]);
  }

  #feedback(exchange: Exchange): HTMLElement {
    const container = h('div', { class: 'feedback' });
    const index = this.#exchanges.indexOf(exchange);
    const submit = async (rating: 'up' | 'down', comment?: string): Promise<void> => {
      const trimmed = comment?.trim();
      try {
        await sendFeedback(this.api, {
          messages: messagesFor(this.#exchanges, index),
          answer: clipMessage(exchange.answer, 20_000),
          rating,
          ...(trimmed ? { comment: trimmed.slice(0, 2000) } : {}),
        });
        exchange.rating = rating;
        this.#save();
        const thanks = h('p', { class: 'status', role: 'status', tabindex: -1 }, [TEXT.feedbackThanks]);
        container.replaceChildren(thanks);
        thanks.focus();
      } catch {
        const failed = container.querySelector('.feedback-failed') ?? container.appendChild(h('p', { class: 'notice feedback-failed', role: 'alert' }));
        failed.textContent = TEXT.feedbackFailed;
      }
    };
    if (exchange.rating) {
      container.append(h('p', { class: 'status' }, [TEXT.feedbackThanks]));
      return container;
    }
    const down = h('button', { type: 'button', class: 'thumb thumb-down', 'aria-label': TEXT.feedbackDown, 'aria-pressed': 'false' }, [thumbIcon('down'), TEXT.feedbackDownShort], {
      click: () => {
        down.setAttribute('aria-pressed', 'true');
        if (container.querySelector('form')) return;
        const commentId = `${exchange.id}-comment`;
        const comment = h('textarea', { id: commentId, class: 'feedback-comment', rows: 2, maxlength: 2000 });
        const form = h('form', {}, [
          h('label', { for: commentId }, [TEXT.feedbackCommentLabel]),
          comment,
          h('div', {}, [h('button', { type: 'submit', class: 'button secondary' }, [TEXT.feedbackSend])]),
        ], {
          submit: (event) => {
            event.preventDefault();
            void submit('down', comment.value);
          },
        });
        container.append(form);
        comment.focus();
      },
    });
    container.append(
      h('span', {}, [TEXT.feedbackQuestion]),
      h('button', { type: 'button', class: 'thumb thumb-up', 'aria-label': TEXT.feedbackUp, 'aria-pressed': 'false' }, [thumbIcon('up'), TEXT.feedbackUpShort], {
        click: () => void submit('up'),
      }),
      down,
    );
    return container;
  }

  async #openSource(citation: Citation, trigger: HTMLElement, exchangeId: string): Promise<void> {
    this.#returnFocus = { element: trigger, exchangeId };
    this.#chunkController?.abort();
    const controller = new AbortController();
    this.#chunkController = controller;
    this.#dialogTitle.textContent = citation.document.title;
    this.#dialogMeta.textContent = describeDocument(citation.document);
    this.#dialogBody.replaceChildren(h('p', { class: 'status', role: 'status' }, [TEXT.dialogLoading]));
    if (!this.#dialog.open) this.#dialog.showModal();
    (this.#dialog.querySelector('.close') as HTMLButtonElement).focus();
    let context: ChunkInContextView | undefined;
    try {
      context = await fetchChunkInContext(this.api, citation.id, { signal: controller.signal });
    } catch {
      if (controller.signal.aborted) return;
    }
    if (controller.signal.aborted || !this.#dialog.open) return;
    const nodes: Node[] = [];
    const cited = h('p', { class: 'cited', tabindex: -1 }, [
      h('span', { class: 'visually-hidden' }, [`${TEXT.citedPassage}: `]),
      h('mark', {}, [context?.chunk.text ?? citation.text]),
    ]);
    if (context) {
      const section = sectionText(context.chunk.section);
      if (section) nodes.push(h('p', { class: 'section-path' }, [`${TEXT.section}: ${section}`]));
      for (const chunk of context.previous ?? []) nodes.push(h('p', { class: 'context' }, [chunk.text]));
      nodes.push(cited);
      for (const chunk of context.next ?? []) nodes.push(h('p', { class: 'context' }, [chunk.text]));
      nodes.push(h('p', { class: 'section-path' }, [`${TEXT.file}: ${context.document.source}`]));
      this.#dialogTitle.textContent = context.document.title;
      this.#dialogMeta.textContent = describeDocument(context.document);
    } else {
      nodes.push(h('p', { class: 'notice', role: 'alert' }, [TEXT.dialogFailed]), cited);
    }
    this.#dialogBody.replaceChildren(...nodes);
    cited.focus({ preventScroll: true });
    // Scroll only the dialog body (scrollIntoView would also move the header and the page behind).
    const body = this.#dialogBody;
    body.scrollTop = Math.max(0, cited.offsetTop - Math.max(0, (body.clientHeight - cited.offsetHeight) / 2));
  }

  #onDialogClose(): void {
    this.#chunkController?.abort();
    this.#chunkController = undefined;
    const target = this.#returnFocus;
    this.#returnFocus = undefined;
    if (!target) return;
    if (target.element.isConnected) target.element.focus();
    else if (target.exchangeId) this.#views.get(target.exchangeId)?.article.focus();
  }
}

/** The answer text for the live region: markers read as "(källa n)". */
function plainAnswer(answer: string): string {
  return answer.replace(/\[(\d+)\]/g, '(källa $1)').replace(/\*\*/g, '').trim();
}
