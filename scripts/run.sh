#!/usr/bin/env bash
# Install what the app needs, then run it (http://localhost:8501).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q -r requirements.txt
exec python3 -m streamlit run app.py "$@"
