"""Email to an initiative: a resident signed up or called it off, or the centre decided on its need.

The notices are built here and queued in the outbox (doemee.outbox) in
the transaction of the sign-up or the decision, so a notice exists
exactly when what it tells about was stored; the outbox worker sends it.
Alert mails to residents are built by doemee.email_alerts.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy.orm import Session

from doemee import initiative_messages, messages, outbox
from doemee.mail_message import compose
from doemee.settings import Settings
from doemee.storage.models import Opportunity, OutboxMail, SignUp

WITHDRAWN_KIND = "signup_withdrawn"


@dataclass(frozen=True)
class SignUpNotice:
    to_email: str
    initiative: str
    title: str
    first_name: str
    contact: str
    # The initiative's manage link (`manage_personal`), or the page where it asks for one
    # (doemee.initiative_links.link_for_notice).
    manage_link: str | None = None
    manage_personal: bool = False


@dataclass(frozen=True)
class ModerationNotice:
    """The centre's decision on a need the initiative posted in the chat."""

    to_email: str
    initiative: str
    title: str
    approved: bool
    reason: str | None = None


def build_message(notice: SignUpNotice, settings: Settings) -> EmailMessage:
    message = compose(settings, notice.to_email, messages.signup_notice_subject(notice.title))
    manage = initiative_messages.signup_manage_line(notice.manage_link, notice.manage_personal) \
        if notice.manage_link else ""
    message.set_content(
        messages.signup_notice_body(notice.initiative, notice.title, notice.first_name, notice.contact, manage)
    )
    return message


def queue_signup_notice(
    session: Session, notice: SignUpNotice, settings: Settings, *, centre_id: int | None, resident_id: int | None,
) -> OutboxMail:
    return outbox.queue(session, build_message(notice, settings), kind="signup",
                        centre_id=centre_id, resident_id=resident_id)


def build_moderation_message(notice: ModerationNotice, settings: Settings) -> EmailMessage:
    if notice.approved:
        return compose(settings, notice.to_email, messages.moderation_approved_subject(notice.title),
                       messages.moderation_approved_body(notice.initiative, notice.title))
    return compose(settings, notice.to_email, messages.moderation_rejected_subject(notice.title),
                   messages.moderation_rejected_body(notice.initiative, notice.title, notice.reason,
                                                     settings.handoff_contact))


def queue_moderation_notice(
    session: Session, notice: ModerationNotice, settings: Settings, *, centre_id: int | None,
) -> OutboxMail:
    return outbox.queue(session, build_moderation_message(notice, settings), kind="moderation", centre_id=centre_id)


def queue_withdrawn_notice(
    session: Session, row: SignUp, opportunity: Opportunity, initiative_name: str, settings: Settings,
) -> None:
    """Tells the initiative that a resident called off their sign-up; nothing when the listing has no address."""
    address = (opportunity.contact_email or "").strip()
    if not address:
        return
    message = compose(settings, address, initiative_messages.followup_withdrawn_subject(opportunity.title),
                      initiative_messages.followup_withdrawn_body(initiative_name, opportunity.title, row.first_name))
    outbox.queue(session, message, kind=WITHDRAWN_KIND, centre_id=opportunity.centre_id, resident_id=row.resident_id)
