/**
 * Unicode normalisation before the repair (`src/core/swedish/normalize.ts`), on fictional text of other nämnder,
 * plus checks on the ten sample documents that no ligature, soft hyphen or "�" survives and valid words are kept.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHunspellLexicon } from '../src/adapters/hunspell-lexicon.ts';
import { damageReport, normalizeText } from '../src/core/swedish/normalize.ts';
import { prepareDocumentText } from '../src/core/swedish/prepare.ts';
import { repairDocument, repairQuery } from '../src/core/swedish/repair.ts';
import type { Lexicon } from '../src/core/types.ts';

const root = join(import.meta.dirname, '..');
const sampleFolders = [join(root, 'data', 'corpus'), join(root, 'eval', 'corpus-dev2')];
const samples = sampleFolders.flatMap((folder) =>
  readdirSync(folder)
    .filter((name) => name.endsWith('.txt'))
    .map((name) => ({ name, text: readFileSync(join(folder, name), 'utf8') })),
);

let lexicon: Lexicon;
beforeAll(async () => {
  lexicon = await createHunspellLexicon();
});

describe('normalizeText', () => {
  it('expands ligatures and other compatibility characters (NFKC)', () => {
    const { text, changes } = normalizeText('Stadsmiljönämnden ska ﬁnansiera ﬂer trädplanteringar och eﬀektivisera ＧＩＳ-arbetet.');
    expect(text).toBe('Stadsmiljönämnden ska finansiera fler trädplanteringar och effektivisera GIS-arbetet.');
    expect(changes.filter((change) => change.kind === 'ligature').map((change) => change.to).sort()).toEqual(['ff', 'fi', 'fl']);
  });

  it('keeps characters whose compatibility form loses meaning (m², ½) and the spacing marks the repair reads', () => {
    expect(normalizeText('Parken är 4 500 m² och ½ av ytan är gräs.').text).toBe('Parken är 4 500 m² och ½ av ytan är gräs.');
    expect(normalizeText('fo¨ rvaltningen').text).toBe('fo¨ rvaltningen');
  });

  it('removes soft hyphens and joins a soft-hyphenated word over a line break or a space', () => {
    const raw = 'Miljö- och klimatnämnden antar miljö\u00ADprogrammet enligt tjänste\u00AD\nutlåtandet från förvaltningen.\nVerksamhets\u00AD område 3 och klimat\u00AD \nanpassning.';
    const { text } = normalizeText(raw);
    expect(text).not.toContain('\u00AD');
    expect(text).toContain('miljöprogrammet');
    expect(text).toContain('tjänsteutlåtandet');
    expect(text).toContain('Verksamhetsområde 3');
    expect(text).toContain('klimatanpassning.');
    // The joined word stands on the first line; the other lines stay lines.
    expect(text.split('\n')).toHaveLength(raw.split('\n').length);
    expect(text.split('\n')[0]).toMatch(/tjänsteutlåtandet$/);
    // A next line that held only the word's rest goes with it: no blank line (paragraph break) is made.
    expect(normalizeText('1. Budgeten fastställs enligt tjänste\u00AD\nutlåtandet.\n2. Avgifterna fastställs.').text).toBe(
      '1. Budgeten fastställs enligt tjänsteutlåtandet.\n2. Avgifterna fastställs.',
    );
  });

  it('composes combining marks (NFC) but leaves a mark before a space to the split-diacritic repair', () => {
    expect(normalizeText('Na\u0308mnden fo\u0308reslår a\u030Atgärder.').text).toBe('Nämnden föreslår åtgärder.');
    expect(normalizeText('fo\u0308 rvaltningen').text).toBe('fo\u0308 rvaltningen');
  });

  it('normalises no-break, thin and narrow spaces and removes invisible characters', () => {
    const { text } = normalizeText('Budgeten\u00A0är 12\u202F400\u2009tkr\u200B för\uFEFF 2026.\r\nNy rad');
    expect(text).toBe('Budgeten är 12 400 tkr för 2026.\nNy rad');
    expect(normalizeText('Sista raden på sidan.\fFörsta raden\u2028på nästa sida.').text).toBe('Sista raden på sidan.\nFörsta raden\npå nästa sida.');
  });

  it('replaces "�" by the å/ä/ö/é that makes a valid word (lexicon), otherwise removes and reports it', () => {
    const { text, changes } = normalizeText('Idrotts- och f\uFFFDreningsn\uFFFDmnden ska \uFFFDka tillg\uFFFDngligheten. \uFFFDrsrapporten kommer. Zq\uFFFDx', lexicon);
    expect(text).toBe('Idrotts- och föreningsnämnden ska öka tillgängligheten. Årsrapporten kommer. Zqx');
    expect(text).not.toContain('\uFFFD');
    expect(changes.find((change) => change.kind === 'replacement-character' && change.unresolved)?.from).toBe('Zq\uFFFDx');
    // Without a lexicon every "�" is removed (and reported), never left in the text.
    expect(normalizeText('f\uFFFDr').text).toBe('fr');
  });

  it('leaves clean Swedish text exactly as it is', () => {
    const clean = 'Nämnden för arbetsmarknad och vuxenutbildning ska öka antalet platser – se §§ 4–6 (2025-01-21).\n\n• Yrkesvux: 3 400 platser.';
    expect(normalizeText(clean, lexicon)).toEqual({ text: clean, changes: [] });
  });

  it('is used on queries too', () => {
    expect(repairQuery('Vilka mål har ﬁnansnämn\u00ADden\u00A0för 2025?', lexicon)).toBe('Vilka mål har finansnämnden för 2025?');
  });
});

describe('damageReport', () => {
  it('counts ligatures, soft hyphens, "�", uncomposed marks, odd spaces and split diacritics', () => {
    const report = damageReport('ﬁnns ﬂer\u00AD f\uFFFDr a\u0308\u00A0fo r na mnden', lexicon);
    expect(report).toEqual({ ligatures: 2, softHyphens: 1, replacementCharacters: 1, uncomposedMarks: 1, oddSpaces: 1, splitDiacritics: 2 });
    expect(damageReport('Nämnden för data om förskolan', lexicon)).toMatchObject({ splitDiacritics: 0, ligatures: 0 });
  });
});

describe('the ten sample documents after preparation and repair', () => {
  it.each(samples.map((sample) => [sample.name, sample.text]))('%s: no ligature, soft hyphen, "�" or split mark remains', (_name, raw) => {
    const prepared = prepareDocumentText(raw, lexicon);
    for (const text of [prepared.text, repairDocument(prepared.text, lexicon).text]) {
      expect(text).not.toMatch(/[\uFB00-\uFB06\u00AD\uFFFD\u0300-\u036f\u00A0]/);
      expect(damageReport(text, lexicon)).toMatchObject({ ligatures: 0, softHyphens: 0, replacementCharacters: 0, uncomposedMarks: 0 });
    }
  });

  it.each(samples.map((sample) => [sample.name, sample.text]))('%s: every dictionary word of the raw text is kept by the normalisation', (_name, raw) => {
    const words = (text: string): Map<string, number> => {
      const counts = new Map<string, number>();
      for (const word of text.match(/\p{L}{2,}/gu) ?? []) if (lexicon.isWord(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
      return counts;
    };
    // Words joined over a soft hyphen ("tjänste\u00AD⏎utlåtandet") count as the joined word.
    const before = words(raw.replace(/\u00AD\s*/g, ''));
    const after = words(normalizeText(raw, lexicon).text);
    for (const [word, count] of before) expect(after.get(word) ?? 0, word).toBeGreaterThanOrEqual(count);
  });

  it('the damaged samples had ligatures and soft hyphens to remove (the checks above are not vacuous)', () => {
    const total = samples.map((sample) => damageReport(sample.text)).reduce((sum, report) => sum + report.ligatures + report.softHyphens, 0);
    expect(total).toBeGreaterThan(0);
  });
});
