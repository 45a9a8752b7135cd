/**
 * Questions about decisions in protocols and requests between nämnder, on fictional documents of our own
 * (tests/fixtures/decisions: a grundskolenämnd protocol with a vote, an utbildningsnämnd budget requesting its own
 * capital and the kommunstyrelse decision granting part of it), through the real assistant over a temporary LanceDB
 * index.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { termGroupsOf } from '../src/core/answer/evidence.ts';
import { createNodeAssistant, type NodeAssistant } from '../src/node-assistant.ts';
import { converse } from './helpers/converse.ts';

describe('the word after "hur"', () => {
  const terms = (question: string) => termGroupsOf(question).map((group) => group.term);

  it('a finite or passive verb is what is asked about', () => {
    expect(terms('Hur röstade nämnden om skolskjutsen?')).toContain('rostade');
    expect(terms('Hur fördelas bidraget mellan föreningarna?')).toContain('fordelas');
    expect(terms('Hur arbetar förvaltningen med barnkonventionen?')).toContain('arbetar');
  });

  it('words naming a document or meeting say where to look, not what about', () => {
    expect(terms('Vad står det i presentationen om lekplatser?')).toEqual(['lekplatser']);
    expect(terms('Vilka uppdrag finns i förslaget till budget om simhallar?')).toEqual(['simhallar']);
    expect(terms('Vad står i protokollet från sammanträdet om skolskjuts?')).toEqual(['skolskjuts']);
  });

  it('a degree word names the kind of answer, not the topic', () => {
    expect(terms('Hur stor andel av eleverna får skolskjuts?')).not.toContain('stor');
    expect(terms('Hur länge gäller avtalet?')).not.toContain('lange');
    expect(terms('Hur många platser finns det?')).not.toContain('manga');
  });
});

describe('answers about decisions (own fixtures)', () => {
  let indexDir: string;
  let node: NodeAssistant;

  beforeAll(async () => {
    indexDir = await mkdtemp(join(tmpdir(), 'planassistenten-decisions-'));
    node = await createNodeAssistant({ corpusDir: join(import.meta.dirname, 'fixtures/decisions'), indexDir, autoIngest: true });
  }, 120_000);

  afterAll(async () => {
    await node?.close();
    await rm(indexDir, { recursive: true, force: true });
  });

  it('"hur röstade …, och vilka reserverade sig?" answers with the vote and the reservation, each cited', async () => {
    const done = await converse(node.assistant, 'Hur röstade grundskolenämnden om skolskjutsen, och vilka reserverade sig?');
    expect(done.abstained).toBe(false);
    expect(done.answer).toContain('6 ja-röster mot 5 nejröster');
    expect(done.answer).toMatch(/M, L, KD och C reserverar sig/);
    const cited = done.citations.map((citation) => citation.text).join('\n');
    expect(cited).toContain('Omröstningen utfaller');
    expect(cited).toContain('reserverar sig');
  });

  it('what a nämnd asked for is cited from its own request, what was granted from the decision', async () => {
    const done = await converse(
      node.assistant,
      'Hur mycket av det egna kapitalet ville utbildningsnämnden använda 2026 för laboratorierna, och hur mycket medgav kommunstyrelsen?',
    );
    expect(done.abstained).toBe(false);
    expect(done.answer).toContain('2 400 tkr');
    expect(done.answer).toContain('1 800 tkr');
    const cited = done.citations.map((citation) => citation.text);
    // The nämnd's own request ("hemställer"/"hemställt"), not only the förvaltning's summary of it.
    expect(cited.some((text) => /hemställ(er|t) .*2 400 tkr/.test(text))).toBe(true);
    expect(cited.some((text) => text.includes('medges') && text.includes('1 800 tkr'))).toBe(true);
  });

  it('"vilka uppdrag fick <förvaltning/kontor> … på sammanträdet" lists the protocol\'s uppdrag, numbered once', async () => {
    const done = await converse(node.assistant, 'Vilka uppdrag fick grundskoleförvaltningen av grundskolenämnden på sammanträdet i februari 2026?');
    expect(done.abstained).toBe(false);
    expect(done.answer).toContain('följa upp kostnaderna för skolskjutsen');
    expect(done.answer).not.toMatch(/^\d+\. \d+\./m);
  });
});
