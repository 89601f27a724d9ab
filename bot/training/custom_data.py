"""A learner's own data: 2-D points typed in a message or read from a CSV, validated before any training.

Rows of three numbers are classification points `x1 x2 label` (labels 0, 1 and maybe 2); rows of two are
regression points `x y`. Typed points separate rows with ';' or new lines ("points: 0 0 0; 1 1 0"); a
CSV has one row per line, cells split by commas (or ';', tabs, spaces), with an optional header
(`x1,x2,label` or `x,y`). Everything that cannot be trained as it is — a word where a number goes, a row
of another width, one class only, too many points, a huge value — is refused with a code whose text is
in content/strings/error.yaml; nothing is rounded, rescaled or relabelled behind the learner's back.

Main side: imports neither torch nor matplotlib. The worker turns `rows` into tensors
(worker/datasets.py) and the export writes them inline (export.py); no replay code can carry them.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.errors import InvalidRequest

MIN_POINTS = 4  # fewer points teach nothing (and leave nothing for a line to separate)
MAX_POINTS = 500  # TF Playground's largest sets; keeps a run as small as a built-in one
MAX_CLASSES = 3  # one colour per class in every picture (style.CLASS_COLOURS)
MAX_ABS = 1000.0  # larger coordinates are a unit mistake; training on them would only diverge
MAX_CSV_BYTES = 64 * 1024
MAX_TYPED_CHARS = 8000  # the points part of a message (Discord's own limit is lower)
HOLD_OUT_FROM = 20  # sets this large hold a quarter back for testing; smaller ones train on every point

# ASCII digits only: float() would also read other scripts' digits, which a CSV never means
NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_ROW_BREAK = re.compile(r"[;\n\r]|\)\s*,?")
_CELL_SPLIT = re.compile(r"[\s,]+")
_CSV_CELL_SPLIT = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class CustomData:
    """Points given by a learner: rows `(x1, x2, label)` for classification or `(x, y)` for regression."""

    rows: tuple[tuple[float, ...], ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", tuple(tuple(float(v) for v in row) for row in self.rows))
        check_rows(self.rows)

    @property
    def task(self) -> str:
        """'binary', 'multiclass' or 'regression' (from the width of the rows and the labels)."""
        if self.width == 2:
            return "regression"
        return "binary" if self.n_classes == 2 else "multiclass"

    @property
    def width(self) -> int:
        """Numbers per row: 3 for classification, 2 for regression."""
        return len(self.rows[0])

    @property
    def n_classes(self) -> int:
        """Classes of a classification set (0 for regression)."""
        return 0 if self.width == 2 else int(max(row[2] for row in self.rows)) + 1

    @property
    def inputs(self) -> list[list[float]]:
        """The input coordinates of every point."""
        return [list(row[:-1]) for row in self.rows]

    @property
    def targets(self) -> list[float]:
        """The label (a whole number) or the target value of every point."""
        return [row[-1] for row in self.rows]

    @property
    def fingerprint(self) -> str:
        """A short hash of the exact points: two runs batch together only on identical data."""
        text = ";".join(",".join(repr(v) for v in row) for row in self.rows)
        return hashlib.sha256(text.encode("ascii")).hexdigest()[:16]

    def __len__(self) -> int:
        return len(self.rows)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: {"points": [[x1, x2, label], …]} (or [[x, y], …])."""
        return {"points": [list(row) for row in self.rows]}

    @classmethod
    def from_dict(cls, data: Any) -> CustomData:
        """The data of `to_dict()` (from a worker job or a JSON spec), validated again."""
        points = data.get("points") if isinstance(data, dict) else None
        if not isinstance(points, list) or not all(isinstance(row, list | tuple) for row in points):
            raise InvalidRequest("data_empty")
        return cls(tuple(tuple(_number(v, i + 1) for v in row) for i, row in enumerate(points)))

    def describe(self) -> str:
        """'12 points, 2 classes' or '40 points (x, y)'."""
        if self.task == "regression":
            return f"{len(self)} points (x, y)"
        return f"{len(self)} points, {self.n_classes} classes"

    def __repr__(self) -> str:
        return f"CustomData({self.describe()})"


def _number(value: Any, line: int) -> float:
    """A finite number from a cell, or InvalidRequest("data_not_a_number") naming the row."""
    if isinstance(value, bool):
        raise InvalidRequest("data_not_a_number", line=line, value=str(value))
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip()
        if not NUMBER.fullmatch(text):
            raise InvalidRequest("data_not_a_number", line=line, value=_shown(text))
        number = float(text)
    if not math.isfinite(number):
        raise InvalidRequest("data_not_a_number", line=line, value=_shown(str(value)))
    return number


def _shown(text: str) -> str:
    """User text quoted back, cut short and without backticks."""
    text = text.replace("`", "'")
    return text if len(text) <= 20 else text[:19] + "…"


def check_rows(rows: Sequence[Sequence[float]], lines: Sequence[int] | None = None) -> None:
    """Refuse rows that cannot be trained as they are (see the module docstring); a refusal names the
    row's number, or its line in `lines` (a CSV's line of each row)."""
    where = list(range(1, len(rows) + 1)) if lines is None else list(lines)
    if not rows:
        raise InvalidRequest("data_empty")
    if len(rows) > MAX_POINTS:
        raise InvalidRequest("data_too_many_points", max=MAX_POINTS, count=len(rows))
    width = len(rows[0])
    for line, row in zip(where, rows, strict=True):
        if len(row) not in (2, 3) or len(row) != width:
            raise InvalidRequest("data_bad_row", line=line, count=len(row))
        for value in row:
            if not math.isfinite(value):
                raise InvalidRequest("data_not_a_number", line=line, value=str(value))
            if abs(value) > MAX_ABS:
                limit = f"{MAX_ABS:g}"
                raise InvalidRequest("data_value_too_large", line=line, value=f"{value:g}", max=limit)
    if len(rows) < MIN_POINTS:
        raise InvalidRequest("data_too_few_points", min=MIN_POINTS, count=len(rows))
    if width == 3:
        _check_labels(rows, where)


def _check_labels(rows: Sequence[Sequence[float]], where: Sequence[int]) -> None:
    """Labels are the whole numbers 0 … K-1 (K = 2 or 3), each used at least once."""
    for line, row in zip(where, rows, strict=True):
        label = row[2]
        if label != int(label) or not 0 <= label < MAX_CLASSES:
            raise InvalidRequest("data_bad_label", line=line, value=f"{label:g}", max=MAX_CLASSES - 1)
    used = sorted({int(row[2]) for row in rows})
    if len(used) == 1:
        raise InvalidRequest("data_one_class", label=used[0])
    if used != list(range(len(used))):
        raise InvalidRequest("data_missing_class", used=", ".join(map(str, used)), missing=_missing(used))


def _missing(used: Iterable[int]) -> str:
    seen = set(used)
    return ", ".join(str(c) for c in range(max(seen) + 1) if c not in seen)


def parse_points(text: str) -> CustomData:
    """Points typed as text: rows split by ';', new lines or ')', numbers by spaces or commas."""
    if len(text) > MAX_TYPED_CHARS:
        raise InvalidRequest("data_text_too_long", max=MAX_TYPED_CHARS)
    cleaned = text.replace("(", " ").replace("[", " ").replace("]", " ")
    rows: list[tuple[float, ...]] = []
    for piece in _ROW_BREAK.split(cleaned):
        cells = [cell for cell in _CELL_SPLIT.split(piece.strip()) if cell]
        if cells:
            rows.append(tuple(_number(cell, len(rows) + 1) for cell in cells))
        if len(rows) > MAX_POINTS:
            raise InvalidRequest("data_too_many_points", max=MAX_POINTS, count=f"{MAX_POINTS}+")
    return CustomData(tuple(rows))


_MARKER = re.compile(r"(?i)\b(?:points?|pts)\s*[:=]")


def split_points(text: str) -> tuple[str, str]:
    """`text` cut into the points after a 'points:' marker and the rest of the request.

    The points run to the end of the text, except that words after the last row's numbers
    ("…; 1 0 1 with adam") go back to the request. No marker: ("", text).
    """
    marker = _MARKER.search(text)
    if marker is None:
        return "", text
    before, after = text[: marker.start()], text[marker.end() :]
    rows = re.split(r"([;\n])", after)
    last = rows[-1]
    numbers = re.match(r"(?:[\s,()\[\]]*" + NUMBER.pattern + r")*[\s,()\[\]]*", last)
    cut = numbers.end() if numbers else 0
    # a number glued to a word ("300epochs") is not a coordinate: back off to the last whole number
    if 0 < cut < len(last) and last[cut].isalnum() and not last[cut - 1].isspace():
        cut = last.rfind(" ", 0, cut) + 1
    points = "".join(rows[:-1]) + last[:cut]
    return points, f"{before} {last[cut:]}".strip()


def read_csv(data: bytes | str) -> CustomData:
    """Points from a CSV file: `x1,x2,label` or `x,y` per line, an optional header first."""
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8"))
    if size > MAX_CSV_BYTES:  # checked before decoding anything
        raise InvalidRequest("data_file_too_large", max_kb=MAX_CSV_BYTES // 1024, kb=math.ceil(size / 1024))
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidRequest("data_not_text") from None
    else:
        text = data
    if "\x00" in text:
        raise InvalidRequest("data_not_text")
    rows: list[tuple[float, ...]] = []
    lines: list[int] = []  # the file line of each row, so a refusal names the line the learner sees
    header = False
    for line, raw in enumerate(text.splitlines(), start=1):
        cells = [cell.strip().strip('"').strip("'") for cell in _CSV_CELL_SPLIT.split(raw.strip()) if cell]
        if not cells:
            continue
        if not rows and not header and not all(NUMBER.fullmatch(c) for c in cells):
            # the first non-empty line may be a header of words (x1,x2,label); a mixed line is a mistake
            if any(NUMBER.fullmatch(c) for c in cells) or len(cells) not in (2, 3):
                raise InvalidRequest("data_not_a_number", line=line, value=_shown(_first_word(cells)))
            header = True
            continue
        rows.append(tuple(_number(cell, line) for cell in cells))
        lines.append(line)
        if len(rows) > MAX_POINTS:
            raise InvalidRequest("data_too_many_points", max=MAX_POINTS, count=f"{MAX_POINTS}+")
    check_rows(rows, lines)
    return CustomData(tuple(rows))


def _first_word(cells: Sequence[str]) -> str:
    return next((c for c in cells if not NUMBER.fullmatch(c)), cells[0])
