/**
 * The dimensions of a question besides its topic: the years it names, whether it asks about change between
 * versions, the status it asks for, and which document facts (parties, date, decision, diarienummer, signatories,
 * the list of documents, the latest version) it wants. Rules over Swedish and English question wording on folded
 * words; no domain names.
 */
import { foldSwedish } from '../swedish/fold.ts';
import type { DocumentType } from '../types.ts';

/** Folded text with single spaces and no punctuation, padded with spaces for word-boundary matching. */
function normalise(text: string): string {
  return ` ${foldSwedish(text).replace(/[^\p{L}\p{N}-]+/gu, ' ').trim()} `;
}

/** Plan years (1990–2099) a question names, in order of appearance, without repeats. */
export function yearsIn(text: string): number[] {
  const years: number[] = [];
  for (const match of text.matchAll(/(?<![\d-])(19[9]\d|20\d\d)(?![\d-])/g)) {
    const year = Number(match[1]);
    if (!years.includes(year)) years.push(year);
  }
  return years;
}

/** What kind of change between versions a question asks about. */
export type ChangeAsked = 'new' | 'kept' | 'removed' | 'changed' | 'fate';

const CHANGE_RULES: Array<[RegExp, ChangeAsked]> = [
  [/ (fanns redan|finns kvar|fanns kvar|kvarstar|behallits|aterkommer|also in|already in|still in|kept) /, 'kept'],
  [/ (avslutats|avslutade|avslutad|tagits bort|strukits|forsvunnit|utgatt|slutforts|removed|dropped|completed) /, 'removed'],
  [/ (nya|nytt|ny|nyheter|nyheterna|tillkommit|tillkommande|tillkom|new|added) /, 'new'],
  [/ (andrats|andrat|andringar|skillnad|skillnaden|skiljer|changed|changes|difference) /, 'changed'],
  [/ (hande med|hander med|blev det av|what happened|became of) /, 'fate'],
];

/**
 * Whether the question asks about change between versions ("Vilka nya uppdrag … 2026 jämfört med 2025?", "Vilka av
 * dem fanns redan 2025?", "Vad hände med …?"). Needs a change word and either two years, a comparison word
 * ("jämfört med", "sedan", "than") or a fate phrase.
 */
export function changeAskedOf(text: string, years: number[]): ChangeAsked | undefined {
  const normalised = normalise(text);
  // "Vad är nytt 2026?", "Vilka nyheter har planen?", "What is new in 2026?" compare a version with the one before it.
  const asksWhatIsNew = / (vad ar nytt|vad ar det som ar nytt|vad finns det for nytt|nyheter|nyheterna|what is new|what s new|whats new) /.test(normalised);
  const comparing = years.length >= 2 || asksWhatIsNew || / (jamfort med|jamfort|mot foregaende|sedan forra|sedan|an i|compared|than|since|previous|forra|foregaende|tidigare) /.test(normalised);
  for (const [pattern, kind] of CHANGE_RULES) {
    if (!pattern.test(normalised)) continue;
    if (kind === 'fate' || kind === 'kept' || kind === 'removed' || comparing) return kind;
  }
  return undefined;
}

/** Whether the question asks for proposals by name ("förslaget", "yrkandet", "the proposal"). */
export function asksForProposals(text: string): boolean {
  return / (yrkandet|yrkande|yrkanden|yrkandena|forslaget|forslag|forslagen|motion|proposal|proposals|draft) /.test(normalise(text));
}

/** Document facts a question can ask for. */
export type DocumentFact = 'parties' | 'date' | 'decision' | 'status' | 'diarienummer' | 'signatories' | 'documents' | 'latest';

const FACT_RULES: Array<[RegExp, DocumentFact]> = [
  [/ (vilka partier|vilket parti|vilka politiska partier|partier star bakom|partierna bakom|star bakom|which parties|what parties|which party) /, 'parties'],
  [/ (vilket datum|vilken dag|nar ar \S+ daterad|daterat|daterad|daterades|utfardat|utfardades|what date|dated) /, 'date'],
  [/ (nar beslutades|nar antogs|vilken paragraf|vilken §|vilket beslut|beslutsdatum|paragraf|when was \S+ (adopted|decided)|which paragraph) /, 'decision'],
  [/ (ar den beslutad|ar planen beslutad|ar \S+ beslutad|ar den antagen|ar \S+ antagen|beslutad eller|ar planen beslutad|is it adopted|is it decided|has it been adopted) /, 'status'],
  [/ (diarienummer|diarienumret|dnr|registration number|case number|reference number) /, 'diarienummer'],
  [/ (skrivit under|undertecknat|undertecknade|undertecknad|signerat|signerade|vem har skrivit|vilka har skrivit|signed|signatories) /, 'signatories'],
  [/ (vilka dokument|vilka planer|vilka handlingar|vilket underlag|which documents|what documents) /, 'documents'],
  [/ (senaste|nyaste|gallande|aktuella|aktuell|latest|current|newest|most recent) /, 'latest'],
];

/** A word naming a document (plan, yrkande, tjänsteutlåtande, protokoll, ärende, beslut…), compounds included. */
const DOCUMENT_NOUN = / \S*(plan|planen|planerna|planer|yrkande|yrkandet|forslag|forslaget|dokument|dokumentet|utlatande|utlatandet|protokoll|protokollet|protokollsutdrag|protokollsutdraget|arende|arendet|beslut|beslutet|budget|budgeten|document|plan|proposal|decision|report) /;

/**
 * Every document fact the question asks for, in the order of the rules (several for "… och är den beslutad?").
 * Facts about one document (its date, parties, signatories …) need a word naming the document, so "Vilket datum ska
 * uppdraget redovisas?" is not read as a question about the document's date.
 */
export function documentFactsAskedOf(text: string): DocumentFact[] {
  const normalised = normalise(text);
  const namesDocument = DOCUMENT_NOUN.test(normalised);
  const facts = FACT_RULES.filter(([pattern, fact]) => pattern.test(normalised) && (namesDocument || fact === 'documents')).map(([, fact]) => fact);
  // "den senaste genomförandeplanen" names a version; it is a fact question only with a plan noun.
  if (facts.includes('latest') && !/ (plan|planen|planer|genomforandeplan\S*|verksamhetsplan\S*|budget\S*|dokument\S*|version\S*) /.test(normalised)) {
    return facts.filter((fact) => fact !== 'latest');
  }
  return facts;
}

const DOCUMENT_TYPE_WORDS: Array<[RegExp, DocumentType]> = [
  [/\bgenomforandeplan/, 'genomförandeplan'],
  [/\bverksamhetsplan/, 'verksamhetsplan'],
  [/\byrkande/, 'yrkande'],
  [/\bpresentation/, 'presentation'],
];

/** The document type a question names ("i genomförandeplanen"), if any: a dimension of the question, not its topic. */
export function mentionedDocumentType(text: string): DocumentType | undefined {
  const folded = foldSwedish(text);
  return DOCUMENT_TYPE_WORDS.find(([pattern]) => pattern.test(folded))?.[1];
}

/**
 * Whether a question counts or measures the plan's own content ("Hur många uppdrag …", "hur många mål …") rather than
 * a figure the plan reports ("Hur stor andel … 2025?"): a year in the former is a plan year, in the latter the
 * figure's year.
 */
export function asksAboutPlanContent(text: string): boolean {
  return / (uppdrag\S*|mal|malen|malet|goals?|assignments?|tasks?|plan|planen|planer|planerna) /.test(normalise(text));
}
