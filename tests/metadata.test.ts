import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHunspellLexicon } from '../src/adapters/hunspell-lexicon.ts';
import { UNKNOWN_COMMITTEE, documentIdFor, extractMetadata, metadataWarnings, readMetadata } from '../src/core/metadata.ts';
import { repairDocument } from '../src/core/swedish/repair.ts';
import { AppError, type DocumentMeta, type Lexicon } from '../src/core/types.ts';

const CORPUS = join(import.meta.dirname, '..', 'data', 'corpus');
const FILES = [
  '000_2e06263a4aea9303.txt',
  '001_685a6afae0d19dc8.txt',
  '002_a78cf953a858aaff.txt',
  '003_17685376f62255a5.txt',
  '004_6b9fbc6b6a484550.txt',
];

const EXPECTED: Array<Partial<DocumentMeta> & { absent: Array<keyof DocumentMeta> }> = [
  {
    id: '000_2e06263a4aea9303',
    title: 'Genomförandeplan 2025 för nämnden för demokrati och medborgarservice',
    committee: 'Nämnden för demokrati och medborgarservice',
    committeeId: 'namnden-for-demokrati-och-medborgarservice',
    type: 'genomförandeplan',
    // No decision, party or yrkande marker in the text: an unconfirmed plan is never presented as adopted.
    status: 'förslag',
    year: 2025,
    absent: ['date', 'parties'],
  },
  {
    id: '001_685a6afae0d19dc8',
    title: 'Yrkande ang. genomförandeplan 2025 – socialnämnden Nordost',
    committee: 'Socialnämnden Nordost',
    committeeId: 'socialnamnden-nordost',
    type: 'yrkande',
    status: 'yrkande',
    year: 2025,
    date: '2024-11-18',
    parties: ['V', 'S', 'MP'],
    absent: [],
  },
  {
    id: '002_a78cf953a858aaff',
    title: 'Nämndens verksamhetsplan 2024 – socialnämnden Centrum',
    committee: 'Socialnämnden Centrum',
    committeeId: 'socialnamnden-centrum',
    type: 'verksamhetsplan',
    status: 'beslutad',
    year: 2024,
    absent: ['date', 'parties'],
  },
  {
    id: '003_17685376f62255a5',
    title: 'Konsument- och medborgarservice – presentation',
    committee: 'Nämnden för konsument- och medborgarservice',
    committeeId: 'namnden-for-demokrati-och-medborgarservice',
    type: 'presentation',
    status: 'information',
    absent: ['date', 'parties', 'year'],
  },
  {
    id: '004_6b9fbc6b6a484550',
    title: 'Genomförandeplan 2025 för socialnämnden Centrum',
    committee: 'Socialnämnden Centrum',
    committeeId: 'socialnamnden-centrum',
    type: 'genomförandeplan',
    status: 'yrkande',
    year: 2025,
    parties: ['V', 'S', 'MP'],
    absent: ['date'],
  },
];

let lexicon: Lexicon;
const raw = new Map<string, string>();

beforeAll(async () => {
  lexicon = await createHunspellLexicon();
  for (const file of FILES) raw.set(file, readFileSync(join(CORPUS, file), 'utf8'));
}, 60_000);

describe('extractMetadata on the sample corpus', () => {
  FILES.forEach((file, index) => {
    const { absent, ...expected } = EXPECTED[index];
    it(`${file} (repaired text)`, () => {
      const text = repairDocument(raw.get(file) ?? '', lexicon).text;
      const meta = extractMetadata({ source: file, text, contentHash: 'abc' });
      expect(meta).toMatchObject({ ...expected, source: file, contentHash: 'abc' });
      for (const key of absent) expect(meta[key], key).toBeUndefined();
    });
    it(`${file} (unrepaired text gives the same reading)`, () => {
      const meta = extractMetadata({ source: file, text: raw.get(file) ?? '', contentHash: 'abc' });
      expect(meta).toMatchObject(expected);
    });
  });
});

describe('extractMetadata: general rules', () => {
  it('reads "Genomförandeplan för budget för X" for a committee outside the gazetteer', () => {
    const meta = extractMetadata({
      source: 'kultur/plan.txt',
      text: 'Genomförandeplan för budget för Kulturnämnden\n\nPlanen utgår från Göteborgs Stads budget för 2026 som är beslutad av kommunfullmäktige.\n\nMål:\n1. Staden ska vara trygg.\n',
      contentHash: 'h',
    });
    expect(meta).toMatchObject({
      id: 'kultur__plan',
      committee: 'Kulturnämnden',
      committeeId: 'kulturnamnden',
      type: 'genomförandeplan',
      status: 'förslag',
      year: 2026,
      title: 'Genomförandeplan 2026 för kulturnämnden',
    });
    expect(meta.parties).toBeUndefined();
  });

  it('reads "X beslutat om budget 20NN" in a verksamhetsplan', () => {
    const meta = extractMetadata({
      source: 'vp.txt',
      text: '1 Inledning\nMed utgångspunkt i kommunfullmäktiges budget har socialnämnden Hisingen beslutat om budget 2023.\nNämnden beslutar om verksamhetsplanen i februari 2023.\nNämndens verksamhetsplan innehåller tre avsnitt.\n',
      contentHash: 'h',
    });
    expect(meta).toMatchObject({
      committee: 'Socialnämnden Hisingen',
      committeeId: 'socialnamnden-hisingen',
      type: 'verksamhetsplan',
      status: 'beslutad',
      year: 2023,
      title: 'Nämndens verksamhetsplan 2023 – socialnämnden Hisingen',
    });
  });

  it('reads a yrkande with parties in canonical order, ignoring a party merely mentioned in prose', () => {
    const meta = extractMetadata({
      source: 'y.txt',
      text: 'Yrkande ang budget 2026\n\nModeraterna, Liberalerna\n\nDatum: 3 mars 2025\n\nGenomförandeplan för socialnämnden Sydväst antas. Vi noterar att Vänsterpartiet har ett annat förslag om budget 2026.\n',
      contentHash: 'h',
    });
    expect(meta).toMatchObject({
      type: 'yrkande',
      status: 'yrkande',
      parties: ['L', 'M'],
      date: '2025-03-03',
      committee: 'Socialnämnden Sydväst',
      year: 2026,
      title: 'Yrkande ang. budget 2026 – socialnämnden Sydväst',
    });
  });

  it('ignores an impossible date and falls back to "annat" with an unknown committee', () => {
    const meta = extractMetadata({ source: 'x.txt', text: 'Minnesanteckningar från mötet\n2024-02-30\nVi diskuterade läget.\n', contentHash: 'h' });
    expect(meta.date).toBeUndefined();
    expect(meta).toMatchObject({ type: 'annat', committee: UNKNOWN_COMMITTEE, title: 'Minnesanteckningar från mötet', status: 'förslag' });
  });

  it('rejects an empty source with a clear bad_request error', () => {
    expect(() => extractMetadata({ source: ' ', text: 'x', contentHash: 'h' })).toThrow(AppError);
    try {
      extractMetadata({ source: '', text: 'x', contentHash: 'h' });
    } catch (error) {
      expect((error as AppError).code).toBe('bad_request');
      expect((error as AppError).message).toMatch(/source/);
    }
  });
});

describe('extractMetadata: override precedence', () => {
  const input = () => ({ source: FILES[4], text: raw.get(FILES[4]) ?? '', contentHash: 'hash-4' });

  it('override values win and the title is rebuilt from them', () => {
    const meta = extractMetadata({ ...input(), override: { committee: 'Socialnämnden Hisingen', year: 2026, status: 'beslutad', parties: ['S'] } });
    expect(meta).toMatchObject({
      committee: 'Socialnämnden Hisingen',
      committeeId: 'socialnamnden-hisingen',
      year: 2026,
      status: 'beslutad',
      parties: ['S'],
      type: 'genomförandeplan',
      title: 'Genomförandeplan 2026 för socialnämnden Hisingen',
    });
  });

  it('an override title and committeeId are kept as given', () => {
    const meta = extractMetadata({ ...input(), override: { title: 'Min titel', committeeId: 'egen-nyckel', type: 'annat', date: '2025-01-02' } });
    expect(meta).toMatchObject({ title: 'Min titel', committeeId: 'egen-nyckel', committee: 'Socialnämnden Centrum', type: 'annat', date: '2025-01-02' });
  });

  it('undefined override values do not erase what was read; id, source and contentHash come from the input', () => {
    const meta = extractMetadata({
      ...input(),
      override: { year: undefined, committee: undefined, id: 'hijack', source: 'other.txt', contentHash: 'x' },
    });
    expect(meta).toMatchObject({ id: '004_6b9fbc6b6a484550', source: FILES[4], contentHash: 'hash-4', year: 2025, committee: 'Socialnämnden Centrum' });
  });
});

describe('documentIdFor', () => {
  it('uses the file name without extension and slugs nested paths', () => {
    expect(documentIdFor('004_6b9fbc6b6a484550.txt')).toBe('004_6b9fbc6b6a484550');
    expect(documentIdFor('sub/dir/plan 2025.pdf')).toBe('sub__dir__plan-2025');
    expect(documentIdFor('./a\\b.txt')).toBe('a__b');
    expect(documentIdFor('noext')).toBe('noext');
  });
});

const FIXTURES = join(import.meta.dirname, 'fixtures', 'metadata');
const fixture = (file: string) => readFileSync(join(FIXTURES, file), 'utf8');
const readFixture = (file: string) => readMetadata({ source: file, text: fixture(file), contentHash: 'h' });

describe('readMetadata on fictional documents of other nämnder, years and layouts', () => {
  it('a protocol: committee from its header, date from Sammanträdesdatum, decision over all paragraphs, ordförande and justerare', () => {
    const meta = readFixture('protokoll-idrott.txt');
    expect(meta).toMatchObject({
      committee: 'Idrotts- och föreningsnämnden',
      committeeId: 'idrotts-och-foreningsnamnden',
      type: 'protokoll',
      status: 'beslutad',
      date: '2024-09-24',
      // The meeting year, not the "budget 2027" that merely appears in a decision.
      year: 2024,
      diarienummer: 'IOF-2024-00233',
      decision: { body: 'Idrotts- och föreningsnämnden', date: '2024-09-24', paragraph: '41–42' },
      title: 'Protokoll, Idrotts- och föreningsnämnden 2024-09-24, § 41–42',
    });
    expect(meta.signatories).toEqual(expect.arrayContaining(['Maja Lind, ordförande', 'Olof Ek, justerande']));
    // Stadsmiljönämnden is mentioned (and given uppdrag) but does not own the protocol.
    expect(meta.committee).not.toMatch(/stadsmilj/i);
    expect(meta.parties).toBeUndefined();
  });

  it('a protocol whose first line names the meeting, the nämnd and the date', () => {
    const meta = readFixture('protokoll-en-rad.txt');
    expect(meta).toMatchObject({
      committee: 'Miljö- och klimatnämnden',
      type: 'protokoll',
      status: 'beslutad',
      date: '2024-05-14',
      year: 2024,
      decision: { paragraph: '12–13' },
      title: 'Protokoll, Miljö- och klimatnämnden 2024-05-14, § 12–13',
      signatories: ['Kim Berg, ordförande', 'Lo Sand, justerande'],
    });
  });

  it('a tjänsteutlåtande: subject line as title, the nämnd of "I X", utfärdat date, signatories with titles', () => {
    const meta = readFixture('tjansteutlatande-miljo.txt');
    expect(meta).toMatchObject({
      title: 'Budget 2024 för miljö- och klimatnämnden',
      committee: 'Miljö- och klimatnämnden',
      type: 'tjänsteutlåtande',
      status: 'förslag',
      year: 2024,
      date: '2023-10-05',
      diarienummer: 'MK-2023-01187',
      signatories: ['Eva Holm, förvaltningsdirektör', 'Jonas Ek, ekonomichef'],
    });
    expect(meta.decision).toBeUndefined();
  });

  it('a decided plan: "Beslutad i X YYYY-MM-DD, § N" gives status, decision and date; parties are those adopted, not the reserving ones', () => {
    const meta = readFixture('beslutad-plan-arbetsmarknad.txt');
    expect(meta).toMatchObject({
      committee: 'Nämnden för arbetsmarknad och vuxenutbildning',
      committeeId: 'namnden-for-arbetsmarknad-och-vuxenutbildning',
      type: 'verksamhetsplan',
      status: 'beslutad',
      year: 2027,
      date: '2026-12-15',
      decision: { date: '2026-12-15', paragraph: '201' },
      diarienummer: 'AVU-2026-00511',
      parties: ['L', 'M'],
    });
  });

  it('a yrkande: its own date, the proposing parties from the party line, the nämnd it is addressed to', () => {
    const meta = readFixture('yrkande-stadsmiljo.txt');
    expect(meta).toMatchObject({
      committee: 'Stadsmiljönämnden',
      type: 'yrkande',
      status: 'yrkande',
      year: 2026,
      date: '2025-05-06',
      parties: ['V', 'MP'],
      title: 'Yrkande ang. genomförandeplan 2026 – stadsmiljönämnden',
    });
  });

  it('an HTML-ish header ("A | B | C"), a written decision date, "Dnr:" and a doubled name in the body', () => {
    const meta = readFixture('html-header-omsorg.txt');
    expect(meta).toMatchObject({
      committee: 'Omsorgsnämnden',
      type: 'verksamhetsplan',
      status: 'beslutad',
      year: 2026,
      date: '2026-02-12',
      diarienummer: 'ON-2026/0031',
      decision: { paragraph: '14', date: '2026-02-12' },
    });
  });

  it('the profile passed as an option decides what is known; the default profile keeps today\'s call sites working', () => {
    const text = fixture('yrkande-stadsmiljo.txt');
    expect(extractMetadata({ source: 'y.txt', text, contentHash: 'h' })).toEqual(readMetadata({ source: 'y.txt', text, contentHash: 'h' }));
  });
});

describe('metadataWarnings', () => {
  it('reports an unrecognised committee, a missing year and date and an unknown type', () => {
    const text = 'Minnesanteckningar från mötet\nVi diskuterade läget.\n';
    const meta = readMetadata({ source: 'x.txt', text, contentHash: 'h' });
    expect(metadataWarnings(meta, text)).toEqual(expect.arrayContaining(['committee not recognised', 'no year', 'no date', 'type unknown']));
  });

  it('reports a committee learned from the text that the profile does not list, and nothing else for a complete protocol', () => {
    const text = fixture('protokoll-idrott.txt').replaceAll('Idrotts- och föreningsnämnd', 'Ridsportnämnd');
    const meta = readMetadata({ source: 'p.txt', text, contentHash: 'h' });
    expect(meta.committee).toBe('Ridsportnämnden');
    expect(metadataWarnings(meta, text)).toEqual(['committee not in the profile: Ridsportnämnden']);
  });
});

describe('readMetadata on the evaluation documents (eval/corpus-dev2, repaired)', () => {
  const DEV2 = join(import.meta.dirname, '..', 'eval', 'corpus-dev2');
  const read = (prefix: string) => {
    const file = readdirSync(DEV2).find((name) => name.startsWith(prefix)) ?? '';
    return readMetadata({ source: file, text: repairDocument(readFileSync(join(DEV2, file), 'utf8'), lexicon).text, contentHash: 'h' });
  };

  it('201: a yrkande of socialnämnden Sydväst with its date and parties', () => {
    expect(read('201')).toMatchObject({ committee: 'Socialnämnden Sydväst', type: 'yrkande', status: 'yrkande', year: 2025, date: '2024-11-19', parties: ['C', 'L', 'KD', 'M'] });
  });

  it('202: a decided plan: beslutad, decision line, adopted parties only', () => {
    expect(read('202')).toMatchObject({
      committee: 'Socialnämnden Nordost',
      type: 'genomförandeplan',
      status: 'beslutad',
      year: 2026,
      date: '2025-12-16',
      decision: { date: '2025-12-16', paragraph: '312' },
      diarienummer: 'SNNO-2025-00914',
      parties: ['V', 'S', 'MP'],
    });
  });

  it('203: förskolenämnden\'s verksamhetsplan', () => {
    expect(read('203')).toMatchObject({ committee: 'Förskolenämnden', type: 'verksamhetsplan', status: 'beslutad', year: 2025, date: '2025-01-21' });
  });

  it('204: kulturförvaltningen\'s tjänsteutlåtande about kulturnämnden\'s budget', () => {
    expect(read('204')).toMatchObject({
      committee: 'Kulturnämnden',
      type: 'tjänsteutlåtande',
      status: 'förslag',
      year: 2025,
      date: '2024-12-02',
      title: 'Budget 2025 för kulturnämnden',
      signatories: ['Karin Ahlström, förvaltningsdirektör', 'Mikael Berntsson, ekonomichef'],
    });
  });

  it('205: kommunstyrelsen\'s protocol of 2025-03-12', () => {
    const meta = read('205');
    expect(meta).toMatchObject({ committee: 'Kommunstyrelsen', type: 'protokoll', status: 'beslutad', year: 2025, date: '2025-03-12', decision: { paragraph: '187–188' } });
    expect(meta.title).toMatch(/^Protokollsutdrag, Kommunstyrelsen 2025-03-12, § 187–188$/);
  });
});
