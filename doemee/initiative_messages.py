"""Dutch text for initiatives: the manage link, its mails and its pages (B1, "je").

Field names and the words for time and dates are the portal's
(doemee.staff_messages), so a listing reads the same for a centre and for
the initiative that wrote it.
"""

from __future__ import annotations

from datetime import date

from doemee.messages import dutch_date
from doemee.staff_messages import FIELD_LABELS as _STAFF_FIELD_LABELS
from doemee.staff_messages import TIME_LABELS, date_nl  # noqa: F401  (used by the initiative pages)

SITE_NAME = "DoeMee voor initiatieven"
MANAGE_TITLE = "Beheer je vacatures"
FIELD_LABELS = {**_STAFF_FIELD_LABELS, "contact_email": "E-mailadres voor aanmeldingen"}

# --- asking for a link -----------------------------------------------------------

REQUEST_INTRO = (
    "Heb je een vacature bij DoeMee? Vul het e-mailadres in waarmee je hem hebt aangemeld. "
    "Je krijgt dan een mail met een link. Met die link zie je je vacatures en de aanmeldingen, "
    "en kun je ze aanpassen."
)
REQUEST_ANSWER = (
    "Als dit adres bij ons bekend is, krijg je een mail met een link. Kijk ook in je map met ongewenste mail. "
    "De link werkt 14 dagen."
)
REQUEST_EMPTY = "Vul je e-mailadres in."
REQUEST_TOO_OFTEN = "Je hebt dit al een paar keer gevraagd. Wacht een paar minuten en probeer het dan nog een keer."
REQUEST_ANSWER_CHAT = (
    "Ik stuur de link niet hier in de chat, maar naar het e-mailadres van je initiatief. "
    "Als dat adres bij ons bekend is, krijg je zo een mail. De link werkt 14 dagen."
)
REQUEST_ASK_EMAIL_CHAT = (
    "Dat kan met een beheerlink. Wat is het e-mailadres waarmee je je vacature hebt aangemeld? "
    "Ik stuur de link naar dat adres."
)
REQUEST_BAD_EMAIL_CHAT = "Dat lijkt me geen e-mailadres. Bijvoorbeeld: info@buurttuin.nl"

# --- links that do not work -------------------------------------------------------

LINK_INVALID_TITLE = "Deze link werkt niet"
LINK_INVALID = (
    "Deze link klopt niet. Misschien is hij niet helemaal gekopieerd. Vraag hieronder een nieuwe link aan."
)
LINK_EXPIRED_TITLE = "Deze link is verlopen"
LINK_EXPIRED = "Een link werkt 14 dagen. Deze is ouder. Vraag hieronder een nieuwe link aan."
LINK_REVOKED = "Er is een nieuwe link gemaakt. Daarmee werkt deze oude link niet meer. Vraag hieronder een nieuwe link aan."
NOT_YOURS_TITLE = "Niet gevonden"
NOT_YOURS = "Dit hoort niet bij jouw initiatief, of het bestaat niet meer. Ga terug naar je overzicht."
FORBIDDEN_TITLE = "Dat ging niet"
FORBIDDEN = (
    "Dit formulier is verlopen of kwam niet van deze site. Ga terug, laad de pagina opnieuw en probeer het nog een keer."
)
TOO_LARGE = "Dat is te veel tekst in één keer. Maak het korter en probeer het nog een keer."
BUSY = "Het lukt nu even niet. Probeer het over een paar minuten nog een keer."

# --- the overview ------------------------------------------------------------------

SIGN_UP_LABELS = {
    "new": "Nieuw",
    "contacted": "Contact opgenomen",
    "started": "Gestart",
    "not_suitable": "Past niet",
    "withdrawn": "Afgemeld",
}
# The buttons on a sign-up: path word -> stored status.
SIGN_UP_BUTTONS = {"contact": "contacted", "gestart": "started", "past-niet": "not_suitable"}
SIGN_UP_BUTTON_LABELS = {"contact": "Contact opgenomen", "gestart": "Gestart", "past-niet": "Past niet"}
SIGN_UP_WITHDRAWN = "Deze persoon heeft zich afgemeld. Je hoeft niets meer te doen."
SIGN_UP_NO_DETAILS = "Niet meer bekend: deze persoon heeft gevraagd om de gegevens te wissen."
NOT_APPROVED_YET = (
    "Het vrijwilligerscentrum heeft je initiatief nog niet goedgekeurd. Wat je verandert, controleert het centrum "
    "eerst. Daarna zien inwoners het."
)
APPROVED = "Wat je hier verandert, zien inwoners meteen."
CONCEPT_WAITS = "Deze vacature wacht op controle door het vrijwilligerscentrum. Inwoners zien hem nog niet."
CONCEPT_NO_SWITCH = "Deze vacature wacht nog op controle door het vrijwilligerscentrum. Dat kan pas als hij is goedgekeurd."
REJECTED_NO_RENEW = "Het vrijwilligerscentrum heeft deze vacature niet goedgekeurd. Maak een nieuwe vacature of neem contact op met het centrum."
NO_LISTINGS = "Je hebt nog geen vacatures bij DoeMee."
NO_SIGN_UPS = "Nog geen aanmeldingen."
DONE = {
    "contact": "Opgeslagen: je hebt contact opgenomen.",
    "gestart": "Opgeslagen: deze persoon is gestart.",
    "past-niet": "Opgeslagen: het past niet.",
    "gepauzeerd": "De vacature is gepauzeerd. Inwoners zien hem even niet.",
    "hervat": "De vacature staat weer open.",
    "gevuld": "Fijn dat het gelukt is! De vacature staat op vol. Inwoners zien hem niet meer.",
    "gesloten": "De vacature is gesloten.",
    "verlengd": "De vacature is verlengd.",
    "opgeslagen": "Je wijzigingen zijn opgeslagen.",
    "opgeslagen-concept": "Je wijzigingen zijn opgeslagen. Het vrijwilligerscentrum controleert ze eerst.",
    "nieuw": "Je nieuwe vacature is verstuurd. Het vrijwilligerscentrum controleert hem eerst. Je krijgt een mail als hij online staat.",
}
LISTING_PROBLEMS = "De vacature is nog niet opgeslagen. Verbeter wat hieronder staat."
REVOKE_INTRO = (
    "Heb je deze link doorgestuurd naar iemand die hem niet meer mag gebruiken? Maak dan alle oude links ongeldig. "
    "Je krijgt meteen een nieuwe link per mail."
)
REVOKED_TITLE = "Oude links werken niet meer"
REVOKED = "Alle oude links werken niet meer. We hebben een nieuwe link gemaakt en naar het e-mailadres van je initiatief gestuurd."


def status_line(status_label: str, valid_until_text: str | None) -> str:
    return f"{status_label}, tot en met {valid_until_text}" if valid_until_text else f"{status_label}, zonder einddatum"


# --- mails ---------------------------------------------------------------------------

def manage_link_subject(initiative: str) -> str:
    name = " ".join(initiative.split())[:120]
    return f"Je link om je vacatures te beheren ({name})" if name else "Je link om je vacatures te beheren"


def manage_link_body(initiative: str, link: str, request_page: str) -> str:
    name = initiative.strip()
    return (
        f"{'Beste ' + name + ',' if name else 'Hallo,'}\n\n"
        "Met deze link zie je je vacatures bij DoeMee en de mensen die zich hebben aangemeld. "
        "Je kunt vacatures pauzeren, verlengen, aanpassen of sluiten, en een nieuwe vacature maken.\n\n"
        f"{link}\n\n"
        "De link werkt 14 dagen. Deel hem niet: iedereen met de link kan je vacatures aanpassen. "
        f"Een nieuwe link vraag je aan op {request_page}\n\n"
        "Heb je deze link niet aangevraagd? Dan kun je deze mail weggooien.\n\n"
        "Groet,\nDoeMee\n"
    )


def signup_manage_line(link: str, personal: bool) -> str:
    """The last paragraph of a sign-up mail: the manage link, or where to ask for one."""
    if personal:
        return (
            "Heb je contact opgenomen? Zet het op je overzicht, dan weten wij dat ook. "
            f"Daar kun je je vacature ook pauzeren, verlengen of sluiten (de link werkt 14 dagen):\n{link}\n\n"
        )
    return f"Wil je je vacature pauzeren, verlengen of sluiten? Vraag een beheerlink aan op {link}\n\n"


# --- shared by the lifecycle and follow-up sections below ---------------------------------------

_SIGNED = "Groet,\nDoeMee"


def _greeting(name: str) -> str:
    return f"Beste {name.strip()}," if name and name.strip() else "Hallo,"


def _listing(title: str) -> str:
    return f"\"{title.strip()}\"" if title and title.strip() else "je vacature"


# --- lifecycle: a listing's end, renewing and closing from the mail (doemee.lifecycle) ----------

LIFECYCLE_PAGE_TITLE = "Je vacature op DoeMee"
LIFECYCLE_RENEW_BUTTON = "Ja, verleng mijn vacature"
LIFECYCLE_CLOSE_BUTTON = "Ja, sluit mijn vacature"
LIFECYCLE_LINK_EXPIRED = (
    "Deze link is te oud. Kijk in de nieuwste mail van DoeMee, "
    "of vraag een beheerlink aan om je vacature te verlengen of te sluiten."
)
LIFECYCLE_LINK_INVALID = (
    "Deze link werkt niet. Misschien is hij niet helemaal gekopieerd. "
    "Klik op de link in de mail, of vraag een beheerlink aan."
)
LIFECYCLE_CLOSED = "Je vacature is gesloten. Vrijwilligers zien hem niet meer. Bedankt dat je het laat weten!"
LIFECYCLE_ALREADY_CLOSED = "Deze vacature is al gesloten. Je hoeft niets meer te doen."
LIFECYCLE_ALREADY_RENEWED = "Deze vacature is al verlengd of aangepast. Je hoeft niets meer te doen."
LIFECYCLE_CANNOT = (
    "Dit kan niet meer met deze link. Vraag een beheerlink aan, of neem contact op met het vrijwilligerscentrum."
)
LIFECYCLE_BUSY = "Dat lukt nu even niet. Probeer het over een paar minuten opnieuw."
LIFECYCLE_ASK_LINK = "Een beheerlink aanvragen"


def lifecycle_renew_question(title: str, last_day: date) -> str:
    return (
        f"Wil je {_listing(title)} langer op DoeMee laten staan? "
        f"Nu staat hij er tot en met {dutch_date(last_day)}. Na verlengen staat hij er weer 90 dagen."
    )


def lifecycle_close_question(title: str) -> str:
    return f"Wil je {_listing(title)} nu sluiten? Vrijwilligers zien hem dan niet meer."


def lifecycle_renewed(title: str, last_day: date) -> str:
    return f"Gelukt! Je vacature {_listing(title)} staat nu op DoeMee tot en met {dutch_date(last_day)}."


def lifecycle_warning_subject(title: str, last_day: date) -> str:
    return f"Je vacature {_listing(title)} stopt op {dutch_date(last_day)}"


def lifecycle_warning_body(initiative: str, title: str, last_day: date, renew_link: str, close_link: str) -> str:
    return (
        f"{_greeting(initiative)}\n\n"
        f"Je vacature {_listing(title)} staat nog tot en met {dutch_date(last_day)} op DoeMee. "
        "Daarna zien vrijwilligers hem niet meer.\n\n"
        "Zoek je nog vrijwilligers? Verleng hem dan met 90 dagen:\n"
        f"{renew_link}\n\n"
        "Is de plek gevuld of niet meer nodig? Sluit hem dan nu:\n"
        f"{close_link}\n\n"
        "Doe je niets, dan sluit hij vanzelf na de laatste dag.\n\n"
        f"{_SIGNED}\n"
    )


# --- follow-up of sign-ups (doemee.followup) ---------------------------------------------------


def followup_reminder_subject(title: str) -> str:
    return f"Herinnering: iemand wil meedoen met {_listing(title)}"


def followup_reminder_body(
    initiative: str, title: str, first_name: str | None, contact: str | None, signed_up_on: date,
    manage_line: str,
) -> str:
    """`manage_line` is the sign-up mail's own last paragraph (signup_manage_line)."""
    who = first_name.strip() if first_name and first_name.strip() else "Iemand"
    reach = f"Je kunt {who} bereiken via: {contact.strip()}\n\n" if contact and contact.strip() else ""
    manage = manage_line
    return (
        f"{_greeting(initiative)}\n\n"
        f"Op {dutch_date(signed_up_on)} meldde {who} zich via DoeMee aan voor {_listing(title)}. "
        "Wil je binnen een paar dagen contact opnemen? Vrijwilligers haken snel af als ze niets horen.\n\n"
        f"{reach}"
        f"{manage}"
        "Over drie dagen vragen we of er contact is geweest. Zo kan het vrijwilligerscentrum helpen als het niet lukt.\n\n"
        f"{_SIGNED}\n"
    )


def followup_withdrawn_subject(title: str) -> str:
    return f"Aanmelding gestopt: {_listing(title)}"


def followup_withdrawn_body(initiative: str, title: str, first_name: str | None) -> str:
    who = first_name.strip() if first_name and first_name.strip() else "Iemand"
    return (
        f"{_greeting(initiative)}\n\n"
        f"{who} heeft laten weten dat de aanmelding voor {_listing(title)} niet meer nodig is. "
        "Je hoeft geen contact meer op te nemen. Gebruik de gegevens van deze aanmelding niet meer.\n\n"
        f"{_SIGNED}\n"
    )
