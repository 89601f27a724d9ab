"""What a worker job gives back: plain, frozen, picklable data (no torch, no matplotlib).

Worker entry points return these; `bot.training.jobs.Jobs` hands them to the front doors unchanged.
Texts are `Bilingual` (both languages, so a front door picks), pictures are PNG bytes with a title,
and `contract()` gives the CLI's JSON object with the keys of `python -m bot train/compare --json`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.i18n import Bilingual, join, tr
from bot.training.replay import replay_code
from bot.training.spec import CompareSpec, TrainSpec, VarySpec


@dataclass(frozen=True)
class Picture:
    """One picture: a file-name stem ("loss_curve"), its PNG bytes and the title shown above it."""

    name: str
    png: bytes
    title: Bilingual

    @classmethod
    def named(cls, name: str, png: bytes) -> Picture:
        """A picture titled by its name (`picture.name_<name, - as _>` in content/strings/picture.yaml)."""
        return cls(name, png, tr(f"picture.name_{name.replace('-', '_')}"))

    def __repr__(self) -> str:
        return f"Picture({self.name!r}, {len(self.png)} bytes)"


@dataclass(frozen=True)
class Progress:
    """How far a running job is: `done` of `total` steps (epochs) and the latest loss, once there is one."""

    done: int
    total: int
    loss: float | None = None

    @property
    def fraction(self) -> float:
        """The share of the job done, 0 to 1."""
        return 0.0 if self.total <= 0 else min(1.0, self.done / self.total)


@dataclass(frozen=True)
class Drawing:
    """A job that only draws: a lesson figure, an activation, a progress chart, a network diagram."""

    pictures: tuple[Picture, ...]


@dataclass(frozen=True)
class RunNote:
    """One explanation of a run, with a stable code (see bot.training.worker.explain for the codes)."""

    code: str
    text: Bilingual

    def contract(self) -> dict[str, str]:
        """The note as the CLI prints it: {"code", "en", "hi"}."""
        return {"code": self.code, "en": self.text.en, "hi": self.text.hi}


@dataclass(frozen=True)
class Confusion:
    """A classifier's counts of (true class, predicted class) on the points that were counted."""

    on: str  # "test": the held-out points; "train": the training points (nothing was held out)
    matrix: tuple[tuple[int, ...], ...]  # matrix[true][predicted]

    @property
    def total(self) -> int:
        """How many points were counted (the size of the test set, or of the training set)."""
        return sum(sum(row) for row in self.matrix)

    @property
    def correct(self) -> int:
        """The points on the diagonal: predicted as their own class."""
        return sum(row[i] for i, row in enumerate(self.matrix))

    def table(self) -> str:
        """The matrix as aligned text: a row per true class, a column per predicted class (ASCII only)."""
        classes = [str(i) for i in range(len(self.matrix))]
        corner = "true\\pred"
        width = max(len(str(self.total)), *(len(c) for c in classes)) + 2
        lines = [corner + "".join(c.rjust(width) for c in classes)]
        for name, row in zip(classes, self.matrix, strict=True):
            lines.append(name.ljust(len(corner)) + "".join(str(n).rjust(width) for n in row))
        return "\n".join(lines)

    def text(self, lang: str, fenced: bool = True) -> str:
        """The matrix under the sentence that says on which points it counts (fenced: a code block)."""
        key = "train.confusion_on_test" if self.on == "test" else "train.confusion_on_train"
        table = f"```\n{self.table()}\n```" if fenced else self.table()
        return f"{tr(key, count=self.total).pick(lang)}\n{table}"

    def contract(self) -> dict[str, Any]:
        """The CLI's `confusion`: {"on": "test"|"train", "matrix": [[...]], "total": n}."""
        return {"on": self.on, "matrix": [list(row) for row in self.matrix], "total": self.total}


class _Curves:
    """What every trained run reports from its curves: the last loss and the accuracy that counts."""

    train_losses: tuple[float, ...]
    train_accuracy: float | None
    test_accuracy: float | None

    @property
    def final_loss(self) -> float:
        """The last recorded training loss."""
        return self.train_losses[-1]

    @property
    def accuracy(self) -> float | None:
        """Test accuracy when points were held out, else training accuracy; None for regression."""
        return self.test_accuracy if self.test_accuracy is not None else self.train_accuracy

    @property
    def epochs_run(self) -> int:
        """Epochs actually trained (fewer than asked when the run diverged)."""
        return len(self.train_losses)


@dataclass(frozen=True)
class RunResult(_Curves):
    """One training run: the loss per epoch, accuracy, whether (and why) it diverged, how long it took."""

    train_losses: tuple[float, ...]  # loss on the training set, before each epoch's update
    test_losses: tuple[float, ...] | None  # same on held-out points; None when nothing was held out
    train_accuracy: float | None  # fraction correct after training; None for regression
    test_accuracy: float | None
    diverged: bool
    diverged_at: int | None  # 1-based epoch where the loss blew up
    seconds: float  # what the learner waits for: training and, in a job, drawing
    train_seconds: float  # training alone
    notes: tuple[RunNote, ...] = ()  # why it diverged, crawled or cannot work
    collapsed: bool = False  # a classifier that ended at chance probability for every point
    confusion: Confusion | None = None  # classification only: on the test points, else the training ones

    @property
    def explanation(self) -> Bilingual | None:
        """Every note as one text per language (paragraphs), or None when there is nothing to explain."""
        if not self.notes:
            return None
        return join((note.text for note in self.notes), "\n\n")

    def explanation_in(self, lang: str) -> str | None:
        """Every note in `lang`, one paragraph each ('both': each note in Hindi, then in English)."""
        return "\n\n".join(note.text.pick(lang) for note in self.notes) if self.notes else None

    def contract(self, lang: str) -> dict[str, Any]:
        """The `result` object of `python -m bot train --json` (`explanation` in `lang`)."""
        explanation = self.explanation
        return {
            "final_loss": self.final_loss,
            "accuracy": self.accuracy,
            "diverged": self.diverged,
            "epochs_run": self.epochs_run,
            "seconds": self.seconds,
            "train_accuracy": self.train_accuracy,
            "test_accuracy": self.test_accuracy,
            "diverged_at": self.diverged_at,
            "explanation_en": None if explanation is None else explanation.en,
            "explanation_hi": None if explanation is None else explanation.hi,
            "notes": [note.contract() for note in self.notes],
            "collapsed": self.collapsed,
            "train_losses": list(self.train_losses),
            "test_losses": None if self.test_losses is None else list(self.test_losses),
            "explanation": self.explanation_in(lang),
            "train_seconds": self.train_seconds,
            "confusion": None if self.confusion is None else self.confusion.contract(),
        }


@dataclass(frozen=True)
class TrainOutcome:
    """A finished training job: the spec, its result, the loss curve and boundary (or fitted line)."""

    spec: TrainSpec
    result: RunResult
    pictures: tuple[Picture, ...]

    @property
    def explanation(self) -> Bilingual | None:
        """Why the run turned out as it did, in both languages, or None."""
        return self.result.explanation

    @property
    def replay(self) -> str | None:
        """The code that reproduces this run exactly (`python -m bot train --replay CODE`); None for a run
        on a learner's own points, which no short code can carry."""
        return None if self.spec.data is not None else replay_code(self.spec)

    def contract(self, lang: str) -> dict[str, Any]:
        """The `result` object of `python -m bot train --json`, with the run's `replay` code (or null)."""
        return {**self.result.contract(lang), "replay": self.replay}


@dataclass(frozen=True)
class Animation:
    """A run learning, as an animated GIF: its boundary (or fitted line) at `epochs`, one frame each."""

    spec: TrainSpec
    gif: bytes
    epochs: tuple[int, ...]  # the epoch each frame shows, from 0 to the last trained
    seconds: float

    def __repr__(self) -> str:
        return f"Animation({len(self.epochs)} frames, {len(self.gif)} bytes)"


@dataclass(frozen=True)
class OptimizerRun(_Curves):
    """One optimizer's (or one learning rate's) part of runs trained together from the same start."""

    optimizer: str
    lr: float
    train_losses: tuple[float, ...]
    test_losses: tuple[float, ...] | None
    train_accuracy: float | None
    test_accuracy: float | None
    diverged: bool
    diverged_at: int | None
    epochs_to_target: int | None  # first epoch whose loss is at or below the target; None if never

    def contract(self) -> dict[str, Any]:
        """Plain data for JSON (a run of `python -m bot compare --json`)."""
        return {
            "optimizer": self.optimizer,
            "lr": self.lr,
            "final_loss": self.final_loss,
            "accuracy": self.accuracy,
            "diverged": self.diverged,
            "epochs_run": self.epochs_run,
            "epochs_to_target": self.epochs_to_target,
            "diverged_at": self.diverged_at,
            "train_accuracy": self.train_accuracy,
            "test_accuracy": self.test_accuracy,
            "train_losses": list(self.train_losses),
            "test_losses": None if self.test_losses is None else list(self.test_losses),
        }


def best_run(runs: tuple[OptimizerRun, ...]) -> OptimizerRun:
    """The run that got lowest (diverged runs last)."""
    return min(runs, key=lambda r: (r.diverged, r.final_loss))


@dataclass(frozen=True)
class CompareOutcome:
    """A finished comparison: every optimizer's run, the table as text, the chart and the script."""

    spec: CompareSpec
    runs: tuple[OptimizerRun, ...]
    target_loss: float  # the loss the table counts "epochs to" (90 % below the start)
    start_loss: float
    seconds: float  # training and drawing: what the learner waits for
    table: Bilingual  # final loss, accuracy, epochs to the target: aligned text, one table per language
    pictures: tuple[Picture, ...]
    code: str  # the PyTorch script that reproduces the comparison

    @property
    def best(self) -> str:
        """The optimizer that got lowest (diverged runs last)."""
        return best_run(self.runs).optimizer

    def contract(self) -> dict[str, Any]:
        """The `result` object of `python -m bot compare --json`: the contract's keys are the best run's."""
        best = best_run(self.runs)
        return {
            "final_loss": best.final_loss,
            "accuracy": best.accuracy,
            "diverged": best.diverged,
            "epochs_run": best.epochs_run,
            "seconds": self.seconds,
            "target_loss": self.target_loss,
            "start_loss": self.start_loss,
            "best": best.optimizer,
            "runs": {run.optimizer: run.contract() for run in self.runs},
        }


@dataclass(frozen=True)
class SettingRun(_Curves):
    """One value's run of a comparison of one setting (an activation, hidden widths or a learning rate)."""

    value: Any  # as in VarySpec.values (hidden widths as a tuple)
    label: str  # the value as a learner reads it ('relu', '2-8', '0.01')
    train_losses: tuple[float, ...]
    test_losses: tuple[float, ...] | None
    train_accuracy: float | None
    test_accuracy: float | None
    diverged: bool
    diverged_at: int | None

    def contract(self, field: str) -> dict[str, Any]:
        """One entry of `runs` in `python -m bot compare --json`: the value under the setting's name."""
        return {
            field: list(self.value) if isinstance(self.value, tuple) else self.value,
            "final_loss": self.final_loss,
            "accuracy": self.accuracy,
            "diverged": self.diverged,
            "epochs_run": self.epochs_run,
            "diverged_at": self.diverged_at,
            "train_accuracy": self.train_accuracy,
            "test_accuracy": self.test_accuracy,
            "train_losses": list(self.train_losses),
        }


@dataclass(frozen=True)
class SettingOutcome:
    """A finished comparison of one setting: one run per value, the table as text and the chart."""

    spec: VarySpec
    runs: tuple[SettingRun, ...]
    table: Bilingual  # value, final loss, accuracy: aligned text, one table per language
    pictures: tuple[Picture, ...]
    seconds: float  # training and drawing: what the learner waits for

    def contract(self) -> list[dict[str, Any]]:
        """The `runs` list of `python -m bot compare --json`, in the order of the spec's values."""
        return [run.contract(self.spec.vary) for run in self.runs]


@dataclass(frozen=True)
class SweepRun:
    """One learning rate's run and what it shows: 'slow', 'good', 'overshooting' or 'diverged'."""

    run: OptimizerRun
    verdict: str

    def contract(self) -> dict[str, Any]:
        """Plain data: the run's numbers plus its verdict."""
        return {**self.run.contract(), "verdict": self.verdict}


@dataclass(frozen=True)
class SweepOutcome:
    """One problem trained at several learning rates: each run's verdict, one line per rate, the chart."""

    spec: TrainSpec
    runs: tuple[SweepRun, ...]
    lines: Bilingual  # one line per rate, in each language
    pictures: tuple[Picture, ...]
    seconds: float


@dataclass(frozen=True)
class WalkthroughOutcome:
    """The backprop walkthrough: its numbers (the JSON of `python -m bot backprop --json`) and its text."""

    data: dict[str, Any]
    text: Bilingual  # the walkthrough's lines in each language
    pictures: tuple[Picture, ...] = ()
