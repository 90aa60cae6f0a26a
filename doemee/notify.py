"""Email: to an initiative (a resident signed up, the centre decided on its need), and alert mails.

Alert mails to residents are built by doemee.email_alerts and go out through
`send_message`, the same way as the notices.

With `DOEMEE_SMTP_HOST` set the message goes out over SMTP; without it (in
development and tests) it is written as an .eml file to the outbox folder,
so a developer can open it. The log names only the file, never the person.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from doemee import messages
from doemee.settings import Settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignUpNotice:
    to_email: str
    initiative: str
    title: str
    first_name: str
    contact: str


@dataclass(frozen=True)
class ModerationNotice:
    """The centre's decision on a need the initiative posted in the chat."""

    to_email: str
    initiative: str
    title: str
    approved: bool
    reason: str | None = None


@dataclass(frozen=True)
class Delivery:
    """Where a notice went: `sent` over SMTP, or the .eml file written."""

    sent: bool
    outbox_file: Path | None = None


def build_message(notice: SignUpNotice, settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = notice.to_email
    message["Subject"] = messages.signup_notice_subject(notice.title)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="doemee.local")
    message.set_content(
        messages.signup_notice_body(notice.initiative, notice.title, notice.first_name, notice.contact)
    )
    return message


def send_signup_notice(notice: SignUpNotice, settings: Settings) -> Delivery:
    """Sends or files the notice; raises OSError (incl. SMTP errors) when it could not be delivered."""
    return _deliver(build_message(notice, settings), settings, "signup", "sign-up notice")


def build_moderation_message(notice: ModerationNotice, settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = notice.to_email
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="doemee.local")
    if notice.approved:
        message["Subject"] = messages.moderation_approved_subject(notice.title)
        message.set_content(messages.moderation_approved_body(notice.initiative, notice.title))
    else:
        message["Subject"] = messages.moderation_rejected_subject(notice.title)
        message.set_content(
            messages.moderation_rejected_body(notice.initiative, notice.title, notice.reason, settings.handoff_contact)
        )
    return message


def send_moderation_notice(notice: ModerationNotice, settings: Settings) -> Delivery:
    """Sends or files the notice; raises OSError (incl. SMTP errors) when it could not be delivered."""
    return _deliver(build_moderation_message(notice, settings), settings, "moderation", "moderation notice")


def send_message(message: EmailMessage, settings: Settings, prefix: str, kind: str) -> Delivery:
    """Sends or files a message built elsewhere; raises OSError (incl. SMTP errors) when it could not be delivered."""
    return _deliver(message, settings, prefix, kind)


def _deliver(message: EmailMessage, settings: Settings, prefix: str, kind: str) -> Delivery:
    if settings.smtp_host:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
            if settings.smtp_user:
                smtp.starttls()
                smtp.login(settings.smtp_user, settings.smtp_password or "")
            smtp.send_message(message)
        logger.info("%s sent over SMTP", kind)
        return Delivery(sent=True)
    settings.outbox_dir.mkdir(parents=True, exist_ok=True)
    path = settings.outbox_dir / f"{prefix}-{uuid.uuid4().hex}.eml"
    path.write_bytes(bytes(message))
    logger.info("%s written to outbox file %s", kind, path.name)
    return Delivery(sent=False, outbox_file=path)
