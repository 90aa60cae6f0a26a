"""Server-rendered HTML: the demo page and the plain listing of open opportunities.

Every value from the database goes through `html.escape`; initiatives type
their own titles and descriptions, so they are untrusted text.
"""

from __future__ import annotations

from html import escape
from itertools import groupby
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from doemee import messages
from doemee.categories import LABELS
from doemee.listing import Listing
from doemee.matching.query import OpportunityView

TEMPLATES = Path(__file__).resolve().parent / "templates"
GEONAMES_URL = "https://www.geonames.org/"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def demo_page() -> str:
    return (TEMPLATES / "demo.html").read_text(encoding="utf-8")


def layout(title: str, body: str) -> str:
    """The frame every server-rendered page shares; `body` must already be escaped HTML."""
    return _layout(title, body)


def _layout(title: str, body: str) -> str:
    return (
        "<!doctype html>\n"
        '<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        '<link rel="stylesheet" href="/static/site.css">\n'
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def _footer() -> str:
    return (
        '<footer class="site-footer"><p>'
        + escape(messages.WEB_GEONAMES_CREDIT).format(
            geonames=f'<a href="{GEONAMES_URL}" rel="noopener noreferrer">GeoNames</a>',
            licence=f'<a href="{LICENCE_URL}" rel="noopener noreferrer">CC BY 4.0</a>',
        )
        + "</p></footer>"
    )


def _safe_url(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _count(n: int) -> str:
    form = messages.WEB_LISTING_COUNT.get(n, messages.WEB_LISTING_COUNT["other"])
    return form.format(count=n)


def _item(o: OpportunityView) -> str:
    facts = [escape(LABELS.get(o.category, o.category)), escape(messages.WEB_TIME_COMMITMENT.get(o.time_commitment, o.time_commitment))]
    if o.day_parts:
        facts.append(escape(", ".join(messages.WEB_DAY_PARTS.get(p, p) for p in o.day_parts)))
    if o.remote:
        facts.append(escape(messages.WEB_LISTING_REMOTE))
    if o.valid_until:
        facts.append(escape(messages.WEB_LISTING_UNTIL.format(date=o.valid_until.strftime("%d-%m-%Y"))))
    initiative = escape(messages.WEB_LISTING_INITIATIVE.format(name=o.initiative))
    website = _safe_url(o.initiative_website)
    if website:
        initiative = f'<a href="{escape(website)}" rel="noopener noreferrer">{initiative}</a>'
    return (
        f'<li class="opportunity" id="kans-{o.id}">'
        f"<h3>{escape(o.title)}</h3>"
        f'<p class="initiative">{initiative}</p>'
        f'<p class="facts">{" · ".join(facts)}</p>'
        f'<p class="description">{escape(o.description)}</p>'
        "</li>"
    )


def _filter_form(places: list[str], chosen: str | None, centre: str | None) -> str:
    options = [f'<option value="">{escape(messages.WEB_LISTING_ALL_PLACES)}</option>']
    for place in places:
        selected = " selected" if place == chosen else ""
        options.append(f'<option value="{escape(place)}"{selected}>{escape(place)}</option>')
    hidden = f'<input type="hidden" name="centre" value="{escape(centre)}">' if centre else ""
    return (
        '<form class="filter" method="get" action="/kansen">'
        f'<label for="plaats">{escape(messages.WEB_LISTING_FILTER_LABEL)}</label> '
        f'<select id="plaats" name="plaats">{"".join(options)}</select> '
        f"{hidden}"
        f'<button type="submit">{escape(messages.WEB_LISTING_FILTER_BUTTON)}</button>'
        "</form>"
    )


def listing_page(listing: Listing, chosen_place: str | None = None, centre: str | None = None) -> str:
    parts = [
        '<main class="listing">',
        f"<h1>{escape(messages.WEB_LISTING_TITLE)}</h1>",
        f"<p>{escape(messages.WEB_LISTING_INTRO)}</p>",
        _filter_form(listing.places, chosen_place, centre),
        f'<p class="count" role="status">{escape(_count(len(listing.opportunities)))}</p>',
    ]
    if not listing.opportunities:
        parts.append(f'<p class="empty">{escape(messages.WEB_LISTING_EMPTY)}</p>')
    if listing.truncated:
        parts.append(f'<p class="truncated">{escape(messages.WEB_LISTING_TRUNCATED.format(shown=len(listing.opportunities)))}</p>')
    for place, items in groupby(listing.opportunities, key=lambda o: o.place):
        query = urlencode({"plaats": place, **({"centre": centre} if centre else {})})
        parts.append(
            f'<section class="place"><h2><a href="/kansen?{escape(query)}">{escape(place)}</a></h2>'
            f'<ul>{"".join(_item(o) for o in items)}</ul></section>'
        )
    parts.append(f'<p class="chat-hint">{escape(messages.WEB_LISTING_CHAT_HINT)}</p>')
    parts.append("</main>")
    parts.append(_footer())
    return _layout(messages.WEB_LISTING_TITLE, "\n".join(parts))


def error_page(text: str) -> str:
    return _layout(text, f'<main class="listing"><h1>{escape(text)}</h1><p><a href="/">DoeMee</a></p></main>')
