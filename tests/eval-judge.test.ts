import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAIChatModel } from '../src/adapters/openai-chat.ts';
import { parseCliArguments, UsageError } from '../eval/cli.ts';
import type { ApiChatResponse, EvalClient, EvalMessage } from '../eval/clients.ts';
import { parseDataset, type Dataset } from '../eval/dataset.ts';
import { createLlmJudge, parseJudgeReply, type LlmJudge } from '../eval/judge.ts';
import { buildReport, categoryTable, configurationTable } from '../eval/report.ts';
import { renderHtmlReport } from '../eval/report-html.ts';
import { runEval } from '../eval/run-eval.ts';
import { startFakeOpenAI, type ChatReply, type FakeOpenAI } from './fakes/fake-openai-server.ts';

const CENTRUM_TEXT = 'Socialnämnden Centrum får i uppdrag att utreda hur Skolfam kan behållas vid vårdnadsöverflyttning.';
const NORDOST_TEXT = 'Socialnämnden Nordost får i uppdrag att se över familjecentralerna.';

/** Three items: two the fake system answers, one it abstains on. */
const dataset: Dataset = parseDataset(
  {
    docs: { D4: '004-centrum.txt', D1: '001-nordost.txt' },
    items: [
      {
        id: 'skolfam',
        category: 'uppdrag',
        turns: ['Vad ska Centrum göra med Skolfam?'],
        answerable: true,
        evidence: [{ doc: 'D4', text: 'utreda hur Skolfam kan behållas' }],
        facts: ['Skolfam'],
      },
      {
        id: 'follow-up',
        category: 'follow-up',
        turns: ['Vad gäller i Nordost?', 'Och familjecentralerna där?'],
        answerable: true,
        evidence: [{ anyOf: [{ doc: 'D1', text: 'se över familjecentralerna' }] }],
        facts: ['familjecentral'],
      },
      { id: 'budget', category: 'unanswerable', turns: ['Hur stor är budgeten 2030?'], answerable: false, evidence: [] },
    ],
  },
  'judge-test.json',
);

/** A hand-written system under test: answers from a table keyed by the last turn, abstains otherwise. */
function createFakeSystem(): EvalClient {
  const answers: Record<string, { answer: string; source: string; documentId: string; text: string }> = {
    'Vad ska Centrum göra med Skolfam?': { answer: 'Centrum ska utreda hur Skolfam kan behållas [1].', source: '004-centrum.txt', documentId: 'd4', text: CENTRUM_TEXT },
    'Och familjecentralerna där?': { answer: 'Nordost ska se över familjecentralerna [1].', source: '001-nordost.txt', documentId: 'd1', text: NORDOST_TEXT },
  };
  const documents: Record<string, string> = { d4: CENTRUM_TEXT, d1: NORDOST_TEXT };
  return {
    name: 'fake-system',
    async chat({ messages }: { messages: EvalMessage[] }): Promise<ApiChatResponse> {
      const question = messages[messages.length - 1].content;
      const hit = answers[question];
      if (!hit) return { answer: 'Det framgår inte av dokumenten.', abstained: true, answerer: 'fake', citations: [], query: { text: question } };
      const citation = {
        marker: 1,
        id: `${hit.documentId}-c1`,
        text: hit.text,
        section: 'Uppdrag',
        kind: 'uppdrag',
        document: { id: hit.documentId, title: 'T', source: hit.source, committee: 'X', type: 'genomförandeplan' },
      };
      return { answer: hit.answer, abstained: false, answerer: 'fake', citations: [citation], query: { text: question } };
    },
    async search({ query }) {
      return { query, results: [] };
    },
    async documentText(id: string) {
      return documents[id] ?? null;
    },
  };
}

let fake: FakeOpenAI | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function judgeWith(replies: ChatReply[], timeoutMs?: number): Promise<LlmJudge> {
  fake = await startFakeOpenAI({ chatReplies: replies, apiKey: 'sk-judge-test' });
  const chatModel = createOpenAIChatModel({ apiKey: 'sk-judge-test', baseURL: fake.url, model: 'fake-judge' });
  return createLlmJudge({ chatModel, timeoutMs });
}

const grade = (correctness: number, faithfulness: number, comment: string): ChatReply => ({ text: JSON.stringify({ correctness, faithfulness, comment }) });

describe('LLM judge over the real openai client and a fake OpenAI-compatible server', () => {
  it('grades answered items, skips abstentions, and averages score/2 into the summary', async () => {
    const judge = await judgeWith([grade(2, 1, 'Correct; one claim unsupported.'), grade(1, 2, 'Incomplete.')]);
    const run = await runEval(createFakeSystem(), dataset, { judge });

    const [skolfam, followUp, budget] = run.items;
    expect(skolfam.judge).toEqual({ correctness: 2, faithfulness: 1, comment: 'Correct; one claim unsupported.' });
    expect(followUp.judge).toEqual({ correctness: 1, faithfulness: 2, comment: 'Incomplete.' });
    expect(budget.abstained).toBe(true);
    expect(budget.judge).toBeUndefined();
    expect(fake!.chatRequests()).toHaveLength(2);

    expect(run.summary.judged).toBe(2);
    expect(run.summary.judgeErrors).toBe(0);
    expect(run.summary.judgeCorrectness).toBeCloseTo((1 + 0.5) / 2, 10);
    expect(run.summary.judgeFaithfulness).toBeCloseTo((0.5 + 1) / 2, 10);
    expect(run.categories.uppdrag.judgeCorrectness).toBe(1);
    expect(run.categories['follow-up'].judgeFaithfulness).toBe(1);
    // the unanswerable category had nothing to judge: no judge fields there
    expect(run.categories.unanswerable.judged).toBeUndefined();
    // judge scores are informational: pass/fail is decided by the deterministic metrics only
    expect(skolfam.passed).toBe(true);
  });

  it('sends the question, earlier turns, gold evidence and the cited text in a JSON-mode request', async () => {
    const judge = await judgeWith([grade(2, 2, 'ok'), grade(2, 2, 'ok')]);
    await runEval(createFakeSystem(), dataset, { judge });
    const [first, second] = fake!.chatRequests();
    expect(first.body.model).toBe('fake-judge');
    expect(first.body.stream).toBe(false);
    expect(first.body.response_format).toEqual({ type: 'json_object' });
    const firstText = first.body.messages.map((message: { content: string }) => message.content).join('\n');
    expect(firstText).toContain('Question: Vad ska Centrum göra med Skolfam?');
    expect(firstText).toContain(CENTRUM_TEXT);
    expect(firstText).toContain('"utreda hur Skolfam kan behållas" (004-centrum.txt)');
    expect(firstText).toContain('Centrum ska utreda hur Skolfam kan behållas [1].');
    const secondText = second.body.messages.map((message: { content: string }) => message.content).join('\n');
    expect(secondText).toContain('Question: Och familjecentralerna där?');
    expect(secondText).toContain('- Vad gäller i Nordost?');
    expect(secondText).toContain(NORDOST_TEXT);
    expect(secondText).not.toContain(CENTRUM_TEXT);
  });

  it('records garbage JSON, out-of-range grades and provider errors on the item and keeps running', async () => {
    const judge = await judgeWith([{ text: 'Sure! The answer looks good.' }, { text: '{"correctness": 3, "faithfulness": 2, "comment": "x"}' }]);
    const run = await runEval(createFakeSystem(), dataset, { judge });
    expect(run.items).toHaveLength(3);
    expect(run.items[0].judge).toMatchObject({ error: expect.stringMatching(/not JSON/) });
    expect(run.items[1].judge).toMatchObject({ error: expect.stringMatching(/invalid at correctness/) });
    expect(run.summary.judged).toBe(0);
    expect(run.summary.judgeErrors).toBe(2);
    expect(run.summary.judgeCorrectness).toBeNull();
    expect(run.items[0].passed).toBe(true);

    await fake!.close();
    const judgeOnError = await judgeWith([{ status: 500, message: 'boom' }, grade(0, 0, 'Wrong committee.')]);
    const second = await runEval(createFakeSystem(), dataset, { judge: judgeOnError });
    expect(second.items[0].judge).toMatchObject({ error: expect.stringMatching(/HTTP 500/) });
    expect(second.items[1].judge).toEqual({ correctness: 0, faithfulness: 0, comment: 'Wrong committee.' });
    expect(second.summary).toMatchObject({ judged: 1, judgeErrors: 1, judgeCorrectness: 0, judgeFaithfulness: 0 });
  });

  it('gives up on a hanging judge after timeoutMs and records the timeout', async () => {
    const judge = await judgeWith([{ hang: true }, grade(2, 2, 'fine')], 300);
    const run = await runEval(createFakeSystem(), dataset, { judge });
    expect(run.items[0].judge).toEqual({ error: 'judge timed out after 300 ms' });
    expect(run.items[1].judge).toMatchObject({ correctness: 2 });
  });
});

describe('judge reply parsing', () => {
  it('accepts a fenced JSON object and rejects missing fields', () => {
    expect(parseJudgeReply('```json\n{"correctness":1,"faithfulness":0,"comment":"c"}\n```')).toEqual({ correctness: 1, faithfulness: 0, comment: 'c' });
    expect(() => parseJudgeReply('{"correctness":1,"faithfulness":0}')).toThrow(/invalid at comment/);
    expect(() => parseJudgeReply('{"correctness":"2","faithfulness":0,"comment":""}')).toThrow(/invalid at correctness/);
  });
});

describe('--judge in the CLI and the reports', () => {
  it('refuses --judge without an LLM in the environment, naming the variables', () => {
    expect(() => parseCliArguments(['--judge'])).toThrow(UsageError);
    expect(() => parseCliArguments(['--judge'], { CHAT_MODEL: 'x' })).toThrow(/OPENAI_API_KEY.*OPENAI_BASE_URL/);
    expect(() => parseCliArguments(['--judge'], { OPENAI_BASE_URL: 'localhost:8080' })).toThrow(/OPENAI_BASE_URL must be an http\(s\) URL/);
    expect(parseCliArguments([], {})).toMatchObject({ judge: undefined });
  });

  it('takes the judge model from JUDGE_MODEL, else CHAT_MODEL, else gpt-4o-mini', () => {
    expect(parseCliArguments(['--judge'], { OPENAI_API_KEY: 'sk-x' })).toMatchObject({ judge: { apiKey: 'sk-x', model: 'gpt-4o-mini' } });
    expect(parseCliArguments(['--judge'], { OPENAI_BASE_URL: 'http://127.0.0.1:8080/v1', CHAT_MODEL: 'llama' })).toMatchObject({
      judge: { baseURL: 'http://127.0.0.1:8080/v1', model: 'llama' },
    });
    expect(parseCliArguments(['--judge'], { OPENAI_API_KEY: 'sk-x', CHAT_MODEL: 'llama', JUDGE_MODEL: 'gpt-4o' })).toMatchObject({ judge: { model: 'gpt-4o' } });
  });

  it('shows judge columns in the console and HTML only when the judge ran', async () => {
    const judge = await judgeWith([grade(2, 1, 'Says <b>Skolfam</b>.'), { text: 'garbage' }]);
    const judged = await runEval(createFakeSystem(), dataset, { judge });
    const plain = await runEval(createFakeSystem(), dataset);

    expect(categoryTable(judged)).toContain('J-correct');
    expect(configurationTable([judged, plain])).toContain('J-faithful');
    expect(categoryTable(plain)).not.toContain('J-correct');
    expect(configurationTable([plain])).not.toContain('J-faithful');

    const html = renderHtmlReport(buildReport({ dataset: 'judge-test.json', mode: 'in-process', k: 10, ours: judged, baselines: [] }));
    expect(html).toContain('J-correct');
    expect(html).toContain('correctness 2/2 · faithfulness 1/2 — Says &lt;b&gt;Skolfam&lt;/b&gt;.');
    expect(html).toContain('judge error: judge reply is not JSON');
    const plainHtml = renderHtmlReport(buildReport({ dataset: 'judge-test.json', mode: 'in-process', k: 10, ours: plain, baselines: [] }));
    expect(plainHtml).not.toContain('J-correct');
    expect(plainHtml).not.toContain('LLM judge');
  });
});
