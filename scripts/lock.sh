#!/usr/bin/env bash
# Write requirements.lock: every distribution the project and its dev extra need, at the exact version of
# a working environment. scripts/setup-venv.sh, .ci/run (through scripts/test.sh) and the Dockerfile
# install with it as pip constraints, so an install next month is the one that was tested.
#
# Usage: bash scripts/lock.sh [VENV]
#   VENV  an environment whose tests pass, to freeze as it is (e.g. .venv after scripts/test.sh)
#   none  a fresh environment is built in a temporary folder from pyproject.toml's ranges (newest
#         allowed versions, the torch CPU wheel), checked with `pip check`, and frozen; run
#         scripts/test.sh afterwards, which reinstalls from the new lock and tests it.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${1:-}"
if [ -z "$venv" ]; then
    venv="$(mktemp -d)/venv"
    trap 'rm -rf "$(dirname "$venv")"' EXIT
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install -q -e ".[dev]"
fi
"$venv/bin/python" -m pip check
{
    echo "# Exact versions of every dependency of dl-tutor[dev], frozen from a working environment by"
    echo "# scripts/lock.sh (Python $("$venv/bin/python" -c 'import platform; print(platform.python_version())'), $(uname -m)). Do not edit: run the script."
    # --all: setuptools is a dependency too (torch needs it at run time); pip is the installer, not locked.
    # A local label goes ("torch==2.13.0+cpu" -> "torch==2.13.0"): the CPU wheel and PyPI's build of the
    # same release both satisfy it, and PyPI has no "+cpu".
    "$venv/bin/python" -m pip freeze --all --exclude-editable | grep -v '^pip==' | sed -E 's/^([^=]+==[^+]+)\+.*$/\1/' \
        | LC_ALL=C sort -f
} > requirements.lock.new
mv requirements.lock.new requirements.lock
echo "requirements.lock: $(grep -vc '^#' requirements.lock) distributions pinned"
