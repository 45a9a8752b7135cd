/**
 * Line model of a repaired plan document and context-free line classification
 * (template labels from the profile, bullets, numbered headings and items, column-run table headers, spaced cells,
 * number cells, garbage).
 * Matching is tolerant to case, diacritics and OCR damage ("Frdn Goteborgs Stads budget:", "Fra n na mnden").
 */
import type { TemplateLabels } from '../profile.ts';
import { countLetters, isSpaceCode } from '../swedish/chars.ts';
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
  /** Leading white space (columns) before `text` in the repaired line: the horizontal position of spaced tables. */
  column: number;
  blank: boolean;
  /** Logo/OCR garbage, bare URL or page header (see `isGarbageLine`). */
  garbage: boolean;
}

/**
 * `isGarbageLine` of each line of the last text split: the metadata reader and the chunker split the same
 * document text, and the classification depends on the line text alone.
 */
let lastGarbage: { text: string; garbage: boolean[] } | undefined;

/** Split text into lines with offsets; `originalSlice` (optional) helps detect indentation lost in repair. */
export function splitLines(text: string, originalSlice?: (start: number, end: number) => string): Line[] {
  const lines: Line[] = [];
  let offset = 0;
  let index = 0;
  const known = lastGarbage?.text === text ? lastGarbage.garbage : undefined;
  const garbageFlags: boolean[] = [];
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
    const garbage = known ? known[index] : !blank && isGarbageLine(trimmed);
    garbageFlags.push(garbage);
    lines.push({ index: index++, text: trimmed, start, end: start + trimmed.length, indented, column: leading, blank, garbage });
  }
  lastGarbage = { text, garbage: garbageFlags };
  return lines;
}

/** What a template heading announces (the categories of `TemplateLabels`). */
export type LabelCategory = 'goals' | 'directions' | 'assignments' | 'fromBudget' | 'fromCommittee';

const CATEGORIES: LabelCategory[] = ['goals', 'directions', 'assignments', 'fromBudget', 'fromCommittee'];

/** A recognised template heading: the profile entry it matched (as the profile writes it) and its categories. */
export interface LabelMatch {
  name: string;
  categories: LabelCategory[];
}

interface LabelForm {
  name: string;
  form: string;
  categories: LabelCategory[];
}

const compiledLabels = new WeakMap<TemplateLabels, LabelForm[]>();

function labelForms(labels: TemplateLabels): LabelForm[] {
  const cached = compiledLabels.get(labels);
  if (cached) return cached;
  const byForm = new Map<string, LabelForm>();
  for (const category of CATEGORIES) {
    for (const name of labels[category]) {
      const form = compactFold(name);
      if (!form) continue;
      const entry = byForm.get(form) ?? { name, form, categories: [] };
      if (!entry.categories.includes(category)) entry.categories.push(category);
      byForm.set(form, entry);
    }
  }
  const forms = [...byForm.values()];
  compiledLabels.set(labels, forms);
  return forms;
}

/**
 * Recognise a template heading line ("Mål:", "Inriktningar:", "Från Göteborgs Stads budget:", "Nämndens uppdrag
 * till förvaltningen") from the profile's `labels`, folded (case, diacritics, punctuation), tolerant to split
 * diacritics and OCR damage ("Frdn Goteborgs Stads budget:", "Fra n na mnden"). Short one-word labels ("Mål",
 * "Uppdrag", under 8 letters) are too ambiguous without their colon (table headers, words) unless `bare` is set
 * (the title of a numbered heading). Returns the best matching profile entry, or undefined.
 */
export function matchLabel(text: string, labels: TemplateLabels, options: { bare?: boolean } = {}): LabelMatch | undefined {
  if (text.length > 80) return undefined;
  // The chunker asks about each line more than once (free-form check, then structure): remember the answers.
  let answers = labelAnswers.get(labels);
  if (!answers) labelAnswers.set(labels, (answers = new Map()));
  const key = options.bare === true ? `1${text}` : `0${text}`;
  let entry = answers.get(key);
  if (entry === undefined) {
    if (answers.size >= MAX_LABEL_ANSWERS) answers.clear();
    entry = matchLabelForm(text, labels, options.bare === true) ?? null;
    answers.set(key, entry);
  }
  return entry ? { name: entry.name, categories: entry.categories } : undefined;
}

/** Remembered `matchLabel` answers per label set (cleared when full), by bare flag and text. */
const labelAnswers = new WeakMap<TemplateLabels, Map<string, LabelForm | null>>();
const MAX_LABEL_ANSWERS = 20000;

function matchLabelForm(text: string, labels: TemplateLabels, bare: boolean): LabelForm | undefined {
  const hasColon = bare || /:\s*$/.test(text);
  const compact = compactFold(text);
  if (!compact || /\d/.test(compact)) return undefined;
  const forms = labelForms(labels);
  const exact = forms.find((entry) => entry.form === compact);
  if (exact) {
    if (exact.form.length < 8 && !hasColon) return undefined;
    return exact;
  }
  let best: { entry: LabelForm; distance: number } | undefined;
  for (const entry of forms) {
    const { form } = entry;
    let limit = 0;
    if (form.length >= 8) limit = Math.max(1, Math.floor(form.length * 0.15));
    else if (form.length >= 3 && hasColon && compact[0] === form[0]) limit = 1;
    if (limit === 0) continue;
    const distance = editDistance(compact, form, limit);
    if (distance <= limit && (!best || distance < best.distance)) best = { entry, distance };
  }
  return best?.entry;
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

/** "1. Göteborg ska vara…", "1) …", "a) …" — a numbered (or lettered) item of a goal or list. */
export function matchNumberedItem(text: string): { number: number } | undefined {
  const match = /^(\d{1,2})[.)]\s+\S/.exec(text);
  if (match) return { number: Number(match[1]) };
  const letter = /^([a-zåäö])\)\s+\S/u.exec(text);
  return letter ? { number: letter[1].charCodeAt(0) - 96 } : undefined;
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
 * The header of a table whose columns were flattened into runs ("Uppdrag / Uppdrags / år / Omhändertagande" over
 * several lines, then per row: the first column's text, a paragraph starting with a year, the last column's text).
 * Recognised by layout, not by words: 2–6 short one- or two-word lines without digits or punctuation (blank lines
 * between allowed), a lower-case line continuing the previous one ("Uppdrags" + "år"), three column names, and a
 * year-led paragraph among the next paragraphs. Returns the last header line and the column names, or undefined.
 */
export function matchColumnRunHeader(lines: Line[], index: number): { last: number; columns: string[] } | undefined {
  const parts: Line[] = [];
  let cursor = index;
  for (; cursor < lines.length && parts.length < 6; cursor++) {
    const line = lines[cursor];
    if (line.blank) continue;
    if (line.text.length > 24 || !/^\p{L}[\p{L}-]*(\s\p{L}[\p{L}-]*)?$/u.test(line.text)) break;
    if (parts.length === 0 && !startsUpper(line.text)) return undefined;
    parts.push(line);
  }
  if (parts.length < 2) return undefined;
  // Try the longest header first: the header ends where the first column's text begins.
  for (let count = parts.length; count >= 2; count--) {
    const columns: string[] = [];
    for (const part of parts.slice(0, count)) {
      if (/^\p{Ll}/u.test(part.text) && columns.length > 0) columns[columns.length - 1] += part.text;
      else columns.push(part.text);
    }
    if (columns.length !== 3) continue;
    const last = parts[count - 1].index;
    // A year-led paragraph follows within a few paragraphs.
    let paragraphs = 0;
    let blankBefore = true;
    for (let next = last + 1; next < lines.length && paragraphs < 4; next++) {
      const line = lines[next];
      if (line.blank) {
        blankBefore = true;
        continue;
      }
      if (blankBefore) {
        paragraphs++;
        if (paragraphs >= 2 && matchYearLine(line.text)) return { last, columns };
        if (paragraphs === 1 && matchYearLine(line.text)) break;
      }
      blankBefore = false;
    }
  }
  return undefined;
}

const PARTY_NAMES = ['vansterpartiet', 'socialdemokraterna', 'miljopartiet', 'centerpartiet', 'liberalerna', 'kristdemokraterna', 'moderaterna', 'sverigedemokraterna', 'demokraterna'];

/** Party name matching tolerant to OCR ("miljspartiet", "Vinsterpartiet"); returns the canonical folded name. */
export function matchPartyWord(word: string): string | undefined {
  let party = partyOfWord.get(word);
  if (party === undefined) {
    if (partyOfWord.size >= MAX_PARTY_WORDS) partyOfWord.clear();
    party = findPartyWord(word) ?? null;
    partyOfWord.set(word, party);
  }
  return party ?? undefined;
}

/** Remembered `matchPartyWord` answers (the same words recur in every document); emptied when full. */
const partyOfWord = new Map<string, string | null>();
const MAX_PARTY_WORDS = 50000;

function findPartyWord(word: string): string | undefined {
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
  // The page patterns end in ")" or a digit.
  const last = trimmed.charCodeAt(trimmed.length - 1);
  if (last === 41 /* ) */ && /^.{0,80}\s\d{1,3}\s*\(\d{1,3}\)$/.test(trimmed)) return true;
  const endsWithDigit = last >= 48 && last <= 57;
  if (endsWithDigit && /^.{0,80}\ssida\s+\d{1,3}\s*(av|\/)\s*\d{1,3}$/i.test(trimmed)) return true;
  if (endsWithDigit && /^(sida\s+)?\d{1,3}(\s*(\/|av)\s*\d{1,3})?$/i.test(trimmed)) return true;
  // Numbers and references are content ("249 800", "9,1", "-4 300", "§ 47", "12 %"), never garbage.
  if (isNumericCell(trimmed) || /^§\s*\d/.test(trimmed)) return false;
  const letters = countLetters(trimmed);
  const hasYear = /\b(19|20)\d\d\b/.test(trimmed);
  if (letters < 3 && !hasYear) return true;
  // Digits are content ("Telefon: 031-365 00 00"): only symbol soup is garbage.
  let visible = 0;
  let digits = 0;
  for (let index = 0; index < trimmed.length; index++) {
    const code = trimmed.charCodeAt(index);
    if (!isSpaceCode(code)) visible++;
    if (code >= 48 && code <= 57) digits++;
  }
  if (!hasYear && (letters + digits) / visible < 0.5 && !/^\d{1,2}(\.\d{1,2})*\.?\s+\p{L}/u.test(trimmed)) return true;
  if (/[,.:;]/.test(trimmed)) return false;
  const words = trimmed.split(/\s+/);
  if (words.length <= 3) {
    const partyWords = words.filter((word) => matchPartyWord(word) !== undefined);
    if (partyWords.length === 1) return true;
  }
  return false;
}

/**
 * A table cell holding a number as written: "37", "9,1", "249 800" (space as thousands separator), "-4 300",
 * "12 %", "1 900 tkr". A bare one- to three-digit number counts too (callers decide whether it is a page number).
 */
export function isNumericCell(text: string): boolean {
  return /^[-–−+]?\s?\d{1,3}((\s|\u00a0)\d{3})*([,.]\d+)?\s?(%|‰|tkr|mnkr|mkr|kr|st)?$/iu.test(text.trim()) || /^[-–−+]?\d+([,.]\d+)?\s?(%|‰)?$/.test(text.trim());
}

/** Cells of a line whose columns are separated by runs of two or more spaces (or tabs); positions are columns. */
export function spacedCells(line: Line): Array<{ text: string; column: number; start: number; end: number }> {
  const cells: Array<{ text: string; column: number; start: number; end: number }> = [];
  // The runs of /\S+(?: \S+)*/g: non-space characters joined by single spaces.
  const text = line.text;
  const length = text.length;
  let index = 0;
  while (index < length) {
    if (isSpaceCode(text.charCodeAt(index))) {
      index++;
      continue;
    }
    const offset = index;
    let end = index + 1;
    for (;;) {
      while (end < length && !isSpaceCode(text.charCodeAt(end))) end++;
      if (end + 1 < length && text.charCodeAt(end) === 32 && !isSpaceCode(text.charCodeAt(end + 1))) end += 2;
      else break;
    }
    const cell = text.slice(offset, end);
    cells.push({ text: cell, column: line.column + offset, start: line.start + offset, end: line.start + offset + cell.length });
    index = end;
  }
  return cells;
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
