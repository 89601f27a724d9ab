"""Shared test settings: pictures off-screen, no real Discord token ever."""

from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.pop("DISCORD_TOKEN", None)
os.environ.pop("TUTOR_DISCORD_TOKEN", None)
