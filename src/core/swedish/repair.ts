/**
 * Swedish text repair (STUB by the lead: identity; the repair helper replaces this file).
 * Contract:
 *  - input: raw document text; output keeps line structure ("\n"), drops page header/footer lines,
 *    joins line-break hyphens when the joined word is valid.
 *  - `originalSlice(start, end)` returns the raw text behind a span of the repaired text.
 */
import type { Lexicon } from '../types.ts';

/** One change the repair made. */
export interface Repair {
  /** Offset in the repaired text. */
  offset: number;
  from: string;
  to: string;
  kind: 'split-diacritic' | 'ocr' | 'hyphenation' | 'header-footer' | 'other';
}

export interface RepairResult {
  text: string;
  repairs: Repair[];
  originalSlice(start: number, end: number): string;
}

export interface RepairOptions {
  /** Word frequencies from the corpus (folded form → count), used as a prior among candidates. */
  corpusFrequencies?: Map<string, number>;
}

export function repairDocument(raw: string, _lexicon: Lexicon, _options: RepairOptions = {}): RepairResult {
  return { text: raw, repairs: [], originalSlice: (start, end) => raw.slice(start, end) };
}

/** Repair a user query (same repairs as documents, no line handling). */
export function repairQuery(query: string, lexicon: Lexicon): string {
  return repairDocument(query, lexicon).text;
}
