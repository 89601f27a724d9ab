"""The layering rules: only bot/cogs imports discord; only bot/training/worker imports torch and matplotlib
(tests/training/test_layering.py checks the training side module by module)."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import bot

FORBIDDEN = ("discord", "torch", "matplotlib")


def _core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(bot.__path__, prefix="bot."):
        if info.name.startswith(("bot.cogs", "bot.training.worker")):
            continue
        names.append(info.name)
    return names


def test_core_packages_import_neither_discord_nor_torch_nor_matplotlib() -> None:
    modules = _core_modules()
    assert "bot.content.schema" in modules and "bot.training.jobs" in modules
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    leaked = json.loads(out.stdout.strip().splitlines()[-1])
    assert leaked == [], f"core modules pulled in {leaked}"
