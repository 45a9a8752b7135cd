/**
 * Structure-aware chunking (STUB by the lead: blank-line paragraphs; the chunking helper replaces it).
 */
import { stableHash } from '../hash.ts';
import type { RepairResult } from '../swedish/repair.ts';
import type { Chunk, DocumentMeta } from '../types.ts';

export function chunkDocument(document: DocumentMeta, repaired: RepairResult): Chunk[] {
  const chunks: Chunk[] = [];
  const pattern = /[^\n]+(?:\n(?!\s*\n)[^\n]+)*/g;
  for (const match of repaired.text.matchAll(pattern)) {
    const text = match[0].replace(/\s+/g, ' ').trim();
    if (!text) continue;
    const start = match.index ?? 0;
    const end = start + match[0].length;
    const position = chunks.length;
    chunks.push({
      id: stableHash(`${document.id}|text|${position}`),
      documentId: document.id,
      position,
      section: [],
      kind: 'text',
      text,
      originalText: repaired.originalSlice(start, end),
      start,
      end,
      context: `${document.title} · ${document.committee}`,
    });
  }
  return chunks;
}
