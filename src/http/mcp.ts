/**
 * MCP server (Model Context Protocol, official TypeScript SDK) over the assistant: tools to search, ask, list and
 * read the plan documents, each with a zod input schema and structured output.
 *
 * Transports: Streamable HTTP at `/mcp` ({@link createMcpHttpHandler}, stateless: a fresh server per request, JSON
 * responses; mounted by the Node server) and stdio (`npm run -s mcp`, src/mcp-stdio.ts). Uses the SDK's
 * web-standard transport (Request → Response), so no `node:*` here.
 *
 * Tools: `search_plans`, `ask_plans`, `list_documents`, `get_document`, `get_passage`.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { z } from 'zod';
import { AppError, type Assistant, CHUNK_KINDS, type Chunk, type ChatMessage, DOCUMENT_TYPES, type SearchFilter, type StoredDocument } from '../core/types.ts';
import { type Logger, describeError, silentLogger, toPublicError } from './errors.ts';
import { DOCUMENT_STATUS_VALUES } from './mcp-docs.ts';
import { MAX_BODY_BYTES, MAX_TEXT_LENGTH } from './schemas.ts';

/** Name and version the server reports. */
export const MCP_SERVER_INFO = { name: 'planassistenten', version: '1.0.0' };

// ---------------------------------------------------------------- schemas (zod raw shapes, as the SDK takes them)

const filterShape = {
  committee: z.string().min(1).max(200).optional().describe('A nämnd by name, short name or former name, e.g. "Socialnämnden Centrum" or "SN Centrum".'),
  year: z.number().int().min(1900).max(2200).optional().describe('Plan year (e.g. 2026): answers come from that year\'s versions.'),
  type: z.enum(DOCUMENT_TYPES).optional().describe('Document type.'),
};

const documentShape = {
  id: z.string(),
  title: z.string(),
  committee: z.string(),
  committeeId: z.string(),
  type: z.enum(DOCUMENT_TYPES),
  status: z.enum(DOCUMENT_STATUS_VALUES).describe('beslutad = adopted; yrkande = a party proposal, never an adopted decision.'),
  year: z.number().int().optional(),
  date: z.string().optional(),
  parties: z.array(z.string()).optional(),
  diarienummer: z.string().optional(),
  source: z.string(),
  passages: z.number().int().describe('Number of passages (chunks).'),
};
const DocumentOut = z.object(documentShape);

const PassageOut = z.object({
  id: z.string().describe('Passage id (get_passage shows it in context).'),
  position: z.number().int(),
  section: z.string(),
  kind: z.enum(CHUNK_KINDS),
  text: z.string(),
  fields: z.record(z.string(), z.string()).optional(),
});

const CitedPassageOut = z.object({
  id: z.string(),
  score: z.number(),
  section: z.string(),
  kind: z.enum(CHUNK_KINDS),
  text: z.string(),
  document: z.object({ id: z.string(), title: z.string(), committee: z.string(), type: z.enum(DOCUMENT_TYPES), year: z.number().int().optional() }),
});

const CitationOut = z.object({
  marker: z.number().int().describe('n of the [n] marker in the answer.'),
  id: z.string(),
  section: z.string(),
  kind: z.enum(CHUNK_KINDS),
  text: z.string(),
  document: z.object({
    id: z.string(),
    title: z.string(),
    committee: z.string(),
    type: z.enum(DOCUMENT_TYPES),
    status: z.enum(DOCUMENT_STATUS_VALUES),
    year: z.number().int().optional(),
    date: z.string().optional(),
    parties: z.array(z.string()).optional(),
  }),
});

const UnderstoodOut = z.object({ text: z.string(), committee: z.string().optional(), rewrittenFrom: z.string().optional() });

// ---------------------------------------------------------------- views

function documentView(document: StoredDocument): z.infer<typeof DocumentOut> {
  return {
    id: document.id,
    title: document.title,
    committee: document.committee,
    committeeId: document.committeeId,
    type: document.type,
    status: document.status,
    ...(document.year !== undefined ? { year: document.year } : {}),
    ...(document.date !== undefined ? { date: document.date } : {}),
    ...(document.parties !== undefined ? { parties: document.parties } : {}),
    ...(document.diarienummer !== undefined ? { diarienummer: document.diarienummer } : {}),
    source: document.source,
    passages: document.chunks,
  };
}

function passageView(chunk: Chunk): z.infer<typeof PassageOut> {
  return {
    id: chunk.id,
    position: chunk.position,
    section: chunk.section.join(' › '),
    kind: chunk.kind,
    text: chunk.text,
    ...(chunk.fields !== undefined ? { fields: chunk.fields } : {}),
  };
}

function filterOf(input: { committee?: string; year?: number; type?: SearchFilter['type'] }): SearchFilter | undefined {
  const filter: SearchFilter = {
    ...(input.committee ? { committee: input.committee } : {}),
    ...(input.year !== undefined ? { year: input.year } : {}),
    ...(input.type ? { type: input.type } : {}),
  };
  return Object.keys(filter).length > 0 ? filter : undefined;
}

/** Folded for lenient committee matching ("socialnämnden centrum" ~ "Socialnämnden Centrum"). */
function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

type ToolResult = { content: Array<{ type: 'text'; text: string }>; structuredContent?: Record<string, unknown>; isError?: boolean };

function result(structured: Record<string, unknown>, text?: string): ToolResult {
  return { content: [{ type: 'text', text: text ?? JSON.stringify(structured, null, 2) }], structuredContent: structured };
}

function toolError(message: string): ToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

// ---------------------------------------------------------------- server

/** Options of {@link createMcpServer}. */
export interface McpServerOptions {
  assistant: Assistant;
  logger?: Logger;
}

/** An MCP server with the five tools over `assistant` (connect it to any SDK transport). */
export function createMcpServer(options: McpServerOptions): McpServer {
  const { assistant } = options;
  const logger = options.logger ?? silentLogger;
  const server = new McpServer(MCP_SERVER_INFO, {
    instructions:
      "Planassistenten searches the City of Gothenburg's plan documents (verksamhetsplaner, genomförandeplaner, yrkanden, " +
      'protokoll, budgetar) in Swedish. Use ask_plans for a cited answer, search_plans for passages, get_passage to read a ' +
      'citation in context. A yrkande is a party proposal, never an adopted decision.',
  });

  /** Runs a tool body; expected failures (bad committee, unknown id) become tool errors with their message. */
  async function guarded(tool: string, body: () => Promise<ToolResult>): Promise<ToolResult> {
    try {
      return await body();
    } catch (error) {
      const mapped = toPublicError(error);
      if (mapped.internal) logger.error(`mcp tool ${tool} failed`, { error: describeError(error) });
      return toolError(mapped.message);
    }
  }

  server.registerTool(
    'search_plans',
    {
      title: 'Search the plan documents',
      description:
        'Hybrid search (Swedish full text + vectors) over the plan documents. Returns ranked passages with their document ' +
        '(id, title, nämnd, type, year). Filters narrow to one nämnd, year or document type.',
      inputSchema: {
        query: z.string().trim().min(1).max(MAX_TEXT_LENGTH).describe('What to look for, in Swedish or English.'),
        ...filterShape,
        k: z.number().int().min(1).max(50).optional().describe('How many passages (1–50, default 8).'),
      },
      outputSchema: { query: z.string(), understood: UnderstoodOut, results: z.array(CitedPassageOut) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (input) =>
      guarded('search_plans', async () => {
        const filter = filterOf(input);
        const found = await assistant.search({ query: input.query, k: input.k ?? 8, ...(filter ? { filter } : {}) });
        const results = found.results.map((item) => ({
          id: item.id,
          score: item.score,
          section: item.section,
          kind: item.kind,
          text: item.text,
          document: {
            id: item.document.id,
            title: item.document.title,
            committee: item.document.committee,
            type: item.document.type,
            ...(item.document.year !== undefined ? { year: item.document.year } : {}),
          },
        }));
        return result({ query: found.query, understood: found.understood, results });
      }),
  );

  server.registerTool(
    'ask_plans',
    {
      title: 'Ask the plan documents',
      description:
        'Answers a question from the plan documents in Swedish (or English) with [n] citation markers; every marker has a ' +
        'citation (passage id, text, section, document with nämnd and status). When the documents do not answer, ' +
        '`abstained` is true. Earlier turns (`conversation`) resolve follow-ups such as "och i Nordost?".',
      inputSchema: {
        question: z.string().trim().min(1).max(MAX_TEXT_LENGTH).describe('The question.'),
        conversation: z
          .array(z.object({ role: z.enum(['user', 'assistant']), content: z.string().max(50_000) }))
          .max(20)
          .optional()
          .describe('Earlier turns, oldest first (without the question).'),
        ...filterShape,
      },
      outputSchema: {
        answer: z.string(),
        abstained: z.boolean(),
        answerer: z.string(),
        citations: z.array(CitationOut),
        query: UnderstoodOut,
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (input, extra) =>
      guarded('ask_plans', async () => {
        const filter = filterOf(input);
        const messages: ChatMessage[] = [...(input.conversation ?? []), { role: 'user', content: input.question }];
        let done: { answer: string; abstained: boolean; answerer: string; citations: Array<z.infer<typeof CitationOut>>; query: z.infer<typeof UnderstoodOut> } | undefined;
        for await (const event of assistant.chat({ messages, ...(filter ? { filter } : {}) }, { signal: extra.signal })) {
          if (event.type !== 'done') continue;
          done = {
            answer: event.answer,
            abstained: event.abstained,
            answerer: event.answerer,
            citations: event.citations.map((citation) => ({
              marker: citation.marker,
              id: citation.id,
              section: citation.section,
              kind: citation.kind,
              text: citation.text,
              document: {
                id: citation.document.id,
                title: citation.document.title,
                committee: citation.document.committee,
                type: citation.document.type,
                status: citation.document.status,
                ...(citation.document.year !== undefined ? { year: citation.document.year } : {}),
                ...(citation.document.date !== undefined ? { date: citation.document.date } : {}),
                ...(citation.document.parties !== undefined ? { parties: citation.document.parties } : {}),
              },
            })),
            query: event.query,
          };
        }
        if (!done) throw new AppError('internal', 'The assistant ended without an answer');
        const sources = done.citations.map(
          (citation) => `[${citation.marker}] ${citation.document.title} (${citation.document.committee}, ${citation.document.status}) › ${citation.section} — passage ${citation.id}`,
        );
        return result(done, sources.length ? `${done.answer}\n\n${sources.join('\n')}` : done.answer);
      }),
  );

  server.registerTool(
    'list_documents',
    {
      title: 'List the documents',
      description:
        'The indexed documents with nämnd, type, status, year and date; optionally only one nämnd, type or year. At most `limit` (default 100) from `offset`, with the total.',
      inputSchema: {
        committee: z.string().min(1).max(200).optional().describe('Part of the nämnd name or its id, e.g. "socialnämnden centrum".'),
        type: filterShape.type,
        year: filterShape.year,
        limit: z.number().int().min(1).max(1000).optional().describe('Documents to return (1–1000, default 100).'),
        offset: z.number().int().min(0).optional().describe('Matching documents to skip (default 0).'),
      },
      outputSchema: { documents: z.array(DocumentOut), total: z.number().int() },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (input) =>
      guarded('list_documents', async () => {
        const wanted = input.committee ? fold(input.committee) : undefined;
        const documents = (await assistant.listDocuments())
          .filter((document) => !wanted || document.committeeId === input.committee || fold(document.committee).includes(wanted))
          .filter((document) => !input.type || document.type === input.type)
          .filter((document) => input.year === undefined || document.year === input.year);
        const offset = input.offset ?? 0;
        return result({ documents: documents.slice(offset, offset + (input.limit ?? 100)).map(documentView), total: documents.length });
      }),
  );

  server.registerTool(
    'get_document',
    {
      title: 'Read a document',
      description: 'A document and its passages in order (ids from list_documents, search_plans or ask_plans citations).',
      inputSchema: { id: z.string().min(1).max(200).describe('Document id.') },
      outputSchema: { document: DocumentOut, passages: z.array(PassageOut) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (input) =>
      guarded('get_document', async () => {
        const found = await assistant.getDocument(input.id);
        if (!found) return toolError(`No document with id '${input.id}'. list_documents gives the ids.`);
        return result({ document: documentView(found.document), passages: found.chunks.map(passageView) });
      }),
  );

  server.registerTool(
    'get_passage',
    {
      title: 'Read a passage in context',
      description: 'A passage (e.g. a citation id) with its document and the passages before and after it.',
      inputSchema: {
        id: z.string().min(1).max(200).describe('Passage id.'),
        neighbours: z.number().int().min(0).max(10).optional().describe('Passages to show before and after (0–10, default 2).'),
      },
      outputSchema: { passage: PassageOut, document: DocumentOut, previous: z.array(PassageOut), next: z.array(PassageOut) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (input) =>
      guarded('get_passage', async () => {
        const found = await assistant.getChunkInContext(input.id, input.neighbours ?? 2);
        if (!found) return toolError(`No passage with id '${input.id}'.`);
        return result({
          passage: passageView(found.chunk),
          document: documentView(found.document),
          previous: found.previous.map(passageView),
          next: found.next.map(passageView),
        });
      }),
  );

  return server;
}

/**
 * The `/mcp` endpoint (MCP Streamable HTTP, stateless): each POST gets a fresh server and transport with JSON
 * responses; GET and DELETE answer 405 (no server-initiated streams, no sessions).
 */
export function createMcpHttpHandler(options: McpServerOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'POST') {
      return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: `${request.method} is not supported on /mcp (stateless server): use POST` }, id: null }), {
        status: 405,
        headers: { 'content-type': 'application/json', allow: 'POST' },
      });
    }
    const server = createMcpServer(options);
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true, maxRequestBodySize: MAX_BODY_BYTES });
    await server.connect(transport);
    try {
      return await transport.handleRequest(request);
    } finally {
      // JSON responses are complete when handleRequest resolves.
      void transport.close().catch(() => undefined);
      void server.close().catch(() => undefined);
    }
  };
}
