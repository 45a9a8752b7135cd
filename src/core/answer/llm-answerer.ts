/**
 * The LLM answerer: generates a cited answer with any ChatModel and falls back to another answerer
 * (the extractive one) whenever the model fails, stalls or does not cite.
 */
import type { AnswerEvent, ChatModel, Citation, ScoredChunk } from '../types.ts';
import { toCitation, type AnswerInput, type Answerer } from './answerer.ts';
import { splitSentences } from './evidence.ts';
import { assignmentText } from './extractive.ts';
import { ABSTENTION_TEXT, INTERRUPTED_NOTE, buildSystemPrompt, buildUserPrompt, type AnswerLanguage } from './prompts.ts';
import { createMarkerFilter, isAbstention, usedMarkers, verifyAnswer } from './verify-citations.ts';
import { abortable } from '../abortable.ts';

/** Logger port (console-compatible). */
export interface AnswerLogger {
  warn(message: string, data?: Record<string, unknown>): void;
}

/** Options of {@link createLlmAnswerer}. */
export interface LlmAnswererOptions {
  chatModel: ChatModel;
  /** Used when the model fails, times out, returns nothing or answers without a valid citation. */
  fallback: Answerer;
  /**
   * Deadline in ms, measured from the start of the call, for the first token from the model (default 2500).
   * A provider error or this deadline before any text was shown → the fallback's answer.
   */
  timeoutMs?: number;
  /** Longest pause between two tokens once the model has started (default: `timeoutMs`). */
  idleTimeoutMs?: number;
  /** Cap on the whole generation in ms (default 30 000). */
  maxDurationMs?: number;
  /** Sampling temperature (default 0.1). */
  temperature?: number;
  logger?: AnswerLogger;
}

/** Abort reason used for our own deadlines (distinguishes them from a caller's abort). */
class DeadlineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeadlineError';
  }
}

const noopLogger: AnswerLogger = { warn: () => {} };

/**
 * Creates the LLM answerer (`name` = `llm:<model>`).
 *
 * Passages offered to the model: `input.passages` in rank order, then (for list questions) every
 * `input.listItems` entry not already among them. Marker `[n]` always means offered passage n; markers
 * are not renumbered.
 *
 * Event stream and verification:
 * - Text is streamed through a marker filter: markers pointing at no offered passage (`[9]` of 5) are
 *   dropped on the fly; a possible partial marker at a chunk end is held until the next chunk.
 * - Nothing is emitted until the model's text contains its first valid marker. At that point the
 *   `citations` event (all offered passages, markers 1..n) is emitted, then the held text, then each
 *   further delta as it arrives. So streamed text always rests on at least one valid citation, and a
 *   fallback before that point is invisible (the fallback's own stream is passed through unchanged,
 *   with its own `citations` event and `answerer`).
 * - `done` carries the final answer (the concatenated deltas, trimmed) and only the citations whose
 *   markers occur in it: every marker has a citation and every listed citation is used.
 * - The model's answer ends without any valid marker: if it is an abstention (contains "det finns inte
 *   i underlagen") the fixed abstention text is emitted with `abstained: true` and no citations (the
 *   model's own wording is not shown: it could carry uncited claims); otherwise the answer is discarded
 *   and the fallback answers. Falling back (rather than abstaining) is chosen because retrieval did find
 *   passages, and the extractive answer is cited by construction; it also neutralises injected replies
 *   such as a bare "HACKAD".
 *
 * Failures: a provider error, no first token within `timeoutMs` from the call start, a pause longer than
 * `idleTimeoutMs` or a generation longer than `maxDurationMs` aborts the request (AbortController) and
 * is logged with `logger.warn`. Before any text was emitted → the fallback's answer. After text was
 * emitted → a short note (`INTERRUPTED_NOTE`) as the last delta, then `done` with what was written.
 * A caller's abort (`options.signal`) ends the stream without further events.
 */
export function createLlmAnswerer(options: LlmAnswererOptions): Answerer {
  const { chatModel, fallback } = options;
  const timeoutMs = options.timeoutMs ?? 2500;
  const idleTimeoutMs = options.idleTimeoutMs ?? timeoutMs;
  const maxDurationMs = options.maxDurationMs ?? 30_000;
  const temperature = options.temperature ?? 0.1;
  const logger = options.logger ?? noopLogger;
  const name = `llm:${chatModel.modelId}`;

  async function* answer(input: AnswerInput, callOptions: { signal?: AbortSignal } = {}): AsyncGenerator<AnswerEvent> {
    const external = callOptions.signal;
    if (external?.aborted) return;
    const offered = offeredPassages(input);
    if (offered.length === 0) {
      // Nothing to ground an answer on: the fallback decides (it abstains).
      yield* fallback.answer(input, callOptions);
      return;
    }

    const startedAt = Date.now();
    const language: AnswerLanguage = input.language === 'en' ? 'en' : 'sv';
    const citations = offered.map((passage, index) => toCitation(index + 1, passage));
    const query = input.understood;
    /** The `done` event of an answer the model wrote (`suffix`: a closing note that carries no marker). */
    const answered = (answerText: string, suffix = ''): AnswerEvent => ({
      type: 'done',
      abstained: false,
      answerer: name,
      citations: pickCitations(citations, usedMarkers(answerText, offered.length)),
      query,
      answer: `${answerText}${suffix}`,
    });
    const lastUserTurn = [...input.conversation].reverse().find((message) => message.role === 'user')?.content ?? input.question;
    const messages = [
      { role: 'system' as const, content: buildSystemPrompt(language) },
      {
        role: 'user' as const,
        content: buildUserPrompt({
          passages: offered,
          userText: lastUserTurn,
          question: input.question,
          committee: input.understood.committee,
          listIntent: input.listIntent,
          language,
        }),
      },
    ];

    const filter = createMarkerFilter(offered.length);
    let receivedAny = false;
    let committed = false;
    let held = '';
    let emitted = '';
    let failure: unknown = null;
    let finished = false;

    const controller = new AbortController();
    const onExternalAbort = () => controller.abort(external?.reason);
    external?.addEventListener('abort', onExternalAbort, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    let deadline: string | null = null;
    const expire = (reason: string) => {
      deadline = reason;
      controller.abort(new DeadlineError(reason));
    };
    let iterator: AsyncIterator<string> | undefined;

    /** Awaits the next token under the current deadline; the timer only runs while waiting on the model. */
    const nextToken = (): Promise<IteratorResult<string>> => {
      const elapsed = Date.now() - startedAt;
      const budget = receivedAny ? Math.min(idleTimeoutMs, maxDurationMs - elapsed) : Math.min(timeoutMs, maxDurationMs) - elapsed;
      const reason = receivedAny ? 'stalled or too long' : `no first token within ${timeoutMs} ms`;
      if (budget <= 0) expire(reason);
      else timer = setTimeout(() => expire(reason), budget);
      iterator ??= chatModel.stream(messages, { signal: controller.signal, temperature })[Symbol.asyncIterator]();
      return abortable(iterator.next(), controller.signal).finally(() => clearTimeout(timer));
    };

    try {
      for (;;) {
        const step = await nextToken();
        if (step.done) break;
        receivedAny = true;
        const clean = filter.push(step.value);
        if (committed) {
          if (clean) {
            emitted += clean;
            yield { type: 'text-delta', text: clean };
          }
          continue;
        }
        held += clean;
        // The filter releases only whole marker groups, so checking the new piece is enough.
        if (usedMarkers(clean, offered.length).length > 0) {
          committed = true;
          yield { type: 'citations', citations, query };
          const first = held.trimStart();
          held = '';
          if (first) {
            emitted += first;
            yield { type: 'text-delta', text: first };
          }
        }
      }
      finished = true;
    } catch (error) {
      failure = error;
    } finally {
      clearTimeout(timer);
      external?.removeEventListener('abort', onExternalAbort);
      if (!finished) {
        // Stop the request (provider error, deadline or the consumer stopped reading).
        if (!controller.signal.aborted) controller.abort(new Error('answer stream closed'));
        void Promise.resolve()
          .then(() => iterator?.return?.())
          .catch(() => {});
      }
    }

    if (external?.aborted) return;

    if (failure !== null) {
      const reason = deadline ?? describeError(failure);
      logger.warn('LLM answer failed; ' + (committed ? 'ending the streamed answer' : 'using the fallback answerer'), {
        answerer: name,
        reason,
        elapsedMs: Date.now() - startedAt,
        textShown: committed,
      });
      if (!committed) {
        yield* fallback.answer(input, callOptions);
        return;
      }
      const note = INTERRUPTED_NOTE[language];
      yield { type: 'text-delta', text: note };
      yield answered(emitted.trim(), note);
      return;
    }

    const tail = filter.flush();
    if (committed) {
      if (tail.trim()) {
        emitted += tail;
        yield { type: 'text-delta', text: tail };
      }
      // A list answer names every matching uppdrag: those the model left out are added, cited, after its text.
      const completion = missingListItems(input, offered, usedMarkers(emitted, offered.length), language);
      if (completion) {
        emitted += completion;
        yield { type: 'text-delta', text: completion };
      }
      yield answered(emitted.trim());
      return;
    }

    // The model finished without a valid marker so far: verify the whole text.
    const verified = verifyAnswer(held + tail, offered.length);
    if (verified.markers.length > 0) {
      yield { type: 'citations', citations, query };
      yield { type: 'text-delta', text: verified.answer };
      yield {
        type: 'done',
        abstained: false,
        answerer: name,
        citations: pickCitations(citations, verified.markers),
        query,
        answer: verified.answer,
      };
      return;
    }
    if (verified.answer && isAbstention(verified.answer)) {
      const text = ABSTENTION_TEXT[language];
      yield { type: 'citations', citations, query };
      yield { type: 'text-delta', text };
      yield { type: 'done', abstained: true, answerer: name, citations: [], query, answer: text };
      return;
    }
    logger.warn('LLM answer had no valid citation; using the fallback answerer', {
      answerer: name,
      reason: verified.answer ? 'uncited answer' : 'empty answer',
      elapsedMs: Date.now() - startedAt,
      textShown: false,
    });
    yield* fallback.answer(input, callOptions);
  }

  return { name, answer };
}

/** Passages offered to the model: ranked passages, then list items not already among them (list questions). */
export function offeredPassages(input: AnswerInput): ScoredChunk[] {
  const offered: ScoredChunk[] = [];
  const seen = new Set<string>();
  const add = (passage: ScoredChunk) => {
    if (seen.has(passage.chunk.id)) return;
    seen.add(passage.chunk.id);
    offered.push(passage);
  };
  input.passages.forEach(add);
  if (input.listIntent && input.listItems) input.listItems.forEach(add);
  return offered;
}

/**
 * For list questions: a closing paragraph with the list items (uppdrag) the model did not cite, each with its marker,
 * so an LLM answer is never less complete than the extractive one. Empty when nothing is missing.
 */
export function missingListItems(input: AnswerInput, offered: ScoredChunk[], used: number[], language: AnswerLanguage): string {
  if (!input.listIntent || !input.listItems?.length) return '';
  const usedSet = new Set(used);
  const missing = input.listItems
    .map((item) => offered.findIndex((passage) => passage.chunk.id === item.chunk.id) + 1)
    .filter((marker) => marker > 0 && !usedSet.has(marker));
  if (missing.length === 0) return '';
  const heading = language === 'en' ? 'Further matching assignments in the documents:' : 'Fler uppdrag i underlagen som matchar frågan:';
  const lines = missing.map((marker) => {
    const first = splitSentences(assignmentText(offered[marker - 1]))[0] ?? offered[marker - 1].chunk.text;
    return `- ${first} [${marker}]`;
  });
  return `\n\n${heading}\n${lines.join('\n')}`;
}

/** Citations for the given markers, in marker order of appearance. */
function pickCitations(citations: Citation[], markers: number[]): Citation[] {
  return markers.map((marker) => citations[marker - 1]).filter((citation): citation is Citation => Boolean(citation));
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
