/**
 * Self-contained HTML report: inline CSS and inline SVG bar charts (no CDN, no scripts), per configuration and
 * per category, and the failing items (expandable) with what was retrieved, cited and answered.
 */
import type { EvalReport } from './report.ts';
import { formatValue, hasJudge, JUDGE_METRICS, METRIC_LABELS } from './report.ts';
import { QUALITY_METRICS, type ItemResult, type Summary } from './run-eval.ts';

const COLORS = ['#1f5fa8', '#d9822b', '#3f9b5a', '#9a4fb0', '#c23b3b', '#6b7a8f'];

/** Escapes text for HTML content and attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** One group of bars (e.g. a metric or a category) with a value per series. */
export interface BarGroup {
  label: string;
  values: Array<number | null>;
}

/** A grouped vertical bar chart as inline SVG; values are shares 0–1 (null → "n/a"). */
export function barChart(title: string, series: string[], groups: BarGroup[]): string {
  const barWidth = 14;
  const gap = 4;
  const groupGap = 22;
  const chartHeight = 160;
  const top = 28;
  const left = 34;
  const groupWidth = series.length * (barWidth + gap) - gap;
  const width = left + groups.length * (groupWidth + groupGap) + 10;
  const height = top + chartHeight + 64;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`);
  parts.push(`<title>${escapeHtml(title)}</title>`);
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const y = top + chartHeight * (1 - tick);
    parts.push(`<line x1="${left}" x2="${width - 6}" y1="${y}" y2="${y}" stroke="#e3e6ea"/>`);
    parts.push(`<text x="${left - 4}" y="${y + 3}" font-size="9" text-anchor="end" fill="#667">${tick.toFixed(2)}</text>`);
  }
  groups.forEach((group, groupIndex) => {
    const x0 = left + 8 + groupIndex * (groupWidth + groupGap);
    group.values.forEach((value, seriesIndex) => {
      const x = x0 + seriesIndex * (barWidth + gap);
      const color = COLORS[seriesIndex % COLORS.length];
      if (value === null) {
        parts.push(`<text x="${x + barWidth / 2}" y="${top + chartHeight - 3}" font-size="7" text-anchor="middle" fill="#999">n/a</text>`);
        return;
      }
      const clamped = Math.max(0, Math.min(1, value));
      const barHeight = Math.max(1, chartHeight * clamped);
      const y = top + chartHeight - barHeight;
      parts.push(`<rect x="${x}" y="${y}" width="${barWidth}" height="${barHeight}" fill="${color}"><title>${escapeHtml(`${series[seriesIndex]} · ${group.label}: ${value.toFixed(3)}`)}</title></rect>`);
      parts.push(`<text x="${x + barWidth / 2}" y="${y - 2}" font-size="7" text-anchor="middle" fill="#333">${value.toFixed(2)}</text>`);
    });
    const labelX = x0 + groupWidth / 2;
    parts.push(`<text x="${labelX}" y="${top + chartHeight + 12}" font-size="9" text-anchor="end" transform="rotate(-30 ${labelX} ${top + chartHeight + 12})" fill="#222">${escapeHtml(group.label)}</text>`);
  });
  parts.push('</svg>');
  const legend = series.map((name, index) => `<span class="key"><i style="background:${COLORS[index % COLORS.length]}"></i>${escapeHtml(name)}</span>`).join(' ');
  return `<figure><figcaption>${escapeHtml(title)}</figcaption>${parts.join('')}<div class="legend">${legend}</div></figure>`;
}

function passRate(summary: Summary | undefined): number | null {
  return summary && summary.items > 0 ? summary.passed / summary.items : null;
}

function summaryTable(rows: Array<{ label: string; summary: Summary }>): string {
  const judge: Array<keyof Summary> = hasJudge(...rows.map((row) => row.summary)) ? [...JUDGE_METRICS, 'judged'] : [];
  const keys = [...QUALITY_METRICS, 'searchP50Ms', 'searchP95Ms', 'chatP50Ms', 'chatP95Ms', ...judge] as Array<keyof Summary>;
  const head = `<tr><th></th><th>n</th><th>pass</th>${keys.map((key) => `<th>${escapeHtml(METRIC_LABELS[key] ?? key)}</th>`).join('')}</tr>`;
  const body = rows
    .map(
      ({ label, summary }) =>
        `<tr><th>${escapeHtml(label)}</th><td>${summary.items}</td><td>${summary.passed}</td>${keys.map((key) => `<td>${formatValue(key, summary[key] as number | null)}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table>${head}${body}</table>`;
}

function clip(text: string, length = 400): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

/** The judge's grade of an item as text (`correctness 2/2 · faithfulness 1/2 — comment`), or '' without one. */
function judgeText(item: ItemResult): string {
  if (!item.judge) return '';
  if ('error' in item.judge) return `judge error: ${item.judge.error}`;
  return `correctness ${item.judge.correctness}/2 · faithfulness ${item.judge.faithfulness}/2 — ${item.judge.comment}`;
}

function itemDetails(item: ItemResult): string {
  const turns = item.turns.map((turn, index) => `<li>${index === item.turns.length - 1 ? '<b>' : ''}${escapeHtml(turn)}${index === item.turns.length - 1 ? '</b>' : ''}</li>`).join('');
  const citations = item.citations
    .map((citation) => {
      const flags = [
        citation.evidence.length ? `<span class="ok">evidence ${citation.evidence.map((index) => index + 1).join(',')}</span>` : '',
        citation.forbidden ? '<span class="bad">forbidden</span>' : '',
        citation.faithful === false ? '<span class="bad">not in document</span>' : '',
      ].join(' ');
      return `<li>[${citation.marker}] <code>${escapeHtml(citation.source)}</code> ${escapeHtml(citation.section)} ${flags}<div class="text">${escapeHtml(clip(citation.text))}</div></li>`;
    })
    .join('');
  const retrieved = item.retrieved
    .map(
      (hit) =>
        `<tr><td>${hit.rank}</td><td><code>${escapeHtml(hit.source)}</code></td><td>${escapeHtml(hit.section)}</td><td>${hit.score.toFixed(3)}</td><td>${hit.evidence.length ? `<span class="ok">${hit.evidence.map((index) => index + 1).join(',')}</span>` : ''}</td><td class="text">${escapeHtml(clip(hit.text, 240))}</td></tr>`,
    )
    .join('');
  const metrics = Object.entries(item.metrics)
    .filter(([, value]) => value !== null)
    .map(([key, value]) => `${escapeHtml(METRIC_LABELS[key] ?? key)}: ${typeof value === 'number' ? value.toFixed(2) : String(value)}`)
    .join(' · ');
  return `<details><summary><b>${escapeHtml(item.id)}</b> <span class="cat">${escapeHtml(item.category)}</span> — ${escapeHtml(item.reasons.join('; '))}</summary>
<div class="item">
<p><b>Conversation</b></p><ol>${turns}</ol>
<p><b>Searched with:</b> ${escapeHtml(item.searchQuery)}${item.understood?.committee ? ` · committee: ${escapeHtml(item.understood.committee)}` : ''}</p>
<p class="metrics">${metrics}</p>
${item.judge ? `<p><b>LLM judge:</b> ${escapeHtml(judgeText(item))}</p>` : ''}
${item.missingEvidence.length ? `<p><b>Evidence not cited:</b></p><ul>${item.missingEvidence.map((text) => `<li>${escapeHtml(text)}</li>`).join('')}</ul>` : ''}
${item.missingFacts.length ? `<p><b>Facts missing from the answer:</b> ${escapeHtml(item.missingFacts.join(', '))}</p>` : ''}
<p><b>Answer</b> (${escapeHtml(item.answerer || 'n/a')}${item.abstained ? ', abstained' : ''})</p><div class="answer">${escapeHtml(item.answer || item.error || '')}</div>
<p><b>Citations</b></p><ul>${citations || '<li>none</li>'}</ul>
<p><b>Retrieved (/api/search)</b></p><table class="hits"><tr><th>#</th><th>source</th><th>section</th><th>score</th><th>evidence</th><th>text</th></tr>${retrieved}</table>
</div></details>`;
}

/** Renders the whole report as one self-contained HTML page. */
export function renderHtmlReport(report: EvalReport): string {
  const configurations = [
    { name: `ours (${report.configuration})`, summary: report.summary, categories: report.categories },
    ...Object.entries(report.baselines).map(([name, run]) => ({ name: `baseline: ${name}`, summary: run.summary, categories: run.categories })),
  ];
  const seriesNames = configurations.map((configuration) => configuration.name);
  const metricGroups: BarGroup[] = [
    ...QUALITY_METRICS.map((key) => ({
      label: METRIC_LABELS[key] ?? key,
      values: configurations.map((configuration) => configuration.summary[key] as number | null),
    })),
    { label: 'pass rate', values: configurations.map((configuration) => passRate(configuration.summary)) },
  ];
  const categories = Object.keys(report.categories);
  const categoryPass: BarGroup[] = categories.map((category) => ({
    label: category,
    values: configurations.map((configuration) => passRate(configuration.categories[category])),
  }));
  const categoryMetricKeys: Array<keyof Summary> = ['recallAt10', 'citationRecall', 'factRecall', 'abstentionAccuracy', 'faithfulness'];
  const categoryMetrics: BarGroup[] = categories.map((category) => ({
    label: category,
    values: [...categoryMetricKeys.map((key) => report.categories[category][key] as number | null), passRate(report.categories[category])],
  }));
  const failing = report.items.filter((item) => !item.passed);
  const judged = hasJudge(report.summary);
  const allRows = report.items
    .map(
      (item) =>
        `<tr class="${item.passed ? 'pass' : 'fail'}"><td>${escapeHtml(item.id)}</td><td>${escapeHtml(item.category)}</td><td>${item.passed ? 'pass' : 'fail'}</td><td>${escapeHtml(item.reasons.join('; '))}</td>${judged ? `<td>${escapeHtml(judgeText(item))}</td>` : ''}</tr>`,
    )
    .join('');
  const deltaRows = Object.entries(report.deltas)
    .map(
      ([name, values]) =>
        `<tr><th>ours − ${escapeHtml(name)}</th>${QUALITY_METRICS.map((key) => {
          const value = values[key];
          if (value === undefined) return '<td>–</td>';
          const better = key === 'forbiddenCitationRate' ? value < 0 : value > 0;
          return `<td class="${value === 0 ? '' : better ? 'ok' : 'bad'}">${value > 0 ? '+' : ''}${value.toFixed(2)}</td>`;
        }).join('')}</tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Planassistenten eval — ${escapeHtml(report.dataset)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1200px;padding:0 16px;color:#1b1f24}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #dde}
table{border-collapse:collapse;margin:8px 0;font-size:12px}td,th{border:1px solid #dde;padding:3px 6px;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}table.hits td,table.all td{text-align:left}
figure{display:inline-block;margin:8px 16px 8px 0;vertical-align:top}figcaption{font-weight:600;margin-bottom:4px}
.legend{font-size:12px}.key{margin-right:12px;white-space:nowrap}.key i{display:inline-block;width:10px;height:10px;margin-right:4px}
details{border:1px solid #dde;border-radius:4px;margin:6px 0;padding:4px 8px}summary{cursor:pointer}
.item{padding:4px 8px}.answer{white-space:pre-wrap;background:#f6f8fa;padding:8px;border-radius:4px}
.text{white-space:pre-wrap;color:#444;font-size:12px}.ok{color:#176b2c;font-weight:600}.bad{color:#b3261e;font-weight:600}
.cat{background:#eef;padding:0 6px;border-radius:8px;font-size:12px}.metrics{color:#555;font-size:12px}
tr.fail td:nth-child(3){color:#b3261e}tr.pass td:nth-child(3){color:#176b2c}code{font-size:12px}
</style></head><body>
<h1>Planassistenten evaluation</h1>
<p>Dataset <code>${escapeHtml(report.dataset)}</code> · system <code>${escapeHtml(report.configuration)}</code> (${report.mode}) · k = ${report.k} · ${escapeHtml(report.generatedAt)} · ${report.summary.passed}/${report.summary.items} items pass</p>
${report.notes.length ? `<ul>${report.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>` : ''}
<h2>Per configuration</h2>
${barChart('Metrics per configuration (Forbid↓: lower is better)', seriesNames, metricGroups)}
${summaryTable(configurations.map((configuration) => ({ label: configuration.name, summary: configuration.summary })))}
${deltaRows ? `<table><tr><th></th>${QUALITY_METRICS.map((key) => `<th>${escapeHtml(METRIC_LABELS[key])}</th>`).join('')}</tr>${deltaRows}</table>` : ''}
<h2>Per category</h2>
${barChart('Our metrics per category', [...categoryMetricKeys.map((key) => METRIC_LABELS[key] ?? key), 'pass rate'], categoryMetrics)}
${barChart('Pass rate per category and configuration', seriesNames, categoryPass)}
${summaryTable(Object.entries(report.categories).map(([label, summary]) => ({ label, summary })))}
<h2>Failing items (${failing.length})</h2>
${failing.map(itemDetails).join('\n') || '<p>None.</p>'}
<h2>All items</h2>
<table class="all"><tr><th>id</th><th>category</th><th>result</th><th>why</th>${judged ? '<th>LLM judge (informational)</th>' : ''}</tr>${allRows}</table>
</body></html>
`;
}
