/**
 * Stage 4 — decide: answer or abstain. Not from unknown words alone but from what the question asks for: the best
 * passage must cover the topic (`abstainThreshold`), the answer type must be stated by a passage that does (a count of
 * the thing asked for, the unit, a point in time), and words the corpus never uses must not carry most of the
 * question (`maxAbsentShare`). A list of uppdrag that matches the topic answers on its own. Pure functions.
 */
import { absentShare, askedUnit, countedNoun, statesCount, statesTime, statesUnit, type TermGroup } from '../answer/evidence.ts';
import type { AnswerPolicy } from '../policy.ts';
import type { QueryPlan } from '../query/index.ts';
import type { ScoredChunk, StoreFilter } from '../types.ts';
import { hasDocuments, type Corpus } from './context.ts';
import type { RankedPassage } from './rerank.ts';
import { withoutCoverage } from './rerank.ts';

/** The decision and what it rests on (logged at debug level). */
export interface Decision {
  answerable: boolean;
  /** Coverage of the best passage. */
  best: number;
  /** A passage covering the topic states the kind of thing asked for. */
  typeStated: boolean;
  /** Share of the question's importance carried by words the corpus never uses. */
  absent: number;
  /** The passages offered to the answerer: those covering at least `passageFloorRelative · abstainThreshold`. */
  passages: ScoredChunk[];
}

export type DecidePolicy = Pick<AnswerPolicy, 'abstainThreshold' | 'maxAbsentShare' | 'passageFloorRelative' | 'listVersusPassage'>;

/**
 * Whether a passage among `relevant` states what the question asks for: the unit it asks in ("hur många kronor"),
 * a count of the noun it counts ("hur många platser"), a point in time for a "när"-question. True when the question
 * asks for none of these.
 */
export function statesAskedFor(plan: Pick<QueryPlan, 'text' | 'searchText' | 'language' | 'asksFor'>, relevant: ScoredChunk[]): boolean {
  const unit = askedUnit(plan.text);
  const noun = plan.asksFor === 'number' ? countedNoun(plan.language === 'en' ? plan.searchText : plan.text) : undefined;
  return (
    (!unit || relevant.some((passage) => statesUnit(unit, passage.chunk.text))) &&
    (!noun || relevant.some((passage) => statesCount(noun, passage.chunk.text))) &&
    (plan.asksFor !== 'date' || relevant.some((passage) => statesTime(passage.chunk.text)))
  );
}

/**
 * A list of uppdrag answers the question only when its items match the topic about as well as the best passage does
 * ("I vilka fem områden delas … mål och uppdrag in?" names uppdrag but asks for something else).
 */
export function listAnswers(listItems: ScoredChunk[], best: number, topic: TermGroup[], policy: Pick<AnswerPolicy, 'listVersusPassage'>): boolean {
  if (listItems.length === 0) return false;
  if (topic.length === 0) return true;
  return Math.max(...listItems.map((item) => item.score)) >= best * policy.listVersusPassage;
}

/** Answer or abstain for a ranked set of passages (and the list items, when the question asks for a list). */
export function decide(input: {
  plan: Pick<QueryPlan, 'text' | 'searchText' | 'language' | 'asksFor'>;
  ranked: RankedPassage[];
  scoringTopic: TermGroup[];
  listItems: ScoredChunk[];
  policy: DecidePolicy;
}): Decision {
  const { plan, ranked, scoringTopic, listItems, policy } = input;
  const best = Math.max(0, ...ranked.map((passage) => passage.coverage));
  const relevant = ranked.filter((passage) => passage.coverage >= policy.abstainThreshold).map(withoutCoverage);
  const typeStated = statesAskedFor(plan, relevant);
  const absent = absentShare(scoringTopic);
  const passages = ranked.filter((passage) => passage.coverage >= policy.abstainThreshold * policy.passageFloorRelative).map(withoutCoverage);
  const supported = listItems.length > 0 || (scoringTopic.length > 0 && best >= policy.abstainThreshold && typeStated && absent <= policy.maxAbsentShare);
  return { answerable: supported && (passages.length > 0 || listItems.length > 0), best, typeStated, absent, passages };
}

/**
 * A committee the question names that has no documents: the reason to give instead of answering from another
 * committee (naming the committees that do have documents). Undefined when the scope has documents.
 */
export function missingCommitteeReason(plan: Pick<QueryPlan, 'committee' | 'language'>, storeFilter: StoreFilter, corpus: Pick<Corpus, 'documents' | 'gazetteer'>): string | undefined {
  if (!storeFilter.committeeIds || storeFilter.committeeIds.some((id) => hasDocuments(corpus.documents, id))) return undefined;
  const named = plan.committee?.name ?? storeFilter.committeeIds.join(', ');
  const available = [...new Set([...corpus.documents.values()].map((document) => corpus.gazetteer.nameOf(document.committeeId) ?? document.committee))].sort();
  const shown = available.slice(0, 12).join(', ');
  return plan.language === 'en'
    ? `The documents contain nothing from ${named}; there are documents from ${shown}${available.length > 12 ? ' and more' : ''}.`
    : `Underlagen innehåller inga dokument från ${named}; det finns dokument från ${shown}${available.length > 12 ? ' med flera' : ''}.`;
}
