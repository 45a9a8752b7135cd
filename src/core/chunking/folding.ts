/**
 * Text helpers shared by the chunker and the metadata reader: folding (case, diacritics, OCR noise),
 * edit distance and a few Swedish word lists. Pure and synchronous.
 */
import { foldSwedish } from '../swedish/fold.ts';

/** Lower-case and strip diacritics (å/ä → a, ö → o, é → e): `foldSwedish`. */
export const foldCase = foldSwedish;

/**
 * Letters and digits only, folded: `"Frédn namnden/styrelsen:"` → `"frednnamndenstyrelsen"`,
 * `"Fra n na mnden"` → `"frannamnden"`. Used to compare labels tolerant to PDF/OCR damage.
 */
export function compactFold(text: string): string {
  return foldCase(text).replace(/[^a-z0-9]+/g, '');
}

/** Levenshtein distance, stopping early once `limit` is exceeded (returns `limit + 1` then). */
export function editDistance(left: string, right: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(left.length - right.length) > limit) return limit + 1;
  const width = right.length + 1;
  let previous = new Int32Array(width);
  let current = new Int32Array(width);
  for (let column = 0; column < width; column++) previous[column] = column;
  for (let row = 1; row <= left.length; row++) {
    const character = left.charCodeAt(row - 1);
    current[0] = row;
    let best = row;
    for (let column = 1; column < width; column++) {
      const cost = character === right.charCodeAt(column - 1) ? 0 : 1;
      const value = Math.min(previous[column] + 1, current[column - 1] + 1, previous[column - 1] + cost);
      current[column] = value;
      if (value < best) best = value;
    }
    if (best > limit) return limit + 1;
    [previous, current] = [current, previous];
  }
  return previous[right.length];
}

/** True when `candidate` is within a small edit distance of `target` (≈ 1 edit per 8 characters, at least 1). */
export function fuzzyEquals(candidate: string, target: string, maxRatio = 0.125): boolean {
  const limit = Math.max(1, Math.floor(target.length * maxRatio));
  return editDistance(candidate, target, limit) <= limit;
}

/**
 * Finite verbs and auxiliaries that almost never occur in a heading; a short line containing one is
 * prose or a list item, not a heading. Folded forms.
 */
const FINITE_VERBS = new Set([
  'ska', 'skall', 'kan', 'ar', 'har', 'hade', 'blir', 'far', 'fick', 'behover', 'finns', 'galler', 'ger', 'innebar',
  'bidrar', 'arbetar', 'vill', 'bor', 'maste', 'var', 'sker', 'gors', 'tas', 'kommer', 'leder', 'utgar', 'beskriver',
  'omfattar', 'visar', 'ingar', 'avser', 'bedomer', 'beslutar', 'foreslar', 'yrkar',
]);

/** True when the text contains a finite verb from a small Swedish list (folded comparison). */
export function hasFiniteVerb(text: string): boolean {
  return foldCase(text)
    .split(/[^a-z0-9]+/)
    .some((word) => FINITE_VERBS.has(word));
}

/** Words after which a line break cannot end a phrase (the next line continues it). Folded forms. */
const FUNCTION_WORDS = new Set([
  'och', 'eller', 'samt', 'for', 'i', 'av', 'till', 'med', 'att', 'pa', 'om', 'en', 'ett', 'de', 'den', 'det', 'som',
  'mellan', 'fran', 'vid', 'under', 'inom', 'mot', 'hos', 'utan', 'efter', 'genom', 'kring', 'ur', 'an', 'sa', 'nar',
  'dar', 'vilka', 'vilken', 'alla', 'fyra', 'tva', 'tre', 'sex', 'sju', 'fem', 'nya', 'sin', 'sina', 'sitt', 'var',
  'vara', 'hur', 'ang', 'inklusive', 'exempelvis', 'bland', 'annat', 'dessa', 'denna', 'detta',
]);

/** True when the last word of a line is a function word (preposition, conjunction, article…). */
export function endsWithFunctionWord(line: string): boolean {
  const words = foldCase(line).split(/[^a-z0-9]+/).filter(Boolean);
  const last = words[words.length - 1];
  return last !== undefined && FUNCTION_WORDS.has(last);
}

/** First letter upper case (Swedish letters included). */
export function startsUpper(text: string): boolean {
  return /^["'»(]?\p{Lu}/u.test(text);
}

/** First letter lower case. */
export function startsLower(text: string): boolean {
  return /^["'(]?\p{Ll}/u.test(text);
}

/** Ends a sentence or clause: `.`, `!`, `?`, `:`, `;`. */
export function endsWithTerminal(text: string): boolean {
  return /[.!?:;]["')»]*$/.test(text);
}

/** Upper-case the first letter. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Lower-case the first letter unless the first word is an acronym (`"Socialnämnden Centrum"` → `"socialnämnden Centrum"`). */
export function lowerFirst(text: string): string {
  if (/^\p{Lu}{2,}/u.test(text)) return text;
  return text.charAt(0).toLowerCase() + text.slice(1);
}
