"""What the picture tests share: the Figures a drawing made, caught before they become PNG bytes."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from matplotlib.figure import Figure

from bot.training.worker.draw import style


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Figure]]:
    """Every Figure turned into PNG bytes while the test runs, in order."""
    seen: list[Figure] = []

    def keep(original: Callable[[Figure], bytes]) -> Callable[[Figure], bytes]:
        def to_png(fig: Figure) -> bytes:
            seen.append(fig)
            return original(fig)

        return to_png

    monkeypatch.setattr(style, "to_png", keep(style.to_png))
    yield seen
