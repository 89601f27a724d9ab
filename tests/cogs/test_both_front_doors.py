"""Every use case through both front doors: the console and Discord say the same words.

The same learner ("alice") makes the same requests, in the same order, once in the console and once in
Discord, each over a fresh database and the same warm workers. Every reply either door renders is
recorded; the two sequences must hold the same texts, pictures and buttons (only timings differ), and
refusals must read the same.
"""

from __future__ import annotations

import io
import random
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import simcord

from bot.cogs import errors as cog_errors
from bot.cogs import render as cog_render
from bot.config import Settings
from bot.console.session import ConsoleSession
from bot.core.replies import Reply
from bot.core.tutor import Tutor
from tests.cogs.conftest import ThreadedPool, World

TIMING = re.compile(r"^\d+(\.\d+)? s$")  # the time a job took differs from run to run
WHEN = re.compile(r"<t:\d+:f>")  # a review card's due time: seconds apart in the two runs
SEED = 11  # the same quiz questions in both doors


@dataclass
class Said:
    """What one door said, in order: each reply's texts, pictures and buttons, or a refusal's text."""

    items: list[tuple[str, ...]] = field(default_factory=list)

    def reply(self, reply: Reply) -> None:
        texts = tuple(WHEN.sub("<t>", text) for text in reply.texts() if not TIMING.match(text))
        pictures = tuple(p.name for p in reply.pictures) + tuple(f.filename for f in reply.files)
        actions = tuple(f"{a.kind}:{a.label}" for a in reply.actions)
        self.items.append(("reply", *texts, *pictures, *actions))

    def refusal(self, text: str) -> None:
        self.items.append(("refusal", WHEN.sub("<t>", text)))


@dataclass(frozen=True)
class Step:
    """One request, as the console types it and as Discord sends it."""

    console: str
    discord: Callable[[World], Awaitable[Any]]


def _slash(command: str, /, **options: Any) -> Callable[[World], Awaitable[Any]]:
    return lambda world: world.alice.slash(world.channel, command, **options)


def _click(label: str) -> Callable[[World], Awaitable[Any]]:
    return lambda world: world.alice.click(world.last, label=label)


def _mention(text: str) -> Callable[[World], Awaitable[Any]]:
    async def send(world: World) -> Any:
        user = world.env.bot.user
        assert user is not None
        return await world.alice.send(world.channel, f"<@{user.id}> {text}")

    return send


STEPS: tuple[Step, ...] = (
    Step("/lesson 1", _slash("lesson", topic="1")),
    Step("/next", _click("Next")),
    Step("/glossary relu", _slash("glossary", term="relu")),
    Step("relu kya hai", _mention("relu kya hai")),
    Step("relu aur sigmoid me kya fark hai", _mention("relu aur sigmoid me kya fark hai")),
    Step("why does my loss go up?", _mention("why does my loss go up?")),
    Step("/quiz activation 2", _slash("quiz", topic="activation", count=2)),
    Step("/skip", _click("Skip")),
    Step("/skip", _click("Skip")),
    Step("/review", _slash("review")),
    Step("/train xor adam epochs 200", _slash("train", dataset="xor", optimizer="adam", epochs=200)),
    Step("/replay 01123_8_0.05_200_0_brjv more 500", _click("+500 epochs")),
    Step("/animate 01123_8_0.05_700_0_xab4", _click("Animate")),
    Step("/replay 01123_8_0.05_200_0_brjv", _slash("train", replay="01123_8_0.05_200_0_brjv")),
    Step("/replay 01123_8_0.05_200_0_brjw", _slash("train", replay="01123_8_0.05_200_0_brjw")),
    Step("/code", _click("Show code")),
    Step("/compare xor sgd adam", _slash("compare", dataset="xor", optimizers="sgd,adam")),
    Step("/compare relu tanh on xor epochs 40", _mention("compare relu tanh on xor epochs 40")),
    Step("/sweep xor sgd lr 0.1 1", _slash("sweep", dataset="xor", optimizer="sgd", rates="0.1,1")),
    Step("/train xor adam hidden 100", _slash("train", dataset="xor", optimizer="adam", hidden="100")),
    Step("/backprop x1 1 x2 0.5 y 1", _slash("backprop", x1=1.0, x2=0.5, y=1.0)),
    Step("/activation relu", _slash("activation", name="relu")),
    Step("/progress", _slash("progress")),
    Step("/leaderboard all", _slash("leaderboard", period="all")),
    Step("/language hi", _slash("language", name="hi")),
    Step("/lesson", _slash("lesson")),
    Step("train xor with adam", _mention("train xor with adam")),
    Step("xor par lr 0.1 1 ki tulna karo, 40 epochs", _mention("xor par lr 0.1 1 ki tulna karo, 40 epochs")),
    Step("/train moons adam epochs 50", _slash("train", dataset="moons", optimizer="adam", epochs=50)),
    Step("/units 51123_8_0.05_50_0_cay4", _click("Units दिखाएँ")),
    Step("/replies private", _slash("replies", mode="private")),
    Step("/train xor sgd epochs 50", _slash("train", dataset="xor", optimizer="sgd", epochs=50)),
    Step("/replies public", _slash("replies", mode="public")),
    Step("/glossary zorbulator", _slash("glossary", term="zorbulator")),
)


def _seeded(tutor: Tutor) -> None:
    tutor.quiz._rng = random.Random(SEED)


async def console_says(
    settings: Settings,
    pool: ThreadedPool,
    steps: Sequence[str],
    out_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    prepare: Callable[[Tutor], None] = lambda tutor: None,
) -> Said:
    """What the console says to alice's `steps`, over a fresh database (`prepare` sees its tutor first)."""
    said = Said()
    tutor = await Tutor.create(settings, start_pool=False)
    tutor.pool = pool  # type: ignore[assignment]
    prepare(tutor)
    buffer = io.StringIO()
    session = ConsoleSession(tutor, out=buffer, out_dir=out_dir, learner_name="alice")
    original_show = ConsoleSession.show

    def show(self: ConsoleSession, reply: Reply) -> None:
        said.reply(reply)
        original_show(self, reply)

    monkeypatch.setattr(ConsoleSession, "show", show)
    try:
        await session.start()
        for step in steps:
            before = len(buffer.getvalue())
            assert await session.handle(step)
            printed = buffer.getvalue()[before:]
            if "⚠️" in printed:
                said.refusal(printed.split("⚠️", 1)[1].strip())
    finally:
        monkeypatch.setattr(ConsoleSession, "show", original_show)
        await tutor.engine.dispose()
    return said


async def discord_says(
    world: World, sends: Sequence[Callable[[World], Awaitable[Any]]], monkeypatch: pytest.MonkeyPatch
) -> Said:
    """What Discord says to alice's `sends`: every reply rendered and every refusal's text, in order."""
    said = Said()
    original_message, original_for = cog_render.message, cog_errors.message_for

    def message(reply: Reply, client: Any) -> cog_render.Message:
        said.reply(reply)
        return original_message(reply, client)

    def message_for(error: BaseException, lang: str, where: str) -> str:
        text = original_for(error, lang, where)
        said.refusal(text)
        return text

    monkeypatch.setattr(cog_render, "message", message)
    monkeypatch.setattr(cog_errors, "message_for", message_for)
    for send in sends:
        await send(world)
    return said


async def test_both_front_doors_say_the_same(
    world: World,
    env: simcord.Env,
    tutor: Tutor,
    pool: ThreadedPool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    console_settings = Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'console.db'}",
        default_language="en",
    )
    steps = [step.console for step in STEPS]
    from_console = await console_says(console_settings, pool, steps, tmp_path / "out", monkeypatch, _seeded)
    _seeded(tutor)
    from_discord = await discord_says(world, [step.discord for step in STEPS], monkeypatch)
    env.errors.clear()  # the refusals are expected

    assert len(from_console.items) == len(from_discord.items) >= len(STEPS)
    for said_console, said_discord in zip(from_console.items, from_discord.items, strict=True):
        assert said_console == said_discord
    kinds = [item[0] for item in from_discord.items]
    assert kinds.count("refusal") == 3  # hidden 100, the changed replay code, the unknown term
    said = [text for entry in from_discord.items for text in entry]
    assert "ReLU vs sigmoid" in said and "Why does my loss go up?" in said  # the concept answers
    assert "mlp 2-8-1 tanh on xor, adam lr=0.05, bce, 700 epochs, seed 0" in said  # "+500 epochs"
    assert "hidden_units" in said  # "Show units" under the moons run
    assert any("अलग रखे गए 50 test points पर confusion matrix" in text for text in said)
    devanagari = re.compile("[\u0900-\u097f]")
    hindi = [text for entry in from_discord.items[-4:] for text in entry if devanagari.search(text)]
    assert hindi  # after "/language hi" both doors answer in Hindi
