#!/usr/bin/env bash
# Every test, from a fresh machine: installs what the tests need, then runs pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install -q -r requirements-dev.txt
# The compiled pixelmatch kernel and PNG unfilter (uireview/compare/_kernel.c), built in place;
# where it cannot be compiled the numpy kernel does the same work, slower.
python3 setup.py -q build_ext --inplace

# System packages: Chromium for the browser tests, PostgreSQL for the store tests.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
fi

# axe-core (the contrast truth in a browser test) is an npm package pinned in benchmarks/.
if [ ! -d benchmarks/node_modules/axe-core ]; then
  # `npm install` against the lock: `npm ci` rejects this lock over odiff-bin's optional
  # per-platform packages (npm 11), though the lock pins every version we install.
  npm install --prefix benchmarks --no-audit --no-fund --silent
fi

# Lint and types first: quick, and a failure here names the line.
python3 -m ruff check .
python3 -m ruff format --check .
python3 -m mypy

python3 -m pytest "$@"
