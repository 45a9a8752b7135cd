/**
 * A flattened indicator table (one cell per line) whose cells are whole numbers, at the foot of a page: through the
 * whole ingest processing (load → prepare → repair → metadata → chunks), every row keeps every cell; only the page
 * footer goes. Own fixture (a trafiknämnd plan), not a sample document.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { processFile } from '../ingest/pipeline.ts';
import { createHunspellLexicon } from '../src/adapters/hunspell-lexicon.ts';
import type { Chunk, Lexicon } from '../src/core/types.ts';

describe('integer table cells survive ingest', () => {
  let chunks: Chunk[];
  let lexicon: Lexicon;

  beforeAll(async () => {
    lexicon = await createHunspellLexicon();
    const path = join(import.meta.dirname, 'fixtures', 'tables', 'trafiknamnden-verksamhetsplan-2027.txt');
    chunks = (await processFile({ path, source: 'trafiknamnden-verksamhetsplan-2027.txt' }, lexicon)).chunks;
  }, 60_000);

  it('every indicator row is a table row with its three values', () => {
    const rows = chunks.filter((chunk) => chunk.kind === 'tabellrad').map((chunk) => chunk.text);
    expect(rows).toEqual([
      'Andel resor med kollektivtrafik (%) 31 32 35',
      'Antal cykelparkeringar vid hållplatser 1 200 1 450 1 800',
      'Andel skolor med säker cykelväg (%) 64 70 80',
    ]);
  });

  it('the page footer is not text', () => {
    expect(chunks.some((chunk) => chunk.text.includes('Sida 2 av 2'))).toBe(false);
  });
});
