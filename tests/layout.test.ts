/**
 * Page layout clean-up (`src/core/swedish/layout.ts`) and line-end hyphenation through the ingest path
 * (`prepareDocumentText` then `repairDocument`), on fictional documents of other nämnder in other layouts
 * (`tests/fixtures/text/`), plus a check on the sample documents that only page furniture is removed.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHunspellLexicon } from '../src/adapters/hunspell-lexicon.ts';
import { cleanLayout, deinterleaveColumns, removePageFurniture, stripPageNumber } from '../src/core/swedish/layout.ts';
import { prepareDocumentText } from '../src/core/swedish/prepare.ts';
import { repairDocument } from '../src/core/swedish/repair.ts';
import type { Lexicon } from '../src/core/types.ts';

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, 'fixtures', 'text', name), 'utf8');
const oneLine = (text: string): string => text.replace(/\s+/g, ' ');

let lexicon: Lexicon;
beforeAll(async () => {
  lexicon = await createHunspellLexicon();
});
const ingestText = (raw: string): string => repairDocument(prepareDocumentText(raw, lexicon).text, lexicon).text;

describe('stripPageNumber', () => {
  it('recognises page numbers alone and at the end of a title line', () => {
    expect(stripPageNumber('Sida 2 av 4')).toBe('');
    expect(stripPageNumber('  Sida 2 (2)')).toBe('');
    expect(stripPageNumber('3 (5)')).toBe('');
    expect(stripPageNumber('- 7 -')).toBe('');
    expect(stripPageNumber('Page 2 of 9')).toBe('');
    expect(stripPageNumber('Stadsmiljönämnden – Budget 2026    Sida 3 av 8')).toBe('Stadsmiljönämnden – Budget 2026');
    expect(stripPageNumber('Verksamhetsplan 2024 – Arbetsmarknad      2 (4)')).toBe('Verksamhetsplan 2024 – Arbetsmarknad');
  });

  it('does not take years, ranges, dates or impossible page numbers for page numbers', () => {
    expect(stripPageNumber('2024')).toBeNull();
    expect(stripPageNumber('Planen gäller 2022-2024 (2024)')).toBeNull();
    expect(stripPageNumber('Sida 9 (4)')).toBeNull();
    expect(stripPageNumber('Nämnden beslutar enligt punkt 3')).toBeNull();
  });
});

describe('removePageFurniture', () => {
  it('removes a repeated header with page numbers, also in the middle of a paragraph, and rejoins the sentence', () => {
    const raw = fixture('arbetsmarknad-verksamhetsplan-2024.txt');
    const { text, removedLines } = removePageFurniture(raw);
    expect(removedLines).toHaveLength(3);
    expect(text).not.toMatch(/\(4\)/);
    expect(text).not.toContain('Verksamhetsplan 2024 – Arbetsmarknad och vuxenutbildning');
    // The sentence split by the page break on page 2 is one paragraph again.
    expect(text).toContain('varken arbetar eller studerar och med\npersoner som har varit arbetslösa länge.');
    // Paragraph breaks that are not sentence splits stay.
    expect(text).toContain('i egen regi.\n\nUppdragen återrapporteras');
  });

  it('keeps repeated table headers and content (they do not stand next to page numbers)', () => {
    const { text } = removePageFurniture(fixture('arbetsmarknad-verksamhetsplan-2024.txt'));
    expect(text.match(/^Indikator {2,}Utfall 2022/gm)).toHaveLength(2);
    expect(text).toContain('Göteborgs Stad\nArbetsmarknads- och vuxenutbildningsförvaltningen');
  });

  it("keeps the first page's header block of a protocol (body and date) and drops its page number and the repeats", () => {
    const { text } = removePageFurniture(fixture('miljo-klimat-protokoll-2025.txt'));
    expect(text.match(/Sammanträdesdatum: 2025-05-20/g)).toHaveLength(1);
    expect(text.startsWith('Göteborgs Stad')).toBe(true);
    expect(text.split('\n')[1]).toMatch(/^Miljö- och klimatnämnden {2,}Sammanträdesdatum: 2025-05-20$/);
    expect(text).not.toMatch(/Sida \d \(3\)/);
    expect(text.match(/^Göteborgs Stad/gm)).toHaveLength(1);
    // Both paragraphs stay, each with its § and Dnr line (they repeat only modulo digits, not as written).
    expect(text).toContain('§ 61');
    expect(text).toContain('§ 62');
    // The decision text split by the page break on page 3 is rejoined.
    expect(text).toContain('ska prioriteras i\ngenomförandet.');
  });

  it('drops a header that repeats without facts everywhere, with the page number next to it', () => {
    const raw = [
      'Stadsmiljönämnden',
      'Budget 2026',
      '',
      'Nämnden ska rusta upp parkerna i Centrum.',
      '',
      '2 (3)',
      'Göteborgs Stad Stadsmiljöförvaltningen, budget',
      '',
      'Gatubelysningen byts till LED under året.',
      '',
      '3 (3)',
      'Göteborgs Stad Stadsmiljöförvaltningen, budget',
      '',
      'Vinterväghållningen upphandlas på nytt.',
    ].join('\n');
    const { text } = removePageFurniture(raw);
    expect(text).toBe(
      'Stadsmiljönämnden\nBudget 2026\n\nNämnden ska rusta upp parkerna i Centrum.\n\nGatubelysningen byts till LED under året.\n\nVinterväghållningen upphandlas på nytt.',
    );
  });

  it('leaves a text without page numbers unchanged', () => {
    const raw = 'Rubrik\n\nStycke ett.\n\nRubrik\n\nStycke två.';
    expect(removePageFurniture(raw)).toEqual({ text: raw, removedLines: [] });
  });
});

describe('deinterleaveColumns', () => {
  it('reads a two-column region column by column', () => {
    const { text, regions } = deinterleaveColumns(fixture('idrott-nyhetsbrev-tva-spalter.txt'));
    expect(regions).toBe(1);
    expect(oneLine(text)).toContain(
      'Nya öppettider i simhallarna Från den 1 mars har Valhallabadet och Frölundabadet längre öppettider på kvällarna. Nämnden vill att fler barn och unga ska kunna simma efter skolan och att motionärer ska slippa köer.',
    );
    expect(oneLine(text)).toContain(
      'Stöd till föreningar med unga ledare Föreningar som utbildar unga ledare kan söka ett nytt bidrag från nämnden. Bidraget ska göra det lättare att behålla ungdomar i föreningslivet efter tonåren och stärka ledarskapet i hela staden.',
    );
  });

  it('does not touch numeric tables or single-column text with occasional double spaces', () => {
    const raw = fixture('idrott-nyhetsbrev-tva-spalter.txt');
    const { text } = deinterleaveColumns(raw);
    const kept = raw.split('\n').filter((line) => /^(?:Anläggning|Valhallabadet|Frölundabadet|Lundby)\b.* {2,}[\d-]/.test(line) || line.includes('beslut  om'));
    expect(kept).toHaveLength(4);
    expect(text).toMatch(/^Anläggning {2,}Besök 2024 {2,}Besök 2025/m);
    for (const line of kept) expect(text.split('\n')).toContain(line);
    const table = 'Indikator              Utfall 2024    Mål 2025\nAndel nöjda besökare   81             85\nAntal besök            412 000        430 000\nAndel flickor          44             48';
    expect(deinterleaveColumns(table)).toEqual({ text: table, regions: 0 });
    const textTable = 'Uppdrag                 Återrapportering\nUtreda nytt badhus     Tertialrapport 2\nÖppna fler hallar      Årsrapport 2026';
    expect(deinterleaveColumns(textTable).regions).toBe(0);
  });
});

describe('hyphenation through the ingest path', () => {
  it('joins line-end hyphenation when the joined word is valid Swedish, also across a removed page footer', () => {
    const text = ingestText(fixture('arbetsmarknad-verksamhetsplan-2024.txt'));
    expect(text).toContain('kommunala vuxenutbildning,');
    expect(text).toContain('utbildningsplatser');
    expect(text).toContain('studeras tillsammans');
    const own = ingestText('Stadsmiljönämndens Verksamhets-\nplan ska kon-\ntakta socioeko-\nnomiskt utsatta områden.');
    expect(own).toContain('Verksamhetsplan');
    expect(own).toContain('kontakta');
    expect(own).toContain('socioekonomiskt');
  });

  it('keeps real hyphenated compounds and coordination', () => {
    const text = ingestText(fixture('arbetsmarknad-verksamhetsplan-2024.txt'));
    expect(text).toContain('torg-området');
    expect(text).toContain('miljö- och klimatnämnden');
    expect(text).toContain('HVB-hem');
    expect(text).toContain('Arbetsmarknads- och vuxenutbildningsförvaltningen');
    expect(ingestText('Idrotts- och\nförenings-\noch kulturnämnderna samt HVB-\nhem och e-tjänster.')).toBe(
      'Idrotts- och\nförenings-\noch kulturnämnderna samt HVB-\nhem och e-tjänster.',
    );
  });

  it('never changes a valid word of a clean document', () => {
    const raw = fixture('miljo-klimat-protokoll-2025.txt');
    const prepared = prepareDocumentText(raw, lexicon).text;
    const repaired = repairDocument(prepared, lexicon);
    expect(repaired.repairs.filter((repair) => repair.kind !== 'header-footer')).toEqual([]);
  });
});

describe('layout clean-up on the sample documents', () => {
  const root = join(import.meta.dirname, '..');
  const samples = [join(root, 'data', 'corpus'), join(root, 'eval', 'corpus-dev2')].flatMap((folder) =>
    readdirSync(folder)
      .filter((name) => name.endsWith('.txt'))
      .map((name) => [name, readFileSync(join(folder, name), 'utf8')] as [string, string]),
  );

  it.each(samples)('%s: removes only lines that are page numbers or repeat next to one; keeps every other line', (_name, raw) => {
    const { text, removedLines } = cleanLayout(raw);
    const kept = new Set(text.split('\n').map((line) => line.trim()));
    for (const line of removedLines) {
      const repeats = raw.split('\n').filter((other) => other.trim() === line.trim()).length;
      expect(stripPageNumber(line) !== null || repeats >= 2, line).toBe(true);
    }
    const removed = new Set(removedLines.map((line) => line.trim()));
    for (const line of raw.split('\n').map((entry) => entry.trim())) {
      if (line && !removed.has(line) && stripPageNumber(line) === null) expect(kept.has(line), line).toBe(true);
    }
  });
});

describe('page numbers and table cells', () => {
  it('keeps integer table cells at the foot of a page; removes real page numbers', () => {
    const text = [
      'Trafiknämnden – Verksamhetsplan 2027    Sida 1 av 2',
      '',
      'Tabell 4. Indikatorer',
      'Indikator',
      'Utfall 2025',
      'Målvärde 2027',
      'Andel resor med kollektivtrafik (%)',
      '31',
      '35',
      'Antal cykelparkeringar vid hållplatser',
      '1 200',
      '1 800',
      'Trafiknämnden – Verksamhetsplan 2027    Sida 2 av 2',
      '',
      'Uppföljning sker i tertialrapporterna.',
      '',
      '7',
      '',
      'Nästa avsnitt beskriver uppdragen.',
    ].join('\n');
    const { text: cleaned, removedLines } = removePageFurniture(text);
    expect(cleaned).toMatch(/\(%\)\n31\n35\n/);
    expect(removedLines).not.toContain('31');
    expect(removedLines).not.toContain('35');
    expect(removedLines).toContain('7');
    expect(removedLines).toContain('Trafiknämnden – Verksamhetsplan 2027    Sida 2 av 2');
  });
});
