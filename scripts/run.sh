#!/usr/bin/env bash
# Run the tutor: set up .venv when needed (nothing is reinstalled when nothing changed), then start
# `python -m bot` (Discord when DISCORD_TOKEN is set in the environment or .env, otherwise the offline
# console). The bot migrates the database itself when it is behind, so no second Python start is paid here.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-venv.sh
export MPLBACKEND=Agg
mkdir -p data
exec .venv/bin/python -m bot "$@"
