"""The loop on the command line: --baseline, --fail-on exit codes, dismiss, rate."""

from __future__ import annotations

import json

import pytest

from tests.test_cli import run_cli
from tests.test_loop import FADED, NEW_PROBLEM, label_findings, page_png
from uireview.findings import Review


@pytest.fixture
def data_env(tmp_path):
    return {"UIREVIEW_DATA_DIR": str(tmp_path / "data")}


def review(tmp_path, env, *args, name="home.png", **page):
    path = tmp_path / name
    path.write_bytes(page_png(**page))
    out = run_cli("review", str(path), "--preset", "contrast", "--no-model", *args, env_extra=env)
    doc = Review.model_validate_json(out.stdout) if "--json" in args and out.stdout else None
    return out, doc


def test_the_loop_from_faded_label_to_fixed_to_new_problem_to_unchanged(tmp_path, data_env):
    out, v1 = review(tmp_path, data_env, "--json")
    assert out.returncode == 0, out.stderr
    # the backlog alone fails a major gate
    gated, _ = review(tmp_path, data_env, "--fail-on", "major")
    assert gated.returncode == 1 and "gate failed" in gated.stderr

    out, v2 = review(
        tmp_path, data_env, "--json", "--baseline", v1.id, "--fail-on", "major", label="#222222"
    )
    assert out.returncode == 0, out.stderr
    assert label_findings(v2.resolved) and {f.status for f in v2.findings} == {"persisting"}

    out, v3 = review(
        tmp_path,
        data_env,
        "--json",
        "--baseline",
        v2.id,
        "--fail-on",
        "major",
        label="#222222",
        extra=NEW_PROBLEM,
    )
    assert out.returncode == 1
    assert "1 new finding at major or above" in out.stderr
    assert [f.status for f in v3.findings].count("new") == 1

    out, v4 = review(
        tmp_path,
        data_env,
        "--json",
        "--baseline",
        v3.id,
        "--fail-on",
        "major",
        label="#222222",
        extra=NEW_PROBLEM,
    )
    assert out.returncode == 0, out.stderr
    assert {f.status for f in v4.findings} == {"persisting"} and not v4.resolved


def test_text_output_tags_findings_and_lists_what_was_resolved(tmp_path, data_env):
    _, v1 = review(tmp_path, data_env, "--json")
    out, _ = review(tmp_path, data_env, "--baseline", "last", label="#222222")
    assert out.returncode == 0, out.stderr
    assert "[persisting]" in out.stdout
    assert f"Against baseline {v1.id}: 0 new" in out.stdout and "1 resolved" in out.stdout
    assert "resolved (was " in out.stdout


def test_dismiss_by_number_keeps_it_out_of_the_next_gate(tmp_path, data_env):
    _, v1 = review(tmp_path, data_env, "--json")
    number = v1.findings.index(label_findings(v1.findings)[0]) + 1
    out = run_cli("dismiss", v1.id, str(number), "--reason", "by design", env_extra=data_env)
    assert out.returncode == 0, out.stderr
    assert f"Dismissed {number} (by design)" in out.stdout
    shown = json.loads(run_cli("show", v1.id, "--json", env_extra=data_env).stdout)
    assert shown["findings"][number - 1]["dismissed"] == "by design"
    out, v2 = review(
        tmp_path,
        data_env,
        "--json",
        "--baseline",
        v1.id,
        "--fail-on",
        "critical",
        extra=NEW_PROBLEM,
    )
    assert out.returncode == 0, out.stderr
    assert label_findings(v2.dismissed)[0].metrics["fg"] == FADED


@pytest.mark.parametrize(
    "args",
    [
        ("dismiss", "x" * 22, "1", "--reason", "false"),
        ("dismiss", "{id}", "99", "--reason", "false"),
        ("dismiss", "{id}", "1", "--reason", " "),
        ("rate", "{id}", "1", "useful"),  # a measured finding: not rated
    ],
)
def test_loop_commands_answer_bad_input_with_exit_2_and_one_line(tmp_path, data_env, args):
    # saved in-process (no CLI start-up): only the loop commands are under test here
    from pathlib import Path

    from tests.test_loop import MEASURED, shot
    from uireview import pipeline
    from uireview.store import Store

    with Store.open(data_dir=Path(data_env["UIREVIEW_DATA_DIR"])) as store:
        v1 = pipeline.review_and_keep(
            [shot()], "contrast", settings=MEASURED, store=store, use_model=False
        ).review
    out = run_cli(*(a.replace("{id}", v1.id) for a in args), env_extra=data_env)
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "Traceback" not in out.stderr


def test_an_unknown_baseline_exits_2(tmp_path, data_env):
    out, _ = review(tmp_path, data_env, "--baseline", "y" * 22)
    assert out.returncode == 2 and "baseline" in out.stderr.lower()
    out, _ = review(tmp_path, data_env, "--baseline", "last", name="never-seen.png")
    assert out.returncode == 2 and "never-seen.png" in out.stderr


def test_fail_on_takes_only_the_gate_severities(tmp_path, data_env):
    out, _ = review(tmp_path, data_env, "--fail-on", "info")
    assert out.returncode == 2


def test_a_rating_of_a_grok_finding_is_stored_and_exported(tmp_path, data_env, fake_openai):
    from tests.conftest import endpoint_env
    from tests.fake_openai import Reply

    fake_openai.default = Reply(
        json.dumps({"findings": [{"title": "Sync time is hard to read", "marks": ["1"]}]})
    )
    env = {**data_env, **endpoint_env(fake_openai)}
    path = tmp_path / "home.png"
    path.write_bytes(page_png())
    out = run_cli("review", str(path), "--preset", "contrast", "--json", env_extra=env)
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    number = next(n for n, f in enumerate(doc["findings"], 1) if f["source"] == "model")
    rated = run_cli("rate", doc["id"], str(number), "useful", env_extra=env)
    assert rated.returncode == 0, rated.stderr
    exported = tmp_path / "out.json"
    out = run_cli("export", doc["id"], "--out", str(exported), env_extra=env)
    assert out.returncode == 0, out.stderr
    assert json.loads(exported.read_text())["findings"][number - 1]["rating"] == "useful"


def test_a_failed_gate_wins_over_a_provider_failure(tmp_path, data_env, fake_openai):
    from tests.conftest import endpoint_env
    from tests.fake_openai import StatusError

    fake_openai.default = StatusError(500, "upstream down")
    env = {**data_env, **endpoint_env(fake_openai)}
    path = tmp_path / "home.png"
    path.write_bytes(page_png())
    plain = run_cli("review", str(path), "--preset", "contrast", env_extra=env)
    assert plain.returncode == 3  # the provider failed; measured findings still printed
    gated = run_cli("review", str(path), "--preset", "contrast", "--fail-on", "critical",
                    env_extra=env)  # fmt: skip
    assert gated.returncode == 1 and "gate failed" in gated.stderr
