import { describe, expect, it } from 'vitest';
import type { ApiChatResponse, EvalClient, EvalMessage } from '../eval/clients.ts';
import { DatasetError, parseDataset } from '../eval/dataset.ts';
import { checkThresholds } from '../eval/gate.ts';
import {
  abstentionStats,
  entriesSatisfied,
  factRecall,
  ndcgAtK,
  percentile,
  prepareEvidence,
  recallAtK,
  reciprocalRank,
} from '../eval/metrics.ts';
import { evaluateItem, summarise } from '../eval/run-eval.ts';
import { buildReport, compareReports, reportTimestamp } from '../eval/report.ts';
import { renderComparisonHtml, renderHtmlReport } from '../eval/report-html.ts';
import { describeComparison, parseCliArguments, UsageError } from '../eval/cli.ts';
import { approximateSubstringSearch, factStated, fuzzyContains } from '../eval/text-match.ts';

const sets = (...lists: number[][]): Array<Set<number>> => lists.map((list) => new Set(list));

describe('retrieval metrics', () => {
  const relevance = sets([], [0], [1], [0]);

  it('recall@k counts distinct evidence entries in the top k', () => {
    expect(recallAtK(relevance, 3, 1)).toBe(0);
    expect(recallAtK(relevance, 3, 2)).toBeCloseTo(1 / 3, 10);
    expect(recallAtK(relevance, 3, 3)).toBeCloseTo(2 / 3, 10);
    expect(recallAtK(relevance, 3, 10)).toBeCloseTo(2 / 3, 10);
    expect(recallAtK(relevance, 0, 10)).toBeNull();
  });

  it('MRR is 1 / rank of the first relevant result', () => {
    expect(reciprocalRank(relevance)).toBe(0.5);
    expect(reciprocalRank(sets([2]))).toBe(1);
    expect(reciprocalRank(sets([], [], []))).toBe(0);
  });

  it('nDCG@10 gives duplicates of found evidence no gain', () => {
    // ranks 2 and 4 bring new entries: DCG = 1/log2(3) + 1/log2(5) = 0.63093 + 0.43068; IDCG = 1 + 0.63093.
    expect(ndcgAtK(sets([], [0], [0], [1]), 2, 10)).toBeCloseTo(1.0616063 / 1.6309298, 5);
    expect(ndcgAtK(sets([0], [1]), 2, 10)).toBeCloseTo(1, 10);
    // only the first result counts at k = 1, and the ideal at k = 1 is one entry
    expect(ndcgAtK(sets([1], [0]), 2, 1)).toBeCloseTo(1, 10);
    expect(ndcgAtK(sets([], [0]), 2, 1)).toBe(0);
    expect(ndcgAtK(sets([0]), 0, 10)).toBeNull();
  });
});

describe('approximate matching', () => {
  it('Sellers search finds the best substring distance', () => {
    expect(approximateSubstringSearch('abc', 'xxabxcxx', 2)?.distance).toBe(1);
    expect(approximateSubstringSearch('kitten', 'the sitting cat', 3)?.distance).toBe(2);
    expect(approximateSubstringSearch('abc', 'xxabcxx', 0)).toEqual({ distance: 0, end: 5 });
    expect(approximateSubstringSearch('kitten', 'the sitting cat', 1)).toBeNull();
  });

  it('accepts OCR damage and split diacritics within tolerance', () => {
    const ocr = '»Socialndmnden Centrum fér i uppdrag att utreda hur Skolfam kan behéllas vid vardnadsoverflytt.';
    expect(fuzzyContains(ocr, 'Socialnämnden Centrum får i uppdrag att utreda hur Skolfam kan behållas vid vårdnadsöverflytt')).toBe(true);
    expect(fuzzyContains('Genomfo randeplanen fo r budget a r ett politiskt', 'Genomförandeplanen för budget är ett politiskt')).toBe(true);
    expect(fuzzyContains('utöka\nfamiljecentrals-\nliknande verksamhet', 'utöka familjecentralsliknande verksamhet')).toBe(true);
  });

  it('rejects different text and damage beyond tolerance', () => {
    expect(fuzzyContains('utreda möjligheten att kunna ta med husdjur på skyddat boende', 'utreda hur Skolfam kan behållas vid vårdnadsöverflytt')).toBe(false);
    // 20 folded characters allow 2 edits: 2 substitutions pass, 3 fail
    expect(fuzzyContains('xx abcdefghijklmnopqrst xx', 'abcdefghijklmnopqrst')).toBe(true);
    expect(fuzzyContains('xx abXdefghijklmnoXqrst xx', 'abcdefghijklmnopqrst')).toBe(true);
    expect(fuzzyContains('xx abXdefghiXklmnoXqrst xx', 'abcdefghijklmnopqrst')).toBe(false);
  });
});

describe('evidence entries', () => {
  const docs = { D1: 'nordost.txt', D4: 'centrum.txt' };
  const evidence = prepareEvidence(
    [
      { doc: 'D4', text: 'rutiner för intern utlåning av jourfamiljehem' },
      { anyOf: [{ doc: 'D1', text: 'starta en ny familjecentral' }, { doc: 'D4', text: 'starta en ny familjecentral' }] },
    ],
    docs,
  );

  it('anyOf is satisfied by any one passage, and only in the named document', () => {
    const centrum = { text: 'Socialndmnderna fér 1 uppdrag att starta en ny familjecentral i stadsomradet', document: { source: 'centrum.txt' } };
    expect([...entriesSatisfied(centrum, evidence)]).toEqual([1]);
    const nordostSameText = { text: 'rutiner för intern utlåning av jourfamiljehem och familjehem', document: { source: 'nordost.txt' } };
    expect([...entriesSatisfied(nordostSameText, evidence)]).toEqual([]);
    const both = { text: 'ta fram rutiner for intern utldning av jourfamiljehem. Starta en ny familjecentral.', document: { source: 'data/corpus/centrum.txt' } };
    expect([...entriesSatisfied(both, evidence)].sort()).toEqual([0, 1]);
  });
});

describe('facts', () => {
  it('matches any alternative after folding, numbers only as whole numbers', () => {
    expect(factStated('Förvaltningen har två Skolfam-team.', 'två|2')).toBe(true);
    expect(factStated('Det finns 2 team.', 'två|2')).toBe(true);
    expect(factStated('Budget 2024 och 24 barn i kö.', 'två|2')).toBe(false);
    expect(factStated('vid Majvallen, Mariaplan och Roda  sten.', 'Röda sten')).toBe(true);
    expect(factStated('Bostad forst ska utökas', 'Bostad först')).toBe(true);
    expect(factStated('Arbetet ska återrapporteras till nämnden', 'återrapporter')).toBe(true);
    expect(factStated('Inget om saken', 'husdjur')).toBe(false);
    expect(factStated('Yrkande den 2024-11-18.', '2024-11-18|18 november 2024')).toBe(true);
    expect(factStated('Beslut 2024-11-180', '2024-11-18')).toBe(false);
    expect(factStated('utökas till 11 + 11 ledamöter', '11')).toBe(true);
    expect(factStated('utökas till 111 ledamöter', '11')).toBe(false);
  });

  it('fact recall is the share of facts stated', () => {
    expect(factRecall('Vi bryr oss och vi tänker nytt', ['Vi bryr oss', 'Vi arbetar tillsammans', 'Vi tänker nytt', 'Vi vet vårt uppdrag'])).toBe(0.5);
    expect(factRecall('anything', [])).toBeNull();
  });
});

describe('abstention and latency', () => {
  it('abstention precision and recall treat "abstained" as the positive class', () => {
    const stats = abstentionStats([
      { answerable: false, abstained: true },
      { answerable: false, abstained: false },
      { answerable: true, abstained: true },
      { answerable: true, abstained: false },
      { answerable: true, abstained: false },
    ]);
    expect(stats.accuracy).toBeCloseTo(3 / 5, 10);
    expect(stats.precision).toBe(0.5);
    expect(stats.recall).toBe(0.5);
    expect(abstentionStats([{ answerable: true, abstained: false }]).precision).toBeNull();
  });

  it('p50/p95 use the nearest rank', () => {
    const values = [100, 20, 30, 40, 50, 60, 70, 80, 90, 10];
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(100);
    expect(percentile(values, 90)).toBe(90);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('dataset validation', () => {
  const valid = {
    docs: { D0: 'a.txt' },
    items: [{ id: 'x-1', category: 'fact', turns: ['Fråga?'], answerable: true, evidence: [{ doc: 'D0', text: 'något belägg' }], forbidden: [], facts: [] }],
  };

  it('accepts a valid dataset', () => {
    expect(parseDataset(valid, 'ok.json').items).toHaveLength(1);
  });

  it('names the file, the item id and the field', () => {
    const badDoc = structuredClone(valid);
    badDoc.items[0].evidence[0].doc = 'D9';
    expect(() => parseDataset(badDoc, 'bad.json')).toThrow(/bad\.json: item "x-1" \(items\[0\]\) field evidence\[0\]\.doc: unknown document key "D9"/);
    const badType = structuredClone(valid) as unknown as { items: Array<Record<string, unknown>> };
    badType.items[0].answerable = 'yes';
    expect(() => parseDataset(badType, 'bad.json')).toThrow(DatasetError);
    expect(() => parseDataset(badType, 'bad.json')).toThrow(/bad\.json: item "x-1" \(items\[0\]\) field answerable/);
  });
});

describe('evaluateItem', () => {
  /** A hand-written fake system: records requests, rewrites follow-ups, cites one passage. */
  function fakeClient(options: { citeSource: string; citeText: string; documentText: string }): EvalClient & { chats: EvalMessage[][]; searches: string[] } {
    const chats: EvalMessage[][] = [];
    const searches: string[] = [];
    return {
      name: 'fake',
      chats,
      searches,
      async chat({ messages }) {
        chats.push(messages);
        const last = messages[messages.length - 1].content;
        const response: ApiChatResponse = {
          answer: `Svar ${chats.length}: familjehem [1]`,
          abstained: false,
          answerer: 'fake',
          citations: [{ marker: 1, id: 'c1', text: options.citeText, section: 'Uppdrag', kind: 'uppdrag', document: { id: 'doc-centrum', title: 't', source: options.citeSource, committee: '', type: 'genomförandeplan' } }],
          query: messages.length > 1 ? { text: `familjehem Centrum (${last})`, rewrittenFrom: last } : { text: last },
        };
        return response;
      },
      async search({ query }) {
        searches.push(query);
        return { query, results: [{ id: 'r1', score: 1, text: options.citeText, section: '', kind: 'uppdrag', document: { id: 'doc-centrum', title: '', source: options.citeSource, committee: '', type: 'annat' } }] };
      },
      async documentText(id) {
        return id === 'doc-centrum' ? options.documentText : null;
      },
    };
  }
  const item = {
    id: 'f-1',
    category: 'follow-up',
    turns: ['Vilka uppdrag har Nordost om familjehem?', 'Och Centrum?'],
    answerable: true,
    evidence: [{ doc: 'D4', text: 'rutiner för intern utlåning av jourfamiljehem' }],
    forbidden: [{ doc: 'D1', text: 'rutiner för intern utlåning av jourfamiljehem' }],
    facts: ['familjehem', 'husdjur'],
  };
  const docs = { D1: 'nordost.txt', D4: 'centrum.txt' };

  it('plays the conversation with real answers and searches with the rewritten query', async () => {
    const client = fakeClient({ citeSource: 'centrum.txt', citeText: 'ta fram rutiner för intern utlåning av jourfamiljehem', documentText: 'x. Ta fram rutiner för intern utlåning av jourfamiljehem. y' });
    const result = await evaluateItem(client, item, docs, 10);
    expect(client.chats[1]).toEqual([
      { role: 'user', content: 'Vilka uppdrag har Nordost om familjehem?' },
      { role: 'assistant', content: 'Svar 1: familjehem [1]' },
      { role: 'user', content: 'Och Centrum?' },
    ]);
    expect(client.searches).toEqual(['familjehem Centrum (Och Centrum?)']);
    expect(result.metrics.recallAt1).toBe(1);
    expect(result.metrics.citationRecall).toBe(1);
    expect(result.metrics.forbiddenCited).toBe(false);
    expect(result.metrics.factRecall).toBe(0.5);
    expect(result.metrics.faithfulness).toBe(1);
    expect(result.passed).toBe(false);
    expect(result.missingFacts).toEqual(['husdjur']);
  });

  it('flags a citation of the wrong document and a citation not found in its document', async () => {
    const client = fakeClient({ citeSource: 'nordost.txt', citeText: 'rutiner för intern utlåning av jourfamiljehem', documentText: 'helt annan text om husdjur' });
    const result = await evaluateItem(client, item, docs, 10);
    expect(result.metrics.citationRecall).toBe(0);
    expect(result.metrics.forbiddenCited).toBe(true);
    expect(result.metrics.faithfulness).toBe(0);
    const summary = summarise([result]);
    expect(summary.forbiddenCitationRate).toBe(1);
    expect(summary.faithfulness).toBe(0);
    expect(checkThresholds(summary, { citationRecall: { min: 0.5 }, forbiddenCitationRate: { max: 0.2 }, factRecall: { min: 0.5 } }).map((violation) => violation.metric)).toEqual([
      'citationRecall',
      'forbiddenCitationRate',
    ]);
  });
});

describe('reports and CLI options', () => {
  it('renders a self-contained HTML report with charts and expandable failing items', async () => {
    const item = {
      id: 'h-1',
      category: 'fact',
      turns: ['Vad gäller <script>?'],
      answerable: false,
      evidence: [],
      forbidden: [],
      facts: [],
    };
    const client: EvalClient = {
      name: 'fake',
      async chat() {
        return { answer: 'Ett svar <b>', abstained: false, answerer: 'fake', citations: [], query: { text: 'x' } };
      },
      async search({ query }) {
        return { query, results: [] };
      },
      async documentText() {
        return null;
      },
    };
    const result = await evaluateItem(client, item, {}, 10);
    const run = { configuration: 'fake', summary: summarise([result]), categories: { fact: summarise([result]) }, items: [result] };
    const html = renderHtmlReport(buildReport({ dataset: 'd.json', mode: 'in-process', k: 10, ours: run, baselines: [{ ...run, configuration: 'baseline:naive' }] }));
    expect(html).toContain('<svg');
    expect(html).toMatch(/<details class="it fail"[^>]* open>/);
    expect(html).toContain('answered an unanswerable question');
    expect(html).toContain('Vad gäller &lt;script&gt;?');
    expect(html).toContain('Ett svar &lt;b&gt;');
    // Self-contained: one inline script (the filters), nothing loaded from elsewhere, no data in script.
    expect(html).not.toMatch(/<script[^>]*src=|<link|src="http/);
    expect(html.match(/<script>/g)).toHaveLength(1);
  });

  /** A fictional gold item and client (Idrotts- och föreningsnämnden) with one pass and one failure. */
  async function fictionalRun(answers: Record<string, { answer: string; source: string; section: string; text: string }>, configuration = 'ours') {
    const gold = {
      docs: { D0: 'idrott-vp-2027.txt', D1: 'stadsmiljo-gp-2026.txt' },
      items: [
        {
          id: 'ifn-1', category: 'uppdrag', turns: ['Vilka uppdrag har Idrotts- och föreningsnämnden?', 'Och om spontanidrott?'], answerable: true,
          evidence: [{ doc: 'D0', text: 'Nämnden får i uppdrag att utveckla spontanidrottsplatser' }], forbidden: [{ doc: 'D1', text: 'Stadsmiljönämnden får i uppdrag att anlägga' }], facts: ['spontanidrott'],
        },
        {
          id: 'smn-1', category: 'fakta', turns: ['Hur många träd ska Stadsmiljönämnden plantera 2026?'], answerable: true,
          evidence: [{ anyOf: [{ doc: 'D1', text: 'plantera 500 träd under 2026' }, { doc: 'D1', text: '500 nya träd' }] }], forbidden: [], facts: ['500'],
        },
      ],
    };
    const client: EvalClient = {
      name: 'fake',
      async chat(body) {
        const question = body.messages[body.messages.length - 1].content;
        const scripted = Object.entries(answers).find(([key]) => question.includes(key))?.[1];
        if (!scripted) return { answer: 'Det finns inte i underlagen.', abstained: true, answerer: 'fake', citations: [], query: { text: question } };
        return {
          answer: scripted.answer, abstained: false, answerer: 'fake', query: { text: question },
          citations: [{ marker: 1, id: 'c1', text: scripted.text, section: scripted.section, kind: 'uppdrag', document: { id: 'd', title: 'T', source: scripted.source, committee: '', type: 'verksamhetsplan' } }],
        };
      },
      async search({ query }) {
        return { query, results: [] };
      },
      async documentText() {
        return Object.values(answers).map((entry) => entry.text).join('\n');
      },
    };
    const results = [];
    for (const item of gold.items) results.push(await evaluateItem(client, { ...item, forbidden: item.forbidden ?? [] } as never, gold.docs, 10));
    const run = { configuration, summary: summarise(results), categories: { uppdrag: summarise([results[0]]), fakta: summarise([results[1]]) }, items: results };
    return buildReport({ dataset: 'fictional.json', mode: 'in-process', k: 10, ours: run, baselines: [], gold });
  }

  it('shows every item with its turns, answer, cited passages, what was expected and why it failed, with filters', async () => {
    const report = await fictionalRun({
      spontanidrott: { answer: 'Nämnden ska utveckla spontanidrottsplatser [1].', source: 'idrott-vp-2027.txt', section: 'Uppdrag › Idrott', text: 'Nämnden får i uppdrag att utveckla spontanidrottsplatser i alla stadsdelar.' },
    });
    expect(report.items.map((item) => [item.id, item.passed])).toEqual([['ifn-1', true], ['smn-1', false]]);
    expect(report.items[1].expected).toMatchObject({ answerable: true, facts: ['500'], evidence: [[{ document: 'stadsmiljo-gp-2026.txt', text: 'plantera 500 träd under 2026' }, { document: 'stadsmiljo-gp-2026.txt', text: '500 nya träd' }]] });
    const html = renderHtmlReport(report);
    // Both turns of the multi-turn item, its answer and its citation's document and section.
    expect(html).toContain('Vilka uppdrag har Idrotts- och föreningsnämnden?');
    expect(html).toContain('Och om spontanidrott?');
    expect(html).toContain('Nämnden ska utveckla spontanidrottsplatser [1].');
    expect(html).toMatch(/idrott-vp-2027\.txt<\/code> Uppdrag › Idrott/);
    // The failing item: open, with its question, answer, expectation (both anyOf passages, the missing fact) and reason.
    const failing = html.slice(html.indexOf('data-category="fakta"'));
    expect(failing.slice(0, failing.indexOf('>'))).toContain(' open');
    expect(failing).toContain('Hur många träd ska Stadsmiljönämnden plantera 2026?');
    expect(failing).toContain('Det finns inte i underlagen.');
    expect(failing).toMatch(/not cited<\/span> <b>1\.<\/b> <code>stadsmiljo-gp-2026\.txt<\/code>: plantera 500 träd under 2026<br><i>or<\/i> <code>stadsmiljo-gp-2026\.txt<\/code>: 500 nya träd/);
    expect(failing).toMatch(/missing<\/span> 500/);
    expect(failing).toContain(report.items[1].reasons[0]);
    // Filters: every category and result is offered and each item carries the attributes the script filters on.
    expect(html).toMatch(/<select name="category">.*<option value="uppdrag">.*<option value="fakta">/s);
    expect(html).toMatch(/<select name="result">.*<option value="fail">/s);
    expect(html.match(/data-result="(pass|fail|error)"/g)).toEqual(['data-result="pass"', 'data-result="fail"']);
  });

  it('compares two runs: summary deltas, fixed and broken items with both answers, and a self-contained page', async () => {
    const before = await fictionalRun({
      spontanidrott: { answer: 'Nämnden ska utveckla spontanidrottsplatser [1].', source: 'idrott-vp-2027.txt', section: 'Uppdrag', text: 'Nämnden får i uppdrag att utveckla spontanidrottsplatser.' },
    }, 'before');
    const after = await fictionalRun({
      'plantera 2026': { answer: 'Stadsmiljönämnden ska plantera 500 träd [1].', source: 'stadsmiljo-gp-2026.txt', section: 'Mål › Grönska', text: 'Nämnden ska plantera 500 träd under 2026.' },
    }, 'after');
    const comparison = compareReports(before, after, { before: 'A.json', after: 'B.json' });
    expect(comparison.counts).toMatchObject({ fixed: 1, broken: 1, 'still passing': 0 });
    expect(comparison.items.map((item) => [item.id, item.change])).toEqual([['ifn-1', 'broken'], ['smn-1', 'fixed']]);
    expect(comparison.deltas.passed).toBe(0);
    expect(comparison.items[0].answerChanged).toBe(true);
    const html = renderComparisonHtml(comparison);
    expect(html).toContain('A.json');
    expect(html).toContain('Nämnden ska utveckla spontanidrottsplatser [1].');
    expect(html).toContain('Stadsmiljönämnden ska plantera 500 träd [1].');
    expect(html).toMatch(/class="res broken">broken/);
    expect(html).not.toMatch(/<script[^>]*src=|<link|src="http/);
    expect(describeComparison(comparison)).toMatch(/^pass 1\/2 → 1\/2 \(broken 1, fixed 1\)\n {2}broken ifn-1/);
    // The same comparison inside a run's report (--baseline-report).
    expect(renderHtmlReport(after, { comparison })).toContain('Compared with A.json');
    expect(reportTimestamp(new Date('2026-12-02T05:07:09.123Z'))).toBe('20261202-050709');

    // `--compare A.json B.json` on files written by earlier runs; a file that is not a report is refused by name.
    const { mkdtemp, readdir, readFile, rm, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { main } = await import('../eval/cli.ts');
    const folder = await mkdtemp(join(tmpdir(), 'eval-compare-'));
    const write = process.stdout.write;
    try {
      await writeFile(join(folder, 'A.json'), JSON.stringify(before));
      await writeFile(join(folder, 'B.json'), JSON.stringify(after));
      await writeFile(join(folder, 'junk.json'), '{"hello": 1}');
      process.stdout.write = (() => true) as typeof process.stdout.write;
      expect(await main(['--compare', join(folder, 'A.json'), join(folder, 'B.json'), '--reports-dir', join(folder, 'out')])).toBe(0);
      const [page] = await readdir(join(folder, 'out'));
      expect(page).toMatch(/^compare-\d{8}-\d{6}\.html$/);
      expect(await readFile(join(folder, 'out', page), 'utf8')).toContain('Stadsmiljönämnden ska plantera 500 träd [1].');
      await expect(main(['--compare', join(folder, 'junk.json'), join(folder, 'B.json')])).rejects.toThrow(/junk\.json: not an eval report/);
    } finally {
      process.stdout.write = write;
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('parses options and refuses bad ones with a clear message', () => {
    const options = parseCliArguments(['--out', 'reports/x.json', '--k', '5']);
    expect(options).toMatchObject({ out: 'reports/x.json', html: 'reports/x.html', k: 5, baselines: true, dataset: 'eval/datasets/dev.json' });
    const url = parseCliArguments(['--url', 'http://127.0.0.1:9']);
    expect(url).toMatchObject({ baselines: false, reportsDir: 'reports' });
    expect(url).not.toHaveProperty('html'); // default: timestamped reports/eval-YYYYMMDD-HHMMSS.html + reports/latest.html
    expect(url).not.toHaveProperty('evalKey');
    expect(parseCliArguments(['--url', 'http://127.0.0.1:9'], { EVAL_API_KEY: 'k'.repeat(20) })).toMatchObject({ evalKey: 'k'.repeat(20) });
    expect(parseCliArguments([], { EVAL_API_KEY: 'k'.repeat(20) })).not.toHaveProperty('evalKey');
    expect(parseCliArguments(['--compare', 'a.json', 'b.json'])).toMatchObject({ compare: ['a.json', 'b.json'] });
    expect(parseCliArguments(['--baseline-report', 'r/old.json'])).toMatchObject({ baselineReport: 'r/old.json' });
    expect(() => parseCliArguments(['--compare', 'a.json'])).toThrow(/--compare takes two JSON reports/);
    expect(() => parseCliArguments(['--compare', 'a.html', 'b.json'])).toThrow(/JSON reports/);
    expect(() => parseCliArguments(['stray'])).toThrow(/Unexpected argument 'stray'/);
    expect(parseCliArguments(['--corpus', 'a', '--corpus', 'b'])).toMatchObject({ corpus: ['a', 'b'] });
    expect(() => parseCliArguments(['--k', '0'])).toThrow(/--k must be an integer from 1 to 50/);
    expect(() => parseCliArguments(['--judge'])).toThrow(UsageError);
    expect(() => parseCliArguments(['--url', 'ftp://x'])).toThrow(/--url must be an http\(s\) URL/);
    expect(() => parseCliArguments(['--bogus'])).toThrow(UsageError);
  });
});

describe('HTTP client against a real server on 127.0.0.1', () => {
  it('scores a server that answers in JSON, streams SSE, rate-limits once and fails one request', async () => {
    const { createServer } = await import('node:http');
    const { createHttpClient } = await import('../eval/clients.ts');
    const { runEval } = await import('../eval/run-eval.ts');
    const citation = { marker: 1, id: 'c1', text: 'införa avgiftsfri alkoholrådgivning', section: 'Uppdrag', kind: 'uppdrag', document: { id: 'd4', title: 'T', source: 'centrum.txt', committee: 'Socialnämnden Centrum', type: 'genomförandeplan', status: 'förslag' } };
    const seen: string[] = [];
    let searches = 0;
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        seen.push(`${request.method} ${request.url} ${request.headers.accept}`);
        const json = (status: number, value: unknown): void => {
          response.writeHead(status, { 'content-type': 'application/json' });
          response.end(JSON.stringify(value));
        };
        if (request.url === '/api/search' && ++searches === 1) {
          response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
          return response.end(JSON.stringify({ error: { code: 'rate_limited', message: 'Too many requests' } }));
        }
        if (request.url === '/api/search') return json(200, { query: JSON.parse(body).query, results: [{ id: 'c1', score: 1, text: citation.text, section: 'Uppdrag', kind: 'uppdrag', document: citation.document }], understood: { text: 'x' } });
        if (request.url === '/api/documents/d4') return json(200, { document: {}, chunks: [{ text: 'Socialnämnden Centrum får i uppdrag att införa avgiftsfri alkoholrådgivning.' }] });
        if (request.url === '/api/chat') {
          const question = JSON.parse(body).messages.at(-1).content as string;
          if (question.includes('trasig')) return json(400, { error: { code: 'bad_request', message: 'messages: too long' } });
          const done = { answer: 'Centrum ska införa avgiftsfri alkoholrådgivning [1].', abstained: false, answerer: 'extractive', citations: [citation], query: { text: question } };
          if (question.includes('ström')) {
            response.writeHead(200, { 'content-type': 'text/event-stream' });
            return response.end(`event: citations\ndata: {"type":"citations"}\n\nevent: done\ndata: ${JSON.stringify(done)}\n\n`);
          }
          return json(200, done);
        }
        json(404, { error: { code: 'not_found', message: 'no' } });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const address = server.address() as { port: number };
      const item = (id: string, question: string) => ({ id, category: 'ocr', turns: [question], answerable: true, evidence: [{ doc: 'D4', text: 'införa avgiftsfri alkoholrådgivning' }], forbidden: [], facts: ['avgiftsfri'] });
      const dataset = { docs: { D4: 'centrum.txt' }, items: [item('a', 'Alkohol i Centrum?'), item('b', 'Alkohol i Centrum, ström?'), item('c', 'trasig fråga')] };
      const waits: number[] = [];
      const client = createHttpClient(`http://127.0.0.1:${address.port}`, { sleep: async (milliseconds) => void waits.push(milliseconds) });
      const run = await runEval(client, dataset, { k: 5 });
      expect(waits).toEqual([7000]);
      expect(searches).toBe(3); // items a (429, then retried) and b; item c fails at /api/chat before searching
      expect(run.items.map((result) => result.passed)).toEqual([true, true, false]);
      expect(run.items[2].error).toMatch(/POST \/api\/chat → HTTP 400 bad_request: messages: too long/);
      expect(run.summary.errors).toBe(1);
      expect(run.summary.citationRecall).toBeCloseTo(2 / 3, 10);
      expect(run.summary.faithfulness).toBe(1);
      expect(seen).toContain('POST /api/chat application/json');
      expect(seen.filter((line) => line.startsWith('GET /api/documents/d4'))).toHaveLength(1);
    } finally {
      server.close();
    }
  });
});
