#!/usr/bin/env bash
# Run the tutor: set up .venv when needed (nothing is reinstalled when nothing changed), migrate the
# database, start `python -m bot` (Discord when DISCORD_TOKEN is set in the environment or .env,
# otherwise the offline console).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-venv.sh
export MPLBACKEND=Agg
mkdir -p data
.venv/bin/python -m bot db upgrade
exec .venv/bin/python -m bot "$@"
