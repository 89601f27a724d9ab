"""The main process's side of bot/training imports neither torch nor matplotlib."""

from __future__ import annotations

import json
import subprocess
import sys

MAIN_PROCESS_MODULES = ["bot.training", "bot.training.spec", "bot.training.parse", "bot.training.pool"]


def test_main_process_modules_leave_torch_and_matplotlib_out() -> None:
    script = (
        "import importlib, json, sys\n"
        f"for name in {MAIN_PROCESS_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "from bot.training.parse import parse_request\n"
        "parse_request('train XOR with Adam')\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'matplotlib'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_cli_module_imports_nothing_heavy() -> None:
    script = (
        "import json, sys\nimport bot.cli.train\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'matplotlib'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
