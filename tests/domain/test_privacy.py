from sqlalchemy import func, select

from doemee.alerts import AlertCriteria, subscribe
from doemee.privacy import forget
from doemee.residents import Contact
from doemee.signups import sign_up
from doemee.storage.models import AlertSubscription, Resident, SignUp
from tests.domain.factories import UTRECHT, make_opportunity


def test_forgetting_removes_the_resident_and_blanks_their_sign_ups(db):
    opportunity = make_opportunity(db)
    sign_up(db, "rest", "gone", opportunity.id, "Sanne", Contact("email", "s@mail.nl"), "ok")
    subscribe(db, "rest", "gone", AlertCriteria(*UTRECHT, pc4="3511", interests=("groen",)))
    sign_up(db, "rest", "stays", opportunity.id, "Piet", Contact("phone", "0612345678"), "ok")

    report = forget(db, "gone")

    assert (report.residents, report.sign_ups_blanked, report.subscriptions) == (1, 1, 1)
    assert db.scalar(select(Resident).where(Resident.sender_id == "gone")) is None
    blanked = db.scalars(select(SignUp).where(SignUp.resident_id.is_(None))).one()
    assert (blanked.first_name, blanked.contact) == (None, None)
    assert db.scalar(select(func.count()).select_from(AlertSubscription)) == 0
    kept = db.scalars(select(SignUp).where(SignUp.resident_id.is_not(None))).one()
    assert kept.first_name == "Piet"


def test_forgetting_an_unknown_sender_changes_nothing(db):
    assert forget(db, "never-seen").residents == 0
