/**
 * Post-generation (and in-stream) verification of citation markers in LLM answers.
 *
 * Numbering rule: marker `[n]` refers to passage n of the list offered to the model (1-based);
 * markers are never renumbered. A marker group that names no offered passage (`[9]` when 5 were
 * offered) is removed together with the whitespace before it; a group naming some valid passages
 * keeps only those (`[2, 9]` → `[2]`). Groups are normalised to one bracket per passage
 * (`[1, 3]` → `[1][3]`, `[1–3]` → `[1][2][3]`).
 */
import { foldName } from '../committees.ts';

/** A group of markers with its leading whitespace: `[1]`, `[1, 3]`, `[1-3]`, `[ 2 ]`. */
const MARKER_GROUP = /(\s*)\[(\s*\d{1,3}(?:\s*[,;\-–]\s*\d{1,3})*\s*)\]/g;
/** What may be the start of a marker group at the end of a streamed chunk (held back until complete). */
const POSSIBLE_PARTIAL_MARKER = /\s*(?:\[[\d\s,;\-–]{0,24})?$/;
/** Largest range expanded from `[a–b]`. */
const MAX_RANGE = 20;

/** The numbers named by the inside of one marker group, in order, ranges expanded. */
export function parseMarkerGroup(inner: string): number[] {
  const numbers: number[] = [];
  for (const part of inner.split(/[,;]/)) {
    const range = part.match(/^\s*(\d{1,3})\s*[-–]\s*(\d{1,3})\s*$/);
    if (range) {
      const from = Number(range[1]);
      const to = Number(range[2]);
      if (to >= from && to - from < MAX_RANGE) for (let n = from; n <= to; n += 1) numbers.push(n);
      else numbers.push(from, to);
      continue;
    }
    const single = part.trim();
    if (/^\d{1,3}$/.test(single)) numbers.push(Number(single));
  }
  return numbers;
}

/**
 * Removes markers that point at no passage and normalises the others (see module doc).
 * `passageCount` is the number of passages offered; valid markers are 1..passageCount.
 */
export function cleanMarkers(text: string, passageCount: number): string {
  return text.replace(MARKER_GROUP, (_whole, space: string, inner: string) => {
    const valid = [...new Set(parseMarkerGroup(inner))].filter((n) => n >= 1 && n <= passageCount);
    if (valid.length === 0) return '';
    return `${space}${valid.map((n) => `[${n}]`).join('')}`;
  });
}

/** Valid markers used in `text`, in order of first appearance, without duplicates. */
export function usedMarkers(text: string, passageCount: number): number[] {
  const seen = new Set<number>();
  for (const match of text.matchAll(MARKER_GROUP)) {
    for (const n of parseMarkerGroup(match[2])) if (n >= 1 && n <= passageCount) seen.add(n);
  }
  return [...seen];
}

/** Result of {@link verifyAnswer}. */
export interface VerifiedAnswer {
  /** The answer with invalid markers removed, trimmed. */
  answer: string;
  /** Valid markers that remain, in order of first appearance. */
  markers: number[];
}

/** Cleans a whole answer and lists the markers it still uses. */
export function verifyAnswer(text: string, passageCount: number): VerifiedAnswer {
  const answer = cleanMarkers(text, passageCount).trim();
  return { answer, markers: usedMarkers(answer, passageCount) };
}

/** Streaming version of {@link cleanMarkers}: feed chunks in order, then call `flush()` once. */
export interface MarkerFilter {
  /** Returns the text that can be emitted now; a possible partial marker (and whitespace before it) is held back. */
  push(text: string): string;
  /** Returns whatever was held back, cleaned. */
  flush(): string;
}

/**
 * Creates a streaming marker filter. Text is released as soon as it cannot be part of a marker
 * group: trailing whitespace and a trailing `[`, `[1`, `[1, ` … are held until the next chunk shows
 * whether they form a valid marker, an invalid one (dropped with its whitespace) or plain text.
 */
export function createMarkerFilter(passageCount: number): MarkerFilter {
  let pending = '';
  return {
    push(text: string): string {
      const buffer = pending + text;
      const hold = buffer.search(POSSIBLE_PARTIAL_MARKER);
      const cut = hold < 0 ? buffer.length : hold;
      pending = buffer.slice(cut);
      return cleanMarkers(buffer.slice(0, cut), passageCount);
    },
    flush(): string {
      const rest = cleanMarkers(pending, passageCount);
      pending = '';
      return rest;
    },
  };
}

/**
 * True when the answer is an abstention: it contains the fixed phrase "det finns inte i underlagen"
 * (folded: case and diacritics ignored) or its English counterpart.
 */
export function isAbstention(text: string): boolean {
  const folded = foldName(text);
  return (
    folded.includes('det finns inte i underlagen') ||
    /\b(?:is|was) not (?:found |stated |mentioned )?in the (?:provided |given )?(?:documents|passages|sources)\b/.test(folded)
  );
}
