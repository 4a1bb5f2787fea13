#!/usr/bin/env bash
# Install what the app needs, then run it (http://localhost:8501).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q -r requirements.txt
# The compiled pixelmatch kernel and PNG unfilter (uireview/compare/_kernel.c), built in place;
# where it cannot be compiled the numpy kernel does the same work, slower.
python3 setup.py -q build_ext --inplace
# Each browser session runs in its own thread and glibc gives every thread its own malloc
# arena, which keeps the text detector's peak (~300 MB a screenshot) per thread. Two arenas
# cut peak memory under 20 concurrent reviews from 1.5 GB to 0.9 GB (benchmarks/bench_load.py).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
exec python3 -m streamlit run app.py "$@"
