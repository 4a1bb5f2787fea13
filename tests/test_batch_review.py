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
