"""Your own data through both front doors: typed points, a CSV (slash option, mention attachment, console
--data) train and say the same in the console and Discord; a bad CSV is refused with the same words."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import simcord

from bot.config import Settings
from tests.cogs.conftest import ThreadedPool, World
from tests.cogs.test_both_front_doors import console_says, discord_says

POINTS = "0 0 0; 1 1 0; 0 1 1; 1 0 1"
GOOD = b"x1,x2,label\n0,0,0\n1,1,0\n0,1,1\n1,0,1\n0.2,0.1,0\n"
BAD = b"x1,x2,label\n0,0,0\n1,1,zero\n0,1,1\n1,0,1\n"


def _mention(text: str, files: tuple[tuple[str, bytes], ...] = ()) -> Callable[[World], Awaitable[Any]]:
    async def send(world: World) -> Any:
        user = world.env.bot.user
        assert user is not None
        return await world.alice.send(world.channel, f"<@{user.id}> {text}", attachments=files)

    return send


def _steps(files: Path) -> list[tuple[str, Callable[[World], Awaitable[Any]]]]:
    """(what the console types, what Discord sends) for each request."""
    return [
        (
            f"train with adam for 60 epochs points: {POINTS}",
            _mention(f"train with adam for 60 epochs points: {POINTS}"),
        ),
        (
            f"/train epochs 60 --data {files / 'mine.csv'}",
            lambda world: world.alice.slash(world.channel, "train", epochs=60, data=("mine.csv", GOOD)),
        ),
        (
            "/train with sgd for 40 epochs --data " + str(files / "mine.csv"),
            _mention("train with sgd for 40 epochs", (("mine.csv", GOOD),)),
        ),
        (
            f"/train --data {files / 'bad.csv'}",
            lambda world: world.alice.slash(world.channel, "train", data=("bad.csv", BAD)),
        ),
        (
            f"/train moons --data {files / 'mine.csv'}",
            lambda world: world.alice.slash(world.channel, "train", dataset="moons", data=("mine.csv", GOOD)),
        ),
    ]


async def test_own_points_train_and_bad_csvs_are_refused_alike_in_both_doors(
    world: World,
    env: simcord.Env,
    pool: ThreadedPool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "mine.csv").write_bytes(GOOD)
    (tmp_path / "bad.csv").write_bytes(BAD)
    steps = _steps(tmp_path)
    console_settings = Settings(
        _env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path / 'console.db'}", default_language="en"
    )
    from_console = await console_says(
        console_settings, pool, [c for c, _ in steps], tmp_path / "out", monkeypatch
    )

    from_discord = await discord_says(world, [send for _, send in steps], monkeypatch)
    codes = [getattr(e.__cause__, "code", None) for e in env.errors]
    env.errors.clear()  # the refusals are expected

    assert from_console.items == from_discord.items
    kinds = [item[0] for item in from_discord.items]
    assert kinds == ["reply", "reply", "reply", "refusal", "refusal"]
    assert "data_not_a_number" in codes and "data_and_dataset" in codes
    first = from_discord.items[0]
    assert "mlp 2-8-1 tanh on custom (4 points, 2 classes), adam lr=0.05, bce, 60 epochs, seed 0" in first
    assert "train_custom_adam.py" in first  # the script comes with the run, points inline
    assert not any(item.startswith("train.") for entry in from_discord.items for item in entry)  # no buttons
    assert any("5 points" in text for text in from_discord.items[1])  # the CSV's points, not typed ones
    assert any("sgd" in text for text in from_discord.items[2])
    assert "Row 3: `zero` is not a number" in from_discord.items[3][1]
