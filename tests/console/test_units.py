"""`/units CODE` in the console: the run's hidden units saved as a picture with its caption; the run it
names offers the command under itself; no units to draw is refused in the learner's language."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

from bot.core.tutor import Tutor
from bot.training.executor import Job
from bot.training.replay import replay_code
from bot.training.spec import make_spec
from tests.console.conftest import Session


class InProcess:
    """Runs each job's worker entry point in this process (the console tests start no workers)."""

    def __init__(self) -> None:
        self.targets: list[str] = []

    async def submit(self, job: Job, **_: Any) -> Any:
        self.targets.append(job.target)
        module, _, name = job.target.partition(":")
        return getattr(importlib.import_module(module), name)(**job.kwargs)

    async def close(self) -> None:
        """Nothing to stop."""


async def test_units_saves_the_hidden_units_picture(session: Session, tutor: Tutor, tmp_path: Path) -> None:
    pool = InProcess()
    tutor.pool = pool  # type: ignore[assignment]
    code = replay_code(make_spec("moons", epochs=40))
    said = await session.say(f"/units {code}")
    assert pool.targets == ["bot.training.worker.tasks:units"]
    assert "Each panel is one unit of the first hidden layer (8 of 8)" in said
    saved = re.search(r"(\S+hidden_units\.png)", said)
    assert saved is not None and Path(saved.group(1)).read_bytes()[:4] == b"\x89PNG"


async def test_a_run_offers_units_and_says_its_confusion_matrix(session: Session, tutor: Tutor) -> None:
    tutor.pool = InProcess()  # type: ignore[assignment]
    said = await session.say("/train moons adam epochs 40")
    code = replay_code(make_spec("moons", epochs=40))
    assert f"/units {code} (Show units)" in said
    assert "Confusion matrix on the 50 held-out test points" in said
    assert "true\\pred" in said and "```" not in said  # the table as text, not markdown


async def test_a_run_without_units_offers_none_and_units_is_refused(session: Session, tutor: Tutor) -> None:
    pool = InProcess()
    tutor.pool = pool  # type: ignore[assignment]
    assert "/units" not in await session.say("/train linear sgd epochs 20")
    said = await session.say(f"/units {replay_code(make_spec('linear', 'sgd', epochs=20))}")
    assert "⚠️" in said and "2-D classification" in said
    assert pool.targets == ["bot.training.worker.tasks:train"]  # refused before anything was queued


async def test_units_refusal_in_hindi(start_session: Any, tutor: Tutor) -> None:
    tutor.pool = InProcess()  # type: ignore[assignment]
    session = await start_session("hi")
    said = await session.say(f"/units {replay_code(make_spec('gauss', model='perceptron', epochs=20))}")
    assert "Perceptron में कोई hidden layer नहीं होती" in said
