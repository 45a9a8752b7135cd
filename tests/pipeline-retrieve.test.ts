/**
 * Stage 2 — retrieve: the documents in scope (committee, document type, versions), the hybrid search within them, the
 * origin of an uppdrag read from the profile's labels, and the list items of a list question. On our own plans
 * (tests/fixtures/versions) and a fictional profile (Exempelstad).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Corpus, PipelineContext } from '../src/core/pipeline/context.ts';
import { listItemsFor, originOf, retrieveCandidates, scopeFor, selectListItems } from '../src/core/pipeline/retrieve.ts';
import { topicOf, understand } from '../src/core/pipeline/understand.ts';
import { defaultPolicy } from '../src/core/policy.ts';
import { parseProfile } from '../src/core/profile.ts';
import type { Chunk, ScoredChunk, SearchFilter, StoredDocument } from '../src/core/types.ts';
import { versionsPipeline } from './helpers/pipeline-context.ts';

let context: PipelineContext;
let corpus: Corpus;
beforeAll(async () => {
  ({ context, corpus } = await versionsPipeline());
}, 60_000);

const scopeOf = (text: string, filter?: SearchFilter) => {
  const question = understand([{ role: 'user', content: text }], corpus, { filter });
  return { question, scope: scopeFor(question.dimensions, question.storeFilter, corpus.documents) };
};
const ids = (documents: StoredDocument[]) => documents.map((document) => document.id).sort();

describe('retrieve: scope', () => {
  it("a committee's newest adopted plan by default; a named year picks that year's plan", () => {
    expect(ids(scopeOf('Vilka uppdrag har idrotts- och föreningsnämnden om simhallar?').scope.documents)).toEqual(['idrott-genomforandeplan-2026']);
    const { scope } = scopeOf('Vilka uppdrag hade idrotts- och föreningsnämnden 2025 om simhallar?');
    expect(ids(scope.documents)).toEqual(['idrott-genomforandeplan-2025']);
    expect(scope.yearsUsed).toEqual([2025]);
    expect(scope.storeFilter).toMatchObject({ committeeIds: ['idrotts-och-foreningsnamnden'], documentIds: ['idrott-genomforandeplan-2025'] });
  });

  it('a change question keeps both versions', () => {
    const { scope } = scopeOf('Vad är nytt i idrotts- och föreningsnämndens plan 2026 jämfört med 2025?');
    expect(scope.change).toBe('new');
    expect(ids(scope.documents)).toEqual(['idrott-genomforandeplan-2025', 'idrott-genomforandeplan-2026']);
  });

  it("a question's year no document has stays a topic word; the filter's leaves nothing", () => {
    const asked = scopeOf('Vilka uppdrag har kulturnämnden 2027?').scope;
    expect(asked.yearsUsed).toEqual([]);
    expect(ids(asked.documents)).toEqual(['kultur-verksamhetsplan-2026']);
    const filtered = scopeOf('Vilka uppdrag har kulturnämnden?', { year: 2027 }).scope;
    expect(filtered.documents).toEqual([]);
    expect(filtered.storeFilter.documentIds).toEqual([]);
  });

  it('without a committee every series gives its newest adopted version; a named type narrows', () => {
    expect(ids(scopeOf('Vad planeras för barn i årskurs 4–6?').scope.documents)).toEqual(['idrott-genomforandeplan-2026', 'kultur-verksamhetsplan-2026']);
    expect(ids(scopeOf('Vad står i verksamhetsplanen om barn?').scope.documents)).toEqual(['kultur-verksamhetsplan-2026']);
  });

  it('searches only the documents in scope', async () => {
    const { question, scope } = scopeOf('Vilka uppdrag hade idrotts- och föreningsnämnden 2025 om simhallar?');
    const found = await retrieveCandidates(context, question.plan.searchText, scope.storeFilter, { k: 5 });
    expect(found.length).toBeGreaterThan(0);
    expect(new Set(found.map((passage) => passage.document.id))).toEqual(new Set(['idrott-genomforandeplan-2025']));
    // At least the policy's candidates are fetched, whatever k asks for.
    const wide = await retrieveCandidates({ ...context, policy: { ...context.policy, candidates: 2 } }, 'simhallar', {}, { k: 1 });
    expect(wide.length).toBe(2);
  });
});

describe('retrieve: list items and their origin', () => {
  const chunk = (id: string, section: string[], extra: Partial<Chunk> = {}): Chunk =>
    ({ id, documentId: 'd', position: Number(id.replace(/\D/g, '')) || 0, text: id, section, kind: 'uppdrag', ...extra }) as Chunk;

  it("an uppdrag's origin: the chunker's, else a heading starting with one of the profile's labels", () => {
    const exempelstad = parseProfile(JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/metadata/profile.exempelstad.json'), 'utf8')));
    expect(originOf(chunk('a', ['Uppdrag', 'Från fullmäktiges budget']), exempelstad)).toBe('budget');
    expect(originOf(chunk('b', ['Uppdrag', 'Från nämnden:']), exempelstad)).toBe('nämnd');
    expect(originOf(chunk('c', ['Uppdrag']), exempelstad)).toBeUndefined();
    expect(originOf(chunk('d', ['Uppdrag', 'Från fullmäktiges budget'], { origin: 'nämnd' }), exempelstad)).toBe('nämnd');
  });

  it('items covering the topic; else those near the best; a section listed whole when most of it matches', () => {
    const item = (id: string, score: number, section = 's'): ScoredChunk => ({ chunk: chunk(id, [section]), document: {} as StoredDocument, score });
    const cut = (items: ScoredChunk[]) => selectListItems(items, defaultPolicy).map((passage) => passage.chunk.id);
    expect(cut([item('a1', 0.9, 'x'), item('b2', 0.55, 'y'), item('c3', 0.2, 'z')])).toEqual(['a1', 'b2']);
    // None reaches listItemCoverage: those within listItemRelative of the best, above listItemFloor.
    expect(cut([item('a1', 0.45, 'x'), item('b2', 0.4, 'y'), item('c3', 0.25, 'z')])).toEqual(['a1', 'b2']);
    // Two of three in one section match: the third comes along.
    expect(cut([item('a1', 0.9), item('b2', 0.8), item('c3', 0.1)])).toEqual(['a1', 'b2', 'c3']);
  });

  it("a list question gets every matching uppdrag of the scope's documents", async () => {
    const question = understand([{ role: 'user', content: 'Vilka uppdrag har idrotts- och föreningsnämnden om simhallar?' }], corpus);
    const scope = scopeFor(question.dimensions, question.storeFilter, corpus.documents);
    const topic = topicOf(question.plan, corpus, { profile: context.profile, yearsUsed: scope.yearsUsed });
    const items = await listItemsFor(context, question.plan, scope.storeFilter, corpus.documents, topic);
    expect(items.map((item) => item.chunk.text)).toEqual([expect.stringMatching(/fler simhallar öppna på kvällstid/)]);
    expect(items[0].document.id).toBe('idrott-genomforandeplan-2026');
  });
});
