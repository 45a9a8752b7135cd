/**
 * The widget's stylesheet (inside the shadow root). Theme with CSS custom properties on the element or any ancestor:
 * `--pa-primary`, `--pa-primary-text`, `--pa-surface`, `--pa-surface-alt`, `--pa-text`, `--pa-muted`, `--pa-border`,
 * `--pa-focus`, `--pa-highlight`, `--pa-danger`, `--pa-font`, `--pa-font-size`, `--pa-radius`, `--pa-log-height`
 * (unset by default: the conversation grows with the page).
 * Every default pair meets WCAG 2.1 AA contrast (≥ 4.5:1 for text).
 */
export const WIDGET_CSS = `
:host {
  all: initial;
  display: block;
  box-sizing: border-box;
  min-width: 0;
  --_primary: var(--pa-primary, #004b89);
  --_primary-dark: var(--pa-primary-dark, #00325c);
  --_primary-text: var(--pa-primary-text, #ffffff);
  --_surface: var(--pa-surface, #ffffff);
  --_surface-alt: var(--pa-surface-alt, #eef4fa);
  --_text: var(--pa-text, #1a1a1a);
  --_muted: var(--pa-muted, #4a5561);
  --_border: var(--pa-border, #8a99a8);
  --_border-soft: var(--pa-border-soft, #d3dce6);
  --_focus: var(--pa-focus, #004b89);
  --_highlight: var(--pa-highlight, #ffe27a);
  --_danger: var(--pa-danger, #a4000f);
  --_radius: var(--pa-radius, 8px);
  font-family: var(--pa-font, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif);
  font-size: var(--pa-font-size, 1rem);
  line-height: 1.5;
  color: var(--_text);
  text-align: start;
}
:host([hidden]) { display: none; }
[hidden] { display: none !important; }
*, *::before, *::after { box-sizing: border-box; }
button, textarea { font: inherit; color: inherit; }
:focus { outline: none; }
:focus-visible { outline: 3px solid var(--_focus); outline-offset: 2px; border-radius: 4px; }
.visually-hidden {
  position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0;
  overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap;
}
.panel, dialog {
  /* Set again here (not only on :host) so host-page rules on the element itself cannot be inherited inside. */
  color: var(--_text);
  font-family: var(--pa-font, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif);
  font-size: var(--pa-font-size, 1rem);
  font-style: normal; font-weight: 400; letter-spacing: normal; word-spacing: normal; text-transform: none;
  text-align: start; line-height: 1.5; visibility: visible;
}
.panel {
  display: flex; flex-direction: column; min-width: 0;
  background: var(--_surface); border: 1px solid var(--_border-soft); border-radius: var(--_radius);
  box-shadow: 0 1px 3px rgba(0, 0, 0, 0.08);
  /* clip, not hidden: hidden would make the panel a scroll container and break the sticky composer. */
  overflow: hidden; overflow: clip;
}
.header {
  display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem 1rem;
  padding: 0.75rem 1rem; background: var(--_primary); color: var(--_primary-text);
}
.header h2 { margin: 0; font-size: 1.2rem; line-height: 1.3; font-weight: 700; }
.header :focus-visible { outline-color: var(--_primary-text); }
.intro { margin: 0; padding: 0.75rem 1rem 0; color: var(--_muted); font-size: 0.95rem; }
.button {
  display: inline-flex; align-items: center; justify-content: center; gap: 0.35rem;
  min-height: 2.5rem; padding: 0.4rem 1rem; border-radius: 6px; cursor: pointer;
  border: 2px solid var(--_primary); background: var(--_primary); color: var(--_primary-text); font-weight: 600;
}
.button:hover { background: var(--_primary-dark); border-color: var(--_primary-dark); }
.button.secondary { background: var(--_surface); color: var(--_primary); }
.button.secondary:hover { background: var(--_surface-alt); }
.button.on-primary { background: transparent; border-color: var(--_primary-text); color: var(--_primary-text); min-height: 2.25rem; padding: 0.25rem 0.75rem; }
.button.on-primary:hover { background: rgba(255, 255, 255, 0.15); }
.button[disabled] { cursor: not-allowed; opacity: 0.6; }
.log {
  /* No height of its own by default: the conversation grows with the page and uses the page's scroll
     (no small box inside a scrolling page). --pa-log-height gives it a fixed height, e.g. in a sidebar. */
  max-height: var(--pa-log-height, none); min-height: 4rem; overflow-y: auto; overscroll-behavior: contain;
  padding: 0.75rem 1rem; display: flex; flex-direction: column; gap: 1rem;
}
.log:focus-visible { outline-offset: -3px; }
.empty { color: var(--_muted); margin: 0; }
.exchange { list-style: none; display: flex; flex-direction: column; gap: 0.5rem; margin: 0; padding: 0; }
.messages { margin: 0; padding: 0; display: flex; flex-direction: column; gap: 1.25rem; }
.question {
  align-self: flex-end; max-width: 90%; margin: 0; padding: 0.5rem 0.75rem;
  background: var(--_surface-alt); border-radius: var(--_radius) var(--_radius) 2px var(--_radius);
  white-space: pre-wrap; overflow-wrap: break-word;
}
.speaker { display: block; font-size: 0.8rem; font-weight: 700; color: var(--_muted); }
.answer:focus-visible { outline-width: 2px; outline-offset: -2px; }
.answer {
  align-self: stretch; padding: 0.75rem; border: 1px solid var(--_border-soft); border-left: 4px solid var(--_primary);
  border-radius: 2px var(--_radius) var(--_radius) var(--_radius); overflow-wrap: break-word; min-width: 0;
}
.answer-text p { margin: 0 0 0.5rem; white-space: pre-wrap; }
.answer-text ul, .answer-text ol { margin: 0 0 0.5rem; padding-left: 1.5rem; }
.answer-text li { margin: 0 0 0.35rem; }
.status { margin: 0; color: var(--_muted); font-style: italic; }
.marker {
  display: inline-block; min-width: 1.6rem; margin: 0 0.1rem; padding: 0 0.3rem; border-radius: 4px; cursor: pointer;
  border: 1px solid var(--_primary); background: var(--_surface-alt); color: var(--_primary);
  font-size: 0.8rem; font-weight: 700; line-height: 1.3rem; vertical-align: 0.1em;
}
.marker:hover { background: var(--_primary); color: var(--_primary-text); }
.abstained { margin: 0 0 0.5rem; padding: 0.5rem 0.75rem; background: #fff8e1; border: 1px solid #b88a00; border-radius: 6px; color: var(--_text); }
.abstained strong { display: block; }
.abstained .answer-text p:last-child { margin-bottom: 0; }
.sources { margin-top: 0.5rem; padding-top: 0.5rem; border-top: 1px solid var(--_border-soft); }
.sources h3 { margin: 0 0 0.35rem; font-size: 0.95rem; }
.sources ol { margin: 0; padding: 0; list-style: none; display: flex; flex-direction: column; gap: 0.35rem; }
.source {
  display: block; width: 100%; text-align: start; cursor: pointer; padding: 0.4rem 0.6rem;
  border: 1px solid var(--_border-soft); border-radius: 6px; background: var(--_surface);
}
.source:hover { border-color: var(--_primary); background: var(--_surface-alt); }
.source-title { display: block; color: var(--_primary); font-weight: 600; text-decoration: underline; text-underline-offset: 2px; }
.source-meta { display: block; color: var(--_muted); font-size: 0.875rem; }
.feedback { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; margin-top: 0.5rem; font-size: 0.9rem; color: var(--_muted); }
.feedback .thumb { display: inline-flex; align-items: center; gap: 0.35rem; min-width: 2.75rem; min-height: 2.25rem; padding: 0.15rem 0.7rem; font-size: 0.95rem; font-weight: 600; background: var(--_surface); color: var(--_text); border: 1px solid var(--_border); border-radius: 6px; cursor: pointer; }
.feedback .thumb[aria-pressed="true"] { background: var(--_primary); border-color: var(--_primary); color: var(--_primary-text); }
.feedback form { display: flex; flex-direction: column; gap: 0.35rem; width: 100%; }
.feedback textarea { width: 100%; min-height: 3rem; padding: 0.4rem; border: 1px solid var(--_border); border-radius: 6px; color: var(--_text); background: var(--_surface); }
.feedback label { color: var(--_text); }
.error { margin: 0; padding: 0.5rem 0.75rem; border: 1px solid var(--_danger); border-left-width: 4px; border-radius: 6px; color: var(--_danger); background: #fff5f5; }
.error p { margin: 0 0 0.5rem; }
.composer { border-top: 1px solid var(--_border-soft); padding: 0.75rem 1rem 1rem; display: flex; flex-direction: column; gap: 0.35rem; background: var(--_surface); }
/* The question box stays on screen while the page scrolls through a long answer, where the screen is tall
   enough for that not to hide the answer (not at 200 % zoom on a laptop, not in landscape on a phone). */
@media (min-height: 34rem) {
  .composer { position: sticky; bottom: 0; z-index: 1; box-shadow: 0 -2px 6px rgba(0, 0, 0, 0.08); }
}
.composer label { font-weight: 700; }
.hint { margin: 0; font-size: 0.85rem; color: var(--_muted); }
.composer-row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: flex-end; }
.composer textarea {
  flex: 1 1 12rem; min-width: 0; min-height: 2.75rem; max-height: 10rem; resize: vertical; padding: 0.5rem 0.6rem;
  border: 2px solid var(--_border); border-radius: 6px; background: var(--_surface); color: var(--_text);
}
.composer textarea:focus-visible { border-color: var(--_focus); outline-offset: 1px; }
.composer textarea::placeholder { color: var(--_muted); opacity: 1; }
.composer-buttons { display: flex; gap: 0.5rem; }
.notice { margin: 0; color: var(--_danger); font-size: 0.9rem; }
dialog {
  width: min(44rem, calc(100vw - 1rem)); max-height: calc(100dvh - 1rem); padding: 0; margin: auto; overflow: hidden;
  border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_surface); color: var(--_text);
  font-family: var(--pa-font, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif);
  line-height: 1.5; box-shadow: 0 10px 30px rgba(0, 0, 0, 0.3);
}
dialog::backdrop { background: rgba(0, 20, 40, 0.55); }
.dialog-inner { display: flex; flex-direction: column; max-height: calc(100dvh - 1rem - 2px); }
.dialog-header { flex: none; display: flex; flex-wrap: wrap-reverse; align-items: flex-end; justify-content: space-between; gap: 0.75rem; padding: 0.75rem 1rem; border-bottom: 1px solid var(--_border-soft); }
.dialog-header > div { flex: 1 1 13rem; min-width: 0; }
.dialog-header .close { flex: none; margin-left: auto; }
.dialog-header h2 { margin: 0; font-size: 1.1rem; line-height: 1.35; overflow-wrap: break-word; hyphens: auto; }
.dialog-meta { margin: 0.15rem 0 0; color: var(--_muted); font-size: 0.875rem; }
.dialog-body { position: relative; min-height: 0; padding: 0.75rem 1rem 1rem; overflow-y: auto; overflow-wrap: break-word; }
.dialog-body .context { margin: 0 0 0.75rem; color: var(--_muted); white-space: pre-wrap; }
.dialog-body .cited { margin: 0 0 0.75rem; white-space: pre-wrap; }
.dialog-body mark { background: var(--_highlight); color: #1a1a1a; padding: 0.1rem 0.15rem; box-decoration-break: clone; -webkit-box-decoration-break: clone; }
.dialog-body .section-path { margin: 0 0 0.5rem; font-size: 0.875rem; color: var(--_muted); }
@media (forced-colors: active) {
  .answer { border-left-width: 4px; }
  mark { forced-color-adjust: none; }
}
@media (max-width: 30rem) {
  .log { padding: 0.5rem 0.6rem; }
  .composer { padding: 0.6rem; }
  .header { padding: 0.6rem; }
  .intro { padding: 0.6rem 0.6rem 0; }
  .question { max-width: 100%; }
  .answer { padding: 0.6rem; }
  .composer { gap: 0.25rem; }
  .composer .hint { font-size: 0.8rem; }
  .composer-buttons { flex: 1 1 100%; }
  .composer-buttons .button { flex: 1 1 auto; }
  .sources .source { padding: 0.5rem; }
  dialog { width: 100%; max-width: 100%; max-height: 100dvh; margin: 0; border-radius: 0; border: 0; }
  .dialog-inner { max-height: 100dvh; }
}
`;
