/**
 * The document contract: the same behavioural rules over every template we have — fictional documents of other
 * nämnder and layouts (tests/fixtures/documents) and the ten sample files — through the real repair and chunker:
 *  - no text is lost (every line of the input, except page furniture, is found in the chunks);
 *  - every "… i uppdrag att …" sentence ends up in exactly one `uppdrag` chunk;
 *  - every table row becomes one record with all its cells (fields by column header, text = cells in order);
 *  - chunk sizes are bounded.
 * The fixtures' sidecar `*.expect.json` lists what a reader sees in them (rows, uppdrag with their origin).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHunspellLexicon } from '../src/adapters/hunspell-lexicon.ts';
import { ATOMIC_MAX, CHUNK_LIMITS, chunkDocument } from '../src/core/chunking/chunk-document.ts';
import { extractMetadata } from '../src/core/metadata.ts';
import { type RepairResult, repairDocument } from '../src/core/swedish/repair.ts';
import type { Chunk } from '../src/core/types.ts';

const ROOT = join(import.meta.dirname, '..');
const FIXTURES = join(ROOT, 'tests', 'fixtures', 'documents');
const SAMPLE_DIRS = [join(ROOT, 'data', 'corpus'), join(ROOT, 'eval', 'corpus-dev2')];

interface Expectation {
  rows: string[][];
  uppdrag: Array<{ phrase: string; origin?: 'budget' | 'nämnd' }>;
}

interface Prepared {
  name: string;
  fixture: boolean;
  /** OCR-damaged sample (logo garbage is dropped on purpose there). */
  ocr: boolean;
  repaired: RepairResult;
  chunks: Chunk[];
  expect?: Expectation;
}

const documents: Prepared[] = [];

/** Letters and digits only, folded. */
function compact(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '');
}

/** Page furniture: page numbers, "Sida 2 av 4", "2 (3)", bare URLs, running headers (lines repeated verbatim). */
function furniture(lines: string[]): (line: string) => boolean {
  const counts = new Map<string, number>();
  for (const line of lines) if (line.trim()) counts.set(line.trim(), (counts.get(line.trim()) ?? 0) + 1);
  return (line) => {
    const text = line.trim();
    return (
      /^\d{1,3}$/.test(text) ||
      /\bsida\s+\d+\s*(av|\/)\s*\d+$/i.test(text) ||
      /^(sida\s+)?\d+\s*\(\d+\)$/i.test(text) ||
      /^(https?:\/\/|www\.|mailto:)\S+$/i.test(text) ||
      (counts.get(text) ?? 0) >= 2
    );
  };
}

beforeAll(async () => {
  const lexicon = await createHunspellLexicon();
  const load = (dir: string, file: string, fixture: boolean): void => {
    const raw = readFileSync(join(dir, file), 'utf8');
    const repaired = repairDocument(raw, lexicon);
    const meta = extractMetadata({ source: file, text: repaired.text, contentHash: 'contract' });
    const expectFile = join(dir, file.replace(/\.txt$/, '.expect.json'));
    const expectation = fixture ? (JSON.parse(readFileSync(expectFile, 'utf8')) as Expectation) : undefined;
    documents.push({ name: file, fixture, ocr: !fixture && /^00\d_/.test(file), repaired, chunks: chunkDocument(meta, repaired), expect: expectation });
  };
  for (const file of readdirSync(FIXTURES).filter((name) => name.endsWith('.txt')).sort()) load(FIXTURES, file, true);
  for (const dir of SAMPLE_DIRS) for (const file of readdirSync(dir).filter((name) => name.endsWith('.txt')).sort()) load(dir, file, false);
}, 180_000);

describe('document contract', () => {
  it('covers at least five fictional templates and the ten sample files', () => {
    expect(documents.filter((entry) => entry.fixture).length).toBeGreaterThanOrEqual(5);
    expect(documents.filter((entry) => !entry.fixture)).toHaveLength(10);
  });

  it('loses no text: every line (every cell of a spaced table line) is found in the chunks, except page furniture', () => {
    for (const { name, ocr, repaired, chunks } of documents) {
      const all = compact(chunks.map((chunk) => `${chunk.section.join(' ')} ${chunk.text}`).join(' '));
      const lines = repaired.text.split('\n');
      const isFurniture = furniture(lines);
      const missing: string[] = [];
      for (const line of lines) {
        if (!line.trim() || isFurniture(line)) continue;
        for (const cell of line.trim().split(/\s{2,}|\t/)) {
          const needle = compact(cell);
          if (!needle || all.includes(needle)) continue;
          // A line may hold the end of one chunk and the start of the next (a sentence cut out as an uppdrag).
          if (cell.split(/(?<=[.!?])\s+/).every((piece) => all.includes(compact(piece)))) continue;
          // A column-run table row labels its year column ("Uppdragsår 2023. Omhändertagande: …").
          const year = /^((?:19|20)\d\d)\s+(.+)$/.exec(cell);
          if (year && all.includes(compact(year[1])) && all.includes(compact(year[2]))) continue;
          // OCR logo garbage of the scanned samples is dropped on purpose; numbers never are.
          if (ocr && !/\d/.test(cell) && (cell.match(/\p{L}/gu) ?? []).length / cell.replace(/\s/g, '').length < 0.75) continue;
          if (ocr && cell.trim().split(/\s+/).length <= 3 && !/\d/.test(cell)) continue;
          missing.push(cell);
        }
      }
      expect(missing, name).toEqual([]);
    }
  });

  it('puts every "… i uppdrag att …" sentence into exactly one uppdrag chunk', () => {
    for (const { name, repaired, chunks } of documents) {
      // Slides keep their bullets in the slide (a deck is one unit per slide).
      if (chunks.length > 0 && chunks.every((chunk) => chunk.kind === 'bild')) continue;
      // Table lines read by their widest cell (the text column), so a wrapped row reads as its sentence.
      const text = repaired.text
        .split('\n')
        .map((line) => line.trim().split(/\s{2,}/).reduce((widest, cell) => (cell.length > widest.length ? cell : widest), ''))
        .join(' ')
        .replace(/\s+/g, ' ');
      const uppdrag = chunks.filter((chunk) => chunk.kind === 'uppdrag').map((chunk) => compact(chunk.text));
      for (const match of text.matchAll(/\b(får|fick|ges|ger|ge|gett|fått)\b[^.!?]{0,200}?\bi uppdrag att ([^.!?]{12,120})/giu)) {
        // The sentence's identity: its first words after "att"; longer when two uppdrag start alike.
        const short = uppdrag.filter((chunk) => chunk.includes(compact(match[2]).slice(0, 50)));
        const long = uppdrag.filter((chunk) => chunk.includes(compact(match[2]).slice(0, 100)));
        const exact = chunks.filter((chunk) => chunk.kind === 'uppdrag' && chunk.text.includes(`${match[2].trim()}.`));
        expect(short.length === 1 || (short.length > 1 && (long.length === 1 || exact.length === 1)), `${name}: "${match[0].slice(0, 90)}" in ${short.length}/${long.length} uppdrag chunks`).toBe(true);
      }
    }
  });

  it('makes every spaced table row with numbers a record that holds all its cells', () => {
    for (const { name, repaired, chunks } of documents) {
      const records = chunks.filter((chunk) => chunk.fields !== undefined);
      for (const line of repaired.text.split('\n')) {
        const cells = line.trim().split(/\s{2,}/);
        if (cells.length < 3 || !cells.slice(1).some((cell) => /^-?\d[\d ,.]*$/.test(cell))) continue;
        const holders = records.filter((chunk) => cells.every((cell) => Object.values(chunk.fields ?? {}).some((value) => value.includes(cell))));
        expect(holders.length, `${name}: ${line.trim()}`).toBe(1);
      }
    }
  });

  it('records: fields keep the cells as written, text is the cells in order joined by single spaces', () => {
    for (const { name, chunks } of documents) {
      for (const chunk of chunks.filter((entry) => entry.kind === 'tabellrad')) {
        const values = Object.values(chunk.fields ?? {});
        expect(values.length, `${name}: ${chunk.text}`).toBeGreaterThanOrEqual(2);
        expect(chunk.text, name).toBe(values.join(' '));
        // The header is in the section path, so retrieval sees the column names.
        expect(chunk.section[chunk.section.length - 1], name).toBe(Object.keys(chunk.fields ?? {}).join(' · '));
      }
    }
  });

  it('fixtures: every expected table row is exactly one record with its cells by column', () => {
    for (const { name, chunks, expect: expectation } of documents) {
      if (!expectation) continue;
      const records = chunks.filter((chunk) => chunk.fields !== undefined);
      expect(records.length, name).toBe(expectation.rows.length);
      expectation.rows.forEach((cells, index) => {
        const record = records[index];
        expect(Object.values(record.fields ?? {}), name).toEqual(cells);
        expect(record.text, name).toBe(cells.join(' '));
      });
    }
  });

  it('fixtures: every uppdrag is one uppdrag chunk with the origin the document states; nothing else is an uppdrag', () => {
    for (const { name, chunks, expect: expectation } of documents) {
      if (!expectation) continue;
      const uppdrag = chunks.filter((chunk) => chunk.kind === 'uppdrag');
      expect(uppdrag.map((chunk) => chunk.text.slice(0, 60)), name).toHaveLength(expectation.uppdrag.length);
      expectation.uppdrag.forEach(({ phrase, origin }, index) => {
        expect(compact(uppdrag[index].text), name).toContain(compact(phrase));
        expect(uppdrag[index].origin, `${name}: ${phrase}`).toBe(origin);
      });
    }
  });

  it('bounds chunk sizes', () => {
    for (const { name, chunks } of documents) {
      for (const chunk of chunks) {
        const limit = chunk.kind === 'uppdrag' || chunk.kind === 'tabellrad' ? ATOMIC_MAX : CHUNK_LIMITS.max;
        expect(chunk.text.length, `${name}: ${chunk.text.slice(0, 60)}`).toBeLessThanOrEqual(limit + 60);
        expect(chunk.text.trim().length, name).toBeGreaterThan(0);
      }
    }
  });
});
