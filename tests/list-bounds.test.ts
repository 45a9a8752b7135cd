/**
 * List answers at scale: the uppdrag records come from the store selected by kind and scope (never every chunk), and
 * a long list is bounded — the best `maxListItems` shown, the total stated. Fictional nämnd and documents (not the
 * sample's), real assistant over the in-memory store and builtin embedder.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../src/adapters/memory-store.ts';
import { createAssistant } from '../src/core/assistant.ts';
import { createHashedEmbedder } from '../src/core/embedding/hashed-embedder.ts';
import type { AnswerEvent, Chunk, ChunkStore, DocumentMeta, StoreFilter } from '../src/core/types.ts';

const embedder = createHashedEmbedder({ dimensions: 64 });

const vatten: DocumentMeta = {
  id: 'doc-vatten',
  source: 'vatten-2028.txt',
  title: 'Verksamhetsplan 2028 Skärgårdsnämnden',
  committee: 'Skärgårdsnämnden',
  committeeId: 'skargardsnamnden',
  type: 'verksamhetsplan',
  status: 'beslutad',
  year: 2028,
  contentHash: 'e'.repeat(64),
};

const districts = ['Backa', 'Bergsjön', 'Biskopsgården', 'Frölunda', 'Gårdsten', 'Hammarkullen', 'Kortedala', 'Lövgärdet', 'Majorna', 'Tynnered', 'Angered', 'Askim', 'Torslanda', 'Styrsö', 'Älvsborg'];

/** `count` uppdrag about dagvatten, one per area, and a few text passages. */
async function storeWith(count: number) {
  const store = createMemoryStore();
  const texts = Array.from({ length: count }, (_, index) => `Förvaltningen får i uppdrag att bygga ut dagvattenhanteringen i ${districts[index % districts.length]} etapp ${Math.floor(index / districts.length) + 1}.`);
  const chunks: Chunk[] = [...texts, 'Nämnden ansvarar för dricksvatten och avlopp i hela staden.'].map((text, position) => ({
    id: `doc-vatten-${position}`,
    documentId: vatten.id,
    position,
    section: position < count ? ['Uppdrag', 'Från nämnden'] : ['Inledning'],
    kind: position < count ? 'uppdrag' : 'text',
    text,
    originalText: text,
    start: position * 120,
    end: position * 120 + text.length,
    context: `${vatten.title} · ${vatten.committee}`,
  }));
  await store.setInfo({ embedder: embedder.modelId, dimensions: embedder.dimensions });
  await store.replaceDocument(vatten, chunks, await embedder.embed(chunks.map((chunk) => `${chunk.context}\n${chunk.text}`), { inputType: 'document' }));
  await store.refreshIndexes();
  return store;
}

/** The store with the filters of its `allChunks` calls recorded. */
function recorded(store: ChunkStore): { store: ChunkStore; filters: Array<StoreFilter | undefined> } {
  const filters: Array<StoreFilter | undefined> = [];
  const wrapped = Object.create(store) as ChunkStore;
  wrapped.allChunks = (filter) => {
    filters.push(filter);
    return store.allChunks(filter);
  };
  return { store: wrapped, filters };
}

async function answer(store: ChunkStore, question: string, maxListItems?: number) {
  const assistant = createAssistant({ store, embedder, ...(maxListItems ? { policy: { maxListItems } } : {}) });
  let done: Extract<AnswerEvent, { type: 'done' }> | undefined;
  for await (const event of assistant.chat({ messages: [{ role: 'user', content: question }] })) if (event.type === 'done') done = event;
  if (!done) throw new Error('no done event');
  return done;
}

const question = 'Vilka uppdrag har skärgårdsnämnden om dagvatten?';

describe('list answers', () => {
  it('reads the uppdrag records with a kind filter, not every chunk', async () => {
    const { store, filters } = recorded(await storeWith(12));
    const done = await answer(store, question);
    expect(done.answer).toMatch(/^Skärgårdsnämnden har 12 uppdrag om dagvatten:/);
    expect(done.citations).toHaveLength(12);
    // The corpus statistics read everything once per index version; the list reads only uppdrag of the scope.
    const listReads = filters.filter((filter) => filter?.kinds);
    expect(listReads).toEqual([expect.objectContaining({ kinds: ['uppdrag'], committeeIds: ['skargardsnamnden'] })]);
    expect(done.answer).not.toMatch(/visas inte/);
  });

  it('reads the records of the documents whose uppdrag match the topic only (the token index picks them)', async () => {
    const base = await storeWith(6);
    const fjall: DocumentMeta = { ...vatten, id: 'doc-fjall', source: 'fjall.txt', title: 'Verksamhetsplan 2028 Fjällnämnden', committee: 'Fjällnämnden', committeeId: 'fjallnamnden', contentHash: '1'.repeat(64) };
    const other: Chunk[] = ['Förvaltningen får i uppdrag att preparera fler skidspår.', 'Förvaltningen får i uppdrag att rusta upp vindskydden.'].map((text, position) => ({
      id: `doc-fjall-${position}`, documentId: fjall.id, position, section: ['Uppdrag'], kind: 'uppdrag', text, originalText: text, start: position * 80, end: position * 80 + text.length, context: fjall.title,
    }));
    await base.replaceDocument(fjall, other, await embedder.embed(other.map((chunk) => chunk.text), { inputType: 'document' }));
    const { store, filters } = recorded(base);
    const done = await answer(store, 'Vilka uppdrag finns om dagvatten?');
    expect(done.answer).toMatch(/innehåller 6 uppdrag om dagvatten:/);
    const listReads = filters.filter((filter) => filter?.kinds);
    expect(listReads).toEqual([expect.objectContaining({ kinds: ['uppdrag'], documentIds: ['doc-vatten'] })]);
    // A topic no uppdrag has reads no records at all.
    filters.length = 0;
    await answer(store, 'Vilka uppdrag finns om snöskotrar?');
    expect(filters.filter((filter) => filter?.kinds)).toEqual([]);
  });

  it('shows the best items of a long list and states the total', async () => {
    const store = await storeWith(45);
    const done = await answer(store, question);
    expect(done.answer).toMatch(/^Skärgårdsnämnden har 45 uppdrag om dagvatten \(de 30 som matchar bäst visas\):/);
    expect(done.citations).toHaveLength(30);
    expect(done.answer).toMatch(/Ytterligare 15 visas inte/);
    expect(done.answer.length).toBeLessThan(8000);
    const shorter = await answer(store, question, 10);
    expect(shorter.citations).toHaveLength(10);
    expect(shorter.answer).toMatch(/har 45 uppdrag om dagvatten \(de 10 som matchar bäst visas\)/);
    const english = await answer(store, 'Which assignments does skärgårdsnämnden have about dagvatten?', 10);
    expect(english.citations.length).toBeLessThanOrEqual(10);
  });

  it('answers the statistics from one read per index version, and a write is picked up', async () => {
    const base = await storeWith(12);
    const { store, filters } = recorded(base);
    const assistant = createAssistant({ store, embedder });
    const ask = async () => {
      for await (const event of assistant.chat({ messages: [{ role: 'user', content: question }] })) if (event.type === 'done') return event;
      throw new Error('no done event');
    };
    // Five questions at once on a fresh index revision share one statistics build.
    await Promise.all(Array.from({ length: 5 }, ask));
    await ask();
    expect(filters.filter((filter) => filter === undefined)).toHaveLength(1);
    const more = await storeWith(20);
    const chunks = await more.getChunks(vatten.id);
    await base.replaceDocument({ ...vatten, contentHash: 'f'.repeat(64) }, chunks, await embedder.embed(chunks.map((chunk) => `${chunk.context}\n${chunk.text}`), { inputType: 'document' }));
    const after = await ask();
    expect(after.answer).toMatch(/har 20 uppdrag om dagvatten/);
    expect(filters.filter((filter) => filter === undefined)).toHaveLength(2);
  });
});
