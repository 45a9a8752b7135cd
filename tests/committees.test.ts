import { describe, expect, it } from 'vitest';
import { canonicalCommitteeId, committeeSlug, createCommitteeRegistry, recogniseCommitteeNames } from '../src/core/committees.ts';
import { parseProfile, type DomainProfile } from '../src/core/profile.ts';
import { createGazetteer } from '../src/core/query/gazetteer.ts';

/** A small fictional profile: the registry must work from data alone. */
const profile: DomainProfile = parseProfile({
  language: 'sv',
  committees: [
    { name: 'Omsorgsnämnden Väster', shortNames: ['ON Väster'], englishNames: ['Väster care committee'], district: 'Väster', source: 'test' },
    { name: 'Omsorgsnämnden Öster', district: 'Öster', source: 'test' },
    { name: 'Nämnden för bostad och trygghet', formerNames: ['Nämnden för boende och säkerhet'], source: 'test' },
    { id: 'egen-nyckel', name: 'Byggnadsnämnden', source: 'test' },
  ],
  labels: { source: 'test' },
});

describe('recogniseCommitteeNames', () => {
  const names = (text: string, districts: string[] = []) => recogniseCommitteeNames(text, districts).map((found) => found.name);

  it('finds compounds, pairs, "Nämnden för …", styrelser and genitives in nominative form', () => {
    expect(names('Kulturnämnden beslutar. Idrotts- och föreningsnämndens budget. Kommunstyrelsen har yttrat sig.')).toEqual([
      'Kulturnämnden',
      'Idrotts- och föreningsnämnden',
      'Kommunstyrelsen',
    ]);
    expect(names('Ärendet gäller Nämnden för arbetsmarknad och vuxenutbildning.')).toEqual(['Nämnden för arbetsmarknad och vuxenutbildning']);
  });

  it('keeps a capitalised district only when it is known or repeated, never a lower-case word or a column', () => {
    expect(names('Socialnämnden Sydväst beslutar.', ['Sydväst'])).toEqual(['Socialnämnden Sydväst']);
    expect(names('Socialnämnden Sydvästs protokoll.', ['Sydväst'])).toEqual(['Socialnämnden Sydväst']);
    expect(names('Fritidsnämnden Norr och sedan Fritidsnämnden Norr igen.')).toEqual(['Fritidsnämnden Norr', 'Fritidsnämnden Norr']);
    expect(names('Omsorgsnämnden har ansvar.')).toEqual(['Omsorgsnämnden']);
    expect(names('Kulturnämnden Kulturnämnden')).toEqual(['Kulturnämnden', 'Kulturnämnden']);
    expect(names('Kommunstyrelsen      Sammanträdesdatum: 2025-03-12\nKommunstyrelsen      Sammanträdesdatum: 2025-03-12')).toEqual(['Kommunstyrelsen', 'Kommunstyrelsen']);
  });

  it('ignores prose "nämnden för att …", plurals and the bare word', () => {
    expect(names('Därför ansvarar nämnden för att följa upp. Socialnämnderna samverkar. Nämnden beslutar.')).toEqual([]);
  });
});

describe('createCommitteeRegistry', () => {
  const registry = createCommitteeRegistry(profile, ['Idrotts- och föreningsnämnden']);

  it('derives ids from names unless the profile gives one', () => {
    expect(registry.resolve('Omsorgsnämnden Väster')).toBe('omsorgsnamnden-vaster');
    expect(registry.resolve('Byggnadsnämnden')).toBe('egen-nyckel');
    expect(committeeSlug('Idrotts- och föreningsnämnden')).toBe('idrotts-och-foreningsnamnden');
  });

  it.each([
    ['ON Väster', 'omsorgsnamnden-vaster'],
    ['omsorgsnamnd vaster', 'omsorgsnamnden-vaster'],
    ['omsorgsförvaltningen i Öster', 'omsorgsnamnden-oster'],
    ['Västers omsorgsnämnd', 'omsorgsnamnden-vaster'],
    ['care committee in Väster', 'omsorgsnamnden-vaster'],
    ['Nämnden för boende och säkerhet', 'namnden-for-bostad-och-trygghet'],
    ['förvaltningen för bostad och trygghet', 'namnden-for-bostad-och-trygghet'],
    ['bostad och trygghet', 'namnden-for-bostad-och-trygghet'],
    ['idrottsnämnden', 'idrotts-och-foreningsnamnden'],
    ['föreningsnämndens', 'idrotts-och-foreningsnamnden'],
    ['idrotts- och föreningsförvaltningen', 'idrotts-och-foreningsnamnden'],
    ['byggnadsförvaltningen', 'egen-nyckel'],
    ['byggnadskontoret', 'egen-nyckel'],
    ['omsorgsnämden Väster', 'omsorgsnamnden-vaster'],
    ['omsorgsnémnden Väster', 'omsorgsnamnden-vaster'],
  ])('resolves %s', (alias, id) => {
    expect(registry.resolve(alias)).toBe(id);
  });

  it('does not resolve unknown names or a bare word', () => {
    expect(registry.resolve('Kulturnämnden')).toBeUndefined();
    expect(registry.resolve('nämnden')).toBeUndefined();
    expect(registry.resolve(' ')).toBeUndefined();
    expect(canonicalCommitteeId('Kulturnämnden', registry)).toBe('kulturnamnden');
  });

  it('finds mentions with offsets; a bare district only when asked and unambiguous', () => {
    const text = 'Vad gör ON Väster, omsorgsnämnden Östers chef och idrottsnämnden i Väster?';
    const spans = registry.mentions(text);
    expect(spans.map((span) => [span.id, text.slice(span.start, span.end)])).toEqual([
      ['omsorgsnamnden-vaster', 'ON Väster'],
      ['omsorgsnamnden-oster', 'omsorgsnämnden Östers'],
      ['idrotts-och-foreningsnamnden', 'idrottsnämnden'],
    ]);
    expect(registry.mentions(text, { bareDistricts: true }).map((span) => span.text)).toContain('Väster');
  });

  it('marks mentions by a former name', () => {
    expect(registry.mentions('Nämnden för boende och säkerhet beslutade.')[0]).toMatchObject({ id: 'namnden-for-bostad-och-trygghet', former: true });
    expect(registry.mentions('Nämnden för bostad och trygghet beslutade.')[0].former).toBeUndefined();
  });

  it('learns a committee once and returns the existing entry for its aliases', () => {
    const local = createCommitteeRegistry(profile);
    const entry = local.learn('Tekniska förvaltningen');
    expect(local.learn('Kulturnämnden')).toMatchObject({ id: 'kulturnamnden', name: 'Kulturnämnden', fromProfile: false });
    expect(local.learn('kulturförvaltningen').id).toBe('kulturnamnden');
    expect(entry.fromProfile).toBe(false);
    expect(local.get('omsorgsnamnden-vaster')).toMatchObject({ district: 'Väster', fromProfile: true });
  });

  it('a fork answers like a fresh registry and what it learns stays in the fork', () => {
    const base = createCommitteeRegistry(profile);
    const fork = base.fork();
    const fresh = createCommitteeRegistry(profile);
    for (const name of ['ON Väster', 'omsorgsnämndens Öster', 'Nämnden för boende och säkerhet', 'egen-nyckel']) {
      expect(fork.resolve(name)).toBe(fresh.resolve(name));
    }
    // What the fork learns is a mention there only.
    fork.learn('Fritidsnämnden Norrby');
    const sentence = 'Fritidsnämnden Norrby och ON Väster samverkar.';
    expect(fork.mentions(sentence).map((span) => span.id)).toEqual(['fritidsnamnden-norrby', 'omsorgsnamnden-vaster']);
    expect(base.resolve('Fritidsnämnden Norrby')).toBeUndefined();
    expect(base.mentions(sentence).map((span) => span.id)).toEqual(['omsorgsnamnden-vaster']);
    expect(base.entries().length).toBe(fresh.entries().length);
    // Forks of a fork are independent too.
    const second = base.fork();
    second.learn('Kulturnämnden');
    expect(fork.resolve('Kulturnämnden')).toBeUndefined();
    expect(createCommitteeRegistry(profile, ['Fritidsnämnden Norrby']).mentions(sentence, { bareDistricts: true })).toEqual(fork.mentions(sentence, { bareDistricts: true }));
  });
});

describe('gazetteer over the default profile', () => {
  const gazetteer = createGazetteer([
    { committee: 'Socialnämnden Centrum', committeeId: 'socialnamnden-centrum' },
    { committee: 'Omsorgsnämnden', committeeId: 'omsorgsnamnden' },
  ]);

  it('a committee of the profile without documents is known, one with documents is indexed, a made-up one unknown', () => {
    expect(gazetteer.status('socialnämnden Centrum').kind).toBe('indexed');
    expect(gazetteer.status('Kulturnämnden')).toMatchObject({ kind: 'known', id: 'kulturnamnden', name: 'Kulturnämnden' });
    expect(gazetteer.status('idrottsnämnden')).toMatchObject({ kind: 'known', name: 'Idrotts- och föreningsnämnden' });
    expect(gazetteer.status('Ridsportnämnden')).toMatchObject({ kind: 'unknown', name: 'Ridsportnämnden' });
  });

  it('a committee learned from an indexed document is detected in questions with its generated forms', () => {
    expect(gazetteer.detect('Vad gör omsorgsförvaltningen för äldre?')).toMatchObject([{ id: 'omsorgsnamnden', name: 'Omsorgsnämnden' }]);
    expect(gazetteer.hasDocuments('omsorgsnamnden')).toBe(true);
    expect(gazetteer.hasDocuments('kulturnamnden')).toBe(false);
  });

  it('reports committee-like names nobody knows, so the caller can say so', () => {
    expect(gazetteer.unknownMentions('Vilka uppdrag har Ridsportnämnden och kulturnämnden?').map((mention) => mention.name)).toEqual(['Ridsportnämnden']);
  });
});
