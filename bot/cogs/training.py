"""/train, /compare, /sweep, the buttons under a run ('Show code', 'Compare optimizers') and the Cancel
button on a run's progress, over bot.core.training and bot.core.running. Options are validated before
anything is deferred or queued.

Custom ids: `tr:<code|cmp|more|anim|units>:<owner>:<spec or replay code>`, `tr:stop:<owner>`.
"""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice, Range
from discord.ext import commands

from bot.cogs import render
from bot.cogs.buttons import OWNER, button, guard, owner_only, register
from bot.cogs.context import Interaction, learner_of, tutor_of
from bot.cogs.status import Deferring
from bot.core import running, training
from bot.core.learners import Learner
from bot.core.replies import Action
from bot.training.spec import (
    ACTIVATIONS,
    DATASETS,
    LOSSES,
    MAX_EPOCHS,
    MAX_LR,
    MAX_SEED,
    OPTIMIZERS,
    TrainSpec,
)


def _deferring(interaction: Interaction, learner: Learner) -> Deferring:
    """The run's placeholder, private when the learner asked for private replies (so is its answer)."""
    return Deferring(interaction, private=learner.private)


def _choices(names: tuple[str, ...] | list[str]) -> list[Choice[str]]:
    return [Choice(name=name, value=name) for name in names]


class TrainButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"tr:(?P<action>code|cmp|more|anim|units):" + OWNER + r":(?P<spec>[a-z0-9_.,=;-]+)",
):
    """'Show code' (the exported script as a file), 'Compare optimizers', '▶ Animate', 'Show units' and
    '+500 epochs' (these three carry a replay code) under a training result."""

    def __init__(self, action: str, owner: int, spec: str, item: discord.ui.Button[Any]) -> None:
        super().__init__(item)
        self.action, self.owner, self.spec = action, owner, spec

    @classmethod
    def of_action(cls, action: Action, owner: int) -> TrainButton:
        """The button for a core "train.code", "train.compare" or "train.more" action."""
        roles = {
            "train.code": "code",
            "train.compare": "cmp",
            "train.more": "more",
            "train.animate": "anim",
            "train.units": "units",
        }
        role = roles[action.kind]
        code = str(action.args[0])
        return cls(role, owner, code, button(action, f"tr:{role}:{owner}:{code}"))

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> TrainButton:
        assert isinstance(item, discord.ui.Button)
        return cls(match["action"], int(match["owner"]), match["spec"], item)

    async def interaction_check(self, interaction: Interaction, /) -> bool:
        return await owner_only(interaction, self.owner)

    async def callback(self, interaction: Interaction) -> None:
        await guard(interaction, self._press(interaction))

    async def _press(self, interaction: Interaction) -> None:
        learner = await learner_of(interaction)
        tutor = tutor_of(interaction)
        if self.action == "code":
            reply = await training.export(tutor, learner, self.spec)
        elif self.action == "anim":
            reply = await training.animate(tutor, learner, self.spec, _deferring(interaction, learner))
        elif self.action == "units":
            reply = await training.units(tutor, learner, self.spec, _deferring(interaction, learner))
        elif self.action == "more":
            reply = await training.keep_training(tutor, learner, self.spec, _deferring(interaction, learner))
        else:
            reply = await training.compare_from_code(
                tutor, learner, self.spec, _deferring(interaction, learner)
            )
        await render.send(interaction, reply)


register("train.code", TrainButton.of_action)
register("train.compare", TrainButton.of_action)
register("train.more", TrainButton.of_action)
register("train.animate", TrainButton.of_action)
register("train.units", TrainButton.of_action)


class CancelButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"tr:stop:" + OWNER):
    """'Cancel' on a run's progress: the core decides who may (anyone else is refused privately); the
    run's own request then edits its message into the "cancelled" line."""

    def __init__(self, owner: int, item: discord.ui.Button[Any]) -> None:
        super().__init__(item)
        self.owner = owner

    @classmethod
    def of_action(cls, action: Action, owner: int) -> CancelButton:
        """The button for a core "train.cancel" action."""
        return cls(owner, button(action, f"tr:stop:{owner}"))

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> CancelButton:
        assert isinstance(item, discord.ui.Button)
        return cls(int(match["owner"]), item)

    async def callback(self, interaction: Interaction) -> None:
        await guard(interaction, self._press(interaction))

    async def _press(self, interaction: Interaction) -> None:
        await running.cancel_run(tutor_of(interaction), await learner_of(interaction), self.owner)
        await interaction.response.defer()  # the message is the run's: its request answers there


register(running.CANCEL, CancelButton.of_action)


class Training(commands.Cog):
    """Training demos in the warm worker pool."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="train", description="Train a small neural network and see the loss curve")
    @app_commands.describe(
        dataset="The toy dataset",
        optimizer="The optimizer",
        lr="Learning rate",
        epochs="Training epochs",
        hidden="Hidden layer widths, e.g. 8 or 16,16 (0 for a perceptron)",
        activation="Activation function",
        loss="Loss function",
        seed="Random seed",
        replay="A replay code from under a run: trains that exact run again (give it alone)",
        data="Your own points: a CSV of x1,x2,label (classes) or x,y (regression) rows",
    )
    @app_commands.choices(
        dataset=_choices(list(DATASETS)),
        optimizer=_choices(OPTIMIZERS),
        activation=_choices(ACTIVATIONS),
        loss=_choices(LOSSES),
    )
    async def train(
        self,
        interaction: Interaction,
        dataset: Choice[str] | None = None,
        optimizer: Choice[str] | None = None,
        lr: Range[float, 0.0, MAX_LR] | None = None,
        epochs: Range[int, 1, MAX_EPOCHS] | None = None,
        hidden: Range[str, 1, 30] | None = None,
        activation: Choice[str] | None = None,
        loss: Choice[str] | None = None,
        seed: Range[int, 0, MAX_SEED] | None = None,
        replay: Range[str, 1, 80] | None = None,
        data: discord.Attachment | None = None,
    ) -> None:
        learner = await learner_of(interaction)
        others = (dataset, optimizer, lr, epochs, hidden, activation, loss, seed, data)
        if replay is not None:
            training.check_replay_alone(any(value is not None for value in others))
            reply = await training.replay(
                tutor_of(interaction), learner, replay, _deferring(interaction, learner)
            )
            await render.send(interaction, reply)
            return
        # the file is refused by name and size before it is downloaded (core decides; this only reads it)
        points = None if data is None else await training.attachment_data(data.filename, data.size, data.read)
        spec = training.options_spec(
            {
                "dataset": dataset.value if dataset else None,
                "optimizer": optimizer.value if optimizer else None,
                "lr": lr,
                "epochs": epochs,
                "hidden": hidden,
                "activation": activation.value if activation else None,
                "loss": loss.value if loss else None,
                "seed": seed,
            },
            points,
        )  # a refusal raises here, before anything is deferred or queued
        assert isinstance(spec, TrainSpec)
        reply = await training.train(tutor_of(interaction), learner, spec, _deferring(interaction, learner))
        await render.send(interaction, reply)

    @app_commands.command(name="compare", description="Compare optimizers on one dataset")
    @app_commands.describe(
        dataset="The toy dataset", optimizers="Optimizers, e.g. sgd,adam (empty: all four)"
    )
    @app_commands.choices(dataset=_choices(list(DATASETS)))
    async def compare(
        self, interaction: Interaction, dataset: Choice[str], optimizers: Range[str, 1, 60] | None = None
    ) -> None:
        learner = await learner_of(interaction)
        spec = training.options_spec({"dataset": dataset.value, "optimizers": optimizers or "all"})
        assert not isinstance(spec, TrainSpec)
        reply = await training.compare(tutor_of(interaction), learner, spec, _deferring(interaction, learner))
        await render.send(interaction, reply)

    @app_commands.command(
        name="sweep", description="Train at several learning rates and see which is slow, good or too big"
    )
    @app_commands.describe(
        dataset="The toy dataset",
        optimizer="The optimizer",
        rates="Learning rates, e.g. 0.01,0.1,1 (empty: a spread of five)",
    )
    @app_commands.choices(dataset=_choices(list(DATASETS)), optimizer=_choices(OPTIMIZERS))
    async def sweep(
        self,
        interaction: Interaction,
        dataset: Choice[str],
        optimizer: Choice[str],
        rates: Range[str, 1, 80] | None = None,
    ) -> None:
        learner = await learner_of(interaction)
        spec = training.options_spec({"dataset": dataset.value, "optimizer": optimizer.value})
        assert isinstance(spec, TrainSpec)
        chosen = training.parse_rates(rates) if rates else None
        reply = await training.sweep(
            tutor_of(interaction), learner, spec, chosen, _deferring(interaction, learner)
        )
        await render.send(interaction, reply)


async def setup(bot: commands.Bot) -> None:
    """Add the training cog and its persistent buttons."""
    bot.add_dynamic_items(TrainButton, CancelButton)
    await bot.add_cog(Training(bot))
