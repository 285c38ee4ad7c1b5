"""An SVG chart of a rollout: capacity and backend load over time, one line per component.

Hand-written SVG (no plotting dependency): two panels sharing the time axis, capacity in percent
of replicas on top, backend load factor (1 = steady state) below. Names are XML-escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

from stateward.analysis.cost.simulate import Sample, Timeline

__all__ = ["svg_chart"]

_W, _H, _LEFT, _RIGHT, _TOP, _GAP, _PANEL = 760, 420, 60, 200, 30, 50, 140
_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2")
_MAX_POINTS = 400


def svg_chart(lines: Sequence[tuple[str, Timeline]], title: str) -> str:
    """The chart of every (label, timeline) as an SVG document."""
    end = max((t.samples[-1].t for _, t in lines if t.samples), default=1.0) or 1.0
    cap_top = max([1.0, *(s.capacity for _, t in lines for s in t.samples)])
    load_top = max([2.0, *(t.backend_peak for _, t in lines)])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{_H}" '
        f'font-family="sans-serif" font-size="11">',
        f'<rect width="{_W}" height="{_H}" fill="white"/>',
        f'<text x="{_LEFT}" y="18" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    top2 = _TOP + _PANEL + _GAP
    parts += _axes(_TOP, "capacity %", cap_top * 100, end)
    parts += _axes(top2, "backend load ×", load_top, end)
    for i, (label, timeline) in enumerate(lines):
        colour = _COLOURS[i % len(_COLOURS)]
        samples = _thin(timeline.samples)
        parts.append(_path(samples, end, _TOP, cap_top, colour, lambda s: s.capacity))
        parts.append(_path(samples, end, top2, load_top, colour, lambda s: s.backend))
        y = _TOP + 14 * i + 10
        parts.append(
            f'<rect x="{_W - _RIGHT + 15}" y="{y - 8}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{_W - _RIGHT + 30}" y="{y + 1}">{escape(label[-28:])}</text>'
        )
    parts.append(
        f'<text x="{_LEFT + (_W - _LEFT - _RIGHT) / 2}" y="{_H - 8}" '
        f'text-anchor="middle">seconds since the rollout began</text></svg>'
    )
    return "\n".join(parts) + "\n"


def _axes(top: int, label: str, y_max: float, end: float) -> list[str]:
    right, bottom = _W - _RIGHT, top + _PANEL
    out = [
        f'<rect x="{_LEFT}" y="{top}" width="{right - _LEFT}" height="{_PANEL}" '
        f'fill="none" stroke="#999"/>',
        f'<text x="12" y="{top + _PANEL / 2}" transform="rotate(-90 12 {top + _PANEL / 2})" '
        f'text-anchor="middle">{escape(label)}</text>',
    ]
    for fraction in (0.0, 0.5, 1.0):
        y = bottom - fraction * _PANEL
        out.append(
            f'<text x="{_LEFT - 4}" y="{y + 4}" text-anchor="end">{y_max * fraction:.3g}</text>'
        )
        x = _LEFT + fraction * (right - _LEFT)
        out.append(
            f'<text x="{x}" y="{bottom + 14}" text-anchor="middle">{end * fraction:.0f}</text>'
        )
    return out


def _thin(samples: Sequence[Sample]) -> list[Sample]:
    step = max(1, len(samples) // _MAX_POINTS)
    thinned = list(samples[::step])
    if samples and thinned[-1] is not samples[-1]:
        thinned.append(samples[-1])
    return thinned


def _path(
    samples: Sequence[Sample],
    end: float,
    top: int,
    y_max: float,
    colour: str,
    value: Callable[[Sample], float],
) -> str:
    """A step line (values hold until the next sample) inside one panel."""
    width, bottom = _W - _RIGHT - _LEFT, top + _PANEL
    points: list[str] = []
    previous_y: float | None = None
    for sample in samples:
        x = _LEFT + sample.t / end * width
        y = bottom - min(value(sample), y_max) / y_max * _PANEL
        if previous_y is not None:
            points.append(f"{x:.1f},{previous_y:.1f}")
        points.append(f"{x:.1f},{y:.1f}")
        previous_y = y
    joined = " ".join(points)
    return f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{joined}"/>'
