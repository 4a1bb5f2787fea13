"""A throwaway PostgreSQL server for tests: initdb into a temp dir, listen on loopback only,
hand out fresh empty schemas, stop and delete everything afterwards.

Root cannot run postgres, so when the tests run as root the server runs as the ``postgres``
OS user (created by Debian's package). Fsync is off: nothing here needs to survive a crash,
and it keeps start-up to about a second.

Without the binaries, ``postgres_or_skip`` fails the test under ``CI=true`` (the test command
installs them, so their absence is a broken machine) and skips with the reason otherwise.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

PREFERRED_VERSION = "15"
DB_USER = "postgres"


def find_bindir() -> Path | None:
    """Debian's PostgreSQL binaries, version 15 preferred; None when not installed."""
    preferred = Path(f"/usr/lib/postgresql/{PREFERRED_VERSION}/bin")
    if (preferred / "initdb").is_file():
        return preferred
    others = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(others[0]).parent if others else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PostgresServer:
    host: str
    port: int
    root: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{DB_USER}@{self.host}:{self.port}/{database}"

    @contextmanager
    def database(self) -> Iterator[str]:
        """A URL onto a fresh, empty namespace for one test; dropped afterwards.

        A schema of its own (first on the search path) rather than a CREATE DATABASE: the
        store sees empty tables all the same, and it costs a millisecond instead of ~0.3 s.
        """
        name = "t_" + uuid.uuid4().hex[:16]
        admin = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE SCHEMA "{name}"'))
            yield self.url() + f"?options=-csearch_path%3D{name}"
            with admin.connect() as conn:
                conn.execute(text("SET lock_timeout = '10s'"))
                conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        finally:
            admin.dispose()


def _run_as() -> dict:
    """subprocess arguments that run the server as a user allowed to run it."""
    if os.geteuid() != 0:
        return {}
    try:
        pwd.getpwnam("postgres")
    except KeyError as exc:
        raise RuntimeError("Running as root but there is no 'postgres' OS user.") from exc
    return {"user": "postgres", "group": "postgres"}


@contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """Start a private server (initdb + pg_ctl on 127.0.0.1) and stop and delete it after."""
    bindir = find_bindir()
    if bindir is None:
        raise FileNotFoundError("PostgreSQL binaries not found under /usr/lib/postgresql.")
    as_user = _run_as()
    root = Path(tempfile.mkdtemp(prefix="uireview-pg-"))
    if as_user:
        shutil.chown(root, as_user["user"], as_user["group"])
    data = root / "data"
    log = root / "server.log"
    run = {"cwd": root, "check": True, "capture_output": True, "text": True, **as_user}
    started = False
    try:
        subprocess.run(
            [
                bindir / "initdb",
                "-D",
                data,
                "-U",
                DB_USER,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
                "--no-instructions",
            ],
            **run,
        )
        # A port found free can be taken before the server binds it; try a few.
        for attempt in range(3):
            port = _free_port()
            options = (
                f"-k {root} -h 127.0.0.1 -p {port} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            result = subprocess.run(
                [
                    bindir / "pg_ctl",
                    "-D",
                    data,
                    "-l",
                    log,
                    "-w",
                    "-t",
                    "30",
                    "-o",
                    options,
                    "start",
                ],
                **{**run, "check": False},
            )
            if result.returncode == 0:
                started = True
                break
            if attempt == 2:
                tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
                raise RuntimeError(f"pg_ctl start failed: {result.stderr}\n{tail}")
        yield PostgresServer(host="127.0.0.1", port=port, root=root)
    finally:
        if started:
            subprocess.run(
                [bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"],
                **{**run, "check": False},
            )
        shutil.rmtree(root, ignore_errors=True)


def postgres_or_skip() -> Path:
    """The binaries' directory, or fail (under CI=true) / skip with the reason."""
    bindir = find_bindir()
    if bindir is not None:
        return bindir
    reason = (
        "PostgreSQL 15 is not installed (/usr/lib/postgresql/15/bin/initdb missing); "
        "scripts/test.sh installs it, or: apt-get install -y postgresql"
    )
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(reason)
    pytest.skip(reason)
