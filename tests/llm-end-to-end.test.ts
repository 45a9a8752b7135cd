/**
 * The whole Node pipeline with the LLM answerer: the real openai client against the fake OpenAI-compatible
 * server on 127.0.0.1, through createNodeAssistant (LanceDB in a temp folder) and the Hono app.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAIChatModel } from '../src/adapters/openai-chat.ts';
import { createApp } from '../src/http/create-app.ts';
import { createNodeAssistant, type NodeAssistant } from '../src/node-assistant.ts';
import { startFakeOpenAI, type FakeOpenAI } from './fakes/fake-openai-server.ts';

interface ChatBody {
  answer: string;
  abstained: boolean;
  answerer: string;
  citations: Array<{ marker: number; id: string; text: string; document: { source: string; committee: string } }>;
}

const question = 'Vilka uppdrag har socialnämnden Centrum om familjehem?';

describe('LLM answers through the real app', () => {
  let fake: FakeOpenAI;
  let node: NodeAssistant;
  let indexDir: string;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    fake = await startFakeOpenAI({
      // Cites passage 1, and an invalid marker [99] the pipeline must drop.
      defaultChatReply: { text: 'Socialnämnden Centrum ska ta fram rutiner för intern utlåning av familjehem [1]. Något annat [99].', chunkSize: 7 },
    });
    indexDir = await mkdtemp(join(tmpdir(), 'planassistenten-llm-e2e-'));
    const chatModel = createOpenAIChatModel({ apiKey: 'test-key', baseURL: fake.url, model: 'fake-chat' });
    node = await createNodeAssistant({ corpusDir: 'data/corpus', indexDir, chatModel, llmTimeoutMs: 1500, autoIngest: true });
    app = createApp({ assistant: node.assistant });
  });

  afterAll(async () => {
    await node?.close();
    await fake?.close().catch(() => undefined);
    await rm(indexDir, { recursive: true, force: true });
  });

  async function ask(): Promise<ChatBody> {
    const response = await app.request('/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: question }] }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as ChatBody;
  }

  it('answers from the LLM with verified citations, all from Centrum', async () => {
    const body = await ask();
    expect(body.answerer).toBe('llm:fake-chat');
    expect(body.abstained).toBe(false);
    expect(body.answer).toContain('[1]');
    expect(body.answer).not.toContain('[99]');
    // The model cited one uppdrag; the others of the list are added after its text, each cited.
    expect(body.answer).toContain('Fler uppdrag i underlagen som matchar frågan:');
    expect(body.citations.length).toBeGreaterThanOrEqual(4);
    expect(body.citations.every((citation) => citation.document.committee === 'Socialnämnden Centrum')).toBe(true);
    const markers = [...body.answer.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
    expect([...new Set(markers)].sort((a, b) => a - b)).toEqual(body.citations.map((citation) => citation.marker).sort((a, b) => a - b));
    // The model got the Swedish system prompt and the passages as data.
    const request = fake.chatRequests().at(-1)!;
    const text = JSON.stringify(request.body);
    expect(text.toLowerCase()).toContain('det finns inte i underlagen');
    expect(text).toContain('familjehem');
    expect(text).not.toContain('avlastningsfamiljer och mentorsfamiljer');
  });

  it('falls back to the extractive answer when the provider is gone', async () => {
    await fake.close();
    const started = Date.now();
    const body = await ask();
    const elapsed = Date.now() - started;
    expect(body.answerer).toBe('extractive');
    expect(body.abstained).toBe(false);
    expect(body.citations.length).toBeGreaterThan(0);
    expect(body.citations.every((citation) => citation.document.committee === 'Socialnämnden Centrum')).toBe(true);
    // Reported, not asserted (shared machines are noisy): the fallback time with the provider down.
    console.info(`extractive fallback with the provider down: ${elapsed} ms`);
  });
});
