"""The pass/fail gate (``--fail-on-pixels``, the Compare page's badge) and the ignore list."""

from __future__ import annotations

import pytest

from uireview.compare.gate import Gate, parse_gate
from uireview.compare.ignored import format_ignored, parse_ignored
from uireview.findings import Box


def test_a_pixel_count_passes_at_the_limit_and_fails_one_above():
    gate = parse_gate("500")
    assert gate == Gate(pixels=500)
    assert gate.judge(500, 10_000).passed
    verdict = gate.judge(501, 10_000)
    assert not verdict.passed and verdict.allowed == 500
    assert verdict.sentence == "fail: 501 px differ, 500 allowed"


def test_a_share_is_of_the_pixels_compared():
    gate = parse_gate(" 0.1% ")
    assert gate == Gate(share=0.1)
    verdict = gate.judge(1_296, 1_296_000)
    assert verdict.passed and verdict.allowed == 1_296
    assert not gate.judge(1_297, 1_296_000).passed
    assert "0.1% of 1,296,000 px" in verdict.sentence


BAD_LIMITS = [
    ("lots", "not a limit"),
    ("1.5", "whole number"),
    ("101%", "at most 100%"),
    ("-3", "not a limit"),
]


@pytest.mark.parametrize(("text", "words"), BAD_LIMITS)
def test_a_limit_that_is_not_one_is_explained(text, words):
    with pytest.raises(ValueError, match=words):
        parse_gate(text)


def test_ignored_areas_keep_the_frame_they_were_given_in():
    after, before, problems = parse_ignored(
        "10,20,30,40\n# a clock\nbefore: 1,2,3,4\nAfter: 5,6,7,8\nsideways: 1,2,3,4\n1,2"
    )
    assert after == [Box(10, 20, 30, 40), Box(5, 6, 7, 8)]
    assert before == [Box(1, 2, 3, 4)]
    assert len(problems) == 2 and problems[0].startswith("Line 5:")
    assert parse_ignored(format_ignored(after, before))[:2] == (after, before)
