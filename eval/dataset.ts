/**
 * Gold-set files (`eval/datasets/*.json`): schema, validation and loading.
 * A bad dataset throws a {@link DatasetError} naming the file, the item id and the field.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const passageSchema = z.strictObject({
  doc: z.string().min(1),
  text: z.string().trim().min(3, 'evidence text must have at least 3 characters'),
});

const evidenceSchema = z.union([
  passageSchema,
  z.strictObject({ anyOf: z.array(passageSchema).min(1, 'anyOf needs at least one passage') }),
]);

const itemSchema = z.strictObject({
  id: z.string().min(1),
  category: z.string().min(1),
  turns: z.array(z.string().trim().min(1, 'a turn must not be empty')).min(1, 'an item needs at least one turn'),
  answerable: z.boolean(),
  evidence: z.array(evidenceSchema),
  forbidden: z.array(passageSchema).default([]),
  facts: z.array(z.string().trim().min(1, 'a fact must not be empty')).default([]),
  note: z.string().optional(),
});

const datasetSchema = z.strictObject({
  about: z.string().optional(),
  docs: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/), z.string().min(1)),
  items: z.array(itemSchema).min(1, 'a dataset needs at least one item'),
});

/** One evidence passage: a phrase and the gold document key (`D0`…) it stands in. */
export type EvidencePassage = z.infer<typeof passageSchema>;
/** An evidence entry: one passage, or `anyOf` (satisfied by any one of its passages). */
export type EvidenceEntry = z.infer<typeof evidenceSchema>;
/** One gold item (a conversation; the last turn is asked). */
export type DatasetItem = z.infer<typeof itemSchema>;
/** A whole gold-set file. */
export type Dataset = z.infer<typeof datasetSchema>;

/** A dataset that failed validation; the message names the file, the item and the field. */
export class DatasetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetError';
  }
}

/** The passages of an entry (one for a plain entry, several for `anyOf`). */
export function passagesOf(entry: EvidenceEntry): EvidencePassage[] {
  return 'anyOf' in entry ? entry.anyOf : [entry];
}

function describePath(data: unknown, path: ReadonlyArray<PropertyKey>): string {
  if (path[0] === 'items' && typeof path[1] === 'number') {
    const items = (data as { items?: unknown[] } | null)?.items;
    const raw = Array.isArray(items) ? items[path[1]] : undefined;
    const id = raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : undefined;
    const rest = formatPath(path.slice(2));
    return `item ${id ? `"${id}"` : `#${path[1]}`} (items[${path[1]}])${rest ? ` field ${rest}` : ''}`;
  }
  return `field ${formatPath(path) || '(root)'}`;
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('');
}

/**
 * Validates parsed JSON as a dataset. `file` is only used in error messages.
 * Besides the schema: item ids are unique, every `doc` key exists in `docs`.
 */
export function parseDataset(data: unknown, file: string): Dataset {
  const result = datasetSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new DatasetError(`${file}: ${describePath(data, issue.path)}: ${issue.message}`);
  }
  const dataset = result.data;
  const seen = new Set<string>();
  dataset.items.forEach((item, index) => {
    const where = `${file}: item "${item.id}" (items[${index}])`;
    if (seen.has(item.id)) throw new DatasetError(`${where} field id: duplicate id "${item.id}"`);
    seen.add(item.id);
    const checkDoc = (doc: string, field: string): void => {
      if (!(doc in dataset.docs)) {
        throw new DatasetError(`${where} field ${field}: unknown document key "${doc}" (docs has ${Object.keys(dataset.docs).join(', ')})`);
      }
    };
    item.evidence.forEach((entry, entryIndex) => {
      if ('anyOf' in entry) entry.anyOf.forEach((passage, passageIndex) => checkDoc(passage.doc, `evidence[${entryIndex}].anyOf[${passageIndex}].doc`));
      else checkDoc(entry.doc, `evidence[${entryIndex}].doc`);
    });
    item.forbidden.forEach((passage, passageIndex) => checkDoc(passage.doc, `forbidden[${passageIndex}].doc`));
    if (item.answerable && item.evidence.length === 0 && item.facts.length === 0) {
      throw new DatasetError(`${where} field evidence: an answerable item needs evidence or facts`);
    }
  });
  return dataset;
}

/** Reads and validates a dataset file; errors name the file (and item/field). */
export async function loadDataset(file: string): Promise<Dataset> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new DatasetError(`${file}: cannot read dataset (${(error as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new DatasetError(`${file}: invalid JSON (${(error as Error).message})`);
  }
  return parseDataset(data, file);
}
