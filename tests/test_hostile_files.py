"""Hostile uploads: every case in tests/hostile.py gives one clear outcome, fast, everywhere.

The engine (``load_image``) is checked for every case; the CLI for a representative few
(each is a subprocess); the Review page for one batch mixing good and bad files.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from tests import hostile
from tests.hostile import BY_ID, CASES, Case
from uireview.errors import BadImage
from uireview.images import MAX_IMAGES, check_count, encode_original, load_image, safe_name

REPO = Path(__file__).resolve().parents[1]
PAGE = str(REPO / "pages" / "review.py")  # see tests/test_review_page.py for why not app.py
# Seconds one file may take to be accepted or refused. The slowest today is ~0.2 s (the
# 12000 px strip); a decode that hangs or runs away on a bomb blows well past this.
LOAD_BOUND = 10.0

_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hostile-load")


def bounded_load(data: bytes, name: str):
    """``load_image`` in a worker thread: fails the test instead of hanging it."""
    started = time.perf_counter()
    future = _pool.submit(load_image, data, name)
    try:
        result = future.result(timeout=LOAD_BOUND)
    except FutureTimeout:
        pytest.fail(f"load_image did not finish within {LOAD_BOUND} s")
    return result, time.perf_counter() - started


def outcome(case: Case):
    """("accepted", image) or ("refused", message); a crash of another type propagates."""
    try:
        image, _ = bounded_load(case.make(), case.filename)
    except BadImage as err:
        return "refused", str(err)
    return "accepted", image


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_hostile_file_is_accepted_or_refused_with_one_clear_sentence(case):
    case.make()  # building the bytes (a 64 MP PNG) is not the load being timed
    started = time.perf_counter()
    kind, result = outcome(case)
    assert time.perf_counter() - started < LOAD_BOUND
    if case.accepted:
        assert kind == "accepted", f"{case.id} was refused: {result}"
        assert result.rgb.shape == (result.height, result.width, 3)
        assert result.width >= 8 and result.height >= 8
        assert "/" not in result.name and "\\" not in result.name
        encode_original(result)  # what would be sent can be built
        return
    assert kind == "refused", f"{case.id} was accepted as {result.width}x{result.height}"
    message = result
    assert case.refuse.lower() in message.lower(), message
    assert "\n" not in message and "Traceback" not in message
    assert safe_name(case.filename) in message, "the message names the file"
    assert len(message) < 300
    assert "BytesIO" not in message and "object at 0x" not in message, "no Python internals"


def test_the_corpus_covers_at_least_thirty_cases_of_both_outcomes():
    assert len(CASES) >= 30
    assert len({c.id for c in CASES}) == len(CASES)
    assert sum(c.accepted for c in CASES) >= 10
    assert sum(not c.accepted for c in CASES) >= 20


def test_a_sixteen_bit_grey_ramp_keeps_its_tones_instead_of_turning_white():
    image, _ = bounded_load(BY_ID["png_16bit_gray"].make(), "deep.png")
    row = image.rgb[0, :, 0].astype(int)
    assert row[0] < 5 and row[-1] > 250
    assert 100 < row[len(row) // 2] < 156
    assert (np.diff(row) >= 0).all(), "the ramp still rises left to right"
    assert image.reencode, "16-bit data is re-encoded before sending"


def test_a_sixteen_bit_rgb_png_reads_as_mid_grey():
    image, _ = bounded_load(BY_ID["png_16bit_rgb"].make(), "deep-rgb.png")
    assert abs(int(image.rgb.mean()) - 128) <= 1


def test_exif_rotation_is_applied_and_the_upright_pixels_are_sent():
    image, _ = bounded_load(BY_ID["exif_rotated_jpeg"].make(), "phone.jpg")
    assert (image.width, image.height) == (400, 640)
    assert image.reencode
    sent = encode_original(image)
    assert (sent.width, sent.height) == (400, 640)


def test_cmyk_jpeg_is_shown_in_rgb_and_re_encoded_for_the_model():
    image, _ = bounded_load(BY_ID["cmyk_jpeg"].make(), "cmyk.jpg")
    assert image.reencode and image.mime == "image/jpeg"
    assert image.rgb[200, 5].tolist() == pytest.approx([245, 246, 248], abs=12)  # page background


def test_palette_transparency_becomes_alpha_composited_on_white():
    image, _ = bounded_load(BY_ID["palette_transparency"].make(), "palette.png")
    assert (image.rgba[..., 3] == 0).any()
    assert (image.rgb[image.rgba[..., 3] == 0] == 255).all()


def test_a_wide_strip_is_accepted_and_capped_at_the_api_edge_when_sent():
    image, _ = bounded_load(BY_ID["wide_strip_12000"].make(), "strip.png")
    assert image.width == 12000
    assert max(encode_original(image).width, encode_original(image).height) <= 8192


def test_a_hostile_file_name_loses_its_folders_and_control_characters():
    image, _ = bounded_load(BY_ID["hostile_file_name"].make(), hostile.HOSTILE_NAME)
    assert image.name == "<img src=x onerror=alert(1)>'shot\".png"


def test_the_size_in_a_too_large_message_is_never_rounded_down_to_the_limit():
    data = b"\x89PNG\r\n\x1a\n" + bytes(20 * 1024 * 1024 - 7)  # 20 MiB + 1 byte
    with pytest.raises(BadImage, match=r"is 20\.1 MiB; the limit is 20 MiB"):
        load_image(data, "edge.png")


def test_eleven_files_at_once_are_refused_by_count():
    with pytest.raises(BadImage, match="at most 10"):
        check_count(len(hostile.eleven_files()))
    check_count(MAX_IMAGES)


# --- the CLI: a representative few (each run is a ~1 s subprocess) ---------------------------

CLI_CASES = [
    ("zero_bytes", "is empty"),
    ("html_as_png", "not an image we can read"),
    ("truncated_jpeg", "cut off or damaged"),
    ("png_bad_header_crc", "cut off or damaged"),
    ("decompression_bomb", "megapixels"),
    ("animated_gif", "is animated"),
    ("over_20_mib", "20 MiB"),
    ("bmp_as_png", "a BMP image"),
    ("cmyk_jpeg", None),
    ("exif_rotated_jpeg", None),
    ("jpeg_garbage_appended", None),
]


def run_cli(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "uireview", "review", *map(str, paths), "--no-model"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=90,
    )


@pytest.mark.parametrize("case_id,phrase", CLI_CASES, ids=[c for c, _ in CLI_CASES])
def test_the_cli_refuses_a_bad_file_with_exit_2_and_one_line_or_reviews_a_good_one(
    tmp_path, case_id, phrase
):
    case = BY_ID[case_id]
    path = tmp_path / case.filename
    path.write_bytes(case.make())
    result = run_cli(path)
    assert "Traceback" not in result.stderr
    if phrase is None:
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip()
        return
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert phrase in lines[0] and case.filename in lines[0]


def test_the_cli_refuses_eleven_files_with_exit_2(tmp_path):
    paths = []
    for name, data in hostile.eleven_files():
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    result = run_cli(*paths)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "uireview: 11 images were given; a review takes at most 10. "
        "Remove some and review the rest."
    ]


def test_the_cli_shows_a_quoted_html_file_name_as_given(tmp_path):
    name = "<img src=x onerror=alert(1)>'shot\".png"
    path = tmp_path / name
    path.write_bytes(b"<html>not a picture</html>")
    result = run_cli(path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"uireview: “{name}” is not an image we can read. "
        "Upload a PNG, JPEG, WebP or GIF screenshot."
    )


# --- whole reviews bounded by what the image holds: time and peak memory -----------------

# The CLI in a child process that reports its own peak resident memory (KiB) on its last
# stderr line; an address-space cap keeps a regression from eating the machine. The peak is
# VmHWM, this process image's own: Linux carries the forking parent's peak into ru_maxrss
# across exec, so a child of a grown pytest process would report pytest's size.
_MEASURED = (
    "import resource, sys\n"
    "from uireview.cli.main import main\n"
    "rc = main(sys.argv[1:])\n"
    "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "try:\n"
    "    with open('/proc/self/status') as f:\n"
    "        peak = next(int(l.split()[1]) for l in f if l.startswith('VmHWM:'))\n"
    "except (OSError, StopIteration):\n"
    "    pass\n"
    "print('peak_kib', peak, file=sys.stderr)\n"
    "sys.exit(rc)\n"
)


def measured_review(paths: list[Path], timeout: float) -> tuple[float, float, str]:
    """(seconds, peak MB, stdout) of ``review --no-model`` over ``paths``."""
    import resource

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (8 * 2**30, 8 * 2**30))

    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _MEASURED, "review", "--no-model", *map(str, paths)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=cap,
    )
    seconds = time.perf_counter() - started
    assert result.returncode == 0, result.stderr[-500:]
    assert "Traceback" not in result.stderr
    peak = int(result.stderr.strip().splitlines()[-1].split()[-1]) / 1024
    return seconds, peak, result.stdout


# Bounds are for a busy 2-core machine (measured here under a load average of 15-18):
# the thin strips took 8-11 s and 0.4-0.5 GB (they took 23 GB and were killed before), the
# 64 MP canvas 45 s and 1.29 GB. Time: a fixed start-up plus seconds a megapixel.
START_S, S_PER_MP = 40.0, 6.0
SIZED = [("thin_4096x8", 0.8), ("thin_20000x8", 0.8), ("thin_8x20000", 0.8), ("megapixels_64", 1.5)]


@pytest.mark.parametrize("case_id,gigabytes", SIZED, ids=[c for c, _ in SIZED])
def test_a_thin_or_huge_image_is_reviewed_within_its_time_and_memory_bounds(
    tmp_path, case_id, gigabytes
):
    case = BY_ID[case_id]
    path = tmp_path / case.filename
    path.write_bytes(case.make())
    with Image.open(path) as im:
        megapixels = im.width * im.height / 1e6
    bound = START_S + S_PER_MP * megapixels
    seconds, peak_mb, out = measured_review([path], timeout=bound + 60)
    assert out.strip()
    assert peak_mb <= gigabytes * 1024, f"{peak_mb:.0f} MB"
    assert seconds <= bound, f"{seconds:.1f} s"


def test_ten_eighteen_mib_files_are_reviewed_together_within_bounds(tmp_path):
    paths = []
    for name, data in hostile.many_large_files():
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    # 60 MP of noise: 1.09 GB and 272 s measured under a load average of 18 (2.5 GB before).
    bound = START_S + S_PER_MP * 60
    seconds, peak_mb, _ = measured_review(paths, timeout=bound + 60)
    assert peak_mb <= 1.5 * 1024, f"{peak_mb:.0f} MB"
    assert seconds <= bound, f"{seconds:.1f} s"


# --- the Review page ----------------------------------------------------------------------


def _plain(markdown: str) -> str:
    """Undo md_escape: the page escapes every special character with a backslash."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _kept_caption(at: AppTest) -> str:
    return next((c.value for c in at.caption if "screenshots" in c.value), "")


@pytest.fixture
def page(monkeypatch):
    for name in ("XAI_API_KEY", "XAI_BASE_URL", "XAI_MODEL"):
        monkeypatch.delenv(name, raising=False)
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.run()
    assert not at.exception
    return at


PAGE_BATCH = [
    "plain_png", "html_as_png", "truncated_png", "cmyk_jpeg", "animated_gif", "over_20_mib",
    "decompression_bomb", "one_pixel", "hostile_file_name", "tiff_as_png", "still_webp",
]  # fmt: skip


def test_a_batch_mixing_good_and_bad_files_keeps_the_good_and_names_each_bad_one(page):
    cases = [BY_ID[c] for c in PAGE_BATCH]
    files = []
    for case in cases:
        name = hostile.HOSTILE_NAME if case.id == "hostile_file_name" else case.filename
        files.append((name, case.make(), "image/png"))
    page.file_uploader[0].set_value(files)
    page.run()
    assert not page.exception
    errors = [_plain(e.value) for e in page.error]
    bad = [c for c in cases if not c.accepted]
    assert len(errors) == len(bad), errors
    for case, message in zip(bad, errors, strict=True):
        assert case.refuse.lower() in message.lower() and case.filename in message, message
    good = sum(c.accepted for c in cases)
    assert _kept_caption(page) == f"{good} of 10 screenshots"
    thumbs = [i.caption for image in page.get("image") for i in image.proto.imgs]
    assert "3. <img src=x onerror=alert(1)>'shot\".png · 660×420" in thumbs, thumbs
    page.run()  # the next run keeps the uploads
    assert _kept_caption(page) == f"{good} of 10 screenshots"
    next(b for b in page.button if b.label == "Run measured checks").click()
    page.run()
    assert not page.exception
    assert any(s.value.endswith(("finding", "findings")) for s in page.subheader)
    assert _kept_caption(page) == f"{good} of 10 screenshots"


def test_the_eleventh_file_is_refused_and_the_first_ten_are_kept(page):
    page.file_uploader[0].set_value([(n, d, "image/png") for n, d in hostile.eleven_files()])
    page.run()
    assert not page.exception
    assert _kept_caption(page) == "10 of 10 screenshots"
    errors = [_plain(e.value) for e in page.error]
    assert errors == ["“shot-10.png” was not added: a review takes at most 10 images."]
