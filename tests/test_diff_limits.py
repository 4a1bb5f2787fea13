"""The diff's edges: sizes that differ only in height, option values refused before any
work, and the same image limits (and sentences) as a review."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

from tests.hostile import BY_ID
from tests.imagegen import screenshot
from uireview.compare.diff import compare, diff_findings

REPO = Path(__file__).resolve().parents[1]


def _shot(height: int = 500) -> np.ndarray:
    canvas = np.full((height, 800, 4), 255, np.uint8)
    canvas[:500] = np.asarray(screenshot(800, 500).convert("RGBA"))
    return canvas


def _diff(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "uireview", "diff", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_the_same_screen_on_a_taller_canvas_reads_as_inserted_rows_not_a_crash():
    result = compare(_shot(500), _shot(700))
    assert result.mismatch_pixels == 0
    assert [(r.kind, tuple(r.box)) for r in result.regions] == [("inserted", (0, 500, 800, 700))]
    assert "diff.size" in [f.rule for f in diff_findings(result)]


def test_the_same_screen_on_a_shorter_canvas_is_reported_as_a_size_change():
    result = compare(_shot(700), _shot(500))
    assert result.mismatch_pixels == 0
    assert "diff.size" in [f.rule for f in diff_findings(result)]


def _pair(tmp_path: Path) -> tuple[str, str]:
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    Image.fromarray(_shot()).save(a)
    Image.fromarray(_shot(600)).save(b)
    return str(a), str(b)


def test_a_window_of_zero_or_less_is_refused_in_one_line(tmp_path):
    a, b = _pair(tmp_path)
    for window in ("0", "-3"):
        proc = _diff(a, b, "--window", window)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.strip() == "uireview: --window must be 1 or more pixels"
        assert not proc.stdout


def test_an_out_path_that_cannot_take_a_png_is_refused_before_the_work(tmp_path):
    a, b = _pair(tmp_path)
    cases = {
        str(tmp_path): "is a folder",
        str(tmp_path / "diff.jpg2"): "must end in .png",
        str(tmp_path / "missing" / "diff.png"): "does not exist",
    }
    for out, phrase in cases.items():
        proc = _diff(a, b, "--out", out)
        assert proc.returncode == 2, proc.stderr
        assert phrase in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr
        assert not proc.stdout  # refused before the diff ran


def test_diff_refuses_what_review_refuses_with_the_same_sentence(tmp_path):
    from uireview.errors import BadImage
    from uireview.images import load_image

    good = tmp_path / "good.png"
    Image.fromarray(_shot()).save(good)
    for case_id in ("png_75_megapixels", "decompression_bomb", "side_over_limit", "html_as_png"):
        case = BY_ID[case_id]
        path = tmp_path / case.filename
        path.write_bytes(case.make())
        try:
            load_image(case.make(), case.filename)
        except BadImage as exc:
            sentence = str(exc)
        proc = _diff(str(good), str(path))
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.strip().splitlines() == [f"uireview: {sentence}"]
        assert "Warning" not in proc.stderr and "Pillow" not in proc.stderr


def test_a_169_megapixel_pair_is_refused_without_pillows_warning(tmp_path):
    from tests.hostile import _png_raw

    big = tmp_path / "big.png"
    big.write_bytes(_png_raw(13_000, 13_000, bit_depth=1, colour=0))
    proc = _diff(str(big), str(big))
    assert proc.returncode == 2
    assert "DecompressionBomb" not in proc.stderr and "megapixels" in proc.stderr
    assert proc.stderr.count("\n") == 1, proc.stderr
