/**
 * Prints the word accuracy of the Swedish text repair on the hand-checked fixtures
 * (`tests/fixtures/repair-000.*`, `tests/fixtures/repair-004.*`), the damage left in every document of a corpus
 * folder after the text preparation and repair, and the time to repair that corpus.
 *
 * Usage: `npx tsx ingest/measure-repair.ts [corpus-folder]` (default `data/corpus`).
 * The repair runs exactly as in the ingest: `prepareDocumentText` (normalisation, page layout) then
 * `repairDocument`, with no corpus knowledge (a document's repair does not depend on the other documents).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createHunspellLexicon } from '../src/adapters/hunspell-lexicon.ts';
import { prepareDocumentText } from '../src/core/swedish/prepare.ts';
import { repairDocument } from '../src/core/swedish/repair.ts';
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
const repairAll = () => texts.map((text) => repairDocument(prepareDocumentText(text, lexicon).text, lexicon));

const repairStart = performance.now();
const results = repairAll();
const repairMs = performance.now() - repairStart;
const warmStart = performance.now();
repairAll();
const warmMs = performance.now() - warmStart;

const percent = (value: number): string => `${(100 * value).toFixed(2)} %`;
const targets: Record<string, number> = { '000': 0.99, '004': 0.97 };
let failed = false;
for (const name of ['000', '004']) {
  const raw = readText(join(fixtures, `repair-${name}.raw.txt`));
  const expected = readText(join(fixtures, `repair-${name}.expected.txt`));
  const result = wordAccuracy(expected, repairDocument(prepareDocumentText(raw, lexicon).text, lexicon).text);
  const ok = result.accuracy >= targets[name];
  if (!ok) failed = true;
  console.log(
    `repair-${name}: ${percent(result.accuracy)} (${result.matched}/${result.referenceWords} words, target ${percent(targets[name])}) ${ok ? 'OK' : 'BELOW TARGET'}`,
  );
  if (result.missed.length > 0) console.log(`  missed: ${result.missed.slice(0, 20).join(' | ')}`);
}
console.log('');
corpusFiles.forEach((name, index) => {
  const report = results[index].damage;
  const left = prepareDocumentText(results[index].text, lexicon).damage.before;
  if (report) {
    console.log(
      `${name}: unknown ${report.unknownWords}/${report.words} (${percent(report.unknownRatio)}), split evidence ${report.splitEvidence}, ` +
        `split-diacritics ${report.splitDiacritics}, ocr ${report.ocr}; left after repair: ${JSON.stringify(left)}`,
    );
  }
});
console.log(
  `\ntimings: dictionary load ${loadMs.toFixed(0)} ms, preparation + repair of ${corpusFiles.length} documents ${repairMs.toFixed(0)} ms (again with warm caches ${warmMs.toFixed(0)} ms)`,
);
if (failed) process.exitCode = 1;
