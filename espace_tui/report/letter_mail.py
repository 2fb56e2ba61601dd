"""A client letter as an e-mail message: to send, or as a `.eml` draft mail programs open.

`X-Unsent: 1` makes Outlook open the draft ready to send (Thunderbird opens it as a
message to edit with « Modifier comme nouveau »).
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from espace_tui.report.letters import Letter


def letter_message(
    letter: Letter, *, sender: str, to: str, now: datetime, draft: bool = False
) -> EmailMessage:
    message = EmailMessage()
    if sender:
        message["From"] = sender
    if to:
        message["To"] = to
    message["Subject"] = letter.subject
    message["Date"] = format_datetime(now)
    # Never None: make_msgid would then ask the DNS for this machine's name.
    domain = sender.rpartition("@")[2] if "@" in sender else "espace-tui.invalid"
    message["Message-ID"] = make_msgid(domain=domain)
    if draft:
        message["X-Unsent"] = "1"
    message.set_content(letter.body + "\n", charset="utf-8")
    return message


def draft_bytes(letter: Letter, *, sender: str, to: str, now: datetime) -> bytes:
    """The .eml file: CRLF line ends, as mail programs expect."""
    from email import policy

    message = letter_message(letter, sender=sender, to=to, now=now, draft=True)
    return message.as_bytes(policy=policy.SMTP)
