/**
 * Rule-based query understanding (no LLM): committee detection, follow-up rewriting, English glossary,
 * Swedish synonyms and intent. Pure and deterministic.
 *
 * Follow-up rules (only user turns are read; assistant turns are ignored):
 * - A turn with an anaphoric pronoun ("…till det?", "…om dessa?", "Vad har de för uppdrag?", "…där?") is rewritten
 *   by putting the previous question's topic (its proper names, else the words after "om/kring", else its content
 *   words) in the pronoun's place; "de/dom" and "där" refer to the committee when one is known.
 * - An elliptic turn ("Och vad gäller för Centrum?", "Men för ungdomar?", "Än för Nordost?", "What about Nordost?")
 *   takes the previous question and swaps its committee for the new one and/or its trailing topic phrase for the new
 *   phrase (same preposition: "om familjehem" → "om hemlöshet"), else appends the new phrase.
 * - Any other turn is a new, standalone question: not rewritten, and it does not inherit a committee.
 * - A follow-up that names no committee keeps the conversation's committee (source `conversation`).
 */
import { termGroupsOf } from '../answer/evidence.ts';
import { isStopWord, stem } from '../swedish/analyzer.ts';
import type { ChatMessage, SearchFilter } from '../types.ts';
import { mentionedDocumentType } from './dimensions.ts';
import { detectLanguage, translateToSwedish } from './english.ts';
import type { CommitteeMention, Gazetteer } from './gazetteer.ts';
import { yearsIn } from './dimensions.ts';
import { askedForOf, assignmentOriginOf, listKindOf, type AskedFor, type ListKind } from './intent.ts';
import { defaultSynonyms, findSynonyms, type SynonymTable, type SynonymUse } from './synonyms.ts';
import { tokenizeWithOffsets, type Token } from './tokens.ts';

/** How a question was understood; drives retrieval, filters and the answer's form. */
export interface QueryPlan {
  /** Standalone query (follow-ups rewritten): what is shown as `query.text`. */
  text: string;
  /** The literal last user turn when `text` differs from it. */
  rewrittenFrom?: string;
  /** The standalone forms of the earlier user turns, oldest first (absent for a first question). */
  previousTurns?: string[];
  /** The last turn was read as a follow-up of the conversation. */
  followUp?: boolean;
  /** Language of the last user turn (the answer language). */
  language: 'sv' | 'en';
  committee?: { id: string; name: string; source: 'filter' | 'question' | 'conversation' };
  /** Every committee id the standalone question names (several for a cross-committee question). */
  mentionedCommittees: string[];
  /** Text for retrieval: Swedish (English glossary applied) plus synonym expansions. */
  searchText: string;
  /** The question in Swedish words (English glossary applied), without synonym expansions: the topic's source. */
  swedishText: string;
  /**
   * The question's topic as folded stems, synonyms included: the alternatives of its term groups (`termGroupsOf`, the
   * one topic model the pipeline scores passages with); committee names, stop words and question words excluded.
   */
  topicTerms: string[];
  synonymsUsed: SynonymUse[];
  /** True for lists of uppdrag/assignments (and "Vilka socialnämnder…", answered with uppdrag passages). */
  listIntent: boolean;
  /** Kind of list asked for (see `listKindOf`); `listIntent` is true for `uppdrag` and `committees`. */
  listKind?: ListKind;
  /** "uppdrag från nämnden", "gett sig själv" → nämnden; "från budgeten", "KF" → budget. */
  assignmentOrigin?: 'budget' | 'nämnden';
  /** What the question wants stated. */
  asksFor?: AskedFor;
}

/** Options of {@link understandQuery}. */
export interface UnderstandOptions {
  gazetteer: Gazetteer;
  /** An explicit `filter.committee` wins over detection. */
  filter?: SearchFilter;
  /** Defaults to the built-in Swedish table. */
  synonyms?: SynonymTable;
}

const SWEDISH_PREPOSITIONS = new Set(['till', 'om', 'med', 'av', 'for', 'pa', 'i', 'inom', 'kring', 'fran', 'efter', 'under', 'at', 'mot', 'hos', 'vid', 'angaende', 'gallande', 'bland']);
const ENGLISH_PREPOSITIONS = new Set(['to', 'about', 'with', 'of', 'for', 'on', 'in', 'within', 'from', 'regarding', 'at', 'into', 'among', 'concerning']);
const TOPIC_PREPOSITIONS = new Set(['om', 'kring', 'angaende', 'gallande', 'about', 'regarding', 'concerning', 'on']);
const SWEDISH_PRONOUNS = new Set(['det', 'den', 'detta', 'denna', 'dessa', 'dem', 'dom']);
const SWEDISH_DEMONSTRATIVES = new Set(['detta', 'denna', 'dessa']);
const ENGLISH_PRONOUNS = new Set(['it', 'them', 'that', 'this', 'these', 'those']);
const ENGLISH_DEMONSTRATIVES = new Set(['this', 'these', 'those']);
const SUBJECT_VERBS = new Set([
  'har', 'hade', 'ska', 'skall', 'gor', 'gjorde', 'kan', 'vill', 'planerar', 'arbetar', 'jobbar', 'tanker', 'far', 'fick', 'satsar',
  'behover', 'bor', 'maste', 'sager', 'ar', 'skriver', 'prioriterar', 'do', 'does', 'did', 'have', 'had', 'will', 'plan', 'are', 'say',
  'should', 'can', 'must', 'want',
]);
/** Verbs after which a Swedish "det" is existential/expletive ("finns det", "gäller det"). */
const EXISTENTIAL_VERBS = new Set(['finns', 'fanns', 'funnits', 'galler', 'gallde', 'blir', 'blev']);
/** Leading words of an elliptic turn that are dropped before its content is used. */
const LEADING_CONNECTIVES = new Set(['och', 'men', 'samt', 'plus', 'and', 'but', 'so']);
/**
 * Openers that make a turn elliptic. "vad gäller" and "hur ser det ut" are weak: they also start standalone questions
 * ("Vad gäller för ekonomiskt bistånd?"), so they count only after a connective ("Och vad gäller…") or when the rest
 * is just a committee ("Vad gäller för Centrum?").
 */
const WEAK_OPENERS: string[][] = [['vad', 'galler'], ['hur', 'ser', 'det', 'ut']];
const ELLIPTIC_OPENERS: string[][] = [
  ['vad', 'galler'], ['hur', 'ar', 'det', 'med'], ['hur', 'ar', 'det', 'i'], ['hur', 'ar', 'det', 'for'], ['hur', 'ar', 'det'],
  ['hur', 'blir', 'det', 'med'], ['hur', 'blir', 'det', 'for'], ['hur', 'blir', 'det'], ['hur', 'ser', 'det', 'ut'],
  ['galler', 'det', 'ocksa'], ['galler', 'samma'], ['samma', 'sak'], ['likadant'], ['an'], ['what', 'about'], ['how', 'about'],
  ['what', 'is', 'the', 'case'], ['same', 'for'], ['same', 'question'], ['and', 'what', 'about'],
];
const TRAILING_FILLERS = new Set(['da', 'ocksa', 'then', 'also', 'too', 'dar']);
const QUESTION_STARTS = new Set([
  'vad', 'vilka', 'vilken', 'vilket', 'hur', 'nar', 'vem', 'vems', 'var', 'varfor', 'vart', 'kan', 'ska', 'finns', 'har', 'ar', 'gor',
  'lista', 'beskriv', 'beratta', 'sedan', 'what', 'which', 'who', 'how', 'when', 'where', 'why', 'is', 'are', 'does', 'do', 'can',
  'will', 'list', 'describe', 'tell',
]);

/** English question words the analyzer's English stop-word list (the `stopword` package) does not have. */
const ENGLISH_QUESTION_WORDS = new Set(['does', 'when', 'why', 'will']);

/** A stop word of the analyzer, as written or folded ("år" too: in a question it names no topic), or a question word. */
function isStop(token: Token): boolean {
  return isStopWord(token.lower) || isStopWord(token.folded) || ENGLISH_QUESTION_WORDS.has(token.lower);
}

/** Folded words already judged by the topic model (a bounded cache: questions repeat their vocabulary). */
const topicWordCache = new Map<string, boolean>();

/**
 * Whether a word is a topic word: the one topic model of the pipeline (`termGroupsOf` in answer/evidence.ts, the term
 * groups passages are scored with) keeps it. Question words, fillers and the words every plan uses are not.
 */
function isTopicWord(folded: string): boolean {
  let known = topicWordCache.get(folded);
  if (known === undefined) {
    known = termGroupsOf(folded).length > 0;
    if (topicWordCache.size > 10_000) topicWordCache.clear();
    topicWordCache.set(folded, known);
  }
  return known;
}

/**
 * A content word of a turn (what a pronoun can refer to, what an elliptic turn changes): a topic word, or a word naming
 * a dimension of the question ("Och i genomförandeplanen?": the document type).
 */
function isContent(token: Token): boolean {
  if (token.folded.length < 2 || isStop(token) || /^\d+$/.test(token.folded)) return false;
  return isTopicWord(token.folded) || mentionedDocumentType(token.folded) !== undefined;
}

function insideMention(token: Token, mentions: CommitteeMention[]): boolean {
  return mentions.some((mention) => token.start >= mention.start && token.end <= mention.end);
}

/** Trailing punctuation of a question ("?", "."), kept when rewriting. */
function splitTrailing(text: string): { body: string; trailing: string } {
  const match = /[\s?.!]*$/.exec(text);
  const trailing = match ? match[0].trim() : '';
  return { body: text.slice(0, text.length - (match ? match[0].length : 0)), trailing };
}

function withQuestionMark(body: string, trailing: string): string {
  return `${body.trim()}${trailing || '?'}`;
}

/** Distinct committee ids of mentions, in order. */
function distinctIds(mentions: CommitteeMention[]): string[] {
  return [...new Set(mentions.map((mention) => mention.id))];
}

/** The previous question's topic, to put where a pronoun stands. */
function referentOf(text: string, mentions: CommitteeMention[]): string {
  const tokens = tokenizeWithOffsets(text);
  const content = tokens.filter((token, index) => !insideMention(token, mentions) && isContent(token) && (index > 0 || !QUESTION_STARTS.has(token.folded)));
  const proper = content.filter((token) => /^\p{Lu}/u.test(token.surface) && tokens.indexOf(token) > 0);
  if (proper.length > 0) return proper.slice(0, 3).map((token) => token.surface).join(' ');
  const topicIndex = tokens.findIndex((token) => TOPIC_PREPOSITIONS.has(token.folded));
  if (topicIndex >= 0) {
    const after = content.filter((token) => token.start > tokens[topicIndex].start);
    if (after.length > 0) return after.slice(0, 4).map((token) => token.surface).join(' ');
  }
  return content.slice(0, 4).map((token) => token.surface).join(' ');
}

interface ConversationState {
  text: string;
  language: 'sv' | 'en';
  committee?: { id: string; name: string };
}

/** Result of reading one user turn against the previous state. */
interface TurnReading {
  text: string;
  followUp: boolean;
}

/** Rewrites a turn that refers back with a pronoun; `undefined` when it has none. */
function rewritePronoun(turn: string, previous: ConversationState, gazetteer: Gazetteer): string | undefined {
  const tokens = tokenizeWithOffsets(turn);
  if (tokens.length === 0) return undefined;
  const previousMentions = gazetteer.detect(previous.text);
  const referent = referentOf(previous.text, previousMentions);
  const committeeName = previous.committee?.name;
  const english = detectLanguage(turn, previous.language) === 'en';
  const prepositions = english ? ENGLISH_PREPOSITIONS : SWEDISH_PREPOSITIONS;
  const pronouns = english ? ENGLISH_PRONOUNS : SWEDISH_PRONOUNS;
  const demonstratives = english ? ENGLISH_DEMONSTRATIVES : SWEDISH_DEMONSTRATIVES;
  const { trailing } = splitTrailing(turn);
  const atEnd = (index: number): boolean => index === tokens.length - 1 || /^[\s]*[?.!,;:]/.test(turn.slice(tokens[index].end));
  const nextIsFunctionWord = (index: number): boolean => index + 1 < tokens.length && isStop(tokens[index + 1]) && !['har', 'dar'].includes(tokens[index + 1].folded);

  // "… om samma sak?", "… detsamma?", "… the same thing?": the previous topic, in so many words.
  const same = /\b(om|kring|angående|angaende|about|on) (?:samma (?:sak|fråga|fraga|ämne|amne|område|omrade)|detsamma|the same (?:thing|question|topic|issue))\b/i.exec(turn);
  if (same && referent) {
    const start = same.index + same[1].length + 1;
    return stripLeadingConnective(`${turn.slice(0, start)}${referent}${turn.slice(same.index + same[0].length)}`);
  }

  const replacements: Array<{ start: number; end: number; text: string }> = [];
  let appendReferent = false;
  tokens.forEach((token, index) => {
    const word = english ? token.lower : token.folded;
    const previousWord = index > 0 ? (english ? tokens[index - 1].lower : tokens[index - 1].folded) : '';
    // "de/dom/they" as subject after a verb ("Vad har de för uppdrag?"): the committee.
    if ((['de', 'dom'].includes(word) && !english) || (english && word === 'they')) {
      if ((SUBJECT_VERBS.has(previousWord) || english) && (atEnd(index) || nextIsFunctionWord(index) || english)) {
        replacements.push({ start: token.start, end: token.end, text: committeeName ?? referent });
      }
      return;
    }
    if (english && word === 'their') {
      replacements.push({ start: token.start, end: token.end, text: committeeName ? `${committeeName}'s` : referent });
      return;
    }
    if ((!english && (word === 'dar' || word === 'dit')) || (english && word === 'there' && index > 0 && tokens[index - 1].lower !== 'is' && tokens[index - 1].lower !== 'are')) {
      if (atEnd(index) || nextIsFunctionWord(index)) {
        const place = committeeName ?? referent;
        replacements.push({ start: token.start, end: token.end, text: english ? `in ${place}` : `i ${place}` });
      }
      return;
    }
    if (!pronouns.has(word)) return;
    // "Vilka uppdrag finns det?": an existential "det", not a reference.
    if (!english && EXISTENTIAL_VERBS.has(previousWord)) return;
    const afterPreposition = prepositions.has(previousWord);
    const standsAlone = atEnd(index) || nextIsFunctionWord(index);
    // "Hur fördelas det …?", "Vad kostar den?": the subject right after the verb of a question (V2) refers back.
    // Not a placeholder "det" for a clause that follows ("Vad kostar det att parkera …?").
    const clauseFollows = ['att', 'som', 'nar', 'om'].includes(tokens[index + 1]?.folded ?? '');
    const subjectAfterVerb = !english && (word === 'det' || word === 'den') && index === 2 && QUESTION_STARTS.has(tokens[0].folded) && !isStop(tokens[1]) && !clauseFollows;
    if (word === 'dem' || word === 'them' || ((afterPreposition || atEnd(index)) && standsAlone) || subjectAfterVerb) {
      if (english && word === 'that' && !afterPreposition && !atEnd(index)) return;
      replacements.push({ start: token.start, end: token.end, text: referent });
      return;
    }
    // Demonstrative with a noun ("dessa uppdrag", "det här uppdraget"): keep the words, add the topic.
    const next = tokens[index + 1];
    if (demonstratives.has(word) && next && !isStop(next)) appendReferent = true;
    if (!english && (word === 'det' || word === 'den') && next && ['har', 'dar'].includes(next.folded)) appendReferent = true;
  });
  if (replacements.length === 0 && !appendReferent) return undefined;
  if (!referent && !committeeName) return undefined;
  let text = turn;
  for (const replacement of replacements.sort((a, b) => b.start - a.start)) {
    if (!replacement.text) continue;
    text = `${text.slice(0, replacement.start)}${replacement.text}${text.slice(replacement.end)}`;
  }
  if (appendReferent && referent) {
    const split = splitTrailing(text);
    text = withQuestionMark(`${split.body} ${english ? 'about' : 'om'} ${referent}`, trailing);
  }
  return stripLeadingConnective(text);
}

/** Drops a leading "Och"/"Men"/"And" and re-capitalises. */
function stripLeadingConnective(text: string): string {
  const tokens = tokenizeWithOffsets(text);
  if (tokens.length > 1 && LEADING_CONNECTIVES.has(tokens[0].folded) && tokens[0].start === text.search(/\S/)) {
    const rest = text.slice(tokens[1].start);
    return rest.charAt(0).toUpperCase() + rest.slice(1);
  }
  return text;
}

/** The question with its years replaced by `years` (at the first year's place), or with them added at the end. */
function withYears(question: string, years: number[]): string {
  const joined = years.join(' och ');
  const old = yearsIn(question);
  if (old.length === 0) {
    const split = splitTrailing(question);
    return withQuestionMark(`${split.body} ${joined}`, split.trailing);
  }
  let first = true;
  return question
    .replace(/(?<![\d-])(?:19[9]\d|20\d\d)(?![\d-])(?:\s+(?:och|and|eller|or)\s+(?:19[9]\d|20\d\d)(?![\d-]))*/g, () => {
      const replacement = first ? joined : '';
      first = false;
      return replacement;
    })
    .replace(/\s{2,}/g, ' ');
}

/**
 * Rewrites an elliptic turn ("Och vad gäller för Centrum?", "Men för ungdomar?") from the previous question;
 * `undefined` when the turn is not elliptic.
 */
function rewriteElliptic(turn: string, previous: ConversationState, gazetteer: Gazetteer): string | undefined {
  const tokens = tokenizeWithOffsets(turn);
  if (tokens.length === 0) return undefined;
  let index = 0;
  let connective = false;
  while (index < tokens.length && LEADING_CONNECTIVES.has(tokens[index].folded)) {
    index++;
    connective = true;
  }
  let opener = false;
  let weakOpener = false;
  for (const words of ELLIPTIC_OPENERS) {
    if (words.every((word, offset) => tokens[index + offset]?.folded === word)) {
      index += words.length;
      opener = true;
      weakOpener = WEAK_OPENERS.some((weak) => weak.join(' ') === words.join(' '));
      break;
    }
  }
  let last = tokens.length - 1;
  while (last >= index && TRAILING_FILLERS.has(tokens[last].folded)) last--;
  const rest = index <= last ? turn.slice(tokens[index].start, tokens[last].end) : '';
  const restTokens = tokenizeWithOffsets(rest);
  const restMentions = gazetteer.detect(rest);
  const restContent = restTokens.filter((token) => !insideMention(token, restMentions) && isContent(token));
  const startsQuestion = restTokens.length > 0 && QUESTION_STARTS.has(restTokens[0].folded);
  const committeeOnly = restContent.length === 0 && restMentions.length > 0;
  const elliptic =
    (opener && (!weakOpener || connective || committeeOnly)) ||
    (connective && !(startsQuestion && restContent.length > 0)) ||
    (committeeOnly && restTokens.length <= restMentions.length * 3 + 2);
  if (!elliptic) return undefined;

  // 1. Committee swap.
  let base = previous.text;
  const newIds = distinctIds(restMentions);
  if (newIds.length > 0) {
    const previousMentions = gazetteer.detect(base);
    const names = newIds.map((id) => gazetteer.nameOf(id) ?? id);
    const joined = names.length > 1 ? `${names.slice(0, -1).join(', ')} och ${names[names.length - 1]}` : names[0];
    if (previousMentions.length > 0) {
      const first = previousMentions[0];
      const lastMention = previousMentions[previousMentions.length - 1];
      base = `${base.slice(0, first.start)}${joined}${base.slice(lastMention.end)}`;
    } else {
      const split = splitTrailing(base);
      base = withQuestionMark(`${split.body} ${previous.language === 'en' ? 'for' : 'för'} ${joined}`, split.trailing);
    }
  }
  // 1b. Year swap: years in the turn replace the previous question's years ("… 2026?" → "Och 2025?"), or are added.
  const newYears = yearsIn(rest);
  if (newYears.length > 0) base = withYears(base, newYears);
  // 2. Topic: the rest without committee names and years (and the preposition before them).
  const kept = restTokens.filter((token, position) => {
    if (insideMention(token, restMentions) || newYears.includes(Number(token.folded))) return false;
    const next = restTokens[position + 1];
    const prepositionOfMention = next && insideMention(next, restMentions) && (SWEDISH_PREPOSITIONS.has(token.folded) || ENGLISH_PREPOSITIONS.has(token.lower));
    return !prepositionOfMention;
  });
  if (restContent.length === 0 || kept.length === 0) return base;
  const topic = rest.slice(kept[0].start, kept[kept.length - 1].end);
  const split = splitTrailing(base);
  const baseTokens = tokenizeWithOffsets(split.body);
  const baseMentions = gazetteer.detect(split.body);
  const firstWord = kept[0].folded;
  if (SWEDISH_PREPOSITIONS.has(firstWord) || ENGLISH_PREPOSITIONS.has(kept[0].lower)) {
    for (let position = baseTokens.length - 1; position > 0; position--) {
      const token = baseTokens[position];
      if (token.folded === firstWord && !insideMention(token, baseMentions) && !baseMentions.some((mention) => mention.start > token.start)) {
        return withQuestionMark(`${split.body.slice(0, token.start)}${topic}`, split.trailing);
      }
    }
  }
  return withQuestionMark(`${split.body} ${topic}`, split.trailing);
}

/** Verbs that point back at what was just said: "Vilka platser nämns?", "Vad menas med det?", "Which are mentioned?". */
const REFERENCE_VERBS = /\b(?:nämns|namns|nämnde|namnde|nämnts|namnts|avses|menas|räknas upp|raknas upp|mentioned|meant|listed)\b/i;

/**
 * Rewrites a short turn that refers back by its verb alone ("Vilka platser nämns?") by adding the previous topic;
 * `undefined` when the turn names a committee of its own or is not such a turn.
 */
function rewriteReference(turn: string, previous: ConversationState, gazetteer: Gazetteer): string | undefined {
  if (!REFERENCE_VERBS.test(turn) || gazetteer.detect(turn).length > 0) return undefined;
  if (tokenizeWithOffsets(turn).length > 6) return undefined;
  const referent = referentOf(previous.text, gazetteer.detect(previous.text));
  if (!referent) return undefined;
  const split = splitTrailing(turn);
  const english = detectLanguage(turn, previous.language) === 'en';
  return withQuestionMark(`${split.body} ${english ? 'about' : 'om'} ${referent}`, split.trailing);
}

/** Reads one user turn in the light of the previous one. */
function readTurn(turn: string, previous: ConversationState | undefined, gazetteer: Gazetteer): TurnReading {
  if (!previous) return { text: turn, followUp: false };
  const pronoun = rewritePronoun(turn, previous, gazetteer);
  if (pronoun !== undefined) return { text: pronoun, followUp: true };
  const elliptic = rewriteElliptic(turn, previous, gazetteer);
  if (elliptic !== undefined) return { text: elliptic, followUp: true };
  const reference = rewriteReference(turn, previous, gazetteer);
  if (reference !== undefined) return { text: reference, followUp: true };
  return { text: turn, followUp: false };
}

function normaliseSpaces(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Understands the conversation's last user turn: standalone text, committee, language, retrieval text with
 * synonyms and the English glossary applied, topic terms and intent. Pure; well under a millisecond per query.
 */
export function understandQuery(messages: ChatMessage[], options: UnderstandOptions): QueryPlan {
  const { gazetteer, filter } = options;
  const synonyms = options.synonyms ?? defaultSynonyms;
  const userTurns = messages.filter((message) => message.role === 'user').map((message) => normaliseSpaces(message.content)).filter(Boolean);
  const lastTurn = userTurns[userTurns.length - 1] ?? '';

  // Walk the user turns, keeping the standalone form of each.
  let state: ConversationState | undefined;
  let committeeSource: 'question' | 'conversation' | undefined;
  const standalone: string[] = [];
  let followUp = false;
  for (const turn of userTurns) {
    if (state) standalone.push(state.text);
    const reading = readTurn(turn, state, gazetteer);
    followUp = reading.followUp;
    const literalIds = distinctIds(gazetteer.detect(turn));
    let committee: ConversationState['committee'];
    if (literalIds.length === 1) {
      committee = { id: literalIds[0], name: gazetteer.nameOf(literalIds[0]) ?? literalIds[0] };
      committeeSource = 'question';
    } else if (literalIds.length === 0 && reading.followUp && state?.committee) {
      committee = state.committee;
      committeeSource = 'conversation';
    } else {
      // Several committees named in the turn, or a new question with none.
      const textIds = literalIds.length === 0 && reading.followUp ? distinctIds(gazetteer.detect(reading.text)) : [];
      committee = textIds.length === 1 ? { id: textIds[0], name: gazetteer.nameOf(textIds[0]) ?? textIds[0] } : undefined;
      committeeSource = committee ? 'conversation' : undefined;
    }
    const language = detectLanguage(turn, state?.language ?? detectLanguage(reading.text));
    state = { text: normaliseSpaces(reading.text), language, committee };
  }
  const text = state?.text ?? '';
  const language = state?.language ?? 'sv';

  // Committee: an explicit filter wins.
  let committee: QueryPlan['committee'];
  if (filter?.committee) {
    const id = gazetteer.resolve(filter.committee);
    if (id) committee = { id, name: gazetteer.nameOf(id) ?? id, source: 'filter' };
  } else if (state?.committee && committeeSource) {
    committee = { ...state.committee, source: committeeSource };
  }

  // Retrieval text: Swedish.
  const textLanguage = detectLanguage(text, language);
  const swedish = textLanguage === 'en' ? translateToSwedish(text).text : text;
  const swedishTokens = tokenizeWithOffsets(swedish);
  const swedishMentions = gazetteer.detect(swedish);
  const synonymsUsed = findSynonyms(swedishTokens, synonyms);
  const expansionWords = new Set<string>();
  const present = new Set(swedishTokens.map((token) => token.folded));
  for (const use of synonymsUsed) {
    for (const expansion of use.expansions) {
      const words = tokenizeWithOffsets(expansion).map((token) => token.folded);
      if (words.every((word) => present.has(word))) continue;
      expansionWords.add(expansion);
    }
  }
  const searchText = normaliseSpaces([swedish, ...expansionWords].join(' '));

  // Topic terms: the alternatives of the question's term groups (the pipeline's one topic model, synonyms included),
  // committee mentions left out.
  let topicSource = swedish;
  for (const mention of [...swedishMentions].sort((a, b) => b.start - a.start)) topicSource = `${topicSource.slice(0, mention.start)} ${topicSource.slice(mention.end)}`;
  const topicTerms = new Set(termGroupsOf(topicSource, synonymsUsed).flatMap((group) => group.alternatives));

  const listKind = listKindOf(text);
  const mentionedCommittees = distinctIds([...gazetteer.detect(text), ...(textLanguage === 'en' ? swedishMentions : [])]);
  // A follow-up keeps the origin of the uppdrag the conversation is about ("uppdrag från nämnden" … "Vilka av dem …?").
  const assignmentOrigin = assignmentOriginOf(text) ?? (followUp && standalone.length > 0 ? assignmentOriginOf(standalone[standalone.length - 1]) : undefined);
  const asksFor = askedForOf(text);
  return {
    text,
    ...(standalone.length > 0 ? { previousTurns: standalone } : {}),
    ...(followUp ? { followUp } : {}),
    ...(text !== lastTurn ? { rewrittenFrom: lastTurn } : {}),
    language,
    ...(committee ? { committee } : {}),
    mentionedCommittees,
    searchText,
    swedishText: normaliseSpaces(swedish),
    topicTerms: [...topicTerms],
    synonymsUsed,
    listIntent: listKind === 'uppdrag' || listKind === 'committees',
    ...(listKind ? { listKind } : {}),
    ...(assignmentOrigin ? { assignmentOrigin } : {}),
    ...(asksFor ? { asksFor } : {}),
  };
}
