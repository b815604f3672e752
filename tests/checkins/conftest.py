"""A real SMTP listener on loopback, and a process ready for check-ins."""

import asyncio
import socket
import time
from collections.abc import Callable, Iterator

import pytest
from aiosmtpd.controller import Controller

from intake.models import Role
from tests import factories

SURVIVOR_MARKER = "SURVIVOR-SECRET-5521"


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # the name aiosmtpd calls
        self.messages.append(envelope)
        return "250 OK"


class HangingServer:
    """Greets, takes the address, then never answers the message: a hung mail server."""

    def __init__(self) -> None:
        self.tries = 0

    async def handle_DATA(self, server, session, envelope):
        self.tries += 1
        await asyncio.sleep(120)
        return "250 OK"


class RefusingServer:
    """Refuses every recipient, for good (550) or for now (451)."""

    def __init__(self, reply: str = "550 5.1.1 No such mailbox here") -> None:
        self.reply = reply
        self.tries = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.tries += 1
        return self.reply


def _listen(handler) -> Iterator[int]:
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield port
    controller.stop()


@pytest.fixture
def hanging_smtp() -> Iterator[tuple[HangingServer, int]]:
    server = HangingServer()
    for port in _listen(server):
        yield server, port


@pytest.fixture
def refusing_smtp() -> Iterator[tuple[RefusingServer, int]]:
    server = RefusingServer()
    for port in _listen(server):
        yield server, port


def eventually(check: Callable[[], bool], within: float = 60) -> None:
    """Wait for a job running in the background; the bound only keeps a broken run finite."""
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, "the background job did not finish"
        time.sleep(0.05)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def process_ready(app):
    """A process with a handover whose survivor boundaries carry a marker."""
    with app.app_context():
        alpha = factories.process("alpha", "X")
        kim = factories.member(alpha, "kim", Role.CONTACT, coordinator=True).account
        sam = factories.member(alpha, "sam", Role.SUPPORT).account
        factories.record(
            alpha,
            "handover",
            sam,
            {
                "demands": [{"text": "One."}],
                "wants_updates": "none",
                "never_pass_on": SURVIVOR_MARKER,
                "update_how": SURVIVOR_MARKER,
            },
        )
        beta = factories.process("beta", "Y")
        factories.member(beta, "bo", Role.CONTACT, coordinator=True)
        return {"alpha": alpha.id, "beta": beta.id, "kim": kim.id}


def link_post(browser, data: dict):
    """Post the link's page as a browser does: with its token and the version it shows."""
    import re

    from tests.conftest import CSRF_FIELD

    page = browser.get("/c").get_data(as_text=True)
    token = CSRF_FIELD.search(page)
    lock = re.search(r'name="lock_version" value="(\d+)"', page)
    extra = {"csrf_token": token.group(1) or token.group(2)}
    if lock:
        extra["lock_version"] = lock.group(1)
    return browser.post("/c", data={**extra, **data})
