/**
 * Evidence scoring shared by the assistant (abstention, list membership) and the extractive answerer
 * (sentence selection). Everything works on folded tokens, so questions typed without å/ä/ö match.
 *
 * A query is reduced to term groups: each salient word of the question with its synonyms. A group matches
 * a text when any alternative matches a token of it — by prefix (stem), or inside a compound for
 * alternatives of 5+ letters ("familjehem" in "jourfamiljehem", "familjehemmen").
 */
import { foldedWords, sentences as analyzedSentences, SWEDISH_STOP_WORDS, snowballStem as stemSwedish, stem as stemWord, words as analyzedWords } from '../swedish/analyzer.ts';
import { foldSwedish } from '../swedish/fold.ts';

/** One salient concept of the question: the word as asked and the alternatives that count as a match. */
export interface TermGroup {
  /** The word folded (matching key). */
  term: string;
  /** The word as the question wrote it, for display ("fältarbetare", "HVB"). */
  surface?: string;
  alternatives: string[];
  /** Inverse document frequency over the corpus chunks (higher = rarer = more telling). */
  idf: number;
  /**
   * Syntactic weight: 0.5 for a verb recognised by its position (right after the infinitive marker "att" or a
   * modal: "för att minska sjukfrånvaron" → "minska" is the action, "sjukfrånvaron" the topic), else 1.
   */
  weight: number;
  /** Number of corpus chunks the group matches (0 = the corpus never mentions it). */
  frequency: number;
}

/**
 * Endings of Swedish finite and passive verb forms (past -ade/-de/-te, present -ar/-er, passive -as/-es/-s after a
 * consonant). Degree words after "hur" (stor, stort, länge, många, mycket, ofta, högt) never end so.
 */
const FINITE_VERB_ENDING = /(?:ade|de|te|ar|er|as|es|ts|ds)$/;

/** Words after which the next word is an infinitive verb. */
const VERB_MARKERS = new Set(['att', 'ska', 'skall', 'kan', 'bor', 'maste', 'vill', 'brukar', 'borde', 'kunna', 'skulle']);

/** Words that carry no topic: question words, fillers and the vocabulary of every plan document. */
const NON_TOPIC_WORDS = new Set(
  [
    // question words and fillers
    'vad', 'vilka', 'vilken', 'vilket', 'vem', 'vems', 'hur', 'nar', 'var', 'varfor', 'vart', 'manga', 'mycket', 'finns', 'gor', 'gora',
    'gors', 'ska', 'skall', 'kan', 'har', 'hade', 'fatt', 'fick', 'ge', 'ger', 'gav', 'gett', 'givit', 'getts', 'givits', 'sig', 'sjalv', 'sjalva', 'alltsa', 'enligt', 'kring', 'om',
    'och', 'eller', 'att', 'det', 'den', 'de', 'dem', 'detta', 'dessa', 'som', 'for', 'fran', 'till', 'med', 'pa', 'av', 'i', 'ar', 'en',
    'ett', 'vid', 'under', 'efter', 'innan', 'sedan', 'nagon', 'nagot', 'nagra', 'alla', 'star', 'galler', 'sager', 'tanker', 'tycker',
    'bakom', 'mellan', 'inom', 'utan', 'over', 'mot', 'men', 'ocksa', 'aven', 'bara', 'nu', 'da', 'sa', 'min', 'mitt', 'mina', 'vi', 'ni',
    'bland', 'hos', 'samt', 'at', 'sin', 'sitt', 'sina', 'vilket', 'ifall', 'nar', 'just', 'forst', 'olika', 'sig',
    'jag', 'du', 'man', 'ha', 'blir', 'bli', 'vara', 'varit', 'fa', 'far', 'ta', 'tar', 'typ', 'exempel', 'egentligen', 'lista', 'beratta',
    'gjort', 'rakna', 'ange', 'samtliga', 'angaende', 'gallande',
    // words naming the kind of answer, not its topic ("Vilket datum…", "Vilket antal…")
    'datum', 'antal', 'namn', 'artal', 'tidpunkt',
    // months date a question ("i mars 2025") like years do: they refine, they are not the topic
    'januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december',
    // comparison cues ("jämfört med 2024", "respektive"): they say how to answer, not what about
    'jamfort', 'jamfor', 'jamforelse', 'respektive', 'skillnad', 'skillnaden', 'skiljer',
  ].map((word) => word),
);

/**
 * The vocabulary of every plan document: not a topic when the question has one ("uppdrag om familjehem"), but the
 * topic itself when nothing else is asked ("Hur många socialnämnder finns det?").
 */
const DOMAIN_WORDS = new Set(
  [
    'uppdrag', 'uppdragen', 'uppdraget', 'namnd', 'namnden', 'namnder', 'namnderna', 'namndens', 'socialnamnd', 'socialnamnden',
    'socialnamnder', 'socialnamnderna', 'forvaltning', 'forvaltningen', 'forvaltningar', 'forvaltningarna', 'socialforvaltningen', 'socialforvaltning',
    'styrelse', 'styrelsen',
    // (document nouns — genomförandeplan, yrkande, dokument, underlag … — are DOCUMENT_WORDS, matched by stem)
    'plan', 'planen',
  ].map((word) => word),
);

/**
 * Words naming a kind of document or meeting ("i presentationen", "förslaget till budget", "på sammanträdet"): like
 * the domain words, they say where to look, not what about. Matched by stem, so every inflection counts.
 */
const DOCUMENT_WORDS = [
  'genomförandeplan', 'verksamhetsplan', 'yrkande', 'presentation', 'protokoll', 'protokollsutdrag', 'tjänsteutlåtande',
  'budget', 'förslaget', 'förslagen', 'sammanträde', 'dokument', 'underlag', 'handling', 'bilaga',
];

/** Folded word tokens of a text: the Swedish analyzer's words (hyphenated compounds split). */
export function tokenize(text: string): string[] {
  return foldedWords(text);
}

/**
 * True when a query alternative matches a folded text token: the token starts with it, contains it inside a
 * compound (5+ letters), or is the same word with a shorter inflection ("sjukfranvaron" ~ "sjukfranvaro").
 */
export function alternativeMatchesToken(alternative: string, token: string): boolean {
  if (token.startsWith(alternative)) return true;
  if (alternative.length >= 5 && token.includes(alternative)) return true;
  return token.length >= 5 && alternative.startsWith(token) && alternative.length - token.length <= 2;
}

/**
 * Reduces a word to a matchable form: its Snowball stem, without the definite endings Snowball leaves
 * ("klimatet" → "klimat", "sjukfrånvaron" → "sjukfrånvaro"), with a final double consonant undoubled ("familjehemm").
 */
function stemmed(word: string): string {
  let stem = stemWord(word);
  if (stemSwedish(word) === word) {
    const definite = /^(.{4,}?)(?:et|n)$/.exec(word);
    if (definite && (word.endsWith('et') || /[aeiouyåäö]n$/.test(word))) stem = stemWord(definite[1]);
  }
  return stem.length >= 3 ? stem : word;
}

/**
 * True when the alternative matches the token list. An alternative is a word, a phrase ("ekonomisk bistand": consecutive
 * words) or the parts of a compound joined by "+" ("budget+uppdrag": every part somewhere in the text).
 */
export function alternativeMatches(alternative: string, tokens: string[]): boolean {
  if (alternative.includes('+')) return alternative.split('+').every((part) => tokens.some((token) => alternativeMatchesToken(part, token)));
  const words = alternative.split(' ');
  if (words.length === 1) return tokens.some((token) => alternativeMatchesToken(words[0], token));
  for (let index = 0; index + words.length <= tokens.length; index++) {
    if (words.every((word, offset) => alternativeMatchesToken(word, tokens[index + offset]))) return true;
  }
  return false;
}

/** Salient words of a question, with synonyms folded in as alternatives. idf is filled by `weighTermGroups`. */
export function termGroupsOf(
  question: string,
  synonyms: Array<{ term: string; expansions: string[] }> = [],
  extraStopWords: Iterable<string> = [],
  options: { keepDomainWords?: boolean; placeWords?: Iterable<string> } = {},
): TermGroup[] {
  const stop = new Set([
    ...NON_TOPIC_WORDS,
    ...(options.keepDomainWords ? [] : [...DOMAIN_WORDS, ...[...(options.placeWords ?? [])].flatMap((word) => tokenize(word))]),
    ...[...SWEDISH_STOP_WORDS].map((word) => foldSwedish(word)),
    ...[...extraStopWords].flatMap((word) => tokenize(word)),
  ]);
  const seen = new Set<string>();
  const groups: TermGroup[] = [];
  let previous = '';
  // Each word as typed (for display) and folded (for matching): "fältarbetare" / "faltarbetare", "HVB" / "hvb".
  const words = analyzedWords(question).map((word) => ({ surface: word.surface, token: word.folded }));
  for (const { surface, token } of words) {
    const afterVerbMarker = VERB_MARKERS.has(previous);
    // "hur stor/stort/hög/länge …", "how large": the word after the question word names the kind of answer.
    // A finite or passive verb after "hur" is what is asked about, not the kind of answer ("hur röstade", "hur fördelas").
    const afterHow = (previous === 'hur' && !(token.length >= 5 && FINITE_VERB_ENDING.test(token))) || previous === 'how';
    previous = token;
    if (afterHow || stop.has(token) || token.length < 2 || seen.has(token)) continue;
    if (!options.keepDomainWords && (documentStems().has(stemmed(token)) || documentStems().has(stemWord(token)))) continue;
    if (/^\d+$/.test(token) && token.length < 4) continue;
    seen.add(token);
    const alternatives = new Set<string>([stemmed(token)]);
    for (const entry of synonyms) {
      const entryTerms = [entry.term, ...entry.expansions].map((term) => foldSwedish(term));
      if (entryTerms.some((term) => term === token || stemmed(term.split(' ')[0]) === stemmed(token))) {
        for (const term of entryTerms) alternatives.add(term.split(' ').map(stemmed).join(' '));
      }
    }
    // Years and other numbers match much of a period's documents: they refine, they are not the topic.
    // Short lower-case words ("fick", "emot", "nya") are mostly verbs and particles; acronyms (HVB, LOU) keep full weight.
    const acronym = new RegExp(`\\b${token.toUpperCase()}\\b`).test(question);
    const weight = /^\d+$/.test(token) ? 0.3 : afterVerbMarker ? 0.5 : token.length <= 4 && !acronym ? 0.5 : 1;
    groups.push({ term: token, surface, alternatives: [...alternatives], idf: 1, weight, frequency: 0 });
  }
  return groups;
}

let documentStemSet: Set<string> | undefined;
function documentStems(): Set<string> {
  documentStemSet ??= new Set(DOCUMENT_WORDS.flatMap((word) => [stemmed(foldSwedish(word)), stemWord(foldSwedish(word))]));
  return documentStemSet;
}

/**
 * Corpus statistics for idf, built once per index version: every distinct folded token with the chunks it occurs in.
 * A term's document frequency is computed over the vocabulary (its matching tokens' postings), not by scanning every
 * chunk, and cached per alternative.
 */
export interface CorpusStatistics {
  documentCount: number;
  /** Folded token → indices of the chunks containing it (ascending). */
  postings: Map<string, number[]>;
  /** Chunks (ascending statistics indices) already computed per word and alternative. */
  cache: Map<string, Int32Array>;
}

/** Builds statistics from chunk texts (context lines excluded, so document titles don't inflate frequencies). */
export function createCorpusStatistics(texts: Iterable<string> = []): CorpusStatistics {
  const statistics: CorpusStatistics = { documentCount: 0, postings: new Map(), cache: new Map() };
  addCorpusTexts(statistics, texts);
  return statistics;
}

/** Adds chunk texts to statistics being built (texts streamed in batches; indices continue from the last one). */
export function addCorpusTexts(statistics: CorpusStatistics, texts: Iterable<string>): void {
  const { postings } = statistics;
  for (const text of texts) {
    const index = statistics.documentCount++;
    for (const token of new Set(tokenize(text))) {
      const list = postings.get(token);
      if (list) list.push(index);
      else postings.set(token, [index]);
    }
  }
  statistics.cache.clear();
  cachedSizes.delete(statistics);
  tokenIndexes.delete(statistics);
}

/** The statistics' tokens sorted (for prefix ranges) and by trigram (for words inside compounds); built once. */
interface TokenIndex {
  sorted: string[];
  grams: Map<string, string[]>;
}
const tokenIndexes = new WeakMap<CorpusStatistics, TokenIndex>();

function tokenIndexOf(statistics: CorpusStatistics): TokenIndex {
  let index = tokenIndexes.get(statistics);
  if (!index) {
    const sorted = [...statistics.postings.keys()].sort();
    const grams = new Map<string, string[]>();
    for (const token of sorted) {
      const seen = new Set<string>();
      for (let start = 0; start + 3 <= token.length; start++) {
        const gram = token.slice(start, start + 3);
        if (seen.has(gram)) continue;
        seen.add(gram);
        const list = grams.get(gram);
        if (list) list.push(token);
        else grams.set(gram, [token]);
      }
    }
    tokenIndexes.set(statistics, (index = { sorted, grams }));
  }
  return index;
}

/**
 * The tokens `alternativeMatchesToken(word, token)` accepts, found without testing every token of the vocabulary:
 * the sorted range starting with the word, the tokens holding the word's rarest trigram that contain it (5+ letters),
 * and the word's own prefixes of 5+ letters at most two letters shorter.
 */
function tokensMatching(word: string, statistics: CorpusStatistics): Set<string> {
  const { sorted, grams } = tokenIndexOf(statistics);
  const found = new Set<string>();
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] < word) low = middle + 1;
    else high = middle;
  }
  for (let index = low; index < sorted.length && sorted[index].startsWith(word); index++) found.add(sorted[index]);
  if (word.length >= 5) {
    let rarest: string[] | undefined;
    for (let start = 0; start + 3 <= word.length; start++) {
      const list = grams.get(word.slice(start, start + 3)) ?? [];
      if (!rarest || list.length < rarest.length) rarest = list;
    }
    for (const token of rarest ?? []) if (token.includes(word)) found.add(token);
  }
  for (let length = Math.max(5, word.length - 2); length <= word.length; length++) {
    const prefix = word.slice(0, length);
    if (statistics.postings.has(prefix)) found.add(prefix);
  }
  return found;
}

/** Chunks containing a token that matches one word of an alternative: statistics indices, ascending, each once. */
function chunksMatchingWord(word: string, statistics: CorpusStatistics): Int32Array {
  const key = `w:${word}`;
  const cached = statistics.cache.get(key);
  if (cached) return cached;
  // The matching tokens' postings marked on a byte per chunk, then read in order (a common word's tokens hold most
  // of a city's chunks: a set of them cost milliseconds per new word).
  const seen = new Uint8Array(statistics.documentCount);
  let count = 0;
  for (const token of tokensMatching(word, statistics)) {
    const list = statistics.postings.get(token)!;
    for (const index of list) {
      if (seen[index] === 0) {
        seen[index] = 1;
        count++;
      }
    }
  }
  const result = new Int32Array(count);
  for (let index = 0, next = 0; next < count; index++) if (seen[index] === 1) result[next++] = index;
  remember(statistics, key, result);
  return result;
}

/**
 * At most this many chunk indices are kept in a statistics' cache (4 bytes each): a server answering questions for
 * weeks meets ever new words, and a common word's list holds most of the corpus. Past it the cache starts again.
 */
const CACHE_LIMIT = 8_000_000;
const cachedSizes = new WeakMap<CorpusStatistics, number>();

function remember(statistics: CorpusStatistics, key: string, result: Int32Array): void {
  let size = (cachedSizes.get(statistics) ?? 0) + result.length + 1;
  if (size > CACHE_LIMIT) {
    statistics.cache.clear();
    size = result.length + 1;
  }
  cachedSizes.set(statistics, size);
  statistics.cache.set(key, result);
}

/** Whether a sorted index list holds `index` (binary search). */
function holds(list: Int32Array, index: number): boolean {
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const value = list[middle];
    if (value === index) return true;
    if (value < index) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/** Chunks matching an alternative: a word, a phrase or a compound split ("+") — every word in the chunk. */
function chunksMatching(alternative: string, statistics: CorpusStatistics): Int32Array {
  const words = alternative.split(/[+ ]/).filter(Boolean);
  if (words.length === 0) return new Int32Array(0);
  if (words.length === 1) return chunksMatchingWord(words[0], statistics);
  const key = `a:${alternative}`;
  const cached = statistics.cache.get(key);
  if (cached) return cached;
  // The intersection, walking the shortest list (a phrase's common word can match most of the corpus).
  const [shortest, ...others] = words.map((word) => chunksMatchingWord(word, statistics)).sort((a, b) => a.length - b.length);
  const kept: number[] = [];
  for (const index of shortest) if (others.every((list) => holds(list, index))) kept.push(index);
  const result = Int32Array.from(kept);
  remember(statistics, key, result);
  return result;
}

/**
 * The chunks (statistics indices) any alternative of any group matches: every chunk `coverage` can score above 0
 * for these groups is among them (the token index answers it; no chunk is read).
 */
export function chunksMatchingGroups(groups: TermGroup[], statistics: CorpusStatistics): number[] {
  // The union, marked on a byte per chunk (sets of common words hold most of a city's chunks), in index order.
  const seen = new Uint8Array(statistics.documentCount);
  for (const group of groups) for (const alternative of group.alternatives) for (const index of chunksMatching(alternative, statistics)) seen[index] = 1;
  const union: number[] = [];
  for (let index = 0; index < seen.length; index++) if (seen[index] === 1) union.push(index);
  return union;
}

function documentFrequency(alternatives: string[], statistics: CorpusStatistics): number {
  if (alternatives.length === 1) return chunksMatching(alternatives[0], statistics).length;
  // The size of the union, counted on a bit per chunk (a common word matches most of a city's chunks).
  const seen = new Uint8Array(statistics.documentCount);
  let count = 0;
  for (const alternative of alternatives) {
    for (const index of chunksMatching(alternative, statistics)) {
      if (seen[index] === 0) {
        seen[index] = 1;
        count++;
      }
    }
  }
  return count;
}

/** Edit distance with adjacent transpositions (optimal string alignment), stopping early above `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2] + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length];
}

/**
 * The corpus word a word the corpus does not know was probably meant as ("uppdarg" → "uppdrag", "familjhem" →
 * "familjehem"): the most frequent vocabulary token within one edit (two for words of 8+ letters), same first letter.
 */
export function correctAgainstCorpus(word: string, statistics: CorpusStatistics): string | undefined {
  if (word.length < 5 || /\d/.test(word)) return undefined;
  const limit = word.length >= 8 ? 2 : 1;
  let best: { token: string; frequency: number; distance: number } | undefined;
  for (const [token, list] of statistics.postings) {
    if (token[0] !== word[0] || Math.abs(token.length - word.length) > limit) continue;
    const distance = editDistance(word, token, limit);
    if (distance > limit) continue;
    if (!best || distance < best.distance || (distance === best.distance && list.length > best.frequency)) best = { token, frequency: list.length, distance };
  }
  return best?.token;
}

/**
 * A compound the corpus never uses as such, split into two parts it does use ("budgetuppdrag" → "budget+uppdrag"),
 * trying the split with the longest shorter part; the linking s of Swedish compounds is dropped from the first part.
 */
function splitCompound(word: string, statistics: CorpusStatistics): string | undefined {
  let best: { alternative: string; shorter: number } | undefined;
  for (let index = 4; index <= word.length - 4; index++) {
    let left = word.slice(0, index);
    const right = stemmed(word.slice(index));
    if (left.endsWith('s') && left.length > 4) left = left.slice(0, -1);
    const shorter = Math.min(left.length, right.length);
    if (best && shorter <= best.shorter) continue;
    const alternative = `${left}+${right}`;
    if (documentFrequency([alternative], statistics) > 0) best = { alternative, shorter };
  }
  return best?.alternative;
}

/**
 * Sets each group's idf from the corpus: log(1 + N / (1 + df)); a word absent from the corpus gets the maximum.
 * An absent compound is retried as its parts; an absent short word (≤ 5 letters: "fick", "emot", "datum") is
 * mostly a common verb or particle the documents happen not to use, so it weighs less.
 */
export function weighTermGroups(groups: TermGroup[], statistics: CorpusStatistics): TermGroup[] {
  const total = Math.max(1, statistics.documentCount);
  return groups.map((group) => {
    let alternatives = group.alternatives;
    let frequency = documentFrequency(alternatives, statistics);
    let weight = group.weight;
    if (frequency === 0 && group.term.length >= 8) {
      const parts = splitCompound(group.term, statistics);
      if (parts) {
        alternatives = [...alternatives, parts];
        frequency = documentFrequency(alternatives, statistics);
      }
    }
    if (frequency === 0) {
      const corrected = correctAgainstCorpus(group.term, statistics);
      if (corrected) {
        alternatives = [...alternatives, stemmed(corrected)];
        frequency = documentFrequency(alternatives, statistics);
      }
    }
    // A strong verb's other forms share only its root ("medgav" ~ "medges", "beslöt" ~ "beslutade"): an unknown word of
    // six letters or more falls back to its first letters, two fewer than it has (at least four).
    if (frequency === 0 && group.term.length >= 6 && !/\d/.test(group.term)) {
      const root = group.term.slice(0, Math.max(4, group.term.length - 2));
      const rootFrequency = documentFrequency([root], statistics);
      if (rootFrequency > 0) {
        alternatives = [...alternatives, root];
        frequency = rootFrequency;
      }
    }
    if (frequency === 0 && group.term.length <= 5) weight *= 0.3;
    return { ...group, alternatives, weight, idf: Math.log(1 + total / (1 + frequency)), frequency };
  });
}

/** Exponent of idf in coverage: 2 as in the tf-idf cosine (measured: 1 → dev 29/30, reg 108/121; 1.5 → 29/30, 110/121; 2 → 30/30, 110/121). */
const IMPORTANCE_POWER = 2;
/** The importance of a group in coverage: (idf · weight)², as in the tf-idf cosine where query and text both carry idf. */
function importance(group: TermGroup): number {
  return (group.idf * group.weight) ** IMPORTANCE_POWER;
}

/**
 * Share of the question's importance carried by groups the corpus never mentions. When the dominant concept of a
 * question ("skattesatsen", "konstgräsplaner") stands nowhere in the documents, the documents cannot answer it.
 */
export function absentShare(groups: TermGroup[]): number {
  const total = groups.reduce((sum, group) => sum + importance(group), 0);
  const absent = groups.filter((group) => group.frequency === 0).reduce((sum, group) => sum + importance(group), 0);
  return total > 0 ? absent / total : 0;
}

/** Share of the question's importance mass that a text covers (0..1), and which groups matched. */
export function coverage(groups: TermGroup[], text: string): { score: number; matched: TermGroup[] } {
  if (groups.length === 0) return { score: 0, matched: [] };
  const tokens = tokenize(text);
  const matched = groups.filter((group) => group.alternatives.some((alternative) => alternativeMatches(alternative, tokens)));
  const total = groups.reduce((sum, group) => sum + importance(group), 0);
  const got = matched.reduce((sum, group) => sum + importance(group), 0);
  return { score: total > 0 ? got / total : 0, matched };
}

const ABBREVIATIONS = /\b(?:t\.ex|bl\.a|m\.m|s\.k|d\.v\.s|dvs|t\.o\.m|fr\.o\.m|o\.s\.v|osv|ca|jfr|nr|st|kap|resp|exkl|inkl|p\.g\.a|pga)\.$/i;

/**
 * Splits a passage into sentences: the analyzer's sentences (Unicode sentence boundaries, `Intl.Segmenter('sv')`),
 * also before a bullet ("•", "»") and a list number ("1. Text"), keeping abbreviations ("t.ex.", "bl.a.") and list
 * numbers ("1.") with the words that follow them.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let current = '';
  const parts = text
    .split(/\s+(?=[»•]\s?)|\s+(?=\d{1,2}\.\s+[A-ZÅÄÖ])/u)
    .flatMap((part) => analyzedSentences(part, { lineBreaks: false }).map((sentence) => sentence.text));
  for (const part of parts) {
    current = current ? `${current} ${part}` : part;
    if (ABBREVIATIONS.test(current.trim()) || /(?:^|\s)\d{1,2}\.$/.test(current.trim())) continue;
    sentences.push(current.trim());
    current = '';
  }
  if (current.trim()) sentences.push(current.trim());
  return sentences.filter((sentence) => sentence.length > 0);
}

/** Number words and digits: a question asking "hur många" must be answered by a sentence stating a figure. */
const NUMBER_PATTERN =
  /\b(?:\d+(?:[.,]\d+)?|en|ett|två|tva|tre|fyra|fem|sex|sju|åtta|atta|nio|tio|elva|tolv|tjugo|hundra|tusen|miljon(?:er)?|miljard(?:er)?)\b/i;

/** True when a text states a figure (digits or a Swedish number word). */
export function statesNumber(text: string): boolean {
  return NUMBER_PATTERN.test(text);
}

/** Units that, when a question names them, the answering sentence must name too. */
const UNIT_ALTERNATIVES: Record<string, string[]> = {
  kronor: ['kronor', 'kr', 'mkr', 'mnkr', 'tkr', 'sek', 'miljoner', 'miljarder'],
  procent: ['procent', '%'],
  timmar: ['timmar', 'timme', 'h'],
  kvadratmeter: ['kvadratmeter', 'kvm', 'm2'],
};

/** The unit a question asks for ("Hur många kronor…" → kronor), if any. */
export function askedUnit(question: string): string | undefined {
  const tokens = tokenize(question);
  if (tokens.some((token) => token === 'kronor' || token === 'kr' || token === 'kostar' || token === 'kostnad' || token === 'pengar' || token === 'mkr'))
    return 'kronor';
  if (tokens.includes('procent')) return 'procent';
  if (tokens.includes('timmar')) return 'timmar';
  if (tokens.includes('kvadratmeter')) return 'kvadratmeter';
  return undefined;
}

/** True when the text names the unit (or one of its abbreviations). */
export function statesUnit(unit: string, text: string): boolean {
  const alternatives = UNIT_ALTERNATIVES[unit] ?? [unit];
  const folded = foldSwedish(text);
  return alternatives.some((alternative) =>
    alternative === '%' ? folded.includes('%') : new RegExp(`\\b${alternative}\\b`).test(folded),
  );
}

/** Number words (folded) and digits that can state a count. */
const COUNT_WORDS = new Set([
  'en', 'ett', 'tva', 'tre', 'fyra', 'fem', 'sex', 'sju', 'atta', 'nio', 'tio', 'elva', 'tolv', 'tretton', 'fjorton', 'femton',
  'tjugo', 'trettio', 'fyrtio', 'femtio', 'hundra', 'tusen', 'miljon', 'miljoner', 'fler', 'flera', 'ytterligare',
]);

/** The noun a "hur många …" / "how many …" question counts ("Hur många Skolfam-team…" → "skolfam"), folded. */
export function countedNoun(question: string): string | undefined {
  const tokens = tokenize(question);
  for (let index = 0; index + 2 < tokens.length; index++) {
    if ((tokens[index] === 'hur' && tokens[index + 1] === 'manga') || (tokens[index] === 'how' && tokens[index + 1] === 'many')) {
      return tokens[index + 2];
    }
  }
  return undefined;
}

const MEASURE_WORDS = new Set(['stor', 'stort', 'stora', 'mycket', 'hog', 'hogt', 'hoga', 'lang', 'langt', 'langa', 'large', 'much', 'high', 'big']);
const LINKING_WORDS = new Set(['ar', 'var', 'blir', 'blev', 'is', 'was', 'are', 'the', 'blev', 'har']);

/**
 * The noun an amount question measures ("Hur stort kommunbidrag …" → "kommunbidrag", "hur stor är ökningen" →
 * "okningen", "how much funding" → "funding"), folded.
 */
export function measuredNoun(question: string): string | undefined {
  const tokens = tokenize(question);
  for (let index = 0; index + 1 < tokens.length; index++) {
    if ((tokens[index] !== 'hur' && tokens[index] !== 'how') || !MEASURE_WORDS.has(tokens[index + 1])) continue;
    let cursor = index + 2;
    while (cursor < tokens.length && LINKING_WORDS.has(tokens[cursor])) cursor++;
    if (cursor < tokens.length && tokens[cursor].length >= 4) return tokens[cursor];
  }
  return undefined;
}

/** True when a sentence of the text states an amount right by the noun ("kommunbidrag om 713 900 tkr", "ökar med 2,3 procent"). */
export function statesAmount(noun: string, text: string): boolean {
  const stem = stemmed(noun);
  return splitSentences(text).some((sentence) => {
    const tokens = tokenize(sentence);
    return tokens.some((token, index) => {
      if (!alternativeMatchesToken(stem, token)) return false;
      const near = tokens.slice(Math.max(0, index - 2), index + 5);
      return near.some((word) => /^\d+$/.test(word) && !/^(?:19|20)\d\d$/.test(word));
    });
  });
}

/**
 * True when the text states a count of the noun: a sentence that names the noun also states a number — digits that
 * are neither a year nor a list enumerator, or a number word ("två Skolfam-team", "24 barn", "antalet ledamöter i
 * nämnden utökas till 11 + 11").
 */
export function statesCount(noun: string, text: string, options: { adjacent?: boolean } = {}): boolean {
  const stem = stemmed(noun);
  const isCount = (word: string | undefined): boolean =>
    word !== undefined &&
    ((/^\d+$/.test(word) && !/^(?:19|20)\d\d$/.test(word)) ||
      (COUNT_WORDS.has(word) && word !== 'en' && word !== 'ett' && word !== 'fler' && word !== 'flera'));
  return splitSentences(text).some((sentence) => {
    const tokens = tokenize(sentence.replace(/^\s*(?:\d{1,2}\.|[»•])\s*/, ''));
    const nounAt = tokens.flatMap((token, index) => (alternativeMatchesToken(stem, token) ? [index] : []));
    if (nounAt.length === 0) return false;
    // adjacent: the number stands right before the noun ("fyra socialnämnder", "två Skolfam-team", "24 barn").
    if (options.adjacent) return nounAt.some((index) => isCount(tokens[index - 1]) || isCount(tokens[index - 2]));
    return tokens.some(isCount);
  });
}

const MONTHS = /\b(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december|kvartal|varen|hosten|vecka)\b/;

/** True when the text states a point in time: a year, an ISO date, a month or quarter. */
export function statesTime(text: string): boolean {
  const folded = foldSwedish(text);
  return /\b(?:19|20)\d\d\b/.test(folded) || MONTHS.test(folded);
}
