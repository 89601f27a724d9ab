#!/usr/bin/env bash
# Set up .venv with everything the tests need (once), then run lint, types, the content check and the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-venv.sh dev
export MPLBACKEND=Agg
.venv/bin/ruff check bot tests benchmarks
.venv/bin/ruff format --check bot tests benchmarks
.venv/bin/mypy
.venv/bin/python -m bot content check
.venv/bin/python -m pytest -q "$@"
