/**
 * Committee gazetteer: finds the nämnd a question names ("socialnämnden Centrum", "SN Nordost", "socialnamnden centrum",
 * "förvaltningen för demokrati och medborgarservice", "konsument- och medborgarservice", "the Centrum social welfare
 * committee", a bare district such as "Centrum") and resolves names and ids to canonical committee ids.
 *
 * Built from document metadata (display names and ids) plus `KNOWN_COMMITTEES`; every known name gets generated
 * variants (indefinite "socialnämnd X", "socialförvaltningen X", "socialnämnden i X", English forms). All matching is
 * on folded words, so text typed without å/ä/ö matches. Plural generic words ("socialnämnderna", "Vilka
 * socialnämnder…") never match: every pattern of a social committee needs its district.
 */
import { KNOWN_COMMITTEES, canonicalCommitteeId, foldName, type CommitteeEntry } from '../committees.ts';
import { tokenizeWithOffsets } from './tokens.ts';

/** A committee mention found in a text (offsets into that text). */
export interface CommitteeMention {
  id: string;
  /** Display name of the committee (current name). */
  name: string;
  start: number;
  end: number;
}

/** Finds and resolves committee names. */
export interface Gazetteer {
  /** Committee mentions in `text`, in order, longest match first, non-overlapping. */
  detect(text: string): CommitteeMention[];
  /** Display name of a committee id. */
  nameOf(id: string): string | undefined;
  /** Canonical id of a committee id, display name or alias; `undefined` when unknown. */
  resolve(nameOrId: string): string | undefined;
}

interface Pattern {
  id: string;
  words: string[];
}

/** Districts of the social committees: a bare district name refers to that district's committee. */
const SOCIAL_PREFIX = 'socialnamnden ';

/** Variants of a folded committee name (without the name itself). */
function variantsOf(foldedName: string): string[] {
  const variants: string[] = [];
  if (foldedName.startsWith(SOCIAL_PREFIX)) {
    const district = foldedName.slice(SOCIAL_PREFIX.length);
    for (const head of ['socialnamnden', 'socialnamnd', 'socialforvaltningen', 'socialforvaltning', 'socialtjansten', 'socialtjanst']) {
      variants.push(`${head} ${district}`, `${head} i ${district}`);
    }
    variants.push(`sn ${district}`, `${district}s socialnamnd`, `${district} socialnamnd`, `${district} socialforvaltning`);
    for (const english of ['social welfare committee', 'social services committee', 'social committee', 'social welfare board', 'social services board', 'social services', 'social welfare']) {
      variants.push(`${district} ${english}`, `${english} ${district}`, `${english} in ${district}`, `${english} of ${district}`, `${english} for ${district}`);
    }
    // A bare district ("Centrum", "Nordost") names the district's committee.
    variants.push(district);
    return variants;
  }
  const forMatch = /^namnden for (.+)$/.exec(foldedName);
  if (forMatch) {
    const topic = forMatch[1];
    variants.push(`namnd for ${topic}`, `forvaltningen for ${topic}`, `forvaltning for ${topic}`, `namnden och forvaltningen for ${topic}`);
    variants.push(`committee for ${topic}`, `${topic} committee`);
    if (topic.split(' ').length >= 2) variants.push(topic);
    return variants;
  }
  const single = /^(\p{L}+)namnden$/u.exec(foldedName);
  if (single) {
    variants.push(`${single[1]}namnd`, `${single[1]}forvaltningen`, `${single[1]}forvaltning`);
  }
  return variants;
}

/**
 * Creates a gazetteer from the documents' committees (display name + id) and the known committees
 * (`KNOWN_COMMITTEES` plus `extra`). A known committee's own name wins as display name; former names are aliases.
 */
export function createGazetteer(
  documents: Array<{ committee: string; committeeId: string }>,
  extra: CommitteeEntry[] = [],
): Gazetteer {
  const names = new Map<string, string>();
  const patternsByFirstWord = new Map<string, Pattern[]>();
  const aliasToId = new Map<string, string>();
  const seen = new Set<string>();

  function addPattern(id: string, text: string): void {
    const words = foldName(text).split(' ').filter(Boolean);
    if (words.length === 0) return;
    const key = `${id}|${words.join(' ')}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (!aliasToId.has(words.join(' '))) aliasToId.set(words.join(' '), id);
    const list = patternsByFirstWord.get(words[0]) ?? [];
    list.push({ id, words });
    patternsByFirstWord.set(words[0], list);
  }

  function addCommittee(id: string, name: string, aliases: string[]): void {
    if (!names.has(id)) names.set(id, name);
    for (const text of [name, ...aliases]) {
      addPattern(id, text);
      for (const variant of variantsOf(foldName(text))) addPattern(id, variant);
    }
  }

  for (const entry of [...extra, ...KNOWN_COMMITTEES]) addCommittee(entry.id, entry.name, entry.aliases);
  for (const document of documents) {
    if (!document.committee || !document.committeeId) continue;
    addCommittee(document.committeeId, document.committee, []);
  }
  for (const list of patternsByFirstWord.values()) list.sort((a, b) => b.words.length - a.words.length);

  /** True when a text word matches a pattern word (the last word may carry a genitive -s). */
  function wordMatches(patternWord: string, word: string, isLast: boolean): boolean {
    return word === patternWord || (isLast && word === `${patternWord}s` && !patternWord.endsWith('s'));
  }

  function detect(text: string): CommitteeMention[] {
    const tokens = tokenizeWithOffsets(text);
    const words = tokens.map((token) => token.folded);
    const mentions: CommitteeMention[] = [];
    for (let index = 0; index < words.length; ) {
      // Patterns starting with the word itself, then (genitive "Nordosts") those starting with it minus its -s.
      const genitiveBase = words[index].endsWith('s') ? words[index].slice(0, -1) : undefined;
      const candidates = [
        ...(patternsByFirstWord.get(words[index]) ?? []),
        ...(genitiveBase ? patternsByFirstWord.get(genitiveBase) ?? [] : []),
      ].sort((a, b) => b.words.length - a.words.length);
      let found: Pattern | undefined;
      for (const pattern of candidates) {
        if (index + pattern.words.length > words.length) continue;
        if (pattern.words.every((word, offset) => wordMatches(word, words[index + offset], offset === pattern.words.length - 1))) {
          found = pattern;
          break;
        }
      }
      if (!found) {
        index++;
        continue;
      }
      const last = tokens[index + found.words.length - 1];
      mentions.push({ id: found.id, name: names.get(found.id) ?? found.id, start: tokens[index].start, end: last.end });
      index += found.words.length;
    }
    return mentions;
  }

  function resolve(nameOrId: string): string | undefined {
    const trimmed = nameOrId.trim();
    if (!trimmed) return undefined;
    if (names.has(trimmed)) return trimmed;
    const folded = foldName(trimmed);
    const direct = aliasToId.get(folded);
    if (direct) return direct;
    const slug = canonicalCommitteeId(trimmed);
    if (names.has(slug)) return slug;
    const mentions = detect(trimmed);
    const ids = new Set(mentions.map((mention) => mention.id));
    return ids.size === 1 ? mentions[0].id : undefined;
  }

  return {
    detect,
    nameOf: (id) => names.get(id),
    resolve,
  };
}
