"""YAML limits for files people write (content, interface strings): `beyond_limits(text)` finds a
document nested deeper than MAX_DEPTH (PyYAML's composer and constructor recurse: 5,000 levels are a
RecursionError) or whose aliases expand to more than MAX_VALUES values (a "billion laughs" file makes
every walk over the data exponential). It reads the event stream, which needs no recursion, and counts
each anchor's expanded size once, so the check itself is linear. Call it before `load`.
Everything is read with libyaml's safe loader when PyYAML has it (the same safe constructor, about 13
times faster: the bundled content took 3.1 s to read in pure Python under load, 0.23 s with libyaml).
"""

from __future__ import annotations

from typing import Any

import yaml

SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DEPTH = 40  # lessons nest ~6 levels
MAX_VALUES = 100_000  # values once every alias is expanded; the largest lesson has ~3,000


def beyond_limits(text: str) -> tuple[int, str] | None:
    """(line, problem) when the YAML `text` nests deeper than MAX_DEPTH or its aliases expand to more
    than MAX_VALUES values; read from the event stream, each anchor's expanded size counted once."""
    sizes: dict[str, int] = {}  # anchor -> values it stands for, expanded
    stack: list[tuple[str | None, int]] = []  # collections being read: (anchor, values so far)
    total = 0
    try:
        for event in yaml.parse(text, Loader=SAFE_LOADER):
            line = event.start_mark.line + 1 if event.start_mark is not None else 1
            if isinstance(event, yaml.CollectionStartEvent):
                if len(stack) >= MAX_DEPTH:
                    return line, f"nested deeper than {MAX_DEPTH} levels"
                stack.append((event.anchor, 1))
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                anchor, size = stack.pop()
            elif isinstance(event, yaml.ScalarEvent):
                anchor, size = event.anchor, 1
            elif isinstance(event, yaml.AliasEvent):
                anchor, size = None, sizes.get(event.anchor or "", 1)
            else:
                continue
            if anchor is not None:
                sizes[anchor] = size
            if stack:
                parent, parent_size = stack[-1]
                stack[-1] = (parent, parent_size + size)
            if not isinstance(event, yaml.CollectionEndEvent):
                total += size
            if total > MAX_VALUES:
                return line, f"aliases expand to more than {MAX_VALUES:,} values"
    except yaml.MarkedYAMLError as exc:
        # libyaml stops at its own nesting limit (1,000 flow levels) before our count reaches it
        if "nesting depth" in str(exc.problem) and exc.problem_mark is not None:
            return exc.problem_mark.line + 1, f"nested deeper than {MAX_DEPTH} levels"
        raise  # malformed in another way: the caller reports the parser's error
    return None


def load(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (with line marks) and the data of a one-document YAML `text`, parsed once, safely."""
    loader = SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        data = None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()
    return node, data
