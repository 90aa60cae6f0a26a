"""Follow-up of sign-ups on SQLite and PostgreSQL: reminder at day 7, question at day 10, and the answers.

The clock is the tests'; mails are read from the outbox they were queued in.
"""

from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

from doemee import followup, notify
from doemee.attention import attention
from doemee.mail_links import LinkState
from doemee.residents import Contact
from doemee.settings import Settings
from doemee.signups import sign_up
from doemee.storage.models import FollowUpAnswer, Opportunity, SignUp, SignUpStatus
from tests.domain.factories import UTRECHT_EAST, make_opportunity
from tests.support.outbox import bodies, mails

T0 = datetime(2026, 11, 2, 10, 0, tzinfo=timezone.utc)
SETTINGS = Settings(secret_key="followup-test-key", public_url="http://doemee.test")
SENDER = "telegram:4242"


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def signed_up(database, *, channel: str = "telegram", sender: str = SENDER, contact: Contact | None = None,
              at: datetime = T0, title: str = "Taalmaatje") -> int:
    with database.session() as session:
        opportunity = make_opportunity(session, title=title, initiative="Taalhuis Oost", category="taal",
                                       contact_email="taal@example.org", created_at=at - timedelta(days=1))
        contact = contact or Contact("email", "sanne@mail.nl")
        return sign_up(session, channel, sender, opportunity.id, "Sanne", contact, "ok", now=at).sign_up_id


def run(database, moment: datetime) -> followup.Round:
    return followup.run_once(database, SETTINGS, moment)


def row(database, sign_up_id: int) -> SignUp:
    with database.session() as session:
        return session.get(SignUp, sign_up_id)


def token(body: str, choice: str) -> str:
    link = re.search(rf"{choice}: (http://doemee\.test{followup.ANSWER_PATH}\?\S+)", body).group(1)
    return parse_qs(urlsplit(link).query)["token"][0]


def test_a_sign_up_left_alone_reminds_the_initiative_at_day_seven_with_its_manage_link(database):
    signed_up(database)
    assert run(database, day(6.9)).reminded == 0
    assert run(database, day(7)) == followup.Round(1, 0)
    [message] = mails(database, followup.REMINDER_KIND)
    assert message["To"] == "taal@example.org"
    body = message.get_content()
    assert "Sanne" in body and "sanne@mail.nl" in body and '"Taalmaatje"' in body
    assert "http://doemee.test/initiatief/beheer/" in body
    assert run(database, day(8)).reminded == 0


def test_at_day_ten_the_resident_with_an_address_is_mailed_the_question(database):
    sign_up_id = signed_up(database)
    run(database, day(7))
    assert run(database, day(9.9)).asked == 0
    assert run(database, day(10)) == followup.Round(0, 1)
    [message] = mails(database, followup.QUESTION_KIND)
    assert message["To"] == "sanne@mail.nl"
    body = message.get_content()
    assert "Heeft Taalhuis Oost contact met je opgenomen?" in body
    assert row(database, sign_up_id).resident_asked_at is not None


def test_a_resident_reachable_by_phone_only_gets_no_mail_but_is_still_asked(database):
    sign_up_id = signed_up(database, contact=Contact("phone", "0612345678"))
    assert run(database, day(10)).asked == 1
    assert mails(database, followup.QUESTION_KIND) == []
    with database.session() as session:
        [pushed] = followup.questions_to_push(session, "telegram", day(10))
    assert (pushed.sender_id, pushed.question.sign_up_id) == (SENDER, sign_up_id)


def test_a_sign_up_marked_contacted_gets_no_reminder_and_no_question(database):
    sign_up_id = signed_up(database)
    with database.session() as session:
        session.get(SignUp, sign_up_id).status = SignUpStatus.CONTACTED
    assert run(database, day(7)) == followup.Round(0, 0)
    assert run(database, day(10)) == followup.Round(0, 0)
    assert mails(database, followup.REMINDER_KIND) == mails(database, followup.QUESTION_KIND) == []


def test_sign_ups_from_long_ago_are_left_alone(database):
    signed_up(database, at=day(-40))
    assert run(database, T0) == followup.Round(0, 0)


def test_two_rounds_at_once_remind_and_ask_once(database):
    ids = [signed_up(database, sender=f"telegram:{n}", title=f"Plek {n}") for n in range(8)]
    start = threading.Barrier(2)
    results: list[followup.Round] = []

    def round_() -> None:
        start.wait()
        results.append(run(database, day(11)))

    threads = [threading.Thread(target=round_) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.reminded for r in results) == len(ids)
    assert sum(r.asked for r in results) == len(ids)
    assert len(mails(database, followup.REMINDER_KIND)) == len(ids)
    assert len(mails(database, followup.QUESTION_KIND)) == len(ids)


def test_the_widget_shows_a_pending_question_once(database):
    sign_up_id = signed_up(database, channel="web", sender="web-" + "a" * 32)
    with database.session() as session:
        assert followup.pending_question(session, "web", "web-" + "a" * 32, day(9)) is None
    run(database, day(10))
    with database.session() as session:
        question = followup.pending_question(session, "web", "web-" + "a" * 32, day(11))
        assert followup.pending_question(session, "web", "web-" + "b" * 32, day(11)) is None
    assert question.sign_up_id == sign_up_id
    assert "Heeft Taalhuis Oost contact met je opgenomen?" in question.text
    with database.session() as session:
        assert followup.pending_question(session, "web", "web-" + "a" * 32, day(12)) is None


def test_answering_no_gives_the_contact_again_two_alternatives_and_a_place_on_vandaag(database):
    sign_up_id = signed_up(database)
    with database.session() as session:
        for n in range(3):
            make_opportunity(session, title=f"Taalcafé {n}", category="taal", lat=UTRECHT_EAST[0], lon=UTRECHT_EAST[1])
        make_opportunity(session, title="Voetbaltrainer", category="sport")
        centre_id = session.get(Opportunity, session.get(SignUp, sign_up_id).opportunity_id).centre_id
    run(database, day(10))
    with database.session() as session:
        done = followup.answer_as(session, "telegram", SENDER, sign_up_id, FollowUpAnswer.NO, day(11), SETTINGS)
    assert done is not None and done.answer is FollowUpAnswer.NO
    assert "taal@example.org" in done.text
    assert len(done.alternatives) == 2
    assert all(m.opportunity.title.startswith("Taalcafé") for m in done.alternatives)
    assert all(m.opportunity.title in done.text for m in done.alternatives)
    assert row(database, sign_up_id).status is SignUpStatus.NEW
    with database.session() as session:
        found = attention(session, frozenset({centre_id}), day(11))
        elsewhere = attention(session, frozenset({centre_id + 1000}), day(11))
    assert [(u.title, u.initiative, u.contact_email) for u in found.unanswered] == [
        ("Taalmaatje", "Taalhuis Oost", "taal@example.org"),
    ]
    assert elsewhere.unanswered == []


def test_answering_yes_marks_the_sign_up_contacted(database):
    sign_up_id = signed_up(database)
    run(database, day(10))
    with database.session() as session:
        done = followup.answer_as(session, "telegram", SENDER, sign_up_id, FollowUpAnswer.YES, day(11), SETTINGS)
    assert "Fijn" in done.text
    after = row(database, sign_up_id)
    assert (after.status, after.resident_answer) == (SignUpStatus.CONTACTED, FollowUpAnswer.YES)


def test_not_needed_withdraws_the_sign_up_and_tells_the_initiative(database):
    sign_up_id = signed_up(database)
    run(database, day(10))
    with database.session() as session:
        followup.answer_as(session, "telegram", SENDER, sign_up_id, FollowUpAnswer.NOT_NEEDED, day(11), SETTINGS)
    assert row(database, sign_up_id).status is SignUpStatus.WITHDRAWN
    [message] = mails(database, notify.WITHDRAWN_KIND)
    assert message["To"] == "taal@example.org"
    assert "Sanne" in message.get_content()


def test_nobody_answers_for_someone_else_or_for_a_made_up_sign_up(database):
    sign_up_id = signed_up(database)
    run(database, day(10))
    with database.session() as session:
        for channel, sender, number in [
            ("telegram", "telegram:999", sign_up_id), ("web", SENDER, sign_up_id),
            ("telegram", SENDER, sign_up_id + 1000), ("telegram", SENDER, -1), ("telegram", SENDER, 2**40),
            ("telegram", SENDER, "1; DROP TABLE sign_up"), ("telegram", SENDER, True),
        ]:
            assert followup.answer_as(session, channel, sender, number, FollowUpAnswer.NO, day(11)) is None
    after = row(database, sign_up_id)
    assert (after.status, after.resident_answer) == (SignUpStatus.NEW, None)


def test_a_sign_up_never_asked_about_cannot_be_answered(database):
    sign_up_id = signed_up(database)
    with database.session() as session:
        assert followup.answer_as(session, "telegram", SENDER, sign_up_id, FollowUpAnswer.NO, day(3)) is None


def test_the_mailed_links_ask_on_opening_and_answer_on_the_button(database):
    sign_up_id = signed_up(database)
    run(database, day(10))
    [body] = bodies(database, followup.QUESTION_KIND)
    no = token(body, "Nee")
    with database.session() as session:
        opened = followup.link_state(session, no, SETTINGS, day(11))
    assert opened.state is LinkState.OPEN and "Nee" in opened.text
    assert row(database, sign_up_id).resident_answer is None
    with database.session() as session:
        used = followup.answer_by_link(session, no, SETTINGS, day(11))
    assert used.state is LinkState.DONE and "taal@example.org" in used.text
    assert row(database, sign_up_id).resident_answer is FollowUpAnswer.NO
    with database.session() as session:
        followup.answer_by_link(session, token(body, "Ja"), SETTINGS, day(12))
    assert row(database, sign_up_id).status is SignUpStatus.CONTACTED


def test_forged_altered_and_expired_answer_links_change_nothing(database):
    sign_up_id = signed_up(database)
    run(database, day(10))
    [body] = bodies(database, followup.QUESTION_KIND)
    yes = token(body, "Ja")
    other = followup.answer_link(Settings(secret_key="not-ours", public_url="http://doemee.test"), sign_up_id,
                                 FollowUpAnswer.YES, day(10))
    with database.session() as session:
        for bad in ("", "x" * 1000, yes[:-4] + "AAAA", parse_qs(urlsplit(other).query)["token"][0], "<script>"):
            assert followup.answer_by_link(session, bad, SETTINGS, day(11)).state is LinkState.INVALID
        assert followup.answer_by_link(session, yes, SETTINGS, day(41)).state is LinkState.EXPIRED
    after = row(database, sign_up_id)
    assert (after.status, after.resident_answer) == (SignUpStatus.NEW, None)


def test_the_centre_takes_a_no_off_vandaag_and_another_centre_cannot(database):
    sign_up_id = signed_up(database)
    run(database, day(10))
    with database.session() as session:
        followup.answer_as(session, "telegram", SENDER, sign_up_id, FollowUpAnswer.NO, day(11), SETTINGS)
        centre_id = session.get(Opportunity, session.get(SignUp, sign_up_id).opportunity_id).centre_id
    with database.session() as session:
        assert followup.mark_handled(session, [centre_id + 1000], sign_up_id, day(12)) is None
        assert followup.mark_handled(session, [centre_id], sign_up_id + 1000, day(12)) is None
        assert followup.mark_handled(session, [centre_id], "1 OR 1=1", day(12)) is None
        assert len(attention(session, frozenset({centre_id}), day(12)).unanswered) == 1
        assert followup.mark_handled(session, [centre_id], sign_up_id, day(12)) == centre_id
        assert attention(session, frozenset({centre_id}), day(12)).unanswered == []
    # A yes in between, then a new no: new work for the centre.
    with database.session() as session:
        followup.answer(session, sign_up_id, FollowUpAnswer.YES, day(13), SETTINGS)
        session.get(SignUp, sign_up_id).status = SignUpStatus.NEW
        followup.answer(session, sign_up_id, FollowUpAnswer.NO, day(14), SETTINGS)
        assert len(attention(session, frozenset({centre_id}), day(14)).unanswered) == 1
