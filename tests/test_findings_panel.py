"""A finding card's head: what, where and how bad in two lines, with untrusted text escaped."""

from components.findings_panel import _head, ratio_text
from uireview.findings import Finding


def _finding(**kw) -> Finding:
    base = dict(
        source="measured",
        category="contrast",
        severity="major",
        title="Low contrast",
        rule="contrast.aa",
    )
    return Finding(**{**base, **kw})


def test_the_head_names_the_place_the_ratio_and_the_severity():
    f = _finding(
        title="“PENDING REQUESTS” is hard to read",
        place="card “Earnings (Monthly)”",
        metrics={"ratio": 1.652, "required": 4.5},
    )
    head = _head(7, f, multi_image=False)
    assert ">7<" in head and "Finding 7:" in head
    assert "card “Earnings (Monthly)”" in head
    assert "1.65:1, needs 4.5:1" in head
    assert "Major" in head and "uir-sev-major" in head


def test_a_ratio_the_title_already_quotes_is_not_repeated():
    f = _finding(title="“PENDING”: 1.65:1, needs 4.5:1", metrics={"ratio": 1.65, "required": 4.5})
    assert _head(1, f, multi_image=False).count("1.65:1") == 1


def test_the_image_is_named_only_in_a_review_of_several():
    f = _finding(image=1)
    assert "image 2" in _head(1, f, multi_image=True)
    assert "image 2" not in _head(1, f, multi_image=False)


def test_text_from_the_model_cannot_inject_markup():
    f = _finding(source="model", title="<img src=x onerror=alert(1)>", place="<b>top</b>")
    head = _head(1, f, multi_image=False)
    assert "<img" not in head and "<b>" not in head
    assert "&lt;img src=x onerror=alert(1)&gt;" in head


def test_no_ratio_without_a_measured_one():
    assert ratio_text(_finding()) == ""
    assert ratio_text(_finding(metrics={"ratio": 3.0})) == "3.00:1"


def test_a_hierarchy_size_ratio_is_not_shown_as_a_contrast_ratio():
    flat = _finding(category="hierarchy", rule="hierarchy.flat", metrics={"ratio": 1.0})
    assert ratio_text(flat) == ""
    assert "1.00:1" not in _head(1, flat, multi_image=False)


def test_the_crop_of_a_place_keeps_a_margin_and_enlarges_small_text():
    import numpy as np

    from components.findings_panel import place_crop
    from uireview.findings import Box

    pixels = np.zeros((400, 600, 3), dtype=np.uint8)
    pixels[100:120, 200:260] = 255  # a small white label
    crop = place_crop(pixels, Box(200, 100, 260, 120), pad=20, width=300)
    assert crop.width == 300 and crop.height == round(60 * 300 / 100)  # 100 px wide, x3
    grey = np.asarray(crop.convert("L"))
    assert grey[0].max() == 0 and grey[grey.shape[0] // 2].max() == 255  # margin, then label
    assert place_crop(pixels, Box(700, 500, 800, 600)) is None  # off the image


def test_a_dismissed_findings_card_keeps_its_number_with_a_muted_pin():
    head = _head(3, _finding(dismissed="by design"), multi_image=False)
    assert ">3<" in head and "uir-pin uir-sev-dismissed" in head and "uir-dismissed" in head
    assert "Major" in head  # what it was is still said
    assert "uir-sev-dismissed" not in _head(3, _finding(), multi_image=False)


def test_the_list_counts_open_findings_and_says_how_many_were_dismissed():
    from streamlit.testing.v1 import AppTest

    def page():
        from components.findings_panel import findings_panel
        from uireview.findings import Finding, Review

        def f(severity, dismissed=None):
            return Finding(source="measured", category="contrast", severity=severity,
                           title=f"{severity} one", dismissed=dismissed)  # fmt: skip

        findings_panel(Review(preset="contrast", findings=[
            f("major"), f("minor"), f("critical", dismissed="false")
        ]))  # fmt: skip

    at = AppTest.from_function(page).run()
    assert [s.value for s in at.subheader] == ["2 findings"]
    assert "1 major · 1 minor · 1 dismissed" in [c.value for c in at.caption]
