/**
 * Swedish text repair for extracted plan documents (and user questions).
 *
 * What it repairs
 *  - **Split diacritics** (PDF extraction that wrote å/ä/ö as base letter + space: "fo rvaltningen",
 *    "na mnden", "ocksa  na mndspecifika", "miljo - och", "a r"; also the form with a separate mark,
 *    "fo¨ rvaltningen", combining U+0308/U+030A or standalone ¨ ˚). Every "a/o/A/O + space" is a possible
 *    lost mark; a per-line dynamic programme chooses which spaces are marks and which diacritic each one
 *    was, maximising dictionary validity plus a frequency prior. In a document detected as split-damaged
 *    each mark that yields a valid word gets a bonus, so "va ra" becomes "våra" although "va" and "ra" are
 *    both in the dictionary. When one join has several dictionary readings, a reading the same document writes
 *    intact elsewhere wins ("ianspråkta" in a title decides "ianspra kta"), and the neighbours decide "år"/"är"
 *    and "får"/"för" with the rules of the OCR readings ("13–17 a r" → "år", "Det a r" → "är").
 *  - **OCR confusions** (é/&/6/4/1/d/i/a/o … for å/ä/ö, see `confusions.ts`): an unknown word is rewritten
 *    by the cheapest edits from the confusion table that the dictionary accepts; ties are broken by the
 *    frequency prior (the built-in table `FREQUENT_SWEDISH_WORDS`) and, for a few ambiguous pairs,
 *    by the neighbouring words ("får i uppdrag", "för").
 *  - **Valid-looking wrong words** (the rule): only in a document detected as OCR-damaged (unknown-word
 *    ratio ≥ 8 % after the split repair, at least 5 unknown words), and only
 *    (1) for the Swedish homograph pairs under diacritic loss `CONFUSABLE_WORDS` below ("for"/"för",
 *        "ar"/"är", "far"/"får", "sa"/"så", "vara"/"våra", "vald"/"våld", "stod"/"stöd", "sitt"/"sätt",
 *        "fortsatta"/"fortsätta"), each decided by its neighbours, or
 *    (2) for a word written without å/ä/ö whose lost-diacritic reading (a → ä/å, o → ö) the dictionary
 *        knows and the built-in frequency prior makes ≥ 5× more frequent ("halsa" → "hälsa", "mal" → "mål",
 *        "bade" → "både"; "vara", "man", "sitt" stay), or — for a word the prior does not know — whose
 *        one-letter confusion of the table (i/d → ä …) is such a word ("gillande" → "gällande", "dr" → "är").
 *    A document that is not detected as damaged never has a dictionary word changed (only explicit
 *    marks "fo¨ rvaltningen" are joined there); 001/002/003 come out unchanged except headers and hyphens.
 *  - **Line-break hyphens**: "social-⏎nämnderna" (and, in a damaged extraction only, "social-nämnderna") → "socialnämnderna" when the joined
 *    word is valid, the left part has at least two letters and is not an acronym and the right part starts
 *    in lower case ("miljö- och", "idrotts-och", "HBTQI-personer", "e-ansökan" stay).
 *  - **Page headers/footers**: lines such as "Nämndens verksamhetsplan 2024 6 (17)", "Sida 3 av 17" and
 *    lone page numbers (1–3 digits) are dropped with their line break.
 *
 * The output keeps the line structure ("\n" between lines; other whitespace is left as it was), and an
 * offset map from repaired to raw text gives `originalSlice(start, end)` for traceability. Every change
 * is listed in `repairs` with its offset in the repaired text.
 */
import type { Lexicon } from '../types.ts';
import { hasLetter, hasLowerCase, hasSurrogate, isLetterOrNumberCode, isLowerCode, isUpperCode } from './chars.ts';
import { generateCandidates, hasStrongDamage, insertionCandidates, type Candidate } from './confusions.ts';
import { foldSwedish } from './fold.ts';
import { FREQUENT_SWEDISH_WORDS } from './frequent-words.ts';
import { normalizeText } from './normalize.ts';

/** One change the repair made. */
export interface Repair {
  /** Offset in the repaired text. */
  offset: number;
  from: string;
  to: string;
  kind: 'split-diacritic' | 'ocr' | 'hyphenation' | 'header-footer' | 'other';
}

/** How damaged the repair judged a document to be (decides which repairs run). */
export interface DamageReport {
  /** Words checked (at least two letters, not all capitals). */
  words: number;
  /** Of those, unknown to the dictionary after the split-diacritic repair. */
  unknownWords: number;
  unknownRatio: number;
  /** Number of "a/o + space" places whose joining makes an unknown piece a dictionary word. */
  splitEvidence: number;
  /** Split-diacritic repair with the document-level mark bonus ran. */
  splitDiacritics: boolean;
  /** OCR repair of ordinary letters and the confusable-word rule ran. */
  ocr: boolean;
}

/** The repaired text with its traceability back to the raw text. */
export interface RepairResult {
  text: string;
  repairs: Repair[];
  /** Raw text behind `text.slice(start, end)` (covers every raw character the span was made from). */
  originalSlice(start: number, end: number): string;
  /** Damage detection (documents only). */
  damage?: DamageReport;
}

// The repair has no per-corpus knowledge: a document's repair never depends on which other documents are
// ingested with it. Its fixed sources are the hunspell lexicon (dictionary-sv, via `Lexicon`) and the built-in
// frequency prior `FREQUENT_SWEDISH_WORDS` (`frequent-words.ts`).

type RepairKind = Repair['kind'];

interface Mode {
  /** Header/footer removal and hyphen joins. */
  lines: boolean;
  /** Split diacritics: off, only where a join clearly helps (queries), or with the document bonus. */
  split: 'strict' | 'document';
  /** OCR repair: only strong damage (é, &, digits inside words) or also ordinary letters. */
  ocr: 'off' | 'strong' | 'full';
  confusables: boolean;
}

interface Piece {
  start: number;
  end: number;
  text: string;
  /** The piece ends with a letter that may have lost its mark to the following space. */
  markEnd: 'explicit' | 'base' | null;
}

interface Token {
  start: number;
  end: number;
  text: string;
  kinds: RepairKind[];
  /** Other dictionary-valid readings of an OCR-repaired word, best first (for context rules). */
  alternatives?: string[];
}

interface Line {
  start: number;
  /** End of the line content (before "\n"). */
  end: number;
  dropped: boolean;
  tokens: Token[];
}

const SEPARATOR = /[ \t\u00A0]/;
/** `SEPARATOR` of one code unit. */
const isSeparatorCode = (code: number): boolean => code === 32 || code === 9 || code === 0xa0;
const MARK_CHARACTERS = /[\u00A8\u02DA\u0308\u030A]$/;
const BASE_MARK_LETTER = /[aoAO]$/;
const COMPOSED_END = /[åäöÅÄÖëüËÜ]$/;
const DIACRITIC_OPTIONS: Record<string, string[]> = { a: ['ä', 'å'], o: ['ö'], A: ['Ä', 'Å'], O: ['Ö'] };
const SPLIT_MARK_BONUS = 4.5;
const EXPLICIT_MARK_BONUS = 4;
const OCR_UNKNOWN_RATIO = 0.08;
const OCR_MIN_UNKNOWN = 5;
const SPLIT_EVIDENCE_RATIO = 0.02;
const SPLIT_MIN_EVIDENCE = 3;
const MAX_LOOKUPS_PER_WORD = 1200;
/** Added to a split-diacritic reading that the same document writes intact elsewhere (above any prior difference). */
const INTACT_FORM_BONUS = 2;

// One code unit (or none) each: the class table gives what /\p{Lu}/u and /\p{Ll}/u give for it.
const isUpper = (character: string | undefined): boolean => character !== undefined && character.length === 1 && isUpperCode(character.charCodeAt(0));
const isLower = (character: string | undefined): boolean => character !== undefined && character.length === 1 && isLowerCode(character.charCodeAt(0));
const isAcronym = (word: string): boolean => word.length >= 2 && !hasLowerCase(word);
const capitalise = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);
const matchCase = (replacement: string, original: string): string =>
  isUpper(original.charAt(0)) ? capitalise(replacement) : replacement;

/** Composes letters with their marks: NFC plus spacing marks ¨ ˚ written after (or before) the base letter. */
function composeMarks(text: string): string {
  if (!/[\u00A8\u02DA\u0300-\u036f]/.test(text)) return text;
  return text
    .replace(/([aAoOuUeE])\u00A8/g, (_match, letter: string) => `${letter}\u0308`)
    .replace(/\u00A8([aAoOuUeE])/g, (_match, letter: string) => `${letter}\u0308`)
    .replace(/([aA])\u02DA/g, (_match, letter: string) => `${letter}\u030A`)
    .replace(/\u02DA([aA])/g, (_match, letter: string) => `${letter}\u030A`)
    .normalize('NFC');
}

/** Leading and trailing punctuation around a word core ("»Socialnämnden", "budget.", "(ÄVO)."). */
function splitAffixes(text: string): { lead: string; core: string; trail: string } {
  if (!hasSurrogate(text)) {
    // The regexes below, scanning code units (without astral characters each is one code point).
    const isCore = (code: number): boolean => code === 38 /* & */ || isLetterOrNumberCode(code);
    let start = 0;
    while (start < text.length && !isCore(text.charCodeAt(start))) start++;
    let end = text.length;
    while (end > start && !isCore(text.charCodeAt(end - 1))) end--;
    return { lead: text.slice(0, start), core: text.slice(start, end), trail: text.slice(end) };
  }
  const lead = /^[^\p{L}\p{N}&]*/u.exec(text)?.[0] ?? '';
  const rest = text.slice(lead.length);
  const trail = /[^\p{L}\p{N}&]*$/u.exec(rest)?.[0] ?? '';
  return { lead, core: rest.slice(0, rest.length - trail.length), trail };
}

/** An OCR repair of one word with its other dictionary readings (`repairUnknownWord`). */
type WordRepair = { text: string; alternatives: string[] } | null;

/**
 * Answers that depend on a word and the dictionary alone, kept per lexicon across repairs (so a document's repair
 * still depends on nothing but its text): `repairUnknownWord` by OCR mode and word, `moreFrequentReading` by word.
 * A table is emptied when it reaches `MAX_KEPT_WORDS`.
 */
interface WordAnswers {
  ocr: Map<string, WordRepair>;
  frequentReadings: Map<string, string | null>;
}
const MAX_KEPT_WORDS = 50000;
const answersByLexicon = new WeakMap<Lexicon, WordAnswers>();

function wordAnswers(lexicon: Lexicon): WordAnswers {
  let answers = answersByLexicon.get(lexicon);
  if (!answers) {
    answers = { ocr: new Map(), frequentReadings: new Map() };
    answersByLexicon.set(lexicon, answers);
  }
  return answers;
}

/** Sets `key` in a table of `WordAnswers`, emptying it first when full. */
function keep<T>(table: Map<string, T>, key: string, value: T): void {
  if (table.size >= MAX_KEPT_WORDS) table.clear();
  table.set(key, value);
}

/** Dictionary validity, frequency prior and word scores shared by all passes of one repair. */
class Judge {
  private readonly validity = new Map<string, boolean>();
  private readonly scores = new Map<string, number>();
  private readonly unknowns = new Map<string, boolean | null>();
  /** Per-word answers of the lexicon, kept across repairs. */
  readonly answers: WordAnswers;
  lookups = 0;

  constructor(private readonly lexicon: Lexicon) {
    this.answers = wordAnswers(lexicon);
  }

  isValid(word: string): boolean {
    let known = this.validity.get(word);
    if (known === undefined) {
      this.lookups++;
      known = this.lexicon.isWord(word);
      this.validity.set(word, known);
    }
    return known;
  }

  /**
   * Frequency prior in [0, 1.5] from the built-in table of exact forms (so readings sharing a folded form,
   * "vård" and "värd", keep their difference). A compound without an exact count gets most of the prior of
   * its longest known tail ("medborgarråd" ← "råd").
   */
  bonus(word: string): number {
    const lower = word.toLowerCase();
    const direct = this.count(lower);
    if (direct > 0) return Math.min(1.5, 0.25 * Math.log10(1 + direct));
    for (let index = 2; index <= lower.length - 3; index++) {
      const tail = this.count(lower.slice(index));
      if (tail > 0) return Math.min(1.2, 0.2 * Math.log10(1 + tail));
    }
    return 0;
  }

  /** Exact-form count of the built-in frequency prior (not folded: tells "vara" from "våra"). */
  formCount(lower: string): number {
    return this.count(lower);
  }

  private count(lower: string): number {
    return FREQUENT_SWEDISH_WORDS.get(lower) ?? 0;
  }

  /**
   * Dictionary validity of one part of a written word; a suspended compound part ("hälso-" in
   * "hälso- och sjukvård") is valid when it forms a compound ("hälsoarbete").
   */
  private validPart(part: string, suspended: boolean): boolean {
    return this.isValid(part) || (suspended && this.isValid(`${part}arbete`));
  }

  /** Letter parts of a written word (split at "-" and "/"), flagging a suspended last part ("miljö-"). */
  private parts(text: string): Array<{ part: string; suspended: boolean }> {
    const { core, trail } = splitAffixes(text);
    const pieces = core.split(/[-/]/);
    return pieces
      .map((part, index) => ({ part, suspended: index === pieces.length - 1 && trail.startsWith('-') }))
      .filter(({ part }) => hasLetter(part));
  }

  /** Score of a word as written (with punctuation): valid parts +3 (+prior), unknown parts −3, lone letters −2. */
  wordScore(text: string): number {
    let score = this.scores.get(text);
    if (score !== undefined) return score;
    score = 0;
    for (const { part, suspended } of this.parts(text)) {
      if (part.length === 1) score += /^[iåöIÅÖ]$/.test(part) ? 1 : -2;
      // Unknown parts get a small tie-break from a known tail ("medborgarråd" before "medborgarräd").
      else score += this.validPart(part, suspended) ? 3 + this.bonus(part) : -3 + 0.3 * this.bonus(part);
    }
    this.scores.set(text, score);
    return score;
  }

  /** True when every letter part of `text` (split at "-" and "/", punctuation stripped) is a dictionary word. */
  allValid(text: string): boolean {
    const parts = this.parts(text);
    return (
      parts.length > 0 &&
      parts.every(({ part, suspended }) => (part.length === 1 ? /^[iåöIÅÖ]$/.test(part) : this.validPart(part, suspended)))
    );
  }

  /** A word counted by the damage detection: unknown to the dictionary? `null` when not counted. */
  unknown(core: string): boolean | null {
    let known = this.unknowns.get(core);
    if (known !== undefined) return known;
    const parts = core.split(/[-/]/).filter((part) => part.length >= 2 && hasLetter(part) && !isAcronym(part));
    known = parts.length === 0 ? null : parts.some((part) => !this.isValid(part));
    this.unknowns.set(core, known);
    return known;
  }
}

/** Splits one line into pieces at single whitespace characters (two spaces give an empty piece). */
function linePieces(raw: string, start: number, end: number): Piece[] {
  const pieces: Piece[] = [];
  let pieceStart = start;
  for (let index = start; index <= end; index++) {
    if (index === end || isSeparatorCode(raw.charCodeAt(index))) {
      const text = raw.slice(pieceStart, index);
      const composed = composeMarks(text);
      const markEnd = MARK_CHARACTERS.test(text) && COMPOSED_END.test(composed) ? 'explicit' : BASE_MARK_LETTER.test(text) ? 'base' : null;
      pieces.push({ start: pieceStart, end: index, text: composed, markEnd });
      pieceStart = index + 1;
    }
  }
  return pieces;
}

/** Page headers/footers and lone page numbers. */
export function isHeaderOrFooterLine(line: string): boolean {
  const text = line.trim();
  if (!text) return false;
  if (/^\d{1,3}$/.test(text)) return true;
  if (/^[-–]\s*\d{1,3}\s*[-–]$/.test(text)) return true;
  if (/^(?:sida|page)\s+\d{1,3}(?:\s*(?:av|of|\/)\s*\d{1,3})?$/i.test(text)) return true;
  const numbered = /^(?:.{0,100}\s)?(\d{1,3})\s?\((\d{1,3})\)$/.exec(text);
  if (numbered && Number(numbered[1]) >= 1 && Number(numbered[1]) <= Number(numbered[2])) return true;
  const slashed = /^(?:.{0,100}\s)?(?:sida\s)?(\d{1,3})\s?(?:\/|av)\s?(\d{1,3})$/i.exec(text);
  return slashed !== null && /^(?:sida\s)?\d/i.test(text) && Number(slashed[1]) <= Number(slashed[2]);
}

/**
 * Split-diacritic repair of one line: chooses which "letter + space" places are lost marks.
 * Returns the line's word tokens (joined pieces; empty pieces vanish, their spaces stay as separators).
 */
function splitLineTokens(raw: string, pieces: Piece[], mode: Mode, judge: Judge, intactForms: ReadonlySet<string> = new Set()): Token[] {
  const count = pieces.length;
  const separatorAfter = (index: number): string => raw[pieces[index].end] ?? '';
  const joinBonus: number[] = [];
  for (let index = 0; index < count - 1; index++) {
    const piece = pieces[index];
    const next = pieces[index + 1];
    let bonus = -1;
    if (piece.text && piece.markEnd && separatorAfter(index) === ' ') {
      const capitals = isUpper(piece.text.slice(-2, -1)) && isUpper(next.text[0]);
      const nextStartsWell = next.text === '' || isLower(next.text[0]) || capitals || /^[-.,:;)!?]/.test(next.text);
      if (nextStartsWell) {
        if (piece.markEnd === 'explicit') bonus = EXPLICIT_MARK_BONUS;
        else if (mode.split === 'strict') bonus = 0;
        else bonus = next.text === '' && index + 1 === count - 1 ? 0 : SPLIT_MARK_BONUS;
      }
    }
    joinBonus.push(bonus);
  }
  if (!joinBonus.some((bonus) => bonus >= 0)) {
    return pieces.filter((piece) => piece.text).map((piece) => ({ start: piece.start, end: piece.end, text: piece.text, kinds: [] }));
  }
  const best = new Array<number>(count + 1).fill(-Infinity);
  const choice = new Array<{ from: number; text: string; alternatives?: string[] } | undefined>(count + 1);
  const coreOf = (variant: string): string => splitAffixes(variant).core.toLowerCase();
  best[0] = 0;
  for (let from = 0; from < count; from++) {
    if (best[from] === -Infinity) continue;
    let variants = [pieces[from].text];
    let bonus = 0;
    for (let to = from; to < count; to++) {
      if (to > from) {
        const previous = pieces[to - 1];
        const options = previous.markEnd === 'base' ? DIACRITIC_OPTIONS[previous.text.slice(-1)] : [''];
        const nextVariants: string[] = [];
        for (const variant of variants) {
          for (const letter of options) {
            const head = previous.markEnd === 'base' ? variant.slice(0, -1) + letter : variant;
            nextVariants.push(head + pieces[to].text);
          }
        }
        variants = nextVariants.slice(0, 243);
        bonus += joinBonus[to - 1];
      }
      // Among the readings of one join, a reading the document writes intact elsewhere ("ianspråkta" in a title,
      // "ianspra kta" in the text) wins; it does not change whether the pieces are joined (`bestScore`).
      let bestVariant = variants[0];
      let bestScore = -Infinity;
      let bestChoiceScore = -Infinity;
      for (const variant of variants) {
        const score = variant === '' ? 0 : judge.wordScore(variant);
        const choiceScore = to > from && intactForms.has(coreOf(variant)) ? score + INTACT_FORM_BONUS : score;
        if (choiceScore > bestChoiceScore) {
          bestChoiceScore = choiceScore;
          bestScore = score;
          bestVariant = variant;
        }
      }
      // The mark bonus only counts when every part of the joined word is a dictionary word.
      const total = best[from] + bestScore + (to > from && judge.allValid(bestVariant) ? bonus : 0);
      if (total > best[to + 1]) {
        best[to + 1] = total;
        // Other dictionary readings of the same join ("a r": "är", "år"), best first, for the context pass.
        const readings =
          to > from && variants.length > 1
            ? [...new Set(variants.filter((variant) => judge.allValid(variant)).map(coreOf))].sort(
                (left, right) => (left === coreOf(bestVariant) ? -1 : right === coreOf(bestVariant) ? 1 : 0),
              )
            : [];
        choice[to + 1] = { from, text: bestVariant, ...(readings.length > 1 && readings[0] === coreOf(bestVariant) ? { alternatives: readings } : {}) };
      }
      if (to >= count - 1 || joinBonus[to] < 0) break;
    }
  }
  const tokens: Token[] = [];
  for (let end = count; end > 0; ) {
    const chosen = choice[end]!;
    const first = pieces[chosen.from];
    const last = pieces[end - 1];
    if (chosen.text) {
      const joined = end - 1 > chosen.from;
      tokens.push({
        start: first.start,
        end: last.end,
        text: chosen.text,
        kinds: joined ? ['split-diacritic'] : [],
        ...(joined && chosen.alternatives ? { alternatives: chosen.alternatives } : {}),
      });
    }
    end = chosen.from;
  }
  return tokens.reverse();
}

/** Repairs one word (no punctuation) that the dictionary does not know, or returns null. */
function repairUnknownWord(
  word: string,
  mode: Mode,
  judge: Judge,
): WordRepair {
  if (!hasLetter(word) || isAcronym(word) || judge.isValid(word)) return null;
  const strong = hasStrongDamage(word);
  if (mode.ocr === 'off' || (mode.ocr === 'strong' && !strong)) return null;
  const key = `${mode.ocr}|${word}`;
  const memo = judge.answers.ocr;
  if (memo.has(key)) return memo.get(key)!;
  const found: Candidate[] = [];
  let lookups = 0;
  const consider = (candidates: Candidate[]): void => {
    let cutoff = Infinity;
    for (const candidate of candidates) {
      if (candidate.cost > cutoff || lookups >= MAX_LOOKUPS_PER_WORD) break;
      if (candidate.text.length === 1 && !/^[iåö]$/i.test(candidate.text)) continue;
      lookups++;
      if (judge.isValid(candidate.text)) {
        found.push(candidate);
        if (cutoff === Infinity) cutoff = candidate.cost + 0.6;
      }
    }
  };
  // Level by level (number of weak edits): the first level with a dictionary word wins.
  const maxLevel = mode.ocr === 'strong' ? 0 : 3;
  for (let level = 0; level <= maxLevel && found.length === 0 && lookups < MAX_LOOKUPS_PER_WORD; level++) {
    consider(generateCandidates(word, { strongOnly: mode.ocr === 'strong', exactWeakEdits: level }));
  }
  if (found.length === 0 && mode.ocr === 'full' && !strong && word.length >= 4 && word.length <= 14) {
    consider(insertionCandidates(word));
  }
  let result: { text: string; alternatives: string[] } | null = null;
  if (found.length > 0) {
    const ranked = found
      .map((candidate) => ({ text: candidate.text, rank: -candidate.cost + 0.8 * judge.bonus(candidate.text) }))
      .sort((left, right) => right.rank - left.rank);
    result = { text: ranked[0].text, alternatives: ranked.map((entry) => entry.text) };
  }
  keep(memo, key, result);
  return result;
}

/** OCR repair of a token's word parts (split at "/" and "-"), keeping its punctuation. */
function repairTokenOcr(token: Token, mode: Mode, judge: Judge): void {
  const { lead, core, trail } = splitAffixes(token.text);
  if (!core || /:\/\/|@|www\.|=/.test(token.text)) return;
  const parts = core.split(/([-/])/);
  let changed = false;
  let alternatives: string[] | undefined;
  for (let index = 0; index < parts.length; index += 2) {
    const repaired = repairUnknownWord(parts[index], mode, judge);
    if (repaired) {
      parts[index] = repaired.text;
      changed = true;
      if (parts.length === 1 && repaired.alternatives.length > 1) alternatives = repaired.alternatives;
    }
  }
  if (changed) {
    token.text = lead + parts.join('') + trail;
    token.kinds.push('ocr');
    token.alternatives = alternatives;
  }
}

const PREPOSITIONS = new Set(['av', 'för', 'i', 'med', 'till', 'på', 'om', 'runt', 'mot', 'från', 'inom', 'hos', 'bland', 'över', 'under', 'genom', 'åt', 'kring', 'alla', 'utanför', 'mellan', 'vid']);
const SUBJECT_WORDS = new Set(['jag', 'du', 'han', 'hon', 'den', 'det', 'vi', 'ni', 'de', 'man', 'som', 'hen']);
const PARTICIPLE_CONTEXT = new Set(['är', 'blir', 'bli', 'var', 'blev', 'väl', 'ska', 'nyligen', 'har', 'blivit', 'varit']);
const MANNER_CONTEXT = new Set(['ett', 'bra', 'samma', 'nytt', 'annat', 'vilket', 'detta', 'sådant', 'likvärdigt', 'enkelt', 'effektivt', 'hållbart', 'rätt', 'strukturerat', 'systematiskt']);
const YEAR_CONTEXT = new Set(['varje', 'per', 'detta', 'nästa', 'förra', 'samma', 'två', 'tre', 'fyra', 'fem', 'flera', 'många', 'några', 'ett', 'första', 'andra', 'sista']);
const COUNTING_NOUNS = new Set(['bilaga', 'kapitel', 'punkt', 'avsnitt', 'steg', 'nummer', 'nr', 'mål', 'sida', 'fas', 'del', 'etapp', 'version', 'år', 'klockan', 'kl', 'paragraf', 'grupp', 'område', 'uppdrag', 'bild', 'tabell', 'figur']);
const MODAL_CONTEXT = new Set(['ska', 'skall', 'att', 'kan', 'måste', 'bör', 'vill', 'kommer', 'får']);
const GETS_CONTEXT = new Set(['rätt', 'ta', 'möjlighet', 'inte', 'del', 'tillgång']);

/** Neighbouring words (repaired, lower case) that decide a confusable word. */
export interface ConfusableContext {
  previous: string;
  next: string;
  afterNext: string;
}

const getsOrFor = (context: ConfusableContext): 'får' | 'för' =>
  (context.next === 'i' && context.afterNext === 'uppdrag') || GETS_CONTEXT.has(context.next) ? 'får' : 'för';
const isOrYear = (context: ConfusableContext): 'år' | 'är' =>
  /^\d+(?:[–-]\d+)?$/.test(context.previous) || YEAR_CONTEXT.has(context.previous) ? 'år' : 'är';

/**
 * Valid words that OCR/extraction produces from a more frequent word (applied only in OCR-damaged documents),
 * each with the context that decides. Returning null keeps the word.
 */
export const CONFUSABLE_WORDS: ReadonlyMap<string, (context: ConfusableContext) => string | null> = new Map<string, (context: ConfusableContext) => string | null>([
  ['for', getsOrFor],
  ['ar', isOrYear],
  ['far', (context) => (['en', 'min', 'din', 'sin', 'hans', 'hennes', 'vår', 'er', 'deras', 'och'].includes(context.previous) ? null : 'får')],
  ['sa', (context) => (SUBJECT_WORDS.has(context.previous) ? null : 'så')],
  ['vara', (context) => (PREPOSITIONS.has(context.previous) && /^\p{Ll}{3,}$/u.test(context.next) ? 'våra' : null)],
  ['vald', (context) => (PARTICIPLE_CONTEXT.has(context.previous) ? null : 'våld')],
  ['stod', (context) => (SUBJECT_WORDS.has(context.previous) ? null : 'stöd')],
  ['sitt', (context) => (MANNER_CONTEXT.has(context.previous) ? 'sätt' : null)],
  ['fortsatta', (context) => (MODAL_CONTEXT.has(context.previous) ? 'fortsätta' : null)],
]);

/** A reading must be this many times more frequent than the word as written to replace it. */
const LOST_DIACRITIC_RATIO = 5;
/** …and at least this frequent (built-in count). */
const LOST_DIACRITIC_MIN_COUNT = 20;

/**
 * Rule 2 for valid-looking words in OCR-damaged documents: a word written without å/ä/ö is replaced by the
 * reading with lost diacritics restored (a → ä/å, o → ö; at most two letters) when the dictionary knows
 * that reading and the built-in frequency prior makes it at least
 * `LOST_DIACRITIC_RATIO` times more frequent ("halsa" → "hälsa", "malet" → "målet"; "vara", "man" stay).
 */
function moreFrequentReading(lower: string, judge: Judge): string | null {
  let reading = judge.answers.frequentReadings.get(lower);
  if (reading === undefined) {
    reading = findMoreFrequentReading(lower, judge);
    keep(judge.answers.frequentReadings, lower, reading);
  }
  return reading;
}

function findMoreFrequentReading(lower: string, judge: Judge): string | null {
  if (/[åäö]/.test(lower)) return null;
  const written = judge.formCount(lower);
  let best: string | null = null;
  let bestCount = 0;
  for (const candidate of generateCandidates(lower, { maxWeakEdits: 2, maxCost: 2.2 })) {
    // Lost diacritics (up to two), or one other one-letter confusion of the table ("gillande" → "gällande",
    // "ritt" → "rätt") for a word the prior does not know at all.
    const lostDiacritics = foldSwedish(candidate.text) === lower;
    if (!lostDiacritics && (candidate.weakEdits !== 1 || written > 0 || candidate.text.length !== lower.length)) continue;
    const count = judge.formCount(candidate.text);
    if (count > bestCount && judge.isValid(candidate.text)) {
      best = candidate.text;
      bestCount = count;
    }
  }
  return best !== null && bestCount >= LOST_DIACRITIC_MIN_COUNT && bestCount >= LOST_DIACRITIC_RATIO * (written + 1) ? best : null;
}

/** The reading of an ambiguous repaired word that its neighbours decide ("får"/"för", "år"/"är"), or null. */
function readingInContext(alternatives: readonly string[], context: ConfusableContext): string | null {
  const readings = new Set(alternatives.map((alternative) => alternative.toLowerCase()));
  if (readings.has('får') && readings.has('för')) return getsOrFor(context);
  if (readings.has('är') && readings.has('år')) return isOrYear(context);
  return null;
}

/**
 * Context pass for split-diacritic joins with several dictionary readings ("13–17 a r" → "år", "Det a r" → "är"):
 * the same neighbour rules as for OCR readings. Runs in every split-damaged document.
 */
function applySplitContext(tokens: Token[]): void {
  const words = tokens.map((token) => splitAffixes(token.text).core.toLowerCase());
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    if (!token.alternatives || !token.kinds.includes('split-diacritic')) continue;
    const replacement = readingInContext(token.alternatives, { previous: words[index - 1] ?? '', next: words[index + 1] ?? '', afterNext: words[index + 2] ?? '' });
    if (replacement === null) continue;
    const { lead, core, trail } = splitAffixes(token.text);
    token.text = lead + matchCase(replacement, core) + trail;
    words[index] = replacement;
  }
}

/** Context pass: standalone "1" → "i", confusable valid words, ambiguous OCR readings. */
function applyContext(tokens: Token[], mode: Mode, judge: Judge): void {
  const words = tokens.map((token) => splitAffixes(token.text).core.toLowerCase());
  const wordAt = (index: number): string => {
    const word = words[index] ?? '';
    return word === '1' ? 'i' : word;
  };
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    const { lead, core, trail } = splitAffixes(token.text);
    const lower = core.toLowerCase();
    const context: ConfusableContext = { previous: wordAt(index - 1), next: wordAt(index + 1), afterNext: wordAt(index + 2) };
    let replacement: string | null = null;
    if (core === '1') {
      const previousIsWord = /^\p{Ll}+$/u.test(splitAffixes(tokens[index - 1]?.text ?? '').core) && !COUNTING_NOUNS.has(context.previous);
      // "1." / "1)" numbers a list item ("beslut\n1. Detaljplan … antas"): only a bare "1" between lower-case words is "i".
      const nextWritten = splitAffixes(tokens[index + 1]?.text ?? '').core;
      const numbering = /^[.)]/.test(trail);
      if (previousIsWord && !numbering && /^\p{Ll}{2,}$/u.test(nextWritten) && !/[.:;]$/.test(tokens[index - 1]?.text ?? '')) replacement = 'i';
    } else if (mode.confusables && token.kinds.length === 0 && CONFUSABLE_WORDS.has(lower)) {
      replacement = CONFUSABLE_WORDS.get(lower)!(context);
    } else if (mode.confusables && token.kinds.length === 0 && /^\p{L}{2,}$/u.test(core) && !isAcronym(core)) {
      replacement = moreFrequentReading(lower, judge);
    } else if (token.alternatives) {
      replacement = readingInContext(token.alternatives, context);
    }
    if (replacement !== null) {
      const text = lead + matchCase(replacement, core) + trail;
      if (text !== token.text) {
        token.text = text;
        if (!token.kinds.includes('ocr')) token.kinds.push('ocr');
      }
      words[index] = replacement;
    }
  }
}

/** The parts of an inner hyphen that are no words alone make a valid word joined ("vräkningsföre-byggande"). */
function isBrokenInnerHyphen(token: Token, judge: Judge): boolean {
  const match = /^(\p{L}{2,})-(\p{Ll}{2,})$/u.exec(splitAffixes(token.text).core);
  if (!match || isAcronym(match[1])) return false;
  return (!judge.isValid(match[1]) || !judge.isValid(match[2])) && judge.isValid(match[1] + match[2]);
}

/** Joins "social-nämnderna" inside one token when the joined word is valid. */
function joinInnerHyphens(token: Token, judge: Judge): void {
  const { lead, core, trail } = splitAffixes(token.text);
  const match = /^(\p{L}{2,})-(\p{Ll}{2,})$/u.exec(core);
  if (!match || isAcronym(match[1])) return;
  const joined = match[1] + match[2];
  if (judge.isValid(joined)) {
    token.text = lead + joined + trail;
    token.kinds.push('hyphenation');
  }
}

/** Joins a word hyphenated over a line break ("social-⏎nämnderna") when the joined word is valid. */
function joinLineBreakHyphens(raw: string, lines: Line[], judge: Judge): void {
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (line.dropped || line.tokens.length === 0) continue;
    const last = line.tokens[line.tokens.length - 1];
    const left = /(\p{L}{2,})-$/u.exec(last.text);
    if (!left || isAcronym(left[1])) continue;
    let nextIndex = index + 1;
    let skippedHeader = false;
    while (nextIndex < lines.length && nextIndex - index <= 6 && (lines[nextIndex].dropped || lines[nextIndex].tokens.length === 0)) {
      if (lines[nextIndex].dropped) skippedHeader = true;
      nextIndex++;
    }
    if (nextIndex >= lines.length || (nextIndex > index + 1 && !skippedHeader)) continue;
    const first = lines[nextIndex].tokens[0];
    const right = /^\p{Ll}+/u.exec(first.text);
    if (!right || !judge.isValid(left[1] + right[0])) continue;
    last.text = last.text.slice(0, -1) + first.text;
    last.kinds.push('hyphenation');
    first.text = '';
    first.kinds = ['hyphenation'];
    // The moved word's following spaces go with it (and into the repair's `from`).
    const lineEnd = lines[nextIndex].end;
    while (first.end < lineEnd && SEPARATOR.test(raw[first.end])) first.end++;
  }
}

/** Lengths of the common non-letter prefix and suffix of two texts. */
function commonAffixes(original: string, repaired: string): { lead: number; trail: number } {
  const boundary = /[^\p{L}\p{N}&]/u;
  let lead = 0;
  while (lead < original.length && lead < repaired.length && original[lead] === repaired[lead] && boundary.test(original[lead])) lead++;
  let trail = 0;
  while (
    trail < original.length - lead &&
    trail < repaired.length - lead &&
    original[original.length - 1 - trail] === repaired[repaired.length - 1 - trail] &&
    boundary.test(original[original.length - 1 - trail])
  ) {
    trail++;
  }
  return { lead, trail };
}

/** Builds the repaired text with its offset map. */
class OutputBuilder {
  private readonly parts: string[] = [];
  /** Per repaired character (the first `length` entries): the raw range it was made from. */
  private rawStarts: Int32Array;
  private rawEnds: Int32Array;
  readonly repairs: Repair[] = [];
  length = 0;

  constructor(private readonly raw: string) {
    this.rawStarts = new Int32Array(raw.length + 16);
    this.rawEnds = new Int32Array(raw.length + 16);
  }

  /** Room for `count` more characters in the offset map. */
  private reserve(count: number): void {
    const needed = this.length + count;
    if (needed <= this.rawStarts.length) return;
    const capacity = Math.max(needed, this.rawStarts.length * 2);
    const starts = new Int32Array(capacity);
    const ends = new Int32Array(capacity);
    starts.set(this.rawStarts);
    ends.set(this.rawEnds);
    this.rawStarts = starts;
    this.rawEnds = ends;
  }

  copy(from: number, to: number): void {
    if (to <= from) return;
    this.parts.push(this.raw.slice(from, to));
    this.reserve(to - from);
    const { rawStarts, rawEnds } = this;
    let position = this.length;
    for (let index = from; index < to; index++, position++) {
      rawStarts[position] = index;
      rawEnds[position] = index + 1;
    }
    this.length += to - from;
  }

  replace(from: number, to: number, text: string, kind: RepairKind): void {
    this.repairs.push({ offset: this.length, from: this.raw.slice(from, to), to: text, kind });
    this.parts.push(text);
    this.reserve(text.length);
    this.rawStarts.fill(from, this.length, this.length + text.length);
    this.rawEnds.fill(to, this.length, this.length + text.length);
    this.length += text.length;
  }

  drop(from: number, to: number, kind: RepairKind): void {
    this.repairs.push({ offset: this.length, from: this.raw.slice(from, to), to: '', kind });
  }

  result(damage?: DamageReport): RepairResult {
    const text = this.parts.join('');
    const { raw, rawStarts, rawEnds } = this;
    return {
      text,
      repairs: this.repairs,
      damage,
      originalSlice(start: number, end: number): string {
        const from = Math.max(0, Math.min(start, text.length));
        const to = Math.max(from, Math.min(end, text.length));
        if (to === from) return '';
        return raw.slice(rawStarts[from], rawEnds[to - 1]);
      },
    };
  }
}

/** Splits raw text into lines (content ranges without "\n"/"\r"). */
function splitLines(raw: string): Array<{ start: number; end: number }> {
  const lines: Array<{ start: number; end: number }> = [];
  let start = 0;
  for (;;) {
    const newline = raw.indexOf('\n', start);
    const end = newline === -1 ? raw.length : newline;
    lines.push({ start, end: end > start && raw[end - 1] === '\r' ? end - 1 : end });
    if (newline === -1) break;
    start = newline + 1;
  }
  return lines;
}

/** Counts "a/o + space" places where joining turns an unknown piece into a dictionary word. */
function countSplitEvidence(pieces: Piece[], raw: string, judge: Judge): number {
  let evidence = 0;
  for (let index = 0; index < pieces.length - 1; index++) {
    const piece = pieces[index];
    const next = pieces[index + 1];
    if (piece.markEnd !== 'base' || raw[piece.end] !== ' ' || !isLower(next.text[0])) continue;
    const left = /\p{L}+$/u.exec(piece.text)?.[0] ?? '';
    const right = /^\p{L}+/u.exec(next.text)?.[0] ?? '';
    const leftWeak = left.length < 2 || !judge.isValid(left);
    const rightWeak = right.length < 2 || !judge.isValid(right);
    if (!leftWeak && !rightWeak) continue;
    const options = DIACRITIC_OPTIONS[left.slice(-1)] ?? [];
    if (options.some((letter) => judge.isValid(left.slice(0, -1) + letter + right))) evidence++;
  }
  return evidence;
}

function repairText(raw: string, lexicon: Lexicon, forQuery: boolean): RepairResult {
  const judge = new Judge(lexicon);
  const lines: Line[] = splitLines(raw).map(({ start, end }) => ({
    start,
    end,
    // Lone numbers are left to the page-layout step (`removePageFurniture`), which tells a page number at a page's
    // edge from a table cell ("89" under "Andel elever … (%)").
    dropped: !forQuery && isHeaderOrFooterLine(raw.slice(start, end)) && !/^\s*\d{1,3}\s*$/.test(raw.slice(start, end)),
    tokens: [],
  }));
  const piecesByLine = lines.map((line) => (line.dropped ? [] : linePieces(raw, line.start, line.end)));

  // Damage detection, part 1: split diacritics.
  let checkedWords = 0;
  let splitEvidence = 0;
  if (!forQuery) {
    for (const pieces of piecesByLine) {
      splitEvidence += countSplitEvidence(pieces, raw, judge);
      for (const piece of pieces) if (judge.unknown(splitAffixes(piece.text).core) !== null) checkedWords++;
    }
  }
  const splitDamaged = splitEvidence >= SPLIT_MIN_EVIDENCE && splitEvidence / Math.max(1, checkedWords) >= SPLIT_EVIDENCE_RATIO;
  const mode: Mode = forQuery
    ? { lines: false, split: 'strict', ocr: 'strong', confusables: false }
    : { lines: true, split: splitDamaged ? 'document' : 'strict', ocr: 'off', confusables: false };

  // Words the document writes with å/ä/ö intact: evidence for the reading of a split join elsewhere in it.
  const intactForms = new Set<string>();
  if (splitDamaged) {
    for (const pieces of piecesByLine) {
      for (const piece of pieces) if (/[åäö]/iu.test(piece.text)) intactForms.add(splitAffixes(piece.text).core.toLowerCase());
    }
  }

  lines.forEach((line, index) => {
    const pieces = piecesByLine[index];
    if (!forQuery && !splitDamaged) {
      // Clean documents: only explicit marks ("fo¨ rvaltningen") may join pieces.
      line.tokens = pieces.some((piece) => piece.markEnd === 'explicit')
        ? splitLineTokens(raw, pieces.map((piece) => (piece.markEnd === 'base' ? { ...piece, markEnd: null } : piece)), mode, judge)
        : pieces.filter((piece) => piece.text).map((piece) => ({ start: piece.start, end: piece.end, text: piece.text, kinds: [] }));
    } else {
      line.tokens = splitLineTokens(raw, pieces, mode, judge, intactForms);
    }
  });

  // Damage detection, part 2: unknown words left after the split repair.
  let words = 0;
  let unknownWords = 0;
  for (const line of lines) {
    for (const token of line.tokens) {
      const unknown = judge.unknown(splitAffixes(token.text).core);
      if (unknown === null) continue;
      words++;
      if (unknown) unknownWords++;
    }
  }
  const unknownRatio = words === 0 ? 0 : unknownWords / words;
  const ocrDamaged = !forQuery && unknownWords >= OCR_MIN_UNKNOWN && unknownRatio >= OCR_UNKNOWN_RATIO;
  if (ocrDamaged) {
    mode.ocr = 'full';
    mode.confusables = true;
  }

  const allTokens: Token[] = [];
  for (const line of lines) for (const token of line.tokens) allTokens.push(token);
  if (mode.ocr !== 'off') for (const token of allTokens) repairTokenOcr(token, mode, judge);
  if (splitDamaged) applySplitContext(allTokens);
  if (mode.ocr === 'full' || mode.confusables) applyContext(allTokens, mode, judge);
  if (mode.lines) {
    // A hyphen inside a word ("social-nämnderna") is a line-break hyphen left by reflowed text only when the
    // document shows such reflow (a damaged extraction, or an inner hyphen between pieces that are no words
    // alone: "vräkningsföre-byggande"); elsewhere "torg-området" is how the author wrote it.
    if (splitDamaged || ocrDamaged || allTokens.some((token) => isBrokenInnerHyphen(token, judge))) {
      for (const token of allTokens) joinInnerHyphens(token, judge);
    }
    joinLineBreakHyphens(raw, lines, judge);
  }

  const output = new OutputBuilder(raw);
  lines.forEach((line, index) => {
    const hasNewline = index < lines.length - 1;
    const lineEnd = hasNewline ? raw.indexOf('\n', line.start) : raw.length;
    if (line.dropped) {
      output.drop(line.start, hasNewline ? lineEnd + 1 : lineEnd, 'header-footer');
      return;
    }
    let cursor = line.start;
    for (const token of line.tokens) {
      output.copy(cursor, token.start);
      const original = raw.slice(token.start, token.end);
      if (token.text === original) {
        output.copy(token.start, token.end);
      } else {
        // Punctuation the repair did not touch ("»", ".") stays a copy, so spans map back exactly.
        const { lead, trail } = commonAffixes(original, token.text);
        output.copy(token.start, token.start + lead);
        output.replace(token.start + lead, token.end - trail, token.text.slice(lead, token.text.length - trail), token.kinds[0] ?? 'other');
        output.copy(token.end - trail, token.end);
      }
      cursor = token.end;
    }
    output.copy(cursor, hasNewline ? lineEnd + 1 : lineEnd);
  });

  const damage: DamageReport | undefined = forQuery
    ? undefined
    : { words, unknownWords, unknownRatio, splitEvidence, splitDiacritics: splitDamaged, ocr: ocrDamaged };
  return output.result(damage);
}

/**
 * Repairs a raw document text: split diacritics, OCR confusions (only in a document detected as damaged),
 * line-break hyphens and page headers/footers. The line structure is kept.
 */
export function repairDocument(raw: string, lexicon: Lexicon): RepairResult {
  return repairText(raw, lexicon, false);
}

/**
 * Repair a user query (same repairs as documents, no line handling): split diacritics only where joining
 * clearly helps ("fo rvaltningen", "na mnden"), marks written apart ("fo¨ rvaltningen") and strong OCR damage
 * (é/&/digits inside words). Plain ASCII words such as "socialnamnden" are left for folding.
 */
export function repairQuery(query: string, lexicon: Lexicon): string {
  return repairText(normalizeText(query, lexicon).text, lexicon, true).text;
}
