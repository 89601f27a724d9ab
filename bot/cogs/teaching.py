"""/backprop (the walkthrough with real numbers) and /activation (the activation picture)."""

from __future__ import annotations

from discord import app_commands
from discord.app_commands import Choice, Range
from discord.ext import commands

from bot.cogs import render
from bot.cogs.context import Interaction, learner_of, tutor_of
from bot.cogs.status import Deferring
from bot.core import teaching
from bot.training.spec import ACTIVATIONS, BACKPROP_ACTIVATIONS, BACKPROP_NETWORKS


class Teaching(commands.Cog):
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
        interaction: Interaction,
        network: Choice[str] | None = None,
        x1: Range[float, -10.0, 10.0] | None = None,
        x2: Range[float, -10.0, 10.0] | None = None,
        y: Range[float, -10.0, 10.0] | None = None,
        lr: Range[float, 0.0, 10.0] | None = None,
        activation: Choice[str] | None = None,
    ) -> None:
        learner = await learner_of(interaction)
        options = {
            "network": network.value if network else None,
            "x1": x1,
            "x2": x2,
            "y": y,
            "lr": lr,
            "activation": activation.value if activation else None,
        }
        reply = await teaching.backprop(tutor_of(interaction), learner, options, Deferring(interaction))
        await render.send(interaction, reply)

    @app_commands.command(name="activation", description="Show activation functions and their gradients")
    @app_commands.describe(name="One activation (empty: all)")
    @app_commands.choices(name=[Choice(name=a, value=a) for a in ACTIVATIONS])
    async def activation(self, interaction: Interaction, name: Choice[str] | None = None) -> None:
        learner = await learner_of(interaction)
        chosen = name.value if name else None
        reply = await teaching.activation(tutor_of(interaction), learner, chosen, Deferring(interaction))
        await render.send(interaction, reply)


async def setup(bot: commands.Bot) -> None:
    """Add the teaching cog."""
    await bot.add_cog(Teaching(bot))
