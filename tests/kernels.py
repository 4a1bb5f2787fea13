"""Run a test through each pixelmatch kernel: the compiled one (_kernel.c) and numpy's.

The compiled kernel is built by `bash scripts/test.sh`; where it is not built its cases skip
here and test_diff_kernels.py's check that it is in use fails.
"""

from __future__ import annotations

import pytest

import uireview.compare.pixelmatch as pixelmatch_module


@pytest.fixture(params=["compiled", "numpy"])
def kernel(request, monkeypatch) -> str:
    """The kernel name; pixelmatch() runs that kernel for the rest of the test."""
    if request.param == "numpy":
        monkeypatch.setattr(pixelmatch_module, "_compiled", None)
    elif pixelmatch_module._compiled is None:
        pytest.skip("the compiled kernel is not built (bash scripts/test.sh builds it)")
    return request.param
