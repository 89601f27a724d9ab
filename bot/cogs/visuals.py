"""/backprop (the walkthrough with real numbers) and /activation (the activation picture)."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice, Range
from discord.ext import commands

from bot.cogs import render
from bot.cogs.common import lang_of, tutor_of
from bot.cogs.reply import Replier
from bot.cogs.texts import short
from bot.i18n import Bilingual
from bot.training.results import Picture
from bot.training.spec import ACTIVATIONS, BACKPROP_ACTIVATIONS, BACKPROP_NETWORKS, normalize_name


def _images(pictures: tuple[Picture, ...], out: discord.Embed) -> list[tuple[str, bytes]]:
    files = []
    for index, picture in enumerate(pictures):
        name = f"{picture.name}.png"
        files.append((name, picture.png))
        if index == 0:
            out.set_image(url=f"attachment://{name}")
    return files


def _text(text: Bilingual, lang: str) -> str:
    # 'both': each walkthrough whole, Hindi then English, a blank line between
    return f"{text.hi}\n\n{text.en}" if lang == "both" else text.pick(lang)


async def backprop_answer(tutor: Any, learner: int, lang: str, **values: Any) -> render.Answer:
    """Forward pass, the chain rule by hand, autograd's gradients and one update step, with real numbers."""
    options = {k: v for k, v in values.items() if v is not None}
    walk = await tutor.jobs.backprop(options, lang, learner=learner)
    body = render.clip(_text(walk.text, lang), render.DESCRIPTION_MAX - 8)
    return render.Answer(
        embeds=[render.embed(short("backprop_title", lang), f"```\n{body}\n```", render.BLUE)]
    )


async def activation_answer(tutor: Any, learner: int, name: str | None, lang: str) -> render.Answer:
    """The activation functions and their derivatives (or one of them)."""
    chosen = normalize_name("activation", name) if name else None
    drawing = await tutor.jobs.activation(chosen, lang, learner=learner)
    title = short("activation_title", lang) + (f": {chosen}" if chosen else "")
    out = render.embed(title, "", render.BLUE)
    return render.Answer(embeds=[out], files=_images(drawing.pictures, out))


class Visuals(commands.Cog):
    """Teaching pictures drawn in the worker pool."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="backprop", description="Backprop step by step with real numbers")
    @app_commands.describe(
        network="One neuron or a 2-2-1 network",
        x1="Input x1",
        x2="Input x2",
        y="Target y",
        lr="Learning rate",
        activation="Activation function",
    )
    @app_commands.choices(
        network=[Choice(name=n, value=n) for n in BACKPROP_NETWORKS],
        activation=[Choice(name=a, value=a) for a in BACKPROP_ACTIVATIONS],
    )
    async def backprop(
        self,
        interaction: discord.Interaction[Any],
        network: Choice[str] | None = None,
        x1: Range[float, -10.0, 10.0] | None = None,
        x2: Range[float, -10.0, 10.0] | None = None,
        y: Range[float, -10.0, 10.0] | None = None,
        lr: Range[float, 0.0, 10.0] | None = None,
        activation: Choice[str] | None = None,
    ) -> None:
        lang = await lang_of(interaction)
        await interaction.response.defer(thinking=True)
        x = None if x1 is None and x2 is None else [x1 or 0.0, x2 or 0.0]
        answer = await backprop_answer(
            tutor_of(interaction),
            interaction.user.id,
            lang,
            network=network.value if network else None,
            x=x,
            y=y,
            lr=lr,
            activation=activation.value if activation else None,
        )
        await Replier(interaction=interaction).send(answer)

    @app_commands.command(name="activation", description="Show activation functions and their gradients")
    @app_commands.describe(name="One activation (empty: all)")
    @app_commands.choices(name=[Choice(name=a, value=a) for a in ACTIVATIONS])
    async def activation(
        self, interaction: discord.Interaction[Any], name: Choice[str] | None = None
    ) -> None:
        lang = await lang_of(interaction)
        await interaction.response.defer(thinking=True)
        answer = await activation_answer(
            tutor_of(interaction), interaction.user.id, name.value if name else None, lang
        )
        await Replier(interaction=interaction).send(answer)


async def setup(bot: commands.Bot) -> None:
    """Add the visuals cog."""
    await bot.add_cog(Visuals(bot))
