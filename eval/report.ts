/**
 * Report building: the JSON report (`--out`) and console tables (per category, per configuration, deltas).
 */
import { deltas, LOWER_IS_BETTER, QUALITY_METRICS, type EvalRun, type Summary } from './run-eval.ts';

/** The JSON written by `--out`. `summary`/`categories`/`items` are our system; baselines live under `baselines`. */
export interface EvalReport {
  dataset: string;
  configuration: string;
  mode: 'in-process' | 'http';
  k: number;
  generatedAt: string;
  summary: Summary;
  categories: Record<string, Summary>;
  items: EvalRun['items'];
  baselines: Record<string, { summary: Summary; categories: Record<string, Summary>; items: EvalRun['items'] }>;
  /** `ours − baseline` per metric (for latencies and forbiddenCitationRate lower is better). */
  deltas: Record<string, Partial<Record<keyof Summary, number>>>;
  notes: string[];
}

/** Assembles the JSON report from our run and the baseline runs. */
export function buildReport(options: {
  dataset: string;
  mode: 'in-process' | 'http';
  k: number;
  ours: EvalRun;
  baselines: EvalRun[];
  notes?: string[];
}): EvalReport {
  const baselines: EvalReport['baselines'] = {};
  const delta: EvalReport['deltas'] = {};
  for (const run of options.baselines) {
    const key = run.configuration.replace(/^baseline:/, '');
    baselines[key] = { summary: run.summary, categories: run.categories, items: run.items };
    delta[key] = deltas(options.ours.summary, run.summary);
  }
  return {
    dataset: options.dataset,
    configuration: options.ours.configuration,
    mode: options.mode,
    k: options.k,
    generatedAt: new Date().toISOString(),
    summary: options.ours.summary,
    categories: options.ours.categories,
    items: options.ours.items,
    baselines,
    deltas: delta,
    notes: options.notes ?? [],
  };
}

/** Short column labels of the quality metrics. */
export const METRIC_LABELS: Record<string, string> = {
  recallAt1: 'R@1',
  recallAt3: 'R@3',
  recallAt5: 'R@5',
  recallAt10: 'R@10',
  mrr: 'MRR',
  ndcgAt10: 'nDCG@10',
  citationRecall: 'CitRec',
  forbiddenCitationRate: 'Forbid↓',
  factRecall: 'Facts',
  abstentionAccuracy: 'AbstAcc',
  faithfulness: 'Faithful',
  searchP50Ms: 'search p50',
  searchP95Ms: 'search p95',
  chatP50Ms: 'chat p50',
  chatP95Ms: 'chat p95',
  judgeCorrectness: 'J-correct',
  judgeFaithfulness: 'J-faithful',
  judged: 'judged',
};

/** Judge columns, shown only when the judge ran (`--judge`). */
export const JUDGE_METRICS = ['judgeCorrectness', 'judgeFaithfulness'] as const satisfies ReadonlyArray<keyof Summary>;

/** True when some summary carries judge scores. */
export function hasJudge(...summaries: Summary[]): boolean {
  return summaries.some((summary) => summary.judged !== undefined);
}

/** Formats a metric value: shares with 2 decimals, milliseconds with 0, null as `–`. */
export function formatValue(key: string, value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  if (key.endsWith('Ms')) return `${Math.round(value)}ms`;
  if (key === 'judged' || key === 'judgeErrors') return String(value);
  return value.toFixed(2);
}

/** Renders rows as a fixed-width text table (first row is the header). */
export function formatTable(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]): string => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  return [line(rows[0]), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

const TABLE_METRICS = [...QUALITY_METRICS] as Array<keyof Summary>;

function summaryRow(label: string, summary: Summary, extra: Array<keyof Summary> = []): string[] {
  return [label, String(summary.items), `${summary.passed}/${summary.items}`, ...[...TABLE_METRICS, ...extra].map((key) => formatValue(key, summary[key] as number | null))];
}

/** Console table of our results per category (plus the overall row). */
export function categoryTable(run: EvalRun): string {
  const judge: Array<keyof Summary> = hasJudge(run.summary) ? [...JUDGE_METRICS, 'judged'] : [];
  const header = ['category', 'n', 'pass', ...[...TABLE_METRICS, ...judge].map((key) => METRIC_LABELS[key])];
  const rows = Object.entries(run.categories).map(([category, summary]) => summaryRow(category, summary, judge));
  return formatTable([header, ...rows, summaryRow('ALL', run.summary, judge)]);
}

/** Console table comparing configurations (ours and baselines), with latencies. */
export function configurationTable(runs: EvalRun[]): string {
  const latency: Array<keyof Summary> = ['searchP50Ms', 'searchP95Ms', 'chatP50Ms', 'chatP95Ms'];
  const extra: Array<keyof Summary> = hasJudge(...runs.map((run) => run.summary)) ? [...latency, ...JUDGE_METRICS] : latency;
  const header = ['configuration', 'n', 'pass', ...[...TABLE_METRICS, ...extra].map((key) => METRIC_LABELS[key])];
  return formatTable([header, ...runs.map((run) => summaryRow(run.configuration, run.summary, extra))]);
}

/** Console table of `ours − baseline` for the quality metrics (+ means better for all but Forbid↓). */
export function deltaTable(report: EvalReport): string {
  const header = ['ours minus', ...TABLE_METRICS.map((key) => METRIC_LABELS[key])];
  const rows = Object.entries(report.deltas).map(([name, values]) => [
    name,
    ...TABLE_METRICS.map((key) => {
      const value = values[key];
      if (value === undefined) return '–';
      const better = LOWER_IS_BETTER.has(key) ? value < 0 : value > 0;
      return `${value > 0 ? '+' : ''}${value.toFixed(2)}${value === 0 ? '' : better ? ' ▲' : ' ▼'}`;
    }),
  ]);
  return formatTable([header, ...rows]);
}

/** Per-category pass counts for every configuration side by side. */
export function categoryComparisonTable(runs: EvalRun[]): string {
  const categories = [...new Set(runs.flatMap((run) => Object.keys(run.categories)))];
  const header = ['category (citation recall / facts)', ...runs.map((run) => run.configuration)];
  const rows = categories.map((category) => [
    category,
    ...runs.map((run) => {
      const summary = run.categories[category];
      return summary ? `${formatValue('citationRecall', summary.citationRecall)} / ${formatValue('factRecall', summary.factRecall)}` : '–';
    }),
  ]);
  return formatTable([header, ...rows]);
}
