import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHunspellLexicon } from '../src/adapters/hunspell-lexicon.ts';
import { UNKNOWN_COMMITTEE, documentIdFor, extractMetadata } from '../src/core/metadata.ts';
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
