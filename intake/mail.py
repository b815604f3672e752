"""Sending mail through the SMTP server in the settings. Never logs addresses or links."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app

from intake.formdef.email_address import is_one_address


class MailError(RuntimeError):
    """The mail could not be handed to the SMTP server."""


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def send(to: str, subject: str, body: str) -> None:
    config = current_app.config
    if not is_one_address(to):
        # Forms refuse such addresses; this keeps an old stored one from becoming a list
        # of recipients or extra header lines.
        raise MailError("not one address")
    message = EmailMessage()
    message["From"] = config.get("MAIL_FROM", "intake@localhost")
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(
            config["MAIL_SERVER"], int(config.get("MAIL_PORT", 25)), timeout=15
        ) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        current_app.logger.warning("Mail could not be sent: %s", type(exc).__name__)
        raise MailError(str(type(exc).__name__)) from exc
