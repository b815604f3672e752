"""Write instance/config.py with a fresh secret key, unless it exists already."""

import os
import secrets
import sys
from pathlib import Path

TEMPLATE = """\
# Settings for this installation. Keep this file private (mode 600), never commit it.
SECRET_KEY = "{secret}"

# Behind TLS, give the public address so links in emails and set-up links are right:
# BASE_URL = "https://intake.example.org"

# Behind a reverse proxy that sets X-Forwarded-For: how many proxies stand in front.
# TRUSTED_PROXIES = 1

# Sessions end after this much inactivity, and after this many hours in any case.
# SESSION_IDLE_MINUTES = 30
# SESSION_ABSOLUTE_HOURS = 12
"""


def main() -> int:
    instance = Path(sys.argv[1] if len(sys.argv) > 1 else "instance")
    instance.mkdir(mode=0o700, exist_ok=True)
    # A fresh clone has instance/ as git made it (0755); it will hold the
    # database and the keys, so nobody else may even list it.
    instance.chmod(0o700)
    config = instance / "config.py"
    if config.exists():
        return 0
    fd = os.open(config, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(TEMPLATE.format(secret=secrets.token_urlsafe(48)))
    print(f"Wrote {config} with a fresh secret key.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
