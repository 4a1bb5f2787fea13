"""compare() keeps pixelmatch's count exactly, on every oracle case, whatever it explains."""

from __future__ import annotations

import pytest

from tests.kernels import kernel  # noqa: F401  (the fixture below)
from tests.test_diff_pixelmatch import CASES, _load, _options
from uireview.compare.diff import compare

# every test here runs through both kernels: the compiled one and numpy's
pytestmark = pytest.mark.usefixtures("kernel")

# options that change the diff image only, not the count
_DRAWING = ("alpha", "diff_mask", "aa_color", "diff_color", "diff_color_alt")


@pytest.mark.parametrize(("a", "b", "metric", "options", "expected", "image"), CASES)
def test_compare_counts_what_pixelmatch_counts(a, b, metric, options, expected, image):
    before, after = _load(a), _load(b)
    if before.shape != after.shape:
        pytest.skip("pixelmatch refuses images of different sizes; compare uses the overlap")
    kwargs = {k: v for k, v in _options(options).items() if k not in _DRAWING}
    result = compare(before, after, metric=metric, **kwargs)
    count = result.window_pixels if "windowSize" in options else result.mismatch_pixels
    assert count == expected
    # whatever the regions say, none lies outside the image it is drawn on
    h, w = after.shape[:2]
    assert all(r.box.clamp(w, h) == r.box for r in result.regions)
