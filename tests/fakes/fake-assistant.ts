/**
 * A hand-written fake Assistant for HTTP tests: two documents, a few chunks, a scripted chat stream.
 * Records the requests it receives and whether a chat was aborted.
 */
import {
  AppError,
  type AnswerEvent,
  type Assistant,
  type ChatRequest,
  type Chunk,
  type Citation,
  type SearchRequest,
  type StoredDocument,
} from '../../src/core/types.ts';

/** Knobs for the scripted chat. */
export interface FakeAssistantOptions {
  /** Text deltas of the answer (default: two deltas). */
  deltas?: string[];
  /** Throw this before the first event. */
  failBeforeStart?: Error;
  /** Throw this after this many text deltas. */
  failAfterDeltas?: { count: number; error: Error };
  /** Wait for abort after the first delta (to test client disconnects). */
  hangAfterFirstDelta?: boolean;
}

/** The fake plus what it observed. */
export interface FakeAssistant extends Assistant {
  searches: SearchRequest[];
  chats: ChatRequest[];
  /** Resolves with true when a chat's signal was aborted. */
  aborted: Promise<boolean>;
  /** True when the chat generator was finished (normally or via return/throw). */
  finished: () => boolean;
}

export const FAKE_DOCUMENTS: StoredDocument[] = [
  {
    id: '002_a78cf953a858aaff',
    source: '002_a78cf953a858aaff.txt',
    title: 'Nämndens verksamhetsplan 2024',
    committee: 'Socialnämnden Centrum',
    committeeId: 'socialnamnden-centrum',
    type: 'verksamhetsplan',
    status: 'beslutad',
    year: 2024,
    contentHash: 'aaa',
    chunks: 3,
  },
  {
    id: '001_685a6afae0d19dc8',
    source: '001_685a6afae0d19dc8.txt',
    title: 'Yrkande genomförandeplan',
    committee: 'Socialnämnden Nordost',
    committeeId: 'socialnamnden-nordost',
    type: 'yrkande',
    status: 'yrkande',
    year: 2025,
    date: '2024-11-18',
    parties: ['V', 'S', 'MP'],
    contentHash: 'bbb',
    chunks: 1,
  },
];

function chunk(documentId: string, position: number, text: string, section: string[], kind: Chunk['kind'] = 'text'): Chunk {
  return {
    id: `${documentId}-c${position}`,
    documentId,
    position,
    section,
    kind,
    text,
    originalText: text,
    start: position * 100,
    end: position * 100 + text.length,
    context: section.join(' · '),
  };
}

export const FAKE_CHUNKS: Chunk[] = [
  chunk('002_a78cf953a858aaff', 0, 'Nämndens verksamhetsplan 2024', ['Inledning'], 'rubrik'),
  chunk('002_a78cf953a858aaff', 1, 'Öka andelen familjehem, jourhem och HVB i egen regi.', ['Uppdrag', 'Från kommunfullmäktige'], 'uppdrag'),
  chunk('002_a78cf953a858aaff', 2, 'Säkerställa att stödet till familjehemmen blir likvärdigt över staden.', ['Uppdrag', 'Från nämnden'], 'uppdrag'),
  chunk('001_685a6afae0d19dc8', 0, 'Avlastningsfamiljer ska utvecklas.', ['Genomförandeplan'], 'text'),
];

function citationFor(marker: number, item: Chunk): Citation {
  const document = FAKE_DOCUMENTS.find((candidate) => candidate.id === item.documentId)!;
  return {
    marker,
    id: item.id,
    text: item.text,
    section: item.section.join(' › '),
    kind: item.kind,
    document: {
      id: document.id,
      title: document.title,
      source: document.source,
      committee: document.committee,
      type: document.type,
      year: document.year,
      date: document.date,
      parties: document.parties,
      status: document.status,
    },
  };
}

/** Creates the fake. */
export function createFakeAssistant(options: FakeAssistantOptions = {}): FakeAssistant {
  const searches: SearchRequest[] = [];
  const chats: ChatRequest[] = [];
  let resolveAborted: (value: boolean) => void = () => {};
  const aborted = new Promise<boolean>((resolve) => {
    resolveAborted = resolve;
  });
  let finished = false;

  return {
    searches,
    chats,
    aborted,
    finished: () => finished,
    async health() {
      return { documents: FAKE_DOCUMENTS.length, chunks: FAKE_CHUNKS.length, embedder: 'fake-embedder' };
    },
    async listDocuments() {
      return FAKE_DOCUMENTS;
    },
    async getDocument(id) {
      const document = FAKE_DOCUMENTS.find((candidate) => candidate.id === id);
      if (!document) return null;
      return { document, chunks: FAKE_CHUNKS.filter((item) => item.documentId === id) };
    },
    async getChunkInContext(id, neighbours = 1) {
      const item = FAKE_CHUNKS.find((candidate) => candidate.id === id);
      if (!item) return null;
      const siblings = FAKE_CHUNKS.filter((candidate) => candidate.documentId === item.documentId);
      const index = siblings.indexOf(item);
      return {
        chunk: item,
        document: FAKE_DOCUMENTS.find((candidate) => candidate.id === item.documentId)!,
        previous: siblings.slice(Math.max(0, index - neighbours), index),
        next: siblings.slice(index + 1, index + 1 + neighbours),
      };
    },
    async search(request) {
      searches.push(request);
      const words = request.query.toLowerCase().split(/\s+/);
      const results = FAKE_CHUNKS.filter((item) => words.some((word) => item.text.toLowerCase().includes(word)))
        .filter((item) => !request.filter?.documentId || item.documentId === request.filter.documentId)
        .slice(0, request.k ?? 8)
        .map((item, index) => {
          const document = FAKE_DOCUMENTS.find((candidate) => candidate.id === item.documentId)!;
          return {
            id: item.id,
            score: 1 / (index + 1),
            text: item.text,
            section: item.section.join(' › '),
            kind: item.kind,
            document: { id: document.id, title: document.title, source: document.source, committee: document.committee, type: document.type, year: document.year },
          };
        });
      return { query: request.query, understood: { text: request.query }, results };
    },
    chat(request, chatOptions) {
      chats.push(request);
      const signal = chatOptions?.signal;
      signal?.addEventListener('abort', () => resolveAborted(true), { once: true });
      const question = request.messages[request.messages.length - 1].content;
      const deltas = options.deltas ?? ['Socialnämnden Centrum ska öka andelen familjehem [1] ', 'och göra stödet likvärdigt [2].'];
      async function* run(): AsyncGenerator<AnswerEvent> {
        try {
          if (options.failBeforeStart) throw options.failBeforeStart;
          if (question.includes('ABSTAIN')) {
            const query = { text: question };
            yield { type: 'citations', citations: [], query };
            yield { type: 'text-delta', text: 'Det framgår inte av dokumenten.' };
            yield { type: 'done', abstained: true, answerer: 'extractive', citations: [], query, answer: 'Det framgår inte av dokumenten.' };
            return;
          }
          const citations = [citationFor(1, FAKE_CHUNKS[1]), citationFor(2, FAKE_CHUNKS[2])];
          const query = { text: question, committee: 'Socialnämnden Centrum' };
          yield { type: 'citations', citations, query };
          let count = 0;
          for (const text of deltas) {
            if (options.failAfterDeltas && count === options.failAfterDeltas.count) throw options.failAfterDeltas.error;
            yield { type: 'text-delta', text };
            count += 1;
            if (options.hangAfterFirstDelta) {
              await new Promise<void>((resolve, reject) => {
                if (!signal) return;
                if (signal.aborted) return reject(new DOMException('aborted', 'AbortError'));
                signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), { once: true });
              });
            }
          }
          if (options.failAfterDeltas && count === options.failAfterDeltas.count) throw options.failAfterDeltas.error;
          yield { type: 'done', abstained: false, answerer: 'fake', citations, query, answer: deltas.join('') };
        } finally {
          finished = true;
        }
      }
      return run();
    },
  };
}

/** Convenience: an AppError for scripted failures. */
export function providerFailure(): AppError {
  return new AppError('provider_error', 'upstream said: secret-internal-detail');
}
