"""bot/training's two sides: only bot/training/worker imports torch and matplotlib, and only jobs.py
names its entry points; no training module but the parser's vocabulary holds Devanagari."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import bot

BOT = Path(bot.__file__).parent
TRAINING = BOT / "training"
WORKER = TRAINING / "worker"
HEAVY = ("torch", "matplotlib")
DEVANAGARI = re.compile(r"[\u0900-\u097F]")


def _module_name(path: Path) -> str:
    parts = path.relative_to(BOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module `path` imports, at any depth (imports inside functions count)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _main_side() -> list[Path]:
    return sorted(p for p in TRAINING.rglob("*.py") if WORKER not in p.parents)


def test_the_main_side_of_training_leaves_torch_and_matplotlib_out() -> None:
    modules = [_module_name(p) for p in _main_side()]
    assert {"bot.training.jobs", "bot.training.results", "bot.training.executor"} <= set(modules)
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "from bot.training.parse import parse_request\n"
        "from bot.training.jobs import Jobs, train_job, training_pool\n"
        "spec = parse_request('train XOR with Adam')\n"
        "train_job(spec, 'hi'); Jobs(training_pool())\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_cli_module_imports_nothing_heavy() -> None:
    script = (
        "import json, sys\nimport bot.cli.train, bot.cli.compare, bot.cli.backprop\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'matplotlib'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_only_the_worker_side_imports_torch_or_matplotlib() -> None:
    heavy = {
        str(path.relative_to(BOT.parent))
        for path in BOT.rglob("*.py")
        if any(name.split(".")[0] in HEAVY for name in _imports(path))
    }
    assert "bot/training/worker/runner.py" in heavy  # the scan sees them
    assert sorted(p for p in heavy if not p.startswith("bot/training/worker/")) == []


def test_no_main_side_module_imports_the_worker_side() -> None:
    # the command line runs the worker's entry points in its own process (it is not the bot)
    allowed = BOT / "cli"
    leaks = [
        str(path.relative_to(BOT.parent))
        for path in BOT.rglob("*.py")
        if WORKER not in path.parents
        and allowed not in path.parents
        and any(name.startswith("bot.training.worker") for name in _imports(path))
    ]
    assert leaks == []


def _targets(path: Path) -> list[str]:
    """String constants of `path` that are a whole job target ("module:function" under the worker)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and re.fullmatch(r"bot\.training\.worker\.[\w.]+(:\w+)?", node.value)
    ]


def test_worker_targets_are_named_only_in_jobs_py() -> None:
    naming = {str(path.relative_to(BOT.parent)): _targets(path) for path in BOT.rglob("*.py")}
    assert {path for path, found in naming.items() if found} == {"bot/training/jobs.py"}
    assert naming["bot/training/jobs.py"] == ["bot.training.worker.tasks"]  # one constant, TASKS


def test_no_training_module_but_the_parsers_vocabulary_holds_devanagari() -> None:
    holding = sorted(
        str(path.relative_to(TRAINING))
        for path in TRAINING.rglob("*.py")
        if DEVANAGARI.search(path.read_text(encoding="utf-8"))
    )
    assert holding == ["parse_words.py"]
