/**
 * The application service, a composition of the answer pipeline's stages (`src/core/pipeline/`):
 * understand → retrieve → rerank → decide → answer (LLM when configured, extractive otherwise). Runtime-neutral;
 * Node and the Worker wire the ports.
 */
import { abstain, createExtractiveAnswerer } from './answer/extractive.ts';
import { searchResultDocument, type Answerer } from './answer/answerer.ts';
import { createLlmAnswerer } from './answer/llm-answerer.ts';
import { createLlmQueryRewriter } from './query/llm-rewrite.ts';
import { synonymsOf, type SynonymTable } from './query/index.ts';
import { createRetriever, type FusionMethod } from './retrieval/retriever.ts';
import { defaultPolicy, type AnswerPolicy } from './policy.ts';
import { defaultProfile, type DomainProfile } from './profile.ts';
import type { Reranker } from './retrieval/rerank.ts';
import { createCorpusCache, type PipelineContext } from './pipeline/context.ts';
import { asksForGoals, isGoalWord, scoringTopicOf, searchTextOf, topicOf, understand, understood, wantsRewrite, withConversationCommittee, withRewrite, type Question } from './pipeline/understand.ts';
import { listItemsFor, retrieveCandidates, scopeFor } from './pipeline/retrieve.ts';
import { crossEncode, rerankByCoverage } from './pipeline/rerank.ts';
import { decide, listAnswers, missingCommitteeReason } from './pipeline/decide.ts';
import { documentFactsAnswer, passageAnswerInput, sidesAnswerInput, versionDiffAnswer, type ListNoun } from './pipeline/answer.ts';
import { retrieveSides, sidesOf } from './pipeline/compare.ts';
import {
  AppError,
  type AnswerEvent,
  type Assistant,
  type ChatMessage,
  type ChatModel,
  type ChatRequest,
  type ChunkStore,
  type Embedder,
  type Lexicon,
  type SearchRequest,
} from './types.ts';

/** Minimal logger port. */
export interface Logger {
  debug?(message: string, data?: Record<string, unknown>): void;
  info?(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
}

/** Optional LLM query rewriting (see query/llm-rewrite.ts). */
export interface QueryRewriter {
  rewrite(
    conversation: ChatMessage[],
    signal?: AbortSignal,
  ): Promise<{ query: string; language: 'sv' | 'en'; committee?: string } | null>;
}

export interface AssistantDependencies {
  store: ChunkStore;
  embedder: Embedder;
  /** Swedish dictionary for query repair ("fo rvaltningen"); without it queries are only folded. */
  lexicon?: Lexicon;
  /** An OpenAI-compatible chat model: when given, answers come from the LLM with the extractive answer as fallback. */
  chatModel?: ChatModel;
  /** Total time budget of an LLM attempt before falling back (ms, default 2500). */
  llmTimeoutMs?: number;
  /** Overrides the answerer built from `chatModel` (tests). */
  llmAnswerer?: Answerer;
  /** Overrides the query rewriter built from `chatModel` (tests). */
  queryRewriter?: QueryRewriter;
  synonyms?: SynonymTable;
  /** The domain profile (committees, template labels, parties); default Göteborgs Stad's `data/profile.sv.json`. */
  profile?: DomainProfile;
  fusion?: FusionMethod;
  /**
   * Minimum idf-weighted share of the question's terms that the best passage must cover; below it the
   * assistant abstains. Default 0.2, calibrated on the dev and regression sets (0.1–0.35 gave the same
   * abstention accuracy there; higher values abstain on answerable paraphrases).
   */
  abstainThreshold?: number;
  /** Passages retrieved for an answer. */
  answerPassages?: number;
  /** Overrides of the answer policy's thresholds (see `policy.ts`). */
  policy?: Partial<AnswerPolicy>;
  logger?: Logger;
  /** Optional cross-encoder stage: reorders the (already filtered) fused candidates before the coverage rerank. */
  reranker?: Reranker;
}

/** Creates the assistant service. */
export function createAssistant(dependencies: AssistantDependencies): Assistant {
  const { store, embedder, lexicon, logger } = dependencies;
  const base: AnswerPolicy = { ...defaultPolicy, ...dependencies.policy };
  const policy: AnswerPolicy = {
    ...base,
    abstainThreshold: dependencies.abstainThreshold ?? base.abstainThreshold,
    answerPassages: dependencies.answerPassages ?? base.answerPassages,
  };
  const retriever = createRetriever({ store, embedder });
  const profile = dependencies.profile ?? defaultProfile;
  // The profile's synonym groups unless the caller passes a table (SYNONYMS_FILE merged into the default one).
  const synonyms = dependencies.synonyms ?? synonymsOf(profile);
  const context: PipelineContext = {
    store,
    retriever,
    policy,
    profile,
    synonyms,
    fusion: dependencies.fusion,
    reranker: dependencies.reranker,
  };
  const corpus = createCorpusCache(store, retriever);
  const extractive = createExtractiveAnswerer();
  // One LLM budget for the whole attempt: the optional query rewrite gets its share of it (see the policy), the
  // answer the rest, so a dead provider falls back to the extractive answer within LLM_TIMEOUT_MS (+ retrieval).
  const llmTimeoutMs = dependencies.llmTimeoutMs ?? 2500;
  const rewriteTimeoutMs = Math.min(policy.rewriteMaxMs, Math.round(llmTimeoutMs * policy.rewriteShare));
  const llmAnswerer =
    dependencies.llmAnswerer ??
    (dependencies.chatModel
      ? createLlmAnswerer({ chatModel: dependencies.chatModel, fallback: extractive, timeoutMs: llmTimeoutMs - rewriteTimeoutMs, logger })
      : undefined);
  const queryRewriter =
    dependencies.queryRewriter ??
    (dependencies.chatModel ? createLlmQueryRewriter({ chatModel: dependencies.chatModel, timeoutMs: rewriteTimeoutMs }) : undefined);
  const answerer: Answerer = llmAnswerer ?? extractive;
  const topicOptions = { profile: context.profile, synonyms };

  async function* chat(request: ChatRequest, options: { signal?: AbortSignal } = {}): AsyncIterable<AnswerEvent> {
    const last = request.messages[request.messages.length - 1];
    if (!last || last.role !== 'user') throw new AppError('bad_request', 'The last message must come from the user.');
    // The context kept of a long conversation: its last turns, assistant answers cut (see the policy).
    const conversation = request.messages.slice(-policy.contextMessages).map((message) =>
      message.role === 'assistant' && message.content.length > policy.contextAssistantChars ? { ...message, content: `${message.content.slice(0, policy.contextAssistantChars)} …` } : message,
    );
    const filter = request.filter;
    const filterCommittee = Boolean(filter?.committee);
    const corpusNow = await corpus();

    // 1. Understand (the LLM rewriter, when configured, for English questions and follow-ups).
    let question: Question = understand(conversation, corpusNow, { filter, lexicon, synonyms });
    if (queryRewriter && wantsRewrite(question)) {
      const rewrite = await queryRewriter.rewrite(question.repaired, options.signal).catch(() => null);
      question = withRewrite(question, rewrite, corpusNow, filter);
    }
    // 1b. A turn that names no nämnd in a conversation about one is answered from that nämnd's documents when they
    // cover it (the same retrieval and ranking, probed within the nämnd), else from every document.
    const conversational = withConversationCommittee(question, corpusNow, filter);
    if (conversational) {
      const probeScope = scopeFor(conversational.dimensions, conversational.storeFilter, corpusNow.documents);
      const probeTopic = topicOf(conversational.plan, corpusNow, { ...topicOptions, yearsUsed: probeScope.yearsUsed });
      if (probeTopic.length > 0) {
        const probe = await retrieveCandidates(context, searchTextOf(conversational), probeScope.storeFilter, { signal: options.signal, corpus: corpusNow });
        const covered = rerankByCoverage(probe, probeTopic, policy).some((passage) => passage.coverage >= policy.abstainThreshold);
        if (covered) question = conversational;
      }
    }
    const { plan } = question;
    const reason = missingCommitteeReason(plan, question.storeFilter, corpusNow);
    if (reason) {
      yield* abstain({ language: plan.language, understood: understood(plan) }, 'extractive', reason);
      return;
    }
    // 2. Retrieve: the documents in scope (committee, type, versions).
    const scope = scopeFor(question.dimensions, question.storeFilter, corpusNow.documents);
    // 5a. Answers that need no passage search: document facts from metadata, a diff of two versions.
    const facts = await documentFactsAnswer(context, question, corpusNow.documents, filterCommittee, topicOf(plan, corpusNow, topicOptions));
    if (facts) {
      yield* facts;
      return;
    }
    const diff = await versionDiffAnswer(context, plan, scope, corpusNow.documents);
    if (diff) {
      yield* diff;
      return;
    }
    const searchText = searchTextOf(question);
    const topic = topicOf(plan, corpusNow, { ...topicOptions, yearsUsed: scope.yearsUsed });
    const scoringTopic = scoringTopicOf(plan, corpusNow, topic, { ...topicOptions, yearsUsed: scope.yearsUsed });
    // 5b. A comparison: each side retrieved, ranked and answered on its own.
    const { sides, parts } = sidesOf(question, corpusNow, filterCommittee, policy);
    if (sides.length >= 2 && scoringTopic.length > 0) {
      const answered = await retrieveSides(context, question, sides, parts, scoringTopic, corpusNow.documents, { searchText, signal: options.signal, corpus: corpusNow });
      if (answered.length >= 2) {
        yield* answerer.answer(sidesAnswerInput(plan, conversation, answered, scoringTopic), options);
        return;
      }
    }
    const storeFilter = scope.storeFilter;
    const fused = await retrieveCandidates(context, searchText, storeFilter, { signal: options.signal, corpus: corpusNow });
    // 3. Rerank. Ranking still prefers passages that name the year ("under 2024"); lists and abstention do not require it.
    const candidates = await crossEncode(context.reranker, plan.text, fused, options.signal);
    const rankingTopic = scope.yearsUsed.length > 0 && topic.length > 0 ? topicOf(plan, corpusNow, topicOptions) : scoringTopic;
    const ranked = rerankByCoverage(candidates, rankingTopic, policy).slice(0, policy.answerPassages);
    // Lists: "Vilka mål har nämnden …?" lists the committee's goals, a list question its uppdrag.
    const listNoun: ListNoun = !plan.listIntent && asksForGoals(plan, storeFilter, topic) ? 'mål' : 'uppdrag';
    const goalTopic = topic.filter((group) => !isGoalWord(group.term));
    let listItems =
      listNoun === 'mål'
        ? await listItemsFor(context, plan, storeFilter, corpusNow.documents, goalTopic, 'mål', corpusNow.statistics)
        : plan.listIntent
          ? await listItemsFor(context, plan, storeFilter, corpusNow.documents, topic, 'uppdrag', corpusNow.statistics)
          : [];
    // 4. Decide.
    const best = Math.max(0, ...ranked.map((passage) => passage.coverage));
    if (listNoun === 'uppdrag' && !listAnswers(listItems, best, topic, policy)) listItems = [];
    // Bounded: the best `maxListItems` items are shown, with the total (listItemsFor returns them best first).
    const listTotal = listItems.length;
    listItems = listItems.slice(0, policy.maxListItems);
    const decision = decide({ plan, ranked, scoringTopic, listItems, policy });
    // The question and how it was scored, at debug level (questions may contain what users should not have typed).
    logger?.debug?.('chat', {
      query: plan.text,
      searchText,
      committee: plan.committee?.id,
      answerType: question.dimensions.answerType,
      terms: scoringTopic.map((group) => `${group.term}:${group.idf.toFixed(2)}[${group.alternatives.join('|')}]`).join(' '),
      best: Number(decision.best.toFixed(3)),
      top: ranked.slice(0, 5).map((passage) => `${passage.document.id.slice(0, 3)}:${passage.chunk.kind}:${passage.coverage.toFixed(2)}:${passage.chunk.text.slice(0, 50)}`),
      listItems: listItems.length,
      asksFor: plan.asksFor,
      typeStated: decision.typeStated,
      absent: Number(decision.absent.toFixed(2)),
      answerable: decision.answerable,
    });
    // 5c. Answer: a list or the passages.
    const input = passageAnswerInput({
      plan,
      conversation,
      passages: decision.passages,
      listItems,
      listTotal,
      listNoun,
      listTopic: listNoun === 'mål' ? goalTopic : topic,
      scoringTopic,
    });
    if (!decision.answerable) {
      yield* abstain(input);
      return;
    }
    yield* answerer.answer(input, options);
  }

  return {
    async warm() {
      await Promise.all([corpus(), store.warm?.()]);
    },
    async health() {
      const documents = await store.listDocuments();
      return {
        documents: documents.length,
        chunks: documents.reduce((sum, document) => sum + document.chunks, 0),
        embedder: embedder.modelId,
      };
    },
    listDocuments: () => store.listDocuments(),
    async getDocument(id) {
      const document = await store.getDocument(id);
      if (!document) return null;
      return { document, chunks: await store.getChunks(id) };
    },
    async getChunkInContext(id, neighbours = 2) {
      const chunk = await store.getChunk(id);
      if (!chunk) return null;
      const document = await store.getDocument(chunk.documentId);
      if (!document) return null;
      const chunks = await store.getChunks(chunk.documentId);
      const index = chunks.findIndex((candidate) => candidate.id === chunk.id);
      return {
        chunk,
        document,
        previous: chunks.slice(Math.max(0, index - neighbours), index),
        next: chunks.slice(index + 1, index + 1 + neighbours),
      };
    },
    async search(request: SearchRequest) {
      const corpusNow = await corpus();
      const question = understand([{ role: 'user', content: request.query }], corpusNow, { filter: request.filter, lexicon, synonyms });
      const { plan } = question;
      const scope = scopeFor(question.dimensions, question.storeFilter, corpusNow.documents);
      const k = request.k ?? policy.searchResults;
      const fused = await retrieveCandidates(context, plan.searchText, scope.storeFilter, { k, corpus: corpusNow });
      const candidates = await crossEncode(context.reranker, plan.text, fused);
      const results = rerankByCoverage(candidates, topicOf(plan, corpusNow, { ...topicOptions, yearsUsed: scope.yearsUsed }), policy).slice(0, k);
      return {
        query: request.query,
        understood: understood(plan),
        results: results.map(({ chunk, document, score }) => ({
          id: chunk.id,
          score,
          text: chunk.text,
          section: chunk.section.join(' › '),
          kind: chunk.kind,
          document: searchResultDocument(document),
        })),
      };
    },
    chat,
  };
}
