"""A job's progress in the console: on a pipe a few plain lines (the job, its queue place, each quarter),
on a terminal one line redrawn in place (cut to the terminal's width) and cleared before the answer."""

from __future__ import annotations

import asyncio
import io

from bot.console.session import TerminalStatus
from bot.content.pages import display_width
from bot.core.replies import Action
from bot.core.status import JobReport

CANCEL = Action("train.cancel", "Cancel", (0,), "danger")


def _reports(steps: int) -> list[JobReport]:
    title = "⚙️ Training `xor`…"
    return [
        JobReport("starting", title, cancel=CANCEL),
        JobReport("queued", title, "⏳ Queued: position 2.", cancel=CANCEL),
        JobReport("queued", title, "⏳ Queued: position 2.", cancel=CANCEL),
        *(
            JobReport("running", title, f"{step}/{steps}", step / steps, CANCEL)
            for step in range(1, steps + 1)
        ),
    ]


async def test_a_pipe_gets_the_job_its_queue_place_and_each_quarter_once() -> None:
    out = io.StringIO()
    status = TerminalStatus(out, tty=False)
    for report in _reports(40):
        await status.progress(report)
    await status.finished()
    assert out.getvalue().splitlines() == [
        "⚙️ Training `xor`…",
        "⏳ Queued: position 2.",
        "10/40",
        "20/40",
        "30/40",
        "40/40",
    ]


async def test_a_terminal_redraws_one_line_that_fits_and_clears_it() -> None:
    out = io.StringIO()
    status = TerminalStatus(out, tty=True, width=40)
    for report in _reports(40):
        await status.progress(report)
        await asyncio.sleep(0)  # the spinner draws
    assert status.text.startswith("40/40 · Ctrl-C: Cancel · ⚙️")  # what a narrow terminal must keep first
    assert (
        status.text.endswith("…") and display_width(status.text) <= 37
    )  # 40 columns: spinner, space, cursor
    await status.finished()
    drawn = out.getvalue()
    assert "\n" not in drawn and drawn.count("\r") >= 2
    assert drawn.endswith("\r\033[K")  # cleared before the answer
