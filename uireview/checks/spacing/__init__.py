"""Spacing and alignment: the gaps, edges and paddings a designer would fix.

Works on ``screen.elements`` (no text detection). Rules, each comparing an element with the
pattern its siblings set, so a page that is consistent gives no findings; one module each:

  spacing.gap_rhythm  ``gaps``: a gap between like siblings (cards in a row, inputs in a
                      column, table rows) that differs from the gap most of the others share;
                      ``pitch``: one item of an unboxed list off the list's pitch
  alignment.near_miss ``alignment``: an edge 2-6 px away from a column (or row) edge two or
                      more siblings share; ``columns``: a left edge (a heading's ink, a lone
                      card's side) off the edge the text and boxes above and below it share
  spacing.padding     ``padding``: a card whose content is inset differently from its siblings'
  spacing.off_grid    ``grid``: a gap off the 4 px grid when most gaps on the page sit on it

``forms`` adds a form's fields as elements (label, input, help line) so forms keep one
rhythm; ``shifts`` says each cause once (a moved element, or a changed gap that moved
everything after it); ``words`` titles each finding with the elements it is about (the card
“Recent Activity”, the fields “Email” and “Phone”). Options are module constants: ``NEAR_MISS_PX``,
``MIN_GAP_DEVIATION_PX``, ``MAX_FINDINGS`` and the others re-exported here.
"""

from __future__ import annotations

from uireview.checks import naming
from uireview.checks.spacing import pitch, words
from uireview.checks.spacing.alignment import NEAR_MISS_PX, alignment_findings
from uireview.checks.spacing.columns import column_findings
from uireview.checks.spacing.forms import Form, with_fields
from uireview.checks.spacing.gaps import MAX_GAP_RATIO, MIN_GAP_DEVIATION_PX, gap_findings, gaps_of
from uireview.checks.spacing.grid import GRID_PX, grid_findings
from uireview.checks.spacing.padding import MIN_PADDING_DEVIATION_PX, padding_findings
from uireview.checks.spacing.shifts import explain_shifts
from uireview.checks.spacing.siblings import Candidate, siblings
from uireview.findings import Finding
from uireview.screen import Screen

MAX_FINDINGS = 8


def check(screen: Screen) -> list[Finding]:
    """Spacing and alignment findings for one screen, most significant first (at most 8)."""
    elements, witnesses, helped = with_fields(screen.elements)
    gaps = [g for g in gaps_of(elements) if g.a not in helped]
    gap_c = gap_findings(screen, elements, gaps, witnesses)
    align_c = alignment_findings(screen, elements)
    align_c = column_findings(screen, elements, align_c)
    uneven = {tuple(sorted(c.elements)) for c in gap_c}
    gap_c, align_c = explain_shifts(gap_c, align_c, elements, gaps)
    pad_c = padding_findings(screen, elements)
    moved = {i for c in align_c for i in c.elements}
    flagged_pairs = {
        (g.a, g.b)
        for g in gaps
        if tuple(sorted((g.a, g.b))) in uneven or g.a in moved or g.b in moved
    }
    grid_c = grid_findings(screen, elements, gaps, flagged_pairs)
    list_c = [Candidate(sig, f) for sig, f in pitch.findings(screen, elements, siblings(elements))]
    candidates = gap_c + align_c + pad_c + grid_c + list_c
    candidates.sort(key=lambda c: -c.significance)
    # one reader: a line both a place and a title need is read once (~50 ms a read)
    read = naming.line_reader(screen)
    named = naming.name(screen, elements, [c.finding for c in candidates[:MAX_FINDINGS]], read)
    return words.reword(screen, elements, named, words.reader(screen, read))


__all__ = [
    "GRID_PX",
    "MAX_FINDINGS",
    "MAX_GAP_RATIO",
    "MIN_GAP_DEVIATION_PX",
    "MIN_PADDING_DEVIATION_PX",
    "NEAR_MISS_PX",
    "Form",
    "check",
    "with_fields",
]
