"""The layering rules: only bot/cogs imports discord; bot/core (and everything but bot/cogs and
bot/training) imports neither discord nor torch nor matplotlib; no import cycle in bot/, not even through
imports moved into functions; the cogs never type the bot, the tutor or the catalog as Any."""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import setuptools

import bot
from bot.paths import PROJECT_ROOT

BOT = PROJECT_ROOT / "bot"
FORBIDDEN = ("discord", "torch", "matplotlib")
TYPED_NAMES = frozenset({"bot", "tutor", "catalog", "client"})  # what a cog must name by its real type


def _modules(*, skip: tuple[str, ...] = ()) -> list[str]:
    return [
        info.name
        for info in pkgutil.walk_packages(bot.__path__, prefix="bot.")
        if not info.name.startswith(skip)
    ]


def _leaked(modules: list[str]) -> list[str]:
    """The forbidden packages a fresh interpreter has loaded after importing `modules`."""
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    leaked: list[str] = json.loads(out.stdout.strip().splitlines()[-1])
    return leaked


def _source_files(root: Path = BOT) -> list[Path]:
    return sorted(root.rglob("*.py"))


def _imported(tree: ast.AST) -> set[str]:
    """Every module an `import` anywhere in the tree names (inside functions too)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_every_folder_of_bot_is_a_package() -> None:
    folders = {path.parent for path in _source_files()}
    assert sorted(str(f.relative_to(PROJECT_ROOT)) for f in folders if not (f / "__init__.py").exists()) == []
    found = set(setuptools.find_packages(where=str(PROJECT_ROOT), include=["bot*"]))  # what a wheel ships
    assert {"bot.core", "bot.cogs", "bot.console"} <= found
    assert "bot.core.tutor" in _modules()  # and the layering checks below see every module


def test_only_bot_cogs_imports_discord() -> None:
    cogs = BOT / "cogs"
    importing = [
        str(path.relative_to(PROJECT_ROOT))
        for path in _source_files()
        if cogs not in path.parents
        and any(
            name.split(".")[0] == "discord" for name in _imported(ast.parse(path.read_text(encoding="utf-8")))
        )
    ]
    assert importing == []
    assert any("discord" in _imported(ast.parse(p.read_text(encoding="utf-8"))) for p in _source_files(cogs))


def test_core_imports_neither_discord_nor_torch_nor_matplotlib() -> None:
    core = [name for name in _modules() if name.startswith("bot.core.")]
    assert {"bot.core.tutor", "bot.core.quiz", "bot.core.training"} <= set(core)
    assert _leaked(core) == [], "bot/core pulled these in"


def test_everything_but_cogs_and_training_imports_neither_discord_nor_torch_nor_matplotlib() -> None:
    modules = _modules(skip=("bot.cogs", "bot.training"))
    assert {"bot.content.schema", "bot.console.session", "bot.core.lessons"} <= set(modules)
    assert _leaked(modules) == [], "modules outside bot/cogs and bot/training pulled these in"


# ---- import cycles (the algorithm of the project's import_cycles tool, deferred imports counted) -----


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports_of(tree: ast.Module, me: str, is_pkg: bool) -> set[str]:
    """What a module imports, at module level and inside functions, classes and blocks (not under
    `if TYPE_CHECKING:`), relative imports resolved; `from a import b` names both `a` and `a.b`."""
    out: set[str] = set()

    def visit(statements: list[ast.stmt]) -> None:
        for s in statements:
            if isinstance(s, ast.If):
                if not _is_type_checking(s.test):
                    visit(s.body)
                visit(s.orelse)
            elif isinstance(s, ast.Try):
                visit(s.body)
                visit(s.orelse)
                visit(s.finalbody)
                for handler in s.handlers:
                    visit(handler.body)
            elif isinstance(
                s,
                ast.FunctionDef
                | ast.AsyncFunctionDef
                | ast.ClassDef
                | ast.With
                | ast.AsyncWith
                | ast.For
                | ast.AsyncFor
                | ast.While,
            ):
                visit(s.body)
                visit(getattr(s, "orelse", []))
            elif isinstance(s, ast.Import):
                out.update(alias.name for alias in s.names)
            elif isinstance(s, ast.ImportFrom):
                base = s.module or ""
                if s.level:
                    anchor = me.split(".") if is_pkg else me.split(".")[:-1]
                    anchor = anchor[: len(anchor) - (s.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                out.add(base)
                out.update(f"{base}.{alias.name}" for alias in s.names)

    visit(tree.body)
    return out


def import_cycles(root: Path) -> list[list[str]]:
    """The import cycles among the modules of the package at `root` (strongly connected components of
    more than one module, a package importing its own submodules excepted)."""
    modules: dict[str, Path] = {}
    for path in root.rglob("*.py"):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    graph = {
        name: {
            imported
            for imported in _imports_of(
                ast.parse(path.read_text(encoding="utf-8")), name, path.name == "__init__.py"
            )
            if imported in modules and imported != name
        }
        for name, path in modules.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def strong(v: str) -> None:  # Tarjan
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return [c for c in components if not all(x == c[0] or x.startswith(c[0] + ".") for x in c)]


def test_no_import_cycle_in_bot_counting_deferred_imports() -> None:
    assert import_cycles(BOT) == []


def test_an_import_moved_into_a_function_is_still_a_cycle(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg import b\n")
    (package / "b.py").write_text("def later():\n    from pkg.a import thing\n")
    (package / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\n"
    )
    assert import_cycles(package) == [["pkg.a", "pkg.b"]]


# ---- cogs name what they hold by its type ---------------------------------------------------------


def _mentions_any(annotation: ast.expr | None) -> bool:
    if annotation is None:
        return False
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return "Any" in annotation.value.replace("|", " ").split()  # a string annotation
    return any(
        (isinstance(n, ast.Name) and n.id == "Any") or (isinstance(n, ast.Attribute) and n.attr == "Any")
        for n in ast.walk(annotation)
    )


def _any_typed(tree: ast.AST) -> list[tuple[str, int]]:
    """Parameters and attributes called bot, tutor, catalog or client annotated with Any."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and node.arg in TYPED_NAMES and _mentions_any(node.annotation):
            found.append((node.arg, node.lineno))
        elif isinstance(node, ast.AnnAssign) and _mentions_any(node.annotation):
            target = node.target
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            if name in TYPED_NAMES:
                found.append((name, node.lineno))
    return found


def test_cogs_never_type_the_bot_the_tutor_or_the_catalog_as_any() -> None:
    found = [
        (str(path.relative_to(PROJECT_ROOT)), name, line)
        for path in _source_files(BOT / "cogs")
        for name, line in _any_typed(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert found == []


def test_an_any_typed_bot_is_seen() -> None:
    source = (
        "from typing import Any\n"
        "class Cog:\n"
        "    def __init__(self, bot: Any, tutor: 'Any | None', name: Any) -> None:\n"
        "        self.catalog: Any = None\n"
    )
    assert sorted(name for name, _ in _any_typed(ast.parse(source))) == ["bot", "catalog", "tutor"]
