"""`doemee concepts`, `approve` and `reject`: the centre moderates needs from the chat."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from doemee.outbox import plain_text
from tests.cli.runner import doemee, opportunities
from tests.domain.factories import make_opportunity
from tests.support.outbox import queued


def _concepts(database) -> tuple[int, int]:
    now = datetime.now(timezone.utc)
    with database.session() as session:
        older = make_opportunity(session, title="Voorlezen op school", category="jeugd", status="concept",
                                 created_at=now - timedelta(days=4), contact_email="lees@example.org")
        newer = make_opportunity(session, title="Tuinhulp gezocht", status="concept",
                                 created_at=now - timedelta(days=1), contact_email="tuin@example.org")
        return older.id, newer.id


def test_the_centre_lists_approves_and_rejects_concepts_and_the_initiatives_get_an_email(database, tmp_path):
    older, newer = _concepts(database)

    listed = doemee(database.url, "concepts")
    assert listed.code == 0, listed.stderr
    assert "Er wachten 2 oproepen op controle" in listed.stdout
    assert listed.stdout.index("Voorlezen op school") < listed.stdout.index("Tuinhulp gezocht")
    assert "lees@example.org" in listed.stdout and "Kinderen en jongeren" in listed.stdout

    approved = doemee(database.url, "approve", str(older))
    assert approved.code == 0, approved.stderr
    assert f"Oproep {older} (\"Voorlezen op school\") is goedgekeurd" in approved.stdout
    assert "De e-mail aan lees@example.org staat klaar" in approved.stdout
    rejected = doemee(database.url, "reject", str(newer), "--reason", "Dit is betaald werk.")
    assert rejected.code == 0, rejected.stderr

    sent = {row.to_address: plain_text(row) for row in queued(database, "moderation")}
    assert set(sent) == {"lees@example.org", "tuin@example.org"}
    assert "De reden: Dit is betaald werk." in sent["tuin@example.org"]
    assert {o.title: o.status for o in opportunities(database).values()} == {
        "Voorlezen op school": "open", "Tuinhulp gezocht": "closed"}
    assert json.loads(doemee(database.url, "concepts", "--json").stdout) == []


def test_deciding_twice_or_on_an_unknown_id_is_exit_2_and_one_dutch_line(database, tmp_path):
    with database.session() as session:
        opened = make_opportunity(session, status="open").id
    for args, expected in [
        (["approve", str(opened)], f"Oproep {opened} wacht niet op controle: hij is al open."),
        (["reject", "424242"], "Oproep 424242 bestaat niet. Kijk met doemee concepts welke oproepen wachten."),
    ]:
        result = doemee(database.url, *args)
        assert (result.code, result.error_lines) == (2, [expected])
    assert queued(database) == []


@pytest.mark.parametrize("args", [["approve", "abc"], ["reject"], ["approve", "0"]])
def test_a_bad_id_is_a_usage_error_in_dutch(args, tmp_path):
    result = doemee(f"sqlite:///{tmp_path / 'vers.db'}", *args)
    assert result.code == 2 and len(result.error_lines) == 1 and "Zie doemee" in result.stderr


@pytest.mark.parametrize("name", ["concepts", "approve", "reject", "demand"])
def test_help_works_in_dutch_for_the_moderation_and_demand_commands(name):
    result = doemee(None, name, "--help")
    assert result.code == 0 and "gebruik: doemee" in result.stdout and "toon deze hulp" in result.stdout
