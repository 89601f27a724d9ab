"""Worker-side tests run torch on one thread: tiny networks gain nothing from more, results stay stable."""

from __future__ import annotations

import io

import pytest
import torch
from PIL import Image


@pytest.fixture(autouse=True, scope="session")
def _one_thread() -> None:
    torch.set_num_threads(1)


def png_size(data: bytes) -> tuple[int, int]:
    """Decode PNG bytes fully and return (width, height)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(data))
    image.load()
    return image.size
