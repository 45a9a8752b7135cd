/**
 * English questions: a function-word heuristic tells English from Swedish, and a domain glossary maps English
 * wording to the Swedish the documents use ("assignments" → "uppdrag", "foster homes" → "familjehem"), so an
 * English question retrieves like the Swedish one.
 */
import { tokenizeWithOffsets } from './tokens.ts';

/** Frequent English function words that are not also Swedish words. */
const ENGLISH_WORDS = new Set([
  'the', 'what', 'which', 'does', 'do', 'did', 'is', 'are', 'was', 'were', 'of', 'about', 'have', 'has', 'had', 'how', 'many',
  'much', 'who', 'whom', 'whose', 'when', 'where', 'why', 'with', 'there', 'any', 'this', 'these', 'those', 'will', 'would',
  'should', 'could', 'and', 'to', 'it', 'they', 'their', 'them', 'be', 'been', 'can', 'a', 'an', 'on', 'at', 'from', 'by',
  'that', 'please', 'tell', 'me', 'our', 'its', 'into', 'regarding', 'concerning', 'planned', 'plans', 'list',
]);

/** Frequent Swedish function words (folded) that are not also English words. */
const SWEDISH_WORDS = new Set([
  'och', 'att', 'det', 'vad', 'vilka', 'vilken', 'vilket', 'har', 'som', 'ar', 'hur', 'manga', 'ska', 'om', 'pa', 'med', 'av',
  'till', 'den', 'de', 'inte', 'gor', 'gors', 'finns', 'nar', 'vem', 'varfor', 'kan', 'sig', 'ett', 'en', 'ocksa', 'galler',
  'sedan', 'enligt', 'vid', 'mycket', 'sager', 'nagra', 'hos', 'inom', 'kring', 'dar', 'vart', 'alltsa', 'mot', 'fran', 'och',
]);

/**
 * Detects the language of a question: English when English function words outweigh Swedish ones.
 * `fallback` is returned when nothing tells ("Centrum?").
 */
export function detectLanguage(text: string, fallback: 'sv' | 'en' = 'sv'): 'sv' | 'en' {
  let english = 0;
  // Swedish letters count as one Swedish word: committee names in an English question don't make it Swedish.
  let swedish = /[åäöÅÄÖ]/.test(text) ? 1 : 0;
  for (const token of tokenizeWithOffsets(text)) {
    if (ENGLISH_WORDS.has(token.lower)) english++;
    if (SWEDISH_WORDS.has(token.folded)) swedish++;
  }
  if (english === 0 && swedish <= 1) {
    if (swedish === 1) return 'sv';
    // No function words ("foster homes?"): English only when the glossary knows the words.
    const glossaryHits = translateToSwedish(text).translated;
    if (glossaryHits > 0 && glossaryHits * 2 >= tokenizeWithOffsets(text).length) return 'en';
    return fallback;
  }
  if (english === swedish) return fallback;
  return english > swedish ? 'en' : 'sv';
}

/** English → Swedish domain glossary (phrases matched on lower-case words, longest first). */
const GLOSSARY: Array<[string, string]> = [
  // Broader municipal vocabulary (added by the lead): topics of plan documents people ask about in English.
  ['alcohol counselling', 'alkoholrådgivning'], ['alcohol counseling', 'alkoholrådgivning'], ['alcohol', 'alkohol'],
  ['drug trafficking', 'droghandel'], ['drugs', 'droger'], ['addiction', 'missbruk'], ['substance abuse', 'missbruk'],
  ['counselling', 'rådgivning'], ['counseling', 'rådgivning'], ['advice', 'rådgivning'], ['free of charge', 'avgiftsfri'], ['free', 'avgiftsfri'],
  ['single-use items', 'engångsartiklar'], ['single use items', 'engångsartiklar'], ['disposable items', 'engångsartiklar'],
  ['recycling', 'återbruk'], ['waste sorting', 'källsortering'], ['climate', 'klimat'], ['environment', 'miljö'],
  ['portable electronics', 'bärbar elektronik'], ['electronics', 'elektronik'], ['life cycle', 'livscykelhantering'], ['lifecycle', 'livscykelhantering'],
  ['relief families', 'avlastningsfamiljer'], ['respite families', 'avlastningsfamiljer'], ['mentor families', 'mentorsfamiljer'],
  ['family centres', 'familjecentraler'], ['family centers', 'familjecentraler'], ['family centre', 'familjecentral'], ['family center', 'familjecentral'],
  ['youth centres', 'fritidsgårdar'], ['youth centers', 'fritidsgårdar'], ['youth clubs', 'fritidsgårdar'], ['leisure activities', 'fritidsaktiviteter'],
  ['meeting places', 'mötesplatser'], ['playgrounds', 'lekplatser'], ['emergency services', 'blåljuspersonal'], ['police', 'polisen'],
  ['evictions', 'vräkningar'], ['eviction', 'vräkning'], ['sheltered housing', 'skyddat boende'], ['shelters', 'skyddat boende'], ['shelter', 'skyddat boende'],
  ['pets', 'husdjur'], ['pet', 'husdjur'], ['dogs', 'husdjur'], ['cats', 'husdjur'],
  ['polling stations', 'vallokaler'], ['polling station', 'vallokal'], ['premises', 'lokaler'], ['election', 'val'],
  ["citizens' budget", 'medborgarbudget'], ['citizens budget', 'medborgarbudget'], ['participatory budgeting', 'medborgarbudget'],
  ["citizens' panels", 'medborgarpaneler'], ['citizen panels', 'medborgarpaneler'], ["citizens' councils", 'medborgarråd'],
  ['citizen service', 'medborgarservice'], ['citizen offices', 'medborgarkontor'], ['contact centre', 'kontaktcenter'], ['contact center', 'kontaktcenter'],
  ['democracy', 'demokrati'], ['participation', 'delaktighet'], ['influence', 'inflytande'], ['segregation', 'segregation'],
  ['civil society', 'civilsamhället'], ['non-profit organisations', 'idéburna organisationer'], ['non-profit organizations', 'idéburna organisationer'],
  ['non-profit', 'idéburen'], ['procurement', 'upphandling'], ['procurements', 'upphandlingar'], ['associations', 'föreningar'],
  ['study associations', 'studieförbund'], ['grants', 'bidrag'], ['grant', 'bidrag'], ['funding', 'bidrag'],
  ['national minorities', 'nationella minoriteter'], ['minority languages', 'minoritetsspråk'], ['refugees', 'flyktingar'],
  ['unaccompanied children', 'ensamkommande barn'], ['unaccompanied minors', 'ensamkommande barn'], ['newly arrived', 'nyanlända'],
  ['working hours', 'arbetstid'], ['working time', 'arbetstid'], ['shorter working hours', 'sänkt arbetstid'], ['reduced working hours', 'sänkt arbetstid'],
  ['work environment', 'arbetsmiljö'], ['working conditions', 'arbetsvillkor'], ['wages', 'löner'], ['salaries', 'löner'], ['salary', 'lön'],
  ['recruitment', 'rekrytering'], ['recruit', 'rekrytera'], ['skills supply', 'kompetensförsörjning'], ['competence', 'kompetens'], ['training', 'utbildning'],
  ['hourly employment', 'timanställningar'], ['permanent positions', 'fasta tjänster'], ['managers', 'chefer'],
  ['digitalisation', 'digitalisering'], ['digitalization', 'digitalisering'], ['digital', 'digital'], ['artificial intelligence', 'artificiell intelligens'],
  ['developers', 'utvecklare'], ['developer', 'utvecklare'], ['e-application', 'e-ansökan'],
  ['public health', 'folkhälsa'], ['mental health', 'psykisk hälsa'], ['mental illness', 'psykisk ohälsa'], ['health', 'hälsa'],
  ['safety', 'trygghet'], ['security', 'trygghet'], ['crime prevention', 'brottsförebyggande'], ['crime', 'brott'], ['cameras', 'kameror'],
  ['violence prevention', 'våldsprevention'], ['violence', 'våld'], ['honour oppression', 'hedersförtryck'], ['honor oppression', 'hedersförtryck'],
  ['women', 'kvinnor'], ['gender stereotypes', 'könsstereotypa normer'], ['gender equality', 'jämställdhet'], ['racism', 'rasism'],
  ['disabilities', 'funktionsnedsättningar'], ['disability', 'funktionsnedsättning'], ['disabled', 'funktionsnedsättning'],
  ['parents', 'föräldrar'], ['parenting support', 'föräldraskapsstöd'], ['families', 'familjer'], ['family', 'familj'],
  ['schools', 'skolor'], ['school', 'skola'], ['preschool', 'förskola'], ['field workers', 'fältarbetare'], ['outreach', 'uppsökande'],
  ['custody transfer', 'vårdnadsöverflytt'], ['transfer of custody', 'vårdnadsöverflytt'], ['queue', 'kö'], ['waiting list', 'kö'],
  ['city districts', 'stadsområden'], ['city district', 'stadsområde'], ['district', 'stadsområde'], ['neighbourhoods', 'områden'],
  ['director', 'förvaltningsdirektör'], ['head of administration', 'förvaltningsdirektör'], ['chairman', 'ordförande'], ['chair', 'ordförande'],
  ['parties', 'partier'], ['party', 'parti'], ['proposal', 'yrkande'], ['motion', 'yrkande'], ['implementation plan', 'genomförandeplan'],
  ['operational plan', 'verksamhetsplan'], ['business plan', 'verksamhetsplan'], ['presentation', 'presentation'], ['slides', 'presentation'],
  ['increase', 'öka'], ['reduce', 'minska'], ['investigate', 'utreda'], ['examine', 'utreda'], ['review', 'översyn'], ['introduce', 'införa'],
  ['ensure', 'säkerställa'], ['develop', 'utveckla'], ['strengthen', 'stärka'], ['cooperate', 'samverka'], ['cooperation', 'samverkan'],
  ['collaboration', 'samverkan'], ['report back', 'återrapportering'], ['replaces', 'ersätts'], ['replace', 'ersätta'], ['replaced', 'ersätts'],
  ['district committees', 'stadsdelsnämnder'], ['district councils', 'stadsdelsnämnder'], ['tax rate', 'skattesats'], ['taxes', 'skatt'],
  ['road maintenance', 'vägunderhåll'], ['roads', 'vägar'], ['urban environment', 'stadsmiljö'], ['parking', 'parkering'],
  ['assignments', 'uppdrag'], ['assignment', 'uppdrag'], ['tasks', 'uppdrag'], ['task', 'uppdrag'], ['commissions', 'uppdrag'],
  ['commission', 'uppdrag'], ['mandates', 'uppdrag'], ['missions', 'uppdrag'],
  ['emergency foster homes', 'jourhem'], ['emergency foster home', 'jourhem'], ['emergency foster families', 'jourhem'],
  ['foster homes', 'familjehem'], ['foster home', 'familjehem'], ['foster families', 'familjehem'], ['foster family', 'familjehem'],
  ['foster care', 'familjehem'], ['foster parents', 'familjehem'],
  ['social welfare committees', 'socialnämnder'], ['social services committees', 'socialnämnder'],
  ['social welfare committee', 'socialnämnd'], ['social services committee', 'socialnämnd'], ['social committee', 'socialnämnd'],
  ['social welfare board', 'socialnämnd'], ['social services board', 'socialnämnd'],
  ['social welfare administration', 'socialförvaltning'], ['social services administration', 'socialförvaltning'],
  ['social services', 'socialtjänst'], ['social welfare', 'socialtjänst'],
  ['committees', 'nämnder'], ['committee', 'nämnd'], ['boards', 'nämnder'], ['board', 'nämnd'], ['administration', 'förvaltning'],
  ['goals', 'mål'], ['goal', 'mål'], ['objectives', 'mål'], ['objective', 'mål'], ['targets', 'mål'],
  ['homelessness', 'hemlöshet'], ['homeless', 'hemlösa'], ['housing first', 'Bostad först'], ['housing', 'bostad'],
  ['young people', 'unga'], ['youths', 'ungdomar'], ['youth', 'ungdomar'], ['teenagers', 'ungdomar'], ['adolescents', 'ungdomar'],
  ['children and young people', 'barn och unga'], ['children', 'barn'], ['child', 'barn'], ['kids', 'barn'],
  ['budget', 'budget'], ['costs', 'kostnader'], ['cost', 'kostnad'],
  ['financial assistance', 'ekonomiskt bistånd'], ['financial aid', 'ekonomiskt bistånd'], ['social assistance', 'ekonomiskt bistånd'],
  ['welfare benefits', 'ekonomiskt bistånd'], ['income support', 'ekonomiskt bistånd'], ['benefits', 'bistånd'],
  ['sickness absence', 'sjukfrånvaro'], ['sick leave', 'sjukfrånvaro'],
  ['staff', 'medarbetare'], ['employees', 'medarbetare'], ['employee', 'medarbetare'], ['personnel', 'personal'],
  ['co-workers', 'medarbetare'], ['workers', 'medarbetare'],
  ['elderly', 'äldre'], ['older people', 'äldre'], ['seniors', 'äldre'],
  ['gang crime', 'gängkriminalitet'], ['gangs', 'gäng'], ['gang', 'gäng'], ['criminal networks', 'kriminella nätverk'],
  ['organised crime', 'organiserad brottslighet'], ['organized crime', 'organiserad brottslighet'],
  ['residential care homes', 'HVB'], ['residential care', 'HVB'], ['institutional care', 'HVB'],
  ['placements', 'placeringar'], ['placement', 'placering'],
  ['domestic violence', 'våld i nära relationer'], ['violence in close relationships', 'våld i nära relationer'],
  ['intimate partner violence', 'våld i nära relationer'],
  ['honour related violence', 'hedersrelaterat våld'], ['honor related violence', 'hedersrelaterat våld'],
  ['honour oppression', 'hedersförtryck'], ['honor oppression', 'hedersförtryck'], ['honour', 'heder'], ['honor', 'heder'],
  ['substance abuse', 'missbruk'], ['drug abuse', 'missbruk'], ['addiction', 'beroende'], ['drugs', 'droger'],
  ['mental health', 'psykisk ohälsa'], ['mental illness', 'psykisk ohälsa'],
  ['disabilities', 'funktionsnedsättning'], ['disability', 'funktionsnedsättning'],
  ['recruitment', 'rekrytering'], ['recruiting', 'rekrytering'], ['recruit', 'rekrytera'],
  ['competence supply', 'kompetensförsörjning'], ['skills supply', 'kompetensförsörjning'],
  ['skills development', 'kompetensutveckling'], ['professional development', 'kompetensutveckling'], ['training', 'kompetensutveckling'],
  ['digitalisation', 'digitalisering'], ['digitalization', 'digitalisering'], ['digital', 'digital'],
  ['integrated digitalisation', 'Integrerad digitalisering'], ['integrated digitalization', 'Integrerad digitalisering'],
  ['developers', 'utvecklare'], ['developer', 'utvecklare'], ['hire', 'anställa'], ['employ', 'anställa'],
  ['safety', 'trygghet'], ['security', 'trygghet'],
  ['crime prevention', 'brottsförebyggande'], ['preventing crime', 'brottsförebyggande'],
  ['early interventions', 'tidiga insatser'], ['early intervention', 'tidiga insatser'], ['early support', 'tidiga insatser'],
  ['preventive work', 'förebyggande arbete'], ['prevention', 'förebyggande'],
  ['non profit organisations', 'idéburna organisationer'], ['non profit organizations', 'idéburna organisationer'],
  ['ideas based organisations', 'idéburna organisationer'], ['voluntary organisations', 'idéburna organisationer'],
  ['civil society', 'civilsamhället'],
  ['public procurement', 'upphandling'], ['procurement', 'upphandling'], ['reserved', 'reserveras'], ['law', 'lag'], ['act', 'lag'],
  ['participatory budgeting', 'medborgarbudget'], ['citizen budget', 'medborgarbudget'], ['citizens budget', 'medborgarbudget'],
  ['citizen dialogue', 'medborgardialog'], ['residents', 'invånare'], ['citizens', 'invånare'], ['inhabitants', 'invånare'],
  ['working environment', 'arbetsmiljö'], ['work environment', 'arbetsmiljö'],
  ['hourly employment', 'timanställningar'], ['hourly employees', 'timanställningar'], ['hourly staff', 'timanställningar'],
  ['hourly workers', 'timanställningar'], ['full time', 'heltid'],
  ['family centres', 'familjecentraler'], ['family centers', 'familjecentraler'], ['family centre', 'familjecentral'],
  ['family center', 'familjecentral'],
  ['youth centres', 'fritidsgårdar'], ['youth centers', 'fritidsgårdar'], ['youth clubs', 'fritidsgårdar'],
  ['leisure centres', 'fritidsgårdar'], ['recreation centres', 'fritidsgårdar'], ['meeting places', 'mötesplatser'],
  ['gathering places', 'samlingsplatser'], ['leisure activities', 'fritidsaktiviteter'], ['visible presence', 'synlig närvaro'],
  ['emergency services', 'blåljuspersonal'], ['first responders', 'blåljuspersonal'], ['blue light', 'blåljus'], ['police', 'polis'],
  ['schools', 'skolor'], ['school', 'skola'], ['parents', 'föräldrar'], ['queue', 'kö'], ['waiting list', 'kö'],
  ['custody transfer', 'vårdnadsöverflytt'], ['transfer of custody', 'vårdnadsöverflytt'],
  ['protected housing', 'skyddat boende'], ['sheltered housing', 'skyddat boende'], ['women s shelter', 'skyddat boende'],
  ['shelter', 'skyddat boende'], ['pets', 'husdjur'], ['pet', 'husdjur'],
  ['implementation plan', 'genomförandeplan'], ['operational plan', 'verksamhetsplan'], ['business plan', 'verksamhetsplan'],
  ['proposal', 'yrkande'], ['motion', 'yrkande'], ['political parties', 'partier'], ['parties', 'partier'], ['party', 'parti'],
  ['district committees', 'stadsdelsnämnderna'], ['city district committees', 'stadsdelsnämnderna'], ['city districts', 'stadsdelsnämnderna'],
  ['city of gothenburg', 'Göteborgs Stad'], ['gothenburg', 'Göteborg'], ['city council', 'kommunfullmäktige'],
  ['municipal council', 'kommunfullmäktige'], ['municipality', 'kommun'],
  ['director', 'förvaltningsdirektör'], ['head of administration', 'förvaltningsdirektör'],
  ['democracy', 'demokrati'], ['citizen services', 'medborgarservice'], ['citizen service', 'medborgarservice'], ['consumer', 'konsument'],
  ['cooperation', 'samverkan'], ['collaboration', 'samverkan'], ['collaborate', 'samverka'], ['cooperate', 'samverka'],
  ['follow up', 'uppföljning'], ['monitoring', 'uppföljning'], ['evaluation', 'utvärdering'], ['report back', 'återrapportera'],
  ['investigate', 'utreda'], ['investigated', 'utredas'], ['investigation', 'utredning'], ['look into', 'utreda'],
  ['increase', 'öka'], ['reduce', 'minska'], ['decrease', 'minska'],
  ['guiding principles', 'förhållningssätt'], ['principles', 'förhållningssätt'], ['approaches', 'förhållningssätt'],
  ['crisis support', 'krisstöd'], ['income', 'inkomst'], ['replaces', 'ersätter'], ['replace', 'ersätta'], ['replaced', 'ersatt'],
  ['elderly care', 'äldreomsorg'], ['support', 'stöd'], ['people in social vulnerability', 'människor i social utsatthet'],
  ['social vulnerability', 'social utsatthet'], ['vulnerable areas', 'utsatta områden'], ['overarching', 'övergripande'],
  ['digitalise', 'digitalisera'], ['unaccompanied minors', 'ensamkommande'], ['newly arrived', 'nyanlända'], ['refugees', 'flyktingar'],
  ['violence', 'våld'], ['crime', 'brott'], ['work', 'arbete'], ['plan', 'plan'], ['plans', 'planer'], ['year', 'år'],
];

/** English words dropped from the Swedish retrieval text (function words and question words). */
const ENGLISH_STOP_WORDS = new Set([
  ...ENGLISH_WORDS,
  'for', 'in', 'or', 'as', 'than', 'then', 'so', 'not', 'no', 'yes', 'all', 'some', 'get', 'gets', 'got', 'give', 'given', 'i',
  'we', 'you', 'my', 'your', 'he', 'she', 'his', 'her', 'us', 'also', 'just', 'doing', 'done', 'make', 'made', 'say', 'says',
  'said', 'think', 'want', 'wants', 'going', 'within', 'under', 'during', 'per', 'each', 'every', 'other', 'more', 'most', 'such',
  'been', 'being', 'if', 'whether', 'since', 'until', 'according', 'between', 'should', 'shall', 'may', 'might', 'must',
  'need', 'needs', 'exist', 'exists', 'existing', 'show', 'describe', 'explain', 'themselves', 'itself', 'own', 'given',
  'kind', 'kinds', 'type', 'types', 'way', 'ways', 'things', 'thing', 'anything', 'something', 'new',
]);

interface CompiledEntry {
  words: string[];
  swedish: string;
}

const COMPILED: Map<string, CompiledEntry[]> = (() => {
  const byFirst = new Map<string, CompiledEntry[]>();
  for (const [english, swedish] of GLOSSARY) {
    const words = english.split(/[^a-z]+/).filter(Boolean);
    const list = byFirst.get(words[0]) ?? [];
    list.push({ words, swedish });
    byFirst.set(words[0], list);
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.words.length - a.words.length);
  return byFirst;
})();

/** Number of glossary entries (documentation and tests). */
export const GLOSSARY_SIZE = GLOSSARY.length;

/**
 * Translates an English question into Swedish retrieval words: glossary phrases become Swedish,
 * function words are dropped, other words (names such as "Skolfam", "Biskopsgården", numbers) are kept.
 * `translated` counts glossary hits.
 */
export function translateToSwedish(text: string): { text: string; translated: number } {
  const tokens = tokenizeWithOffsets(text);
  const output: string[] = [];
  let translated = 0;
  for (let index = 0; index < tokens.length; ) {
    const word = tokens[index].lower;
    const candidates = COMPILED.get(word) ?? [];
    const entry = candidates.find(
      (candidate) =>
        index + candidate.words.length <= tokens.length &&
        candidate.words.every((candidateWord, offset) => tokens[index + offset].lower === candidateWord || tokens[index + offset].lower === `${candidateWord}s`),
    );
    if (entry) {
      output.push(entry.swedish);
      if (entry.swedish.toLowerCase() !== entry.words.join(' ')) translated++;
      index += entry.words.length;
      continue;
    }
    // Possessive "committee's" → the tokenizer yields "s": drop it with the stop words.
    if (!ENGLISH_STOP_WORDS.has(word) && word !== 's') output.push(tokens[index].surface);
    index++;
  }
  return { text: output.join(' '), translated };
}
