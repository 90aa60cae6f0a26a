"""Moderating needs from the chat, on SQLite and PostgreSQL (via `db`)."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from doemee.geo.index import get_geo_index
from doemee.matching.engine import find
from doemee.matching.query import SearchQuery
from doemee.moderation import ModerationError, approve, list_concepts, notify_decision, reject
from doemee.outbox import parsed, plain_text
from doemee.needs import NeedDraft, post_need
from doemee.settings import Settings
from doemee.storage.models import Opportunity
from tests.domain.factories import UTRECHT, make_opportunity

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=timezone.utc)


def concept(db, title: str = "Hulp bij de buurttuin", days_ago: int = 2, **values) -> Opportunity:
    return make_opportunity(
        db, title=title, status="concept", created_at=NOW - timedelta(days=days_ago), **values,
    )


def near_utrecht() -> SearchQuery:
    return SearchQuery(lat=UTRECHT[0], lon=UTRECHT[1], origin="3511", pc4="3511", municipality_code="0344")


def test_concepts_are_listed_oldest_first_with_what_the_centre_needs(db):
    newer = concept(db, "Nieuw", days_ago=1, initiative="Buurttuin Oost", contact_email="oost@example.org")
    older = concept(db, "Oud", days_ago=5)
    listed = list_concepts(db)
    assert [c.id for c in listed] == [older.id, newer.id]
    shown = listed[1]
    assert (shown.initiative, shown.title, shown.category_label, shown.place, shown.contact_email) == (
        "Buurttuin Oost", "Nieuw", "Natuur, groen en tuinieren", "Utrecht", "oost@example.org")
    assert shown.created_at == NOW - timedelta(days=1)


def test_only_concepts_are_listed(db):
    for status in ("open", "closed", "filled"):
        make_opportunity(db, status=status)
    waiting = concept(db)
    assert [c.id for c in list_concepts(db)] == [waiting.id]


def test_a_need_posted_in_the_chat_waits_in_the_list_and_is_found_once_approved(db):
    posted = post_need(db, get_geo_index(), NeedDraft(
        initiative_name="Repair Café Lombok", title="Reparateurs gezocht",
        description="Wij zoeken mensen die graag fietsen en lampen repareren.", category="klussen",
        postcode="3511", time_commitment="maandelijks", contact_email="repair@example.org",
    ))
    assert [c.id for c in list_concepts(db)] == [posted.opportunity_id]
    assert find(db, near_utrecht()).matches == ()

    decision = approve(db, posted.opportunity_id, now=NOW)

    assert decision.approved and decision.status == "open"
    assert (decision.initiative, decision.contact_email) == ("Repair Café Lombok", "repair@example.org")
    assert [m.opportunity.id for m in find(db, near_utrecht()).matches] == [posted.opportunity_id]
    assert list_concepts(db) == []


def test_a_rejected_concept_is_closed_and_never_matched(db):
    waiting = concept(db)
    decision = reject(db, waiting.id, "Dit is betaald werk, geen vrijwilligerswerk.")
    assert (decision.approved, decision.status) == (False, "closed")
    assert decision.reason == "Dit is betaald werk, geen vrijwilligerswerk."
    assert db.get(Opportunity, waiting.id).status == "closed"
    assert find(db, near_utrecht()).matches == ()


def test_an_approved_concept_is_published_at_the_moment_of_approval(db):
    waiting = concept(db)
    approve(db, waiting.id, now=NOW)
    published = db.get(Opportunity, waiting.id).published_at
    assert published.replace(tzinfo=published.tzinfo or timezone.utc) == NOW


def test_a_concept_past_its_last_day_stays_closed_when_approved(db):
    waiting = concept(db)
    waiting.valid_until = date(2025, 3, 1)
    assert approve(db, waiting.id, now=NOW).status == "closed"
    assert db.get(Opportunity, waiting.id).published_at is None


@pytest.mark.parametrize("status", ["open", "closed", "filled"])
def test_only_a_concept_can_be_approved_or_rejected(db, status):
    decided = make_opportunity(db, status=status)
    with pytest.raises(ModerationError, match=f"Oproep {decided.id} wacht niet op controle"):
        approve(db, decided.id, now=NOW)
    with pytest.raises(ModerationError):
        reject(db, decided.id)
    assert db.get(Opportunity, decided.id).status == status


def test_an_unknown_id_is_a_dutch_error(db):
    with pytest.raises(ModerationError, match="Oproep 999999 bestaat niet"):
        approve(db, 999999, now=NOW)


def test_a_reason_is_one_line_and_a_huge_one_is_refused(db):
    waiting = concept(db)
    with pytest.raises(ModerationError, match="te lang"):
        reject(db, waiting.id, "x" * 5000)
    assert db.get(Opportunity, waiting.id).status == "concept"
    assert reject(db, waiting.id, "  Te \x1b[31m vaag\nomschreven  ").reason == "Te [31m vaag omschreven"


def test_the_initiative_gets_an_email_about_approval(db, caplog):
    decision = approve(db, concept(db, "Voorlezen", contact_email="lees@example.org").id, now=NOW)
    with caplog.at_level(logging.INFO):
        row = notify_decision(db, decision, replace(Settings(), smtp_host=None))
    message = parsed(row)
    assert message["To"] == "lees@example.org" and row.centre_id == decision.centre_id
    assert "Voorlezen" in message["Subject"]
    assert "staat nu in DoeMee" in plain_text(row)
    assert "lees@example.org" not in caplog.text


def test_a_rejection_email_gives_the_reason_and_whom_to_ask(db):
    decision = reject(db, concept(db).id, "Geen adres in Nederland.")
    settings = replace(Settings(), smtp_host=None, handoff_contact="het centrum, 030 1")
    row = notify_decision(db, decision, settings)
    text = plain_text(row)
    assert "De reden: Geen adres in Nederland." in text and "het centrum, 030 1" in text
    assert "niet in DoeMee" in parsed(row)["Subject"]
