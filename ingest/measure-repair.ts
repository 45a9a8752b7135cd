/**
 * Prints the word accuracy of the Swedish text repair on the hand-checked fixtures
 * (`tests/fixtures/repair-000.*`, `tests/fixtures/repair-004.*`) and the time to repair the sample corpus.
 *
 * Usage: `npx tsx ingest/measure-repair.ts [corpus-folder]` (default `data/corpus`).
 * Accuracy is measured twice: with the corpus frequency prior built from every document of the corpus
 * folder (as the ingest does) and without any corpus knowledge.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createHunspellLexicon } from '../src/adapters/hunspell-lexicon.ts';
import { buildRepairOptions, repairDocument, type RepairOptions } from '../src/core/swedish/repair.ts';
import { wordAccuracy } from '../src/core/swedish/word-accuracy.ts';

const root = resolve(import.meta.dirname, '..');
const fixtures = join(root, 'tests', 'fixtures');
const corpusFolder = resolve(process.argv[2] ?? join(root, 'data', 'corpus'));

function readText(path: string): string {
  if (!existsSync(path)) {
    console.error(`measure-repair: missing file ${path}`);
    process.exit(1);
  }
  return readFileSync(path, 'utf8');
}

if (!existsSync(corpusFolder)) {
  console.error(`measure-repair: corpus folder not found: ${corpusFolder}`);
  process.exit(1);
}
const corpusFiles = readdirSync(corpusFolder).filter((name) => name.endsWith('.txt')).sort();
if (corpusFiles.length === 0) {
  console.error(`measure-repair: no .txt files in ${corpusFolder}`);
  process.exit(1);
}

const loadStart = performance.now();
const lexicon = await createHunspellLexicon();
const loadMs = performance.now() - loadStart;
const texts = corpusFiles.map((name) => readText(join(corpusFolder, name)));

const optionsStart = performance.now();
const corpusOptions = buildRepairOptions(texts, lexicon);
const optionsMs = performance.now() - optionsStart;

const repairStart = performance.now();
const damage = texts.map((text) => repairDocument(text, lexicon, corpusOptions).damage);
const repairMs = performance.now() - repairStart;

const warmStart = performance.now();
for (const text of texts) repairDocument(text, lexicon, corpusOptions);
const warmMs = performance.now() - warmStart;

const percent = (value: number): string => `${(100 * value).toFixed(2)} %`;
const targets: Record<string, number> = { '000': 0.99, '004': 0.97 };
let failed = false;
for (const name of ['000', '004']) {
  const raw = readText(join(fixtures, `repair-${name}.raw.txt`));
  const expected = readText(join(fixtures, `repair-${name}.expected.txt`));
  for (const [label, options] of [
    ['with corpus prior', corpusOptions],
    ['without corpus   ', {}],
  ] as Array<[string, RepairOptions]>) {
    const result = wordAccuracy(expected, repairDocument(raw, lexicon, options).text);
    const ok = result.accuracy >= targets[name];
    if (!ok && label.startsWith('with')) failed = true;
    console.log(
      `repair-${name} ${label}: ${percent(result.accuracy)} (${result.matched}/${result.referenceWords} words, target ${percent(targets[name])}) ${ok ? 'OK' : 'BELOW TARGET'}`,
    );
    if (result.missed.length > 0) console.log(`  missed: ${result.missed.slice(0, 20).join(' | ')}`);
  }
}
console.log('');
corpusFiles.forEach((name, index) => {
  const report = damage[index];
  if (report) {
    console.log(
      `${name}: unknown ${report.unknownWords}/${report.words} (${percent(report.unknownRatio)}), split evidence ${report.splitEvidence}, split-diacritics ${report.splitDiacritics}, ocr ${report.ocr}`,
    );
  }
});
console.log(
  `\ntimings: dictionary load ${loadMs.toFixed(0)} ms, corpus prior ${optionsMs.toFixed(0)} ms, repair of ${corpusFiles.length} documents ${repairMs.toFixed(0)} ms (again with warm caches ${warmMs.toFixed(0)} ms)`,
);
if (failed) process.exitCode = 1;
