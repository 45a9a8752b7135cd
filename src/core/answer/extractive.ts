/**
 * The extractive answerer (default, no LLM): builds a Swedish answer from the passages themselves.
 *
 * - List questions: a numbered list of every matching uppdrag (`AnswerInput.listItems`, not cut at top-k),
 *   grouped per document with the document's status ("förslag till genomförandeplan … (yrkande, ej beslutat)").
 * - Other questions: the sentences that best cover the question, quoted and cited, so the figure or name asked for
 *   is stated in the answer text; a sentence ending in ":" brings the list that follows it.
 * Every claim carries a marker `[n]`; markers are numbered in order of first use and every citation is used.
 */
import { defaultPolicy } from '../policy.ts';
import { STATUS_ORDER } from '../retrieval/versions.ts';
import { listKindOf } from '../query/intent.ts';
import type { AnswerEvent, DocumentMeta, ScoredChunk } from '../types.ts';
import { describeSource, MarkerBook, type AnswerInput, type Answerer } from './answerer.ts';
import { alternativeMatches, countedNoun, coverage, measuredNoun, splitSentences, statesAmount, statesCount, statesNumber, tokenize, type TermGroup } from './evidence.ts';

/** The Swedish abstention text; contains the phrase evaluators look for. */
export function abstentionMessage(language: 'sv' | 'en', committee?: string): string {
  if (language === 'en')
    return `That is not covered by the documents (det finns inte i underlagen)${committee ? ` for ${committee}` : ''}. Try rephrasing with the committee (nämnd) and a topic word.`;
  return `Det finns inte i underlagen${committee ? ` för ${committee}` : ''}: jag hittar inget i plandokumenten som besvarar frågan. Prova att formulera om frågan med nämndens namn och ett ämnesord.`;
}

/** An answer with no citations that says the documents do not cover the question. */
export async function* abstain(input: Pick<AnswerInput, 'language' | 'understood'>, answerer = 'extractive', reason?: string): AsyncIterable<AnswerEvent> {
  const answer = reason ? `${reason} ${abstentionMessage(input.language, input.understood.committee)}` : abstentionMessage(input.language, input.understood.committee);
  yield { type: 'citations', citations: [], query: input.understood };
  yield { type: 'text-delta', text: answer };
  yield { type: 'done', abstained: true, answerer, citations: [], query: input.understood, answer };
}

/** The uppdrag text of a chunk without its table columns (uppdragsår, omhändertagande). */
export function assignmentText(passage: ScoredChunk): string {
  const { chunk } = passage;
  if (!chunk.handling) return chunk.text;
  const index = chunk.text.indexOf(chunk.handling);
  let text = index > 0 ? chunk.text.slice(0, index) : chunk.text;
  text = text.replace(/\s*(?:Uppdragsår:?\s*\d{4}\.?)?\s*(?:Omhändertagande:?)?\s*$/i, '').trim();
  return text || chunk.text;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Cuts a long text at a sentence boundary near `limit` characters. */
function shorten(text: string, limit = 420): string {
  if (text.length <= limit) return text;
  const sentences = splitSentences(text);
  let result = '';
  for (const sentence of sentences) {
    if (result && result.length + sentence.length + 1 > limit) break;
    result = result ? `${result} ${sentence}` : sentence;
  }
  return result.length < text.length ? `${result} …` : result;
}

/** Status label of a document for headings in list answers. */
function documentHeading(document: DocumentMeta, language: 'sv' | 'en'): string {
  const source = capitalise(describeSource(document));
  if (language === 'en') return `${source} (quoted in Swedish):`;
  return `${source}:`;
}

/** Splits text into streaming pieces of a few words, keeping whitespace. */
function* pieces(text: string): Iterable<string> {
  const parts = text.match(/\S+\s*/g) ?? [text];
  for (let index = 0; index < parts.length; index += 6) yield parts.slice(index, index + 6).join('');
}

function listAnswer(input: AnswerInput, items: ScoredChunk[], book: MarkerBook): string {
  const { language } = input;
  const byDocument = new Map<string, ScoredChunk[]>();
  for (const item of items) {
    const list = byDocument.get(item.document.id) ?? [];
    list.push(item);
    byDocument.set(item.document.id, list);
  }
  // Name the topic when it is one or two words ("om familjehem"); a longer question is summarised as "som matchar frågan".
  const terms = input.termGroups?.map((group) => group.surface ?? group.term) ?? [];
  const topic = terms.length === 1 ? terms[0] : terms.length === 2 ? `${terms[0]} och ${terms[1]}` : '';
  const subject = input.understood.committee ?? (language === 'en' ? 'The documents' : 'Underlagen');
  const lines: string[] = [];
  const goals = input.listNoun === 'mål';
  const origin = input.listOrigin === 'budget' ? ' från kommunfullmäktiges budget' : input.listOrigin === 'nämnden' ? ' från nämnden själv' : '';
  // A long list shows its best items and says how many there are in all (the assistant cuts it, see the policy).
  const total = Math.max(items.length, input.listTotal ?? items.length);
  const englishNoun = goals ? (total === 1 ? 'goal' : 'goals') : total === 1 ? 'assignment' : 'assignments';
  const shown = total > items.length ? (language === 'en' ? ` (the ${items.length} best matching shown)` : ` (de ${items.length} som matchar bäst visas)`) : '';
  lines.push(
    language === 'en'
      ? `${subject} ${input.understood.committee ? 'has' : 'contain'} ${total} ${englishNoun}${topic ? ` matching "${topic}"` : ''}${shown}:`
      : `${subject} ${input.understood.committee ? 'har' : 'innehåller'} ${total} ${goals ? 'mål' : 'uppdrag'}${origin}${topic ? ` om ${topic}` : terms.length ? ' som matchar frågan' : ''}${shown}:`,
  );
  // Adopted documents first, then information, proposals and party motions (yrkanden).
  const groups = [...byDocument.values()].sort(
    (a, b) => STATUS_ORDER[a[0].document.status] - STATUS_ORDER[b[0].document.status] || (b[0].document.year ?? 0) - (a[0].document.year ?? 0),
  );
  let number = 0;
  for (const group of groups) {
    group.sort((a, b) => a.chunk.position - b.chunk.position);
    lines.push('', documentHeading(group[0].document, language));
    for (const item of group) {
      number++;
      const year = item.chunk.assignmentYear ? ` (uppdragsår ${item.chunk.assignmentYear})` : '';
      // A goal is its numbered heading ("1. Göteborg ska vara …"); the explanation under it stays in the citation.
      // The list numbers its items itself: an item's own number or bullet ("2.", "b)", "•") is left out.
      const text = goals ? splitSentences(item.chunk.text.replace(/^\d{1,2}\.\s*/, ''))[0] ?? item.chunk.text : shorten(assignmentText(item).replace(/^(?:\d{1,2}[.)]|[a-zåäö][.)]|[•▪◦\-–])\s+/u, ''));
      lines.push(`${number}. ${text}${year} [${book.marker(item)}]`);
    }
  }
  if (total > items.length) {
    lines.push(
      '',
      language === 'en'
        ? `${total - items.length} more not shown: narrow the question (a committee, a year or a document) to see them.`
        : `Ytterligare ${total - items.length} visas inte: avgränsa frågan (nämnd, år eller dokument) för att se dem.`,
    );
  }
  return lines.join('\n');
}

/** A candidate piece of evidence: a sentence (or a whole short passage) of a ranked passage. */
interface Unit {
  passage: ScoredChunk;
  rank: number;
  index: number;
  text: string;
  /** Coverage plus a small bonus for the passage's rank (and for stating a figure when one is asked for). */
  score: number;
  /** Share of the question the unit covers (0..1). */
  coverage: number;
  matched: TermGroup[];
}

/** Passages up to this length are quoted whole; longer ones sentence by sentence. */
const WHOLE_PASSAGE_LIMIT = 480;
/** A slide or a bullet list is one answer: quoted whole up to this length. */
const WHOLE_LIST_LIMIT = 800;

/**
 * A table row read as data: its label (first cell) and the cells whose column header the question names ("målvärde
 * 2025", "utfall 2024": every word of the header in the question, inflections allowed); all cells when no header is
 * named. "Sjukfrånvaro, samtliga medarbetare (%): Utfall 2024 8,8; Målvärde 2025 8,0".
 */
export function rowAnswer(fields: Record<string, string>, question: string): string {
  const entries = Object.entries(fields);
  if (entries.length === 0) return '';
  const [[, label], ...cells] = entries;
  const words = tokenize(question);
  const named = (header: string) => {
    const headerWords = tokenize(header);
    return headerWords.length > 0 && headerWords.every((word) => words.some((asked) => asked === word || (word.length >= 4 && asked.startsWith(word))));
  };
  // A year the question names but no fully named header covers picks that year's column ("sjukfrånvaron 2024").
  const fully = cells.filter(([header]) => named(header));
  const yearsAsked = words.filter((word) => /^(19|20)\d\d$/.test(word));
  const covered = new Set(fully.flatMap(([header]) => tokenize(header)));
  const byYear = cells.filter(([header]) => !fully.some(([other]) => other === header) && tokenize(header).some((word) => yearsAsked.includes(word) && !covered.has(word)));
  // A column the question names by its words alone ("målvärdet" → "Målvärde 2026") when no other column has them.
  const plainWords = (header: string) => tokenize(header).filter((word) => !/^(19|20)\d\d$/.test(word));
  const namedPlainly = (header: string) => {
    const headerWords = plainWords(header);
    return headerWords.length > 0 && headerWords.every((word) => words.some((asked) => asked === word || (word.length >= 4 && asked.startsWith(word))));
  };
  const onlyOne = cells.filter(([header]) => namedPlainly(header) && cells.filter(([other]) => plainWords(other).join(' ') === plainWords(header).join(' ')).length === 1);
  const picked = new Set([...fully, ...byYear, ...onlyOne].map(([header]) => header));
  const chosen = picked.size > 0 ? cells.filter(([header]) => picked.has(header)) : cells;
  return `${label}: ${chosen.map(([header, value]) => `${header} ${value}`).join('; ')}`;
}

function unitsOf(passage: ScoredChunk, rank: number, groups: TermGroup[], asksFor?: string, noun?: string, question = ''): Unit[] {
  const { chunk } = passage;
  const texts: string[] = [];
  if (chunk.kind === 'tabellrad' && chunk.fields && Object.keys(chunk.fields).length > 1) {
    texts.push(rowAnswer(chunk.fields, question));
  } else if (chunk.handling) {
    const assignment = assignmentText(passage);
    texts.push(assignment.length <= WHOLE_PASSAGE_LIMIT ? assignment : '', ...splitSentences(chunk.handling));
    if (assignment.length > WHOLE_PASSAGE_LIMIT) texts.push(...splitSentences(assignment));
  } else if (chunk.text.length <= (chunk.kind === 'bild' || chunk.kind === 'lista' ? WHOLE_LIST_LIMIT : WHOLE_PASSAGE_LIMIT) || chunk.kind === 'uppdrag') {
    texts.push(chunk.text);
  } else {
    texts.push(...splitSentences(chunk.text));
  }
  const sectionText = chunk.section.join(' ');
  return texts
    .filter((text) => text.length > 0)
    .map((text, index) => {
      const { score, matched } = coverage(groups, `${text} ${sectionText}`);
      let total = score + 0.25 / (rank + 1);
      if (asksFor === 'number' && statesNumber(text)) total += 0.15;
      if (noun && (statesCount(noun, text, { adjacent: true }) || statesAmount(noun, text))) total += 0.3;
      return { passage, rank, index, text, score: total, coverage: score, matched };
    });
}

/** Picks up to three units: the best, then those nearly as good that add something. */
function selectUnits(units: Unit[]): Unit[] {
  const sorted = [...units].sort((a, b) => b.score - a.score || a.rank - b.rank || a.index - b.index);
  const best = sorted[0];
  if (!best) return [];
  const chosen = [best];
  const covered = new Set(best.matched.map((group) => group.term));
  for (const unit of sorted.slice(1)) {
    if (chosen.length >= 3) break;
    if (chosen.some((other) => other.text === unit.text)) continue;
    const addsTerm = unit.matched.some((group) => !covered.has(group.term));
    const samePassage = unit.passage.chunk.id === best.passage.chunk.id;
    // A near-tie from another passage is a second answer to the same question ("Vad görs för att …?").
    const nearTie = unit.coverage >= best.coverage * 0.9 && unit.coverage > 0;
    // The rest of a two-part question ("Sedan när …, och enligt vilken lag?") is usually in the same passage.
    const completesBest = samePassage && addsTerm;
    const strongEnough = unit.score >= best.score * 0.75;
    if (!completesBest && !(strongEnough && (addsTerm || samePassage || nearTie))) continue;
    chosen.push(unit);
    for (const group of unit.matched) covered.add(group.term);
  }
  // A sentence introducing a list ("… är:") brings the list items that follow it in the same passage.
  const expanded: Unit[] = [];
  for (const unit of chosen) {
    expanded.push(unit);
    if (!unit.text.trim().endsWith(':')) continue;
    const followers = units
      .filter((other) => other.passage.chunk.id === unit.passage.chunk.id && other.index > unit.index)
      .sort((a, b) => a.index - b.index);
    for (const follower of followers) {
      if (expanded.includes(follower) || chosen.includes(follower)) continue;
      expanded.push(follower);
    }
  }
  return expanded;
}

/**
 * The parts of a question asking two things ("Hur röstade …, och vilka reserverade sig?", "Vilket målvärde …, och vad
 * var utfallet 2024?"): split before a coordinated question word.
 */
export function questionParts(question: string): string[] {
  return question
    .split(/,?\s+(?:och|samt|and)\s+(?=(?:vad|vilk\S*|hur|när|vem|vems|var|varför|är|what|which|how|when|who|where|is|are)\b)/iu)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/** Adds, for each part of a two-part question, the unit that best answers that part when no chosen unit does. */
function completeParts(question: string, groups: TermGroup[], units: Unit[], chosen: Unit[]): Unit[] {
  const parts = questionParts(question);
  if (parts.length < 2) return chosen;
  const result = [...chosen];
  for (const part of parts) {
    const words = new Set(tokenize(part));
    const partGroups = groups.filter((group) => words.has(group.term));
    if (partGroups.length === 0) continue;
    // A part asking for an amount ("hur stort kommunbidrag") is answered by a sentence stating one by its noun.
    const noun = measuredNoun(part);
    const answers = (unit: Unit) => coverage(partGroups, unit.text).score >= 0.5 && (!noun || statesAmount(noun, unit.text));
    if (result.some(answers)) continue;
    let best: { unit: Unit; score: number } | undefined;
    for (const unit of units) {
      const score = coverage(partGroups, unit.text).score + 0.1 / (unit.rank + 1) + (noun && statesAmount(noun, unit.text) ? 0.5 : 0);
      if (coverage(partGroups, unit.text).score > 0 && (!best || score > best.score)) best = { unit, score };
    }
    if (best && !result.includes(best.unit)) result.push(best.unit);
  }
  return result;
}

function factAnswer(input: AnswerInput, book: MarkerBook): string {
  const groups = input.termGroups ?? [];
  // "Hur många X …?": a sentence that counts X ("fyra socialnämnder") is the answer.
  const noun = input.asksFor === 'number' ? (countedNoun(input.question) ?? measuredNoun(input.question)) : undefined;
  const units = input.passages.slice(0, 6).flatMap((passage, rank) => unitsOf(passage, rank, groups, input.asksFor, noun, input.question));
  // Table rows the question names by their label ("biblioteken och museerna", "sjukfrånvaron") answer it directly,
  // one row each, before any prose.
  const labelOf = (unit: Unit) => (unit.passage.chunk.kind === 'tabellrad' && unit.passage.chunk.fields ? Object.values(unit.passage.chunk.fields)[0] : undefined);
  const labelled = units.flatMap((unit) => {
    const label = labelOf(unit);
    return label === undefined ? [] : [{ unit, score: coverage(groups, label).score }];
  });
  const bestLabel = Math.max(0, ...labelled.map((entry) => entry.score));
  const namedRows = labelled.filter((entry) => entry.score > 0 && entry.score >= Math.max(0.15, bestLabel * 0.75)).map((entry) => entry.unit);
  // "Vilka nämnder …?": the answer names committees, so the best passage of each committee that answers nearly as
  // well as the best one.
  let selected = selectUnits(units);
  if (listKindOf(input.question) === 'committees' && selected.length > 0) {
    const bestScore = selected[0].coverage;
    const byCommittee = new Map<string, Unit>();
    for (const unit of [...units].sort((a, b) => b.score - a.score)) {
      const committee = unit.passage.document.committeeId;
      if (!byCommittee.has(committee) && unit.coverage >= bestScore * defaultPolicy.committeeListRelative) byCommittee.set(committee, unit);
    }
    selected = [...new Set([...selected.slice(0, 1), ...[...byCommittee.values()].slice(0, 5)])];
  }
  const chosen = completeParts(input.question, groups, units, namedRows.length > 0 ? [...namedRows.slice(0, 6), ...selected.filter((unit) => !namedRows.includes(unit)).slice(0, 1)] : selected);
  // "Vilka anpassningar …?": the answer is a list; when no chosen unit is one, the best list passage is added whole.
  if (input.asksForList && !chosen.some((unit) => unit.passage.chunk.kind === 'lista' || unit.passage.chunk.kind === 'bild')) {
    const list = units.filter((unit) => unit.passage.chunk.kind === 'lista' && unit.coverage > 0).sort((a, b) => b.score - a.score)[0];
    if (list) chosen.push(list);
  }
  // Keep document order within a passage and group consecutive units of the same passage into one quote.
  const byPassage = new Map<string, Unit[]>();
  for (const unit of chosen) {
    const list = byPassage.get(unit.passage.chunk.id) ?? [];
    list.push(unit);
    byPassage.set(unit.passage.chunk.id, list);
  }
  const paragraphs: string[] = [];
  for (const list of byPassage.values()) {
    list.sort((a, b) => a.index - b.index);
    const passage = list[0].passage;
    // Three or more sentences of one short passage: the passage is about the question; quote it whole, in order.
    const sentencesOfText = passage.chunk.kind !== 'tabellrad' && !passage.chunk.handling && list.every((unit) => passage.chunk.text.includes(unit.text));
    const quote = list.length >= 3 && sentencesOfText && passage.chunk.text.length <= WHOLE_LIST_LIMIT ? passage.chunk.text : list.map((unit) => unit.text).join(' ');
    const source = capitalise(describeSource(passage.document));
    const section = passage.chunk.section.length ? ` (${passage.chunk.section.join(' › ')})` : '';
    paragraphs.push(`${source}${section}: ${quote} [${book.marker(passage)}]`);
  }
  if (input.language === 'en') paragraphs.unshift('From the documents (quoted in Swedish):');
  return paragraphs.join('\n\n');
}

/** Creates the extractive answerer. */
export function createExtractiveAnswerer(): Answerer {
  return {
    name: 'extractive',
    async *answer(input: AnswerInput): AsyncIterable<AnswerEvent> {
      const book = new MarkerBook();
      const useList = input.listIntent && (input.listItems?.length ?? 0) > 0;
      const answer = useList
        ? listAnswer(input, input.listItems ?? [], book)
        : input.sides?.length
          ? input.sides
              .map((side) => `${side.heading}:\n${factAnswer({ ...input, passages: side.passages, termGroups: side.termGroups ?? input.termGroups, question: side.question ?? input.question }, book)}`)
              .join('\n\n')
          : factAnswer(input, book);
      if (book.citations.length === 0) {
        yield* abstain(input);
        return;
      }
      yield { type: 'citations', citations: book.citations, query: input.understood };
      for (const piece of pieces(answer)) yield { type: 'text-delta', text: piece };
      yield { type: 'done', abstained: false, answerer: 'extractive', citations: book.citations, query: input.understood, answer };
    },
  };
}
