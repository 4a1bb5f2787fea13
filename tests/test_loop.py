"""The design loop on rendered pages: each version against the last, dismissals that stay."""

from __future__ import annotations

import io
from functools import lru_cache

import pytest
from PIL import Image, ImageDraw, ImageFont

from tests.screens import render_dashboard
from uireview import loop, pipeline
from uireview.images import load_image
from uireview.settings import Settings
from uireview.store import Store

SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FADED = "#b8b8b8"  # 1.98:1 on white: critical
FADER = "#c4c4c4"  # 1.74:1: worse, still the same label
NEW_PROBLEM = "#9a9a9a"  # 2.81:1: major


@lru_cache(maxsize=16)
def page_png(
    label: str | None = FADED,
    extra: str | None = None,
    banner: int = 0,
    name: str = "home",
    right: int = 0,
) -> bytes:
    """A rendered dashboard with a small label in the last KPI card drawn in ``label``;
    ``extra`` adds a second label in the card beside it; ``banner`` inserts a bar of that
    height at the top, moving the whole layout down (the bottom falls off the screen);
    ``right`` moves the whole layout right by that many px."""
    img, truth = render_dashboard("cards", "light", seed=3)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(SANS, 15)
    card = truth.cards[3]
    if label:
        draw.text((card.x1 - 150, card.y0 + 24), "Synced 5 min ago", fill=label, font=font)
    if extra:
        beside = truth.cards[2]
        draw.text((beside.x1 - 150, beside.y0 + 24), "Export queued", fill=extra, font=font)
    if banner:
        moved = Image.new("RGB", img.size, "#1e3a8a")
        ImageDraw.Draw(moved).text((32, 10), "New: scheduled reports", fill="#ffffff", font=font)
        moved.paste(img.crop((0, 0, img.width, img.height - banner)), (0, banner))
        img = moved
    if right:
        moved = Image.new("RGB", img.size, img.getpixel((1, 1)))
        moved.paste(img.crop((0, 0, img.width - right, img.height)), (right, 0))
        img = moved
    out = io.BytesIO()
    img.convert("RGB").save(out, "PNG")
    return out.getvalue()


def shot(**kw):
    return load_image(page_png(**kw), "home.png")


MEASURED = Settings(api_key=None)

# db_url: a fresh database on SQLite and on PostgreSQL (test_store's fixture).
pytest_plugins = ["tests.test_store"]


@lru_cache(maxsize=16)
def _alone(**kw):
    return pipeline.review([shot(**kw)], "contrast", settings=MEASURED, use_model=False)


def alone(**kw):
    """The page reviewed on its own, with an id so it can serve as a baseline."""
    return _alone(**kw).model_copy(update={"id": "b" * 22})


def against(baseline_kw: dict, **kw):
    base = loop.Baseline(alone(**baseline_kw), [shot(**baseline_kw).rgb])
    return pipeline.review(
        [shot(**kw)], "contrast", settings=MEASURED, use_model=False, baseline=base
    )


def label_findings(findings, y_range=(100, 230), x_min=1200):
    """The findings about the label in the last KPI card."""
    return [
        f for f in findings if f.box and f.box.x0 >= x_min and y_range[0] <= f.box.y0 < y_range[1]
    ]


def test_the_faded_label_is_flagged_on_the_first_version():
    (label,) = label_findings(alone().findings)
    assert label.rule == "contrast.aa" and label.severity == "critical"
    assert label.status is None  # no baseline, no status


def test_fixing_the_label_resolves_its_finding_and_the_rest_persist():
    fixed = against({}, label="#222222")
    assert not label_findings(fixed.findings)
    (resolved,) = label_findings(fixed.resolved)
    assert resolved.metrics["fg"] == FADED
    assert (
        resolved.previous["number"]
        == alone().findings.index(label_findings(alone().findings)[0]) + 1
    )
    assert fixed.findings and all(f.status == "persisting" for f in fixed.findings)
    assert loop.loop_counts(fixed) == {
        "new": 0,
        "persisting": len(fixed.findings),
        "resolved": 1,
        "dismissed": 0,
    }


def test_a_new_problem_is_new_and_fails_a_major_gate_while_the_backlog_does_not():
    with_new = against({}, extra=NEW_PROBLEM)
    new = [f for f in with_new.findings if f.status == "new"]
    assert len(new) == 1 and new[0].metrics["fg"] == NEW_PROBLEM and new[0].severity == "major"
    assert not with_new.resolved
    assert loop.gate_failures(with_new, "major") == new
    assert loop.gate_failures(with_new, "critical") == []  # the critical label is old news


def test_an_unchanged_version_has_only_persisting_findings_and_passes_the_gate():
    same = against({})
    assert same.findings and {f.status for f in same.findings} == {"persisting"}
    assert not same.resolved and loop.gate_failures(same, "minor") == []
    assert [f.previous["number"] for f in same.findings] == list(range(1, len(same.findings) + 1))


def test_a_label_that_got_fainter_but_still_fails_persists_with_both_ratios():
    fainter = against({}, label=FADER)
    (label,) = label_findings(fainter.findings)
    assert label.status == "persisting"
    assert label.previous["ratio"] == pytest.approx(1.98, abs=0.01)
    assert label.metrics["ratio"] == pytest.approx(1.74, abs=0.01)
    assert not label_findings(fainter.resolved)


def test_a_layout_moved_down_40px_keeps_the_faded_label_persisting():
    moved = against({}, banner=40)
    (label,) = label_findings(moved.findings, y_range=(140, 270))
    old = label_findings(alone().findings)[0]
    assert label.box.y0 - old.box.y0 == pytest.approx(40, abs=2)
    assert label.status == "persisting" and label.previous["ratio"] == old.metrics["ratio"]
    assert not label_findings(moved.resolved)
    assert moved.extra["baseline_moves"]["0"][0]["dy"] == 40


def test_without_the_diffs_shifts_the_moved_label_would_be_new_and_resolved():
    """The shift is what keeps it one finding: matched in place only, it would split.

    The words read from the pixels are left out here: they would rescue the match on their
    own, and this is about places.
    """

    def wordless(findings):
        return [f.model_copy(update={"text": None}) for f in findings]

    base = alone()
    base = base.model_copy(update={"findings": wordless(base.findings)})
    moved = _alone(banner=40)
    result = loop.match(base, wordless(moved.findings), moves_by_image={})
    (label,) = label_findings(result.findings, y_range=(140, 270))
    assert label.status == "new" and label_findings(result.resolved)


def test_findings_of_checks_that_did_not_run_are_neither_resolved_nor_persisting():
    base = loop.Baseline(alone(), [shot().rgb])
    other = pipeline.review(
        [shot(label="#222222")], "spacing", settings=MEASURED, use_model=False, baseline=base
    )
    assert not other.resolved and all(f.status == "new" for f in other.findings)
    assert other.extra["baseline_unchecked"] == len(alone().findings)
    assert any("not looked for this time" in n for n in other.notices)


# --- dismissals and ratings, through the store --------------------------------------------


@pytest.fixture
def store(tmp_path):
    with Store.open(data_dir=tmp_path) as s:
        yield s


def keep(store, baseline=None, **kw):
    return pipeline.review_and_keep(
        [shot(**kw)], "contrast", settings=MEASURED, store=store, use_model=False, baseline=baseline
    )


def test_a_dismissed_finding_stays_dismissed_in_the_next_versions(db_url):
    with Store.open(db_url) as store:
        first = keep(store).review
        number = first.findings.index(label_findings(first.findings)[0]) + 1
        store.dismiss(first.id, number, "by design")
    with Store.open(db_url) as store:  # a restart in between
        reloaded = store.load(first.id)
        assert reloaded.findings[number - 1].dismissed == "by design"
        assert store.list_reviews().items[0].counts["critical"] == 0  # not counted
        second = keep(store, baseline=first.id, extra=NEW_PROBLEM).review
        assert not label_findings(second.findings)
        (carried,) = label_findings(second.dismissed)
        assert carried.dismissed == "by design" and carried.status == "persisting"
        assert not label_findings(second.resolved)  # dismissed is not "resolved" either
        assert all(f.metrics["fg"] != FADED for f in loop.gate_failures(second, "minor"))
        third = keep(store, baseline=second.id, extra=NEW_PROBLEM).review
        assert label_findings(third.dismissed) and not label_findings(third.findings)
        assert {f.status for f in third.findings} == {"persisting"}


def test_undismissing_counts_the_finding_again(store):
    first = keep(store).review
    store.dismiss(first.id, 1, "false")
    assert store.list_reviews().items[0].counts["critical"] == 0
    assert store.undismiss(first.id, 1)
    assert store.load(first.id).findings[0].dismissed is None
    assert store.list_reviews().items[0].counts["critical"] == 1


def test_dismiss_checks_the_number_and_the_reason(store):
    first = keep(store).review
    with pytest.raises(LookupError):
        store.dismiss(first.id, len(first.findings) + 1, "false")
    with pytest.raises(LookupError):
        store.dismiss(first.id, 0, "false")
    with pytest.raises(ValueError):
        store.dismiss(first.id, 1, "   ")
    assert store.dismiss(first.id, 1, "Won’t fix").dismissed == "won't fix"


def test_history_counts_new_and_resolved_and_names_the_baseline(store):
    first = keep(store).review
    second = keep(store, baseline=first.id, label="#222222", extra=NEW_PROBLEM).review
    item = store.list_reviews().items[0]
    assert item.id == second.id and item.baseline_id == first.id
    assert (item.n_new, item.n_resolved) == (1, 1)
    assert store.list_reviews().items[1].n_new is None  # no baseline, no counts


def test_an_unknown_baseline_is_an_error_the_user_can_act_on(store):
    from uireview.errors import BaselineNotFound

    with pytest.raises(BaselineNotFound):
        keep(store, baseline="x" * 22)


def test_the_default_baseline_is_the_last_review_of_the_same_file_name(store):
    assert pipeline.default_baseline(store, "home.png") is None
    keep(store)
    second = keep(store, label="#222222").review
    assert pipeline.default_baseline(store, "home.png") == second.id
    assert pipeline.default_baseline(store, "home.png", exclude=second.id) != second.id
    assert pipeline.default_baseline(store, "other.png") is None
    # the same pixels again are a rerun, not a next version
    fixed_sha = shot(label="#222222").sha256
    assert pipeline.default_baseline(store, "home.png", sha256=fixed_sha) != second.id


def test_rerunning_the_same_screenshot_on_the_page_default_keeps_one_entry(store):
    first = keep(store).review
    again = keep(store, baseline=pipeline.default_baseline(store, "home.png", sha256=shot().sha256))
    assert again.review.id == first.id and store.list_reviews().total == 1


# --- matching rules on findings alone ---------------------------------------------------


def _f(**kw):
    from uireview.findings import Finding

    base = {"source": "model", "category": "copy", "severity": "minor", "title": "Vague label"}
    return Finding(**{**base, **kw})


def _review(*findings):
    from uireview.findings import Review

    return Review(preset="general", findings=list(findings), id="c" * 22)


def test_a_model_finding_with_the_same_words_persists_even_with_a_rough_box():
    old = _f(title="The Export button label is vague", box=(100, 100, 200, 140))
    new = _f(title="Export button label is vague", box=(400, 300, 480, 330))
    (kept,) = loop.match(_review(old), [new]).findings
    assert kept.status == "persisting"


def test_a_model_finding_about_something_else_in_the_same_place_is_new():
    old = _f(title="Vague label", box=(100, 100, 200, 140))
    new = _f(title="Crowded header competes with chart", box=(100, 100, 200, 140))
    result = loop.match(_review(old), [new])
    assert result.findings[0].status == "new" and len(result.resolved) == 1


def test_words_read_from_the_pixels_decide_between_two_nearby_labels():
    common = {"source": "measured", "category": "contrast", "rule": "contrast.aa"}
    old = _f(**common, title="Text contrast 2.1:1", text="Synced 5 min ago", box=(10, 10, 90, 24))
    other = _f(**common, title="Text contrast 2.1:1", text="Export queued", box=(10, 12, 90, 26))
    result = loop.match(_review(old), [other])
    assert result.findings[0].status == "new" and len(result.resolved) == 1
    same = other.model_copy(update={"text": "synced 5 MIN ago", "box": (600, 500, 680, 514)})
    assert loop.match(_review(old), [same]).findings[0].status == "persisting"


def test_each_baseline_finding_is_matched_at_most_once():
    common = {"source": "measured", "category": "contrast", "rule": "contrast.aa"}
    old = _f(**common, box=(10, 10, 90, 24))
    twins = [_f(**common, box=(10, 10, 90, 24)), _f(**common, box=(12, 10, 92, 24))]
    statuses = sorted(f.status for f in loop.match(_review(old), twins).findings)
    assert statuses == ["new", "persisting"]


def test_a_2x_export_of_the_same_screen_keeps_the_faded_label_persisting():
    img = Image.open(io.BytesIO(page_png())).convert("RGB")
    big = img.resize((img.width * 2, img.height * 2), Image.LANCZOS)
    out = io.BytesIO()
    big.save(out, "PNG")
    base = loop.Baseline(alone(), [shot().rgb])
    twice = pipeline.review(
        [load_image(out.getvalue(), "home.png")],
        "contrast",
        settings=MEASURED,
        use_model=False,
        baseline=base,
    )
    (label,) = label_findings(twice.findings, y_range=(200, 460), x_min=2400)
    assert label.status == "persisting" and label.previous["ratio"] == pytest.approx(1.98, abs=0.01)
    assert not label_findings(twice.resolved)


def test_a_layout_moved_sideways_keeps_its_findings_persisting():
    moved = against({}, right=60)
    (move,) = moved.extra["baseline_moves"]["0"]
    assert (move["axis"], move["dy"]) == ("x", 60)
    assert not moved.resolved  # nothing split into new + resolved
    (label,) = label_findings(moved.findings, x_min=1260)
    assert label.status == "persisting"


def test_words_read_a_letter_short_are_still_the_same_text_but_other_words_are_not():
    assert loop._same_text("Synced 5 min ago", "Synced 5 min ag") is True
    assert loop._same_text("Pending requests", "Pending requests") is True
    assert loop._same_text("Pending requests", "Total revenue") is False
    assert loop._same_text(None, "Total revenue") is None
