/**
 * The Swedish analyzer on text of its own (a park and nature committee's plan, not the sample corpus): words and
 * offsets, normalisation inside words, stems shared by inflections, stop words, diacritic-less input, sentences.
 */
import { describe, expect, it } from 'vitest';
import { foldedWords, indexTerms, isStopWord, ngramTerms, searchTerms, sentences, stem, words } from '../src/core/swedish/analyzer.ts';
import { foldSwedish } from '../src/core/swedish/fold.ts';

const PLAN = `Park- och naturnämnden får i uppdrag att rusta upp lekplatserna i Bergsjön, t.ex. med 3,5 mnkr.
Nämnden ska anlägga fler ängsmarker och plantera träd längs cykelbanorna; skötseln av naturreservaten ska förbättras.`;

const stemOf = (word: string) => stem(foldSwedish(word));

describe('words', () => {
  it('gives every word with offsets into the text, keeping numbers and abbreviations whole', () => {
    const found = words(PLAN);
    for (const word of found) expect(PLAN.slice(word.start, word.end)).toBe(word.surface);
    const lower = found.map((word) => word.lower);
    expect(lower.slice(0, 6)).toEqual(['park', 'och', 'naturnämnden', 'får', 'i', 'uppdrag']);
    expect(lower).toContain('t.ex');
    expect(lower).toContain('3,5');
    expect(lower).toContain('cykelbanorna');
    expect(found.find((word) => word.lower === 'ängsmarker')?.folded).toBe('angsmarker');
    expect(lower.some((word) => /[;.,]$/.test(word))).toBe(false);
  });

  it('normalises inside a word: ligatures expand, soft hyphens and zero-width characters go, marks compose', () => {
    const text = 'Fiskevårdsplanen: ﬁskevård i Delsjöarna, natur\u00ADreservatet och a\u0308ngarna vid Ka\u030arholmen\u200B.';
    const lower = words(text).map((word) => word.lower);
    expect(lower).toContain('fiskevård');
    expect(lower).toContain('naturreservatet');
    expect(lower).toContain('ängarna');
    expect(lower).toContain('kårholmen');
    expect(lower.join(' ')).not.toMatch(/[\u00AD\u200B\uFB01\u0308\u030A]/);
    // The surface keeps what the text says, so offsets still point at it.
    const reserve = words(text).find((word) => word.lower === 'naturreservatet')!;
    expect(text.slice(reserve.start, reserve.end)).toBe('natur\u00ADreservatet');
  });

  it('splits at hyphens, slashes and dashes like the segmenter, and its fast path agrees with the segmenter', () => {
    expect(foldedWords('park-/naturförvaltningen 2024–2026')).toEqual(['park', 'naturforvaltningen', '2024', '2026']);
    const segmenter = new Intl.Segmenter('sv', { granularity: 'word' });
    const text = `${PLAN} Beslut § 47, dnr PN-2025/00123: Trädgårdsföreningen får 1 200 000 kr (ca 12 %).`;
    const expected = [...segmenter.segment(text)].filter((segment) => segment.isWordLike).map((segment) => [segment.index, segment.segment]);
    expect(words(text).map((word) => [word.start, word.surface])).toEqual(expected);
  });
});

describe('stems', () => {
  it('gives the inflections of a word one stem', () => {
    const groups = [
      ['lekplats', 'lekplatsen', 'lekplatser', 'lekplatserna', 'lekplatsens'],
      ['skötselplan', 'skötselplanen', 'skötselplaner', 'skötselplanerna', 'skötselplanens'],
      ['cykelbana', 'cykelbanor', 'cykelbanorna'],
      ['ängsmark', 'ängsmarker', 'ängsmarkerna'],
      ['nämnd', 'nämnden', 'nämnder', 'nämnderna', 'nämndens'],
      ['skogsbryn', 'skogsbrynen'],
      ['trädplantering', 'trädplanteringen', 'trädplanteringar'],
      ['kulturstig', 'kulturstigar', 'kulturstigarna'],
      ['program', 'programmen'],
    ];
    for (const group of groups) expect(new Set(group.map(stemOf)), group.join(', ')).toHaveProperty('size', 1);
    // Different words stay apart.
    expect(stemOf('parken')).not.toBe(stemOf('parkering'));
  });

  it('does not stem numbers and abbreviations', () => {
    expect(stem('2025')).toBe('2025');
    expect(stem('3,5')).toBe('3,5');
    expect(stem('t.ex')).toBe('t.ex');
  });
});

describe('stop words and search terms', () => {
  it('drops Swedish and English stop words, keeps content words', () => {
    const terms = searchTerms('Vilka är de uppdrag som nämnden har för ängarna och the parks?');
    expect(terms).toEqual(['uppdrag', stemOf('nämnden'), stemOf('ängarna'), stemOf('parks')]);
    for (const word of ['och', 'för', 'att', 'som', 'är', 'the', 'which']) expect(isStopWord(word), word).toBe(true);
    expect(isStopWord('ängsmark')).toBe(false);
  });

  it('matches stop words as written: "år" is a word, "är" and the folded "ar" are stop words', () => {
    expect(isStopWord('år')).toBe(false);
    expect(isStopWord('är')).toBe(true);
    expect(isStopWord('ar')).toBe(true);
    expect(searchTerms('Vilka mål har nämnden för år 2026?')).toContain('ar');
  });

  it('finds the same terms in text typed without å, ä and ö', () => {
    expect(searchTerms('skotseln av angsmarkerna och lekplatserna i Bergsjon')).toEqual(
      searchTerms('Skötseln av ängsmarkerna och lekplatserna i Bergsjön'),
    );
    expect(ngramTerms('angsmark')).toEqual(ngramTerms('Ängsmark'));
  });

  it('gives trigrams of folded words (short words whole), stop words included', () => {
    expect(ngramTerms('Äng i parken')).toEqual(['ang', 'i', 'par', 'ark', 'rke', 'ken']);
  });
});

describe('index terms', () => {
  it('are the search terms and the trigrams of one segmentation', () => {
    for (const text of ['Idrotts- och föreningsnämnden ska utreda konstgräsplaner 2026 (t.ex. i Kortedala).', 'Ndmnden fér 3,5 mnkr', '']) {
      expect(indexTerms(text)).toEqual({ search: searchTerms(text), ngram: ngramTerms(text) });
    }
  });
});

describe('sentences', () => {
  it('splits sentences with Swedish rules and at line breaks, with offsets', () => {
    const found = sentences(PLAN);
    expect(found.map((sentence) => sentence.text)).toEqual([
      'Park- och naturnämnden får i uppdrag att rusta upp lekplatserna i Bergsjön, t.ex. med 3,5 mnkr.',
      'Nämnden ska anlägga fler ängsmarker och plantera träd längs cykelbanorna; skötseln av naturreservaten ska förbättras.',
    ]);
    for (const sentence of found) expect(PLAN.slice(sentence.start, sentence.end)).toBe(sentence.text);
    expect(sentences('Ängarna slås i augusti. Träden beskärs på vintern.').map((sentence) => sentence.text)).toEqual([
      'Ängarna slås i augusti.',
      'Träden beskärs på vintern.',
    ]);
  });

  it('never ends a sentence inside a run of non-space characters, and can read line breaks as spaces', () => {
    expect(sentences('Läs mer på https://park.example.se/sida.aspx?id=12&v=1 om ängarna. Nästa mening.').map((sentence) => sentence.text)).toEqual([
      'Läs mer på https://park.example.se/sida.aspx?id=12&v=1 om ängarna.',
      'Nästa mening.',
    ]);
    const wrapped = 'Parkerna sköts\nav förvaltningen. Ängarna slås\ni augusti.';
    expect(sentences(wrapped).map((sentence) => sentence.text)).toEqual(['Parkerna sköts', 'av förvaltningen.', 'Ängarna slås', 'i augusti.']);
    const prose = sentences(wrapped, { lineBreaks: false });
    expect(prose.map((sentence) => sentence.text)).toEqual(['Parkerna sköts\nav förvaltningen.', 'Ängarna slås\ni augusti.']);
    for (const sentence of prose) expect(wrapped.slice(sentence.start, sentence.end)).toBe(sentence.text);
  });
});
