"""Comparing two screenshots: exact regions, the model's rating per region, ignore boxes."""

import json

from PIL import ImageDraw

from tests.fake_openai import Reply
from tests.imagegen import encode, screenshot
from uireview import pipeline
from uireview.findings import Box
from uireview.images import load_image
from uireview.settings import Settings
from uireview.store import Store


def pair(after_size=(800, 500)):
    before = screenshot()
    after = screenshot(*after_size)
    draw = ImageDraw.Draw(after)
    draw.rectangle((560, 300, 760, 360), fill="#dc2626")  # a new red button
    return load_image(encode(before), "before.png"), load_image(encode(after), "after.png")


def test_each_changed_region_is_a_measured_finding_in_the_after_image():
    before, after = pair()
    review = pipeline.compare(before, after, settings=Settings(api_key=None), use_model=False)
    assert review.kind == "compare"
    assert review.comparison.mismatch_pixels > 0
    regions = [f for f in review.findings if f.rule.startswith("diff.") and f.box]
    assert regions and all(f.image == 1 for f in regions)
    assert any(f.box.x0 <= 560 and f.box.x1 >= 760 for f in regions)


def test_ignored_regions_count_nowhere():
    before, after = pair()
    review = pipeline.compare(
        before,
        after,
        settings=Settings(api_key=None),
        use_model=False,
        ignore=[Box(550, 290, 770, 370)],
    )
    assert review.comparison.mismatch_pixels == 0
    assert not [f for f in review.findings if f.box]
    assert review.comparison.ignore == [(550, 290, 770, 370)]


def test_different_sizes_compare_the_overlap_and_say_so():
    before, after = pair(after_size=(800, 540))
    review = pipeline.compare(before, after, settings=Settings(api_key=None), use_model=False)
    assert review.comparison.size_before == (800, 500) and review.comparison.size_after == (
        800,
        540,
    )
    assert any("differ in size" in n for n in review.notices)


def test_the_model_rates_each_numbered_region(fake_openai, fake_settings_for):
    fake_openai.script(
        Reply(
            json.dumps(
                {
                    "findings": [
                        {
                            "title": "regression: a red block covers the footer",
                            "marks": ["1"],
                            "severity": "minor",
                            "category": "regression",
                        },
                    ]
                }
            )
        )
    )
    before, after = pair()
    review = pipeline.compare(before, after, settings=fake_settings_for())
    body = fake_openai.chat_requests[-1].body
    images = [p for p in body["messages"][1]["content"] if p["type"] == "image_url"]
    assert len(images) == 2  # before and after, the after one with numbered regions
    assert "Region 1:" in body["messages"][1]["content"][0]["text"]
    (model,) = [f for f in review.findings if f.source == "model"]
    region_one = next(f for f in review.findings if f.source == "measured" and f.box)
    assert model.box == region_one.box and model.image == 1
    assert model.metrics["rating"] == "regression" and model.severity == "major"
    assert model.title == "a red block covers the footer"


def test_a_comparison_is_saved_with_its_ignore_boxes(tmp_path):
    before, after = pair()
    with Store.open(data_dir=tmp_path) as store:
        out = pipeline.compare_and_keep(
            before, after, settings=Settings(api_key=None), store=store, ignore=[Box(0, 0, 10, 10)]
        )
        loaded = store.load(out.review.id)
        assert loaded.kind == "compare" and loaded.comparison.ignore == [(0, 0, 10, 10)]
        assert store.images_for(loaded) == [before.data, after.data]


def _removed_banner():
    """Before has a banner under the header that the after image no longer has."""
    import numpy as np
    from PIL import Image

    plain = np.asarray(screenshot().convert("RGB"))
    banner = np.full((44, plain.shape[1], 3), (254, 243, 199), np.uint8)
    banner[15:25, 24:300] = (120, 53, 15)
    before = Image.fromarray(np.concatenate([plain[:60], banner, plain[60:-44]]))
    return load_image(encode(before), "before.png"), load_image(encode(screenshot()), "after.png")


def test_deleted_rows_are_a_finding_on_the_before_image_and_the_model_rating_follows(
    fake_openai, fake_settings_for
):
    before, after = _removed_banner()
    measured = pipeline.compare(before, after, settings=Settings(api_key=None), use_model=False)
    (deleted,) = [f for f in measured.findings if f.rule == "diff.deleted"]
    assert deleted.image == 0 and 60 <= deleted.box.y0 and deleted.box.y1 <= 104
    assert "(before, " in deleted.detail
    number = str(measured.findings.index(deleted) + 1)
    fake_openai.script(
        Reply(json.dumps({"findings": [{"title": "intended: banner retired", "marks": [number]}]}))
    )
    review = pipeline.compare(before, after, settings=fake_settings_for())
    text = fake_openai.chat_requests[-1].body["messages"][1]["content"][0]["text"]
    assert f"Region {number}: deleted" in text and "in the BEFORE image" in text
    (model,) = [f for f in review.findings if f.source == "model"]
    assert model.image == 0 and model.box == deleted.box


def test_a_before_image_ignore_box_is_saved_and_removes_the_deleted_rows(tmp_path):
    before, after = _removed_banner()
    with Store.open(data_dir=tmp_path) as store:
        out = pipeline.compare_and_keep(
            before,
            after,
            settings=Settings(api_key=None),
            store=store,
            ignore_before=[Box(0, 60, 800, 104)],
        )
        assert not [f for f in out.review.findings if f.rule == "diff.deleted"]
        loaded = store.load(out.review.id)
        assert loaded.comparison.ignore_before == [(0, 60, 800, 104)]
