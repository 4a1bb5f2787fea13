"""Presets are prompt files in ``prompts/``: a YAML header, then the instruction text.

A designer adds a preset by adding a file; no Python changes. Files starting with ``_``
are shared pieces (the system prompt), not presets.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from uireview.checks import CHECK_NAMES
from uireview.settings import PROJECT_ROOT

PROMPTS_DIR = PROJECT_ROOT / "prompts"
REVIEW_PRESETS = ("spacing", "contrast", "hierarchy", "general")


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    description: str
    categories: tuple[str, ...]
    checks: tuple[str, ...]  # measured checks this preset runs
    instruction: str


class PresetError(ValueError):
    """A prompt file is malformed; the message names the file and the problem."""


def parse_prompt_file(path: Path) -> Preset:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        raise PresetError(f"{path.name}: must start with a '---' header block")
    try:
        _, header, body = text.split("---", 2)
        meta = yaml.safe_load(header) or {}
    except (ValueError, yaml.YAMLError) as exc:
        raise PresetError(f"{path.name}: header is not valid YAML ({exc})") from None
    if not isinstance(meta, dict) or "title" not in meta:
        raise PresetError(f"{path.name}: header needs at least 'title'")
    checks = tuple(meta.get("checks") or ())
    unknown = [c for c in checks if c not in CHECK_NAMES]
    if unknown:
        raise PresetError(f"{path.name}: unknown checks {unknown}; known: {list(CHECK_NAMES)}")
    return Preset(
        name=path.stem,
        title=str(meta["title"]),
        description=str(meta.get("description", "")),
        categories=tuple(str(c) for c in meta.get("categories") or ()),
        checks=checks,
        instruction=body.strip(),
    )


@lru_cache(maxsize=8)
def load_presets(directory: Path = PROMPTS_DIR) -> dict[str, Preset]:
    """Every preset in ``directory`` by name, the four review presets first."""
    presets = {
        p.stem: parse_prompt_file(p)
        for p in sorted(directory.glob("*.md"))
        if not p.name.startswith("_")
    }
    order = {name: i for i, name in enumerate(REVIEW_PRESETS)}
    return dict(sorted(presets.items(), key=lambda kv: (order.get(kv[0], 99), kv[0])))


def get_preset(name: str, directory: Path = PROMPTS_DIR) -> Preset:
    presets = load_presets(directory)
    if name not in presets:
        raise KeyError(f"unknown preset {name!r}; choose one of {', '.join(presets)}")
    return presets[name]


@lru_cache(maxsize=8)
def system_prompt_template(directory: Path = PROMPTS_DIR) -> str:
    return parse_prompt_file(directory / "_system.md").instruction
