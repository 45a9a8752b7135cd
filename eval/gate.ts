/**
 * The CI gate: thresholds per dataset and metric (`eval/thresholds.json`), checked against a run's summary.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Summary } from './run-eval.ts';

const SUMMARY_KEYS = [
  'recallAt1',
  'recallAt3',
  'recallAt5',
  'recallAt10',
  'mrr',
  'ndcgAt10',
  'citationRecall',
  'forbiddenCitationRate',
  'factRecall',
  'abstentionAccuracy',
  'abstentionPrecision',
  'abstentionRecall',
  'faithfulness',
  'searchP50Ms',
  'searchP95Ms',
  'chatP50Ms',
  'chatP95Ms',
  'passed',
  'errors',
] as const satisfies ReadonlyArray<keyof Summary>;

const boundSchema = z
  .strictObject({ min: z.number().optional(), max: z.number().optional() })
  .refine((bound) => bound.min !== undefined || bound.max !== undefined, 'a threshold needs "min" or "max"');

const thresholdsSchema = z.strictObject({
  about: z.string().optional(),
  datasets: z.record(
    z.string(),
    z.strictObject({
      file: z.string().min(1),
      /** Corpus folders ingested together for this set (default `data/corpus`). */
      corpora: z.array(z.string().min(1)).min(1).optional(),
      k: z.number().int().min(1).max(50).optional(),
      metrics: z.partialRecord(z.enum(SUMMARY_KEYS), boundSchema),
    }),
  ),
});

/** Parsed `eval/thresholds.json`. */
export type Thresholds = z.infer<typeof thresholdsSchema>;

/** Reads and validates a thresholds file; errors name the file and the field. */
export async function loadThresholds(file: string): Promise<Thresholds> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: cannot read thresholds (${(error as Error).message})`);
  }
  const result = thresholdsSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${file}: field ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}

/** One metric outside its bound. */
export interface Violation {
  metric: string;
  value: number | null;
  bound: 'min' | 'max';
  limit: number;
}

/**
 * Compares a summary with bounds: `min` fails when the value is lower (or missing), `max` when it is higher
 * (or missing). Returns the violations (empty = gate passes).
 */
export function checkThresholds(summary: Summary, metrics: Thresholds['datasets'][string]['metrics']): Violation[] {
  const violations: Violation[] = [];
  for (const [metric, bound] of Object.entries(metrics)) {
    if (!bound) continue;
    const value = summary[metric as keyof Summary];
    const numeric = typeof value === 'number' ? value : null;
    if (bound.min !== undefined && (numeric === null || numeric < bound.min)) violations.push({ metric, value: numeric, bound: 'min', limit: bound.min });
    if (bound.max !== undefined && (numeric === null || numeric > bound.max)) violations.push({ metric, value: numeric, bound: 'max', limit: bound.max });
  }
  return violations;
}

/** Human-readable violation lines. */
export function describeViolations(dataset: string, violations: Violation[]): string {
  return violations
    .map((violation) => `${dataset}: ${violation.metric} = ${violation.value === null ? 'n/a' : violation.value.toFixed(3)} ${violation.bound === 'min' ? '<' : '>'} ${violation.bound} ${violation.limit}`)
    .join('\n');
}
