/**
 * Worker thread of the prepare pool (`prepare-pool.ts`): runs `processFile` (load → normalise → repair → metadata →
 * chunks → report) with the hunspell lexicon for each file the main thread sends, and posts the result back.
 * Every document is processed on its own, so which worker takes a file does not change what is stored.
 */
import { parentPort } from 'node:worker_threads';
import { createHunspellLexicon } from '../src/adapters/hunspell-lexicon.ts';
import { LoadError, type CorpusFile } from './loaders.ts';
import { processFile } from './pipeline.ts';

/** A request from the pool. */
export interface PrepareRequest {
  id: number;
  file: CorpusFile;
}

/** The answer to a request: the processed document, or the error (rebuilt as a LoadError when it was one). */
export type PrepareResponse =
  | { id: number; ok: true; result: Awaited<ReturnType<typeof processFile>> }
  | { id: number; ok: false; error: { message: string; loadError: boolean; file?: string } };

const port = parentPort;
if (!port) throw new Error('prepare-worker.ts runs only as a worker thread');
const lexicon = createHunspellLexicon();
port.on('message', async (request: PrepareRequest) => {
  let response: PrepareResponse;
  try {
    response = { id: request.id, ok: true, result: await processFile(request.file, await lexicon) };
  } catch (error) {
    response = {
      id: request.id,
      ok: false,
      error: {
        message: error instanceof Error ? error.message : String(error),
        loadError: error instanceof LoadError,
        ...(error instanceof LoadError ? { file: error.file } : {}),
      },
    };
  }
  port.postMessage(response);
});
