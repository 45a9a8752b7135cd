/**
 * Measures the reranker port (not part of `npm test`): runs the gold sets in-process with no reranker, with a fake
 * cross-encoder that is deliberately good (scores a passage by the share of the question's words it contains) and with
 * one that is random (seeded, repeatable). Both fakes are real HTTP `/rerank` servers on 127.0.0.1, called through the
 * production client, budget and fallback (RERANK_* as configured on a server).
 *
 *     npx tsx eval/rerank-compare.ts [--dataset eval/datasets/dev.json] [--dataset eval/datasets/dev2.json]
 *
 * Prints one line per dataset and configuration: items passed, recall@5, MRR, citation recall, wrong-committee
 * citations, abstention accuracy.
 */
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRerankClient } from '../src/adapters/rerank-client.ts';
import { createReranker, type Reranker } from '../src/core/retrieval/rerank.ts';
import { createApp } from '../src/http/create-app.ts';
import { createNodeAssistant } from '../src/node-assistant.ts';
import { createInProcessClient } from './clients.ts';
import { loadDataset } from './dataset.ts';
import { runEval } from './run-eval.ts';

type Mode = 'overlap' | 'random';

/** Lower-cased words of 4+ letters, cut to 6 letters (a crude stem so "familjehemmen" meets "familjehem"). */
function stems(text: string): Set<string> {
  return new Set((text.toLowerCase().match(/\p{L}{4,}/gu) ?? []).map((word) => word.slice(0, 6)));
}

/** A deterministic pseudo-random number in [0, 1) from a string. */
function seeded(text: string): number {
  let hash = 2166136261;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 16777619);
  return ((hash >>> 0) % 1_000_003) / 1_000_003;
}

async function fakeRerankServer(mode: Mode): Promise<{ url: string; server: Server }> {
  const server = createServer(async (request, response) => {
    let raw = '';
    for await (const piece of request) raw += piece;
    const body = JSON.parse(raw) as { query: string; documents: string[] };
    const question = stems(body.query);
    const results = body.documents.map((document, index) => {
      if (mode === 'random') return { index, relevance_score: seeded(`${body.query}\u0000${document}`) };
      const words = stems(document);
      const shared = [...question].filter((stem) => words.has(stem)).length;
      return { index, relevance_score: shared / Math.max(1, question.size) };
    });
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ results }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function corporaFor(datasetFile: string): Promise<string[]> {
  const thresholds = JSON.parse(await readFile('eval/thresholds.json', 'utf8')) as { datasets: Record<string, { file: string; corpora?: string[] }> };
  const entry = Object.values(thresholds.datasets).find((candidate) => candidate.file === datasetFile);
  return entry?.corpora ?? ['data/corpus'];
}

async function combine(folders: string[], into: string): Promise<void> {
  for (const folder of folders) {
    for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile()) continue;
      const from = join(entry.parentPath, entry.name);
      const to = join(into, from.slice(folder.length).replace(/^[\\/]+/, ''));
      await mkdir(dirname(to), { recursive: true });
      await copyFile(from, to);
    }
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { dataset: { type: 'string', multiple: true }, timeout: { type: 'string' } } });
  const datasets = values.dataset ?? ['eval/datasets/dev.json', 'eval/datasets/dev2.json'];
  const timeoutMs = Number(values.timeout ?? 5000);
  const fakes = { overlap: await fakeRerankServer('overlap'), random: await fakeRerankServer('random') };
  const warnings: string[] = [];
  const logger = { debug() {}, info() {}, warn: (message: string) => warnings.push(message), error: (message: string) => warnings.push(message) };
  try {
    for (const file of datasets) {
      const dataset = await loadDataset(file);
      const folder = await mkdtemp(join(tmpdir(), 'planassistenten-rerank-eval-'));
      try {
        const corpusDir = join(folder, 'corpus');
        await mkdir(corpusDir);
        await combine(await corporaFor(file), corpusDir);
        const indexDir = join(folder, 'index');
        const configurations: Array<[string, Reranker | undefined]> = [
          ['builtin (no reranker)', undefined],
          ['fake cross-encoder: word overlap', createReranker({ crossEncoder: createRerankClient({ url: fakes.overlap.url }), timeoutMs, logger })],
          ['fake cross-encoder: random', createReranker({ crossEncoder: createRerankClient({ url: fakes.random.url }), timeoutMs, logger })],
        ];
        for (const [index, [name, reranker]] of configurations.entries()) {
          const node = await createNodeAssistant({ corpusDir, indexDir, autoIngest: index === 0, ...(reranker ? { reranker } : {}) });
          try {
            const run = await runEval(createInProcessClient(createApp({ assistant: node.assistant }), name), dataset, { k: 10 });
            const s = run.summary;
            const f = (value: number | null) => (value === null ? '–' : value.toFixed(2));
            console.log(
              `${file.padEnd(26)} ${name.padEnd(34)} passed ${String(s.passed).padStart(3)}/${s.items}  recall@5 ${f(s.recallAt5)}  MRR ${f(s.mrr)}  ` +
                `citation recall ${f(s.citationRecall)}  wrong-committee ${f(s.forbiddenCitationRate)}  abstention ${f(s.abstentionAccuracy)}  fact recall ${f(s.factRecall)}`,
            );
          } finally {
            await node.close();
          }
        }
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    }
    if (warnings.length) console.log(`reranker warnings (fallbacks): ${warnings.length}`);
  } finally {
    for (const fake of Object.values(fakes)) fake.server.close();
  }
}

await main();
