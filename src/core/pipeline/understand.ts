/**
 * Stage 1 — understand: one model of what a question is about. The rule-based reading of the conversation
 * (`understandQuery`: standalone text, committee, language, synonyms, intent) plus the question's dimensions
 * (years, status, change between versions, proposals, document type, document facts, answer type) and its topic —
 * the idf-weighted term groups of `evidence.ts`, which are also what `QueryPlan.topicTerms` is derived from. The
 * optional LLM rewriter's query, committee and language are folded in here.
 */
import { termGroupsOf, weighTermGroups, type TermGroup } from '../answer/evidence.ts';
import { budgetBodies } from '../chunking/records.ts';
import { asksAboutPlanContent, asksForProposals, changeAskedOf, documentFactsAskedOf, mentionedDocumentType, yearsIn, type ChangeAsked, type DocumentFact } from '../query/dimensions.ts';
import { detectLanguage, synonymsOf, understandQuery, type QueryPlan, type SynonymTable } from '../query/index.ts';
import { repairQuery } from '../swedish/repair.ts';
import { foldSwedish } from '../swedish/fold.ts';
import { defaultProfile, placeWordsOf, type DomainProfile } from '../profile.ts';
import { AppError, type ChatMessage, type DocumentStatus, type DocumentType, type Lexicon, type SearchFilter, type StoreFilter, type UnderstoodQuery } from '../types.ts';
import { hasDocuments, type Corpus } from './context.ts';

/** What kind of answer the question wants; decides the answer builder and what the evidence must state. */
export type AnswerType =
  /** Metadata of documents: parties, date, decision, status, diarienummer, signatories, the list of documents. */
  | 'document-facts'
  /** What changed between two versions of a plan (kept, changed, new, removed; "vad hände med X"). */
  | 'change'
  /** A list of uppdrag (or of the committees that have them). */
  | 'list'
  /** A number, a person, a date, a place, yes/no, a reason, a way: stated in a passage. */
  | 'number' | 'person' | 'date' | 'place' | 'yes-no' | 'reason' | 'how' | 'what'
  /** Anything else: the passages that cover the question. */
  | 'passages';

/** The dimensions of a question besides its committee and topic. */
export interface QuestionDimensions {
  /** Plan years that pick versions: the filter's year, else the question's (a change follow-up adds the conversation's). */
  years: number[];
  /** The years are a reported figure's ("Hur stor andel … 2025?"), not a plan's: see `retrieve.ts` `scopeFor`. */
  figureYears?: boolean;
  /** The request's filter gave the year (an unknown year then leaves nothing, instead of becoming a topic word). */
  explicitYear: boolean;
  status?: DocumentStatus;
  change?: ChangeAsked;
  /** The question asks for proposals by name ("förslaget", "yrkandet"). */
  proposals: boolean;
  /** The document type the question names ("i genomförandeplanen"), unless the filter gives one. */
  documentType?: DocumentType;
  facts: DocumentFact[];
  answerType: AnswerType;
}

/** A question as understood: the reading, the filter it implies, its dimensions, and the repaired conversation. */
export interface Question {
  plan: QueryPlan;
  /** Committee, document and type from the request filter and the question (versions are narrowed by `retrieve`). */
  storeFilter: StoreFilter;
  dimensions: QuestionDimensions;
  /** The conversation with damaged Swedish in user turns repaired. */
  repaired: ChatMessage[];
  /** The LLM rewriter's Swedish query, when it gave one: joins the retrieval text. */
  rewrittenQuery?: string;
}

export interface UnderstandOptions {
  filter?: SearchFilter;
  /** Swedish dictionary for query repair ("fo rvaltningen"); without it queries are only folded. */
  lexicon?: Lexicon;
  synonyms?: SynonymTable;
}

/** Repairs damaged Swedish in a question ("fo rvaltningen"); English questions are left as typed. */
function repairText(text: string, lexicon: Lexicon | undefined): string {
  return lexicon && detectLanguage(text) === 'sv' ? repairQuery(text, lexicon) : text;
}

/** Store filter from the understood query and the explicit filter (explicit wins; committee names resolved). */
export function storeFilterFor(plan: QueryPlan, filter: SearchFilter | undefined, corpus: Pick<Corpus, 'gazetteer'>): StoreFilter {
  const result: StoreFilter = {};
  if (filter?.committee) {
    const id = corpus.gazetteer.resolve(filter.committee);
    if (!id) throw new AppError('bad_request', `Unknown committee in filter.committee: "${filter.committee}".`);
    result.committeeIds = [id];
  } else if (plan.committee) result.committeeIds = [plan.committee.id];
  if (filter?.documentId) result.documentId = filter.documentId;
  if (filter?.type) result.type = filter.type;
  return result;
}

/** The question's dimensions (see {@link QuestionDimensions}). */
export function dimensionsOf(plan: QueryPlan, filter: SearchFilter | undefined): QuestionDimensions {
  let years = filter?.year !== undefined ? [filter.year] : yearsIn(plan.text);
  const change = changeAskedOf(plan.text, years);
  // A follow-up about change ("Vilka av dem fanns redan 2025?") compares with the year the conversation was about.
  if (change && filter?.year === undefined && plan.previousTurns) years = [...new Set([...years, ...plan.previousTurns.flatMap(yearsIn)])];
  const facts = documentFactsAskedOf(plan.text);
  const documentType = filter?.type ? undefined : mentionedDocumentType(plan.text);
  const answerType: AnswerType =
    facts.length > 0 ? 'document-facts' : change ? 'change' : plan.listIntent ? 'list' : (plan.asksFor ?? 'passages');
  return {
    years,
    explicitYear: filter?.year !== undefined,
    figureYears: answerType === 'number' && !asksAboutPlanContent(plan.text),
    ...(filter?.status ? { status: filter.status } : {}),
    ...(change ? { change } : {}),
    proposals: asksForProposals(plan.text),
    ...(documentType ? { documentType } : {}),
    facts,
    answerType,
  };
}

/**
 * Reads the conversation's last user turn: repairs it, understands it against the corpus's committees, and picks the
 * subject committee when several are named and only one has documents ("Vilka uppdrag delar nämnden X med nämnden
 * Y?": the others stay words of the topic).
 */
export function understand(messages: ChatMessage[], corpus: Corpus, options: UnderstandOptions = {}): Question {
  const { filter } = options;
  const repaired = messages.map((message) => (message.role === 'user' ? { ...message, content: repairText(message.content, options.lexicon) } : message));
  const read = understandQuery(repaired, { gazetteer: corpus.gazetteer, filter, synonyms: options.synonyms });
  const withDocuments = read.mentionedCommittees.filter((id) => hasDocuments(corpus.documents, id));
  const plan: QueryPlan =
    !read.committee && !filter?.committee && read.mentionedCommittees.length >= 2 && withDocuments.length === 1
      ? { ...read, committee: { id: withDocuments[0], name: corpus.gazetteer.nameOf(withDocuments[0]) ?? withDocuments[0], source: 'question' } }
      : read;
  return { plan, storeFilter: storeFilterFor(plan, filter, corpus), dimensions: dimensionsOf(plan, filter), repaired };
}

/**
 * The question scoped to the nämnd the conversation was about, when the last turn names none, no filter does, and the
 * latest earlier user turn that names a nämnd names exactly one that has documents ("Vilka indikatorer följer
 * grundskolenämnden upp …?" → "Vad var utfallet 2025 för tryggheten …?"). The caller decides whether to use it (when
 * that nämnd's documents cover the question); undefined otherwise.
 */
export function withConversationCommittee(question: Question, corpus: Corpus, filter?: SearchFilter): Question | undefined {
  const { plan } = question;
  if (plan.committee || filter?.committee || question.storeFilter.committeeIds || plan.mentionedCommittees.length > 0) return undefined;
  for (const turn of [...(plan.previousTurns ?? [])].reverse()) {
    const ids = [...new Set(corpus.gazetteer.detect(turn).map((mention) => mention.id))];
    if (ids.length === 0) continue;
    if (ids.length > 1 || !hasDocuments(corpus.documents, ids[0])) return undefined;
    const committee = { id: ids[0], name: corpus.gazetteer.nameOf(ids[0]) ?? ids[0], source: 'conversation' as const };
    const scoped: QueryPlan = { ...plan, committee };
    return { ...question, plan: scoped, storeFilter: { ...question.storeFilter, committeeIds: [ids[0]] } };
  }
  return undefined;
}

/** What the optional LLM rewriter returned (see `query/llm-rewrite.ts`). */
export interface Rewrite {
  query: string;
  language: 'sv' | 'en';
  committee?: string;
}

/** When the LLM rewriter is asked: English questions and rewritten follow-ups (the rules may have missed something). */
export function wantsRewrite(question: Question): boolean {
  return question.plan.language === 'en' || question.plan.rewrittenFrom !== undefined;
}

/**
 * Folds the LLM rewriter's output into the question. Its query joins the retrieval text (for an English answer it is
 * also the topic's source: the glossary may not know every word); its language is the answer language (the model
 * reads a short or mixed turn better than the rules); its committee is used when neither the rules nor the filter
 * named one and that committee has documents.
 */
export function withRewrite(question: Question, rewrite: Rewrite | null, corpus: Corpus, filter?: SearchFilter): Question {
  if (!rewrite) return question;
  const rewrittenQuery = rewrite.query || undefined;
  let plan: QueryPlan = { ...question.plan, language: rewrite.language };
  if (rewrittenQuery && plan.language === 'en') plan = { ...plan, swedishText: rewrittenQuery };
  let storeFilter = question.storeFilter;
  const id = rewrite.committee ? corpus.gazetteer.resolve(rewrite.committee) : undefined;
  if (id && !plan.committee && !filter?.committee && hasDocuments(corpus.documents, id)) {
    plan = { ...plan, committee: { id, name: corpus.gazetteer.nameOf(id) ?? id, source: 'question' } };
    storeFilter = { ...storeFilter, committeeIds: [id] };
  }
  return { ...question, plan, storeFilter, ...(rewrittenQuery ? { rewrittenQuery } : {}) };
}

/** The text passages are retrieved with: the rewriter's query (when any) and the rule-based search text. */
export function searchTextOf(question: Question): string {
  return question.rewrittenQuery ? `${question.rewrittenQuery} ${question.plan.searchText}` : question.plan.searchText;
}

/** The query as the answer reports it. */
export function understood(plan: QueryPlan): UnderstoodQuery {
  return {
    text: plan.text,
    ...(plan.committee ? { committee: plan.committee.name } : {}),
    ...(plan.rewrittenFrom ? { rewrittenFrom: plan.rewrittenFrom } : {}),
  };
}

export interface TopicOptions {
  profile: DomainProfile;
  synonyms?: SynonymTable;
  /** Keep words every plan uses ("uppdrag", "socialnämnder"): for a question that has no other topic. */
  keepDomainWords?: boolean;
  /** Years that picked versions: filters, not topic words. */
  yearsUsed?: number[];
}

/**
 * The question's topic: its salient words as idf-weighted term groups with synonyms. Words inside a committee mention
 * are never topic words (other committees a question with a subject committee names are: "… delar X med nämnden Y");
 * the origin of uppdrag ("från budgeten") and years that picked versions are filters, not topics.
 */
export function topicOf(plan: QueryPlan, corpus: Pick<Corpus, 'gazetteer' | 'statistics'>, options: TopicOptions): TermGroup[] {
  let base = plan.language === 'en' ? plan.swedishText : plan.text;
  const mentions = corpus.gazetteer.detect(base).filter((mention) => !plan.committee || mention.id === plan.committee.id);
  for (const mention of [...mentions].sort((a, b) => b.start - a.start)) base = `${base.slice(0, mention.start)} ${base.slice(mention.end)}`;
  const committeeWords = plan.committee ? plan.committee.name.split(/\s+/) : [];
  // "egna uppdrag", "uppdrag nämnden gett sig själv" name where they come from too.
  const originWords =
    plan.assignmentOrigin === 'budget'
      ? ['budget', 'budgeten', 'budgetens', ...budgetBodies(options.profile)]
      : plan.assignmentOrigin === 'nämnden'
        ? ['egen', 'eget', 'egna', 'själv', 'självt', 'själva', 'nämndens', 'styrelsens', 'own']
        : [];
  const yearWords = (options.yearsUsed ?? []).map(String);
  const groups = termGroupsOf(base, wholeSynonymGroups(plan.synonymsUsed, options.synonyms), [...committeeWords, ...originWords, ...yearWords], {
    keepDomainWords: options.keepDomainWords ?? false,
    placeWords: placeWordsOf(options.profile),
  });
  return weighTermGroups(groups, corpus.statistics);
}

/** Terms for scoring passages: the topic, or the domain words when the question has no other topic. */
export function scoringTopicOf(plan: QueryPlan, corpus: Pick<Corpus, 'gazetteer' | 'statistics'>, topic: TermGroup[], options: TopicOptions): TermGroup[] {
  return topic.length > 0 ? topic : topicOf(plan, corpus, { ...options, keepDomainWords: true });
}

/**
 * The synonyms used by the question with their whole groups: a question word matched inside a compound
 * ("kameraövervakning" via "kameror") keeps the group member it matched as an alternative too.
 */
function wholeSynonymGroups(uses: QueryPlan['synonymsUsed'], synonyms: SynonymTable | undefined): QueryPlan['synonymsUsed'] {
  const groups = (synonyms ?? synonymsOf(defaultProfile)).groups;
  return uses.map((use) => {
    const members = new Set([use.term, ...use.expansions].map((term) => foldSwedish(term)));
    const group = groups.find((candidate) => candidate.some((term) => members.has(foldSwedish(term))));
    return group ? { term: use.term, expansions: [...new Set([...use.expansions, ...group])] } : use;
  });
}

/**
 * "Vilka mål har socialnämnden Centrum?": a question for a committee's goals with no other topic. Only with a
 * committee, so "Vilka är Göteborgs Stads sju övergripande mål?" is answered from the passage that lists them.
 */
export function asksForGoals(plan: QueryPlan, storeFilter: StoreFilter, topic: TermGroup[]): boolean {
  const folded = foldSwedish(plan.text);
  if (!storeFilter.committeeIds || !/^\s*(?:vilka|lista|which|what)\b/.test(folded) || !/\b(?:mal|malen|goals)\b/.test(folded)) return false;
  return topic.every((group) => isGoalWord(group.term));
}

/** The words "mål"/"målen"/"goals" as term groups (dropped from the topic of a goals list). */
export function isGoalWord(term: string): boolean {
  return term === 'mal' || term === 'malen' || term === 'goals';
}
