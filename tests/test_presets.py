"""Presets are the prompt files: a new file is a new preset, its header says where it shows."""

import shutil
from pathlib import Path

import pytest

from uireview.presets import PROMPTS_DIR, PresetError, load_presets, review_presets


def _prompts_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "prompts"
    shutil.copytree(PROMPTS_DIR, folder)
    return folder


def test_a_new_prompt_file_is_a_new_review_preset_in_its_header_order(tmp_path):
    folder = _prompts_copy(tmp_path)
    (folder / "forms.md").write_text(
        "---\ntitle: Forms\ndescription: Labels and errors.\ncategories: [forms]\n"
        "checks: [contrast]\nkind: review\norder: 0\n---\nLook at the form fields.\n"
    )
    presets = review_presets(folder)
    assert list(presets)[0] == "forms"
    assert presets["forms"].checks == ("contrast",)
    assert {"spacing", "contrast", "hierarchy", "general"} <= set(presets)


def test_a_compare_preset_is_not_offered_for_screenshot_reviews():
    assert load_presets()["diff"].kind == "compare"
    assert "diff" not in review_presets()


def test_a_prompt_file_with_an_unknown_kind_names_the_file(tmp_path):
    folder = _prompts_copy(tmp_path)
    (folder / "odd.md").write_text("---\ntitle: Odd\nkind: poster\n---\nText.\n")
    with pytest.raises(PresetError, match="odd.md"):
        load_presets(folder)
