/**
 * Swedish domain synonyms: bidirectional groups ("fosterhem" ↔ "familjehem") kept as data
 * (the profile's `synonyms`, `data/profile.sv.json`, extendable with a user file) and matched compound-aware on folded stems, so
 * "fosterhemmen", "fosterhemsplacering" and "fosterhem" typed as "fosterhem" all trigger the group.
 */
import { defaultProfile, type DomainProfile } from '../profile.ts';
import { snowballStem as stemSwedish, words as analyzedWords } from '../swedish/analyzer.ts';
import { foldSwedish } from '../swedish/fold.ts';
import { hasDiacritic, type Token } from './tokens.ts';

/** Synonym data: each group's terms are synonyms of each other (a term may be a phrase). */
export interface SynonymTable {
  groups: string[][];
}

/** One synonym hit in a question: the question's word(s) and what was added for retrieval. */
export interface SynonymUse {
  /** The matched word or phrase as written in the question (lower case). */
  term: string;
  /** The other terms of the group, plus compound variants ("fosterhemsplacering" → "familjehemsplacering"). */
  expansions: string[];
}

/**
 * Validates synonym data read from JSON (`{ "groups": [["a", "b"], …] }` or a bare array of groups).
 * Throws an Error naming `source` and the offending group.
 */
export function parseSynonymTable(value: unknown, source = 'synonyms'): SynonymTable {
  const groups = Array.isArray(value) ? value : (value as { groups?: unknown } | null)?.groups;
  if (!Array.isArray(groups)) {
    throw new Error(`${source}: expected an object with a "groups" array of string arrays, e.g. {"groups": [["fosterhem", "familjehem"]]}.`);
  }
  return {
    groups: groups.map((group, index) => {
      if (!Array.isArray(group) || group.length < 2 || !group.every((term) => typeof term === 'string' && term.trim().length > 0)) {
        throw new Error(`${source}: group ${index + 1} must be an array of at least two non-empty strings (got ${JSON.stringify(group)}).`);
      }
      return group.map((term: string) => term.trim());
    }),
  };
}

/**
 * Parses the text of a user synonym file (JSON, `{"groups": [[…], …]}`, like the profile's `synonyms`); errors name `source`.
 * The Node entry reads `SYNONYMS_FILE` and merges it: `mergeSynonyms(defaultSynonyms, parseSynonymFile(text, path))`.
 */
export function parseSynonymFile(text: string, source: string): SynonymTable {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not valid JSON (${(error as Error).message}).`);
  }
  return parseSynonymTable(value, source);
}

/** Normalised key of a term for deduplication: folded words joined by single spaces. */
function termKey(term: string): string {
  return foldSwedish(term).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/**
 * Merges two tables: groups that share a term (folded) become one group, so an extra file can extend
 * an existing group ("fosterhem" + "familjehemsvård") or add new ones. Neither input is changed.
 */
export function mergeSynonyms(base: SynonymTable, extra: SynonymTable): SynonymTable {
  const merged: string[][] = [];
  const groupOfKey = new Map<string, number>();
  for (const group of [...base.groups, ...extra.groups]) {
    const targets = new Set<number>();
    for (const term of group) {
      const target = groupOfKey.get(termKey(term));
      if (target !== undefined) targets.add(target);
    }
    let index: number;
    if (targets.size === 0) {
      index = merged.length;
      merged.push([]);
    } else {
      const [first, ...rest] = [...targets].sort((a, b) => a - b);
      index = first;
      for (const other of rest) {
        for (const term of merged[other]) merged[index].push(term);
        merged[other] = [];
      }
    }
    for (const term of group) merged[index].push(term);
    // Deduplicate and re-index the group.
    const unique = new Map<string, string>();
    for (const term of merged[index]) if (!unique.has(termKey(term))) unique.set(termKey(term), term);
    merged[index] = [...unique.values()];
    for (const key of unique.keys()) groupOfKey.set(key, index);
    for (const [key, value] of groupOfKey) if (merged[value].length === 0) groupOfKey.delete(key);
  }
  return { groups: merged.filter((group) => group.length >= 2) };
}

/** A profile's synonym table (validated by the profile's schema). */
export function synonymsOf(profile: DomainProfile): SynonymTable {
  return { groups: profile.synonyms.groups.map((group) => [...group]) };
}

/** The built-in Swedish table: the default profile's synonyms (`data/profile.sv.json`). */
export const defaultSynonyms: SynonymTable = synonymsOf(defaultProfile);

interface CompiledWord {
  diacritic: boolean;
  lower: string;
  folded: string;
  /** Folded stem used as prefix. */
  stem: string;
  /** Lower-case (unfolded) stem, used when both sides carry diacritics. */
  lowerStem: string;
}

interface CompiledTerm {
  text: string;
  words: CompiledWord[];
  group: number;
}

interface CompiledTable {
  /** Terms by the first letter of their first (folded) word, longest phrase first. */
  byFirstLetter: Map<string, CompiledTerm[]>;
  groups: string[][];
}

const stemCache = new Map<string, string>();

/** Memoised stemmer (the vocabulary of questions is small; the cache is bounded). */
function cachedStem(word: string): string {
  let stem = stemCache.get(word);
  if (stem === undefined) {
    if (stemCache.size > 20000) stemCache.clear();
    stem = stemSwedish(word);
    stemCache.set(word, stem);
  }
  return stem;
}

const compiledTables = new WeakMap<SynonymTable, CompiledTable>();

function compileWord(word: string): CompiledWord {
  const lower = word.toLowerCase();
  const folded = foldSwedish(lower);
  return { diacritic: hasDiacritic(lower), lower, folded, stem: stemSwedish(folded), lowerStem: stemSwedish(lower) };
}

function compile(table: SynonymTable): CompiledTable {
  const cached = compiledTables.get(table);
  if (cached) return cached;
  const terms: CompiledTerm[] = [];
  table.groups.forEach((group, index) => {
    for (const term of group) {
      const words = analyzedWords(term).map((word) => compileWord(word.lower));
      if (words.length > 0) terms.push({ text: term, words, group: index });
    }
  });
  // Longest phrases first so "hem för vård eller boende" wins over a single word.
  terms.sort((a, b) => b.words.length - a.words.length);
  const byFirstLetter = new Map<string, CompiledTerm[]>();
  for (const term of terms) {
    const letter = term.words[0].folded[0];
    const list = byFirstLetter.get(letter) ?? [];
    list.push(term);
    byFirstLetter.set(letter, list);
  }
  const compiled = { byFirstLetter, groups: table.groups };
  compiledTables.set(table, compiled);
  return compiled;
}

/** A question token with its stems computed once. */
interface StemmedToken extends Token {
  stem: string;
  lowerStem: string;
  diacritic: boolean;
}

/**
 * True when a question word matches a term word: same stem, or (stems of 4+ letters) the word starts with the
 * stem — an inflection or a compound ("fosterhemmen", "fosterhemsplacering"). Only the head of a compound counts:
 * "blåljuspersonal" does not trigger "personal". When both carry å/ä/ö the unfolded forms must agree too
 * ("gånger" ≠ "gäng").
 */
function wordMatches(word: CompiledWord, token: StemmedToken): boolean {
  if (token.folded.charCodeAt(0) !== word.folded.charCodeAt(0)) return false;
  if (!stemMatches(word.stem, word.folded, token.folded, token.stem)) return false;
  if (word.diacritic && token.diacritic) return stemMatches(word.lowerStem, word.lower, token.lower, token.lowerStem);
  return true;
}

function stemMatches(stem: string, full: string, text: string, textStem: string): boolean {
  if (text === full) return true;
  if (stem.length < 4) return textStem === stem;
  return text.startsWith(stem);
}

/** Short words inside a phrase ("för", "eller") must match exactly (or by stem). */
function phraseWordMatches(word: CompiledWord, token: StemmedToken): boolean {
  if (word.folded.length <= 4) return token.folded === word.folded || token.stem === word.stem;
  return wordMatches(word, token);
}

/**
 * Finds synonym groups triggered by the tokens. Each token is used by at most one term (longest phrase first);
 * a group is reported once. Returns the uses, in question order.
 */
export function findSynonyms(questionTokens: Token[], table: SynonymTable = defaultSynonyms): SynonymUse[] {
  const compiled = compile(table);
  const tokens: StemmedToken[] = questionTokens.map((token) => {
    const diacritic = hasDiacritic(token.lower);
    const stem = cachedStem(token.folded);
    return { ...token, stem, lowerStem: diacritic ? cachedStem(token.lower) : stem, diacritic };
  });
  const used = new Set<number>();
  const uses: Array<SynonymUse & { position: number; group: number }> = [];
  const groupsSeen = new Set<number>();
  for (let index = 0; index < tokens.length; index++) {
    if (used.has(index)) continue;
    // Terms starting with this token's letter, longest phrase first.
    for (const term of compiled.byFirstLetter.get(tokens[index].folded[0]) ?? []) {
      if (index + term.words.length > tokens.length) continue;
      let matches = true;
      for (let offset = 0; offset < term.words.length && matches; offset++) {
        if (used.has(index + offset)) matches = false;
        else if (term.words.length === 1) matches = wordMatches(term.words[0], tokens[index]);
        else matches = phraseWordMatches(term.words[offset], tokens[index + offset]);
      }
      if (!matches) continue;
      for (let offset = 0; offset < term.words.length; offset++) used.add(index + offset);
      const matched = tokens.slice(index, index + term.words.length);
      const surface = matched.map((token) => token.lower).join(' ');
      if (groupsSeen.has(term.group)) break;
      groupsSeen.add(term.group);
      const others = compiled.groups[term.group].filter((other) => termKey(other) !== termKey(term.text));
      const expansions = new Set(others);
      // Compound variants: "fosterhemsplacering" → "familjehemsplacering".
      if (term.words.length === 1 && term.text.length >= 5) {
        const token = matched[0];
        const head = term.words[0];
        const tail = token.lower.startsWith(head.lower)
          ? token.lower.slice(head.lower.length)
          : token.folded.startsWith(head.folded)
            ? token.folded.slice(head.folded.length)
            : '';
        if (tail.length >= 4) {
          for (const other of others) if (!/\s/.test(other)) expansions.add(`${other.toLowerCase()}${tail}`);
        }
      }
      expansions.delete(surface);
      uses.push({ term: surface, expansions: [...expansions], position: index, group: term.group });
      break;
    }
  }
  return uses.sort((a, b) => a.position - b.position).map(({ term, expansions }) => ({ term, expansions }));
}
