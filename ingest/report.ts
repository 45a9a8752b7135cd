/**
 * Per-document ingest report: what the pipeline made of one document, so that a layout the chunker or the metadata
 * reader does not understand shows up at ingest time instead of as a silently wrong answer later.
 *
 * - `countDamage(text, lexicon)`: damage left in the stored (repaired) text: ligatures (ﬁ ﬂ …), soft hyphens (U+00AD),
 *   replacement characters (U+FFFD), split diacritics ("fo r", "na mnden", loose ¨/˚ marks). A core `damageReport` is
 *   being written in `src/core/swedish/normalize.ts`; when it lands, `countDamage` can delegate to it (same input,
 *   same role) without changing its callers.
 * - `countAssignmentSentences(text)`: sentences/lines that read like an uppdrag in general Swedish ("X får i uppdrag
 *   att", "ges i uppdrag", "ger förvaltningen i uppdrag", "uppdras", "uppdrar") — compared with the uppdrag records
 *   the chunker made.
 * - `documentQuality(...)`: the report of one document with its warnings.
 */
import { hasSurrogate, isLetterCode, isLowerCode } from '../src/core/swedish/chars.ts';
import { foldSwedish } from '../src/core/swedish/fold.ts';
import { canonicalCommitteeId } from '../src/core/committees.ts';
import { metadataWarnings, UNKNOWN_COMMITTEE } from '../src/core/metadata.ts';
import type { DomainProfile } from '../src/core/profile.ts';
import type { Chunk, DocumentMeta, Lexicon } from '../src/core/types.ts';

/** Damage left in a text, by kind. */
export interface DamageCounts {
  /** Typographic ligatures U+FB00–U+FB06 (ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ). */
  ligatures: number;
  /** Soft hyphens U+00AD. */
  softHyphens: number;
  /** Replacement characters U+FFFD ("�"). */
  replacementCharacters: number;
  /** Letters split from their diacritic: "fo r", "na mnden", or a loose mark (¨ ˚, combining U+0308/U+030A after a space). */
  splitDiacritics: number;
  /** Sum of the above. */
  total: number;
  /** A few examples as found (at most 5). */
  examples: string[];
}

const MARKS = ['å', 'ä', 'ö'] as const;

function withMark(base: string, mark: (typeof MARKS)[number]): string | null {
  const lower = base.toLowerCase();
  if (lower === 'a' && mark !== 'ö') return base === 'A' ? mark.toUpperCase() : mark;
  if (lower === 'o' && mark === 'ö') return base === 'O' ? 'Ö' : 'ö';
  return null;
}

/** A word ending in a/o, one space, a lower-case piece: the places `countDamage` checks for a lost diacritic. */
const SPLIT_CANDIDATE = /(\p{L}*[aoAO]) (\p{Ll}+)/gu;

/**
 * The matches of `SPLIT_CANDIDATE` in order, as [whole, left, right]. Without astral characters they are found from
 * the spaces: a match ends its left part at a space after a/o and starts it where the letters before begin (or where
 * the previous match ended); the regex would retry every letter of every word.
 */
function splitCandidates(text: string): Array<[string, string, string]> {
  const found: Array<[string, string, string]> = [];
  if (hasSurrogate(text)) {
    for (const match of text.matchAll(SPLIT_CANDIDATE)) found.push([match[0], match[1], match[2]]);
    return found;
  }
  let from = 0;
  for (let space = text.indexOf(' '); space !== -1; space = text.indexOf(' ', space + 1)) {
    if (space - 1 < from) continue;
    const last = text.charCodeAt(space - 1);
    if (last !== 97 && last !== 111 && last !== 65 && last !== 79) continue; // a o A O
    if (space + 1 >= text.length || !isLowerCode(text.charCodeAt(space + 1))) continue;
    let start = space - 1;
    while (start > from && isLetterCode(text.charCodeAt(start - 1))) start--;
    let end = space + 2;
    while (end < text.length && isLowerCode(text.charCodeAt(end))) end++;
    found.push([text.slice(start, end), text.slice(start, space), text.slice(space + 1, end)]);
    from = end;
  }
  return found;
}

/**
 * Counts the damage left in a (repaired) text. Split diacritics need the dictionary: "fo r" counts because "för" is a
 * word and "fo"/"r" are not both words; "ta mer" does not count because no joined reading is a word.
 */
export function countDamage(text: string, lexicon: Lexicon): DamageCounts {
  const examples: string[] = [];
  const note = (example: string) => {
    if (examples.length < 5) examples.push(example);
  };
  let ligatures = 0;
  let softHyphens = 0;
  let replacementCharacters = 0;
  for (const match of text.matchAll(/[\uFB00-\uFB06]|\u00AD|\uFFFD/g)) {
    const character = match[0];
    if (character === '\u00AD') softHyphens++;
    else if (character === '\uFFFD') replacementCharacters++;
    else ligatures++;
    note(text.slice(Math.max(0, match.index - 8), match.index + 9).replace(/\s+/g, ' '));
  }
  let splitDiacritics = 0;
  // Loose marks: a diacritic written as its own character ("fo¨ r", "o ̈").
  for (const match of text.matchAll(/[¨˚]|(?:^|\s)[\u0308\u030A]/gmu)) {
    splitDiacritics++;
    note(text.slice(Math.max(0, match.index - 6), match.index + 6).replace(/\s+/g, ' '));
  }
  // A word ending in a/o followed by a lower-case piece, where joining with å/ä/ö gives a word and the pieces are not both words.
  for (const [whole, left, right] of splitCandidates(text)) {
    if (lexicon.isWord(left) && lexicon.isWord(right)) continue;
    const base = left.slice(0, -1);
    const last = left.slice(-1);
    const joined = MARKS.map((mark) => withMark(last, mark))
      .filter((letter): letter is string => letter !== null)
      .some((letter) => lexicon.isWord(`${base}${letter}${right}`));
    if (joined) {
      splitDiacritics++;
      note(whole);
    }
  }
  return {
    ligatures,
    softHyphens,
    replacementCharacters,
    splitDiacritics,
    total: ligatures + softHyphens + replacementCharacters + splitDiacritics,
    examples,
  };
}

/**
 * General Swedish wording of an assignment, on folded text: "får/fick/ges/gavs/ger/gav/getts … i uppdrag" within one
 * sentence, or the verb "uppdra" ("uppdras", "uppdrar", "uppdrog", "uppdragits").
 */
const ASSIGNMENT_SENTENCE = /\b(?:far|fick|ges|gavs|ger|gav|getts|givits|givit|gett)\b[^.!?\n]{0,160}?\bi uppdrag\b|\buppdra(?:s|r|git|gits)?\b|\buppdrog\b/;

/** Number of sentences (or lines, for tables and lists) that read like an uppdrag. */
export function countAssignmentSentences(text: string): number {
  let count = 0;
  for (const line of foldSwedish(text.normalize('NFC')).split('\n')) {
    if (!line.includes('uppdr')) continue; // every phrasing of ASSIGNMENT_SENTENCE holds "uppdra…" or "uppdrog"
    for (const sentence of line.split(/(?<=[.!?])\s+(?=\p{Lu}|\p{N}|\p{Ll})/u)) {
      if (ASSIGNMENT_SENTENCE.test(sentence)) count++;
    }
  }
  return count;
}

/** The report of one ingested document. */
export interface DocumentQuality {
  chunks: number;
  /** Chunks by kind (only kinds present). */
  kinds: Record<string, number>;
  uppdrag: {
    /** Uppdrag records the chunker made (chunks of kind `uppdrag`). */
    records: number;
    /** Sentences/lines in the text that read like an uppdrag (`countAssignmentSentences`). */
    sentences: number;
  };
  committee: { name: string; id: string; recognised: boolean };
  type: string;
  year?: number;
  date?: string;
  damage: DamageCounts;
  /**
   * Wrong or missing metadata (`metadataWarnings`): "committee not recognised", "committee not in the profile: X",
   * "no year", "no date", "type unknown", "title is a header line", "decided without a decision line".
   */
  metadata: string[];
  /** Human-readable problems (the metadata ones first); empty when none. */
  warnings: string[];
}

/** True when the metadata reader could not name the committee. */
export function committeeUnknown(document: Pick<DocumentMeta, 'committee' | 'committeeId'>): boolean {
  return foldSwedish(document.committee) === foldSwedish(UNKNOWN_COMMITTEE) || document.committeeId === canonicalCommitteeId(UNKNOWN_COMMITTEE);
}

/** Builds the report of one document from its metadata, chunks and stored (repaired) text. */
export function documentQuality(
  document: DocumentMeta,
  chunks: readonly Chunk[],
  storedText: string,
  lexicon: Lexicon,
  options: { profile?: DomainProfile } = {},
): DocumentQuality {
  const kinds: Record<string, number> = {};
  for (const chunk of chunks) kinds[chunk.kind] = (kinds[chunk.kind] ?? 0) + 1;
  const records = kinds.uppdrag ?? 0;
  const sentences = countAssignmentSentences(storedText);
  const damage = countDamage(storedText, lexicon);
  const recognised = !committeeUnknown(document);
  const metadata = metadataWarnings(document, storedText, options);
  if (!recognised && !metadata.includes('committee not recognised')) metadata.unshift('committee not recognised');
  const warnings: string[] = [...metadata];
  if (sentences > records) warnings.push(`${sentences} "i uppdrag"-like sentence(s) but ${records} uppdrag record(s)`);
  if (damage.total > 0) {
    const parts = (
      [
        ['ligature', damage.ligatures],
        ['soft hyphen', damage.softHyphens],
        ['replacement character', damage.replacementCharacters],
        ['split diacritic', damage.splitDiacritics],
      ] as const
    )
      .filter(([, count]) => count > 0)
      .map(([name, count]) => `${count} ${name}${count === 1 ? '' : 's'}`);
    warnings.push(`damage left in the text: ${parts.join(', ')}${damage.examples.length ? ` (e.g. ${damage.examples.map((example) => JSON.stringify(example)).join(', ')})` : ''}`);
  }
  return {
    chunks: chunks.length,
    kinds,
    uppdrag: { records, sentences },
    committee: { name: document.committee, id: document.committeeId, recognised },
    type: document.type,
    ...(document.year !== undefined ? { year: document.year } : {}),
    ...(document.date !== undefined ? { date: document.date } : {}),
    damage,
    metadata,
    warnings,
  };
}
