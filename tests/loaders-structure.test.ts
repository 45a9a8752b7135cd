/**
 * HTML, DOCX and PDF loaders keep the document's structure and drop page chrome (`ingest/loaders.ts`), on fixtures of
 * other nämnder (`tests/fixtures/layout-loaders/`): an HTML page with cookie banner, site header, navigation,
 * breadcrumbs, a side bar and a footer; a Word document with heading styles; a PDF with larger-font headings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractText, htmlToText } from '../ingest/loaders.ts';
import { readMetadata } from '../src/core/metadata.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'layout-loaders');
const load = (name: string): Promise<string> => extractText(readFileSync(join(FIXTURES, name)), name);
const lines = (text: string): string[] => text.split('\n');

/** A heading line: its own line with a blank line (or the start) before and after. */
function isHeadingLine(text: string, heading: string): boolean {
  const all = lines(text);
  const index = all.indexOf(heading);
  return index >= 0 && (index === 0 || all[index - 1] === '') && all[index + 1] === '';
}

describe('HTML loader', () => {
  it('keeps the main content and drops navigation, header, footer, side bar, cookie banner and scripts', async () => {
    const text = await load('idrott-forening-plan.html');
    expect(text).toContain('Idrotts- och föreningsnämnden ansvarar för stadens idrottsanläggningar');
    expect(text).toContain('Uppdragen följs upp i nämndens tertialrapporter och i årsrapporten.');
    for (const chrome of ['kakor', 'Startsida', 'Bo och bygga', 'Kontakta oss', 'Nämnder ›', 'Relaterade sidor', 'Föreningsstöd', '404 82', 'Tillgänglighetsredogörelse', 'spårningskod', 'display']) {
      expect(text, chrome).not.toContain(chrome);
    }
  });

  it('keeps headings as heading lines, list items and table rows as lines', async () => {
    const text = await load('idrott-forening-plan.html');
    expect(lines(text)[0]).toBe('Verksamhetsplan 2026 för idrotts- och föreningsnämnden');
    for (const heading of ['Mål 1: Fler barn och unga ska röra sig varje dag', 'Uppdrag', 'Uppföljning']) expect(isHeadingLine(text, heading), heading).toBe(true);
    expect(lines(text)).toContain('• Öppna idrottshallar på lördagar i Biskopsgården och Backa.');
    expect(lines(text)).toContain('Idrotts- och föreningsnämnden får i uppdrag att utreda ett nytt badhus i Nordost. | Tertialrapport 2');
    // A paragraph's source line breaks are whitespace, not line breaks.
    expect(text).toContain('en aktiv fritid i hela staden.');
    expect(text).toContain('föreningslivet. Nämnden ska under 2026');
  });

  it('uses <main> when the page marks it, and the <title> when there is no <h1>', () => {
    const html = `<html><head><title>Stadsmiljönämnden – Budget 2026</title></head><body>
      <header><a href="/">Göteborgs Stad</a><nav><a>Meny</a></nav></header>
      <main><h2>Sammanfattning</h2><p>Nämnden budgeterar 1 200 mnkr för gator och parker.</p>
      <footer>Senast uppdaterad 2026-01-10</footer></main>
      <footer>Göteborgs Stad, kontakt</footer></body></html>`;
    const text = htmlToText(html);
    expect(text).toBe('Stadsmiljönämnden – Budget 2026\n\nSammanfattning\n\nNämnden budgeterar 1 200 mnkr för gator och parker.');
  });
});

describe('DOCX loader', () => {
  it('turns heading styles into heading lines and keeps paragraphs as lines', async () => {
    const text = await load('stadsmiljo-genomforandeplan.docx');
    for (const heading of ['1 Inledning', 'Mål: Trygga och rena offentliga miljöer', 'Uppdrag']) expect(isHeadingLine(text, heading), heading).toBe(true);
    expect(lines(text)).toContain('Stadsmiljönämnden får i uppdrag att ta fram en plan för fler träd i innerstaden.');
    expect(lines(text)).toContain('Beslutad av stadsmiljönämnden 2025-12-09, § 214.');
  });
});

describe('PDF loader', () => {
  it('turns lines set in a clearly larger font into heading lines and keeps body lines as they are', async () => {
    const text = await load('arbetsmarknad-verksamhetsplan.pdf');
    expect(lines(text)[0]).toBe('Verksamhetsplan 2025 för nämnden för arbetsmarknad och vuxenutbildning');
    for (const heading of ['1 Inledning', 'Mål och indikatorer']) expect(isHeadingLine(text, heading), heading).toBe(true);
    expect(text).toContain('Nämnden ansvarar för vuxenutbildningen och arbetsmarknadsinsatserna i staden.\nArbetet sker i samverkan');
  });
});

describe('Markdown loader', () => {
  it('renders Markdown to text: no emphasis, link or heading marks; headings on lines of their own; list items and table cells', async () => {
    const file = 'kultur-genomforandeplan-2026.md';
    const text = await extractText(readFileSync(join(FIXTURES, file)), file);
    expect(text).not.toMatch(/\*\*|\]\(|^#|`/m);
    expect(text).toMatch(/^Genomförandeplan 2026 för kulturnämnden$/m);
    expect(text).toMatch(/^Från nämnden$/m);
    expect(text).toContain('Biblioteken ska vara öppna fler timmar under helger, se kulturprogrammet.');
    expect(text).toMatch(/^• Förvaltningen får i uppdrag att utöka de meröppna biblioteken/m);
    expect(text).toMatch(/Bibliotek \| 310 000 \| 318 500/);
  });

  it('a decision line set in bold still makes the plan adopted, with date and §', async () => {
    const file = 'kultur-genomforandeplan-2026.md';
    const text = await extractText(readFileSync(join(FIXTURES, file)), file);
    const meta = readMetadata({ source: file, text, contentHash: 'h' });
    expect(meta.status).toBe('beslutad');
    expect(meta.decision).toMatchObject({ date: '2025-12-11', paragraph: '162' });
  });
});
