/**
 * The English → Swedish glossary of the profile: English questions about plan-document topics (questions written for
 * this test, not the eval items) translate into Swedish words the documents use; the glossary is consistent; the
 * translator matches plurals; committees' English names reach the gazetteer and translate to the Swedish name.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultProfile, glossarySchema, parseProfile } from '../src/core/profile.ts';
import { createGazetteer, detectLanguage, translateToSwedish, understandQuery } from '../src/core/query/index.ts';
import { foldSwedish } from '../src/core/swedish/fold.ts';
import { stemSwedish } from '../src/core/swedish/stem.ts';
import { tokenizeWithOffsets } from '../src/core/query/tokens.ts';

const CORPORA = ['data/corpus', 'eval/corpus-dev2', 'eval/corpus-own'];

/** Folded stems of every word of the corpora. */
function corpusStems(): Set<string> {
  const stems = new Set<string>();
  for (const folder of CORPORA) {
    for (const file of readdirSync(folder)) {
      for (const token of tokenizeWithOffsets(readFileSync(join(folder, file), 'utf8'))) stems.add(foldSwedish(stemSwedish(token.lower)));
    }
  }
  return stems;
}
const STEMS = corpusStems();
const known = (word: string): boolean => /^\d+$/.test(word) || STEMS.has(foldSwedish(stemSwedish(word.toLowerCase())));

/** Words of the committees' Swedish names: a committee the corpus does not write out is still a name, not a word. */
const NAME_WORDS = new Set(defaultProfile.committees.flatMap((committee) => tokenizeWithOffsets(committee.name).map((token) => token.lower)));

describe('English plan-document questions translate into the documents’ Swedish', () => {
  it.each([
    ["What are the library's opening hours targets?", ['bibliotek', 'öppettider', 'mål']],
    ['Which summer jobs does the committee offer young people?', ['feriejobb', 'nämnd', 'erbjuda', 'unga']],
    ['What measures against homelessness and the housing shortage does the plan describe?', ['åtgärder', 'hemlöshet', 'bostadsbrist']],
    ['Which challenges and needs does the preschool committee see for preschool teachers?', ['utmaningar', 'behov', 'Förskolenämnden', 'förskollärare']],
    ['What does the plan say about validation and vocational adult education for adults?', ['validering', 'yrkesvux', 'vuxna']],
    ['Which indicators and target values are followed up in the annual report?', ['indikatorer', 'målvärden', 'årsrapport']],
    ['What savings and cost increases does the budget describe, in thousand kronor?', ['besparingar', 'kostnader', 'ökar', 'budget', 'tkr']],
    ['Which decisions did the city executive board take and who voted against the proposal?', ['beslut', 'kommunstyrelsen', 'röstade', 'yrkande']],
    ['How does the property management committee plan to reduce the number of vacant premises?', ['Fastighetsnämnden', 'minska', 'antal', 'tomma lokaler']],
    ['What is the deadline for the report back on the planning notice and the detailed development plan?', ['senast', 'återrapportering', 'planbesked', 'detaljplan']],
    ['Which priorities for biodiversity and the climate transition does the environment and climate committee set?', ['prioriteringar', 'biologisk mångfald', 'klimatomställning', 'Miljö- och klimatnämnden']],
    ['What new assignments about safety and crime prevention have been removed?', ['nya', 'uppdrag', 'trygghet', 'brottsförebyggande', 'tas bort']],
  ])('%s', (question, swedish) => {
    expect(detectLanguage(question)).toBe('en');
    const { text, translated } = translateToSwedish(question);
    for (const phrase of swedish) expect(` ${text.toLowerCase()} `).toContain(` ${phrase.toLowerCase()} `);
    expect(translated).toBeGreaterThanOrEqual(3);
    // Nothing English is left: every word is one the corpora use (names of committees aside).
    const unknown = tokenizeWithOffsets(text).map((token) => token.surface).filter((word) => !NAME_WORDS.has(word.toLowerCase()) && !known(word));
    expect(unknown).toEqual([]);
  });

  it('keeps Swedish questions Swedish', () => {
    for (const question of ['Vilka mål har förskolenämnden för 2026?', 'Hur stor är investeringsbudgeten?', 'budget kulturnämnden 2025']) {
      expect(detectLanguage(question)).toBe('sv');
    }
  });
});

describe('the glossary', () => {
  const entries = defaultProfile.glossary.entries;
  const wordsOf = (english: string): string => english.toLowerCase().split(/[^a-z]+/).filter(Boolean).join(' ');

  it('validates as part of the profile and covers several hundred terms', () => {
    const raw: unknown = JSON.parse(readFileSync('data/profile.sv.json', 'utf8'));
    expect(parseProfile(raw, 'data/profile.sv.json').glossary.entries.length).toBe(entries.length);
    expect(entries.length).toBeGreaterThan(1000);
  });

  it('rejects a key listed twice', () => {
    const result = glossarySchema.safeParse({ source: 'test', entries: [['budget', 'budget'], ['Budget', 'budgetar']] });
    expect(result.success).toBe(false);
  });

  it('has no two spellings of one phrase with different Swedish ("follow-up" and "follow up")', () => {
    const swedishByWords = new Map<string, string>();
    const conflicts: string[] = [];
    for (const [english, swedish] of entries) {
      const key = wordsOf(english);
      const earlier = swedishByWords.get(key);
      if (earlier !== undefined && earlier.toLowerCase() !== swedish.toLowerCase()) conflicts.push(`${english}: ${earlier} / ${swedish}`);
      swedishByWords.set(key, swedish);
    }
    expect(conflicts).toEqual([]);
  });
});

describe('the translator', () => {
  const glossary = glossarySchema.parse({
    source: 'test',
    entries: [
      ['activity', 'aktivitet'],
      ['summer job', 'feriejobb'],
      ['box', 'låda'],
      ['it system', 'it-system'],
    ],
  });

  it('matches -s, -es and -ies plurals of a phrase’s first and later words', () => {
    expect(translateToSwedish('activities', glossary).text).toBe('aktivitet');
    expect(translateToSwedish('summer jobs', glossary).text).toBe('feriejobb');
    expect(translateToSwedish('summers jobs', glossary).text).toBe('feriejobb');
    expect(translateToSwedish('boxes', glossary).text).toBe('låda');
  });

  it('matches past and -ing forms, also with a doubled consonant, but not of function words', () => {
    const verbs = glossarySchema.parse({
      source: 'test',
      entries: [
        ['renovate', 'renovera'],
        ['strengthen', 'stärka'],
        ['follow up', 'uppföljning'],
        ['plan', 'plan'],
        ['apply', 'tillämpa'],
      ],
    });
    expect(translateToSwedish('renovated', verbs).text).toBe('renovera');
    expect(translateToSwedish('strengthened', verbs).text).toBe('stärka');
    expect(translateToSwedish('following up', verbs).text).toBe('uppföljning');
    expect(translateToSwedish('applied', verbs).text).toBe('tillämpa');
    // "planned" is an English function word of the detector: it is dropped, not read as "plan".
    expect(translateToSwedish('planned', verbs).text).toBe('');
    expect(translateToSwedish('planning', verbs).text).toBe('plan');
  });

  it('does not take short words for plurals', () => {
    // "its" is not the plural of "it".
    expect(translateToSwedish('its system', glossary).text).toBe('system');
  });
});

describe('committees’ English names', () => {
  const gazetteer = createGazetteer([]);

  it('translate to the committee’s Swedish name', () => {
    const wrong: string[] = [];
    for (const committee of defaultProfile.committees.filter((entry) => !entry.district)) {
      for (const english of committee.englishNames) {
        const text = translateToSwedish(`What does the ${english} plan?`).text;
        if (text.toLowerCase() !== committee.name.toLowerCase() && !text.toLowerCase().startsWith(`${committee.name.toLowerCase()} `)) {
          wrong.push(`${english} → ${text}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it.each([
    ['What does the committee for labour market and adult education plan for sfi?', 'namnden-for-arbetsmarknad-och-vuxenutbildning'],
    ['Which buildings does the property committee renovate?', 'fastighetsnamnden'],
    ['What did the urban planning committee decide about building permits?', 'stadsbyggnadsnamnden'],
    ['Which assignments did the city executive committee give?', 'kommunstyrelsen'],
    ['What does the Hisingen social services committee do about evictions?', 'socialnamnden-hisingen'],
  ])('%s names the committee', (question, id) => {
    const plan = understandQuery([{ role: 'user', content: question }], { gazetteer });
    expect(plan.language).toBe('en');
    expect(plan.mentionedCommittees).toContain(id);
  });
});
