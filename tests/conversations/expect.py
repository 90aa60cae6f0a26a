"""What a reply *is*, recognised from its text and buttons: the vocabulary of the conversation tests.

The corpus (tests/conversations/*/ *.yml) and the state-space test never
compare the bot's wording. They name kinds of replies ("asks_location",
"results", "signed_up"), and this module is the one place that knows how
each kind looks. The phrases come from domain.yml and doemee/messages.py;
when a sentence there is reworded, the pattern here is the one edit to make
(tests/e2e/test_conversation_corpus.py checks every kind against the current
sentences, so a rewording that breaks a kind shows up without the stack).

A reply is what Rasa's REST channel answers to one message: a list of
{"text", "buttons"?} dicts. A reply can be of several kinds at once (an
out-of-scope answer followed by the form's question again).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

Reply = list[dict]


def text_of(reply: Reply) -> str:
    return "\n".join(str(message.get("text") or "") for message in reply)


def buttons_of(reply: Reply) -> list[dict]:
    return [b for message in reply for b in (message.get("buttons") or []) if isinstance(b, dict)]


def payloads_of(reply: Reply) -> list[str]:
    return [str(b.get("payload") or "") for b in buttons_of(reply)]


@dataclass(frozen=True)
class Kind:
    """One kind of reply: any of `phrases` (regular expressions, case-insensitive) in the text, or `buttons`."""

    name: str
    means: str
    phrases: tuple[str, ...] = ()
    buttons: Callable[[list[str]], bool] | None = None
    _compiled: tuple[re.Pattern, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_compiled", tuple(re.compile(p, re.IGNORECASE | re.MULTILINE) for p in self.phrases))

    def seen_in(self, text: str, payloads: list[str]) -> bool:
        if self.buttons is not None and self.buttons(payloads):
            return True
        return any(p.search(text) for p in self._compiled)


def _result_cards(payloads: list[str]) -> bool:
    """Result cards carry "Meer info"; the details of one opportunity carry only "Aanmelden"."""
    return any(p.startswith("/more_info") for p in payloads) or sum(p.startswith("/sign_up") for p in payloads) >= 2


# --- the vocabulary: the ONE place that knows the bot's wording ----------------------------------
_KINDS: tuple[Kind, ...] = (
    # Searching.
    Kind("results", "a page of opportunities (cards with Aanmelden / Meer info)",
         (r"\bik vond \d+ plek", r"^eerlijk gezegd: binnen", r"hier zijn er nog meer"), _result_cards),
    Kind("no_results", "nothing (more) found", (r"ik vond niets dat past", r"^meer heb ik niet")),
    Kind("details", "more about one opportunity", (r"^van: .+$(?s:.*)^wanneer: ",)),
    Kind("asks_location", "asks where the resident lives",
         (r"waar woon je\?", r"in welke plaats woon je", r"noem je postcode of woonplaats")),
    Kind("asks_place_choice", "asks which of several places with that name",
         (r"^bedoel je .+\?",)),
    Kind("place_corrected", "says which place it thinks was meant (a typo)",
         (r"ik denk dat (je .+|ik weet welke plek je) bedoel",)),
    Kind("unknown_place", "does not know the place or postcode",
         (r"die plek ken ik niet", r"ken ik niet\. klopt hij\? je mag ook je woonplaats", r"ligt niet in nederland",
          r"is een groot gebied")),
    Kind("asks_interest", "asks what the resident likes to do",
         (r"wat doe je graag\?", r"kies iets uit de lijst")),
    Kind("interest_unknown", "does not know that interest", (r"dat ken ik nog niet",)),
    Kind("no_search_yet", "needs a search first", (r"vertel eerst wat je zoekt en waar je woont\. dan zoek",)),
    Kind("after_results", "points at the Aanmelden buttons after a yes", (r"kies dan \"aanmelden\"",)),
    # Signing up.
    Kind("asks_which", "asks which opportunity is meant (to sign up, or to read more about)",
         (r"voor welke plek wil je je aanmelden", r"je hebt nog geen plekken gezien",
          r"ik (weet niet|snap nog niet|weet nog niet) welke( plek)? je bedoelt", r"over welke plek wil je meer weten",
          r"die zie ik niet in de lijst")),
    Kind("asks_name", "asks the first name", (r"hoe heet je\?", r"lijkt me geen voornaam")),
    Kind("asks_contact", "asks an e-mail address or phone number",
         (r"hoe kan het initiatief je bereiken", r"geef een e-mailadres of (een )?telefoonnummer")),
    Kind("asks_consent", "shows what will be shared and asks if that is all right",
         (r"dit stuur ik naar", r"ik deel niets anders\. is dat goed")),
    Kind("signed_up", "the sign-up is done (or was done before)",
         (r"je bent aangemeld voor", r"^gelukt! je bent aangemeld", r"je was al aangemeld")),
    Kind("signup_declined", "nothing shared, not signed up",
         (r"je bent niet aangemeld", r"ik stop met aanmelden", r"ik heb niets doorgestuurd")),
    Kind("opportunity_gone", "that opportunity is no longer open", (r"die plek is er niet meer",)),
    # Small talk and help.
    Kind("greet", "a greeting", (r"^(hoi|hallo|hey|goedendag|dag)\b[^.?]*!", r"ik ben doemee\. ik zoek")),
    Kind("help", "says what DoeMee can do",
         (r"vertel me waar je woont en wat je graag doet", r"een mens spreken kan ook",
          r"ik (zoek|vind) vrijwilligerswerk bij jou in de buurt\. vertel")),
    Kind("bot", "says it is a computer program", (r"computerprogramma", r"geen mens dus")),
    Kind("out_of_scope", "cannot help with that topic",
         (r"daar kan ik je niet mee helpen", r"ik weet alleen veel van vrijwilligerswerk")),
    Kind("fallback", "did not understand", (r"kun je het anders zeggen", r"begrijp je nog steeds niet")),
    Kind("handoff", "where to reach a person", (r"je kunt een mens spreken bij", r"zij helpen je graag verder")),
    Kind("privacy", "what happens with personal data",
         (r"ik bewaar zo weinig mogelijk", r"alleen als jij ja zegt")),
    Kind("welcome", "you're welcome", (r"graag gedaan",)),
    Kind("anything_else", "anything else? / want to search?",
         (r"wil je iets zoeken\?", r"kan ik nog iets voor je doen")),
    Kind("goodbye", "says goodbye", (r"^doei\b", r"fijn dat je er was", r"je mag altijd terugkomen")),
    Kind("stopped", "stops the form on request",
         (r"ik stop met (zoeken|aanmelden)", r"^goed, ik stop\.", r"er is niets opgeslagen\.?$",
          r"dan stuur ik je geen mail", r"ik stuur geen link")),
    Kind("answers_pay", "answers whether volunteering is paid",
         (r"onbetaald", r"niet betaald", r"geen (geld|salaris|loon)\b", r"vergoeding")),
    # Forgetting.
    Kind("asks_forget", "asks to confirm deleting everything", (r"wil je echt dat ik alles over jou wis",)),
    Kind("forgotten", "everything about the resident is deleted", (r"ik heb alles over jou gewist",)),
    Kind("forget_cancelled", "deletes nothing after a no", (r"ik wis niets",)),
    # Alerts.
    Kind("asks_alert_email", "asks the e-mail address for news about new opportunities",
         (r"wat is je e-mailadres\? ik gebruik het alleen voor die mails", r"dat lijkt geen e-mailadres")),
    Kind("alerts_subscribed", "will send news when something new fits (or a mail to confirm that first)",
         (r"dan stuur ik je een bericht", r"je krijgt al berichten", r"ik stuur je nu een mail op",
          r"ik heb net al een mail gestuurd", r"dan krijg je een mail", r"al mail op")),
    Kind("alerts_need_search", "alerts need a search first", (r"dan kan ik je berichten sturen",)),
    Kind("alerts_stopped", "no more news messages",
         (r"geen berichten meer", r"er is dus niets te stoppen", r"geen meldingen meer")),
    # Posting a need (an initiative looking for volunteers).
    Kind("need_intro", "starts taking an initiative's request", (r"fijn dat je vrijwilligers zoekt",)),
    Kind("asks_need_initiative", "asks the initiative's name", (r"hoe heet jullie initiatief",)),
    Kind("asks_need_title", "asks a short title", (r"korte titel",)),
    Kind("asks_need_description", "asks what the volunteer will do", (r"wat de vrijwilliger gaat doen",)),
    Kind("asks_need_category", "asks the subject", (r"bij welk onderwerp past het", r"die soort ken ik niet")),
    Kind("asks_need_postcode", "asks the postcode", (r"op welke postcode is het", r"dat is geen postcode")),
    Kind("asks_need_commitment", "asks how often",
         (r"hoe vaak is het\?", r"kies eenmalig, wekelijks, maandelijks of flexibel")),
    Kind("asks_email", "asks the initiative's e-mail address",
         (r"op welk e-mailadres", r"geen geldig e-mailadres")),
    Kind("asks_need_confirm", "shows the request and asks whether to save it",
         (r"zal ik het zo opslaan", r"^klopt dit\?$")),
    Kind("asks_need_fix", "asks what to change in the request",
         (r"wat wil je aanpassen", r"kies wat je wilt aanpassen")),
    Kind("need_saved", "the request is stored for the centre to check", (r"het is nog niet zichtbaar",)),
    Kind("need_rejected", "the request could not be stored", (r"het lukt nog niet om dit op te slaan",)),
    Kind("need_problem", "a problem with the answer just given (too short, too long, the wrong kind, ...)",
         (r"dat is wat kort", r"dat is te lang", r"ik kreeg geen antwoord", r"dat past niet bij deze vraag")),
    # A question for the centre, left after asking for a person (actions/handoff.py).
    Kind("asks_question_text", "asks the question for the centre",
         (r"wat is je vraag\? typ hem", r"typ je vraag maar", r"schrijf je vraag in een paar woorden")),
    Kind("asks_question_contact", "asks how the centre can reach the resident",
         (r"hoe kan het vrijwilligerscentrum je bereiken", r"typ een e-mailadres of een telefoonnummer")),
    Kind("asks_question_consent", "shows what goes to which centre and asks if that is all right",
         (r"^ik stuur je vraag(,| en) .+ naar .+\. is dat goed\?", r"als ik je vraag mag doorsturen")),
    Kind("question_sent", "the question went to the centre, with who answers and how soon",
         (r"je vraag is verstuurd naar",)),
    Kind("question_cancelled", "nothing sent after a no", (r"ik stuur niets door\. je vraag is niet bewaard",)),
    # An initiative's manage link (actions/manage_link_form.py): asked by mail address, never shown.
    Kind("asks_manage_email", "asks the address the initiative's listing was posted with",
         (r"waarmee je je vacature hebt aangemeld", r"dat lijkt me geen e-mailadres")),
    Kind("manage_link_sent", "the same quiet answer whether or not the address is known",
         (r"als dat adres bij ons bekend is, krijg je",)),
    # Calling off one's own sign-up (actions/withdraw.py).
    Kind("asks_withdraw_which", "asks which of the resident's sign-ups to call off",
         (r"voor welke aanmelding wil je je afmelden", r"die aanmelding vind ik niet bij jou")),
    Kind("asks_withdraw", "asks to confirm calling off one sign-up", (r"^wil je je afmelden\b", r"om je af te melden, of")),
    Kind("withdrawn", "the sign-up is called off and the initiative will be told",
         (r"je aanmelding( voor .+)? is gestopt",)),
    Kind("withdraw_kept", "the sign-up stays after a no", (r"je aanmelding blijft staan", r"die aanmelding loopt niet meer")),
    Kind("no_signups", "no running sign-up of this resident", (r"ik zie geen aanmelding van jou",)),
    # Trouble.
    Kind("apology", "a technical apology", (r"er gaat bij mij nu iets mis", r"er ging iets mis",
                                             r"ik kan je nu even niet helpen")),
)

KINDS: dict[str, Kind] = {kind.name: kind for kind in _KINDS}

# Groups the tests use by name.
QUESTIONS: frozenset[str] = frozenset({
    "asks_location", "asks_place_choice", "asks_interest", "asks_which", "asks_name", "asks_contact",
    "asks_consent", "asks_forget", "asks_need_initiative", "asks_need_title", "asks_need_description",
    "asks_need_category", "asks_need_postcode", "asks_need_commitment", "asks_email", "asks_need_confirm",
    "asks_need_fix", "asks_alert_email", "asks_question_text", "asks_question_contact", "asks_question_consent",
    "asks_manage_email", "asks_withdraw_which", "asks_withdraw",
})

# Never in any reply: an internal error, a template that was not filled, a Python None.
_INTERNAL_ERROR = re.compile(r"er ging iets mis|er gaat bij mij nu iets mis|traceback|exception", re.IGNORECASE)
_UNFILLED = re.compile(r"[{}]|\bNone\b|\bnull\b|\bnan\b|\$\{?\w+|%\(\w+\)s|<[a-z/][^>]*>")


def kinds_of(reply: Reply) -> set[str]:
    text, payloads = text_of(reply), payloads_of(reply)
    return {kind.name for kind in _KINDS if kind.seen_in(text, payloads)}


def unknown_kinds(names: Iterable[str]) -> list[str]:
    return [name for name in names if name not in KINDS]


def _signature(reply: Reply) -> tuple:
    return tuple((str(m.get("text") or "").strip(), tuple(payloads_of([m]))) for m in reply)


def _said(message: str) -> str:
    return " ".join(re.sub(r"[^\w@/{}\":]+", " ", message.lower()).split())


def global_problems(reply: Reply, message: str, previous_reply: Reply | None, previous_message: str | None) -> list[str]:
    """What is wrong with any reply, whatever was asked."""
    problems = []
    if not reply or not any((m.get("text") or "").strip() or m.get("buttons") or m.get("image") for m in reply):
        return ["no reply at all"]
    text = text_of(reply)
    if _INTERNAL_ERROR.search(text):
        problems.append("internal-error text")
    unfilled = _UNFILLED.search(text)
    if unfilled:
        problems.append(f"unfilled placeholder or raw value {unfilled.group(0)!r}")
    for button in buttons_of(reply):
        if not str(button.get("title") or "").strip() or not str(button.get("payload") or "").strip():
            problems.append(f"a button without title or payload: {button}")
    if (previous_reply is not None and previous_message is not None
            and _signature(reply) == _signature(previous_reply) and _said(message) != _said(previous_message)):
        problems.append("the same reply as to the previous message")
    return problems


@dataclass(frozen=True)
class TurnCheck:
    """A turn's expectations: `expect` any of, `all` every one of, `not` none of, `says` every substring."""

    expect: tuple[str, ...] = ()
    all: tuple[str, ...] = ()
    not_: tuple[str, ...] = ()
    says: tuple[str, ...] = ()

    def problems(self, reply: Reply) -> list[str]:
        seen = kinds_of(reply)
        found = []
        if self.expect and not seen & set(self.expect):
            found.append(f"expected one of {sorted(self.expect)}")
        missing = [k for k in self.all if k not in seen]
        if missing:
            found.append(f"expected also {missing}")
        unwanted = sorted(seen & set(self.not_))
        if unwanted:
            found.append(f"did not expect {unwanted}")
        text = text_of(reply).lower()
        absent = [s for s in self.says if s.lower() not in text]
        if absent:
            found.append(f"expected the words {absent}")
        return found


def describe(reply: Reply, limit: int = 400) -> str:
    """A reply as one short line for a report: its kinds, its text, its buttons' titles."""
    text = " / ".join(" ".join(str(m.get("text") or "").split()) for m in reply if m.get("text"))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    titles = [str(b.get("title")) for b in buttons_of(reply)]
    shown = f"[{', '.join(sorted(kinds_of(reply))) or '?'}] {text}"
    return shown + (f" {{buttons: {', '.join(titles[:8])}}}" if titles else "")
