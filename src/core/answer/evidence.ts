/**
 * Evidence scoring shared by the assistant (abstention, list membership) and the extractive answerer
 * (sentence selection). Everything works on folded tokens, so questions typed without å/ä/ö match.
 *
 * A query is reduced to term groups: each salient word of the question with its synonyms. A group matches
 * a text when any alternative matches a token of it — by prefix (stem), or inside a compound for
 * alternatives of 5+ letters ("familjehem" in "jourfamiljehem", "familjehemmen").
 */
import { foldSwedish } from '../swedish/fold.ts';
import { SWEDISH_STOP_WORDS, stemSwedish } from '../swedish/stem.ts';

/** One salient concept of the question: the word as asked and the alternatives that count as a match. */
export interface TermGroup {
  term: string;
  alternatives: string[];
  /** Inverse document frequency over the corpus chunks (higher = rarer = more telling). */
  idf: number;
}

/** Words that carry no topic: question words, fillers and the vocabulary of every plan document. */
const NON_TOPIC_WORDS = new Set(
  [
    // question words and fillers
    'vad', 'vilka', 'vilken', 'vilket', 'vem', 'vems', 'hur', 'nar', 'var', 'varfor', 'vart', 'manga', 'mycket', 'finns', 'gor', 'gora',
    'gors', 'ska', 'skall', 'kan', 'har', 'hade', 'fatt', 'ge', 'gett', 'givit', 'sig', 'sjalv', 'sjalva', 'alltsa', 'enligt', 'kring', 'om',
    'och', 'eller', 'att', 'det', 'den', 'de', 'dem', 'detta', 'dessa', 'som', 'for', 'fran', 'till', 'med', 'pa', 'av', 'i', 'ar', 'en',
    'ett', 'vid', 'under', 'efter', 'innan', 'sedan', 'nagon', 'nagot', 'nagra', 'alla', 'star', 'galler', 'sager', 'tanker', 'tycker',
    'bakom', 'mellan', 'inom', 'utan', 'over', 'mot', 'men', 'ocksa', 'aven', 'bara', 'nu', 'da', 'sa', 'min', 'mitt', 'mina', 'vi', 'ni',
    'bland', 'hos', 'samt', 'at', 'sin', 'sitt', 'sina', 'vilket', 'ifall', 'nar', 'just', 'forst', 'olika', 'sig',
    'jag', 'du', 'man', 'ha', 'blir', 'bli', 'vara', 'varit', 'fa', 'far', 'ta', 'tar', 'typ', 'exempel', 'egentligen', 'lista', 'beratta',
    // domain words present in nearly every passage
    'uppdrag', 'uppdragen', 'uppdraget', 'namnd', 'namnden', 'namnder', 'namnderna', 'namndens', 'socialnamnd', 'socialnamnden',
    'socialnamnder', 'socialnamnderna', 'forvaltning', 'forvaltningen', 'forvaltningar', 'socialforvaltningen', 'socialforvaltning',
    'goteborg', 'goteborgs', 'stad', 'staden', 'stads', 'genomforandeplan', 'genomforandeplanen', 'verksamhetsplan', 'verksamhetsplanen',
    'yrkande', 'yrkandet', 'plan', 'planen', 'dokument', 'dokumentet', 'underlag', 'underlagen',
    // committee and district names are handled by committee detection, not as topic words
    'centrum', 'nordost', 'hisingen', 'sydvast', 'demokrati', 'medborgarservice', 'konsument',
  ].map((word) => word),
);

/** Folded word tokens of a text (letters and digits; hyphenated compounds split). */
export function tokenize(text: string): string[] {
  return foldSwedish(text).match(/[a-z0-9]+/g) ?? [];
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

/** Reduces a word to a matchable form: its Snowball stem with a final double consonant undoubled ("familjehemm"). */
function stemmed(word: string): string {
  let stem = stemSwedish(word);
  if (/([b-df-hj-np-tv-z])\1$/.test(stem)) stem = stem.slice(0, -1);
  return stem.length >= 3 ? stem : word;
}

/** True when the alternative (possibly a multi-word phrase) matches the token list. */
export function alternativeMatches(alternative: string, tokens: string[]): boolean {
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
): TermGroup[] {
  const stop = new Set([
    ...NON_TOPIC_WORDS,
    ...[...SWEDISH_STOP_WORDS].map((word) => foldSwedish(word)),
    ...[...extraStopWords].flatMap((word) => tokenize(word)),
  ]);
  const seen = new Set<string>();
  const groups: TermGroup[] = [];
  for (const token of tokenize(question)) {
    if (stop.has(token) || token.length < 2 || seen.has(token)) continue;
    if (/^\d+$/.test(token) && token.length < 4) continue;
    seen.add(token);
    const alternatives = new Set<string>([stemmed(token)]);
    for (const entry of synonyms) {
      const entryTerms = [entry.term, ...entry.expansions].map((term) => foldSwedish(term));
      if (entryTerms.some((term) => term === token || stemmed(term.split(' ')[0]) === stemmed(token))) {
        for (const term of entryTerms) alternatives.add(term.split(' ').map(stemmed).join(' '));
      }
    }
    groups.push({ term: token, alternatives: [...alternatives], idf: 1 });
  }
  return groups;
}

/** Corpus statistics for idf: the token lists of every chunk. */
export interface CorpusStatistics {
  documentCount: number;
  tokenLists: string[][];
}

/** Builds statistics from chunk texts (context lines excluded, so document titles don't inflate frequencies). */
export function createCorpusStatistics(texts: string[]): CorpusStatistics {
  return { documentCount: texts.length, tokenLists: texts.map((text) => [...new Set(tokenize(text))]) };
}

/** Sets each group's idf from the corpus: log(1 + N / (1 + df)); a word absent from the corpus gets the maximum. */
export function weighTermGroups(groups: TermGroup[], statistics: CorpusStatistics): TermGroup[] {
  const total = Math.max(1, statistics.documentCount);
  return groups.map((group) => {
    let frequency = 0;
    for (const tokens of statistics.tokenLists) {
      if (group.alternatives.some((alternative) => alternativeMatches(alternative, tokens))) frequency++;
    }
    return { ...group, idf: Math.log(1 + total / (1 + frequency)) };
  });
}

/** Share of the question's idf mass that a text covers (0..1), and which groups matched. */
export function coverage(groups: TermGroup[], text: string): { score: number; matched: TermGroup[] } {
  if (groups.length === 0) return { score: 0, matched: [] };
  const tokens = tokenize(text);
  const matched = groups.filter((group) => group.alternatives.some((alternative) => alternativeMatches(alternative, tokens)));
  const total = groups.reduce((sum, group) => sum + group.idf, 0);
  const got = matched.reduce((sum, group) => sum + group.idf, 0);
  return { score: total > 0 ? got / total : 0, matched };
}

const ABBREVIATIONS = /\b(?:t\.ex|bl\.a|m\.m|s\.k|d\.v\.s|dvs|t\.o\.m|fr\.o\.m|o\.s\.v|osv|ca|jfr|nr|st|kap|resp|exkl|inkl|p\.g\.a|pga)\.$/i;

/** Splits a passage into sentences, keeping abbreviations ("t.ex.", "bl.a.") and list numbers ("1.") intact. */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let current = '';
  const parts = text.split(/(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9»•"«(])|\s+(?=[»•]\s?)|\s+(?=\d{1,2}\.\s+[A-ZÅÄÖ])/u);
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
