/**
 * Word accuracy of a repaired text against a hand-written reference.
 *
 * Both texts are split into whitespace-separated tokens (punctuation stays attached, case matters);
 * the tokens are aligned by a longest common subsequence, and the accuracy is the share of reference
 * tokens that the repaired text reproduces exactly: `matched / reference tokens` (1 for an empty reference).
 */

/** Result of a word-accuracy measurement. */
export interface WordAccuracy {
  accuracy: number;
  matched: number;
  referenceWords: number;
  hypothesisWords: number;
  /** Reference tokens that were not reproduced, in order (for reports). */
  missed: string[];
}

const tokens = (text: string): string[] => text.split(/\s+/).filter(Boolean);

/** Measures how many reference words `hypothesis` reproduces exactly (LCS alignment of tokens). */
export function wordAccuracy(reference: string, hypothesis: string): WordAccuracy {
  const expected = tokens(reference);
  const actual = tokens(hypothesis);
  const rows = expected.length;
  const columns = actual.length;
  const table: Uint32Array[] = Array.from({ length: rows + 1 }, () => new Uint32Array(columns + 1));
  for (let row = rows - 1; row >= 0; row--) {
    for (let column = columns - 1; column >= 0; column--) {
      table[row][column] =
        expected[row] === actual[column]
          ? table[row + 1][column + 1] + 1
          : Math.max(table[row + 1][column], table[row][column + 1]);
    }
  }
  const missed: string[] = [];
  let row = 0;
  let column = 0;
  while (row < rows && column < columns) {
    if (expected[row] === actual[column]) {
      row++;
      column++;
    } else if (table[row + 1][column] >= table[row][column + 1]) {
      missed.push(expected[row]);
      row++;
    } else {
      column++;
    }
  }
  while (row < rows) missed.push(expected[row++]);
  const matched = table[0][0];
  return { accuracy: rows === 0 ? 1 : matched / rows, matched, referenceWords: rows, hypothesisWords: columns, missed };
}
