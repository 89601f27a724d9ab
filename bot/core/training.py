"""Training demos: train, compare optimizers, sweep learning rates, export a run as a script.

Each run is recorded (it counts in /progress and earns XP) whichever front door asked for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from bot.chat.router import clean
from bot.core.learners import Learner, as_lang
from bot.core.numbers import number, percent
from bot.core.replies import Action, Card, Field, File, Picture, Reply, notice
from bot.core.running import JobWatch, cancelled
from bot.core.status import Answerable, Status
from bot.core.threads import in_own_thread
from bot.core.tutor import Tutor
from bot.errors import InvalidRequest, TutorError
from bot.i18n import say, tr
from bot.training import results
from bot.training.custom_data import MAX_CSV_BYTES, CustomData, read_csv
from bot.training.delivery import Delivery
from bot.training.executor import JOB_SENT
from bot.training.export import export_script
from bot.training.parse import parse_request
from bot.training.replay import spec_of_replay

if TYPE_CHECKING:
    from bot.training.handover import Handover  # Redis: only with the queue

from bot.training.spec import (
    MAX_EPOCHS,
    MAX_UNIT_PANELS,
    CompareSpec,
    TrainSpec,
    VarySpec,
    check_shows_units,
    longer_run,
    spec_from_dict,
    spec_from_options,
    vary_spec_from_dict,
)


# ------------------------------------------------------------------------------- spec codes
def encode_spec(spec: TrainSpec) -> str:
    """A TrainSpec as a short string a button can carry; a run on a learner's own points has none (a
    button cannot carry the points, and a code without them would name another run)."""
    if spec.data is not None:
        raise InvalidRequest("no_replay_own_data")
    hidden = "-".join(str(h) for h in spec.hidden) or "0"
    parts = [spec.dataset, spec.model, hidden, spec.activation, spec.loss, spec.optimizer, repr(spec.lr)]
    return ";".join([*parts, str(spec.epochs), str(spec.seed)])


def decode_spec(code: str) -> TrainSpec:
    """The TrainSpec of `encode_spec`; InvalidRequest "stale_button" when the code is not one."""
    parts = code.split(";")
    if len(parts) != 9:
        raise InvalidRequest("stale_button")
    dataset, model, hidden, activation, loss, optimizer, lr, epochs, seed = parts
    try:
        options = {
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
    except ValueError:
        raise InvalidRequest("stale_button") from None
    spec = spec_from_options(options)
    if not isinstance(spec, TrainSpec):
        raise InvalidRequest("stale_button")
    return spec


# a setting compared: its letter after the first run's code ("…;a=relu,tanh", "…;h=2,4-4", "…;l=0.01,1")
VARY_LETTERS = {"activation": "a", "hidden": "h", "lr": "l"}
MAX_BUTTON_CODE = 72  # a button's custom id (at most 100 characters) also holds its kind and owner's id


def encode_setting_spec(spec: VarySpec) -> str:
    """A VarySpec as a short string a button can carry (the first run's code, then the values)."""
    values = [repr(v) if spec.vary == "lr" else spec.value_label(v) for v in spec.values]
    return f"{encode_spec(spec.base)};{VARY_LETTERS[spec.vary]}={','.join(values)}"


def decode_run(code: str) -> TrainSpec | VarySpec:
    """The spec of `encode_spec` or `encode_setting_spec`; InvalidRequest "stale_button" otherwise."""
    base, _, varied = code.rpartition(";") if code.count(";") == 9 else (code, "", "")
    if not varied:
        return decode_spec(code)
    letter, _, values = varied.partition("=")
    setting = next((name for name, short in VARY_LETTERS.items() if short == letter), None)
    if setting is None or not values:
        raise InvalidRequest("stale_button")
    parsed: list[object] = [v.split("-") if setting == "hidden" else v for v in values.split(",")]
    try:
        return VarySpec(base=decode_spec(base), vary=setting, values=tuple(parsed))
    except ValueError:
        raise InvalidRequest("stale_button") from None


def options_spec(options: Mapping[str, Any], data: CustomData | None = None) -> TrainSpec | CompareSpec:
    """A validated spec from slash-command options (and the points of an attached CSV); hidden '0' asks
    for a perceptron."""
    given = dict(options)
    if str(given.get("hidden") or "").strip() == "0":
        given["hidden"] = None
        given["model"] = "perceptron"
    return spec_from_options(given, data)


async def attachment_data(name: str, size: int, read: Callable[[], Awaitable[bytes]]) -> CustomData:
    """The points of a file a learner attached: refused by its name and `size` before `read` (the
    download) is called, then read as a CSV (`custom_data.read_csv`)."""
    if not name.lower().endswith((".csv", ".txt")):
        raise InvalidRequest("data_not_csv", name=name[:40].replace("`", "'"))
    if size > MAX_CSV_BYTES:
        raise InvalidRequest("data_file_too_large", max_kb=MAX_CSV_BYTES // 1024, kb=-(-size // 1024))
    return read_csv(await read())


def check_training_on(learner: Learner) -> None:
    """Refuse training in a server whose teachers switched it off (how much a learner may train is the
    training pool's compute budget)."""
    if learner.server is not None and not learner.server.training:
        raise InvalidRequest("training_off")


def _server(learner: Learner) -> int | None:
    return None if learner.server is None else learner.server.guild_id


T = TypeVar("T")


async def _watched(
    tutor: Tutor,
    learner: Learner,
    status: Status,
    waiting: str,
    job: Callable[..., Awaitable[T]],
    *args: Any,
    resumes: tuple[TrainSpec, int] | None = None,
    **options: Any,
) -> T | None:
    """`job(*args, **options)` as the learner's cancellable job on their server, `waiting` shown with
    its queue place and progress; None when they cancelled it. With the queue, its answer is recorded
    as pending first (`_pending`), so another bot process answers it when this one stops meanwhile: a
    train run (`resumes`: its spec and extra epochs) with its result, anything else with `result_gone`."""
    pending = _pending(tutor, learner, status, resumes)
    sent = JOB_SENT.set(None if pending is None else pending.sent)
    watch = JobWatch(tutor, learner, status, waiting)
    try:
        await watch.start()
        outcome = await watch.run(
            job(
                *args,
                learner=str(learner.id),
                server=_server(learner),
                on_queued=watch.queued,
                on_progress=watch.progress,
                **options,
            )
        )
    except asyncio.CancelledError:
        raise  # this process stops: its delivery stays, for the process that takes it over
    except BaseException:
        if pending is not None:
            await pending.done()
        raise
    finally:
        JOB_SENT.reset(sent)
    if pending is not None:
        await pending.done()
    return outcome


RATE_WORDS = frozenset({"lr", "lrs", "rate", "rates", "learning"})
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?")


def parse_rates(text: str) -> list[float]:
    """Learning rates from "0.01, 0.1 1"; a piece that is not a number is refused, nothing guessed."""
    pieces = [p for p in re.split(r"[\s,;]+", text.strip()) if p]
    if not pieces or not all(_NUMBER.fullmatch(p) for p in pieces):
        raise InvalidRequest("sweep_rates_malformed", given=text[:40])
    return [float(p) for p in pieces]


def split_rates(text: str) -> tuple[str, list[float] | None]:
    """A sweep request without its rates ("xor sgd lr 0.01 0.1 1" → "xor sgd", [0.01, 0.1, 1])."""
    words = text.split()
    for index, word in enumerate(words):
        if word.lower().strip(":=") in RATE_WORDS:
            numbers = []
            end = index + 1
            while end < len(words) and _NUMBER.fullmatch(words[end].strip(",")):
                numbers.append(words[end].strip(","))
                end += 1
            if len(numbers) >= 2:
                return " ".join(words[:index] + words[end:]), parse_rates(" ".join(numbers))
    return text, None


# ------------------------------------------------------------------------------- use cases
async def train_text(
    tutor: Tutor, learner: Learner, text: str, status: Status, data: CustomData | None = None
) -> Reply:
    """A training or comparison request in free text (English, Hinglish, Devanagari); points typed after
    'points:', or `data` (an attached CSV), make it a run on the learner's own data."""
    if not text.strip() and data is None:
        raise InvalidRequest("need_request")
    spec = parse_request(text, data)
    if isinstance(spec, CompareSpec):
        return await compare(tutor, learner, spec, status)
    if isinstance(spec, VarySpec):
        return await compare_setting(tutor, learner, spec, status)
    return await train(tutor, learner, spec, status)


async def train_file(
    tutor: Tutor,
    learner: Learner,
    text: str,
    attached: Sequence[tuple[str, int, Callable[[], Awaitable[bytes]]]],
    status: Status,
) -> Reply:
    """A request that came with files (a mention with an attachment, `train --data FILE` in the console):
    one CSV (name, size, its download), refused by name and size before it is read, then trained like
    typed points; `text` may add settings ("with sgd for 300 epochs") but not another dataset."""
    if len(attached) != 1:
        raise InvalidRequest("data_one_file", count=len(attached))
    name, size, read = attached[0]
    data = await attachment_data(name, size, read)
    return await train_text(tutor, learner, clean(text), status, data)  # a mention's <@id> removed


async def compare_text(tutor: Tutor, learner: Learner, text: str, status: Status) -> Reply:
    """A comparison request in free text ("compare" is implied)."""
    if not text.strip():
        raise InvalidRequest("need_request")
    spec = parse_request(text if "compare" in text.lower() else f"compare {text}")
    if isinstance(spec, VarySpec):
        return await compare_setting(tutor, learner, spec, status)
    if not isinstance(spec, CompareSpec):
        raise InvalidRequest("compare_needs_two")
    return await compare(tutor, learner, spec, status)


def stored(result: Mapping[str, Any]) -> dict[str, Any]:
    """A run's result without its per-epoch losses (what the database keeps of it)."""
    slim: dict[str, Any] = {}
    for key, value in result.items():
        if key.endswith("_losses"):
            continue
        if isinstance(value, Mapping):
            value = stored(value)
        elif isinstance(value, list) and value and all(isinstance(item, Mapping) for item in value):
            value = [stored(item) for item in value]
        slim[key] = value
    return slim


def _pictures(shown: Sequence[results.Picture], lang: str) -> tuple[Picture, ...]:
    return tuple(Picture(p.name, p.png, p.title.pick(lang, one_line=True)) for p in shown)


async def train(tutor: Tutor, learner: Learner, spec: TrainSpec, status: Status, more: int = 0) -> Reply:
    """Train one network in the workers (with `more`, then that many epochs further): its figures, loss
    curve and decision boundary (or fitted line), its replay code, and "show code", "compare optimizers"
    and "+500 epochs" buttons; the run is recorded. With the queue, another bot process delivers it when
    this one stops meanwhile (see _watched)."""
    check_training_on(learner)
    lang = learner.lang
    shown = longer_run(spec, more) if more else spec  # refuses a total past the epochs limit
    outcome = await _watched(
        tutor,
        learner,
        status,
        say("train.running", lang, spec=shown.describe()),
        tutor.jobs.train,
        spec,
        lang,
        more=more,
        resumes=(spec, more),
    )
    if outcome is None:
        return cancelled(learner)
    return await train_answer(tutor, learner, outcome)


@dataclass
class _Pending:
    """A train job's answer as recorded in Redis (`Handover`) from when the job is sent until answered."""

    handover: Handover
    delivery: Delivery
    recorded: bool = False

    async def sent(self, job_id: str) -> None:
        """The job is in the queue as `job_id`: record its pending delivery (the first job only, for a
        use case that sends several)."""
        if self.recorded:
            return
        self.delivery = dataclasses.replace(self.delivery, job_id=job_id)
        await self.handover.record(self.delivery)
        self.recorded = True

    async def done(self) -> None:
        """The answer is made: no other process is to deliver it."""
        if self.recorded:
            with contextlib.suppress(Exception):  # Redis away: the record expires on its own
                await self.handover.done(self.delivery)


def _pending(
    tutor: Tutor, learner: Learner, status: Status, resumes: tuple[TrainSpec, int] | None
) -> _Pending | None:
    """The pending delivery of a job, when another bot process could answer it: the queue is configured
    and the front door can be answered from elsewhere (`Answerable`). A train run whose spec has a code
    resumes ("train"); anything else, a run on the learner's own points too (no code carries them), is
    answered `result_gone` ("lost")."""
    if tutor.handover is None or not isinstance(status, Answerable):
        return None
    address = status.address()
    if address is None:
        return None
    spec, more = resumes if resumes is not None else (None, 0)
    resumable = spec is not None and spec.data is None
    delivery = Delivery(
        job_id="",
        kind="train" if resumable else "lost",
        learner_id=learner.id,
        name=learner.name,
        guild_id=learner.guild_id,
        lang=learner.lang,
        private=learner.private,
        spec=encode_spec(spec) if spec is not None and resumable else "",
        more=more,
        address=dict(address),
    )
    return _Pending(tutor.handover, delivery)


async def resume_delivery(tutor: Tutor, delivery: Delivery, status: Status) -> Reply:
    """Answer a job another bot process sent and could not answer (it stopped). A train run ("train")
    is followed to its end and answered as `train` does; when its result is gone (taken, expired) or the
    job failed, the learner reads why instead. Any other use case ("lost": compare, sweep, the
    drawings, a run on the learner's own points) cannot be finished elsewhere: its job is abandoned
    (the learner's place freed at once) and the learner reads `result_gone`."""
    server = await tutor.servers.get(delivery.guild_id) if delivery.guild_id is not None else None
    learner = Learner(
        id=delivery.learner_id,
        name=delivery.name,
        lang=as_lang(delivery.lang),
        guild_id=delivery.guild_id,
        server=server,
        private=delivery.private,
    )
    if delivery.kind != "train":
        abandon = getattr(tutor.pool, "abandon", None)
        if abandon is not None:  # only the queue's jobs outlive their process
            await abandon(delivery.job_id, learner=str(learner.id))
        return notice(say("error.result_gone", learner.lang), private=learner.private)
    try:
        spec = decode_spec(delivery.spec)
        shown = longer_run(spec, delivery.more) if delivery.more else spec
        outcome = await _followed(tutor, learner, status, spec, shown, delivery)
    except TutorError as error:
        return notice(error.message(learner.lang), private=learner.private)
    if outcome is None:
        return cancelled(learner)
    return await train_answer(tutor, learner, outcome)


async def _followed(
    tutor: Tutor, learner: Learner, status: Status, spec: TrainSpec, shown: TrainSpec, delivery: Delivery
) -> results.TrainOutcome | None:
    """The resumed job's outcome, as the learner's cancellable job with its progress; None if cancelled."""
    watch = JobWatch(tutor, learner, status, say("train.running", learner.lang, spec=shown.describe()))
    await watch.start()
    return await watch.run(
        tutor.jobs.follow_train(
            delivery.job_id,
            spec,
            learner.lang,
            learner=learner.id,
            more=delivery.more,
            on_progress=watch.progress,
        )
    )


async def train_answer(tutor: Tutor, learner: Learner, outcome: results.TrainOutcome) -> Reply:
    """A finished run recorded and shown: what `train` answers, whichever bot process followed the job."""
    lang = learner.lang
    spec, result = outcome.spec, outcome.result
    await tutor.progress.record_training_run(
        learner.id, "train", spec.to_dict(), stored(outcome.contract(lang)), guild_id=learner.guild_id
    )
    label = {
        key: tr(key).pick(lang, one_line=True)
        for key in (
            "train.final_loss",
            "train.train_accuracy",
            "train.test_accuracy",
            "train.epochs",
            "train.seconds",
        )
    }
    # accuracy says on which points: the ones trained on, and the held-out ones when there are any
    accuracies = [Field(label["train.train_accuracy"], percent(result.train_accuracy))]
    if result.test_accuracy is not None:
        accuracies.append(Field(label["train.test_accuracy"], percent(result.test_accuracy)))
    fields = (
        Field(label["train.final_loss"], number(result.final_loss)),
        *accuracies,
        Field(label["train.epochs"], str(result.epochs_run)),
        Field(label["train.seconds"], f"{result.seconds:.2f} s"),
    )
    pictures = _pictures(outcome.pictures, lang)
    explanation = outcome.result.explanation_in(lang) or ""
    confusion = "" if result.confusion is None else result.confusion.text(lang)
    body = "\n\n".join(part for part in (explanation, confusion) if part)
    cards = [
        Card(
            title=spec.describe(),
            body=body,
            fields=fields,
            footer=_footer(outcome.replay, lang),
            pictures=pictures[:1],
            tone="failure" if result.diverged else "success",
        ),
        *(Card(title=p.title, pictures=(p,), tone="teaching") for p in pictures[1:]),
    ]
    own = outcome.replay is None
    reply = Reply(
        cards=tuple(cards),
        # a run on the learner's own points: no button can carry them, so its script comes with it
        actions=() if outcome.replay is None else _run_actions(spec, result, outcome.replay, lang),
        files=(File(_script_name(spec), export_script(spec).encode("utf-8")),) if own else (),
        owner=learner.id,
        expiry_note=say("common.timed_out", lang),
        private=learner.private,
    )
    return in_own_thread(learner, reply)


MORE_EPOCHS = 500  # what "+500 epochs" under a run adds


def _footer(replay: str | None, lang: str) -> str:
    """The replay code under a run, or why a run on the learner's own points has none."""
    return (
        say("train.own_data_footer", lang)
        if replay is None
        else say("train.replay_footer", lang, code=replay)
    )


def _run_actions(spec: TrainSpec, result: results.RunResult, replay: str, lang: str) -> tuple[Action, ...]:
    """The buttons under a run; "+500 epochs" only where the run can go on within the epochs limit."""
    code = encode_spec(spec)
    actions = [
        Action("train.code", tr("train.show_code").pick(lang, one_line=True), (code,), "secondary", "📜"),
        Action(
            "train.compare", tr("train.compare_button").pick(lang, one_line=True), (code,), "secondary", "📊"
        ),
    ]
    animate = tr("train.animate_button").pick(lang, one_line=True)
    actions.append(Action("train.animate", animate, (replay,), "secondary", "▶"))
    if spec.task != "regression" and spec.model != "perceptron" and spec.hidden:  # units to draw
        units = tr("train.units_button").pick(lang, one_line=True)
        actions.append(Action("train.units", units, (replay,), "secondary", "🔬"))
    if not result.diverged and spec.epochs + MORE_EPOCHS <= MAX_EPOCHS:
        more = tr("train.more_button", epochs=MORE_EPOCHS).pick(lang, one_line=True)
        actions.append(Action("train.more", more, (replay, MORE_EPOCHS), "secondary", "⏩"))
    return tuple(actions)


def check_replay_alone(other_options: bool) -> None:
    """Refuse a replay code given with other settings: the code fixes them all, nothing is mixed in."""
    if other_options:
        raise InvalidRequest("replay_with_options")


async def replay(tutor: Tutor, learner: Learner, code: str, status: Status, more: int = 0) -> Reply:
    """The run a replay code names, trained again exactly (and `more` epochs further)."""
    return await train(tutor, learner, spec_of_replay(code), status, more)


async def replay_text(tutor: Tutor, learner: Learner, text: str, status: Status) -> Reply:
    """ "replay CODE [more M]" typed in the console."""
    words = text.split()
    if len(words) == 3 and words[1].lower() == "more" and words[2].isdigit():
        return await replay(tutor, learner, words[0], status, int(words[2]))
    if len(words) != 1:
        raise InvalidRequest("bad_replay_code", given=text.strip()[:30] or "''")
    return await replay(tutor, learner, words[0], status)


async def animate(tutor: Tutor, learner: Learner, replay_code: str, status: Status) -> Reply:
    """ "▶ Animate" under a run (or `animate CODE`): the run learning, as a GIF of its boundary or line."""
    spec = spec_of_replay(replay_code)
    check_training_on(learner)
    lang = learner.lang
    outcome = await _watched(
        tutor,
        learner,
        status,
        say("train.animating", lang, spec=spec.describe()),
        tutor.jobs.animate,
        spec,
    )
    if outcome is None:
        return cancelled(learner)
    caption = say("train.animation_caption", lang, frames=len(outcome.epochs), epochs=outcome.epochs[-1])
    card = Card(title=spec.describe(), body=caption, tone="teaching")
    name = f"training_{spec.dataset}_{spec.optimizer}.gif"
    reply = Reply(cards=(card,), files=(File(name, outcome.gif),), private=learner.private)
    return in_own_thread(learner, reply)


async def units(tutor: Tutor, learner: Learner, replay_code: str, status: Status) -> Reply:
    """ "Show units" under a run (or `units CODE`): each unit of its first hidden layer, one panel each
    (at most MAX_UNIT_PANELS); refused off 2-D classification and for a perceptron, before queueing."""
    spec = spec_of_replay(replay_code.strip())
    check_shows_units(spec)
    check_training_on(learner)
    lang = learner.lang
    drawing = await _watched(
        tutor,
        learner,
        status,
        say("train.drawing_units", lang, spec=spec.describe()),
        tutor.jobs.units,
        spec,
        lang,
    )
    if drawing is None:
        return cancelled(learner)
    total = spec.hidden[0]
    caption = say("train.units_caption", lang, shown=min(total, MAX_UNIT_PANELS), total=total)
    pictures = _pictures(drawing.pictures, lang)
    card = Card(title=spec.describe(), body=caption, pictures=pictures[:1], tone="teaching")
    return in_own_thread(learner, Reply(cards=(card,), private=learner.private))


async def keep_training(tutor: Tutor, learner: Learner, replay_code: str, status: Status) -> Reply:
    """ "+500 epochs" under a run: the same run continued from its weights and optimizer state."""
    return await replay(tutor, learner, replay_code, status, MORE_EPOCHS)


async def compare(tutor: Tutor, learner: Learner, spec: CompareSpec, status: Status) -> Reply:
    """Several optimizers from the same start in one batched job: curves on shared axes and a table."""
    check_training_on(learner)
    lang = learner.lang
    outcome = await _watched(
        tutor,
        learner,
        status,
        say("train.comparing", lang, spec=spec.describe()),
        tutor.jobs.compare,
        spec,
        lang,
    )
    if outcome is None:
        return cancelled(learner)
    await tutor.progress.record_training_run(
        learner.id, "compare", spec.to_dict(), stored(outcome.contract()), guild_id=learner.guild_id
    )
    tables = [outcome.table.hi, outcome.table.en] if lang == "both" else [outcome.table.pick(lang)]
    tables = list(dict.fromkeys(tables))  # once when both languages read the same
    body = "\n".join(f"```\n{table}\n```" for table in tables)  # a long one is paged, never cut
    card = Card(
        title=spec.describe(), body=body, pictures=_pictures(outcome.pictures, lang)[:1], tone="teaching"
    )
    return in_own_thread(learner, Reply(cards=(card,), private=learner.private))


async def compare_setting(tutor: Tutor, learner: Learner, spec: VarySpec, status: Status) -> Reply:
    """One setting at several values from the same data and seed: curves on shared axes and a table."""
    check_training_on(learner)
    lang = learner.lang
    waiting = say("train.comparing_setting", lang, setting=spec.vary, spec=spec.describe())
    outcome = await _watched(
        tutor,
        learner,
        status,
        waiting,
        tutor.jobs.compare_setting,
        spec,
        lang,
    )
    if outcome is None:
        return cancelled(learner)
    summary = {"runs": outcome.contract(), "seconds": outcome.seconds}
    await tutor.progress.record_training_run(
        learner.id, "compare", spec.to_dict(), stored(summary), guild_id=learner.guild_id
    )
    tables = [outcome.table.hi, outcome.table.en] if lang == "both" else [outcome.table.pick(lang)]
    body = "\n".join(f"```\n{table}\n```" for table in dict.fromkeys(tables))
    card = Card(
        title=spec.describe(), body=body, pictures=_pictures(outcome.pictures, lang)[:1], tone="teaching"
    )
    code = "" if spec.base.data is not None else encode_setting_spec(spec)
    if not code or len(code) > MAX_BUTTON_CODE:  # own points or too long for a button: the script comes
        script = File(_script_name(spec), export_script(spec).encode("utf-8"))
        return in_own_thread(learner, Reply(cards=(card,), files=(script,), private=learner.private))
    show = Action("train.code", tr("train.show_code").pick(lang, one_line=True), (code,), "secondary", "📜")
    reply = Reply(
        cards=(card,),
        actions=(show,),
        owner=learner.id,
        expiry_note=say("common.timed_out", lang),
        private=learner.private,
    )
    return in_own_thread(learner, reply)


async def compare_from_code(tutor: Tutor, learner: Learner, code: str, status: Status) -> Reply:
    """ "Compare optimizers" under a run: the same network and data with all four optimizers."""
    spec = decode_spec(code)
    options = {
        "dataset": spec.dataset,
        "model": spec.model,
        "hidden": ",".join(map(str, spec.hidden)) or None,
        "activation": spec.activation,
        "loss": spec.loss,
        "epochs": spec.epochs,
        "seed": spec.seed,
        "optimizers": "all",
    }
    compared = spec_from_options(options)
    assert isinstance(compared, CompareSpec)
    return await compare(tutor, learner, compared, status)


async def sweep_text(tutor: Tutor, learner: Learner, text: str, status: Status) -> Reply:
    """A sweep request in free text: a network and optimizer, and optionally its rates after "lr"."""
    rest, rates = split_rates(text)
    if not rest.strip():
        raise InvalidRequest("need_request")
    spec = parse_request(rest)
    if not isinstance(spec, TrainSpec):
        raise InvalidRequest("sweep_needs_one_optimizer")
    return await sweep(tutor, learner, spec, rates, status)


async def sweep(
    tutor: Tutor, learner: Learner, spec: TrainSpec, rates: Sequence[float] | None, status: Status
) -> Reply:
    """One network at several learning rates: which rate is slow, good, overshooting or diverges."""
    check_training_on(learner)
    lang = learner.lang
    outcome = await _watched(
        tutor,
        learner,
        status,
        say("train.sweeping", lang, spec=spec.describe()),
        tutor.jobs.sweep,
        spec,
        lang,
        rates,
    )
    if outcome is None:
        return cancelled(learner)
    summary = {"runs": [run.contract() for run in outcome.runs], "seconds": outcome.seconds}
    await tutor.progress.record_training_run(
        learner.id, "sweep", spec.to_dict(), stored(summary), guild_id=learner.guild_id
    )
    card = Card(
        title=spec.describe(),
        body=f"```\n{outcome.lines.pick(lang)}\n```",
        pictures=_pictures(outcome.pictures, lang)[:1],
        tone="teaching",
    )
    return in_own_thread(learner, Reply(cards=(card,), private=learner.private))


async def export(tutor: Tutor, learner: Learner, code: str | None) -> Reply:
    """A plain, seeded PyTorch script that reproduces a run: the one a button names, else the learner's
    last training run (or comparison of one setting)."""
    if code is not None:
        spec = decode_run(code)
    else:
        runs = await tutor.progress.training_runs(learner.id, limit=20)
        last = next((run for run in runs if run.kind == "train" or "vary" in run.spec), None)
        if last is None:
            raise InvalidRequest("no_run_to_export")
        spec = decode_run(_code_of(last.spec))
    script = export_script(spec)
    return Reply(
        note=say("train.code_caption", learner.lang),
        files=(File(_script_name(spec), script.encode("utf-8")),),
    )


def _script_name(spec: TrainSpec | VarySpec) -> str:
    if isinstance(spec, VarySpec):
        return f"compare_{spec.dataset}_{spec.vary}.py"
    return f"train_{spec.dataset}_{spec.optimizer}.py"


def _code_of(data: Mapping[str, Any]) -> str:
    if "vary" in data:
        return encode_setting_spec(vary_spec_from_dict(data))
    spec = spec_from_dict(data)
    if not isinstance(spec, TrainSpec):
        raise InvalidRequest("no_run_to_export")
    return encode_spec(spec)
