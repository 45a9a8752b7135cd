/**
 * Stage 5 — answer: which answer builder a question gets. Document facts from metadata, a version diff, a comparison
 * side by side (`compare.ts`), a list of uppdrag or mål, or the passages (extractive, or the LLM when configured). The
 * builders themselves live in `answer/`; this module chooses one and gives it its input.
 */
import { answerDocumentFacts } from '../answer/document-facts.ts';
import { answerEvents, MarkerBook, type AnswerInput } from '../answer/answerer.ts';
import type { TermGroup } from '../answer/evidence.ts';
import { diffAssignments, renderDiff } from '../answer/version-diff.ts';
import type { QueryPlan } from '../query/index.ts';
import { seriesKeyOf, STATUS_ORDER } from '../retrieval/versions.ts';
import type { AnswerEvent, Chunk, ChatMessage, ScoredChunk, StoredDocument } from '../types.ts';
import type { PipelineContext } from './context.ts';
import { hasAskedOrigin, scopeFor, type Scope } from './retrieve.ts';
import { understood, type Question } from './understand.ts';

/**
 * "Vilka partier står bakom …", "är den beslutad", "diarienummer", "vilka dokument finns för …": answered from
 * metadata, each fact cited to the passage stating it. One committee, or each committee a comparison names.
 * Undefined when the question asks no document fact, or names no committee or document and more versions than
 * `factScopeDocuments` are in scope, or the metadata holds none of the facts.
 */
export async function documentFactsAnswer(
  context: PipelineContext,
  question: Question,
  documents: Map<string, StoredDocument>,
  filterCommittee: boolean,
  topic?: TermGroup[],
): Promise<AnswerEvent[] | undefined> {
  const { plan, storeFilter, dimensions } = question;
  const { facts } = dimensions;
  if (facts.length === 0) return undefined;
  const committeeIds = filterCommittee ? (storeFilter.committeeIds ?? []) : plan.mentionedCommittees.length > 0 ? plan.mentionedCommittees : (storeFilter.committeeIds ?? []);
  const scopes =
    committeeIds.length > 0
      ? committeeIds.map((id) => scopeFor(dimensions, { ...storeFilter, committeeIds: [id] }, documents))
      : [scopeFor(dimensions, storeFilter, documents)];
  const chosen = scopes.flatMap((scope) => scope.documents);
  if (committeeIds.length === 0 && !storeFilter.documentId && !facts.includes('documents') && chosen.length > context.policy.factScopeDocuments) return undefined;
  const committeeDocuments = [...documents.values()].filter((document) => committeeIds.length === 0 || committeeIds.includes(document.committeeId));
  return answerDocumentFacts({
    facts,
    documents: chosen,
    committeeDocuments: committeeDocuments.slice(0, context.policy.factDocumentList),
    chunksOf: (id) => context.store.getChunks(id),
    profile: context.profile,
    understood: understood(plan),
    language: plan.language,
    ...(topic ? { topic } : {}),
  });
}

/**
 * "Vilka nya uppdrag … 2026 jämfört med 2025?", "Vilka av dem fanns redan 2025?", "Vilket uppdrag har avslutats?":
 * the uppdrag of the two newest versions of the one plan series in scope, diffed (kept, changed, new, removed), each
 * cited in the version it comes from. Undefined unless the question asks about change (not "vad hände med", which is
 * answered from the newer version's passages) and exactly one series with two years is in scope.
 */
export async function versionDiffAnswer(context: PipelineContext, plan: QueryPlan, scope: Scope, documents: Map<string, StoredDocument>): Promise<AnswerEvent[] | undefined> {
  if (!scope.change || scope.change === 'fate') return undefined;
  const bySeries = new Map<string, StoredDocument[]>();
  for (const document of scope.documents) {
    const key = seriesKeyOf(document);
    if (!key || document.year === undefined) continue;
    bySeries.set(key, [...(bySeries.get(key) ?? []), document]);
  }
  const series = [...bySeries.values()].filter((versions) => new Set(versions.map((document) => document.year)).size >= 2);
  if (series.length !== 1) return undefined;
  const versions = series[0].sort((a, b) => (b.year ?? 0) - (a.year ?? 0) || STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
  const newer = versions[0];
  const older = versions.find((document) => (document.year ?? 0) < (newer.year ?? 0))!;
  const itemsOf = async (document: StoredDocument) => {
    const chunks = await context.store.getChunks(document.id);
    return { chunks, items: chunks.filter((chunk) => chunk.kind === 'uppdrag' && hasAskedOrigin(chunk, plan.assignmentOrigin, context.profile)) };
  };
  const [olderParts, newerParts] = await Promise.all([itemsOf(older), itemsOf(newer)]);
  if (olderParts.items.length === 0 && newerParts.items.length === 0) return undefined;
  const diff = diffAssignments({ document: older, items: olderParts.items }, { document: newer, items: newerParts.items, passages: newerParts.chunks }, context.policy);
  const book = new MarkerBook();
  const cite = (document: StoredDocument, chunk: Chunk) => ` [${book.marker({ chunk, document: documents.get(document.id) ?? document, score: 1 })}]`;
  const text = renderDiff(diff, scope.change, cite);
  return book.citations.length > 0 ? answerEvents(book, text, understood(plan)) : undefined;
}

/** What a list answer lists: uppdrag, or a committee's mål ("Vilka mål har nämnden …?"). */
export type ListNoun = 'uppdrag' | 'mål';

/** The answerer's input for a list or passage answer. */
export function passageAnswerInput(input: {
  plan: QueryPlan;
  conversation: ChatMessage[];
  passages: ScoredChunk[];
  listItems: ScoredChunk[];
  /** How many list items matched before the policy's cut (`maxListItems`). */
  listTotal?: number;
  listNoun: ListNoun;
  /** The topic list items were matched with, and the topic passages were scored with. */
  listTopic: TermGroup[];
  scoringTopic: TermGroup[];
}): AnswerInput {
  const { plan, listItems } = input;
  return {
    question: plan.text,
    conversation: input.conversation,
    passages: input.passages,
    listItems,
    ...(input.listTotal !== undefined && input.listTotal > listItems.length ? { listTotal: input.listTotal } : {}),
    understood: understood(plan),
    listIntent: listItems.length > 0,
    listNoun: input.listNoun,
    ...(plan.assignmentOrigin ? { listOrigin: plan.assignmentOrigin } : {}),
    language: plan.language,
    termGroups: listItems.length > 0 ? input.listTopic : input.scoringTopic,
    asksFor: plan.asksFor,
    asksForList: plan.listKind === 'other',
  };
}

/** The answerer's input for a comparison answered side by side. */
export function sidesAnswerInput(plan: QueryPlan, conversation: ChatMessage[], sides: NonNullable<AnswerInput['sides']>, scoringTopic: TermGroup[]): AnswerInput {
  return {
    question: plan.text,
    conversation,
    passages: sides.flatMap((side) => side.passages),
    sides,
    understood: understood(plan),
    listIntent: false,
    language: plan.language,
    termGroups: scoringTopic,
    asksFor: plan.asksFor,
  };
}

