/**
 * Swedish texts of the widget and how documents and errors are described to the user.
 */
import type { Citation } from '../../src/core/types.ts';
import type { WidgetRequestError } from './api.ts';

/** Every fixed text the widget shows. */
export const TEXT = {
  title: 'Planassistenten',
  intro: 'Ställ en fråga om nämndernas planer, uppdrag och yrkanden. Svaren bygger på stadens dokument och visar källorna.',
  newConversation: 'Ny konversation',
  inputLabel: 'Din fråga',
  inputHint: 'Enter skickar, Skift+Enter ger ny rad. Esc i ett svar tar dig tillbaka hit.',
  backToQuestionHint: 'Tryck Escape för att gå till frågerutan och ställa en följdfråga.',
  placeholder: 'Skriv din fråga här …',
  send: 'Skicka',
  stop: 'Stoppa',
  you: 'Du',
  assistant: 'Planassistenten',
  conversation: 'Konversation',
  empty: 'Inga frågor ännu.',
  thinking: 'Söker i dokumenten …',
  stopped: 'Svaret stoppades.',
  sources: 'Källor',
  sourceButton: (marker: number, title: string): string => `Källa ${marker}: ${title}`,
  abstainedTitle: 'Inget säkert svar',
  abstainedHint:
    'Jag hittade inget tydligt stöd i dokumenten. Prova att nämna nämnden (till exempel Socialnämnden Centrum), året eller ett ämnesord, som ”uppdrag om familjehem”.',
  feedbackQuestion: 'Var svaret till hjälp?',
  feedbackUp: 'Ja, bra svar',
  feedbackDown: 'Nej, dåligt svar',
  feedbackUpShort: 'Ja',
  feedbackDownShort: 'Nej',
  feedbackCommentLabel: 'Vad var fel? (frivilligt)',
  feedbackSend: 'Skicka omdöme',
  feedbackThanks: 'Tack för ditt omdöme!',
  feedbackFailed: 'Omdömet kunde inte skickas.',
  retry: 'Försök igen',
  dialogClose: 'Stäng',
  dialogLoading: 'Hämtar källan …',
  dialogFailed: 'Sammanhanget kunde inte hämtas. Här är det citerade stycket:',
  citedPassage: 'Citerat stycke',
  section: 'Avsnitt',
  file: 'Fil',
  announceDone: 'Svaret är klart.',
  announceAbstained: 'Inget säkert svar hittades.',
  announceStopped: 'Svaret stoppades.',
  emptyQuestion: 'Skriv en fråga först.',
} as const;

const TYPE_LABEL: Record<string, string> = {
  genomförandeplan: 'Genomförandeplan',
  verksamhetsplan: 'Verksamhetsplan',
  yrkande: 'Yrkande',
  presentation: 'Presentation',
  annat: 'Dokument',
};

/** Type and status in one phrase; a yrkande is always "Yrkande (förslag, ej beslutat)". */
export function describeTypeAndStatus(document: Pick<Citation['document'], 'type' | 'status'>): string {
  const type = TYPE_LABEL[document.type] ?? 'Dokument';
  if (document.type === 'yrkande') return 'Yrkande (förslag, ej beslutat)';
  switch (document.status) {
    case 'beslutad':
      return `${type} (beslutad)`;
    case 'yrkande':
    case 'förslag':
      return `${type} (förslag, ej beslutat)`;
    case 'information':
      return `${type} (information)`;
    default:
      return type;
  }
}

/** The year of a document: its plan year, else the year of its date. */
export function documentYear(document: Pick<Citation['document'], 'year' | 'date'>): string | undefined {
  if (typeof document.year === 'number') return String(document.year);
  const match = /^(\d{4})/.exec(document.date ?? '');
  return match ? match[1] : undefined;
}

/** "Socialnämnden Centrum · Yrkande (förslag, ej beslutat) · V, S, MP · 2024" */
export function describeDocument(document: Citation['document']): string {
  const parts = [document.committee, describeTypeAndStatus(document)];
  if (document.parties?.length) parts.push(document.parties.join(', '));
  const year = documentYear(document);
  if (year) parts.push(year);
  return parts.filter(Boolean).join(' · ');
}

/** "7 sekunder", "3 minuter", "5 timmar": a wait rounded up to a unit a reader can use. */
export function describeWait(seconds: number): string {
  const value = Math.max(1, Math.ceil(seconds));
  if (value < 90) return `${value} ${value === 1 ? 'sekund' : 'sekunder'}`;
  const minutes = Math.ceil(value / 60);
  if (minutes < 90) return `${minutes} minuter`;
  const hours = Math.ceil(value / 3600);
  return `${hours} ${hours === 1 ? 'timme' : 'timmar'}`;
}

/** A plain-Swedish explanation of a failed request. */
export function describeError(error: WidgetRequestError): string {
  switch (error.details.code) {
    case 'budget_exhausted':
      return error.details.retryAfterSeconds
        ? `Planassistenten har tagit emot så många frågor från den här webbplatsen i dag att dagens gräns är nådd. Försök igen om ungefär ${describeWait(error.details.retryAfterSeconds)}.`
        : 'Planassistenten har tagit emot så många frågor från den här webbplatsen i dag att dagens gräns är nådd. Försök igen i morgon.';
    case 'payload_too_large':
      return 'Frågan eller konversationen är för lång. Korta frågan eller börja en ny konversation.';
    case 'forbidden_origin':
      return 'Den här webbplatsen har inte behörighet att använda Planassistenten.';
    case 'index_empty':
    case 'index_mismatch':
      return 'Dokumenten går inte att söka i just nu. Försök igen senare.';
    case 'provider_error':
      return 'Språkmodellen svarar inte just nu. Försök igen om en stund.';
    default:
      break;
  }
  switch (error.kind) {
    case 'offline':
      return 'Din enhet är inte ansluten till internet. Anslut och försök igen.';
    case 'network':
      return 'Det gick inte att nå Planassistenten. Tjänsten kan vara tillfälligt nere. Försök igen om en stund.';
    case 'rate_limited':
      return error.details.retryAfterSeconds
        ? `Många frågor just nu. Vänta ${describeWait(error.details.retryAfterSeconds)} och försök igen.`
        : 'Många frågor just nu. Vänta en stund och försök igen.';
    case 'server':
      return 'Planassistenten har ett tillfälligt fel. Försök igen om en stund.';
    case 'stream':
      return 'Svaret avbröts innan det var klart. Försök igen.';
    case 'client':
    default:
      return 'Frågan kunde inte tas emot. Formulera om den och försök igen.';
  }
}
