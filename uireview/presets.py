"""Presets are prompt files in ``prompts/``: a YAML header, then the instruction text.

A designer adds a preset by adding a file; no Python changes. The header says ``kind``
(``review``, the default, or ``compare``) and optionally ``order`` (where it is listed, low
first). Files starting with ``_`` are shared pieces (the system prompt), not presets.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from uireview.checks import CHECK_NAMES
from uireview.settings import PROJECT_ROOT

# The checkout's prompts/ folder; an installed package carries the same files in
# uireview/prompts (see pyproject.toml).
_INSTALLED_PROMPTS = Path(__file__).resolve().parent / "prompts"
PROMPTS_DIR = _INSTALLED_PROMPTS if _INSTALLED_PROMPTS.is_dir() else PROJECT_ROOT / "prompts"
KINDS = ("review", "compare")


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    description: str
    categories: tuple[str, ...]
    checks: tuple[str, ...]  # measured checks this preset runs
    instruction: str
    kind: str = "review"  # "review" (screenshots) or "compare" (a before/after pair)
    order: int = 99


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
    kind = str(meta.get("kind", "review"))
    if kind not in KINDS:
        raise PresetError(f"{path.name}: kind must be one of {list(KINDS)}, not {kind!r}")
    try:
        order = int(meta.get("order", 99))
    except (TypeError, ValueError):
        raise PresetError(f"{path.name}: order must be a whole number") from None
    return Preset(
        kind=kind,
        order=order,
        name=path.stem,
        title=str(meta["title"]),
        description=str(meta.get("description", "")),
        categories=tuple(str(c) for c in meta.get("categories") or ()),
        checks=checks,
        instruction=body.strip(),
    )


@lru_cache(maxsize=8)
def load_presets(directory: Path = PROMPTS_DIR) -> dict[str, Preset]:
    """Every preset in ``directory`` by name, in the order their headers give."""
    presets = [
        parse_prompt_file(p) for p in sorted(directory.glob("*.md")) if not p.name.startswith("_")
    ]
    return {p.name: p for p in sorted(presets, key=lambda p: (p.order, p.name))}


def review_presets(directory: Path = PROMPTS_DIR) -> dict[str, Preset]:
    """The presets a screenshot review offers (the page's choices and the CLI's --preset)."""
    return {n: p for n, p in load_presets(directory).items() if p.kind == "review"}


def get_preset(name: str, directory: Path = PROMPTS_DIR) -> Preset:
    presets = load_presets(directory)
    if name not in presets:
        raise KeyError(f"unknown preset {name!r}; choose one of {', '.join(presets)}")
    return presets[name]


@lru_cache(maxsize=8)
def system_prompt_template(directory: Path = PROMPTS_DIR) -> str:
    return parse_prompt_file(directory / "_system.md").instruction
