/**
 * Self-contained HTML report: inline CSS, inline SVG bar charts and a small inline script for the filters (no CDN,
 * no external file), per configuration and per category, and every item — question (all turns), answer, cited
 * passages (document, section), what was expected (evidence, facts) and why it failed — filterable by category,
 * result and text. Also the comparison of two runs ({@link renderComparisonHtml}).
 */
import type { EvalReport, ItemChange, ReportComparison, ReportItem } from './report.ts';
import { formatValue, hasJudge, JUDGE_METRICS, METRIC_LABELS } from './report.ts';
import { LOWER_IS_BETTER } from './run-eval.ts';
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

/** Whether an item passed, failed or could not be run (request error). */
export function itemResult(item: ItemResult): 'pass' | 'fail' | 'error' {
  return item.error ? 'error' : item.passed ? 'pass' : 'fail';
}

/** The expected evidence and facts of an item (from the gold set), marking what the answer missed. */
function expectedBlock(item: ReportItem): string {
  const expected = item.expected;
  if (!expected) return '';
  const missingFacts = new Set(item.missingFacts);
  const evidence = expected.evidence
    .map((passages, index) => {
      const found = !item.missingEvidence.some((text) => passages.some((passage) => passage.text === text));
      const list = passages.map((passage) => `<code>${escapeHtml(passage.document)}</code>: ${escapeHtml(clip(passage.text, 300))}`).join('<br><i>or</i> ');
      return `<li>${found ? '<span class="ok">cited</span>' : '<span class="bad">not cited</span>'} <b>${index + 1}.</b> ${list}</li>`;
    })
    .join('');
  const facts = expected.facts.map((fact) => `<li>${missingFacts.has(fact) ? '<span class="bad">missing</span>' : '<span class="ok">stated</span>'} ${escapeHtml(fact)}</li>`).join('');
  const forbidden = expected.forbidden.map((passage) => `<li><code>${escapeHtml(passage.document)}</code>: ${escapeHtml(clip(passage.text, 200))}</li>`).join('');
  return `<div class="expected"><p><b>Expected</b>: ${expected.answerable ? 'an answer' : 'an abstention (the documents do not say)'}${expected.note ? ` — <i>${escapeHtml(expected.note)}</i>` : ''}</p>
${evidence ? `<p>Evidence to cite:</p><ul>${evidence}</ul>` : ''}${facts ? `<p>Facts to state:</p><ul>${facts}</ul>` : ''}${forbidden ? `<p>Must not cite:</p><ul>${forbidden}</ul>` : ''}</div>`;
}

function itemDetails(item: ReportItem): string {
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
  const result = itemResult(item);
  const question = item.turns[item.turns.length - 1] ?? '';
  const why = item.error ? `request error: ${item.error}` : item.reasons.join('; ');
  const search = [item.id, item.category, ...item.turns, item.answer, why].join(' ').toLowerCase();
  return `<details class="it ${result}" data-category="${escapeHtml(item.category)}" data-result="${result}" data-search="${escapeHtml(search)}"${result === 'pass' ? '' : ' open'}><summary><b>${escapeHtml(item.id)}</b> <span class="cat">${escapeHtml(item.category)}</span> <span class="res ${result}">${result}</span> ${escapeHtml(question)}${why ? `<div class="why">${escapeHtml(why)}</div>` : ''}</summary>
<div class="item">
<p><b>Conversation</b> (${item.turns.length} turn${item.turns.length === 1 ? '' : 's'}; the last is scored)</p><ol>${turns}</ol>
<p><b>Answer</b> (${escapeHtml(item.answerer || 'n/a')}${item.abstained ? ', abstained' : ''})</p><div class="answer">${escapeHtml(item.answer || item.error || '')}</div>
${expectedBlock(item)}
<p><b>Searched with:</b> ${escapeHtml(item.searchQuery)}${item.understood?.committee ? ` · committee: ${escapeHtml(item.understood.committee)}` : ''}</p>
<p class="metrics">${metrics}</p>
${item.judge ? `<p><b>LLM judge:</b> ${escapeHtml(judgeText(item))}</p>` : ''}
${!item.expected && item.missingEvidence.length ? `<p><b>Evidence not cited:</b></p><ul>${item.missingEvidence.map((text) => `<li>${escapeHtml(text)}</li>`).join('')}</ul>` : ''}
${!item.expected && item.missingFacts.length ? `<p><b>Facts missing from the answer:</b> ${escapeHtml(item.missingFacts.join(', '))}</p>` : ''}
<p><b>Cited passages</b> (document, section)</p><ul>${citations || '<li>none</li>'}</ul>
<p><b>Retrieved (/api/search)</b></p><table class="hits"><tr><th>#</th><th>source</th><th>section</th><th>score</th><th>evidence</th><th>text</th></tr>${retrieved}</table>
</div></details>`;
}

/** Renders the whole report as one self-contained HTML page. */
export function renderHtmlReport(report: EvalReport, options: { comparison?: ReportComparison } = {}): string {
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
${EXTRA_CSS}
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
${options.comparison ? `<h2>Compared with ${escapeHtml(options.comparison.before.label)}</h2>${comparisonBody(options.comparison)}` : ''}
<h2 id="items">Items (${report.items.length}; ${failing.length} failing)</h2>
<p>Failing items are open. Each shows the conversation, the answer, what was expected (evidence and facts, marked cited/stated or not), the cited passages and why it failed.</p>
${filterBar(Object.keys(report.categories), ['fail', 'error', 'pass'])}
<div class="items">${report.items.map(itemDetails).join('\n')}</div>
<script>${FILTER_SCRIPT}</script>
</body></html>
`;
}

const EXTRA_CSS = `.filters{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:end;margin:8px 0;padding:8px;background:#f6f8fa;border-radius:4px}
.filters label{display:flex;flex-direction:column;font-size:12px;font-weight:600}.filters select,.filters input{font:inherit;padding:2px 4px}
.res{font-size:12px;font-weight:700;padding:0 6px;border-radius:8px}.res.pass,.res.still-passing,.res.fixed{background:#e3f4e8;color:#176b2c}
.res.fail,.res.error,.res.broken{background:#fde7e7;color:#b3261e}.res.still-failing{background:#fff4d6;color:#7a5200}.res.only-before,.res.only-after{background:#eee;color:#333}
.why{color:#b3261e;font-size:12px;margin:2px 0 0 16px}.expected{background:#fbfbf3;border:1px solid #e6e2c0;padding:4px 8px;border-radius:4px;margin:6px 0}
.side{display:grid;grid-template-columns:1fr 1fr;gap:12px}.side>div{min-width:0}@media (max-width:800px){.side{grid-template-columns:1fr}}
.count{font-size:12px;color:#555}[hidden]{display:none!important}`;

/** Plain inline script: shows the items matching the category, result and text filters. No external code. */
const FILTER_SCRIPT = `(function(){[].slice.call(document.querySelectorAll('.filters')).forEach(function(bar){
var box=bar.nextElementSibling;if(!box)return;
var items=[].slice.call(box.querySelectorAll('[data-result]'));
var cat=bar.querySelector('[name=category]'),res=bar.querySelector('[name=result]'),text=bar.querySelector('[name=text]'),count=bar.querySelector('.count');
function apply(){var c=cat.value,r=res.value,t=text.value.trim().toLowerCase(),shown=0;
items.forEach(function(el){var result=el.getAttribute('data-result');var ok=(!c||el.getAttribute('data-category')===c)&&(!r||result===r||(r==='not-pass'&&result!=='pass'&&result!=='still-passing'))&&(!t||(el.getAttribute('data-search')||'').indexOf(t)>=0);el.hidden=!ok;if(ok)shown++;});
count.textContent=shown+' of '+items.length+' shown';}
[cat,res,text].forEach(function(el){el.addEventListener('input',apply);el.addEventListener('change',apply);});apply();});})();`;

function filterBar(categories: string[], results: string[]): string {
  const option = (value: string, label = value) => `<option value="${escapeHtml(value)}">${escapeHtml(label)}</option>`;
  return `<div class="filters" role="search"><label>Category<select name="category">${option('', 'all')}${categories.map((category) => option(category)).join('')}</select></label>
<label>Result<select name="result">${option('', 'all')}${option('not-pass', 'not passing')}${results.map((result) => option(result)).join('')}</select></label>
<label>Text<input name="text" type="search" placeholder="id, question, answer, reason"></label><span class="count" aria-live="polite"></span></div>`;
}

function signedDelta(key: string, value: number | undefined): string {
  if (value === undefined) return '<td>–</td>';
  if (!key.endsWith('Ms') && Math.abs(value) < 0.005) value = 0; // shown with 2 decimals: no red "-0.00"
  const better = LOWER_IS_BETTER.has(key as keyof Summary) ? value < 0 : value > 0;
  const shown = key.endsWith('Ms') ? `${Math.round(value)}ms` : key === 'passed' || key === 'errors' || key === 'items' ? String(value) : value.toFixed(2);
  return `<td class="${value === 0 ? '' : better ? 'ok' : 'bad'}">${value > 0 ? '+' : ''}${shown}</td>`;
}

function sideOf(item: ReportItem | undefined, label: string): string {
  if (!item) return `<div><p><b>${escapeHtml(label)}</b>: not in this run</p></div>`;
  const result = itemResult(item);
  const cited = item.citations.map((citation) => `<li>[${citation.marker}] <code>${escapeHtml(citation.source)}</code> ${escapeHtml(citation.section)}</li>`).join('');
  return `<div><p><b>${escapeHtml(label)}</b> <span class="res ${result}">${result}</span>${item.reasons.length ? ` — ${escapeHtml(item.reasons.join('; '))}` : ''}</p>
<div class="answer">${escapeHtml(item.answer || item.error || '')}</div><ul>${cited || '<li>no citations</li>'}</ul></div>`;
}

function changeDetails(change: ItemChange, labels: { before: string; after: string }): string {
  const slug = change.change.replace(/ /g, '-');
  const question = change.turns[change.turns.length - 1] ?? '';
  const search = [change.id, change.category, ...change.turns, change.before?.answer ?? '', change.after?.answer ?? ''].join(' ').toLowerCase();
  const open = change.change === 'broken' || change.change === 'fixed' ? ' open' : '';
  return `<details class="it" data-category="${escapeHtml(change.category)}" data-result="${slug}" data-search="${escapeHtml(search)}"${open}><summary><b>${escapeHtml(change.id)}</b> <span class="cat">${escapeHtml(change.category)}</span> <span class="res ${slug}">${escapeHtml(change.change)}</span>${change.answerChanged ? ' <span class="count">answer changed</span>' : ''} ${escapeHtml(question)}</summary>
<div class="item">${change.turns.length > 1 ? `<ol>${change.turns.map((turn) => `<li>${escapeHtml(turn)}</li>`).join('')}</ol>` : ''}
<div class="side">${sideOf(change.before, labels.before)}${sideOf(change.after, labels.after)}</div></div></details>`;
}

function comparisonBody(comparison: ReportComparison): string {
  const keys = ['passed', ...QUALITY_METRICS, 'chatP50Ms', 'chatP95Ms'] as Array<keyof Summary>;
  const head = `<tr><th></th>${keys.map((key) => `<th>${escapeHtml(key === 'passed' ? 'pass' : (METRIC_LABELS[key] ?? key))}</th>`).join('')}</tr>`;
  const row = (label: string, summary: Summary) => `<tr><th>${escapeHtml(label)}</th>${keys.map((key) => `<td>${key === 'passed' ? `${summary.passed}/${summary.items}` : formatValue(key, summary[key] as number | null)}</td>`).join('')}</tr>`;
  const deltaRow = `<tr><th>after − before</th>${keys.map((key) => signedDelta(key, comparison.deltas[key])).join('')}</tr>`;
  const categoryRows = comparison.categories
    .map(({ category, before, after }) => {
      const delta = before && after ? after.passed - before.passed : undefined;
      return `<tr><th>${escapeHtml(category)}</th><td>${before ? `${before.passed}/${before.items}` : '–'}</td><td>${after ? `${after.passed}/${after.items}` : '–'}</td>${signedDelta('passed', delta)}</tr>`;
    })
    .join('');
  const counts = Object.entries(comparison.counts)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `<span class="res ${kind.replace(/ /g, '-')}">${escapeHtml(kind)}: ${count}</span>`)
    .join(' ');
  const labels = { before: `before (${comparison.before.label})`, after: `after (${comparison.after.label})` };
  const changed = comparison.items.filter((item) => item.change !== 'still passing' || item.answerChanged);
  return `<p>Before: <code>${escapeHtml(comparison.before.label)}</code> (${escapeHtml(comparison.before.configuration)}, ${escapeHtml(comparison.before.generatedAt)}) · after: <code>${escapeHtml(comparison.after.label)}</code> (${escapeHtml(comparison.after.configuration)}, ${escapeHtml(comparison.after.generatedAt)})</p>
${comparison.notes.length ? `<ul>${comparison.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>` : ''}
<table>${head}${row('before', comparison.before.summary)}${row('after', comparison.after.summary)}${deltaRow}</table>
<table><tr><th>category</th><th>before</th><th>after</th><th>Δ pass</th></tr>${categoryRows}</table>
<p>${counts}</p>
<h3>Items that changed (${changed.length}; unchanged passing items left out)</h3>
${filterBar(comparison.categories.map((entry) => entry.category), ['broken', 'fixed', 'still-failing', 'only-before', 'only-after', 'still-passing'])}
<div class="items">${changed.map((item) => changeDetails(item, labels)).join('\n') || '<p>No item changed.</p>'}</div>`;
}

/** A self-contained page comparing two runs: summary and category deltas, fixed/broken items with both answers. */
export function renderComparisonHtml(comparison: ReportComparison): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Planassistenten eval — ${escapeHtml(comparison.before.label)} vs ${escapeHtml(comparison.after.label)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1200px;padding:0 16px;color:#1b1f24}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #dde}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0;font-size:12px}td,th{border:1px solid #dde;padding:3px 6px;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}.ok{color:#176b2c;font-weight:600}.bad{color:#b3261e;font-weight:600}
details{border:1px solid #dde;border-radius:4px;margin:6px 0;padding:4px 8px}summary{cursor:pointer}.item{padding:4px 8px}
.answer{white-space:pre-wrap;background:#f6f8fa;padding:8px;border-radius:4px}.cat{background:#eef;padding:0 6px;border-radius:8px;font-size:12px}code{font-size:12px}
${EXTRA_CSS}
</style></head><body>
<h1>Planassistenten evaluation: two runs compared</h1>
<p>Dataset <code>${escapeHtml(comparison.after.dataset)}</code></p>
${comparisonBody(comparison)}
<script>${FILTER_SCRIPT}</script>
</body></html>
`;
}
