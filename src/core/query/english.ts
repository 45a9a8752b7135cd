/**
 * English questions: a function-word heuristic tells English from Swedish, and a domain glossary maps English
 * wording to the Swedish the documents use ("assignments" → "uppdrag", "foster homes" → "familjehem"), so an
 * English question retrieves like the Swedish one.
 */
import { defaultProfile, type Glossary } from '../profile.ts';
import { tokenizeWithOffsets } from './tokens.ts';

/** Frequent English function words that are not also Swedish words. */
const ENGLISH_WORDS = new Set([
  'the', 'what', 'which', 'does', 'do', 'did', 'is', 'are', 'was', 'were', 'of', 'about', 'have', 'has', 'had', 'how', 'many',
  'much', 'who', 'whom', 'whose', 'when', 'where', 'why', 'with', 'there', 'any', 'this', 'these', 'those', 'will', 'would',
  'should', 'could', 'and', 'to', 'it', 'they', 'their', 'them', 'be', 'been', 'can', 'a', 'an', 'on', 'at', 'from', 'by',
  'that', 'please', 'tell', 'me', 'our', 'its', 'into', 'regarding', 'concerning', 'planned', 'plans', 'list',
]);

/** Frequent Swedish function words (folded) that are not also English words. */
const SWEDISH_WORDS = new Set([
  'och', 'att', 'det', 'vad', 'vilka', 'vilken', 'vilket', 'har', 'som', 'ar', 'hur', 'manga', 'ska', 'om', 'pa', 'med', 'av',
  'till', 'den', 'de', 'inte', 'gor', 'gors', 'finns', 'nar', 'vem', 'varfor', 'kan', 'sig', 'ett', 'en', 'ocksa', 'galler',
  'sedan', 'enligt', 'vid', 'mycket', 'sager', 'nagra', 'hos', 'inom', 'kring', 'dar', 'vart', 'alltsa', 'mot', 'fran', 'och',
]);

/**
 * Detects the language of a question: English when English function words outweigh Swedish ones.
 * `fallback` is returned when nothing tells ("Centrum?").
 */
export function detectLanguage(text: string, fallback: 'sv' | 'en' = 'sv'): 'sv' | 'en' {
  let english = 0;
  // Swedish letters count as one Swedish word: committee names in an English question don't make it Swedish.
  let swedish = /[åäöÅÄÖ]/.test(text) ? 1 : 0;
  for (const token of tokenizeWithOffsets(text)) {
    if (ENGLISH_WORDS.has(token.lower)) english++;
    if (SWEDISH_WORDS.has(token.folded)) swedish++;
  }
  if (english === 0 && swedish <= 1) {
    if (swedish === 1) return 'sv';
    // No function words ("foster homes?"): English only when the glossary knows the words.
    const glossaryHits = translateToSwedish(text).translated;
    if (glossaryHits > 0 && glossaryHits * 2 >= tokenizeWithOffsets(text).length) return 'en';
    return fallback;
  }
  if (english === swedish) return fallback;
  return english > swedish ? 'en' : 'sv';
}

/* The English → Swedish glossary is data: `glossary` in the domain profile (data/profile.sv.json). */

/** English words dropped from the Swedish retrieval text (function words and question words). */
const ENGLISH_STOP_WORDS = new Set([
  ...ENGLISH_WORDS,
  'for', 'in', 'or', 'as', 'than', 'then', 'so', 'not', 'no', 'yes', 'all', 'some', 'get', 'gets', 'got', 'give', 'given', 'i',
  'we', 'you', 'my', 'your', 'he', 'she', 'his', 'her', 'us', 'also', 'just', 'doing', 'done', 'make', 'made', 'say', 'says',
  'said', 'think', 'want', 'wants', 'going', 'within', 'under', 'during', 'per', 'each', 'every', 'other', 'more', 'most', 'such',
  'been', 'being', 'if', 'whether', 'since', 'until', 'according', 'between', 'should', 'shall', 'may', 'might', 'must',
  'need', 'needs', 'exist', 'exists', 'existing', 'show', 'describe', 'explain', 'themselves', 'itself', 'own', 'given',
  'kind', 'kinds', 'type', 'types', 'way', 'ways', 'things', 'thing', 'anything', 'something', 'new',
  // Prepositions, adverbs and light verbs that carry no topic.
  'against', 'above', 'below', 'over', 'after', 'before', 'through', 'toward', 'towards', 'without', 'upon', 'via', 'again',
  'already', 'still', 'only', 'even', 'very', 'well', 'both', 'either', 'neither', 'now', 'currently', 'ever', 'yet', 'too',
  'take', 'takes', 'taken', 'took', 'taking', 'set', 'sets', 'see', 'sees', 'seen', 'saw', 'look', 'looks', 'put', 'puts',
  'keep', 'keeps', 'kept', 'come', 'comes', 'came', 'go', 'goes', 'went', 'gone', 'know', 'known', 'like', 'let', 'lets',
  'try', 'tries', 'tried', 'seem', 'seems', 'become', 'becomes', 'became', 'mention', 'mentions', 'mentioned', 'write',
  'writes', 'written', 'wrote', 'state', 'states', 'stated', 'contain', 'contains', 'include', 'includes', 'included',
  'among', 'one', 'ones', 'happen', 'happens', 'happened', 'mean', 'means', 'meant', 'able', 'regard', 'respect', 'apply', 'applies',
]);

interface CompiledEntry {
  words: string[];
  swedish: string;
}

/** Glossary entries by first English word, longest phrase first. */
function compile(glossary: Glossary): Map<string, CompiledEntry[]> {
  const byFirst = new Map<string, CompiledEntry[]>();
  for (const [english, swedish] of glossary.entries) {
    const words = english.split(/[^a-z]+/).filter(Boolean);
    const list = byFirst.get(words[0]) ?? [];
    list.push({ words, swedish });
    byFirst.set(words[0], list);
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.words.length - a.words.length);
  return byFirst;
}

/**
 * Possible base forms of an inflected English word: plurals and third persons in -s, -es, -ies ("activities" → "activity"),
 * past forms in -ed, -ied ("renovated" → "renovate", "planned" → "plan") and -ing forms ("following" → "follow").
 * Short words ("its", "was", "bed", "sing") are left alone.
 */
function baseForms(word: string): string[] {
  const forms: string[] = [];
  if (word.length >= 4 && word.endsWith('s') && !word.endsWith('ss')) {
    forms.push(word.slice(0, -1));
    if (word.endsWith('es')) forms.push(word.slice(0, -2));
    if (word.endsWith('ies')) forms.push(`${word.slice(0, -3)}y`);
  }
  const doubled = (stem: string): boolean => stem.length >= 3 && stem[stem.length - 1] === stem[stem.length - 2] && !/[aeiouy]/.test(stem[stem.length - 1]);
  for (const ending of ['ed', 'ing']) {
    if (word.length < ending.length + 3 || !word.endsWith(ending)) continue;
    const stem = word.slice(0, -ending.length);
    forms.push(stem, `${stem}e`);
    if (doubled(stem)) forms.push(stem.slice(0, -1));
    if (ending === 'ed' && stem.endsWith('i')) forms.push(`${stem.slice(0, -1)}y`);
  }
  return forms;
}

/** True when a question word is the glossary word or one of its inflected forms. */
function isFormOf(word: string, glossaryWord: string): boolean {
  return word === glossaryWord || baseForms(word).includes(glossaryWord);
}

const compiledByGlossary = new WeakMap<Glossary, Map<string, CompiledEntry[]>>();
function compiled(glossary: Glossary): Map<string, CompiledEntry[]> {
  let result = compiledByGlossary.get(glossary);
  if (!result) compiledByGlossary.set(glossary, (result = compile(glossary)));
  return result;
}

/** Number of entries of the default glossary (documentation and tests). */
export const GLOSSARY_SIZE = defaultProfile.glossary.entries.length;

/**
 * Translates an English question into Swedish retrieval words: glossary phrases become Swedish,
 * function words are dropped, other words (names such as "Skolfam", "Biskopsgården", numbers) are kept.
 * `translated` counts glossary hits.
 */
export function translateToSwedish(text: string, glossary: Glossary = defaultProfile.glossary): { text: string; translated: number } {
  const COMPILED = compiled(glossary);
  // The English possessive ("the library's") is the noun itself for the glossary.
  const tokens = tokenizeWithOffsets(text.replace(/(\p{L})['’]s\b/gu, '$1'));
  const output: string[] = [];
  let translated = 0;
  for (let index = 0; index < tokens.length; ) {
    const word = tokens[index].lower;
    // Entries of the word itself first, then of its base forms ("budgets" → "budget", "renovated" → "renovate");
    // a longer phrase wins over a shorter one.
    // Function words ("planned", "needs") are not read as forms of glossary words.
    const candidates = [word, ...(ENGLISH_STOP_WORDS.has(word) ? [] : baseForms(word))]
      .flatMap((form) => COMPILED.get(form) ?? [])
      .sort((a, b) => b.words.length - a.words.length);
    const matching = candidates.filter(
      (candidate) =>
        index + candidate.words.length <= tokens.length &&
        candidate.words.every((candidateWord, offset) => isFormOf(tokens[index + offset].lower, candidateWord)),
    );
    // Of the longest matching phrases, the one written as in the question ("target values" before "target value").
    const longest = matching.filter((candidate) => candidate.words.length === matching[0]?.words.length);
    const entry = longest.find((candidate) => candidate.words.every((candidateWord, offset) => tokens[index + offset].lower === candidateWord)) ?? longest[0];
    if (entry) {
      output.push(entry.swedish);
      if (entry.swedish.toLowerCase() !== entry.words.join(' ')) translated++;
      index += entry.words.length;
      continue;
    }
    // Possessive "committee's" → the tokenizer yields "s": drop it with the stop words.
    if (!ENGLISH_STOP_WORDS.has(word) && word !== 's') output.push(tokens[index].surface);
    index++;
  }
  return { text: output.join(' '), translated };
}
