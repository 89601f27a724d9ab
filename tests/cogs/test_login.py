"""A token Discord rejects ends `python -m bot` with one line, not a LoginFailure traceback (issue 16)."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import Any

import discord
import pytest
from pydantic import SecretStr

from bot import config
from bot.cli import run as run_cli
from bot.cogs import bot as cog_bot
from bot.config import Settings
from bot.core.tutor import Tutor

TOKEN = "MTIzNDU2Nzg5.rejected-token.abcdefghijklmnop"


def test_a_rejected_token_is_one_line_without_the_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(
        _env_file=None,
        discord_token=SecretStr(TOKEN),
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}",
        heartbeat_file=tmp_path / "heartbeat.json",
    )
    original_create = Tutor.create

    async def without_workers(cls: type[Tutor], conf: Settings, **_: Any) -> Tutor:
        return await original_create(conf, start_pool=False)

    async def refuse(self: discord.Client, token: str) -> None:  # what discord.py raises on a 401
        raise discord.LoginFailure("Improper token has been passed.")

    root = logging.getLogger()  # run_bot configures the root logger: undone after the test
    monkeypatch.setattr(root, "handlers", list(root.handlers))
    monkeypatch.setattr(root, "level", root.level)
    monkeypatch.setattr(root, "_tutor_configured", False, raising=False)
    monkeypatch.setattr(config, "get_settings", lambda: settings)
    monkeypatch.setattr(cog_bot.Tutor, "create", classmethod(without_workers))
    monkeypatch.setattr(discord.Client, "login", refuse)

    code = run_cli.run(argparse.Namespace())

    out = capsys.readouterr()
    assert code == 1
    # the bot's log (start-up lines) goes to stderr too; the run ends with the one line
    assert out.err.strip().splitlines()[-1] == (
        "Discord refused the token: check DISCORD_TOKEN (Developer Portal → Bot → Reset Token)"
    )
    assert "Traceback" not in out.err and "LoginFailure" not in out.err
    assert TOKEN not in out.err + out.out
