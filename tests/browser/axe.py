"""axe-core in a real Chromium: injected from the npm package on disk, never fetched.

The script is evaluated through the DevTools protocol, so it runs under the
page's strict CSP and with the page's own JavaScript switched off alike.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@cache
def _source() -> str:
    return AXE.read_text()


def require_axe() -> None:
    if not AXE.exists():
        message = "axe-core is missing: run `bash scripts/axe-core.sh` (make test does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def violations(page) -> list[str]:
    """Every WCAG 2.2 A/AA violation on the page, one readable line per element."""
    page.evaluate(_source())
    found = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return result.violations.map(v => ({
                id: v.id, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ") + " :: " + n.failureSummary),
            }));
        }""",
        WCAG_22_AA,
    )
    return [f"{v['id']} ({v['help']}): {node}" for v in found for node in v["nodes"]]
