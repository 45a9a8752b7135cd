/**
 * Stage 5 — answer: which builder a question gets (document facts, a version diff, comparison sides, a list or the
 * passages) and the composition in `createAssistant` (the LLM rewriter's language and committee reach the answer). On
 * our own plans (tests/fixtures/versions: Idrotts- och föreningsnämnden 2025 and 2026, Kulturnämnden 2026).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createAssistant } from '../src/core/assistant.ts';
import { createHashedEmbedder } from '../src/core/embedding/hashed-embedder.ts';
import { documentFactsAnswer, passageAnswerInput, versionDiffAnswer } from '../src/core/pipeline/answer.ts';
import { retrieveSides, sideTopic, sidesOf } from '../src/core/pipeline/compare.ts';
import type { Corpus, PipelineContext } from '../src/core/pipeline/context.ts';
import { scopeFor } from '../src/core/pipeline/retrieve.ts';
import { scoringTopicOf, topicOf, understand, type Question } from '../src/core/pipeline/understand.ts';
import type { AnswerEvent, SearchFilter } from '../src/core/types.ts';
import { converse } from './helpers/converse.ts';
import { versionsPipeline } from './helpers/pipeline-context.ts';

let context: PipelineContext;
let corpus: Corpus;
beforeAll(async () => {
  ({ context, corpus } = await versionsPipeline());
}, 60_000);

const questionOf = (text: string, filter?: SearchFilter): Question => understand([{ role: 'user', content: text }], corpus, { filter });
const doneOf = (events: AnswerEvent[] | undefined) => events?.find((event) => event.type === 'done') as Extract<AnswerEvent, { type: 'done' }> | undefined;

describe('answer: document facts', () => {
  it("a decision question about one committee's plan is answered from metadata, cited to the decision line", async () => {
    const done = doneOf(await documentFactsAnswer(context, questionOf('När beslutades kulturnämndens verksamhetsplan, och vilken paragraf?'), corpus.documents, false));
    expect(done?.answer).toMatch(/2026-01-20/);
    expect(done?.answer).toMatch(/§ 4\b/);
    expect(done?.citations.length).toBeGreaterThan(0);
    expect(done?.citations.every((citation) => citation.document.committee === 'Kulturnämnden' && citation.text.includes('2026-01-20'))).toBe(true);
  });

  it('no fact asked, or no committee and more documents in scope than the policy allows: not a fact answer', async () => {
    expect(await documentFactsAnswer(context, questionOf('Vilka uppdrag har kulturnämnden om bibliotek?'), corpus.documents, false)).toBeUndefined();
    const unnamed = questionOf('Vilket diarienummer har planen?');
    expect(await documentFactsAnswer({ ...context, policy: { ...context.policy, factScopeDocuments: 1 } }, unnamed, corpus.documents, false)).toBeUndefined();
    expect(await documentFactsAnswer({ ...context, policy: { ...context.policy, factScopeDocuments: 2 } }, unnamed, corpus.documents, false)).toBeDefined();
  });
});

describe('answer: version diff', () => {
  const diffOf = async (text: string) => {
    const question = questionOf(text);
    return versionDiffAnswer(context, question.plan, scopeFor(question.dimensions, question.storeFilter, corpus.documents), corpus.documents);
  };

  it('new uppdrag are cited in the newer version, removed ones in the older', async () => {
    const done = doneOf(await diffOf('Vilka uppdrag har tillkommit i idrotts- och föreningsnämndens genomförandeplan 2026 jämfört med 2025?'));
    expect(done?.answer).toMatch(/spontanidrottsplatser/);
    const cited = (pattern: RegExp) => done?.citations.find((citation) => pattern.test(citation.text))?.document.year;
    expect(cited(/spontanidrottsplatser/)).toBe(2026);
    const removed = doneOf(await diffOf('Vilka uppdrag har avslutats sedan 2025 i idrotts- och föreningsnämndens plan?'));
    expect(removed?.answer).toMatch(/konstgräsplaner/);
    expect(removed?.citations.some((citation) => citation.document.year === 2025)).toBe(true);
  });

  it('"vad hände med X", one version only, or no change asked: not a diff', async () => {
    expect(await diffOf('Vad hände med uppdraget om konstgräsplaner?')).toBeUndefined();
    expect(await diffOf('Vad är nytt i kulturnämndens verksamhetsplan jämfört med förra året?')).toBeUndefined();
    expect(await diffOf('Vilka uppdrag har idrotts- och föreningsnämnden om simhallar?')).toBeUndefined();
  });

  it("the policy's similarities sort the pairs: with an impossible 'kept' bar nothing is kept", async () => {
    const question = questionOf('Vilka uppdrag fanns redan 2025 i idrotts- och föreningsnämndens plan 2026?');
    const scope = scopeFor(question.dimensions, question.storeFilter, corpus.documents);
    const kept = doneOf(await versionDiffAnswer(context, question.plan, scope, corpus.documents));
    expect(kept?.answer).toMatch(/lovverksamhet/);
    const strict = doneOf(await versionDiffAnswer({ ...context, policy: { ...context.policy, diffKeptSimilarity: 1.01, diffChangedSimilarity: 1.01 } }, question.plan, scope, corpus.documents));
    expect(strict?.answer ?? '').not.toMatch(/Uppdrag som fanns redan:\n1\./);
  });
});

describe('answer: comparison sides', () => {
  const COMPARE = 'Vad skiljer idrotts- och föreningsnämndens och kulturnämndens planer om lovverksamhet för barn i årskurs 4–6?';

  it('two committees with documents are two sides; a filter committee or a list question is none', () => {
    const { sides } = sidesOf(questionOf(COMPARE), corpus, false, context.policy);
    expect(sides.map((side) => side.committeeIds)).toEqual([['idrotts-och-foreningsnamnden'], ['kulturnamnden']]);
    expect(sidesOf(questionOf(COMPARE), corpus, true, context.policy).sides).toEqual([]);
    expect(sidesOf(questionOf('Vilka uppdrag har idrotts- och föreningsnämnden och kulturnämnden om barn?'), corpus, false, context.policy).sides).toEqual([]);
    expect(sidesOf(questionOf(COMPARE), corpus, false, { maxSides: 1 }).sides).toHaveLength(1);
  });

  it("a two-part question: a side's own words weigh more, another side's less", () => {
    const question = questionOf('Vilka nämnder erbjuder lovverksamhet, och vad gör kulturnämnden under sommarlovet?');
    const { sides, parts } = sidesOf(question, corpus, false, context.policy);
    expect(sides).toHaveLength(2);
    const topic = scoringTopicOf(question.plan, corpus, topicOf(question.plan, corpus, { profile: context.profile }), { profile: context.profile });
    const weightOf = (groups: typeof topic, term: string) => groups.find((group) => group.term === term)?.weight ?? 0;
    const first = sideTopic(sides[0], parts, topic, { sideOwnWeight: 2, sideOtherWeight: 0.5 });
    expect(weightOf(first, 'lovverksamhet')).toBe(2 * weightOf(topic, 'lovverksamhet'));
    expect(weightOf(first, 'sommarlovet')).toBe(0.5 * weightOf(topic, 'sommarlovet'));
  });

  it("each side's passages come from its own committee only", async () => {
    const question = questionOf(COMPARE);
    const { sides, parts } = sidesOf(question, corpus, false, context.policy);
    const topic = scoringTopicOf(question.plan, corpus, topicOf(question.plan, corpus, { profile: context.profile }), { profile: context.profile });
    const answered = await retrieveSides(context, question, sides, parts, topic, corpus.documents, { searchText: question.plan.searchText });
    expect(answered.map((side) => side.heading)).toEqual(['Idrotts- och föreningsnämnden', 'Kulturnämnden']);
    for (const side of answered) {
      expect(side.passages.length).toBeLessThanOrEqual(context.policy.sidePassages);
      expect(new Set(side.passages.map((passage) => passage.document.committee))).toEqual(new Set([side.heading]));
    }
  });
});

describe('answer: list or passages', () => {
  it('a list is scored with the list topic, passages with the scoring topic', () => {
    const plan = questionOf('Vilka uppdrag har kulturnämnden om bibliotek?').plan;
    const listTopic = [{ term: 'bibliotek', alternatives: ['bibliotek'], idf: 1, weight: 1, frequency: 1 }];
    const scoringTopic = [{ term: 'uppdrag', alternatives: ['uppdrag'], idf: 1, weight: 1, frequency: 1 }];
    const base = { plan, conversation: [], passages: [], listNoun: 'uppdrag' as const, listTopic, scoringTopic };
    const item = { chunk: { id: 'x' }, document: {}, score: 1 } as never;
    expect(passageAnswerInput({ ...base, listItems: [item] })).toMatchObject({ listIntent: true, termGroups: listTopic, understood: { committee: 'Kulturnämnden' } });
    expect(passageAnswerInput({ ...base, listItems: [] })).toMatchObject({ listIntent: false, termGroups: scoringTopic });
  });
});

describe('createAssistant composes the stages', () => {
  it("the LLM rewriter's language is the answer's language", async () => {
    const assistant = (language: 'sv' | 'en') =>
      createAssistant({ store: context.store, embedder: createHashedEmbedder(), queryRewriter: { rewrite: async () => ({ query: 'vattenskidor i hamnen', language }) } });
    // A follow-up the rules read as Swedish; the model reads it as English.
    const english = await converse(assistant('en'), 'Vilka uppdrag har kulturnämnden om bibliotek?', 'Och vattenskidor?');
    expect(english.abstained).toBe(true);
    expect(english.answer).toMatch(/^That is not covered by the documents/);
    const swedish = await converse(assistant('sv'), 'Vilka uppdrag har kulturnämnden om bibliotek?', 'Och vattenskidor?');
    expect(swedish.answer).toMatch(/^Det finns inte i underlagen/);
  });

  it('search and chat answer from the same scope: a year picks its version', async () => {
    const assistant = createAssistant({ store: context.store, embedder: createHashedEmbedder() });
    const search = await assistant.search({ query: 'simhallar kvällstid idrotts- och föreningsnämnden 2025', k: 3 });
    expect(new Set(search.results.map((result) => result.document.year))).toEqual(new Set([2025]));
    expect(search.results).toHaveLength(3);
    const done = await converse(assistant, 'Vilka uppdrag hade idrotts- och föreningsnämnden 2025 om simhallar?');
    expect(new Set(done.citations.map((citation) => citation.document.year))).toEqual(new Set([2025]));
  });
});
