"""`python -m uireview show ID` and `export ID`: a review saved through Store, read back by id."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.test_export import sample
from uireview.cli.review import format_text
from uireview.store import Store

ROOT = Path(__file__).resolve().parents[1]
UNKNOWN_ID = "A" * 22  # the shape of an id, never issued by this store


@pytest.fixture
def saved(tmp_path):
    """A review with two images saved in a store under ``tmp_path/data``: (data_dir, Saved)."""
    data_dir = tmp_path / "data"
    review, images = sample()
    with Store.open(data_dir=data_dir) as store:
        result = store.save(review, images)
    return data_dir, result


def run_cli(data_dir: Path, *args: str, env_extra: dict[str, str] | None = None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XAI_", "UIREVIEW_"))}
    env["UIREVIEW_DATA_DIR"] = str(data_dir)
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "uireview", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=120,
    )


def one_line_error(out) -> str:
    err = out.stderr.decode()
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    return err


# --- show ---------------------------------------------------------------------------------


def test_show_prints_the_same_text_as_review(saved):
    data_dir, result = saved
    out = run_cli(data_dir, "show", result.id)
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode() == format_text(result.review) + "\n"
    assert out.stdout.decode().startswith("1. [major] [measured] contrast: Card label is faint")
    assert out.stderr == b""


def test_show_json_is_the_stored_review(saved):
    data_dir, result = saved
    out = run_cli(data_dir, "show", result.id, "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc == result.review.model_dump(mode="json")
    assert doc["id"] == result.id and len(doc["findings"]) == 4


def test_show_markdown_is_the_checklist(saved):
    data_dir, result = saved
    out = run_cli(data_dir, "show", result.id, "--markdown")
    assert out.returncode == 0, out.stderr
    text = out.stdout.decode()
    assert text.startswith("# UI review: general\n")
    assert f"- **Review id:** {result.id}" in text.replace("\\", "")
    assert sum(line.startswith("- [ ] ") for line in text.splitlines()) == 4


@pytest.mark.parametrize("review_id", [UNKNOWN_ID, "../../etc/passwd", "x"])
def test_show_unknown_or_malformed_id_is_exit_2(saved, review_id):
    data_dir, _ = saved
    out = run_cli(data_dir, "show", review_id)
    assert out.returncode == 2
    assert "no review with id" in one_line_error(out)
    assert out.stdout == b""


def test_show_json_and_markdown_together_is_a_usage_error(saved):
    data_dir, result = saved
    out = run_cli(data_dir, "show", result.id, "--json", "--markdown")
    assert out.returncode == 2
    assert "not allowed" in one_line_error(out)


def test_an_unusable_database_url_is_one_line_not_a_traceback(saved):
    data_dir, result = saved
    out = run_cli(
        data_dir, "show", result.id, env_extra={"UIREVIEW_DATABASE_URL": "nosuchdb://x/y"}
    )
    assert out.returncode == 1
    assert "cannot open the review store" in one_line_error(out)


# --- export -------------------------------------------------------------------------------


def test_export_md_writes_the_checklist(saved, tmp_path):
    data_dir, result = saved
    target = tmp_path / "review.md"
    out = run_cli(data_dir, "export", result.id, "--format", "md", "--out", str(target))
    assert out.returncode == 0, out.stderr
    assert out.stdout == b"" and out.stderr == b""
    text = target.read_text(encoding="utf-8")
    assert "- [ ] **1. Card label is faint: 2.9:1 on white**" in text


def test_export_json_round_trips_to_the_stored_review(saved, tmp_path):
    data_dir, result = saved
    target = tmp_path / "review.json"
    out = run_cli(data_dir, "export", result.id, "--format", "json", "--out", str(target))
    assert out.returncode == 0, out.stderr
    assert json.loads(target.read_text(encoding="utf-8")) == result.review.model_dump(mode="json")


def test_export_png_is_the_annotated_stack(saved, tmp_path):
    data_dir, result = saved
    target = tmp_path / "review.png"
    out = run_cli(data_dir, "export", result.id, "--format", "png", "--out", str(target))
    assert out.returncode == 0, out.stderr
    with Image.open(target) as im:
        assert im.format == "PNG"
        assert im.width == 800 and im.height > 500 + 400


def test_export_html_embeds_the_stored_images(saved, tmp_path):
    data_dir, result = saved
    target = tmp_path / "review.html"
    out = run_cli(data_dir, "export", result.id, "--format", "html", "--out", str(target))
    assert out.returncode == 0, out.stderr
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert page.count('src="data:image/png;base64,') == 2
    assert "Card label is faint" in page


def test_export_takes_the_format_from_the_file_suffix(saved, tmp_path):
    data_dir, result = saved
    target = tmp_path / "review.PNG"
    out = run_cli(data_dir, "export", result.id, "--out", str(target))
    assert out.returncode == 0, out.stderr
    with Image.open(target) as im:
        assert im.format == "PNG"


def test_export_without_a_format_or_known_suffix_is_exit_2(saved, tmp_path):
    data_dir, result = saved
    target = tmp_path / "review.txt"
    out = run_cli(data_dir, "export", result.id, "--out", str(target))
    assert out.returncode == 2
    assert "--format" in one_line_error(out)
    assert not target.exists()


def test_export_to_stdout(saved):
    data_dir, result = saved
    out = run_cli(data_dir, "export", result.id, "--format", "png", "--out", "-")
    assert out.returncode == 0, out.stderr
    with Image.open(io.BytesIO(out.stdout)) as im:
        assert im.format == "PNG" and im.width == 800


def test_export_of_an_unknown_id_is_exit_2_and_writes_nothing(saved, tmp_path):
    data_dir, _ = saved
    target = tmp_path / "review.md"
    out = run_cli(data_dir, "export", UNKNOWN_ID, "--format", "md", "--out", str(target))
    assert out.returncode == 2
    assert "no review with id" in one_line_error(out)
    assert not target.exists()


def test_export_into_a_missing_folder_is_exit_2(saved, tmp_path):
    data_dir, result = saved
    target = tmp_path / "no" / "such" / "review.html"
    out = run_cli(data_dir, "export", result.id, "--format", "html", "--out", str(target))
    assert out.returncode == 2
    assert "does not exist" in one_line_error(out)
    assert not target.parent.exists()


def test_export_onto_a_folder_is_exit_2(saved, tmp_path):
    data_dir, result = saved
    out = run_cli(data_dir, "export", result.id, "--format", "md", "--out", str(tmp_path))
    assert out.returncode == 2
    assert "is a folder" in one_line_error(out)


def test_export_needs_out(saved):
    data_dir, result = saved
    out = run_cli(data_dir, "export", result.id, "--format", "md")
    assert out.returncode == 2
    assert "--out" in one_line_error(out)
