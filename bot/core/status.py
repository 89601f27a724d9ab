"""How a use case tells the front door that slow work is starting or waiting (Discord defers and edits
its placeholder; the console shows a spinner or a plain line)."""

from __future__ import annotations

from typing import Protocol


class Status(Protocol):
    """Where a slow use case reports what it is doing; texts are in the learner's language."""

    async def working(self, text: str) -> None:
        """Slow work starts now (a job, a picture): acknowledge the request and show `text`."""

    async def queued(self, text: str, position: int) -> None:
        """The job waits at `position` in the queue."""


class Silent:
    """A status that shows nothing (tests, the CLI)."""

    async def working(self, text: str) -> None:
        """Show nothing."""

    async def queued(self, text: str, position: int) -> None:
        """Show nothing."""
