/**
 * Global setup of the Worker tests (runs in Node before workerd starts):
 *  - writes dist/worker-bundle.json from the sample corpus, so the Worker under test serves exactly data/corpus
 *    whatever data/index holds;
 *  - starts a fake OpenAI-compatible server on 127.0.0.1 (provided to the tests as `fakeOpenAIUrl`) so a test can
 *    check the Worker's LLM wiring with the real openai client inside workerd.
 *
 * The exporter runs in a child process (`node --import tsx ingest/export-bundle.ts`): this config resolves modules
 * with workerd/browser conditions, under which hunspell-asm (used by the ingest) would load its browser build.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { startFakeOpenAI } from '../fakes/fake-openai-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL (with /v1) of the fake OpenAI-compatible server. */
    fakeOpenAIUrl: string;
    /** What the fake model answers to every streamed chat request. */
    fakeLlmAnswer: string;
  }
}

/** What the fake model answers: one sentence citing passage [1]. */
const FAKE_LLM_ANSWER = 'Nämnden ska se över villkoren för familjehem [1].';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'ingest/export-bundle.ts', '--source', 'corpus', '--corpus', 'data/corpus', '--out', 'dist/worker-bundle.json'],
    { cwd: process.cwd(), maxBuffer: 16 * 1024 * 1024 },
  ).catch((error: { stderr?: string; message: string }) => {
    throw new Error(`Building the Worker bundle failed: ${error.stderr?.trim() || error.message}`);
  });
  console.log(stdout.trim());

  const fake = await startFakeOpenAI({
    chatReplies: ({ body }) => (body?.stream ? { text: FAKE_LLM_ANSWER } : { text: '{}' }),
  });
  project.provide('fakeOpenAIUrl', fake.url);
  project.provide('fakeLlmAnswer', FAKE_LLM_ANSWER);
  return () => fake.close();
}
