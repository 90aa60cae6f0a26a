"""The initiative's notices: built in Dutch, queued in the outbox of the caller's transaction."""

from doemee.notify import ModerationNotice, SignUpNotice, queue_moderation_notice, queue_signup_notice
from doemee.settings import Settings
from doemee.storage.models import MailStatus
from tests.support.outbox import bodies, mails, queued

NOTICE = SignUpNotice("tuin@example.org", "Buurttuin Oost", "Tuinieren", "Sanne", "sanne@mail.nl")


def test_a_sign_up_notice_is_queued_to_the_initiative_with_the_residents_contact_in_the_body(database):
    with database.session() as session:
        queue_signup_notice(session, NOTICE, Settings(), centre_id=None, resident_id=None)
    [row] = queued(database, "signup")
    [message] = mails(database, "signup")
    assert (row.status, row.to_address, message["To"]) == (MailStatus.QUEUED, "tuin@example.org", "tuin@example.org")
    assert message["Message-ID"] and message["Date"]
    assert "Sanne" in bodies(database)[0] and "sanne@mail.nl" in bodies(database)[0]


def test_a_rejection_notice_carries_the_reason_and_the_centre(database):
    notice = ModerationNotice("tuin@example.org", "Buurttuin Oost", "Tuinieren", approved=False, reason="Betaald werk.")
    with database.session() as session:
        queue_moderation_notice(session, notice, Settings(), centre_id=None)
    [body] = bodies(database, "moderation")
    assert "Betaald werk." in body
