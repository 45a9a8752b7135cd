/**
 * Load test (`npm run load`, not part of `npm test`): starts the real server (`src/main-node.ts`) on 127.0.0.1 with
 * the rate limit off, then drives `POST /api/search` and `POST /api/chat` (JSON mode) with autocannon, the gold
 * questions (dev + dev2) in turn as bodies.
 *
 *   npm run load -- [--connections 50] [--duration 60] [--corpus data/corpus] [--chunks N] [--index DIR]
 *                   [--endpoints search,chat] [--url http://127.0.0.1:PORT]
 *
 * `--chunks N` serves a synthetic corpus of about N chunks (the generator of eval/bench.ts) instead of `--corpus`.
 * `--url` drives an already running server instead of starting one. Prints throughput, latency p50/p95/p99 and
 * errors per endpoint (latency percentiles over the 2xx answers); 429 answers (rate limited) are counted apart from other non-2xx answers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { documentsFor, generateCorpus, percentile } from './bench.ts';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

/** What one endpoint's run measured. */
export interface LoadResult {
  endpoint: string;
  connections: number;
  seconds: number;
  requests: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  ok: number;
  rateLimited: number;
  otherNon2xx: number;
  errors: number;
  timeouts: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((next) => setTimeout(next, 500));
  }
  throw new Error(`the server at ${url} was not ready within ${timeoutMs / 1000} s`);
}

async function questions(): Promise<string[]> {
  const list: string[] = [];
  for (const file of ['eval/datasets/dev.json', 'eval/datasets/dev2.json']) {
    const data = JSON.parse(await readFile(join(root, file), 'utf8')) as { items: Array<{ turns: string[] }> };
    for (const item of data.items) list.push(item.turns[0]);
  }
  return list;
}

/** Runs autocannon against one endpoint, cycling through the bodies. */
export async function loadEndpoint(url: string, endpoint: 'search' | 'chat', bodies: string[], connections: number, seconds: number): Promise<LoadResult> {
  let next = 0;
  let rateLimited = 0;
  let otherNon2xx = 0;
  let ok = 0;
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolveRun, reject) => {
    const instance = autocannon(
      {
        url: `${url}/api/${endpoint}`,
        connections,
        duration: seconds,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json' },
            setupRequest: (request) => {
              const question = bodies[next++ % bodies.length];
              const body = endpoint === 'search' ? { query: question, k: 8 } : { messages: [{ role: 'user', content: question }] };
              return { ...request, body: JSON.stringify(body) };
            },
          },
        ],
      },
      (error, finished) => (error ? reject(error) : resolveRun(finished)),
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      if (statusCode === 429) rateLimited++;
      else if (statusCode >= 200 && statusCode < 300) {
        ok++;
        latencies.push(responseTime);
      } else otherNon2xx++;
    });
  });
  latencies.sort((a, b) => a - b);
  const at = (p: number) => (latencies.length ? Math.round(percentile(latencies, p)) : NaN);
  return {
    endpoint: `/api/${endpoint}`,
    connections,
    seconds,
    requests: result.requests.total,
    throughput: result.requests.total / seconds,
    p50: at(50),
    p95: at(95),
    p99: at(99),
    ok,
    rateLimited,
    otherNon2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** The results as a Markdown table. */
export function renderLoadTable(results: LoadResult[]): string {
  const lines = [
    '| endpoint | connections × s | requests | req/s | p50 / p95 / p99 ms | 2xx | 429 | other non-2xx | errors (timeouts) |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    lines.push(
      `| ${r.endpoint} | ${r.connections} × ${r.seconds} | ${r.requests} | ${r.throughput.toFixed(1)} | ${r.p50} / ${r.p95} / ${r.p99} | ${r.ok} | ${r.rateLimited} | ${r.otherNon2xx} | ${r.errors} (${r.timeouts}) |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      connections: { type: 'string', default: '50' },
      duration: { type: 'string', default: '60' },
      corpus: { type: 'string', default: 'data/corpus' },
      chunks: { type: 'string' },
      index: { type: 'string' },
      endpoints: { type: 'string', default: 'search,chat' },
      url: { type: 'string' },
      'ready-timeout': { type: 'string', default: '900' },
    },
  });
  const connections = Math.max(1, Number(values.connections));
  const seconds = Math.max(1, Number(values.duration));
  const endpoints = values.endpoints.split(',').filter((name): name is 'search' | 'chat' => name === 'search' || name === 'chat');
  const work = await mkdtemp(join(tmpdir(), 'planassistenten-load-'));
  let child: ChildProcess | undefined;
  try {
    let url = values.url;
    if (!url) {
      let corpusDir = resolve(values.corpus);
      if (values.chunks) {
        corpusDir = join(work, 'corpus');
        await mkdir(corpusDir);
        const { createHunspellLexicon } = await import('../src/adapters/hunspell-lexicon.ts');
        await generateCorpus(corpusDir, await documentsFor(Number(values.chunks), work, await createHunspellLexicon()));
      }
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      child = spawn(process.execPath, [...process.execArgv, join(root, 'src/main-node.ts')], {
        cwd: root,
        env: {
          ...process.env,
          PORT: String(port),
          HOST: '127.0.0.1',
          CORPUS_DIR: corpusDir,
          LANCEDB_DIR: values.index ? resolve(values.index) : join(work, 'index'),
          FEEDBACK_FILE: join(work, 'feedback.jsonl'),
          RATE_LIMIT_PER_MINUTE: '0',
          LOG_LEVEL: 'warn',
          OPENAI_API_KEY: '',
          OPENAI_BASE_URL: '',
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      console.error(`load: starting the server on ${url} (corpus ${corpusDir}) …`);
      await waitForHealth(url, child, Number(values['ready-timeout']) * 1000);
    }
    const health = (await (await fetch(`${url}/healthz`)).json()) as Record<string, unknown>;
    const bodies = await questions();
    const results: LoadResult[] = [];
    for (const endpoint of endpoints) {
      console.error(`load: ${connections} connections × ${seconds} s on /api/${endpoint} …`);
      results.push(await loadEndpoint(url, endpoint, bodies, connections, seconds));
    }
    console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; index: ${JSON.stringify(health)}`);
    console.log(renderLoadTable(results));
  } finally {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((done) => child!.once('exit', done));
    }
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
