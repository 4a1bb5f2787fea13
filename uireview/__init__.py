"""UI Review engine: measured checks, model critique, grounding and annotation.

Never imports Streamlit, so the CLI, tests and benchmarks use it directly.
"""

__version__ = "0.1.0"
