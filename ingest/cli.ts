/**
 * `npm run ingest -- [paths…] [--prune] [--report-all] [--rebuild] [--index DIR] [--corpus DIR] [--json] [--workers N]`
 *
 * Ingests the corpus (default `data/corpus`, env CORPUS_DIR) into the LanceDB index (default `data/index`, env
 * LANCEDB_DIR, flag --index). Embedder from the environment: OpenAI-compatible when EMBEDDING_MODEL and
 * (OPENAI_API_KEY or OPENAI_BASE_URL) are set, else the builtin hashed embedder. The environment is read here only.
 * Exit code: 0 ok, 1 when any file failed (the others are ingested), 2 for usage/configuration/index problems
 * (also: index folder not writable, embedding provider down).
 */
import { access, constants } from 'node:fs/promises';
import { dirname } from 'node:path';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createHunspellLexicon } from '../src/adapters/hunspell-lexicon.ts';
import { IndexLocationError, type IndexLocation, explainStoreError, parseIndexLocation } from '../src/adapters/index-location.ts';
import { createEmbedderFromConfig, embedderConfigFromEnv } from '../src/adapters/openai-embedder.ts';
import { AppError, type Embedder, type Lexicon } from '../src/core/types.ts';
import { ingestCorpus } from './pipeline.ts';
import { createProgressReporter, formatSummary } from './progress.ts';
import { defaultPrepareWorkers } from './prepare-pool.ts';

const USAGE = `Usage: npm run ingest -- [paths…] [options]

Ingests documents (.txt, .md, .pdf, .docx, .html) into the search index; unchanged files (sha256) are skipped.
  npm run ingest                 the corpus folder: adds and updates its files and removes the documents whose
                                 files were in the corpus folder and are gone; documents from elsewhere stay
  npm run ingest -- PATH…        adds or updates these files/folders; never removes anything
  npm run ingest -- --prune      also removes every indexed document whose file no longer exists anywhere

Where a document remembers its file (its "source"): the path relative to the corpus folder for files inside it
(sub/plan.pdf), the absolute path for files outside it (/srv/other/plan.pdf). Moving the corpus folder and giving
it with --corpus keeps its documents; moving a folder outside it needs --prune and ingesting it again.

Each added or updated document is reported: chunks, uppdrag records found vs "i uppdrag"-like sentences in the
text, committee recognised or not, year and date, damage left in the text (ligatures, soft hyphens, "�", split
diacritics). Documents with warnings are listed under "Needs attention" at the end.

Options:
  --prune          Remove every indexed document whose file no longer exists (inside or outside the corpus folder)
  --report-all     Also check the unchanged documents for the report (reads and repairs them; no re-embedding)
  --rebuild        Drop the index and rebuild it (needed after changing the embedder)
  --index DIR      Index folder or s3://bucket/prefix (default: env LANCEDB_DIR or data/index); for S3 the
                   AWS_REGION, AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ALLOW_HTTP variables
  --corpus DIR     Corpus folder that sources are relative to (default: env CORPUS_DIR or data/corpus)
  --workers N      Prepare documents (read, repair, metadata, chunks) in N worker threads (default: one per
                   core, here ${defaultPrepareWorkers()}); 0 = in the main thread
  --json           Print the summary as JSON on stdout (documents[].quality holds each report, needsAttention the
                   documents with warnings)
  -h, --help       Show this help

Exit code: 0 ok; 1 when a file failed (the others are ingested); 2 for usage, configuration or index problems, an
index folder that is not writable, or an embedding provider that fails (the run stops; nothing is removed).

Embedder (environment): EMBEDDING_MODEL with OPENAI_API_KEY and/or OPENAI_BASE_URL selects an OpenAI-compatible
embedder (optional EMBEDDING_DIMENSIONS, EMBEDDING_BATCH_SIZE, OPENAI_API_VERSION); otherwise the builtin one.`;

const directoryVariable = z.string().trim().min(1, 'must not be empty').optional();
const cliEnvironmentSchema = z.object({ LANCEDB_DIR: directoryVariable, CORPUS_DIR: directoryVariable });

/** Where the CLI writes and what it may replace in tests. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Default: hunspell sv_SE. */
  lexicon?: Lexicon;
  /** Default: from the environment. */
  embedder?: Embedder;
  /** Progress bar on a TTY (default: stderr is a TTY). */
  interactive?: boolean;
}

/** Runs the ingest CLI; returns the exit code (never calls process.exit). */
export async function runIngestCli(argv: string[], environment: Record<string, string | undefined>, io: CliIo): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`ingest: ${message}\n`);
    return 2;
  };
  let values: { rebuild?: boolean; prune?: boolean; 'report-all'?: boolean; index?: string; corpus?: string; json?: boolean; workers?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        rebuild: { type: 'boolean' },
        prune: { type: 'boolean' },
        'report-all': { type: 'boolean' },
        index: { type: 'string' },
        corpus: { type: 'string' },
        json: { type: 'boolean' },
        workers: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const parsedEnvironment = cliEnvironmentSchema.safeParse(environment);
  if (!parsedEnvironment.success) {
    const issue = parsedEnvironment.error.issues[0];
    return fail(`Invalid environment variable ${String(issue.path[0])}: ${issue.message}`);
  }
  let embedder: Embedder;
  try {
    embedder = io.embedder ?? createEmbedderFromConfig(embedderConfigFromEnv(environment));
  } catch (error) {
    return fail((error as Error).message);
  }
  let location: IndexLocation;
  try {
    location = parseIndexLocation(values.index ?? parsedEnvironment.data.LANCEDB_DIR ?? 'data/index', environment, values.index ? '--index' : 'LANCEDB_DIR');
  } catch (error) {
    if (error instanceof IndexLocationError) return fail(`invalid index location: ${error.issues.join('; ')}`);
    throw error;
  }
  const remote = location.kind !== 'local';
  const indexDirectory = remote ? location.uri : resolve(location.uri);
  const corpusRoot = resolve(values.corpus ?? parsedEnvironment.data.CORPUS_DIR ?? 'data/corpus');
  const paths = positionals.length ? positionals : [corpusRoot];
  let workers = defaultPrepareWorkers();
  if (values.workers !== undefined) {
    if (!/^\d+$/.test(values.workers.trim()) || Number(values.workers) > 64) return fail(`--workers must be an integer 0–64, got '${values.workers}'`);
    workers = Number(values.workers);
  }

  const notWritable = remote ? null : await writableProblem(indexDirectory);
  if (notWritable) return fail(notWritable);

  // Imported here so that the entry point can quiet LanceDB's native logger (LANCEDB_LOG) before it loads.
  const { createLanceStore } = await import('../src/adapters/lancedb-store.ts');
  let store: Awaited<ReturnType<typeof createLanceStore>>;
  try {
    store = await createLanceStore({ directory: indexDirectory, ...(remote ? { storageOptions: location.storageOptions } : {}) });
  } catch (error) {
    return fail(`could not open the index ${remote ? '' : 'folder '}${indexDirectory}: ${remote ? explainStoreError(error) : (error as Error).message}`);
  }
  const reporter = createProgressReporter({ stream: io.stderr, interactive: io.interactive });
  try {
    const lexicon = io.lexicon ?? (await createHunspellLexicon());
    io.stderr.write(`Index: ${indexDirectory}\nEmbedder: ${embedder.modelId}${embedder.dimensions ? ` (${embedder.dimensions} dims)` : ''}\n`);
    const summary = await ingestCorpus({
      paths,
      corpusRoot,
      store,
      embedder,
      lexicon,
      rebuild: values.rebuild ?? false,
      prune: values.prune ?? false,
      reportUnchanged: values['report-all'] ?? false,
      // The prepare workers use the hunspell lexicon: only with it (a lexicon given by a test stays in this thread).
      workers: io.lexicon ? 0 : workers,
      onProgress: (event) => reporter.onProgress(event),
    });
    reporter.stop();
    if (values.json) io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else io.stdout.write(`${formatSummary(summary)}\n`);
    return summary.failed.length > 0 ? 1 : 0;
  } catch (error) {
    reporter.stop();
    if (error instanceof AppError) return fail(error.message);
    if (isPermissionError(error)) return fail(`cannot write the index folder ${indexDirectory}: ${(error as Error).message}`);
    if (remote) return fail(`could not read or write the index ${indexDirectory}: ${explainStoreError(error)}`);
    return fail(`unexpected error: ${(error as Error).stack ?? String(error)}`);
  } finally {
    await store.close();
  }
}

function isPermissionError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || /permission denied|read-only file system|os error (?:1|13|30)\b/i.test(String((error as Error | undefined)?.message));
}

/**
 * Why ingest cannot write `directory` (or the nearest existing folder above it, where it would be created), or null.
 * The message names the folder.
 */
export async function writableProblem(directory: string): Promise<string | null> {
  let folder = resolve(directory);
  for (;;) {
    try {
      await access(folder, constants.F_OK);
      break;
    } catch {
      const parent = dirname(folder);
      if (parent === folder) break;
      folder = parent;
    }
  }
  try {
    await access(folder, constants.W_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'not writable';
    const what = folder === resolve(directory) ? `the index folder ${folder}` : `${folder} (where the index folder ${resolve(directory)} would be created)`;
    return `cannot write ${what}: ${code === 'EROFS' ? 'read-only file system' : 'permission denied'} (${code}). Make it writable or choose another folder with --index DIR or LANCEDB_DIR.`;
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  // LanceDB logs a WARN line for every table it creates; show only errors unless the user asked for more.
  process.env.LANCEDB_LOG ??= 'error';
  const code = await runIngestCli(process.argv.slice(2), process.env, { stdout: process.stdout, stderr: process.stderr });
  process.exitCode = code;
}
