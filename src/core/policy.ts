/**
 * Every threshold of the answer pipeline in one place, with where its value comes from. Values were set on the dev
 * and regression sets of version 1 and checked on dev2 (see the README's evaluation table); change one only with
 * the eval run before and after. Stages read them from here (see `src/core/pipeline/`); nothing in a stage is a
 * number of its own.
 */
export interface AnswerPolicy {
  // ── retrieve ──────────────────────────────────────────────────────────────────────────────────────────────────
  /** Fused candidates fetched before re-ranking (v1: 40; recall@10 is 1.00 on dev at 40). */
  candidates: number;
  /** Results of `POST /api/search` when the request gives no `k` (v1: 8, the API's documented default). */
  searchResults: number;
  // ── rerank ────────────────────────────────────────────────────────────────────────────────────────────────────
  /** Re-ranking: weight of question coverage against the fused rank (v1: 0.6 / 0.4). */
  coverageWeight: number;
  /** Passages handed to the answerer (v1: 8). */
  answerPassages: number;
  // ── decide ────────────────────────────────────────────────────────────────────────────────────────────────────
  /**
   * Minimum idf-weighted share of the question the best passage must cover, else abstain (v1: 0.2; 0.1–0.35 gave the
   * same abstention accuracy on dev and regression; higher values abstain on paraphrases).
   */
  abstainThreshold: number;
  /**
   * A passage is offered to the answerer when it covers this share of `abstainThreshold` (v1: 0.6, i.e. coverage
   * ≥ 0.12): weaker neighbours of a good passage still give context; below it they only add noise (dev, v1).
   */
  passageFloorRelative: number;
  /** Above this share of the question's importance carried by words the corpus never uses, abstain (v1: 0.5). */
  maxAbsentShare: number;
  /** An uppdrag belongs in a list answer when it covers this share of the topic (v1: 0.5) … */
  listItemCoverage: number;
  /**
   * … or, when no uppdrag reaches that, at least this share of the best uppdrag's coverage and `listItemFloor`
   * (dev2: an uppdrag list whose question carries a context clause — "när den behandlade redovisningen om …").
   */
  listItemRelative: number;
  listItemFloor: number;
  /** Items of one decision list or section are listed together when this share of them matches (dev2, protocols). */
  listSiblingShare: number;
  /** A list answers the question only when its best item covers this share of the best passage's coverage (v1: 0.8). */
  listVersusPassage: number;
  // ── answer: comparisons and document facts ───────────────────────────────────────────────────────────────────────
  /** At most this many sides of a comparison (committees) are answered (v1: 4; dev2 comparisons name 2–3). */
  maxSides: number;
  /** Passages per side of a comparison (v1: 4; the side-by-side answer quotes at most two per side). */
  sidePassages: number;
  /**
   * Within one side, words of the question part that is that side's own weigh `sideOwnWeight`, words only another
   * side's part uses weigh `sideOtherWeight` (v1: 2 and 0.5; dev2 two-part questions).
   */
  sideOwnWeight: number;
  sideOtherWeight: number;
  /**
   * A document-fact question that names no committee and no document is about one document only when the versions in
   * scope are at most this many (v1: 2, a plan and its yrkande); otherwise it is answered from passages.
   */
  factScopeDocuments: number;
  /** "Vilka dokument finns för …": at most this many documents listed (v1: 50; no committee has more in the corpus). */
  factDocumentList: number;
  // ── answer: version diff ────────────────────────────────────────────────────────────────────────────────────
  /** Similarity (Dice of content stems) at or above which two uppdrag of two versions are the same one kept (v1: 0.75). */
  diffKeptSimilarity: number;
  /** … at or above which they are the same uppdrag changed (v1: 0.35, set on tests/fixtures/versions). */
  diffChangedSimilarity: number;
  /** Share of a removed uppdrag's stems a passage of the newer version must mention to tell its fate (v1: 0.3). */
  diffFateSimilarity: number;
  // ── conversation and LLM ─────────────────────────────────────────────────────────────────────────────────────
  /**
   * A list answer shows at most this many items (the best matching) and says how many there are in all, so an answer
   * stays bounded on a city-wide corpus (the largest gold list, dev2, has 13 items).
   */
  maxListItems: number;
  /**
   * From this many chunks on, the n-gram list of a question's unknown words comes from the vocabulary's trigrams and
   * a full-text query for the corpus words found, not from the n-gram index (≈ 250 ms per word at 118k chunks).
   */
  vocabularyNgramsFrom: number;
  /**
   * Conversation context kept for understanding and the LLM: the last `contextMessages` turns, an assistant turn cut
   * to `contextAssistantChars` (clients send our long answers back; the request limit is not the context limit).
   */
  contextMessages: number;
  contextAssistantChars: number;
  /**
   * Share of the LLM budget (`LLM_TIMEOUT_MS`) the optional query rewrite may use, and its cap in ms (v1: 0.2 and
   * 500 ms), so a dead provider still falls back to the extractive answer within the budget.
   */
  rewriteShare: number;
  rewriteMaxMs: number;
  /**
   * "Vilka nämnder …?": a committee's best passage is named in the answer when it covers this share of the best
   * passage's coverage (set on our fixtures: a passage saying "införa" where the question says "erbjuder" covers 0.52).
   */
  committeeListRelative: number;
}

/** The policy the assistant uses unless one is passed in. */
export const defaultPolicy: AnswerPolicy = {
  candidates: 40,
  searchResults: 8,
  coverageWeight: 0.6,
  answerPassages: 8,
  abstainThreshold: 0.2,
  passageFloorRelative: 0.6,
  maxAbsentShare: 0.5,
  listItemCoverage: 0.5,
  listItemRelative: 0.8,
  listItemFloor: 0.3,
  listSiblingShare: 0.5,
  listVersusPassage: 0.8,
  maxSides: 4,
  sidePassages: 4,
  sideOwnWeight: 2,
  sideOtherWeight: 0.5,
  factScopeDocuments: 2,
  factDocumentList: 50,
  diffKeptSimilarity: 0.75,
  diffChangedSimilarity: 0.35,
  diffFateSimilarity: 0.3,
  maxListItems: 30,
  vocabularyNgramsFrom: 5000,
  contextMessages: 12,
  contextAssistantChars: 4000,
  rewriteShare: 0.2,
  rewriteMaxMs: 500,
  committeeListRelative: 0.5,
};
