"""A process with a contact group (a coordinator, a member), a support and a central member."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from intake.models import Role
from tests import factories
from tests.conftest import AuthActions, csrf_token


@pytest.fixture
def people(app: Flask) -> dict[str, int]:
    with app.app_context():
        alpha = factories.process("alpha", "X")
        factories.member(alpha, "kim", Role.CONTACT, coordinator=True)
        factories.member(alpha, "lou", Role.CONTACT)
        factories.member(alpha, "sam", Role.SUPPORT)
        factories.member(alpha, "cem", Role.CENTRAL)
        beta = factories.process("beta", "Y")
        factories.member(beta, "bo", Role.CONTACT, coordinator=True)
        factories.account("root", admin=True)
        factories.db.session.commit()
        return {"alpha": alpha.id, "beta": beta.id}


class Builder:
    """Drives the builder the way a browser without script does: pages, forms, buttons."""

    def __init__(self, client, base: str = "/p/alpha/questionnaires") -> None:
        self.client = client
        self.base = base

    def start(self, start: str = "blank:link") -> str:
        token = csrf_token(self.client, f"{self.base}/")
        response = self.client.post(f"{self.base}/new", data={"csrf_token": token, "start": start})
        assert response.status_code == 302, response.status_code
        return response.headers["Location"]

    def lock(self, page: str) -> str:
        html = self.client.get(page).get_data(as_text=True)
        return re.search(r'name="lock_version"[^>]*value="(\d+)"', html).group(1)

    def press(self, page: str, action: str):
        token = csrf_token(self.client, page)
        return self.client.post(
            f"{page}/change",
            data={"csrf_token": token, "lock_version": self.lock(page), "action": action},
        )

    def question(self, page: str, place: str, **values):
        path = f"{page}/questions/{place}"
        token = csrf_token(self.client, path)
        data = {
            "csrf_token": token,
            "lock_version": self.lock(path),
            "travel": "internal",
            "share": "y",
            **values,
        }
        return self.client.post(path, data=data)

    def publish(self, page: str):
        token = csrf_token(self.client, page)
        return self.client.post(
            f"{page}/publish", data={"csrf_token": token, "lock_version": self.lock(page)}
        )


@pytest.fixture
def builder(client, people) -> Builder:
    AuthActions(client).login("kim")
    return Builder(client)
