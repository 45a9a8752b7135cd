/**
 * Tables as records and uppdrag as records, on small fictional documents of other nämnder: rows found by layout
 * (spaced columns, one cell per line, column runs), numbers never dropped, uppdrag from any template with their
 * origin, template labels taken from the profile passed in.
 */
import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../src/core/chunking/chunk-document.ts';
import { isGarbageLine } from '../src/core/chunking/lines.ts';
import { assignmentOrigin, budgetBodies, isAssignmentText } from '../src/core/chunking/records.ts';
import { type TemplateLabels, defaultProfile } from '../src/core/profile.ts';
import type { RepairResult } from '../src/core/swedish/repair.ts';
import type { Chunk, DocumentMeta } from '../src/core/types.ts';

function identityRepair(text: string): RepairResult {
  return { text, repairs: [], originalSlice: (start, end) => text.slice(start, end) };
}

function meta(id: string): DocumentMeta {
  return { id, source: `${id}.txt`, title: 'Testdokument', committee: 'Miljö- och klimatnämnden', committeeId: 'miljo-och-klimatnamnden', type: 'annat', status: 'förslag', contentHash: 'hash' };
}

function chunk(text: string, labels?: TemplateLabels): Chunk[] {
  return chunkDocument(meta('doc'), identityRepair(text), labels ? { labels } : {});
}

const records = (chunks: Chunk[]): Chunk[] => chunks.filter((entry) => entry.fields !== undefined);

describe('spaced-column tables', () => {
  const text = [
    '3 Mål och indikatorer',
    '',
    'Nämnden följer tre indikatorer för luften i staden.',
    '',
    'Indikator                                   Utfall 2023   Utfall 2024   Målvärde 2025',
    'Antal dygn över miljökvalitetsnormen        12            9             5',
    'Andel resor med kollektivtrafik, cykel',
    '  eller gång (%)                            61            63            66',
    'Utsläpp av kväveoxider, ton                 1 240,5       1 198         1 100',
    '',
    'Arbetet följs upp i tertialrapporterna.',
  ].join('\n');

  it('one record per row, cells by column header as written, text = cells joined by single spaces', () => {
    const rows = records(chunk(text));
    expect(rows.map((row) => row.kind)).toEqual(['tabellrad', 'tabellrad', 'tabellrad']);
    expect(rows[0].fields).toEqual({ Indikator: 'Antal dygn över miljökvalitetsnormen', 'Utfall 2023': '12', 'Utfall 2024': '9', 'Målvärde 2025': '5' });
    expect(rows[0].text).toBe('Antal dygn över miljökvalitetsnormen 12 9 5');
    // A row wrapped onto a continuation line keeps its first cell whole.
    expect(rows[1].fields).toEqual({ Indikator: 'Andel resor med kollektivtrafik, cykel eller gång (%)', 'Utfall 2023': '61', 'Utfall 2024': '63', 'Målvärde 2025': '66' });
    // A space as thousands separator stays inside the cell.
    expect(rows[2].fields?.['Utfall 2023']).toBe('1 240,5');
    expect(rows[2].fields?.['Utfall 2024']).toBe('1 198');
  });

  it('the header goes into the section path; prose around the table stays prose', () => {
    const chunks = chunk(text);
    const [row] = records(chunks);
    expect(row.section).toEqual(['3 Mål och indikatorer', 'Indikator · Utfall 2023 · Utfall 2024 · Målvärde 2025']);
    expect(row.context).toContain('Målvärde 2025');
    expect(chunks.filter((entry) => entry.kind === 'text').map((entry) => entry.text)).toEqual([
      'Nämnden följer tre indikatorer för luften i staden.',
      'Arbetet följs upp i tertialrapporterna.',
    ]);
  });

  it('an assignments table: rows are uppdrag with fields, wrapped text cells and origin from the giver column', () => {
    const chunks = chunk(
      [
        'Nr   Uppdrag                                           Uppdragsgivare    Återrapportering',
        '1    Miljö- och klimatnämnden får i uppdrag att         KF budget 2025    Årsrapport 2025',
        '     kartlägga buller vid skolor.',
        '2    Förvaltningsdirektören får i uppdrag att ta        Nämnden § 12      2025-09-30',
        '     fram en plan för laddplatser.',
        '',
        'Uppföljning sker i årsrapporten.',
      ].join('\n'),
    );
    const rows = records(chunks);
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => row.kind === 'uppdrag')).toBe(true);
    expect(rows[0].fields).toEqual({ Nr: '1', Uppdrag: 'Miljö- och klimatnämnden får i uppdrag att kartlägga buller vid skolor.', Uppdragsgivare: 'KF budget 2025', Återrapportering: 'Årsrapport 2025' });
    expect(rows[0].origin).toBe('budget');
    expect(rows[1].fields?.Uppdrag).toBe('Förvaltningsdirektören får i uppdrag att ta fram en plan för laddplatser.');
    expect(rows[1].origin).toBe('nämnd');
  });

  it('a table continued after a page header and a repeated header stays rows of the same columns', () => {
    const rows = records(
      chunk(
        [
          'Område        Budget 2025    Budget 2026',
          'Tillsyn       41 200         42 000',
          'Miljö- och klimatnämnden – Budget 2026    Sida 2 av 3',
          '',
          'Område        Budget 2025    Budget 2026',
          'Rådgivning    8 100          8 300',
          '',
          'Summan ökar med 1 000 tkr.',
        ].join('\n'),
      ),
    );
    expect(rows.map((row) => row.fields)).toEqual([
      { Område: 'Tillsyn', 'Budget 2025': '41 200', 'Budget 2026': '42 000' },
      { Område: 'Rådgivning', 'Budget 2025': '8 100', 'Budget 2026': '8 300' },
    ]);
  });

  it('justified prose with double spaces between words is not a table and loses nothing', () => {
    const prose = ['Nämnden  ska  arbeta för  renare luft i  hela staden och', 'minska  bullret vid  skolor  och förskolor under  året.', 'Arbetet  sker i  samverkan  med  stadsmiljönämnden.'].join('\n');
    const chunks = chunk(prose);
    expect(records(chunks)).toEqual([]);
    expect(chunks.map((entry) => entry.text).join(' ')).toBe(prose.replace(/\s+/g, ' '));
  });

  it('two spaced columns of words (letterheads, signatures) are not a table', () => {
    const chunks = chunk(['Ordförande                         Justerande', 'Eva Berg                           Per Holm', '', 'Utdragsbestyrkande'].join('\n'));
    expect(records(chunks)).toEqual([]);
    expect(chunks.map((entry) => entry.text).join(' ')).toContain('Eva Berg');
  });
});

describe('column-run uppdrag tables', () => {
  it('keep assignmentYear and handling and also name their three columns in fields, found by layout', () => {
    const chunks = chunk(
      [
        '2.1 Uppdrag',
        '',
        'Åtagande',
        'Start',
        '',
        'år',
        'Status',
        '',
        'Nämnden får i uppdrag att',
        'minska bullret.',
        '',
        '2024 Mätningar pågår.',
        '',
        '2.2 Uppföljning',
        '',
        'Nämnden följer upp arbetet varje tertial.',
      ].join('\n'),
    );
    const [row] = chunks.filter((entry) => entry.kind === 'uppdrag');
    expect(row).toMatchObject({ assignmentYear: 2024, handling: 'Mätningar pågår.', fields: { Åtagande: 'Nämnden får i uppdrag att minska bullret.', Startår: '2024', Status: 'Mätningar pågår.' } });
  });
});

describe('one-cell-per-line tables', () => {
  it('a header of N short lines and rows of N lines become rows; numbers, a negative change and the Summa row kept', () => {
    const chunks = chunk(
      [
        'Tabell 3. Kostnader per verksamhet, tkr',
        'Verksamhet',
        'Budget 2025',
        'Budget 2026',
        'Förändring',
        'Miljötillsyn',
        '61 300',
        '63 800',
        '2 500',
        'Klimatrådgivning',
        '9 900',
        '8 700',
        '-1 200',
        'Summa',
        '71 200',
        '72 500',
        '1 300',
        '',
        'Förändringen beror främst på nya tillsynsavgifter.',
      ].join('\n'),
    );
    const rows = records(chunks);
    expect(rows.map((row) => row.text)).toEqual(['Miljötillsyn 61 300 63 800 2 500', 'Klimatrådgivning 9 900 8 700 -1 200', 'Summa 71 200 72 500 1 300']);
    expect(rows[1].fields).toEqual({ Verksamhet: 'Klimatrådgivning', 'Budget 2025': '9 900', 'Budget 2026': '8 700', Förändring: '-1 200' });
    expect(rows.every((row) => row.kind === 'tabellrad')).toBe(true);
    // The caption right above the header names the table in the section path (with its unit).
    expect(rows[0].section).toEqual(['Tabell 3. Kostnader per verksamhet, tkr', 'Verksamhet · Budget 2025 · Budget 2026 · Förändring']);
    expect(chunks.some((entry) => entry.kind !== 'tabellrad' && entry.text.includes('Tabell 3'))).toBe(false);
  });

  it('a plain list of short lines without numbers is not a table', () => {
    const chunks = chunk(['Bilagor', 'Riskanalys', 'Tidplan', 'Kommunikationsplan', 'Budget', 'Remissvar'].join('\n'));
    expect(records(chunks)).toEqual([]);
  });
});

describe('numbers and short lines are content, never garbage', () => {
  it('isGarbageLine keeps numbers, paragraphs signs and phone numbers; drops page numbers and symbol soup', () => {
    for (const line of ['§ 47', '4 300', '249 800', '9,1', '-1 200', '12 %', 'Telefon: 031-365 00 00']) expect(isGarbageLine(line), line).toBe(false);
    for (const line of ['3', 'Sida 2 av 4', 'Miljö- och klimatnämnden – Budget 2026    Sida 2 av 3', '2 (3)', "r/'-_-\\", '&']) expect(isGarbageLine(line), line).toBe(true);
  });

  it('a "§ 47" line and a lone amount line stay in the text', () => {
    const text = chunk('Beslutet fattades enligt\n§ 47\n\nTotalt avsätts\n4 300\ntkr till projektet.\n').map((entry) => entry.text).join(' ');
    expect(text).toContain('§ 47');
    expect(text).toContain('4 300');
  });
});

describe('uppdrag as records in any template', () => {
  it('a protocol decision list: each "får/ges i uppdrag" item is one uppdrag, the other items stay a list', () => {
    const chunks = chunk(
      [
        'Miljö- och klimatnämndens beslut',
        '1. Rapporten godkänns.',
        '',
        '2. Miljöförvaltningen får i uppdrag att inventera förorenade områden.',
        'Uppdraget ska återrapporteras senast 2025-11-30.',
        '',
        '3. Stadsmiljönämnden ges i uppdrag att samråda med förvaltningen.',
      ].join('\n'),
    );
    const uppdrag = chunks.filter((entry) => entry.kind === 'uppdrag');
    expect(uppdrag.map((entry) => entry.text)).toEqual([
      '2. Miljöförvaltningen får i uppdrag att inventera förorenade områden. Uppdraget ska återrapporteras senast 2025-11-30.',
      '3. Stadsmiljönämnden ges i uppdrag att samråda med förvaltningen.',
    ]);
    expect(uppdrag[0].origin).toBe('nämnd');
    expect(uppdrag[1].origin).toBeUndefined();
    expect(chunks.find((entry) => entry.text.includes('Rapporten godkänns'))?.kind).toBe('lista');
  });

  it('"1)" items under an assignments heading without colon, with follow-up sentences; a later heading is not glued', () => {
    const chunks = chunk(
      [
        'Nämndens uppdrag till förvaltningen',
        '',
        '1) Förvaltningen ska ta fram en cykelplan.',
        'Planen ska redovisas för nämnden senast i maj 2026.',
        '',
        '2) Förvaltningen ska se över taxorna.',
        '',
        'Avslutade uppdrag',
        '',
        'Uppdraget om laddinfrastruktur är avslutat.',
      ].join('\n'),
    );
    const uppdrag = chunks.filter((entry) => entry.kind === 'uppdrag');
    expect(uppdrag.map((entry) => entry.text)).toEqual(['1) Förvaltningen ska ta fram en cykelplan. Planen ska redovisas för nämnden senast i maj 2026.', '2) Förvaltningen ska se över taxorna.']);
    expect(uppdrag.every((entry) => entry.origin === 'nämnd' && entry.section.join() === 'Nämndens uppdrag till förvaltningen')).toBe(true);
    const closed = chunks.find((entry) => entry.text.includes('laddinfrastruktur'));
    expect(closed?.kind).toBe('text');
    expect(closed?.section[closed.section.length - 1]).toBe('Avslutade uppdrag');
  });

  it('dash bullets under budget and committee sub-labels; a bullet list elsewhere stays a list', () => {
    const chunks = chunk(
      [
        'Inriktningar:',
        'Nämnden ska prioritera:',
        '- tillsyn av förskolor,',
        '- rådgivning till företag.',
        '',
        'Uppdrag:',
        'Från Göteborgs Stads budget:',
        '- Alla nämnder får i uppdrag att halvera matsvinnet.',
        'Från nämnden:',
        '- Förvaltningen ska utreda bullerskydd.',
      ].join('\n'),
    );
    expect(chunks.find((entry) => entry.text.includes('tillsyn av förskolor'))?.kind).toBe('lista');
    const uppdrag = chunks.filter((entry) => entry.kind === 'uppdrag');
    expect(uppdrag.map((entry) => [entry.text, entry.origin, entry.section.join(' › ')])).toEqual([
      ['Alla nämnder får i uppdrag att halvera matsvinnet.', 'budget', 'Uppdrag › Från Göteborgs Stads budget'],
      ['Förvaltningen ska utreda bullerskydd.', 'nämnd', 'Uppdrag › Från nämnden'],
    ]);
  });

  it('an assignment sentence in prose becomes its own uppdrag; the prose around it stays', () => {
    const chunks = chunk('Inriktningar:\nLuften ska bli renare. Kommunfullmäktige har gett nämnden i uppdrag att mäta partiklar vid alla skolor. Mätningarna redovisas årligen.\n');
    expect(chunks.map((entry) => [entry.kind, entry.text])).toEqual([
      ['inriktning', 'Luften ska bli renare.'],
      ['uppdrag', 'Kommunfullmäktige har gett nämnden i uppdrag att mäta partiklar vid alla skolor.'],
      ['inriktning', 'Mätningarna redovisas årligen.'],
    ]);
    expect(chunks[1].origin).toBe('budget');
  });
});

describe('assignment sentences and their origin', () => {
  it('recognises assignment phrasing, also OCR-damaged, and nothing else', () => {
    for (const text of [
      'Miljö- och klimatnämnden får i uppdrag att mäta buller.',
      'Idrotts- och föreningsnämnden fir i uppdrag att öppna hallar.',
      'Stadsmiljönämnden ges i uppdrag att samråda.',
      'att ge förvaltningsdirektören i uppdrag att ta fram en plan',
      'Kommunfullmäktige har gett nämnden i uppdrag att utreda frågan.',
      'Förvaltningen uppdras att redovisa kostnaderna.',
    ])
      expect(isAssignmentText(text), text).toBe(true);
    for (const text of [
      'Nämnden har i uppdrag att verka för ett rikt kulturliv.',
      'Socialnämndens redovisning av uppdraget att inrätta fler platser godkänns.',
      'Uppdragen kommer från Göteborgs Stads budget och från nämnden.',
      'Uppdraget om laddinfrastruktur är avslutat.',
    ])
      expect(isAssignmentText(text), text).toBe(false);
  });

  it('origin: the budget body named in the profile gives it, or the nämnd gives its own administration', () => {
    const bodies = budgetBodies(defaultProfile);
    expect(bodies).toEqual(expect.arrayContaining(['kommunfullmaktige', 'kf']));
    expect(assignmentOrigin('Kommunfullmäktige ger nämnden i uppdrag att mäta buller.', bodies)).toBe('budget');
    expect(assignmentOrigin('Nämnden får i uppdrag att mäta buller.', bodies, ['KF budget 2025', 'Årsrapport 2025'])).toBe('budget');
    expect(assignmentOrigin('Förvaltningsdirektören får i uppdrag att mäta buller.', bodies, ['Nämnden § 9'])).toBe('nämnd');
    // Reporting to KF does not make KF the giver; a nämnd assigning another nämnd is neither.
    expect(assignmentOrigin('Nämnden får i uppdrag att mäta buller och rapportera till kommunfullmäktige.', bodies)).toBeUndefined();
    // A profile of another city names its own budget body.
    const other = budgetBodies({ committees: [{ name: 'Stadsfullmäktige', formerNames: [], shortNames: ['SF'], englishNames: [], source: 'test' }], labels: { ...defaultProfile.labels, fromBudget: ['Från stadsfullmäktiges budget'] } });
    expect(assignmentOrigin('Stadsfullmäktige ger nämnden i uppdrag att mäta buller.', other)).toBe('budget');
    expect(assignmentOrigin('Kommunfullmäktige ger nämnden i uppdrag att mäta buller.', other)).toBeUndefined();
  });
});

describe('template labels come from the profile', () => {
  const labels: TemplateLabels = {
    source: 'fictional test template',
    goals: ['Målsättningar'],
    directions: ['Prioriteringar'],
    assignments: ['Åtaganden'],
    fromBudget: ['Från fullmäktige'],
    fromCommittee: ['Från styrelsen'],
  };
  const text = ['Målsättningar:', '1. Luften ska vara ren.', '', 'Prioriteringar:', 'Tillsynen prioriteras.', '', 'Åtaganden', 'Från fullmäktige:', '• Mäta partiklar vid skolor.', 'Frän styrelsen', '• Utreda bullerskydd.'].join('\n');

  it('a fictional profile: its headings (folded, damaged, with or without colon) give goals, directions and uppdrag', () => {
    const chunks = chunk(text, labels);
    expect(chunks.map((entry) => [entry.kind, entry.section.join(' › '), entry.origin])).toEqual([
      ['mål', 'Mål › 1. Luften ska vara ren', undefined],
      ['inriktning', 'Prioriteringar', undefined],
      ['uppdrag', 'Åtaganden › Från fullmäktige', 'budget'],
      ['uppdrag', 'Åtaganden › Från styrelsen', 'nämnd'],
    ]);
  });

  it('the default profile does not know those headings, and the fictional one does not know the default ones', () => {
    expect(chunk(text).some((entry) => entry.kind === 'mål' || entry.kind === 'inriktning')).toBe(false);
    const defaults = 'Mål:\n1. Luften ska vara ren.\n\nInriktningar:\nTillsynen prioriteras.\n';
    expect(chunk(defaults).map((entry) => entry.kind)).toEqual(['mål', 'inriktning']);
    expect(chunk(defaults, labels).some((entry) => entry.kind === 'mål' || entry.kind === 'inriktning')).toBe(false);
    expect(defaultProfile.labels.assignments.length).toBeGreaterThan(0);
  });
});

describe('part rows ("varav …")', () => {
  const text = [
    'Investeringar',
    '',
    'Område                                   Budget 2026   Budget 2027',
    'Cykelvägar                               48 000        52 000',
    'varav Skärgårdsleden                     12 500        9 000',
    'varav Älvstranden                        6 000         14 000',
    'Busshållplatser                          21 000        23 000',
  ].join('\n');

  it('a "varav" row names the row it is a part of in its section; other rows do not', () => {
    const rows = records(chunk(text));
    expect(rows.map((row) => row.fields?.['Område'])).toEqual(['Cykelvägar', 'varav Skärgårdsleden', 'varav Älvstranden', 'Busshållplatser']);
    const header = 'Område · Budget 2026 · Budget 2027';
    expect(rows[1].section.slice(-2)).toEqual(['Cykelvägar', header]);
    expect(rows[2].section.slice(-2)).toEqual(['Cykelvägar', header]);
    expect(rows[1].fields?.['Budget 2026']).toBe('12 500');
    for (const row of [rows[0], rows[3]]) {
      expect(row.section.at(-1)).toBe(header);
      expect(row.section).not.toContain('Cykelvägar');
    }
  });
});
