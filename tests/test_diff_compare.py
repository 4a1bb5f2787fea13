"""compare(), regions, shifts, overlay, findings and the diff CLI, on images made here."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from uireview.cli import diff as cli_diff
from uireview.compare.diff import compare, diff_findings, overlay
from uireview.findings import Box

REPO = Path(__file__).resolve().parents[1]


def _page(height: int = 400, banner: int = 0, label: str = "Total 1,284") -> np.ndarray:
    """A plain page: header, banner (optional), cards with text, a footer line."""
    im = Image.new("RGB", (320, height), (250, 250, 250))
    d = ImageDraw.Draw(im)
    d.rectangle([0, 0, 320, 39], fill=(30, 41, 59))  # rows 0-39
    top = 40
    if banner:
        d.rectangle([0, top, 320, top + banner - 1], fill=(254, 243, 199))
        d.text((10, top + 5), "New banner", fill=(120, 53, 15))
        top += banner
    for i in range(4):
        y = top + 20 + i * 80
        d.rectangle([20, y, 300, y + 60], fill=(255, 255, 255), outline=(200, 200, 210))
        d.text((30, y + 10), f"Card {i}", fill=(40, 40, 40))
        d.text((30, y + 30), label if i == 1 else f"Value {i * 7}", fill=(10, 10, 10))
    return np.asarray(im.convert("RGBA"))


def test_identical_pages_have_no_regions_or_findings():
    page = _page()
    result = compare(page, page)
    assert result.mismatch_pixels == 0
    assert result.regions == [] and result.shifts == []
    assert diff_findings(result) == []


def test_changed_label_is_one_region_around_the_label():
    result = compare(_page(), _page(label="Total 1,312"))
    assert result.mismatch_pixels > 0
    assert len(result.regions) == 1
    region = result.regions[0]
    assert region.kind == "changed"
    # the label is drawn at x=30.., y=140+30 on the second card
    assert 30 <= region.box.x0 and region.box.x1 <= 120
    assert 160 <= region.box.y0 and region.box.y1 <= 190
    assert region.pixels == result.mismatch_pixels


def test_inserted_banner_reads_as_insert_and_move_with_only_real_changes_left():
    before = _page()
    after = _page(banner=45, label="Total 1,312")
    result = compare(before, after)
    assert [(s.y, s.dy) for s in result.shifts] == [(40, 45)]
    kinds = [r.kind for r in result.regions]
    assert kinds.count("inserted") == 1
    inserted = next(r for r in result.regions if r.kind == "inserted")
    assert inserted.box.y0 == 40 and inserted.box.height == 45
    changed = [r for r in result.regions if r.kind == "changed"]
    # only the relabelled value remains, at its new place (45 px lower)
    assert len(changed) == 1
    assert 205 <= changed[0].box.y0 and changed[0].box.y1 <= 235
    titles = [f.title for f in diff_findings(result)]
    assert "Content below y=40 (before) moved down 45 px" in titles


def test_without_shift_handling_everything_below_counts_as_changed():
    result = compare(_page(), _page(banner=45), shifts=False)
    assert result.shifts == []
    assert sum(r.pixels for r in result.regions) > 5000


def test_size_change_compares_the_overlap_and_is_reported():
    before = _page(height=400)
    after = np.ascontiguousarray(_page(height=400)[:, :300])
    result = compare(before, after)
    assert result.size_before == (320, 400) and result.size_after == (300, 400)
    assert result.mismatch_pixels == 0
    rules = [f.rule for f in diff_findings(result)]
    assert "diff.size" in rules


def test_ignore_boxes_count_nowhere():
    before, after = _page(), _page(label="Total 1,312")
    result = compare(before, after, ignore=[Box(0, 150, 320, 200)])
    assert result.mismatch_pixels == 0 and result.regions == []


def test_far_apart_changes_are_separate_regions_and_specks_dropped():
    before = np.full((200, 300, 4), 255, np.uint8)
    after = before.copy()
    after[20:40, 20:60, :3] = 0
    after[150:170, 220:280, :3] = 0
    after[100, 150, :3] = 0  # one lone pixel
    result = compare(before, after, min_pixels=4)
    boxes = sorted(r.box for r in result.regions)
    assert boxes == [Box(20, 20, 60, 40), Box(220, 150, 280, 170)]
    assert all(r.kind == "added" for r in result.regions)
    assert result.mismatch_pixels == 20 * 40 + 20 * 60 + 1


def test_overlay_colours_darker_and_lighter_changes_apart():
    before = np.full((50, 50, 4), 255, np.uint8)
    before[30:40, 30:40, :3] = 0
    after = np.full((50, 50, 4), 255, np.uint8)
    after[5:15, 5:15, :3] = 0
    result = compare(before, after)
    img = overlay(after, result, darker_color=(255, 0, 0), lighter_color=(0, 0, 255))
    assert tuple(img[10, 10, :3]) == (255, 0, 0)  # ink added: darker in after
    assert tuple(img[35, 35, :3]) == (0, 0, 255)  # ink removed: lighter in after
    assert img[0, 0, :3].min() > 200  # unchanged: faded


def test_findings_are_numbered_measured_and_boxed_in_the_after_image():
    result = compare(_page(), _page(banner=45, label="Total 1,312"))
    findings = diff_findings(result)
    regions = result.regions
    for n, (f, r) in enumerate(zip(findings, regions, strict=False), start=1):
        assert f.source == "measured" and f.category == "diff"
        assert f.title.endswith(f" {n}") and f.box == r.box
        assert f.evidence.startswith(f"{r.pixels:,} px")


def _cli(tmp_path, before, after, *extra):
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    Image.fromarray(before).save(a)
    Image.fromarray(after).save(b)
    parser = argparse.ArgumentParser()
    cli_diff.add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["diff", str(a), str(b), *extra])


def test_cli_json_has_the_contract_fields(tmp_path, capsys):
    args = _cli(tmp_path, _page(), _page(label="Total 1,312"), "--json", "--window", "8")
    assert cli_diff.run(args) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["mismatch_pixels"] > 0 and 0 < doc["window_pixels"] <= 64
    assert doc["size_before"] == [320, 400] == doc["size_after"]
    assert doc["regions"][0]["kind"] == "changed" and len(doc["regions"][0]["box"]) == 4
    assert doc["findings"][0]["category"] == "diff"


def test_cli_puts_pillows_block_size_back_after_decoding(tmp_path, capsys):
    from PIL import ImageFile

    before = ImageFile.MAXBLOCK
    args = _cli(tmp_path, _page(), _page(label="Total 1,312"), "--json")
    assert cli_diff.run(args) == 0
    assert ImageFile.MAXBLOCK == before


def test_cli_writes_pixelmatch_diff_image(tmp_path, capsys):
    out = tmp_path / "diff.png"
    args = _cli(tmp_path, _page(), _page(label="Total 1,312"), "--out", str(out))
    assert cli_diff.run(args) == 0
    diff = np.asarray(Image.open(out).convert("RGBA"))
    assert (diff[..., :3] == (255, 0, 0)).all(axis=2).sum() > 0


def test_cli_unreadable_image_is_exit_2_with_one_line(tmp_path, capsys):
    args = _cli(tmp_path, _page(), _page())
    args.after = str(tmp_path / "missing.png")
    assert cli_diff.run(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "missing.png" in err


def test_cli_subprocess_bad_ignore_is_exit_2_without_traceback(tmp_path):
    a = tmp_path / "a.png"
    Image.fromarray(_page()).save(a)
    proc = subprocess.run(
        [sys.executable, "-m", "uireview", "diff", str(a), str(a), "--ignore", "1,2"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "--ignore" in proc.stderr


def test_cli_subprocess_json(tmp_path):
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    Image.fromarray(_page()).save(a)
    Image.fromarray(_page(banner=45)).save(b)
    proc = subprocess.run(
        [sys.executable, "-m", "uireview", "diff", str(a), str(b), "--json", "--no-model"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert [(s["y"], s["dy"], s["dx"]) for s in doc["shifts"]] == [(40, 45, 0)]


def test_grid_labelling_joins_diagonals_and_u_shapes_and_numbers_in_raster_order():
    from uireview.compare.diff import _label

    grid = np.array(
        [
            [1, 0, 0, 0, 1, 0, 1],
            [0, 1, 0, 0, 1, 0, 1],
            [0, 0, 0, 0, 1, 1, 1],
            [1, 1, 0, 0, 0, 0, 0],
        ],
        dtype=bool,
    )
    labels, count = _label(grid)
    assert count == 3
    assert labels.tolist() == [
        [1, 0, 0, 0, 2, 0, 2],
        [0, 1, 0, 0, 2, 0, 2],
        [0, 0, 0, 0, 2, 2, 2],
        [3, 3, 0, 0, 0, 0, 0],
    ]
    assert _label(np.zeros((3, 3), bool))[1] == 0


def test_cli_decodes_each_png_mode_and_jpeg_to_pillows_rgba(tmp_path):
    rgb = Image.fromarray(_page()[..., :3])
    samples = {
        "rgb.png": rgb,
        "rgba.png": Image.fromarray(_page()),
        "gray.png": rgb.convert("L"),
        "palette.png": rgb.convert("P"),
        "rgb.jpg": rgb,
    }
    for name, im in samples.items():
        path = tmp_path / name
        im.save(path)
        got = cli_diff._decode(str(path))
        with Image.open(path) as again:
            want = np.asarray(again.convert("RGBA"))
        assert np.array_equal(got, want), name


def test_cli_diff_imports_no_scipy(tmp_path):
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    Image.fromarray(_page()).save(a)
    Image.fromarray(_page(label="Total 1,312")).save(b)
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "uireview", "diff", str(a), str(b), "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-500:]
    assert json.loads(proc.stdout)["regions"]
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines()}
    assert not {m for m in imported if m.split(".")[0] in ("scipy", "cv2", "pandas")}


def test_cli_fail_on_pixels_exits_1_above_the_limit_and_0_within(tmp_path, capsys):
    before, after = _page(), _page(label="Total 1,312")
    count = compare(before, after).mismatch_pixels
    assert cli_diff.run(_cli(tmp_path, before, after, "--fail-on-pixels", str(count))) == 0
    assert "pass:" in capsys.readouterr().out
    assert cli_diff.run(_cli(tmp_path, before, after, "--fail-on-pixels", str(count - 1))) == 1
    assert "fail:" in capsys.readouterr().out
    args = _cli(tmp_path, before, after, "--fail-on-pixels", "0.001%", "--json")
    assert cli_diff.run(args) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["gate"] == {"limit": "0.001%", "allowed": 1, "passed": False}


def test_cli_fail_on_pixels_counts_after_ignored_areas(tmp_path, capsys):
    before, after = _page(), _page(label="Total 1,312")
    args = _cli(tmp_path, before, after, "--fail-on-pixels", "0", "--ignore", "0,150,320,200")
    assert cli_diff.run(args) == 0
    before_frame = _cli(
        tmp_path, before, after, "--fail-on-pixels", "0", "--ignore-before", "0,150,320,200"
    )
    assert cli_diff.run(before_frame) == 0


def test_cli_subprocess_bad_limit_is_exit_2_with_one_line(tmp_path):
    a = tmp_path / "a.png"
    Image.fromarray(_page()).save(a)
    proc = subprocess.run(
        [sys.executable, "-m", "uireview", "diff", str(a), str(a), "--fail-on-pixels", "lots"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert "--fail-on-pixels" in proc.stderr and "Traceback" not in proc.stderr


def test_json_regions_name_their_frame_and_shifts_carry_dx(tmp_path, capsys):
    args = _cli(tmp_path, _page(), _page(banner=45), "--json")
    assert cli_diff.run(args) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {r["frame"] for r in doc["regions"]} == {"after"}
    assert all("dx" in s and "dy" in s and "y" in s for s in doc["shifts"])
    inserted = [r for r in doc["regions"] if r["kind"] == "inserted"]
    assert len(inserted) == 1 and inserted[0]["box"][1] == 40


def test_a_card_stretched_by_blank_rows_is_a_move_not_an_insertion():
    before = _page()
    row = 110  # inside the first card, below its text: only the card's side borders
    stretch = np.repeat(before[row : row + 1], 20, axis=0)
    after = np.ascontiguousarray(np.concatenate([before[:row], stretch, before[row:]])[:400])
    result = compare(before, after)
    kinds = [r.kind for r in result.regions]
    assert "inserted" not in kinds and "deleted" not in kinds, result.regions
    assert [s.dy for s in result.shifts] == [20]
    assert not {"changed", "added", "removed"} & set(kinds), result.regions


def test_columns_only_a_wider_after_image_has_are_an_insertion_boxed_on_it():
    before = _page()
    strip = np.full((400, 60, 4), (250, 250, 250, 255), np.uint8)  # the page background
    after = np.concatenate([before, strip], axis=1)
    after[100:140, 330:370] = (220, 38, 38, 255)  # a badge in the new column
    result = compare(before, after)
    (inserted,) = [r for r in result.regions if r.kind == "inserted"]
    # the new columns differ from the one beside them in the header rows and at the badge
    assert inserted.frame == "after" and inserted.box == Box(320, 0, 380, 140)
    assert inserted.counterpart == Box(319, 0, 320, 140)  # where they join the before image
    narrower = compare(after, before)
    (deleted,) = [r for r in narrower.regions if r.kind == "deleted"]
    assert deleted.frame == "before" and deleted.box.x0 >= 320


def test_the_same_screenshot_on_a_taller_canvas_diffs_without_error():
    # Only the height differs: once a crash (reshape of an empty array), now no change at all
    # when the extra rows are plain background, and one insertion when they hold content.
    before = _page(height=400)
    taller = np.empty((460, *before.shape[1:]), np.uint8)
    taller[:400] = before
    taller[400:] = before[-1]  # the page's own background row, repeated
    result = compare(before, taller)
    assert result.mismatch_pixels == 0 and result.regions == []
    taller[420:440, 20:120, :3] = 0
    kinds = [r.kind for r in compare(before, taller).regions]
    assert kinds == ["inserted"]
