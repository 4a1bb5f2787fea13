"""`uireview review DIR --preset P --report OUT`: a report of findings per screenshot."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PIL import Image, ImageDraw

from tests.conftest import TEST_KEY, endpoint_env
from tests.fake_openai import Reply

REPO = Path(__file__).resolve().parents[1]


def _faded(path: Path) -> None:
    """A label at 1.3:1 contrast: the contrast check calls that critical."""
    im = Image.new("RGB", (480, 240), (250, 250, 250))
    ImageDraw.Draw(im).text((30, 40), "Faded label text", fill=(205, 205, 205), font_size=28)
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path)


def _clean(path: Path) -> None:
    im = Image.new("RGB", (480, 240), (255, 255, 255))
    ImageDraw.Draw(im).text((30, 40), "Readable label", fill=(17, 24, 39), font_size=28)
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path)


def _cli(*args, env_extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("XAI_")}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "uireview", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_folder_review_reports_findings_per_screenshot_and_gates_on_severity(tmp_path):
    shots = tmp_path / "shots"
    _faded(shots / "pages" / "faded.png")
    _clean(shots / "clean.png")
    (shots / "broken.png").write_bytes(b"not an image")
    out = tmp_path / "out"
    proc = _cli("review", str(shots), "--preset", "contrast", "--report", str(out),
                "--no-model", "--jobs", "2", "--fail-on", "critical")  # fmt: skip
    assert proc.returncode == 2, proc.stderr  # the unreadable file wins over the gate
    assert "broken.png" in proc.stderr and "Traceback" not in proc.stderr
    doc = json.loads((out / "report.json").read_text())
    shots_by_name = {s["name"]: s for s in doc["screenshots"]}
    assert sorted(shots_by_name) == ["broken.png", "clean.png", "pages/faded.png"]
    faded = shots_by_name["pages/faded.png"]
    assert faded["failed"] and faded["size"] == [480, 240]
    assert any(f["severity"] == "critical" for f in faded["review"]["findings"])
    assert not shots_by_name["clean.png"]["failed"]
    assert shots_by_name["broken.png"]["status"] == "error"
    cases = {c.get("name"): c for c in ET.parse(out / "junit.xml").iter("testcase")}
    assert cases["pages/faded.png"].find("failure") is not None
    assert cases["clean.png"].find("failure") is None
    assert cases["broken.png"].find("error") is not None
    page = (out / "index.html").read_text()
    assert "pages/faded.png" in page and 'http-equiv="Content-Security-Policy"' in page
    assert (out / faded["file"]).is_file()

    (shots / "broken.png").unlink()
    proc = _cli("review", str(shots), "--preset", "contrast", "--report", str(out),
                "--no-model", "--fail-on", "critical")  # fmt: skip
    assert proc.returncode == 1 and "gate failed" in proc.stderr
    (shots / "pages" / "faded.png").unlink()
    proc = _cli("review", str(shots), "--preset", "contrast", "--report", str(out),
                "--no-model", "--fail-on", "critical")  # fmt: skip
    assert proc.returncode == 0, proc.stderr


def test_folder_review_asks_the_model_for_each_screenshot_when_a_key_is_set(tmp_path, fake_openai):
    reply = {"findings": [{"title": "Vague label", "severity": "minor", "category": "copy"}]}
    fake_openai.script(Reply(json.dumps(reply)), Reply(json.dumps(reply)))
    shots = tmp_path / "shots"
    _clean(shots / "a.png")
    _clean(shots / "b.png")
    out = tmp_path / "out"
    proc = _cli("review", str(shots), "--preset", "general", "--report", str(out),
                "--jobs", "1", env_extra=endpoint_env(fake_openai))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((out / "report.json").read_text())
    assert doc["model"] is True
    for shot in doc["screenshots"]:
        titles = [f["title"] for f in shot["review"]["findings"] if f["source"] == "model"]
        assert titles == ["Vague label"]
    assert len(fake_openai.chat_requests) == 2  # one model call per screenshot
    assert TEST_KEY not in (out / "report.json").read_text() + proc.stdout + proc.stderr


def test_folder_review_needs_a_report_folder(tmp_path):
    shots = tmp_path / "shots"
    _clean(shots / "a.png")
    proc = _cli("review", str(shots), "--no-model")
    assert proc.returncode == 2 and "--report" in proc.stderr


def _statuses(report: Path) -> dict[str, list[str]]:
    doc = json.loads(report.read_text())
    return {
        s["name"]: [f.get("status") for f in s["review"]["findings"] if f["severity"] == "critical"]
        for s in doc["screenshots"]
    }


def _two_states(tmp_path: Path) -> tuple[Path, Path]:
    """v1: one page with a faded label, one clean; v2: the faded label is still there, the clean
    page gained one, and a new page has one too."""
    v1, v2 = tmp_path / "v1", tmp_path / "v2"
    _faded(v1 / "pages" / "faded.png")
    _clean(v1 / "clean.png")
    _faded(v2 / "pages" / "faded.png")
    _faded(v2 / "clean.png")
    _faded(v2 / "added.png")
    return v1, v2


def test_against_a_baseline_folder_only_new_findings_fail_the_gate(tmp_path):
    v1, v2 = _two_states(tmp_path)
    out = tmp_path / "out"
    proc = _cli("review", str(v2), "--preset", "contrast", "--report", str(out), "--no-model",
                "--baseline", str(v1), "--fail-on", "critical")  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert "gate failed: 2 screenshots with new findings" in proc.stderr
    assert "persisting" in proc.stdout and "Traceback" not in proc.stderr
    statuses = _statuses(out / "report.json")
    assert set(statuses["pages/faded.png"]) == {"persisting"}
    assert set(statuses["clean.png"]) == {"new"} and set(statuses["added.png"]) == {"new"}
    doc = json.loads((out / "report.json").read_text())
    failed = {s["name"] for s in doc["screenshots"] if s["failed"]}
    assert failed == {"clean.png", "added.png"}
    cases = {c.get("name"): c for c in ET.parse(out / "junit.xml").iter("testcase")}
    assert cases["pages/faded.png"].find("failure") is None
    assert cases["clean.png"].find("failure") is not None

    # without the baseline the same folder fails on all three
    proc = _cli("review", str(v2), "--preset", "contrast", "--report", str(tmp_path / "o2"),
                "--no-model", "--fail-on", "critical")  # fmt: skip
    assert proc.returncode == 1 and "gate failed: 3 screenshots" in proc.stderr


def test_a_saved_folder_report_is_a_baseline_and_resolved_findings_are_counted(tmp_path):
    v1, v2 = _two_states(tmp_path)
    first = tmp_path / "first"
    proc = _cli("review", str(v2), "--preset", "contrast", "--report", str(first), "--no-model")
    assert proc.returncode == 0, proc.stderr
    # the same screenshots again, against their own report: nothing new, the gate passes
    for baseline in (first, first / "report.json"):
        out = tmp_path / "again"
        proc = _cli("review", str(v2), "--preset", "contrast", "--report", str(out),
                    "--no-model", "--baseline", str(baseline), "--fail-on", "critical")  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        assert all(set(s) == {"persisting"} for s in _statuses(out / "report.json").values())
    # v1 against v2's report: the faded labels of clean.png and added.png are resolved
    (v1 / "added.png").unlink(missing_ok=True)
    proc = _cli("review", str(v1), "--preset", "contrast", "--report", str(tmp_path / "back"),
                "--no-model", "--baseline", str(first), "--fail-on", "critical")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((tmp_path / "back" / "report.json").read_text())
    clean = next(s for s in doc["screenshots"] if s["name"] == "clean.png")
    assert clean["review"]["resolved"] and not clean["failed"]


def test_a_baseline_that_is_neither_a_folder_nor_a_report_is_refused_in_one_line(tmp_path):
    shots = tmp_path / "shots"
    _clean(shots / "a.png")
    (tmp_path / "notes.json").write_text("{}")
    for baseline in (tmp_path / "missing", tmp_path / "notes.json"):
        proc = _cli("review", str(shots), "--report", str(tmp_path / "out"), "--no-model",
                    "--baseline", str(baseline))  # fmt: skip
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.count("\n") == 1 and "--baseline" in proc.stderr
