/**
 * Stage 3 — rerank (topic coverage with the fused rank as prior, the optional cross-encoder first) and stage 4 —
 * decide (answer or abstain by what the question asks for and whether a passage covering it states it). Pure
 * functions on passages of our own (a fictional Vattennämnden Väst, 2028).
 */
import { describe, expect, it } from 'vitest';
import { createCorpusStatistics, termGroupsOf, weighTermGroups } from '../src/core/answer/evidence.ts';
import { createGazetteer } from '../src/core/query/index.ts';
import { decide, listAnswers, missingCommitteeReason, statesAskedFor } from '../src/core/pipeline/decide.ts';
import { crossEncode, rerankByCoverage } from '../src/core/pipeline/rerank.ts';
import { defaultPolicy } from '../src/core/policy.ts';
import type { Reranker } from '../src/core/retrieval/rerank.ts';
import type { Chunk, ScoredChunk, StoredDocument } from '../src/core/types.ts';

const TEXTS = {
  laddplatser: 'Miljöförvaltningen får i uppdrag att bygga ut laddplatser för elbilar vid stadens förskolor.',
  laddplatserDatum: 'Laddplatserna vid förskolorna ska vara klara senast i oktober 2028.',
  buller: 'Bullret längs Västra leden ska mätas i fyra mätpunkter under året.',
  trad: 'Förvaltningen planterar 300 träd i nya parker under 2028.',
  cykel: 'Cykelbanorna breddas där trafiken är som tätast.',
};
const statistics = createCorpusStatistics(Object.values(TEXTS));
const document = { id: 'miljo-2028', title: 'Genomförandeplan 2028', committee: 'Vattennämnden Väst', committeeId: 'vattennamnden-vast', type: 'genomförandeplan', status: 'beslutad', year: 2028 } as StoredDocument;
const passage = (id: keyof typeof TEXTS, score: number): ScoredChunk => ({
  chunk: { id, documentId: document.id, position: 0, text: TEXTS[id], originalText: TEXTS[id], start: 0, end: TEXTS[id].length, context: '', section: ['Uppdrag'], kind: 'text' } as Chunk,
  document,
  score,
});
const topicOf = (question: string) => weighTermGroups(termGroupsOf(question), statistics);
const plan = (text: string, asksFor?: string) => ({ text, searchText: text, language: 'sv' as const, ...(asksFor ? { asksFor: asksFor as never } : {}) });

describe('rerank', () => {
  it('a passage covering the topic overtakes a better fused one that does not; ties break on id', () => {
    const topic = topicOf('laddplatser för elbilar');
    const ranked = rerankByCoverage([passage('buller', 1), passage('laddplatser', 0.5)], topic, defaultPolicy);
    expect(ranked.map((item) => item.chunk.id)).toEqual(['laddplatser', 'buller']);
    expect(ranked[0].coverage).toBe(1);
    expect(ranked[1].coverage).toBe(0);
    // With all weight on the fused rank the order is the fused one.
    expect(rerankByCoverage([passage('buller', 1), passage('laddplatser', 0.5)], topic, { coverageWeight: 0 }).map((item) => item.chunk.id)).toEqual(['buller', 'laddplatser']);
    expect(rerankByCoverage([passage('trad', 1), passage('cykel', 1)], [], defaultPolicy).map((item) => item.chunk.id)).toEqual(['cykel', 'trad']);
  });

  it('the cross-encoder, when configured, orders the candidates first', async () => {
    const reverse: Reranker = { rerank: async (_query, candidates) => [...candidates].reverse() };
    const candidates = [passage('trad', 1), passage('cykel', 0.5)];
    expect((await crossEncode(reverse, 'q', candidates)).map((item) => item.chunk.id)).toEqual(['cykel', 'trad']);
    expect(await crossEncode(undefined, 'q', candidates)).toBe(candidates);
  });
});

describe('decide', () => {
  const run = (question: string, passages: ScoredChunk[], asksFor?: string, listItems: ScoredChunk[] = []) => {
    const topic = topicOf(question);
    return decide({ plan: plan(question, asksFor), ranked: rerankByCoverage(passages, topic, defaultPolicy), scoringTopic: topic, listItems, policy: defaultPolicy });
  };

  it('a passage matching the topic but lacking the asked-for date → abstain; one stating it → answer', () => {
    const withoutDate = run('När ska laddplatserna vid förskolorna vara klara?', [passage('laddplatser', 1), passage('buller', 0.5)], 'date');
    expect(withoutDate.best).toBeGreaterThanOrEqual(defaultPolicy.abstainThreshold);
    expect(withoutDate).toMatchObject({ typeStated: false, answerable: false });
    const withDate = run('När ska laddplatserna vid förskolorna vara klara?', [passage('laddplatser', 1), passage('laddplatserDatum', 0.5)], 'date');
    expect(withDate).toMatchObject({ typeStated: true, answerable: true });
  });

  it('a count of the thing asked for must be stated', () => {
    expect(statesAskedFor(plan('Hur många träd planteras i nya parker?', 'number'), [passage('trad', 1)])).toBe(true);
    expect(statesAskedFor(plan('Hur många mätpunkter mäter bullret?', 'number'), [passage('trad', 1)])).toBe(false);
    expect(statesAskedFor(plan('Vad görs åt bullret?'), [passage('cykel', 1)])).toBe(true);
  });

  it('nothing covering the topic, or words the corpus never uses carrying the question → abstain', () => {
    expect(run('Hur breddas cykelbanorna?', [passage('trad', 1)]).answerable).toBe(false);
    const unknown = run('Vilka bostadsrättsföreningar får gatukostnadsersättning för cykelbanorna?', [passage('cykel', 1)]);
    expect(unknown.absent).toBeGreaterThan(defaultPolicy.maxAbsentShare);
    expect(unknown.answerable).toBe(false);
    expect(run('Hur breddas cykelbanorna?', [passage('cykel', 1)]).answerable).toBe(true);
  });

  it('only passages above the floor are offered; a matching list answers on its own', () => {
    const decision = run('laddplatser för elbilar vid förskolor', [passage('laddplatser', 1), passage('trad', 0.9), passage('laddplatserDatum', 0.8)]);
    expect(decision.passages.map((item) => item.chunk.id)).toEqual(['laddplatser', 'laddplatserDatum']);
    const list = run('Vilka uppdrag om solceller?', [passage('trad', 1)], undefined, [passage('laddplatser', 1)]);
    expect(list.answerable).toBe(true);
  });

  it('a list answers only when its items match the topic about as well as the best passage', () => {
    const topic = topicOf('laddplatser');
    expect(listAnswers([passage('laddplatser', 0.9)], 1, topic, defaultPolicy)).toBe(true);
    expect(listAnswers([passage('laddplatser', 0.5)], 1, topic, defaultPolicy)).toBe(false);
    expect(listAnswers([passage('laddplatser', 0.5)], 1, [], defaultPolicy)).toBe(true);
    expect(listAnswers([], 1, topic, defaultPolicy)).toBe(false);
  });

  it('a committee without documents: the reason names the committees that have some, in the answer language', () => {
    const corpus = { documents: new Map([[document.id, document]]), gazetteer: createGazetteer([document]) };
    const reason = missingCommitteeReason({ committee: { id: 'kulturnamnden', name: 'Kulturnämnden', source: 'question' }, language: 'sv' }, { committeeIds: ['kulturnamnden'] }, corpus);
    expect(reason).toBe('Underlagen innehåller inga dokument från Kulturnämnden; det finns dokument från Vattennämnden Väst.');
    expect(missingCommitteeReason({ language: 'en' }, { committeeIds: ['kulturnamnden'] }, corpus)).toMatch(/^The documents contain nothing from kulturnamnden; there are documents from Vattennämnden Väst\.$/);
    expect(missingCommitteeReason({ language: 'sv' }, { committeeIds: ['vattennamnden-vast'] }, corpus)).toBeUndefined();
    expect(missingCommitteeReason({ language: 'sv' }, {}, corpus)).toBeUndefined();
  });
});
