"""Every mail DoeMee writes starts here, so its headers never drift apart between senders."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from doemee.settings import Settings

# Headers fold at 78 characters by default, and a link that cannot fold is encoded
# (=?utf-8?q?...), which no mail program reads as a List-Unsubscribe URL. RFC 5322
# allows lines of up to 998 characters.
POLICY = policy.default.clone(max_line_length=998)


def compose(settings: Settings, to: str, subject: str, body: str | None = None) -> EmailMessage:
    """A mail from DoeMee; marked automatic (RFC 3834), so out-of-office replies stay away."""
    message = EmailMessage(policy=POLICY)
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="doemee.local")
    message["Auto-Submitted"] = "auto-generated"
    if body is not None:
        message.set_content(body)
    return message
