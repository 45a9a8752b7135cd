/**
 * The answerer port: extractive (default) and LLM answerers produce the same event stream.
 */
import type { TermGroup } from './evidence.ts';
import type { AnswerEvent, ChatMessage, Citation, DocumentMeta, ScoredChunk, SearchResult, UnderstoodQuery } from '../types.ts';

/** Everything an answerer needs; retrieval and committee filtering have already happened. */
export interface AnswerInput {
  /** The standalone question (follow-ups already rewritten). */
  question: string;
  /** The whole conversation as the client sent it (last turn is the user's). */
  conversation: ChatMessage[];
  /** Ranked passages, best first, already restricted to the right committee when one was detected. */
  passages: ScoredChunk[];
  /** For list questions: the matching uppdrag of the committee's documents (not cut at top-k; at most the policy's `maxListItems`). */
  listItems?: ScoredChunk[];
  /** How many items matched in all when `listItems` holds only the best of them. */
  listTotal?: number;
  understood: UnderstoodQuery;
  /** The question asks for a list ("vilka uppdrag…", "vilka … finns"). */
  listIntent: boolean;
  /** What `listItems` are: uppdrag (default) or a committee's mål. */
  listNoun?: 'uppdrag' | 'mål';
  /** Where the listed uppdrag come from, when the question asked for one origin. */
  listOrigin?: 'budget' | 'nämnden';
  /** Language to answer in (detected from the last user turn). */
  language: 'sv' | 'en';
  /** The question's salient terms with synonyms and idf (for sentence selection). */
  termGroups?: TermGroup[];
  /** What the question wants stated, when recognisable ("hur många" → number). */
  asksFor?: string;
  /** The question asks for a list of something other than uppdrag ("Vilka anpassningar föreslås …?"). */
  asksForList?: boolean;
  /** A comparison: each committee's own passages, answered side by side (`passages` holds them all). */
  sides?: Array<{ heading: string; passages: ScoredChunk[]; termGroups?: TermGroup[]; question?: string }>;
}

/** Port: turns passages into an answer stream (`citations`, `text-delta`*, `done`). */
export interface Answerer {
  /** `extractive` or `llm:<model>`. */
  name: string;
  answer(input: AnswerInput, options?: { signal?: AbortSignal }): AsyncIterable<AnswerEvent>;
}

/** Human label of a document's status, for answers: a yrkande is never presented as adopted. */
export function describeSource(document: DocumentMeta): string {
  const parties = document.parties?.length ? ` från ${joinSwedish(document.parties)}` : '';
  // Which version answered: an adopted plan says when it was decided ("genomförandeplanen 2026, beslutad 2025-12-16").
  const decided = document.status === 'beslutad' && document.decision?.date ? `, beslutad ${document.decision.date}` : '';
  switch (document.type) {
    case 'yrkande':
      return `enligt yrkandet${parties}${document.date ? ` ${document.date}` : ''} (${document.committee}, ej beslutat)`;
    case 'verksamhetsplan':
      return `enligt ${document.committee}s verksamhetsplan${document.year ? ` ${document.year}` : ''}${decided}`;
    case 'genomförandeplan':
      return document.status === 'yrkande' || document.status === 'förslag'
        ? `enligt förslaget till genomförandeplan${document.year ? ` ${document.year}` : ''}${parties} (${document.committee})`
        : `enligt genomförandeplanen${document.year ? ` ${document.year}` : ''}${decided} (${document.committee})`;
    case 'presentation':
      return `enligt presentationen om ${document.committee}`;
    default:
      return `enligt ${document.title}`;
  }
}

/** "A, B och C" */
export function joinSwedish(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} och ${items[items.length - 1]}`;
}

/** The document fields a search result carries. */
export function searchResultDocument(document: DocumentMeta): SearchResult['document'] {
  const { id, title, source, committee, type, year } = document;
  return { id, title, source, committee, type, year };
}

/** Builds the public citation for a passage. `text` is the passage as stored. */
export function toCitation(marker: number, passage: ScoredChunk): Citation {
  const { chunk, document } = passage;
  const { date, parties, status } = document;
  return {
    marker,
    id: chunk.id,
    text: chunk.text,
    section: chunk.section.join(' › '),
    kind: chunk.kind,
    document: { ...searchResultDocument(document), date, parties, status },
  };
}

/** Assigns citation markers in order of first use; every marker handed out has its citation. */
export class MarkerBook {
  private readonly markers = new Map<string, number>();
  readonly citations: Citation[] = [];
  marker(passage: ScoredChunk): number {
    let marker = this.markers.get(passage.chunk.id);
    if (marker === undefined) {
      marker = this.citations.length + 1;
      this.markers.set(passage.chunk.id, marker);
      this.citations.push(toCitation(marker, passage));
    }
    return marker;
  }
}

/** The events of a finished extractive answer: its citations, the text as one delta, done. */
export function answerEvents(book: MarkerBook, answer: string, query: UnderstoodQuery): AnswerEvent[] {
  return [
    { type: 'citations', citations: book.citations, query },
    { type: 'text-delta', text: answer },
    { type: 'done', abstained: false, answerer: 'extractive', citations: book.citations, query, answer },
  ];
}
