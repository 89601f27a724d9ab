"""How a use case tells the front door that slow work is starting, waiting or running (Discord defers and
edits its placeholder; the console shows one updating line or a few plain lines)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from bot.core.replies import Action

Stage = Literal["starting", "queued", "warming", "running"]


@dataclass(frozen=True)
class JobReport:
    """Where a learner's job is, as they read it: `title` names the job, `line` says where it is (the queue
    place, the workers' warm-up, a progress bar); `fraction` of the work done while it runs; `cancel` is the
    button that stops it."""

    stage: Stage
    title: str
    line: str = ""
    fraction: float | None = None
    cancel: Action | None = None

    @property
    def text(self) -> str:
        """The title, then the line under it."""
        return f"{self.title}\n{self.line}" if self.line else self.title


class Status(Protocol):
    """Where a slow use case reports what it is doing; texts are in the learner's language."""

    async def working(self, text: str) -> None:
        """Slow work starts now (a picture, a walkthrough): acknowledge the request and show `text`."""

    async def progress(self, report: JobReport) -> None:
        """A job's latest state, in place of the one shown before (acknowledging the request first)."""

    async def finished(self) -> None:
        """The job is over (answered, refused or cancelled): show none of its progress any more."""


@runtime_checkable
class Answerable(Protocol):
    """A status whose request another bot process can still answer once this one stops."""

    def address(self) -> Mapping[str, str] | None:
        """Where the answer goes, for that process (Discord: the application id and the interaction's
        token, a secret), or None when no other process can answer there."""


class Silent:
    """A status that shows nothing (tests, the CLI)."""

    async def working(self, text: str) -> None:
        """Show nothing."""

    async def progress(self, report: JobReport) -> None:
        """Show nothing."""

    async def finished(self) -> None:
        """Nothing to clear."""
