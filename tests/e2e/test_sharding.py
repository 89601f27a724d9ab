"""Two real `python -m bot` processes split two shards over the fake Discord.

TUTOR_SHARD_COUNT=2 with TUTOR_SHARD_IDS=0 in one process and =1 in the other: each identifies as its
shard, the fake sends a server's interactions only to the shard that owns the server (a DM to shard 0),
each is answered by the process that received it, and only the process running shard 0 syncs commands.
Both share one SQLite database, as processes of one bot share one in production (a learner is the
same learner whichever shard their server is on); the second starts once the first has migrated it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cogs.bot import gateway_intents
from tests.e2e.bot_process import BotProcess, Server, answer_to
from tests.e2e.fake_discord import APPLICATION_ID, FakeDiscord, dm_interaction, snowflake, user_payload

pytestmark = pytest.mark.slow

SHARDS = 2


def guild_on_shard(shard: int, count: int = SHARDS) -> int:
    """A fresh server id that Discord's rule (guild_id >> 22) % count puts on `shard`."""
    timestamp = int(snowflake()) >> 22
    return (timestamp - timestamp % count + shard) << 22 | 1


def _is_sync(method: str, path: str) -> bool:
    return method == "PUT" and path == f"/applications/{APPLICATION_ID}/commands"


async def test_two_processes_split_the_shards_and_only_shard_zero_syncs(tmp_path: Path) -> None:
    fake = FakeDiscord(shard_count=SHARDS)
    await fake.start()
    token = "FAKE.sharded-bot-token.e2e"  # one bot: every process logs in with the same token
    processes: list[BotProcess] = []
    for shard in range(SHARDS):
        folder = tmp_path / f"shard{shard}"
        folder.mkdir()
        env = {
            "TUTOR_SHARD_COUNT": str(SHARDS),
            "TUTOR_SHARD_IDS": str(shard),
            "TUTOR_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}",  # shared by both
            "TUTOR_PICTURE_WORKERS": "0",  # no pictures here: two workers fewer on a small machine
            "TUTOR_LOG_LEVEL": "DEBUG",  # discord.py then logs each event its shard received
        }
        processes.append(BotProcess(folder, fake=fake, token=token, env=env))
    logs: list[str] = []
    try:
        for process in processes:  # one after the other: the first migrates the shared database
            await process.start()
        for shard in range(SHARDS):
            identify = await fake.wait_identified(shard, timeout=60)
            assert identify["shard"] == [shard, SHARDS]
            assert identify["intents"] == gateway_intents().value

        # a server on each shard, and a DM (shard 0): each interaction reaches one connection only
        servers = [Server(fake, guild_id=guild_on_shard(shard)) for shard in range(SHARDS)]
        tokens: list[str] = []
        for shard, server in enumerate(servers):
            member = server.member(f"learner{shard}")
            before = len(fake.delivered)
            answer = await member.slash("help")
            # both processes name commands by their synced ids (shard 1's read them from Discord)
            quiz_id = next(c["id"] for c in fake.commands["global"] if c["name"] == "quiz")
            assert answer.private and f"</quiz:{quiz_id}>" in answer.text
            (delivered,) = fake.delivered[before:]
            assert delivered[0] == shard and delivered[1] == "INTERACTION_CREATE"
            tokens.append(delivered[2]["token"])
        dm_token = f"tok-{snowflake()}"
        await fake.dispatch("INTERACTION_CREATE", _dm_help(fake, dm_token))
        dm_answer = await answer_to(fake, dm_token)
        assert "/quiz" in dm_answer.text
        assert fake.delivered[-1][0] == 0
    finally:
        for process in reversed(processes):
            logs.insert(0, await process.stop())
        await fake.close()

    # the process that received an interaction is the one that answered it: the other never saw it
    server_zero, server_one = tokens
    assert server_zero in logs[0] and server_zero not in logs[1]
    assert server_one in logs[1] and server_one not in logs[0]
    assert dm_token in logs[0] and dm_token not in logs[1]
    # one sync, from shard 0's process; shard 1's read the commands' ids instead
    assert sum(_is_sync(r.method, r.path) for r in fake.requests) == 1
    assert re.search(r"synced \d+ commands globally", logs[0])
    assert "commands not synced here" in logs[1] and not re.search(r"synced \d+ commands", logs[1])
    assert any(r.method == "GET" and r.path.endswith("/commands") for r in fake.requests)
    for log in logs:
        assert token not in log


def _dm_help(fake: FakeDiscord, token: str) -> dict[str, object]:
    """/help from a learner in a DM with the bot (no server: Discord sends it to shard 0)."""
    synced = next(c for c in fake.commands["global"] if c["name"] == "help")
    data = {"id": synced["id"], "name": "help", "type": 1, "options": []}
    return dm_interaction(2, token, data, user_payload(int(snowflake()), "dm-learner"), int(snowflake()))


def test_a_server_id_lands_on_the_shard_asked_for() -> None:
    for shard in range(SHARDS):
        assert (guild_on_shard(shard) >> 22) % SHARDS == shard
