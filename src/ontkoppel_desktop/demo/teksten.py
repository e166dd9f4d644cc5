"""What the demo's gespreksverslagen say, and the notes of the gesprekken the procedure keeps without a verslag:
sentences a docent or a manager opleiders could have written, grouped by what the trouble in the
opleidingspraktijk is about and by gesprek, and put together per traject with a fixed seed so that two demo stores
read alike.

Plain text only, as typed in the wizard; no medical details (the question files ask for that too: the calls after
a ziekmelding are about the opleidingsrelatie only). The overdracht to a new opleider speaks in competences,
without judgements. The names in the sentences are the fictitious names the demo already made; nothing here is
about a real person or practice.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from ontkoppel_desktop.core.procedure.traject import Categorie


@dataclass(frozen=True, slots=True)
class Thema:
    """What a traject's gesprekken are about; each field a pool of sentences ({aios}, {opleider}: first names)."""

    naam: str
    aanleiding: tuple[str, ...]
    aios: tuple[str, ...]
    opleider: tuple[str, ...]
    aandachtspunten: tuple[str, ...]
    argumentatie: tuple[str, ...]


_SUPERVISIE = Thema(
    "supervisie",
    (
        "De aios gaf tijdens de terugkomdag aan dat nabespreken van patiënten er vaak bij inschiet.",
        "Volgens de aios is de opleider tijdens het spreekuur moeilijk bereikbaar voor overleg.",
        "Het leergesprek is de afgelopen weken drie keer verschoven of vervallen.",
        "De docenten merkten in de intervisie dat {aios} onzeker is over zelfstandig genomen beslissingen.",
        "Er is geen vast moment voor supervisie; overleg gebeurt tussen de bedrijven door op de gang.",
        "De opleider heeft zelf aangegeven dat de begeleiding door drukte minder aandacht krijgt dan gewenst.",
    ),
    (
        "{aios} wil graag meer ruimte om casuïstiek na te bespreken, ook als het spreekuur uitloopt.",
        "{aios} voelt zich soms alleen gelaten bij complexe consulten en durft de opleider dan niet te storen.",
        "De aios mist terugkoppeling op verwijsbrieven en receptuur en weet daardoor niet waar het staat.",
        "{aios} geeft aan dat de leergesprekken vaak over praktische zaken gaan en weinig over de eigen "
        "ontwikkeling.",
        "De aios zou het prettig vinden als de opleider af en toe meekijkt tijdens een consult.",
    ),
    (
        "{opleider} vindt dat de aios meer zelf het initiatief mag nemen om vragen te stellen.",
        "De opleider geeft aan dat de praktijk door personeelstekort onder druk staat en dat het leergesprek "
        "daardoor soms is weggevallen.",
        "{opleider} herkent het beeld en wil de supervisie beter organiseren, maar vraagt ook om duidelijke "
        "leervragen van de aios.",
        "Volgens de opleider is er altijd ruimte voor overleg, al kan het moment beter afgesproken worden.",
        "{opleider} ziet dat de aios goed contact maakt met patiënten en wil daar meer op bouwen.",
    ),
    (
        "Elke dinsdag om 12.30 uur een leergesprek van een half uur dat niet vervalt.",
        "Na elk spreekuur tien minuten om twijfelgevallen na te bespreken.",
        "De aios brengt elke week twee casussen in met een concrete leervraag.",
        "De opleider kijkt eens per twee weken een consult mee en geeft daarop gerichte feedback.",
        "Supervisie tijdens de avond- en weekenddiensten wordt vooraf per dienst afgesproken.",
    ),
    (
        "Ondanks de afspraken uit het eerste driehoeksgesprek is het leergesprek niet structureel van de grond "
        "gekomen.",
        "De aios werkt in de praktijk te vaak zonder bereikbare supervisie, wat voor de docenten niet "
        "verantwoord is.",
        "Beide partijen geven aan dat het vertrouwen in een goede afloop van de stage ontbreekt.",
        "De docenten zien onvoldoende mogelijkheden om de leersituatie binnen de resterende stageperiode te "
        "herstellen.",
    ),
)

_WERKBELASTING = Thema(
    "werkbelasting",
    (
        "De aios draait sinds enkele weken volle spreekuren zonder uitloopplekken.",
        "Tijdens de terugkomdag vertelde de aios moe te zijn en de opleidingsactiviteiten niet meer bij te houden.",
        "De aios neemt structureel visites en telefonische consulten over van een afwezige collega in de praktijk.",
        "De opleider meldde dat de aios vaak tot laat doorwerkt en dat de productie achterblijft bij de "
        "verwachting.",
        "Er is onduidelijkheid over hoeveel patiënten de aios in dit opleidingsjaar per spreekuur hoort te zien.",
    ),
    (
        "{aios} ervaart de werkdruk als te hoog om nog van de consulten te kunnen leren.",
        "De aios geeft aan dat er geen tijd overblijft voor de opdrachten van de terugkomdag en voor zelfstudie.",
        "{aios} voelt zich ingezet als waarnemer in plaats van als aios in opleiding.",
        "De aios vindt het lastig om grenzen aan te geven, omdat het team al zwaar belast is.",
        "{aios} wil graag leren om efficiënter te werken, maar heeft daar begeleiding bij nodig.",
    ),
    (
        "{opleider} erkent dat de praktijk krap bezet is en dat de aios daardoor meer werk krijgt dan bedoeld.",
        "De opleider vindt dat de aios in dit stadium meer patiënten moet kunnen zien en maakt zich zorgen over "
        "het tempo.",
        "{opleider} geeft aan dat de planning door de assistentes gebeurt en wil daar zelf meer op letten.",
        "Volgens de opleider heeft de aios zelf gevraagd om extra visites, om meer ervaring op te doen.",
    ),
    (
        "Elk spreekuur krijgt twee vaste uitloopplekken en een kwartier administratietijd.",
        "De aios neemt geen visites van afwezige collega's meer over zonder overleg met de opleider.",
        "De opleider bespreekt de planning van de aios maandelijks met de praktijkmanager.",
        "De aios houdt twee weken een logboek van de werktijden als basis voor het volgende gesprek.",
        "De opleidingstijd voor opdrachten en zelfstudie (een dagdeel per week) wordt in het rooster vastgelegd.",
    ),
    (
        "De werkbelasting is na het eerste gesprek niet afgenomen en de aios kan de opleiding niet meer goed "
        "volgen.",
        "De praktijk kan de bezetting de komende maanden niet verbeteren, waardoor de leersituatie niet herstelt.",
        "Aios en opleider verschillen fundamenteel van mening over wat in dit opleidingsjaar van de aios verwacht "
        "mag worden.",
        "De docenten achten voortzetting van de koppeling niet in het belang van de opleiding van de aios.",
    ),
)

_COMMUNICATIE = Thema(
    "communicatie",
    (
        "De aios gaf aan dat feedback van de opleider hard overkomt en vaak in het bijzijn van anderen wordt "
        "gegeven.",
        "Er zijn meerdere misverstanden geweest over afspraken rond vrije dagen en diensten.",
        "De opleider belde de docenten omdat het contact met de aios stroef verloopt.",
        "In de praktijk ontstond spanning na een incident met een patiënt waarover aios en opleider verschillend "
        "denken.",
        "Aios en opleider spreken elkaar weinig: overleg gaat vooral via berichten in het HIS.",
    ),
    (
        "{aios} voelt zich niet vrij om fouten of twijfels te bespreken uit angst voor een negatief oordeel.",
        "De aios ervaart de feedback als persoonlijk en weinig concreet.",
        "{aios} zou graag eerst zelf de kans krijgen om toe te lichten wat er gebeurd is.",
        "De aios geeft aan dat de verwachtingen van de opleider niet uitgesproken worden en pas achteraf "
        "duidelijk zijn.",
        "{aios} wil de samenwerking graag verbeteren en staat open voor een ander overlegritme.",
    ),
    (
        "{opleider} vindt dat de aios feedback slecht ontvangt en snel in de verdediging schiet.",
        "De opleider bedoelt de feedback als hulp en schrikt ervan dat het zo is overgekomen.",
        "{opleider} mist openheid van de aios over wat er in de consulten gebeurt.",
        "Volgens de opleider worden afspraken door de aios niet altijd nagekomen.",
        "{opleider} wil het contact herstellen, maar weet niet goed hoe.",
    ),
    (
        "Feedback wordt gegeven onder vier ogen, concreet en aan de hand van een voorbeeld.",
        "Aios en opleider beginnen elk leergesprek met wat goed ging.",
        "Afspraken over vrije dagen en diensten worden schriftelijk bevestigd.",
        "De aios geeft zelf aan wanneer iets niet goed valt, binnen een dag en niet via het HIS.",
        "Over vier weken evalueren aios en opleider samen hoe het overleg verloopt.",
    ),
    (
        "De communicatie tussen aios en opleider is ondanks de gemaakte afspraken verder verslechterd.",
        "Er is over en weer onvoldoende vertrouwen om nog open met elkaar te kunnen leren.",
        "Beide partijen geven aan dat de verhouding niet meer te herstellen is.",
        "Een veilig leerklimaat, voorwaarde voor de opleiding, is in deze koppeling niet meer aanwezig.",
    ),
)

_LEERDOELEN = Thema(
    "leerdoelen",
    (
        "Bij de voortgangsbespreking bleek dat de aios op meerdere competenties achterloopt op het IOP.",
        "De aios krijgt in de praktijk weinig variatie in patiënten en mist ervaring met ouderen en chronische "
        "zorg.",
        "Aios en opleider hebben verschillende ideeën over welke leerdoelen dit jaar voorrang hebben.",
        "De opleider zet vraagtekens bij het niveau van de aios en heeft dat bij de docenten gemeld.",
    ),
    (
        "{aios} wil graag meer chronische zorg en ouderenzorg doen, maar krijgt vooral acute consulten.",
        "De aios ervaart weinig ruimte om eigen leerdoelen in te brengen.",
        "{aios} herkent dat het tempo omhoog moet, maar wil dat stap voor stap opbouwen.",
        "De aios vindt dat het IOP te weinig is besproken sinds de start van de stage.",
    ),
    (
        "{opleider} vindt dat de aios eerst de basis van het spreekuur beter moet beheersen.",
        "De opleider ziet vooruitgang, maar niet genoeg voor dit moment in de opleiding.",
        "{opleider} wil graag helpen bij de leerdoelen, maar verwacht dat de aios die zelf concreet maakt.",
        "De opleider geeft aan dat de praktijkpopulatie jong is en dat ouderenzorg lastiger te regelen is.",
    ),
    (
        "De aios werkt het IOP binnen twee weken bij en bespreekt het met de opleider.",
        "De aios loopt twee dagdelen mee met de praktijkondersteuner voor chronische zorg.",
        "Elke maand wordt één competentie uit het IOP in het leergesprek centraal gezet.",
        "De opleider regelt dat de aios wekelijks een visite bij een oudere patiënt doet.",
        "Bij het volgende voortgangsgesprek wordt nagegaan of de achterstand kleiner is.",
    ),
    (
        "De leerdoelen van de aios zijn in deze praktijk onvoldoende te realiseren.",
        "De achterstand op het IOP is sinds het eerste gesprek niet kleiner geworden.",
        "Aios en opleider delen geen beeld meer van wat nodig is om de stage goed af te ronden.",
        "De docenten verwachten dat de aios in een andere opleidingspraktijk beter tot leren komt.",
    ),
)

_OMSTANDIGHEDEN = Thema(
    "omstandigheden",
    (
        "Door privéomstandigheden kan de aios tijdelijk minder uren werken dan afgesproken.",
        "De aios is enige tijd afwezig geweest; de terugkeer in de praktijk verloopt moeizaam.",
        "De belastbaarheid van de aios is wisselend, wat de planning in de praktijk onder druk zet.",
        "De opleider meldde dat het rooster van de aios lastig in te passen is in de praktijk.",
    ),
    (
        "{aios} wil de opleiding graag voortzetten, in een aangepast tempo.",
        "De aios ervaart weinig begrip in de praktijk voor de aangepaste uren.",
        "{aios} merkt dat het lastig is om na de afwezigheid weer aansluiting te vinden bij het team.",
        "De aios heeft behoefte aan duidelijkheid over wat de afwezigheid betekent voor de opleidingsduur.",
    ),
    (
        "{opleider} wil de aios graag ondersteunen, maar de praktijk kan de uitval moeilijk opvangen.",
        "De opleider maakt zich zorgen of de aios in deze periode genoeg leert.",
        "{opleider} vindt dat er te weinig wordt gecommuniceerd over het herstel en de planning.",
        "De opleider heeft begrip voor de situatie, maar vraagt om voorspelbaarheid in het rooster.",
    ),
    (
        "De aios bouwt de uren in overleg met de docenten in vier weken op.",
        "De aios meldt wijzigingen in het rooster minstens een week vooraf aan de opleider.",
        "De docenten bespreken met de manager opleiding wat de afwezigheid betekent voor de opleidingsduur.",
        "Over drie weken is er een telefonische tussenevaluatie met aios en opleider.",
    ),
    (
        "De praktijk kan de aangepaste inzet van de aios de komende maanden niet dragen.",
        "Een doorstart in een andere praktijk met een passend rooster geeft de aios meer kans om de stage af te "
        "ronden.",
        "Aios en opleider zijn het erover eens dat de huidige situatie voor beiden niet houdbaar is.",
    ),
)

_PRAKTIJK = Thema(
    "praktijk",
    (
        "De praktijk gaat op in een groter gezondheidscentrum en zit midden in de verhuizing.",
        "Door de verhuizing werkt de aios al weken zonder eigen spreekkamer en wisselen de spreekuren vaak.",
        "De opleider is veel tijd kwijt aan de overgang, waardoor leergesprekken zijn blijven liggen.",
        "De aios meldde op de terugkomdag dat het leren in de praktijk stilvalt.",
    ),
    (
        "{aios} weet sinds de verhuizing niet goed bij wie er supervisie te halen is.",
        "De aios mist een vaste plek en een vast ritme en voelt zich een gast in de praktijk.",
        "{aios} begrijpt dat de overgang veel vraagt, maar maakt zich zorgen over de eigen voortgang.",
        "De aios heeft zelf geprobeerd leergesprekken in te plannen, maar die gingen steeds niet door.",
    ),
    (
        "{opleider} geeft aan dat de overgang naar het gezondheidscentrum meer tijd vraagt dan verwacht.",
        "De opleider wil de aios graag houden, maar kan de begeleiding de komende maanden niet garanderen.",
        "{opleider} stelt voor dat een collega-huisarts tijdelijk de dagelijkse supervisie overneemt.",
        "De opleider erkent dat de aios te weinig aandacht heeft gekregen.",
    ),
    (
        "Een vaste collega-huisarts is aanspreekpunt voor de dagelijkse supervisie.",
        "De aios krijgt weer een eigen spreekkamer op vaste dagen.",
        "De duo-opleiders stemmen hun afspraken met de aios eens per maand samen af.",
        "De hoofdopleider blijft verantwoordelijk voor de beoordeling en voert het leergesprek.",
    ),
    (
        "De praktijk kan de begeleiding van de aios voor de rest van de stage niet waarborgen.",
        "De docenten zien geen realistische oplossing binnen deze praktijk zolang de overgang duurt.",
        "De continuïteit van de opleiding is in een andere praktijk beter gegarandeerd.",
    ),
)

_OPLEIDINGSSITUATIE = (_SUPERVISIE, _WERKBELASTING, _COMMUNICATIE, _LEERDOELEN)

PLAATSEN = (
    "In de praktijk, na het middagspreekuur",
    "Op het instituut",
    "Online (beeldbellen)",
    "In de praktijk van de opleider",
    "Op het instituut, na de terugkomdag",
)

_AANLEIDING_SLOT = (
    "De docenten hebben aios en opleider daarop uitgenodigd voor een driehoeksgesprek.",
    "Het signaal is eerst telefonisch met de aios besproken.",
    "Beide partijen waren het erover eens dat een gesprek met de docenten erbij nodig was.",
    "Het gesprek is kort na het signaal gepland om verdere escalatie te voorkomen.",
)

_AFSPRAKEN_ALGEMEEN = (
    "Eén van de docenten belt over ongeveer een week met de opleider voor een korte check-up.",
    "De aios bespreekt de voortgang op de volgende terugkomdag met de docenten.",
    "Bij nieuwe problemen neemt de aios of de opleider direct contact op met de docenten.",
    "Het verslag gaat naar de jaarassistent voor het e-portfolio, met een kopie voor het dossier van de opleider.",
    "Over zes weken volgt, als het nodig is, een tweede driehoeksgesprek.",
)

EIGEN_ROL_AIOS = (
    "{aios} ziet achteraf dat het aangeven van de problemen te lang is uitgesteld.",
    "De aios herkent dat eigen onzekerheid het moeilijk maakte om om hulp te vragen.",
    "{aios} geeft aan dat feedback soms te snel als kritiek op de persoon is opgevat.",
    "De aios had de eigen leervragen eerder en concreter kunnen maken.",
    "{aios} heeft geleerd dat tijdig grenzen aangeven bij het opleiden hoort en geen zwakte is.",
)
LEERPUNTEN_AIOS = (
    "Eerder en zelf het gesprek aangaan als de begeleiding niet goed loopt.",
    "Leervragen vooraf opschrijven en in elk leergesprek inbrengen.",
    "Feedback eerst navragen en samenvatten voordat erop gereageerd wordt.",
    "Werkdruk benoemen bij de opleider in plaats van die stil op te vangen.",
    "Gebruikmaken van de docenten en de groep als klankbord.",
)
AFSPRAKEN_NIEUWE_PRAKTIJK = (
    "In de eerste week een kennismakings- en leergesprek met de nieuwe opleider over het IOP.",
    "Vaste supervisiemomenten vanaf de eerste dag, vastgelegd in het rooster.",
    "Na vier weken een kort telefonisch contact met de docenten over de start.",
    "Ongeveer twee maanden na de start een evaluatiegesprek met de nieuwe opleider en de docenten.",
    "De aios brengt de leerpunten uit het reflectieverslag in bij het eerste leergesprek.",
)
AANDACHTSPUNTEN_VOOR_OPLEIDER = (
    "De aios vraagt de opleider leergesprekken vast te plannen en niet te laten vervallen.",
    "Feedback concreet en onder vier ogen geven helpt een volgende aios meer.",
    "Let op de planning van een aios in de eerste maanden: ruimte om te leren gaat voor productie.",
    "Maak verwachtingen aan het begin van de stage expliciet.",
)
EIGEN_ROL_OPLEIDER = (
    "{opleider} ziet achteraf dat de begeleiding onder de drukte in de praktijk heeft geleden.",
    "De opleider had eerder contact kunnen opnemen met de docenten toen de problemen begonnen.",
    "{opleider} herkent dat verwachtingen niet expliciet zijn gemaakt aan het begin van de stage.",
    "De opleider geeft aan feedback soms te direct te hebben gegeven.",
    "{opleider} heeft te lang gehoopt dat het vanzelf beter zou gaan.",
)
BELEVING = (
    "De ontkoppeling heeft de opleider geraakt; het voelde als persoonlijk falen.",
    "{opleider} is opgelucht dat er een besluit is, maar vindt het jammer hoe het gelopen is.",
    "De opleider vond de periode zwaar, ook voor het team van de praktijk.",
    "{opleider} heeft de steun van de docenten en de manager opleiders als prettig ervaren.",
)
LEERPUNTEN_OPLEIDER = (
    "Bij de start van een nieuwe aios de verwachtingen en het leerplan samen op papier zetten.",
    "Het leergesprek als vaste afspraak in de agenda, ook in drukke weken.",
    "Eerder de docenten inschakelen als er twijfels zijn.",
    "Deelnemen aan intervisie op de opleidersterugkomdagen over het geven van feedback.",
    "De planning van de aios jaarlijks met de praktijkmanager doornemen.",
)
AANDACHTSPUNTEN_AIOS = (
    "Stel tijdig vragen en geef zelf aan wanneer supervisie nodig is.",
    "Werk aan de structuur van het consult en aan het tempo.",
    "Maak leervragen concreet en breng ze actief in.",
    "Benoem werkdruk bespreekbaar in plaats van die alleen op te vangen.",
    "Blijf de goede patiëntcontacten en het klinisch redeneren verder ontwikkelen.",
)
TOELICHTING_AIOS = (
    "De docenten herkennen de aandachtspunten deels uit de terugkomdagen.",
    "De aandachtspunten zijn met de aios besproken en passen bij de leerpunten uit het eigen reflectieverslag.",
    "De docenten merken op dat de aandachtspunten in de context van de moeizame stage gelezen moeten worden.",
    "In de nieuwe praktijk wordt vooral op het eerste en het laatste punt gelet.",
)
REDENEN_NIEUWE_VERSIE = (
    "De naam van de praktijk stond verkeerd in het verslag.",
    "De opleider wees erop dat een afspraak over de supervisie onvolledig was weergegeven.",
    "De datum van de check-up in de afspraken klopte niet.",
    "Een zin over de aios bleek voor meerdere uitleg vatbaar en is verduidelijkt.",
)
AANVULLINGEN = (
    "Aanvulling na overleg met de tweede docent: dit punt is in het gesprek uitdrukkelijk zo benoemd.",
    "Aios en opleider hebben deze tekst na het gesprek gelezen en herkennen zich erin.",
    "Dit wordt bij het volgende contact met de docenten nagevraagd.",
)

# ---- the gesprekken without a verslag: notes kept with the traject ----------------------------------------------
# Each pool opens with the sentence that says what the contact was; `notitie` adds a few of the others. They name
# no one: the traject's events are written before anyone is named (see `aandachtspunten`).

# Telefonisch contact na een ziekmelding (5.1). No medical information: not the illness, the complaints or the
# prognosis (the question file says so); the call is about the opleidingsrelatie and the driehoeksgesprek.
TELEFOON_AIOS = (
    "Gebeld met de aios naar aanleiding van de ziekmelding.",
    "Het gesprek ging over de opleidingsrelatie; naar de klachten is bewust niet gevraagd.",
    "De aios ervaart al enkele weken spanning in de samenwerking met de opleider en wil daar graag over praten.",
    "De aios heeft contact met de bedrijfsarts over de terugkeer; de docenten houden contact over de opleiding.",
    "De aios staat open voor een driehoeksgesprek op korte termijn, bij voorkeur op het instituut.",
    "Afgesproken dat de docenten ook de opleider bellen en een datum voor het driehoeksgesprek voorstellen.",
)
TELEFOON_OPLEIDER = (
    "Gebeld met de opleider na de ziekmelding van de aios.",
    "De opleider was op de hoogte van de ziekmelding en maakt zich zorgen over de samenwerking.",
    "De opleider herkent dat de begeleiding de laatste weken onder druk stond.",
    "Niet gesproken over de reden van de ziekmelding; dat hoort bij de bedrijfsarts en niet bij de docenten.",
    "De opleider is bereid tot een driehoeksgesprek en kan op korte termijn.",
    "De opleider wil de aios graag weer in de praktijk zien, maar pas na een goed gesprek over de begeleiding.",
)
DRIEHOEKSGESPREK_GEPLAND = (
    "Volgende week dinsdag na het middagspreekuur, in de praktijk",
    "Donderdag over een week, 13.00 uur, op het instituut",
    "Binnen twee weken; de docenten stemmen de datum met beide af",
    "Na de terugkomdag van volgende week, online",
)

# Check-up met de opleider, about a week after the driehoeksgesprek (5.3.2): how the opleider is doing.
CHECK_UP_GOED = (
    "Gebeld met de opleider, ongeveer een week na het driehoeksgesprek.",
    "De afspraak over het vaste leergesprek is nagekomen en bevalt beide.",
    "De opleider merkt dat de aios vaker en eerder om overleg vraagt.",
    "De opleider heeft vertrouwen in de rest van de stage en weet de docenten te vinden als dat nodig is.",
    "Het rooster van de aios is aangepast zoals in het gesprek is afgesproken.",
)
CHECK_UP_ZORG = (
    "Gebeld met de opleider, ongeveer een week na het driehoeksgesprek.",
    "De opleider vindt het zwaar en ziet nog weinig verandering sinds het gesprek.",
    "Een deel van de afspraken is nagekomen; het leergesprek is deze week opnieuw vervallen.",
    "De opleider twijfelt of de samenwerking te herstellen is en wil verder praten met de aios en de docenten.",
    "Afgesproken dat de docenten een tweede driehoeksgesprek plannen.",
)

# Overdracht aan de nieuwe opleider (5.2.1): the situation in general terms, without judgement and without the
# names of the old practice. Then per competentiegebied what the aios shows and works on, in competence terms:
# observable behaviour and leerdoelen, never a verdict on the person or the old opleider.
SITUATIE = (
    "De aios zoekt een nieuwe opleidingsplek voor de rest van het opleidingsjaar, nadat de vorige koppeling in "
    "overleg is beëindigd.",
    "De aios is gemotiveerd om de stage in een nieuwe praktijk voort te zetten en heeft eigen leerpunten voor de "
    "start benoemd.",
    "De docenten blijven de aios begeleiden en zijn aanspreekpunt voor de nieuwe opleider.",
    "De aios volgt de terugkomdagen door; een start op korte termijn heeft de voorkeur.",
    "Over de vorige praktijk wordt bewust niets inhoudelijks overgedragen: wat de aios zelf wil vertellen, komt in "
    "het kennismakingsgesprek aan bod.",
)
# By competentiegebied id (the list in match_nieuwe_opleider.toml): (wat de aios laat zien, waar de aios aan werkt).
COMPETENTIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "medisch_handelen": (
        (
            "Neemt een gerichte anamnese af en onderzoekt volgens de NHG-standaarden.",
            "Komt bij veelvoorkomende klachten tot een onderbouwde werkdiagnose en een passend beleid.",
            "Herkent alarmsymptomen en overlegt dan direct met de supervisor.",
            "Voert kleine verrichtingen, zoals hechten en een uitstrijkje, zelfstandig uit.",
        ),
        (
            "Het opstellen van een beleid bij patiënten met meerdere chronische aandoeningen.",
            "Het inschatten van de urgentie bij telefonische consulten en visites.",
            "Het onderbouwen van keuzes bij voorschrijven en verwijzen.",
        ),
    ),
    "communicatie": (
        (
            "Legt in begrijpelijke taal uit wat er aan de hand is en gaat na of de patiënt het begrepen heeft.",
            "Sluit aan bij de hulpvraag en de verwachtingen van de patiënt.",
            "Maakt makkelijk contact met patiënten van verschillende leeftijden en achtergronden.",
        ),
        (
            "Het structureren van het consult, zodat er tijd overblijft voor uitleg en beleid.",
            "Het bespreken van slecht nieuws en het omgaan met emoties in het consult.",
            "Samen met de patiënt beslissen als er meer behandelopties zijn.",
        ),
    ),
    "samenwerking": (
        (
            "Overlegt met de praktijkassistenten over de triage en neemt hun vragen serieus.",
            "Werkt met de praktijkondersteuner samen in de zorg voor chronische patiënten.",
            "Schrijft duidelijke verwijsbrieven en belt de tweede lijn als dat sneller is.",
        ),
        (
            "Tijdig en concreet om supervisie vragen, ook op drukke momenten.",
            "Afstemmen met collega's over overdracht en waarneming.",
            "Gebruikmaken van het netwerk rond de praktijk: wijkteam, apotheek en specialist ouderengeneeskunde.",
        ),
    ),
    "kennis_en_wetenschap": (
        (
            "Zoekt bij twijfel de NHG-standaard of een andere richtlijn op en past die toe.",
            "Brengt casuïstiek met een concrete leervraag in bij het leergesprek.",
        ),
        (
            "Een klinische vraag vertalen naar een gerichte zoekvraag (CAT).",
            "De eigen leerdoelen bijhouden in het IOP.",
            "Een bewuste afwijking van de richtlijn onderbouwen in het dossier.",
        ),
    ),
    "maatschappelijk_handelen": (
        (
            "Houdt rekening met de sociale context en de gezondheidsvaardigheden van de patiënt.",
            "Gaat bewust om met doelmatig voorschrijven en de kosten van zorg.",
        ),
        (
            "Problemen op andere levensgebieden signaleren en verwijzen naar het sociaal domein.",
            "Kennis van de meldcode en van de regels rond wilsbekwaamheid toepassen in de praktijk.",
        ),
    ),
    "organisatie": (
        (
            "Houdt het dossier volgens de SOEP-structuur bij en handelt de administratie dezelfde dag af.",
            "Bereidt het spreekuur voor en plant terugbelmomenten in.",
        ),
        (
            "Het tempo van het spreekuur en het bewaken van de eigen planning.",
            "Het prioriteren van taken na het spreekuur: uitslagen, post en herhaalrecepten.",
            "Werkbelasting bespreekbaar maken, in overleg met de opleider.",
        ),
    ),
    "professionaliteit": (
        (
            "Reflecteert op het eigen handelen en vraagt uit zichzelf om feedback.",
            "Komt afspraken met patiënten en collega's betrouwbaar na.",
            "Heeft eigen leerpunten benoemd en wil daar vanaf de eerste week actief aan werken.",
        ),
        (
            "De eigen balans tussen werk en opleiding bewaken.",
            "Twijfels en onzekerheden bespreekbaar maken in het leergesprek.",
            "Feedback omzetten in concrete afspraken.",
        ),
    ),
}
BEGELEIDING = (
    "Een vast leergesprek per week, met een agenda die de aios zelf voorbereidt.",
    "Concrete feedback kort na het consult, aan de hand van een voorbeeld.",
    "Duidelijke afspraken over wanneer en hoe supervisie gevraagd kan worden.",
    "In de eerste weken samen het spreekuur opbouwen, met uitloopplekken.",
    "Het IOP in de eerste week samen doornemen en de leerdoelen concreet maken.",
)

# Kennismakingsgesprek (5.2.1): aios and new opleider each say yes or no.
KENNISMAKING = (
    "Kennismaking in de praktijk; de aios heeft een deel van het spreekuur meegelopen.",
    "Aios en opleider hebben hun verwachtingen over begeleiding en leerdoelen uitgewisseld.",
    "Beide zien een goede basis voor de samenwerking.",
    "De werkdagen van de aios passen in het rooster van de praktijk.",
    "De startdatum en de verdere afspraken lopen via de assistent manager opleiders.",
)

# ---- the manager opleiders' contact with the ontkoppelde opleider (5.3.2), about a month after -----------------

BELEVING_CONTACT = (
    "{opleider} vertelt dat de ontkoppeling de eerste weken veel onrust gaf, in de praktijk en daarbuiten.",
    "De opleider vond het moeilijk dat de samenwerking zo is geëindigd, maar begrijpt het besluit.",
    "{opleider} voelde zich door de docenten en het instituut goed geïnformeerd over elke stap.",
    "De opleider had het gevoel tekort te zijn geschoten en heeft daar veel over nagedacht.",
    "{opleider} is opgelucht dat er duidelijkheid is, voor de aios en voor de praktijk.",
)
VERWERKING = (
    "Het evaluatiegesprek met de docenten en het schrijven van het reflectieverslag hebben geholpen om de periode "
    "af te sluiten.",
    "{opleider} heeft de ontkoppeling besproken met een collega-opleider en met de praktijkmanager.",
    "Het team is bijgepraat en de rust in de praktijk is teruggekeerd.",
    "De opleider kijkt inmiddels met meer afstand naar wat er is gebeurd en ziet ook de eigen rol.",
    "De uitnodiging om op de opleidersterugkomdag over de ontkoppeling te vertellen, neemt de opleider aan.",
)
VOORUIT = (
    "Bij een volgende aios wil {opleider} in de eerste week de verwachtingen en het leerplan samen vastleggen.",
    "Het leergesprek wordt een vaste afspraak in de agenda die niet vervalt bij drukte.",
    "De opleider wil eerder contact opnemen met de docenten als er twijfels zijn.",
    "De opleider let op de planning van een nieuwe aios, zodat er ruimte blijft om te leren.",
    "{opleider} wil deelnemen aan de intervisie over feedback geven op de opleidersterugkomdagen.",
)

# ---- the evaluatiegesprek with the new opleider, about 2 months after the start (5.3.1) ----------------------------

STAND_LEERPUNTEN = (
    "{aios} vraagt nu tijdig om supervisie; de nieuwe opleider herkent dat en moedigt het aan.",
    "Het wekelijkse leergesprek staat vast in de agenda en is sinds de start niet vervallen.",
    "De leerpunten uit het reflectieverslag zijn in het IOP opgenomen en komen maandelijks terug.",
    "Feedback wordt eerst nagevraagd en samengevat; dat gaat steeds vanzelfsprekender.",
    "Werkdruk wordt nu bespreekbaar gemaakt; er is één keer een extra uitloopplek afgesproken.",
    "Het telefonisch contact met de docenten na vier weken heeft plaatsgevonden zoals afgesproken.",
)
EVALUATIE_NIEUWE_PRAKTIJK = (
    "De start in de nieuwe praktijk is goed verlopen; {aios} voelt zich welkom in het team.",
    "{nieuwe_opleider} ziet dat de aios het spreekuur steeds zelfstandiger draait.",
    "De aios durft in het consult vaker te twijfelen en dat hardop met de opleider te overleggen.",
    "Het tempo van het spreekuur groeit geleidelijk naar wat in dit opleidingsjaar verwacht mag worden.",
    "Aios en opleider hebben een overlegritme gevonden dat voor beiden werkt.",
)
AFSPRAKEN_NA_EVALUATIE = (
    "Het leergesprek blijft wekelijks; eens per maand staat het IOP centraal.",
    "De aios draait vanaf volgende maand mee in de avond- en weekenddiensten, met bereikbare supervisie.",
    "Bij het reguliere voortgangsgesprek bespreken aios en opleider de voortgang op de competenties.",
    "De opleider kijkt eens per maand een consult mee en geeft daarop gerichte feedback.",
    "De aios vertelt in de groep op de terugkomdag hoe de start in de nieuwe praktijk is gegaan.",
)
NAZORG = (
    "De aios komt nog niet overal aan leren toe: de komende zes weken extra supervisie bij complexe consulten.",
    "De docenten bellen over een maand met aios en opleider en bespreken het daarna opnieuw in de groep.",
    "De aios plant met de opleider twee extra leergesprekken over de structuur van het consult.",
)

# ---- the reflectieverslag an aios brings to the evaluatiegesprek (5.3.1), kept as a bijlage -------------------
# In the aios's own words (first person); it names no one.

TERUGBLIK_IK = (
    "De eerste weken in de praktijk gingen goed; ik voelde me welkom in het team.",
    "Gaandeweg merkte ik dat de begeleiding en mijn verwachtingen niet goed op elkaar aansloten.",
    "Ik heb lang gedacht dat het vanzelf beter zou worden.",
    "Het besluit tot ontkoppeling gaf eerst onrust, maar daarna vooral duidelijkheid.",
)
EIGEN_ROL_IK = (
    "Ik heb mijn twijfels te lang voor me gehouden in plaats van ze in het leergesprek te bespreken.",
    "Feedback heb ik soms te snel als kritiek op mijzelf opgevat.",
    "Ik had mijn leervragen eerder en concreter kunnen maken.",
    "Ik heb de docenten pas ingeschakeld toen het al moeizaam liep.",
)
LEERPUNTEN_IK = (
    "Eerder zelf het gesprek aangaan als iets niet goed loopt.",
    "Elke week mijn leervragen opschrijven en inbrengen.",
    "Feedback eerst navragen en samenvatten voordat ik reageer.",
    "Werkdruk benoemen in plaats van die stil op te vangen.",
)
VOOR_DE_OPLEIDER_IK = (
    "Plan het leergesprek vast in en laat het niet vervallen bij drukte.",
    "Maak aan het begin van de stage samen duidelijk wat je van elkaar verwacht.",
    "Geef feedback onder vier ogen, met een concreet voorbeeld.",
)


def thema(categorie: Categorie, sleutel: int) -> Thema:
    """The trouble a traject is about: by its LOVAH category, and within it fixed by `sleutel` (the aios id)."""
    if categorie is Categorie.ZIEKTE_ZWANGERSCHAP_PRIVE:
        return _OMSTANDIGHEDEN
    if categorie is Categorie.OVERIG:
        return _PRAKTIJK
    return _OPLEIDINGSSITUATIE[sleutel % len(_OPLEIDINGSSITUATIE)]


def aandachtspunten(categorie: Categorie, sleutel: int) -> str:
    """The aandachtspunten of a 'geen ontkoppeling' uitkomst, as the traject records them (no names: the
    traject's events are written before anyone is named)."""
    pool = thema(categorie, sleutel).aandachtspunten
    rng = random.Random(f"aandachtspunten-{sleutel}")
    return "\n".join(f"- {zin}" for zin in rng.sample(pool, 3))


def notitie(pool: Sequence[str], sleutel: str, minimum: int = 2, maximum: int = 3) -> str:
    """A short note as typed after a call or a kennismaking: the pool's opening sentence and `minimum` to
    `maximum` of the others in their order, fixed by `sleutel`. It names no one, so a traject's event can carry
    it (see `aandachtspunten`)."""
    rng = random.Random(f"notitie-{sleutel}")
    rest = rng.sample(range(1, len(pool)), min(len(pool) - 1, rng.randint(minimum, maximum)))
    return " ".join(pool[i] for i in (0, *sorted(rest)))


class Schrijver:
    """Composes one traject's texts: a few sentences from a pool, in a fixed order per traject."""

    def __init__(self, sleutel: str, thema_: Thema, aios: str, opleider: str, nieuwe_opleider: str = "") -> None:
        self.rng = random.Random(sleutel)
        self.thema = thema_
        self.namen = {"aios": aios or "De aios", "opleider": opleider or "De opleider",
                      "nieuwe_opleider": nieuwe_opleider or "De nieuwe opleider"}

    def zinnen(self, pool: Sequence[str], minimum: int = 3, maximum: int = 5) -> str:
        aantal = min(len(pool), self.rng.randint(minimum, maximum))
        return " ".join(zin.format(**self.namen) for zin in self.rng.sample(list(pool), aantal))

    def lijst(self, pool: Sequence[str], minimum: int = 3, maximum: int = 4) -> str:
        aantal = min(len(pool), self.rng.randint(minimum, maximum))
        return "\n".join(f"- {zin.format(**self.namen)}" for zin in self.rng.sample(list(pool), aantal))

    def plaats(self) -> str:
        return self.rng.choice(PLAATSEN)

    def aanleiding(self) -> str:
        return f"{self.zinnen(self.thema.aanleiding, 2, 3)} {self.rng.choice(_AANLEIDING_SLOT)}"

    def afspraken(self) -> str:
        return f"{self.lijst(self.thema.aandachtspunten, 2, 3)}\n{self.lijst(_AFSPRAKEN_ALGEMEEN, 1, 2)}"

    def aanvulling(self) -> str:
        return self.rng.choice(AANVULLINGEN)

    def reflectieverslag(self) -> str:
        """The text of an aios's reflectieverslag (a .txt bijlage): terugblik, eigen rol, leerpunten and
        aandachtspunten for the ontkoppelde opleider."""
        terugblik = self.rng.sample(TERUGBLIK_IK, self.rng.randint(2, 3))
        delen = (
            ("Terugblik", " ".join(zin for zin in TERUGBLIK_IK if zin in terugblik)),  # in the order it happened
            ("Mijn eigen rol", self.zinnen(EIGEN_ROL_IK, 2, 3)),
            ("Wat ik meeneem naar de nieuwe praktijk", self.lijst(LEERPUNTEN_IK, 2, 3)),
            ("Aandachtspunten voor de opleider", self.lijst(VOOR_DE_OPLEIDER_IK, 1, 2)),
        )
        kop = f"Reflectieverslag van {self.namen['aios']}, ter voorbereiding op het evaluatiegesprek"
        return "\n\n".join([kop, *(f"{titel}\n{tekst}" for titel, tekst in delen)]) + "\n"

    def competenties(self, gebieden: Sequence[str]) -> dict[str, str]:
        """The overdracht per competentiegebied (by the ids of the form's list): what the aios shows and what the
        aios works on, a sentence or two each; one or two gebieden left empty, as the form allows."""
        bekend = [g for g in gebieden if g in COMPETENTIES]
        leeg = set(self.rng.sample(bekend, min(len(bekend) // 3, self.rng.randint(1, 2))))
        result: dict[str, str] = {}
        for gebied in bekend:
            if gebied not in leeg:
                laat_zien, werkt_aan = COMPETENTIES[gebied]
                result[f"{gebied}_laat_zien"] = self.zinnen(laat_zien, 1, 2)
                result[f"{gebied}_werkt_aan"] = self.zinnen(werkt_aan, 1, 2)
        return result


__all__ = [
    "AANDACHTSPUNTEN_AIOS",
    "AANDACHTSPUNTEN_VOOR_OPLEIDER",
    "AFSPRAKEN_NA_EVALUATIE",
    "AFSPRAKEN_NIEUWE_PRAKTIJK",
    "BEGELEIDING",
    "BELEVING",
    "BELEVING_CONTACT",
    "CHECK_UP_GOED",
    "CHECK_UP_ZORG",
    "COMPETENTIES",
    "DRIEHOEKSGESPREK_GEPLAND",
    "EIGEN_ROL_AIOS",
    "EIGEN_ROL_IK",
    "EIGEN_ROL_OPLEIDER",
    "EVALUATIE_NIEUWE_PRAKTIJK",
    "KENNISMAKING",
    "LEERPUNTEN_AIOS",
    "LEERPUNTEN_IK",
    "LEERPUNTEN_OPLEIDER",
    "NAZORG",
    "PLAATSEN",
    "REDENEN_NIEUWE_VERSIE",
    "SITUATIE",
    "STAND_LEERPUNTEN",
    "TELEFOON_AIOS",
    "TELEFOON_OPLEIDER",
    "TERUGBLIK_IK",
    "TOELICHTING_AIOS",
    "VERWERKING",
    "VOOR_DE_OPLEIDER_IK",
    "VOORUIT",
    "Schrijver",
    "Thema",
    "aandachtspunten",
    "notitie",
    "thema",
]
