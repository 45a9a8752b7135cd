/**
 * The default (extractive) answers of the real assistant over a temporary LanceDB index of the sample corpus:
 * complete uppdrag lists, committee separation (Centrum vs Nordost), follow-ups, abstention, status wording.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldSwedish } from '../src/core/swedish/fold.ts';
import type { Citation } from '../src/core/types.ts';
import { converse, type Done } from './helpers/converse.ts';
import { createNodeAssistant, type NodeAssistant } from '../src/node-assistant.ts';

const NORDOST = '001_685a6afae0d19dc8.txt';
const CENTRUM_PLAN = '004_6b9fbc6b6a484550.txt';


let node: NodeAssistant;
let indexDir: string;

beforeAll(async () => {
  indexDir = await mkdtemp(join(tmpdir(), 'planassistenten-answers-'));
  node = await createNodeAssistant({ corpusDir: 'data/corpus', indexDir, autoIngest: true });
});

afterAll(async () => {
  await node?.close();
  await rm(indexDir, { recursive: true, force: true });
});

const ask = (...turns: string[]): Promise<Done> => converse(node.assistant, ...turns);

/** Every [n] in the answer has a citation and every citation is used. */
function expectConsistentMarkers(done: Done): void {
  const used = new Set([...done.answer.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1])));
  expect([...used].sort((a, b) => a - b)).toEqual(done.citations.map((citation: Citation) => citation.marker).sort((a, b) => a - b));
}

describe('uppdrag lists', () => {
  it('lists every Centrum uppdrag about familjehem and none of Nordost', async () => {
    const done = await ask('Vilka uppdrag har socialnämnden Centrum om familjehem?');
    expect(done.abstained).toBe(false);
    expectConsistentMarkers(done);
    // Expected set computed from the index itself: Centrum's uppdrag whose uppdrag text (not the handling) says familjehem.
    const all = await node.store.allChunks({ committeeIds: ['socialnamnden-centrum'] });
    const expected = all
      .filter((chunk) => chunk.kind === 'uppdrag')
      .filter((chunk) => foldSwedish(chunk.handling ? chunk.text.slice(0, chunk.text.indexOf(chunk.handling)) : chunk.text).includes('familjehem'))
      .map((chunk) => chunk.id);
    expect(expected.length).toBeGreaterThanOrEqual(4);
    expect(done.citations.map((citation) => citation.id)).toEqual(expect.arrayContaining(expected));
    expect(done.citations.every((citation) => citation.document.committee === 'Socialnämnden Centrum')).toBe(true);
    expect(done.answer).toMatch(/^Socialnämnden Centrum har \d+ uppdrag om familjehem:/);
    // The party proposal is labelled as such, never as an adopted plan.
    expect(done.answer).toContain('förslaget till genomförandeplan 2025 från V, S och MP');
  });

  it('answers the same without å/ä/ö and in English', async () => {
    const swedish = await ask('Vilka uppdrag har socialnämnden Centrum om familjehem?');
    const folded = await ask('vilka uppdrag har socialnamnden centrum om familjehem');
    const english = await ask('What assignments does the Centrum social welfare committee have about foster homes?');
    const ids = (done: Done) => done.citations.map((citation) => citation.id).sort();
    expect(ids(folded)).toEqual(ids(swedish));
    expect(ids(english)).toEqual(ids(swedish));
  });

  it('lists a committee’s own uppdrag ("från nämnden") and its goals', async () => {
    const own = await ask('Vilka uppdrag från nämnden har nämnden för demokrati och medborgarservice?');
    expect(own.citations).toHaveLength(3);
    expect(own.citations.every((citation) => citation.section === 'Uppdrag › Från nämnden')).toBe(true);
    const goals = await ask('Vilka mål har nämnden för demokrati och medborgarservice?');
    expect(goals.citations).toHaveLength(7);
    expect(goals.answer).toContain('Segregationen i Göteborg ska brytas.');
  });
});

describe('committees and follow-ups', () => {
  it('keeps Nordost and Centrum apart although they share sentences', async () => {
    const nordost = await ask('Vad säger socialnämnd Nordost om rekrytering av familjehem?');
    expect(nordost.citations.length).toBeGreaterThan(0);
    expect(nordost.citations.every((citation) => citation.document.source === NORDOST)).toBe(true);
    expect(nordost.answer).toContain('Enligt yrkandet från V, S och MP 2024-11-18');
    const centrum = await ask('Vad ska socialnämnden Centrum göra för stödet efter en placering på HVB?');
    expect(centrum.citations.every((citation) => citation.document.committee === 'Socialnämnden Centrum')).toBe(true);
  });

  it('rewrites a follow-up and carries the topic to the new committee', async () => {
    const done = await ask('Vilka uppdrag har socialnämnd Nordost om familjehem?', 'Och vad gäller för Centrum?');
    expect(done.query.rewrittenFrom).toBe('Och vad gäller för Centrum?');
    expect(done.query.committee).toBe('Socialnämnden Centrum');
    expect(done.citations.length).toBeGreaterThan(0);
    expect(done.citations.some((citation) => citation.document.source === NORDOST)).toBe(false);
  });

  it('answers from the document type the question names', async () => {
    const done = await ask('Vad säger Centrums genomförandeplan om socialjouren?');
    expect(done.citations.length).toBeGreaterThan(0);
    expect(done.citations.every((citation) => citation.document.source === CENTRUM_PLAN)).toBe(true);
    expect(done.answer).toContain('resurser');
  });
});

describe('facts and abstention', () => {
  it('states the figure asked for', async () => {
    const done = await ask('Hur många Skolfam-team hade förvaltningen i Centrum i början av 2024?');
    expect(done.answer).toContain('två Skolfam-team');
    expectConsistentMarkers(done);
  });

  it('abstains when the documents do not say, with no citations', async () => {
    for (const question of ['Vad kostar det att parkera vid Liseberg?', 'Hur många kronor har socialnämnden Centrum i budget för 2025?', 'Vem är ordförande i socialnämnden Centrum?']) {
      const done = await ask(question);
      expect(done.abstained, question).toBe(true);
      expect(done.citations).toEqual([]);
      expect(done.answer).toMatch(/^Det finns inte i underlagen/);
    }
  });
});
