/**
 * Document metadata read from the text (STUB by the lead; the chunking/metadata helper replaces it).
 */
import { canonicalCommitteeId } from './committees.ts';
import type { DocumentMeta } from './types.ts';

export interface MetadataInput {
  /** Path relative to the corpus folder. */
  source: string;
  /** Repaired document text. */
  text: string;
  contentHash: string;
  /** Values from a sidecar `NAME.meta.json`; they win over what is read from the text. */
  override?: Partial<DocumentMeta>;
}

/** Deterministic document id from its source path: file name without extension; nested paths slugged. */
export function documentIdFor(source: string): string {
  return source.replace(/\.[^./\\]+$/, '').replace(/[\\/]+/g, '__').replace(/[^A-Za-z0-9_.-]+/g, '-');
}

export function extractMetadata(input: MetadataInput): DocumentMeta {
  const committee = 'Okänd nämnd';
  return {
    id: documentIdFor(input.source),
    source: input.source,
    title: input.text.split('\n').map((line) => line.trim()).find((line) => line.length > 0) ?? input.source,
    committee,
    committeeId: canonicalCommitteeId(committee),
    type: 'annat',
    status: 'förslag',
    contentHash: input.contentHash,
    ...input.override,
  };
}
