"""spacing.off_grid: a gap off the 4 px grid when most gaps on the page sit on it (info)."""

from __future__ import annotations

from uireview.checks.spacing.gaps import Gap
from uireview.checks.spacing.siblings import Candidate
from uireview.findings import Finding
from uireview.screen import Screen

GRID_PX = 4


def grid_findings(screen: Screen, elements, gaps: list[Gap], flagged: set) -> list[Candidate]:
    # judged per kind: a page scaled by 1.2 can put card gaps on the grid and a button gap
    # off it without anyone choosing that. Divider gaps lose the line's pixel, so not those.
    by_kind: dict[str, list[Gap]] = {}
    for g in gaps:
        if g.px > 0 and g.kind != "divider":
            by_kind.setdefault(g.kind, []).append(g)
    out = []
    for pool in by_kind.values():
        values = [g.px for g in pool]
        on = sum(1 for v in values if v % GRID_PX == 0)
        if len(values) >= 5 and on >= 0.8 * len(values):
            out += _off_grid(screen, elements, pool, flagged, on, len(values))
    return out


def _off_grid(screen, elements, gaps, flagged, on, total) -> list[Candidate]:
    out = []
    for g in gaps:
        if g.px <= 0 or g.px % GRID_PX == 0 or (g.a, g.b) in flagged:
            continue
        near = GRID_PX * round(g.px / GRID_PX)
        f = Finding(
            source="measured",
            category="spacing",
            severity="info",
            title=f"Gap of {g.px} px is off the {GRID_PX} px grid",
            detail=f"{on} of {total} like gaps on this screen are multiples of {GRID_PX} px.",
            suggestion=f"Use {near} px.",
            image=screen.index,
            box=g.box,
            related=[elements[g.a].box, elements[g.b].box],
            evidence=f"gap {g.px} px; {on} of {total} like gaps sit on the {GRID_PX} px grid",
            metrics={"gap_px": g.px, "expected_px": near, "grid_px": GRID_PX},
            rule="spacing.off_grid",
        )
        out.append(Candidate(0.2, f, {g.a, g.b}))
    return out
