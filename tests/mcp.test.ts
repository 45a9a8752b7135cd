/**
 * The MCP server with the official SDK client: over Streamable HTTP against a real server on 127.0.0.1 (the real
 * assistant over fictional documents of other nämnder), and over stdio against `src/mcp-stdio.ts` as a child process
 * (LanceDB index in a temp folder). Lists tools, calls each, bad arguments, unknown ids.
 */
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMcpHttpHandler } from '../src/http/mcp.ts';
import { FIXTURE_CORPUS, fixtureAssistant, listen } from './helpers/fixture-assistant.ts';

type Structured = Record<string, any>;

const TOOLS = ['ask_plans', 'get_document', 'get_passage', 'list_documents', 'search_plans'];

describe('MCP over Streamable HTTP (/mcp) with the SDK client', () => {
  let url: string;
  let close: () => Promise<void>;
  let client: Client;
  beforeAll(async () => {
    const { assistant } = await fixtureAssistant();
    ({ url, close } = await listen({ assistant, mcp: createMcpHttpHandler({ assistant }), rateLimitPerMinute: 1000 }));
    client = new Client({ name: 'test-client', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
  });
  afterAll(async () => {
    await client?.close();
    await close();
  });

  it('lists the five tools, each with an input and an output schema', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(TOOLS);
    for (const tool of tools) {
      expect(tool.description?.length).toBeGreaterThan(20);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
    }
    const search = tools.find((tool) => tool.name === 'search_plans')!;
    expect(search.inputSchema.required).toEqual(['query']);
    expect(Object.keys(search.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(['query', 'committee', 'year', 'type']));
  });

  it('search_plans returns ranked passages of the asked-for nämnd', async () => {
    const result = await client.callTool({ name: 'search_plans', arguments: { query: 'spontanidrottsplatser', committee: 'Idrotts- och föreningsnämnden', k: 3 } });
    expect(result.isError).toBeFalsy();
    const structured = result.structuredContent as Structured;
    expect(structured.results.length).toBeGreaterThan(0);
    expect(structured.results.length).toBeLessThanOrEqual(3);
    expect(structured.results.every((item: Structured) => item.document.committee === 'Idrotts- och föreningsnämnden')).toBe(true);
    expect(structured.results[0].text).toMatch(/spontanidrottsplatser/);
  });

  it('ask_plans answers with [n] markers that match its citations, and abstains without citations', async () => {
    const result = await client.callTool({ name: 'ask_plans', arguments: { question: 'Vad är målvärdet för andelen flickor bland aktiva i föreningar?' } });
    const structured = result.structuredContent as Structured;
    expect(structured.abstained).toBe(false);
    const markers = new Set([...structured.answer.matchAll(/\[(\d+)\]/g)].map((match: RegExpMatchArray) => Number(match[1])));
    expect(markers).toEqual(new Set(structured.citations.map((citation: Structured) => citation.marker)));
    expect(structured.citations[0].document).toMatchObject({ committee: 'Idrotts- och föreningsnämnden', status: expect.any(String) });
    // The text content is readable: the answer followed by the sources.
    const text = (result.content as Array<{ type: string; text: string }>)[0].text;
    expect(text).toContain(structured.answer);
    expect(text).toContain(structured.citations[0].id);

    const none = await client.callTool({ name: 'ask_plans', arguments: { question: 'Hur många elbilar ska kyrkogårdsnämnden köpa?' } });
    expect((none.structuredContent as Structured).abstained).toBe(true);
    expect((none.structuredContent as Structured).citations).toEqual([]);
  });

  it('ask_plans resolves a follow-up from the conversation', async () => {
    const result = await client.callTool({
      name: 'ask_plans',
      arguments: {
        question: 'Och vilka mål har den?',
        conversation: [
          { role: 'user', content: 'Vilka uppdrag har idrotts- och föreningsnämnden 2026?' },
          { role: 'assistant', content: 'Idrotts- och föreningsnämnden har tre uppdrag [1].' },
        ],
      },
    });
    const structured = result.structuredContent as Structured;
    expect(structured.query.committee).toBe('Idrotts- och föreningsnämnden');
    expect(structured.citations.every((citation: Structured) => citation.document.committee === 'Idrotts- och föreningsnämnden')).toBe(true);
  });

  it('list_documents, get_document and get_passage read the documents by id', async () => {
    const all = (await client.callTool({ name: 'list_documents', arguments: {} })).structuredContent as Structured;
    expect(all.documents.length).toBeGreaterThanOrEqual(5);
    const idrott = (await client.callTool({ name: 'list_documents', arguments: { committee: 'idrotts- och föreningsnämnden' } })).structuredContent as Structured;
    expect(idrott.documents.length).toBeGreaterThan(0);
    expect(idrott.documents.length).toBeLessThan(all.documents.length);
    expect(idrott.documents.every((document: Structured) => document.committee === 'Idrotts- och föreningsnämnden')).toBe(true);
    expect(all.total).toBe(all.documents.length);
    const page = (await client.callTool({ name: 'list_documents', arguments: { limit: 2, offset: 1 } })).structuredContent as Structured;
    expect(page.total).toBe(all.total);
    expect(page.documents.map((document: Structured) => document.id)).toEqual(all.documents.slice(1, 3).map((document: Structured) => document.id));

    const id = idrott.documents[0].id;
    const document = (await client.callTool({ name: 'get_document', arguments: { id } })).structuredContent as Structured;
    expect(document.document.id).toBe(id);
    expect(document.passages.length).toBe(document.document.passages);
    const positions = document.passages.map((passage: Structured) => passage.position);
    expect(positions).toEqual([...positions].sort((a: number, b: number) => a - b));

    const middle = document.passages[Math.floor(document.passages.length / 2)];
    const passage = (await client.callTool({ name: 'get_passage', arguments: { id: middle.id, neighbours: 1 } })).structuredContent as Structured;
    expect(passage.passage.id).toBe(middle.id);
    expect(passage.document.id).toBe(id);
    expect(passage.previous.length + passage.next.length).toBeGreaterThan(0);
    expect(passage.previous.length).toBeLessThanOrEqual(1);
  });

  it('unknown ids and committees are tool errors with a message, not protocol failures', async () => {
    const document = await client.callTool({ name: 'get_document', arguments: { id: 'finns-inte' } });
    expect(document.isError).toBe(true);
    expect(JSON.stringify(document.content)).toContain('finns-inte');
    const passage = await client.callTool({ name: 'get_passage', arguments: { id: 'finns-inte' } });
    expect(passage.isError).toBe(true);
    const committee = await client.callTool({ name: 'search_plans', arguments: { query: 'uppdrag', committee: 'Nämnden som inte finns' } });
    expect(committee.isError).toBe(true);
    expect(JSON.stringify(committee.content)).toMatch(/Nämnden som inte finns/);
  });

  it('bad arguments are refused, naming the argument', async () => {
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['search_plans', {}, /query/],
      ['search_plans', { query: '' }, /query/],
      ['search_plans', { query: 'x', k: 500 }, /k/],
      ['search_plans', { query: 'x', type: 'roman' }, /type/],
      ['ask_plans', { question: 42 }, /question/],
      ['get_passage', { id: 'x', neighbours: -1 }, /neighbours/],
    ];
    for (const [name, args, pattern] of cases) {
      const outcome = await client.callTool({ name, arguments: args }).then(
        (result) => ({ error: result.isError ? JSON.stringify(result.content) : undefined }),
        (error: unknown) => ({ error: String(error) }),
      );
      expect(outcome.error, `${name} ${JSON.stringify(args)}`).toMatch(pattern);
    }
    const unknown = await client.callTool({ name: 'delete_everything', arguments: {} }).then(
      (result) => (result.isError ? JSON.stringify(result.content) : 'no error'),
      (error: unknown) => String(error),
    );
    expect(unknown).toMatch(/delete_everything not found/);
  });

  it('GET /mcp is 405 (stateless server) and /mcp is in the OpenAPI document', async () => {
    const get = await fetch(`${url}/mcp`, { headers: { accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
    const document = await (await fetch(`${url}/api/openapi.json`)).json();
    expect(Object.keys(document.paths)).toContain('/mcp');
  });
});

describe('MCP over stdio (npm run -s mcp) with the SDK client', () => {
  let folder: string;
  let client: Client;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'planassistenten-mcp-'));
    const corpus = join(folder, 'corpus');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(corpus);
    for (const name of (await readdir(FIXTURE_CORPUS)).filter((file) => file.endsWith('.txt'))) await copyFile(join(FIXTURE_CORPUS, name), join(corpus, name));
    const root = resolve(import.meta.dirname, '..');
    client = new Client({ name: 'test-client', version: '1.0.0' });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', join(root, 'src/mcp-stdio.ts')],
      cwd: root,
      env: { PATH: process.env.PATH ?? '', CORPUS_DIR: corpus, LANCEDB_DIR: join(folder, 'index'), LOG_LEVEL: 'warn' },
      stderr: 'pipe',
    });
    await client.connect(transport);
  }, 120_000);
  afterAll(async () => {
    await client?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('serves the same tools over stdio after syncing the corpus folder', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(TOOLS);
    const documents = (await client.callTool({ name: 'list_documents', arguments: {} })).structuredContent as Structured;
    expect(documents.documents.length).toBeGreaterThanOrEqual(5);
    const answer = (await client.callTool({ name: 'ask_plans', arguments: { question: 'Vilka uppdrag har idrotts- och föreningsnämnden 2026?' } }))
      .structuredContent as Structured;
    expect(answer.abstained).toBe(false);
    expect(answer.citations.length).toBeGreaterThan(0);
  });
});
