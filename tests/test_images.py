"""Uploads: what we accept, what we refuse with a sentence, and what we send."""

import base64
import io

import numpy as np
import pytest
from PIL import Image

from tests.imagegen import encode, png_bytes, screenshot
from uireview.errors import BadImage
from uireview.images import (
    MAX_EDGE,
    MAX_PIXELS,
    check_count,
    encode_for_model,
    encode_original,
    load_image,
    safe_name,
)


@pytest.mark.parametrize(
    "fmt,mime",
    [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp"), ("GIF", "image/gif")],
)
def test_each_accepted_format_loads_with_its_true_mime(fmt, mime):
    image = load_image(encode(screenshot(), fmt), "shot.bin")
    assert image.mime == mime
    assert (image.width, image.height) == (800, 500)
    assert image.rgb.shape == (500, 800, 3)


def test_a_png_renamed_jpg_is_read_as_png():
    assert load_image(png_bytes(), "shot.jpg").mime == "image/png"


@pytest.mark.parametrize(
    "data,phrase",
    [
        (b"", "empty"),
        (b"<html><body>hi</body></html>", "not an image"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not an image"),
    ],
)
def test_non_images_are_refused_with_a_sentence(data, phrase):
    with pytest.raises(BadImage, match=phrase):
        load_image(data, "x.png")


def test_truncated_png_is_refused_as_damaged():
    with pytest.raises(BadImage, match="cut off or damaged|not an image"):
        load_image(png_bytes()[:2000], "cut.png")


def test_bmp_is_refused_naming_the_formats_we_take():
    with pytest.raises(BadImage, match="PNG, JPEG, WebP or GIF"):
        load_image(encode(screenshot(), "BMP"), "x.bmp")


def test_animated_gif_is_refused():
    frames = [screenshot(text=str(i)) for i in range(3)]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=100)
    with pytest.raises(BadImage, match="animated"):
        load_image(buf.getvalue(), "anim.gif")


def test_over_20_mib_is_refused_before_decoding():
    with pytest.raises(BadImage, match="20 MiB"):
        load_image(b"\x89PNG" + b"\0" * (20 * 1024 * 1024 + 1), "big.png")


def test_decompression_bomb_is_refused_from_its_declared_size():
    # A PNG that declares 30000 x 30000 but is a few KB: refused before any pixel is decoded.
    bomb = encode(Image.new("L", (30000, 30000)), "PNG", optimize=True)
    assert len(bomb) < 2_000_000
    with pytest.raises(BadImage, match="too large|decompression bomb"):
        load_image(bomb, "bomb.png")


def test_exif_rotation_is_applied_and_forces_a_reencode():
    img = screenshot(400, 200)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to view
    image = load_image(encode(img, "JPEG", exif=exif.tobytes()), "phone.jpg")
    assert (image.width, image.height) == (200, 400)
    assert image.reencode
    sent = encode_original(image)
    assert Image.open(io.BytesIO(sent.data)).size == (200, 400)


def test_more_than_ten_images_are_refused():
    check_count(10)
    with pytest.raises(BadImage, match="at most 10"):
        check_count(11)


def test_file_names_lose_folders_and_control_characters():
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\Users\\a\\shot.png") == "shot.png"
    # Line breaks read as spaces (a name on two lines), other control characters go.
    assert safe_name("a\x00b\nc.png") == "ab c.png"


def test_ui_screenshots_are_sent_as_png_and_photos_as_jpeg():
    ui = encode_for_model(screenshot())
    assert ui.mime == "image/png"
    noise = Image.fromarray(
        np.random.default_rng(1).integers(0, 255, (400, 600, 3), dtype=np.uint8)
    )
    photo = encode_for_model(noise)
    assert photo.mime == "image/jpeg"
    assert photo.data_uri.startswith("data:image/jpeg;base64,")
    assert base64.b64decode(photo.data_uri.split(",", 1)[1]) == photo.data


def test_long_edge_is_capped_at_8192():
    tall = Image.new("RGB", (1000, 10000), "white")
    sent = encode_for_model(tall)
    assert (sent.width, sent.height) == (819, MAX_EDGE)


def _declared_png(width: int, height: int) -> bytes:
    """A PNG whose header declares ``width`` x ``height`` grey pixels (the data is a stub)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def test_our_pixel_limit_refuses_what_pillow_would_only_warn_about():
    # 100 MP: past Pillow's warning level, under its error level. Pillow only warns (its own
    # line in the log); our check of the declared size refuses it before any decode.
    assert MAX_PIXELS < (Image.MAX_IMAGE_PIXELS or 0) < 100_000_000
    with pytest.raises(BadImage, match="megapixels"), pytest.warns(Image.DecompressionBombWarning):
        load_image(_declared_png(10_000, 10_000), "huge.png")


def test_loading_leaves_the_process_wide_warning_filters_alone(monkeypatch):
    # catch_warnings swaps the global filter list while it is entered: two threads decoding at
    # once raced on it. Pillow must decode under the process's own, untouched list.
    import warnings

    filters = warnings.filters
    seen: list[bool] = []
    real_open = Image.open

    def spying_open(*args, **kwargs):
        seen.append(warnings.filters is filters and warnings.filters == list(filters))
        return real_open(*args, **kwargs)

    before = list(filters)
    monkeypatch.setattr(Image, "open", spying_open)
    assert load_image(encode(screenshot(320, 200)), "ok.png").width == 320
    for bomb in (_declared_png(9_000, 8_000), _declared_png(30_000, 30_000)):
        with pytest.raises(BadImage):
            load_image(bomb, "bomb.png")
    assert seen == [True, True, True]
    assert warnings.filters is filters and list(filters) == before
