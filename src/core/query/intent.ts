/**
 * What a question wants: a list of uppdrag, uppdrag of a given origin, or a number, person, date, place,
 * reason, way, yes/no or a description. Rules on folded words; Swedish and English.
 */
import { foldSwedish } from '../swedish/fold.ts';

/** What the answer should state. */
export type AskedFor = 'number' | 'person' | 'date' | 'place' | 'yes-no' | 'reason' | 'how' | 'what';

/**
 * Kind of list a question asks for: `uppdrag` (assignments, "Vilka uppdrag…", "Finns det några uppdrag…"),
 * `committees` ("Vilka socialnämnder ska…": answered with the uppdrag passages that name them) or `other`
 * ("Vilka är de fyra förhållningssätten…": a list, but not of uppdrag). `undefined` when not a list question.
 */
export type ListKind = 'uppdrag' | 'committees' | 'other';

/** Folded text with single spaces and no punctuation, padded with spaces for word-boundary matching. */
function normalise(text: string): string {
  return ` ${foldSwedish(text).replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
}

/** "uppdrag" alone or as the head of a compound ("trygghetsuppdrag", "budgetuppdrag"), or its English words. */
const UPPDRAG_NOUN = / ([a-z]*uppdrag|[a-z]*uppdragen|uppdragens|assignments?|tasks?|commissions?|mandates?) /;
const LIST_CUE =
  / (vilka|vilket|vilken|lista|lista upp|rakna upp|ange|nagra|nagot|alla|samtliga|vad for|finns|har \S+ for|which|what|list|any|all|show) /;
const COMMITTEES_LIST = / (vilka|vilken|which|what) (social)?(namnder|namnd|forvaltningar|committees|boards) /;
const OTHER_LIST = /^ (vilka|vilket|vilken|lista|rakna upp|which|what are|list|name the) /;
const PLURAL_LIST = / (vilka|which|what are|lista|rakna upp|list) /;

/**
 * List kind of a question. Rule: `uppdrag` when the question names uppdrag/assignments (indefinite or plural —
 * "uppdraget" asks about one) together with a list cue (vilka, lista, några, alla, finns, which, any …);
 * `committees` for "vilka (social)nämnder …"; `other` for other "vilka/lista/which…" questions.
 */
export function listKindOf(text: string): ListKind | undefined {
  const normalised = normalise(text);
  if (UPPDRAG_NOUN.test(normalised) && LIST_CUE.test(normalised)) return 'uppdrag';
  if (COMMITTEES_LIST.test(normalised)) return 'committees';
  if (OTHER_LIST.test(normalised) || PLURAL_LIST.test(normalised)) return 'other';
  return undefined;
}

const FROM_COMMITTEE = [
  / fran (namnden|styrelsen|namnden styrelsen) /,
  / (gett|givit|ger|gav) sig sjalv/,
  / (namndens|styrelsens) egna /,
  / egna uppdrag/,
  / eget uppdrag/,
  / namnduppdrag/,
  / from the (committee|board) /,
  / (given|gave|give|gives) (it|them)sel(f|ves) /,
  / own (assignments|tasks) /,
];
const FROM_BUDGET = [
  // "från budgeten", "från stadens budget", "från kommunfullmäktiges budget", "från <stad>s stads budget"
  / fran ([a-z]+ ){0,2}budget/,
  / budgetuppdrag/,
  / i budgeten /,
  / (kf|kommunfullmaktige|fullmaktige) /,
  / from the (city s |city |municipal )?budget/,
  / (city|municipal) council /,
  / budget assignments /,
];

/** Where the asked-for uppdrag come from: the nämnd itself or the city's budget (kommunfullmäktige). */
export function assignmentOriginOf(text: string): 'budget' | 'nämnden' | undefined {
  const normalised = normalise(text);
  if (FROM_COMMITTEE.some((pattern) => pattern.test(normalised))) return 'nämnden';
  if (FROM_BUDGET.some((pattern) => pattern.test(normalised))) return 'budget';
  return undefined;
}

/** Ordered rules: the first pattern found (by position in the question) decides. */
const ASKS_FOR: Array<[RegExp, AskedFor]> = [
  [/ (hur manga|hur mycket|vad kostar|kostar|hur stor[a t]?|hur lang[a t]?|hur hog[a t]?|vilket antal|hur manga procent|antal|andel|how many|how much|what number|what share|what percentage) /, 'number'],
  [/ (sedan nar|fran och med nar|till nar|nar|vilket ar|vilket datum|vilken tidpunkt|vilken dag|since when|when|what year|what date|by when) /, 'date'],
  [/ (vem|vems|vilka personer|vilken person|vilka partier|vilket parti|who|whom|whose|which parties|which party) /, 'person'],
  [/^ (var|vart) /, 'place'],
  [/ (var nagonstans|vilka platser|vilken plats|vilka \S*platser|vilka omraden|vilket omrade|vilka stadsdelar|vilken stadsdel|where|which places|what places|which areas) /, 'place'],
  [/ (varfor|av vilken anledning|av vilka skal|vad beror|why|for what reason) /, 'reason'],
  [/ (hur|how|in what way|pa vilket satt|pa vilka satt) /, 'how'],
];
const YES_NO_START =
  /^ (ska|skall|kan|far|finns|ar|har|galler|behover|bor|maste|innebar|raknas|kommer|blir|fanns|hade|is|are|does|do|did|can|will|should|has|have|was|were|must|may) /;
const WHAT_START = / (vad|vilka|vilken|vilket|what|which|beskriv|berätta|beratta|describe|explain|lista|list) /;

/** What the question wants stated; `undefined` when nothing tells. */
export function askedForOf(text: string): AskedFor | undefined {
  const normalised = normalise(text);
  let best: { position: number; kind: AskedFor } | undefined;
  for (const [pattern, kind] of ASKS_FOR) {
    const match = pattern.exec(normalised);
    if (match && (!best || match.index < best.position)) best = { position: match.index, kind };
  }
  if (YES_NO_START.test(normalised) && (!best || best.kind === 'how' || best.kind === 'date')) {
    // "Ska tillfälliga krisstöd räknas…?", "Finns det…?": a yes/no question unless a number/person is asked later.
    if (!best || best.position > 0) return 'yes-no';
  }
  // "Vad gäller när…", "Vilka … och hur?": a när/hur/var later in a what-question is a conjunction or an afterthought.
  if (best && best.position > 0 && ['date', 'how', 'place'].includes(best.kind) && WHAT_START.exec(normalised)?.index === 0) {
    return 'what';
  }
  if (best) return best.kind;
  if (WHAT_START.test(normalised)) return 'what';
  return undefined;
}
