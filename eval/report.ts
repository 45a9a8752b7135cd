/**
 * Report building: the JSON report (`--out`) and console tables (per category, per configuration, deltas).
 */
import { passagesOf, type Dataset } from './dataset.ts';
import { deltas, LOWER_IS_BETTER, QUALITY_METRICS, type EvalRun, type ItemResult, type Summary } from './run-eval.ts';

/** What the gold set expected of an item, with document keys resolved to file names (for readers of the report). */
export interface ExpectedAnswer {
  answerable: boolean;
  /** One list per evidence entry: its passages (several for `anyOf`, any one suffices). */
  evidence: Array<Array<{ document: string; text: string }>>;
  /** Facts the answer must state (`alt1|alt2`: any alternative). */
  facts: string[];
  /** Passages that must not be cited (the wrong document). */
  forbidden: Array<{ document: string; text: string }>;
  note?: string;
}

/** An item of the report: the result and, when the gold set was given, what was expected. */
export type ReportItem = ItemResult & { expected?: ExpectedAnswer };

/** The JSON written by `--out`. `summary`/`categories`/`items` are our system; baselines live under `baselines`. */
export interface EvalReport {
  dataset: string;
  configuration: string;
  mode: 'in-process' | 'http';
  k: number;
  generatedAt: string;
  summary: Summary;
  categories: Record<string, Summary>;
  items: ReportItem[];
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
  /** The gold set: adds each item's expected evidence and facts to the report. */
  gold?: Pick<Dataset, 'docs' | 'items'>;
}): EvalReport {
  const expectedById = new Map(options.gold ? options.gold.items.map((item) => [item.id, expectedAnswer(item, options.gold!.docs)]) : []);
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
    items: options.ours.items.map((item) => {
      const expected = expectedById.get(item.id);
      return expected ? { ...item, expected } : item;
    }),
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

/** The expectation of one gold item, with `D0`… resolved to the file names of the set's `docs`. */
export function expectedAnswer(item: Dataset['items'][number], docs: Dataset['docs']): ExpectedAnswer {
  const passage = (entry: { doc: string; text: string }) => ({ document: docs[entry.doc] ?? entry.doc, text: entry.text });
  return {
    answerable: item.answerable,
    evidence: item.evidence.map((entry) => passagesOf(entry).map(passage)),
    facts: item.facts,
    forbidden: item.forbidden.map(passage),
    ...(item.note ? { note: item.note } : {}),
  };
}

/** How one item fared in two runs. */
export type ItemChangeKind = 'fixed' | 'broken' | 'still failing' | 'still passing' | 'only before' | 'only after';

/** One item of a {@link ReportComparison}. */
export interface ItemChange {
  id: string;
  category: string;
  /** The conversation (the last turn is the question scored). */
  turns: string[];
  change: ItemChangeKind;
  /** True when the answer text differs between the runs. */
  answerChanged: boolean;
  before?: ReportItem;
  after?: ReportItem;
}

/** Two runs side by side: summary deltas (after − before), per category, and every item's change. */
export interface ReportComparison {
  before: { label: string; dataset: string; configuration: string; generatedAt: string; summary: Summary };
  after: { label: string; dataset: string; configuration: string; generatedAt: string; summary: Summary };
  /** `after − before` per numeric summary field (for latencies and forbiddenCitationRate lower is better). */
  deltas: Partial<Record<keyof Summary, number>>;
  categories: Array<{ category: string; before?: Summary; after?: Summary }>;
  items: ItemChange[];
  counts: Record<ItemChangeKind, number>;
  notes: string[];
}

const CHANGE_ORDER: ItemChangeKind[] = ['broken', 'fixed', 'still failing', 'only before', 'only after', 'still passing'];

/** Compares two JSON reports (`before` is the older/baseline run). Items are matched by id. */
export function compareReports(before: EvalReport, after: EvalReport, labels: { before?: string; after?: string } = {}): ReportComparison {
  const notes: string[] = [];
  if (before.dataset !== after.dataset) notes.push(`The runs used different datasets (${before.dataset} vs ${after.dataset}); only items with the same id are compared.`);
  if (before.k !== after.k) notes.push(`The runs used different k (${before.k} vs ${after.k}).`);
  const beforeItems = new Map(before.items.map((item) => [item.id, item]));
  const afterItems = new Map(after.items.map((item) => [item.id, item]));
  const ids = [...new Set([...before.items.map((item) => item.id), ...after.items.map((item) => item.id)])];
  const items: ItemChange[] = ids.map((id) => {
    const a = beforeItems.get(id);
    const b = afterItems.get(id);
    const change: ItemChangeKind = !a
      ? 'only after'
      : !b
        ? 'only before'
        : a.passed && b.passed
          ? 'still passing'
          : a.passed
            ? 'broken'
            : b.passed
              ? 'fixed'
              : 'still failing';
    const source = (b ?? a) as ReportItem;
    return {
      id,
      category: source.category,
      turns: source.turns,
      change,
      answerChanged: Boolean(a && b && a.answer.trim() !== b.answer.trim()),
      ...(a ? { before: a } : {}),
      ...(b ? { after: b } : {}),
    };
  });
  items.sort((x, y) => CHANGE_ORDER.indexOf(x.change) - CHANGE_ORDER.indexOf(y.change) || x.id.localeCompare(y.id));
  const counts = Object.fromEntries(CHANGE_ORDER.map((kind) => [kind, items.filter((item) => item.change === kind).length])) as Record<ItemChangeKind, number>;
  const categories = [...new Set([...Object.keys(before.categories), ...Object.keys(after.categories)])].map((category) => ({
    category,
    ...(before.categories[category] ? { before: before.categories[category] } : {}),
    ...(after.categories[category] ? { after: after.categories[category] } : {}),
  }));
  const side = (report: EvalReport, label: string | undefined) => ({
    label: label ?? report.generatedAt,
    dataset: report.dataset,
    configuration: report.configuration,
    generatedAt: report.generatedAt,
    summary: report.summary,
  });
  return {
    before: side(before, labels.before),
    after: side(after, labels.after),
    deltas: deltas(after.summary, before.summary),
    categories,
    items,
    counts,
    notes,
  };
}

/** `20261202-053712` (UTC) for report file names. */
export function reportTimestamp(date: Date = new Date()): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`;
}
