/**
 * A small built-in frequency prior: very frequent Swedish words (rough counts per million words of
 * general Swedish text), with emphasis on words spelt with å/ä/ö and on the plain-letter forms they are
 * confused with. Used only to rank repair candidates that the dictionary accepts equally
 * ("är" before "år", "för" before "får", "vård" before "värd"), and by the normalisation to choose the letter
 * behind a "�".
 *
 * This table and the hunspell lexicon (dictionary-sv) are the repair's only word knowledge: nothing is counted
 * over the ingested corpus, so a document's repair never depends on which other documents are ingested with
 * it. No npm package ships Swedish word frequencies (checked: the registry has spelling dictionaries such as
 * dictionary-sv and @cspell/dict-sv, no frequency lists), so the table stays here as data. Entries whose only
 * purpose was one sample document (low counts for rare words) were removed.
 */

const TABLE = `
och 30000 i 25000 att 20000 det 18000 som 15000 en 14000 på 13000 är 12000 av 10000 för 10000 med 9000 till 9000
den 8000 har 7000 de 7000 inte 7000 om 6000 ett 6000 men 4000 var 4000 sig 4000 från 4000 vi 4000 så 4000 kan 4000
man 3000 när 2500 år 2000 hon 2000 under 2000 också 2000 efter 2000 eller 2000 nu 2000 sin 2000 där 1800 vid 1800
mot 1800 ska 2000 skall 600 skulle 1500 kommer 1500 ut 1500 får 1500 finns 1500 vara 2000 hade 1500 alla 1500
andra 1500 mycket 1200 än 1200 här 1000 då 1000 sedan 1000 över 1200 bara 1000 in 1000 blir 900 upp 900 även 1000
vad 900 få 900 två 800 vill 800 ha 800 många 700 hur 700 mer 700 går 600 sitt 600 gör 600 någon 500 hela 500
nya 500 både 500 själv 300 mellan 600 utan 600 genom 600 samt 500 våra 300 vår 300 vårt 200 våld 100 stöd 300
sätt 300 rätt 400 hälsa 100 göra 800 gå 400 gäller 300 gällande 100 behöver 300 möjlighet 200 möjligheter 150
särskilt 300 särskild 100 område 200 områden 150 öka 150 ökad 100 ökat 80 ökade 60 övriga 200 övrigt 60 äldre 200
både 500 även 1000 mål 150 målet 80 målen 40 måste 600 människor 300 människa 80 nämnd 60 nämnden 80 nämnder 40
göteborg 100 göteborgs 60 förslag 150 förslaget 60 förvaltning 50 förvaltningen 60 arbete 300 arbetet 200 år 2000
året 200 åren 150 års 100 här 1000 lång 200 långa 80 långt 150 längre 200 hög 150 höga 80 högt 100 högre 150
små 150 stå 150 står 300 stöd 300 stödja 80 stärka 80 stärkas 20 större 200 största 100 följa 100 följer 100
fått 300 gått 150 hålla 150 håller 150 håll 80 kräver 80 kvinnor 150 män 200 mäns 20 både 500 nära 300 när 2500
någon 500 något 500 några 400 nästa 200 sådan 100 sådant 80 tidigare 300 tillgång 80 tillgänglig 40 tillgängliga 30
ansvar 100 ansvarig 40 språk 80 vård 100 värd 30 välfärd 40 värld 150 väl 300 väg 150 vägar 50 därför 400 däremot 80
åtgärder 60 åtgärd 30 återrapportering 5 öppen 80 öppna 100 överordnade 5 röda 40 råda 10 röd 40 löner 30 lön 60
därmed 60 däribland 10 där 1800 räcker 60 hjälp 150 hjälpa 100 möta 60 möter 60 möten 50 mötet 80 möjligt 150
tydlig 40 känna 100 känner 80 län 40 läge 80 lägga 100 längs 40 dålig 40 fram 600 från 4000 frågor 80 fråga 200
frågan 150 förra 200 först 300 första 400 före 200 förbättra 40 förbättras 10 förändra 30 förutsättningar 40
säkerställa 20 säkra 30 säker 60 stärkt 20 kön 40 köns 10 hög 150 bör 300 börja 150 började 150 gärna 100 här 1000
uppdrag 80 uppdraget 40 använda 150 användas 40 används 100 användning 40 andel 40 andelen 40 sköta 30 städer 30
stadens 40 staden 200 råd 150 rådet 80 gäng 20 åt 800 kö 30 nå 200 mått 60 ökning 30 utsatta 30 utsatt 30 både 500 vilka 500 vilket 500 därför 400
`;

/** Exact lower-case word form → rough count per million. */
export const FREQUENT_SWEDISH_WORDS: ReadonlyMap<string, number> = new Map(
  [...TABLE.matchAll(/(\S+) (\d+)/g)].map((match) => [match[1], Number(match[2])] as const),
);
