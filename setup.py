"""The compiled pixelmatch kernel (uireview/compare/_kernel.c); the rest is in pyproject.toml.

Optional: where it cannot be compiled, the package installs without it and the numpy kernel
(uireview/compare/pixelmatch.py) does the same work, slower. `bash scripts/test.sh` and
`bash scripts/run.sh` build it in place (`python3 setup.py build_ext --inplace`).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "uireview.compare._kernel",
            ["uireview/compare/_kernel.c"],
            # -O3 vectorises the PNG filters; no fused multiply-add: pixelmatch's doubles are
            # V8's, rounded after every step (-O3 keeps IEEE arithmetic as written)
            extra_compile_args=["-O3", "-ffp-contract=off"],
            optional=True,
        )
    ]
)
