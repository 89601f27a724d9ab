"""`Jobs`: every use case builds a plain-data job for a worker entry point and returns its typed result."""

from __future__ import annotations

import importlib
import pickle
from typing import Any

import pytest

from bot.errors import InvalidRequest
from bot.i18n import Bilingual
from bot.training import jobs as jobs_module
from bot.training.executor import ALLOWED_PREFIXES, Job, QueuedCallback
from bot.training.jobs import Jobs, training_pool
from bot.training.results import (
    Animation,
    CompareOutcome,
    Drawing,
    Picture,
    SettingOutcome,
    SweepOutcome,
    TrainOutcome,
    WalkthroughOutcome,
)
from bot.training.spec import make_compare_spec, make_spec, make_vary_spec


class InProcess:
    """An executor that runs each job's function right here and remembers what it was sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[Job, str]] = []

    async def submit(
        self,
        job: Job,
        *,
        learner: str,
        server: str | None = None,
        on_queued: QueuedCallback | None = None,
        on_progress: Any = None,
    ) -> Any:
        self.sent.append((job, learner))
        pickle.dumps(job.kwargs)  # what crosses the pipe is plain data
        module, _, name = job.target.partition(":")
        result = getattr(importlib.import_module(module), name)(**job.kwargs)
        assert pickle.loads(pickle.dumps(result)) == result  # and what comes back survives the pipe
        return result


def _titled(pictures: tuple[Picture, ...]) -> list[str]:
    assert pictures and all(p.png[:4] == b"\x89PNG" for p in pictures)
    assert all(p.title.en and p.title.hi for p in pictures)
    return [p.name for p in pictures]


async def test_every_use_case_returns_its_typed_result() -> None:
    executor = InProcess()
    run = Jobs(executor)
    trained = await run.train(make_spec(epochs=20), "hi", learner=7)
    assert isinstance(trained, TrainOutcome) and trained.spec == make_spec(epochs=20)
    assert _titled(trained.pictures) == ["loss_curve", "decision_boundary"]
    continued = await run.train(make_spec(epochs=20), "en", learner=7, more=30)
    assert continued.spec == make_spec(epochs=50) and continued.result.epochs_run == 50
    animated = await run.animate(make_spec(epochs=40), learner=7)
    assert isinstance(animated, Animation) and animated.gif[:4] == b"GIF8" and animated.epochs[-1] == 40
    compared = await run.compare(make_compare_spec("xor", ["sgd", "adam"], epochs=50), "en", learner=7)
    assert isinstance(compared, CompareOutcome) and compared.best in ("sgd", "adam")
    assert _titled(compared.pictures) == ["optimizers"] and "torch.optim.Adam" in compared.code
    setting = make_vary_spec("activation", ["relu", "tanh"], epochs=30)
    varied = await run.compare_setting(setting, "hi", learner=7)
    assert isinstance(varied, SettingOutcome) and [r.value for r in varied.runs] == ["relu", "tanh"]
    assert _titled(varied.pictures) == ["setting_compare"]
    swept = await run.sweep(make_spec("xor", "sgd", epochs=50), "en", [0.1, 1.0], learner=7)
    assert isinstance(swept, SweepOutcome) and [r.run.lr for r in swept.runs] == [0.1, 1.0]
    walk = await run.backprop({"network": "2-2-1"}, "en", learner=7)
    assert isinstance(walk, WalkthroughOutcome) and walk.data["agreement"]["max_abs_diff"] < 1e-9
    drawings = [
        await run.activation("relu", "en", learner=7),
        await run.activation(None, "en", learner=7),
        await run.lesson_figure("training-loop", "hi", learner=7),
        await run.progress_chart({"days": ["2025-03-01"], "xp": [10]}, "en", learner=7),
        await run.diagram(make_spec("spiral"), "en", learner=7),
    ]
    assert all(isinstance(d, Drawing) for d in drawings)
    assert [_titled(d.pictures) for d in drawings] == [
        ["activation_relu"],
        ["activations"],
        ["training-loop"],
        ["progress"],
        ["network"],
    ]
    assert {learner for _, learner in executor.sent} == {"7"}
    assert all(job.target.startswith(ALLOWED_PREFIXES) for job, _ in executor.sent)


def test_jobs_py_names_every_worker_entry_point_that_exists() -> None:
    from bot.training.worker import tasks

    targets = [v for k, v in vars(jobs_module).items() if k.isupper() and isinstance(v, str) and ":" in v]
    assert (
        len(targets) == 14
    )  # 9, the class heat map, the batched train, the animation, one setting compared, the hidden units
    for target in targets:
        module, _, name = target.partition(":")
        assert module == tasks.__name__ and callable(getattr(tasks, name)), target


async def test_a_result_of_the_wrong_type_is_a_clear_error() -> None:
    class Wrong:
        async def submit(
            self,
            job: Job,
            *,
            learner: str,
            server: str | None = None,
            on_queued: QueuedCallback | None = None,
            on_progress: Any = None,
        ) -> Any:
            return {"images": []}  # an untyped dict, as jobs returned before

    with pytest.raises(TypeError, match="not Drawing"):
        await Jobs(Wrong()).lesson_figure("training-loop", "en", learner=1)


async def test_through_the_warm_pool_results_are_typed_and_refusals_keep_code_and_text() -> None:
    with pytest.raises(InvalidRequest) as here:
        make_spec(activation="swishh")
    async with training_pool(workers=1, timeout_seconds=120, picture_workers=0) as pool:
        run = Jobs(pool)
        outcome = await run.train(make_spec(epochs=30), "both", learner="asha")
        assert isinstance(outcome, TrainOutcome) and outcome.result.epochs_run == 30
        with pytest.raises(InvalidRequest) as there:
            await run.activation("swishh", "hi", learner="asha")  # refused inside the worker
    assert there.value.code == here.value.code == "unknown_activation"
    assert isinstance(there.value.text, Bilingual)
    assert there.value.text == here.value.text


def test_own_points_batch_only_with_the_same_points() -> None:
    from bot.training.custom_data import parse_points
    from bot.training.jobs import train_batch_key
    from bot.training.spec import make_spec

    mine = make_spec(data=parse_points("0 0 0; 1 1 0; 0 1 1; 1 0 1"))
    same = make_spec(optimizer="sgd", data=parse_points("0 0 0; 1 1 0; 0 1 1; 1 0 1"), seed=3)
    other = make_spec(data=parse_points("0 0 0; 1 1 0; 0 1 1; 1 0.5 1"))
    xor = make_spec("xor")
    assert train_batch_key(mine, "en") == train_batch_key(same, "en")
    assert train_batch_key(mine, "en") != train_batch_key(other, "en")
    assert train_batch_key(mine, "en") != train_batch_key(xor, "en")
    job = jobs_module.train_job(mine, "en")
    assert pickle.loads(pickle.dumps(job.kwargs)) == job.kwargs  # plain data to the worker
    assert job.kwargs["spec"]["data"]["points"][3] == [1.0, 0.0, 1.0]
