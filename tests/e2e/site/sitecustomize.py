"""FOR TESTS ONLY: point discord.py at the fake Discord of tests/e2e (never used in production).

The e2e test puts this folder on PYTHONPATH and sets TUTOR_TEST_DISCORD_API / TUTOR_TEST_DISCORD_GATEWAY.
Once `discord.http` and `discord.gateway` are imported, their base URLs are replaced; nothing else
changes, so the real `python -m bot` process runs unmodified against 127.0.0.1.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import sys
from types import ModuleType
from typing import Any

_API = os.environ.get("TUTOR_TEST_DISCORD_API")
_GATEWAY = os.environ.get("TUTOR_TEST_DISCORD_GATEWAY")


def _patch(module: ModuleType) -> None:
    if module.__name__ == "discord.http" and _API:
        module.Route.BASE = _API
    if module.__name__ == "discord.gateway" and _GATEWAY:
        import yarl

        module.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(_GATEWAY)


class _Loader(importlib.abc.Loader):
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self.inner.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self.inner.exec_module(module)
        _patch(module)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if name not in ("discord.http", "discord.gateway"):
            return None
        for finder in sys.meta_path:
            if finder is self:
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _Loader(spec.loader)
                return spec
        return None


if _API or _GATEWAY:
    sys.meta_path.insert(0, _Finder())
