#!/usr/bin/env bash
# Every benchmark, with its peers installed first. Each prints its own figures and ratios.
set -uo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q -r requirements-dev.txt blazediff==6.0.2
python3 setup.py -q build_ext --inplace  # the compiled kernel the benchmarks measure
command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
npm install --prefix benchmarks --no-audit --no-fund --silent  # not npm ci: see scripts/test.sh
# As scripts/run.sh does for the app (see there), so bench_load measures what deploys.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
status=0
for bench in bench_diff bench_batch bench_decode bench_diff_explain bench_contrast_axe bench_contrast_real bench_checks bench_check_quality bench_pins bench_request bench_load; do
  if [ -f "benchmarks/$bench.py" ]; then
    echo "=== $bench"
    case $bench in
      # the planted-defect set of real pages too, its held-out part reported apart
      bench_check_quality) python3 "benchmarks/$bench.py" --real dev,heldout || status=1 ;;
      *) python3 "benchmarks/$bench.py" || status=1 ;;
    esac
  fi
done
exit $status
