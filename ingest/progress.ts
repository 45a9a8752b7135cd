/**
 * Ingest progress output: a cli-progress bar on a TTY, plain log lines otherwise; and the final summary text.
 */
import cliProgress from 'cli-progress';
import type { IngestProgress, IngestSummary } from './pipeline.ts';
import type { DocumentQuality } from './report.ts';

/** A progress sink for `ingestCorpus({ onProgress })`. */
export interface ProgressReporter {
  onProgress(event: IngestProgress): void;
  /** Stops the bar (idempotent). */
  stop(): void;
}

/** Options of `createProgressReporter`. */
export interface ProgressReporterOptions {
  /** Where to write (default process.stderr). */
  stream?: NodeJS.WriteStream | NodeJS.WritableStream;
  /** Draw a bar (default: the stream is a TTY). */
  interactive?: boolean;
}

function describeResult(event: Extract<IngestProgress, { type: 'result' }>): string {
  if (event.outcome === 'failed') return `FAILED — ${event.message ?? ''}`;
  const details = [event.chunks !== undefined ? `${event.chunks} chunks` : '', event.repairs !== undefined ? `${event.repairs} repairs` : '']
    .filter(Boolean)
    .join(', ');
  const warnings = event.warnings?.length ? ` — ${event.warnings.length} warning(s)` : '';
  return `${event.outcome}${details ? ` (${details})` : ''}${warnings}`;
}

/** Seconds as a short duration: `45s`, `3m05s`, `1h02m`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(whole / 3600)}h${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * Throughput and time left of a run: files done of total after `elapsedSeconds`, chunks written so far.
 * The estimate assumes the files left take as long on average as the files done.
 */
export function throughputLine(done: number, total: number, chunks: number, elapsedSeconds: number): string {
  if (done <= 0 || elapsedSeconds <= 0) return '';
  const left = Math.max(0, total - done);
  const eta = (elapsedSeconds / done) * left;
  return `${Math.round(chunks / elapsedSeconds)} chunks/s, ETA ${formatDuration(eta)}`;
}

/** Creates a reporter writing to a stream: a bar when interactive, one line per document otherwise. */
export function createProgressReporter(options: ProgressReporterOptions = {}): ProgressReporter {
  const stream = (options.stream ?? process.stderr) as NodeJS.WriteStream;
  const interactive = options.interactive ?? Boolean(stream.isTTY);
  let bar: cliProgress.SingleBar | undefined;

  const write = (line: string) => stream.write(`${line}\n`);
  let started = performance.now();
  let done = 0;
  let chunks = 0;
  const speed = () => throughputLine(done, total, chunks, (performance.now() - started) / 1000);
  let total = 0;
  const count = (event: IngestProgress) => {
    if (event.type === 'start') {
      started = performance.now();
      total = event.total;
      done = 0;
      chunks = 0;
    } else if (event.type === 'result') {
      done++;
      if (event.outcome === 'added' || event.outcome === 'updated') chunks += event.chunks ?? 0;
    }
  };

  return {
    onProgress(event) {
      count(event);
      if (!interactive) {
        if (event.type === 'start') write(`Ingesting ${event.total} file(s)…`);
        else if (event.type === 'result') {
          const rate = speed();
          write(`[${event.index + 1}/${event.total}] ${event.source}: ${describeResult(event)}${rate ? ` — ${rate}` : ''}`);
        } else if (event.type === 'removed') write(`removed ${event.source} (its file is gone)`);
        else if (event.type === 'indexing') write(`Writing the last batch, compacting and indexing ${event.chunks} chunk(s)…`);
        return;
      }
      if (event.type === 'start') {
        bar = new cliProgress.SingleBar(
          { stream, format: ' {bar} {value}/{total} | {speed} | {source} {phase}', hideCursor: true, clearOnComplete: false },
          cliProgress.Presets.shades_classic,
        );
        bar.start(event.total, 0, { source: '', phase: '', speed: '' });
      } else if (event.type === 'document') {
        const phase = event.phase === 'embedding' && event.of ? `embedding ${event.done ?? 0}/${event.of}` : event.phase;
        bar?.update({ source: event.source, phase });
      } else if (event.type === 'result') {
        bar?.increment(1, { source: event.source, phase: event.outcome, speed: speed() });
      } else if (event.type === 'indexing') {
        bar?.update({ source: '', phase: `compacting and indexing ${event.chunks} chunk(s)…` });
      } else if (event.type === 'finish') {
        bar?.stop();
        bar = undefined;
      }
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

/**
 * One document's report as a short text: chunks, uppdrag records vs sentences, committee, year/date, damage, and the
 * wrong or missing metadata.
 */
export function describeQuality(quality: DocumentQuality): string {
  const committee = quality.committee.recognised ? quality.committee.name : `committee not recognised`;
  const when = [quality.year !== undefined ? String(quality.year) : 'no year', quality.date ?? 'no date'].join(', ');
  // Reports of older summaries may lack `metadata`.
  const metadata = (quality.metadata ?? []).filter((warning) => warning !== 'committee not recognised' && warning !== 'no year' && warning !== 'no date');
  return (
    `${quality.chunks} chunks; uppdrag ${quality.uppdrag.records} records / ${quality.uppdrag.sentences} "i uppdrag" sentences; ` +
    `${committee}; ${quality.type}, ${when}; damage left ${quality.damage.total}` +
    (metadata.length ? `; metadata: ${metadata.join(', ')}` : '')
  );
}

/** Human-readable summary of an ingest run, with a "needs attention" section for documents with warnings. */
export function formatSummary(summary: IngestSummary): string {
  const lines = [
    `Ingest finished in ${(summary.durationMs / 1000).toFixed(1)} s with ${summary.embedder.embedder} (${summary.embedder.dimensions} dims)${summary.rebuilt ? ', index rebuilt' : ''}.`,
    `  added ${summary.added.length}, updated ${summary.updated.length}, unchanged ${summary.unchanged.length}, removed ${summary.removed.length}, failed ${summary.failed.length}; ${summary.chunksWritten} chunks written`,
  ];
  if (summary.stages && summary.chunksWritten > 0) {
    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    const { prepare, embed, write, index } = summary.stages;
    lines.push(`  time: waiting for prepared documents ${seconds(prepare)} s, embedding ${seconds(embed)} s, writing ${seconds(write)} s, indexing ${seconds(index)} s`);
  }
  let unchecked = 0;
  for (const report of summary.documents) {
    if (report.outcome === 'failed') continue;
    if (report.quality) {
      lines.push(`  ${report.outcome.padEnd(9)} ${report.source}: ${describeQuality(report.quality)}`);
      continue;
    }
    if (report.outcome === 'unchanged') unchecked++;
    const details = [report.chunks !== undefined ? `${report.chunks} chunks` : '', report.repairs !== undefined ? `${report.repairs} repairs` : '', report.outcome === 'removed' ? report.message ?? '' : '']
      .filter(Boolean)
      .join(', ');
    lines.push(`  ${report.outcome.padEnd(9)} ${report.source}${details ? ` (${details})` : ''}`);
  }
  if (unchecked) lines.push(`  (${unchecked} unchanged document(s) not re-checked; --report-all checks them too)`);
  if (summary.failed.length) {
    lines.push('Failed:');
    for (const failure of summary.failed) lines.push(`  ${failure.message}`);
  }
  if (summary.needsAttention.length) {
    lines.push(`Needs attention (${summary.needsAttention.length}):`);
    for (const entry of summary.needsAttention) lines.push(`  ${entry.source}: ${entry.warnings.join('; ')}`);
  }
  return lines.join('\n');
}
