"""The heartbeat file: written while the bot is connected to Discord, read by `python -m bot health`."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

# The bot rewrites the file this often while connected; older than STALE_SECONDS means unhealthy.
INTERVAL_SECONDS = 30.0
STALE_SECONDS = 90.0


def write_heartbeat(path: Path, **info: Any) -> None:
    """Atomically write the heartbeat file: the time now plus `info` (latency, guild count…)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps({"time": time.time(), **info}), encoding="utf-8")
    os.replace(tmp, path)


def heartbeat_age(path: Path) -> float | None:
    """Seconds since the last heartbeat, or None when there is none (or it cannot be read)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return max(0.0, time.time() - float(data["time"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
