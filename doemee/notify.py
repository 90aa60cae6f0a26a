"""Telling an initiative that a resident signed up, by email.

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
    message = build_message(notice, settings)
    if settings.smtp_host:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
            if settings.smtp_user:
                smtp.starttls()
                smtp.login(settings.smtp_user, settings.smtp_password or "")
            smtp.send_message(message)
        logger.info("sign-up notice sent over SMTP")
        return Delivery(sent=True)
    settings.outbox_dir.mkdir(parents=True, exist_ok=True)
    path = settings.outbox_dir / f"signup-{uuid.uuid4().hex}.eml"
    path.write_bytes(bytes(message))
    logger.info("sign-up notice written to outbox file %s", path.name)
    return Delivery(sent=False, outbox_file=path)
