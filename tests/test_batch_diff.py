"""`uireview diff BEFORE_DIR AFTER_DIR --report OUT`: pairing, counts, gate, shards, report."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from uireview.boxes import Box
from uireview.cli.main import main
from uireview.compare.batch import (
    PixelLimit,
    pair_up,
    parse_pixel_limit,
    parse_shard,
    shard,
    terminal_progress,
)
from uireview.compare.decode import decode_rgba
from uireview.compare.diff import compare
from uireview.compare.gate import Gate, parse_gate

REPO = Path(__file__).resolve().parents[1]


def _page(width=320, height=200, *, label="Total 1,284", box=None, banner=0) -> Image.Image:
    im = Image.new("RGB", (width, height), (245, 247, 250))
    d = ImageDraw.Draw(im)
    d.rectangle([0, 0, 60, height], fill=(30, 41, 59))
    d.rectangle([60, banner, width, banner + 30], fill=(255, 255, 255))
    d.text((80, banner + 8), "Sales", fill=(15, 23, 42))
    d.text((80, banner + 60), label, fill=(15, 23, 42), font_size=18)
    for i in range(4):
        d.text((80, banner + 100 + 20 * i), f"row {i} of the table", fill=(51, 65, 85))
    if box:
        d.rectangle(box, fill=(220, 38, 38))
    return im


def _folders(tmp_path: Path, pairs: dict[str, tuple]) -> tuple[Path, Path]:
    """pairs: relative path -> (before image or None, after image or None)."""
    before, after = tmp_path / "before", tmp_path / "after"
    for name, (b, a) in pairs.items():
        for root, im in ((before, b), (after, a)):
            if im is not None:
                (root / name).parent.mkdir(parents=True, exist_ok=True)
                im.save(root / name)
    before.mkdir(exist_ok=True)
    after.mkdir(exist_ok=True)
    return before, after


def _run(before, after, out, *extra) -> int:
    return main(["diff", str(before), str(after), "--report", str(out), "--jobs", "1", *extra])


def _report(out: Path) -> dict:
    return json.loads((out / "report.json").read_text())


def test_pairs_match_by_relative_path_and_one_sided_files_are_new_or_deleted(tmp_path, capsys):
    before, after = _folders(
        tmp_path,
        {
            "home.png": (_page(), _page(label="Total 1,312")),
            "settings/profile.png": (_page(), _page()),
            "settings/deep/gone.png": (_page(), None),
            "new.png": (None, _page()),
        },
    )
    (before / "notes.txt").write_text("not a screenshot")
    out = tmp_path / "out"
    assert _run(before, after, out) == 0
    pairs = {p["name"]: p for p in _report(out)["pairs"]}
    assert {n: p["status"] for n, p in pairs.items()} == {
        "home.png": "changed",
        "new.png": "new",
        "settings/deep/gone.png": "deleted",
        "settings/profile.png": "unchanged",
    }
    assert _report(out)["summary"] == {
        "changed": 1, "unchanged": 1, "new": 1, "deleted": 1, "error": 0, "failed": 0
    }  # fmt: skip
    assert pairs["home.png"]["size_before"] == [320, 200] == pairs["home.png"]["size_after"]
    assert pairs["new.png"]["size_after"] == [320, 200] and pairs["new.png"]["size_before"] is None
    assert "changed 1, unchanged 1, new 1, deleted 1" in capsys.readouterr().out


def test_each_pair_counts_as_the_single_diff_with_the_same_options(tmp_path, capsys):
    b, a = _page(), _page(label="Total 1,312", box=(250, 150, 290, 180))
    before, after = _folders(tmp_path, {"p.png": (b, a), "shifted.png": (b, _page(banner=24))})
    out = tmp_path / "out"
    ignore = Box(240, 140, 300, 190)
    assert _run(before, after, out, "--ignore", "240,140,300,190", "--window", "10") == 0
    pairs = {p["name"]: p for p in _report(out)["pairs"]}
    for name, pair in pairs.items():
        want = compare(
            decode_rgba(str(before / name)),
            decode_rgba(str(after / name)),
            ignore=[ignore],
            window_size=10,
        )
        assert pair["mismatch_pixels"] == want.mismatch_pixels > 0
        assert pair["window_pixels"] == want.window_pixels
        assert pair["regions"] == [
            {"box": list(r.box), "pixels": r.pixels, "kind": r.kind} for r in want.regions
        ]
        assert [(s["y"], s["dy"]) for s in pair["shifts"]] == [(s.y, s.dy) for s in want.shifts]
    assert pairs["shifted.png"]["shifts"] and pairs["shifted.png"]["shifts"][0]["dy"] == 24


def test_yiq_metric_reaches_every_pair(tmp_path, capsys):
    b, a = _page(), _page(label="Total 1,312")
    before, after = _folders(tmp_path, {"p.png": (b, a)})
    out = tmp_path / "out"
    assert _run(before, after, out, "--metric", "yiq", "--threshold", "0.05") == 0
    want = compare(np.asarray(b.convert("RGBA")), np.asarray(a.convert("RGBA")),
                   metric="yiq", threshold=0.05)  # fmt: skip
    assert _report(out)["pairs"][0]["mismatch_pixels"] == want.mismatch_pixels


def test_fail_on_pixels_gates_by_count_and_by_share_of_the_unignored_page(tmp_path, capsys):
    b, a = _page(), _page(box=(250, 170, 269, 179))  # 20 x 10 px of new ink
    before, after = _folders(tmp_path, {"p.png": (b, a)})
    count = compare(np.asarray(b.convert("RGBA")), np.asarray(a.convert("RGBA"))).mismatch_pixels
    assert count == 200
    out = tmp_path / "out"
    assert _run(before, after, out, "--fail-on-pixels", "200") == 0
    assert _run(before, after, out, "--fail-on-pixels", "199") == 1
    assert "gate failed" in capsys.readouterr().err
    # 200 px of 64,000 is 0.3125%; with half the page ignored, of 32,000 it is 0.625%
    assert _run(before, after, out, "--fail-on-pixels", "0.32%") == 0
    assert _run(before, after, out, "--fail-on-pixels", "0.32%", "--ignore", "0,0,160,200") == 1
    case = ET.parse(out / "junit.xml").getroot().find(".//testcase")
    assert case.get("name") == "p.png" and case.find("failure") is not None
    assert "over the limit of 102 px" in case.find("failure").get("message")


def test_pixel_limit_reads_counts_and_shares_and_rejects_the_rest():
    # the folder report's limit is the single diff's gate: one parser, one rule
    assert PixelLimit is Gate and parse_pixel_limit is parse_gate
    assert parse_pixel_limit("250") == Gate(pixels=250)
    assert parse_pixel_limit("0.1%") == Gate(share=0.1)
    assert parse_pixel_limit("0.1%").exceeded(101, 100_000)
    assert not parse_pixel_limit("0.1%").exceeded(100, 100_000)
    for bad in ("", "-1", "1.5", "abc", "200%"):
        with pytest.raises(ValueError):
            parse_pixel_limit(bad)


def test_bad_gate_value_is_exit_2_with_one_line(tmp_path, capsys):
    before, after = _folders(tmp_path, {"p.png": (_page(), _page())})
    assert _run(before, after, tmp_path / "out", "--fail-on-pixels", "lots") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--fail-on-pixels" in err


def test_shards_cover_every_pair_once_in_sorted_order():
    pairs = pair_up([f"p{i:02d}.png" for i in range(11)], [f"p{i:02d}.png" for i in range(3, 14)])
    for n in (1, 2, 3, 4, 14, 20):
        parts = [shard(pairs, k, n) for k in range(1, n + 1)]
        assert [p for part in parts for p in part] == pairs
        assert max(map(len, parts)) - min(map(len, parts)) <= 1
    assert parse_shard("2/3") == (2, 3)
    for bad in ("0/3", "4/3", "1", "a/b"):
        with pytest.raises(ValueError):
            parse_shard(bad)


def test_shard_option_diffs_only_its_slice(tmp_path, capsys):
    pairs = {f"s{i}.png": (_page(), _page(label=f"Total {i}")) for i in range(5)}
    before, after = _folders(tmp_path, pairs)
    names = []
    for k in (1, 2):
        out = tmp_path / f"out{k}"
        assert _run(before, after, out, "--shard", f"{k}/2") == 0
        names.append([p["name"] for p in _report(out)["pairs"]])
        assert _report(out)["shard"] == f"{k}/2"
    assert names == [["s0.png", "s1.png"], ["s2.png", "s3.png", "s4.png"]]


def test_junit_has_one_testcase_per_relative_path(tmp_path, capsys):
    before, after = _folders(
        tmp_path,
        {
            "a/x.png": (_page(), _page(label="Total 9")),
            "b/y.png": (_page(), _page()),
            "c.png": (None, _page()),
        },
    )
    out = tmp_path / "out"
    assert _run(before, after, out, "--fail-on-pixels", "0") == 1
    root = ET.parse(out / "junit.xml").getroot()
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert sorted(cases) == ["a/x.png", "b/y.png", "c.png"]
    assert cases["a/x.png"].find("failure") is not None
    assert cases["b/y.png"].find("failure") is None and len(cases["b/y.png"]) == 0
    assert cases["c.png"].find("skipped") is not None
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("3", "1", "1")


def test_unreadable_screenshot_is_reported_and_exit_2(tmp_path, capsys):
    before, after = _folders(tmp_path, {"ok.png": (_page(), _page()), "bad.png": (_page(), None)})
    (after / "bad.png").write_bytes(b"\x89PNG\r\n\x1a\n broken")
    out = tmp_path / "out"
    assert _run(before, after, out) == 2
    assert "bad.png" in capsys.readouterr().err
    pairs = {p["name"]: p for p in _report(out)["pairs"]}
    assert pairs["bad.png"]["status"] == "error" and pairs["bad.png"]["error"]
    assert pairs["ok.png"]["status"] == "unchanged"
    case = next(
        c for c in ET.parse(out / "junit.xml").iter("testcase") if c.get("name") == "bad.png"
    )
    assert case.find("error") is not None


def test_processes_give_the_same_report_as_one(tmp_path, capsys):
    pairs = {f"d{i % 2}/s{i}.png": (_page(), _page(label=f"Total {i}")) for i in range(6)}
    before, after = _folders(tmp_path, pairs)
    docs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        assert main(["diff", str(before), str(after), "--report", str(out), "--jobs", jobs]) == 0
        docs.append([{k: v for k, v in p.items() if k != "seconds"} for p in _report(out)["pairs"]])
    assert docs[0] == docs[1] and len(docs[0]) == 6


def test_report_folder_inside_a_screenshot_folder_is_not_diffed(tmp_path, capsys):
    before, after = _folders(tmp_path, {"p.png": (_page(), _page(label="Total 2"))})
    out = after / "report"
    for _ in range(2):  # the second run would find the first one's copies
        assert _run(before, after, out) == 0
    assert [p["name"] for p in _report(out)["pairs"]] == ["p.png"]


def test_page_escapes_names_and_loads_only_its_own_files(tmp_path, capsys):
    name = "<img src=x onerror=alert(1)> & co.png"
    before, after = _folders(tmp_path, {name: (_page(), _page(label="Total 7"))})
    out = tmp_path / "out"
    assert _run(before, after, out) == 0
    page = (out / "index.html").read_text()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt; &amp; co.png" in page
    assert 'http-equiv="Content-Security-Policy"' in page and "default-src &#x27;none&#x27;" in page
    assert "http://" not in page and "https://" not in page
    files = _report(out)["pairs"][0]["files"]
    for rel in files.values():
        assert (out / rel).is_file()
    diff = np.asarray(Image.open(out / files["diff"]).convert("RGBA"))
    assert diff.shape == (200, 320, 4) and 0 < (diff[..., 3] > 0).sum() < 200 * 320


def test_folder_only_options_are_refused_for_one_pair(tmp_path, capsys):
    a = tmp_path / "a.png"
    _page().save(a)
    assert main(["diff", str(a), str(a), "--report", str(tmp_path / "out")]) == 2
    assert "two folders" in capsys.readouterr().err


def test_folders_need_a_report_folder(tmp_path, capsys):
    before, after = _folders(tmp_path, {"p.png": (_page(), _page())})
    assert main(["diff", str(before), str(after)]) == 2
    assert "--report" in capsys.readouterr().err


def test_progress_is_shown_only_on_a_terminal():
    assert terminal_progress(io.StringIO()) is None

    class Tty(io.StringIO):
        def isatty(self):
            return True

    tty = Tty()
    show = terminal_progress(tty)
    show(1, 2, "a.png")
    show(2, 2, "b.png")
    assert "1/2 a.png" in tty.getvalue() and tty.getvalue().endswith("2/2 b.png\n")


def test_folder_diff_process_writes_the_report_and_imports_no_pydantic(tmp_path):
    before, after = _folders(tmp_path, {"p.png": (_page(), _page(label="Total 5"))})
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "uireview", "diff", str(before), str(after),
         "--report", str(out), "--json"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-500:]
    assert json.loads(proc.stdout)["pairs"][0]["status"] == "changed"
    imported = {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines()}
    assert not imported & {"pydantic", "sqlalchemy", "rapidocr_onnxruntime", "cv2", "scipy"}
    assert (out / "index.html").is_file() and (out / "junit.xml").is_file()


def test_one_pair_is_gated_by_the_same_limit(tmp_path, capsys):
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    _page().save(a)
    _page(box=(250, 170, 269, 179)).save(b)  # 200 px
    assert main(["diff", str(a), str(b), "--fail-on-pixels", "200"]) == 0
    assert main(["diff", str(a), str(b), "--fail-on-pixels", "199"]) == 1
    assert main(["diff", str(a), str(b), "--fail-on-pixels", "0.3%"]) == 1  # of 64,000: 192
    assert main(["diff", str(a), str(b), "--fail-on-pixels", "x"]) == 2


def test_a_new_run_drops_the_last_reports_images(tmp_path, capsys):
    before, after = _folders(tmp_path, {"old.png": (_page(), _page(label="Total 3"))})
    out = tmp_path / "out"
    assert _run(before, after, out) == 0
    assert (out / "files" / "after" / "old.png").is_file()
    (after / "old.png").unlink()
    _page().save(after / "old.png")  # now unchanged: the page shows no images for it
    assert _run(before, after, out) == 0
    assert not (out / "files").exists() or not any((out / "files").rglob("*.png"))
