import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createVocabularyLexicon, extractVocabulary } from '../src/core/vocabulary-lexicon.ts';

const corpus = (name: string) => readFile(new URL(`../data/corpus/${name}`, import.meta.url), 'utf8');

describe('createVocabularyLexicon', () => {
  it('knows the words it was given, case-insensitively, and nothing else', () => {
    const lexicon = createVocabularyLexicon(['Förvaltningen', 'nämnden', 'budget']);
    expect(lexicon.isWord('förvaltningen')).toBe(true);
    expect(lexicon.isWord('FÖRVALTNINGEN')).toBe(true);
    expect(lexicon.isWord('Nämnden')).toBe(true);
    expect(lexicon.isWord('forvaltningen')).toBe(false);
    expect(lexicon.isWord('namnden')).toBe(false);
    expect(lexicon.isWord('')).toBe(false);
    expect(lexicon.size).toBe(3);
  });

  it('compares NFC-normalised words, so a decomposed ä matches a composed one', () => {
    const lexicon = createVocabularyLexicon(['nämnden']);
    expect(lexicon.isWord('na\u0308mnden')).toBe(true);
  });

  it('drops stray single letters, digits and punctuation from the vocabulary', () => {
    const lexicon = createVocabularyLexicon(['a', 'r', 'i', 'å', '2025', 'x1', '...']);
    expect(lexicon.isWord('a')).toBe(false);
    expect(lexicon.isWord('r')).toBe(false);
    expect(lexicon.isWord('i')).toBe(true);
    expect(lexicon.isWord('å')).toBe(true);
    expect(lexicon.isWord('2025')).toBe(false);
    expect(lexicon.size).toBe(2);
  });

  it('accepts compounds of known parts, with a linking s, but not with too-short parts', () => {
    const lexicon = createVocabularyLexicon(['familjehem', 'placering', 'stöd', 'barn', 'och', 'unga', 'en', 'het']);
    expect(lexicon.isWord('familjehemsplacering')).toBe(true);
    expect(lexicon.isWord('familjehemplacering')).toBe(true);
    expect(lexicon.isWord('barnstöd')).toBe(true);
    // Three parts are allowed, four are not.
    expect(lexicon.isWord('barnstödsplacering')).toBe(true);
    expect(lexicon.isWord('barnstödsplaceringfamiljehem')).toBe(false);
    // "en" is shorter than a compound part may be.
    expect(lexicon.isWord('barnen')).toBe(false);
    // The linking s must be followed by a known part.
    expect(lexicon.isWord('familjehemsx')).toBe(false);
  });

  it('accepts hyphenated words when every part is known', () => {
    const lexicon = createVocabularyLexicon(['nämnd', 'styrelse']);
    expect(lexicon.isWord('nämnd-styrelse')).toBe(true);
    expect(lexicon.isWord('nämnd-')).toBe(false);
    expect(lexicon.isWord('nämnd-xyz')).toBe(false);
  });

  it('built from clean corpus text, tells the right diacritic variant from the wrong ones', async () => {
    const vocabulary = extractVocabulary([await corpus('001_685a6afae0d19dc8.txt'), await corpus('002_a78cf953a858aaff.txt')]);
    const lexicon = createVocabularyLexicon(vocabulary);
    // The candidates a split-diacritic repair of "fo rvaltningen" / "na mnden" / "a terrapporteringen" weighs.
    expect(lexicon.isWord('förvaltningen')).toBe(true);
    expect(lexicon.isWord('forvaltningen')).toBe(false);
    expect(lexicon.isWord('fårvaltningen')).toBe(false);
    expect(lexicon.isWord('färvaltningen')).toBe(false);
    expect(lexicon.isWord('nämnden')).toBe(true);
    expect(lexicon.isWord('namnden')).toBe(false);
    expect(lexicon.isWord('nåmnden')).toBe(false);
    expect(lexicon.isWord('rvaltningen')).toBe(false);
    expect(lexicon.isWord('mnden')).toBe(false);
    // Compounds of corpus words that the corpus itself never spells out.
    expect(lexicon.isWord('familjehemsstöd')).toBe(true);
  });
});

describe('extractVocabulary', () => {
  it('returns the distinct normalised words, sorted, without numbers, punctuation or stray letters', () => {
    const vocabulary = extractVocabulary(['Nämnden ska, 2025, öka andelen familjehem.', 'nämnden a r e-tjänster']);
    expect(vocabulary).toEqual(['andelen', 'familjehem', 'nämnden', 'ska', 'tjänster', 'öka']);
  });

  it('is deterministic regardless of input order', () => {
    expect(extractVocabulary(['b a c', 'ab'])).toEqual(extractVocabulary(['ab', 'c b a']));
  });
});
