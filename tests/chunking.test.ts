import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHunspellLexicon } from '../src/adapters/hunspell-lexicon.ts';
import { ATOMIC_MAX, CHUNK_LIMITS, chunkDocument } from '../src/core/chunking/chunk-document.ts';
import { extractMetadata } from '../src/core/metadata.ts';
import { type RepairResult, repairDocument } from '../src/core/swedish/repair.ts';
import type { Chunk, DocumentMeta } from '../src/core/types.ts';

const CORPUS = join(import.meta.dirname, '..', 'data', 'corpus');
const FILES = {
  d0: '000_2e06263a4aea9303.txt',
  d1: '001_685a6afae0d19dc8.txt',
  d2: '002_a78cf953a858aaff.txt',
  d3: '003_17685376f62255a5.txt',
  d4: '004_6b9fbc6b6a484550.txt',
} as const;

interface Prepared {
  meta: DocumentMeta;
  repaired: RepairResult;
  chunks: Chunk[];
}

const prepared = new Map<string, Prepared>();

/** Fold case/diacritics and keep letters+digits only (tolerant to repair wording). */
function compact(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '');
}

function identityRepair(text: string): RepairResult {
  return { text, repairs: [], originalSlice: (start, end) => text.slice(start, end) };
}

function metaFor(id: string, overrides: Partial<DocumentMeta> = {}): DocumentMeta {
  return {
    id,
    source: `${id}.txt`,
    title: 'Testplan',
    committee: 'Testnämnden',
    committeeId: 'testnamnden',
    type: 'genomförandeplan',
    status: 'förslag',
    contentHash: 'hash',
    ...overrides,
  };
}

function get(key: keyof typeof FILES): Prepared {
  const entry = prepared.get(FILES[key]);
  if (!entry) throw new Error(`not prepared: ${key}`);
  return entry;
}

function bySection(chunks: Chunk[], ...section: string[]): Chunk[] {
  return chunks.filter((chunk) => chunk.section.join(' › ') === section.join(' › '));
}

function containing(chunks: Chunk[], phrase: string): Chunk[] {
  const needle = compact(phrase);
  return chunks.filter((chunk) => compact(chunk.text).includes(needle));
}

beforeAll(async () => {
  const lexicon = await createHunspellLexicon();
  for (const file of Object.values(FILES)) {
    const raw = readFileSync(join(CORPUS, file), 'utf8');
    const repaired = repairDocument(raw, lexicon);
    const meta = extractMetadata({ source: file, text: repaired.text, contentHash: 'test' });
    prepared.set(file, { meta, repaired, chunks: chunkDocument(meta, repaired) });
  }
}, 120_000);

describe('chunkDocument: invariants on every sample document', () => {
  for (const [key, file] of Object.entries(FILES)) {
    it(`${file}: positions, offsets, original text, ids, context, sizes`, () => {
      const { meta, repaired, chunks } = get(key as keyof typeof FILES);
      expect(chunks.length).toBeGreaterThan(5);
      chunks.forEach((chunk, index) => {
        expect(chunk.position).toBe(index);
        expect(chunk.documentId).toBe(meta.id);
        expect(chunk.start).toBeGreaterThanOrEqual(0);
        expect(chunk.end).toBeGreaterThan(chunk.start);
        expect(chunk.end).toBeLessThanOrEqual(repaired.text.length);
        // Offsets point at the text: the span starts with the chunk's first words and ends with its last ones.
        const span = compact(repaired.text.slice(chunk.start, chunk.end));
        const text = compact(chunk.text);
        expect(span.startsWith(text.slice(0, 25)), `chunk ${index} start`).toBe(true);
        expect(span.endsWith(compact(chunk.handling ?? chunk.text).slice(-20)), `chunk ${index} end`).toBe(true);
        expect(chunk.originalText).toBe(repaired.originalSlice(chunk.start, chunk.end));
        expect(chunk.originalText.trim().length).toBeGreaterThan(0);
        // Whitespace-normalised text.
        expect(chunk.text).toBe(chunk.text.replace(/\s+/g, ' ').trim());
        expect(chunk.context.startsWith(`${meta.title} · ${meta.committee}`)).toBe(true);
        if (chunk.section.length > 0) expect(chunk.context.endsWith(chunk.section[chunk.section.length - 1])).toBe(true);
        const limit = chunk.kind === 'uppdrag' ? ATOMIC_MAX : CHUNK_LIMITS.max;
        expect(chunk.text.length, `chunk ${index} size`).toBeLessThanOrEqual(limit + 60);
      });
      expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(chunks.length);
      // Deterministic across runs.
      expect(chunkDocument(meta, repaired).map((chunk) => chunk.id)).toEqual(chunks.map((chunk) => chunk.id));
    });
  }

  it('ids are unique across the corpus', () => {
    const ids = [...prepared.values()].flatMap((entry) => entry.chunks.map((chunk) => chunk.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('a lone heading line is never a chunk of its own', () => {
    for (const { chunks } of prepared.values()) {
      for (const chunk of chunks) {
        const isOnlyHeading = chunk.text.length < 40 && !/[.!?:]$/.test(chunk.text) && chunk.kind !== 'bild';
        expect(isOnlyHeading, chunk.text).toBe(false);
      }
    }
  });
});

describe('chunkDocument: genomförandeplaner (000, 001, 004)', () => {
  it('004: each » uppdrag under "Från Göteborgs Stads budget" is its own uppdrag chunk', () => {
    const { chunks } = get('d4');
    const budget = bySection(chunks, 'Uppdrag', 'Från Göteborgs Stads budget');
    expect(budget).toHaveLength(16);
    expect(budget.every((chunk) => chunk.kind === 'uppdrag')).toBe(true);
    expect(budget.every((chunk) => /i uppdrag/i.test(chunk.text) || compact(chunk.text).includes('iuppdrag'))).toBe(true);
    expect(budget.every((chunk) => chunk.origin === 'budget')).toBe(true);
    // The section names the profile entry the damaged label matched ("Frédn namnden/styrelsen:").
    const own = bySection(chunks, 'Uppdrag', 'Från nämnden/styrelsen');
    expect(own).toHaveLength(3);
    expect(own.every((chunk) => chunk.kind === 'uppdrag' && chunk.origin === 'nämnd')).toBe(true);
    expect(containing(chunks, 'husdjur')).toHaveLength(1);
    expect(containing(chunks, 'husdjur')[0].section).toEqual(['Uppdrag', 'Från nämnden/styrelsen']);
    expect(containing(chunks, 'Bostad f')).toEqual(expect.arrayContaining([own[0]]));
    // The bullet continues over its second sentence ("Återrapporteringen ska ske till …").
    const alcohol = containing(chunks, 'alkohol');
    expect(alcohol).toHaveLength(1);
    expect(compact(alcohol[0].text)).toContain('rapporteringen');
  });

  it('004: seven goals with their explanation, inriktningar, a preamble, and no logo garbage', () => {
    const { chunks } = get('d4');
    const goals = chunks.filter((chunk) => chunk.kind === 'mål');
    expect(goals).toHaveLength(7);
    goals.forEach((goal, index) => {
      expect(goal.section[0]).toBe('Mål');
      expect(goal.section[1].startsWith(`${index + 1}.`)).toBe(true);
      expect(goal.text.startsWith(`${index + 1}.`)).toBe(true);
      expect(goal.text.length).toBeGreaterThan(goal.section[1].length + 50);
    });
    const directions = chunks.filter((chunk) => chunk.kind === 'inriktning');
    expect(directions.length).toBeGreaterThanOrEqual(3);
    expect(directions.every((chunk) => chunk.section.join() === 'Inriktningar')).toBe(true);
    expect(chunks[0].kind).toBe('text');
    expect(chunks[0].section).toEqual([]);
    for (const chunk of chunks) {
      expect(chunk.text).not.toMatch(/r\/'-_-|dB grano|miljspartiet|Vinsterpartiet|Socialdemokraterna/);
    }
    // The paragraph after the logo block is kept, under Inriktningar.
    expect(containing(chunks, 'remissinstans')[0]?.kind).toBe('inriktning');
  });

  it('000: labels despite split diacritics; bullets continue until the next bullet', () => {
    const { chunks } = get('d0');
    expect(bySection(chunks, 'Uppdrag', 'Från Göteborgs Stads budget')).toHaveLength(7);
    expect(bySection(chunks, 'Uppdrag', 'Från nämnden')).toHaveLength(3);
    expect(chunks.filter((chunk) => chunk.kind === 'mål')).toHaveLength(7);
    const biskopsgarden = containing(chunks, 'Biskopsg');
    expect(biskopsgarden).toHaveLength(1);
    expect(compact(biskopsgarden[0].text)).toContain('terrapporteringen');
    expect(containing(chunks, 'hedersf')[0].section).toEqual(['Uppdrag', 'Från nämnden']);
  });

  it('001: "»Socialnämnden" without a space starts an uppdrag; header block is at most two text chunks', () => {
    const { chunks } = get('d1');
    const budget = bySection(chunks, 'Uppdrag', 'Från Göteborgs Stads budget');
    expect(budget).toHaveLength(14);
    expect(budget.some((chunk) => chunk.text.startsWith('Socialnämnden Sydväst får i uppdrag'))).toBe(true);
    expect(bySection(chunks, 'Uppdrag', 'Från nämnden')).toHaveLength(3);
    const firstGoal = chunks.findIndex((chunk) => chunk.kind === 'mål');
    expect(firstGoal).toBeGreaterThan(0);
    expect(firstGoal).toBeLessThanOrEqual(2);
    expect(chunks.slice(0, firstGoal).every((chunk) => chunk.kind === 'text')).toBe(true);
    expect(containing(chunks.slice(0, firstGoal), '2024-11-18')).toHaveLength(1);
    expect(containing(chunks, 'avlastningsfamiljer')).toHaveLength(1);
  });
});

describe('chunkDocument: verksamhetsplan (002)', () => {
  it('uppdrag table rows are units with assignmentYear and handling', () => {
    const { chunks } = get('d2');
    const rows = chunks.filter((chunk) => chunk.assignmentYear !== undefined);
    expect(rows.length).toBeGreaterThanOrEqual(20);
    for (const row of rows) {
      expect(row.kind).toBe('uppdrag');
      expect(row.section[row.section.length - 1]).toMatch(/^\d+(\.\d+)+ Uppdrag$/);
      expect(row.assignmentYear).toBeGreaterThanOrEqual(2019);
      expect(row.assignmentYear).toBeLessThanOrEqual(2030);
      expect(row.handling && row.handling.length > 0).toBe(true);
      expect(row.text).toContain(`Uppdragsår ${row.assignmentYear}.`);
      expect(row.text).toContain(`Omhändertagande: ${row.handling}`);
    }
    const skolfam = containing(chunks, 'genom Skolfam eller motsvarande arbetssätt');
    expect(skolfam).toHaveLength(1);
    expect(skolfam[0].assignmentYear).toBe(2023);
    expect(compact(skolfam[0].handling ?? '')).toContain(compact('två Skolfam-team och det står 24 barn i kö'));
    // The handling's second paragraph stays in the same row.
    expect(compact(skolfam[0].handling ?? '')).toContain(compact('Socialförvaltning Hisingen samordnar'));
    expect(containing(chunks, 'öka andelen familjehem, jourhem och hem för vård och boende')[0].assignmentYear).toBe(2024);
    // Table headers are never text.
    for (const chunk of chunks) expect(compact(chunk.text)).not.toContain('uppdragsaromhandertagande');
  });

  it('numbered headings give sections; Nämndens omhändertagande and priority lists get their kinds', () => {
    const { chunks } = get('d2');
    const care = chunks.filter((chunk) => chunk.kind === 'omhändertagande');
    expect(care.length).toBeGreaterThanOrEqual(5);
    expect(care.every((chunk) => chunk.section[chunk.section.length - 1] === 'Nämndens omhändertagande')).toBe(true);
    expect(care[0].section).toContain('3.1 Tidiga insatser');
    expect(care[0].section).toContain('3.1.1.1 Segregationen i Göteborg ska brytas');
    const priorities = chunks.filter((chunk) => chunk.kind === 'lista' && chunk.text.startsWith('Under året ska förvaltningen prioritera att:'));
    expect(priorities.length).toBeGreaterThanOrEqual(5);
    expect(chunks[0].section).toEqual(['1 Inledning']);
    expect(containing(chunks, 'två utvecklare inom digitalisering')[0].section).toEqual([
      '2 Förutsättningar',
      'Socialnämnden Centrums plan för digitaliseringsarbetet 2024',
    ]);
    for (const chunk of chunks) expect(chunk.text).not.toMatch(/verksamhetsplan 2024 \d+ \(17\)|sharepoint/);
  });
});

describe('chunkDocument: presentation (003)', () => {
  it('one bild chunk per slide, titled by the slide title', () => {
    const { chunks } = get('d3');
    expect(chunks).toHaveLength(9);
    expect(chunks.every((chunk) => chunk.kind === 'bild')).toBe(true);
    expect(chunks[0].section).toEqual(['Vilka är vi?']);
    expect(chunks.map((chunk) => chunk.section[0])).toContain('Inventering av nuvarande demokratistärkande insatser');
    expect(containing(chunks, 'Lotta Sjöberg').length).toBeGreaterThanOrEqual(2);
    const contact = chunks[chunks.length - 1];
    expect(contact.section).toEqual(['Kontakt']);
    expect(contact.text).toContain('lotta.sjoberg@kom.goteborg.se');
    expect(contact.text).not.toContain('mailto:');
  });
});

describe('chunkDocument: synthetic documents', () => {
  it('tolerates OCR-damaged labels and bullets without a space', () => {
    const text = [
      'Genomforandeplan for budget for kulturnamnden',
      '',
      'Planen utgar fran budgeten.',
      ' Mal:',
      '1. Staden ska vara trygg.',
      '',
      'Namnden ska arbeta med trygghet i alla delar av staden och samverka med andra.',
      '',
      'Uppdrag:',
      'Frdn Goteborgs Stads budget:',
      '» Namnden far i uppdrag att utreda frågan.',
      '»Alla namnder far i uppdrag att',
      'fortsatta arbetet med klimatet.',
      'Aterrapporteringen ska ske till kommunstyrelsen.',
      'Frédn namnden/styrelsen:',
      '• Forvaltningen far i uppdrag att starta ett projekt.',
      '',
    ].join('\n');
    const chunks = chunkDocument(metaFor('synthetic-labels'), identityRepair(text));
    expect(chunks.map((chunk) => [chunk.kind, chunk.section.join(' › ')])).toEqual([
      ['text', ''],
      ['mål', 'Mål › 1. Staden ska vara trygg'],
      ['uppdrag', 'Uppdrag › Från Göteborgs Stads budget'],
      ['uppdrag', 'Uppdrag › Från Göteborgs Stads budget'],
      ['uppdrag', 'Uppdrag › Från nämnden/styrelsen'],
    ]);
    expect(chunks.filter((chunk) => chunk.kind === 'uppdrag').map((chunk) => chunk.origin)).toEqual(['budget', 'budget', 'nämnd']);
    expect(chunks[3].text).toBe('Alla namnder far i uppdrag att fortsatta arbetet med klimatet. Aterrapporteringen ska ske till kommunstyrelsen.');
    expect(chunks[1].text).toBe('1. Staden ska vara trygg. Namnden ska arbeta med trygghet i alla delar av staden och samverka med andra.');
    expect(chunks[2].text).toBe('Namnden far i uppdrag att utreda frågan.');
  });

  it('splits a long section at sentence boundaries under the size limit', () => {
    const sentences = Array.from({ length: 40 }, (_, index) => `Mening nummer ${index + 1} handlar om hur förvaltningen ska arbeta med t.ex. trygghet och delaktighet.`);
    const lines: string[] = ['Inriktningar:', ''];
    for (let index = 0; index < sentences.length; index += 2) lines.push(`${sentences[index]} ${sentences[index + 1]}`, '');
    const chunks = chunkDocument(metaFor('synthetic-long'), identityRepair(lines.join('\n')));
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    for (const chunk of chunks) {
      expect(chunk.kind).toBe('inriktning');
      expect(chunk.text.length).toBeLessThanOrEqual(CHUNK_LIMITS.max);
      expect(chunk.text).toMatch(/^Mening nummer \d+ /);
      expect(chunk.text).toMatch(/delaktighet\.$/);
    }
    expect(chunks.map((chunk) => chunk.text).join(' ')).toBe(sentences.join(' '));
  });

  it('cuts an over-long paragraph at sentences, not mid-word', () => {
    const paragraph = Array.from({ length: 30 }, (_, index) => `Den här meningen nummer ${index + 1} beskriver ett långt stycke utan radbrytningar.`).join(' ');
    const chunks = chunkDocument(metaFor('synthetic-paragraph'), identityRepair(`Inriktningar:\n${paragraph}\n`));
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(CHUNK_LIMITS.max);
      expect(chunk.text).toMatch(/^Den här meningen nummer \d+ .*radbrytningar\.$/);
    }
  });

  it('splits a long goal explanation into several mål chunks that keep the goal as section', () => {
    const body = Array.from({ length: 24 }, (_, index) => `Nämnden ska i steg ${index + 1} arbeta vidare med målet och följa upp resultaten noga.`).join('\n');
    const chunks = chunkDocument(metaFor('synthetic-goal'), identityRepair(`Mål:\n\n1. Göteborg ska vara en jämlik och trygg stad där alla invånare ges inflytande och\nmöjlighet till delaktighet.\n\n${body}\n\n2. Segregationen ska brytas.\n\nKort förklaring.\n`));
    const first = chunks.filter((chunk) => chunk.section[1]?.startsWith('1.'));
    expect(first.length).toBeGreaterThanOrEqual(2);
    expect(first.every((chunk) => chunk.kind === 'mål' && chunk.text.length <= CHUNK_LIMITS.max)).toBe(true);
    expect(first[0].section).toEqual(['Mål', '1. Göteborg ska vara en jämlik och trygg stad där alla invånare ges inflytande och möjlighet till delaktighet']);
    expect(first[0].text.startsWith('1. Göteborg ska vara en jämlik')).toBe(true);
    expect(chunks[chunks.length - 1]).toMatchObject({ kind: 'mål', section: ['Mål', '2. Segregationen ska brytas'], text: '2. Segregationen ska brytas. Kort förklaring.' });
  });

  it('reads a flattened uppdrag table with a repeated header as rows', () => {
    const text = [
      '2.1 Uppdrag',
      '',
      'Uppdrag',
      'Uppdrags',
      '',
      'år',
      'Omhändertagande',
      '',
      'Nämnden får i uppdrag att',
      'öka tryggheten.',
      '',
      '2023 Förvaltningen har startat',
      'ett arbete.',
      '',
      'Arbetet fortsätter 2024.',
      ' Uppdrag',
      'Uppdrags',
      '',
      'år',
      'Omhändertagande',
      '',
      'Alla nämnder får i uppdrag att',
      'minska resandet',
      '',
      '2024 Förvaltningen ser över',
      'resepolicyn.',
      '',
      '2.2 Program och planer',
      '',
      'Programmet för en jämlik stad gäller också för nämnden och dess verksamheter.',
    ].join('\n');
    const chunks = chunkDocument(metaFor('synthetic-table', { type: 'verksamhetsplan' }), identityRepair(text));
    const rows = chunks.filter((chunk) => chunk.kind === 'uppdrag');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      section: ['2.1 Uppdrag'],
      assignmentYear: 2023,
      handling: 'Förvaltningen har startat ett arbete. Arbetet fortsätter 2024.',
      text: 'Nämnden får i uppdrag att öka tryggheten. Uppdragsår 2023. Omhändertagande: Förvaltningen har startat ett arbete. Arbetet fortsätter 2024.',
    });
    expect(rows[1]).toMatchObject({ assignmentYear: 2024, text: 'Alla nämnder får i uppdrag att minska resandet. Uppdragsår 2024. Omhändertagande: Förvaltningen ser över resepolicyn.' });
    expect(chunks[chunks.length - 1]).toMatchObject({ kind: 'text', section: ['2.2 Program och planer'] });
  });

  it('drops garbage lines and returns no chunks for an empty text', () => {
    expect(chunkDocument(metaFor('empty'), identityRepair(''))).toEqual([]);
    expect(chunkDocument(metaFor('blank'), identityRepair('\n  \n&\n'))).toEqual([]);
    const chunks = chunkDocument(metaFor('garbage'), identityRepair('Inriktningar:\nNämnden ska arbeta.\n\n&\nr/\'-_-\\\nVI\nmiljspartiet\n\nNämnden ska samverka.\n'));
    expect(chunks.map((chunk) => chunk.text).join(' ')).toBe('Nämnden ska arbeta. Nämnden ska samverka.');
  });

  it('ids depend on document, section and position only (stable when text changes inside a chunk)', () => {
    const before = chunkDocument(metaFor('stable'), identityRepair('Inriktningar:\nNämnden ska arbeta med trygghet.\n'));
    const after = chunkDocument(metaFor('stable'), identityRepair('Inriktningar:\nNämnden ska arbeta med tryggheten i staden.\n'));
    const other = chunkDocument(metaFor('other'), identityRepair('Inriktningar:\nNämnden ska arbeta med trygghet.\n'));
    expect(after[0].id).toBe(before[0].id);
    expect(other[0].id).not.toBe(before[0].id);
  });
});
