"""What the demo's gespreksverslagen say: sentences a docent could have written, grouped by what the trouble in
the opleidingspraktijk is about, and put together per traject with a fixed seed so that two demo stores read
alike.

Plain text only, as typed in the wizard; no medical details (the question files ask for that too). The names in
the sentences are the fictitious names the demo already made; nothing here is about a real person or practice.
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


class Schrijver:
    """Composes one traject's texts: a few sentences from a pool, in a fixed order per traject."""

    def __init__(self, sleutel: str, thema_: Thema, aios: str, opleider: str) -> None:
        self.rng = random.Random(sleutel)
        self.thema = thema_
        self.namen = {"aios": aios or "De aios", "opleider": opleider or "De opleider"}

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


__all__ = [
    "AANDACHTSPUNTEN_AIOS",
    "AANDACHTSPUNTEN_VOOR_OPLEIDER",
    "AFSPRAKEN_NIEUWE_PRAKTIJK",
    "BELEVING",
    "EIGEN_ROL_AIOS",
    "EIGEN_ROL_OPLEIDER",
    "LEERPUNTEN_AIOS",
    "LEERPUNTEN_OPLEIDER",
    "PLAATSEN",
    "REDENEN_NIEUWE_VERSIE",
    "TOELICHTING_AIOS",
    "Schrijver",
    "Thema",
    "aandachtspunten",
    "thema",
]
