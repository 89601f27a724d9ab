"""Settings from the environment (and an optional .env file): one instance, built on first use."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.paths import CONTENT_DIR


class Settings(BaseSettings):
    """Every setting of the tutor. `.env.example` documents the same names."""

    model_config = SettingsConfigDict(env_prefix="TUTOR_", env_file=".env", extra="ignore")

    discord_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("DISCORD_TOKEN", "TUTOR_DISCORD_TOKEN"),
        description=(
            "Bot token from the Discord developer portal; without it `python -m bot` opens the console."
        ),
    )
    database_url: str = Field(
        default="sqlite+aiosqlite:///./data/tutor.db",
        validation_alias=AliasChoices("DATABASE_URL", "TUTOR_DATABASE_URL"),
        description="SQLAlchemy async URL: sqlite+aiosqlite:///path or postgresql+asyncpg://user:pass@host/db.",
    )
    dev_guild: int | None = Field(
        default=None, description="Sync slash commands to this guild only (instant), instead of globally."
    )
    default_language: Literal["hi", "en", "both"] = Field(
        default="en",
        description="Language for learners who chose none and whose Discord locale is not Hindi.",
    )
    content_dir: Path = Field(default=CONTENT_DIR, description="Folder with lessons/, quizzes/, strings/.")
    out_dir: Path = Field(default=Path("out"), description="Where the console writes pictures.")
    log_level: str = Field(default="INFO", description="Python logging level.")
    heartbeat_file: Path = Field(
        default=Path("data/heartbeat.json"),
        description="The Discord bot rewrites this file while connected; `python -m bot health` checks it.",
    )
    training_workers: int = Field(
        default=2, ge=1, le=16, description="Worker processes for training jobs (one per core is right)."
    )
    picture_workers: int = Field(
        default=1,
        ge=0,
        le=4,
        description=(
            "Worker processes that only draw (lesson figures, charts, diagrams), so a picture never waits "
            "behind training; 0 lets pictures go first on the training workers instead."
        ),
    )
    training_queue_seconds: float = Field(
        default=60.0,
        gt=0,
        le=3600,
        description=(
            "Estimated worker-seconds of jobs that may wait for a worker (`queue_full` beyond); 30 default "
            "XOR, moons or circles runs are about 10 s."
        ),
    )
    training_learner_queue: int = Field(
        default=2, ge=0, le=20, description="Jobs a learner may have waiting besides the one running."
    )
    training_batch_size: int = Field(
        default=8,
        ge=1,
        le=64,
        description="Most compatible training jobs that run as one batched worker call (1: no batching).",
    )
    training_budget_seconds: float = Field(
        default=20.0,
        gt=0,
        le=3600,
        description="Worker-seconds of training a learner may use per budget window (`compute_budget`).",
    )
    training_budget_window_seconds: float = Field(
        default=60.0, gt=0, le=86400, description="The sliding window the training budget counts over."
    )
    training_min_charge_seconds: float = Field(
        default=1.0,
        ge=0,
        le=60,
        description="Least a training job is charged, so a flood of tiny jobs reaches the budget too.",
    )
    training_timeout_seconds: float = Field(
        default=60.0,
        gt=0,
        le=600,
        description="Wall-time limit per training job; a runaway worker is replaced.",
    )
    training_wait_seconds: float = Field(
        default=300.0,
        gt=0,
        le=3600,
        description="Longest a job waits in line for a worker before it is refused as `wait_too_long`.",
    )
    broker_url: str | None = Field(
        default=None,
        description=(
            "Redis URL of the job queue (redis://host:6379/0): set, the bot, the console and the CLI send "
            "training to `python -m bot worker` processes (on this machine or others) and start no local "
            "workers; unset: the local warm pool."
        ),
    )

    metrics_port: int | None = Field(
        default=None,
        ge=0,
        le=65535,
        description=(
            "Serve Prometheus metrics (every series tutor_…) on /metrics at this port while the Discord "
            "bot runs; unset: nothing is served."
        ),
    )
    metrics_address: str = Field(
        default="127.0.0.1",
        description="The address /metrics listens on (0.0.0.0 to let another machine scrape it).",
    )

    shard_count: int | None = Field(
        default=None,
        ge=1,
        description=(
            "Gateway shards of the whole bot, across every process; unset: Discord's recommended count, "
            "all run by this process."
        ),
    )
    shard_ids: Annotated[list[int] | None, NoDecode] = Field(
        default=None,
        description=(
            "The shards this process runs, comma-separated (0,1); needs TUTOR_SHARD_COUNT; unset: all of "
            "them. The process running shard 0 syncs the slash commands."
        ),
    )

    @field_validator("shard_count", mode="before")
    @classmethod
    def _blank_count_is_unset(cls, value: Any) -> Any:
        # `TUTOR_SHARD_COUNT=` in an env file means "not set", as an empty DISCORD_TOKEN= does
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _shard_ids_from_text(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if not value.strip():
            return None
        parts = [part.strip() for part in value.split(",")]
        if not all(_SHARD_NUMBER.fullmatch(part) for part in parts):
            raise ValueError(f"shard numbers separated by commas, like 0,1, were expected (got {value!r})")
        return [int(part) for part in parts]

    @model_validator(mode="after")
    def _shards_agree(self) -> Settings:
        ids = self.shard_ids
        if ids is None:
            return self
        named = ",".join(map(str, ids))
        if self.shard_count is None:
            raise ValueError(
                f"TUTOR_SHARD_IDS={named} needs TUTOR_SHARD_COUNT, the number of shards across all processes"
            )
        if not ids:
            raise ValueError("TUTOR_SHARD_IDS names no shard: leave it unset to run every shard")
        if len(set(ids)) != len(ids):
            raise ValueError(f"TUTOR_SHARD_IDS={named} names a shard twice")
        outside = [shard for shard in ids if not 0 <= shard < self.shard_count]
        if outside:
            raise ValueError(
                f"TUTOR_SHARD_IDS={named} names shard {outside[0]}, but TUTOR_SHARD_COUNT={self.shard_count} "
                f"has shards 0..{self.shard_count - 1}"
            )
        return self

    @property
    def runs_shard_zero(self) -> bool:
        """Whether this process runs shard 0 (every shard when none are named): it syncs the commands."""
        return self.shard_ids is None or 0 in self.shard_ids

    @property
    def has_token(self) -> bool:
        """Whether a Discord token is set: an empty or blank DISCORD_TOKEN= counts as none."""
        return self.discord_token is not None and bool(self.discord_token.get_secret_value().strip())


_SHARD_NUMBER = re.compile(r"[0-9]+")


class SettingsRefused(ValueError):
    """The environment holds a setting the tutor refuses; the message names each, one line apiece."""


def refused_settings(error: ValidationError) -> SettingsRefused:
    """`error` as lines `TUTOR_NAME: problem` (never echoing the value, which may be a secret)."""
    lines = []
    for problem in error.errors(include_input=False, include_url=False):
        message = str(problem["msg"]).removeprefix("Value error, ")
        fields = [str(part) for part in problem["loc"] if isinstance(part, str)]
        lines.append(f"TUTOR_{fields[0].upper()}: {message}" if fields else message)
    return SettingsRefused("refused settings:\n" + "\n".join(f"  {line}" for line in lines))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
