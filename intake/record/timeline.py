"""A timeline picture drawn on the server: messages, answers, meetings held and missed.

Plain SVG with presentation attributes only (no inline CSS, no script), so it
passes the Content-Security-Policy, prints, goes into PDFs, and needs no JavaScript.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from markupsafe import Markup

WIDTH = 720
ROW = 26
LEFT = 150  # at least; wider when a lane's label needs it (German ones do)
RIGHT = 12
TOP = 8
# A lane's label is 12 units high; DejaVu Sans, the PDFs' font and a common one on
# screens, is about 0.55 of that wide a letter on average, and a little more is safe.
LETTER = 6.8


@dataclass(frozen=True)
class Lane:
    label: str
    days: list[date]
    shape: str  # "dot", "square", "cross"
    colour: str


def _x(day: date, start: date, end: date, left: float) -> float:
    span = max((end - start).days, 1)
    return left + (WIDTH - left - RIGHT) * (day - start).days / span


def _label_room(labels: Iterable[str]) -> float:
    """Where the marks may begin: after the longest label, never before ``LEFT``."""
    return max([LEFT, *(len(label) * LETTER + 10 for label in labels)])


def _months(start: date, end: date) -> Iterable[date]:
    current = date(start.year, start.month, 1)
    if current < start:
        current = (current + timedelta(days=32)).replace(day=1)
    while current <= end:
        yield current
        current = (current + timedelta(days=32)).replace(day=1)


def _mark(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="{colour}"/>'
    if shape == "cross":
        return (
            f'<path d="M{x - 5:.1f} {y - 5:.1f} L{x + 5:.1f} {y + 5:.1f} M{x - 5:.1f} {y + 5:.1f} '
            f'L{x + 5:.1f} {y - 5:.1f}" stroke="{colour}" stroke-width="2.5"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


# Marks whose centres are this close (in the picture's units) are drawn as one: a run
# of dots as one rounded bar, of squares as one box. Over five years a day is a third
# of a unit wide, so thousands of entries would otherwise be thousands of shapes
# that look the same as a few bars, and a PDF would lay out and draw each of them.
# The outline differs from the separate marks by less than a twentieth of a unit.
MERGE = 1.0


def _runs(xs: list[float]) -> list[tuple[float, float]]:
    runs: list[tuple[float, float]] = []
    for x in xs:
        if runs and x - runs[-1][1] <= MERGE:
            runs[-1] = (runs[-1][0], x)
        else:
            runs.append((x, x))
    return runs


def _marks(shape: str, xs: list[float], y: float, colour: str) -> list[str]:
    if shape == "cross":
        return [_mark(shape, x, y, colour) for x in xs]
    found = []
    for first, last in _runs(xs):
        if first == last:
            found.append(_mark(shape, first, y, colour))
        elif shape == "square":
            found.append(
                f'<rect x="{first - 5:.1f}" y="{y - 5:.1f}" width="{last - first + 10:.1f}" '
                f'height="10" fill="{colour}"/>'
            )
        else:
            found.append(
                f'<line x1="{first:.1f}" y1="{y:.1f}" x2="{last:.1f}" y2="{y:.1f}" '
                f'stroke="{colour}" stroke-width="8" stroke-linecap="round"/>'
            )
    return found


def draw(
    lanes: list[Lane], start: date, end: date, title: str, month_label=lambda d: d.strftime("%b")
) -> Markup:
    """An accessible SVG: its title and a text summary are read out by screen readers."""
    height = TOP + ROW * len(lanes) + 36
    counts = [sum(1 for day in lane.days if start <= day <= end) for lane in lanes]
    summary = "; ".join(f"{lane.label}: {n}" for lane, n in zip(lanes, counts, strict=True))
    labels = [f"{lane.label} ({n})" for lane, n in zip(lanes, counts, strict=True)]
    left = _label_room(labels)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="tl-title tl-desc" class="timeline">',
        f'<title id="tl-title">{escape(title)}</title>',
        f'<desc id="tl-desc">{escape(summary)}</desc>',
    ]
    axis_y = TOP + ROW * len(lanes) + 4
    months = list(_months(start, end))
    # Over long spans, label every few months so the labels never overlap.
    every = max(1, -(-len(months) // 12))
    for n, month in enumerate(months):
        x = _x(month, start, end, left)
        parts.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{axis_y}" stroke="#e4e0d8"/>')
        if n % every:
            continue
        parts.append(
            f'<text x="{x + 2:.1f}" y="{axis_y + 14}" font-size="11" fill="#57606a">'
            f"{escape(month_label(month))}</text>"
        )
        if month.month <= every or n == 0:
            parts.append(
                f'<text x="{x + 2:.1f}" y="{axis_y + 27}" font-size="11" fill="#57606a">'
                f"{month.year}</text>"
            )
    for i, (lane, label) in enumerate(zip(lanes, labels, strict=True)):
        y = TOP + ROW * i + ROW / 2
        parts.append(
            f'<text x="0" y="{y + 4:.1f}" font-size="12" fill="#1f2328">{escape(label)}</text>'
        )
        parts.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            'stroke="#d8d4cc"/>'
        )
        xs = sorted(_x(day, start, end, left) for day in lane.days if start <= day <= end)
        parts.extend(_marks(lane.shape, xs, y, lane.colour))
    parts.append("</svg>")
    # Every text placed in the picture went through html.escape above.
    return Markup("".join(parts))  # noqa: S704
