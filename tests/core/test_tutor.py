"""The Tutor's process-wide start-up: what start-up built is frozen out of later garbage collections."""

from __future__ import annotations

import gc
import weakref

from bot.core.tutor import Tutor, freeze_start_up_objects


class _Cycle:
    """An object in a reference cycle: only the garbage collector frees it."""

    def __init__(self) -> None:
        self.me = self


async def test_start_up_objects_are_frozen_and_garbage_made_later_is_still_collected(tutor: Tutor) -> None:
    before = gc.get_freeze_count()
    try:
        freeze_start_up_objects()
        assert gc.get_freeze_count() > before  # the tutor's content, engine and services among them
        later = _Cycle()
        gone = weakref.ref(later)
        del later
        gc.collect()
        assert gone() is None
    finally:
        gc.unfreeze()  # the other tests' objects are theirs to collect
