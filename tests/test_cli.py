"""The CLI contract other tools depend on: arguments, JSON shape, exit codes, no tracebacks."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import TEST_KEY, endpoint_env
from tests.fake_openai import Reply, StatusError
from tests.imagegen import png_bytes

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args, env_extra=None, timeout=120):
    env = {k: v for k, v in os.environ.items() if not k.startswith("XAI_")}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "uireview", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def shot(tmp_path, name="shot.png"):
    path = tmp_path / name
    path.write_bytes(png_bytes())
    return str(path)


def test_json_output_has_the_documented_shape(tmp_path):
    out = run_cli("review", shot(tmp_path), "--preset", "general", "--json", "--no-model")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["model"] is None and data["usage"] is None
    assert isinstance(data["findings"], list)
    for f in data["findings"]:
        assert {
            "source",
            "category",
            "severity",
            "title",
            "detail",
            "suggestion",
            "image",
            "box",
        } <= f.keys()
        assert f["box"] is None or (
            len(f["box"]) == 4 and all(isinstance(v, int) for v in f["box"])
        )
    assert "Traceback" not in out.stderr


def test_no_key_skips_the_model_with_a_note_on_stderr(tmp_path):
    out = run_cli("review", shot(tmp_path), "--preset", "contrast", "--json")
    assert out.returncode == 0
    assert "XAI_API_KEY" in out.stderr
    json.loads(out.stdout)


def test_missing_file_is_exit_2_with_one_line(tmp_path):
    out = run_cli("review", str(tmp_path / "nope.png"), "--no-model")
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1 and "does not exist" in out.stderr


def test_corrupt_image_is_exit_2(tmp_path):
    bad = tmp_path / "bad.png"
    bad.write_bytes(png_bytes()[:500])
    out = run_cli("review", str(bad), "--no-model")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "bad.png" in out.stderr


def test_unknown_preset_is_exit_2(tmp_path):
    out = run_cli("review", shot(tmp_path), "--preset", "vibes")
    assert out.returncode == 2 and "invalid choice" in out.stderr


def test_eleven_images_are_exit_2(tmp_path):
    paths = [shot(tmp_path, f"s{i}.png") for i in range(11)]
    out = run_cli("review", *paths, "--no-model")
    assert out.returncode == 2 and "at most 10" in out.stderr


def test_model_findings_and_usage_come_back_from_the_endpoint(tmp_path, fake_openai):
    fake_openai.script(
        Reply(
            json.dumps(
                {
                    "findings": [
                        {
                            "title": "Vague button label",
                            "severity": "minor",
                            "category": "copy",
                            "marks": ["1"],
                            "cells": ["A1"],
                        }
                    ]
                }
            )
        )
    )
    env = endpoint_env(fake_openai)
    out = run_cli("review", shot(tmp_path), "--preset", "hierarchy", "--json", env_extra=env)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    model = [f for f in data["findings"] if f["source"] == "model"]
    assert [f["title"] for f in model] == ["Vague button label"]
    assert model[0]["box"] is not None
    assert data["model"] == "grok-test-vision" and data["usage"]["total_tokens"] > 0
    assert TEST_KEY not in out.stdout + out.stderr


def test_provider_failure_is_exit_3_with_the_reason(tmp_path, fake_openai):
    fake_openai.script(StatusError(401, "bad key"))
    env = endpoint_env(fake_openai)
    out = run_cli("review", shot(tmp_path), "--json", env_extra=env)
    assert out.returncode == 3
    assert "key" in out.stderr.lower() and "Traceback" not in out.stderr
    assert json.loads(out.stdout)["error"]


def test_no_model_makes_no_network_call(tmp_path, fake_openai):
    env = endpoint_env(fake_openai)
    out = run_cli("review", shot(tmp_path), "--no-model", "--json", env_extra=env)
    assert out.returncode == 0
    assert fake_openai.requests == []


def test_the_cli_offers_exactly_the_review_presets_the_prompt_files_name(tmp_path):
    from uireview.presets import review_presets

    out = run_cli("review", shot(tmp_path), "--no-model", "--preset", "nope")
    assert out.returncode == 2
    named = set(re.findall(r"'([a-z_-]+)'", out.stderr)) - {"nope"}
    assert named == set(review_presets())
    assert "diff" not in named  # a compare preset is not a screenshot review


def test_json_output_carries_the_saved_id_and_a_repeat_is_cached(tmp_path, fake_openai):
    env = endpoint_env(fake_openai, UIREVIEW_DATA_DIR=str(tmp_path / "data"))
    path = shot(tmp_path)
    first = json.loads(run_cli("review", path, "--json", env_extra=env).stdout)
    second = json.loads(run_cli("review", path, "--json", env_extra=env).stdout)
    assert first["id"] and second["id"] == first["id"]
    assert second["cached"] and not first["cached"]
    assert len(fake_openai.chat_requests) == 1
    third = json.loads(run_cli("review", path, "--json", "--run-again", env_extra=env).stdout)
    assert third["id"] != first["id"] and len(fake_openai.chat_requests) == 2
    shown = run_cli("show", first["id"], "--json", env_extra=env)
    assert json.loads(shown.stdout)["findings"] == first["findings"]
