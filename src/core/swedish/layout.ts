/**
 * Page layout clean-up of extracted document text, before the Swedish repair:
 *
 *  - **Page furniture** (`removePageFurniture`): running headers and footers are found by repetition and by
 *    page-number patterns, not by listing strings. A *page anchor* is a line with a page number ("Sida 2 av 4",
 *    "2 (3)", "Sida 2 (2)", "- 3 -", "Page 2 of 5", or such a number at the end of a title line). A *furniture
 *    block* is the block of 1–4 non-blank lines that holds an anchor (or touches it across one blank line);
 *    its lines are furniture when they repeat elsewhere in the document modulo digits, and page-number lines
 *    always are. All occurrences are removed, wherever they stand (also in the middle of a paragraph),
 *    except the first page's occurrence of a repeated block (it states page 1, or opens the document) when it
 *    carries document facts (a digit or a "Label:" once the page number is taken away: the first page's
 *    header is where a protocol states its body and date); the page number itself is dropped from it. A sentence split by a removed block is rejoined (the
 *    blank lines around the block go when the line before does not end a sentence and the line after
 *    starts in lower case).
 *  - **Two-column prose** (`deinterleaveColumns`): a region where most lines hold two prose columns separated
 *    by a wide run of spaces (or tabs) at a steady position, both sides mostly words, is rewritten as the
 *    left column followed by the right column. Lines with more than two cells (tables), cells that are
 *    mostly numbers, and single-column text with an occasional double space are left alone.
 *
 * Pure TypeScript (no node:*). The line structure of everything not removed or de-interleaved is kept.
 */

/** The text after layout clean-up and what was done. */
export interface LayoutResult {
  text: string;
  /** Lines removed as page furniture (as written). */
  removedLines: string[];
  /** Number of two-column regions rewritten column by column. */
  columnRegions: number;
}

const PAGE_ONLY: RegExp[] = [
  /^\d{1,3}$/,
  /^[-–—]\s*\d{1,3}\s*[-–—]$/,
  /^(?:sida|sid\.?|s\.|page)\s*(\d{1,3})(?:\s*(?:av|of|\/)\s*(\d{1,3})|\s*\((\d{1,3})\))?$/i,
  /^(\d{1,3})\s*\((\d{1,3})\)$/,
  /^(\d{1,3})\s*(?:\/|av|of)\s*(\d{1,3})$/i,
];

/** A page number at the end of a longer line ("Förskolenämnden – Verksamhetsplan 2025    Sida 2 av 4"). */
const PAGE_AT_END: RegExp[] = [
  /\s(?:sida|sid\.?|page)\s*(\d{1,3})(?:\s*(?:av|of|\/)\s*(\d{1,3})|\s*\((\d{1,3})\))?$/i,
  /\s{2,}(\d{1,3})\s*\((\d{1,3})\)$/,
  /\s(\d{1,3})\s?\((\d{1,3})\)$/,
  /\s{2,}(\d{1,3})\s*(?:\/|av|of)\s*(\d{1,3})$/i,
  /\s{2,}\d{1,3}$/,
];

/** The last character of every match of `PAGE_ONLY` and `PAGE_AT_END`. */
const PAGE_NUMBER_LAST = new Set(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ')', '-', '–', '—']);

/** A page number "n of m" is plausible when n ≤ m. */
function plausible(match: RegExpExecArray): boolean {
  const numbers = match.slice(1).filter((value) => value !== undefined).map(Number);
  return numbers.length < 2 || (numbers[0] >= 1 && numbers[0] <= numbers[1]);
}

/** The line without its page number, or null when it has none. "" for a line that is only a page number. */
export function stripPageNumber(line: string): string | null {
  const text = line.trim();
  if (!text) return null;
  if (!PAGE_NUMBER_LAST.has(text.charAt(text.length - 1))) return null; // no pattern can match
  for (const pattern of PAGE_ONLY) {
    const match = pattern.exec(text);
    if (match && plausible(match)) return '';
  }
  for (const pattern of PAGE_AT_END) {
    const match = pattern.exec(text);
    if (match && plausible(match) && /\p{L}/u.test(text.slice(0, match.index))) return text.slice(0, match.index).trimEnd();
  }
  return null;
}

/** The page number a line states ("Sida 2 av 4" → 2), or null. */
function pageNumber(line: string): number | null {
  const text = line.trim();
  for (const pattern of [...PAGE_ONLY, ...PAGE_AT_END]) {
    const match = pattern.exec(text);
    if (match && plausible(match)) return Number(match[1] ?? /\d{1,3}/.exec(match[0])?.[0]);
  }
  return null;
}

/** Comparison key of a line: lower case, whitespace collapsed, page number removed (other digits kept). */
function lineKey(line: string, stripped: string | null = stripPageNumber(line)): string {
  return (stripped ?? line.trim()).toLowerCase().replace(/\s+/g, " ");
}

const isBlank = (line: string | undefined): boolean => line !== undefined && line.trim() === '';

/** How far (non-blank lines) a header/footer block reaches from its page number. */
const BLOCK_REACH = 3;

/** Removes running page headers/footers and page numbers (see the module comment). */
export function removePageFurniture(text: string): { text: string; removedLines: string[] } {
  const lines = text.split('\n');
  const stripped = lines.map(stripPageNumber);
  if (!stripped.some((value) => value !== null)) return { text, removedLines: [] };
  const keys = lines.map((line, index) => lineKey(line, stripped[index]));
  const keyCounts = new Map<string, number>();
  lines.forEach((line, index) => {
    if (!isBlank(line) && keys[index].length >= 3) keyCounts.set(keys[index], (keyCounts.get(keys[index]) ?? 0) + 1);
  });
  const repeated = (index: number): boolean => (keyCounts.get(keys[index]) ?? 0) >= 2;

  // Candidates: page-number lines and the repeated lines next to them (a block of up to BLOCK_REACH lines on
  // either side, crossing at most one blank line at a time).
  const candidates = new Set<number>();
  // A bare number is a page number only at a page's edge: not between two lines of text, and not next to another bare
  // number (a column of table cells: "89", "90", "93").
  const bare = (index: number): boolean => index >= 0 && index < lines.length && stripped[index] === '';
  const prose = (index: number): boolean => index >= 0 && index < lines.length && !isBlank(lines[index]) && !repeated(index) && !bare(index);
  const integer = (index: number): boolean => index >= 0 && index < lines.length && /^\s*\d{1,3}\s*$/.test(lines[index]);
  const atPageEdge = (index: number): boolean => !integer(index - 1) && !integer(index + 1) && !(prose(index - 1) && prose(index + 1));
  lines.forEach((_line, anchor) => {
    if (stripped[anchor] === null) return;
    if (stripped[anchor] !== '' && !repeated(anchor)) return;
    if (stripped[anchor] === '' && !atPageEdge(anchor)) return;
    candidates.add(anchor);
    for (const step of [-1, 1]) {
      let taken = 0;
      let position = anchor + step;
      while (taken < BLOCK_REACH && position >= 0 && position < lines.length) {
        if (isBlank(lines[position])) {
          if (isBlank(lines[position + step])) break;
          position += step;
          continue;
        }
        if (!repeated(position) && !(stripped[position] === '' && atPageEdge(position))) break;
        candidates.add(position);
        taken++;
        position += step;
      }
    }
  });
  // A repeated line is furniture when at least two of its occurrences stand next to page numbers.
  const nearCounts = new Map<string, number>();
  for (const index of candidates) nearCounts.set(keys[index], (nearCounts.get(keys[index]) ?? 0) + 1);
  const furniture = [...candidates]
    .filter((index) => stripped[index] === '' || (nearCounts.get(keys[index]) ?? 0) >= 2)
    .sort((a, b) => a - b);
  if (furniture.length === 0) return { text, removedLines: [] };

  // The first block that carries document facts is kept (without its page number).
  const drop = new Set(furniture);
  const keep = new Map<number, string>();
  const firstBlock: number[] = [];
  for (const index of furniture) {
    const previous = firstBlock[firstBlock.length - 1];
    if (previous !== undefined && lines.slice(previous + 1, index).some((line) => !isBlank(line))) break;
    if (previous !== undefined && index - previous > 2) break;
    firstBlock.push(index);
  }
  const facts = firstBlock
    .map((index) => stripped[index] ?? lines[index])
    .join(' ')
    .trim();
  // Only the first page's header counts: the block states page 1, or (no page number read) opens the document.
  const numbers = firstBlock.map((index) => pageNumber(lines[index])).filter((value): value is number => value !== null);
  const contentBefore = lines.slice(0, firstBlock[0]).filter((line) => !isBlank(line)).length;
  const firstPage = numbers.length > 0 ? numbers[0] === 1 : contentBefore === 0;
  if (firstPage && firstBlock.some((index) => stripped[index] !== '') && (/\d/.test(facts) || /\p{L}:\s*\S/u.test(facts))) {
    for (const index of firstBlock) {
      if (stripped[index] === '') continue;
      drop.delete(index);
      if (stripped[index] !== null) keep.set(index, lines[index].slice(0, lines[index].length - lines[index].trimStart().length) + stripped[index]);
    }
  }

  const removedLines = [...drop].sort((a, b) => a - b).map((line) => lines[line]);
  const output: string[] = [];
  let index = 0;
  while (index < lines.length) {
    if (!drop.has(index)) {
      output.push(keep.get(index) ?? lines[index]);
      index++;
      continue;
    }
    // A removed region with the blank lines around it.
    let end = index;
    while (end + 1 < lines.length && (drop.has(end + 1) || isBlank(lines[end + 1]))) end++;
    let blankBefore = 0;
    while (output.length > 0 && isBlank(output[output.length - 1])) {
      output.pop();
      blankBefore++;
    }
    const blankAfter = lines.slice(index, end + 1).some((line, offset) => !drop.has(index + offset) && isBlank(line));
    const previous = output[output.length - 1];
    const next = lines[end + 1];
    const continues = previous !== undefined && next !== undefined && !/[.!?:;]\s*$/.test(previous) && /^\s*\p{Ll}/u.test(next);
    if (!continues && output.length > 0 && end + 1 < lines.length && (blankBefore > 0 || blankAfter)) output.push('');
    index = end + 1;
  }
  return { text: output.join('\n'), removedLines };
}

interface ColumnLine {
  kind: 'two' | 'left' | 'right' | 'blank' | 'other';
  /** Column of the right cell's first character. */
  column: number;
  left: string;
  right: string;
}

const GAP = /(?: {3,}|\t+ *)/g;

/** Prose: mostly letters, few numeric tokens. */
function isProse(cell: string): boolean {
  const tokens = cell.split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return false;
  const numeric = tokens.filter((token) => /^[-+–]?[\d\s.,%:/()§-]+$/.test(token)).length;
  const letters = (cell.match(/\p{L}/gu) ?? []).length;
  const visible = cell.replace(/\s/g, '').length;
  return numeric / tokens.length <= 0.25 && letters / Math.max(1, visible) >= 0.6;
}

function classify(line: string): ColumnLine {
  const expanded = line.replace(/\t/g, '    ');
  if (expanded.trim() === '') return { kind: 'blank', column: 0, left: '', right: '' };
  const indent = expanded.length - expanded.trimStart().length;
  const body = expanded.trimEnd();
  const gaps = [...body.slice(indent).matchAll(GAP)].map((match) => ({ at: indent + match.index!, length: match[0].length }));
  if (gaps.length === 0) {
    return indent >= 8 ? { kind: 'right', column: indent, left: '', right: body.trim() } : { kind: 'left', column: body.length, left: body.trim(), right: '' };
  }
  if (gaps.length > 1) return { kind: 'other', column: 0, left: '', right: '' };
  const gap = gaps[0];
  const left = body.slice(0, gap.at).trim();
  const right = body.slice(gap.at + gap.length).trim();
  if (!isProse(left) || !isProse(right)) return { kind: 'other', column: 0, left: '', right: '' };
  return { kind: 'two', column: gap.at + gap.length, left, right };
}

const COLUMN_TOLERANCE = 3;
const MIN_TWO_COLUMN_LINES = 3;

/** Rewrites two-column prose regions as left column then right column (see the module comment). */
export function deinterleaveColumns(text: string): { text: string; regions: number } {
  if (!/ {3,}|\t/.test(text)) return { text, regions: 0 };
  const lines = text.split('\n');
  const info = lines.map(classify);
  const output: string[] = [];
  let regions = 0;
  let index = 0;
  while (index < lines.length) {
    if (info[index].kind !== 'two') {
      output.push(lines[index]);
      index++;
      continue;
    }
    const column = info[index].column;
    let end = index;
    let lastTwo = index;
    for (let next = index + 1; next < lines.length; next++) {
      const line = info[next];
      const fits =
        line.kind === 'blank' ||
        (line.kind === 'two' && Math.abs(line.column - column) <= COLUMN_TOLERANCE) ||
        (line.kind === 'right' && Math.abs(line.column - column) <= COLUMN_TOLERANCE) ||
        (line.kind === 'left' && line.column < column - 1);
      if (!fits) break;
      end = next;
      if (line.kind === 'two') lastTwo = next;
    }
    // The region ends with its last line that still belongs to a column pair (trailing blanks/lefts excluded
    // unless another two-column line follows them).
    while (end > lastTwo && (info[end].kind === 'blank' || info[end].kind === 'left')) end--;
    const region = info.slice(index, end + 1);
    const two = region.filter((line) => line.kind === 'two');
    const nonBlank = region.filter((line) => line.kind !== 'blank');
    const words = (cells: string[]): number => cells.reduce((sum, cell) => sum + cell.split(/\s+/).filter(Boolean).length, 0) / Math.max(1, cells.length);
    const accepted =
      two.length >= MIN_TWO_COLUMN_LINES &&
      two.length >= 0.6 * nonBlank.length &&
      words(two.map((line) => line.left)) >= 3 &&
      words(two.map((line) => line.right)) >= 3;
    if (!accepted) {
      output.push(lines[index]);
      index++;
      continue;
    }
    regions++;
    const leftColumn = region.map((line) => (line.kind === 'two' || line.kind === 'left' ? line.left : line.kind === 'blank' ? '' : null)).filter((line): line is string => line !== null);
    const rightColumn = region.map((line) => (line.kind === 'two' || line.kind === 'right' ? line.right : line.kind === 'blank' ? '' : null)).filter((line): line is string => line !== null);
    const trim = (column: string[]): string[] => {
      const copy = [...column];
      while (copy.length > 0 && copy[copy.length - 1] === '') copy.pop();
      while (copy.length > 0 && copy[0] === '') copy.shift();
      return copy.filter((line, position) => !(line === '' && copy[position - 1] === ''));
    };
    output.push(...trim(leftColumn), '', ...trim(rightColumn));
    index = end + 1;
  }
  return { text: output.join('\n'), regions };
}

/** Page furniture removal, then two-column de-interleaving. */
export function cleanLayout(text: string): LayoutResult {
  const furniture = removePageFurniture(text);
  const columns = deinterleaveColumns(furniture.text);
  return { text: columns.text, removedLines: furniture.removedLines, columnRegions: columns.regions };
}
