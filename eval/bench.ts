/**
 * City-scale benchmark (`npm run bench`, not part of `npm test`).
 *
 *   npm run bench -- [--sizes 1000,10000] [--large] [--concurrency 10] [--rounds 2] [--no-baseline] [--json FILE]
 *                    [--vector-index ivf_rq|ivf_hnsw_sq|ivf_pq|none] [--workers N] [--keep DIR]
 *
 * For each size a synthetic corpus of about that many chunks is generated from the sample documents (`data/corpus`
 * and `eval/corpus-dev2`: committee, years and amounts varied per copy, paragraphs dropped at random so no two copies
 * are identical) and measured in its own child process (so peak RSS is that size's):
 *  - ingest end to end (files → LanceDB, builtin embedder): chunks/s and peak RSS;
 *  - `assistant.search` and `assistant.chat` over the gold questions (dev + dev2): p50/p95/p99 sequentially and under
 *    `--concurrency` requests in flight; the list questions apart;
 *  - vector recall@10 of the store's `searchVector` against brute-force cosine over every chunk;
 *  - the naive LangChain baseline (`MemoryVectorStore`, eval/baselines.ts) over the same files: setup and search.
 * Prints one table (and `--json FILE` writes the raw figures). `--large` adds 100k. `--keep DIR` keeps each size's
 * corpus and index in `DIR/<size>` and reuses them on the next run (ingest is then not measured: its figures are –),
 * so query-path changes can be measured at 100k without rebuilding the index each time.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createHashedEmbedder } from '../src/core/embedding/hashed-embedder.ts';
import { defaultProfile } from '../src/core/profile.ts';
import type { Assistant, Chunk, Lexicon } from '../src/core/types.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '..');

/** Latency figures of one series, in ms. */
export interface Latency {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  /** Requests per second (concurrent series: wall clock). */
  rps: number;
}

/** What one size measured. */
export interface SizeResult {
  targetChunks: number;
  documents: number;
  chunks: number;
  ingestSeconds: number;
  chunksPerSecond: number;
  ingestPeakRssMb: number;
  /** Where the ingest's wall-clock time went (ms, main thread; see `IngestSummary.stages`) and the worker count. */
  /** Not measured when a kept index (`--keep`) was reused. */
  ingestStages?: { prepare: number; embed: number; write: number; index: number; workers: number };
  search: Latency;
  searchConcurrent: Latency;
  chat: Latency;
  chatConcurrent: Latency;
  listChat: Latency;
  recallAt10: number;
  vectorSearchMs: Latency;
  naive?: { setupSeconds: number; search: Latency };
  /** Per sequential search: store calls and the ms spent in them (calls in parallel overlap), by method. */
  storeCalls: Record<string, { calls: number; ms: number }>;
  peakRssMb: number;
  /**
   * The serving process's memory after the search and chat series: resident now, and the peak so far (the peak
   * includes ingest unless the index was reused with `--keep`, which is how the server's own peak is measured).
   */
  servingRssMb?: number;
  servingPeakRssMb?: number;
}

/** Percentile (nearest rank) of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

function latencyOf(samples: number[], wallMs: number): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: samples.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), rps: (samples.length / wallMs) * 1000 };
}

/** A small seeded PRNG (mulberry32) so corpora are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One synthetic variant of a sample text: every committee name of the profile becomes `committee`, every year
 * 2015–2030 is shifted by `yearShift`, other numbers are scaled by a factor near 1, and about a tenth of the
 * paragraphs are dropped (never the first).
 */
export function variantOf(text: string, committeeNames: string[], committee: string, yearShift: number, random: () => number): string {
  let out = text;
  if (committeeNames.length) {
    const pattern = new RegExp(committeeNames.map(escapeRegExp).sort((a, b) => b.length - a.length).join('|'), 'giu');
    out = out.replace(pattern, (match) => (match[0] === match[0].toLowerCase() ? committee.toLowerCase() : committee));
  }
  out = out.replace(/\b(\d{1,3}(?:[  ]\d{3})+|\d+)\b/g, (match) => {
    const value = Number(match.replace(/\s/g, ''));
    if (Number.isInteger(value) && value >= 2015 && value <= 2030 && !/\s/.test(match)) return String(value + yearShift);
    if (value < 10) return match; // list numbers, headings, paragraph numbers
    return String(Math.max(1, Math.round(value * (0.7 + random() * 0.6))));
  });
  const paragraphs = out.split(/\n\s*\n/);
  return paragraphs.filter((_, index) => index === 0 || random() > 0.1).join('\n\n');
}

/** The sample texts the generator varies. */
async function sampleTexts(): Promise<Array<{ name: string; text: string }>> {
  const texts: Array<{ name: string; text: string }> = [];
  for (const folder of ['data/corpus', 'eval/corpus-dev2']) {
    for (const name of (await readdir(join(root, folder))).filter((file) => file.endsWith('.txt')).sort()) {
      texts.push({ name, text: await readFile(join(root, folder, name), 'utf8') });
    }
  }
  return texts;
}

/** Writes a corpus of `documents` generated files into `folder`; returns their names. */
export async function generateCorpus(folder: string, documents: number, seed = 1): Promise<string[]> {
  const profile = defaultProfile;
  const committees = profile.committees.map((committee) => committee.name);
  const allNames = profile.committees.flatMap((committee) => [committee.name, ...(committee.formerNames ?? []), ...(committee.shortNames ?? [])]).filter((name) => name.length > 3);
  const samples = await sampleTexts();
  const random = seededRandom(seed);
  const names: string[] = [];
  for (let index = 0; index < documents; index++) {
    const sample = samples[index % samples.length];
    const committee = committees[Math.floor(random() * committees.length)];
    const yearShift = Math.floor(random() * 9) - 6;
    const name = `${String(index).padStart(6, '0')}_${sample.name}`;
    await writeFile(join(folder, name), variantOf(sample.text, allNames, committee, yearShift, random));
    names.push(name);
  }
  return names;
}

/**
 * How many generated documents make about `targetChunks` chunks: the chunks per document are counted on a pilot of the
 * first `PILOT_DOCUMENTS` generated documents (the same seed, so the same documents), as ingest cuts them.
 */
export async function documentsFor(targetChunks: number, work: string, lexicon: Lexicon): Promise<number> {
  const { processFile } = await import('../ingest/pipeline.ts');
  const pilot = join(work, 'pilot');
  await mkdir(pilot, { recursive: true });
  try {
    const names = await generateCorpus(pilot, PILOT_DOCUMENTS);
    let chunks = 0;
    for (const name of names) chunks += (await processFile({ path: join(pilot, name), source: name }, lexicon)).chunks.length;
    return Math.max(1, Math.round(targetChunks / (chunks / names.length)));
  } finally {
    await rm(pilot, { recursive: true, force: true });
  }
}
const PILOT_DOCUMENTS = 60;

async function gold(): Promise<Array<{ question: string; list: boolean }>> {
  const questions: Array<{ question: string; list: boolean }> = [];
  for (const file of ['eval/datasets/dev.json', 'eval/datasets/dev2.json']) {
    const data = JSON.parse(await readFile(join(root, file), 'utf8')) as { items: Array<{ turns: string[]; category: string }> };
    for (const item of data.items) questions.push({ question: item.turns[0], list: item.category === 'uppdrag-list' });
  }
  return questions;
}

/** Wraps the async methods of a store to count calls and time spent per method (while the map is being read). */
function instrument(store: Record<string, unknown>): Map<string, { calls: number; ms: number }> {
  const totals = new Map<string, { calls: number; ms: number }>();
  for (const name of ['listDocuments', 'getDocument', 'getChunks', 'getChunk', 'allChunks', 'searchText', 'searchNgram', 'searchVector', 'searchTextIds', 'searchVectorIds', 'chunksByIds', 'info']) {
    const method = store[name];
    if (typeof method !== 'function') continue;
    store[name] = async (...args: unknown[]) => {
      const begun = performance.now();
      try {
        return await (method as (...values: unknown[]) => Promise<unknown>).apply(store, args);
      } finally {
        const entry = totals.get(name) ?? { calls: 0, ms: 0 };
        entry.calls++;
        entry.ms += performance.now() - begun;
        totals.set(name, entry);
      }
    };
  }
  return totals;
}

async function timeSeries(tasks: Array<() => Promise<unknown>>, concurrency: number): Promise<Latency> {
  const samples: number[] = [];
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++];
      const begun = performance.now();
      await task();
      samples.push(performance.now() - begun);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latencyOf(samples, performance.now() - started);
}

async function drainChat(assistant: Assistant, question: string): Promise<void> {
  for await (const event of assistant.chat({ messages: [{ role: 'user', content: question }] })) void event;
}

function cosineTop(vectors: Float32Array[], norms: Float64Array, query: number[], k: number): number[] {
  let queryNorm = 0;
  for (const value of query) queryNorm += value * value;
  queryNorm = Math.sqrt(queryNorm) || 1;
  const scores: Array<[number, number]> = [];
  for (let index = 0; index < vectors.length; index++) {
    const vector = vectors[index];
    let dot = 0;
    for (let dimension = 0; dimension < vector.length; dimension++) dot += vector[dimension] * query[dimension];
    scores.push([index, dot / ((norms[index] || 1) * queryNorm)]);
  }
  scores.sort((a, b) => b[1] - a[1]);
  return scores.slice(0, k).map(([index]) => index);
}

/** Measures one size in this process (called in a child by the parent). */
interface MeasureOptions {
  rounds: number;
  concurrency: number;
  baseline: boolean;
  vectorIndex?: string;
  workers?: number;
  keep?: string;
  /** The size's folder (corpus, index, built.json): `--keep DIR/<size>` or a temporary folder of the parent's. */
  work: string;
  /** `ingest` builds the index (unless built.json says it is there); `serve` measures queries in a fresh process. */
  phase: 'ingest' | 'serve';
}

/**
 * One phase of one size, in its own child process: `ingest` (its peak RSS is the ingest's) or `serve` (opens the
 * index like a server does and measures the queries; its RSS is the serving process's alone).
 */
async function measureSize(targetChunks: number, options: MeasureOptions): Promise<Partial<SizeResult>> {
  const { createNodeAssistant } = await import('../src/node-assistant.ts');
  const { ingestCorpus } = await import('../ingest/pipeline.ts');
  const { createLanceStore } = await import('../src/adapters/lancedb-store.ts');
  const { createHunspellLexicon } = await import('../src/adapters/hunspell-lexicon.ts');
  const { createProgressReporter } = await import('../ingest/progress.ts');
  const { stat } = await import('node:fs/promises');
  const work = options.work;
  {
    const corpusDir = join(work, 'corpus');
    const indexDir = join(work, 'index');
    const embedder = createHashedEmbedder();
    const lexicon = await createHunspellLexicon();
    // A kept index (`--keep`) complete from an earlier run (marked by `built.json`) is reused: ingest is not measured.
    const built = await readFile(join(work, 'built.json'), 'utf8').then((text) => JSON.parse(text) as { chunks: number; documents: number }, () => undefined);
    if (options.phase === 'serve' && !built) throw new Error(`bench: no index was built in ${work}`);
    let ingestSeconds = NaN;
    let ingestPeakRssMb = NaN;
    let chunks = built?.chunks ?? 0;
    let documents = built?.documents ?? 0;
    let ingestStages: SizeResult['ingestStages'];
    if (!built) {
      await rm(work, { recursive: true, force: true });
      await mkdir(corpusDir, { recursive: true });
      documents = await documentsFor(targetChunks, work, lexicon);
      await generateCorpus(corpusDir, documents);
      const store = await createLanceStore({ directory: indexDir, ...(options.vectorIndex ? { vectorIndex: options.vectorIndex as 'ivf_rq' | 'ivf_pq' | 'ivf_hnsw_sq' | 'none' } : {}) });
      const reporter = createProgressReporter({ interactive: false, stream: process.stderr });
      const started = performance.now();
      const { defaultPrepareWorkers } = await import('../ingest/prepare-pool.ts');
      const workers = options.workers ?? defaultPrepareWorkers();
      const summary = await ingestCorpus({ paths: [corpusDir], corpusRoot: corpusDir, store, embedder, lexicon, workers, onProgress: (event) => (event.type === 'result' || event.type === 'document' ? undefined : reporter.onProgress(event)) });
      ingestSeconds = (performance.now() - started) / 1000;
      ingestStages = { ...summary.stages, workers };
      reporter.stop();
      ingestPeakRssMb = process.resourceUsage().maxRSS / 1024;
      await store.close();
      chunks = summary.chunksWritten;
      await writeFile(join(work, 'built.json'), JSON.stringify({ chunks, documents }));
    } else if (!(await stat(indexDir).catch(() => undefined))) throw new Error(`--keep: ${indexDir} is missing; remove ${join(work, 'built.json')} to rebuild`);
    if (options.phase === 'ingest') {
      return { targetChunks, documents, chunks, ingestSeconds, chunksPerSecond: chunks / ingestSeconds, ingestPeakRssMb, ...(ingestStages ? { ingestStages } : {}) };
    }

    const node = await createNodeAssistant({ corpusDir, indexDir, autoIngest: false, lexicon, embedder });
    const assistant = node.assistant;
    const questions = await gold();
    const repeat = <T>(items: T[]) => Array.from({ length: options.rounds }, () => items).flat();
    // warm-up: caches per index version, JIT
    for (const { question } of questions.slice(0, 5)) await assistant.search({ query: question });
    await drainChat(assistant, questions[0].question);

    const calls = instrument(node.store as unknown as Record<string, unknown>);
    const search = await timeSeries(repeat(questions).map(({ question }) => () => assistant.search({ query: question })), 1);
    const storeCalls = Object.fromEntries([...calls].map(([name, entry]) => [name, { calls: entry.calls / search.n, ms: entry.ms / search.n }]));
    calls.clear();
    const searchConcurrent = await timeSeries(repeat(questions).map(({ question }) => () => assistant.search({ query: question })), options.concurrency);
    const chat = await timeSeries(repeat(questions).map(({ question }) => () => drainChat(assistant, question)), 1);
    const chatConcurrent = await timeSeries(repeat(questions).map(({ question }) => () => drainChat(assistant, question)), options.concurrency);
    const lists = questions.filter((question) => question.list);
    const listChat = await timeSeries(repeat(lists).map(({ question }) => () => drainChat(assistant, question)), 1);
    const servingRssMb = process.memoryUsage().rss / 2 ** 20;
    const servingPeakRssMb = process.resourceUsage().maxRSS / 1024;

    // recall@10 of the store's vector search against brute force over every chunk
    const all: Chunk[] = await node.store.allChunks();
    const vectors: Float32Array[] = [];
    for (let start = 0; start < all.length; start += 256) {
      const batch = await embedder.embed(all.slice(start, start + 256).map((chunk) => `${chunk.context}\n${chunk.text}`), { inputType: 'document' });
      for (const vector of batch) vectors.push(Float32Array.from(vector));
    }
    const norms = Float64Array.from(vectors, (vector) => Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0)));
    let hits = 0;
    let total = 0;
    const vectorSamples: number[] = [];
    const vectorStarted = performance.now();
    for (const { question } of questions) {
      const [query] = await embedder.embed([question], { inputType: 'query' });
      const exact = new Set(cosineTop(vectors, norms, query, 10).map((index) => all[index].id));
      const begun = performance.now();
      const found = await node.store.searchVector(query, { k: 10 });
      vectorSamples.push(performance.now() - begun);
      hits += found.filter((result) => exact.has(result.chunk.id)).length;
      total += exact.size;
    }
    const vectorSearchMs = latencyOf(vectorSamples, performance.now() - vectorStarted);
    await node.close();

    let naive: SizeResult['naive'];
    if (options.baseline) {
      const { createNaiveRagBaseline } = await import('./baselines.ts');
      const begun = performance.now();
      const baseline = await createNaiveRagBaseline({ corpusDir, embedder });
      const setupSeconds = (performance.now() - begun) / 1000;
      naive = { setupSeconds, search: await timeSeries(repeat(questions).map(({ question }) => () => baseline.search({ query: question, k: 8 })), 1) };
    }
    return {
      targetChunks,
      documents,
      chunks,
      search,
      searchConcurrent,
      chat,
      chatConcurrent,
      listChat,
      recallAt10: total ? hits / total : NaN,
      vectorSearchMs,
      naive,
      storeCalls,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      servingRssMb,
      servingPeakRssMb,
    };
  }
}

const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const lat = (latency: Latency | undefined) => (latency ? `${fmt(latency.p50)} / ${fmt(latency.p95)} / ${fmt(latency.p99)}` : '–');

/** The results as one Markdown table (one column per size). */
export function renderTable(results: SizeResult[]): string {
  const rows: Array<[string, (result: SizeResult) => string]> = [
    ['documents / chunks', (r) => `${r.documents} / ${r.chunks}`],
    ['ingest s (chunks/s)', (r) => `${fmt(r.ingestSeconds, 1)} (${fmt(r.chunksPerSecond)})`],
    ['ingest peak RSS MB', (r) => fmt(r.ingestPeakRssMb)],
    ['ingest s: prepare wait / embed / write / index (workers)', (r) => (r.ingestStages ? `${[r.ingestStages.prepare, r.ingestStages.embed, r.ingestStages.write, r.ingestStages.index].map((ms) => fmt(ms / 1000, 1)).join(' / ')} (${r.ingestStages.workers})` : '–')],
    ['search p50/p95/p99 ms (seq)', (r) => lat(r.search)],
    ['search p50/p95/p99 ms (conc)', (r) => `${lat(r.searchConcurrent)} · ${fmt(r.searchConcurrent.rps, 1)} req/s`],
    ['chat p50/p95/p99 ms (seq)', (r) => lat(r.chat)],
    ['chat p50/p95/p99 ms (conc)', (r) => `${lat(r.chatConcurrent)} · ${fmt(r.chatConcurrent.rps, 1)} req/s`],
    ['list chat p50/p95/p99 ms', (r) => lat(r.listChat)],
    ['vector search p50/p95 ms', (r) => `${fmt(r.vectorSearchMs.p50, 1)} / ${fmt(r.vectorSearchMs.p95, 1)}`],
    ['vector recall@10', (r) => fmt(r.recallAt10, 3)],
    ['naive (MemoryVectorStore) setup s', (r) => (r.naive ? fmt(r.naive.setupSeconds, 1) : '–')],
    ['naive search p50/p95/p99 ms', (r) => lat(r.naive?.search)],
    ['search p50 ours / naive', (r) => (r.naive ? `${fmt(r.search.p50 / r.naive.search.p50, 1)}×` : '–')],
    ['peak RSS MB (whole run)', (r) => fmt(r.peakRssMb)],
    ['serving RSS MB: after queries / peak', (r) => `${fmt(r.servingRssMb ?? NaN)} / ${fmt(r.servingPeakRssMb ?? NaN)}`],
    [
      'store calls per search (ms)',
      (r) =>
        Object.entries(r.storeCalls ?? {})
          .sort((a, b) => b[1].ms - a[1].ms)
          .slice(0, 4)
          .map(([name, entry]) => `${name} ${fmt(entry.calls, 1)}× ${fmt(entry.ms)}`)
          .join(', '),
    ],
  ];
  const header = `| | ${results.map((result) => `${result.targetChunks / 1000}k`).join(' | ')} |`;
  const rule = `|---|${results.map(() => '---').join('|')}|`;
  return [header, rule, ...rows.map(([label, cell]) => `| ${label} | ${results.map(cell).join(' | ')} |`)].join('\n');
}

function runChild(size: number, args: string[]): Promise<Partial<SizeResult>> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--child', String(size), ...args],
      { maxBuffer: 64 * 1024 * 1024, cwd: root },
      (error, stdout) => {
        if (error) return reject(error);
        const line = stdout.trim().split('\n').pop() ?? '';
        resolvePromise(JSON.parse(line) as Partial<SizeResult>);
      },
    );
    child.stderr?.pipe(process.stderr);
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      sizes: { type: 'string', default: '1000,10000' },
      large: { type: 'boolean', default: false },
      concurrency: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '2' },
      'no-baseline': { type: 'boolean', default: false },
      json: { type: 'string' },
      'vector-index': { type: 'string' },
      workers: { type: 'string' },
      keep: { type: 'string' },
      child: { type: 'string' },
      phase: { type: 'string' },
      work: { type: 'string' },
    },
  });
  const options = {
    rounds: Math.max(1, Number(values.rounds)),
    concurrency: Math.max(1, Number(values.concurrency)),
    baseline: !values['no-baseline'],
    ...(values['vector-index'] ? { vectorIndex: values['vector-index'] } : {}),
    ...(values.workers !== undefined ? { workers: Math.max(0, Number(values.workers)) } : {}),
    ...(values.keep ? { keep: resolve(values.keep) } : {}),
  };
  if (values.child) {
    if (!values.work || (values.phase !== 'ingest' && values.phase !== 'serve')) throw new Error('bench: --child needs --phase ingest|serve and --work DIR');
    const result = await measureSize(Number(values.child), { ...options, work: values.work, phase: values.phase });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const sizes = values.sizes.split(',').map(Number).filter((size) => size > 0);
  if (values.large && !sizes.includes(100_000)) sizes.push(100_000);
  const forward = [
    '--rounds', String(options.rounds),
    '--concurrency', String(options.concurrency),
    ...(options.baseline ? [] : ['--no-baseline']),
    ...(options.vectorIndex ? ['--vector-index', options.vectorIndex] : []),
    ...(options.workers !== undefined ? ['--workers', String(options.workers)] : []),
    ...(options.keep ? ['--keep', options.keep] : []),
  ];
  const results: SizeResult[] = [];
  for (const size of sizes) {
    console.error(`bench: ${size} chunks …`);
    const work = options.keep ? resolve(options.keep, String(size)) : await mkdtemp(join(tmpdir(), 'planassistenten-bench-'));
    let result: SizeResult;
    try {
      // Ingest and serving in separate processes: the serving process's memory is the server's alone.
      const ingested = await runChild(size, [...forward, '--phase', 'ingest', '--work', work]);
      const served = await runChild(size, [...forward, '--phase', 'serve', '--work', work]);
      result = { ...served, ...ingested, peakRssMb: Math.max(ingested.ingestPeakRssMb ?? 0, served.peakRssMb ?? 0) } as SizeResult;
    } finally {
      if (!options.keep) await rm(work, { recursive: true, force: true });
    }
    console.error(`bench: ${size} chunks done: ${JSON.stringify(result)}`);
    results.push(result);
  }
  console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`);
  console.log(renderTable(results));
  if (values.json) await writeFile(values.json, JSON.stringify(results, null, 2));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
