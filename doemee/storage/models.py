"""Typed SQLAlchemy 2 models of the collectives database.

Residents are pseudonymous: a channel and that channel's sender id, with a
name or contact only once they give one to sign up. Searches are logged
without anything that points to a person, for unmet-demand statistics.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timezone
from enum import Enum

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum as SAEnum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
    select,
    text,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from doemee.geo.distance import LAT_BANDS_PER_DEGREE, lat_band
from doemee.listing_end import end_date
from doemee.search_text import searchable


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _new_nonce() -> str:
    return secrets.token_hex(16)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time DoeMee stores is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _lat_band_of_insert(context: DefaultExecutionContext) -> int:
    """Bulk inserts of plain rows get their band too (the ORM sets it when lat is set)."""
    return lat_band(context.get_current_parameters()["lat"])


def _search_text_of_insert(context: DefaultExecutionContext) -> str:
    """Bulk inserts of plain rows get their folded search text too (ORM updates: see below)."""
    parameters = context.get_current_parameters()
    return searchable(parameters.get("title"), parameters.get("description"))


def _ends_on_of_insert(context: DefaultExecutionContext) -> date:
    """Bulk inserts of plain rows get their last day too (ORM updates: see below)."""
    parameters = context.get_current_parameters()
    return end_date(parameters.get("valid_until"), parameters.get("renewed_at"), parameters.get("published_at"),
                    parameters.get("created_at"))


def _first_centre_of_insert(context: DefaultExecutionContext) -> int | None:
    """An opportunity nobody attributed belongs to the first centre, as an import without --centre does.

    The domain's writers always name the centre; this covers plain inserts
    (tests, benchmarks, a hand-made fix). One query per statement, however
    many rows it inserts.
    """
    cached = context.__dict__.get("_doemee_first_centre", _UNSET)
    if cached is _UNSET:
        cached = context.connection.scalar(select(Centre.id).order_by(Centre.position, Centre.id).limit(1))
        context.__dict__["_doemee_first_centre"] = cached
    return cached


_UNSET = object()


# Every constraint gets a predictable name: SQLite batch migrations can only
# drop what has one, and a fresh database and an upgraded one must agree.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Status(str, Enum):
    CONCEPT = "concept"
    OPEN = "open"
    # A centre took it off the air for a while; residents never see it, and it keeps its place for later.
    PAUSED = "paused"
    FILLED = "filled"
    CLOSED = "closed"


class TimeCommitment(str, Enum):
    EENMALIG = "eenmalig"
    WEKELIJKS = "wekelijks"
    MAANDELIJKS = "maandelijks"
    FLEXIBEL = "flexibel"


DAY_PARTS: tuple[str, ...] = ("ochtend", "middag", "avond", "weekend")


class Category(Base):
    __tablename__ = "category"

    slug: Mapped[str] = mapped_column(String(32), primary_key=True)
    label: Mapped[str] = mapped_column(String(80))


class Centre(Base):
    """A volunteer centre: the tenant that owns opportunities and whose widget residents use.

    centres.yml seeds and updates these rows (`doemee centres-sync`); the
    region is a table of its own so "which centre holds this municipality"
    is one indexed lookup.
    """

    __tablename__ = "centre"
    __table_args__ = (UniqueConstraint("slug", name="uq_centre_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    primary_colour: Mapped[str] = mapped_column(String(7))
    text_on_primary: Mapped[str] = mapped_column(String(7))
    handoff_contact: Mapped[str] = mapped_column(Text)
    greeting: Mapped[str] = mapped_column(Text)
    # Website origins that may embed this centre's widget (https://example.org).
    origins: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The order of centres.yml: the first centre is the default one.
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    region: Mapped[list["CentreMunicipality"]] = relationship(
        back_populates="centre", cascade="all, delete-orphan", order_by="CentreMunicipality.municipality_code",
    )

    @property
    def municipality_codes(self) -> list[str]:
        return sorted(m.municipality_code for m in self.region)


class CentreMunicipality(Base):
    """One municipality (CBS code) of a centre's region."""

    __tablename__ = "centre_municipality"

    centre_id: Mapped[int] = mapped_column(
        ForeignKey("centre.id", ondelete="CASCADE", name="fk_centre_municipality_centre_id_centre"), primary_key=True,
    )
    municipality_code: Mapped[str] = mapped_column(String(4), primary_key=True, index=True)

    centre: Mapped[Centre] = relationship(back_populates="region")


class Initiative(Base):
    __tablename__ = "initiative"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    website: Mapped[str | None] = mapped_column(String(300))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # A centre vouched for it (approved one of its needs, or imported it): its own edits go live at once.
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Inside every manage link (doemee.initiative_links); a new value makes all earlier links void.
    manage_nonce: Mapped[str] = mapped_column(String(32), default=_new_nonce)
    # The last manage link mailed on request: a stranger must not be able to flood the inbox.
    manage_link_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    opportunities: Mapped[list["Opportunity"]] = relationship(back_populates="initiative")


class Opportunity(Base):
    __tablename__ = "opportunity"
    __table_args__ = (
        # Each centre is its own supplier: two centres may both have a row "1".
        UniqueConstraint("centre_id", "source", "external_id", name="uq_opportunity_centre_source_external_id"),
        # A write that forgets the band would hide the row from every search: refuse it.
        CheckConstraint(
            f"lat * {LAT_BANDS_PER_DEGREE} >= lat_band AND lat * {LAT_BANDS_PER_DEGREE} < lat_band + 1",
            name="lat_band",  # ck_opportunity_lat_band, by the naming convention
        ),
        # Covering indexes for matching: the box read and the remote read
        # never touch the table itself (see doemee/matching/engine.py).
        # SQLite keeps the row id in every index; PostgreSQL needs it included.
        Index(
            "ix_opportunity_match_box",
            "status", "lat_band", "lon", "lat", "category", "valid_until", "remote", "time_commitment", "day_parts",
            "created_at",
            postgresql_include=["id"],
        ),
        Index(
            "ix_opportunity_match_remote",
            "status", "remote", "created_at", "category", "valid_until", "lat", "lon", "time_commitment", "day_parts",
            postgresql_include=["id"],
        ),
        # The portal's reads of one centre's listings: newest first, by status, the place filter's choices.
        # An administrator's reads of every centre, newest first (a status index here would lure the
        # planner away from the match reads' covering indexes; tests/matching/test_engine.py).
        Index("ix_opportunity_portal_newest", "centre_id", "created_at", "id"),
        Index("ix_opportunity_portal_status", "centre_id", "status", "created_at", "id"),
        Index("ix_opportunity_portal_place", "centre_id", "place"),
        Index("ix_opportunity_portal_category", "centre_id", "category", "status", "created_at", "id"),
        Index("ix_opportunity_portal_all_newest", "created_at", "id"),
        # The concepts waiting for a check, oldest first (partial: the match reads never see it).
        Index("ix_opportunity_concepts_waiting", "created_at", "id",
              sqlite_where=text("status = 'concept'"), postgresql_where=text("status = 'concept'")),
        # What ends soon on Vandaag: a range of stored last days per centre. No index leads with status
        # alone: on small tables it lures the match reads away from their covering indexes.
        Index("ix_opportunity_ends_on", "centre_id", "status", "ends_on", "id"),
        # The portal's text search (LIKE '%...%' on search_text): trigrams on PostgreSQL; SQLite has no such index.
        Index(
            "ix_opportunity_search_trgm", "search_text",
            postgresql_using="gin", postgresql_ops={"search_text": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(40), default="csv")
    external_id: Mapped[str] = mapped_column(String(100))
    # No cascade: a centre with opportunities cannot be deleted (centres-sync says so).
    centre_id: Mapped[int] = mapped_column(
        ForeignKey("centre.id", name="fk_opportunity_centre_id_centre"), index=True, default=_first_centre_of_insert,
    )
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(ForeignKey("category.slug"), index=True)
    postcode: Mapped[str] = mapped_column(String(7))
    pc4: Mapped[str] = mapped_column(String(4), index=True)
    place: Mapped[str] = mapped_column(String(120))
    municipality_code: Mapped[str | None] = mapped_column(String(4), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    lat_band: Mapped[int] = mapped_column(Integer, default=_lat_band_of_insert)
    time_commitment: Mapped[str] = mapped_column(String(20))
    day_parts: Mapped[str] = mapped_column(String(60), default="")
    remote: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_email: Mapped[str] = mapped_column(String(254))
    valid_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=Status.OPEN.value)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    # When residents could first see it: a concept approved a week after it was
    # written is news on the day it opens, and alerts go by this moment.
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    # Title and description folded as the portal's search folds them (doemee.search_text).
    search_text: Mapped[str] = mapped_column(Text, default=_search_text_of_insert, server_default="")
    # Without a last day a listing ends 90 days after this moment (or publication): see doemee.lifecycle.
    renewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The last day the initiative was warned about; a new last day (a renewal) earns a new warning.
    end_warned_for: Mapped[date | None] = mapped_column(Date)
    # The listing's last day (doemee.listing_end): every write keeps it; a Core UPDATE of a date sets it itself.
    ends_on: Mapped[date | None] = mapped_column(Date, default=_ends_on_of_insert)

    initiative: Mapped[Initiative] = relationship(back_populates="opportunities")
    centre: Mapped[Centre] = relationship()

    @property
    def day_part_list(self) -> list[str]:
        return [p for p in self.day_parts.split(";") if p]


@event.listens_for(Opportunity.lat, "set")
def _band_follows_lat(target: Opportunity, value: float, oldvalue: object, initiator: object) -> None:
    target.lat_band = lat_band(value)


@event.listens_for(Opportunity, "before_update")
def _search_text_follows(mapper: object, connection: object, target: Opportunity) -> None:
    """Every ORM write of a listing refolds its text; a Core UPDATE of title or description must set it itself."""
    target.search_text = searchable(target.title, target.description)
    target.ends_on = end_date(target.valid_until, target.renewed_at, target.published_at, target.created_at)


@event.listens_for(Opportunity.status, "set")
def _published_on_opening(target: Opportunity, value: str, oldvalue: object, initiator: object) -> None:
    """The first time an opportunity opens, it is published now.

    Every door that opens one (import, the demo data, a moderator approving
    a concept) sets the status; stamping here means none of them can forget.
    A caller that knows the moment better sets `published_at` itself first.
    Reopening keeps the first moment, so nobody is alerted twice.
    """
    if value == Status.OPEN.value and target.published_at is None:
        target.published_at = utcnow()


class FollowUpAnswer(str, Enum):
    """What a resident said when asked whether the initiative contacted them."""

    YES = "yes"
    NO = "no"
    NOT_NEEDED = "not_needed"


class Resident(Base):
    __tablename__ = "resident"
    __table_args__ = (UniqueConstraint("channel", "sender_id", name="uq_resident_channel_sender"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    sender_id: Mapped[str] = mapped_column(String(128))
    first_name: Mapped[str | None] = mapped_column(String(80))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SignUpStatus(str, Enum):
    NEW = "new"
    CONTACTED = "contacted"  # "contact opgenomen"
    STARTED = "started"  # "gestart"
    NOT_SUITABLE = "not_suitable"  # "past niet"
    WITHDRAWN = "withdrawn"  # the resident called it off


class SignUp(Base):
    """A resident's consent to share their contact with one initiative.

    The consent text is stored exactly as shown, so it can be proven later.
    After a deletion request the personal fields are emptied and the row
    stays, unlinked, for the initiative's own counts.
    """

    __tablename__ = "sign_up"
    __table_args__ = (UniqueConstraint("resident_id", "opportunity_id", name="uq_sign_up_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id", ondelete="SET NULL"), index=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunity.id", ondelete="CASCADE"), index=True)
    # The centre whose widget (or region, on Telegram) the resident came through; None before centres.
    centre_id: Mapped[int | None] = mapped_column(
        ForeignKey("centre.id", ondelete="SET NULL", name="fk_sign_up_centre_id_centre"), index=True,
    )
    first_name: Mapped[str | None] = mapped_column(String(80))
    contact: Mapped[str | None] = mapped_column(String(254))
    consent_text: Mapped[str] = mapped_column(Text)
    consented_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    notified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # What the initiative (or the resident, withdrawing) says happened since; set by doemee.initiative_manage.
    status: Mapped[SignUpStatus] = mapped_column(
        SAEnum(SignUpStatus, native_enum=False, length=20, values_callable=lambda kind: [m.value for m in kind]),
        default=SignUpStatus.NEW, server_default=SignUpStatus.NEW.value,
    )
    status_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Follow-up (doemee.followup): the initiative's reminder, then the question to the resident.
    initiative_reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resident_asked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When the resident's own channel showed the question (a Telegram push, the widget's next visit).
    question_shown_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resident_answer: Mapped[FollowUpAnswer | None] = mapped_column(
        SAEnum(FollowUpAnswer, native_enum=False, length=10, values_callable=lambda kind: [m.value for m in kind]),
    )
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The centre followed up a resident's "nee" (Vandaag's "afgehandeld").
    centre_handled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AlertSubscription(Base):
    __tablename__ = "alert_subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"), index=True)
    interests: Mapped[str] = mapped_column(String(300), default="")
    pc4: Mapped[str | None] = mapped_column(String(4))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    radius_km: Mapped[float] = mapped_column(Float, default=10.0)
    times: Mapped[str] = mapped_column(String(120), default="")
    # CBS codes ","-joined; empty is the whole country. A widget's subscription
    # keeps its centre's region, as the search it repeats did.
    municipality_codes: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class EmailAlert(Base):
    """Alerts for one subscription by email: the address, the consent and the double opt-in.

    The address is kept apart from the search so that it can go on its own:
    an unconfirmed request expires, unsubscribing or "vergeet mij" deletes
    it, and nothing is ever mailed before `confirmed_at`. The links in the
    mails carry `nonce`, so a link for an address that was changed or a row
    that was deleted (SQLite may hand its id out again) never works again.
    """

    __tablename__ = "email_alert"
    __table_args__ = (UniqueConstraint("subscription_id", name="uq_email_alert_subscription_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("alert_subscription.id", ondelete="CASCADE", name="fk_email_alert_subscription_id_alert_subscription"),
    )
    email: Mapped[str] = mapped_column(String(254), index=True)
    nonce: Mapped[str] = mapped_column(String(32))
    # The consent as stated in the chat turn where the resident gave the address.
    consent_text: Mapped[str] = mapped_column(Text)
    consented_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    confirmation_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # True when asking for mail made the subscription: an expired request then takes it along.
    made_subscription: Mapped[bool] = mapped_column(Boolean, default=False)


class SearchLog(Base):
    """One search, with nothing that identifies who searched."""

    __tablename__ = "search_log"
    __table_args__ = (
        # Cijfers: a centre's weeks, and its region's demand since a day, read from the index alone.
        Index("ix_search_log_centre_weeks", "centre_id", "created_at", "within_radius_count"),
        Index("ix_search_log_region_demand", "municipality_code", "created_at", "interests", "within_radius_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    interests: Mapped[str] = mapped_column(String(300), default="")
    pc4: Mapped[str | None] = mapped_column(String(4), index=True)
    municipality_code: Mapped[str | None] = mapped_column(String(4), index=True)
    result_count: Mapped[int] = mapped_column(Integer, default=0)
    within_radius_count: Mapped[int] = mapped_column(Integer, default=0)
    # The centre whose widget (or region) the search came through; None when unknown.
    centre_id: Mapped[int | None] = mapped_column(
        ForeignKey("centre.id", ondelete="SET NULL", name="fk_search_log_centre_id_centre"), index=True,
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class SearchLogAggregate(Base):
    """Searches older than the retention period, counted per UTC day (doemee.search_aggregates).

    Only what the figures read survives: the day (Cijfers cuts weeks and
    the demand report a start day at UTC midnight), the centre, the
    municipality and the interests, with how many searches and how many of
    them found nothing within their radius. The postcode, the result count
    and the time of day are gone. One key may have more than one row;
    readers add them up.
    """

    __tablename__ = "search_log_aggregate"
    __table_args__ = (
        Index("ix_search_log_aggregate_centre_days", "centre_id", "day"),
        Index("ix_search_log_aggregate_region_days", "municipality_code", "day", "interests"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    centre_id: Mapped[int | None] = mapped_column(
        ForeignKey("centre.id", ondelete="SET NULL", name="fk_search_log_aggregate_centre_id_centre"),
    )
    municipality_code: Mapped[str | None] = mapped_column(String(4))
    interests: Mapped[str] = mapped_column(String(300), default="")
    searches: Mapped[int] = mapped_column(Integer)
    unmet: Mapped[int] = mapped_column(Integer)


class StaffRole(str, Enum):
    STAFF = "staff"
    ADMIN = "admin"


class TokenPurpose(str, Enum):
    INVITE = "invite"
    RESET = "reset"


def _enum_values(kind: type[Enum]) -> list[str]:
    return [member.value for member in kind]


class StaffMember(Base):
    """Someone of a volunteer centre who logs in to the portal.

    The password hash stays empty until the invitation is accepted, so an
    invited address can never log in with a guessed password. A member is
    switched off (`active`), never deleted: the audit trail points to them.
    """

    __tablename__ = "staff_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # always lower case
    centre_id: Mapped[int] = mapped_column(ForeignKey("centre.id", ondelete="CASCADE"), index=True)
    role: Mapped[StaffRole] = mapped_column(
        SAEnum(StaffRole, native_enum=False, length=10, values_callable=_enum_values), default=StaffRole.STAFF,
    )
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    centre: Mapped[Centre] = relationship()


class StaffToken(Base):
    """A link sent by mail (invitation or password reset); only its SHA-256 is kept."""

    __tablename__ = "staff_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(
        SAEnum(TokenPurpose, native_enum=False, length=10, values_callable=_enum_values),
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class StaffSession(Base):
    """One login: the cookie holds a random token, the database only its SHA-256."""

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginFailure(Base):
    """A failed login, by account or by client address, both as a SHA-256 (throttling needs no names)."""

    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class AuditEvent(Base):
    """Who did what to which object, when; never the object's text or anyone's personal data."""

    __tablename__ = "audit_event"
    __table_args__ = (
        # Logboek reads newest first, a centre's rows or everyone's; with the id in the index a deep page
        # skips index entries, not table rows.
        Index("ix_audit_event_centre_id_at", "centre_id", "at", "id"),
        Index("ix_audit_event_at_id", "at", "id"),
        # A kind of action counted (a range of codes), and one listing's history.
        Index("ix_audit_event_action_centre_id", "action", "centre_id"),
        Index("ix_audit_event_object", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id", ondelete="SET NULL"), index=True)
    centre_id: Mapped[int | None] = mapped_column(ForeignKey("centre.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    # Who acted when it was not a member of staff, e.g. "initiative:12" (through its manage link).
    actor: Mapped[str | None] = mapped_column(String(40))
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HandoffStatus(str, Enum):
    OPEN = "open"
    HANDLED = "handled"


class HandoffRequest(Base):
    """A question a resident left for their centre in the chat, with how to reach them.

    Linked to the resident so that "vergeet mij" takes it along; the contact
    is copied here (not read from the resident) because it is what the
    resident agreed to share with this centre, in that turn. Handled
    requests are deleted after a while (doemee.handoff.delete_old_handled).
    """

    __tablename__ = "handoff_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(
        ForeignKey("centre.id", ondelete="CASCADE", name="fk_handoff_request_centre_id_centre"), index=True,
    )
    resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("resident.id", ondelete="CASCADE", name="fk_handoff_request_resident_id_resident"), index=True,
    )
    first_name: Mapped[str | None] = mapped_column(String(80))
    question: Mapped[str] = mapped_column(String(500))
    contact_kind: Mapped[str] = mapped_column(String(10))
    contact_value: Mapped[str] = mapped_column(String(254))
    status: Mapped[HandoffStatus] = mapped_column(
        SAEnum(HandoffStatus, native_enum=False, length=10, values_callable=_enum_values), default=HandoffStatus.OPEN,
    )
    consented_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    handled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    handled_by: Mapped[int | None] = mapped_column(
        ForeignKey("staff_member.id", ondelete="SET NULL", name="fk_handoff_request_handled_by_staff_member"),
    )

    centre: Mapped[Centre] = relationship()


class MailStatus(str, Enum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    # No SMTP configured: the mail is delivered to the portal only, where staff can read it.
    KEPT = "kept"


class OutboxMail(Base):
    """One outgoing mail, written in the transaction of the change it tells about.

    The mail exists exactly when that change commits; a worker
    (doemee.outbox.deliver_due) sends it later and retries until the SMTP
    server takes it. `last_error` holds only the error's type, never text
    that could quote an address. "Vergeet mij" blanks the rows of a
    resident; sent mails are deleted after `DOEMEE_OUTBOX_KEEP_DAYS`.
    """

    __tablename__ = "outbox_mail"
    __table_args__ = (Index("ix_outbox_mail_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    centre_id: Mapped[int | None] = mapped_column(
        ForeignKey("centre.id", ondelete="SET NULL", name="fk_outbox_mail_centre_id_centre"), index=True,
    )
    resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("resident.id", ondelete="SET NULL", name="fk_outbox_mail_resident_id_resident"), index=True,
    )
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    message: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[MailStatus] = mapped_column(
        SAEnum(MailStatus, native_enum=False, length=10, values_callable=_enum_values), default=MailStatus.QUEUED,
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApiKey(Base):
    """A centre's key for the partner API (/api/v1); only its SHA-256 and a short prefix are kept.

    The key itself is shown once, when it is made. A key is revoked, never
    deleted, so the audit trail and "last used" keep meaning something.
    """

    __tablename__ = "api_key"
    __table_args__ = (UniqueConstraint("key_hash", name="uq_api_key_key_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(
        ForeignKey("centre.id", ondelete="CASCADE", name="fk_api_key_centre_id_centre"), index=True,
    )
    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("staff_member.id", ondelete="SET NULL", name="fk_api_key_created_by_staff_member"),
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    centre: Mapped[Centre] = relationship()
