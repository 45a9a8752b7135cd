/**
 * Segments (line pieces with offsets), joining them into whitespace-normalised text,
 * and splitting/packing them at paragraph and sentence boundaries. Pure and synchronous.
 */
import { endsWithFunctionWord, endsWithTerminal, hasFiniteVerb, startsLower, startsUpper } from './folding.ts';
import { bulletMarker, isHeadingLike } from './lines.ts';

/** A piece of one line of the repaired text. */
export interface Segment {
  /** Offsets in the repaired text. */
  start: number;
  end: number;
  /** Trimmed text of the piece. */
  text: string;
  /** Index of the line the piece comes from. */
  line: number;
  /** A blank (or dropped) line precedes this piece. */
  gapBefore: boolean;
}

/** How line breaks are turned into text. */
export interface JoinOptions {
  /**
   * Insert ". " or ": " at hard line breaks (short line without punctuation followed by a capitalised line:
   * inline headings, list items without bullets). Off for narrow table columns.
   */
  separators: boolean;
  /** Lines shorter than this count as "short" (about 60 % of the document's typical line width). */
  shortWidth: number;
  /** Insert ". " between blank-separated paragraphs whose first lacks terminal punctuation (table cells). */
  paragraphPeriods?: boolean;
}

const CONJUNCTION_START = /^(och|eller|samt|till|respektive|resp)\b/i;

function isProseLike(text: string): boolean {
  return endsWithTerminal(text) || hasFiniteVerb(text);
}

/** The string that goes between two consecutive segments. */
export function separatorBetween(previous: Segment, next: Segment, options: JoinOptions): string {
  if (previous.line === next.line) return ' ';
  const before = previous.text;
  const after = next.text;
  if (/\p{L}-$/u.test(before) && startsLower(after) && !CONJUNCTION_START.test(after)) return '';
  const open = !/[.!?:;,]["')»]*$/.test(before) && !/[-–(]$/.test(before);
  if (options.paragraphPeriods && next.gapBefore && open && startsUpper(after) && !endsWithFunctionWord(before)) return '. ';
  if (!options.separators || !open || !startsUpper(after) || bulletMarker(after) || endsWithFunctionWord(before)) return ' ';
  const headingLike = isHeadingLike(before);
  if (!headingLike && before.length >= options.shortWidth) return ' ';
  const fragment = after.split(/\s+/).length <= 2 && !/[.!?:;,]$/.test(after);
  if (headingLike && fragment && !next.gapBefore) return ' ';
  return headingLike && isProseLike(after) ? ': ' : '. ';
}

/** Join segments into one whitespace-normalised string. */
export function joinSegments(segments: Segment[], options: JoinOptions): string {
  let text = '';
  segments.forEach((segment, index) => {
    if (index > 0) text += separatorBetween(segments[index - 1], segment, options);
    text += segment.text;
  });
  return text.replace(/\s+/g, ' ').trim();
}

/** Approximate joined length (for packing). */
export function segmentsLength(segments: Segment[]): number {
  return segments.reduce((total, segment) => total + segment.text.length + 1, 0);
}

const ABBREVIATIONS = new Set([
  't.ex', 'bl.a', 'm.m', 's.k', 'd.v.s', 'dvs', 'resp', 'ang', 'ca', 'jfr', 'nr', 'kap', 'st', 'f.d', 'fr.o.m', 't.o.m',
  'o.s.v', 'osv', 'mm', 'etc', 'enl', 'tfn', 'tel', 'p', 'ex', 'kl', 'inkl', 'exkl', 'prel', 'milj', 'tkr', 'mnkr',
]);

function isAbbreviationBefore(text: string, dotIndex: number): boolean {
  const head = text.slice(0, dotIndex);
  const word = /([\p{L}.]+)$/u.exec(head)?.[1] ?? '';
  if (!word) return false;
  if (word.length === 1) return true;
  return ABBREVIATIONS.has(word.toLowerCase());
}

/** Split segments into sentences (each a list of segments), never inside a word. */
export function splitSentences(segments: Segment[]): Segment[][] {
  const sentences: Segment[][] = [];
  let current: Segment[] = [];
  const boundary = /[.!?]["')»]*\s+(?=["'(»]?[\p{Lu}\d•»])/gu;
  for (const segment of segments) {
    if (current.length > 0) {
      const previous = current[current.length - 1];
      const lastDot = previous.text.length - 1;
      if (/[.!?]["')»]*$/.test(previous.text) && (startsUpper(segment.text) || /^[\d•»]/.test(segment.text)) && !isAbbreviationBefore(previous.text, lastDot)) {
        sentences.push(current);
        current = [];
      }
    }
    let cursor = 0;
    for (const match of segment.text.matchAll(boundary)) {
      const dot = match.index ?? 0;
      if (isAbbreviationBefore(segment.text, dot)) continue;
      const cut = dot + match[0].length;
      const pieceText = segment.text.slice(cursor, cut).trimEnd();
      if (pieceText) {
        current.push({ ...segment, start: segment.start + cursor, end: segment.start + cursor + pieceText.length, text: pieceText, gapBefore: cursor === 0 ? segment.gapBefore : false });
        sentences.push(current);
        current = [];
      }
      cursor = cut;
    }
    const rest = segment.text.slice(cursor);
    if (rest.trim()) {
      current.push({ ...segment, start: segment.start + cursor, end: segment.end, text: rest.trim(), gapBefore: cursor === 0 ? segment.gapBefore : false });
    }
  }
  if (current.length > 0) sentences.push(current);
  return sentences;
}

/**
 * Split a prose body into paragraphs: a new paragraph starts after a blank line when the previous line ended
 * a sentence and the next starts a new one.
 */
export function splitParagraphs(segments: Segment[]): Segment[][] {
  const paragraphs: Segment[][] = [];
  let current: Segment[] = [];
  for (const segment of segments) {
    const previous = current[current.length - 1];
    if (previous && segment.gapBefore && endsWithTerminal(previous.text) && !/:$/.test(previous.text) && (startsUpper(segment.text) || /^[\d•»]/.test(segment.text))) {
      paragraphs.push(current);
      current = [];
    }
    current.push(segment);
  }
  if (current.length > 0) paragraphs.push(current);
  return paragraphs;
}

/** Size limits for packing. */
export interface PackLimits {
  /** Preferred upper size; units are merged while the result stays under it. */
  soft: number;
  /** Hard upper size (a unit longer than this is split at sentence boundaries). */
  max: number;
  /** Pieces shorter than this are merged with a neighbour when possible. */
  min: number;
}

/**
 * Pack units (paragraphs, list items) into groups of about `soft` characters, never above `max` unless one
 * sentence is longer; units above `max` are split into sentences first.
 */
export function packUnits(units: Segment[][], limits: PackLimits): Segment[][] {
  const pieces: Segment[][] = [];
  for (const unit of units) {
    if (segmentsLength(unit) <= limits.max) pieces.push(unit);
    else pieces.push(...packSentences(splitSentences(unit), limits));
  }
  const groups: Segment[][] = [];
  let current: Segment[] = [];
  for (const piece of pieces) {
    const currentLength = segmentsLength(current);
    const merged = currentLength + segmentsLength(piece);
    if (current.length === 0 || (merged <= limits.max && (currentLength < limits.min || merged <= limits.soft))) {
      current = current.concat(piece);
    } else {
      groups.push(current);
      current = piece.slice();
    }
  }
  if (current.length > 0) groups.push(current);
  // A short tail joins the previous group when that stays within the hard limit.
  if (groups.length >= 2) {
    const last = groups[groups.length - 1];
    const previous = groups[groups.length - 2];
    if (segmentsLength(last) < limits.min && segmentsLength(previous) + segmentsLength(last) <= limits.max) {
      groups.splice(groups.length - 2, 2, previous.concat(last));
    }
  }
  return groups;
}

function packSentences(sentences: Segment[][], limits: PackLimits): Segment[][] {
  const total = sentences.reduce((sum, sentence) => sum + segmentsLength(sentence), 0);
  const count = Math.max(1, Math.ceil(total / limits.soft));
  const target = Math.min(limits.max, Math.ceil(total / count) + 40);
  const groups: Segment[][] = [];
  let current: Segment[] = [];
  for (const sentence of sentences) {
    if (current.length > 0 && segmentsLength(current) + segmentsLength(sentence) > target) {
      groups.push(current);
      current = [];
    }
    current = current.concat(sentence);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
