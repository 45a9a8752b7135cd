/**
 * The one text preparation every loaded document goes through before the Swedish repair:
 * Unicode normalisation (`normalize.ts`: ligatures, soft hyphens, combining marks, odd spaces, "�"), then the
 * page layout clean-up (`layout.ts`: running headers/footers and page numbers, two-column prose).
 * Ingest calls `prepareDocumentText(loaded.text, lexicon).text` and repairs the result with `repairDocument`.
 */
import type { Lexicon } from '../types.ts';
import { cleanLayout } from './layout.ts';
import { damageReport, normalizeText, type NormalizeChange, type TextDamageReport } from './normalize.ts';

/** The prepared text and what the preparation did (for the ingest report). */
export interface PreparedText {
  text: string;
  /** Unicode normalisation changes (aggregated). */
  changes: NormalizeChange[];
  /** Lines removed as page headers/footers/page numbers. */
  removedLines: string[];
  /** Two-column regions rewritten column by column. */
  columnRegions: number;
  /** Damage counts of the loaded text and of the prepared text. */
  damage: { before: TextDamageReport; after: TextDamageReport };
}

/** Normalises a loaded document's text and cleans its page layout (see the module comment). */
export function prepareDocumentText(raw: string, lexicon?: Lexicon): PreparedText {
  const normalized = normalizeText(raw, lexicon);
  const layout = cleanLayout(normalized.text);
  // The damage counts are computed when read (ingest reads only the text).
  let damage: PreparedText['damage'] | undefined;
  return {
    text: layout.text,
    changes: normalized.changes,
    removedLines: layout.removedLines,
    columnRegions: layout.columnRegions,
    get damage() {
      damage ??= { before: damageReport(raw, lexicon), after: damageReport(layout.text, lexicon) };
      return damage;
    },
  };
}
