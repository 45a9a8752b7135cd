/**
 * `npm run eval` — runs a gold set against the in-process pipeline (default) or a running server (`--url`),
 * with baselines, console tables, a JSON report and a self-contained HTML report. `--help` lists the options.
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createOpenAIChatModel } from '../src/adapters/openai-chat.ts';
import { createHashedEmbedder } from '../src/core/embedding/hashed-embedder.ts';
import { createNaiveRagBaseline, createRetrieverBaseline } from './baselines.ts';
import { EVAL_KEY_HEADER, createHttpClient, type EvalClient } from './clients.ts';
import { DatasetError, loadDataset } from './dataset.ts';
import { checkThresholds, describeViolations, loadThresholds } from './gate.ts';
import { createInProcessSystem, type InProcessSystem } from './in-process.ts';
import { createLlmJudge, type LlmJudge } from './judge.ts';
import {
  buildReport,
  categoryComparisonTable,
  categoryTable,
  compareReports,
  configurationTable,
  deltaTable,
  reportTimestamp,
  type EvalReport,
  type ReportComparison,
} from './report.ts';
import { renderComparisonHtml, renderHtmlReport } from './report-html.ts';
import { runEval, type EvalRun, type ItemResult } from './run-eval.ts';

const HELP = `Usage: npm run eval -- [options]

  --dataset FILE     gold set (default eval/datasets/dev.json)
  --url URL          evaluate a running server over HTTP (default: in-process through the same Hono app);
                     with EVAL_API_KEY in the environment the key is sent as x-eval-key, so a server started
                     with the same EVAL_API_KEY does not rate-limit the run
  --corpus DIR       corpus folder for the in-process pipeline and the baselines; repeat it to ingest several
                     together (default: the set's "corpora" in eval/thresholds.json, else data/corpus)
  --k N              retrieval k for /api/search and the baselines, 1–50 (default 10)
  --out FILE.json    write the JSON report here (default: reports/eval-YYYYMMDD-HHMMSS.json)
  --html FILE.html   write the HTML report here (default: beside the JSON report)
                     Every run also refreshes reports/latest.json and reports/latest.html.
  --reports-dir DIR  folder of the timestamped and latest reports (default reports)
  --baseline-report FILE.json
                     compare this run with an earlier JSON report (a section of the HTML report)
  --compare A.json B.json
                     no evaluation: compare two JSON reports (A before, B after) and write an HTML page
                     (--html, default reports/compare-YYYYMMDD-HHMMSS.html)
  --baselines        run the baselines (default in-process; with --url they run locally, in-process)
  --no-baselines     skip the baselines
  --fusion rrf|convex  rank fusion of the in-process hybrid retrieval (default rrf)
  --gate NAME        check the summary against eval/thresholds.json datasets.NAME; exit 1 on a violation
  --judge            LLM-as-judge for our answered items (informational, never gated); needs OPENAI_API_KEY
                     or OPENAI_BASE_URL; model JUDGE_MODEL, else CHAT_MODEL, else gpt-4o-mini
  --quiet            no per-item progress lines
  -h, --help         this text
`;

/** Parsed CLI options. */
export interface CliOptions {
  dataset: string;
  url?: string;
  /** Corpus folders ingested together (empty: from eval/thresholds.json for the dataset, else data/corpus). */
  corpus: string[];
  k: number;
  out?: string;
  /** HTML report path; default beside the JSON report. */
  html?: string;
  /** Folder of the timestamped and `latest.*` reports (default `reports`). */
  reportsDir: string;
  /** An earlier JSON report to compare this run with. */
  baselineReport?: string;
  /** Compare two JSON reports (before, after) instead of running an evaluation. */
  compare?: [string, string];
  /** Evaluator key sent with `--url` requests (from EVAL_API_KEY). */
  evalKey?: string;
  baselines: boolean;
  gate?: string;
  quiet: boolean;
  /** Rank fusion of the in-process pipeline (default rrf). */
  fusion: 'rrf' | 'convex';
  /** LLM-as-judge settings (only with `--judge` and an LLM configured in the environment). */
  judge?: JudgeSettings;
}

/** Where the LLM judge runs (from the environment). */
export interface JudgeSettings {
  apiKey?: string;
  baseURL?: string;
  model: string;
}

/** The environment variables the CLI reads (only for `--judge`). */
export type CliEnvironment = Partial<Record<'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'JUDGE_MODEL' | 'CHAT_MODEL' | 'EVAL_API_KEY', string | undefined>>;

/** Default judge model when neither JUDGE_MODEL nor CHAT_MODEL is set. */
export const DEFAULT_JUDGE_MODEL = 'gpt-4o-mini';

/** Judge settings from the environment, or a {@link UsageError} naming the variables when no LLM is configured. */
export function judgeSettingsFrom(environment: CliEnvironment): JudgeSettings {
  const value = (name: keyof CliEnvironment): string | undefined => {
    const text = environment[name]?.trim();
    return text ? text : undefined;
  };
  const apiKey = value('OPENAI_API_KEY');
  const baseURL = value('OPENAI_BASE_URL');
  if (!apiKey && !baseURL) {
    throw new UsageError(
      '--judge needs an LLM: set OPENAI_API_KEY (OpenAI) and/or OPENAI_BASE_URL (any OpenAI-compatible server); the model comes from JUDGE_MODEL, else CHAT_MODEL, else gpt-4o-mini.',
    );
  }
  if (baseURL) {
    try {
      const url = new URL(baseURL);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    } catch {
      throw new UsageError(`OPENAI_BASE_URL must be an http(s) URL like http://127.0.0.1:8080/v1, got "${baseURL}"`);
    }
  }
  return { apiKey, baseURL, model: value('JUDGE_MODEL') ?? value('CHAT_MODEL') ?? DEFAULT_JUDGE_MODEL };
}

/** A usage error: printed with the help hint, exit code 2. */
export class UsageError extends Error {}

/**
 * Parses argv (without `node script`). Throws {@link UsageError} on bad input.
 * `environment` is only consulted for `--judge`; `main` passes `process.env` (the default `{}` means no LLM).
 */
export function parseCliArguments(argv: string[], environment: CliEnvironment = {}): CliOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        dataset: { type: 'string' },
        url: { type: 'string' },
        corpus: { type: 'string', multiple: true },
        k: { type: 'string' },
        out: { type: 'string' },
        html: { type: 'string' },
        'reports-dir': { type: 'string' },
        'baseline-report': { type: 'string' },
        compare: { type: 'string', multiple: true },
        baselines: { type: 'boolean' },
        'no-baselines': { type: 'boolean' },
        gate: { type: 'string' },
        fusion: { type: 'string' },
        judge: { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const values = parsed.values;
  if (values.help) return 'help';
  const compareFiles = [...(values.compare ?? []), ...(values.compare ? parsed.positionals : [])];
  if (!values.compare && parsed.positionals.length > 0) throw new UsageError(`Unexpected argument '${parsed.positionals[0]}'`);
  if (values.compare && compareFiles.length !== 2) throw new UsageError(`--compare takes two JSON reports (before, after), got ${compareFiles.length}`);
  for (const file of [...compareFiles, ...(values['baseline-report'] ? [values['baseline-report']] : [])]) {
    if (!file.endsWith('.json')) throw new UsageError(`--compare and --baseline-report take JSON reports (.json), got "${file}"`);
  }
  const judge = values.judge ? judgeSettingsFrom(environment) : undefined;
  if (values.baselines && values['no-baselines']) throw new UsageError('--baselines and --no-baselines exclude each other');
  const k = values.k === undefined ? 10 : Number(values.k);
  if (!Number.isInteger(k) || k < 1 || k > 50) throw new UsageError(`--k must be an integer from 1 to 50, got "${values.k}"`);
  if (values.out !== undefined && !values.out.endsWith('.json')) throw new UsageError(`--out must name a .json file, got "${values.out}"`);
  if (values.html !== undefined && !/\.html?$/.test(values.html)) throw new UsageError(`--html must name a .html file, got "${values.html}"`);
  if (values.url !== undefined) {
    try {
      const url = new URL(values.url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    } catch {
      throw new UsageError(`--url must be an http(s) URL like http://127.0.0.1:8787, got "${values.url}"`);
    }
  }
  if (values.fusion !== undefined && values.fusion !== 'rrf' && values.fusion !== 'convex')
    throw new UsageError(`--fusion must be rrf or convex, got "${values.fusion}"`);
  const html = values.html ?? (values.out ? values.out.replace(/\.json$/, '.html') : undefined);
  const evalKey = values.url !== undefined ? environment.EVAL_API_KEY?.trim() || undefined : undefined;
  return {
    dataset: values.dataset ?? 'eval/datasets/dev.json',
    url: values.url,
    corpus: values.corpus ?? [],
    k,
    out: values.out,
    ...(html !== undefined ? { html } : {}),
    reportsDir: values['reports-dir'] ?? 'reports',
    ...(values['baseline-report'] ? { baselineReport: values['baseline-report'] } : {}),
    ...(values.compare ? { compare: [compareFiles[0], compareFiles[1]] as [string, string] } : {}),
    ...(evalKey ? { evalKey } : {}),
    baselines: values['no-baselines'] ? false : values.baselines ? true : values.url === undefined,
    gate: values.gate,
    quiet: values.quiet ?? false,
    fusion: (values.fusion as 'rrf' | 'convex' | undefined) ?? 'rrf',
    judge,
  };
}

function progress(quiet: boolean, label: string): (result: ItemResult, index: number, total: number) => void {
  return (result, index, total) => {
    if (quiet) return;
    const status = result.passed ? 'pass' : 'FAIL';
    const judged = result.judge ? ('error' in result.judge ? ' [judge error]' : ` [judge c${result.judge.correctness} f${result.judge.faithfulness}]`) : '';
    process.stderr.write(`  [${label}] ${String(index + 1).padStart(3)}/${total} ${status} ${result.id}${judged}${result.passed ? '' : ` — ${result.reasons.join('; ')}`}\n`);
  };
}

/** Runs the CLI with `argv` (without `node script`); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const options = parseCliArguments(argv, process.env);
  if (options === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (options.compare) {
    const [beforeFile, afterFile] = options.compare;
    const comparison = compareReports(await loadReport(beforeFile), await loadReport(afterFile), { before: basename(beforeFile), after: basename(afterFile) });
    const target = options.html ?? join(options.reportsDir, `compare-${reportTimestamp()}.html`);
    await mkdir(dirname(resolve(target)), { recursive: true });
    await writeFile(target, renderComparisonHtml(comparison));
    process.stdout.write(`${describeComparison(comparison)}\nComparison: ${target}\n`);
    return 0;
  }
  const baselineReport = options.baselineReport ? await loadReport(options.baselineReport) : undefined;
  const dataset = await loadDataset(options.dataset);
  const thresholds = await loadThresholds('eval/thresholds.json');
  if (options.corpus.length === 0) {
    const entry = Object.values(thresholds.datasets).find((candidate) => resolve(candidate.file) === resolve(options.dataset));
    options.corpus = entry?.corpora ?? ['data/corpus'];
  }
  const corpusLabel = options.corpus.join(' + ');
  const notes: string[] = [];
  let system: InProcessSystem | undefined;
  try {
    const needsInProcess = options.url === undefined || options.baselines;
    if (needsInProcess) {
      process.stderr.write(`Building the in-process pipeline from ${corpusLabel} (temporary index)…\n`);
      system = await createInProcessSystem({ corpusDir: options.corpus, fusion: options.fusion });
      process.stderr.write(`  ready in ${Math.round(system.setupMs)} ms\n`);
    }
    const ours: EvalClient = options.url
      ? createHttpClient(options.url, options.evalKey ? { headers: { [EVAL_KEY_HEADER]: options.evalKey } } : {})
      : system!.client;
    if (options.url) {
      notes.push(
        options.evalKey
          ? 'Sent the evaluator key (EVAL_API_KEY) as x-eval-key: a server with the same key does not rate-limit this run.'
          : "No EVAL_API_KEY: the server's rate limit applies and 429 answers are waited out (not counted as latency).",
      );
    }
    process.stderr.write(`Evaluating ${ours.name} on ${options.dataset} (${dataset.items.length} items, k=${options.k})…\n`);
    let judge: LlmJudge | undefined;
    if (options.judge) {
      const chatModel = createOpenAIChatModel({ apiKey: options.judge.apiKey, baseURL: options.judge.baseURL, model: options.judge.model, timeoutMs: 60_000, maxRetries: 2 });
      judge = createLlmJudge({ chatModel, timeoutMs: 60_000 });
      process.stderr.write(`LLM judge: ${options.judge.model}${options.judge.baseURL ? ` at ${options.judge.baseURL}` : ''} (grades our answered items; informational, not gated)\n`);
    }
    const oursRun = await runEval(ours, dataset, { k: options.k, onItem: progress(options.quiet, 'ours'), judge });
    if (judge) {
      const { judged = 0, judgeErrors = 0 } = oursRun.summary;
      notes.push(`LLM judge ${judge.modelId} graded ${judged} answered item(s)${judgeErrors ? `, failed on ${judgeErrors}` : ''}; judge scores are informational and never gated. Baselines are not judged.`);
    }

    const baselineRuns: EvalRun[] = [];
    if (options.baselines && system) {
      if (options.url) notes.push(`Baselines ran locally in-process on ${corpusLabel}, not against ${options.url}.`);
      const embedder = createHashedEmbedder();
      const clients: EvalClient[] = [await createNaiveRagBaseline({ corpusDir: options.corpus, embedder, k: options.k })];
      if (system.retrieve) {
        for (const mode of ['lexical', 'vector'] as const) {
          clients.push(createRetrieverBaseline({ mode, retrieve: system.retrieve, documentText: system.client.documentText, k: options.k }));
        }
      } else {
        notes.push('Lexical and vector baselines skipped: the assembled pipeline exposes no retriever or store.');
      }
      for (const client of clients) {
        process.stderr.write(`Evaluating ${client.name}…\n`);
        baselineRuns.push(await runEval(client, dataset, { k: options.k, onItem: progress(options.quiet, client.name) }));
      }
    } else if (!options.baselines) {
      notes.push('Baselines not run (--no-baselines or --url).');
    }
    if (oursRun.summary.errors > 0) notes.push(`${oursRun.summary.errors} item(s) failed with a request error; they score 0.`);

    const report = buildReport({ dataset: options.dataset, mode: options.url ? 'http' : 'in-process', k: options.k, ours: oursRun, baselines: baselineRuns, notes, gold: dataset });
    let comparison: ReportComparison | undefined;
    if (baselineReport && options.baselineReport) {
      comparison = compareReports(baselineReport, report, { before: basename(options.baselineReport), after: 'this run' });
      process.stdout.write(`\n== Compared with ${options.baselineReport} ==\n${describeComparison(comparison)}\n`);
    }
    process.stdout.write(`\n== ${oursRun.configuration} per category (${options.dataset}) ==\n${categoryTable(oursRun)}\n`);
    if (baselineRuns.length > 0) {
      process.stdout.write(`\n== Per configuration ==\n${configurationTable([oursRun, ...baselineRuns])}\n`);
      process.stdout.write(`\n== Deltas (ours − baseline; ▲ better, ▼ worse) ==\n${deltaTable(report)}\n`);
      process.stdout.write(`\n== Per category and configuration ==\n${categoryComparisonTable([oursRun, ...baselineRuns])}\n`);
    } else {
      process.stdout.write(`\n== Latency ==\n${configurationTable([oursRun])}\n`);
    }
    for (const note of notes) process.stdout.write(`note: ${note}\n`);

    // Every run is kept: timestamped files unless --out/--html name others, and latest.* always points at this run.
    const stamp = reportTimestamp(new Date(report.generatedAt));
    const jsonPath = options.out ?? join(options.reportsDir, `eval-${stamp}.json`);
    const htmlPath = options.html ?? jsonPath.replace(/\.json$/, '.html');
    const json = `${JSON.stringify(report, null, 1)}\n`;
    const html = renderHtmlReport(report, comparison ? { comparison } : {});
    for (const [path, text] of [[jsonPath, json], [htmlPath, html]] as const) {
      await mkdir(dirname(resolve(path)), { recursive: true });
      await writeFile(path, text);
    }
    const latestJson = join(options.reportsDir, 'latest.json');
    const latestHtml = join(options.reportsDir, 'latest.html');
    await mkdir(resolve(options.reportsDir), { recursive: true });
    if (resolve(jsonPath) !== resolve(latestJson)) await copyFile(jsonPath, latestJson);
    if (resolve(htmlPath) !== resolve(latestHtml)) await copyFile(htmlPath, latestHtml);
    process.stdout.write(`JSON report: ${jsonPath}\nHTML report: ${htmlPath}\n(also ${latestJson}, ${latestHtml})\n`);

    if (options.gate) {
      const entry = thresholds.datasets[options.gate];
      if (!entry) throw new UsageError(`--gate ${options.gate}: eval/thresholds.json has no dataset "${options.gate}" (has ${Object.keys(thresholds.datasets).join(', ')})`);
      const violations = checkThresholds(oursRun.summary, entry.metrics);
      if (violations.length > 0) {
        process.stdout.write(`GATE FAILED\n${describeViolations(options.gate, violations)}\n`);
        return 1;
      }
      process.stdout.write(`Gate "${options.gate}" passed.\n`);
    }
    return 0;
  } finally {
    await system?.close();
  }
}

/** Reads a JSON report written by an earlier run (`--compare`, `--baseline-report`). */
export async function loadReport(file: string): Promise<EvalReport> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file}: not a readable JSON report (${(error as Error).message})`);
  }
  const report = parsed as Partial<EvalReport> | null;
  if (!report || !Array.isArray(report.items) || !report.summary || !report.categories) {
    throw new UsageError(`${file}: not an eval report (no items, summary or categories); write one with npm run eval`);
  }
  return report as EvalReport;
}

/** One-paragraph console summary of a comparison. */
export function describeComparison(comparison: ReportComparison): string {
  const { before, after, counts } = comparison;
  const parts = Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${kind} ${count}`);
  const lines = [`pass ${before.summary.passed}/${before.summary.items} → ${after.summary.passed}/${after.summary.items} (${parts.join(', ')})`];
  for (const item of comparison.items.filter((entry) => entry.change === 'broken' || entry.change === 'fixed')) {
    lines.push(`  ${item.change.padEnd(6)} ${item.id}${item.after?.reasons.length ? ` — ${item.after.reasons.join('; ')}` : ''}`);
  }
  for (const note of comparison.notes) lines.push(`note: ${note}`);
  return lines.join('\n');
}

const isEntryPoint = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntryPoint) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError) process.stderr.write(`eval: ${error.message}\nRun "npm run eval -- --help" for the options.\n`);
      else if (error instanceof DatasetError) process.stderr.write(`eval: ${error.message}\n`);
      else process.stderr.write(`eval: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
