/**
 * Committees (nämnder and styrelser): a registry built from the domain profile plus names learned from the
 * documents, and a general recogniser of Swedish committee names.
 *
 * A committee id is the folded, hyphenated canonical name (`Socialnämnden Centrum` → `socialnamnden-centrum`)
 * unless the profile gives one. Former names, short names, English names and generated short forms
 * ("Idrotts- och föreningsnämnden" → "idrottsnämnden", "föreningsnämnden", "idrotts- och föreningsförvaltningen";
 * "Stadsbyggnadsnämnden" → "stadsbyggnadsförvaltningen", "stadsbyggnadskontoret";
 * "Socialnämnden Centrum" → "socialnämnd Centrum", "socialförvaltningen i Centrum", "Centrums socialnämnd")
 * resolve to the committee's id. No committee name lives in this module: they come from the profile
 * (`data/profile.sv.json`) or from the text.
 */
import { defaultProfile, type DomainProfile } from './profile.ts';
import { hasSurrogate, isLetterCode, isLetterOrNumberCode, isSpaceCode } from './swedish/chars.ts';
import { foldSwedish } from './swedish/fold.ts';

/** Lower-case and strip Swedish diacritics (å/ä → a, ö → o, é → e); non-alphanumerics become single spaces. */
export function foldName(text: string): string {
  return foldSwedish(text)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** A committee known to the registry (from the profile or learned from documents). */
export interface CommitteeEntry {
  id: string;
  /** Display name, current name. */
  name: string;
  /** Other ways people and documents name it (folded matching is applied). */
  aliases: string[];
  /** Stadsområde the committee serves, if any. */
  district?: string;
  /** Former names (documents keep using them). */
  formerNames?: string[];
  /** True for committees listed in the profile; false for names learned from documents. */
  fromProfile?: boolean;
}

/** A committee mention in a text (offsets into that text). */
export interface CommitteeSpan {
  start: number;
  end: number;
  id: string;
  /** The text as written. */
  text: string;
  /** The mention uses a former name of the committee (or a short form of one). */
  former?: boolean;
}

/** Committees known to the registry and how to find them in text. */
export interface CommitteeRegistry {
  /** All committees, profile entries first. */
  entries(): CommitteeEntry[];
  get(id: string): CommitteeEntry | undefined;
  /** Id of a committee id, name, former name or alias (any case, with or without diacritics, genitive -s). */
  resolve(nameOrAlias: string): string | undefined;
  /**
   * Committee mentions in `text`, in order, longest match first, non-overlapping. With `bareDistricts`, a district
   * name on its own ("Centrum") counts as a mention of the one committee serving that district.
   */
  mentions(text: string, options?: { bareDistricts?: boolean }): CommitteeSpan[];
  /** Adds a committee learned from a document (no-op when the name already resolves); returns its entry. */
  learn(name: string): CommitteeEntry;
  /**
   * An independent copy: what the copy learns is not seen here, and the reverse. Cheap (copies the lookup tables,
   * no name forms are generated again): ingest forks one registry of the profile per document.
   */
  fork(): CommitteeRegistry;
}

/** The mutable tables of a registry (copied by `fork`). */
interface RegistryState {
  byId: Map<string, CommitteeEntry>;
  aliasToId: Map<string, string>;
  patternsByFirst: Map<string, Pattern[]>;
  seen: Set<string>;
  districtOwners: Map<string, Set<string>>;
  weakAdded: Set<string>;
}

function copyState(state: RegistryState): RegistryState {
  return {
    byId: new Map(state.byId),
    aliasToId: new Map(state.aliasToId),
    // The lists are replaced, never changed in place (`addPattern`), so copies share them.
    patternsByFirst: new Map(state.patternsByFirst),
    seen: new Set(state.seen),
    districtOwners: new Map([...state.districtOwners].map(([district, owners]) => [district, new Set(owners)])),
    weakAdded: new Set(state.weakAdded),
  };
}

/** Slug id of a committee name: folded words joined by hyphens. */
export function committeeSlug(name: string): string {
  return normaliseFolded(foldName(name)).replace(/ /g, '-');
}

/**
 * OCR damage and the common misspelling of "nämnd" in folded text ("socialnemnden", "socialndmnden",
 * "socialndimnden", "förskolenämden") → "namnd".
 */
function normaliseFolded(folded: string): string {
  if (!folded.includes('mnd') && !folded.includes('namd')) return folded; // neither pattern can match
  return folded.replace(/n[a-z]{1,2}mnd/g, 'namnd').replace(/namd(?=en|\b)/g, 'namnd');
}

/** First letter upper case. */
function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase('sv') + text.slice(1);
}

/** Generated short forms of a folded committee name (without the name itself). */
function generatedForms(folded: string, district: string | undefined): string[] {
  const forms: string[] = [];
  const districtFolded = district ? foldName(district) : undefined;
  let base = folded;
  if (districtFolded && folded.endsWith(` ${districtFolded}`)) base = folded.slice(0, -districtFolded.length - 1);
  const withDistrict = (head: string): string[] =>
    districtFolded ? [`${head} ${districtFolded}`, `${head} i ${districtFolded}`] : [head];
  // "nämnden för X och Y" → "nämnd för …", "förvaltningen för …", "X och Y"
  const forMatch = /^namnden for (.+)$/.exec(base);
  if (forMatch) {
    const topic = forMatch[1];
    for (const head of [`namnd for ${topic}`, `forvaltningen for ${topic}`, `forvaltning for ${topic}`, `namnden och forvaltningen for ${topic}`]) {
      forms.push(...withDistrict(head));
    }
    if (topic.split(' ').length >= 2) forms.push(...withDistrict(topic));
    return forms;
  }
  // "X och Ynämnden" (written "X- och Ynämnden") → "Xnämnden", "Ynämnden", förvaltning forms
  const pair = /^(\p{L}+) och (\p{L}+?)(namnden|styrelsen)$/u.exec(base);
  if (pair) {
    const [, first, second, suffix] = pair;
    const stem = suffix === 'namnden' ? 'namnd' : 'styrelse';
    for (const head of [`${first}${suffix}`, `${second}${suffix}`, `${first} och ${second}${stem}`]) forms.push(...withDistrict(head));
    if (suffix === 'namnden') forms.push(...withDistrict(`${first} och ${second}forvaltningen`), ...withDistrict(`${first} och ${second}forvaltning`));
    return forms;
  }
  const adjective = /^(\p{L}+a) (namnden|styrelsen)$/u.exec(base);
  if (adjective) {
    const [, word, suffix] = adjective;
    const heads = suffix === 'namnden' ? [`${word} namnd`, `${word} forvaltningen`, `${word} forvaltning`] : [`${word} styrelse`];
    for (const head of heads) forms.push(...withDistrict(head));
    return forms;
  }
  const single = /^(\p{L}+?)(namnden|styrelsen)$/u.exec(base);
  if (single) {
    const [, stem, suffix] = single;
    // A nämnd's administration is its "förvaltning" or, in many cities, its "kontor" ("stadsbyggnadskontoret").
    const heads = suffix === 'namnden' ? [`${stem}namnd`, `${stem}forvaltningen`, `${stem}forvaltning`, `${stem}kontoret`, `${stem}kontor`] : [`${stem}styrelse`];
    if (districtFolded) heads.unshift(`${stem}${suffix}`);
    for (const head of heads) forms.push(...withDistrict(head));
    if (districtFolded && suffix === 'namnden') {
      forms.push(`${districtFolded}s ${stem}namnd`, `${districtFolded} ${stem}namnd`, `${districtFolded} ${stem}forvaltning`);
    }
  }
  return forms;
}

/** English forms of a district committee: "<district> X" / "X <district>" → "X in/of/for <district>". */
function englishForms(english: string, district: string | undefined): string[] {
  if (!district) return [];
  const folded = foldName(english);
  const districtFolded = foldName(district);
  let base: string | undefined;
  if (folded.startsWith(`${districtFolded} `)) base = folded.slice(districtFolded.length + 1);
  else if (folded.endsWith(` ${districtFolded}`)) base = folded.slice(0, -districtFolded.length - 1);
  if (!base) return [];
  return [`${districtFolded} ${base}`, `${base} ${districtFolded}`, `${base} in ${districtFolded}`, `${base} of ${districtFolded}`, `${base} for ${districtFolded}`];
}

interface Pattern {
  id: string;
  words: string[];
  former: boolean;
  weak: boolean;
}

interface Token {
  word: string;
  start: number;
  end: number;
}

function tokens(text: string): Token[] {
  const result: Token[] = [];
  if (hasSurrogate(text)) {
    for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) {
      const start = match.index ?? 0;
      result.push({ word: normaliseFolded(foldSwedish(match[0])), start, end: start + match[0].length });
    }
    return result;
  }
  // The runs of /[\p{L}\p{N}]+/gu, by code unit.
  for (let start = 0; start < text.length; ) {
    if (!isLetterOrNumberCode(text.charCodeAt(start))) {
      start++;
      continue;
    }
    let end = start + 1;
    while (end < text.length && isLetterOrNumberCode(text.charCodeAt(end))) end++;
    result.push({ word: normaliseFolded(foldSwedish(text.slice(start, end))), start, end });
    start = end;
  }
  return result;
}

/**
 * Creates a committee registry from a profile's committees (default: Göteborgs Stad's) and names learned from
 * documents (display names such as "Kulturnämnden", "Idrotts- och föreningsnämnden").
 */
export function createCommitteeRegistry(profile: DomainProfile = defaultProfile, learnedNames: string[] = []): CommitteeRegistry {
  const registry = registryOver(undefined);
  registry.addProfile(profile);
  for (const name of learnedNames) registry.learnOne(name);
  registry.addBareDistricts();
  return registry.api;
}

/** A registry over `inherited` tables (copied) or empty ones. */
function registryOver(inherited: RegistryState | undefined): {
  api: CommitteeRegistry;
  addProfile(profile: DomainProfile): void;
  learnOne(name: string): CommitteeEntry;
  addBareDistricts(): void;
} {
  const state: RegistryState = inherited
    ? copyState(inherited)
    : { byId: new Map(), aliasToId: new Map(), patternsByFirst: new Map(), seen: new Set(), districtOwners: new Map(), weakAdded: new Set() };
  const { byId, aliasToId, patternsByFirst, seen, districtOwners, weakAdded } = state;

  function addPattern(id: string, folded: string, former: boolean, weak = false): void {
    const words = normaliseFolded(folded).split(' ').filter(Boolean);
    if (words.length === 0) return;
    const key = words.join(' ');
    if (seen.has(`${id}|${key}`)) return;
    seen.add(`${id}|${key}`);
    if (!weak && !aliasToId.has(key)) aliasToId.set(key, id);
    const list = [...(patternsByFirst.get(words[0]) ?? []), { id, words, former, weak }];
    list.sort((left, right) => right.words.length - left.words.length);
    patternsByFirst.set(words[0], list);
  }

  function register(entry: CommitteeEntry): CommitteeEntry {
    byId.set(entry.id, entry);
    const formerFolded = (entry.formerNames ?? []).map((name) => foldName(name));
    const isFormer = (folded: string): boolean => formerFolded.some((former) => former === folded || ` ${former} `.includes(` ${folded} `));
    for (const text of [entry.name, ...(entry.formerNames ?? []), ...entry.aliases]) {
      const folded = foldName(text);
      const former = isFormer(folded) && !` ${foldName(entry.name)} `.includes(` ${folded} `);
      addPattern(entry.id, folded, former);
      for (const form of generatedForms(folded, entry.district)) addPattern(entry.id, form, former);
      for (const form of englishForms(text, entry.district)) addPattern(entry.id, form, false);
    }
    if (entry.district) {
      const owners = districtOwners.get(foldName(entry.district)) ?? new Set<string>();
      owners.add(entry.id);
      districtOwners.set(foldName(entry.district), owners);
    }
    return entry;
  }

  function addProfile(profile: DomainProfile): void {
    for (const committee of profile.committees) {
      register({
        id: committee.id ?? committeeSlug(committee.name),
        name: committee.name,
        aliases: [...committee.shortNames, ...committee.englishNames],
        district: committee.district,
        formerNames: committee.formerNames,
        fromProfile: true,
      });
    }
  }

  /** Place nouns (folded, Swedish and English) that make a bare district a place. */
  const AREA_NOUNS = new Set(['stadsomrade', 'stadsomradet', 'omrade', 'omradet', 'stadsdel', 'stadsdelen', 'area', 'district', 'neighbourhood', 'neighborhood']);

  function mentions(text: string, options: { bareDistricts?: boolean } = {}): CommitteeSpan[] {
    const list = tokens(text);
    const found: CommitteeSpan[] = [];
    for (let index = 0; index < list.length; ) {
      const word = list[index].word;
      const genitiveBase = word.endsWith('s') ? word.slice(0, -1) : undefined;
      const direct = patternsByFirst.get(word);
      const genitive = genitiveBase ? patternsByFirst.get(genitiveBase) : undefined;
      if (!direct && !genitive) {
        index++;
        continue;
      }
      const candidates = [...(direct ?? []), ...(genitive ?? [])]
        .filter((pattern) => options.bareDistricts || !pattern.weak)
        .sort((left, right) => right.words.length - left.words.length);
      let match: Pattern | undefined;
      for (const pattern of candidates) {
        if (index + pattern.words.length > list.length) continue;
        const last = pattern.words.length - 1;
        const ok = pattern.words.every((patternWord, offset) => {
          const textWord = list[index + offset].word;
          return textWord === patternWord || ((offset === last || offset === 0) && textWord === `${patternWord}s` && !patternWord.endsWith('s'));
        });
        if (ok) {
          match = pattern;
          break;
        }
      }
      // A bare district next to a place noun ("stadsområde Nordost", "the Nordost area") names the area, not its nämnd.
      if (match?.weak && (AREA_NOUNS.has(list[index - 1]?.word ?? '') || AREA_NOUNS.has(list[index + match.words.length]?.word ?? ''))) match = undefined;
      if (!match) {
        index++;
        continue;
      }
      const start = list[index].start;
      const end = list[index + match.words.length - 1].end;
      found.push({ start, end, id: match.id, text: text.slice(start, end), ...(match.former ? { former: true } : {}) });
      index += match.words.length;
    }
    return found;
  }

  function resolve(nameOrAlias: string): string | undefined {
    const trimmed = nameOrAlias.trim();
    if (!trimmed) return undefined;
    if (byId.has(trimmed)) return trimmed;
    const folded = normaliseFolded(foldName(trimmed));
    const direct = aliasToId.get(folded);
    if (direct) return direct;
    if (folded.endsWith('s') && aliasToId.has(folded.slice(0, -1))) return aliasToId.get(folded.slice(0, -1));
    const slug = folded.replace(/ /g, '-');
    if (byId.has(slug)) return slug;
    const spans = mentions(trimmed);
    const ids = new Set(spans.map((span) => span.id));
    if (ids.size === 1 && spans[0].end - spans[0].start >= trimmed.replace(/[\s.,:;]+$/, '').length - 1) return spans[0].id;
    return undefined;
  }

  function learn(name: string): CommitteeEntry {
    const existing = resolve(name);
    if (existing) return byId.get(existing) as CommitteeEntry;
    const recognised = recogniseCommitteeNames(name)[0];
    const display = recognised && recognised.end - recognised.start >= name.trim().length - 1 ? recognised.name : capitalise(name.trim());
    const district = recognised?.district;
    const entry = register({ id: committeeSlug(display), name: display, aliases: [], ...(district ? { district } : {}), fromProfile: false });
    return entry;
  }

  // Bare districts: only a district served by exactly one committee names it.
  function addBareDistricts(): void {
    for (const [district, owners] of districtOwners) {
      if (owners.size !== 1 || weakAdded.has(district)) continue;
      weakAdded.add(district);
      addPattern([...owners][0], district, false, true);
    }
  }
  const api: CommitteeRegistry = {
    entries: () => [...byId.values()],
    get: (id) => byId.get(id),
    resolve,
    mentions,
    learn: (name) => {
      const entry = learn(name);
      addBareDistricts();
      return entry;
    },
    fork: () => registryOver(state).api,
  };
  return { api, addProfile, learnOne: learn, addBareDistricts };
}

/** A committee name found by the general recogniser. */
export interface RecognisedCommittee {
  start: number;
  end: number;
  /** Display name in nominative, capitalised ("Kulturnämnden", "Socialnämnden Sydväst", "Nämnden för X och Y"). */
  name: string;
  district?: string;
  /** Written in the genitive ("Kulturnämndens"). */
  genitive: boolean;
}

const L = '\\p{L}';
/** "<X>- och <Y>nämnden", "<X>nämnden", "<X>styrelsen" (+ genitive), optionally followed by a capitalised district. */
const COMPOUND = new RegExp(
  `(?<![${L}-])((?:[${L}]+-\\s+och\\s+)?[${L}]{3,}?(?:n[${L}]{1,2}mnd|styrels)en)(s?)(?![${L}])`,
  'gu',
);
/**
 * The matches of the global `pattern` in `text`, as `text.matchAll(pattern)` gives them, for a pattern whose every
 * match holds one of `keys` and starts no earlier than `earliestStart(text, position of that key)`: the pattern is
 * tried (sticky) only at the places from there up to the key, instead of at every letter. With astral characters in
 * the text, the pattern alone.
 */
function keyedMatches(text: string, pattern: RegExp, keys: string[], earliestStart: (text: string, key: number) => number): RegExpExecArray[] {
  const matches: RegExpExecArray[] = [];
  const { global, sticky } = searchersOf(pattern);
  if (hasSurrogate(text)) {
    global.lastIndex = 0;
    for (let match = global.exec(text); match; match = global.exec(text)) matches.push(match);
    return matches;
  }
  // No match starts before `from`; a match starting at or after it holds a key at or after it.
  let from = 0;
  const next = keys.map((key) => text.indexOf(key));
  for (;;) {
    let key = -1;
    keys.forEach((word, index) => {
      if (next[index] !== -1 && next[index] < from) next[index] = text.indexOf(word, from);
      if (next[index] !== -1 && (key === -1 || next[index] < key)) key = next[index];
    });
    if (key === -1) break;
    let match: RegExpExecArray | null = null;
    for (let start = Math.max(from, earliestStart(text, key)); start <= key && !match; start++) {
      sticky.lastIndex = start;
      match = sticky.exec(text);
    }
    if (match) {
      matches.push(match);
      from = sticky.lastIndex;
    } else {
      from = key + 1;
    }
  }
  return matches;
}

/** Private copies of each pattern for `keyedMatches` (their `lastIndex` is set there; the pattern's own is left alone). */
const searchers = new Map<RegExp, { global: RegExp; sticky: RegExp }>();
function searchersOf(pattern: RegExp): { global: RegExp; sticky: RegExp } {
  let found = searchers.get(pattern);
  if (!found) {
    found = { global: new RegExp(pattern.source, pattern.flags), sticky: new RegExp(pattern.source, `${pattern.flags}y`) };
    searchers.set(pattern, found);
  }
  return found;
}

/** Start of the letters that end at `position`. */
function lettersBack(text: string, position: number): number {
  while (position > 0 && isLetterCode(text.charCodeAt(position - 1))) position--;
  return position;
}

/** Start of the white space that ends at `position`. */
function spacesBack(text: string, position: number): number {
  while (position > 0 && isSpaceCode(text.charCodeAt(position - 1))) position--;
  return position;
}

/** Every `COMPOUND` name ends in one of these. */
const COMPOUND_KEYS = ['mnden', 'styrelsen'];

/** Where a `COMPOUND` name holding `key` can start at the earliest: back over letters, then over "X- och ". */
function compoundStart(text: string, key: number): number {
  const start = lettersBack(text, key);
  let position = spacesBack(text, start);
  if (position === start || position < 3 || text.slice(position - 3, position) !== 'och') return start;
  position -= 3;
  const beforeAnd = spacesBack(text, position);
  if (beforeAnd === position || text.charCodeAt(beforeAnd - 1) !== 45 /* - */) return start;
  return lettersBack(text, beforeAnd - 1);
}

/** Every `ADJECTIVE_NAME` match holds one of these (after the adjective and white space). */
const ADJECTIVE_KEYS = ['nämnden', 'styrelsen'];

/** Where an `ADJECTIVE_NAME` match holding `key` can start at the earliest: the word before the white space. */
const adjectiveStart = (text: string, key: number): number => lettersBack(text, spacesBack(text, key));

/** A capitalised district right after a committee name on the same line ("Socialnämnden Sydväst"); not a column. */
const DISTRICT_AFTER = /^ (\p{Lu}\p{Ll}{2,})(?![\p{L}:])/u;
const districtAfter = (text: string, offset: number): string | undefined => DISTRICT_AFTER.exec(text.slice(offset, offset + 60))?.[1];

/** "Nämnden för X och Y", "nämnden för X" (a capital N, or a two-part topic). */
const FOR_NAME = new RegExp(`(?<![${L}])([Nn]ämnden)(s?)\\s+för\\s+([${L}]+(?:-?\\s+och\\s+[${L}]+)?)(?![${L}])`, 'gu');
/** "Tekniska nämnden", "Sociala nämndens": a capitalised adjective in -a before nämnden/styrelsen. */
const ADJECTIVE_NAME = new RegExp(`(?<![${L}])(\\p{Lu}\\p{Ll}+a)\\s+(nämnden|styrelsen)(s?)(?![${L}])`, 'gu');
/** Adjectives that only qualify the word ("Hela nämnden", "Samma nämnden"). */
const ADJECTIVE_STOP = /^(hela|samma|sista|första|andra|nya|gamla|egna|förra|dåvarande|nuvarande|berörda|aktuella|ansvariga)$/iu;
/** Words that cannot start the topic of "nämnden för …" in prose ("ansvarar nämnden för att …"). */
const FOR_TOPIC_STOP = /^(att|en|ett|den|det|de|dem|sin|sitt|sina|hela|alla|varje|detta|denna|dessa|vad|hur|år|året|perioden|budget|arbetet)$/iu;

/**
 * Committee names written in `text` by Swedish naming conventions, whether or not any registry knows them:
 * "Kulturnämnden", "kulturnämndens" (genitive), "Idrotts- och föreningsnämnden", "Kommunstyrelsen",
 * "Socialnämnden Sydväst" (a capitalised district on the same line), "Nämnden för arbetsmarknad och
 * vuxenutbildning". A district is kept only when it stays capitalised and is not itself a committee or a
 * document word following a header (the same "X D" must occur twice, or D must not start a new phrase).
 */
export function recogniseCommitteeNames(text: string, knownDistricts: string[] = []): RecognisedCommittee[] {
  const found: RecognisedCommittee[] = [];
  const districtCounts = new Map<string, number>();
  const known = new Set(knownDistricts.map((district) => foldName(district)));
  const districtOf = (match: RegExpMatchArray): string | undefined => districtAfter(text, (match.index ?? 0) + match[0].length);
  const compounds = keyedMatches(text, COMPOUND, COMPOUND_KEYS, compoundStart);
  for (const match of compounds) {
    const district = districtOf(match);
    if (district) {
      const key = `${foldName(match[1])}|${foldName(district)}`;
      districtCounts.set(key, (districtCounts.get(key) ?? 0) + 1);
    }
  }
  for (const match of compounds) {
    const start = match.index ?? 0;
    const base = match[1].replace(/\s+/g, ' ');
    const nominative = base.replace(/n[\p{L}]{1,2}mnden$/u, 'nämnden');
    const core = nominative.replace(/^(\p{L}+)-\s*och\s+/u, '$1- och ');
    const written = districtOf(match);
    let district: string | undefined = written;
    let end = start + match[0].length + (district ? district.length + 1 : 0);
    if (district) {
      let districtFolded = foldName(district);
      if (districtFolded.endsWith('s') && known.has(districtFolded.slice(0, -1))) {
        district = district.slice(0, -1);
        districtFolded = districtFolded.slice(0, -1);
      }
      const repeated = (districtCounts.get(`${foldName(match[1])}|${foldName(written ?? '')}`) ?? 0) >= 2;
      const isCommittee = /(nämnd|styrelse|förvaltning)(en|ens)?$/iu.test(district);
      if (isCommittee || !(known.has(districtFolded) || repeated)) {
        district = undefined;
        end = start + match[1].length + match[2].length;
      }
    }
    const genitive = match[2] === 's';
    const name = capitalise(core) + (district ? ` ${district}` : '');
    found.push({ start, end, name, ...(district ? { district } : {}), genitive });
  }
  for (const match of text.matchAll(FOR_NAME)) {
    const topic = match[3].replace(/\s+/g, ' ');
    const firstWord = topic.split(/[\s-]/)[0];
    if (FOR_TOPIC_STOP.test(firstWord)) continue;
    if (match[1] === 'nämnden' && !/\soch\s/u.test(topic)) continue;
    const start = match.index ?? 0;
    if (found.some((other) => start < other.end && other.start < start + match[0].length)) continue;
    found.push({ start, end: start + match[0].length, name: `Nämnden för ${topic.charAt(0).toLocaleLowerCase('sv')}${topic.slice(1)}`, genitive: match[2] === 's' });
  }
  for (const match of keyedMatches(text, ADJECTIVE_NAME, ADJECTIVE_KEYS, adjectiveStart)) {
    if (ADJECTIVE_STOP.test(match[1])) continue;
    const start = match.index ?? 0;
    if (found.some((other) => start < other.end && other.start < start + match[0].length)) continue;
    found.push({ start, end: start + match[0].length, name: `${match[1]} ${match[2]}`, genitive: match[3] === 's' });
  }
  return found.sort((left, right) => left.start - right.start);
}

/** The registry of the default profile (Göteborgs Stad). */
let defaultRegistry: CommitteeRegistry | undefined;
function registryOfDefaultProfile(): CommitteeRegistry {
  defaultRegistry ??= createCommitteeRegistry(defaultProfile);
  return defaultRegistry;
}

/**
 * The default profile's committees as entries (kept for callers that list them, e.g. the LLM query rewriter).
 * Derived from `data/profile.sv.json`; no committee is named in code.
 */
export const KNOWN_COMMITTEES: CommitteeEntry[] = createCommitteeRegistry(defaultProfile).entries();

/**
 * Canonical committee id for a name as written in a document or question ("Socialnämnd Nordost",
 * "konsument- och medborgarservice"); resolved against `registry` (default: the default profile's). Unknown names
 * get a slug of their own.
 */
export function canonicalCommitteeId(name: string, registry: CommitteeRegistry = registryOfDefaultProfile()): string {
  return registry.resolve(name) ?? committeeSlug(name);
}
