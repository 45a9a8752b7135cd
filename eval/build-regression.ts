/**
 * Builds `eval/datasets/regression.json` from the corpus TEXT (never from the pipeline's output).
 *
 * 1. Reads the raw files of `data/corpus` and extracts the uppdrag structurally: `»` bullets of the
 *    genomförandeplaner (000, 001, 004) with their heading (från budgeten / från nämnden) and the uppdrag table
 *    rows of the verksamhetsplan (002: an uppdrag cell followed by a block starting with the uppdragsår).
 * 2. Takes the hand-written question specs below (paraphrased questions, a distinctive evidence phrase per
 *    passage, facts) and checks every one against the corpus: each evidence phrase must occur (edit-tolerant) in
 *    its document, and for `uppdrag` specs inside an extracted uppdrag unit; each fact must stand in an evidence
 *    document.
 * 3. Adds forbidden passages automatically: for a question scoped to one committee, the same evidence phrase found
 *    in another committee's document (near-identical Centrum/Nordost text) is forbidden.
 * 4. Reports extracted uppdrag that no question covers, and writes the dataset.
 *
 * Run: `npx tsx eval/build-regression.ts [--check]` (`--check` fails when the file on disk differs).
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDataset, type Dataset, type DatasetItem, type EvidenceEntry, type EvidencePassage } from './dataset.ts';
import { foldForMatch, foldedFuzzyContains, fuzzyContains } from './text-match.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORPUS_DIR = join(ROOT, 'data/corpus');
const OUTPUT = join(ROOT, 'eval/datasets/regression.json');

type DocKey = 'D0' | 'D1' | 'D2' | 'D3' | 'D4';
/** Committee scopes: which gold documents belong to which committee. */
const SCOPES = {
  centrum: ['D2', 'D4'],
  nordost: ['D1'],
  demokrati: ['D0', 'D3'],
} as const satisfies Record<string, readonly DocKey[]>;
type Scope = keyof typeof SCOPES;

/** One extracted uppdrag (a `»` bullet or a 002 table row). */
export interface UppdragUnit {
  doc: DocKey;
  origin: 'budget' | 'nämnden' | 'tabell';
  text: string;
}

/** Extracts `»` bullets with the heading they stand under. */
export function extractBullets(raw: string, doc: DocKey): UppdragUnit[] {
  const units: UppdragUnit[] = [];
  const start = raw.search(/\n\s*Uppdrag:/);
  if (start < 0) return units;
  const text = raw.slice(start);
  // Headings: "Från Göteborgs Stads budget:" / "Från nämnden:" (also OCR "Frdn Goteborgs", "Frédn namnden/styrelsen").
  const headingPattern = /Fr\S{1,3}n\s+(G\S*teborgs\s+Stads\s+budget|n\S*mnden(?:\/styrelsen)?)\s*:/g;
  const headings = [...text.matchAll(headingPattern)].map((match) => ({ at: match.index ?? 0, budget: /budget/.test(match[1]) }));
  const parts = text.split('»');
  let offset = parts[0].length + 1;
  for (const part of parts.slice(1)) {
    const heading = [...headings].reverse().find((candidate) => candidate.at < offset);
    const body = part.split(headingPattern)[0].replace(/\s+/g, ' ').trim();
    if (body.length > 0) units.push({ doc, origin: heading && !heading.budget ? 'nämnden' : 'budget', text: body });
    offset += part.length + 1;
  }
  return units;
}

/**
 * Extracts uppdrag table rows of the verksamhetsplan: an uppdrag cell (a block with "i uppdrag") followed by a
 * block starting with its uppdragsår; the row's text runs on through the Omhändertagande cell until the next
 * uppdrag cell, table header or numbered heading.
 */
export function extractTableRows(raw: string, doc: DocKey): UppdragUnit[] {
  const blocks = raw
    .split(/\n\s*\n/)
    .map((block) => block.replace(/\s+/g, ' ').trim())
    .filter((block) => block.length > 0);
  const startsRow = (index: number): boolean =>
    /\bi uppdrag\b/.test(blocks[index]) && /^20\d\d\b/.test(blocks[index + 1] ?? '') && !/^20\d\d\b/.test(blocks[index]);
  const units: UppdragUnit[] = [];
  blocks.forEach((block, index) => {
    if (!startsRow(index)) return;
    const parts = [block.replace(/^Uppdrag Uppdrags år Omhändertagande /, '')];
    for (let next = index + 1; next < blocks.length; next++) {
      if (startsRow(next) || /^Uppdrag$|^Uppdrags$|^\d+(\.\d+)+ /.test(blocks[next])) break;
      parts.push(blocks[next]);
    }
    units.push({ doc, origin: 'tabell', text: parts.join(' ') });
  });
  return units;
}

/** A hand-written question. Evidence strings are `DOC: phrase`; `anyOf` groups alternatives. */
interface Spec {
  category: string;
  turns: string[];
  /** Committee the question is about: passages from other committees' documents become forbidden. */
  scope?: Scope;
  evidence?: Array<string | { anyOf: string[] }>;
  facts?: string[];
  forbidden?: string[];
  /** Evidence must stand inside an extracted uppdrag unit. */
  uppdrag?: boolean;
  answerable?: boolean;
  note?: string;
}

// ---------------------------------------------------------------------------------------------- question specs
// Written by hand from reading the documents; phrases checked by `build()` below.
const SPECS: Spec[] = [
  // ---- 000: nämnden för demokrati och medborgarservice (genomförandeplan 2025, split diacritics) ----
  { category: 'uppdrag', scope: 'demokrati', uppdrag: true, turns: ['Vem ska hjälpa nämnderna med klimatbudget och hållbarhetsredovisning enligt genomförandeplanen för demokrati och medborgarservice?'], evidence: ['D0: bistå övriga nämnder och bolagsstyrelser i det fortsatta arbetet med implementeringen av klimatbudget'], facts: ['kommunstyrelsen', 'miljö- och klimatnämnden'] },
  { category: 'uppdrag', scope: 'demokrati', uppdrag: true, turns: ['Hur ska sjukskrivningar förebyggas enligt nämnden för demokrati och medborgarservices genomförandeplan?'], evidence: ['D0: utveckla det systematiska arbetsmiljöarbetet'], facts: ['sjukskrivningar'] },
  { category: 'uppdrag', scope: 'demokrati', uppdrag: true, turns: ['Vad har nämnden för demokrati och medborgarservice för uppdrag om bärbara datorer och telefoner?'], evidence: ['D0: säkerställa en hållbar livscykelhantering av bärbar elektronik'], facts: ['livscykelhantering'] },
  { category: 'uppdrag', scope: 'demokrati', uppdrag: true, turns: ['Vilka grupper ska involveras mer när målbilden för miljö- och klimatprogrammet synliggörs av demokrati och medborgarservice?'], evidence: ['D0: involvera fler inom civilsamhälle, näringsliv och akademi'], facts: ['civilsamhälle', 'näringsliv', 'akademi'] },
  { category: 'uppdrag', scope: 'demokrati', uppdrag: true, turns: ['Vad ska nämnden för demokrati och medborgarservice göra med medborgarråd i klimatarbetet?'], evidence: ['D0: utveckla arbetet med medborgarråd för Göteborgs Stads miljö- och klimatomställning'], facts: ['tidigare medborgarråd|erfarenheter'] },
  { category: 'uppdrag', scope: 'demokrati', uppdrag: true, turns: ['Till vem återrapporteras uppdraget om allaktivitets-, demokrati- och kulturhus?'], evidence: ['D0: Återrapporteringen ska ske till nämnden för demokrati och medborgarservice'], facts: ['demokrati och medborgarservice'] },
  { category: 'uppdrag', scope: 'demokrati', uppdrag: true, turns: ['Hur ska nämnden för demokrati och medborgarservice se över sina inköp?'], evidence: ['D0: analysera sina inköp utifrån Göteborgs Stads spendrapport'], facts: ['spendrapport'] },
  { category: 'uppdrag', scope: 'demokrati', uppdrag: true, turns: ['Vad ska medarbetare som möter medborgare kunna när det gäller hedersförtryck, enligt nämnden för demokrati och medborgarservice?'], evidence: ['D0: kompetens att kunna hänvisa till rätt instans i arbete mot hedersförtryck'], facts: ['rätt instans', 'normmedvetet'] },
  { category: 'uppdrag', scope: 'demokrati', uppdrag: true, turns: ['Vilket uppdrag om seniorers boende och flyttar har nämnden för demokrati och medborgarservice?'], evidence: ['D0: underlätta för seniorer att starta flyttkedjor'], facts: ['flyttkedjor'] },
  { category: 'uppdrag', scope: 'demokrati', uppdrag: true, turns: ['Vilka avdelningars arbetsmiljö ska demokrati och medborgarservice följa upp extra noga?'], evidence: ['D0: särskilt sårbara för stress eller annan arbetsrelaterad ohälsa'], facts: ['stress'] },
  { category: 'fact', scope: 'demokrati', turns: ['Hur bidrar förvaltningen för demokrati och medborgarservice till att bryta segregationen?'], evidence: ['D0: fortsätta arbetet med invånarguider, medborgarkontor'], facts: ['invånarguider', 'medborgarkontor'] },
  { category: 'fact', scope: 'demokrati', turns: ['Vilket ansvarsområde i miljö- och klimatprogrammet arbetar nämnden för demokrati och medborgarservice med?'], evidence: ['D0: arbeta med ansvarsområdet Leva Hållbart'], facts: ['Leva hållbart'] },
  { category: 'no-diacritics', scope: 'demokrati', turns: ['vilket perspektiv ska forvaltningen for demokrati och medborgarservice sarskilt beakta i demokratiutvecklingen'], evidence: ['D0: särskilt beakta ett barn- och ungdomsperspektiv'], facts: ['barn- och ungdomsperspektiv'] },
  { category: 'uppdrag-list', scope: 'demokrati', uppdrag: true, turns: ['Vilka uppdrag delar nämnden för demokrati och medborgarservice med miljö- och klimatnämnden?'], evidence: ['D0: synliggöra målbilden för miljö- och klimatprogrammet', 'D0: utveckla arbetet med medborgarråd'], facts: ['målbilden', 'medborgarråd'] },

  // ---- 003: slides, konsument- och medborgarservice (former name) ----
  { category: 'fact', scope: 'demokrati', turns: ['Vem är process- och projektledare på konsument- och medborgarservice?'], evidence: ['D3: Lisa Lankford, process- och projektledare'], facts: ['Lisa Lankford'] },
  { category: 'fact', scope: 'demokrati', turns: ['Hur många ledamöter ska nämnden för konsument- och medborgarservice ha efter kommunstyrelsens beslut?'], evidence: ['D3: antalet ledamöter i nämnden för konsument- och medborgarservice utökas till 11 + 11'], facts: ['11'] },
  { category: 'former-name', scope: 'demokrati', turns: ['Vilka utökade demokratiuppdrag har nämnden för demokrati och medborgarservice fått?'], evidence: ['D3: Ansvar för stadens medborgarkontor', 'D3: Utreda hur en central medborgarbudget ska utformas'], facts: ['medborgarkontor', 'medborgarbudget'] },
  { category: 'fact', scope: 'demokrati', turns: ['Vilka lokala råd och dialoger tar konsument- och medborgarservice över ansvaret för?'], evidence: ['D3: Ö-dialogen, medborgarpaneler, ambassadörer/invånarguider'], facts: ['Ö-dialogen', 'demokratibuss'] },
  { category: 'former-name', scope: 'demokrati', turns: ['Vad ska nämnden för demokrati och medborgarservice göra med Göteborgsförslaget?'], evidence: ['D3: Utveckla stadens digitala demokratiarbete samt utveckla Göteborgsförslaget'], facts: ['Göteborgsförslaget'] },
  { category: 'fact', scope: 'demokrati', turns: ['Vad ska konsument- och medborgarservice återkomma med förslag på?'], evidence: ['D3: återkomma med förslag på nytt namn för nämnden'], facts: ['nytt namn'] },

  // ---- 001: Socialnämnden Nordost (yrkande 2024-11-18) ----
  { category: 'fact', scope: 'nordost', turns: ['Vilket datum har yrkandet om genomförandeplan 2025 för socialnämnden Nordost?'], evidence: ['D1: Yrkande 2024-11-18'], facts: ['2024-11-18|18 november 2024'] },
  { category: 'committee', scope: 'nordost', uppdrag: true, turns: ['Ska socialnämnd Nordost kunna låna ut jourfamiljehem till andra socialnämnder?'], evidence: ['D1: ta fram och implementera rutiner för intern utlåning av jourfamiljehem och familjehem'], facts: ['rutiner'] },
  { category: 'committee', scope: 'nordost', uppdrag: true, turns: ['Vad säger Nordosts genomförandeplan om samarbete mellan stadsområden för bättre integration?'], evidence: ['D1: samarbeta mellan olika stadsområden för att öka integration genom fritidsverksamheter'], facts: ['lovaktiviteter'] },
  { category: 'committee', scope: 'nordost', uppdrag: true, turns: ['Ska socialnämnden Nordost satsa på fler fältarbetare?'], evidence: ['D1: utöka tidiga, förebyggande och uppsökande verksamheter för barn, unga och föräldrar'], facts: ['fältarbetare'] },
  { category: 'committee', scope: 'nordost', uppdrag: true, turns: ['Finns det ett uppdrag om familjecentraler för socialnämnd Nordost?'], evidence: ['D1: starta en ny familjecentral i stadsområdet eller utöka familjecentralsliknande verksamhet'], facts: ['familjecentral'] },
  { category: 'committee', scope: 'nordost', uppdrag: true, turns: ['Till vem ska Nordost återrapportera uppdraget om sänkt arbetstid?'], evidence: ['D1: genomföra arbetstidsinnovationer, exempelvis sänkt arbetstid'], facts: ['kommunstyrelsen'] },
  { category: 'synonym', scope: 'nordost', uppdrag: true, turns: ['Hur ska socialnämnd Nordost arbeta med jämställdhet och normer bland barn och unga?'], evidence: ['D1: förstärka arbetet mot könsstereotypa normer i verksamheter för barn och unga'], facts: ['könsstereotypa'] },
  { category: 'committee', scope: 'nordost', uppdrag: true, turns: ['Vad ska göras för familjer som hotas, enligt genomförandeplanen för socialnämnd Nordost?'], evidence: ['D1: möjliggöra omflyttning av familjer som är utsatta för hot'], facts: ['AB Framtiden'] },
  { category: 'committee', scope: 'nordost', uppdrag: true, turns: ['Vad ska socialnämnd Nordost göra utifrån stadens spendrapport?'], evidence: ['D1: analysera sina inköp utifrån Göteborgs Stads spendrapport'], facts: ['inköp'] },
  { category: 'uppdrag', scope: 'nordost', uppdrag: true, turns: ['Var ska Nordosts pilotprojekt för medborgarbudget genomföras?'], evidence: ['D1: Pilotprojekten ska genomföras i utsatta områden'], facts: ['utsatta områden'] },
  { category: 'uppdrag', scope: 'nordost', uppdrag: true, turns: ['Vad ska Nordost utreda för att avlasta familjehemmen?'], evidence: ['D1: införa avlastningsfamiljer och mentorsfamiljer för familjehem'], facts: ['avlastningsfamiljer', 'mentorsfamiljer'] },
  { category: 'committee', scope: 'nordost', uppdrag: true, turns: ['Hur ska fler använda Bostad först i Nordost?'], evidence: ['D1: Socialförvaltningen Nordost får i uppdrag att genomföra kompetenshöjande insatser'], facts: ['kompetenshöjande'] },
  { category: 'committee', scope: 'nordost', uppdrag: true, turns: ['Vilket uppdrag om fritidsbanker finns i Nordosts genomförandeplan?'], evidence: ['D1: utreda samordningsansvaret för fritidsbankerna'], facts: ['samordningsansvaret'] },
  { category: 'committee', scope: 'nordost', turns: ['Vad ska socialnämnd Nordost göra med erfarenheterna från Mutual Benefits?'], evidence: ['D1: Erfarenheterna från projektet Mutual Benefits ska tas tillvara och implementeras'], facts: ['tas tillvara|implementeras'] },
  { category: 'committee', scope: 'nordost', turns: ['Hur ska socialnämnden Nordost omhänderta uppdraget om arbetstidsinnovationer?'], evidence: ['D1: genom att arbetstidsförkortning provas'], facts: ['arbetstidsförkortning'] },
  { category: 'committee', scope: 'nordost', turns: ['Vad säger socialnämnd Nordost om hemlöshet och Bostad först?'], evidence: ['D1: Bostad Först ska utökas och är ett prioriterat arbetssätt'], facts: ['utökas'] },
  { category: 'fact', scope: 'nordost', turns: ['Vad ska Nordost göra för att människor inte ska bli utan hjälp på grund av digitalt utanförskap?'], evidence: ['D1: säkerställa att ingen blir utan stöd eller hjälp på grund av digitalt utanförskap'], facts: ['digitalt utanförskap'] },
  { category: 'uppdrag-list', scope: 'nordost', uppdrag: true, turns: ['Vilka uppdrag från nämnden har socialnämnd Nordost gett sig själv?'], evidence: ['D1: Socialförvaltningen Nordost får i uppdrag att genomföra kompetenshöjande insatser', 'D1: införa avlastningsfamiljer och mentorsfamiljer', 'D1: särskilt se över omhändertagandet av människor i social utsatthet'], facts: ['Bostad först', 'avlastningsfamiljer'], forbidden: ['D4: utreda möjligheten att kunna ta med husdjur på skyddat boende', 'D4: Socialförvaltningen Centrum får i uppdrag att genomföra kompetenshöjande insatser'] },

  // ---- 004: Socialnämnden Centrum genomförandeplan 2025 (OCR damage) ----
  { category: 'committee', scope: 'centrum', uppdrag: true, turns: ['Vilken socialnämnd ska inrätta fler HVB-hem i egen regi enligt Centrums genomförandeplan?'], evidence: ['D4: Socialnämnden Sydväst får i uppdrag att i samverkan med socialnämnderna inrätta fler HVB-hem'], facts: ['Sydväst'] },
  { category: 'committee', scope: 'centrum', uppdrag: true, turns: ['Vilka grupper ska prioriteras i socialnämnden Centrums arbete mot vräkningar?'], evidence: ['D4: utöka det vräkningsförebyggande arbetet med särskilt fokus på barnfamiljer'], facts: ['barnfamiljer', 'funktionsnedsättning'] },
  { category: 'ocr', scope: 'centrum', uppdrag: true, turns: ['Vad ska socialnämnden Centrum införa när det gäller rådgivning om alkohol?'], evidence: ['D4: Socialnämnden Centrum får i uppdrag att införa avgiftsfri alkoholrådgivning'], facts: ['avgiftsfri'] },
  { category: 'ocr', scope: 'centrum', uppdrag: true, turns: ['Vilket bidrag ska socialnämnden Centrum utlysa för nationella minoriteter?'], evidence: ['D4: utlysa ett särskilt bidrag till civilsamhället till stöd för nationella minoriteters bevarande av språk och kultur'], facts: ['språk', 'kultur'] },
  { category: 'synonym', scope: 'centrum', uppdrag: true, turns: ['Kan man få ha med sin hund eller katt på skyddat boende i Centrum?'], evidence: ['D4: utreda möjligheten att kunna ta med husdjur på skyddat boende'], facts: ['husdjur'] },
  { category: 'ocr', scope: 'centrum', uppdrag: true, turns: ['Vad ska socialförvaltningen Centrum kartlägga när det gäller mötesplatser för unga?'], evidence: ['D4: framtida behov av olika sorters fritidsaktiviteter och mötesplatser för ungdomar'], facts: ['idrottshallar|spontanidrott|föreningsaktiviteter'] },
  { category: 'committee', scope: 'centrum', uppdrag: true, turns: ['Hur ska Centrum få fler att använda Bostad först?'], evidence: ['D4: Socialförvaltningen Centrum får i uppdrag att genomföra kompetenshöjande insatser'], facts: ['kompetenshöjande'] },
  { category: 'committee', scope: 'centrum', uppdrag: true, turns: ['Vem ska identifiera platser för kameror enligt socialnämnden Centrums genomförandeplan?'], evidence: ['D4: identifiera platser som är lämpliga för kameror'], facts: ['Stadsmiljönämnden'] },
  { category: 'no-diacritics', scope: 'centrum', uppdrag: true, turns: ['vad galler for barbar elektronik i socialnamnden centrums genomforandeplan'], evidence: ['D4: säkerställa en hållbar livscykelhantering av bärbar elektronik'], facts: ['livscykelhantering'] },
  { category: 'no-diacritics', scope: 'centrum', uppdrag: true, turns: ['ska skolfam finnas kvar vid vardnadsoverflytt i centrum'], evidence: ['D4: utreda hur Skolfam kan behållas vid vårdnadsöverflytt'], facts: ['Skolfam'] },
  { category: 'uppdrag-list', scope: 'centrum', uppdrag: true, turns: ['Vilka uppdrag om fritidsbanker har socialnämnden Centrum?'], evidence: ['D4: utreda samordningsansvaret för fritidsbankerna', 'D2: inrätta och driva fritidsbanker i de fyra stadsområdena'], facts: ['fritidsbank'] },
  { category: 'uppdrag-list', scope: 'centrum', uppdrag: true, turns: ['Vilka uppdrag i budgeten riktas bara till socialnämnden Centrum i genomförandeplanen för 2025?'], evidence: ['D4: införa avgiftsfri alkoholrådgivning', 'D4: utreda hur Skolfam kan behållas vid vårdnadsöverflytt', 'D4: stöd för nationella minoriteters bevarande av språk och kultur'], facts: ['alkoholrådgivning', 'Skolfam', 'nationella minoriteter'] },
  { category: 'fact', scope: 'centrum', turns: ['Vad ska socialförvaltningen Centrum göra med Draken?'], evidence: ['D4: fortsätta arbetet med att ersätta Draken samt starta en ny familjecentral'], facts: ['familjecentral'] },
  { category: 'fact', scope: 'centrum', turns: ['Hur ska socialförvaltningen Centrum ta emot ensamkommande barn?'], evidence: ['D4: ensamkommande barn ska prioriteras, bland annat genom verksamheten Welcome House'], facts: ['Welcome House'] },
  { category: 'ocr', scope: 'centrum', turns: ['Vad säger Centrums genomförandeplan om socialjouren?'], evidence: ['D4: Socialjouren skall ges nödvändiga resurser'], facts: ['resurser'] },
  { category: 'ocr', scope: 'centrum', turns: ['Ska sammanslagningen av socialkontoren i Centrum följas upp?'], evidence: ['D4: Sammanslagningen av socialkontoren behöver fortsätta att följas upp'], facts: ['arbetsmiljö'] },
  { category: 'committee', scope: 'centrum', turns: ['Vad säger socialnämnden Centrum om otillåten påverkan?'], evidence: ['D4: Otillåten påverkan ska motverkas'], facts: ['motverkas'] },
  { category: 'committee', scope: 'centrum', turns: ['Vad ska värnas och utvecklas kring familjecentralerna i Centrum?'], evidence: ['D4: De befintliga familjecentralerna och FCA-arbetet ska värnas och utvecklas'], facts: ['FCA'], forbidden: ['D1: De befintliga familjecentralerna ska värnas och utvecklas'] },
  { category: 'fact', scope: 'centrum', turns: ['Vilka fler ska socialnämnden Centrum föra dialog med om HVB i egen regi, utöver Västra Götalandsregionen?'], evidence: ['D4: ska dialog föras med Västra Götalandsregionen och GR om samarbetsmöjligheter'], facts: ['GR'], forbidden: ['D1: ska dialog föras med Västra Götalandsregionen om samarbetsmöjligheter'] },

  // ---- 002: Socialnämnden Centrum verksamhetsplan 2024 (uppdrag tables) ----
  { category: 'uppdrag', scope: 'centrum', uppdrag: true, turns: ['Vad ska utredningen om villkoren för familjehem innehålla utöver själva förslagen?'], evidence: ['D2: ekonomisk konsekvensanalys om hur förslagen kan påverka'], facts: ['ekonomisk konsekvensanalys'] },
  { category: 'synonym', scope: 'centrum', uppdrag: true, turns: ['Ska familjehemssekreterare i Centrum kunna nås på kvällar och helger?'], evidence: ['D2: anställa familjehemssekreterare som är tillgängliga även utanför kontorstid'], facts: ['utanför kontorstid'] },
  { category: 'fact', scope: 'centrum', uppdrag: true, turns: ['Hur många barn stod i kö till Skolfam i Centrum i början av 2024?'], evidence: ['D2: det står 24 barn i kö till insatsen'], facts: ['24'] },
  { category: 'fact', scope: 'centrum', turns: ['Vilken socialförvaltning samordnar utökningen av Skolfam-teamen?'], evidence: ['D2: Socialförvaltning Hisingen samordnar frågan om utökning av Skolfam-teamen'], facts: ['Hisingen'] },
  { category: 'uppdrag', scope: 'centrum', uppdrag: true, turns: ['Vilket uppdrag har socialnämnden Centrum om fritid för barn med funktionsnedsättning?'], evidence: ['D2: utveckla möjligheter till meningsfull fritidssysselsättning för barn med funktionsnedsättningar'], facts: ['åldersgränser'] },
  { category: 'fact', scope: 'centrum', turns: ['Vilken organisation samarbetar Centrum med kring åldersgränser i fritidsverksamheten för barn med funktionsnedsättning?'], evidence: ['D2: samarbetet med Passalen'], facts: ['Passalen'] },
  { category: 'uppdrag', scope: 'centrum', uppdrag: true, turns: ['Vad visade genomlysningen av meningsfull fritid i Centrum?'], evidence: ['D2: synliggör behov av fritidsgårdar eller andra arenor för meningsfull fritid'], facts: ['fritidsgårdar'] },
  { category: 'uppdrag', scope: 'centrum', uppdrag: true, turns: ['Hur ska fler klienter i Centrum söka ekonomiskt bistånd digitalt?'], evidence: ['D2: öka andelen klienter som ansöker om ekonomiskt bistånd via e-ansökan'], facts: ['e-ansökan'] },
  { category: 'uppdrag', scope: 'centrum', uppdrag: true, turns: ['Vilket arbetssätt med uniformerad personal ska förvaltningen i Centrum undersöka?'], evidence: ['D2: Människan bakom uniformen'], facts: ['Människan bakom uniformen|MBU'] },
  { category: 'uppdrag', scope: 'centrum', uppdrag: true, turns: ['Vilken styrgrupp i Centrum kan grundskoleförvaltningen komma att ingå i?'], evidence: ['D2: möjligheten för grundskoleförvaltningen att ingå i styrgruppen för Trygg i Centrum'], facts: ['Trygg i Centrum'] },
  { category: 'uppdrag', scope: 'centrum', uppdrag: true, turns: ['Får personer som lämnar skyddat boende förtur i bostadskön?'], evidence: ['D2: ge förtur i den ordinarie bostadskön till personer som skrivs ut från skyddat boende'], facts: ['Boplats'] },
  { category: 'uppdrag', scope: 'centrum', uppdrag: true, turns: ['När skulle modellen för bidrag till studieförbund i Centrum följas upp?'], evidence: ['D2: modellen för bidragsregler för studieförbund ska följas upp efter ett år'], facts: ['ett år|1 år'] },
  { category: 'uppdrag', scope: 'centrum', uppdrag: true, turns: ['Vad ska den nya bidragsmodellen för studieförbunden harmonisera med?'], evidence: ['D2: harmoniserar med Folkbildningsrådets nya statsbidragssystem'], facts: ['Folkbildningsrådet'] },
  { category: 'uppdrag', scope: 'centrum', uppdrag: true, turns: ['Vad måste ett studieförbund lämna in när det söker bidrag enligt Centrums nya modell?'], evidence: ['D2: fullständig förteckning över samarbetspartners redan i ansökan'], facts: ['samarbetspartners'] },
  { category: 'uppdrag-list', scope: 'centrum', uppdrag: true, turns: ['Vilka uppdrag om HBTQI-personer finns i socialnämnden Centrums verksamhetsplan?'], evidence: ['D2: inleda dialog med HBTQI-organisationer om förbättrad information', 'D2: riktade utbildningsinsatser som kan erbjudas till myndighetsutövande socialsekreterare'], facts: ['skyddat boende', 'utbildning'] },
  { category: 'uppdrag', scope: 'centrum', uppdrag: true, turns: ['Ska socialnämnden Centrum upplåta lokaler till valnämnden?'], evidence: ['D2: tillgängliggöra lokaler som efterfrågas av valnämnden'], facts: ['vallokaler'] },
  { category: 'uppdrag', scope: 'centrum', uppdrag: true, turns: ['Hur ska socialnämnderna frigöra tid till brukarnära arbete?'], evidence: ['D2: identifiera administrativa arbetsuppgifter som bedöms möjliga att ta bort'], facts: ['administrativa'] },
  { category: 'uppdrag', scope: 'centrum', uppdrag: true, turns: ['Har socialförvaltningen Centrum verksamheter med hög sjukfrånvaro i första linjen?'], evidence: ['D2: ingen första linjens verksamhet med hög sjukfrånvaro'], facts: ['ingen|inte'] },
  { category: 'uppdrag', scope: 'centrum', uppdrag: true, turns: ['Vilka villkor gäller för idéburna organisationer när en upphandling reserveras för dem?'], evidence: ['D2: får inte göra värdeöverföringar annat än till andra idéburna organisationer'], facts: ['värdeöverföringar'] },
  { category: 'uppdrag-list', scope: 'centrum', uppdrag: true, turns: ['Vilka uppdrag om ekonomiskt bistånd har socialnämnden Centrum för 2024?'], evidence: ['D2: tillfälliga statliga krisstöd riktade till individer', 'D2: öka digitaliseringen och automatiseringen vid handläggning av ekonomiskt bistånd'], facts: ['krisstöd', 'automatisering'] },
  { category: 'uppdrag-list', scope: 'centrum', uppdrag: true, turns: ['Vilka trygghetsuppdrag kring fritidsgårdar och skolor har socialnämnden Centrum 2024?'], evidence: ['D2: utveckla samverkan mellan blåljuspersonal och fritidsgårdar', 'D2: arbeta med trygghetsskapande och brottsförebyggande insatser i och nära berörda verksamheter'], facts: ['blåljuspersonal'] },
  { category: 'fact', scope: 'centrum', turns: ['I vilka fem områden delas socialförvaltningarnas mål och uppdrag in?'], evidence: ['D2: kategoriseras mål och uppdrag samt berörda program och planer i fem områden'], facts: ['Tidiga insatser', 'Arbete och sysselsättning', 'Trygghet och stadsutveckling', 'Delaktighet och tillit', 'Kultur, kvalitet och effektivitet'] },
  { category: 'fact', scope: 'centrum', turns: ['Hur många uppdrag fick socialnämnden Centrum i stadens budget för 2024?'], evidence: ['D2: Socialnämnden Centrum har fått 12 uppdrag'], facts: ['12|tolv'] },
  { category: 'fact', turns: ['Vad heter avdelningen som tog över driften av verksamhetssystemen för vård och omsorg?'], evidence: ['D2: Den nya avdelningen heter Integrerad digitalisering'], facts: ['Integrerad digitalisering'] },
  { category: 'fact', turns: ['Vilken gemensam målbild har de fyra socialförvaltningarna?'], evidence: ['D2: en likvärdig och effektiv socialtjänst med fokus på tidiga insatser för en jämlik stad'], facts: ['likvärdig', 'tidiga insatser'] },
  { category: 'fact', scope: 'centrum', turns: ['När beslutade socialnämnden Centrum om sin verksamhetsplan för 2024?'], evidence: ['D2: Nämnden beslutar om verksamhetsplanen i februari 2024'], facts: ['februari'] },
  { category: 'fact', scope: 'centrum', turns: ['Vilka tjänster erbjuder socialnämnden Centrum för hela staden?'], evidence: ['D2: socialjour, integrationsarbete, familjerätt samt uppsökande arbete'], facts: ['socialjour', 'familjerätt'] },
  { category: 'english', scope: 'centrum', turns: ['What will the Centrum social welfare administration do about single-use items?'], evidence: ['D2: byta ut engångsartiklar till flergångsprodukter'], facts: [] },
  { category: 'english', scope: 'centrum', uppdrag: true, turns: ['Will the Centrum social welfare committee introduce free alcohol counselling?'], evidence: ['D4: införa avgiftsfri alkoholrådgivning'], facts: [] },
  { category: 'english', scope: 'nordost', uppdrag: true, turns: ['What does the Nordost social welfare committee plan for relief families for foster homes?'], evidence: ['D1: införa avlastningsfamiljer och mentorsfamiljer för familjehem'], facts: [] },

  // ---- the other copy of uppdrag that 001 and 004 share word for word (asked differently) ----
  { category: 'no-diacritics', scope: 'nordost', uppdrag: true, turns: ['vilken socialnamnd ska inratta fler hvb-hem i egen regi enligt nordosts genomforandeplan'], evidence: ['D1: Socialnämnden Sydväst får i uppdrag att i samverkan med socialnämnderna inrätta fler HVB-hem'], facts: ['Sydväst'] },
  { category: 'committee', scope: 'nordost', uppdrag: true, turns: ['Hur ska socialnämnd Nordost förebygga vräkningar?'], evidence: ['D1: utöka det vräkningsförebyggande arbetet med särskilt fokus på barnfamiljer'], facts: ['barnfamiljer'] },
  { category: 'english', scope: 'nordost', uppdrag: true, turns: ['What must the Nordost social welfare committee ensure about portable electronics?'], evidence: ['D1: säkerställa en hållbar livscykelhantering av bärbar elektronik'], facts: [] },
  { category: 'committee', scope: 'nordost', uppdrag: true, turns: ['Vilka aktörer ska samverka om kameror i brottsförebyggande syfte enligt socialnämnd Nordosts plan?'], evidence: ['D1: identifiera platser som är lämpliga för kameror i brottsförebyggande och trygghetsskapande syfte'], facts: ['Higab', 'Stadsmiljönämnden'] },
  { category: 'committee', scope: 'centrum', uppdrag: true, turns: ['Vilket uppdrag har socialnämnden Centrum om att dela familjehem med andra socialnämnder?'], evidence: ['D4: rutiner för intern utlåning av jourfamiljehem och familjehem'], facts: ['jourfamiljehem'] },
  { category: 'committee', scope: 'centrum', uppdrag: true, turns: ['Hur ska socialnämnden Centrum använda lovaktiviteter för integration?'], evidence: ['D4: samarbeta mellan olika stadsområden för att öka integration genom fritidsverksamheter och lovaktiviteter'], facts: ['stadsområden'] },
  { category: 'committee', scope: 'centrum', uppdrag: true, turns: ['Vad säger Centrums genomförandeplan om uppsökande verksamhet för barn och föräldrar?'], evidence: ['D4: utöka tidiga, förebyggande och uppsökande verksamheter för barn, unga och föräldrar'], facts: ['fältarbetare'] },
  { category: 'committee', scope: 'centrum', uppdrag: true, turns: ['Har socialnämnden Centrum ett budgetuppdrag om att starta en ny familjecentral?'], evidence: ['D4: starta en ny familjecentral i stadsområdet eller utöka familjecentralsliknande verksamhet'], facts: ['familjecentral'] },
  { category: 'committee', scope: 'centrum', uppdrag: true, turns: ['I vilka verksamheter ska socialnämnden Centrum pröva arbetstidsinnovationer?'], evidence: ['D4: genomföras i verksamheter med hög sjukfrånvaro'], facts: ['sjukfrånvaro'] },
  { category: 'no-diacritics', scope: 'centrum', uppdrag: true, turns: ['vad ska socialnamnden centrum gora mot konsstereotypa normer'], evidence: ['D4: förstärka arbetet mot könsstereotypa normer i verksamheter för barn och unga'], facts: ['barn och unga'] },
  { category: 'committee', scope: 'centrum', uppdrag: true, turns: ['Vem ska hjälpa socialnämnden Centrum att flytta familjer som hotas till andra områden?'], evidence: ['D4: möjliggöra omflyttning av familjer som är utsatta för hot till andra områden'], facts: ['AB Framtiden'] },
  { category: 'committee', scope: 'centrum', uppdrag: true, turns: ['Vem ska stötta socialnämnden Centrum när inköpen analyseras?'], evidence: ['D4: Inköps- och upphandlingsnämnden ska stötta i detta arbete'], facts: ['upphandlingsnämnden'] },
  { category: 'uppdrag', scope: 'centrum', uppdrag: true, turns: ['Vilka socialnämnder ska Centrum samarbeta med i utredningen om bättre villkor för familjehem?'], evidence: ['D2: hur villkoren för familjehem kan förbättras inklusive kompetensutveckling'], facts: ['Hisingen', 'Nordost', 'Sydväst'] },
  { category: 'synonym', scope: 'centrum', uppdrag: true, turns: ['Ska familjehem få samma stöd oavsett stadsområde enligt socialnämnden Centrum?'], evidence: ['D2: säkerställa att stödet till familjehemmen blir likvärdigt över staden'], facts: ['likvärdigt'] },
  { category: 'uppdrag', scope: 'centrum', uppdrag: true, turns: ['Ska andelen jourhem i egen regi öka i Centrum, och var står det?'], evidence: ['D2: öka andelen familjehem, jourhem och hem för vård och boende i egen regi'], facts: ['kategoriplan'] },

  // ---- follow-ups: played as conversations; the last turn needs the earlier one ----
  { category: 'follow-up', scope: 'centrum', turns: ['Vad ska socialnämnden Centrum göra på platser där ungdomar samlas?', 'Vilka platser nämns?'], evidence: ['D4: samlingsplatser för ungdomar, t.ex. Majvallen, Mariaplan och Röda sten'], facts: ['Majvallen', 'Mariaplan'] },
  { category: 'follow-up', scope: 'centrum', uppdrag: true, turns: ['Vilka uppdrag från nämnden har socialnämnd Nordost?', 'Och vilka har Centrum gett sig själv?'], evidence: ['D4: utreda möjligheten att kunna ta med husdjur på skyddat boende', 'D4: framtida behov av olika sorters fritidsaktiviteter och mötesplatser för ungdomar'], facts: ['husdjur'], forbidden: ['D1: införa avlastningsfamiljer och mentorsfamiljer', 'D1: särskilt se över omhändertagandet av människor i social utsatthet'] },
  { category: 'follow-up', scope: 'demokrati', turns: ['Vem är förvaltningsdirektör för konsument- och medborgarservice?', 'Och vem är process- och projektledare där?'], evidence: ['D3: Lisa Lankford, process- och projektledare'], facts: ['Lisa Lankford'] },
  { category: 'follow-up', scope: 'centrum', turns: ['Vad säger socialnämnden Centrum om Skolfam i verksamhetsplanen 2024?', 'Hur många barn står i kö?'], evidence: ['D2: det står 24 barn i kö till insatsen'], facts: ['24'] },
  { category: 'follow-up', scope: 'nordost', uppdrag: true, turns: ['Vad ska socialnämnd Nordost göra för människor i social utsatthet?', 'Vart ska det arbetet återrapporteras?'], evidence: ['D1: Detta arbete ska återrapporteras till Socialnämnd Nordost'], facts: ['Nordost'] },
  { category: 'follow-up', scope: 'nordost', uppdrag: true, turns: ['Vilka uppdrag har socialnämnden Centrum om familjehem?', 'Och Nordost då?'], evidence: ['D1: införa avlastningsfamiljer och mentorsfamiljer för familjehem', 'D1: rutiner för intern utlåning av jourfamiljehem och familjehem'], facts: ['avlastningsfamiljer'] },
  { category: 'follow-up', scope: 'nordost', uppdrag: true, turns: ['Hur ska socialförvaltningen Centrum öka användningen av Bostad först?', 'Gäller samma sak för Nordost?'], evidence: ['D1: Socialförvaltningen Nordost får i uppdrag att genomföra kompetenshöjande insatser'], facts: ['kompetenshöjande'] },

  // ---- not answerable from the corpus ----
  { category: 'abstain', answerable: false, turns: ['Vilka uppdrag har socialnämnden Hisingen om äldreboenden?'] },
  { category: 'abstain', answerable: false, turns: ['Vad säger idrotts- och föreningsnämndens verksamhetsplan om konstgräsplaner?'] },
  { category: 'abstain', answerable: false, turns: ['Hur många anställda har socialförvaltningen Nordost?'] },
  { category: 'abstain', answerable: false, turns: ['Vad kostar en plats på ett HVB-hem i egen regi per dygn?'] },
  { category: 'abstain', answerable: false, turns: ['När öppnar den nya familjecentralen i Nordost?'] },
  { category: 'abstain', answerable: false, turns: ['Vilka uppdrag har kulturnämnden om stadsbiblioteket?'] },
  { category: 'abstain', answerable: false, turns: ['Vem är ordförande i socialnämnden Centrum?'] },
  { category: 'abstain', answerable: false, turns: ['Hur många kronor får studieförbunden i bidrag från socialnämnden Centrum 2024?'] },
  { category: 'abstain', answerable: false, turns: ['What is the road maintenance budget of the urban environment committee?'] },
  { category: 'abstain', answerable: false, turns: ['hur manga platser finns pa skyddat boende i centrum'] },
  { category: 'abstain', answerable: false, turns: ['Vad tycker Sverigedemokraterna om genomförandeplanen för socialnämnden Centrum?'] },
  { category: 'abstain', answerable: false, turns: ['Vilken är skattesatsen i Göteborg 2025?'] },
];

function parseReference(reference: string): EvidencePassage {
  const match = /^(D[0-4]):\s*(.+)$/.exec(reference);
  if (!match) throw new Error(`bad evidence reference "${reference}" (expected "D0: phrase")`);
  return { doc: match[1], text: match[2].trim() };
}

/** Reads the corpus and returns the gold document map (D0… → file name) and the raw texts. */
async function readCorpus(): Promise<{ docs: Record<DocKey, string>; texts: Record<DocKey, string> }> {
  const files = (await readdir(CORPUS_DIR)).filter((name) => /^00[0-4]_.*\.txt$/.test(name)).sort();
  if (files.length !== 5) throw new Error(`${CORPUS_DIR}: expected the 5 sample files 000…004, found ${files.length}`);
  const docs = {} as Record<DocKey, string>;
  const texts = {} as Record<DocKey, string>;
  for (const file of files) {
    const key = `D${Number(file.slice(0, 3))}` as DocKey;
    docs[key] = file;
    texts[key] = await readFile(join(CORPUS_DIR, file), 'utf8');
  }
  return { docs, texts };
}

/** Builds and validates the dataset; returns it with warnings (uncovered uppdrag, etc.). */
export async function build(): Promise<{ dataset: Dataset; warnings: string[]; units: UppdragUnit[] }> {
  const { docs, texts } = await readCorpus();
  const units = [
    ...extractBullets(texts.D0, 'D0'),
    ...extractBullets(texts.D1, 'D1'),
    ...extractBullets(texts.D4, 'D4'),
    ...extractTableRows(texts.D2, 'D2'),
  ];
  const foldedTexts = Object.fromEntries(Object.entries(texts).map(([key, text]) => [key, foldForMatch(text)])) as Record<DocKey, string>;
  const foldedUnits = units.map((unit) => foldForMatch(unit.text));
  const covered = new Set<number>();
  const warnings: string[] = [];
  const items: DatasetItem[] = SPECS.map((spec, index) => {
    const id = `reg-${String(index + 1).padStart(3, '0')}`;
    const where = `${id} (${spec.turns[spec.turns.length - 1]})`;
    const answerable = spec.answerable ?? true;
    const checkPassage = (passage: EvidencePassage, needsUnit: boolean): void => {
      const folded = foldForMatch(passage.text);
      if (!foldedFuzzyContains(foldedTexts[passage.doc as DocKey], folded)) throw new Error(`${where}: "${passage.text}" is not in ${passage.doc}`);
      const unitIndexes = units.map((unit, unitIndex) => (unit.doc === passage.doc && foldedFuzzyContains(foldedUnits[unitIndex], folded) ? unitIndex : -1)).filter((unitIndex) => unitIndex >= 0);
      if (needsUnit && unitIndexes.length === 0) throw new Error(`${where}: "${passage.text}" is in ${passage.doc} but in no extracted uppdrag`);
      for (const unitIndex of unitIndexes) covered.add(unitIndex);
    };
    const evidence: EvidenceEntry[] = (spec.evidence ?? []).map((entry) => {
      if (typeof entry === 'string') {
        const passage = parseReference(entry);
        checkPassage(passage, spec.uppdrag ?? false);
        return passage;
      }
      const anyOf = entry.anyOf.map(parseReference);
      anyOf.forEach((passage) => checkPassage(passage, spec.uppdrag ?? false));
      return { anyOf };
    });
    const forbidden: EvidencePassage[] = (spec.forbidden ?? []).map(parseReference);
    for (const passage of forbidden) {
      if (!foldedFuzzyContains(foldedTexts[passage.doc as DocKey], foldForMatch(passage.text))) throw new Error(`${where}: forbidden "${passage.text}" is not in ${passage.doc}`);
    }
    if (spec.scope) {
      const inScope = new Set<string>(SCOPES[spec.scope]);
      const passages = evidence.flatMap((entry) => ('anyOf' in entry ? entry.anyOf : [entry]));
      for (const passage of passages) {
        if (!inScope.has(passage.doc)) throw new Error(`${where}: evidence in ${passage.doc} is outside the scope ${spec.scope}`);
        for (const other of Object.keys(texts) as DocKey[]) {
          if (inScope.has(other)) continue;
          if (foldedFuzzyContains(foldedTexts[other], foldForMatch(passage.text)) && !forbidden.some((known) => known.doc === other && known.text === passage.text)) {
            forbidden.push({ doc: other, text: passage.text });
          }
        }
      }
    }
    const facts = spec.facts ?? [];
    if (answerable) {
      const evidenceDocs = [...new Set(evidence.flatMap((entry) => ('anyOf' in entry ? entry.anyOf : [entry])).map((passage) => passage.doc as DocKey))];
      for (const fact of facts) {
        const found = fact.split('|').some((alternative) => evidenceDocs.some((doc) => fuzzyContains(texts[doc], alternative)));
        if (!found) warnings.push(`${where}: fact "${fact}" is not in its evidence documents (${evidenceDocs.join(', ')})`);
      }
    }
    return { id, category: spec.category, turns: spec.turns, answerable, evidence, forbidden, facts, ...(spec.note ? { note: spec.note } : {}) };
  });
  units.forEach((unit, index) => {
    if (!covered.has(index)) warnings.push(`uncovered uppdrag in ${unit.doc} (${unit.origin}): ${unit.text.slice(0, 110)}…`);
  });
  const dataset = parseDataset(
    {
      about:
        'Regression gold set generated by eval/build-regression.ts from the raw corpus text (uppdrag extracted from » bullets and the 002 uppdrag tables; questions, evidence phrases and facts written and checked by hand; forbidden = the same phrase in another committee\'s document). Same format and matching rules as dev.json: matching folds case and diacritics and ignores punctuation and spacing, with a small edit tolerance for OCR-damaged sources; an evidence entry with anyOf is satisfied by any one of its passages.',
      docs,
      items,
    },
    'eval/datasets/regression.json',
  );
  return { dataset, warnings, units };
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const { dataset, warnings, units } = await build();
  const json = `${JSON.stringify(dataset, null, 1)}\n`;
  const counts = new Map<string, number>();
  for (const item of dataset.items) counts.set(item.category, (counts.get(item.category) ?? 0) + 1);
  process.stdout.write(`${units.length} uppdrag extracted; ${dataset.items.length} items: ${[...counts].map(([category, count]) => `${category} ${count}`).join(', ')}\n`);
  for (const warning of warnings) process.stdout.write(`warning: ${warning}\n`);
  if (check) {
    const current = await readFile(OUTPUT, 'utf8').catch(() => '');
    if (current !== json) {
      process.stderr.write(`${OUTPUT} is out of date: run npx tsx eval/build-regression.ts\n`);
      process.exitCode = 1;
    }
    return;
  }
  await writeFile(OUTPUT, json);
  process.stdout.write(`wrote ${OUTPUT}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    process.stderr.write(`build-regression: ${(error as Error).message}\n`);
    process.exitCode = 1;
  });
}
