/**
 * Tables found by layout, not by header words:
 *  - spaced columns: a header line and rows whose cells are separated by runs of ≥ 2 spaces
 *    ("Indikator    Utfall 2023    Målvärde 2025" / "Sjukfrånvaro (%)    9,1    8,0"); a single space stays inside a
 *    cell ("249 800"); rows may wrap onto continuation lines (indented under a column, or starting lower case);
 *  - one cell per line: a header of N short lines followed by rows of N lines each whose number columns agree
 *    ("Verksamhetsområde / Budget 2024 / Budget 2025 / Förändring", then "Bibliotek / 249 800 / 254 100 / 4 300").
 * Each table is returned as its header cells and rows; every cell keeps its segments (offsets in the repaired text).
 */
import { endsWithTerminal, startsLower } from './folding.ts';
import { type Line, isNumericCell, spacedCells } from './lines.ts';
import type { Segment } from './segments.ts';

/** A detected table: header cells as written and rows of cells (one segment list per column, maybe empty). */
export interface Table {
  /** Index of the table's first line (the header). */
  first: number;
  /** Index of the table's last line. */
  last: number;
  header: string[];
  rows: Segment[][][];
}

const MAX_HEADER_CELL = 48;

function cellSegment(cell: { text: string; start: number; end: number }, line: Line, gapBefore: boolean): Segment {
  return { start: cell.start, end: cell.end, text: cell.text, line: line.index, gapBefore };
}

function isHeaderCell(text: string): boolean {
  return text.length <= MAX_HEADER_CELL && /\p{L}/u.test(text) && !/[.;,]$/.test(text) && !isNumericCell(text);
}

/** Column index of a cell starting at `column`, given the header columns' starts (last start ≤ cell start + 1). */
function columnAt(starts: number[], column: number): number {
  let index = 0;
  for (let candidate = 0; candidate < starts.length; candidate++) if (starts[candidate] <= column + 1) index = candidate;
  return index;
}

/** A spaced-column table whose header is the line at `index`, or undefined. */
export function matchSpacedTable(lines: Line[], index: number): Table | undefined {
  const headerLine = lines[index];
  if (headerLine.blank || headerLine.garbage) return undefined;
  const headerCells = spacedCells(headerLine);
  // Column headers are capitalised names ("Indikator", "Utfall 2023", "Nr"); justified prose with double spaces
  // ("ska  arbeta  med") is not.
  if (headerCells.length < 2 || !headerCells.every((cell) => isHeaderCell(cell.text) && /^[\p{Lu}\d(%]/u.test(cell.text))) return undefined;
  const header = headerCells.map((cell) => cell.text);
  const starts = headerCells.map((cell) => cell.column);
  const width = header.length;
  const rows: Segment[][][] = [];
  let row: Segment[][] | undefined;
  let last = index;
  let multiCellRows = 0;
  let aligned = false;
  let blankBefore = false;
  for (let cursor = index + 1; cursor < lines.length; cursor++) {
    const line = lines[cursor];
    if (line.blank) {
      blankBefore = true;
      continue;
    }
    const cells = spacedCells(line);
    if (line.garbage && cells.length < 3) {
      // Page furniture inside a table (a page header/footer) is skipped; the table may go on below it.
      blankBefore = true;
      continue;
    }
    // The same header again (a table continued on a new page).
    if (cells.length === width && cells.every((cell, position) => cell.text === header[position])) {
      row = undefined;
      last = cursor;
      blankBefore = false;
      continue;
    }
    const multi = cells.length >= 2;
    // Columns line up: a cell starts or ends within a few columns of its header cell (left- or right-aligned).
    if (multi && !aligned) {
      const hits = cells.slice(1).filter((cell) => headerCells.some((head) => Math.abs(head.column - cell.column) <= 3 || Math.abs(head.column + head.text.length - (cell.column + cell.text.length)) <= 3)).length;
      aligned = hits * 2 >= cells.length - 1;
    }
    const continuation = !multi && row !== undefined && ((!blankBefore && startsLower(line.text)) || (line.column > 0 && !blankBefore));
    // A row whose first cell wraps before its numbers: "Andel barn som … inskrivna i" / "förskola (%)   86   88".
    const nextLine = lines[cursor + 1];
    const pendingStart = !multi && !blankBefore && nextLine !== undefined && !nextLine.blank && startsLower(nextLine.text) && spacedCells(nextLine).length >= 2;
    if (!multi && !continuation && !pendingStart) break;
    let assigned: Array<{ column: number; segment: Segment }>;
    if (cells.length === width) assigned = cells.map((cell, position) => ({ column: position, segment: cellSegment(cell, line, blankBefore) }));
    else {
      let previous = -1;
      assigned = cells.map((cell) => {
        const column = Math.max(previous + (multi ? 1 : 0), columnAt(starts, cell.column));
        previous = Math.min(column, width - 1);
        return { column: previous, segment: cellSegment(cell, line, blankBefore) };
      });
    }
    // A lower-case line continues the row above while that row still waits for its numbers ("Andel resor …, cykel" /
    // "eller gång (%)  61  63"); once the row has them, a lower-case line with cells is a row of its own ("varav …").
    const awaitingNumbers = row !== undefined && row.slice(1).every((cell) => cell.length === 0);
    const merge = row !== undefined && ((startsLower(line.text) && (!multi || awaitingNumbers)) || (!multi && continuation) || assigned.every(({ column }) => (row as Segment[][])[column].length === 0));
    if (!merge || !row) {
      row = Array.from({ length: width }, () => [] as Segment[]);
      rows.push(row);
      if (multi) multiCellRows++;
    }
    for (const { column, segment } of assigned) row[column].push(segment);
    last = cursor;
    blankBefore = false;
  }
  if (rows.length === 0 || multiCellRows === 0 || !aligned) return undefined;
  // Two columns are common in letterheads and signatures ("Ordförande    Justerande"): only a table of numbers.
  if (width === 2) {
    const numeric = rows.every((cells) => cells[1].length > 0 && cells[1].every((segment) => isNumericCell(segment.text)));
    if (!numeric) return undefined;
  }
  return { first: index, last, header, rows };
}

/** Per line (and its text): more than one spaced cell? Runs from every candidate header rescan the same lines. */
const severalCells = new WeakMap<Line, { text: string; several: boolean }>();

function hasSeveralCells(line: Line): boolean {
  const known = severalCells.get(line);
  if (known && known.text === line.text) return known.several;
  const several = spacedCells(line).length > 1;
  severalCells.set(line, { text: line.text, several });
  return several;
}

/**
 * The non-blank one-cell lines from `index` on (at most `limit`); blank lines are skipped, a spaced line ends the run.
 * Read as far as needed: `reaches(count)` extends `lines` to at least `count` lines when the run has them.
 */
function runOfLines(lines: Line[], index: number, limit: number): { lines: Line[]; reaches(count: number): boolean } {
  const run: Line[] = [];
  let cursor = index;
  let ended = false;
  return {
    lines: run,
    reaches(count: number): boolean {
      while (run.length < count && !ended) {
        if (cursor >= lines.length || run.length >= limit) {
          ended = true;
          break;
        }
        const line = lines[cursor++];
        if (line.blank) continue;
        if (hasSeveralCells(line)) ended = true;
        else run.push(line);
      }
      return run.length >= count;
    },
  };
}

/** A one-cell-per-line table whose header starts at the line at `index`, or undefined. */
export function matchCellPerLineTable(lines: Line[], index: number): Table | undefined {
  const first = lines[index];
  if (first.blank || !isHeaderCell(first.text) || endsWithTerminal(first.text)) return undefined;
  const reader = runOfLines(lines, index, 8 * 60);
  const run = reader.lines;
  let best: Table | undefined;
  for (let width = 2; width <= 8; width++) {
    if (!reader.reaches(width * 3)) break;
    const headerLines = run.slice(0, width);
    if (!headerLines.every((line) => isHeaderCell(line.text) && !endsWithTerminal(line.text))) continue;
    // Which columns hold numbers: fixed by the first row, and the first column is the row's name.
    const pattern = (group: Line[]): string => group.map((line) => (isNumericCell(line.text) ? 'n' : 't')).join('');
    const firstRow = run.slice(width, width * 2);
    const expected = pattern(firstRow);
    if (expected[0] !== 't' || !expected.slice(1).includes('n')) continue;
    const rows: Segment[][][] = [];
    let cursor = width;
    while (reader.reaches(cursor + width)) {
      const group = run.slice(cursor, cursor + width);
      if (pattern(group) !== expected) break;
      if (group.some((line) => line.text.length > 90 || (!isNumericCell(line.text) && endsWithTerminal(line.text)))) break;
      rows.push(group.map((line) => [{ start: line.start, end: line.end, text: line.text, line: line.index, gapBefore: false }]));
      cursor += width;
    }
    if (rows.length < 2) continue;
    const table: Table = { first: index, last: run[cursor - 1].index, header: headerLines.map((line) => line.text), rows };
    if (!best || rows.length * width > best.rows.length * best.header.length) best = table;
  }
  return best;
}

/** A table of either layout starting at `index`. */
export function matchTable(lines: Line[], index: number): Table | undefined {
  return matchSpacedTable(lines, index) ?? matchCellPerLineTable(lines, index);
}
