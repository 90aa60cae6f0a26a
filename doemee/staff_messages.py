"""Dutch for the staff of the centres: the portal, its mails and `doemee staff`.

B1, the "je" form. Errors never say whether an account exists: a stranger
trying addresses learns nothing from the answer.
"""

from __future__ import annotations

from datetime import datetime

from doemee.local_time import local

PORTAL_NAME = "DoeMee-portaal"

# --- command line --------------------------------------------------------------

CLI_HELP_NL = {
    "staff": "beheer de medewerkers die in het portaal inloggen",
    "staff.description": (
        "Beheert de medewerkers van de centra die in het portaal (/portaal) inloggen. "
        "Met staff add nodig je iemand uit: de uitnodiging gaat per e-mail en je ziet de link één keer."
    ),
    "staff.actions": "acties",
    "staff add": "nodig een medewerker uit voor het portaal",
    "staff add.description": (
        "Maakt een uitnodiging voor een medewerker van een centrum, mailt die en toont de link één keer. "
        "De link werkt 7 dagen en maar één keer: daarmee kiest de medewerker een wachtwoord."
    ),
    "staff add.email": "het e-mailadres van de medewerker",
    "staff add.centre": "het centrum van de medewerker (de slug uit centres.yml)",
    "staff add.admin": "maak de medewerker beheerder: die ziet alle centra",
}
CLI_HELP_EN = {
    "staff": "manage the staff who log in to the portal",
    "staff.description": "Manages the centres' staff who log in to the portal (/portaal).",
    "staff.actions": "actions",
    "staff add": "invite a staff member to the portal",
    "staff add.description": (
        "Creates an invitation for a centre's staff member, mails it and prints the link once. "
        "The link works for 7 days, once."
    ),
    "staff add.email": "the staff member's email address",
    "staff add.centre": "the staff member's centre (its slug in centres.yml)",
    "staff add.admin": "make the staff member an administrator, who sees every centre",
}


def cli_bad_email(text: str) -> str:
    return f"'{text}' is geen goed e-mailadres. Voorbeeld: naam@vrijwilligerscentrum.nl."


def cli_member_exists(email: str) -> str:
    return f"{email} heeft al een account voor het portaal. Wachtwoord vergeten? Dat kan op /portaal/wachtwoord-vergeten."


def cli_invited(email: str, centre: str, admin: bool) -> str:
    role = "beheerder (ziet alle centra)" if admin else "medewerker"
    return f"{email} is uitgenodigd als {role} van {centre}. De link werkt 7 dagen en één keer:"


CLI_INVITE_QUEUED = "De uitnodiging staat klaar als e-mail en gaat zo weg. In het portaal zie je hem onder Post."


# --- mails ---------------------------------------------------------------------

def invite_subject(centre: str) -> str:
    return f"Je uitnodiging voor het DoeMee-portaal van {centre}"


def invite_body(centre: str, link: str) -> str:
    return (
        "Hallo,\n\n"
        f"Je bent uitgenodigd voor het DoeMee-portaal van {centre}. "
        "Daar zie je de oproepen die wachten op controle.\n\n"
        f"Kies hier je wachtwoord:\n{link}\n\n"
        "De link werkt 7 dagen en maar één keer. Verwachtte je deze mail niet? Dan hoef je niets te doen.\n"
    )


RESET_SUBJECT = "Nieuw wachtwoord voor het DoeMee-portaal"


def reset_body(link: str) -> str:
    return (
        "Hallo,\n\n"
        "Iemand vroeg een nieuw wachtwoord aan voor jouw account in het DoeMee-portaal.\n\n"
        f"Kies hier een nieuw wachtwoord:\n{link}\n\n"
        "De link werkt 1 uur en maar één keer. Vroeg je niets aan? Dan hoef je niets te doen: "
        "je wachtwoord blijft hetzelfde.\n"
    )


def new_concept_subject(title: str) -> str:
    return f"Nieuwe oproep wacht op controle: {title}"


def new_concept_body(title: str, link: str) -> str:
    return (
        "Hallo,\n\n"
        f"Er is een nieuwe oproep uit de chat: \"{title}\". Inwoners zien hem pas als jullie hem goedkeuren.\n\n"
        f"Bekijk hem hier:\n{link}\n"
    )


# --- domain errors -------------------------------------------------------------

PASSWORD_TOO_SHORT = "Kies een wachtwoord van minstens 12 tekens."
PASSWORD_TOO_LONG = "Dat wachtwoord is te lang. Kies er een van hoogstens 200 tekens."
PASSWORDS_DIFFER = "De twee wachtwoorden zijn niet hetzelfde. Typ ze nog een keer."
TOKEN_INVALID = "Deze link werkt niet. Kijk of je de hele link uit de e-mail hebt gebruikt."
TOKEN_EXPIRED = "Deze link is verlopen. Vraag een nieuwe aan."
TOKEN_USED = "Deze link is al gebruikt. Een link werkt maar één keer."
LOGIN_WRONG = "Het e-mailadres of het wachtwoord klopt niet."
LOGIN_LOCKED = (
    "Er is te vaak een verkeerd wachtwoord geprobeerd. Wacht 15 minuten en probeer het dan opnieuw. "
    "Wachtwoord vergeten? Vraag dan een nieuw wachtwoord aan."
)
LOGIN_EMPTY = "Vul je e-mailadres en je wachtwoord in."
RESET_ANSWER = (
    "Als dit e-mailadres bij ons bekend is, krijg je binnen een paar minuten een e-mail met een link. "
    "Die link werkt 1 uur. Geen mail gekregen? Kijk ook in je map met ongewenste mail."
)

# --- portal pages --------------------------------------------------------------

FORBIDDEN = (
    "Dit formulier kunnen we niet aannemen: het is verlopen of komt niet van deze website. "
    "Ga terug, laad de pagina opnieuw en probeer het nog een keer."
)
NOT_FOUND = "Deze pagina bestaat niet, of je mag hem niet zien."
TOO_LARGE = "Je stuurde te veel tekst in één keer. Maak het korter en probeer het opnieuw."
BUSY = "Het portaal is even niet bereikbaar. Probeer het over een paar minuten opnieuw."
LOGGED_OUT = "Je bent uitgelogd."
PASSWORD_SET = "Je wachtwoord is opgeslagen. Je kunt nu inloggen."
SESSION_ENDED = "Je sessie is afgelopen. Log opnieuw in."

CRITERIA: tuple[tuple[str, str], ...] = (
    ("onbetaald", "Het werk is onbetaald (hoogstens een vrijwilligersvergoeding)."),
    ("vrijwillig", "Mensen doen het uit vrije wil: het is niet verplicht."),
    ("voor_anderen", "Het werk is voor anderen of voor de samenleving."),
    ("georganiseerd", "Het werk gebeurt in een georganiseerd verband (een initiatief, vereniging of stichting)."),
    ("geen_betaald_werk", "Het werk neemt geen plaats in van betaald werk."),
)
CRITERIA_MISSING = (
    "Vink eerst alle punten van de checklist aan. Past de oproep niet bij vrijwilligerswerk? Wijs hem dan af."
)
REASON_MISSING = "Schrijf een reden. Het initiatief krijgt die reden in de e-mail."
TITLE_LENGTH = "De titel moet tussen de 4 en 120 tekens lang zijn."
DESCRIPTION_LENGTH = "De beschrijving moet tussen de 15 en 5000 tekens lang zijn."
UNKNOWN_CATEGORY = "Kies een onderwerp uit de lijst."
UNKNOWN_TIME = "Kies uit de lijst hoe vaak het werk is."
CONTROL_CHARACTERS = "Er staan tekens in de tekst die we niet kunnen opslaan. Haal ze weg en probeer het opnieuw."
NOT_A_CONCEPT_TITLE = "Oproep al behandeld"
FORBIDDEN_TITLE = "Niet toegestaan"
NOT_FOUND_TITLE = "Niet gevonden"
INVITE_HEADING = "Welkom bij het portaal"
RESET_HEADING = "Kies een nieuw wachtwoord"


def reason_too_long(limit: int) -> str:
    return f"Maak de reden korter: hoogstens {limit} tekens."


NOT_A_CONCEPT = "Deze oproep wacht niet meer op controle. Misschien heeft een collega hem net behandeld."

DONE = {
    "goedgekeurd": "De oproep is goedgekeurd. Inwoners kunnen hem nu vinden.",
    "afgewezen": "De oproep is afgewezen.",
    "opgeslagen": "Je wijzigingen zijn opgeslagen.",
}

TIME_LABELS = {
    "eenmalig": "Eenmalig",
    "wekelijks": "Elke week",
    "maandelijks": "Elke maand",
    "flexibel": "Flexibel",
}


def date_nl(moment: datetime) -> str:
    months = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
              "oktober", "november", "december")
    return f"{moment.day} {months[moment.month - 1]} {moment.year}"


# --- Vacatures, CSV and Cijfers (bot/web/portal/vacancies.py, exchange.py, figures.py) ----

FIELD_LABELS = {
    "centre": "Centrum",
    "title": "Titel",
    "initiative_name": "Initiatief",
    "initiative_website": "Website van het initiatief",
    "description": "Beschrijving",
    "category": "Onderwerp",
    "postcode": "Postcode",
    "place": "Plaats",
    "time_commitment": "Hoe vaak",
    "day_parts": "Dagdelen",
    "remote": "Kan het op afstand?",
    "contact_email": "E-mailadres voor aanmeldingen",
    "valid_until": "Laatste dag",
}
VACANCY_PROBLEMS = "De vacature is nog niet opgeslagen. Verbeter wat hieronder staat."
VACANCY_DONE = {
    "aangemaakt": "De vacature is opgeslagen en staat open.",
    "opgeslagen": "Je wijzigingen zijn opgeslagen.",
    "gepauzeerd": "De vacature is gepauzeerd. Inwoners zien hem niet meer.",
    "hervat": "De vacature staat weer open.",
    "vol": "De vacature staat op vol.",
    "gesloten": "De vacature is gesloten.",
    "verlengd": "De vacature is verlengd.",
}
VACANCY_REFUSED_TITLE = "Dat kan nu niet"
NO_VACANCIES = "Er zijn geen vacatures die hierbij passen."
CSV_TOO_LARGE_MB = 5
CSV_NO_FILE = "Kies eerst een CSV-bestand."
CSV_NOT_UPLOADED = "Het bestand kwam niet goed aan. Kies het bestand opnieuw en probeer het nog een keer."
CSV_CHOOSE_CENTRE = "Kies voor welk centrum je het bestand inleest."


def csv_too_large(limit_mb: int) -> str:
    return f"Het bestand is te groot: hooguit {limit_mb} MB. Splits het in kleinere bestanden."


def csv_done(new: int, updated: int, removed: int, centre: str) -> str:
    return f"Het bestand is ingelezen voor {centre}: {new} nieuw, {updated} bijgewerkt, {removed} verwijderd."


def vacancies_found(total: int) -> str:
    return "1 vacature gevonden." if total == 1 else f"{total} vacatures gevonden."


def page_of(page: int, pages: int) -> str:
    return f"Pagina {page} van {pages}"


def percent(share: float | None) -> str:
    return "–" if share is None else f"{round(share * 100)}%"


CHART_TITLE = "Zoekvragen, zonder plek in de buurt en aanmeldingen per week"


def chart_description(weeks: int, searches: int, unmet: int, sign_ups: int) -> str:
    return (
        f"Staafdiagram over {weeks} weken: samen {searches} zoekvragen, waarvan {unmet} zonder plek in de buurt, "
        f"en {sign_ups} aanmeldingen. De lijn is de conversie: aanmeldingen per zoekvraag. "
        "De tabel ernaast heeft dezelfde cijfers."
    )


def csv_more_problems(shown: int, total: int) -> str:
    return f"Hierboven staan de eerste {shown} van {total} problemen. Verbeter die eerst en probeer het opnieuw."


def week_summary(week: str, searches: int, unmet: int, sign_ups: int, conversion: float | None) -> str:
    vragen = "1 zoekvraag" if searches == 1 else f"{searches} zoekvragen"
    aanmeldingen = "1 aanmelding" if sign_ups == 1 else f"{sign_ups} aanmeldingen"
    return f"{week}: {vragen}, {unmet} zonder plek in de buurt, {aanmeldingen}, conversie {percent(conversion)}"


# --- Hulpvragen (doemee/handoff.py, bot/web/portal/questions.py) ----------------

NEW_QUESTION_SUBJECT = "Een inwoner heeft een vraag voor jullie"


def new_question_body(link: str) -> str:
    return (
        "Hallo,\n\n"
        "Een inwoner heeft in de chat een vraag achtergelaten en wil graag antwoord van jullie. "
        "De vraag en hoe je de inwoner bereikt staan in het portaal.\n\n"
        f"Bekijk de hulpvragen hier:\n{link}\n"
    )


QUESTION_DONE = "De hulpvraag staat op afgehandeld."
CONTACT_KINDS = {"email": "E-mail", "phone": "Telefoon"}


def age_nl(days: int) -> str:
    if days <= 0:
        return "vandaag"
    return "1 dag geleden" if days == 1 else f"{days} dagen geleden"


# --- Privacy (doemee/privacy_requests.py, bot/web/portal/privacy.py) ------------

PRIVACY_EMPTY = "Vul het e-mailadres of het telefoonnummer in dat de inwoner gaf."
PRIVACY_TOO_LONG = "Dat is te lang voor een e-mailadres of telefoonnummer. Vul alleen het adres of nummer in."
PRIVACY_ONE_CONTACT = "Vul één e-mailadres of één telefoonnummer in. Heeft de inwoner er meer? Zoek ze één voor één."
PRIVACY_NOT_A_CONTACT = (
    "Dat is geen e-mailadres of Nederlands telefoonnummer. Voorbeelden: naam@voorbeeld.nl of 06 12345678."
)
PRIVACY_NOTHING = (
    "We vonden niets over dit adres of nummer. Misschien gaf de inwoner een ander adres, "
    "of heeft een ander centrum de gegevens."
)
PRIVACY_DONE = "Klaar. Alles over deze inwoner is gewist."
PRIVACY_ALSO_ELSEWHERE = (
    "Heeft deze inwoner ook iets bij een ander centrum achtergelaten? Dat wissen we ook. "
    "Hier tellen we alleen wat bij jouw centrum hoort."
)
PRIVACY_GONE_MEANWHILE = "Er was niets meer te wissen. Misschien heeft een collega het net gedaan."


def privacy_conversations_gone(conversations: int) -> str:
    if conversations == 1:
        return "Ook het chatgesprek van deze inwoner is gewist."
    return f"Ook de {conversations} chatgesprekken van deze inwoner zijn gewist."


def privacy_conversations_kept(days: int) -> str:
    return (f"Het chatgesprek kon ik nu niet wissen. Het wordt vanzelf gewist na {days} dagen zonder bericht. "
            "Probeer het later nog eens als het eerder moet.")


def privacy_counts(residents: int, sign_ups: int, subscriptions: int, questions: int) -> list[str]:
    """What is or will be removed, one short line each, for the list on the Privacy page."""

    def count(number: int, one: str, many: str) -> str:
        return f"{number} {one if number == 1 else many}"

    return [
        count(residents, "inwoner in de chat", "inwoners in de chat"),
        count(sign_ups, "aanmelding (blijft als getal voor het initiatief, zonder naam en contact)",
              "aanmeldingen (blijven als getal voor het initiatief, zonder naam en contact)"),
        count(subscriptions, "melding van nieuwe plekken, met e-mailadres", "meldingen van nieuwe plekken, met e-mailadres"),
        count(questions, "hulpvraag", "hulpvragen"),
    ]


CONTACT_KIND_WORDS = {"email": "het e-mailadres", "phone": "het telefoonnummer"}

# --- Team (doemee/team.py, bot/web/portal/team.py) -------------------------------

TEAM_ADMINS_ONLY = "Alleen een beheerder kan medewerkers uitnodigen of uitzetten."
TEAM_NOT_YOURSELF = "Je kunt jezelf niet uitzetten. Vraag een andere beheerder."
TEAM_CHOOSE_CENTRE = "Kies het centrum van de nieuwe medewerker."
TEAM_DONE = {
    "uitgezet": "De medewerker is uitgezet en is overal uitgelogd.",
    "aangezet": "De medewerker kan weer inloggen.",
}
TEAM_INVITE_SENT = "De uitnodiging gaat per e-mail. De link werkt 7 dagen en één keer."
TEAM_STATES = {"active": "Actief", "invited": "Uitgenodigd", "inactive": "Uitgezet"}
TEAM_ROLES = {"admin": "Beheerder", "staff": "Medewerker"}


# --- Post: the outbox (doemee/outbox.py, bot/web/portal/mail.py) ------------------

MAIL_KINDS = {
    "signup": "Aanmelding aan initiatief",
    "moderation": "Besluit over oproep",
    "alert": "Nieuwe plekken voor inwoner",
    "alert-confirm": "Bevestiging meldingen",
    "staff-invite": "Uitnodiging portaal",
    "staff-reset": "Nieuw wachtwoord",
    "staff-concept": "Nieuw concept",
    "staff-question": "Nieuwe hulpvraag",
    "initiative_link": "Beheerlink voor initiatief",
    "listing_ending": "Vacature loopt af",
    "signup_reminder": "Herinnering aanmelding",
    "signup_question": "Vraag aan inwoner: contact gehad?",
    "signup_withdrawn": "Aanmelding gestopt",
}
MAIL_STATES = {
    "queued": "Wacht",
    "sending": "Wordt verstuurd",
    "sent": "Verstuurd",
    "failed": "Mislukt",
    "kept": "Alleen in het portaal",
}
MAIL_RESENT = "De e-mail staat weer klaar. Hij gaat binnen een paar minuten weg."
MAIL_NOT_FAILED = "Deze e-mail is niet mislukt, dus je hoeft hem niet opnieuw te versturen."
MAIL_FORGOTTEN_ADDRESS = "(gewist)"
MAIL_FORGOTTEN_SUBJECT = "Gewiste e-mail"
MAIL_FORGOTTEN_BODY = (
    "Deze e-mail ging over een inwoner die vroeg om alles over zich te wissen. "
    "Daarom staat hier niet meer wat erin stond of aan wie hij ging."
)


def mail_kind(kind: str) -> str:
    return MAIL_KINDS.get(kind, kind)


# --- API keys (/portaal/api) ---------------------------------------------------
API_KEY_NAME_BAD = "Geef de sleutel een naam van 1 tot 80 tekens, bijvoorbeeld de naam van het platform dat hem gebruikt."
API_KEY_CHOOSE_CENTRE = "Kies voor welk centrum de sleutel is."
API_KEY_CREATED = (
    "De sleutel is gemaakt. Kopieer hem nu en geef hem via een veilige weg door: "
    "je ziet hem hierna nooit meer. Kwijt? Trek hem in en maak een nieuwe."
)
API_KEY_REVOKED = "De sleutel is ingetrokken. Wie hem gebruikt, krijgt vanaf nu geen toegang meer."


# --- Vandaag: sign-ups whose resident said nobody called (doemee.followup) ---

FOLLOW_UP_DONE = "De aanmelding staat op afgehandeld. Hij staat niet meer bij de aanmeldingen zonder antwoord."


# --- Logboek (/portaal/logboek) and a listing's history --------------------------

AUDIT_ACTIONS = {
    "staff.login": "Ingelogd",
    "staff.login_failed": "Inloggen mislukt",
    "staff.login_locked": "Inloggen geweigerd: tijdelijk op slot",
    "staff.logout": "Uitgelogd",
    "staff.reset_requested": "Nieuw wachtwoord gevraagd",
    "staff.password_reset": "Nieuw wachtwoord gekozen",
    "staff.invited": "Uitgenodigd",
    "staff.invite_accepted": "Uitnodiging aangenomen",
    "staff.deactivated": "Medewerker uitgezet",
    "staff.reactivated": "Medewerker weer aangezet",
    "concept.submitted": "Oproep ingestuurd",
    "concept.edited": "Oproep aangepast",
    "concept.approved": "Oproep goedgekeurd",
    "concept.rejected": "Oproep afgewezen",
    "vacancy.created": "Vacature gemaakt",
    "vacancy.edited": "Vacature aangepast",
    "vacancy.paused": "Vacature gepauzeerd",
    "vacancy.resumed": "Vacature weer online",
    "vacancy.filled": "Vacature is vol",
    "vacancy.closed": "Vacature gesloten",
    "vacancy.renewed": "Vacature verlengd",
    "signup.new": "Aanmelding terug op nieuw",
    "signup.contacted": "Aanmelding: contact opgenomen",
    "signup.started": "Aanmelding: vrijwilliger gestart",
    "signup.not_suitable": "Aanmelding: past niet",
    "signup.followed_up": "Aanmelding zonder antwoord opgepakt",
    "question.handled": "Hulpvraag afgehandeld",
    "csv.imported": "CSV ingelezen",
    "csv.exported": "CSV gedownload",
    "privacy.searched_by_email": "Inwoner gezocht op e-mailadres",
    "privacy.searched_by_phone": "Inwoner gezocht op telefoonnummer",
    "privacy.forgotten_by_email": "Inwoner gewist (gevonden op e-mailadres)",
    "privacy.forgotten_by_phone": "Inwoner gewist (gevonden op telefoonnummer)",
    "api_key.created": "API-sleutel gemaakt",
    "api_key.revoked": "API-sleutel ingetrokken",
    "mail.resent": "E-mail opnieuw verstuurd",
    "initiative.link_revoked": "Beheerlink ongeldig gemaakt",
    "audit.exported": "Logboek gedownload",
}
AUDIT_TOPICS = {
    "inloggen": "Inloggen en wachtwoord",
    "team": "Team",
    "concepten": "Concepten",
    "vacatures": "Vacatures",
    "aanmeldingen": "Aanmeldingen",
    "hulpvragen": "Hulpvragen",
    "csv": "CSV",
    "privacy": "Privacy",
    "api": "API-sleutels",
    "post": "Post",
    "initiatieven": "Initiatieven",
    "logboek": "Logboek",
}
AUDIT_SUBJECTS = {
    "opportunity": "Vacature",
    "sign_up": "Aanmelding",
    "staff_member": "Medewerker",
    "handoff_request": "Hulpvraag",
    "outbox_mail": "E-mail",
    "api_key": "API-sleutel",
    "initiative": "Initiatief",
    "centre": "Centrum",
    "resident": "Inwoner",
}
AUDIT_GONE = "niet meer te zien"
AUDIT_BY_INITIATIVE = "Het initiatief, via de link in de mail"
AUDIT_NOBODY = "Onbekend e-mailadres"
# No member and no initiative: the command line on the server (`doemee staff add`), or DoeMee itself.
AUDIT_SERVER = "Beheer op de server"
AUDIT_BAD_DATE = "Vul een datum in zoals 4-12-2026. Het filter op datum staat nu uit."
AUDIT_DATES_SWAPPED = "De datum 'vanaf' ligt na de datum 'tot en met'. Het filter op datum staat nu uit."
AUDIT_EMPTY = "Er staat niets in het logboek dat bij je keuze past."
AUDIT_NO_HISTORY = "Nog niets. Hier komt wie deze vacature maakte, aanpaste, goedkeurde of sloot, en wanneer."


def audit_action(code: str) -> str:
    return AUDIT_ACTIONS.get(code, code)


def audit_found(total: int) -> str:
    return "1 regel gevonden" if total == 1 else f"{total} regels gevonden"


def date_time_nl(moment: datetime) -> str:
    """A moment on the Dutch clock, as "4 december 2026, 14:05"."""
    shown = local(moment)
    return f"{date_nl(shown)}, {shown:%H:%M}"
