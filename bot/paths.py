"""Where the bundled content lives: found relative to the package, never the working directory."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = PROJECT_ROOT / "content"
ASSETS_DIR = Path(__file__).resolve().parent / "assets"  # package data: the Devanagari font and its licence
