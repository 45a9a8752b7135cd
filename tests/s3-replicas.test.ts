/**
 * The index on object storage: one ingest job writes `s3://…`, two stateless read-only servers serve it and pick up a
 * new version without a restart. Everything real and local: s3rver (an S3-compatible server) on 127.0.0.1 with a temp
 * folder (made atomic per object, as S3 is: tests/helpers/atomic-s3rver.ts), the ingest CLI and `src/main-node.ts` as
 * child processes, HTTP on 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIngestCli } from '../ingest/cli.ts';
import { createHashedEmbedder } from '../src/core/embedding/hashed-embedder.ts';
import { makeS3rverAtomic } from './helpers/atomic-s3rver.ts';
import { sink } from './helpers/sink.ts';

const WORKTREE = resolve('.');
const BUCKET = 'planer';
const INDEX = `s3://${BUCKET}/stad/index`;

/** Documents of our own: two served from the start, a third added while the servers run. */
const FIRST_DOCUMENTS: Record<string, string> = {
  'kultur-verksamhetsplan-2026.txt': `Verksamhetsplan 2026 för Kulturnämnden

Beslutad av Kulturnämnden 2025-12-09.

Mål

Fler invånare ska låna böcker och delta i kulturlivet i hela staden.

Uppdrag

Kulturnämnden ger förvaltningen i uppdrag att förlänga öppettiderna på stadsdelsbiblioteken.
Förvaltningen får i uppdrag att ta fram ett program för läsfrämjande insatser för barn.
`,
  'trafik-genomforandeplan-2026.txt': `Genomförandeplan 2026 för Trafiknämnden

Trafiknämnden har beslutat om genomförandeplanen 2025-11-18.

Uppdrag

Trafiknämnden ger förvaltningen i uppdrag att bygga säkra cykelpassager vid skolor.
Förvaltningen ges i uppdrag att utreda fler laddplatser för elbussar.
`,
};
const NEW_DOCUMENT = {
  name: 'hamn-verksamhetsplan-2026.txt',
  text: `Verksamhetsplan 2026 för Hamnnämnden

Beslutad av Hamnnämnden 2025-12-02.

Uppdrag

Hamnnämnden ger förvaltningen i uppdrag att anlägga en ny gästhamn vid Stigbergskajen.
Förvaltningen får i uppdrag att undersöka landström till kryssningsfartygen.
`,
};
const NEW_QUERY = 'gästhamn Stigbergskajen landström';
/** Document ids are the file names without extension. */
const NEW_ID = 'hamn-verksamhetsplan-2026';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function temporaryFolder(prefix: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), `planassistenten-s3-${prefix}-`));
  cleanups.push(() => rm(folder, { recursive: true, force: true }));
  return folder;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

let s3Environment: Record<string, string>;
let corpus: string;

beforeAll(async () => {
  const data = await temporaryFolder('data');
  makeS3rverAtomic(); // objects appear whole, as on S3 (see the helper)
  const s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: data, configureBuckets: [{ name: BUCKET }] });
  const { port } = await s3.run();
  cleanups.push(() => s3.close());
  s3Environment = {
    LANCEDB_DIR: INDEX,
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    AWS_ALLOW_HTTP: 'true',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  };
  corpus = await temporaryFolder('corpus');
  for (const [name, text] of Object.entries(FIRST_DOCUMENTS)) await writeFile(join(corpus, name), text);
});

/** Only what a child needs: no AWS_* or other settings leak in from the environment running the tests. */
function childEnvironment(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: tmpdir(), LANCEDB_LOG: 'error', ...s3Environment, ...extra };
}

/** `npm run ingest` as a child process against the S3 index; resolves with its exit code and output. */
function runIngest(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve('ingest/cli.ts'), ...args], {
    cwd: WORKTREE,
    env: childEnvironment({ CORPUS_DIR: corpus }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (data) => (stdout += String(data)));
  child.stderr.on('data', (data) => (stderr += String(data)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolveRun) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    }),
  );
}

/** `npm start` as a child process (read-only: implied by the s3:// index); resolves once it listens. */
async function startServer(): Promise<{ url: string; child: ChildProcess; log: () => string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', resolve('src/main-node.ts')], {
    cwd: WORKTREE,
    env: childEnvironment({
      PORT: String(port),
      HOST: '127.0.0.1',
      CORPUS_DIR: join(corpus, 'never-read'),
      RATE_LIMIT_PER_MINUTE: '0',
      FEEDBACK_FILE: join(corpus, `feedback-${port}.jsonl`),
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  cleanups.push(async () => {
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  });
  await new Promise<void>((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${log}`)), 30_000);
    const onData = (data: Buffer) => {
      log += String(data);
      if (log.includes('listening on http://')) {
        clearTimeout(timer);
        resolveStart();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${log}`));
    });
  });
  return { url: `http://127.0.0.1:${port}`, child, log: () => log };
}

interface Outcome {
  status: number;
  /** The ids of the documents found, best first. */
  documents: string[];
  /** The body of a response other than 200. */
  error?: string;
}

async function search(url: string, query: string): Promise<Outcome> {
  const response = await fetch(`${url}/api/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, k: 5 }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  if (response.status !== 200) return { status: response.status, documents: [], error: text };
  const body = JSON.parse(text) as { results: Array<{ document: { id: string } }> };
  return { status: response.status, documents: body.results.map((result) => result.document.id) };
}

describe('an s3:// index served by two read-only replicas', () => {
  it('both pick up the first version, keep answering while an ingest adds a document, then answer from the new version', async () => {
    const started = Date.now();
    // One replica starts before anything is written (it serves an empty index), the other on the first version.
    const early = await startServer();
    expect(early.log(), early.log()).toMatch(/read-only index with nothing in it yet/);
    const empty = await search(early.url, 'öppettider stadsdelsbiblioteken');
    expect(empty).toEqual({ status: 200, documents: [] });

    const first = await runIngest(['--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).added).toHaveLength(2);

    const late = await startServer();
    expect(late.log(), late.log()).toMatch(/read-only index: serving it/);
    const servers = [early, late];
    for (const server of servers) {
      const health = (await (await fetch(`${server.url}/healthz`)).json()) as { documents: number };
      expect(health.documents).toBe(2);
      const before = await search(server.url, NEW_QUERY);
      expect(before.status).toBe(200);
      expect(before.documents).not.toContain(NEW_ID);
      const known = await search(server.url, 'öppettider stadsdelsbiblioteken');
      expect(known.documents[0]).toBe('kultur-verksamhetsplan-2026');
    }

    // The writer adds a document while both servers answer a stream of requests.
    await writeFile(join(corpus, NEW_DOCUMENT.name), NEW_DOCUMENT.text);
    const statuses: number[] = [];
    const failures: string[] = [];
    let ingestDone = false;
    let ingestEnded = 0;
    const ingest = runIngest([]).finally(() => {
      ingestDone = true;
      ingestEnded = Date.now();
    });
    const seenNew = new Map<string, number>();
    const answeredDuringIngest = new Map<string, number>();
    const deadline = Date.now() + 45_000;
    const drive = servers.map(async (server) => {
      while (Date.now() < deadline && (!ingestDone || !seenNew.has(server.url))) {
        try {
          const outcome = await search(server.url, NEW_QUERY);
          statuses.push(outcome.status);
          if (!ingestDone) answeredDuringIngest.set(server.url, (answeredDuringIngest.get(server.url) ?? 0) + 1);
          if (outcome.error) failures.push(`${server.url} /api/search ${outcome.status}: ${outcome.error}`);
          if (outcome.status === 200 && outcome.documents.includes(NEW_ID) && ingestDone) seenNew.set(server.url, Date.now());
          const health = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(15_000) });
          statuses.push(health.status);
        } catch (error) {
          failures.push(`${server.url}: ${(error as Error).message}`);
        }
        await new Promise((wait) => setTimeout(wait, 100));
      }
    });
    const second = await ingest;
    await Promise.all(drive);
    expect(second.code, second.stderr).toBe(0);
    expect(failures, servers.map((server) => server.log()).join('\n')).toEqual([]);
    expect(statuses.length).toBeGreaterThan(4);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect([...seenNew.keys()].sort()).toEqual(servers.map((server) => server.url).sort());
    // Both were queried while the ingest was writing.
    for (const server of servers) expect(answeredDuringIngest.get(server.url) ?? 0).toBeGreaterThan(0);
    const pickUp = servers.map((server) => seenNew.get(server.url)! - ingestEnded);

    // Both answer from the new version: the document list, search and a cited chat answer.
    for (const server of servers) {
      const health = (await (await fetch(`${server.url}/healthz`)).json()) as { documents: number };
      expect(health.documents).toBe(3);
      const response = await fetch(`${server.url}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'Vilka uppdrag har Hamnnämnden om gästhamnen?' }] }),
      });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as { abstained: boolean; citations: Array<{ document: { id: string } }> };
      expect(answer.abstained).toBe(false);
      expect(answer.citations.map((citation) => citation.document.id)).toContain(NEW_ID);
    }
    console.info(
      `s3 replicas: ${Date.now() - started} ms in all; searches during the ingest ${servers.map((server) => answeredDuringIngest.get(server.url)).join(' and ')}, ` +
        `new version seen ${pickUp.join(' and ')} ms after the ingest exited`,
    );
  }, 120_000);

  it('an ingest into a bucket that does not exist stops with exit code 2 and a message naming the index', async () => {
    const stdout = sink();
    const stderr = sink();
    const started = Date.now();
    const code = await runIngestCli(['--index', 's3://no-such-bucket/index', '--corpus', corpus], s3Environment, {
      stdout,
      stderr,
      embedder: createHashedEmbedder(),
      interactive: false,
    });
    expect(code).toBe(2);
    expect(stderr.text()).toBe('ingest: could not open the index s3://no-such-bucket/index: NoSuchBucket: The specified bucket does not exist\n');
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
