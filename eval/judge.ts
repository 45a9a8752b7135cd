/**
 * Optional LLM-as-judge (`npm run eval -- --judge`). For every answered item a chat model grades, as JSON,
 * `correctness` (does the answer answer the question consistently with the gold evidence and facts) and
 * `faithfulness` (is every claim supported by the cited passages), each 0–2, with a short comment.
 * Informational only: judge scores never change `passed` and are never part of the CI gate.
 * This module reads no environment; `eval/cli.ts` builds the ChatModel.
 */
import { z } from 'zod';
import type { ChatModel } from '../src/core/types.ts';
import { passagesOf, type Dataset, type DatasetItem } from './dataset.ts';

/** A grade from the judge (0 = no, 1 = partly, 2 = fully). */
export interface JudgeScore {
  correctness: 0 | 1 | 2;
  faithfulness: 0 | 1 | 2;
  comment: string;
}

/** What the judge recorded on an item: a grade, or why grading failed (timeout, bad JSON, provider error). */
export type JudgeOutcome = JudgeScore | { error: string };

/** Everything the judge sees of one item. */
export interface JudgeInput {
  /** The conversation's user turns; the last one is graded. */
  turns: string[];
  /** Whether the gold set says the documents answer the question. */
  answerable: boolean;
  /** Gold evidence phrases with the file they come from (`anyOf` alternatives joined with " OR "). */
  evidence: string[];
  /** Gold facts, alternatives separated by `|`. */
  facts: string[];
  answer: string;
  citations: Array<{ marker: number; source: string; text: string }>;
}

/** Grades one item; never throws (failures come back as `{ error }`). */
export interface LlmJudge {
  /** The judging model's id (shown in reports). */
  modelId: string;
  judge(input: JudgeInput): Promise<JudgeOutcome>;
}

/** Options of {@link createLlmJudge}. */
export interface LlmJudgeOptions {
  /** A ChatModel with `complete()` (e.g. `createOpenAIChatModel`). */
  chatModel: ChatModel;
  /** Per-item budget in ms (default 30 000); on expiry the request is aborted and the item gets `{ error }`. */
  timeoutMs?: number;
}

const grade = z.union([z.literal(0), z.literal(1), z.literal(2)]);

/** The JSON the judge must return. */
export const judgeReplySchema = z.object({
  correctness: grade,
  faithfulness: grade,
  comment: z.string(),
});

/** Longest citation text sent to the judge (characters); longer ones are clipped with `…`. */
const MAX_CITATION_CHARS = 2000;

const SYSTEM_PROMPT = `You are a strict evaluator of a Swedish question-answering assistant over municipal plan documents (City of Gothenburg).
You get the question (the last user turn of a conversation), the gold evidence and gold facts, the assistant's answer, and the passages the answer cites as [n].
Grade two things, each 0, 1 or 2:
- correctness: does the answer answer the question, consistently with the gold evidence and facts? 2 = correct and complete, 1 = partly correct or incomplete, 0 = wrong, contradicts the gold, about the wrong committee/document, or does not answer. If the gold says the question is NOT answerable from the documents, 2 only when the answer clearly says the documents do not contain it, else 0.
- faithfulness: is every claim of the answer supported by the cited passages (not by general knowledge)? 2 = every claim supported, 1 = some claims unsupported, 0 = mostly unsupported or contradicted, or no passages cited for factual claims.
Text extracted from PDFs may have OCR damage or split letters ("na mnden" = "nämnden"); treat such text as its intended words.
Reply with JSON only: {"correctness": 0|1|2, "faithfulness": 0|1|2, "comment": "<one or two sentences, in English>"}`;

function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

/** The chat messages sent to the judge for one item. */
export function buildJudgeMessages(input: JudgeInput): Array<{ role: 'system' | 'user'; content: string }> {
  const question = input.turns[input.turns.length - 1] ?? '';
  const earlier = input.turns.slice(0, -1);
  const lines: string[] = [];
  if (earlier.length > 0) {
    lines.push('Earlier user turns (context):', ...earlier.map((turn) => `- ${turn}`), '');
  }
  lines.push(`Question: ${question}`, '');
  if (!input.answerable) {
    lines.push('Gold: the documents do NOT answer this question; the assistant should say so.', '');
  } else {
    lines.push('Gold evidence (passages that answer the question):');
    lines.push(...(input.evidence.length > 0 ? input.evidence.map((text) => `- ${text}`) : ['- (none given)']));
    lines.push('Gold facts a correct answer states (alternatives separated by |):');
    lines.push(...(input.facts.length > 0 ? input.facts.map((fact) => `- ${fact}`) : ['- (none given)']));
    lines.push('');
  }
  lines.push('Answer:', input.answer, '');
  lines.push('Cited passages:');
  if (input.citations.length === 0) lines.push('(none)');
  for (const citation of input.citations) lines.push(`[${citation.marker}] (${citation.source}) ${clip(citation.text, MAX_CITATION_CHARS)}`);
  return [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: lines.join('\n') },
  ];
}

/** Parses and validates the judge's JSON reply (a ```json fence is tolerated). Throws with a short reason. */
export function parseJudgeReply(text: string): JudgeScore {
  const unfenced = text.trim().replace(/^```(?:json)?\s*/i, '').replace(/\s*```$/, '');
  let data: unknown;
  try {
    data = JSON.parse(unfenced);
  } catch {
    throw new Error(`judge reply is not JSON: ${JSON.stringify(clip(text, 120))}`);
  }
  const result = judgeReplySchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`judge reply is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}

/** Builds the judge's input from a gold item and what the system produced. */
export function judgeInputFor(
  item: DatasetItem,
  docs: Dataset['docs'],
  produced: { answer: string; citations: Array<{ marker: number; source: string; text: string }> },
): JudgeInput {
  const name = (key: string): string => docs[key] ?? key;
  return {
    turns: item.turns,
    answerable: item.answerable,
    evidence: item.evidence.map((entry) =>
      passagesOf(entry)
        .map((passage) => `"${passage.text}" (${name(passage.doc)})`)
        .join(' OR '),
    ),
    facts: item.facts,
    answer: produced.answer,
    citations: produced.citations.map(({ marker, source, text }) => ({ marker, source, text })),
  };
}

/**
 * Creates an LLM judge over a ChatModel's `complete(messages, { json: true })`.
 * Each call is bounded by `timeoutMs` (the request is aborted); any failure becomes `{ error }`.
 */
export function createLlmJudge(options: LlmJudgeOptions): LlmJudge {
  const { chatModel } = options;
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (typeof chatModel.complete !== 'function') {
    throw new Error(`createLlmJudge: the chat model ${chatModel.modelId} has no complete() (JSON completions)`);
  }
  const complete = chatModel.complete.bind(chatModel);
  return {
    modelId: chatModel.modelId,
    async judge(input: JudgeInput): Promise<JudgeOutcome> {
      const controller = new AbortController();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`judge timed out after ${timeoutMs} ms`));
          controller.abort();
        }, timeoutMs);
      });
      try {
        const reply = await Promise.race([complete(buildJudgeMessages(input), { json: true, signal: controller.signal }), timeout]);
        return parseJudgeReply(reply);
      } catch (error) {
        return { error: error instanceof Error ? error.message : String(error) };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
