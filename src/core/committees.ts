/**
 * Committee (nämnd) names: canonical keys and aliases.
 *
 * A committee key is the folded, hyphenated canonical name, e.g. `socialnamnden-centrum`.
 * Former names map to the current committee's key: "konsument- och medborgarservice" was renamed
 * "nämnden för demokrati och medborgarservice", so both resolve to the same key.
 */
import { foldSwedish } from './swedish/fold.ts';

/** Lower-case and strip Swedish diacritics (å/ä → a, ö → o, é → e). */
export function foldName(text: string): string {
  return foldSwedish(text)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** A committee known to the gazetteer. */
export interface CommitteeEntry {
  id: string;
  /** Display name, current name. */
  name: string;
  /** Other ways people and documents name it (folded matching is applied). */
  aliases: string[];
}

/** Committees of Göteborgs Stad that the sample corpus and typical questions mention. */
export const KNOWN_COMMITTEES: CommitteeEntry[] = [
  {
    id: 'socialnamnden-centrum',
    name: 'Socialnämnden Centrum',
    aliases: ['socialnämnd centrum', 'sn centrum', 'snc', 'socialförvaltningen centrum', 'socialförvaltning centrum', 'centrum social welfare committee', 'social welfare committee centrum'],
  },
  {
    id: 'socialnamnden-nordost',
    name: 'Socialnämnden Nordost',
    aliases: ['socialnämnd nordost', 'sn nordost', 'socialförvaltningen nordost', 'socialförvaltning nordost', 'nordost social welfare committee', 'social welfare committee nordost'],
  },
  {
    id: 'socialnamnden-hisingen',
    name: 'Socialnämnden Hisingen',
    aliases: ['socialnämnd hisingen', 'sn hisingen', 'socialförvaltningen hisingen', 'socialförvaltning hisingen'],
  },
  {
    id: 'socialnamnden-sydvast',
    name: 'Socialnämnden Sydväst',
    aliases: ['socialnämnd sydväst', 'sn sydväst', 'socialförvaltningen sydväst', 'socialförvaltning sydväst'],
  },
  {
    id: 'namnden-for-demokrati-och-medborgarservice',
    name: 'Nämnden för demokrati och medborgarservice',
    aliases: [
      'demokrati och medborgarservice',
      'förvaltningen för demokrati och medborgarservice',
      'nämnden för konsument- och medborgarservice',
      'konsument- och medborgarservice',
      'konsument och medborgarservice',
      'förvaltningen för konsument- och medborgarservice',
      'committee for democracy and citizen services',
      'democracy and citizen services committee',
      'democracy and citizen services',
      'democracy and citizen service',
      'consumer and citizen services',
    ],
  },
];

/**
 * Canonical committee key for a name as written in a document or question
 * ("Socialnämnd Nordost", "konsument- och medborgarservice"). Unknown names get a slug of their own.
 */
export function canonicalCommitteeId(name: string): string {
  const folded = foldName(name);
  for (const entry of KNOWN_COMMITTEES) {
    if (foldName(entry.name) === folded || entry.aliases.some((alias) => foldName(alias) === folded)) return entry.id;
  }
  return folded.replace(/ /g, '-');
}
