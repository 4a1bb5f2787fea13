"""Run a test through each pixelmatch kernel: the compiled one (_kernel.c) and numpy's.

The compiled kernel is built by `bash scripts/test.sh`; where it is not built its cases skip
here and test_diff_kernels.py's check that it is in use fails.
"""

from __future__ import annotations

import pytest

import uireview.compare.pixelmatch as pixelmatch_module


def each_kernel(module, doc: str):
    """A fixture run once with the compiled kernel and once with numpy's, for ``module``.

    ``module`` is the engine module that holds ``_compiled`` (the built extension or None);
    the numpy run sets it to None for the rest of the test.
    """

    @pytest.fixture(params=["compiled", "numpy"])
    def fixture(request, monkeypatch) -> str:
        if request.param == "numpy":
            monkeypatch.setattr(module, "_compiled", None)
        elif module._compiled is None:
            pytest.skip("the compiled kernel is not built (bash scripts/test.sh builds it)")
        return request.param

    fixture.__doc__ = doc
    return fixture


kernel = each_kernel(
    pixelmatch_module, "The kernel name; pixelmatch() runs that kernel for the rest of the test."
)
