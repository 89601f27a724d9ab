"""The one place that names the worker's entry points, and `Jobs`: what the core calls to run them.

Each job is a target string ("bot.training.worker.tasks:train") with plain-data arguments, so the main
process never imports the worker side (no torch, no matplotlib here). `Jobs` sends them through an
executor (the local warm pool, or anything with its `submit`) and returns the typed results of
`bot.training.results`; a refusal raised in a worker arrives as the same TutorError, code and text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from bot.errors import TutorError
from bot.training.executor import (
    DRAWING_SECONDS,
    Batching,
    Executor,
    Job,
    ProgressCallback,
    QueuedCallback,
    TrainingPool,
)
from bot.training.results import (
    Animation,
    CompareOutcome,
    Drawing,
    SettingOutcome,
    SweepOutcome,
    TrainOutcome,
    WalkthroughOutcome,
)
from bot.training.scheduler import ComputeBudget
from bot.training.spec import CompareSpec, TrainSpec, VarySpec, longer_run

TASKS = "bot.training.worker.tasks"
TRAIN = f"{TASKS}:train"
TRAIN_BATCH = f"{TASKS}:train_batch"  # train_batch(specs: list[dict], lang) -> list[TrainOutcome], in order
COMPARE = f"{TASKS}:compare"
COMPARE_SETTING = f"{TASKS}:compare_setting"
SWEEP = f"{TASKS}:sweep"
BACKPROP = f"{TASKS}:backprop"
ACTIVATION = f"{TASKS}:activation"
LESSON_FIGURE = f"{TASKS}:lesson_figure"
PROGRESS_CHART = f"{TASKS}:progress_chart"
CLASS_HEATMAP = f"{TASKS}:class_heatmap"
DIAGRAM = f"{TASKS}:diagram"
WARM_UP = f"{TASKS}:warm_up"
ANIMATE = f"{TASKS}:animate"  # animate(spec: dict) -> Animation
UNITS = f"{TASKS}:units"  # units(spec: dict, lang) -> Drawing: the run's hidden units, one panel each
ANIMATION_SECONDS = 2.0  # drawing up to 60 frames (measured 1.5-4 s on a busy 2-core machine)
PRELOAD = (TASKS,)  # imported once in the forkserver (torch and matplotlib, no torch op)

Result = TypeVar("Result")
ProgressSeries = Mapping[str, Any] | Sequence[Mapping[str, Any]]


def training_pool(
    workers: int = 2,
    queue_seconds: float = 60.0,
    timeout_seconds: float = 60.0,
    wait_seconds: float = 300.0,
    *,
    picture_workers: int = 1,
    learner_queue: int = 2,
    batch_limit: int = 8,
    budget: ComputeBudget | None = None,
) -> TrainingPool:
    """The local warm pool the tutor uses: workers preloaded with the worker side and warmed up."""
    return TrainingPool(
        workers,
        queue_seconds,
        timeout_seconds,
        wait_seconds=wait_seconds,
        picture_workers=picture_workers,
        learner_queue=learner_queue,
        batch_limit=batch_limit,
        budget=budget,
        warmups=(WARM_UP,),
        preload=PRELOAD,
    )


# worker-seconds of a run, roughly (benchmarks/README): a fixed cost per epoch (tiny tensors: the per-op
# dispatch dominates), one growing with parameters × samples, and its two pictures
EPOCH_SECONDS = 1.5e-4
PARAMETER_SAMPLE_SECONDS = 1.5e-8
SAMPLES = {"xor": 4, "and": 4, "or": 4, "spiral": 300}  # the others: 200 points
SAMPLES_OTHERWISE = 200


def training_seconds(spec: TrainSpec | CompareSpec, runs: int = 1) -> float:
    """Estimated worker-seconds to train `spec` `runs` times and draw its pictures."""
    samples = len(spec.data) if spec.data is not None else SAMPLES.get(spec.dataset, SAMPLES_OTHERWISE)
    per_epoch = EPOCH_SECONDS + PARAMETER_SAMPLE_SECONDS * spec.n_parameters * samples
    return DRAWING_SECONDS + runs * spec.epochs * per_epoch


def train_batch_key(spec: TrainSpec, lang: str) -> str:
    """Runs with equal keys may train in one `TRAIN_BATCH` call: same data, network, loss, epochs and
    language (optimizer, learning rate and seed may differ). A learner's own points are in the key as
    their fingerprint, so such a run batches only with runs on exactly the same points."""
    own = None if spec.data is None else spec.data.fingerprint
    shared = [spec.dataset, own, spec.model, list(spec.hidden), spec.activation, spec.loss, spec.epochs, lang]
    return json.dumps(shared)


def train_job(spec: TrainSpec, lang: str, more: int = 0) -> Job:
    """Train `spec` and draw its loss curve and boundary (or fitted line) in `lang`; with `more`, keep
    training that many epochs further (a run of its own, never batched)."""
    if more:
        longer = longer_run(spec, more)  # refused before queueing
        return Job(TRAIN, {"spec": spec.to_dict(), "lang": lang, "more": more}, cost=training_seconds(longer))
    return Job(
        TRAIN,
        {"spec": spec.to_dict(), "lang": lang},
        cost=training_seconds(spec),
        batch=Batching(train_batch_key(spec, lang), TRAIN_BATCH),
    )


def animate_job(spec: TrainSpec) -> Job:
    """Train `spec` twice (its curve picks the frames) and draw its animated GIF."""
    return Job(ANIMATE, {"spec": spec.to_dict()}, cost=training_seconds(spec, 2) + ANIMATION_SECONDS)


def units_job(spec: TrainSpec, lang: str) -> Job:
    """Train `spec` again (the same run, from its seed) and draw each unit of its first hidden layer."""
    return Job(UNITS, {"spec": spec.to_dict(), "lang": lang}, cost=training_seconds(spec))


def compare_job(spec: CompareSpec, lang: str) -> Job:
    """Train every optimizer of `spec` from the same start; the chart, the table and the script."""
    cost = training_seconds(spec, len(spec.optimizers))
    return Job(COMPARE, {"spec": spec.to_dict(), "lang": lang}, cost=cost)


def compare_setting_job(spec: VarySpec, lang: str) -> Job:
    """Train `spec` once per value of its setting from the same data and seed; the chart and the table."""
    cost = sum(training_seconds(run) for run in spec.run_specs())
    return Job(COMPARE_SETTING, {"spec": spec.to_dict(), "lang": lang}, cost=cost)


def sweep_job(spec: TrainSpec, lang: str, rates: Sequence[float] | None = None) -> Job:
    """Train `spec` at several learning rates (default: its optimizer's three) and label each curve."""
    kwargs = {"spec": spec.to_dict(), "lang": lang, "rates": None if rates is None else list(rates)}
    return Job(SWEEP, kwargs, cost=training_seconds(spec, len(rates) if rates is not None else 3))


def backprop_job(options: Mapping[str, Any], lang: str) -> Job:
    """The backprop walkthrough for front-door options (network, x, y, w, b, weights, activation, …)."""
    return Job(BACKPROP, {"options": dict(options), "lang": lang})


def activation_job(name: str | None, lang: str) -> Job:
    """One activation with its gradient, or all four when `name` is None."""
    return Job(ACTIVATION, {"name": name or "all", "lang": lang}, lane="picture")


def lesson_figure_job(name: str, lang: str) -> Job:
    """A lesson's teaching figure by name (bot/content/figures.py)."""
    return Job(LESSON_FIGURE, {"name": name, "lang": lang}, lane="picture")


def progress_chart_job(series: ProgressSeries, lang: str) -> Job:
    """A learner's 30-day chart from `ProgressService.stats(...).chart_data()`."""
    return Job(PROGRESS_CHART, {"series": series, "lang": lang}, lane="picture")


def class_heatmap_job(data: Mapping[str, Any]) -> Job:
    """A class's mastery heat map from `bot.core.teacher.heatmap_data`."""
    return Job(CLASS_HEATMAP, {"data": data}, lane="picture")


def diagram_job(spec: TrainSpec | CompareSpec, lang: str) -> Job:
    """A drawing of the network `spec` trains."""
    return Job(DIAGRAM, {"spec": spec.to_dict(), "lang": lang}, lane="picture")


class Jobs:
    """The training and drawing use cases as typed calls over an executor (what the core calls).

    Every call takes the learner (one running job per learner, a few waiting; then `already_running`),
    the server it came from (None: a DM or the console; servers take turns, like learners) and an
    optional `on_queued(position)`, awaited when the job must wait for a worker (raising there leaves the
    queue); training calls also take `on_progress(Progress)`, awaited as the worker reports how far it is.
    Drawings go to the picture lane, which never waits behind training.
    """

    def __init__(self, executor: Executor) -> None:
        self.executor = executor

    def __repr__(self) -> str:
        return f"Jobs({self.executor!r})"

    async def _run(
        self,
        job: Job,
        kind: type[Result],
        learner: str | int,
        server: str | int | None,
        on_queued: QueuedCallback | None,
        on_progress: ProgressCallback | None = None,
    ) -> Result:
        result = await self.executor.submit(
            job,
            learner=str(learner),
            server=None if server is None else str(server),
            on_queued=on_queued,
            on_progress=on_progress,
        )
        if not isinstance(result, kind):
            raise TypeError(f"{job.target} returned {type(result).__name__}, not {kind.__name__}")
        return result

    async def train(
        self,
        spec: TrainSpec,
        lang: str,
        *,
        learner: str | int,
        server: str | int | None = None,
        on_queued: QueuedCallback | None = None,
        on_progress: ProgressCallback | None = None,
        more: int = 0,
    ) -> TrainOutcome:
        """Train `spec` (and `more` epochs further): the result, its explanation and its two pictures."""
        job = train_job(spec, lang, more)
        return await self._run(job, TrainOutcome, learner, server, on_queued, on_progress)

    async def follow_train(
        self,
        job_id: str,
        spec: TrainSpec,
        lang: str,
        *,
        learner: str | int,
        more: int = 0,
        on_progress: ProgressCallback | None = None,
    ) -> TrainOutcome:
        """The outcome of the train job `job_id` another bot process sent for `learner` (and stopped
        following): only the queue's jobs outlive a process; anywhere else TutorError "result_gone"."""
        follow = getattr(self.executor, "follow", None)
        if follow is None:
            raise TutorError("result_gone")
        job = train_job(spec, lang, more)
        result = await follow(job, job_id, learner=str(learner), on_progress=on_progress)
        if not isinstance(result, TrainOutcome):
            raise TypeError(f"{job.target} returned {type(result).__name__}, not TrainOutcome")
        return result

    async def animate(
        self,
        spec: TrainSpec,
        *,
        learner: str | int,
        server: str | int | None = None,
        on_queued: QueuedCallback | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Animation:
        """`spec`'s run learning, as an animated GIF."""
        return await self._run(animate_job(spec), Animation, learner, server, on_queued, on_progress)

    async def units(
        self,
        spec: TrainSpec,
        lang: str,
        *,
        learner: str | int,
        server: str | int | None = None,
        on_queued: QueuedCallback | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Drawing:
        """`spec`'s run trained again, each unit of its first hidden layer as a panel of one picture."""
        job = units_job(spec, lang)
        return await self._run(job, Drawing, learner, server, on_queued, on_progress)

    async def compare(
        self,
        spec: CompareSpec,
        lang: str,
        *,
        learner: str | int,
        server: str | int | None = None,
        on_queued: QueuedCallback | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> CompareOutcome:
        """Compare the optimizers of `spec`: every run, the table, the chart and the script."""
        job = compare_job(spec, lang)
        return await self._run(job, CompareOutcome, learner, server, on_queued, on_progress)

    async def compare_setting(
        self,
        spec: VarySpec,
        lang: str,
        *,
        learner: str | int,
        server: str | int | None = None,
        on_queued: QueuedCallback | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> SettingOutcome:
        """Compare the values of `spec`'s one setting: a run per value, the table and the chart."""
        job = compare_setting_job(spec, lang)
        return await self._run(job, SettingOutcome, learner, server, on_queued, on_progress)

    async def sweep(
        self,
        spec: TrainSpec,
        lang: str,
        rates: Sequence[float] | None = None,
        *,
        learner: str | int,
        server: str | int | None = None,
        on_queued: QueuedCallback | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> SweepOutcome:
        """Train `spec` at several learning rates: each run's verdict, one line per rate, the chart."""
        job = sweep_job(spec, lang, rates)
        return await self._run(job, SweepOutcome, learner, server, on_queued, on_progress)

    async def backprop(
        self,
        options: Mapping[str, Any],
        lang: str,
        *,
        learner: str | int,
        server: str | int | None = None,
        on_queued: QueuedCallback | None = None,
    ) -> WalkthroughOutcome:
        """The backprop walkthrough with real numbers (refusals come back with their codes)."""
        return await self._run(backprop_job(options, lang), WalkthroughOutcome, learner, server, on_queued)

    async def activation(
        self,
        name: str | None,
        lang: str,
        *,
        learner: str | int,
        server: str | int | None = None,
        on_queued: QueuedCallback | None = None,
    ) -> Drawing:
        """One activation function with its gradient (None: all four)."""
        return await self._run(activation_job(name, lang), Drawing, learner, server, on_queued)

    async def lesson_figure(
        self,
        name: str,
        lang: str,
        *,
        learner: str | int,
        server: str | int | None = None,
        on_queued: QueuedCallback | None = None,
    ) -> Drawing:
        """A lesson's teaching figure by name."""
        return await self._run(lesson_figure_job(name, lang), Drawing, learner, server, on_queued)

    async def progress_chart(
        self,
        series: ProgressSeries,
        lang: str,
        *,
        learner: str | int,
        server: str | int | None = None,
        on_queued: QueuedCallback | None = None,
    ) -> Drawing:
        """A learner's 30-day XP and accuracy chart."""
        return await self._run(progress_chart_job(series, lang), Drawing, learner, server, on_queued)

    async def class_heatmap(
        self,
        data: Mapping[str, Any],
        *,
        learner: str | int,
        server: str | int | None = None,
        on_queued: QueuedCallback | None = None,
    ) -> Drawing:
        """A class's mastery heat map, learners × lessons."""
        return await self._run(class_heatmap_job(data), Drawing, learner, server, on_queued)

    async def diagram(
        self,
        spec: TrainSpec | CompareSpec,
        lang: str,
        *,
        learner: str | int,
        server: str | int | None = None,
        on_queued: QueuedCallback | None = None,
    ) -> Drawing:
        """A drawing of the network `spec` trains."""
        return await self._run(diagram_job(spec, lang), Drawing, learner, server, on_queued)
