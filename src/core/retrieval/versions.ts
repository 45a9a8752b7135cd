/**
 * Years and versions as a dimension. Documents of one committee about the same kind of plan (genomförandeplan,
 * verksamhetsplan, budget — a yrkande counts as a version of the plan it proposes) form a series. By default a
 * question is answered from each series' newest adopted version (or, when none is adopted, from its newest year's
 * versions — competing yrkanden included); a year in the question picks that year's versions instead, and a
 * question about change ("vad är nytt", "jämfört med 2025", "vad hände med …") keeps every version from the oldest
 * year asked for on. Documents outside a series (protocols, presentations, tjänsteutlåtanden) are always in scope.
 */
import { foldSwedish } from '../swedish/fold.ts';
import type { DocumentMeta, DocumentStatus, DocumentType } from '../types.ts';

/** Kinds of plan that come in yearly versions. */
const VERSIONED: ReadonlySet<DocumentType> = new Set(['genomförandeplan', 'verksamhetsplan', 'budget']);

/** The plan kind a document is a version of, or undefined when it is not part of a series. */
export function planKindOf(document: Pick<DocumentMeta, 'type' | 'title'>): DocumentType | undefined {
  if (VERSIONED.has(document.type)) return document.type;
  if (document.type !== 'yrkande') return undefined;
  // A yrkande's kind is read from its title once per title (every question scans every document's versions).
  let kind = yrkandeKinds.get(document.title);
  if (kind === undefined) {
    const title = foldSwedish(document.title);
    kind = [...VERSIONED].find((candidate) => title.includes(foldSwedish(candidate))) ?? null;
    if (yrkandeKinds.size > 100_000) yrkandeKinds.clear();
    yrkandeKinds.set(document.title, kind);
  }
  return kind ?? undefined;
}

const yrkandeKinds = new Map<string, DocumentType | null>();

/** Series key of a document (committee + plan kind), or undefined outside a series. */
export function seriesKeyOf(document: Pick<DocumentMeta, 'type' | 'title' | 'committeeId'>): string | undefined {
  const kind = planKindOf(document);
  return kind ? `${document.committeeId}|${kind}` : undefined;
}

/** What the question (or the explicit filter) says about versions. */
export interface VersionRequest {
  /** Years the question names (a plan year); empty when none. */
  years: number[];
  /** An explicit status (filter or "förslaget", "beslutade planen"). */
  status?: DocumentStatus;
  /** The question asks about change between versions: keep every version from the oldest year asked on. */
  change?: boolean;
  /** The question asks for proposals (yrkanden, förslag): the newest year's versions whatever their status. */
  proposals?: boolean;
  /**
   * The years are the years of a figure ("andelen … 2025", "utfallet 2024"), not of a plan: a plan without a version
   * of that year is still read in its default version (its tables report earlier years' outcomes).
   */
  dataYears?: boolean;
}

/** The documents chosen and how the choice was made. */
export interface VersionSelection<T extends DocumentMeta> {
  documents: T[];
  /** Years asked for that no document in scope has (e.g. a 2027 plan). */
  missingYears: number[];
  /** Documents left out because a newer or adopted version exists (the answer can say so). */
  superseded: T[];
}

/** Adopted documents first, then information, proposals and party motions (yrkanden). */
export const STATUS_ORDER: Record<DocumentStatus, number> = { beslutad: 0, information: 1, förslag: 2, yrkande: 3 };

/**
 * Picks the versions a question is answered from, among `documents` (already narrowed to the question's committee
 * and type). Pure; deterministic.
 */
export function selectVersions<T extends DocumentMeta>(documents: T[], request: VersionRequest): VersionSelection<T> {
  const statusOk = (document: T) => !request.status || document.status === request.status;
  const years = [...new Set(request.years)].sort((a, b) => a - b);
  const missingYears = years.filter((year) => !documents.some((document) => document.year === year));
  const presentYears = years.filter((year) => !missingYears.includes(year));
  const chosen: T[] = [];
  const superseded: T[] = [];
  const series = new Map<string, T[]>();
  for (const document of documents) {
    const key = seriesKeyOf(document);
    if (!key) {
      if (statusOk(document)) chosen.push(document);
      continue;
    }
    const list = series.get(key) ?? [];
    list.push(document);
    series.set(key, list);
  }
  for (const versions of series.values()) {
    const candidates = versions.filter(statusOk);
    let keep: T[];
    if (presentYears.length > 0 && request.change) {
      keep = candidates.filter((document) => document.year === undefined || document.year >= presentYears[0]);
      // One year and nothing newer ("Vad är nytt 2026?"): the change is against the version before it.
      const years = new Set(keep.map((document) => document.year));
      if (years.size === 1) {
        const earlier = candidates.filter((document) => document.year !== undefined && document.year < presentYears[0]);
        const previous = Math.max(...earlier.map((document) => document.year ?? -Infinity));
        keep = [...keep, ...earlier.filter((document) => document.year === previous)];
      }
    } else if (presentYears.length > 0 && (!request.dataYears || candidates.some((document) => document.year !== undefined && presentYears.includes(document.year)))) {
      keep = candidates.filter((document) => document.year !== undefined && presentYears.includes(document.year));
    } else if (request.change || request.status) {
      keep = candidates;
    } else {
      const adopted = candidates.filter((document) => document.status === 'beslutad');
      const pool = adopted.length > 0 && !request.proposals ? adopted : candidates;
      const newest = Math.max(...pool.map((document) => document.year ?? -Infinity));
      keep = pool.filter((document) => (document.year ?? -Infinity) === newest);
    }
    chosen.push(...keep);
    superseded.push(...versions.filter((document) => !keep.includes(document)));
  }
  chosen.sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || (b.year ?? 0) - (a.year ?? 0) || a.id.localeCompare(b.id));
  return { documents: chosen, missingYears, superseded };
}
