#!/usr/bin/env bash
# Create .venv if missing and install the project into it (editable) with the given extras, every
# dependency at its version in requirements.lock (written by scripts/lock.sh), but only when pyproject.toml,
# the lock or the extras asked for changed since the last install: a second start installs nothing.
# Usage: bash scripts/setup-venv.sh [EXTRAS]     e.g. bash scripts/setup-venv.sh dev
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
digest="$(cat pyproject.toml requirements.lock | sha256sum | cut -d' ' -f1)"
target="."
if [ -n "$extras" ]; then
    target=".[$extras]"
fi
stamp=.venv/.dl-tutor-installed
if [ ! -f "$stamp" ] || ! grep -qxF "$digest $extras" "$stamp"; then
    # the installer at a known version too: an unpinned upgrade would change how next month installs
    .venv/bin/python -m pip install -q "pip==26.3"
    .venv/bin/python -m pip install -q -c requirements.lock -e "$target"
    # an install with extras covers the plain one too, so both are remembered
    printf '%s %s\n%s \n' "$digest" "$extras" "$digest" > "$stamp"
fi
