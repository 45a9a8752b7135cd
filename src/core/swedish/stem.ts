/**
 * A light Swedish stemmer (the Snowball Swedish algorithm) and a Swedish stop-word list.
 *
 * Works on unfolded ("förvaltningarna") and folded ("forvaltningarna") words alike: both give a stem
 * that is the same for the inflected forms of a word (`förvaltningen`, `förvaltningar` → `förvaltning`).
 * Input is lower-cased first; callers who want folded stems fold before or after stemming
 * (`foldSwedish(stemSwedish(word))` equals `stemSwedish(foldSwedish(word))` for almost every word).
 */

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y', 'ä', 'å', 'ö']);

/** Step 1 suffixes, longest first so the first match is the longest. */
const STEP1_SUFFIXES = [
  'heterna', 'hetens', 'anden', 'andes', 'andet', 'arens', 'arnas', 'ernas', 'heten', 'heter', 'ornas',
  'ande', 'ades', 'aren', 'arna', 'arne', 'aste', 'erna', 'erns', 'orna',
  'ade', 'are', 'ast', 'ens', 'ern', 'het',
  'ad', 'ar', 'as', 'at', 'en', 'er', 'es', 'or',
  'a', 'e',
];
const VALID_S_ENDING = new Set(['b', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'r', 't', 'v', 'y']);
const STEP2_ENDINGS = ['dd', 'gd', 'nn', 'dt', 'gt', 'kt', 'tt'];

/** Start of the R1 region: after the first non-vowel that follows a vowel, at least 3. */
function regionOne(word: string): number {
  for (let index = 1; index < word.length; index++) {
    if (!VOWELS.has(word[index]) && VOWELS.has(word[index - 1])) return Math.max(3, index + 1);
  }
  return word.length;
}

/**
 * Stems one Swedish word (Snowball Swedish): `stemSwedish("uppdragen")` → `"uppdrag"`,
 * `stemSwedish("nämnderna")` → `"nämnd"`, `stemSwedish("namnderna")` → `"namnd"`.
 * Words shorter than 3 letters and words with non-letters are returned lower-cased but otherwise unchanged.
 */
export function stemSwedish(word: string): string {
  let stem = word.toLowerCase();
  if (stem.length < 3 || !/^[\p{L}]+$/u.test(stem)) return stem;
  const r1 = regionOne(stem);
  // Step 1: main suffixes.
  for (const suffix of STEP1_SUFFIXES) {
    if (stem.endsWith(suffix) && stem.length - suffix.length >= r1) {
      stem = stem.slice(0, -suffix.length);
      break;
    }
  }
  if (stem === word.toLowerCase() && stem.endsWith('s') && stem.length - 1 >= r1 && VALID_S_ENDING.has(stem[stem.length - 2])) {
    stem = stem.slice(0, -1);
  }
  // Step 2: undouble.
  if (STEP2_ENDINGS.some((ending) => stem.endsWith(ending) && stem.length - 2 >= r1)) stem = stem.slice(0, -1);
  // Step 3: derivational suffixes.
  if (stem.endsWith('fullt') && stem.length - 5 >= r1) stem = stem.slice(0, -1);
  else if ((stem.endsWith('löst') || stem.endsWith('lost')) && stem.length - 4 >= r1) stem = stem.slice(0, -1);
  else if (stem.endsWith('lig') && stem.length - 3 >= r1) stem = stem.slice(0, -3);
  else if (stem.endsWith('els') && stem.length - 3 >= r1) stem = stem.slice(0, -3);
  else if (stem.endsWith('ig') && stem.length - 2 >= r1) stem = stem.slice(0, -2);
  return stem;
}

const STOP_WORDS = [
  'alla', 'allt', 'att', 'av', 'blev', 'bli', 'blir', 'blivit', 'de', 'dem', 'den', 'denna', 'deras', 'dess', 'dessa', 'det',
  'detta', 'dig', 'din', 'dina', 'ditt', 'du', 'där', 'då', 'efter', 'ej', 'eller', 'en', 'er', 'era', 'ert', 'ett', 'från',
  'för', 'ha', 'hade', 'han', 'hans', 'har', 'henne', 'hennes', 'hon', 'honom', 'hur', 'här', 'i', 'icke', 'ingen', 'inom',
  'inte', 'jag', 'ju', 'kan', 'kunde', 'man', 'med', 'mellan', 'men', 'mig', 'min', 'mina', 'mitt', 'mot', 'mycket', 'ni',
  'nu', 'när', 'någon', 'något', 'några', 'och', 'om', 'oss', 'på', 'samma', 'sedan', 'sig', 'sin', 'sina', 'sitta', 'själv',
  'skulle', 'som', 'så', 'sådan', 'sådana', 'sådant', 'till', 'under', 'upp', 'ut', 'utan', 'vad', 'var', 'vara', 'varför',
  'varit', 'varje', 'vars', 'vart', 'vem', 'vi', 'vid', 'vilka', 'vilkas', 'vilken', 'vilket', 'vår', 'våra', 'vårt', 'än',
  'är', 'åt', 'över', 'samt', 'ska', 'skall', 'även', 'också', 'finns', 'vilket', 'hos', 'genom',
];

/**
 * Swedish stop words (Snowball list plus a few frequent function words such as `ska`, `samt`, `även`),
 * each in its written and its folded form (`för` and `for`), lower case.
 */
export const SWEDISH_STOP_WORDS: ReadonlySet<string> = new Set(
  STOP_WORDS.flatMap((word) => [word, word.normalize('NFD').replace(/[\u0300-\u036f]/g, '')]),
);
