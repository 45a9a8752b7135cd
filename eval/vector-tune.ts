/**
 * Vector index tuning on a built index (not part of `npm test`): for each setting of probes / refine factor / ef,
 * latency and recall@k of the store's approximate search against LanceDB's exact scan, over the gold questions.
 *
 *   npx tsx eval/vector-tune.ts --index DIR [--k 120] [--probes 20,40,69] [--refine 1,2,5] [--ef 100,300]
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import * as lancedb from '@lancedb/lancedb';
import { createHashedEmbedder } from '../src/core/embedding/hashed-embedder.ts';

const { values } = parseArgs({
  options: {
    index: { type: 'string' },
    k: { type: 'string', default: '120' },
    probes: { type: 'string', default: '20,40,69' },
    refine: { type: 'string', default: '1,2,5' },
    ef: { type: 'string', default: '100,300,600' },
  },
});
if (!values.index) throw new Error('--index DIR is required');
const k = Number(values.k);
const list = (text: string) => text.split(',').map(Number);
const questions: string[] = [];
for (const file of ['eval/datasets/dev.json', 'eval/datasets/dev2.json']) {
  const data = JSON.parse(await readFile(file, 'utf8')) as { items: Array<{ turns: string[] }> };
  questions.push(...data.items.map((item) => item.turns[0]));
}
const embedder = createHashedEmbedder();
const vectors = await embedder.embed(questions, { inputType: 'query' });
const table = await (await lancedb.connect(values.index)).openTable('chunks');
const exact: Array<Set<string>> = [];
const exactMs: number[] = [];
for (const vector of vectors) {
  const begun = performance.now();
  const rows = await table.vectorSearch(vector).distanceType('cosine').select(['id']).limit(k).bypassVectorIndex().toArray();
  exactMs.push(performance.now() - begun);
  exact.push(new Set(rows.map((row: Record<string, unknown>) => String(row.id))));
}
const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)];
console.log(`exact scan k=${k}: p50 ${pct(exactMs, 50).toFixed(1)} ms, p95 ${pct(exactMs, 95).toFixed(1)} ms`);
console.log('probes refine ef | recall@k recall@10 | p50 p95 ms');
for (const probes of list(values.probes)) {
  for (const refine of list(values.refine)) {
    // HNSW needs ef ≥ the candidates it returns (k × refine factor).
    for (const ef of [...new Set(list(values.ef).map((ef) => Math.max(ef, k * Math.max(1, refine))))]) {
      let hits = 0;
      let hits10 = 0;
      const ms: number[] = [];
      for (const [index, vector] of vectors.entries()) {
        const begun = performance.now();
        let query = table.vectorSearch(vector).distanceType('cosine').select(['id', 'text', 'section', 'context']).limit(k).nprobes(probes).ef(ef);
        if (refine > 0) query = query.refineFactor(refine);
        const rows = await query.toArray();
        ms.push(performance.now() - begun);
        const ids = rows.map((row: Record<string, unknown>) => String(row.id));
        hits += ids.filter((id) => exact[index].has(id)).length;
        const top10 = new Set([...exact[index]].slice(0, 10));
        hits10 += ids.slice(0, 10).filter((id) => top10.has(id)).length;
      }
      const total = exact.reduce((sum, set) => sum + set.size, 0);
      const total10 = exact.reduce((sum, set) => sum + Math.min(10, set.size), 0);
      console.log(`${probes} ${refine} ${ef} | ${(hits / total).toFixed(3)} ${(hits10 / total10).toFixed(3)} | ${pct(ms, 50).toFixed(1)} ${pct(ms, 95).toFixed(1)}`);
    }
  }
}
