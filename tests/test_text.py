"""Text detection and per-line measurements on images made with Pillow."""

from __future__ import annotations

import io
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from uireview.screen.text import detect_text

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DEJAVU_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
LIBERATION = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"


def _image(lines, size=(900, 500), bg="#ffffff") -> np.ndarray:
    img = Image.new("RGB", size, bg)
    draw = ImageDraw.Draw(img)
    for text, (x, y), px, colour, font in lines:
        draw.text((x, y), text, fill=colour, font=ImageFont.truetype(font, px))
    return np.asarray(img)


def test_lines_are_found_with_their_exact_colours():
    rgb = _image(
        [
            ("Revenue this month", (40, 40), 20, "#1f2937", DEJAVU),
            ("Updated 5 minutes ago", (40, 120), 14, "#6b7280", LIBERATION),
        ],
        bg="#f9fafb",
    )
    regions = detect_text(rgb)
    assert len(regions) == 2
    top, bottom = regions
    assert top.box.y0 < 50 < top.box.y1 and bottom.box.y0 < 128 < bottom.box.y1
    assert top.fg == (0x1F, 0x29, 0x37) and top.bg == (0xF9, 0xFA, 0xFB)
    assert bottom.fg == (0x6B, 0x72, 0x80) and bottom.fg_exact
    # The ink box hugs the glyphs inside the detector's looser box.
    assert top.box.x0 <= top.ink_box.x0 and top.ink_box.x1 <= top.box.x1 + 3


@pytest.mark.parametrize("px", [14, 20, 32])
@pytest.mark.parametrize("font", [DEJAVU, LIBERATION])
def test_font_size_is_estimated_from_glyph_heights(px, font):
    rgb = _image([("Members and billing", (40, 40), px, "#000000", font)])
    (region,) = detect_text(rgb)
    # Fonts differ in cap and x-height proportions; within 12 % is what the check assumes.
    assert region.font_px == pytest.approx(px, rel=0.12)
    assert region.height == region.box.height


def test_bold_is_told_from_regular_by_stroke_width():
    rgb = _image(
        [
            ("Account settings", (40, 40), 20, "#000000", DEJAVU),
            ("Account settings", (40, 140), 20, "#000000", DEJAVU_BOLD),
        ]
    )
    regular, bold = detect_text(rgb)
    assert regular.bold is False and bold.bold is True
    assert bold.stroke_px > 1.3 * regular.stroke_px


def test_jpeg_noise_still_gives_close_colours():
    rgb = _image([("Quarterly report", (40, 40), 24, "#333333", DEJAVU)], size=(500, 120))
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "JPEG", quality=85)
    noisy = np.asarray(Image.open(buf).convert("RGB"))
    (region,) = detect_text(noisy)
    assert max(abs(a - b) for a, b in zip(region.fg, (0x33,) * 3, strict=True)) <= 16
    assert max(abs(a - b) for a, b in zip(region.bg, (255,) * 3, strict=True)) <= 3


def test_text_on_a_photo_has_no_colours():
    rng = np.random.default_rng(3)
    noise = rng.integers(0, 255, size=(150, 600, 3), dtype=np.uint8)
    img = Image.fromarray(noise)
    ImageDraw.Draw(img).text(
        (30, 50), "Summer sale", fill="#ffffff", font=ImageFont.truetype(DEJAVU_BOLD, 40)
    )
    for region in detect_text(np.asarray(img)):
        assert region.fg is None and region.bg is None and region.unmeasured


def test_small_text_in_a_4k_screenshot_is_found():
    rgb = _image(
        [("Last synced 2 minutes ago", (3000, 2000), 11, "#374151", LIBERATION)],
        size=(3840, 2160),
    )
    regions = detect_text(rgb)
    assert len(regions) == 1
    assert regions[0].box.x0 >= 2990 and regions[0].box.y0 >= 1990


def test_detection_model_loads_without_network():
    # The detector must come from the wheel: any socket use fails this run.
    code = (
        "import socket\n"
        "def blocked(*a, **k): raise OSError('network disabled in this test')\n"
        "socket.socket.connect = blocked\n"
        "socket.create_connection = blocked\n"
        "import numpy as np\n"
        "from PIL import Image, ImageDraw, ImageFont\n"
        "from uireview.screen.text import detect_text\n"
        "img = Image.new('RGB', (400, 100), 'white')\n"
        f"font = ImageFont.truetype({DEJAVU!r}, 20)\n"
        "ImageDraw.Draw(img).text((20, 30), 'Offline text', fill='black', font=font)\n"
        "print(len(detect_text(np.asarray(img))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1"


def test_retina_capture_of_unknown_dpr_is_detected_at_half_size_with_the_same_lines():
    from uireview.screen.text import detect_boxes

    lines = [
        (f"Row {i}: revenue up {i * 3} percent", (200, 160 + i * 70), 28, "#1f2937", DEJAVU)
        for i in range(8)
    ]
    rgb = _image(lines, size=(2880, 1800))  # 14 CSS px text at dpr 2
    auto = detect_boxes(rgb)
    full = detect_boxes(rgb, 1.0)
    assert len(auto) == len(full) == 8
    for a, b in zip(auto, full, strict=True):
        # The same line; the half-size detector's margins are a few pixels looser (and the
        # full size runs in tiles, whose edges move a box's margin by a pixel or two); lines
        # are 70 px apart, so a few pixels still tell one line from the next.
        assert abs(a.center[1] - b.center[1]) <= 6
        assert a.intersection(b).area >= 0.6 * a.area


def test_words_along_a_thin_strip_are_found_where_they_are_without_scaling_it_up():
    # The detector would scale this 12000 x 40 strip's short side to 736 px (220 MP); folded
    # into a block, the words are found at their own places, across the fold's seams.
    xs = [60, 3000, 7000, 11500]
    rgb = _image(
        [(f"Label {i}", (x, 8), 20, "#111111", DEJAVU) for i, x in enumerate(xs)],
        size=(12000, 40),
    )
    from uireview.screen.text import detect_boxes

    boxes = sorted(detect_boxes(rgb), key=lambda b: b.x0)
    assert len(boxes) == len(xs)
    for box, x in zip(boxes, xs, strict=True):
        assert abs(box.x0 - x) <= 6 and box.x1 - box.x0 < 120
        assert 0 <= box.y0 <= 10 and 26 <= box.y1 <= 40


def test_a_word_in_a_tall_narrow_strip_is_found_at_its_height():
    rgb = _image([("OK", (6, 9000), 20, "#111111", DEJAVU)], size=(48, 12000))
    from uireview.screen.text import detect_boxes

    (box,) = detect_boxes(rgb)
    assert abs(box.y0 - 9000) <= 8 and box.x1 <= 48


def test_lines_are_read_with_the_spaces_between_words():
    from uireview.screen.text import read_lines

    rgb = _image(
        [
            ("Weekly retention report", (40, 40), 15, "#6b7280", DEJAVU),
            ("PENDING REQUESTS", (40, 120), 13, "#858796", DEJAVU_BOLD),
        ]
    )
    regions = detect_text(rgb)
    readings = read_lines(rgb, regions)
    assert [r.text for r in readings] == ["Weekly retention report", "PENDING REQUESTS"]
    assert all(r.is_text and r.score > 0.8 for r in readings)


def test_words_read_in_one_thread_are_the_words_rapidocrs_own_session_reads(monkeypatch):
    # read_lines runs the recogniser in a one-thread session (quicker for a line's small
    # input); the model and the words are RapidOCR's own.
    from uireview.screen import text as text_module

    rgb = _image(
        [
            ("Earnings (Monthly)", (40, 40), 13, "#4e73df", DEJAVU_BOLD),
            ("Showing 1 to 10", (40, 120), 14, "#858796", LIBERATION),
        ]
    )
    regions = detect_text(rgb)
    ours = [r.text for r in text_module.read_lines(rgb, regions)]
    assert text_module._recogniser().session.get_session_options().intra_op_num_threads == 1
    theirs = text_module._engine().text_rec.session
    monkeypatch.setattr(text_module, "_recogniser", lambda: theirs)
    assert [r.text for r in text_module.read_lines(rgb, regions)] == ours
    assert ours == ["Earnings (Monthly)", "Showing 1 to 10"]


def test_lines_read_in_batches_on_two_threads_read_as_on_one(monkeypatch):
    # read_lines runs its batches (up to _REC_BATCH lines each) on READ_THREADS threads,
    # and read_soon reads one line in the background: neither may change a line's words.
    from uireview.screen import text as text_module

    words = ["Earnings", "Pending", "Revenue", "Orders", "Support", "Invoices", "Settings"]
    rgb = _image([(w, (40, 20 + 44 * i), 14, "#6b7280", DEJAVU) for i, w in enumerate(words)])
    regions = detect_text(rgb)
    assert text_module.READ_THREADS >= 2 and len(regions) > text_module._REC_BATCH
    on_threads = text_module.read_lines(rgb, regions)
    soon = [f.result() for f in [text_module.read_soon(rgb, r) for r in regions]]

    class OneThread:
        def map(self, fn, items):
            return map(fn, items)

    monkeypatch.setattr(text_module, "_pool", OneThread)
    assert text_module.read_lines(rgb, regions) == on_threads
    assert soon == [text_module.read_lines(rgb, [r])[0] for r in regions]
    assert [r.text for r in on_threads] == words


def test_a_long_line_is_read_from_its_start_only_and_says_so():
    from uireview.screen.text import read_lines

    text = "Invoices are sent on the first business day of each month to the billing contact"
    rgb = _image([(text, (20, 40), 14, "#111111", DEJAVU)], size=(1000, 120))
    (region,) = detect_text(rgb)
    (reading,) = read_lines(rgb, [region])
    assert reading.cut and reading.text.endswith("…")
    assert text.startswith(reading.text.removesuffix("…").strip())


def test_a_dot_reads_as_no_words():
    from uireview.findings import Box
    from uireview.screen.text import read_lines

    img = Image.new("RGB", (200, 60), "#ffffff")
    ImageDraw.Draw(img).ellipse((90, 24, 102, 36), fill="#1cc88a")
    (reading,) = read_lines(np.asarray(img), [Box(80, 14, 112, 46)])
    assert not reading.is_text


def test_an_icon_before_the_words_is_not_read_as_a_letter():
    # A magnifier before "Search" reads as "Q" to the recogniser; set apart by more than a
    # word space, it is an icon, and the name is the words.
    from uireview.screen.text import read_lines

    img = Image.new("RGB", (600, 100), "#ffffff")
    draw = ImageDraw.Draw(img)
    draw.ellipse((40, 38, 52, 50), outline="#111111", width=2)
    draw.line((50, 48, 56, 54), fill="#111111", width=2)
    draw.text((68, 36), "Search orders", fill="#111111", font=ImageFont.truetype(DEJAVU, 16))
    rgb = np.asarray(img)
    (region,) = detect_text(rgb)
    (reading,) = read_lines(rgb, [region])
    assert reading.text == "Search orders"


def test_initials_on_an_avatar_circle_are_measured_though_the_box_spills_over_it():
    # The detector's box around an avatar's initials can take in the page at the circle's
    # corners: two flat colours, not a gradient, so the text is measured on its circle.
    from uireview.findings import Box
    from uireview.screen.text import measure_line

    img = Image.new("RGB", (120, 90), "#ffffff")
    draw = ImageDraw.Draw(img)
    draw.ellipse((40, 30, 66, 56), fill="#4299e1")
    font = ImageFont.truetype(DEJAVU_BOLD, 10)
    draw.text((53, 43), "SK", fill="#ffffff", font=font, anchor="mm")
    (region,) = measure_line(np.asarray(img), Box(36, 28, 70, 58))
    assert region.fg == (255, 255, 255) and region.bg == (0x42, 0x99, 0xE1)


def test_a_placeholder_after_a_search_icon_and_a_shortcut_chip_are_two_colours():
    # "🔍 Search pages…  ⌘K": the icon is left out, and the chip's grey key is measured on
    # the chip, not lost in the field's placeholder colour.
    from uireview.findings import Box
    from uireview.screen.text import measure_line

    img = Image.new("RGB", (420, 60), "#f5f7fb")
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(LIBERATION, 13)
    draw.ellipse((12, 22, 24, 34), outline="#626d7d", width=2)  # a magnifier
    draw.text((40, 20), "Search pages or run a command", fill="#c0c7cf", font=font)
    draw.rounded_rectangle((300, 16, 336, 42), radius=4, fill="#ffffff", outline="#e5e7eb")
    draw.text((308, 20), "Ctrl", fill="#7e8896", font=font)
    regions = measure_line(np.asarray(img), Box(8, 18, 340, 40))
    colours = [r.fg for r in regions if r.colours_known]
    assert (0xC0, 0xC7, 0xCF) in colours and (0x7E, 0x88, 0x96) in colours
