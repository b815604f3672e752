"""A small reverse proxy, run as its own process by the tests: like nginx with
``proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for``.

    python -m tests.security.reverse_proxy LISTEN_PORT UPSTREAM_PORT
"""

from __future__ import annotations

import http.client
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
}


class Forward(BaseHTTPRequestHandler):
    upstream_port = 0

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        earlier = self.headers.get("X-Forwarded-For")
        client = self.client_address[0]
        headers["X-Forwarded-For"] = f"{earlier}, {client}" if earlier else client
        headers["X-Forwarded-Proto"] = "http"
        upstream = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=30)
        try:
            upstream.request(self.command, self.path, body=body, headers=headers)
            answer = upstream.getresponse()
            data = answer.read()
        finally:
            upstream.close()
        self.send_response_only(answer.status, answer.reason)
        for name, value in answer.getheaders():
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_HEAD = _forward

    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    listen, upstream = int(sys.argv[1]), int(sys.argv[2])
    Forward.upstream_port = upstream
    server = ThreadingHTTPServer(("127.0.0.1", listen), Forward)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
