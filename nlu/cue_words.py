"""Dutch chat words grouped by what they signal, as token and sentence features for the intent classifiers.

The training data cannot hold every way a resident says goodbye ("houdoe",
"tabee"), thanks ("thx", 🙏), yes ("tuurlijk", 👍) or asks for a person ("een
medewerker"). A word the classifier never saw carries no bag-of-words feature,
but when it is in one of these small groups, the classifiers see the group. The groups
are written from everyday Dutch chat language, not from the training data, so
they add knowledge instead of repeating it. Groups name meanings, not intents:
The classifiers learn how they combine ("niet akkoord" is a no).
"""

from __future__ import annotations

from typing import Dict, FrozenSet, List, Tuple

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token

from nlu.featurizer_base import RuleFeaturizer
from nlu.text import fold


def _group(words: str) -> FrozenSet[str]:
    return frozenset(fold(w) for w in words.split())


CUE_GROUPS: Dict[str, FrozenSet[str]] = {
    "greeting": _group(
        "hoi hallo hai hey hee heey heej hi hello hallootjes hoihoi goedemorgen goedemiddag goedenavond "
        "goeiemorgen goeiemiddag goeienavond goedendag goeiedag moi moin salaam salam yo joe jo howdy 👋 🙋"
    ),
    "farewell": _group(
        "doei doeii doeidoei doeg daag houdoe ciao tjoe tjus tjuus adios adieu bye tabee ajuus ajuu "
        "mazzel ziens welterusten truste goedenacht groetjes groeten gegroet vaarwel ervandoor "
        "afsluiten uitloggen later slaap 👋"
    ),
    "thanks": _group(
        "bedankt dank dankje dankjewel dankuwel danku thanks thank thx tnx merci ty tx bedankjes "
        "dankbaar top super fijn 🙏 ❤ 💐"
    ),
    "yes": _group(
        "ja jawel jazeker jaja jep jup yes yep ok oke oké okay okee okido prima goed akkoord zeker "
        "precies klopt juist uiteraard natuurlijk absoluut graag inderdaad correct idd tuurlijk "
        "sure doen eens instemmen toestemming mag prima 👍 👌 ✅ ✔ ☑ 🆗"
    ),
    "no": _group(
        "nee neen neeh nope nah neuh nö niet nooit no geen niks niets weiger weigeren afwijzen "
        "liever onzin mwah 👎 ❌ ✖ 🚫 ⛔"
    ),
    "machine": _group(
        "bot robot chatbot computer programma automatisch automatische ai kunstmatig kunstmatige "
        "machine algoritme script software gpt chatgpt getypt typ"
    ),
    "person": _group(
        "mens mensen persoon medewerker medewerkers collega iemand menselijk menselijke echt echte "
        "vlees bloed consulent adviseur baliemedewerker levend"
    ),
    "contact": _group(
        "bellen bel terugbellen terugbelverzoek telefoon telefoonnummer nummer mail mailen email "
        "e-mail mailadres emailadres adres langskomen spreken contact contactpersoon chat chatten "
        "whatsapp appen bereikbaar"
    ),
    "personal_data": _group(
        "gegevens persoonsgegevens contactgegevens privacy privacyverklaring data avg gdpr account "
        "profiel bestand registratie geregistreerd"
    ),
    "erasure": _group("wissen wis wist gewist verwijderen verwijder verwijderd vergeten vergeet schrappen schrap weg"),
    # What happens to what a resident tells: "delen jullie mijn gegevens?", "is dat veilig?"
    "data_use": _group(
        "delen deel gedeeld doorgeven doorgegeven doorsturen verkopen verkoop verkocht doorverkopen "
        "zichtbaar opslaan opgeslagen bewaren bewaard bewaar veilig anoniem prive cookies spam"
    ),
    "alert": _group(
        "melding meldingen alert alerts notificatie notificaties seintje bericht berichten "
        "nieuwsbrief updates update abonneren abonnement waarschuw waarschuwen hoogte"
    ),
    "sign_up": _group("aanmelden aanmelding inschrijven inschrijving opgeven opgave meedoen aanmeld meld"),
    "more": _group("meer volgende verder nog andere anders overige rest extra door ➡ ⏭ ⏩ ⬇ 🔽 ➕"),
    "confusion": _group(
        "help hulp snap snappen begrijp begrijpen uitleg uitleggen vast kwijt war lukt werkt "
        "instructies menu handleiding opties moeilijk ingewikkeld"
    ),
    "organisation": _group(
        "wij we onze ons vereniging stichting club initiatief organisatie buurthuis vacature vacatures "
        "namens bestuur team scouting"
    ),
    # What anyone asks before starting as a volunteer somewhere.
    "practicalities": _group(
        "taak taken werkzaamheden uur uren tijden rooster dienst diensten begint beginnen duurt eindigt "
        "adres locatie plek parkeren bereikbaar training cursus inwerken ingewerkt begeleiding begeleider "
        "vog verklaring vergoeding onkostenvergoeding onkosten reiskosten verzekerd verzekering "
        "leeftijd leeftijdsgrens minimumleeftijd oud jong rolstoel toegankelijk meenemen groep "
        "website contactpersoon eisen ervaring verwacht proefdraaien kennismaken kennismaking "
        "vaste vast wekelijks hoelang hoeveel wanneer"
    ),
    # The people an initiative is looking for: "we zoeken vrijwilligers", not "vrijwilligerswerk".
    "recruiting": _group(
        "vrijwilligers helpers handjes hulpkrachten versterking oproep oproepje werven aanmelders "
        "reparateurs inpakkers chauffeurs collectanten bestuursleden"
    ),
    # Pointing back at something shown: "de tweede", "daar", "die".
    "pointing": _group("eerste tweede derde vierde vijfde laatste die deze daar daarvan daarover daarbij ervan"),
    "off_topic": _group(
        "weer regen regent zon graden paraplu temperatuur weerbericht "
        "kopen koop prijs winkel supermarkt aanbieding aanbiedingen korting bestellen "
        "bus trein ov parkeren treinen vlucht vliegtuig "
        "nieuws politiek verkiezingen journaal voetbal wedstrijd lotto "
        "hoofdpijn dokter huisarts ziek apotheek vaccin medicijn "
        "baan bijbaan solliciteren sollicitatie salaris betaald loon "
        "woning huur huurhuis kamer hypotheek "
        "huiswerk wiskunde werkstuk tentamen "
        "liedje gedicht grap grappig mop film serie spelletje "
        "verliefd trouwen daten relatie vriendin vriend"
    ),
}

CUE_NAMES: Tuple[str, ...] = tuple(CUE_GROUPS)


def cue_features(words: List[Tuple[str, str]]) -> Tuple[np.ndarray, np.ndarray]:
    """(tokens x groups) and (1 x groups) indicators for (text, lemma) pairs of a message's tokens."""
    sequence = np.zeros((len(words), len(CUE_NAMES)), dtype=np.float32)
    for row, (text, lemma) in enumerate(words):
        forms = {fold(text.lower()), fold(lemma.lower())}
        for column, name in enumerate(CUE_NAMES):
            if forms & CUE_GROUPS[name]:
                sequence[row, column] = 1.0
    sentence = sequence.max(axis=0, keepdims=True) if len(words) else np.zeros((1, len(CUE_NAMES)), np.float32)
    return sequence, sentence


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class CueWordFeaturizer(RuleFeaturizer):
    """Adds "this word is a greeting / thanks / yes / ..." features for the intent classifiers."""

    def features(self, text: str, tokens: List[Token]) -> Tuple[np.ndarray, np.ndarray]:
        return cue_features([(t.text, t.lemma or t.text) for t in tokens])
