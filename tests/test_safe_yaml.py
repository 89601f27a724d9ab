"""`beyond_limits`: deep nesting and alias blow-up found from the event stream, at their line."""

from __future__ import annotations

import yaml

from bot.safe_yaml import MAX_DEPTH, MAX_VALUES, beyond_limits


def test_nesting_up_to_the_limit_is_fine_one_more_level_is_not() -> None:
    assert beyond_limits("x: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)) is None  # the mapping is one
    assert beyond_limits("x: 1\ny: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH) == (
        2,
        f"nested deeper than {MAX_DEPTH} levels",
    )


def test_aliases_are_counted_expanded_but_walked_once() -> None:
    shared = "base: &b {en: x, hi: y}\n" + "".join(f"k{i}: *b\n" for i in range(100))
    assert beyond_limits(shared) is None
    lines = ["l0: &l0 [" + ", ".join(["lol"] * 10) + "]"]
    lines += [f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 10) + "]" for n in range(1, 30)]
    # 10**30 values once expanded: found at the level that passes the limit, without expanding anything
    assert beyond_limits("\n".join(lines)) == (5, f"aliases expand to more than {MAX_VALUES:,} values")


def test_malformed_yaml_is_left_to_the_parser_error() -> None:
    try:
        beyond_limits("a: [1, 2")
    except yaml.YAMLError:
        return
    raise AssertionError("a malformed document must raise the parser's error")
