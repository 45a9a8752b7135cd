/**
 * Structure-aware chunking of plan documents (any Göteborg template: genomförandeplan, verksamhetsplan, budget,
 * tjänsteutlåtande, protokoll, yrkande, presentation).
 *
 * Reads the repaired text line by line:
 *  - template headings come from the domain profile (`TemplateLabels`: goals, directions, assignments, fromBudget,
 *    fromCommittee), matched folded and OCR-tolerant, with or without a colon ("Mål:", "Nämndens uppdrag till
 *    förvaltningen"); numbered goals with their explanation become `mål` chunks;
 *  - numbered headings ("3.1.1 Nämndens mål") and unnumbered sub-headings give section paths; in documents without
 *    template headings (protocols, tjänsteutlåtanden) heading lines between blocks do;
 *  - uppdrag are records: each bullet/numbered item ("•", "»", "-", "–", "1.", "1)", "a)") under an assignments
 *    heading, and every "X får/ges/ger … i uppdrag att …" sentence, item or table row wherever it stands, becomes one
 *    `uppdrag` chunk with its `origin` (see `chunkDocument`);
 *  - tables are found by layout (see `tables.ts`): spaced columns and one-cell-per-line tables → one `tabellrad`
 *    (or `uppdrag`) chunk per row with `fields`; column-run uppdrag tables (Uppdrag / Uppdragsår / Omhändertagande
 *    flattened) → one `uppdrag` chunk per row with `assignmentYear`, `handling` and `fields`;
 *  - presentations: one chunk per slide (a slide starts at an indented title line).
 * Everything else is prose, joined into paragraphs and packed into chunks of ≤ ~1,200 characters at
 * paragraph/sentence boundaries. Logo/OCR garbage and page furniture never become text; numbers always do.
 */
import { stableHash } from '../hash.ts';
import { type DomainProfile, type TemplateLabels, defaultProfile } from '../profile.ts';
import { countLetters } from '../swedish/chars.ts';
import type { RepairResult } from '../swedish/repair.ts';
import type { AssignmentOrigin, Chunk, ChunkKind, DocumentMeta } from '../types.ts';
import { endsWithTerminal, foldCase, startsLower } from './folding.ts';
import {
  type LabelCategory,
  type LabelMatch,
  type Line,
  bulletMarker,
  isHeadingLike,
  looksLikeSlides,
  matchColumnRunHeader,
  matchLabel,
  matchNumberedHeading,
  matchNumberedItem,
  matchYearLine,
  splitLines,
  tidyHeading,
} from './lines.ts';
import { assignmentOrigin, budgetBodies, isAssignmentText } from './records.ts';
import {
  type JoinOptions,
  type PackLimits,
  type Segment,
  joinSegments,
  packUnits,
  segmentsLength,
  splitParagraphs,
  splitSentences,
} from './segments.ts';
import { type Table, matchTable } from './tables.ts';

/** Size limits (characters) of prose chunks. */
export const CHUNK_LIMITS: PackLimits = { soft: 900, max: 1200, min: 250 };
/** Atomic units (one uppdrag, one table row) are only split above this size. */
export const ATOMIC_MAX = 2400;

/** Options of `chunkDocument`. */
export interface ChunkOptions {
  /** Template headings (default: `defaultProfile.labels`). */
  labels?: TemplateLabels;
  /** Committees and labels used to name the budget body for `origin` (default: `defaultProfile`). */
  profile?: Pick<DomainProfile, 'committees' | 'labels'>;
}

type Draft =
  | { type: 'prose'; kind: ChunkKind; section: string[]; segments: Segment[] }
  | { type: 'list'; section: string[]; items: Segment[][] }
  | { type: 'uppdrag'; section: string[]; segments: Segment[]; origin?: AssignmentOrigin }
  | { type: 'goal'; section: string[]; title: Segment[]; body: Segment[] }
  | { type: 'row'; section: string[]; uppdrag: Segment[]; year?: number; handling: Segment[]; columns: string[]; origin?: AssignmentOrigin }
  | { type: 'cells'; section: string[]; header: string[]; cells: Segment[][]; assignments: boolean; origin?: AssignmentOrigin }
  | { type: 'slide'; section: string[]; title: Segment[]; body: Segment[] };

interface Piece {
  kind: ChunkKind;
  section: string[];
  text: string;
  start: number;
  end: number;
  assignmentYear?: number;
  handling?: string;
  fields?: Record<string, string>;
  origin?: AssignmentOrigin;
  /** Other cells of a table row (for reading the origin). */
  otherCells?: string[];
}

/** Build a segment from a line, optionally skipping a prefix (bullet marker, year). */
function segmentOf(line: Line, gapBefore: boolean, skip = 0): Segment {
  const text = line.text.slice(skip).trimStart();
  const start = line.end - text.length;
  return { start, end: line.end, text, line: line.index, gapBefore: gapBefore || line.indented };
}

function typicalWidth(lines: Line[]): number {
  const lengths = lines.filter((line) => !line.blank).map((line) => line.text.length).sort((a, b) => a - b);
  if (lengths.length === 0) return 80;
  return Math.max(40, lengths[Math.floor(lengths.length * 0.8)] ?? 80);
}

function nextContent(lines: Line[], from: number): Line | undefined {
  for (let index = from; index < lines.length; index++) {
    const line = lines[index];
    if (!line.blank && !line.garbage) return line;
  }
  return undefined;
}

/**
 * Consume continuation lines of a title (numbered heading, goal): following non-blank lines that start
 * lower case while the title so far lacks terminal punctuation. Returns the segments and the last index used.
 */
function consumeTitle(lines: Line[], index: number, first: Segment): { segments: Segment[]; last: number } {
  const segments = [first];
  let last = index;
  for (let cursor = index + 1; cursor < lines.length; cursor++) {
    const line = lines[cursor];
    if (line.blank) continue;
    const previous = segments[segments.length - 1];
    if (endsWithTerminal(previous.text) || !startsLower(line.text) || bulletMarker(line.text) || line.garbage) break;
    if (line.text.length > 120) break;
    segments.push(segmentOf(line, cursor - last > 1));
    last = cursor;
  }
  return { segments, last };
}

/** Turn the paragraphs of a column-run table region (Uppdrag / Uppdragsår / Omhändertagande) into rows. */
function buildRows(paragraphs: Segment[][], section: string[], columns: string[], origin: AssignmentOrigin | undefined): Draft[] {
  const drafts: Draft[] = [];
  let row: Extract<Draft, { type: 'row' }> | undefined;
  const pushRow = (): void => {
    if (row) drafts.push(row);
    row = undefined;
  };
  const newRow = (paragraph: Segment[]): Extract<Draft, { type: 'row' }> => ({ type: 'row', section, uppdrag: paragraph, handling: [], columns, origin });
  paragraphs.forEach((paragraph, index) => {
    const year = matchYearLine(paragraph[0].text);
    const next = paragraphs[index + 1];
    const nextIsYear = next !== undefined && matchYearLine(next[0].text) !== undefined;
    if (!year && nextIsYear) {
      pushRow();
      row = newRow(paragraph);
      return;
    }
    if (year && row && row.year === undefined && row.handling.length === 0) {
      row.year = year.year;
      const first = paragraph[0];
      const handling: Segment[] = [];
      if (year.rest) handling.push({ ...first, start: first.end - year.rest.length, text: year.rest, gapBefore: false });
      row.handling = handling.concat(paragraph.slice(1));
      return;
    }
    if (!year && isAssignmentText(paragraph.map((segment) => segment.text).join(' ').slice(0, 300))) {
      pushRow();
      row = newRow(paragraph);
      return;
    }
    if (row) {
      if (row.year === undefined && row.handling.length === 0) row.uppdrag = row.uppdrag.concat(paragraph);
      else row.handling = row.handling.concat(paragraph);
      return;
    }
    drafts.push({ type: 'prose', kind: 'text', section, segments: paragraph });
  });
  pushRow();
  return drafts;
}

/** One entry of the section path with what its heading announces (template categories, may be empty). */
interface SectionEntry {
  title: string;
  categories: LabelCategory[];
}

const SUB_CATEGORIES: LabelCategory[] = ['fromBudget', 'fromCommittee'];
const ASSIGNMENT_CATEGORIES: LabelCategory[] = ['assignments', 'fromBudget', 'fromCommittee'];

/** Parse a document that is not a slide deck into drafts. */
function parseStructured(lines: Line[], shortWidth: number, labels: TemplateLabels): Draft[] {
  const drafts: Draft[] = [];
  let mode: 'preamble' | 'label' | 'numbered' = 'preamble';
  /** Template labels (label mode): top label and sub-label, or an unlabelled heading below a label. */
  let labelPath: SectionEntry[] = [];
  let numbered: Array<{ depth: number; title: string; categories: LabelCategory[] }> = [];
  let subHeading: SectionEntry | undefined;
  /** A heading of a document without template labels or numbered headings ("Kommunstyrelsens beslut"). */
  let preambleHeading: SectionEntry | undefined;
  /** A protocol paragraph ("§ 187 … Redovisning av uppdrag …"): the outer section of what follows it. */
  let paragraphHeading: SectionEntry | undefined;
  let current: Draft | undefined;
  let table: Segment[][] | undefined;
  let tableSection: string[] = [];
  let tableColumns: string[] = [];
  let tableOrigin: AssignmentOrigin | undefined;
  let gap = false;
  let previousLine: Line | undefined;
  let previousStructural = true;
  let pendingBullet = false;
  /** No template label anywhere: the document's own headings structure it (protocols, tjänsteutlåtanden). */
  const freeForm = !lines.some((line) => !line.blank && line.text.length <= 80 && matchLabel(line.text, labels) !== undefined);

  const entries = (): SectionEntry[] => {
    if (mode === 'label') return labelPath;
    if (mode === 'numbered') return subHeading ? [...numbered, subHeading] : numbered;
    return [...(paragraphHeading ? [paragraphHeading] : []), ...(preambleHeading ? [preambleHeading] : [])];
  };
  const section = (): string[] => entries().map((entry) => entry.title);
  /** The innermost heading decides: items under an assignments heading are uppdrag. */
  const innermost = (): LabelCategory[] => entries()[entries().length - 1]?.categories ?? [];
  const inAssignments = (): boolean => innermost().some((category) => ASSIGNMENT_CATEGORIES.includes(category));
  const contextOrigin = (): AssignmentOrigin | undefined => {
    for (const entry of [...entries()].reverse()) {
      if (entry.categories.includes('fromBudget')) return 'budget';
      if (entry.categories.includes('fromCommittee')) return 'nämnd';
    }
    return undefined;
  };
  const proseKind = (): ChunkKind => {
    if (innermost().includes('directions')) return 'inriktning';
    if (mode === 'numbered' && subHeading && /omhandertagande/.test(foldCase(subHeading.title))) return 'omhändertagande';
    return 'text';
  };
  const flush = (): void => {
    if (current) drafts.push(current);
    current = undefined;
  };
  const flushTable = (): void => {
    if (table) drafts.push(...buildRows(table.filter((paragraph) => paragraph.length > 0), tableSection, tableColumns, tableOrigin));
    table = undefined;
  };
  const emitTable = (found: Table): void => {
    const assignments = inAssignments();
    const origin = contextOrigin();
    // A caption right above the header ("Tabell 1. Kommunbidrag per verksamhetsområde, tkr") names the table.
    let caption: string | undefined;
    if (current?.type === 'prose') {
      const last = current.segments[current.segments.length - 1];
      if (last && last.line === found.first - 1 && last.text.length <= 120 && !/[.!?]$/.test(last.text) && (current.segments.length === 1 || last.gapBefore || endsWithTerminal(current.segments[current.segments.length - 2].text))) {
        caption = tidyHeading(last.text);
        current.segments = current.segments.slice(0, -1);
        if (current.segments.length === 0) current = undefined;
      }
    }
    flush();
    const path = [...section(), ...(caption ? [caption] : []), found.header.join(' · ')];
    // A "varav …"/"därav …" row is a part of the row above it ("Exploatering 680 000" / "varav Smörkärnegatan 96 000"):
    // its section names that row, so a question about the whole finds the part too.
    let parent: string | undefined;
    for (const cells of found.rows) {
      const label = (cells[0] ?? []).map((segment) => segment.text).join(' ').trim();
      const part = /^(?:varav|därav|varav:|därav:)\s/iu.test(label);
      if (!part && label) parent = tidyHeading(label);
      const rowPath = part && parent ? [...path.slice(0, -1), parent, path[path.length - 1]] : path;
      drafts.push({ type: 'cells', section: rowPath, header: found.header, cells, assignments, origin });
    }
  };

  const isUnnumberedHeading = (index: number): boolean => {
    const line = lines[index];
    if (!isHeadingLike(line.text)) return false;
    const next = nextContent(lines, index + 1);
    if (!next || startsLower(next.text)) return false;
    const nextIsContent = bulletMarker(next.text) !== undefined || matchNumberedItem(next.text) !== undefined || !isHeadingLike(next.text);
    if (!nextIsContent) return false;
    if (matchColumnRunHeader(lines, next.index)) return true;
    if (previousStructural || !previousLine || endsWithTerminal(previousLine.text)) return true;
    // After a short bullet item ("• Vi tänker nytt") a heading may follow; after a short plain line it is a list.
    return (bulletMarker(previousLine.text) !== undefined || matchNumberedItem(previousLine.text) !== undefined) && previousLine.text.length < shortWidth * 1.2;
  };

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (line.blank) {
      gap = true;
      continue;
    }

    if (!table) {
      const found = matchTable(lines, index);
      if (found) {
        emitTable(found);
        index = found.last;
        gap = true;
        previousLine = undefined;
        previousStructural = true;
        pendingBullet = false;
        continue;
      }
    }

    // A bullet alone on its line ("•" then the item's text on the next line).
    if (bulletMarker(`${line.text} x`) !== undefined && line.text.length <= 2 && !/\p{L}|\d/u.test(line.text)) {
      pendingBullet = true;
      continue;
    }

    if (line.garbage) {
      gap = true;
      if (current?.type === 'prose') flush();
      continue;
    }

    const runHeader = matchColumnRunHeader(lines, index);
    if (runHeader) {
      flush();
      if (!table) {
        table = [[]];
        tableSection = section();
        tableColumns = runHeader.columns;
        tableOrigin = contextOrigin();
      } else {
        table.push([]);
      }
      index = runHeader.last;
      gap = true;
      previousLine = undefined;
      previousStructural = true;
      continue;
    }

    // A protocol's paragraph ("§ 187   Dnr …" then its subject lines) opens a section named by its subject, so every
    // decision and uppdrag under it is read with what the paragraph is about.
    const paragraph = freeForm && mode === 'preamble' ? /^§\s*(\d+)\b/.exec(line.text.trim()) : null;
    if (paragraph) {
      flush();
      flushTable();
      const subject: string[] = [];
      let cursor = index + 1;
      while (cursor < lines.length && lines[cursor].blank) cursor++;
      while (cursor < lines.length && !lines[cursor].blank && subject.join(' ').length < 200) subject.push(lines[cursor++].text.trim());
      if (subject.length > 0) {
        paragraphHeading = { title: `§ ${paragraph[1]} ${subject.join(' ')}`.replace(/\s+/g, ' ').trim(), categories: [] };
        preambleHeading = undefined;
      }
    }

    const label: LabelMatch | undefined = matchLabel(line.text, labels);
    if (label) {
      flush();
      flushTable();
      const entry: SectionEntry = { title: label.name, categories: label.categories };
      const isSub = label.categories.some((category) => SUB_CATEGORIES.includes(category));
      if (mode === 'numbered') {
        subHeading = entry;
      } else {
        const top = labelPath[0];
        // A sub-label ("Från nämnden:") sits below the assignments label above it ("Uppdrag:").
        const underAssignments = top !== undefined && top.categories.includes('assignments') && top.title !== entry.title;
        labelPath = isSub && underAssignments ? [top, entry] : [entry];
        mode = 'label';
      }
      gap = true;
      previousLine = line;
      previousStructural = true;
      pendingBullet = false;
      continue;
    }

    const heading = matchNumberedHeading(line.text);
    if (heading && !(pendingBullet || (inAssignments() && matchNumberedItem(line.text)))) {
      flush();
      flushTable();
      const { segments, last } = consumeTitle(lines, index, segmentOf(line, gap));
      const title = segments.map((segment) => segment.text).join(' ').slice(heading.number.length).trim();
      const tidy = tidyHeading(title);
      numbered = numbered.filter((entry) => entry.depth < heading.depth);
      numbered.push({ depth: heading.depth, title: `${heading.number} ${tidy}`, categories: matchLabel(tidy, labels, { bare: true })?.categories ?? [] });
      subHeading = undefined;
      mode = 'numbered';
      index = last;
      gap = true;
      previousLine = lines[last];
      previousStructural = true;
      continue;
    }

    if (table) {
      if (gap || table.length === 0) table.push([]);
      table[table.length - 1].push(segmentOf(line, gap));
      gap = false;
      previousLine = line;
      continue;
    }

    const marker = bulletMarker(line.text) ?? (pendingBullet ? '' : undefined);
    pendingBullet = false;
    const item = marker !== undefined ? undefined : matchNumberedItem(line.text);

    if (innermost().includes('goals') && item) {
      flush();
      const { segments, last } = consumeTitle(lines, index, segmentOf(line, gap));
      current = { type: 'goal', section: [], title: segments, body: [] };
      index = last;
      gap = false;
      previousLine = lines[last];
      previousStructural = false;
      continue;
    }

    // A heading-like line after a blank line, before a block, starts a new section ("Avslutade uppdrag från 2025").
    if (mode === 'label' && gap && marker === undefined && !item && current?.type !== 'goal' && isUnnumberedHeading(index) && (!current || endsWithTerminal(lastText(current)))) {
      flush();
      labelPath = [...labelPath.slice(0, 1), { title: tidyHeading(line.text), categories: [] }];
      gap = true;
      previousLine = line;
      previousStructural = true;
      continue;
    }

    if (inAssignments() && (marker !== undefined || item)) {
      flush();
      current = { type: 'uppdrag', section: section(), segments: [segmentOf(line, gap, marker?.length ?? 0)], origin: contextOrigin() };
      gap = false;
      previousLine = line;
      previousStructural = false;
      continue;
    }

    if (marker !== undefined || item) {
      const segment = segmentOf(line, gap);
      if (current?.type === 'list') {
        current.items.push([segment]);
      } else {
        let leadIn: Segment[] = [];
        if (current?.type === 'prose') {
          const paragraphs = splitParagraphs(current.segments);
          const last = paragraphs[paragraphs.length - 1];
          if (last && /:$/.test(last[last.length - 1].text)) {
            // The lead-in ("Under året ska förvaltningen prioritera att:") goes with the list.
            const sentences = segmentsLength(last) <= 300 ? [last] : splitSentences(last);
            const sentence = sentences[sentences.length - 1];
            if (segmentsLength(sentence) <= 300) {
              leadIn = sentence;
              const remaining = current.segments.filter((segment) => segment.start < sentence[0].start);
              const cut = sentence[0];
              const head = current.segments.find((segment) => segment.start < cut.start && segment.end > cut.start);
              if (head) {
                const text = head.text.slice(0, cut.start - head.start).trimEnd();
                remaining[remaining.length - 1] = { ...head, end: head.start + text.length, text };
              }
              current.segments = remaining.filter((segment) => segment.text.length > 0);
              if (current.segments.length === 0) current = undefined;
            }
          }
        }
        flush();
        current = { type: 'list', section: section(), items: leadIn.length > 0 ? [leadIn, [segment]] : [[segment]] };
      }
      gap = false;
      previousLine = line;
      previousStructural = false;
      continue;
    }

    // Outside templates and numbered headings, a heading-like line between blocks names the next section.
    if (mode === 'preamble' && freeForm && gap && drafts.length + (current ? 1 : 0) > 0 && isUnnumberedHeading(index) && (!current || endsWithTerminal(lastText(current)))) {
      flush();
      preambleHeading = { title: tidyHeading(line.text), categories: [] };
      gap = true;
      previousLine = line;
      previousStructural = true;
      continue;
    }

    if (mode === 'numbered' && isUnnumberedHeading(index)) {
      flush();
      subHeading = { title: tidyHeading(line.text), categories: matchLabel(line.text, labels, { bare: true })?.categories ?? [] };
      gap = true;
      previousLine = line;
      previousStructural = true;
      continue;
    }

    const segment = segmentOf(line, gap);
    gap = false;
    if (current?.type === 'goal') {
      current.body.push(segment);
    } else if (current?.type === 'uppdrag') {
      current.segments.push(segment);
    } else if (current?.type === 'list') {
      const items = current.items;
      const lastItem = items[items.length - 1];
      const previous = lastItem[lastItem.length - 1];
      // A follow-up sentence right below an uppdrag item ("Uppdraget ska återrapporteras …") belongs to it.
      const followUp = !segment.gapBefore && !isHeadingLike(segment.text) && isAssignmentText(lastItem.map((part) => part.text).join(' '));
      const continues = startsLower(segment.text) || (!endsWithTerminal(previous.text) && previous.text.length >= shortWidth * 1.2) || followUp;
      if (continues) {
        lastItem.push(segment);
      } else {
        flush();
        current = { type: 'prose', kind: proseKind(), section: section(), segments: [segment] };
      }
    } else if (current?.type === 'prose') {
      current.segments.push(segment);
    } else {
      flush();
      current = { type: 'prose', kind: proseKind(), section: section(), segments: [segment] };
    }
    previousLine = line;
    previousStructural = false;
  }
  flush();
  flushTable();
  return splitAssignments(drafts);
}

/** The last text of a draft (to see whether it ends a sentence). */
function lastText(draft: Draft): string {
  switch (draft.type) {
    case 'prose':
    case 'uppdrag':
      return draft.segments[draft.segments.length - 1]?.text ?? '';
    case 'list': {
      const item = draft.items[draft.items.length - 1];
      return item?.[item.length - 1]?.text ?? '';
    }
    case 'goal':
      return (draft.body[draft.body.length - 1] ?? draft.title[draft.title.length - 1])?.text ?? '';
    default:
      return '.';
  }
}

/**
 * Uppdrag wherever they stand: list items with an assignment sentence become uppdrag drafts (the other items stay a
 * list), and every assignment sentence of prose or of a goal's explanation becomes its own uppdrag draft.
 */
function splitAssignments(drafts: Draft[]): Draft[] {
  const result: Draft[] = [];
  for (const draft of drafts) {
    if (draft.type === 'list') {
      const flags = draft.items.map((item) => isAssignmentText(item.map((segment) => segment.text).join(' ')));
      if (!flags.some(Boolean)) {
        result.push(draft);
        continue;
      }
      let rest: Segment[][] = [];
      const pushRest = (): void => {
        if (rest.length > 0) result.push(...splitProse({ type: 'prose', kind: 'lista', section: draft.section, segments: rest.flat() }));
        rest = [];
      };
      draft.items.forEach((item, position) => {
        if (!flags[position]) {
          rest.push(item);
          return;
        }
        pushRest();
        const marker = bulletMarker(item[0].text);
        const segments = marker ? [{ ...item[0], start: item[0].start + marker.length, text: item[0].text.slice(marker.length).trimStart() }, ...item.slice(1)] : item;
        if (marker) segments[0].start = segments[0].end - segments[0].text.length;
        result.push({ type: 'uppdrag', section: draft.section, segments });
      });
      pushRest();
      continue;
    }
    if (draft.type === 'prose') {
      result.push(...splitProse(draft));
      continue;
    }
    if (draft.type === 'goal') {
      const sentences = draft.body.length > 0 ? splitSentences(draft.body) : [];
      const flags = sentences.map((sentence) => isAssignmentText(sentence.map((segment) => segment.text).join(' ')));
      if (!flags.some(Boolean)) {
        result.push(draft);
        continue;
      }
      const body = sentences.filter((_, position) => !flags[position]).flat();
      result.push({ ...draft, body });
      const section = ['Mål', draft.title.map((segment) => segment.text).join(' ').replace(/[.:]+$/, '')];
      sentences.forEach((sentence, position) => {
        if (flags[position]) result.push({ type: 'uppdrag', section, segments: sentence });
      });
      continue;
    }
    result.push(draft);
  }
  return result;
}

/** Cut prose at its assignment sentences: prose before, one uppdrag draft per assignment sentence, prose after. */
function splitProse(draft: Extract<Draft, { type: 'prose' }>): Draft[] {
  const joined = draft.segments.map((segment) => segment.text).join(' ');
  if (!isAssignmentText(joined)) return [draft.kind === 'lista' ? { type: 'list', section: draft.section, items: [draft.segments] } : draft];
  const out: Draft[] = [];
  let buffer: Segment[] = [];
  const pushBuffer = (): void => {
    if (buffer.length === 0) return;
    out.push(draft.kind === 'lista' ? { type: 'list', section: draft.section, items: [buffer] } : { ...draft, segments: buffer });
    buffer = [];
  };
  // Blank-line blocks first: a heading or letterhead above never joins the assignment sentence.
  const blocks: Segment[][] = [];
  for (const segment of draft.segments) {
    if (blocks.length === 0 || segment.gapBefore) blocks.push([]);
    blocks[blocks.length - 1].push(segment);
  }
  for (const sentence of blocks.flatMap((block) => splitSentences(block))) {
    if (isAssignmentText(sentence.map((segment) => segment.text).join(' '))) {
      pushBuffer();
      out.push({ type: 'uppdrag', section: draft.section, segments: sentence });
    } else {
      buffer.push(...sentence);
    }
  }
  pushBuffer();
  return out;
}

/** Parse a slide deck: one draft per slide, titled by its indented title line. */
function parseSlides(lines: Line[]): Draft[] {
  const drafts: Draft[] = [];
  let current: Extract<Draft, { type: 'slide' }> | undefined;
  let gap = false;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (line.blank) {
      gap = true;
      continue;
    }
    const text = line.text;
    const symbols = (text.match(/[\p{L}\p{N}]/gu) ?? []).length;
    if (symbols < 2 || /^(https?:\/\/|mailto:|www\.)\S*$/i.test(text) || /^.{0,80}\s\d{1,3}\s*\(\d{1,3}\)$/.test(text)) {
      gap = true;
      continue;
    }
    if ((line.indented || !current) && !bulletMarker(text)) {
      if (current) drafts.push(current);
      const title = [segmentOf(line, gap)];
      let cursor = index + 1;
      while (cursor < lines.length && !lines[cursor].blank && !bulletMarker(lines[cursor].text) && !lines[cursor].indented) {
        title.push(segmentOf(lines[cursor], false));
        cursor++;
      }
      index = cursor - 1;
      const name = tidyHeading(title.map((segment) => segment.text).join(' '));
      current = { type: 'slide', section: [name], title, body: [] };
      gap = false;
      continue;
    }
    current?.body.push(segmentOf(line, gap));
    gap = false;
  }
  if (current) drafts.push(current);
  return drafts;
}

function titleSeparator(title: string, body: string): string {
  if (!body) return '';
  if (/^[•»▪]/.test(body)) return ' ';
  return endsWithTerminal(title) ? ' ' : '. ';
}

function piece(kind: ChunkKind, section: string[], segments: Segment[], text: string): Piece {
  return { kind, section, text, start: segments[0].start, end: segments[segments.length - 1].end };
}

/** Turn drafts into pieces (text + span), packing and splitting by size. */
function render(drafts: Draft[], prose: JoinOptions, narrow: JoinOptions): Piece[] {
  const pieces: Piece[] = [];
  for (let index = 0; index < drafts.length; index++) {
    const draft = drafts[index];
    switch (draft.type) {
      case 'prose': {
        // A lone heading-like line is context, not a chunk: hand it to the next draft's section.
        if (draft.segments.length === 1 && isHeadingLike(draft.segments[0].text) && drafts[index + 1]) {
          const next = drafts[index + 1];
          if (next.section.join('›') === draft.section.join('›')) {
            next.section = [...draft.section, tidyHeading(draft.segments[0].text)];
            continue;
          }
        }
        for (const group of packUnits(splitParagraphs(draft.segments), CHUNK_LIMITS)) {
          pieces.push(piece(draft.kind, draft.section, group, joinSegments(group, prose)));
        }
        break;
      }
      case 'list': {
        const [first, ...rest] = draft.items;
        const units = first && rest.length > 0 && /:$/.test(first[first.length - 1].text) ? [first.concat(rest[0]), ...rest.slice(1)] : draft.items;
        const groups = segmentsLength(draft.items.flat()) <= CHUNK_LIMITS.max ? [draft.items.flat()] : packUnits(units, { ...CHUNK_LIMITS, min: CHUNK_LIMITS.soft });
        for (const group of groups) pieces.push(piece('lista', draft.section, group, joinSegments(group, prose)));
        break;
      }
      case 'uppdrag': {
        const groups = segmentsLength(draft.segments) <= ATOMIC_MAX ? [draft.segments] : packUnits([draft.segments], CHUNK_LIMITS);
        for (const group of groups) pieces.push({ ...piece('uppdrag', draft.section, group, joinSegments(group, prose)), ...(draft.origin ? { origin: draft.origin } : {}) });
        break;
      }
      case 'cells': {
        // A table row: cells in column order, joined by single spaces exactly as written; fields by header text.
        const texts = draft.cells.map((cell) => cell.map((segment) => segment.text).join(' ').replace(/\s+/g, ' ').trim());
        const fields: Record<string, string> = {};
        texts.forEach((text, column) => {
          if (!text) return;
          const key = draft.header[column] ?? `${column + 1}`;
          fields[key] = fields[key] ? `${fields[key]} ${text}` : text;
        });
        const all = draft.cells.flat().sort((left, right) => left.start - right.start);
        if (all.length === 0) break;
        const text = texts.filter(Boolean).join(' ');
        const uppdragCell = texts.findIndex((cell) => isAssignmentText(cell));
        const kind: ChunkKind = draft.assignments || uppdragCell >= 0 ? 'uppdrag' : 'tabellrad';
        pieces.push({
          kind,
          section: draft.section,
          text,
          start: all[0].start,
          end: Math.max(...all.map((segment) => segment.end)),
          fields,
          ...(draft.origin ? { origin: draft.origin } : {}),
          otherCells: texts.filter((_, column) => column !== uppdragCell),
        });
        break;
      }
      case 'goal': {
        const titleText = joinSegments(draft.title, prose);
        const section = ['Mål', titleText.replace(/[.:]+$/, '')];
        const all = draft.title.concat(draft.body);
        if (segmentsLength(all) <= CHUNK_LIMITS.max || draft.body.length === 0) {
          const bodyText = joinSegments(draft.body, prose);
          pieces.push(piece('mål', section, all, `${titleText}${titleSeparator(titleText, bodyText)}${bodyText}`));
          break;
        }
        const groups = packUnits(splitParagraphs(draft.body), { ...CHUNK_LIMITS, soft: CHUNK_LIMITS.max - titleText.length });
        groups.forEach((group, groupIndex) => {
          const bodyText = joinSegments(group, prose);
          if (groupIndex === 0) pieces.push(piece('mål', section, draft.title.concat(group), `${titleText}${titleSeparator(titleText, bodyText)}${bodyText}`));
          else pieces.push(piece('mål', section, group, bodyText));
        });
        break;
      }
      case 'row': {
        const uppdragText = joinSegments(draft.uppdrag, narrow);
        const handlingText = draft.handling.length > 0 ? joinSegments(draft.handling, narrow) : undefined;
        const ending = endsWithTerminal(uppdragText) ? '' : '.';
        const parts = [uppdragText + ending];
        if (draft.year !== undefined) parts.push(`Uppdragsår ${draft.year}.`);
        if (handlingText) parts.push(`Omhändertagande: ${handlingText}`);
        const all = draft.uppdrag.concat(draft.handling);
        const [uppdragColumn, yearColumn, handlingColumn] = draft.columns;
        const fields: Record<string, string> = { [uppdragColumn ?? '1']: uppdragText };
        if (draft.year !== undefined) fields[yearColumn ?? '2'] = String(draft.year);
        if (handlingText) fields[handlingColumn ?? '3'] = handlingText;
        pieces.push({
          ...piece('uppdrag', draft.section, all, parts.join(' ')),
          ...(draft.year !== undefined ? { assignmentYear: draft.year } : {}),
          ...(handlingText ? { handling: handlingText } : {}),
          fields,
          ...(draft.origin ? { origin: draft.origin } : {}),
        });
        break;
      }
      case 'slide': {
        const titleText = joinSegments(draft.title, prose);
        if (draft.body.length === 0) {
          pieces.push(piece('bild', draft.section, draft.title, titleText));
          break;
        }
        const items: Segment[][] = [];
        for (const segment of draft.body) {
          if (items.length === 0 || bulletMarker(segment.text)) items.push([segment]);
          else items[items.length - 1].push(segment);
        }
        const groups = segmentsLength(draft.body) + titleText.length <= CHUNK_LIMITS.max ? [draft.body] : packUnits(items, CHUNK_LIMITS);
        groups.forEach((group, groupIndex) => {
          const bodyText = joinSegments(group, prose);
          if (groupIndex === 0) pieces.push(piece('bild', draft.section, draft.title.concat(group), `${titleText}${titleSeparator(titleText, bodyText)}${bodyText}`));
          else pieces.push(piece('bild', draft.section, group, `${titleText}: ${bodyText}`));
        });
        break;
      }
    }
  }
  // Pieces without words are noise, but a number is content ("4 300", "§ 47").
  return pieces.filter((entry) => countLetters(entry.text) >= 3 || /\d/.test(entry.text));
}

/** Context line embedded with the chunk: "title · nämnd · section" (the last three section levels). */
export function contextLine(document: Pick<DocumentMeta, 'title' | 'committee'>, section: string[]): string {
  const parts = [document.title, document.committee];
  if (section.length > 0) parts.push(section.slice(-3).join(' › '));
  return parts.filter((part) => part && part.trim()).join(' · ');
}

/** Deterministic chunk id: hash of document id, section path and position. */
export function chunkId(documentId: string, section: string[], position: number): string {
  return stableHash(`${documentId}|${section.join(' › ')}|${position}`);
}

/** `budgetBodies` per profile committees and labels (computed once per pair; read only). */
const bodiesOf = new WeakMap<DomainProfile['committees'], WeakMap<TemplateLabels, string[]>>();
function budgetBodiesOf(committees: DomainProfile['committees'], labels: TemplateLabels): string[] {
  let byLabels = bodiesOf.get(committees);
  if (!byLabels) bodiesOf.set(committees, (byLabels = new WeakMap()));
  let bodies = byLabels.get(labels);
  if (!bodies) byLabels.set(labels, (bodies = budgetBodies({ committees, labels })));
  return bodies;
}

/**
 * Split a repaired document into structure-aware chunks (see the module comment).
 * Offsets (`start`/`end`) refer to `repaired.text`; `originalText` is the raw text behind the span.
 *
 * Record semantics for the answering layer:
 *  - `kind: 'uppdrag'`: one assignment — a bullet/numbered item under an assignments heading of the profile
 *    (`labels.assignments`, `fromBudget`, `fromCommittee`), or any sentence/item/table row stating "X får/ges/ger …
 *    i uppdrag att …" / "uppdras att" wherever it stands. The text includes its continuation lines and follow-up
 *    sentences ("Återrapporteringen ska ske till …").
 *  - `kind: 'tabellrad'`: one table row (spaced columns or one cell per line); `text` = the row's cells in column
 *    order joined by single spaces as written; the last `section` entry is the header cells joined by " · ".
 *  - `fields`: for table rows (both kinds), the row's non-empty cells keyed by the column header as written
 *    (`{"Indikator": "Sjukfrånvaro (%)", "Utfall 2024": "8,8"}`); for column-run uppdrag tables the three columns
 *    (with `assignmentYear`/`handling` as before). Absent on other chunks.
 *  - `origin` (uppdrag only): `budget` when under a `fromBudget` heading, or the uppdrag/row itself names the budget
 *    body (KF/kommunfullmäktige from the profile) as giver; `nämnd` when under a `fromCommittee` heading, or the
 *    receiver is the nämnd's own administration (förvaltningen, förvaltningsdirektören). Absent when unknown
 *    (e.g. kommunstyrelsen's decisions).
 */
export function chunkDocument(document: DocumentMeta, repaired: RepairResult, options: ChunkOptions = {}): Chunk[] {
  const profile = options.profile ?? defaultProfile;
  const labels = options.labels ?? profile.labels;
  const bodies = budgetBodiesOf(profile.committees, labels);
  const lines = splitLines(repaired.text, repaired.originalSlice);
  const width = typicalWidth(lines);
  const shortWidth = Math.round(width * 0.6);
  const prose: JoinOptions = { separators: true, shortWidth };
  const narrow: JoinOptions = { separators: false, shortWidth, paragraphPeriods: true };
  const slides = document.type === 'presentation' || looksLikeSlides(lines);
  const drafts = slides ? parseSlides(lines) : parseStructured(lines, shortWidth, labels);
  return render(drafts, prose, narrow).map((entry, position) => {
    const chunk: Chunk = {
      id: chunkId(document.id, entry.section, position),
      documentId: document.id,
      position,
      section: entry.section,
      kind: entry.kind,
      text: entry.text,
      originalText: repaired.originalSlice(entry.start, entry.end),
      start: entry.start,
      end: entry.end,
      context: contextLine(document, entry.section),
    };
    if (entry.assignmentYear !== undefined) chunk.assignmentYear = entry.assignmentYear;
    if (entry.handling !== undefined) chunk.handling = entry.handling;
    if (entry.fields !== undefined) chunk.fields = entry.fields;
    if (entry.kind === 'uppdrag') {
      const origin = entry.origin ?? assignmentOrigin(entry.text, bodies, entry.otherCells ?? []);
      if (origin) chunk.origin = origin;
    }
    return chunk;
  });
}
