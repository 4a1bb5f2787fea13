"""Disabled controls told from the pixels: noted as info with the reason, never failed."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from uireview.checks.contrast import check
from uireview.screen import Screen

SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _rgb(hex_: str) -> tuple[int, int, int]:
    return tuple(int(hex_[i : i + 2], 16) for i in (1, 3, 5))


def _blend(colour: str, page: str, alpha: float) -> tuple[int, int, int]:
    c, p = _rgb(colour), _rgb(page)
    return tuple(round(p[i] + alpha * (c[i] - p[i])) for i in range(3))


def _button(draw, x: int, label: str, fill, text="#ffffff", outline=None) -> None:
    draw.rounded_rectangle((x, 100, x + 130, 138), radius=6, fill=fill, outline=outline, width=1)
    draw.text((x + 20, 110), label, fill=text, font=ImageFont.truetype(SANS, 15))


def _findings(draw_on) -> list:
    img = Image.new("RGB", (1000, 300), "#ffffff")
    draw_on(ImageDraw.Draw(img))
    return check(Screen(np.asarray(img)))


def _rules(findings) -> list[str]:
    return [f.rule for f in findings if f.rule != "contrast.aaa"]


def test_a_lone_button_faded_from_a_vivid_colour_is_noted_as_disabled():
    # Bootstrap draws a disabled button at opacity 0.65: #0d6efd becomes #61a0fd, with no
    # enabled copy on the screen to compare with.
    findings = _findings(lambda d: _button(d, 260, "Submit", _blend("#0d6efd", "#ffffff", 0.65)))
    (note,) = [f for f in findings if f.rule == "contrast.inactive"]
    assert _rules(findings) == ["contrast.inactive"]
    assert note.severity == "info" and note.text == "Submit"
    assert "disabled" in note.title.lower() and "exempts" in note.detail


def test_a_vivid_button_that_fails_is_not_taken_for_a_disabled_one():
    # Sneat's enabled primary #696cff (4.0:1 with white) could be some colour at 0.65,
    # but it is too vivid to be a faded one: it fails.
    findings = _findings(lambda d: _button(d, 260, "Send", "#696cff"))
    assert _rules(findings) == ["contrast.aa"]


def test_a_saturated_button_no_opacity_can_give_still_fails():
    # White on #1abb9c (2.4:1): its blue channel is below any 0.65 blend over white.
    findings = _findings(lambda d: _button(d, 260, "Validate", "#1abb9c"))
    assert _rules(findings) == ["contrast.aa"]


def test_an_outline_button_whose_border_and_text_are_faded_is_noted_as_disabled():
    faded = _blend("#ff3e1d", "#ffffff", 0.65)
    findings = _findings(lambda d: _button(d, 260, "Danger", "#ffffff", faded, outline=faded))
    assert _rules(findings) == ["contrast.inactive"]


def test_light_grey_text_in_a_bordered_box_is_not_taken_for_a_faded_outline_button():
    # A grey lighter than the body text is as often a style of its own: it fails.
    def draw(d):
        d.text((60, 40), "Quarterly revenue", fill="#697a8d", font=ImageFont.truetype(SANS, 15))
        _button(d, 260, "Archive", "#ffffff", "#afb7c2", outline="#afb7c2")

    assert "contrast.aa" in _rules(_findings(draw))
