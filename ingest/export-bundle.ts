/**
 * `npm run build:worker`: writes the Cloudflare Worker's index, `dist/worker-bundle.json`
 * ({ format, version, info, documents, chunks, vectors, vocabulary }; see src/adapters/bundled-index.ts).
 *
 * Source of the chunks and vectors:
 *  - `--source index`: the LanceDB index (`--index`, default `data/index`), exactly what the Node server serves;
 *  - `--source corpus`: ingests the corpus (`--corpus`, default `data/corpus`) into a temporary in-memory index;
 *  - `--source auto` (default): the LanceDB index when it exists and was built by the builtin hashed embedder,
 *    the corpus otherwise.
 * The Worker embeds queries with the builtin hashed embedder, so the bundle's vectors must come from it; an index
 * built with another embedder is refused.
 *
 * The vocabulary (the Worker's Lexicon for query repair) is every word of the repaired chunk texts, section headings,
 * titles and committee names that hunspell sv_SE accepts, plus the words of titles and committee names (names hunspell
 * may not know). Words hunspell rejects are OCR/extraction debris ("ndmnden", "rvaltningen") and are left out.
 *
 * The chat widget's script (widget/build.ts) is built and carried in the bundle (`widget.script`) so the Worker serves
 * `/widget.js` and the demo page; `--no-widget` leaves it out, and a failing widget build only warns.
 *
 * The output is deterministic: the same corpus (and widget source) gives the same bytes.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as lancedb from '@lancedb/lancedb';
import { createWorkerBundle, type WorkerBundle } from '../src/adapters/bundled-index.ts';
import { createHunspellLexicon } from '../src/adapters/hunspell-lexicon.ts';
import { createLanceStore } from '../src/adapters/lancedb-store.ts';
import { createMemoryStore } from '../src/adapters/memory-store.ts';
import { createHashedEmbedder } from '../src/core/embedding/hashed-embedder.ts';
import type { Chunk, Embedder, IndexInfo, Lexicon, StoredDocument } from '../src/core/types.ts';
import { extractVocabulary } from '../src/core/vocabulary-lexicon.ts';
import { buildWidgetScript } from '../widget/build.ts';
import { ingestCorpus } from './pipeline.ts';

/** Where the bundle's chunks come from. */
export type BundleSource = 'auto' | 'index' | 'corpus';

/** Options of {@link exportWorkerBundle}. */
export interface ExportBundleOptions {
  /** Output file (default `dist/worker-bundle.json`). */
  outFile?: string;
  /** LanceDB folder (default `data/index`). */
  indexDir?: string;
  /** Corpus folder (default `data/corpus`). */
  corpusDir?: string;
  /** Default `auto`. */
  source?: BundleSource;
  /** LanceDB chunk table name (default `chunks`, as in the LanceDB store). */
  tableName?: string;
  /** Swedish dictionary for ingest repair and the vocabulary filter (default: hunspell sv_SE). */
  lexicon?: Lexicon;
  /** Build the widget and carry it in the bundle (default true). */
  widget?: boolean;
  /** Progress lines (default: none). */
  log?: (message: string) => void;
}

/** What {@link exportWorkerBundle} wrote. */
export interface ExportBundleResult {
  outFile: string;
  source: 'index' | 'corpus';
  bytes: number;
  documents: number;
  chunks: number;
  vocabulary: number;
  /** Corpus words left out of the vocabulary because hunspell does not know them. */
  rejectedWords: number;
  /** Bytes of the widget script in the bundle (0 when left out). */
  widgetBytes: number;
  milliseconds: number;
}

interface BundleContents {
  info: IndexInfo;
  documents: StoredDocument[];
  chunks: Array<{ chunk: Chunk; vector: number[] }>;
}

/** Thrown for bad options or unusable sources; the CLI prints the message only. */
export class ExportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExportError';
  }
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (entry) => entry.isDirectory(),
    () => false,
  );
}

function assertHashedEmbedder(info: IndexInfo, embedder: Embedder, where: string): void {
  if (info.embedder !== embedder.modelId || info.dimensions !== embedder.dimensions) {
    throw new ExportError(
      `${where} was built with the embedder ${info.embedder} (${info.dimensions} dimensions); the Worker embeds queries with ` +
        `${embedder.modelId} (${embedder.dimensions} dimensions). Use \`--source corpus\`, or rebuild the index with the builtin embedder.`,
    );
  }
}

/** Reads documents, chunks and vectors from a LanceDB index built by the LanceDB store. */
async function readLanceIndex(indexDir: string, tableName: string, embedder: Embedder): Promise<BundleContents> {
  const store = await createLanceStore({ directory: indexDir, tableName });
  try {
    const info = await store.info();
    if (!info) throw new ExportError(`The index in ${indexDir} is empty. Run \`npm run ingest\` first, or use \`--source corpus\`.`);
    assertHashedEmbedder(info, embedder, `The index in ${indexDir}`);
    const documents = await store.listDocuments();
    const chunks: Chunk[] = [];
    for (const document of documents) chunks.push(...(await store.getChunks(document.id)));
    const vectors = await readLanceVectors(indexDir, tableName);
    return {
      info,
      documents,
      chunks: chunks.map((chunk) => {
        const vector = vectors.get(chunk.id);
        if (!vector) throw new ExportError(`The index in ${indexDir} has no vector for chunk ${chunk.id}. Re-ingest with \`npm run ingest -- --rebuild\`.`);
        return { chunk, vector };
      }),
    };
  } finally {
    await store.close();
  }
}

/** The `vector` column of the chunk table by chunk id (the store port does not expose vectors). */
async function readLanceVectors(indexDir: string, tableName: string): Promise<Map<string, number[]>> {
  const connection = await lancedb.connect(indexDir);
  try {
    const table = await connection.openTable(tableName);
    try {
      const rows = await table.query().select(['id', 'vector']).toArray();
      return new Map(rows.map((row: { id: string; vector: Iterable<number> }) => [String(row.id), Array.from(row.vector, Number)]));
    } finally {
      table.close();
    }
  } finally {
    connection.close();
  }
}

/** Ingests the corpus into a fresh in-memory store and returns its contents. */
async function ingestIntoMemory(corpusDir: string, embedder: Embedder, lexicon: Lexicon): Promise<BundleContents> {
  if (!(await isDirectory(corpusDir))) throw new ExportError(`The corpus folder ${corpusDir} does not exist.`);
  const store = createMemoryStore();
  const summary = await ingestCorpus({ paths: [corpusDir], corpusRoot: corpusDir, store, embedder, lexicon });
  if (summary.failed.length > 0) {
    throw new ExportError(`The ingest of ${corpusDir} failed for ${summary.failed.length} file(s): ${summary.failed.map((failure) => failure.message).join('; ')}`);
  }
  const snapshot = store.snapshot();
  const info = snapshot.info ?? { embedder: embedder.modelId, dimensions: embedder.dimensions };
  assertHashedEmbedder(info, embedder, `The ingest of ${corpusDir}`);
  return {
    info,
    documents: snapshot.documents,
    chunks: snapshot.chunks.map(({ chunk, vector }) => {
      if (!vector) throw new ExportError(`Ingest produced no vector for chunk ${chunk.id}.`);
      return { chunk, vector };
    }),
  };
}

/**
 * The Worker's vocabulary: words of the repaired chunk texts, sections, titles and committee names that `lexicon`
 * accepts, plus every word of titles and committee names.
 */
export function buildVocabulary(contents: Pick<BundleContents, 'documents' | 'chunks'>, lexicon: Lexicon): { words: string[]; rejected: string[] } {
  const names = extractVocabulary(contents.documents.flatMap((document) => [document.title, document.committee]));
  const candidates = extractVocabulary([
    ...contents.chunks.map(({ chunk }) => chunk.text),
    ...contents.chunks.map(({ chunk }) => chunk.section.join('\n')),
  ]);
  const nameSet = new Set(names);
  const words = new Set(names);
  const rejected: string[] = [];
  for (const word of candidates) {
    if (nameSet.has(word) || lexicon.isWord(word)) words.add(word);
    else rejected.push(word);
  }
  return { words: [...words].sort(), rejected };
}

/** Builds the bundle in memory (no file written). */
export async function buildWorkerBundle(options: ExportBundleOptions = {}): Promise<{ bundle: WorkerBundle; source: 'index' | 'corpus'; rejectedWords: string[] }> {
  const log = options.log ?? (() => undefined);
  const indexDir = resolve(options.indexDir ?? 'data/index');
  const corpusDir = resolve(options.corpusDir ?? 'data/corpus');
  const tableName = options.tableName ?? 'chunks';
  const requested = options.source ?? 'auto';
  if (!['auto', 'index', 'corpus'].includes(requested)) throw new ExportError(`--source must be auto, index or corpus, got "${requested}".`);
  const embedder = createHashedEmbedder();
  const lexicon = options.lexicon ?? (await createHunspellLexicon());

  let source: 'index' | 'corpus' = requested === 'index' ? 'index' : 'corpus';
  if (requested === 'auto' && (await isDirectory(indexDir))) {
    const store = await createLanceStore({ directory: indexDir, tableName });
    const info = await store.info().finally(() => store.close());
    if (info && info.embedder === embedder.modelId && info.dimensions === embedder.dimensions) source = 'index';
    else log(`index ${relative(process.cwd(), indexDir) || indexDir} ${info ? `was built with ${info.embedder}` : 'is empty'}: ingesting the corpus instead`);
  }
  if (source === 'index' && !(await isDirectory(indexDir))) throw new ExportError(`The index folder ${indexDir} does not exist. Run \`npm run ingest\` first, or use \`--source corpus\`.`);

  log(source === 'index' ? `reading the LanceDB index in ${indexDir}` : `ingesting ${corpusDir} into a temporary in-memory index`);
  const contents = source === 'index' ? await readLanceIndex(indexDir, tableName, embedder) : await ingestIntoMemory(corpusDir, embedder, lexicon);
  if (contents.documents.length === 0) throw new ExportError('The index holds no documents; the Worker would have nothing to search.');
  const { words, rejected } = buildVocabulary(contents, lexicon);
  let widgetScript: string | undefined;
  if (options.widget !== false) {
    try {
      widgetScript = await buildWidgetScript();
    } catch (error) {
      log(`WARNING: the widget did not build, the Worker will serve no /widget.js: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const bundle = createWorkerBundle({ ...contents, vocabulary: words, ...(widgetScript ? { widgetScript } : {}) });
  return { bundle, source, rejectedWords: rejected };
}

/** Builds the bundle and writes it (compact JSON, trailing newline). */
export async function exportWorkerBundle(options: ExportBundleOptions = {}): Promise<ExportBundleResult> {
  const started = performance.now();
  const outFile = resolve(options.outFile ?? 'dist/worker-bundle.json');
  const { bundle, source, rejectedWords } = await buildWorkerBundle(options);
  const json = `${JSON.stringify(bundle)}\n`;
  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, json, 'utf8');
  return {
    outFile,
    source,
    bytes: Buffer.byteLength(json),
    documents: bundle.documents.length,
    chunks: bundle.chunks.length,
    vocabulary: bundle.vocabulary.length,
    rejectedWords: rejectedWords.length,
    widgetBytes: bundle.widget ? Buffer.byteLength(bundle.widget.script) : 0,
    milliseconds: Math.round(performance.now() - started),
  };
}

const USAGE = `Usage: tsx ingest/export-bundle.ts [--source auto|index|corpus] [--index DIR] [--corpus DIR] [--table NAME] [--out FILE] [--no-widget]

Writes the Cloudflare Worker's index bundle (default dist/worker-bundle.json).
  --source  auto (default): the LanceDB index when it exists and uses the builtin embedder, else the corpus
            index: read the LanceDB index; corpus: ingest the corpus into a temporary in-memory index
  --index   LanceDB folder (default data/index)
  --corpus  corpus folder (default data/corpus)
  --table   LanceDB chunk table (default chunks)
  --out     output file (default dist/worker-bundle.json)
  --no-widget  leave the chat widget's script out of the bundle`;

/** Parses CLI arguments; throws ExportError naming the bad argument. */
export function parseExportArguments(argv: string[]): ExportBundleOptions & { help?: boolean } {
  const options: ExportBundleOptions & { help?: boolean } = {};
  const flags: Record<string, (value: string) => void> = {
    '--source': (value) => {
      if (value !== 'auto' && value !== 'index' && value !== 'corpus') throw new ExportError(`--source must be auto, index or corpus, got "${value}".`);
      options.source = value;
    },
    '--index': (value) => (options.indexDir = value),
    '--corpus': (value) => (options.corpusDir = value),
    '--table': (value) => (options.tableName = value),
    '--out': (value) => (options.outFile = value),
  };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--help' || argument === '-h') {
      options.help = true;
      continue;
    }
    if (argument === '--no-widget') {
      options.widget = false;
      continue;
    }
    const [flag, inline] = argument.includes('=') ? [argument.slice(0, argument.indexOf('=')), argument.slice(argument.indexOf('=') + 1)] : [argument, undefined];
    const apply = flags[flag];
    if (!apply) throw new ExportError(`Unknown argument "${argument}".\n\n${USAGE}`);
    const value = inline ?? argv[++index];
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) throw new ExportError(`${flag} needs a value.`);
    apply(value);
  }
  return options;
}

async function main(): Promise<void> {
  let options: ReturnType<typeof parseExportArguments>;
  try {
    options = parseExportArguments(process.argv.slice(2));
  } catch (error) {
    console.error(`export-bundle: ${(error as Error).message}`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }
  try {
    const result = await exportWorkerBundle({ ...options, log: (message) => console.error(`export-bundle: ${message}`) });
    console.log(
      `export-bundle: wrote ${relative(process.cwd(), result.outFile) || result.outFile} from the ${result.source}: ` +
        `${result.documents} documents, ${result.chunks} chunks, ${result.vocabulary} vocabulary words ` +
        `(${result.rejectedWords} unknown words left out), ${result.widgetBytes ? `widget ${(result.widgetBytes / 1024).toFixed(0)} KiB, ` : 'no widget, '}` +
        `${(result.bytes / 1024).toFixed(0)} KiB in ${result.milliseconds} ms`,
    );
  } catch (error) {
    console.error(`export-bundle: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main();
}
