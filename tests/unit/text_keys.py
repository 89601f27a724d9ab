"""Which interface-text keys the product's source asks for, read from the source with `ast`.

A module takes part when it imports a key function: `t`/`short` from bot.i18n (full keys), `say`/`short`
from bot.cogs.texts (bare keys mean `discord.<key>`) or `say` from bot.console_text (`console.<key>`).
A function that passes one of its parameters on as the key (pages._label, Console.t, render.expired_note)
becomes a key function too. A key argument is a string literal, an f-string (a pattern), or a name whose
string values can be seen: assignments in the same function (also dict values, tuple unpacking and
conditional expressions), the parameter's default, or `name=` keyword arguments (for `self.name`).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.cogs.texts import full_key as discord_key
from bot.console_text import full_key as console_key

import bot

Resolver = Callable[[str], str]

SOURCES: dict[str, tuple[tuple[str, ...], Resolver]] = {
    "bot.i18n": (("t", "short", "tr", "say"), lambda key: key),
    "bot.cogs.texts": (("say", "short"), discord_key),
    "bot.console_text": (("say",), console_key),
}


@dataclass(frozen=True)
class KeyFunction:
    """A callable whose argument at `index` (or keyword `param`) is a text key."""

    index: int
    param: str
    resolve: Resolver
    default: str | None = None


@dataclass
class Usage:
    """What one module asks for."""

    module: str
    keys: set[str] = field(default_factory=set)
    patterns: set[str] = field(default_factory=set)
    unresolved: list[str] = field(default_factory=list)


def text_modules() -> list[str]:
    """Every bot module that imports a key function, imported (so it is known to load)."""
    found = []
    for info in pkgutil.walk_packages(bot.__path__, prefix="bot."):
        if info.name in SOURCES:
            continue
        spec = importlib.util.find_spec(info.name)
        if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
            continue
        tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
        if _imported_key_functions(tree):
            found.append(info.name)
    for name in found:
        importlib.import_module(name)
    return found


def _imported_key_functions(tree: ast.Module) -> dict[str, KeyFunction]:
    functions: dict[str, KeyFunction] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in SOURCES:
            names, resolve = SOURCES[node.module]
            for alias in node.names:
                if alias.name in names:
                    functions[alias.asname or alias.name] = KeyFunction(0, "key", resolve)
    return functions


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr  # self.t(...), console.t(...)
    return None


def _key_arg(call: ast.Call, fn: KeyFunction) -> ast.expr | None:
    if len(call.args) > fn.index and not isinstance(call.args[fn.index], ast.Starred):
        return call.args[fn.index]
    for keyword in call.keywords:
        if keyword.arg == fn.param:
            return keyword.value
    return None


def _functions(tree: ast.Module) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _wrappers(tree: ast.Module, known: dict[str, KeyFunction]) -> dict[str, tuple[KeyFunction, ast.AST]]:
    """Functions of this module that hand one of their parameters to a key function as the key."""
    found: dict[str, tuple[KeyFunction, ast.AST]] = {}
    for func in _functions(tree):
        params = [a.arg for a in func.args.args]
        defaults = dict(zip(params[len(params) - len(func.args.defaults) :], func.args.defaults, strict=True))
        offset = 1 if params[:1] in (["self"], ["cls"]) else 0
        for call in (n for n in ast.walk(func) if isinstance(n, ast.Call)):
            fn = known.get(_called_name(call) or "")
            arg = _key_arg(call, fn) if fn else None
            if fn and isinstance(arg, ast.Name) and arg.id in params:
                default = defaults.get(arg.id)
                wrapper = KeyFunction(
                    params.index(arg.id) - offset,
                    arg.id,
                    fn.resolve,
                    default.value if isinstance(default, ast.Constant) else None,
                )
                found[func.name] = (wrapper, func)
    return found


def _strings(node: ast.expr, position: int | None = None) -> list[str]:
    """The string constants an expression may evaluate to (dict values, one tuple position, both branches)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and position is None:
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body, position) + _strings(node.orelse, position)
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Dict):
        return [s for value in node.value.values for s in _strings(value, position)]
    if isinstance(node, ast.Tuple) and position is not None and position < len(node.elts):
        return _strings(node.elts[position])
    return []


def _assigned(scope: ast.AST, name: str) -> list[str]:
    values: list[str] = []
    for node in ast.walk(scope):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            if isinstance(target, ast.Name) and target.id == name:
                values += _strings(node.value)
            elif isinstance(target, ast.Tuple):
                for i, elt in enumerate(target.elts):
                    if isinstance(elt, ast.Name) and elt.id == name:
                        values += _strings(node.value, i)
    return values


def _passed_or_default(tree: ast.Module, name: str) -> list[str]:
    """Constants given as `name=` anywhere, and defaults of parameters called `name`."""
    values: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == name:
            values += _strings(node.value)
        elif isinstance(node, ast.arguments):
            every = [*node.posonlyargs, *node.args]
            pairs = zip(every[len(every) - len(node.defaults) :], node.defaults, strict=True)
            kw = zip(node.kwonlyargs, node.kw_defaults, strict=True)
            for arg, default in [*pairs, *kw]:
                if arg.arg == name and default is not None:
                    values += _strings(default)
    return values


HOLE = "\0"  # where an f-string's value goes, until the key is resolved


def _pattern(node: ast.JoinedStr, resolve: Resolver) -> str:
    """A regular expression for the keys an f-string can name (`f"period_{p}"` → `discord\\.period_.+`)."""
    shape = "".join(str(v.value) if isinstance(v, ast.Constant) else HOLE for v in node.values)
    return ".+".join(re.escape(part) for part in resolve(shape).split(HOLE))


def _enclosing(tree: ast.Module, target: ast.AST) -> ast.AST:
    best: ast.AST = tree
    for func in _functions(tree):
        if any(node is target for node in ast.walk(func)):
            best = func  # ast.walk is breadth-first, so the innermost function comes last
    return best


def _parse(module_name: str) -> ast.Module:
    return ast.parse(inspect.getsource(importlib.import_module(module_name)))


def usage(module_name: str, others: list[str]) -> Usage:
    """The keys, key patterns and unreadable key arguments of `module_name` (`others`: the text modules)."""
    tree = _parse(module_name)
    every = {name: tree if name == module_name else _parse(name) for name in others}
    known = _imported_key_functions(tree)
    local = _wrappers(tree, known)
    wrapper_bodies = {(id(body), fn.param) for fn, body in local.values()}
    foreign = {
        name: fn
        for other, other_tree in every.items()
        if other != module_name
        for name, (fn, _) in _wrappers(other_tree, _imported_key_functions(other_tree)).items()
    }
    known.update({name: fn for name, (fn, _) in local.items()})
    found = Usage(module_name)
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        name = _called_name(call) or ""
        fn = known.get(name)
        if fn is None and isinstance(call.func, ast.Attribute):
            fn = foreign.get(name)  # render.some_wrapper(...) from another module
        if fn is None:
            continue
        arg = _key_arg(call, fn)
        scope = _enclosing(tree, call)
        values: list[str] = []
        if arg is None and fn.default is not None:
            values = [fn.default]
        elif isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            values = [arg.value]
        elif isinstance(arg, ast.JoinedStr):
            found.patterns.add(_pattern(arg, fn.resolve))
            continue
        elif isinstance(arg, ast.Name) and (id(scope), arg.id) in wrapper_bodies:
            continue  # a wrapper's own body: its callers are checked instead
        elif isinstance(arg, ast.Name):
            values = _assigned(scope, arg.id)
        elif isinstance(arg, ast.Attribute):
            values = [v for other_tree in every.values() for v in _passed_or_default(other_tree, arg.attr)]
        if not values:
            found.unresolved.append(f"{module_name}:{call.lineno}: {ast.unparse(call)[:80]}")
        found.keys.update(fn.resolve(value) for value in values)
    return found
