"""Profile one request to a page of the five-year process of the page benchmark.

    .venv/bin/python bench/page_profile.py [--db URL] [--keep DIR] [--top 30] PATH...

Builds the process of ``bench/pages_bench.py`` once into ``--keep DIR`` (reused by the
next run), signs in as its coordinator with the test client and, for each PATH (e.g.
``/p/old/`` and ``/p/old/audit``), warms the page once, times ``--repeat`` requests
and prints cProfile's costliest functions of one more. A trivial page beside a heavy
one separates what every request costs (session, policy, base template, …) from what
the page itself costs.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--keep", default=str(Path(tempfile.gettempdir()) / "intake-page-profile"))
    parser.add_argument("--db", help="database URL (default: SQLite in --keep)")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--sort", default="cumulative")
    args = parser.parse_args()
    import pages_bench

    instance = Path(args.keep)
    url = args.db or f"sqlite:///{instance}/bench.sqlite"
    if not (instance / "built").exists():
        instance.mkdir(parents=True, exist_ok=True)
        (instance / "config.py").write_text(
            f"SECRET_KEY = {'bench-' * 8!r}\nSESSION_COOKIE_SECURE = False\n"
        )
        pages_bench.build(instance, url)
        (instance / "built").write_text(url)
    os.environ["INTAKE_INSTANCE_PATH"] = str(instance)
    os.environ["DATABASE_URL"] = url
    from intake import create_app

    app = create_app()
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    client.post(
        "/login",
        data={
            "username": "kim",
            "password": pages_bench.PASSWORD,
            "csrf_token": token.group(1) if token else "",
        },
    )
    for path in args.paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - started)
        print(
            f"\n## {path}: {len(response.data) // 1024} KiB, "
            f"median {statistics.median(times) * 1000:.1f} ms, "
            f"min {min(times) * 1000:.1f} ms over {args.repeat}\n"
        )
        profile = cProfile.Profile()
        profile.enable()
        client.get(path)
        profile.disable()
        pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
