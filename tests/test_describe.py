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
    assert f.title.startswith("Changed area 1 “") and "expenses" in f.title.lower()


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
