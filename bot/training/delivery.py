"""A job's pending delivery: what another bot process needs to finish a use case whose asker's process
stopped (bot/training/handover.py keeps them in Redis). Plain data, no Redis here: the core builds one."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

BEAT_SECONDS = 1.0  # how often a bot process says it is alive (bot/training/handover.py)
DEAD_SECONDS = 5.0  # an owner not heard from for this long is gone: its deliveries may be taken


@dataclass(frozen=True)
class Delivery:
    """A job's pending delivery: whose it is, what to finish, and where to answer (`address`)."""

    job_id: str
    kind: str  # "train": the run resumes; "lost": its learner reads result_gone (see core resume_delivery)
    learner_id: int
    name: str
    guild_id: int | None
    lang: str
    private: bool
    spec: str  # bot.core.training.encode_spec
    more: int = 0
    address: Mapping[str, str] = field(default_factory=dict, repr=False)  # holds the token: never shown
    owner: str = ""

    def fields(self) -> dict[str, str]:
        """The record as a Redis hash."""
        data = {
            "kind": self.kind,
            "learner_id": self.learner_id,
            "name": self.name,
            "guild_id": self.guild_id,
            "lang": self.lang,
            "private": self.private,
            "spec": self.spec,
            "more": self.more,
            "address": dict(self.address),
        }
        return {"owner": self.owner, "data": json.dumps(data)}

    @classmethod
    def from_fields(cls, job_id: str, stored: Mapping[bytes, bytes]) -> Delivery:
        """The record read back from its hash."""
        data = json.loads(stored[b"data"])
        guild = data["guild_id"]
        return cls(
            job_id=job_id,
            kind=str(data["kind"]),
            learner_id=int(data["learner_id"]),
            name=str(data["name"]),
            guild_id=None if guild is None else int(guild),
            lang=str(data["lang"]),
            private=bool(data["private"]),
            spec=str(data["spec"]),
            more=int(data["more"]),
            address={str(k): str(v) for k, v in data["address"].items()},
            owner=stored.get(b"owner", b"").decode(),
        )
