import { describe, expect, it } from 'vitest';
import {
  GLOSSARY_SIZE,
  askedForOf,
  createGazetteer,
  defaultSynonyms,
  detectLanguage,
  mergeSynonyms,
  parseSynonymFile,
  parseSynonymTable,
  understandQuery,
  type QueryPlan,
  type SynonymTable,
} from '../src/core/query/index.ts';
import type { ChatMessage, SearchFilter } from '../src/core/types.ts';

/** Committees as the sample corpus' metadata names them. */
const documents = [
  { committee: 'Nämnden för demokrati och medborgarservice', committeeId: 'namnden-for-demokrati-och-medborgarservice' },
  { committee: 'Socialnämnd Nordost', committeeId: 'socialnamnden-nordost' },
  { committee: 'Socialnämnden Centrum', committeeId: 'socialnamnden-centrum' },
  { committee: 'Nämnden för konsument- och medborgarservice', committeeId: 'namnden-for-demokrati-och-medborgarservice' },
  { committee: 'Stadsbyggnadsnämnden', committeeId: 'stadsbyggnadsnamnden' },
];
const gazetteer = createGazetteer(documents);

function ask(turns: string | string[], options: { filter?: SearchFilter; synonyms?: SynonymTable } = {}): QueryPlan {
  const list = Array.isArray(turns) ? turns : [turns];
  const messages: ChatMessage[] = list.map((content) => ({ role: 'user', content }));
  return understandQuery(messages, { gazetteer, ...options });
}

const CENTRUM = 'socialnamnden-centrum';
const NORDOST = 'socialnamnden-nordost';
const DEMOCRACY = 'namnden-for-demokrati-och-medborgarservice';

describe('committee detection', () => {
  it.each([
    ['Vilka uppdrag har socialnämnden Centrum om familjehem?', CENTRUM],
    ['Vad säger socialnämnd Nordost om rekrytering?', NORDOST],
    ['Hur många Skolfam-team hade förvaltningen i Centrum?', CENTRUM],
    ['Vad gör SN Nordost för unga?', NORDOST],
    ['Vilka uppdrag från nämnden har nämnden för demokrati och medborgarservice?', DEMOCRACY],
    ['Vad ska förvaltningen för demokrati och medborgarservice göra åt timanställningar?', DEMOCRACY],
    ['Vem är förvaltningsdirektör för konsument- och medborgarservice?', DEMOCRACY],
    ['Vid vilka platser ska Socialförvaltningen Centrum ha en synlig närvaro?', CENTRUM],
    ['vilka uppdrag har socialnamnden centrum om familjehem', CENTRUM],
    ['What assignments does the Centrum social welfare committee have about foster homes?', CENTRUM],
    ['Vad står i socialnämnden Centrums verksamhetsplan om digitalisering?', CENTRUM],
    ['Hur arbetar socialnämnden i Hisingen med hemlöshet?', 'socialnamnden-hisingen'],
    ['Vad gör man i Sydvast mot gäng?', 'socialnamnden-sydvast'],
    ['Vad säger stadsbyggnadsnämnden om bostäder?', 'stadsbyggnadsnamnden'],
    ['Vad planerar stadsbyggnadsnamnd om parker?', 'stadsbyggnadsnamnden'],
  ])('%s → %s', (question, id) => {
    const plan = ask(question);
    expect(plan.committee).toMatchObject({ id, source: 'question' });
    expect(plan.committee?.name).toBe(gazetteer.nameOf(id));
    expect(plan.mentionedCommittees).toEqual([id]);
  });

  it('shows the current name for the former name konsument- och medborgarservice', () => {
    expect(ask('Vad gör konsument- och medborgarservice?').committee?.name).toBe('Nämnden för demokrati och medborgarservice');
  });

  it.each([
    'Vilka uppdrag om familjecentraler finns för socialnämnderna?',
    'Vilka socialnämnder ska arbeta med medborgarbudget och hur?',
    'Vad gör socialnämnden för barn?',
    'Vilka är Göteborgs Stads sju övergripande mål?',
  ])('names no committee: %s', (question) => {
    const plan = ask(question);
    expect(plan.committee).toBeUndefined();
    expect(plan.mentionedCommittees).toEqual([]);
  });

  it('a cross-committee question lists both committees but picks none', () => {
    const plan = ask('Skiljer sig Centrum och socialnämnd Nordost i arbetet med hemlöshet?');
    expect(plan.committee).toBeUndefined();
    expect(plan.mentionedCommittees).toEqual([CENTRUM, NORDOST]);
  });

  it('detect gives offsets into the text', () => {
    const text = 'Vad gör SN Nordost och socialnämnden Centrum?';
    const mentions = gazetteer.detect(text);
    expect(mentions.map((mention) => text.slice(mention.start, mention.end))).toEqual(['SN Nordost', 'socialnämnden Centrum']);
  });

  it('resolves ids, names, aliases and text without diacritics; unknown names give undefined', () => {
    expect(gazetteer.resolve(CENTRUM)).toBe(CENTRUM);
    expect(gazetteer.resolve('Socialnämnden Centrum')).toBe(CENTRUM);
    expect(gazetteer.resolve('socialnamnden centrum')).toBe(CENTRUM);
    expect(gazetteer.resolve('SN Nordost')).toBe(NORDOST);
    expect(gazetteer.resolve('Nämnden för konsument- och medborgarservice')).toBe(DEMOCRACY);
    // A committee that is neither in the profile nor in the documents (Kulturnämnden is now in the profile).
    expect(gazetteer.resolve('Ridsportnämnden')).toBeUndefined();
    expect(gazetteer.resolve('   ')).toBeUndefined();
    expect(gazetteer.nameOf(NORDOST)).toBe('Socialnämnden Nordost');
    expect(gazetteer.nameOf('ridsportnamnden')).toBeUndefined();
  });

  it('accepts extra committee entries', () => {
    const withExtra = createGazetteer([], [{ id: 'kulturnamnden', name: 'Kulturnämnden', aliases: ['kulturförvaltningen'] }]);
    expect(withExtra.resolve('Kulturförvaltningen')).toBe('kulturnamnden');
    expect(withExtra.detect('Vad gör kulturnamnden för bibliotek?')[0]).toMatchObject({ id: 'kulturnamnden', name: 'Kulturnämnden' });
  });
});

describe('filter precedence', () => {
  it('an explicit filter.committee wins over the question', () => {
    const plan = ask('Vilka uppdrag har socialnämnden Centrum om familjehem?', { filter: { committee: 'SN Nordost' } });
    expect(plan.committee).toEqual({ id: NORDOST, name: 'Socialnämnden Nordost', source: 'filter' });
    expect(plan.mentionedCommittees).toEqual([CENTRUM]);
  });

  it('a filter by id works without any committee in the question', () => {
    expect(ask('Vad görs mot hemlöshet?', { filter: { committee: CENTRUM } }).committee).toMatchObject({ id: CENTRUM, source: 'filter' });
  });

  it('an unknown filter committee gives no committee (the caller reports it)', () => {
    expect(ask('Vad gör socialnämnden Centrum?', { filter: { committee: 'Ridsportnämnden' } }).committee).toBeUndefined();
  });
});

describe('follow-ups', () => {
  it('"Och vad gäller för Centrum?" carries the topic over and replaces the committee', () => {
    const plan = ask(['Vilka uppdrag har socialnämnd Nordost om familjehem?', 'Och vad gäller för Centrum?']);
    expect(plan.text).toBe('Vilka uppdrag har Socialnämnden Centrum om familjehem?');
    expect(plan.rewrittenFrom).toBe('Och vad gäller för Centrum?');
    expect(plan.committee).toMatchObject({ id: CENTRUM, source: 'question' });
    expect(plan.searchText).not.toMatch(/Nordost/);
    expect(plan.listIntent).toBe(true);
    expect(plan.topicTerms).toContain('familjehem');
  });

  it('a short turn that refers back by its verb ("Vilka platser nämns?") keeps the committee and the topic', () => {
    const plan = ask(['Vad ska socialnämnden Centrum göra på platser där ungdomar samlas?', 'Vilka platser nämns?']);
    expect(plan.rewrittenFrom).toBe('Vilka platser nämns?');
    expect(plan.text).toMatch(/^Vilka platser nämns om .*ungdomar/);
    expect(plan.committee).toMatchObject({ id: CENTRUM, source: 'conversation' });
  });

  it('"om samma sak" takes the previous topic and the new committee', () => {
    const plan = ask(['Vad ska Centrum göra för våldsutsatta kvinnor?', 'Vad säger Nordost om samma sak?']);
    expect(plan.text).toBe('Vad säger Nordost om våldsutsatta kvinnor?');
    expect(plan.committee).toMatchObject({ id: 'socialnamnden-nordost' });
  });

  it('a pronoun ("till det") takes the previous topic (Skolfam) and keeps the committee', () => {
    const plan = ask(['Hur många Skolfam-team hade förvaltningen i Centrum i början av 2024?', 'Hur många barn står i kö till det?']);
    expect(plan.text).toBe('Hur många barn står i kö till Skolfam?');
    expect(plan.rewrittenFrom).toBe('Hur många barn står i kö till det?');
    expect(plan.committee).toMatchObject({ id: CENTRUM, source: 'conversation' });
    expect(plan.asksFor).toBe('number');
  });

  it('a pronoun after a question without committee', () => {
    const plan = ask(['Vad ska utredas om Skolfam vid vårdnadsöverflytt?', 'Hur många barn står i kö till det?']);
    expect(plan.text).toMatch(/Skolfam/);
    expect(plan.committee).toBeUndefined();
  });

  it('a new full question is not rewritten and does not inherit the committee', () => {
    const full = ask(['Vilka uppdrag har socialnämnd Nordost om familjehem?', 'Vilka uppdrag har socialnämnden Centrum om hemlöshet?']);
    expect(full.text).toBe('Vilka uppdrag har socialnämnden Centrum om hemlöshet?');
    expect(full.rewrittenFrom).toBeUndefined();
    expect(full.committee).toMatchObject({ id: CENTRUM, source: 'question' });

    const unrelated = ask(['Vilka uppdrag har socialnämnd Nordost om familjehem?', 'Vad kostar det att parkera vid Liseberg?']);
    expect(unrelated.text).toBe('Vad kostar det att parkera vid Liseberg?');
    expect(unrelated.rewrittenFrom).toBeUndefined();
    expect(unrelated.committee).toBeUndefined();
  });

  it('an elliptic topic change keeps the committee from the conversation', () => {
    const plan = ask(['Vilka uppdrag har socialnämnd Nordost om familjehem?', 'Och om hemlöshet?']);
    expect(plan.text).toBe('Vilka uppdrag har socialnämnd Nordost om hemlöshet?');
    expect(plan.committee).toMatchObject({ id: NORDOST, source: 'conversation' });
    expect(plan.topicTerms).not.toContain('familjehem');
  });

  it('an elliptic addition without a matching preposition is appended', () => {
    const plan = ask(['Vilka uppdrag finns om hemlöshet?', 'Men för ungdomar då?']);
    expect(plan.text).toBe('Vilka uppdrag finns om hemlöshet för ungdomar?');
  });

  it('"de" as subject refers to the committee', () => {
    const plan = ask(['Vilka uppdrag har socialnämnd Nordost om familjehem?', 'Vad har de för uppdrag om ungdomar?']);
    expect(plan.text).toBe('Vad har Socialnämnden Nordost för uppdrag om ungdomar?');
    expect(plan.committee).toMatchObject({ id: NORDOST, source: 'conversation' });
  });

  it('"än för …" and a bare committee turn are follow-ups', () => {
    expect(ask(['Vad gör socialnämnden Centrum mot hemlöshet?', 'Än för Nordost?']).text).toBe('Vad gör Socialnämnden Nordost mot hemlöshet?');
    expect(ask(['Vad gör socialnämnden Centrum mot hemlöshet?', 'Hisingen?']).committee).toMatchObject({ id: 'socialnamnden-hisingen', source: 'question' });
  });

  it('standalone questions that look elliptic or contain "det" are not rewritten', () => {
    const previous = 'Vilka uppdrag har socialnämnd Nordost om familjehem?';
    for (const turn of ['Vad gäller för ekonomiskt bistånd?', 'Vilka uppdrag om hemlöshet finns det?', 'Vilka insatser görs för det förebyggande arbetet?']) {
      const plan = ask([previous, turn]);
      expect(plan.text).toBe(turn);
      expect(plan.rewrittenFrom).toBeUndefined();
      expect(plan.committee).toBeUndefined();
    }
    expect(ask([previous, 'Och vad gäller för ungdomar?']).text).toBe('Vilka uppdrag har socialnämnd Nordost om familjehem för ungdomar?');
  });

  it('a demonstrative with a noun keeps the words and adds the topic', () => {
    const plan = ask(['Vad ska utredas om Skolfam vid vårdnadsöverflytt?', 'Vem ansvarar för dessa utredningar?']);
    expect(plan.text).toBe('Vem ansvarar för dessa utredningar om Skolfam?');
  });

  it('chains follow-ups and ignores assistant turns', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Vilka uppdrag har socialnämnd Nordost om familjehem?' },
      { role: 'assistant', content: 'Socialnämnden Hisingen har inga sådana uppdrag, men Centrum har.' },
      { role: 'user', content: 'Och vad gäller för Centrum?' },
      { role: 'assistant', content: 'Centrum har tre uppdrag.' },
      { role: 'user', content: 'Och om hemlöshet?' },
    ];
    const plan = understandQuery(messages, { gazetteer });
    expect(plan.text).toBe('Vilka uppdrag har Socialnämnden Centrum om hemlöshet?');
    expect(plan.committee).toMatchObject({ id: CENTRUM, source: 'conversation' });
  });

  it('English follow-up: "And what about Nordost?"', () => {
    const plan = ask(['What assignments does the Centrum social welfare committee have about foster homes?', 'And what about Nordost?']);
    expect(plan.language).toBe('en');
    expect(plan.committee).toMatchObject({ id: NORDOST });
    expect(plan.searchText).toMatch(/familjehem/);
    expect(plan.searchText).not.toMatch(/Centrum/);
  });
});

describe('synonyms', () => {
  function expansionsOf(plan: QueryPlan): string[] {
    return plan.synonymsUsed.flatMap((use) => use.expansions);
  }

  it('works in both directions', () => {
    const forward = ask('Vad gör Centrum för att hitta fler fosterhem?');
    expect(forward.synonymsUsed[0]).toMatchObject({ term: 'fosterhem' });
    expect(expansionsOf(forward)).toContain('familjehem');
    expect(forward.searchText).toMatch(/familjehem/);
    expect(expansionsOf(ask('Hur rekryteras familjehem?'))).toContain('fosterhem');
  });

  it('triggers on inflected forms and compounds', () => {
    const inflected = ask('Hur många fosterhemmen finns?');
    expect(expansionsOf(inflected)).toContain('familjehem');
    expect(expansionsOf(inflected)).not.toContain('fosterfamiljmen');
    const compound = ask('Vad gäller för fosterhemsplacering?');
    expect(compound.synonymsUsed[0].term).toBe('fosterhemsplacering');
    expect(expansionsOf(compound)).toEqual(expect.arrayContaining(['familjehem', 'familjehemsplacering']));
    expect(compound.topicTerms).toContain('familjehem');
  });

  it('matches questions typed without diacritics', () => {
    const plan = ask('Vad gors for att minska sjukfranvaron bland personalen?');
    expect(expansionsOf(plan)).toEqual(expect.arrayContaining(['sjukskrivningar', 'medarbetare']));
    expect(expansionsOf(ask('vad ar bostadsloshet'))).toContain('hemlöshet');
  });

  it('matches phrases and abbreviations both ways', () => {
    expect(expansionsOf(ask('Vem får försörjningsstöd?'))).toContain('ekonomiskt bistånd');
    expect(expansionsOf(ask('Hur bedöms ekonomiskt bistånd?'))).toEqual(expect.arrayContaining(['försörjningsstöd', 'socialbidrag']));
    expect(expansionsOf(ask('Stöd efter placering på HVB-hem'))).toContain('hem för vård eller boende');
    expect(expansionsOf(ask('Placeringar på hem för vård eller boende'))).toContain('HVB');
    expect(expansionsOf(ask('Vad görs mot gängkriminalitet?'))).toContain('kriminella nätverk');
    expect(expansionsOf(ask('Vad görs mot kriminella nätverk?'))).toContain('gängkriminalitet');
  });

  it('does not fire on look-alikes: "gånger" is not "gäng", "blåljuspersonal" is not "personal"', () => {
    expect(ask('Hur många gånger har nämnden träffats?').synonymsUsed).toEqual([]);
    expect(expansionsOf(ask('Hur ska blåljuspersonal samverka?'))).not.toContain('medarbetare');
  });

  it('the default table has 30+ bidirectional groups', () => {
    expect(defaultSynonyms.groups.length).toBeGreaterThanOrEqual(30);
    expect(defaultSynonyms.groups.every((group) => group.length >= 2)).toBe(true);
  });

  it('mergeSynonyms joins groups sharing a term and adds new ones without changing its inputs', () => {
    const base: SynonymTable = { groups: [['fosterhem', 'familjehem'], ['äldre', 'seniorer']] };
    const extra: SynonymTable = { groups: [['Familjehem', 'familjehemsvård'], ['parkering', 'p-plats']] };
    const merged = mergeSynonyms(base, extra);
    expect(merged.groups).toEqual([['fosterhem', 'familjehem', 'familjehemsvård'], ['äldre', 'seniorer'], ['parkering', 'p-plats']]);
    expect(base.groups[0]).toEqual(['fosterhem', 'familjehem']);
    const plan = ask('Var finns parkering?', { synonyms: merged });
    expect(plan.synonymsUsed).toEqual([{ term: 'parkering', expansions: ['p-plats'] }]);
  });

  it('mergeSynonyms unites two existing groups linked by an extra group', () => {
    const merged = mergeSynonyms({ groups: [['a1', 'a2'], ['b1', 'b2']] }, { groups: [['a2', 'b1']] });
    expect(merged.groups).toEqual([['a1', 'a2', 'b1', 'b2']]);
  });

  it('parseSynonymFile reads JSON text and names the file on errors', () => {
    expect(parseSynonymFile('{"groups": [["cykel", "velociped"]]}', 'extra.json')).toEqual({ groups: [['cykel', 'velociped']] });
    expect(() => parseSynonymFile('{"groups": [', 'extra.json')).toThrow(/extra\.json: not valid JSON/);
  });

  it('parseSynonymTable names the file and the bad group', () => {
    expect(parseSynonymTable([['a', 'b']], 'x.json')).toEqual({ groups: [['a', 'b']] });
    expect(() => parseSynonymTable({ groups: [['a', 'b'], ['c']] }, 'my-synonyms.json')).toThrow(/my-synonyms\.json: group 2/);
    expect(() => parseSynonymTable({ entries: [] }, 'my-synonyms.json')).toThrow(/my-synonyms\.json: expected an object with a "groups" array/);
    expect(() => parseSynonymTable({ groups: [['a', 3]] }, 'f.json')).toThrow(/group 1/);
  });
});

describe('English questions', () => {
  it('retrieves like the Swedish question', () => {
    const plan = ask('What assignments does the Centrum social welfare committee have about foster homes?');
    expect(plan.language).toBe('en');
    expect(plan.text).toBe('What assignments does the Centrum social welfare committee have about foster homes?');
    expect(plan.searchText).toMatch(/\buppdrag\b/);
    expect(plan.searchText).toMatch(/\bfamiljehem\b/);
    expect(plan.searchText).not.toMatch(/\b(what|does|the|have|about)\b/i);
    expect(plan.listIntent).toBe(true);
    expect(plan.committee).toMatchObject({ id: CENTRUM });
    expect(plan.topicTerms).toContain('familjehem');
  });

  it('maps other glossary terms and keeps names', () => {
    const plan = ask('How many children are in the queue for Skolfam?');
    expect(plan.language).toBe('en');
    expect(plan.searchText).toMatch(/barn.*kö.*Skolfam/);
    expect(plan.asksFor).toBe('number');
    expect(ask('What does the city do about homelessness among youth?').searchText).toMatch(/hemlöshet.*ungdomar/);
  });

  it('has a glossary of 60+ entries', () => {
    expect(GLOSSARY_SIZE).toBeGreaterThanOrEqual(60);
  });

  it.each([
    ['Vilka uppdrag har socialnämnden Centrum om familjehem?', 'sv'],
    ['vilka uppdrag har socialnamnden centrum om familjehem', 'sv'],
    ['Vad gör Centrum för att hitta fler fosterhem?', 'sv'],
    ['What does Socialnämnden Nordost say about recruitment?', 'en'],
    ['Which assignments concern homelessness?', 'en'],
    ['foster homes', 'en'],
    ['Centrum?', 'sv'],
  ])('language of %s is %s', (question, language) => {
    expect(detectLanguage(question)).toBe(language);
  });
});

describe('intent', () => {
  it.each([
    ['Vilka uppdrag har socialnämnden Centrum om familjehem?', true, 'uppdrag'],
    ['Lista uppdragen om hemlöshet', true, 'uppdrag'],
    ['Finns det några uppdrag om husdjur?', true, 'uppdrag'],
    ['Vilka uppdrag om familjecentraler finns för socialnämnderna?', true, 'uppdrag'],
    ['Which assignments concern homelessness?', true, 'uppdrag'],
    ['Vilka socialnämnder ska arbeta med medborgarbudget och hur?', true, 'committees'],
    ['Vilka är de fyra förhållningssätten för medarbetare i Göteborgs Stad?', false, 'other'],
    ['Vad ska utredas om Skolfam vid vårdnadsöverflytt?', false, undefined],
    ['När ska uppdraget om husdjur återrapporteras?', false, undefined],
  ])('%s → listIntent %s (%s)', (question, listIntent, listKind) => {
    const plan = ask(question);
    expect(plan.listIntent).toBe(listIntent);
    expect(plan.listKind).toBe(listKind);
  });

  it.each([
    ['Vilka uppdrag har Socialnämnden Centrum gett sig själv i genomförandeplanen, alltså uppdrag från nämnden?', 'nämnden'],
    ['Vilka uppdrag från nämnden har nämnden för demokrati och medborgarservice?', 'nämnden'],
    ['Vilka uppdrag har Centrum fått från budgeten?', 'budget'],
    ['Vilka uppdrag från Göteborgs Stads budget gäller Nordost?', 'budget'],
    ['Vilka uppdrag har KF gett socialnämnden Centrum?', 'budget'],
    ['Which assignments come from the city budget?', 'budget'],
    ['Vilka uppdrag har socialnämnden Centrum om familjehem?', undefined],
  ])('%s → origin %s', (question, origin) => {
    expect(ask(question).assignmentOrigin).toBe(origin);
  });

  it.each([
    ['Hur många Skolfam-team hade förvaltningen i Centrum?', 'number'],
    ['Vad kostar det att parkera vid Liseberg?', 'number'],
    ['Vem är förvaltningsdirektör för konsument- och medborgarservice?', 'person'],
    ['Vilka partier står bakom yrkandet?', 'person'],
    ['Sedan när kan en upphandling reserveras för idéburna organisationer, och enligt vilken lag?', 'date'],
    ['Vid vilka samlingsplatser för ungdomar ska Socialförvaltningen Centrum ha en synlig närvaro?', 'place'],
    ['Var finns skyddat boende?', 'place'],
    ['Varför ska socialnämnden arbeta med digitalisering?', 'reason'],
    ['Hur ska blåljuspersonal samverka med fritidsgårdar?', 'how'],
    ['Ska tillfälliga statliga krisstöd räknas som inkomst när ekonomiskt bistånd bedöms?', 'yes-no'],
    ['Vad ersätter stadsdelsnämnderna i Göteborg?', 'what'],
    ['Vad gäller när ekonomiskt bistånd bedöms?', 'what'],
    ['How many developers will be hired?', 'number'],
    ['Who is the director?', 'person'],
  ])('%s asks for %s', (question, kind) => {
    expect(askedForOf(question)).toBe(kind);
  });
});

describe('plan shape', () => {
  it('topic terms exclude committee names, stop words and question words', () => {
    const plan = ask('Vilka uppdrag har socialnämnden Centrum om familjehem?');
    expect(plan.topicTerms).toEqual(['familjehem', 'fosterhem', 'fosterfamilj']);
  });

  it('is deterministic and needs no synonyms option', () => {
    const question = ['Vilka uppdrag har socialnämnd Nordost om familjehem?', 'Och vad gäller för Centrum?'];
    expect(ask(question)).toEqual(ask(question));
    expect(ask('Vad gör Centrum för fosterhem?').synonymsUsed.length).toBeGreaterThan(0);
  });

  it('handles empty and whitespace-only conversations', () => {
    const plan = understandQuery([{ role: 'user', content: '   ' }], { gazetteer });
    expect(plan).toMatchObject({ text: '', searchText: '', listIntent: false, mentionedCommittees: [], topicTerms: [] });
  });
});
