"""Every command once as a Hindi-speaking learner (client locale hi) and as an English one.

The transcript is printed (pytest -s shows it) so a person can read what learners read; the asserts
check what a reader would catch: Hindi where the learner speaks Hindi, no English interface line left
in it, no raw text keys or unfilled {placeholders}, nothing clipped.
"""

from __future__ import annotations

import re
from typing import Any

import discord
import pytest
import simcord

from bot.core.tutor import Tutor
from tests.cogs.conftest import World, embed_text

DEVANAGARI = re.compile(r"[\u0900-\u097f]")
RAW_KEY = re.compile(r"\b(?:common|lesson|quiz|review|train|progress|glossary|help|error|discord)\.[a-z_]+\b")
PLACEHOLDER = re.compile(r"\{[a-z_]+(?::[^}]*)?\}")


def transcript(label: str, message: discord.Message | Any | None) -> str:
    """What a learner reads in one reply: its text, each embed, attachments and button labels."""
    if message is None:
        return f"== {label}: (no reply)"
    parts = [f"== {label}"]
    if getattr(message, "content", None):
        parts.append(message.content)
    for embed in getattr(message, "embeds", []):
        parts.append(f"[embed] {embed_text(embed)}")
        if embed.author and embed.author.name:
            parts.append(f"[author] {embed.author.name}")
    files = [a.filename for a in getattr(message, "attachments", [])]
    if files:
        parts.append(f"[files] {files}")
    labels = [
        getattr(child, "label", None)
        for row in getattr(message, "components", [])
        for child in getattr(row, "children", [])
    ]
    if any(labels):
        parts.append(f"[buttons] {labels}")
    return "\n".join(parts)


async def walk(world: World, env: simcord.Env, tutor: Tutor, learner: Any) -> list[tuple[str, str]]:
    """Every command and a button or two, in order; (label, text read) per reply."""
    seen: list[tuple[str, str]] = []
    channel = world.channel

    async def slash(name: str, /, **options: Any) -> Any:
        result = await learner.slash(channel, name, **options)
        shown = result.response
        if result.followups:
            shown = result.followups[-1]
        seen.append((f"/{name} {options}", transcript(f"/{name} {options}", shown)))
        return result

    async def click(label: str) -> None:
        result = await learner.click(world.last, label=label)
        shown = result.response if result.ephemeral else world.last
        seen.append((f"click {label}", transcript(f"click {label}", shown)))

    async def click_on(message: discord.Message, index: int) -> None:
        buttons = [c for row in message.components for c in getattr(row, "children", [])]
        label = str(buttons[index].label)
        result = await learner.click(message, label=label)
        shown = result.response or world.last
        seen.append((f"click {label}", transcript(f"click {label}", shown)))

    await slash("help")
    await slash("lesson")
    await slash("lesson", topic="neuron")
    await click(_next_label(world.last))
    await slash("lesson")  # resumes
    await slash("glossary", term="relu")
    await slash("review")
    await slash("quiz", topic="activation", count=2)
    for _ in range(2):
        buttons = [c for row in world.last.components for c in getattr(row, "children", [])]
        # the first option (A, or True); a typed question's "Answer" opens a modal, so skip that one
        chosen = buttons[-1] if str(buttons[0].custom_id).startswith("qm:") else buttons[0]
        await click(str(chosen.label))
    await slash("review")
    await slash("progress")
    await slash("leaderboard")
    await slash("activation", name="relu")
    await slash("backprop")
    await slash("train", dataset="xor", optimizer="adam", epochs=50)
    train = world.last
    await click_on(train, 0)  # show code
    await slash("compare", dataset="xor", optimizers="sgd,adam")
    await slash("train", dataset="xor", optimizer="adam", hidden="9999")  # refused
    await slash("lesson", topic="quantum knitting")
    await slash("glossary", term="flux capacitor")
    await slash("ask", text="leaderboard this year")
    await slash("ask", text="quiz 0")
    await slash("ask", text="thanks!")
    await slash("ask", text="what is a perceptron?")
    return seen


def _next_label(message: discord.Message) -> str:
    buttons = [c for row in message.components for c in getattr(row, "children", [])]
    return str(buttons[1].label)


@pytest.mark.parametrize("lang", ["hi", "en", "both"])
async def test_every_command_reads_right(
    world: World, env: simcord.Env, tutor: Tutor, locales: dict[int, str], lang: str
) -> None:
    if lang == "both":
        await world.alice.slash(world.channel, "language", name="both")
    else:
        locales[world.alice.id] = "hi" if lang == "hi" else "en-US"
    seen = await walk(world, env, tutor, world.alice)
    print("\n\n".join(text for _, text in seen))
    for label, text in seen:
        read = "\n".join(line for line in text.splitlines() if not line.startswith("[files]"))
        assert not RAW_KEY.search(read), (label, text)
        assert not PLACEHOLDER.search(read), (label, text)
        assert "…" not in read.replace("Training starts soon…", ""), (label, text)  # nothing clipped
        if lang in ("hi", "both"):
            assert DEVANAGARI.search(read), (label, text)
    # the refusals of the walk reach the learner as domain errors, nothing unexpected
    assert [getattr(e.__cause__, "code", None) for e in env.errors] == [
        "too_wide",
        "lesson_not_found",
        "term_not_found",
        "leaderboard_bad_period",
        "quiz_bad_count",
    ]
