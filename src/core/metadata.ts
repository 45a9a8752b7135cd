/**
 * Document metadata read from the (repaired) text of a plan document: title, committee, type, status, plan year,
 * date, decision, diarienummer, parties and signatories. Rules read Swedish document conventions ("Genomförandeplan
 * 2026 för X", "Beslutad i X 2025-12-16, § 312", "Protokollsutdrag … Sammanträdesdatum", "Tjänsteutlåtande …
 * Utfärdat", "Förslag till beslut / I X", "Yrkande angående …", "Diarienummer", party lines, name/role rows at the
 * end), never file names, and tolerate split diacritics and OCR damage. Committee names come from the domain
 * profile (`data/profile.sv.json` by default) or are recognised in the text (`recogniseCommitteeNames`); none is
 * written in code. A sidecar `NAME.meta.json` (validated by the ingest) is passed as `override` and wins.
 */
import { bulletMarker, looksLikeSlides, matchPartyWord, splitLines, type Line } from './chunking/lines.ts';
import { capitalize, compactFold, foldCase, lowerFirst } from './chunking/folding.ts';
import { committeeSlug, createCommitteeRegistry, recogniseCommitteeNames, type CommitteeRegistry, type CommitteeSpan } from './committees.ts';
import { defaultProfile, type DomainProfile } from './profile.ts';
import { AppError, type DocumentDecision, type DocumentMeta, type DocumentStatus, type DocumentType } from './types.ts';

export interface MetadataInput {
  /** Path relative to the corpus folder. */
  source: string;
  /** Repaired document text. */
  text: string;
  contentHash: string;
  /** Values from a sidecar `NAME.meta.json`; they win over what is read from the text. */
  override?: Partial<DocumentMeta>;
}

/** Options of `readMetadata`. */
export interface MetadataOptions {
  /** Domain profile whose committees are known (default: Göteborgs Stad's `data/profile.sv.json`). */
  profile?: DomainProfile;
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
const PARTY_CODES = new Set(PARTY_ABBREVIATIONS.map(([, code]) => code));

const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];

/** Letters/digits/hyphens only, folded, single spaces: the form rules match on. */
function spacedFold(text: string): string {
  return foldCase(text).replace(/[^a-z0-9§-]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Cells of a header line laid out in columns ("Göteborgs Stad        Protokollsutdrag", "A | B", tabs). */
function cellsOf(text: string): string[] {
  return text
    .split(/\s{3,}|\t+|\s\|\s/)
    .map((cell) => cell.trim())
    .filter(Boolean);
}

const ISO_DATE = /(\d{4})-(\d{2})-(\d{2})/;

function validDate(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** An ISO ("2025-03-12") or written ("12 mars 2025") date at the start of `text`. */
function dateAt(text: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})\b/.exec(text);
  if (iso) return validDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const written = /^(\d{1,2})\s+(\p{L}+)\s+(\d{4})\b/u.exec(text);
  if (written) {
    const month = MONTHS.indexOf(foldCase(written[2])) + 1;
    if (month > 0) return validDate(Number(written[3]), month, Number(written[1]));
  }
  return undefined;
}

/** The parts of a document the rules look at. */
interface Reading {
  text: string;
  lines: Line[];
  /** Non-blank, non-garbage lines. */
  content: Line[];
  /** The first content lines. */
  head: Line[];
  /** Cells of the head's lines, in reading order, with their line's position in `content`. */
  headCells: Array<{ text: string; line: number }>;
}

function readLines(text: string): Reading {
  const lines = splitLines(text);
  const content = lines.filter((line) => !line.blank && !line.garbage);
  const head = content.slice(0, 40);
  const headCells = head.slice(0, 15).flatMap((line, index) => cellsOf(line.text).map((cell) => ({ text: cell, line: index })));
  return { text, lines, content, head, headCells };
}

// ---------------------------------------------------------------- type

/** The document's own name for itself in its header: "Protokollsutdrag", "Protokoll", "Tjänsteutlåtande". */
function headerKind(reading: Reading): { type: 'protokoll' | 'tjänsteutlåtande'; label: string } | undefined {
  for (const cell of reading.headCells) {
    if (cell.line > 8) break;
    const compact = compactFold(cell.text);
    if (/^(justerat)?protokoll(sutdrag|et)?$/.test(compact) || /^protokoll(sutdrag)?(fran|for|vid)/.test(compact)) {
      const label = /^(?:justerat\s+)?protokoll(?:sutdrag|et)?/iu.exec(cell.text)?.[0] ?? 'Protokoll';
      return { type: 'protokoll', label: capitalize(label) };
    }
    if (/^tjansteutlatande$/.test(compact)) return { type: 'tjänsteutlåtande', label: capitalize(cell.text) };
  }
  return undefined;
}

function detectType(reading: Reading, slides: boolean): DocumentType {
  const kind = headerKind(reading);
  if (kind) return kind.type;
  const head = reading.head.map((line) => line.text);
  const opening = head.slice(0, 6).map((line) => compactFold(line));
  if (opening.some((line) => line.startsWith('yrkande'))) return 'yrkande';
  const headCompact = compactFold(head.slice(0, 12).join(' '));
  if (headCompact.includes('genomforandeplan')) return 'genomförandeplan';
  if (headCompact.includes('verksamhetsplan')) return 'verksamhetsplan';
  if (slides) return 'presentation';
  if (head.slice(0, 6).some((line) => /^(?:\p{L}+s\s+)?budget\s+(?:för\s+)?(?:år\s+)?20\d\d\b/iu.test(line))) return 'budget';
  const compact = compactFold(reading.text);
  const plans = compact.split('genomforandeplan').length - 1;
  const activities = compact.split('verksamhetsplan').length - 1;
  if (activities >= 2 && activities > plans) return 'verksamhetsplan';
  if (plans >= 2) return 'genomförandeplan';
  return 'annat';
}

// ---------------------------------------------------------------- committee

interface CommitteeGuess {
  display: string;
  id: string;
}

/**
 * The committee that owns or decided the document, by where its name stands: a decision line ("Beslutad i/av X"),
 * a title ("Genomförandeplan 2026 för X", "Budget 2025 för X"), the header (a line or cell starting with the name,
 * repeated page headers), "I X" / "X beslutar" / "Xs beslut" decision lines; a mention in the body counts little
 * and a committee that "får i uppdrag" is an assignee, not the owner.
 */
function detectCommittee(reading: Reading, registry: CommitteeRegistry): CommitteeGuess | undefined {
  const { text, content } = reading;
  const spans = registry.mentions(text);
  if (spans.length === 0) return undefined;
  const contentIndex = new Map(content.map((line, index) => [line.index, index]));
  const headerTexts = new Set(content.slice(0, 8).map((line) => compactFold(line.text)));
  const lineOf = (offset: number): Line | undefined => {
    let low = 0;
    let high = reading.lines.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const line = reading.lines[middle];
      if (offset < line.start) high = middle - 1;
      else if (offset > line.end) low = middle + 1;
      else return line;
    }
    return undefined;
  };
  const scores = new Map<string, { score: number; body: number; spans: CommitteeSpan[] }>();
  for (const span of spans) {
    const line = lineOf(span.start);
    const position = line ? contentIndex.get(line.index) : undefined;
    const prefix = line ? spacedFold(text.slice(line.start, span.start)) : '';
    const suffix = line ? spacedFold(text.slice(span.end, line.end)) : '';
    const genitive = spacedFold(span.text).endsWith('s');
    let weight = 0;
    let body = 0;
    const rawSuffix = line ? text.slice(span.end, line.end).trim() : '';
    const standsAlone = suffix === '' || /^[–-]/.test(rawSuffix) || (line !== undefined && cellsOf(line.text).length > 1 && cellsOf(line.text)[0].length <= span.text.length + 1);
    if (/^(?:beslutad|beslutat|antagen|faststalld)\s+(?:i|av)$/.test(prefix) && /^(?:den\s+)?(?:\d{4}-\d{2}-\d{2}|\d{1,2}\s+\p{L}+\s+\d{4})/u.test(rawSuffix.replace(/^[,\s]+/, ''))) weight = 20;
    else if (position !== undefined && position < 15 && /^(?:.*\b)?(?:genomforandeplan\w*|verksamhetsplan\w*|budget\w*|yrkande\w*|arsrapport\w*|delarsrapport\w*|uppfoljning\w*)\b.*\bf[a-z]{0,2}r$/.test(prefix)) weight = 8;
    else if (position !== undefined && position < 3 && /^(?:justerat )?(?:protokoll\w*|kallelse|sammantrade\w*)\b.*\b(?:for|med|i|vid)$/.test(prefix)) weight = 8;
    else if (prefix === 'i' && suffix === '' && position !== undefined) weight = 6;
    else if (prefix === '' && standsAlone && position !== undefined && position < 8) weight = 6;
    else if (prefix === '' && standsAlone && line && headerTexts.has(compactFold(line.text))) weight = 3;
    else if (/^(?:beslutar|har beslutat|beslutade|beslutat om)\b/.test(suffix) || (genitive && /^beslut\b/.test(suffix))) weight = 4;
    else if (/^(?:far|fick|ges)\s+i\s+uppdrag\b/.test(suffix)) weight = 0;
    else body = 1;
    const entry = scores.get(span.id) ?? { score: 0, body: 0, spans: [] };
    entry.score += weight;
    entry.body += body;
    entry.spans.push(span);
    scores.set(span.id, entry);
  }
  let best: { id: string; total: number; spans: CommitteeSpan[] } | undefined;
  for (const [id, entry] of scores) {
    const total = entry.score + Math.min(entry.body, 6);
    if (!best || total > best.total) best = { id, total, spans: entry.spans };
  }
  if (!best) return undefined;
  const entry = registry.get(best.id);
  if (!entry) return undefined;
  // A document that only uses a former name keeps it as display name (the id is the current committee's).
  const display = best.spans.every((span) => span.former) && entry.formerNames?.length ? entry.formerNames[0] : entry.name;
  return { display, id: entry.id };
}

/** The profile's own registry, built once per profile object and never changed (documents get forks of it). */
const profileRegistries = new WeakMap<DomainProfile, CommitteeRegistry>();
function profileRegistry(profile: DomainProfile): CommitteeRegistry {
  let registry = profileRegistries.get(profile);
  if (!registry) {
    registry = createCommitteeRegistry(profile);
    profileRegistries.set(profile, registry);
  }
  return registry;
}

const districtsOfProfile = new WeakMap<DomainProfile, string[]>();
function profileDistricts(profile: DomainProfile): string[] {
  let districts = districtsOfProfile.get(profile);
  if (!districts) {
    districts = profile.committees.map((committee) => committee.district).filter((district): district is string => Boolean(district));
    districtsOfProfile.set(profile, districts);
  }
  return districts;
}

/** A registry for one document: the profile's committees plus every committee name the document writes. */
function registryFor(text: string, profile: DomainProfile): CommitteeRegistry {
  const registry = profileRegistry(profile).fork();
  const districts = profileDistricts(profile);
  for (const recognised of recogniseCommitteeNames(text, districts)) {
    if (registry.resolve(recognised.name) === undefined) registry.learn(recognised.name);
  }
  return registry;
}

// ---------------------------------------------------------------- decision, dates, year

/** "Beslutad i socialnämnden Nordost 2025-12-16, § 312", "Beslutad av förskolenämnden 2025-01-21, § 7". */
function detectDecisionLine(reading: Reading): DocumentDecision | undefined {
  for (const line of reading.content.slice(0, 30)) {
    const match = /^(?:beslutad|beslutat|antagen|fastställd)\s+(?:i|av)\s+(.+?)[\s,]+(?:den\s+)?(\d{4}-\d{2}-\d{2}|\d{1,2}\s+\p{L}+\s+\d{4})(?:[\s,]+§\s*(\d+(?:\s*[–-]\s*\d+)?))?/iu.exec(line.text);
    if (!match) continue;
    const decision: DocumentDecision = { body: capitalize(match[1].trim()) };
    const date = dateAt(match[2]);
    if (date) decision.date = date;
    if (match[3]) decision.paragraph = match[3].replace(/\s*[–-]\s*/, '–');
    return decision;
  }
  return undefined;
}

/** Paragraph numbers of a protocol ("§ 187" at the start of a line or cell): "187" or "187–188". */
function protocolParagraphs(reading: Reading): string | undefined {
  const numbers: number[] = [];
  for (const line of reading.content) {
    const match = /^§\s*(\d{1,4})\b/.exec(line.text);
    if (match && !numbers.includes(Number(match[1]))) numbers.push(Number(match[1]));
  }
  if (numbers.length === 0) return undefined;
  const sorted = [...numbers].sort((left, right) => left - right);
  const contiguous = sorted.every((value, index) => index === 0 || value === sorted[index - 1] + 1);
  if (sorted.length === 1) return String(sorted[0]);
  return contiguous ? `${sorted[0]}–${sorted[sorted.length - 1]}` : sorted.join(', ');
}

/**
 * The document's own date from a labelled header cell ("Sammanträdesdatum: 2025-03-12", "Utfärdat 2024-12-02",
 * "Datum: 18 november 2024", "Daterad …") or a date standing alone on a line near the top.
 */
function detectDate(reading: Reading): string | undefined {
  for (const cell of reading.head.slice(0, 25).flatMap((line) => cellsOf(line.text))) {
    const labelled = /^(?:datum|sammanträdesdatum|sammanträde|mötesdatum|utfärdat|utfärdad|beslutsdatum|daterad|daterat)\s*:?\s*(.+)$/iu.exec(cell);
    if (labelled) {
      const date = dateAt(labelled[1].trim());
      if (date) return date;
    }
  }
  // A protocol's opening line with its meeting date ("Protokoll från sammanträde med X 2024-05-12").
  for (const line of reading.head.slice(0, 3)) {
    if (!/^(?:justerat\s+)?(?:protokoll|sammanträde|kallelse)/iu.test(line.text)) continue;
    const found = /(\d{4}-\d{2}-\d{2}|\d{1,2}\s+\p{L}+\s+\d{4})/u.exec(line.text);
    const date = found ? dateAt(found[1]) : undefined;
    if (date) return date;
  }
  for (const line of reading.head) {
    const trimmed = line.text.trim();
    if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed) || /^\d{1,2}\s+\p{L}+\s+\d{4}$/u.test(trimmed)) {
      const date = dateAt(trimmed);
      if (date || ISO_DATE.test(trimmed)) return date;
    }
  }
  return undefined;
}

function detectYear(reading: Reading): number | undefined {
  const pattern = /\b(?:genomforandeplan(?:en)?|verksamhetsplan(?:en)?|budget(?:en)?)\s+(?:f[a-z ]{0,3}r\s+)?(?:ar\s+)?(20\d\d)\b/;
  const fromHead = pattern.exec(spacedFold(reading.head.slice(0, 15).map((line) => line.text).join(' ')));
  if (fromHead) return Number(fromHead[1]);
  // Only the opening of the text: a year that merely appears later is not the plan year.
  const fromOpening = pattern.exec(spacedFold(reading.content.slice(0, 40).map((line) => line.text).join(' ')));
  return fromOpening ? Number(fromOpening[1]) : undefined;
}

/** "Diarienummer SNNO-2025-00914", "Dnr SLK-2024-00912", "Dnr: 1234/25". */
function detectDiarienummer(reading: Reading): string | undefined {
  for (const line of reading.content.slice(0, 40)) {
    const match = /\b(?:diarienummer|diarienr|dnr)\.?\s*:?\s*([\p{L}\d][\p{L}\d/._-]*\d[\p{L}\d/._-]*)/iu.exec(line.text);
    if (match) return match[1].replace(/[.,;]+$/, '');
  }
  return undefined;
}

// ---------------------------------------------------------------- parties

function partiesIn(words: string[]): Set<string> {
  const found = new Set<string>();
  for (const word of words) {
    const party = matchPartyWord(word);
    if (party) found.add(party);
    else if (PARTY_CODES.has(word)) found.add(PARTY_ABBREVIATIONS.find(([, code]) => code === word)?.[0] ?? word);
  }
  return found;
}

function ordered(found: Set<string>): string[] | undefined {
  const result = PARTY_ABBREVIATIONS.filter(([name]) => found.has(name)).map(([, abbreviation]) => abbreviation);
  return result.length > 0 ? result : undefined;
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
  return ordered(found);
}

/** "Nämnden beslutade i enlighet med yrkande från V, S och MP": the parties whose proposal was adopted. */
function adoptedParties(reading: Reading): string[] | undefined {
  const text = reading.content.slice(0, 40).map((line) => line.text).join(' ');
  const match = /\bi\s+enlighet\s+med\s+(?:\p{L}+\s+)?(?:yrkande(?:t)?|förslag(?:et)?)\s+från\s+([^.]+?)(?:\.|$)/iu.exec(text);
  if (!match) return undefined;
  return ordered(partiesIn(match[1].split(/[\s,;/&]+/).filter(Boolean)));
}

// ---------------------------------------------------------------- signatories

const PERSON_NAME = /^\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?(?:\s\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?){1,2}$/u;
const ROLE = /^\p{Lu}\p{Ll}{3,}(?:\s\p{Ll}+){0,2}$/u;

/** A role word of a signature row ("Förvaltningsdirektör", "Ordförande", "Justerande"); not a definite noun or a body. */
function isRole(cell: string): boolean {
  return ROLE.test(cell) && !PERSON_NAME.test(cell) && !/(?:en|et|na|erna)$/u.test(cell) && recogniseCommitteeNames(cell).length === 0;
}

/**
 * Names with their roles at the end of a tjänsteutlåtande ("Karin Ahlström / Förvaltningsdirektör" in columns) or a
 * protocol ("Ordförande / Annika Holmgren"): a row of person names next to a row of roles, paired by column.
 */
function detectSignatories(reading: Reading): string[] | undefined {
  const tail = reading.content.slice(-16).map((line) => cellsOf(line.text));
  const result: string[] = [];
  for (let index = 0; index + 1 < tail.length; index++) {
    const first = tail[index];
    const second = tail[index + 1];
    if (first.length !== second.length) continue;
    let pairs: Array<[string, string]> | undefined;
    if (first.every((cell) => PERSON_NAME.test(cell)) && second.every(isRole)) pairs = first.map((name, column) => [name, second[column]]);
    else if (first.every(isRole) && second.every((cell) => PERSON_NAME.test(cell))) pairs = second.map((name, column) => [name, first[column]]);
    if (!pairs) continue;
    for (const [name, role] of pairs) {
      const entry = `${name}, ${role.toLocaleLowerCase('sv')}`;
      if (!result.includes(entry)) result.push(entry);
    }
    index++;
  }
  return result.length > 0 ? result : undefined;
}

// ---------------------------------------------------------------- status and title

function detectStatus(type: DocumentType, parties: string[] | undefined, decided: boolean, head: string): DocumentStatus {
  if (type === 'yrkande') return 'yrkande';
  if (decided || type === 'protokoll') return 'beslutad';
  if (type === 'tjänsteutlåtande') return 'förslag';
  if (type === 'presentation') return 'information';
  if (parties && parties.length > 0) return 'yrkande';
  const folded = spacedFold(head);
  if (/\bforslag till (genomforandeplan|verksamhetsplan|budget)\b/.test(folded)) return 'förslag';
  if (type === 'verksamhetsplan') return 'beslutad';
  if (/\b(antagen|antogs|faststalld|faststalldes|beslutad av (namnden|styrelsen))\b/.test(folded)) return 'beslutad';
  return 'förslag';
}

/** What a yrkande is about: "Yrkande ang Genomförandeplan 2025", "Yrkande angående budget 2026 för …". */
function yrkandeSubject(head: string[]): string | undefined {
  for (const line of head) {
    const compact = compactFold(line);
    if (!compact.startsWith('yrkande')) continue;
    if (compact.includes('genomforandeplan')) return 'genomförandeplan';
    if (compact.includes('verksamhetsplan')) return 'verksamhetsplan';
    if (compact.includes('budget')) return 'budget';
  }
  return undefined;
}

/** The subject line of a tjänsteutlåtande: the line before "Förslag till beslut", when it reads as a title. */
function subjectLine(reading: Reading): string | undefined {
  const head = reading.head.slice(0, 30);
  const proposal = head.findIndex((line) => /^förslag till beslut\b/iu.test(line.text));
  const candidates = proposal > 0 ? [head[proposal - 1]] : [];
  for (const line of candidates) {
    const textLine = line.text.trim();
    if (textLine.length < 6 || textLine.length > 160 || /[:@]/.test(textLine) || /^\d{4}-\d{2}-\d{2}$/.test(textLine)) continue;
    return textLine;
  }
  return undefined;
}

/** A header line that only names the organisation or a committee: skipped when a title is taken from the text. */
function isHeaderOnly(line: string, registry: CommitteeRegistry): boolean {
  const words = line.split(/\s+/).filter(Boolean);
  if (registry.mentions(line).some((span) => span.end - span.start >= line.trim().length - 1)) return true;
  return words.length <= 3 && words.every((word) => /^\p{Lu}/u.test(word)) && !/\d/.test(line);
}

interface TitleParts {
  type: DocumentType;
  committee: string;
  year?: number;
  date?: string;
  reading: Reading;
  registry: CommitteeRegistry;
  source: string;
}

/** A human-readable title from the type, committee, year and the document's own header. */
function buildTitle(parts: TitleParts): string {
  const known = parts.committee !== UNKNOWN_COMMITTEE;
  const committee = lowerFirst(parts.committee);
  const year = parts.year !== undefined ? ` ${parts.year}` : '';
  const head = parts.reading.head.map((line) => line.text);
  switch (parts.type) {
    case 'genomförandeplan':
      return known ? `Genomförandeplan${year} för ${committee}` : `Genomförandeplan${year}`;
    case 'yrkande': {
      const subject = yrkandeSubject(head);
      const about = subject ? ` ang. ${subject}${year}` : '';
      return known ? `Yrkande${about} – ${committee}` : `Yrkande${about}`;
    }
    case 'verksamhetsplan': {
      const prefix = /\bnamndens verksamhetsplan\b/.test(spacedFold(parts.reading.text)) ? 'Nämndens verksamhetsplan' : 'Verksamhetsplan';
      return known ? `${prefix}${year} – ${committee}` : `${prefix}${year}`;
    }
    case 'presentation': {
      const subject = parts.committee.replace(/^n[aä]mnden\s+för\s+/i, '');
      return known ? `${capitalize(subject)} – presentation` : `${head[0] ?? parts.source} – presentation`;
    }
    case 'protokoll': {
      const label = headerKind(parts.reading)?.label ?? 'Protokoll';
      const paragraphs = protocolParagraphs(parts.reading);
      const when = parts.date ? ` ${parts.date}` : '';
      return `${label}${known ? `, ${parts.committee}` : ''}${when}${paragraphs ? `, § ${paragraphs}` : ''}`;
    }
    case 'tjänsteutlåtande': {
      const subject = subjectLine(parts.reading);
      if (subject) return subject;
      return known ? `Tjänsteutlåtande – ${committee}` : 'Tjänsteutlåtande';
    }
    case 'budget':
      return known ? `Budget${year} för ${committee}` : `Budget${year}`;
    default: {
      const first = head.find((line) => !isHeaderOnly(line, parts.registry)) ?? head[0] ?? '';
      return first.slice(0, 120) || parts.source;
    }
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
export function readMetadata(input: MetadataInput, options: MetadataOptions = {}): DocumentMeta {
  if (typeof input.source !== 'string' || input.source.trim() === '') {
    throw new AppError('bad_request', 'readMetadata: `source` must be a non-empty path relative to the corpus folder');
  }
  const profile = options.profile ?? defaultProfile;
  const text = typeof input.text === 'string' ? input.text : '';
  const reading = readLines(text);
  const slides = looksLikeSlides(reading.lines) && reading.content.filter((line) => bulletMarker(line.text)).length >= 3;
  const registry = registryFor(text, profile);

  const type = detectType(reading, slides);
  const committeeGuess = detectCommittee(reading, registry);
  const date = detectDate(reading);
  let decision = detectDecisionLine(reading);
  if (type === 'protokoll') {
    const paragraph = protocolParagraphs(reading);
    decision = {
      ...(committeeGuess ? { body: committeeGuess.display } : {}),
      ...(date ? { date } : {}),
      ...(paragraph ? { paragraph } : {}),
    };
  }
  // A protocol's year is its meeting year; a tjänsteutlåtande about no plan or budget year is dated by its own date.
  const year =
    type === 'protokoll' && date
      ? Number(date.slice(0, 4))
      : (detectYear(reading) ?? (type === 'tjänsteutlåtande' && date ? Number(date.slice(0, 4)) : undefined));
  const decided = decision !== undefined && type !== 'yrkande';
  const parties = decided
    ? adoptedParties(reading)
    : type === 'protokoll' || type === 'tjänsteutlåtande'
      ? undefined
      : detectParties(reading.lines.filter((line) => !line.blank).map((line) => line.text));
  const status = detectStatus(type, parties, decided, reading.head.slice(0, 15).map((line) => line.text).join(' '));
  const diarienummer = detectDiarienummer(reading);
  const signatories = type === 'tjänsteutlåtande' || type === 'protokoll' ? detectSignatories(reading) : undefined;

  const override = definedOnly(input.override);
  const committee = override.committee ?? committeeGuess?.display ?? UNKNOWN_COMMITTEE;
  const committeeId =
    override.committeeId ??
    (override.committee !== undefined || !committeeGuess ? (registry.resolve(committee) ?? committeeSlug(committee)) : committeeGuess.id);
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
  const finalDate = override.date ?? date ?? decision?.date;
  if (finalDate !== undefined) meta.date = finalDate;
  const finalParties = override.parties ?? parties;
  if (finalParties !== undefined && finalParties.length > 0) meta.parties = finalParties;
  const finalDiarienummer = override.diarienummer ?? diarienummer;
  if (finalDiarienummer !== undefined) meta.diarienummer = finalDiarienummer;
  const finalDecision = override.decision ?? decision;
  if (finalDecision !== undefined && Object.keys(finalDecision).length > 0) meta.decision = finalDecision;
  const finalSignatories = override.signatories ?? signatories;
  if (finalSignatories !== undefined && finalSignatories.length > 0) meta.signatories = finalSignatories;
  meta.title =
    override.title ?? buildTitle({ type: meta.type, committee, year: meta.year, date: meta.date, reading, registry, source: input.source });
  return meta;
}

/** The former name of `readMetadata` (same behaviour, default profile unless `options` says otherwise). */
export function extractMetadata(input: MetadataInput, options: MetadataOptions = {}): DocumentMeta {
  return readMetadata(input, options);
}

/** The first line with content, trimmed (the text of `splitLines`'s first non-blank line), or "". */
function firstNonBlankLine(text: string): string {
  for (let start = 0; start <= text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(start, end).trim();
    if (line) return line;
    start = end + 1;
  }
  return '';
}

/**
 * What is missing or doubtful in a document's metadata, for the ingest report: "committee not recognised",
 * "committee not in the profile: X", "no year", "no date", "type unknown", "title is a header line".
 */
export function metadataWarnings(meta: DocumentMeta, text: string, options: MetadataOptions = {}): string[] {
  const warnings: string[] = [];
  const registry = profileRegistry(options.profile ?? defaultProfile);
  if (meta.committee === UNKNOWN_COMMITTEE) warnings.push('committee not recognised');
  else if (registry.resolve(meta.committeeId) === undefined && registry.resolve(meta.committee) === undefined) {
    warnings.push(`committee not in the profile: ${meta.committee}`);
  }
  if (meta.year === undefined && meta.type !== 'presentation') warnings.push('no year');
  if (meta.date === undefined) warnings.push('no date');
  if (meta.type === 'annat') warnings.push('type unknown');
  const firstLine = firstNonBlankLine(text);
  if (meta.type === 'annat' && firstLine && meta.title === firstLine && isHeaderOnly(firstLine, registry)) warnings.push('title is a header line');
  if (meta.status === 'beslutad' && meta.type !== 'verksamhetsplan' && !meta.decision) warnings.push('decided without a decision line');
  return warnings;
}
