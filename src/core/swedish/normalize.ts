/**
 * Unicode normalisation of loaded document text (and of queries), before the Swedish repair.
 *
 * Built on the standard Unicode normal forms (`String.prototype.normalize`):
 *  - **Compatibility characters** (NFKC per character): ligatures "ﬁ" → "fi", "ﬂ" → "fl", full-width forms,
 *    no-break / thin / narrow spaces → " ". A few characters whose NFKC form loses meaning are kept
 *    (`KEEP_AS_WRITTEN`: "m²", "½", and the spacing marks "¨ ˚ ´" that the repair reads as split diacritics).
 *  - **Soft hyphens** (U+00AD) are removed; a soft hyphen before a space or a line break joins the word
 *    ("tjänste\u00AD\nutlåtandet" → "tjänsteutlåtandet" on the first line, the line structure is kept).
 *  - **Combining marks** are composed (NFC: "a\u0308" → "ä"); a mark followed by a space is left for the
 *    split-diacritic repair ("fo\u0308 rvaltningen"), which needs to see it.
 *  - **Invisible characters** (zero-width spaces and joiners, BOM, word joiner, other control characters)
 *    are removed; Unicode line/paragraph separators and form feeds (page breaks) become "\n"; "\r\n" becomes "\n".
 *  - **Replacement characters** "�" (U+FFFD, a decoding failure) are replaced by the letter å/ä/ö/é (or its
 *    capital) that makes the word valid in the lexicon (the repair's hunspell dictionary), ties broken by the
 *    repair's frequency prior; when no letter makes a valid word (or no lexicon is given) the "�" is removed
 *    and the change is reported as `unresolved`.
 *
 * Pure TypeScript (no node:*): usable in ingest, in the Worker and on queries.
 */
import type { Lexicon } from '../types.ts';
import { FREQUENT_SWEDISH_WORDS } from './frequent-words.ts';

/** What one normalisation changed (aggregated per kind and form). */
export interface NormalizeChange {
  kind: 'ligature' | 'compatibility' | 'soft-hyphen' | 'combining-mark' | 'space' | 'invisible' | 'replacement-character';
  from: string;
  to: string;
  count: number;
  /** For replacement characters: no letter made a valid word, the "�" was removed. */
  unresolved?: boolean;
}

/** The normalised text and what changed. */
export interface NormalizeResult {
  text: string;
  changes: NormalizeChange[];
}

/** Counts of damage classes in a text (what the ingest report shows before/after). */
export interface TextDamageReport {
  /** Ligature characters (U+FB00–U+FB06). */
  ligatures: number;
  /** Soft hyphens (U+00AD). */
  softHyphens: number;
  /** Replacement characters "�" (U+FFFD). */
  replacementCharacters: number;
  /** Combining marks not composed with their letter (U+0300–U+036F) and spacing marks ¨ ˚. */
  uncomposedMarks: number;
  /** No-break, thin and other non-ASCII spaces, zero-width characters. */
  oddSpaces: number;
  /**
   * Split diacritics left ("fo r", "na mnden"): places where a/o + space + lower-case letters joined with
   * ä/å/ö make a dictionary word while a piece alone is not one. Counted only when a lexicon is given.
   */
  splitDiacritics: number;
}

/** Characters whose NFKC form would lose meaning or hide damage the repair must see. */
const KEEP_AS_WRITTEN = new Set(['\u00A8', '\u02DA', '\u00B4', '\u00B8', '\u00AF', '\u02DB', '\u02DD', '\u02D8', '\u00B9', '\u00B2', '\u00B3', '\u00BC', '\u00BD', '\u00BE', '\u2122', '\u00AA', '\u00BA']);
const LIGATURE = /[\uFB00-\uFB06]/;
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD\u0000-\u0008\u000B\u000E-\u001F\u007F]/;
const ODD_SPACE = /[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/;
const REPLACEMENT = '\uFFFD';
const REPLACEMENT_OPTIONS = ['ä', 'å', 'ö', 'é'];

class ChangeLog {
  private readonly entries = new Map<string, NormalizeChange>();

  add(kind: NormalizeChange['kind'], from: string, to: string, unresolved = false): void {
    const key = `${kind}\u0000${from}\u0000${to}`;
    const entry = this.entries.get(key);
    if (entry) entry.count++;
    else this.entries.set(key, { kind, from, to, count: 1, ...(unresolved ? { unresolved } : {}) });
  }

  list(): NormalizeChange[] {
    return [...this.entries.values()];
  }
}

const isUpper = (character: string | undefined): boolean => character !== undefined && /\p{Lu}/u.test(character);

/** Soft hyphens: a soft hyphen before a line break moves the word's rest up; all others are removed. */
function removeSoftHyphens(text: string, log: ChangeLog): string {
  if (!text.includes('\u00AD')) return text;
  return text
    // The word's rest moves up; when it was the whole next line, that line goes (no blank line is left).
    .replace(/\u00AD[ \t]*\n[ \t]*([^\s]+)(?:[ \t]*\n|[ \t]*$|[ \t]+)/g, (whole: string, rest: string) => {
      log.add('soft-hyphen', whole, rest);
      return `${rest}\n`;
    })
    .replace(/\u00AD[ \t]*/g, (whole: string) => {
      log.add('soft-hyphen', whole, '');
      return '';
    });
}

/** NFKC per character (keeping `KEEP_AS_WRITTEN`), spaces and invisible characters. */
function compatibility(text: string, log: ChangeLog): string {
  return text.replace(/[^\x00-\x7E\u00C0-\u00FF]|[\x00-\x08\x0B-\x1F\x7F]/gu, (character) => {
    if (character === '\u00D7' || character === '\u00F7') return character;
    if (character === '\u2028' || character === '\u2029' || character === '\u0085' || character === '\f') {
      log.add('space', character, '\n');
      return '\n';
    }
    if (character === '\t' || character === '\n' || character === '\r' || character === REPLACEMENT) return character;
    if (INVISIBLE.test(character)) {
      log.add('invisible', character, '');
      return '';
    }
    if (ODD_SPACE.test(character)) {
      log.add('space', character, ' ');
      return ' ';
    }
    if (KEEP_AS_WRITTEN.has(character) || /[\u0300-\u036f]/.test(character)) return character;
    const normal = character.normalize('NFKC');
    if (normal !== character) log.add(LIGATURE.test(character) ? 'ligature' : 'compatibility', character, normal);
    return normal;
  });
}

/** NFC of letters with combining marks, except a mark followed by a space (a split diacritic for the repair). */
function composeMarks(text: string, log: ChangeLog): string {
  if (!/[\u0300-\u036f]/.test(text)) return text;
  return text.replace(/\p{L}[\u0300-\u036f]+(?![ \t])/gu, (sequence) => {
    const composed = sequence.normalize('NFC');
    if (composed !== sequence) log.add('combining-mark', sequence, composed);
    return composed;
  });
}

/** Replaces "�" inside words by the å/ä/ö/é that makes a valid word; removes the others. */
function replaceReplacementCharacters(text: string, lexicon: Lexicon | undefined, log: ChangeLog): string {
  if (!text.includes(REPLACEMENT)) return text;
  return text.replace(/[\p{L}\uFFFD]*\uFFFD+[\p{L}\uFFFD]*/gu, (word, offset: number) => {
    const slots = word.split(/\uFFFD+/);
    const holes = slots.length - 1;
    const letters = word.replace(/\uFFFD/g, '');
    if (lexicon && letters.length > 0 && holes <= 3) {
      const before = text.slice(Math.max(0, offset - 3), offset);
      const sentenceStart = offset === 0 || /(?:^|[.!?:]\s+|\n\s*)$/.test(before);
      const allCaps = letters.length > 1 && !/\p{Ll}/u.test(letters);
      let best: string | null = null;
      let bestScore = -1;
      const fill = (index: number, built: string): void => {
        if (index === holes) {
          const candidate = built + slots[holes];
          if (!lexicon.isWord(candidate)) return;
          const score = FREQUENT_SWEDISH_WORDS.get(candidate.toLowerCase()) ?? 0;
          if (score > bestScore) {
            best = candidate;
            bestScore = score;
          }
          return;
        }
        const prefix = built + slots[index];
        const upperHere = allCaps || (prefix === '' && (sentenceStart || isUpper(slots[index + 1]?.[0])));
        for (const letter of REPLACEMENT_OPTIONS) fill(index + 1, prefix + (upperHere ? letter.toUpperCase() : letter));
      };
      fill(0, '');
      if (best !== null) {
        log.add('replacement-character', word, best);
        return best;
      }
    }
    log.add('replacement-character', word, letters, true);
    return letters;
  }).replace(/\uFFFD/g, (character) => {
    log.add('replacement-character', character, '', true);
    return '';
  });
}

/**
 * Normalises extracted text: compatibility characters and ligatures (NFKC), soft hyphens, combining marks (NFC),
 * odd and invisible spaces, "\r\n", and "�" (with `lexicon`: replaced by the å/ä/ö/é that makes a valid word).
 * Afterwards the text has no ligature, soft hyphen or "�"; line breaks stay where they were (a soft-hyphenated
 * word split over two lines is joined on the first line).
 */
export function normalizeText(text: string, lexicon?: Lexicon): NormalizeResult {
  const log = new ChangeLog();
  let result = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  result = removeSoftHyphens(result, log);
  result = compatibility(result, log);
  result = composeMarks(result, log);
  result = replaceReplacementCharacters(result, lexicon, log);
  return { text: result, changes: log.list() };
}

/** Counts split diacritics ("fo r", "na mnden") that a lexicon confirms. */
function countSplitDiacritics(text: string, lexicon: Lexicon): number {
  let count = 0;
  for (const match of text.matchAll(/(\p{L}*[aoAO])(?:[\u0308\u030A\u00A8\u02DA])? (\p{Ll}+)/gu)) {
    const [, left, right] = match;
    if (left.length >= 2 && right.length >= 2 && lexicon.isWord(left) && lexicon.isWord(right)) continue;
    const options = /[aA]$/.test(left) ? ['ä', 'å'] : ['ö'];
    if (options.some((letter) => lexicon.isWord(left.slice(0, -1) + letter + right))) count++;
  }
  return count;
}

/** Counts the damage classes the normalisation and repair handle (see `TextDamageReport`). */
export function damageReport(text: string, lexicon?: Lexicon): TextDamageReport {
  const count = (pattern: RegExp): number => text.match(pattern)?.length ?? 0;
  return {
    ligatures: count(/[\uFB00-\uFB06]/g),
    softHyphens: count(/\u00AD/g),
    replacementCharacters: count(/\uFFFD/g),
    uncomposedMarks: count(/[\u0300-\u036f\u00A8\u02DA]/g),
    oddSpaces: count(/[\u00A0\u1680\u2000-\u200D\u202F\u205F\u2060\u3000\uFEFF]/g),
    splitDiacritics: lexicon ? countSplitDiacritics(text, lexicon) : 0,
  };
}
