import pytest
from sqlalchemy import func, select

from doemee.residents import Contact
from doemee.signups import OpportunityUnavailable, sign_up
from doemee.storage.models import Resident, SignUp
from tests.domain.factories import make_opportunity

EMAIL = Contact("email", "sanne@mail.nl")


def test_signing_up_stores_consent_name_and_contact(db):
    opportunity = make_opportunity(db)
    outcome = sign_up(db, "rest", "s1", opportunity.id, "Sanne", EMAIL, "Ik geef toestemming.")
    row = db.get(SignUp, outcome.sign_up_id)
    assert outcome.created
    assert (row.first_name, row.contact, row.consent_text) == ("Sanne", "sanne@mail.nl", "Ik geef toestemming.")
    assert outcome.opportunity.contact_email == "tuin@example.org"
    assert db.scalar(select(Resident.email).where(Resident.sender_id == "s1")) == "sanne@mail.nl"


def test_a_repeated_sign_up_never_duplicates(database):
    with database.session() as session:
        opportunity_id = make_opportunity(session).id
    outcomes = []
    for _ in range(3):
        with database.session() as session:
            outcomes.append(sign_up(session, "rest", "s2", opportunity_id, "Sanne", EMAIL, "ok"))
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(SignUp)) == 1
    assert [o.created for o in outcomes] == [True, False, False]
    assert len({o.sign_up_id for o in outcomes}) == 1


def test_nobody_can_sign_up_for_a_closed_opportunity(db):
    opportunity = make_opportunity(db, status="closed")
    with pytest.raises(OpportunityUnavailable):
        sign_up(db, "rest", "s3", opportunity.id, "Sanne", EMAIL, "ok")
    assert db.scalar(select(func.count()).select_from(SignUp)) == 0
