"""The files in ``deploy/`` turned into running processes on the loopback.

The systemd units give the commands, ``intake.env`` the environment, and the nginx
site the proxy; only what a test cannot have is replaced (ports, paths, the
certificate), each replacement checked to have found its text, so a change to a
file that the test no longer covers fails here instead of passing unnoticed.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import os
import shlex
import signal
import socket
import ssl
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.live import BIN, ROOT

DEPLOY = ROOT / "deploy"
NGINX = Path("/usr/sbin/nginx")
INSTALLED_BIN = "/srv/intake/.venv/bin/"


def replaced(text: str, replacements: dict[str, str]) -> str:
    for old, new in replacements.items():
        if old not in text:
            raise AssertionError(f"{old!r} is no longer in the deploy file: update the test")
        text = text.replace(old, new)
    return text


def environment_file(overrides: dict[str, str]) -> dict[str, str]:
    """``deploy/intake.env`` as systemd reads it, with this test's values where it must."""
    found: dict[str, str] = {}
    for line in (DEPLOY / "intake.env").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            found[name.strip()] = value
    missing = set(overrides) - set(found)
    assert not missing, f"intake.env no longer sets {missing}"
    return {**found, **overrides}


def unit_command(unit: str, env: dict[str, str]) -> list[str]:
    """A unit's ExecStart, with ``${NAME}`` taken from ``env`` as systemd does."""
    lines = (DEPLOY / unit).read_text().splitlines()
    (start,) = [line for line in lines if line.startswith("ExecStart=")]
    words = shlex.split(start.removeprefix("ExecStart="))
    words = [env[w[2:-1]] if w.startswith("${") and w.endswith("}") else w for w in words]
    assert words[0].startswith(INSTALLED_BIN), words[0]
    return [str(BIN / words[0].removeprefix(INSTALLED_BIN)), *words[1:]]


def free_ports(count: int) -> list[int]:
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, standing in for Let's Encrypt's."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "fullchain.pem", folder / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


def nginx_config(folder: Path, apps: list[int], http_port: int, https_port: int) -> Path:
    """``deploy/nginx-intake.conf`` on loopback ports, in a main config of its own.

    Only for the test, nginx names the app server that answered in ``X-Test-Upstream``.
    """
    cert, key = self_signed(folder)
    site = replaced(
        (DEPLOY / "nginx-intake.conf").read_text(),
        {
            "    server 127.0.0.1:8000;": "".join(f"    server 127.0.0.1:{p};\n" for p in apps),
            "listen 80;": f"listen 127.0.0.1:{http_port};",
            "listen [::]:80;": "",
            "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
            "listen [::]:443 ssl http2;": "",
            "/etc/letsencrypt/live/intake.example.org/fullchain.pem": str(cert),
            "/etc/letsencrypt/live/intake.example.org/privkey.pem": str(key),
            "/var/log/nginx/intake.access.log": str(folder / "access.log"),
            "/var/www/letsencrypt": str(folder / "acme"),
            "        proxy_pass http://intake_app;": (
                "        add_header X-Test-Upstream $upstream_addr always;\n"
                "        proxy_pass http://intake_app;"
            ),
        },
    )
    (folder / "intake.conf").write_text(site)
    temp = "\n".join(
        f"    {kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # As root, nginx's workers would otherwise drop to "nobody", who cannot enter tmp_path.
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = folder / "nginx.conf"
    main.write_text(
        f"{user}worker_processes 1;\nerror_log {folder / 'error.log'} notice;\n"
        "events { worker_connections 128; }\n"
        f"http {{\n{temp}\n    access_log off;\n    include {folder / 'intake.conf'};\n}}\n"
    )
    return main


def nginx_command(folder: Path, conf: Path) -> list[str]:
    """Debian's nginx in the foreground, with its pid file and error log in ``folder``."""
    command = [str(NGINX), "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")]
    return [*command, "-g", f"daemon off; pid {folder / 'nginx.pid'};"]


def https_context(folder: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(folder / "fullchain.pem"))


def _stat(pid: int) -> tuple[int, str] | None:
    """A process's parent and start time, or None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[1]), fields[19]


def _descendants(pid: int) -> dict[int, str]:
    """Every process below ``pid``, with its start time (so a reused number is never hit)."""
    found: dict[int, str] = {}
    todo = [pid]
    while todo:
        parent = todo.pop()
        for entry in Path("/proc").glob("[0-9]*"):
            stat = _stat(int(entry.name))
            if stat is not None and stat[0] == parent:
                found[int(entry.name)] = stat[1]
                todo.append(int(entry.name))
    return found


@contextlib.contextmanager
def running(
    command: list[str], env: dict[str, str], log: Path, ready: Callable[[], bool]
) -> Iterator[subprocess.Popen]:
    """Start a server, wait until ``ready()``, and stop it and everything it started."""
    with log.open("w") as output:
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 90
        while not ready():
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{command[0]} did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield server
    finally:
        below = _descendants(server.pid)
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        for pid, started in below.items():  # a job's or a render's, should one outlive it
            stat = _stat(pid)
            if stat is not None and stat[1] == started:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def answers(port: int, path: str = "/healthz", context: ssl.SSLContext | None = None) -> bool:
    """Whether a server on the loopback answers ``path`` with 200 yet."""
    if context is None:
        connection: http.client.HTTPConnection = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=5
        )
    else:
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=5, context=context)
    try:
        connection.request("GET", path)
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def plain_get(port: int, path: str) -> tuple[int, str]:
    """A request over plain http: its status and where it leads."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        answer = connection.getresponse()
        return answer.status, answer.getheader("Location", "")
    finally:
        connection.close()


def eventually(check: Callable[[], bool], within: float = 120) -> None:
    """Wait for work done in another process; the bound only keeps a broken run finite."""
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, "the other process did not finish in time"
        time.sleep(0.5)
