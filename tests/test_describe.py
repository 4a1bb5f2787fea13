"""A diff region's finding quotes the words read in it, as contrast findings quote theirs."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from uireview.boxes import Box
from uireview.compare.describe import first_line
from uireview.compare.diff import compare, diff_findings, region_words

SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _page(label: str, dot: bool = False) -> np.ndarray:
    im = Image.new("RGB", (640, 360), (255, 255, 255))
    d = ImageDraw.Draw(im)
    font = ImageFont.truetype(SANS, 18)
    d.text((40, 40), "Monthly report", fill=(20, 20, 20), font=font)
    d.text((40, 160), label, fill=(20, 20, 20), font=font)
    if dot:
        d.ellipse((500, 300, 520, 320), fill=(200, 40, 40))
    return np.asarray(im.convert("RGBA"))


def test_a_changed_region_quotes_its_words_in_the_title():
    before, after = _page("Total revenue"), _page("Total expenses")
    result = compare(before, after)
    words = region_words(result, before, after)
    (f,) = diff_findings(result, words=words)
    assert f.text is not None and "expenses" in f.text.lower()
    # its words name it, so its number is not needed
    assert f.title.startswith("Changed area: “") and "expenses" in f.title.lower()


def test_a_region_without_words_keeps_its_plain_title():
    before, after = _page("Total revenue"), _page("Total revenue", dot=True)
    result = compare(before, after)
    (f,) = diff_findings(result, words=region_words(result, before, after))
    assert f.title == "Added content 1" and f.text is None


def test_without_words_titles_are_numbered_only():
    before, after = _page("Total revenue"), _page("Total expenses")
    (f,) = diff_findings(compare(before, after))
    assert f.title == "Changed area 1"


def test_a_region_that_cuts_through_a_word_reads_the_whole_word():
    im = Image.new("RGB", (640, 200), (255, 255, 255))
    d = ImageDraw.Draw(im)
    d.text((40, 60), "Quarterly", fill=(20, 20, 20), font=ImageFont.truetype(SANS, 18))
    d.text((400, 60), "Forecast", fill=(20, 20, 20), font=ImageFont.truetype(SANS, 18))
    ink = np.flatnonzero((np.asarray(im)[:, :, 0] < 128).any(axis=0))
    line = first_line(np.asarray(im), Box(70, 40, 600, 120))  # starts inside "Quarterly"
    assert line is not None
    assert line.x0 <= ink[0] and line.x1 < 400  # the whole first word, not the next block


def _cards(dx: int) -> np.ndarray:
    """A row of three bordered cards with their labels, moved ``dx`` px right."""
    im = Image.new("RGB", (900, 320), (245, 246, 248))
    d = ImageDraw.Draw(im)
    font = ImageFont.truetype(SANS, 16)
    d.text((30, 20), "Dashboard", fill=(20, 20, 20), font=font)
    for i, label in enumerate(("Avg session", "Orders", "Revenue")):
        x = 200 + dx + i * 220
        d.rectangle((x, 80, x + 200, 220), fill=(255, 255, 255), outline=(210, 212, 218))
        d.text((x + 16, 96), label.upper(), fill=(90, 90, 100), font=font)
        d.text((x + 16, 130), f"{(i + 1) * 1234:,}", fill=(20, 20, 20), font=font)
    return np.asarray(im.convert("RGBA"))


def test_a_row_moved_sideways_is_named_by_its_words_and_placed_where_it_landed():
    before, after = _cards(0), _cards(12)
    result = compare(before, after)
    assert any(s.dx == 12 for s in result.shifts), result.shifts
    findings = diff_findings(result, words=region_words(result, before, after))
    (shift,) = [f for f in findings if f.rule == "diff.shift"]
    assert shift.title.startswith("The row with “") and "moved right 12 px" in shift.title
    assert shift.text is not None and "SESSION" in shift.text.upper()
    assert shift.box is not None and shift.box.x0 >= 200
