/**
 * Document facts answered from metadata: parties, date, decision and §, status, diarienummer, signatories, the list
 * of a committee's documents and its latest plan. Each fact is stated in words and cited to the passage of the
 * document that states it (the title block, the decision line, the signature block); a fact the metadata does not
 * hold is left to the ordinary retrieval path.
 */
import type { DocumentFact } from '../query/dimensions.ts';
import type { DomainProfile } from '../profile.ts';
import { foldSwedish } from '../swedish/fold.ts';
import type { AnswerEvent, Chunk, StoredDocument, UnderstoodQuery } from '../types.ts';
import { answerEvents, joinSwedish, MarkerBook } from './answerer.ts';
import { coverage, type TermGroup } from './evidence.ts';

const MONTHS = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];

/** "2025-12-16" → "16 december 2025". */
export function swedishDate(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return iso;
  return `${Number(match[3])} ${MONTHS[Number(match[2]) - 1] ?? match[2]} ${match[1]}`;
}

/** Folded, punctuation-free text for locating a value in a passage. */
function flat(text: string): string {
  return ` ${foldSwedish(text).replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
}

/** What the answerer needs. */
export interface DocumentFactsInput {
  facts: DocumentFact[];
  /** The documents the question is about (versions already chosen), best first. */
  documents: StoredDocument[];
  /** Every document of the committee(s) in question, for "vilka dokument" and "senaste". */
  committeeDocuments: StoredDocument[];
  chunksOf(documentId: string): Promise<Chunk[]>;
  profile: DomainProfile;
  understood: UnderstoodQuery;
  language: 'sv' | 'en';
  /** The question's topic: picks the § of a protocol with several items that the question is about. */
  topic?: TermGroup[];
}

/**
 * The § item of a protocol the question is about: among the chunks' top sections "§ N …" (two or more), the one whose
 * passages cover the topic best; its number and the passage that records the decision (a chunk under a heading
 * "… beslut", else the item's first decision-like passage, else its first chunk).
 */
function paragraphAbout(chunks: Chunk[], topic: TermGroup[] | undefined): { paragraph: string; where: Chunk } | undefined {
  if (!topic || topic.length === 0) return undefined;
  const items = new Map<string, Chunk[]>();
  for (const chunk of chunks) {
    const match = /^§\s*(\d+)/.exec(chunk.section[0] ?? '');
    if (match) items.set(match[1], [...(items.get(match[1]) ?? []), chunk]);
  }
  if (items.size < 2) return undefined;
  let best: { paragraph: string; score: number; chunks: Chunk[] } | undefined;
  for (const [paragraph, itemChunks] of items) {
    const score = coverage(topic, `${itemChunks[0].section[0]} ${itemChunks.map((chunk) => chunk.text).join(' ')}`).score;
    if (!best || score > best.score) best = { paragraph, score, chunks: itemChunks };
  }
  if (!best || best.score === 0) return undefined;
  const decided = best.chunks.find((chunk) => chunk.section.slice(1).some((heading) => /beslut/i.test(heading)));
  return { paragraph: best.paragraph, where: decided ?? best.chunks[0] };
}

/** The document in words: "genomförandeplan 2026 för socialnämnden Nordost". */
function nameOf(document: StoredDocument): string {
  return document.title.replace(/\s+/g, ' ').trim();
}

function statusWords(document: StoredDocument): string {
  switch (document.status) {
    case 'beslutad':
      return 'beslutad';
    case 'yrkande':
      return `ett yrkande${document.parties?.length ? ` från ${joinSwedish(document.parties)}` : ''}${document.date ? ` daterat ${document.date}` : ''}, inte ett beslut`;
    case 'förslag':
      return `ett förslag${document.date ? ` daterat ${document.date}` : ''}, inte beslutat`;
    default:
      return 'informationsmaterial, inget beslut';
  }
}

/** Best passage of `chunks` stating all (else most) of `values`; the first passage when none does. */
function passageStating(chunks: Chunk[], values: string[]): Chunk | undefined {
  const wanted = values.map(flat).filter((value) => value.trim().length > 0);
  let best: { chunk: Chunk; hits: number } | undefined;
  for (const chunk of chunks) {
    const text = flat(chunk.text);
    const hits = wanted.filter((value) => text.includes(value)).length;
    if (hits > 0 && (!best || hits > best.hits)) best = { chunk, hits };
  }
  return best?.chunk;
}

/**
 * Answers the facts it can from metadata. Returns the answer events, or undefined when none of the asked facts is
 * known for the documents (the caller then answers from retrieval).
 */
export async function answerDocumentFacts(input: DocumentFactsInput): Promise<AnswerEvent[] | undefined> {
  const book = new MarkerBook();
  const cite = (document: StoredDocument, chunk: Chunk | undefined): string => (chunk ? ` [${book.marker({ chunk, document, score: 1 })}]` : '');
  const partyName = (abbreviation: string) => input.profile.parties.entries.find((entry) => entry.abbreviation === abbreviation)?.name ?? abbreviation;
  const sentences: string[] = [];
  const facts = new Set(input.facts);

  if (facts.has('documents')) {
    const documents = [...input.committeeDocuments].sort((a, b) => (b.year ?? 0) - (a.year ?? 0) || a.title.localeCompare(b.title));
    if (documents.length > 0) {
      const lines = [`Underlagen innehåller ${documents.length} ${documents.length === 1 ? 'dokument' : 'dokument'}${input.understood.committee ? ` för ${input.understood.committee}` : ''}:`];
      for (const [index, document] of documents.entries()) {
        const chunks = await input.chunksOf(document.id);
        lines.push(`${index + 1}. ${nameOf(document)} (${document.type}${document.year ? `, ${document.year}` : ''}; ${statusWords(document)})${cite(document, chunks[0])}`);
      }
      sentences.push(lines.join('\n'));
    }
  }

  let subjects = input.documents;
  if (facts.has('latest')) {
    const newest = [...input.committeeDocuments].sort((a, b) => (b.year ?? 0) - (a.year ?? 0) || (b.date ?? '').localeCompare(a.date ?? ''))[0];
    if (newest) {
      subjects = [newest];
      const chunks = await input.chunksOf(newest.id);
      sentences.push(`Den senaste planen i underlagen är ${nameOf(newest)}${newest.year ? ` (${newest.year})` : ''}${cite(newest, chunks[0])}.`);
    }
  }

  for (const document of subjects.slice(0, 4)) {
    const chunks = await input.chunksOf(document.id);
    const label = subjects.length > 1 || !facts.has('latest') ? `${nameOf(document)}: ` : '';
    const parts: string[] = [];
    if (facts.has('parties') && document.parties?.length) {
      const names = document.parties.map(partyName);
      const where = passageStating(chunks, names) ?? passageStating(chunks, document.parties.map((party) => `${party}`)) ?? chunks[0];
      parts.push(`bakom ${document.status === 'beslutad' ? 'beslutet' : document.type === 'yrkande' || document.status === 'yrkande' ? 'yrkandet' : 'dokumentet'} står ${joinSwedish(names)} (${document.parties.join(', ')})${cite(document, where)}`);
    }
    if (facts.has('status') || facts.has('decision') || (facts.has('latest') && !facts.has('documents'))) {
      const decision = document.decision;
      if (document.status === 'beslutad' && decision?.date) {
        // A protocol of several § items: the item the question is about, cited to its decision.
        const item = paragraphAbout(chunks, input.topic);
        const paragraph = item?.paragraph ?? decision.paragraph;
        const where = item?.where ?? passageStating(chunks, [decision.date, ...(decision.paragraph ? [decision.paragraph] : [])]) ?? chunks[0];
        parts.push(`den är beslutad${decision.body ? ` i ${decision.body.charAt(0).toLowerCase()}${decision.body.slice(1)}` : ''} ${decision.date} (${swedishDate(decision.date)})${paragraph ? `, § ${paragraph}` : ''}${cite(document, where)}`);
      } else if (facts.has('status') || facts.has('latest')) {
        const where = passageStating(chunks, [document.date ?? '', ...(document.parties ?? []).map(partyName)]) ?? chunks[0];
        parts.push(`den är ${statusWords(document)}${cite(document, where)}`);
      }
    }
    if (facts.has('date') && document.date) {
      const where = passageStating(chunks, [document.date]) ?? passageStating(chunks, [swedishDate(document.date)]) ?? chunks[0];
      parts.push(`den är daterad ${document.date} (${swedishDate(document.date)})${cite(document, where)}`);
    }
    if (facts.has('diarienummer') && document.diarienummer) {
      parts.push(`diarienumret är ${document.diarienummer}${cite(document, passageStating(chunks, [document.diarienummer]) ?? chunks[0])}`);
    }
    if (facts.has('signatories') && document.signatories?.length) {
      const names = document.signatories;
      const nameOnly = names.map((name) => name.split(/[,(]/)[0].trim());
      parts.push(`den är undertecknad av ${joinSwedish(names)}${cite(document, passageStating(chunks, nameOnly) ?? chunks[chunks.length - 1])}`);
    }
    if (parts.length > 0) sentences.push(`${label}${parts.join('; ')}.`.replace(/^./, (first) => first.toUpperCase()));
  }

  if (book.citations.length === 0) return undefined;
  return answerEvents(book, sentences.join('\n\n'), input.understood);
}
