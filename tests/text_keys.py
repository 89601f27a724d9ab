"""Which interface-text keys the product's source asks for, read from the source with `ast`.

A module takes part when it imports a key function:
- `tr` / `say` from bot.i18n: the first argument is a full key ("quiz.correct");
- a domain error from bot.errors (`TutorError`, `InvalidRequest`, `NotFound`, `Unavailable`): the first
  argument is a code whose text is `error.<code>`, unless the text is given (`text=`), in which case no
  key is read.

A function that passes one of its parameters on as the key (pages._label) becomes a key function too. A
key argument is a string literal, an f-string (a pattern: `f"progress.level_{level}"` names
`progress\\.level_.+`), or something whose string values can be seen: a name assigned in the same function
or at module level (also dict values, tuple unpacking, conditional expressions, the items of a literal a
`for` or a comprehension walks), a parameter's default, `name=` keyword arguments (for `self.name`), a
subscript of a literal dict, or a call of a function of the module that returns literals or f-strings.

The translator reads a whole area by prefix (Discord needs a Hindi text for every command string); such
areas count as patterns (`AREA_READERS`).
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import bot
from bot import errors

Resolver = Callable[[str], str]

KEY_FUNCTIONS = ("tr", "say")
ERROR_CLASSES = tuple(
    name
    for name, value in vars(errors).items()
    if isinstance(value, type) and issubclass(value, errors.TutorError)
)
SOURCES: dict[str, tuple[tuple[str, ...], Resolver]] = {
    "bot.i18n": (KEY_FUNCTIONS, lambda key: key),
    "bot.errors": (ERROR_CLASSES, lambda code: f"error.{code}"),
}
# modules that read every key of an area by its prefix (i18n.keys()), and those areas
AREA_READERS: dict[str, tuple[str, ...]] = {"bot.cogs.translator": ("command",)}


@dataclass(frozen=True)
class KeyFunction:
    """A callable whose argument at `index` (or keyword `param`) is a text key (or an error code)."""

    index: int
    param: str
    resolve: Resolver
    default: str | None = None
    error: bool = False  # a domain error: no key is read when its text is given


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
            is_error = node.module == "bot.errors"
            for alias in node.names:
                if alias.name in names:
                    param = "code" if is_error else "key"
                    functions[alias.asname or alias.name] = KeyFunction(0, param, resolve, error=is_error)
    return functions


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr  # self.t(...), console.t(...)
    return None


def _reads_key(call: ast.Call, fn: KeyFunction) -> bool:
    """Whether the call reads a text by its key (a domain error given its text reads none)."""
    if not fn.error:
        return True
    given = len(call.args) > 1 or any(k.arg in ("text", "message_en", "message_hi") for k in call.keywords)
    return not given


def _key_arg(call: ast.Call, fn: KeyFunction) -> ast.expr | None:
    if len(call.args) > fn.index and not isinstance(call.args[fn.index], ast.Starred):
        return call.args[fn.index]
    for keyword in call.keywords:
        if keyword.arg == fn.param:
            return keyword.value
    return None


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
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
            if fn is None or not _reads_key(call, fn):
                continue
            arg = _key_arg(call, fn)
            if isinstance(arg, ast.Name) and arg.id in params:
                default = defaults.get(arg.id)
                wrapper = KeyFunction(
                    params.index(arg.id) - offset,
                    arg.id,
                    fn.resolve,
                    default.value if isinstance(default, ast.Constant) else None,
                    fn.error,
                )
                found[func.name] = (wrapper, func)
    return found


@dataclass
class Found:
    """The values an expression may take: literal keys, and f-string shapes (holes for the unknown)."""

    values: list[str] = field(default_factory=list)
    shapes: list[ast.JoinedStr] = field(default_factory=list)

    def __iadd__(self, other: Found) -> Found:
        self.values += other.values
        self.shapes += other.shapes
        return self

    def __bool__(self) -> bool:
        return bool(self.values or self.shapes)


class Reader:
    """Reads the string values of expressions in one module."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.functions = {f.name: f for f in _functions(tree)}

    def strings(self, node: ast.expr, scope: ast.AST, position: int | None = None, depth: int = 0) -> Found:
        """The string constants (and f-strings) an expression may evaluate to."""
        found = Found()
        if depth > 4:
            return found
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and position is None:
            found.values.append(node.value)
        elif isinstance(node, ast.JoinedStr) and position is None:
            found.shapes.append(node)
        elif isinstance(node, ast.IfExp):
            found += self.strings(node.body, scope, position, depth + 1)
            found += self.strings(node.orelse, scope, position, depth + 1)
        elif isinstance(node, ast.Subscript):
            table = node.value
            if isinstance(table, ast.Name):
                table = self.module_value(table.id) or table
            if isinstance(table, ast.Dict):
                for value in table.values:
                    found += self.strings(value, scope, position, depth + 1)
        elif isinstance(node, ast.Tuple | ast.List) and position is not None and position < len(node.elts):
            found += self.strings(node.elts[position], scope, None, depth + 1)
        elif isinstance(node, ast.Name) and position is None:
            found += self.assigned(scope, node.id, depth + 1)
            if not found and scope is not self.tree:
                found += self.assigned(self.tree, node.id, depth + 1, top_level=True)
        elif (
            isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in self.functions
        ):
            for ret in ast.walk(self.functions[node.func.id]):
                if isinstance(ret, ast.Return) and ret.value is not None:
                    found += self.strings(ret.value, self.functions[node.func.id], position, depth + 1)
        return found

    def module_value(self, name: str) -> ast.expr | None:
        """The value a module-level statement assigns to `name`."""
        for node in self.tree.body:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets
            ):
                return node.value
            if (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and node.target.id == name
                and node.value is not None
            ):
                return node.value
        return None

    def assigned(self, scope: ast.AST, name: str, depth: int, top_level: bool = False) -> Found:
        """The values assigned to `name` in `scope`: assignments, and `for`/comprehension targets over
        literal collections."""
        found = Found()
        nodes = scope.body if top_level and isinstance(scope, ast.Module) else list(ast.walk(scope))
        for node in nodes:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    found += self._bound(target, node.value, name, scope, depth, element=False)
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                found += self._bound(node.target, node.value, name, scope, depth, element=False)
            elif isinstance(node, ast.For | ast.comprehension):
                found += self._bound(node.target, node.iter, name, scope, depth, element=True)
        return found

    def _bound(
        self, target: ast.expr, value: ast.expr, name: str, scope: ast.AST, depth: int, *, element: bool
    ) -> Found:
        found = Found()
        items: list[ast.expr] = [value]
        if element:
            items = list(value.elts) if isinstance(value, ast.Tuple | ast.List | ast.Set) else []
        for item in items:
            if isinstance(target, ast.Name) and target.id == name:
                found += self.strings(item, scope, None, depth)
            elif isinstance(target, ast.Tuple):
                for i, elt in enumerate(target.elts):
                    if isinstance(elt, ast.Name) and elt.id == name:
                        found += self.strings(item, scope, i, depth)
        return found


def _passed_or_default(tree: ast.Module, name: str) -> list[str]:
    """Constants given as `name=` anywhere, and defaults of parameters called `name`."""
    values: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == name:
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                values.append(node.value.value)
        elif isinstance(node, ast.arguments):
            every = [*node.posonlyargs, *node.args]
            pairs = zip(every[len(every) - len(node.defaults) :], node.defaults, strict=True)
            kw = zip(node.kwonlyargs, node.kw_defaults, strict=True)
            for arg, default in [*pairs, *kw]:
                if arg.arg == name and isinstance(default, ast.Constant) and isinstance(default.value, str):
                    values.append(default.value)
    return values


HOLE = "\0"  # where an f-string's value goes, until the key is resolved


def _pattern(node: ast.JoinedStr, resolve: Resolver, reader: Reader, scope: ast.AST) -> list[str]:
    """Regular expressions for the keys an f-string can name (`f"period_{p}"` → `progress\\.period_.+`);
    a hole whose name has literal or f-string values known in scope is filled with them."""
    shapes = [""]
    for part in node.values:
        if isinstance(part, ast.Constant):
            shapes = [shape + re.escape(str(part.value)) for shape in shapes]
            continue
        fill = [".+"]
        if isinstance(part, ast.FormattedValue) and isinstance(part.value, ast.Name):
            known = reader.strings(part.value, scope)
            if known and not known.values:  # f-strings only: their shapes, one level deep
                fill = [
                    "".join(
                        re.escape(str(v.value)) if isinstance(v, ast.Constant) else ".+" for v in s.values
                    )
                    for s in known.shapes
                ]
        shapes = [shape + piece for shape in shapes for piece in fill]
    resolved = resolve(HOLE)
    head, _, tail = resolved.partition(HOLE)
    return [re.escape(head) + shape + re.escape(tail) for shape in shapes]


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
    reader = Reader(tree)
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
    found.patterns |= {re.escape(f"{area}.") + ".+" for area in AREA_READERS.get(module_name, ())}
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        name = _called_name(call) or ""
        fn = known.get(name)
        if fn is None and isinstance(call.func, ast.Attribute):
            fn = foreign.get(name)  # render.some_wrapper(...) from another module
        if fn is None or not _reads_key(call, fn):
            continue
        arg = _key_arg(call, fn)
        scope = _enclosing(tree, call)
        values = Found()
        if arg is None and fn.default is not None:
            values.values.append(fn.default)
        elif isinstance(arg, ast.Name) and (id(scope), arg.id) in wrapper_bodies:
            continue  # a wrapper's own body: its callers are checked instead
        elif isinstance(arg, ast.Attribute):
            values.values += [
                v for other_tree in every.values() for v in _passed_or_default(other_tree, arg.attr)
            ]
        elif arg is not None:
            values = reader.strings(arg, scope)
        if not values:
            if module_name in AREA_READERS:
                continue  # it reads its areas by prefix
            found.unresolved.append(f"{module_name}:{call.lineno}: {ast.unparse(call)[:80]}")
        found.keys.update(fn.resolve(value) for value in values.values)
        for shape in values.shapes:
            found.patterns.update(_pattern(shape, fn.resolve, reader, _enclosing(tree, shape)))
    return found
