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


# Placeholders: text at the start of a field, greyed out, shown only while it is empty.

BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"


def _magnifier(draw, x: int, y: int, colour: str) -> None:
    """A search icon: a ring and its handle, about 13 px."""
    draw.ellipse((x, y, x + 9, y + 9), outline=colour, width=2)
    draw.line((x + 8, y + 8, x + 12, y + 12), fill=colour, width=2)


def _on(page: str, size=(1000, 300)):
    def findings(draw_on) -> list:
        img = Image.new("RGB", size, page)
        draw_on(ImageDraw.Draw(img))
        return check(Screen(np.asarray(img)))

    return findings


def _smooth_field(img, box, radius: int, outline: str, fill: str) -> None:
    """A rounded field as a browser draws it: its corners anti-aliased into the page."""
    x0, y0, x1, y1 = box
    big = Image.new("RGB", ((x1 - x0 + 1) * 4, (y1 - y0 + 1) * 4), img.getpixel((x0, y0)))
    corners = (0, 0, big.width - 1, big.height - 1)
    ImageDraw.Draw(big).rounded_rectangle(
        corners, radius=radius * 4, outline=outline, fill=fill, width=4
    )
    img.paste(big.resize((x1 - x0 + 1, y1 - y0 + 1), Image.LANCZOS), (x0, y0))


def test_placeholder_after_a_search_icon_is_only_info():
    # Gentelella's kanban filter: a compact field in the page's own colour with a one-pixel
    # border whose rounded corners blend into the page, a magnifier, then the faint grey
    # prompt (the recogniser may not see its ellipsis: the field and the grey tell it).
    img = Image.new("RGB", (1000, 300), "#f5f7fb")
    d = ImageDraw.Draw(img)
    d.text((60, 40), "Sprint board", fill="#1e2633", font=ImageFont.truetype(SANS, 18))
    _smooth_field(img, (300, 103, 520, 127), 6, "#e6e7eb", "#f5f7fb")
    _magnifier(d, 310, 109, "#a4abb6")
    d.text((334, 106), "Filter cards", fill="#c0c7cf", font=ImageFont.truetype(SANS, 14))
    findings = check(Screen(np.asarray(img)))
    (note,) = [f for f in findings if f.rule == "contrast.placeholder"]
    assert note.severity == "info" and "placeholder" in note.detail
    assert _rules(findings) == ["contrast.placeholder"]


def test_a_long_placeholder_after_an_icon_is_only_info():
    # Gentelella's user list: the prompt after the icon nearly fills its field, so it starts
    # farther in than a value would and ends near the right edge.
    def draw(d):
        d.rounded_rectangle((293, 100, 533, 131), radius=6, outline="#e6e7eb", fill="#f5f7fb")
        _magnifier(d, 303, 109, "#a4abb6")
        font = ImageFont.truetype(SANS, 14)
        d.text((325, 106), "Name, email or team", fill="#c0c7cf", font=font)

    findings = _on("#ffffff")(draw)
    assert _rules(findings) == ["contrast.placeholder"]


def test_search_prompt_after_an_icon_in_a_plain_bar_is_only_info():
    # Sneat's top bar: no field is drawn around the search input, only the icon and the
    # prompt on the bar's white; the words say it is a prompt.
    def draw(d):
        d.rounded_rectangle((20, 20, 980, 95), radius=8, fill="#ffffff")
        _magnifier(d, 44, 51, "#697a8d")
        d.text((70, 48), "Search docs", fill="#b4bdc6", font=ImageFont.truetype(SANS, 15))

    findings = _on("#f5f5f9")(draw)
    assert _rules(findings) == ["contrast.placeholder"]


def test_faint_text_after_an_icon_that_is_no_prompt_still_fails():
    # A clock and "Updated 2 hours ago" in the same faint grey is a muted label, not a
    # prompt: no field around it and it does not read like one.
    def draw(d):
        d.ellipse((44, 44, 56, 56), outline="#b4bdc6", width=2)
        d.text((66, 41), "Updated 2 hours ago", fill="#b4bdc6", font=ImageFont.truetype(SANS, 15))

    assert _rules(_on("#ffffff")(draw)) == ["contrast.aa"]


def test_a_value_after_an_icon_in_a_field_that_is_not_faint_still_fails():
    # A typed value is set darker than a placeholder: #8592a3 (3.16:1) in a field after an
    # icon is a value that fails, not a prompt.
    def draw(d):
        d.rounded_rectangle((300, 100, 560, 136), radius=6, outline="#d9dee3", fill="#ffffff")
        _magnifier(d, 312, 111, "#8592a3")
        d.text((336, 109), "Acme Corporation", fill="#8592a3", font=ImageFont.truetype(SANS, 15))

    assert _rules(_on("#ffffff")(draw)) == ["contrast.aa"]


def test_faint_text_in_the_rows_of_a_bordered_table_is_not_a_placeholder():
    # Each row is a box of input height with the text at its left, but the side borders
    # run on from row to row: a table, whose faint text fails.
    def draw(d):
        for i, word in enumerate(("Pending review", "Awaiting stock", "Back ordered")):
            y = 60 + 36 * i
            d.rectangle((200, y, 600, y + 36), outline="#dfe3e8", fill="#ffffff")
            d.text((212, y + 9), word, fill="#b4bdc6", font=ImageFont.truetype(SANS, 15))

    assert "contrast.aa" in _rules(_on("#ffffff")(draw))


# Disabled text buttons: no surface to fade, so the same words at full strength elsewhere
# on the screen tell them.


def _pdf_rows(d, words=("PDF", "PDF", "PDF"), font=BOLD, alpha=0.65) -> None:
    face = ImageFont.truetype(font, 14)
    for i, word in enumerate(words):
        y = 60 + 60 * i
        d.text((200, y), f"March {i + 1}, 2026", fill="#344767", font=face)
        colour = _blend("#344767", "#ffffff", alpha) if i == 1 else "#344767"
        d.text((800, y), word, fill=colour, font=face)


def test_a_text_button_faded_from_its_enabled_twin_is_noted_as_disabled():
    # Material's invoice list: "PDF" links in #344767, one disabled at opacity 0.65
    # (3.68:1 on white).
    findings = _findings(_pdf_rows)
    (note,) = [f for f in findings if f.rule == "contrast.inactive"]
    assert note.text == "PDF" and note.severity == "info"
    assert _rules(findings) == ["contrast.inactive"]


def test_a_lighter_line_with_other_words_is_not_a_faded_twin():
    # The same size and a faded colour (below 3:1, so it fails at any size), but other
    # words: a lighter style of its own.
    findings = _findings(lambda d: _pdf_rows(d, ("PDF", "CSV", "PDF"), MONO, 0.45))
    assert _rules(findings) == ["contrast.aa"]


def test_a_faded_floating_button_cut_by_a_seam_is_noted_as_disabled():
    # Sneat's floating "Upgrade to Pro" disabled: #ff3e1d at 0.65 over white, a coloured
    # shadow around it, and a one-row seam across its fill just above the label (Chromium
    # composites the translucent layer in tiles).
    def draw(d):
        for i in range(20, 0, -1):  # the shadow, fading out over 20 px
            tint = _blend("#ff8a70", "#ffffff", 0.6 * (1 - i / 20))
            d.rounded_rectangle((700 - i, 120 - i, 844 + i, 159 + i), radius=8 + i, fill=tint)
        d.rounded_rectangle((700, 120, 844, 159), radius=8, fill=_blend("#ff3e1d", "#ffffff", 0.65))
        d.line((706, 130, 838, 130), fill=(242, 118, 97))
        d.text((720, 131), "Upgrade to Pro", fill="#ffffff", font=ImageFont.truetype(SANS, 15))

    findings = _findings(draw)
    assert _rules(findings) == ["contrast.inactive"]


def test_a_lighter_line_beside_one_darker_copy_of_its_words_still_fails():
    # Tailwind's gray-400 under the same words in gray-700 (2.54:1): greys are near blends
    # of one another, and one darker copy is no list of enabled links.
    def draw(d):
        face = ImageFont.truetype(SANS, 14)
        d.text((18, 40), "Quarterly revenue report", fill="#374151", font=face)
        d.text((18, 100), "Quarterly revenue report", fill="#9ca3af", font=face)

    assert _rules(_findings(draw)) == ["contrast.aa"]


def test_a_faint_label_centred_in_an_outline_button_is_not_a_placeholder():
    # A button centres its label; a field's text starts at its left. A faint grey outline
    # button that is not a faded vivid one fails (sneat's Discard, 92 px wide).
    def draw(d):
        font = ImageFont.truetype(SANS, 15)
        d.text((60, 40), "Notification settings", fill="#384551", font=font)
        d.rounded_rectangle((260, 100, 352, 138), radius=6, outline="#afb7c2", fill="#ffffff")
        d.text((306 - font.getlength("Discard") / 2, 110), "Discard", fill="#afb7c2", font=font)

    assert _rules(_findings(draw)) == ["contrast.aa"]
