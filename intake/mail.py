"""Sending mail through the SMTP server in the settings. Never logs addresses or links.

A failure is told as a short code (``MailError.problem``) that names what went
wrong in the mail server's terms, never the address: the code is stored beside
the link and put into words on the round's page (``intake/checkins/link_mail.py``).
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from flask import current_app

from intake.formdef.email_address import is_one_address


class MailError(RuntimeError):
    """The mail could not be handed to the SMTP server."""

    def __init__(self, problem: str, *, lasting: bool = False) -> None:
        super().__init__(problem)
        self.problem = problem
        # A lasting problem (an address the server refuses for good) is not tried again.
        self.lasting = lasting


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def _problem(exc: Exception) -> MailError:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        if codes and all(500 <= code < 600 for code in codes):
            return MailError("refused", lasting=True)
        return MailError("refused-for-now")
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return MailError("sender-refused")
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return MailError("login")
    if isinstance(exc, smtplib.SMTPNotSupportedError | ssl.SSLError):
        return MailError("secure-connection")
    if isinstance(exc, smtplib.SMTPResponseException):
        return MailError("message-refused", lasting=500 <= exc.smtp_code < 600)
    if isinstance(exc, TimeoutError | smtplib.SMTPServerDisconnected):
        return MailError("no-answer")
    return MailError("unreachable")


def send(to: str, subject: str, body: str) -> None:
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        raise MailError("not-set-up", lasting=True)
    if not is_one_address(to):
        # Forms refuse such addresses; this keeps an old stored one from becoming a list
        # of recipients or extra header lines.
        raise MailError("not-one-address", lasting=True)
    message = EmailMessage()
    message["From"] = config.get("MAIL_FROM", "intake@localhost")
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(
            config["MAIL_SERVER"],
            int(config.get("MAIL_PORT", 25)),
            timeout=float(config.get("MAIL_TIMEOUT", 15)),
        ) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        error = _problem(exc)
        current_app.logger.warning("Mail could not be sent: %s", error.problem)
        raise error from exc
