"""Faults around a finished review: a store that cannot save, answers that are not answers,
and credentials in the endpoint URL. Nothing paid for is lost, nothing bad is cached, no
secret is shown."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from sqlalchemy.exc import OperationalError

from tests.conftest import endpoint_env
from tests.fake_openai import JUNK, PROSE_REFUSAL, Junk, Refuses, Reply, StatusError
from tests.test_cli import run_cli, shot
from uireview import pipeline
from uireview.images import load_image
from uireview.store import Store, sqlite_url
from uireview.store.failures import UnavailableStore, storage_reason
from uireview.store.store import open_or_unavailable

ANSWER = json.dumps(
    {"findings": [{"title": "Vague button label", "severity": "minor", "category": "copy"}]}
)


def _driver_error(message: str) -> OperationalError:
    """What SQLAlchemy raises for a failing SQLite write: SQL, parameters and all."""
    return OperationalError(
        "INSERT INTO images (sha256, data) VALUES (?, ?)",
        ("ab" * 32, memoryview(b"\x89PNG")),
        sqlite3.OperationalError(message),
    )


def _fail_saves(monkeypatch, message: str) -> None:
    def refuse(*args, **kwargs):
        raise _driver_error(message)

    monkeypatch.setattr(Store, "_save_once", refuse)


def test_driver_failures_are_told_in_our_words():
    assert storage_reason(_driver_error("database or disk is full")) == "the disk is full"
    assert storage_reason(_driver_error("attempt to write a readonly database")) == (
        "the data folder is read-only"
    )
    assert storage_reason(OSError(28, "No space left on device")) == "the disk is full"
    assert storage_reason(_driver_error("something new")) == "the database refused to store it"


# --- the CLI: findings printed, exit 0, one notice on stderr --------------------------------


def test_a_full_disk_at_save_still_prints_the_paid_answer_and_exits_0(
    tmp_path, monkeypatch, capsys, fake_openai
):
    from uireview.cli.main import main

    fake_openai.script(Reply(ANSWER))
    for name, value in endpoint_env(fake_openai).items():
        monkeypatch.setenv(name, value)
    _fail_saves(monkeypatch, "database or disk is full")
    assert main(["review", shot(tmp_path), "--preset", "hierarchy"]) == 0
    out, err = capsys.readouterr()
    assert "Vague button label" in out
    assert "uireview: This review could not be saved: the disk is full." in err.splitlines()
    for leak in ("INSERT", "memory at", "0x", "Traceback", "OperationalError"):
        assert leak not in err


def test_a_read_only_data_folder_still_reviews_with_a_notice(tmp_path, monkeypatch, capsys):
    from uireview.cli.main import main

    def refuse(*args, **kwargs):
        raise _driver_error("attempt to write a readonly database")

    monkeypatch.setattr(Store, "open", refuse)
    assert main(["review", shot(tmp_path), "--no-model"]) == 0
    out, err = capsys.readouterr()
    assert out.strip()
    assert err.strip().splitlines() == [
        "uireview: This review could not be saved: the data folder is read-only."
    ]


def _mount_tmpfs(where: Path, options: str) -> bool:
    where.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True
    )
    return done.returncode == 0


@pytest.mark.parametrize(
    "options,why",
    [("size=600k", "the disk is full"), ("size=1m,ro", "the data folder is read-only")],
    ids=["full", "read-only"],
)
def test_a_real_full_or_read_only_folder_gives_findings_exit_0_and_the_reason(
    tmp_path, options, why
):
    # A real small filesystem where the machine lets us mount one (root in a container).
    data = tmp_path / "data"
    if not _mount_tmpfs(data, options):
        pytest.skip("cannot mount a tmpfs here")
    try:
        noisy = tmp_path / "noisy.png"  # noise: ~700 KB that no 600 KB disk can take
        rng = np.random.default_rng(3)
        Image.fromarray(rng.integers(0, 256, (420, 560, 3), dtype=np.uint8)).save(noisy)
        out = run_cli(
            "review", str(noisy), "--no-model", env_extra={"UIREVIEW_DATA_DIR": str(data)}
        )
    finally:
        subprocess.run(["umount", str(data)], capture_output=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip()
    assert out.stderr.strip().splitlines() == [f"uireview: This review could not be saved: {why}."]


# --- answers that are not answers: shown, exit 3, never saved nor cached --------------------


@pytest.mark.parametrize(
    "reply,shown",
    [
        (Refuses, PROSE_REFUSAL),
        (Junk, JUNK[:12]),
        (lambda: Reply(content="", refusal="I cannot help with that."), None),
    ],
    ids=["prose-refusal", "junk", "refusal-field"],
)
def test_a_refusal_or_junk_twice_is_asked_twice_and_nothing_is_cached(
    tmp_path, fake_openai, reply, shown
):
    data = tmp_path / "data"
    env = endpoint_env(fake_openai, UIREVIEW_DATA_DIR=str(data))
    fake_openai.script(reply(), reply())
    path = shot(tmp_path)
    for attempt in (1, 2):
        out = run_cli("review", path, "--json", env_extra=env)
        assert out.returncode == 3, (attempt, out.stderr)
        doc = json.loads(out.stdout)
        assert doc["error"] and not doc.get("id") and not doc["cached"]
        assert any(f["source"] == "measured" for f in doc["findings"])
        if shown:
            assert shown in (doc["raw_reply"] or "")
        assert len(fake_openai.chat_requests) == attempt  # really asked again
    with Store.open(sqlite_url(data)) as store:
        assert store.list_reviews().total == 0


def test_a_good_answer_after_a_refusal_is_saved_and_then_served_from_the_store(
    tmp_path, fake_openai
):
    env = endpoint_env(fake_openai, UIREVIEW_DATA_DIR=str(tmp_path / "data"))
    fake_openai.script(Refuses(), Reply(ANSWER))
    path = shot(tmp_path)
    assert run_cli("review", path, "--json", env_extra=env).returncode == 3
    good = json.loads(run_cli("review", path, "--json", env_extra=env).stdout)
    again = json.loads(run_cli("review", path, "--json", env_extra=env).stdout)
    assert good["id"] and again["id"] == good["id"] and again["cached"]
    assert len(fake_openai.chat_requests) == 2


# --- the front door: the result comes back whole when saving fails ------------------------


def test_review_and_keep_returns_the_whole_review_with_why_it_was_not_saved(
    monkeypatch, fake_openai, fake_settings_for, tmp_path
):
    from tests.imagegen import png_bytes

    fake_openai.script(Reply(ANSWER))
    _fail_saves(monkeypatch, "database or disk is full")
    with Store.open(sqlite_url(tmp_path)) as store:
        outcome = pipeline.review_and_keep(
            [load_image(png_bytes(), "shot.png")], "hierarchy", settings=fake_settings_for(),
            store=store,
        )  # fmt: skip
    assert outcome.not_saved == "This review could not be saved: the disk is full."
    assert outcome.delete_token is None and outcome.review.id is None
    assert "Vague button label" in [f.title for f in outcome.review.findings]


def test_a_store_that_cannot_open_stands_in_and_says_why(tmp_path):
    folder = tmp_path / "file-not-folder"
    folder.write_text("a file where the data folder should be")
    store = open_or_unavailable(sqlite_url(folder))
    assert isinstance(store, UnavailableStore)
    assert store.list_reviews().total == 0 and store.load("x" * 22) is None


# --- a password in the base URL ---------------------------------------------------------


def test_a_password_in_the_base_url_reaches_no_output_log_or_database(tmp_path, fake_openai):
    data = tmp_path / "data"
    secret = "Sup3rS3cretPass"
    env = endpoint_env(fake_openai, UIREVIEW_DATA_DIR=str(data))
    env["XAI_BASE_URL"] = env["XAI_BASE_URL"].replace("://", f"://proxyuser:{secret}@")
    env["UIREVIEW_LOG_LEVEL"] = "DEBUG"
    fake_openai.script(Reply(ANSWER), StatusError(500, f"upstream {env['XAI_BASE_URL']}"))
    path = shot(tmp_path)
    first = run_cli("review", path, "--json", env_extra=env)
    second = run_cli("review", path, "--json", "--run-again", env_extra=env)
    assert first.returncode == 0, first.stderr
    doc = json.loads(first.stdout)
    assert doc["settings"]["base_url"] == fake_openai.base_url
    for out in (first, second):
        assert secret not in out.stdout + out.stderr and "proxyuser" not in out.stdout + out.stderr
    stored = b"".join(p.read_bytes() for p in data.iterdir() if p.is_file())
    assert stored and secret.encode() not in stored and b"proxyuser" not in stored


def test_the_stand_in_store_answers_every_question_the_real_one_is_asked():
    """Pages and the CLI may be handed either; a method missing from the stand-in would be
    a crash exactly when the disk is already failing."""
    from uireview.store import Store
    from uireview.store.failures import UnavailableStore

    public = {n for n in vars(Store) if not n.startswith("_") and callable(getattr(Store, n))}
    public -= {"open", "from_settings"}  # how a real store is made, not what it is asked
    assert public <= set(dir(UnavailableStore))
