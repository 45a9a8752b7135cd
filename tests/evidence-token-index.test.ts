/**
 * The token index behind `chunksMatchingGroups` (sorted prefix ranges, trigrams, short prefixes) finds exactly the
 * chunks a scan of every vocabulary token with `alternativeMatchesToken` finds: words, phrases and compound splits,
 * on texts of our own (a miljönämnd and a kulturnämnd plan, numbers, damaged words).
 */
import { describe, expect, it } from 'vitest';
import { alternativeMatchesToken, chunksMatchingGroups, createCorpusStatistics, type TermGroup } from '../src/core/answer/evidence.ts';

const texts = [
  'Miljö- och klimatnämnden ska utreda luftkvaliteten vid Järntorget och minska partikelhalterna 2026.',
  'Nämnden ska ta fram en handlingsplan för dagvattenhantering i samarbete med kretslopp och vatten.',
  'Kulturnämnden får i uppdrag att utveckla biblioteksverksamheten och stärka läsfrämjandet för barn.',
  'Uppdraget om konstsamlingen redovisas till kommunstyrelsen senast 2025-06-30; 1 200 tkr avsätts.',
  'Bibliotekens öppettider utökas. Luftkvalitetsmätningar publiceras varje kvartal.',
  'Ndmnden ska fokusera pä tidiga och förebyggande insatser; klimatanpassning av parker och badplatser.',
  'Konstgräsplaner, spontanidrottsplatser och föreningsbidrag följs upp i verksamhetsplanen.',
];

function bruteForce(alternative: string, statistics: ReturnType<typeof createCorpusStatistics>): number[] {
  const words = alternative.split(/[+ ]/).filter(Boolean);
  let result: Set<number> | undefined;
  for (const word of words) {
    const matching = new Set<number>();
    for (const [token, list] of statistics.postings) if (alternativeMatchesToken(word, token)) for (const index of list) matching.add(index);
    result = result ? new Set([...result].filter((index) => matching.has(index))) : matching;
  }
  return [...(result ?? [])].sort((a, b) => a - b);
}

describe('token index of the corpus statistics', () => {
  it('matches exactly the chunks a scan of every token matches', () => {
    const statistics = createCorpusStatistics(texts);
    const tokens = [...statistics.postings.keys()];
    const alternatives = new Set<string>(['', 'a', 'lu', 'nam', 'namnd', 'namnden', 'luftkvalitet', 'kvalitet', 'biblioteket', 'konstgras+platser', 'ekonomisk bistand', 'klimat', 'uppdragen', '2025', '200', 'xyzzy']);
    for (const token of tokens) {
      alternatives.add(token);
      alternatives.add(token.slice(0, 3));
      alternatives.add(token.slice(0, Math.max(1, token.length - 2)));
      if (token.length > 7) alternatives.add(token.slice(2, 8));
      alternatives.add(`${token}er`);
    }
    expect(alternatives.size).toBeGreaterThan(150);
    for (const alternative of alternatives) {
      const group: TermGroup = { term: alternative, alternatives: [alternative], idf: 1, weight: 1, frequency: 0 };
      expect(chunksMatchingGroups([group], statistics), alternative).toEqual(bruteForce(alternative, statistics));
    }
  });
});
