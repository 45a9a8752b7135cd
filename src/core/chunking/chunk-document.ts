/**
 * Structure-aware chunking of plan documents.
 *
 * Reads the repaired text line by line and recognises the structures of the city's plan documents:
 *  - genomförandeplaner: labels "Mål:", "Inriktningar:", "Uppdrag:" › "Från Göteborgs Stads budget:" /
 *    "Från nämnden[/styrelsen]:"; numbered goals with their explanation; each » / • uppdrag bullet;
 *  - verksamhetsplaner: numbered headings ("3.1.1 Nämndens mål"), unnumbered sub-headings
 *    ("Nämndens omhändertagande"), bullet lists with their lead-in, and uppdrag tables flattened into
 *    column runs (Uppdrag / Uppdragsår / Omhändertagande) → one chunk per row with `assignmentYear` and `handling`;
 *  - presentations: one chunk per slide (a slide starts at an indented title line).
 * Everything else is prose, joined into paragraphs and packed into chunks of ≤ ~1,200 characters at
 * paragraph/sentence boundaries. Logo/OCR garbage and page headers never become text.
 */
import { stableHash } from '../hash.ts';
import type { RepairResult } from '../swedish/repair.ts';
import type { Chunk, ChunkKind, DocumentMeta } from '../types.ts';
import { endsWithTerminal, foldCase, startsLower } from './folding.ts';
import {
  type LabelName,
  type Line,
  bulletMarker,
  isHeadingLike,
  looksLikeSlides,
  matchLabel,
  matchNumberedHeading,
  matchNumberedItem,
  matchTableHeader,
  matchYearLine,
  splitLines,
  tidyHeading,
} from './lines.ts';
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

/** Size limits (characters) of prose chunks. */
export const CHUNK_LIMITS: PackLimits = { soft: 900, max: 1200, min: 250 };
/** Atomic units (one uppdrag, one table row) are only split above this size. */
export const ATOMIC_MAX = 2400;

type Draft =
  | { type: 'prose'; kind: ChunkKind; section: string[]; segments: Segment[] }
  | { type: 'list'; section: string[]; items: Segment[][] }
  | { type: 'uppdrag'; section: string[]; segments: Segment[] }
  | { type: 'goal'; section: string[]; title: Segment[]; body: Segment[] }
  | { type: 'row'; section: string[]; uppdrag: Segment[]; year?: number; handling: Segment[] }
  | { type: 'slide'; section: string[]; title: Segment[]; body: Segment[] };

interface Piece {
  kind: ChunkKind;
  section: string[];
  text: string;
  start: number;
  end: number;
  assignmentYear?: number;
  handling?: string;
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

const UPPDRAG_SENTENCE = /\b(far|ger|gavs|fick)\b[^.]{0,160}\bi uppdrag\b/;

/** Turn the paragraphs of an uppdrag table region into rows. */
function buildRows(paragraphs: Segment[][], section: string[]): Draft[] {
  const drafts: Draft[] = [];
  let row: Extract<Draft, { type: 'row' }> | undefined;
  const pushRow = (): void => {
    if (row) drafts.push(row);
    row = undefined;
  };
  paragraphs.forEach((paragraph, index) => {
    const year = matchYearLine(paragraph[0].text);
    const next = paragraphs[index + 1];
    const nextIsYear = next !== undefined && matchYearLine(next[0].text) !== undefined;
    if (!year && nextIsYear) {
      pushRow();
      row = { type: 'row', section, uppdrag: paragraph, handling: [] };
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
    const folded = foldCase(paragraph.map((segment) => segment.text).join(' ').slice(0, 240));
    if (!year && UPPDRAG_SENTENCE.test(folded)) {
      pushRow();
      row = { type: 'row', section, uppdrag: paragraph, handling: [] };
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

/** Parse a document that is not a slide deck into drafts. */
function parseStructured(lines: Line[], shortWidth: number): Draft[] {
  const drafts: Draft[] = [];
  let mode: 'preamble' | 'label' | 'numbered' = 'preamble';
  let labelTop: LabelName | undefined;
  let labelSub: LabelName | undefined;
  let numbered: Array<{ depth: number; title: string }> = [];
  let subHeading: string | undefined;
  let current: Draft | undefined;
  let table: Segment[][] | undefined;
  let tableSection: string[] = [];
  let gap = false;
  let previousLine: Line | undefined;
  let previousStructural = true;

  const section = (): string[] => {
    if (mode === 'label') return [labelTop, labelSub].filter((part): part is LabelName => part !== undefined);
    if (mode === 'numbered') {
      const titles = numbered.map((entry) => entry.title);
      return subHeading ? [...titles, subHeading] : titles;
    }
    return [];
  };
  const proseKind = (): ChunkKind => {
    if (mode === 'label' && labelTop === 'Inriktningar') return 'inriktning';
    if (mode === 'numbered' && subHeading && /omhandertagande/.test(foldCase(subHeading))) return 'omhändertagande';
    return 'text';
  };
  const flush = (): void => {
    if (current) drafts.push(current);
    current = undefined;
  };
  const flushTable = (): void => {
    if (table) drafts.push(...buildRows(table.filter((paragraph) => paragraph.length > 0), tableSection));
    table = undefined;
  };

  const isUnnumberedHeading = (index: number): boolean => {
    const line = lines[index];
    if (!isHeadingLike(line.text)) return false;
    const next = nextContent(lines, index + 1);
    if (!next || startsLower(next.text)) return false;
    const nextIsContent = bulletMarker(next.text) !== undefined || matchNumberedItem(next.text) !== undefined || !isHeadingLike(next.text);
    if (!nextIsContent) return false;
    if (matchTableHeader(lines, next.index) >= 0) return true;
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
    if (line.garbage) {
      gap = true;
      if (current?.type === 'prose') flush();
      continue;
    }

    const headerEnd = matchTableHeader(lines, index);
    if (headerEnd >= 0) {
      flush();
      if (!table) {
        table = [[]];
        tableSection = section();
      } else {
        table.push([]);
      }
      index = headerEnd;
      gap = true;
      previousLine = undefined;
      previousStructural = true;
      continue;
    }

    const label = matchLabel(line.text);
    if (label) {
      flush();
      flushTable();
      if (label === 'Från Göteborgs Stads budget' || label === 'Från nämnden') {
        labelTop = 'Uppdrag';
        labelSub = label;
      } else {
        labelTop = label;
        labelSub = undefined;
      }
      mode = 'label';
      gap = true;
      previousLine = line;
      previousStructural = true;
      continue;
    }

    const heading = matchNumberedHeading(line.text);
    if (heading) {
      flush();
      flushTable();
      const { segments, last } = consumeTitle(lines, index, segmentOf(line, gap));
      const title = segments.map((segment) => segment.text).join(' ').slice(heading.number.length).trim();
      numbered = numbered.filter((entry) => entry.depth < heading.depth);
      numbered.push({ depth: heading.depth, title: `${heading.number} ${tidyHeading(title)}` });
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

    const marker = bulletMarker(line.text);
    const item = marker ? undefined : matchNumberedItem(line.text);

    if (mode === 'label' && labelTop === 'Mål' && item) {
      flush();
      const { segments, last } = consumeTitle(lines, index, segmentOf(line, gap));
      current = { type: 'goal', section: [], title: segments, body: [] };
      index = last;
      gap = false;
      previousLine = lines[last];
      previousStructural = false;
      continue;
    }

    if (mode === 'label' && labelTop === 'Uppdrag' && marker) {
      flush();
      current = { type: 'uppdrag', section: section(), segments: [segmentOf(line, gap, marker.length)] };
      gap = false;
      previousLine = line;
      previousStructural = false;
      continue;
    }

    if (marker || item) {
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

    if (mode === 'numbered' && isUnnumberedHeading(index)) {
      flush();
      subHeading = tidyHeading(line.text);
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
      const continues = startsLower(segment.text) || (!endsWithTerminal(previous.text) && previous.text.length >= shortWidth * 1.2);
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
  return drafts;
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
        for (const group of groups) pieces.push(piece('uppdrag', draft.section, group, joinSegments(group, prose)));
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
        pieces.push({
          ...piece('uppdrag', draft.section, all, parts.join(' ')),
          ...(draft.year !== undefined ? { assignmentYear: draft.year } : {}),
          ...(handlingText ? { handling: handlingText } : {}),
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
  return pieces.filter((entry) => (entry.text.match(/\p{L}/gu) ?? []).length >= 3);
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

/**
 * Split a repaired document into structure-aware chunks (see the module comment).
 * Offsets (`start`/`end`) refer to `repaired.text`; `originalText` is the raw text behind the span.
 */
export function chunkDocument(document: DocumentMeta, repaired: RepairResult): Chunk[] {
  const lines = splitLines(repaired.text, repaired.originalSlice);
  const width = typicalWidth(lines);
  const shortWidth = Math.round(width * 0.6);
  const prose: JoinOptions = { separators: true, shortWidth };
  const narrow: JoinOptions = { separators: false, shortWidth, paragraphPeriods: true };
  const slides = document.type === 'presentation' || looksLikeSlides(lines);
  const drafts = slides ? parseSlides(lines) : parseStructured(lines, shortWidth);
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
    return chunk;
  });
}
