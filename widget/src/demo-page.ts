/**
 * The demo page served at `/`: the widget as it would sit on a goteborg.se page, with example questions.
 * Plain strings (no DOM), so the HTTP layer can serve them on any runtime.
 */

/** Example questions shown as buttons that fill the widget's text box. */
export const EXAMPLE_QUESTIONS: readonly string[] = [
  'Vilka uppdrag har socialnämnden Centrum om familjehem?',
  'Vilka partier står bakom yrkandet om genomförandeplan för socialnämnden Nordost?',
  'Vad ska nämnden för demokrati och medborgarservice göra för att öka valdeltagandet?',
  'Hur tänker socialnämnden Centrum kring digitalisering under 2024?',
];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Script of the demo page (served as `/demo.js`, so the page needs no inline script). */
export const DEMO_SCRIPT = `document.addEventListener('click', function (event) {
  var target = event.target instanceof Element ? event.target.closest('[data-question]') : null;
  if (!target) return;
  var question = target.getAttribute('data-question') || '';
  customElements.whenDefined('plan-assistent').then(function () {
    var widget = document.querySelector('plan-assistent');
    if (widget && typeof widget.fill === 'function') widget.fill(question);
  });
});
`;

/** The demo page HTML. `widgetSrc` is the script URL (default `/widget.js`). */
export function renderDemoPage(options: { widgetSrc?: string; api?: string } = {}): string {
  const widgetSrc = escapeHtml(options.widgetSrc ?? '/widget.js');
  const apiAttribute = options.api ? ` api="${escapeHtml(options.api)}"` : '';
  const examples = EXAMPLE_QUESTIONS.map(
    (question) => `<li><button type="button" class="example" data-question="${escapeHtml(question)}">${escapeHtml(question)}</button></li>`,
  ).join('\n          ');
  return `<!doctype html>
<html lang="sv">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="icon" href="data:,">
  <title>Fråga om nämndernas planer – Planassistenten – Göteborgs Stad</title>
  <meta name="description" content="Ställ frågor om Göteborgs Stads nämnders genomförandeplaner, verksamhetsplaner och yrkanden och få svar med källor.">
  <style>
    :root { color-scheme: light; --page-blue: #004b89; --page-text: #1a1a1a; --page-muted: #4a5561; }
    * { box-sizing: border-box; }
    body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--page-text); background: #f4f6f8; line-height: 1.6; }
    a { color: var(--page-blue); }
    :focus-visible { outline: 3px solid var(--page-blue); outline-offset: 2px; }
    .skip { position: absolute; left: -999px; top: 0; background: #fff; padding: 0.5rem 1rem; z-index: 10; }
    .skip:focus { left: 0.5rem; }
    .site-header { background: #fff; border-bottom: 4px solid var(--page-blue); }
    .site-header .inner { max-width: 72rem; margin: 0 auto; padding: 0.75rem 1rem; display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem 1.5rem; }
    .logo { display: flex; align-items: center; gap: 0.6rem; font-weight: 800; font-size: 1.3rem; color: var(--page-blue); text-decoration: none; letter-spacing: 0.01em; }
    .logo-mark { width: 2.2rem; height: 2.2rem; border-radius: 50%; background: var(--page-blue); color: #fff; display: inline-flex; align-items: center; justify-content: center; font-size: 1rem; }
    .site-nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; margin: 0; padding: 0; }
    .site-nav a { text-decoration: none; font-weight: 600; }
    .site-nav a:hover { text-decoration: underline; }
    .breadcrumbs { max-width: 72rem; margin: 0 auto; padding: 0.75rem 1rem 0; font-size: 0.9rem; color: var(--page-muted); }
    .breadcrumbs ol { list-style: none; display: flex; flex-wrap: wrap; gap: 0.35rem; margin: 0; padding: 0; }
    .breadcrumbs li + li::before { content: "›"; margin-right: 0.35rem; }
    main { max-width: 72rem; margin: 0 auto; padding: 1rem 1rem 3rem; display: grid; grid-template-columns: minmax(0, 1fr); gap: 1.5rem; }
    @media (min-width: 60rem) { main { grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); } .lead, h1 { grid-column: 1 / -1; } }
    h1 { margin: 0.25rem 0 0; font-size: clamp(1.6rem, 4vw, 2.4rem); line-height: 1.2; color: var(--page-blue); }
    .lead { margin: 0; font-size: 1.15rem; max-width: 48rem; }
    .examples { background: #fff; border-radius: 8px; padding: 1rem 1.25rem; border: 1px solid #d3dce6; align-self: start; }
    .examples h2 { margin: 0 0 0.5rem; font-size: 1.15rem; }
    .examples p { margin: 0 0 0.75rem; color: var(--page-muted); font-size: 0.95rem; }
    .examples ul { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 0.5rem; }
    .example { width: 100%; text-align: left; font: inherit; font-size: 0.95rem; padding: 0.5rem 0.75rem; border: 2px solid var(--page-blue); border-radius: 6px; background: #fff; color: var(--page-blue); cursor: pointer; }
    .example:hover { background: #eef4fa; }
    .about { grid-column: 1 / -1; max-width: 48rem; }
    .about h2 { font-size: 1.2rem; margin-bottom: 0.25rem; }
    .site-footer { background: var(--page-blue); color: #fff; }
    .site-footer .inner { max-width: 72rem; margin: 0 auto; padding: 1.5rem 1rem; font-size: 0.95rem; }
    .site-footer a { color: #fff; }
  </style>
  <script src="${widgetSrc}" defer></script>
  <script src="/demo.js" defer></script>
</head>
<body>
  <a class="skip" href="#planassistenten">Hoppa till Planassistenten</a>
  <header class="site-header">
    <div class="inner">
      <a class="logo" href="/"><span class="logo-mark" aria-hidden="true">G</span>Göteborgs Stad</a>
      <nav class="site-nav" aria-label="Huvudmeny">
        <ul>
          <li><a href="/">Kommun och politik</a></li>
          <li><a href="/">Nämnder och styrelser</a></li>
          <li><a href="/">Kontakta oss</a></li>
        </ul>
      </nav>
    </div>
  </header>
  <nav class="breadcrumbs" aria-label="Du är här">
    <ol>
      <li><a href="/">Start</a></li>
      <li><a href="/">Kommun och politik</a></li>
      <li aria-current="page">Fråga om nämndernas planer</li>
    </ol>
  </nav>
  <main id="innehall">
    <h1>Fråga om nämndernas planer</h1>
    <p class="lead">Nämnderna i Göteborgs Stad beslutar varje år om verksamhetsplaner och genomförandeplaner. Partierna lämnar också yrkanden med egna förslag. Här kan du ställa frågor om dokumenten och se exakt var svaret står.</p>
    <div id="planassistenten">
      <plan-assistent${apiAttribute}></plan-assistent>
    </div>
    <aside class="examples" aria-labelledby="exempel-rubrik">
      <h2 id="exempel-rubrik">Exempel på frågor</h2>
      <p>Välj en fråga så hamnar den i rutan. Du kan ändra den innan du skickar.</p>
      <ul>
          ${examples}
      </ul>
    </aside>
    <section class="about" aria-labelledby="om-rubrik">
      <h2 id="om-rubrik">Om tjänsten</h2>
      <p>Planassistenten söker i nämndernas plandokument och svarar bara utifrån dem. Varje svar visar källorna, så att du kan läsa stycket i sitt sammanhang. Ett yrkande är ett förslag från ett eller flera partier och är inte ett beslut.</p>
      <p>Skriv inte personuppgifter i frågan. Dina frågor sparas bara i webbläsaren tills du stänger fliken.</p>
    </section>
  </main>
  <footer class="site-footer">
    <div class="inner">
      <p>Göteborgs Stad · 031-365 00 00 · Demosida för Planassistenten · <a href="/tillganglighet">Tillgänglighet</a></p>
    </div>
  </footer>
</body>
</html>
`;
}
