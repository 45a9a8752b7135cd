/**
 * A second, fictional city ("Exempelstad") run through the committee registry, the metadata reader and the
 * gazetteer: proof that the core needs no Göteborg committee in code. The last test greps `src/core` for the
 * committee names of `data/profile.sv.json`.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCommitteeRegistry } from '../src/core/committees.ts';
import { readMetadata } from '../src/core/metadata.ts';
import { defaultProfile, parseProfile, placeWordsOf } from '../src/core/profile.ts';
import { termGroupsOf } from '../src/core/answer/evidence.ts';
import { foldSwedish } from '../src/core/swedish/fold.ts';
import { createGazetteer } from '../src/core/query/gazetteer.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'metadata');
const exempelstad = parseProfile(JSON.parse(readFileSync(join(FIXTURES, 'profile.exempelstad.json'), 'utf8')), 'profile.exempelstad.json');
const read = (file: string) => readMetadata({ source: file, text: readFileSync(join(FIXTURES, file), 'utf8'), contentHash: 'h' }, { profile: exempelstad });

describe('Exempelstad: metadata', () => {
  it('a decided plan of a district committee: owner, decision, date, year, adopted parties', () => {
    const meta = read('exempelstad-plan.txt');
    expect(meta).toMatchObject({
      committee: 'Fritidsnämnden Norr',
      committeeId: 'fritidsnamnden-norr',
      type: 'genomförandeplan',
      status: 'beslutad',
      year: 2028,
      date: '2027-11-30',
      diarienummer: 'FNN-2027-00102',
      decision: { date: '2027-11-30', paragraph: '55' },
      parties: ['S', 'C'],
      title: 'Genomförandeplan 2028 för fritidsnämnden Norr',
    });
  });

  it('a tjänsteutlåtande: the förvaltning in the header and "I X" name the committee; subject line as title', () => {
    const meta = read('exempelstad-tjansteutlatande.txt');
    expect(meta).toMatchObject({
      committee: 'Tekniska nämnden',
      committeeId: 'tekniska-namnden',
      type: 'tjänsteutlåtande',
      status: 'förslag',
      date: '2027-03-01',
      diarienummer: 'TN-2027-00044',
      title: 'Vinterväghållning 2027–2028',
      // No plan or budget year: the year of its own date.
      year: 2027,
      signatories: ['Sara Lund, förvaltningschef', 'Ali Karimi, avdelningschef'],
    });
  });

  it('with the Göteborg profile the same plan still gets its committee, learned from the text', () => {
    const text = readFileSync(join(FIXTURES, 'exempelstad-plan.txt'), 'utf8');
    const meta = readMetadata({ source: 'p.txt', text, contentHash: 'h' }, { profile: defaultProfile });
    expect(meta.committee).toBe('Fritidsnämnden Norr');
  });
});

describe('Exempelstad: gazetteer', () => {
  const gazetteer = createGazetteer([{ committee: 'Fritidsnämnden Norr', committeeId: 'fritidsnamnden-norr' }], { profile: exempelstad });

  it.each([
    ['Vilka uppdrag har fritidsnämnden Norr?', 'fritidsnamnden-norr'],
    ['Vad gör FN Söder för unga?', 'fritidsnamnden-soder'],
    ['Vad säger fritidsförvaltningen i Norr om fritidsgårdar?', 'fritidsnamnden-norr'],
    ['Hur arbetar Norrs fritidsnämnd med spontanidrott?', 'fritidsnamnden-norr'],
    ['What does the Söder leisure committee plan?', 'fritidsnamnden-soder'],
    ['Vad gör gatu- och parknämnden med elljusspåren?', 'tekniska-namnden'],
    ['Vad gör förvaltningen för lärande och arbete?', 'namnden-for-larande-och-arbete'],
    ['Vad gör man i Söder?', 'fritidsnamnden-soder'],
  ])('%s → %s', (question, id) => {
    expect(gazetteer.detect(question).map((mention) => mention.id)).toEqual([id]);
  });

  it('tells indexed, known-without-documents and unknown committees apart', () => {
    expect(gazetteer.status('fritidsnämnden Norr')).toMatchObject({ kind: 'indexed', id: 'fritidsnamnden-norr' });
    expect(gazetteer.status('Tekniska nämnden')).toMatchObject({ kind: 'known', id: 'tekniska-namnden', name: 'Tekniska nämnden' });
    expect(gazetteer.status('Socialnämnden Centrum')).toMatchObject({ kind: 'unknown' });
    expect(gazetteer.unknownMentions('Vad gör Kulturnämnden och tekniska nämnden?').map((mention) => mention.name)).toEqual(['Kulturnämnden']);
  });

  it('knows no Göteborg committee', () => {
    expect(gazetteer.detect('Vad gör socialnämnden Centrum och SN Nordost?')).toEqual([]);
    expect(createCommitteeRegistry(exempelstad).resolve('Socialnämnden Centrum')).toBeUndefined();
  });
});

/** Göteborg committee names (current and former) that are not common to every municipality. */
function goteborgNames(): string[] {
  const shared = new Set(exempelstad.committees.map((committee) => committee.name.toLowerCase()));
  return defaultProfile.committees
    .filter((committee) => !shared.has(committee.name.toLowerCase()))
    .flatMap((committee) => [committee.name, ...committee.formerNames]);
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Code without comments (names in JSDoc examples are documentation, not behaviour). */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/**
 * Files of other layers that still name Göteborg committees in prompts or help texts (to move into the profile);
 * every other file of the core must be free of them, and an entry here that became clean must be removed.
 */
const PENDING: string[] = [];

describe('no Göteborg committee in code', () => {
  const root = join(import.meta.dirname, '..');
  const names = goteborgNames().map((name) => name.toLowerCase());
  const offenders = sourceFiles(join(root, 'src', 'core'))
    .map((path) => ({ path: path.slice(root.length + 1), code: withoutComments(readFileSync(path, 'utf8')).toLowerCase() }))
    .map(({ path, code }) => ({ path, names: names.filter((name) => code.includes(name)) }))
    .filter((file) => file.names.length > 0);

  it('the profile names committees to look for', () => {
    expect(names.length).toBeGreaterThanOrEqual(5);
  });

  it('src/core names no Göteborg committee outside the pending files', () => {
    expect(offenders.filter((file) => !PENDING.includes(file.path))).toEqual([]);
  });

  it('every pending file still needs its entry', () => {
    for (const path of PENDING) expect(offenders.map((file) => file.path)).toContain(path);
  });
});

/**
 * Files that still name Göteborg districts or the city in code (to derive from the profile instead). The repair
 * lexicon's word-frequency table (frequent-words.ts) is language data, where the city's name is a frequent word.
 */
const PENDING_PLACES: string[] = ['src/core/swedish/frequent-words.ts'];

describe('no Göteborg district or city name in code', () => {
  const root = join(import.meta.dirname, '..');
  const places = placeWordsOf(defaultProfile)
    .filter((word) => word.length >= 6)
    .flatMap((word) => [word.toLowerCase(), foldSwedish(word)]);
  const offenders = sourceFiles(join(root, 'src', 'core'))
    .map((path) => ({ path: path.slice(root.length + 1), code: withoutComments(readFileSync(path, 'utf8')).toLowerCase() }))
    .map(({ path, code }) => ({ path, words: places.filter((word) => new RegExp(`\\b${word}\\b`).test(code)) }))
    .filter((file) => file.words.length > 0);

  it('the profile names districts and the organisation', () => {
    expect(places).toEqual(expect.arrayContaining(['nordost', 'goteborgs']));
  });

  it('src/core names none outside the pending files', () => {
    expect(offenders.filter((file) => !PENDING_PLACES.includes(file.path))).toEqual([]);
  });

  it('every pending file still needs its entry', () => {
    for (const path of PENDING_PLACES) expect(offenders.map((file) => file.path)).toContain(path);
  });

  it("another profile's districts and organisation are not topic words of a question", () => {
    const words = placeWordsOf(exempelstad);
    expect(words).toEqual(expect.arrayContaining(['Norr', 'Söder']));
    const terms = termGroupsOf('Vilka uppdrag om lekplatser har fritidsnämnden i Söder?', [], [], { placeWords: words }).map((group) => group.term);
    expect(terms).toContain('lekplatser');
    expect(terms).not.toContain('soder');
  });
});

describe('synonyms are profile data', () => {
  it('the default profile carries its synonym groups with a source; a profile without them gets none', () => {
    expect(defaultProfile.synonyms.source.length).toBeGreaterThan(10);
    expect(defaultProfile.synonyms.groups.length).toBeGreaterThan(10);
    expect(exempelstad.synonyms.groups).toEqual([]);
  });

  it('a group of one term is a validation error naming the place', () => {
    const data = JSON.parse(readFileSync(join(FIXTURES, 'profile.exempelstad.json'), 'utf8'));
    expect(() => parseProfile({ ...data, synonyms: { source: 'test', groups: [['lekplats']] } }, 'bad.json')).toThrow(/bad\.json.*synonyms/s);
  });
});
