/**
 * The accessibility statement served beside the demo page (`/tillganglighet`): what is tested, how, the known
 * gaps and whom to contact. Plain strings (no DOM), so the HTTP layer can serve it on any runtime.
 * Keep it true: every claim under "Så testar vi" is a test in `tests/browser/`.
 */

/** Who answers questions about accessibility (override per deployment). */
export interface AccessibilityContact {
  /** Organisation shown as the responsible party. */
  organisation: string;
  /** Phone number (shown as a tel: link). */
  phone?: string;
  /** E-mail address (shown as a mailto: link). */
  email?: string;
  /** A web form or page for feedback. */
  url?: string;
}

/** Options of {@link renderAccessibilityPage}. */
export interface AccessibilityPageOptions {
  contact?: AccessibilityContact;
  /** Date the statement was last reviewed (YYYY-MM-DD). */
  reviewed?: string;
}

/** Default contact of the demo deployment (the switchboard shown on the demo page). */
export const DEFAULT_ACCESSIBILITY_CONTACT: AccessibilityContact = { organisation: 'Göteborgs Stad', phone: '031-365 00 00' };

/** Date the statement below was last checked against the tests. */
export const STATEMENT_REVIEWED = '2026-12-02';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function contactItems(contact: AccessibilityContact): string {
  const items: string[] = [];
  if (contact.phone) items.push(`<li>Telefon: <a href="tel:${escapeHtml(contact.phone.replace(/[^\d+]/g, ''))}">${escapeHtml(contact.phone)}</a></li>`);
  if (contact.email) items.push(`<li>E-post: <a href="mailto:${escapeHtml(contact.email)}">${escapeHtml(contact.email)}</a></li>`);
  if (contact.url) items.push(`<li>Webbformulär: <a href="${escapeHtml(contact.url)}">${escapeHtml(contact.url)}</a></li>`);
  return items.join('\n        ');
}

/** The statement as one self-contained HTML page (inline CSS, no script). */
export function renderAccessibilityPage(options: AccessibilityPageOptions = {}): string {
  const contact = options.contact ?? DEFAULT_ACCESSIBILITY_CONTACT;
  const reviewed = escapeHtml(options.reviewed ?? STATEMENT_REVIEWED);
  const organisation = escapeHtml(contact.organisation);
  return `<!doctype html>
<html lang="sv">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="icon" href="data:,">
  <title>Tillgänglighet för Planassistenten – ${organisation}</title>
  <style>
    * { box-sizing: border-box; }
    body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1a1a1a; background: #fff; line-height: 1.6; }
    a { color: #004b89; }
    :focus-visible { outline: 3px solid #004b89; outline-offset: 2px; }
    .skip { position: absolute; left: -999px; top: 0; background: #fff; padding: 0.5rem 1rem; }
    .skip:focus { left: 0.5rem; }
    header, main, footer { max-width: 48rem; margin: 0 auto; padding: 1rem; }
    header { border-bottom: 4px solid #004b89; }
    h1 { color: #004b89; line-height: 1.2; font-size: clamp(1.6rem, 4vw, 2.2rem); }
    h2 { margin-top: 2rem; font-size: 1.3rem; }
    h3 { font-size: 1.05rem; margin-bottom: 0.25rem; }
    kbd { font-family: inherit; border: 1px solid #8a99a8; border-bottom-width: 2px; border-radius: 4px; padding: 0 0.3rem; background: #f4f6f8; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; vertical-align: top; border-bottom: 1px solid #d3dce6; padding: 0.35rem 0.5rem 0.35rem 0; }
    footer { color: #4a5561; font-size: 0.95rem; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  </style>
</head>
<body>
  <a class="skip" href="#innehall">Hoppa till innehållet</a>
  <header><a href="/">Till Planassistenten</a></header>
  <main id="innehall">
    <h1>Tillgänglighet för Planassistenten</h1>
    <p>${organisation} står bakom Planassistenten, som svarar på frågor om nämndernas plandokument. Vi vill att alla ska kunna använda tjänsten, oavsett hur man läser, hör eller styr sin dator eller telefon. Här beskriver vi hur tjänsten uppfyller lagen (2018:1937) om tillgänglighet till digital offentlig service, vad vi testar, kända brister och hur du kontaktar oss.</p>

    <h2>Hur tillgänglig är tjänsten?</h2>
    <p>Målet är att uppfylla WCAG 2.1 nivå AA. Tjänsten är <strong>delvis förenlig</strong> med kraven: de brister vi känner till står under <a href="#brister">Kända brister</a>.</p>

    <h2>Så använder du den med tangentbordet</h2>
    <table>
      <caption class="visually-hidden">Kortkommandon</caption>
      <tr><th scope="col">Tangent</th><th scope="col">Vad den gör</th></tr>
      <tr><td><kbd>Enter</kbd></td><td>Skickar frågan.</td></tr>
      <tr><td><kbd>Skift</kbd> + <kbd>Enter</kbd></td><td>Ny rad i frågan.</td></tr>
      <tr><td><kbd>Tab</kbd></td><td>Går till källhänvisningarna, källorna och omdömesknapparna i svaret.</td></tr>
      <tr><td><kbd>Escape</kbd> i ett svar</td><td>Tar dig tillbaka till frågerutan, så att du kan ställa en följdfråga direkt.</td></tr>
      <tr><td><kbd>Escape</kbd> i en källa</td><td>Stänger källan och återför dig till länken du kom från.</td></tr>
    </table>
    <p>När ett svar är klart flyttas fokus till svaret och en skärmläsare läser upp det, följt av tipset om <kbd>Escape</kbd>.</p>

    <h2>Så testar vi</h2>
    <p>Varje ändring testas automatiskt i webbläsaren Chromium mot en riktig server med stadens dokument:</p>
    <ul>
      <li><strong>axe-core</strong> (regler för WCAG 2.0 och 2.1, nivå A och AA, och god praxis) på sidan, i Planassistenten och i den öppna källrutan – på mobil (390 × 844 bildpunkter) och dator (1280 × 800). Kravet är noll avvikelser.</li>
      <li><strong>Tangentbord</strong>: hela flödet med bara tangentbordet – exempelfråga, svar, källhänvisning, källa, omdöme och följdfråga – med synlig fokusmarkering i varje steg, och att en följdfråga går att ställa med högst två tangenttryckningar efter ett svar.</li>
      <li><strong>Skärmläsarmeddelanden</strong>: att det färdiga svaret, stoppade svar och fel meddelas i en levande region (<code>aria-live</code>) och att fel har rollen <code>alert</code>.</li>
      <li><strong>Omflödning och förstoring</strong>: att innehållet ryms utan vågrät rullning vid 320 bildpunkters bredd och vid 200 % zoom, och att svar och källor visas utan en liten rullruta inuti sidan.</li>
      <li><strong>Fel</strong>: att servern inte svarar, för många frågor (med väntetid), dagens gräns för webbplatsen, ingen internetanslutning och serverfel får var sitt begripligt meddelande på svenska och en knapp för att försöka igen.</li>
      <li><strong>Kontrast</strong>: axe-core kontrollerar att texten i standardfärgerna har minst 4,5:1 kontrast mot bakgrunden.</li>
    </ul>

    <h2 id="brister">Kända brister</h2>
    <ul>
      <li>Tjänsten har inte testats av användare med skärmläsare (NVDA, JAWS, VoiceOver, TalkBack); de automatiska testerna ersätter inte det.</li>
      <li>Texten i dokumenten kommer ofta från skannade PDF-filer. Den kan innehålla avstavningar, felstavningar och tabeller som blivit löpande text, och kan då låta konstig i en skärmläsare. Originaldokumenten är inte alltid tillgängliga.</li>
      <li>Källrutan visar dokumenttexten utan dokumentets egna rubriker och tabeller.</li>
      <li>Tjänsten har stilregler för tvingade färger (till exempel Windows högkontrastläge), men de testas inte automatiskt.</li>
      <li>Svaren är på svenska. Frågor på engelska förstås, men svaren kan vara på svenska.</li>
      <li>På skärmar med liten höjd (till exempel en telefon i liggande läge eller vid kraftig zoom) följer frågerutan inte med när du rullar; den ligger då under samtalet.</li>
      <li>Svaren skapas automatiskt och kan vara ofullständiga. Läs källan innan du fattar beslut utifrån ett svar.</li>
    </ul>

    <h2>Kontakta oss</h2>
    <p>Om du inte kan använda tjänsten, hittar en brist som inte står här eller behöver innehållet i ett annat format, kontakta ${organisation}:</p>
    <ul>
        ${contactItems(contact)}
    </ul>

    <h2>Tillsyn</h2>
    <p>Myndigheten för digital förvaltning (Digg) ansvarar för tillsynen över lagen om tillgänglighet till digital offentlig service. Om du inte är nöjd med hur vi hanterar dina synpunkter kan du anmäla det till Digg på <a href="https://www.digg.se">digg.se</a>.</p>
  </main>
  <footer>
    <p>Redogörelsen granskades senast ${reviewed} mot tjänstens automatiska tester.</p>
  </footer>
</body>
</html>
`;
}
