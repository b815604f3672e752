"""A browser with JavaScript off, over HTTPS through nginx, that notes which app server
answered each request (nginx's ``X-Test-Upstream``, set only in the test)."""

from __future__ import annotations

import http.cookiejar
import ssl
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message

from tests.live import FORM_KEY, TOKEN


@dataclass
class Answer:
    status: int
    body: bytes
    url: str
    headers: Message

    @property
    def upstream(self) -> str:
        return self.headers.get("X-Test-Upstream", "")

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


class Visitor:
    def __init__(self, base: str, context: ssl.SSLContext) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context),
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
        )
        self.seen: list[str] = []  # the app server of every answer, in order

    def _open(self, request: urllib.request.Request) -> Answer:
        try:
            with self.opener.open(request, timeout=60) as response:
                answer = Answer(
                    response.status, response.read(), response.geturl(), response.headers
                )
        except urllib.error.HTTPError as error:
            answer = Answer(error.code, error.read(), error.geturl(), error.headers)
        self.seen.append(answer.upstream)
        return answer

    def get(self, path: str) -> Answer:
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310 - loopback

    def post(self, path: str, data: dict[str, str | list[str]], page: str | None = None) -> Answer:
        """Post a form with the CSRF token and one-time key of the page it is on."""
        shown = self.get(page or path)
        assert shown.status == 200, (page or path, shown.status)
        fields = dict(data)
        token = TOKEN.search(shown.text)
        if token:
            fields["csrf_token"] = token.group(1)
        key = FORM_KEY.search(shown.text)
        if key:
            fields["form_key"] = key.group(1)
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        return self._open(
            urllib.request.Request(self.base + path, data=body, method="POST")  # noqa: S310
        )

    def sign_in(self, username: str, password: str) -> Answer:
        return self.post("/login", {"username": username, "password": password, "next": ""})
