"""Untrusted text cannot carry a live link into rendered Markdown."""

import re

from uireview.inert import ZWSP, break_autolinks


def test_schemes_and_www_are_split_by_an_invisible_space():
    text = "see https://evil.example/x, HTTP://A.B, www.evil.com and mailto:a@b.c"
    out = break_autolinks(text)
    assert not re.search(r"(?i)(https?|mailto):(?!\u200b)|www\.", out)
    assert out.replace(ZWSP, "") == text  # a reader sees the same characters


def test_ordinary_text_is_untouched():
    text = "Price: $12, ratio 2.9:1, see the www-less docs"
    assert break_autolinks(text) == text
