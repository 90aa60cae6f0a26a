"""`doemee staff add`: an invitation for the portal, mailed and printed once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from doemee.storage.models import StaffMember, StaffRole, StaffToken
from doemee.outbox import plain_text
from tests.cli.runner import doemee
from tests.support.outbox import queued


def test_staff_add_creates_an_invitation_mails_it_and_prints_the_link_once(database, tmp_path):
    result = doemee(database.url, "staff", "add", "Sanne@Example.org", "--centre", "amsterdam", "--admin",
                    DOEMEE_PUBLIC_URL="https://doemee.example.org")
    assert result.code == 0, result.stderr
    links = [line for line in result.stdout.splitlines() if "/portaal/uitnodiging/" in line]
    assert len(links) == 1 and links[0].startswith("https://doemee.example.org/portaal/uitnodiging/")
    assert "sanne@example.org is uitgenodigd als beheerder" in result.stdout
    [mail] = queued(database, "staff-invite")
    assert mail.to_address == "sanne@example.org"
    assert links[0] in plain_text(mail)
    with database.session() as session:
        member = session.scalar(select(StaffMember))
        assert (member.email, member.role, member.password_hash, member.centre.slug) == (
            "sanne@example.org", StaffRole.ADMIN, None, "amsterdam")
        assert links[0].rsplit("/", 1)[1] not in session.scalar(select(StaffToken.token_hash))


@pytest.mark.parametrize(("args", "expected"), [
    (["nergens@example.org", "--centre", "nergens"], "Centrum 'nergens' ken ik niet. Kies uit: utrecht, amsterdam."),
    (["geen adres", "--centre", "utrecht"], "'geen adres' is geen goed e-mailadres. Voorbeeld: naam@vrijwilligerscentrum.nl."),
    (["", "--centre", "utrecht"], "'' is geen goed e-mailadres. Voorbeeld: naam@vrijwilligerscentrum.nl."),
])
def test_an_unknown_centre_or_a_bad_address_is_exit_2_and_one_dutch_line(database, tmp_path, args, expected):
    result = doemee(database.url, "staff", "add", *args)
    assert (result.code, result.error_lines, result.stdout) == (2, [expected], "")
    assert queued(database) == []


def test_inviting_an_existing_member_again_is_exit_2(database, tmp_path):
    first = doemee(database.url, "staff", "add", "sanne@example.org", "--centre", "utrecht")
    again = doemee(database.url, "staff", "add", "SANNE@example.org", "--centre", "utrecht")
    assert first.code == 0
    assert again.code == 2 and again.error_lines == [
        "sanne@example.org heeft al een account voor het portaal. "
        "Wachtwoord vergeten? Dat kan op /portaal/wachtwoord-vergeten."]


def test_staff_add_without_a_centre_is_a_dutch_usage_error(tmp_path):
    result = doemee(f"sqlite:///{tmp_path / 'vers.db'}", "staff", "add", "sanne@example.org")
    assert result.code == 2 and len(result.error_lines) == 1 and "--centre" in result.stderr


@pytest.mark.parametrize("args", [["staff", "--help"], ["staff", "add", "--help"]])
def test_staff_help_is_dutch(args):
    result = doemee(None, *args)
    assert result.code == 0 and "gebruik: doemee staff" in result.stdout and "toon deze hulp" in result.stdout
