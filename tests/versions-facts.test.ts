/**
 * Years and versions, document facts, change between versions and table rows, on fictional documents of our own
 * (Idrotts- och föreningsnämnden's plans for 2025 and 2026), through the real assistant over a temporary LanceDB
 * index; plus the pure pieces (version selection, question dimensions, the diff, row answers).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { questionParts, rowAnswer } from '../src/core/answer/extractive.ts';
import { measuredNoun, statesAmount } from '../src/core/answer/evidence.ts';
import { contentStems, diffAssignments, similarity } from '../src/core/answer/version-diff.ts';
import { asksAboutPlanContent, changeAskedOf, documentFactsAskedOf, yearsIn } from '../src/core/query/dimensions.ts';
import { planKindOf, selectVersions } from '../src/core/retrieval/versions.ts';
import type { Chunk, DocumentMeta, StoredDocument } from '../src/core/types.ts';
import { converse, type Done } from './helpers/converse.ts';
import { createAssistant } from '../src/core/assistant.ts';
import { createNodeAssistant, type NodeAssistant } from '../src/node-assistant.ts';


function documentOf(id: string, extra: Partial<DocumentMeta>): StoredDocument {
  return { id, source: `${id}.txt`, title: id, committee: 'Fritidsnämnden Norr', committeeId: 'fritidsnamnden-norr', type: 'genomförandeplan', status: 'beslutad', contentHash: id, chunks: 1, ...extra };
}

describe('version selection', () => {
  const adopted2025 = documentOf('plan-2025', { year: 2025 });
  const adopted2026 = documentOf('plan-2026', { year: 2026 });
  const motion2026 = documentOf('yrkande-2026', { year: 2026, type: 'yrkande', status: 'yrkande', title: 'Yrkande angående genomförandeplan 2026' });
  const protocol = documentOf('protokoll', { year: 2024, type: 'protokoll' });
  const all = [adopted2025, adopted2026, motion2026, protocol];
  const ids = (documents: StoredDocument[]) => documents.map((document) => document.id).sort();

  it('answers from the newest adopted version by default; documents outside a series always stay', () => {
    expect(planKindOf(motion2026)).toBe('genomförandeplan');
    const selection = selectVersions(all, { years: [] });
    expect(ids(selection.documents)).toEqual(['plan-2026', 'protokoll']);
    expect(ids(selection.superseded)).toEqual(['plan-2025', 'yrkande-2026']);
  });

  it('a year picks that year; proposals come in when asked for; a year no document has is reported', () => {
    expect(ids(selectVersions(all, { years: [2025] }).documents)).toEqual(['plan-2025', 'protokoll']);
    expect(ids(selectVersions(all, { years: [], proposals: true }).documents)).toEqual(['plan-2026', 'protokoll', 'yrkande-2026']);
    expect(selectVersions(all, { years: [2027] }).missingYears).toEqual([2027]);
  });

  it('a change question keeps every version from the oldest year asked on', () => {
    expect(ids(selectVersions(all, { years: [2026, 2025], change: true }).documents)).toEqual(['plan-2025', 'plan-2026', 'protokoll', 'yrkande-2026']);
  });

  it("a figure's year keeps a plan that has no version of that year; a plan year does not", () => {
    const plan2026 = documentOf('plan-2026', { year: 2026 });
    const other2025 = documentOf('annan-2025', { year: 2025, committeeId: 'kultur', type: 'verksamhetsplan' });
    // "Hur stor andel … 2025?": the 2026 plan reports 2025's outcome; "Vilka uppdrag … 2025?" asks for a 2025 plan.
    expect(ids(selectVersions([plan2026, other2025], { years: [2025], dataYears: true }).documents)).toEqual(['annan-2025', 'plan-2026']);
    expect(ids(selectVersions([plan2026, other2025], { years: [2025] }).documents)).toEqual(['annan-2025']);
    expect(asksAboutPlanContent('Hur många uppdrag har nämnden 2025?')).toBe(true);
    expect(asksAboutPlanContent('Hur stor andel av eleverna hade hög frånvaro 2025?')).toBe(false);
  });

  it('without an adopted version the newest year of proposals answers', () => {
    const motions = [documentOf('a', { year: 2024, status: 'yrkande' }), documentOf('b', { year: 2025, status: 'yrkande' }), documentOf('c', { year: 2025, status: 'förslag' })];
    expect(ids(selectVersions(motions, { years: [] }).documents)).toEqual(['b', 'c']);
  });
});

describe('question dimensions', () => {
  it('reads years, change and document facts from Swedish and English wording', () => {
    expect(yearsIn('Vilka nya uppdrag finns 2026 jämfört med 2025, dnr KS-2024-00012?')).toEqual([2026, 2025]);
    expect(changeAskedOf('Vilka nya uppdrag finns 2026 jämfört med 2025?', [2026, 2025])).toBe('new');
    expect(changeAskedOf('Vilka av dem fanns redan i planen för 2025?', [2025])).toBe('kept');
    expect(changeAskedOf('Vad hände med uppdraget om konstgräs?', [])).toBe('fate');
    expect(changeAskedOf('Vilka nya fritidsgårdar ska öppnas?', [])).toBeUndefined();
    expect(documentFactsAskedOf('Vilka partier står bakom yrkandet, och är planen beslutad?')).toEqual(['parties', 'status']);
    expect(documentFactsAskedOf('Vilket diarienummer har ärendet?')).toEqual(['diarienummer']);
    // A date of an uppdrag is not a fact about the document.
    expect(documentFactsAskedOf('Vilket datum ska uppdraget redovisas?')).toEqual([]);
    expect(documentFactsAskedOf('Which documents are there for the sports committee?')).toContain('documents');
  });

  it('splits two-part questions and finds the noun an amount question measures', () => {
    expect(questionParts('Hur röstade nämnden, och vilka reserverade sig?')).toEqual(['Hur röstade nämnden', 'vilka reserverade sig?']);
    expect(measuredNoun('Hur stort kommunbidrag får nämnden?')).toBe('kommunbidrag');
    expect(measuredNoun('och hur stor är ökningen jämfört med 2024?')).toBe('okningen');
    expect(statesAmount('kommunbidrag', 'Nämnden får ett kommunbidrag om 412 300 tkr.')).toBe(true);
    expect(statesAmount('kommunbidrag', 'Kommunbidraget räknas upp för 2025.')).toBe(false);
  });
});

describe('table rows as data', () => {
  const fields = { Indikator: 'Andel barn i föreningsliv (%)', 'Utfall 2023': '71', 'Utfall 2024': '74', 'Målvärde 2025': '78' };
  it('answers with the cells the question names, else every cell', () => {
    expect(rowAnswer(fields, 'Vilket målvärde gäller för 2025?')).toBe('Andel barn i föreningsliv (%): Målvärde 2025 78');
    expect(rowAnswer(fields, 'Hur hög var andelen 2024, och vilket målvärde gäller 2025?')).toBe('Andel barn i föreningsliv (%): Utfall 2024 74; Målvärde 2025 78');
    expect(rowAnswer(fields, 'Hur ser andelen barn i föreningsliv ut?')).toBe('Andel barn i föreningsliv (%): Utfall 2023 71; Utfall 2024 74; Målvärde 2025 78');
    // "målvärdet" names the one target column without its year; "utfallet" needs a year (there are two).
    expect(rowAnswer(fields, 'Vad var utfallet 2023, och vilket är målvärdet?')).toBe('Andel barn i föreningsliv (%): Utfall 2023 71; Målvärde 2025 78');
  });
});

describe('diff of uppdrag between versions', () => {
  const item = (id: string, text: string, position: number): Chunk => ({ id, documentId: id.split(':')[0], position, section: ['Uppdrag'], kind: 'uppdrag', text, originalText: text, start: 0, end: text.length, context: '' });
  it('matches an uppdrag by what is to be done, not by who is given it', () => {
    const a = contentStems('Fritidsförvaltningen får i uppdrag att öppna fler fritidsgårdar på helger.');
    const b = contentStems('Fritidsförvaltningen får i uppdrag att införa gratis simskola.');
    expect(similarity(a, b)).toBe(0);
  });
  it('sorts uppdrag into kept, changed, new and removed, with the passage that tells a removed one\'s fate', () => {
    const older = [
      item('old:1', 'Förvaltningen får i uppdrag att öppna fler fritidsgårdar på helger.', 1),
      item('old:2', 'Förvaltningen får i uppdrag att utreda en ny ishall i Norr.', 2),
      item('old:3', 'Förvaltningen får i uppdrag att införa gratis simskola för sexåringar.', 3),
    ];
    const newer = [
      item('new:1', 'Förvaltningen får i uppdrag att öppna fler fritidsgårdar på helger.', 1),
      item('new:2', 'Förvaltningen får i uppdrag att bygga den nya ishallen i Norr till 2027.', 2),
      item('new:3', 'Förvaltningen får i uppdrag att anlägga en pumptrack-bana.', 3),
    ];
    const fate: Chunk = { ...item('new:4', 'Uppdraget om gratis simskola för sexåringar är genomfört och avslutat.', 4), kind: 'text' };
    const diff = diffAssignments(
      { document: documentOf('old', { year: 2025 }), items: older },
      { document: documentOf('new', { year: 2026 }), items: newer, passages: [...newer, fate] },
    );
    expect(diff.kept.map((pair) => pair.newer.id)).toEqual(['new:1']);
    expect(diff.changed.map((pair) => [pair.older.id, pair.newer.id])).toEqual([['old:2', 'new:2']]);
    expect(diff.added.map((chunk) => chunk.id)).toEqual(['new:3']);
    expect(diff.removed.map((entry) => [entry.older.id, entry.fate?.id])).toEqual([['old:3', 'new:4']]);
  });

  it('the same wording with other figures is changed; only the plan year moving keeps it', () => {
    const older = [
      item('old:1', 'Förvaltningen får i uppdrag att erbjuda minst 1 200 platser i sommarsimskola under 2025.', 1),
      item('old:2', 'Förvaltningen får i uppdrag att hålla idrottshallarna öppna på helger under 2025.', 2),
    ];
    const newer = [
      item('new:1', 'Förvaltningen får i uppdrag att erbjuda minst 1 500 platser i sommarsimskola under 2026.', 1),
      item('new:2', 'Förvaltningen får i uppdrag att hålla idrottshallarna öppna på helger under 2026.', 2),
    ];
    const diff = diffAssignments(
      { document: documentOf('old', { year: 2025 }), items: older },
      { document: documentOf('new', { year: 2026 }), items: newer, passages: newer },
    );
    expect(diff.changed.map((pair) => pair.newer.id)).toEqual(['new:1']);
    expect(diff.kept.map((pair) => pair.newer.id)).toEqual(['new:2']);
  });
});

describe('a 2025 and a 2026 plan of the same nämnd, through the assistant', () => {
  let node: NodeAssistant;
  let indexDir: string;

  beforeAll(async () => {
    indexDir = await mkdtemp(join(tmpdir(), 'planassistenten-versions-'));
    node = await createNodeAssistant({ corpusDir: 'tests/fixtures/versions', indexDir, autoIngest: true });
  }, 120_000);

  afterAll(async () => {
    await node?.close();
    await rm(indexDir, { recursive: true, force: true });
  });

  const ask = (...turns: string[]) => converse(node.assistant, ...turns);
  const years = (done: Done) => [...new Set(done.citations.map((citation) => citation.document.year))].sort();

  it('answers from the newest adopted plan by default and names it', async () => {
    const done = await ask('Vilka uppdrag från nämnden har idrotts- och föreningsnämnden?');
    expect(done.abstained).toBe(false);
    expect(years(done)).toEqual([2026]);
    expect(done.answer).toContain('spontanidrottsplatser');
    expect(done.answer).not.toContain('konstgräsplaner');
    expect(done.answer).toMatch(/2026/);
  });

  it('"egna uppdrag … gett förvaltningen" lists the nämnd\'s own uppdrag of that year', async () => {
    const done = await ask('Vilka egna uppdrag har idrotts- och föreningsnämnden gett förvaltningen för 2026?');
    expect(done.abstained).toBe(false);
    expect(years(done)).toEqual([2026]);
    expect(done.answer).toContain('spontanidrottsplatser');
  });

  it('a year in the question picks that year\'s plan, and is not a topic word', async () => {
    const done = await ask('Vilka uppdrag från nämnden hade idrotts- och föreningsnämnden 2025?');
    expect(years(done)).toEqual([2025]);
    expect(done.answer).toContain('konstgräsplaner');
    expect(done.citations.length).toBe(3);
  });

  it('the diff gives new and changed uppdrag, each cited in its own version', async () => {
    const done = await ask('Vilka nya uppdrag har idrotts- och föreningsnämnden fått 2026 jämfört med 2025?');
    expect(done.answer).toMatch(/Nya uppdrag:\n1\. [^\n]*spontanidrottsplatser[^\n]*\[1\]/);
    expect(done.answer).toMatch(/tidigare: [^\n]*utreda hur fler simhallar/);
    const byMarker = new Map(done.citations.map((citation) => [citation.marker, citation]));
    expect(byMarker.get(1)?.document.year).toBe(2026);
    expect(years(done)).toEqual([2025, 2026]);
  });

  it('a follow-up about what was kept keeps the conversation\'s year', async () => {
    const done = await ask('Vilka uppdrag från nämnden har idrotts- och föreningsnämnden 2026?', 'Vilka av dem fanns redan i planen för 2025?');
    expect(done.answer).toMatch(/Uppdrag som fanns redan:\n1\. [^\n]*lovverksamhet/);
  });

  it('"vad är nytt" with one year compares that version with the one before it', async () => {
    const done = await ask('Vad är nytt i idrotts- och föreningsnämndens plan 2026?');
    expect(done.answer).toMatch(/Nya uppdrag:\n1\. [^\n]*spontanidrottsplatser/);
    expect(years(done)).toEqual([2025, 2026]);
  });

  it('a follow-up that only names another year keeps the topic and nämnd, and swaps the year', async () => {
    const done = await ask('Vilka uppdrag från nämnden har idrotts- och föreningsnämnden 2026?', 'Och 2025?');
    expect(years(done)).toEqual([2025]);
    expect(done.answer).toContain('konstgräsplaner');
  });

  it('a turn that names no nämnd is answered from the nämnd the conversation is about when its documents cover it', async () => {
    const done = await ask('Vad gör kulturnämnden för barn och unga 2026?', 'Finns det lovverksamhet för barn i årskurs 4–6?');
    expect(done.abstained).toBe(false);
    expect(done.citations.length).toBeGreaterThan(0);
    expect(done.citations.every((citation) => citation.document.committee === 'Kulturnämnden')).toBe(true);
    // Without the conversation the same question is answered from every nämnd that covers it.
    const alone = await ask('Finns det lovverksamhet för barn i årskurs 4–6?');
    expect(alone.citations.some((citation) => citation.document.committee !== 'Kulturnämnden')).toBe(true);
  });

  it('"vad hände med X" answers from the newer version first', async () => {
    const done = await ask('Vad hände med uppdraget om konstgräsplaner?');
    expect(done.citations[0].document.year).toBe(2026);
    expect(done.answer).toContain('2025-09-16');
  });

  it('document facts come from metadata, cited to the passage that states them', async () => {
    const done = await ask('Vilket diarienummer har genomförandeplanen för idrotts- och föreningsnämnden, och är den beslutad?');
    expect(done.answer).toContain('IFN-2025-00420');
    expect(done.answer).toMatch(/beslutad[^.]*2025-12-09[^.]*§ 151/);
    expect(done.citations.every((citation) => citation.text.includes('IFN-2025-00420'))).toBe(true);
  });

  it('a nämnd the documents do not cover is named as such, not answered from another nämnd', async () => {
    const done = await ask('Vilka uppdrag har fastighetsnämnden om simhallar?');
    expect(done.abstained).toBe(true);
    expect(done.citations).toEqual([]);
    expect(done.answer).toMatch(/inga dokument från Fastighetsnämnden; det finns dokument från Idrotts- och föreningsnämnden/);
  });

  it('a comparison answers each nämnd side by side from its own documents', async () => {
    const done = await ask('Vad skiljer idrotts- och föreningsnämndens och kulturnämndens planer om lovverksamhet för barn i årskurs 4–6?');
    expect(done.abstained).toBe(false);
    expect(done.answer).toMatch(/^Idrotts- och föreningsnämnden:\n/m);
    expect(done.answer).toMatch(/^Kulturnämnden:\n/m);
    const [idrott, kultur] = done.answer.split(/^Kulturnämnden:\n/m);
    const committeeOf = (part: string) => [...part.matchAll(/\[(\d+)\]/g)].map((match) => done.citations.find((citation) => citation.marker === Number(match[1]))?.document.committee);
    expect(new Set(committeeOf(idrott))).toEqual(new Set(['Idrotts- och föreningsnämnden']));
    expect(new Set(committeeOf(kultur))).toEqual(new Set(['Kulturnämnden']));
  });

  it('a two-part question whose first part names no nämnd answers that part from every nämnd, the second from its own', async () => {
    const done = await ask('Vilka nämnder erbjuder lovverksamhet för barn i årskurs 4–6, och vad gör kulturnämnden under sommarlovet?');
    const [first, second] = done.answer.split(/^Kulturnämnden:\n/m);
    expect(first).toMatch(/^Vilka nämnder erbjuder lovverksamhet för barn i årskurs 4–6:\n/);
    expect(second).toBeDefined();
    const committeesOf = (part: string) =>
      new Set([...part.matchAll(/\[(\d+)\]/g)].map((match) => done.citations.find((citation) => citation.marker === Number(match[1]))?.document.committee));
    expect(committeesOf(first).has('Idrotts- och föreningsnämnden')).toBe(true);
    expect(committeesOf(second)).toEqual(new Set(['Kulturnämnden']));
  });

  it('the LLM rewriter\'s committee is used when the rules find none', async () => {
    const rewriter = {
      rewrite: async () => ({ query: 'lovverksamhet för barn i årskurs 4–6', language: 'en' as const, committee: 'Idrotts- och föreningsnämnden' }),
    };
    const withRewriter = createAssistant({ store: node.store, embedder: node.embedder, queryRewriter: rewriter });
    const done = await converse(withRewriter, 'What holiday activities are there for children in grades 4 to 6?');
    expect(done.query.committee).toBe('Idrotts- och föreningsnämnden');
    expect(done.citations.length).toBeGreaterThan(0);
    expect(new Set(done.citations.map((citation) => citation.document.committee))).toEqual(new Set(['Idrotts- och föreningsnämnden']));
  });

  it('a plan year no document has is not answered from another year', async () => {
    const done = await ask('Vilka uppdrag från nämnden har idrotts- och föreningsnämnden i genomförandeplanen 2027?');
    expect(done.abstained).toBe(true);
  });
});
