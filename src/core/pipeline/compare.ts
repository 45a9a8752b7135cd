/**
 * Comparisons ("Vad skiljer Centrums och Nordosts planer om X?", "… ville nämnden A …, och hur mycket medgav B?"):
 * each side is retrieved on its own and answered side by side, so one side's passage is never cited for the other.
 * Part of the retrieve and answer stages for questions with sides.
 */
import type { AnswerInput } from '../answer/answerer.ts';
import { questionParts } from '../answer/extractive.ts';
import { tokenize, type TermGroup } from '../answer/evidence.ts';
import type { AnswerPolicy } from '../policy.ts';
import type { QueryPlan } from '../query/index.ts';
import type { StoreFilter } from '../types.ts';
import { hasDocuments, type Corpus, type PipelineContext } from './context.ts';
import { rerankByCoverage, withoutCoverage } from './rerank.ts';
import { retrieveCandidates, scopeFor } from './retrieve.ts';
import type { Question } from './understand.ts';

/** One part of a question ("…, och vad planerar X?"), with the committees it names and its words. */
export interface QuestionPart {
  part: string;
  ids: Set<string>;
  words: Set<string>;
}

/** A side of a comparison: its heading, the committees it is retrieved from (none: unscoped), its own question parts. */
export interface Side {
  heading: string;
  committeeIds?: string[];
  own: QuestionPart[];
}

/**
 * The sides of a question: the committees a comparison names (those with documents, at most `maxSides`), or the parts
 * of a two-part question whose first part names no committee and a later one does ("Vilka socialnämnder ska …, och
 * vad planerar Nordost …?") — a part inherits the committee of the part before it, never of a part after it. Empty
 * when the question is not a comparison (a list of uppdrag or committees, a committee given by the filter).
 */
export function sidesOf(question: Question, corpus: Pick<Corpus, 'documents' | 'gazetteer'>, filterCommittee: boolean, policy: Pick<AnswerPolicy, 'maxSides'>): { sides: Side[]; parts: QuestionPart[] } {
  const { plan, storeFilter } = question;
  const parts = questionParts(plan.text).map((part) => ({ part, ids: new Set(corpus.gazetteer.detect(part).map((mention) => mention.id)), words: new Set(tokenize(part)) }));
  const indexed = (id: string) => hasDocuments(corpus.documents, id);
  const nameOf = (id: string) => corpus.gazetteer.nameOf(id) ?? id;
  const comparable = !filterCommittee && !plan.listIntent && plan.listKind !== 'committees';
  const sideIds = comparable ? plan.mentionedCommittees.filter(indexed) : [];
  if (sideIds.length >= 2) {
    return { parts, sides: sideIds.slice(0, policy.maxSides).map((id) => ({ heading: nameOf(id), committeeIds: [id], own: parts.filter((part) => part.ids.has(id)) })) };
  }
  const [only] = plan.mentionedCommittees;
  if (!filterCommittee && plan.mentionedCommittees.length === 1 && indexed(only) && parts.length >= 2 && parts[0].ids.size === 0 && storeFilter.committeeIds) {
    const named = parts.findIndex((part) => part.ids.size > 0);
    return {
      parts,
      sides: [
        { heading: parts.slice(0, named).map((part) => part.part.replace(/[?.!]+$/, '')).join(', '), own: parts.slice(0, named) },
        { heading: nameOf(only), committeeIds: plan.mentionedCommittees, own: parts.slice(named) },
      ],
    };
  }
  return { parts, sides: [] };
}

/**
 * A side's topic: words of its own part(s) weigh `sideOwnWeight`, words only another side's part uses weigh
 * `sideOtherWeight`. A word the corpus never uses cannot tell passages apart: it is not boosted.
 */
export function sideTopic(side: Side, parts: QuestionPart[], topic: TermGroup[], policy: Pick<AnswerPolicy, 'sideOwnWeight' | 'sideOtherWeight'>): TermGroup[] {
  const others = parts.filter((part) => !side.own.includes(part));
  return topic.map((group) => {
    const inOwn = side.own.some((part) => part.words.has(group.term));
    const onlyOther = !inOwn && others.some((part) => part.words.has(group.term));
    if (inOwn && side.own.length < parts.length && group.frequency > 0) return { ...group, weight: group.weight * policy.sideOwnWeight };
    return onlyOther ? { ...group, weight: group.weight * policy.sideOtherWeight } : group;
  });
}

/**
 * Retrieves and ranks each side on its own scope; a side keeps its passages that cover its topic (`abstainThreshold`),
 * at most `sidePassages`. Sides with no such passage are left out (fewer than two: not a comparison answer).
 */
export async function retrieveSides(
  context: PipelineContext,
  question: Question,
  sides: Side[],
  parts: QuestionPart[],
  scoringTopic: TermGroup[],
  documents: Corpus['documents'],
  options: { searchText: string; signal?: AbortSignal; corpus?: Pick<Corpus, 'documents' | 'statistics'> },
): Promise<NonNullable<AnswerInput['sides']>> {
  const { policy } = context;
  const result: NonNullable<AnswerInput['sides']> = [];
  for (const side of sides) {
    const topic = sideTopic(side, parts, scoringTopic, policy);
    const { committeeIds: _committees, ...unscoped } = question.storeFilter;
    const filter: StoreFilter = side.committeeIds ? { ...question.storeFilter, committeeIds: side.committeeIds } : unscoped;
    const scope = scopeFor(question.dimensions, filter, documents);
    const fused = await retrieveCandidates(context, options.searchText, scope.storeFilter, { signal: options.signal, ...(options.corpus ? { corpus: options.corpus } : {}) });
    const ranked = rerankByCoverage(fused, topic, policy).filter((passage) => passage.coverage >= policy.abstainThreshold);
    if (ranked.length === 0) continue;
    result.push({
      heading: side.heading,
      passages: ranked.slice(0, policy.sidePassages).map(withoutCoverage),
      termGroups: topic,
      ...(side.own.length > 0 && side.own.length < parts.length ? { question: side.own.map((part) => part.part).join(' ') } : {}),
    });
  }
  return result;
}
