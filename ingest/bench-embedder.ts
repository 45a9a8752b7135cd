/**
 * Benchmark of the builtin hashed embedder on the sample corpus chunks:
 * `npx tsx ingest/bench-embedder.ts [corpusDir] [--rounds N] [--dimensions D]` prints chunks/s (one core, one thread).
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { createHunspellLexicon } from '../src/adapters/hunspell-lexicon.ts';
import { chunkDocument } from '../src/core/chunking/chunk-document.ts';
import { createHashedEmbedder } from '../src/core/embedding/hashed-embedder.ts';
import { extractMetadata } from '../src/core/metadata.ts';
import { prepareDocumentText } from '../src/core/swedish/prepare.ts';
import { repairDocument } from '../src/core/swedish/repair.ts';
import { findCorpusFiles, loadFile } from './loaders.ts';

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '20' }, dimensions: { type: 'string' } },
});
const corpusRoot = resolve(positionals[0] ?? 'data/corpus');
const rounds = Math.max(1, Number(values.rounds));

const lexicon = await createHunspellLexicon();
const found = await findCorpusFiles([corpusRoot], corpusRoot);
const loaded = await Promise.all(found.files.map((file) => loadFile(file)));
const texts: string[] = [];
for (const file of loaded) {
  const repaired = repairDocument(prepareDocumentText(file.text, lexicon).text, lexicon);
  const meta = extractMetadata({ source: file.source, text: repaired.text, contentHash: file.contentHash, override: file.override });
  for (const chunk of chunkDocument(meta, repaired)) texts.push(`${chunk.context}\n${chunk.text}`);
}
const characters = texts.reduce((sum, text) => sum + text.length, 0);
const embedder = createHashedEmbedder(values.dimensions ? { dimensions: Number(values.dimensions) } : {});

const coldStarted = performance.now();
await embedder.embed(texts, { inputType: 'document' }); // first pass: empty word-feature cache, cold JIT
const coldSeconds = (performance.now() - coldStarted) / 1000;
const started = performance.now();
for (let round = 0; round < rounds; round++) await embedder.embed(texts, { inputType: 'document' });
const seconds = (performance.now() - started) / 1000;
const chunksPerSecond = (texts.length * rounds) / seconds;

console.log(
  `${embedder.modelId} (${embedder.dimensions} dims): ${texts.length} chunks (avg ${Math.round(characters / texts.length)} chars) × ${rounds} rounds ` +
    `in ${seconds.toFixed(2)} s → ${Math.round(chunksPerSecond)} chunks/s, ${((characters * rounds) / seconds / 1e6).toFixed(2)} M chars/s ` +
    `(first, cold pass: ${Math.round(texts.length / coldSeconds)} chunks/s)`,
);
