#!/usr/bin/env bash
# Set up a virtual environment with everything the tests need, then run lint, types and the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[dev]"
export MPLBACKEND=Agg
.venv/bin/ruff check bot tests benchmarks
.venv/bin/ruff format --check bot tests benchmarks
.venv/bin/mypy
.venv/bin/python -m bot content check
.venv/bin/python -m pytest -q "$@"
