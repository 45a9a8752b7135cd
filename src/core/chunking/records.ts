/**
 * Uppdrag as records: recognising an assignment sentence wherever it stands, and where it comes from.
 * Pure and synchronous; the only domain names used come from the profile.
 */
import type { DomainProfile } from '../profile.ts';
import type { AssignmentOrigin } from '../types.ts';
import { foldCase } from './folding.ts';

/**
 * Swedish assignment phrasing (folded): "X får/fick/fått/ges/ger … i uppdrag (att) …", "att ge X i uppdrag att …",
 * "X uppdras att …". OCR-damaged forms of "får" ("fir", "féar", "fa r") count when directly before "i uppdrag att".
 * A standing remit ("nämnden har i uppdrag att verka för …") is not an assignment.
 */
const ASSIGNMENT = /\b(far|fick|fatt|ges|gavs|getts|givits|ger|ge|gav|gett)\b[^.!?]{0,200}\bi\s+uppdrag\b|\b(f[a-z]{1,3}|fa r)\s+i\s+uppdrag\s+att\b|\buppdras\s+(att|at)\b/;

/** True when the text (a sentence, an item, a row) states an assignment ("… får i uppdrag att …"). */
export function isAssignmentText(text: string): boolean {
  const folded = foldCase(text.replace(/\s+/g, ' '));
  // Every phrasing of `ASSIGNMENT` holds "uppdrag" or "uppdras".
  return folded.includes('uppdra') && ASSIGNMENT.test(folded);
}

/** Where in the folded text the assignment phrase starts (the giver/receiver stand before it), or -1. */
function assignmentIndex(folded: string): number {
  const match = /\bi\s+uppdrag\b|\buppdras\b/.exec(folded);
  return match?.index ?? -1;
}

/**
 * The receiver of an assignment is an administration (förvaltning, förvaltningsdirektör): the nämnd gave it to its
 * own office. Grammar of Swedish municipal documents, not a name list.
 */
const ADMINISTRATION = /\b\p{L}*(forvaltning|direktor)\p{L}*\b/u;

/**
 * Names of the body behind the city budget (kommunfullmäktige, KF), taken from the profile: the committees whose
 * name or short name occurs in one of the `fromBudget` labels ("Uppdrag från kommunfullmäktige").
 */
export function budgetBodies(profile: Pick<DomainProfile, 'committees' | 'labels'>): string[] {
  const labels = profile.labels.fromBudget.map((label) => ` ${foldCase(label).replace(/[^a-z0-9]+/g, ' ')} `);
  const bodies: string[] = [];
  for (const committee of profile.committees) {
    const names = [committee.name, ...committee.shortNames];
    const folded = names.map((name) => foldCase(name).replace(/[^a-z0-9]+/g, ' ').trim()).filter((name) => name.length >= 2);
    if (folded.some((name) => labels.some((label) => label.includes(` ${name}`)))) bodies.push(...folded);
  }
  return [...new Set(bodies)];
}

function mentions(folded: string, names: string[]): boolean {
  const words = ` ${folded.replace(/[^a-z0-9]+/g, ' ')} `;
  // "kommunfullmaktiges" (genitive) counts as "kommunfullmaktige".
  return names.some((name) => words.includes(` ${name} `) || words.includes(` ${name}s `));
}

/**
 * Origin of an uppdrag read from its own words: `budget` when the budget body (KF) gives it ("Kommunfullmäktige
 * ger … i uppdrag", or another cell of its table row names KF: "KF budget 2025"); `nämnd` when the receiver is the
 * nämnd's own administration ("Förvaltningsdirektören får i uppdrag", "att ge förvaltningen i uppdrag");
 * otherwise undefined. `others` are other cells of the same table row.
 */
export function assignmentOrigin(text: string, bodies: string[], others: string[] = []): AssignmentOrigin | undefined {
  const folded = foldCase(text.replace(/\s+/g, ' '));
  const index = assignmentIndex(folded);
  const before = index >= 0 ? folded.slice(0, index) : folded;
  if (mentions(before, bodies) || others.some((cell) => mentions(foldCase(cell), bodies))) return 'budget';
  if (ADMINISTRATION.test(before.split(/[.!?]\s/).pop() ?? before)) return 'nämnd';
  return undefined;
}
