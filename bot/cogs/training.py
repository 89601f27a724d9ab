"""/train and /compare: validate at once, defer, run in the warm pool, post figures and PNGs."""

from __future__ import annotations

import io
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice, Range
from discord.ext import commands

from bot import i18n
from bot.cogs import render
from bot.cogs.common import lang_of
from bot.cogs.reply import Replier
from bot.cogs.texts import say, short
from bot.cogs.views import TRAIN_VIEW_TIMEOUT, TimedView, TrainButton
from bot.log import get_logger
from bot.training.results import CompareOutcome, TrainOutcome
from bot.training.spec import (
    ACTIVATIONS,
    DATASETS,
    LOSSES,
    OPTIMIZERS,
    CompareSpec,
    TrainSpec,
    spec_from_options,
)

log = get_logger(__name__)


def _choices(names: tuple[str, ...] | list[str]) -> list[Choice[str]]:
    return [Choice(name=name, value=name) for name in names]


# ---------------------------------------------------------------------- spec codes (for buttons)
def encode_spec(spec: TrainSpec) -> str:
    """A TrainSpec as a short string a button's custom id can carry."""
    hidden = "-".join(str(h) for h in spec.hidden) or "0"
    return ";".join(
        [
            spec.dataset,
            spec.model,
            hidden,
            spec.activation,
            spec.loss,
            spec.optimizer,
            repr(spec.lr),
            str(spec.epochs),
            str(spec.seed),
        ]
    )


def decode_spec(code: str) -> TrainSpec:
    """The TrainSpec of `encode_spec`; InvalidRequest when the code is malformed."""
    parts = code.split(";")
    if len(parts) != 9:
        raise ValueError(f"bad spec code {code!r}")
    dataset, model, hidden, activation, loss, optimizer, lr, epochs, seed = parts
    spec = spec_from_options(
        {
            "dataset": dataset,
            "model": model,
            "hidden": None if hidden == "0" else hidden.replace("-", ","),
            "activation": activation,
            "loss": loss,
            "optimizer": optimizer,
            "lr": float(lr),
            "epochs": int(epochs),
            "seed": int(seed),
        }
    )
    assert isinstance(spec, TrainSpec)
    return spec


def options_spec(options: Mapping[str, Any]) -> TrainSpec | CompareSpec:
    """A validated spec from slash options; hidden '0' asks for a perceptron."""
    given = dict(options)
    if str(given.get("hidden") or "").strip() == "0":
        given["hidden"] = None
        given["model"] = "perceptron"
    return spec_from_options(given)


# ---------------------------------------------------------------------- rendering
def image_title(name: str, lang: str) -> str:
    """The title over a picture ("decision_boundary" -> "Decision boundary", in the learner's language)."""
    known = i18n.keys()
    if f"discord.image_{name}" in known:
        return short(f"image_{name}", lang)
    return name.replace("_", " ").capitalize()


def result_answer(outcome: TrainOutcome, spec: TrainSpec, owner: int, lang: str, bot: Any) -> render.Answer:
    """The embed with figures and both pictures, plus 'show code' and 'compare optimizers'."""
    result = outcome.result
    main = render.embed(spec.describe(), "", render.RED if result.diverged else render.GREEN)
    render.add_field(main, short("train.final_loss", lang), render.number(result.final_loss), inline=True)
    render.add_field(main, short("train.accuracy", lang), render.percent(result.accuracy), inline=True)
    render.add_field(main, short("train.epochs", lang), str(result.epochs_run), inline=True)
    render.add_field(main, short("train.seconds", lang), f"{result.seconds:.2f} s", inline=True)
    if outcome.explanation is not None:
        main.description = render.clip(outcome.explanation.pick(lang), render.DESCRIPTION_MAX)
    files: list[tuple[str, bytes]] = []
    embeds = [main]
    for index, picture in enumerate(outcome.pictures):
        name = f"{picture.name}.png"
        files.append((name, picture.png))
        target = (
            main
            if index == 0
            else render.embed(image_title(picture.name, lang), "", main.colour or render.TEAL)
        )
        target.set_image(url=f"attachment://{name}")
        if target is not main:
            embeds.append(target)
    view = TimedView(bot, ("train", owner), lang, timeout=TRAIN_VIEW_TIMEOUT)
    code = encode_spec(spec)
    view.add_item(TrainButton("code", owner, code, lang=lang))
    view.add_item(TrainButton("cmp", owner, code, lang=lang))
    return render.Answer(embeds=embeds, files=files, view=view)


def compare_answer(outcome: CompareOutcome, spec: CompareSpec, lang: str) -> render.Answer:
    """One loss curve per optimizer on shared axes, and the table of final loss / accuracy / epochs."""
    english, hindi = outcome.table.en, outcome.table.hi
    tables = {"hi": [hindi], "en": [english], "both": [hindi, english] if hindi != english else [hindi]}[lang]
    fence = render.DESCRIPTION_MAX // len(tables) - 10  # each table in its own code block, unclipped
    body = "\n".join(f"```\n{render.clip(table, fence)}\n```" for table in tables if table)
    out = render.embed(spec.describe(), body, render.BLUE)
    files = []
    for index, picture in enumerate(outcome.pictures):
        name = f"{picture.name}.png"
        files.append((name, picture.png))
        if index == 0:
            out.set_image(url=f"attachment://{name}")
    return render.Answer(embeds=[out], files=files)


# ---------------------------------------------------------------------- running
def check_cooldown(bot: Any, learner: int) -> None:
    """Refuse a second training request within `train_cooldown_seconds` (refused requests do not count)."""
    seconds = bot.tutor.settings.train_cooldown_seconds
    now = time.monotonic()
    last = bot.train_cooldowns.get(learner)
    if last is not None and now - last < seconds:
        raise app_commands.CommandOnCooldown(app_commands.Cooldown(1, seconds), seconds - (now - last))
    bot.train_cooldowns[learner] = now


def queue_status(lang: str, status: Callable[[str], Awaitable[None]]) -> Callable[[int], Awaitable[None]]:
    """The pool's on_queued callback: tell the learner their queue position while they wait."""

    async def on_queued(position: int) -> None:
        await status(say("train.queued", lang, position=position))

    return on_queued


async def run_training(out: Replier, bot: Any, user: discord.abc.User, spec: TrainSpec, lang: str) -> None:
    """Defer (or post a status line), train in the pool, then post the figures and pictures."""
    await out.status(say("train.running", lang, spec=spec.describe()))
    outcome = await bot.tutor.jobs.train(
        spec, lang, learner=user.id, on_queued=queue_status(lang, out.status)
    )
    await out.send(result_answer(outcome, spec, user.id, lang, bot))


async def run_compare(out: Replier, bot: Any, user: discord.abc.User, spec: CompareSpec, lang: str) -> None:
    """Defer (or post a status line), compare as one job, then post the shared-axes picture and table."""
    await out.status(say("train.comparing", lang, spec=spec.describe()))
    on_queued = queue_status(lang, out.status)
    outcome = await bot.tutor.jobs.compare(spec, lang, learner=user.id, on_queued=on_queued)
    await out.send(compare_answer(outcome, spec, lang))


async def show_code(interaction: discord.Interaction[Any], code: str) -> None:
    """'Show code': the exported PyTorch script of this run, as a file."""
    from bot.training.export import export_script

    lang = await lang_of(interaction)
    try:
        spec = decode_spec(code)
    except ValueError:
        await interaction.response.send_message(say("common.stale_button", lang), ephemeral=True)
        return
    script = export_script(spec)
    file = discord.File(
        io.BytesIO(script.encode("utf-8")), filename=f"train_{spec.dataset}_{spec.optimizer}.py"
    )
    await interaction.response.send_message(say("train.code_caption", lang), file=file)


async def compare_from_button(interaction: discord.Interaction[Any], code: str) -> None:
    """'Compare optimizers': the same network and data with all four optimizers."""
    lang = await lang_of(interaction)
    try:
        spec = decode_spec(code)
    except ValueError:
        await interaction.response.send_message(say("common.stale_button", lang), ephemeral=True)
        return
    compare = spec_from_options(
        {
            "dataset": spec.dataset,
            "model": spec.model,
            "hidden": ",".join(map(str, spec.hidden)) or None,
            "activation": spec.activation,
            "loss": spec.loss,
            "epochs": spec.epochs,
            "seed": spec.seed,
            "optimizers": "all",
        }
    )
    assert isinstance(compare, CompareSpec)
    check_cooldown(interaction.client, interaction.user.id)
    await run_compare(Replier(interaction=interaction), interaction.client, interaction.user, compare, lang)


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
    )
    @app_commands.choices(
        dataset=_choices(list(DATASETS)),
        optimizer=_choices(OPTIMIZERS),
        activation=_choices(ACTIVATIONS),
        loss=_choices(LOSSES),
    )
    async def train(
        self,
        interaction: discord.Interaction[Any],
        dataset: Choice[str],
        optimizer: Choice[str],
        lr: Range[float, 0.0, 10.0] | None = None,
        epochs: Range[int, 1, 5000] | None = None,
        hidden: Range[str, 1, 30] | None = None,
        activation: Choice[str] | None = None,
        loss: Choice[str] | None = None,
        seed: Range[int, 0, 2**31 - 1] | None = None,
    ) -> None:
        lang = await lang_of(interaction)
        spec = options_spec(
            {
                "dataset": dataset.value,
                "optimizer": optimizer.value,
                "lr": lr,
                "epochs": epochs,
                "hidden": hidden,
                "activation": activation.value if activation else None,
                "loss": loss.value if loss else None,
                "seed": seed,
            }
        )  # a refusal raises here, before anything is deferred or queued
        assert isinstance(spec, TrainSpec)
        check_cooldown(self.bot, interaction.user.id)
        await run_training(Replier(interaction=interaction), self.bot, interaction.user, spec, lang)

    @app_commands.command(name="compare", description="Compare optimizers on one dataset")
    @app_commands.describe(
        dataset="The toy dataset", optimizers="Optimizers, e.g. sgd,adam (empty: all four)"
    )
    @app_commands.choices(dataset=_choices(list(DATASETS)))
    async def compare(
        self,
        interaction: discord.Interaction[Any],
        dataset: Choice[str],
        optimizers: Range[str, 1, 60] | None = None,
    ) -> None:
        lang = await lang_of(interaction)
        spec = options_spec({"dataset": dataset.value, "optimizers": optimizers or "all"})
        assert isinstance(spec, CompareSpec)
        check_cooldown(self.bot, interaction.user.id)
        await run_compare(Replier(interaction=interaction), self.bot, interaction.user, spec, lang)


async def setup(bot: commands.Bot) -> None:
    """Add the training cog."""
    await bot.add_cog(Training(bot))
