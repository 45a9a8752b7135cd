/**
 * What changed between two versions of a plan: its uppdrag matched across the versions by wording (Dice overlap of
 * their content-word stems), then sorted into kept, changed (same uppdrag reworded or reshaped), new and removed. A
 * removed uppdrag brings the newer version's passage that tells what happened to it ("återrapporterades … avslutat"),
 * when the newer version mentions it. Each item is cited in the version it comes from.
 */
import { isStopWord, stem, words as analyzedWords } from '../swedish/analyzer.ts';
import { foldSwedish } from '../swedish/fold.ts';
import type { Chunk, StoredDocument } from '../types.ts';
import { defaultPolicy, type AnswerPolicy } from '../policy.ts';

/** The similarities that sort uppdrag into kept, changed and removed (values and their origin: `policy.ts`). */
export type DiffThresholds = Pick<AnswerPolicy, 'diffKeptSimilarity' | 'diffChangedSimilarity' | 'diffFateSimilarity'>;

/**
 * Content-word stems of a text (the words that say what an uppdrag is about). For an uppdrag, only what follows
 * "i uppdrag att" counts: who is given it ("Socialförvaltningen X får i uppdrag att …") is the same for most items.
 */
export function contentStems(text: string): Set<string> {
  const folded = foldSwedish(text);
  const task = /\b(?:i uppdrag|uppdras|uppdrar)\b(?:\s+\S+){0,3}?\s+att\s+(.*)$/s.exec(folded);
  const words = analyzedWords(task ? task[1] : folded).map((word) => word.folded);
  return new Set(words.filter((word) => word.length >= 4 && !isStopWord(word) && !/^\d+$/.test(word)).map((word) => stem(word)));
}

/**
 * The figures of a text other than years ("2 500", "30", "4,5"), normalised ("2 500" → "2500"). Years are left out:
 * a kept uppdrag moves with the plan year ("under 2025" → "under 2026").
 */
export function figuresOf(text: string): string[] {
  const figures = text.match(/\d{1,3}(?:[ \u00a0]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?/g) ?? [];
  return figures
    .map((figure) => figure.replace(/[ \u00a0]/g, '').replace(',', '.'))
    .filter((figure) => !/^(?:199\d|20\d\d)$/.test(figure))
    .sort();
}

function sameFigures(a: string, b: string): boolean {
  return figuresOf(a).join(' ') === figuresOf(b).join(' ');
}

/** Dice coefficient of two stem sets (0..1). */
export function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const stem of a) if (b.has(stem)) shared++;
  return (2 * shared) / (a.size + b.size);
}

/** Share of `item`'s stems found in `text`'s (how much of an uppdrag a passage mentions). */
function containment(item: Set<string>, text: Set<string>): number {
  if (item.size === 0) return 0;
  let shared = 0;
  for (const stem of item) if (text.has(stem)) shared++;
  return shared / item.size;
}

/** The differences between the uppdrag of an older and a newer version. */
export interface AssignmentDiff {
  older: StoredDocument;
  newer: StoredDocument;
  kept: Array<{ older: Chunk; newer: Chunk }>;
  changed: Array<{ older: Chunk; newer: Chunk }>;
  added: Chunk[];
  removed: Array<{ older: Chunk; fate?: Chunk }>;
}

/**
 * Matches uppdrag across two versions greedily by similarity (best pairs first), then sorts them. `newerPassages` are
 * all passages of the newer version, searched for the fate of each removed uppdrag.
 */
export function diffAssignments(
  older: { document: StoredDocument; items: Chunk[] },
  newer: { document: StoredDocument; items: Chunk[]; passages: Chunk[] },
  thresholds: DiffThresholds = defaultPolicy,
): AssignmentDiff {
  const olderStems = older.items.map((item) => contentStems(item.text));
  const newerStems = newer.items.map((item) => contentStems(item.text));
  const pairs: Array<{ i: number; j: number; score: number }> = [];
  olderStems.forEach((a, i) => newerStems.forEach((b, j) => pairs.push({ i, j, score: similarity(a, b) })));
  pairs.sort((x, y) => y.score - x.score || x.i - y.i || x.j - y.j);
  const usedOlder = new Set<number>();
  const usedNewer = new Set<number>();
  const diff: AssignmentDiff = { older: older.document, newer: newer.document, kept: [], changed: [], added: [], removed: [] };
  for (const { i, j, score } of pairs) {
    if (score < thresholds.diffChangedSimilarity) break;
    if (usedOlder.has(i) || usedNewer.has(j)) continue;
    usedOlder.add(i);
    usedNewer.add(j);
    // The same wording with other figures ("minst 2 500 feriejobb" → "minst 2 200") is a changed uppdrag.
    const kept = score >= thresholds.diffKeptSimilarity && sameFigures(older.items[i].text, newer.items[j].text);
    (kept ? diff.kept : diff.changed).push({ older: older.items[i], newer: newer.items[j] });
  }
  diff.added = newer.items.filter((_, j) => !usedNewer.has(j));
  const itemIds = new Set(newer.items.map((item) => item.id));
  const passages = newer.passages.filter((passage) => !itemIds.has(passage.id)).map((passage) => ({ passage, stems: contentStems(passage.text) }));
  for (const [i, item] of older.items.entries()) {
    if (usedOlder.has(i)) continue;
    let fate: { passage: Chunk; score: number } | undefined;
    for (const candidate of passages) {
      const score = containment(olderStems[i], candidate.stems);
      if (score >= thresholds.diffFateSimilarity && (!fate || score > fate.score)) fate = { passage: candidate.passage, score };
    }
    diff.removed.push({ older: item, ...(fate ? { fate: fate.passage } : {}) });
  }
  const byPosition = (a: Chunk, b: Chunk) => a.position - b.position;
  diff.kept.sort((a, b) => byPosition(a.newer, b.newer));
  diff.changed.sort((a, b) => byPosition(a.newer, b.newer));
  diff.added.sort(byPosition);
  diff.removed.sort((a, b) => byPosition(a.older, b.older));
  return diff;
}

/** Which parts of a diff a question asks for (see `changeAskedOf`). */
export type DiffPart = 'new' | 'kept' | 'removed' | 'changed' | 'fate';

/** The first sentence of an uppdrag (what is to be done), without a leading number. */
function itemText(chunk: Chunk): string {
  const text = chunk.text.replace(/^\s*\d{1,2}[.)]\s*/, '').trim();
  const first = /^(.{40,}?[.!?])\s+[A-ZÅÄÖ]/u.exec(text);
  return first ? first[1] : text;
}

/**
 * The answer text of a diff, in Swedish; `cite(document, chunk)` returns the marker (" [n]") of a passage. The parts
 * asked for come first; with `new` the changed ones follow (they are new in their current form), with `kept` too.
 */
export function renderDiff(diff: AssignmentDiff, asked: DiffPart, cite: (document: StoredDocument, chunk: Chunk) => string): string {
  const olderName = `${diff.older.title}${diff.older.year ? ` (${diff.older.year})` : ''}`;
  const newerName = `${diff.newer.title}${diff.newer.year ? ` (${diff.newer.year})` : ''}`;
  const lines: string[] = [];
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const section = (heading: string, entries: string[]) => {
    if (entries.length === 0) return;
    lines.push('', heading, ...entries.map((entry, index) => `${index + 1}. ${entry}`));
  };
  const entries = {
    new: () => diff.added.map((item) => `${itemText(item)}${cite(diff.newer, item)}`),
    changed: () => diff.changed.map(({ older, newer }) => `${itemText(newer)}${cite(diff.newer, newer)} (tidigare: ${itemText(older)}${cite(diff.older, older)})`),
    kept: () => diff.kept.map(({ older, newer }) => `${itemText(newer)}${cite(diff.newer, newer)} (även ${diff.older.year ?? 'tidigare'}${cite(diff.older, older)})`),
    removed: () =>
      diff.removed.map(
        ({ older, fate }) =>
          `${itemText(older)}${cite(diff.older, older)}${fate ? ` — ${diff.newer.year ?? 'senare'}: ${fate.text.length > 400 ? `${fate.text.slice(0, 400)} …` : fate.text}${cite(diff.newer, fate)}` : ''}`,
      ),
  };
  const headings = {
    new: 'Nya uppdrag:',
    changed: 'Ändrade uppdrag (samma uppdrag i ny form):',
    kept: 'Uppdrag som fanns redan:',
    removed: 'Uppdrag som inte finns kvar:',
  };
  lines.push(
    `Jämfört med ${olderName} har ${newerName} ${count(diff.added.length, 'nytt uppdrag', 'nya uppdrag')}, ${count(diff.changed.length, 'ändrat', 'ändrade')}, ${count(diff.kept.length, 'som finns kvar', 'som finns kvar')} och ${count(diff.removed.length, 'som inte finns kvar', 'som inte finns kvar')}.`,
  );
  const order: Record<DiffPart, Array<'new' | 'changed' | 'kept' | 'removed'>> = {
    new: ['new', 'changed'],
    kept: ['kept', 'changed'],
    removed: ['removed'],
    changed: ['changed', 'new', 'removed'],
    fate: ['removed', 'changed', 'kept', 'new'],
  };
  for (const part of order[asked]) section(headings[part], entries[part]());
  return lines.join('\n');
}
