"""The engine installs as a package: `pip install .` gives a `uireview` command that works
from any folder, with the prompt files and the store's migrations inside it."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
import venv
from pathlib import Path

from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parent.parent


def _requirement_names(lines: list[str]) -> dict[str, str]:
    reqs = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            name = re.split(r"[\[=<>!~ ]", line, maxsplit=1)[0].lower()
            reqs[name] = line
    return reqs


def test_the_package_depends_on_exactly_what_requirements_txt_lists():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    listed = _requirement_names((REPO / "requirements.txt").read_text().splitlines())
    assert _requirement_names(project["dependencies"]) == listed


def test_every_engine_folder_is_a_listed_package():
    # setuptools installs only the packages pyproject lists (the prompts mapping needs the
    # list spelled out), so a new folder left off it is missing from an installed copy.
    listed = set(
        tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    folders = {
        ".".join(init.parent.relative_to(REPO).parts)
        for init in (REPO / "uireview").rglob("__init__.py")
    }
    assert folders - listed == set()


def test_pip_install_gives_a_uireview_command_that_reviews_from_another_folder(tmp_path):
    env_dir = tmp_path / "venv"
    # The dependencies are already on this machine: the venv sees them, and pip installs
    # only our package (no network, no build isolation).
    venv.EnvBuilder(system_site_packages=True, with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", str(REPO)],
        check=True,
        cwd=tmp_path,
        capture_output=True,
    )
    elsewhere = tmp_path / "work"
    elsewhere.mkdir()
    shot = elsewhere / "shot.png"
    img = Image.new("RGB", (480, 200), "white")
    ImageDraw.Draw(img).text((40, 60), "Faded label on white", fill=(190, 190, 190), font_size=22)
    img.save(shot)
    out = subprocess.run(
        [
            env_dir / "bin" / "uireview",
            "review",
            "shot.png",
            "--preset",
            "contrast",
            "--json",
            "--no-model",
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": f"{env_dir / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["preset"] == "contrast"
    assert any(f["rule"].startswith("contrast") for f in doc["findings"])
    # The installed command used the installed package, not this checkout.
    assert str(REPO) not in out.stderr
    assert (elsewhere / "data").is_dir()  # saved where it was run, not in site-packages
    # The install compiled pixelmatch's kernel (setup.py), and the installed package uses it.
    kernel = subprocess.run(
        [python, "-c", "import uireview.compare.pixelmatch as p; print(p.KERNEL, p.__file__)"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    name, where = kernel.stdout.split()
    assert (name, str(REPO) in where) == ("compiled", False), kernel.stderr
