/**
 * Document metadata read from the (repaired) text of a plan document: title, committee, type, status,
 * plan year, date and parties. Rules read the document's own wording ("Genomförandeplan för budget för X",
 * "Yrkande ang …", "X beslutat om budget 2024", "Verksamhetsplan 20NN", party names and logos), never file
 * names, and tolerate split diacritics and OCR damage. A sidecar `NAME.meta.json` (validated by the ingest)
 * is passed as `override` and wins over everything read from the text.
 */
import { bulletMarker, looksLikeSlides, matchPartyWord, splitLines } from './chunking/lines.ts';
import { capitalize, compactFold, foldCase, lowerFirst } from './chunking/folding.ts';
import { KNOWN_COMMITTEES, canonicalCommitteeId, foldName } from './committees.ts';
import { AppError, type DocumentMeta, type DocumentStatus, type DocumentType } from './types.ts';

export interface MetadataInput {
  /** Path relative to the corpus folder. */
  source: string;
  /** Repaired document text. */
  text: string;
  contentHash: string;
  /** Values from a sidecar `NAME.meta.json`; they win over what is read from the text. */
  override?: Partial<DocumentMeta>;
}

/** Display name used when no committee can be read from the text. */
export const UNKNOWN_COMMITTEE = 'Okänd nämnd';

/** Deterministic document id from its source path: file name without extension; nested paths slugged. */
export function documentIdFor(source: string): string {
  return source
    .replace(/^(\.\/|\.\\)+/, '')
    .replace(/\.[^./\\]+$/, '')
    .replace(/[\\/]+/g, '__')
    .replace(/[^A-Za-z0-9_.-]+/g, '-');
}

/** Party abbreviations in the conventional left-to-right order used when listing them. */
const PARTY_ABBREVIATIONS: Array<[string, string]> = [
  ['vansterpartiet', 'V'],
  ['socialdemokraterna', 'S'],
  ['miljopartiet', 'MP'],
  ['centerpartiet', 'C'],
  ['liberalerna', 'L'],
  ['kristdemokraterna', 'KD'],
  ['moderaterna', 'M'],
  ['sverigedemokraterna', 'SD'],
  ['demokraterna', 'D'],
];

const DISTRICTS: Record<string, string> = { centrum: 'Centrum', nordost: 'Nordost', hisingen: 'Hisingen', sydvast: 'Sydväst' };

const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];

/** Letters/digits/hyphens only, folded, single spaces: the form rules match on. */
function spacedFold(text: string): string {
  return foldCase(text).replace(/[^a-z0-9-]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** "socialnämnden Centrum", "socialnémnden Centrum", "Socialnämnd Nordost", "socialna mnden Sydväst". */
const SOCIAL_DISTRICT = /\bsocialn[a-z ]{0,3}mnd(?:en)?\s+(centrum|nordost|hisingen|sydv[a-z ]{1,3}st)\b/g;

function districtName(raw: string): string {
  const key = raw.replace(/\s+/g, '');
  return DISTRICTS[key.startsWith('sydv') ? 'sydvast' : key] ?? capitalize(key);
}

interface CommitteeGuess {
  display: string;
  id: string;
}

/** Normalise a committee name as written ("nämnden för demokrati och medborgarservice", "socialnämnd Nordost"). */
function committeeFromName(name: string): CommitteeGuess | undefined {
  const cleaned = name.replace(/\s+/g, ' ').replace(/[.,:;]+$/, '').trim();
  if (!cleaned) return undefined;
  const social = new RegExp(SOCIAL_DISTRICT.source).exec(spacedFold(cleaned));
  if (social) {
    const display = `Socialnämnden ${districtName(social[1])}`;
    return { display, id: canonicalCommitteeId(display) };
  }
  const id = canonicalCommitteeId(cleaned);
  const entry = KNOWN_COMMITTEES.find((candidate) => candidate.id === id);
  if (entry && foldName(entry.name) === foldName(cleaned)) return { display: entry.name, id };
  if (!/n[aä]mnd|styrelse/i.test(foldCase(cleaned))) return entry ? { display: entry.name, id } : undefined;
  return { display: capitalize(cleaned), id };
}

/** Committee named in the title: "Genomförandeplan för budget för X", "Verksamhetsplan 2024 för X". */
function committeeFromTitle(head: string[]): CommitteeGuess | undefined {
  for (let index = 0; index < Math.min(head.length, 25); index++) {
    const line = head[index];
    const compact = compactFold(line);
    if (!/^(genomforandeplan|verksamhetsplan|yrkande|forslagtillgenomforandeplan)/.test(compact)) continue;
    let title = line;
    const next = head[index + 1];
    if (next && (next.split(/\s+/).length <= 3 || /\bf\S{0,2}r\s*$/i.test(line)) && !/[.:]$/.test(line)) title = `${line} ${next}`;
    const match = /(?:genomf\S*|verksamhetsplan\S*)(?:\s+\d{4})?\s+f\S{0,3}r\s+(?:budget\s+(?:\d{4}\s+)?f\S{0,3}r\s+)?(.{4,90})$/iu.exec(title.trim());
    if (match) {
      const guess = committeeFromName(match[1].split(/[,;:(]|\s[–-]\s|\s+i enlighet\b/u)[0]);
      if (guess) return guess;
    }
  }
  return undefined;
}

/** "socialnämnden Centrum beslutat om budget 2024", "Kulturnämnden har beslutat om budget". */
function committeeFromDecision(text: string): CommitteeGuess | undefined {
  const match = /([\p{L}-]*n[aä]mnd(?:en)?(?:\s+\p{Lu}[\p{L}]+)?)\s+(?:har\s+)?beslutat\s+om\s+(?:sin\s+)?(?:budget|verksamhetsplan)/iu.exec(text);
  return match ? committeeFromName(match[1]) : undefined;
}

/** The committee mentioned most (mentions in the opening lines count three times). */
function committeeFromMentions(text: string, head: string): CommitteeGuess | undefined {
  const whole = ` ${foldName(text)} `;
  const opening = ` ${foldName(head)} `;
  const scores = new Map<string, { score: number; guess: CommitteeGuess }>();
  const add = (guess: CommitteeGuess, count: number): void => {
    if (count === 0) return;
    const entry = scores.get(guess.id) ?? { score: 0, guess };
    entry.score += count;
    scores.set(guess.id, entry);
  };
  const count = (haystack: string, needle: string): number => haystack.split(` ${needle} `).length - 1;
  for (const match of spacedFold(text).matchAll(SOCIAL_DISTRICT)) {
    const display = `Socialnämnden ${districtName(match[1])}`;
    add({ display, id: canonicalCommitteeId(display) }, 1);
  }
  for (const match of spacedFold(head).matchAll(SOCIAL_DISTRICT)) {
    const display = `Socialnämnden ${districtName(match[1])}`;
    add({ display, id: canonicalCommitteeId(display) }, 2);
  }
  for (const entry of KNOWN_COMMITTEES) {
    if (entry.id.startsWith('socialnamnden-')) continue;
    const forms = [entry.name, ...entry.aliases].map((form) => foldName(form));
    const mentions = forms.reduce((sum, form) => sum + count(whole, form) + 2 * count(opening, form), 0);
    if (mentions === 0) continue;
    // Display: the current name when the document uses it, else the document's own (former) "Nämnden för …" name.
    let display = entry.name;
    if (count(whole, foldName(entry.name)) === 0) {
      const former = entry.aliases
        .filter((alias) => /^n[aä]mnden\b/i.test(alias) && count(whole, foldName(alias)) > 0)
        .sort((left, right) => right.length - left.length)[0];
      if (former) display = capitalize(former);
    }
    add({ display, id: entry.id }, mentions);
  }
  let best: { score: number; guess: CommitteeGuess } | undefined;
  for (const candidate of scores.values()) if (!best || candidate.score > best.score) best = candidate;
  return best?.guess;
}

function detectType(head: string[], text: string, slides: boolean): DocumentType {
  const opening = head.slice(0, 6).map((line) => compactFold(line));
  if (opening.some((line) => line.startsWith('yrkande'))) return 'yrkande';
  const headCompact = compactFold(head.slice(0, 12).join(' '));
  if (headCompact.includes('genomforandeplan')) return 'genomförandeplan';
  if (headCompact.includes('verksamhetsplan')) return 'verksamhetsplan';
  if (slides) return 'presentation';
  const compact = compactFold(text);
  const plans = compact.split('genomforandeplan').length - 1;
  const activities = compact.split('verksamhetsplan').length - 1;
  if (activities >= 2 && activities > plans) return 'verksamhetsplan';
  if (plans >= 2) return 'genomförandeplan';
  return 'annat';
}

function detectYear(head: string[], text: string): number | undefined {
  const pattern = /\b(?:genomforandeplan(?:en)?|verksamhetsplan(?:en)?|budget(?:en)?)\s+(?:f[a-z ]{0,3}r\s+)?(?:ar\s+)?(20\d\d)\b/;
  const fromHead = pattern.exec(spacedFold(head.join(' ')));
  if (fromHead) return Number(fromHead[1]);
  const fromText = pattern.exec(spacedFold(text));
  return fromText ? Number(fromText[1]) : undefined;
}

function validDate(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A date standing on its own line near the top ("2024-11-18", "Datum: 18 november 2024"). */
function detectDate(head: string[]): string | undefined {
  for (const line of head.slice(0, 40)) {
    const iso = /^(?:datum:?\s*)?(\d{4})-(\d{2})-(\d{2})$/i.exec(line.trim());
    if (iso) return validDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    const written = /^(?:datum:?\s*)?(\d{1,2})\s+([a-zåäö]+)\s+(\d{4})$/i.exec(line.trim());
    if (written) {
      const month = MONTHS.indexOf(foldCase(written[2])) + 1;
      if (month > 0) return validDate(Number(written[3]), month, Number(written[1]));
    }
  }
  return undefined;
}

/**
 * Parties behind a proposal: lines that are mostly party names ("Vänsterpartiet, Socialdemokraterna,
 * Miljöpartiet", "Vänsterpartiets, Socialdemokraternas och Miljöpartiets Genomförandeplan för") or OCR'd logos
 * ("miljspartiet", "Vinsterpartiet dB grano"). A party merely mentioned in prose does not count.
 */
function detectParties(lines: string[]): string[] | undefined {
  const found = new Set<string>();
  for (const line of lines) {
    const words = line.split(/[\s,;/&]+/).filter((word) => word.length > 2 && !/^(och|samt|med)$/i.test(word));
    if (words.length === 0 || words.length > 8) continue;
    const parties = words.map((word) => matchPartyWord(word)).filter((party): party is string => party !== undefined);
    if (parties.length > 0 && parties.length * 2 >= words.length) for (const party of parties) found.add(party);
  }
  const result = PARTY_ABBREVIATIONS.filter(([name]) => found.has(name)).map(([, abbreviation]) => abbreviation);
  return result.length > 0 ? result : undefined;
}

function detectStatus(type: DocumentType, parties: string[] | undefined, head: string): DocumentStatus {
  if (type === 'yrkande') return 'yrkande';
  if (type === 'presentation') return 'information';
  if (parties && parties.length > 0) return 'yrkande';
  const folded = spacedFold(head);
  if (/\bforslag till (genomforandeplan|verksamhetsplan|budget)\b/.test(folded)) return 'förslag';
  if (type === 'verksamhetsplan') return 'beslutad';
  if (/\b(antagen|antogs|faststalld|faststalldes|beslutad av (namnden|styrelsen))\b/.test(folded)) return 'beslutad';
  return 'förslag';
}

function yrkandeSubject(head: string[]): string | undefined {
  const line = head.find((candidate) => compactFold(candidate).startsWith('yrkande'));
  if (!line) return undefined;
  const compact = compactFold(line);
  if (compact.includes('genomforandeplan')) return 'genomförandeplan';
  if (compact.includes('verksamhetsplan')) return 'verksamhetsplan';
  if (compact.includes('budget')) return 'budget';
  return undefined;
}

interface TitleParts {
  type: DocumentType;
  committee: string;
  year?: number;
  head: string[];
  text: string;
  source: string;
}

/** A human-readable title from the type, committee and year. */
function buildTitle(parts: TitleParts): string {
  const known = parts.committee !== UNKNOWN_COMMITTEE;
  const committee = lowerFirst(parts.committee);
  const year = parts.year !== undefined ? ` ${parts.year}` : '';
  switch (parts.type) {
    case 'genomförandeplan':
      return known ? `Genomförandeplan${year} för ${committee}` : `Genomförandeplan${year}`;
    case 'yrkande': {
      const subject = yrkandeSubject(parts.head);
      const about = subject ? ` ang. ${subject}${year}` : '';
      return known ? `Yrkande${about} – ${committee}` : `Yrkande${about}`;
    }
    case 'verksamhetsplan': {
      const prefix = /\bnamndens verksamhetsplan\b/.test(spacedFold(parts.text)) ? 'Nämndens verksamhetsplan' : 'Verksamhetsplan';
      return known ? `${prefix}${year} – ${committee}` : `${prefix}${year}`;
    }
    case 'presentation': {
      const subject = parts.committee.replace(/^n[aä]mnden\s+för\s+/i, '');
      return known ? `${capitalize(subject)} – presentation` : `${parts.head[0] ?? parts.source} – presentation`;
    }
    default:
      return (parts.head[0] ?? '').slice(0, 120) || parts.source;
  }
}

/** Drop undefined values so they never erase what was read from the text. */
function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

/**
 * Read a document's metadata from its repaired text (see the module comment), then apply `input.override`.
 * `id`, `source` and `contentHash` always come from the input. The title is rebuilt from the overridden
 * committee/type/year unless the override gives a title itself.
 * @throws AppError `bad_request` when `source` is empty.
 */
export function extractMetadata(input: MetadataInput): DocumentMeta {
  if (typeof input.source !== 'string' || input.source.trim() === '') {
    throw new AppError('bad_request', 'extractMetadata: `source` must be a non-empty path relative to the corpus folder');
  }
  const text = typeof input.text === 'string' ? input.text : '';
  const lines = splitLines(text);
  const content = lines.filter((line) => !line.blank && !line.garbage).map((line) => line.text);
  const head = content.slice(0, 40);
  const slides = looksLikeSlides(lines) && content.filter((line) => bulletMarker(line)).length >= 3;

  const type = detectType(head, text, slides);
  const committeeGuess =
    committeeFromTitle(head) ?? committeeFromDecision(text) ?? committeeFromMentions(text, head.slice(0, 12).join('\n'));
  const year = detectYear(head.slice(0, 15), text);
  const date = detectDate(head);
  const parties = detectParties(lines.filter((line) => !line.blank).map((line) => line.text));
  const status = detectStatus(type, parties, head.slice(0, 15).join(' '));

  const override = definedOnly(input.override);
  const committee = override.committee ?? committeeGuess?.display ?? UNKNOWN_COMMITTEE;
  const committeeId =
    override.committeeId ?? (override.committee !== undefined || !committeeGuess ? canonicalCommitteeId(committee) : committeeGuess.id);
  const meta: DocumentMeta = {
    id: documentIdFor(input.source),
    source: input.source,
    title: '',
    committee,
    committeeId,
    type: override.type ?? type,
    status: override.status ?? status,
    contentHash: input.contentHash,
  };
  const finalYear = override.year ?? year;
  if (finalYear !== undefined) meta.year = finalYear;
  const finalDate = override.date ?? date;
  if (finalDate !== undefined) meta.date = finalDate;
  const finalParties = override.parties ?? parties;
  if (finalParties !== undefined && finalParties.length > 0) meta.parties = finalParties;
  meta.title = override.title ?? buildTitle({ type: meta.type, committee, year: meta.year, head, text, source: input.source });
  return meta;
}
