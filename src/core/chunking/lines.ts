/**
 * Line model of a repaired plan document and context-free line classification
 * (labels, bullets, numbered headings and goals, uppdrag table headers, garbage).
 * Matching is tolerant to case, diacritics and OCR damage ("Frdn Goteborgs Stads budget:", "Fra n na mnden").
 */
import { compactFold, editDistance, endsWithTerminal, foldCase, fuzzyEquals, hasFiniteVerb, startsUpper } from './folding.ts';

/** One line of the repaired text. `start`/`end` delimit the trimmed content. */
export interface Line {
  index: number;
  /** Trimmed content. */
  text: string;
  start: number;
  end: number;
  /** The line began with white space (a page/slide start in the sample PDFs). */
  indented: boolean;
  blank: boolean;
  /** Logo/OCR garbage, bare URL or page header (see `isGarbageLine`). */
  garbage: boolean;
}

/** Split text into lines with offsets; `originalSlice` (optional) helps detect indentation lost in repair. */
export function splitLines(text: string, originalSlice?: (start: number, end: number) => string): Line[] {
  const lines: Line[] = [];
  let offset = 0;
  let index = 0;
  for (const rawLine of text.split('\n')) {
    const lineStart = offset;
    offset += rawLine.length + 1;
    const line = rawLine.replace(/\r$/, '');
    const leading = line.length - line.trimStart().length;
    const trimmed = line.trim();
    const start = lineStart + leading;
    let indented = leading > 0 && trimmed.length > 0;
    if (!indented && trimmed.length > 0 && originalSlice) {
      try {
        indented = /^[ \t\u00a0]/.test(originalSlice(lineStart, lineStart + line.length));
      } catch {
        indented = false;
      }
    }
    const blank = trimmed.length === 0;
    lines.push({ index: index++, text: trimmed, start, end: start + trimmed.length, indented, blank, garbage: !blank && isGarbageLine(trimmed) });
  }
  return lines;
}

/** Structural labels of genomförandeplaner. */
export type LabelName = 'Mål' | 'Inriktningar' | 'Uppdrag' | 'Från Göteborgs Stads budget' | 'Från nämnden';

interface LabelPattern {
  name: LabelName;
  forms: string[];
  /** Whether the label must end with `:` unless the folded form matches exactly. */
  needsColon: boolean;
}

const LABELS: LabelPattern[] = [
  { name: 'Mål', forms: ['mal'], needsColon: true },
  { name: 'Inriktningar', forms: ['inriktningar', 'inriktning'], needsColon: true },
  { name: 'Uppdrag', forms: ['uppdrag'], needsColon: true },
  { name: 'Från Göteborgs Stads budget', forms: ['frangoteborgsstadsbudget', 'frankommunfullmaktigesbudget', 'franbudget'], needsColon: false },
  { name: 'Från nämnden', forms: ['frannamnden', 'frannamndenstyrelsen', 'franstyrelsen', 'frannamndenochstyrelsen'], needsColon: false },
];

/**
 * Recognise a section label line ("Mål:", "Inriktningar:", "Uppdrag:", "Från Göteborgs Stads budget:",
 * "Från nämnden/styrelsen:"), tolerating split diacritics and OCR damage. Returns the canonical label.
 */
export function matchLabel(text: string): LabelName | undefined {
  if (text.length > 60) return undefined;
  const hasColon = /:\s*$/.test(text);
  const compact = compactFold(text);
  if (!compact || /\d/.test(compact)) return undefined;
  for (const label of LABELS) {
    for (const form of label.forms) {
      if (compact === form) {
        if (label.needsColon && !hasColon) {
          // "Mål" / "Uppdrag" alone are too ambiguous (table headers, words); only accept with a colon.
          continue;
        }
        return label.name;
      }
      if (form.length >= 8 && (hasColon || !label.needsColon) && fuzzyEquals(compact, form, 0.15)) return label.name;
      if (form.length < 8 && hasColon && form.length >= 3 && editDistance(compact, form, 1) <= 1 && compact[0] === form[0]) {
        return label.name;
      }
    }
  }
  return undefined;
}

/** Bullet markers seen in PDF extractions. */
const BULLET = /^([»•▪●◦‣∙■□➢➤\uf0b7\uf0a7]|[-–](?=\s))\s*/u;

/** The bullet marker at the start of a line, or undefined. */
export function bulletMarker(text: string): string | undefined {
  const match = BULLET.exec(text);
  if (!match) return undefined;
  if (match[0].length >= text.length) return undefined;
  return match[0];
}

/** "1. Göteborg ska vara…" — a numbered item (goal or list item), number followed by a dot. */
export function matchNumberedItem(text: string): { number: number } | undefined {
  const match = /^(\d{1,2})[.)]\s+\S/.exec(text);
  return match ? { number: Number(match[1]) } : undefined;
}

/** "3.1.1 Nämndens mål", "1 Inledning" — a numbered heading (no dot after the last number). */
export function matchNumberedHeading(text: string): { number: string; title: string; depth: number } | undefined {
  const match = /^(\d{1,2}(?:\.\d{1,2}){0,5})\.?\s+(\p{Lu}.*)$/u.exec(text);
  if (!match) return undefined;
  const [, number, title] = match;
  // "1. Göteborg …" (dot after a single number) is a numbered item, not a heading.
  if (!number.includes('.') && /^\d{1,2}\./.test(text)) return undefined;
  if (title.length > 140 || /[.,;]$/.test(title.trim())) return undefined;
  return { number, title: title.trim(), depth: number.split('.').length };
}

/** "2023 Förvaltningen har…" / "2024" — the first line of an uppdrag table row's year column. */
export function matchYearLine(text: string): { year: number; rest: string } | undefined {
  const match = /^((?:19|20)\d\d)(?:\s+(.*))?$/.exec(text);
  if (!match) return undefined;
  return { year: Number(match[1]), rest: (match[2] ?? '').trim() };
}

/**
 * The uppdrag table header "Uppdrag / Uppdrags / år / Omhändertagande" (over several lines) starting at
 * `index`. Returns the index of the header's last line, or -1.
 */
export function matchTableHeader(lines: Line[], index: number): number {
  const words: string[] = [];
  let last = -1;
  for (let cursor = index; cursor < lines.length && words.length < 6; cursor++) {
    const line = lines[cursor];
    if (line.blank) continue;
    if (line.text.length > 40) break;
    words.push(compactFold(line.text));
    last = cursor;
    const joined = words.join('');
    if (/^uppdrag(uppdrags?ar|uppdragsar)?(omhandertagande|atgard|status)$/.test(joined)) return last;
    if (!'uppdraguppdragsaromhandertagande'.startsWith(joined)) break;
  }
  return -1;
}

const PARTY_NAMES = ['vansterpartiet', 'socialdemokraterna', 'miljopartiet', 'centerpartiet', 'liberalerna', 'kristdemokraterna', 'moderaterna', 'sverigedemokraterna', 'demokraterna'];

/** Party name matching tolerant to OCR ("miljspartiet", "Vinsterpartiet"); returns the canonical folded name. */
export function matchPartyWord(word: string): string | undefined {
  const folded = compactFold(word);
  if (folded.length < 8) return undefined;
  // Cheap pre-filter: every party name (also OCR-damaged) keeps one of these pieces.
  if (!/parti|demokrat|moderat|liberal|erna$|erna?s$/.test(folded)) return undefined;
  for (const name of PARTY_NAMES) {
    if (folded === name || folded === `${name}s`) return name;
  }
  for (const name of PARTY_NAMES) {
    if (fuzzyEquals(folded, name, 0.17) || fuzzyEquals(folded, `${name}s`, 0.17)) return name;
  }
  return undefined;
}

/**
 * Lines that must never become text: OCR'd logos ("r/'-_-\", "&", "VI", "miljspartiet", "Vinsterpartiet dB grano"),
 * stray symbols, bare URLs and page headers/footers ("Nämndens verksamhetsplan 2024 6 (17)").
 */
export function isGarbageLine(text: string): boolean {
  const trimmed = text.trim();
  if (!trimmed) return false;
  if (/^(https?:\/\/|mailto:|www\.)\S*$/i.test(trimmed)) return true;
  if (/^.{0,80}\s\d{1,3}\s*\(\d{1,3}\)$/.test(trimmed)) return true;
  if (/^(sida\s+)?\d{1,3}(\s*(\/|av)\s*\d{1,3})?$/i.test(trimmed)) return true;
  const letters = (trimmed.match(/\p{L}/gu) ?? []).length;
  const visible = trimmed.replace(/\s+/g, '').length;
  const hasYear = /\b(19|20)\d\d\b/.test(trimmed);
  if (letters < 3 && !hasYear) return true;
  if (!hasYear && letters / visible < 0.5 && !/^\d{1,2}(\.\d{1,2})*\.?\s+\p{L}/u.test(trimmed)) return true;
  const words = trimmed.split(/\s+/);
  if (words.length <= 3 && !/[,.:;]/.test(trimmed)) {
    const partyWords = words.filter((word) => matchPartyWord(word) !== undefined);
    if (partyWords.length === 1) return true;
  }
  return false;
}

/**
 * A line that reads like a heading: starts upper case, short, no terminal punctuation, no finite verb.
 */
export function isHeadingLike(text: string): boolean {
  if (!startsUpper(text)) return false;
  if (text.length > 70) return false;
  if (text.split(/\s+/).length > 8) return false;
  if (/[.,;:!?]$/.test(text)) return false;
  if (hasFiniteVerb(text)) return false;
  return true;
}

/** Make an ALL-CAPS heading readable: "TIDIGA INSATSER" → "Tidiga insatser". */
export function tidyHeading(text: string): string {
  const letters = text.replace(/[^\p{L}]/gu, '');
  let result = text.replace(/\s+/g, ' ').trim().replace(/[:.]$/, '');
  if (letters.length >= 4 && letters === letters.toUpperCase()) {
    result = result.toLowerCase().replace(/\p{L}/u, (first) => first.toUpperCase());
  }
  return result;
}

/** True when the line ends a sentence (used for paragraph boundaries). */
export function endsSentence(text: string): boolean {
  return endsWithTerminal(text);
}

/** Folded text (exported for the chunker's kind checks). */
export function foldLine(text: string): string {
  return foldCase(text);
}

/** True when the document reads as slides: many bullets, several indented title lines, few long lines. */
export function looksLikeSlides(lines: Line[]): boolean {
  const content = lines.filter((line) => !line.blank);
  if (content.length === 0) return false;
  const bullets = content.filter((line) => bulletMarker(line.text)).length;
  const titles = content.filter((line) => line.indented && !bulletMarker(line.text) && line.text.length <= 80).length;
  const longLines = content.filter((line) => line.text.length > 110).length;
  return bullets / content.length >= 0.3 && titles >= 3 && longLines / content.length < 0.1;
}
