from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from doemee.storage.models import Category, Initiative, Opportunity, Resident, SignUp


def _opportunity(initiative: Initiative, external_id: str = "a1") -> Opportunity:
    return Opportunity(
        source="csv", external_id=external_id, initiative=initiative, title="Tuinier gezocht",
        description="Help mee in de buurttuin.", category="groen", postcode="3511 AB", pc4="3511",
        place="Utrecht", municipality_code="0344", lat=52.09, lon=5.11, time_commitment="wekelijks",
        contact_email="tuin@example.org", valid_until=date(2030, 1, 1),
    )


def test_migration_seeds_all_fourteen_categories(db):
    assert db.scalar(select(func.count()).select_from(Category)) == 14


def test_same_external_id_from_one_source_is_rejected(database):
    with database.session() as s:
        ini = Initiative(name="Buurttuin Lombok")
        s.add_all([_opportunity(ini), _opportunity(ini)])
        with pytest.raises(IntegrityError):
            s.flush()
        s.rollback()


def test_a_resident_signs_up_for_an_opportunity_only_once(database):
    with database.session() as s:
        opp = _opportunity(Initiative(name="Repair Café Oost"))
        resident = Resident(channel="telegram", sender_id="42")
        s.add_all([opp, resident])
        s.flush()
        s.add_all([
            SignUp(resident_id=resident.id, opportunity_id=opp.id, consent_text="ok"),
            SignUp(resident_id=resident.id, opportunity_id=opp.id, consent_text="ok"),
        ])
        with pytest.raises(IntegrityError):
            s.flush()
        s.rollback()


def test_migrations_build_exactly_the_schema_the_models_describe(database):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from doemee.storage.models import Base

    with database.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
