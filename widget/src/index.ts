/**
 * Entry of `widget.js`: registers `<plan-assistent>`. Include with
 * `<script src="https://host/widget.js" defer></script><plan-assistent></plan-assistent>`;
 * without an `api` attribute the element talks to the origin the script was loaded from.
 */
import { PlanAssistentElement, setDefaultApi } from './plan-assistent-element.ts';

/** The origin of the executing script (classic scripts, also with `defer`), else the page's. */
function scriptOrigin(): string {
  const script = document.currentScript;
  try {
    if (script instanceof HTMLScriptElement && script.src) return new URL(script.src, location.href).origin;
  } catch {
    // Unparsable src: fall back to the page.
  }
  return location.origin;
}

setDefaultApi(scriptOrigin());
if (!customElements.get('plan-assistent')) customElements.define('plan-assistent', PlanAssistentElement);
