/**
 * Stage 1 — understand: committee, years, status, change, document facts, answer type and topic of a question, and
 * the LLM rewriter's query, language and committee folded in. On our own plans (Kulturnämnden 2026, Idrotts- och
 * föreningsnämnden 2025 and 2026 in tests/fixtures/versions), not the sample corpus.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Corpus, PipelineContext } from '../src/core/pipeline/context.ts';
import { dimensionsOf, scoringTopicOf, searchTextOf, topicOf, understand, wantsRewrite, withRewrite } from '../src/core/pipeline/understand.ts';
import { AppError } from '../src/core/types.ts';
import { versionsPipeline } from './helpers/pipeline-context.ts';

let context: PipelineContext;
let corpus: Corpus;
beforeAll(async () => {
  ({ context, corpus } = await versionsPipeline());
}, 60_000);

const ask = (...turns: string[]) => understand(turns.map((content, index) => ({ role: index % 2 === 0 ? ('user' as const) : ('assistant' as const), content })), corpus);
const terms = (groups: Array<{ term: string }>) => groups.map((group) => group.term);

describe('understand: one model of the question', () => {
  it('"vilka uppdrag har kulturnämnden 2026 om bibliotek?" → committee, year, list, topic bibliotek', () => {
    const question = ask('vilka uppdrag har kulturnämnden 2026 om bibliotek?');
    expect(question.plan.committee).toMatchObject({ id: 'kulturnamnden', source: 'question' });
    expect(question.storeFilter.committeeIds).toEqual(['kulturnamnden']);
    expect(question.dimensions).toMatchObject({ years: [2026], explicitYear: false, answerType: 'list', facts: [] });
    // The year picked the versions: a filter, not a topic word; "uppdrag" and the committee are not topic words either.
    expect(terms(topicOf(question.plan, corpus, { profile: context.profile, yearsUsed: [2026] }))).toEqual(['bibliotek']);
    // A year that picked nothing stays in the topic (at a low weight).
    const withYear = topicOf(question.plan, corpus, { profile: context.profile });
    expect(terms(withYear)).toEqual(['2026', 'bibliotek']);
    expect(withYear[0].weight).toBeLessThan(withYear[1].weight);
    // The plan's topic terms come from the same model.
    expect(question.plan.topicTerms).toContain('bibliotek');
    expect(question.plan.topicTerms).not.toContain('uppdrag');
  });

  it('answer types: change between versions, document facts, a count, a date, passages', () => {
    const change = ask('Vilka nya uppdrag har idrotts- och föreningsnämnden 2026 jämfört med 2025?');
    expect(change.dimensions).toMatchObject({ answerType: 'change', change: 'new', years: [2026, 2025] });
    const fact = ask('När beslutades kulturnämndens verksamhetsplan?');
    expect(fact.dimensions).toMatchObject({ answerType: 'document-facts', facts: ['decision'], documentType: 'verksamhetsplan' });
    expect(ask('Hur många stadsdelar får skrivarverkstäder under sommarlovet?').dimensions.answerType).toBe('number');
    expect(ask('När öppnar simhallarna på kvällstid?').dimensions.answerType).toBe('date');
    expect(ask('Läsfrämjande insatser för förskolebarn').dimensions.answerType).toBe('passages');
  });

  it('a change follow-up compares with the year the conversation was about', () => {
    const question = ask('Vilka uppdrag har idrotts- och föreningsnämnden 2026?', 'Tre uppdrag …', 'Vilka av dem fanns redan 2025?');
    expect(question.dimensions.change).toBe('kept');
    expect([...question.dimensions.years].sort()).toEqual([2025, 2026]);
  });

  it('follow-ups read with the same model: a document type is a dimension that changes the question, cue words are no referent', () => {
    const narrowed = ask('Vilka uppdrag har kulturnämnden om läsfrämjande insatser?', 'Ett uppdrag …', 'Och i verksamhetsplanen?');
    expect(narrowed.plan.text).toBe('Vilka uppdrag har kulturnämnden om läsfrämjande insatser i verksamhetsplanen?');
    expect(narrowed.dimensions.documentType).toBe('verksamhetsplan');
    expect(narrowed.plan.committee?.id).toBe('kulturnamnden');
    // "jämfört" says how to answer, not what about: it is not what "det" refers to.
    const referent = ask('Hur mycket kostar skrivarverkstäderna 2026 jämfört med 2025?', 'Det står …', 'Vad menas med det?');
    expect(referent.plan.text).toBe('Vad menas med kostar skrivarverkstäderna?');
  });

  it('the filter wins: its year is explicit, its status and type are used, its committee must be known', () => {
    const plan = ask('Vad gör nämnden för barn?').plan;
    expect(dimensionsOf(plan, { year: 2025, status: 'beslutad' })).toMatchObject({ years: [2025], explicitYear: true, status: 'beslutad' });
    expect(dimensionsOf(ask('Vad står i verksamhetsplanen?').plan, { type: 'genomförandeplan' }).documentType).toBeUndefined();
    expect(() => understand([{ role: 'user', content: 'Vad gör nämnden?' }], corpus, { filter: { committee: 'Ridsportnämnden' } })).toThrow(AppError);
    const filtered = understand([{ role: 'user', content: 'Vad gör nämnden för barn?' }], corpus, { filter: { committee: 'Kulturnämnden' } });
    expect(filtered.storeFilter.committeeIds).toEqual(['kulturnamnden']);
  });

  it('a question with no topic but the domain words scores with them', () => {
    const plan = ask('Vilka uppdrag har kulturnämnden?').plan;
    const topic = topicOf(plan, corpus, { profile: context.profile });
    expect(topic).toEqual([]);
    expect(terms(scoringTopicOf(plan, corpus, topic, { profile: context.profile }))).toContain('uppdrag');
  });
});

describe('understand: the LLM rewriter', () => {
  it('is asked for English questions and rewritten follow-ups only', () => {
    expect(wantsRewrite(ask('Vilka uppdrag har kulturnämnden om bibliotek?'))).toBe(false);
    expect(wantsRewrite(ask('Which assignments does the culture committee have about libraries?'))).toBe(true);
    expect(wantsRewrite(ask('Vilka uppdrag har kulturnämnden om bibliotek?', 'Ett uppdrag …', 'Och om museer?'))).toBe(true);
  });

  it("its query joins the retrieval text; its language is the answer language; an English answer's topic is its query", () => {
    const question = ask('Och simhallar?');
    const rewritten = withRewrite(question, { query: 'Vilka uppdrag om simhallar har idrotts- och föreningsnämnden', language: 'en' }, corpus);
    expect(rewritten.plan.language).toBe('en');
    expect(rewritten.plan.swedishText).toBe('Vilka uppdrag om simhallar har idrotts- och föreningsnämnden');
    expect(searchTextOf(rewritten)).toMatch(/^Vilka uppdrag om simhallar/);
    expect(terms(topicOf(rewritten.plan, corpus, { profile: context.profile }))).toContain('simhallar');
    const swedish = withRewrite(ask('What about the libraries?'), { query: 'bibliotek', language: 'sv' }, corpus);
    expect(swedish.plan.language).toBe('sv');
  });

  it('its committee is used when the question names none and the committee has documents', () => {
    const question = ask('Vad planeras för bibliotek?');
    expect(question.plan.committee).toBeUndefined();
    const withCommittee = withRewrite(question, { query: 'bibliotek kulturnämnden', language: 'sv', committee: 'Kulturnämnden' }, corpus);
    expect(withCommittee.plan.committee).toMatchObject({ id: 'kulturnamnden' });
    expect(withCommittee.storeFilter.committeeIds).toEqual(['kulturnamnden']);
    // Not over the question's own committee, not over the filter's, not a committee without documents.
    const named = withRewrite(ask('Vad planerar idrotts- och föreningsnämnden för bibliotek?'), { query: 'x', language: 'sv', committee: 'Kulturnämnden' }, corpus);
    expect(named.plan.committee?.id).toBe('idrotts-och-foreningsnamnden');
    expect(withRewrite(question, { query: 'x', language: 'sv', committee: 'Kulturnämnden' }, corpus, { committee: 'Kulturnämnden' }).plan.committee).toBeUndefined();
    expect(withRewrite(question, { query: 'x', language: 'sv', committee: 'Socialnämnden Nordost' }, corpus).plan.committee).toBeUndefined();
  });

  it('no rewrite leaves the question as it was', () => {
    const question = ask('Vad planeras för bibliotek?');
    expect(withRewrite(question, null, corpus)).toBe(question);
  });
});
