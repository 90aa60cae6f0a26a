"""Server-rendered HTML: the demo page, the plain listing of open opportunities, error pages.

The markup lives in templates/ and Jinja escapes every value; initiatives
type their own titles and descriptions, so none of it is trusted. This
module only decides what the listing shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from urllib.parse import urlencode, urlsplit

from bot.web.templating import render
from doemee import messages
from doemee.categories import LABELS
from doemee.listing import Listing
from doemee.matching.query import OpportunityView


@dataclass(frozen=True)
class _Card:
    opportunity: OpportunityView
    facts: list[str]
    website: str | None


@dataclass(frozen=True)
class _Group:
    place: str
    query: str
    cards: list[_Card]


def demo_page() -> str:
    return render("demo.html")


def error_page(text: str) -> str:
    return render("error.html", text=text)


def listing_page(listing: Listing, chosen_place: str | None = None, centre: str | None = None) -> str:
    shown = len(listing.opportunities)
    groups = [
        _Group(
            place=place,
            # Keeps the centre's region when a resident follows a place heading.
            query=urlencode({"plaats": place, **({"centre": centre} if centre else {})}),
            cards=[_card(o) for o in items],
        )
        for place, items in groupby(listing.opportunities, key=lambda o: o.place)
    ]
    return render(
        "listing.html",
        places=listing.places,
        chosen=chosen_place,
        centre=centre,
        count=messages.WEB_LISTING_COUNT.get(shown, messages.WEB_LISTING_COUNT["other"]).format(count=shown),
        truncated=listing.truncated,
        shown=shown,
        groups=groups,
    )


def _card(o: OpportunityView) -> _Card:
    facts = [LABELS.get(o.category, o.category), messages.WEB_TIME_COMMITMENT.get(o.time_commitment, o.time_commitment)]
    if o.day_parts:
        facts.append(", ".join(messages.WEB_DAY_PARTS.get(p, p) for p in o.day_parts))
    if o.remote:
        facts.append(messages.WEB_LISTING_REMOTE)
    if o.valid_until:
        facts.append(messages.WEB_LISTING_UNTIL.format(date=o.valid_until.strftime("%d-%m-%Y")))
    return _Card(opportunity=o, facts=facts, website=_safe_url(o.initiative_website))


def _safe_url(url: str | None) -> str | None:
    """Escaping keeps a typed website inside its attribute, not out of `javascript:`; only web addresses become links."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None
