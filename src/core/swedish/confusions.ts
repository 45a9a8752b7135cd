/**
 * OCR / text-extraction confusion table and candidate generation for damaged Swedish words.
 *
 * A damaged word is rewritten by a bounded number of edits taken from a confusion table learnt from
 * typical PDF/OCR damage of å/ä/ö: `é → ä/ö/å`, `& → ä/å`, `6 → ö`, `4 → ä`, `1 → l/i`, two-character
 * renderings of one letter (`éa`, `aé`, `ia`, `di`, `ad`, `do`, `oé` …), lost diacritics (`a → ä/å`,
 * `o → ö`, `A → Å/Ä`), `d → ä/ö/å`, `i → ä`, and `mb/rb/rn → m`.
 *
 * Edits are "strong" when the source cannot occur inside a plain Swedish word (é, &, digits, a capital
 * inside a lower-case word) and cheap; "weak" when they change ordinary letters and cost about 1 each.
 * Candidates come out ordered by total cost; the caller filters them by the dictionary.
 */

/** One possible rewrite of a span of the damaged word. */
interface EditOption {
  text: string;
  cost: number;
}

interface EditRule {
  source: string;
  options: EditOption[];
  strong: boolean;
  /** Only when the previous character is a lower-case letter (a capital inside a word). */
  insideLowerCase?: boolean;
  /** Only at the start of the word. */
  initial?: boolean;
}

const option = (text: string, cost: number): EditOption => ({ text, cost });

/** The confusion table: damaged source → possible original text with a cost. Two-character rules first. */
export const CONFUSION_RULES: readonly EditRule[] = [
  { source: 'é&', options: [option('ä', 0.2)], strong: true },
  { source: 'éa', options: [option('ä', 0.2), option('å', 0.25)], strong: true },
  { source: 'aé', options: [option('å', 0.2), option('ä', 0.25)], strong: true },
  { source: 'éi', options: [option('ä', 0.2)], strong: true },
  { source: 'éd', options: [option('ä', 0.3), option('å', 0.3)], strong: true },
  { source: 'oé', options: [option('ö', 0.2)], strong: true },
  { source: 'é', options: [option('ä', 0.2), option('ö', 0.2), option('å', 0.22), option('e', 0.6)], strong: true },
  { source: '&', options: [option('ä', 0.2), option('å', 0.25)], strong: true },
  { source: '4', options: [option('ä', 0.3)], strong: true },
  { source: '6', options: [option('ö', 0.2)], strong: true },
  { source: '1', options: [option('l', 0.3), option('i', 0.4)], strong: true },
  { source: 'A', options: [option('å', 0.3), option('ä', 0.35)], strong: true, insideLowerCase: true },
  { source: 'ia', options: [option('ä', 1.5)], strong: false },
  { source: 'di', options: [option('ä', 1.5)], strong: false },
  { source: 'dg', options: [option('ä', 1.5)], strong: false },
  { source: 'ad', options: [option('å', 1.3), option('ä', 1.4)], strong: false },
  { source: 'do', options: [option('ö', 1.4)], strong: false },
  { source: 'mb', options: [option('m', 1.5)], strong: false },
  { source: 'rb', options: [option('m', 1.5)], strong: false },
  { source: 'rn', options: [option('m', 1.8)], strong: false },
  { source: 'a', options: [option('ä', 1.0), option('å', 1.05)], strong: false },
  { source: 'o', options: [option('ö', 1.0)], strong: false },
  { source: 'A', options: [option('Å', 1.0), option('Ä', 1.0)], strong: false, initial: true },
  { source: 'O', options: [option('Ö', 1.0)], strong: false, initial: true },
  { source: 'd', options: [option('ä', 1.2), option('ö', 1.2), option('å', 1.25)], strong: false },
  { source: 'i', options: [option('ä', 1.2), option('å', 1.5)], strong: false },
];

/** Cost of leaving a strong-damage character (é, &, a digit) in place: allowed ("idé"), but disfavoured. */
const KEEP_STRONG_COST = 1.5;
const STRONG_SOURCES = new Set(['é', '&', '4', '6', '1']);

/** A rewrite of a damaged word. */
export interface Candidate {
  text: string;
  /** Sum of edit costs (lower is more plausible). */
  cost: number;
  /** Number of weak edits (edits of ordinary letters). */
  weakEdits: number;
}

/** Limits of candidate generation. */
export interface CandidateOptions {
  /** Only strong edits (for user queries: never rewrite ordinary letters). */
  strongOnly?: boolean;
  /** Highest total cost; default 4. */
  maxCost?: number;
  /** Most weak edits; default 3. */
  maxWeakEdits?: number;
  /** Only candidates with exactly this many weak edits (for searching level by level). */
  exactWeakEdits?: number;
  /** Most candidates produced; default 20000. */
  limit?: number;
}

const isLowerLetter = (character: string | undefined): boolean =>
  character !== undefined && /\p{Ll}/u.test(character);

/** The rules of `CONFUSION_RULES` by the first character of their source, in table order. */
const RULES_BY_FIRST = new Map<string, EditRule[]>();
for (const rule of CONFUSION_RULES) {
  const list = RULES_BY_FIRST.get(rule.source[0]) ?? [];
  list.push(rule);
  RULES_BY_FIRST.set(rule.source[0], list);
}
const NO_RULES: readonly EditRule[] = [];

function ruleApplies(rule: EditRule, word: string, index: number): boolean {
  if (!word.startsWith(rule.source, index)) return false;
  if (rule.initial && index !== 0) return false;
  if (rule.insideLowerCase && !(index > 0 && isLowerLetter(word[index - 1]))) return false;
  return true;
}

/**
 * All rewrites of `word` within the limits, cheapest first (the word itself is not included unless it
 * needs no edit at all). Capitalisation of the first letter is kept.
 */
export function generateCandidates(word: string, options: CandidateOptions = {}): Candidate[] {
  const maxCost = options.maxCost ?? 4;
  const maxWeak = options.strongOnly ? 0 : (options.exactWeakEdits ?? options.maxWeakEdits ?? 3);
  const limit = options.limit ?? 20000;
  const results = new Map<string, Candidate>();
  if (!/\p{L}/u.test(word)) return [];
  const walk = (index: number, built: string, cost: number, weak: number): void => {
    if (results.size >= limit) return;
    if (index >= word.length) {
      if (options.exactWeakEdits !== undefined && weak !== options.exactWeakEdits) return;
      const known = results.get(built);
      if (!known || known.cost > cost) results.set(built, { text: built, cost, weakEdits: weak });
      return;
    }
    const character = word[index];
    for (const rule of RULES_BY_FIRST.get(character) ?? NO_RULES) {
      if (!rule.strong && weak >= maxWeak) continue;
      if (!ruleApplies(rule, word, index)) continue;
      for (const choice of rule.options) {
        const next = cost + choice.cost;
        if (next > maxCost) continue;
        walk(index + rule.source.length, built + choice.text, next, weak + (rule.strong ? 0 : 1));
      }
    }
    const keepCost = STRONG_SOURCES.has(character) ? KEEP_STRONG_COST : 0;
    if (cost + keepCost <= maxCost) walk(index + 1, built + character, cost + keepCost, weak);
  };
  walk(0, '', 0, 0);
  results.delete(word);
  return [...results.values()].sort(
    (left, right) => left.cost - right.cost || (left.text < right.text ? -1 : left.text > right.text ? 1 : 0),
  );
}

/** Rewrites that insert one lost å/ä/ö ("Gteborgs" → "Göteborgs"), a last resort; cost 2.5 each. */
export function insertionCandidates(word: string): Candidate[] {
  const candidates: Candidate[] = [];
  for (let index = 1; index <= word.length; index++) {
    for (const letter of ['ö', 'ä', 'å']) {
      candidates.push({ text: word.slice(0, index) + letter + word.slice(index), cost: 2.5, weakEdits: 1 });
    }
  }
  return candidates;
}

/** True when the word contains a character that never occurs inside plain Swedish words (é aside from "idé"-like words). */
export function hasStrongDamage(word: string): boolean {
  for (let index = 0; index < word.length; index++) {
    const character = word[index];
    if (character === '&' || character === 'é') return true;
    if (/[146]/.test(character) && /\p{L}/u.test(word)) return true;
    if (character === 'A' && index > 0 && isLowerLetter(word[index - 1])) return true;
  }
  return false;
}
