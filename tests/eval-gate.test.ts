/**
 * CI gate: the in-process eval (no baselines) on the dev and regression sets must stay within
 * `eval/thresholds.json`. Latencies are never gated here (no timing assertions in tests).
 */
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from '../eval/build-regression.ts';
import { loadDataset } from '../eval/dataset.ts';
import { checkThresholds, describeViolations, loadThresholds, type Thresholds } from '../eval/gate.ts';
import { createInProcessSystem, type InProcessSystem } from '../eval/in-process.ts';
import { runEval } from '../eval/run-eval.ts';

const thresholds: Thresholds = await loadThresholds('eval/thresholds.json');

describe('eval gate', () => {
  // One in-process system per set of corpus folders (dev and regression share data/corpus; dev2 adds eval/corpus-dev2).
  const systems = new Map<string, Promise<InProcessSystem>>();
  const systemFor = (corpora: string[]): Promise<InProcessSystem> => {
    const key = corpora.join('\n');
    if (!systems.has(key)) systems.set(key, createInProcessSystem({ corpusDir: corpora }));
    return systems.get(key)!;
  };

  afterAll(async () => {
    for (const system of systems.values()) await (await system).close();
  });

  for (const [name, entry] of Object.entries(thresholds.datasets)) {
    it(`${name} (${entry.file}) meets its thresholds`, async () => {
      const system = await systemFor(entry.corpora ?? ['data/corpus']);
      const dataset = await loadDataset(entry.file);
      const run = await runEval(system.client, dataset, { k: entry.k ?? 10 });
      const qualityBounds = Object.fromEntries(Object.entries(entry.metrics).filter(([metric]) => !metric.endsWith('Ms')));
      const violations = checkThresholds(run.summary, qualityBounds);
      const failing = run.items.filter((item) => !item.passed).map((item) => `${item.id}: ${item.reasons.join('; ')}`);
      expect(violations, `${describeViolations(name, violations)}\nfailing items:\n${failing.join('\n')}`).toEqual([]);
    }, 600_000);
  }
});

describe('regression dataset', () => {
  it('is exactly what eval/build-regression.ts generates from the corpus', async () => {
    const { dataset, warnings } = await build();
    const onDisk = JSON.parse(await readFile('eval/datasets/regression.json', 'utf8'));
    expect(onDisk).toEqual(dataset);
    expect(dataset.items.length).toBeGreaterThanOrEqual(60);
    expect(warnings).toEqual([]);
  });
});
