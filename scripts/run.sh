#!/usr/bin/env bash
# Run the tutor: create .venv if missing, install the project, migrate the database, start `python -m bot`
# (Discord when DISCORD_TOKEN is set in the environment or .env, otherwise the offline console).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
export MPLBACKEND=Agg
mkdir -p data
.venv/bin/python -m bot db upgrade
exec .venv/bin/python -m bot "$@"
