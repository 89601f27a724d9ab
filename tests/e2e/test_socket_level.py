"""The real `python -m bot` process, a fake token, and a fake Discord API + gateway on 127.0.0.1.

It logs in (REST + IDENTIFY → READY; without shard settings it runs the one shard Discord recommends),
syncs its commands, answers a quiz button click, defers `/train dataset:xor optimizer:adam` and answers
with a multipart follow-up carrying valid PNGs, and never writes its token to the log; in a server,
`/teacher settings` answers a member Discord says has Manage Server (privately) and refuses one who has
not.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.cogs.bot import gateway_intents
from tests.e2e.fake_discord import (
    APPLICATION_ID,
    FakeDiscord,
    Recorded,
    dm_interaction,
    user_payload,
)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(__file__).resolve().parent / "site"
LEARNER_ID = 920_000_000_000_000_001
DM_CHANNEL_ID = 920_000_000_000_000_002
PNG = b"\x89PNG\r\n\x1a\n"
GUILD_ID = 920_000_000_000_000_003
GUILD_CHANNEL_ID = 920_000_000_000_000_004


def _interaction(kind: int, token: str, data: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """An INTERACTION_CREATE payload from the learner in a DM with the bot."""
    return dm_interaction(kind, token, data, user_payload(LEARNER_ID, "learner"), DM_CHANNEL_ID, **extra)


def _command(fake: FakeDiscord, name: str, **options: Any) -> dict[str, Any]:
    synced = next(c for c in fake.commands["global"] if c["name"] == name)
    declared = {o["name"]: o["type"] for o in synced.get("options", [])}
    return {
        "id": synced["id"],
        "name": name,
        "type": 1,
        "options": [{"name": k, "type": declared[k], "value": v} for k, v in options.items()],
    }


def _group_command(fake: FakeDiscord, group: str, name: str) -> dict[str, Any]:
    synced = next(c for c in fake.commands["global"] if c["name"] == group)
    return {
        "id": synced["id"],
        "name": group,
        "type": 1,
        "options": [{"name": name, "type": 1, "options": []}],
    }


def _callback(token: str) -> Any:
    return lambda r: r.path.endswith(f"/{token}/callback")


def _followup(token: str) -> Any:
    return lambda r: r.method == "POST" and r.path == f"/webhooks/{APPLICATION_ID}/{token}"


def _original_edit(token: str) -> Any:
    """The deferred placeholder edited (the status line, then the result)."""
    return lambda r: (
        r.method == "PATCH" and r.path == f"/webhooks/{APPLICATION_ID}/{token}/messages/@original"
    )


async def test_real_process_against_fake_discord(tmp_path: Path) -> None:
    fake = FakeDiscord()
    await fake.start()
    token = f"FAKE.{secrets.token_urlsafe(24)}.e2e"
    env = {
        **os.environ,
        "DISCORD_TOKEN": token,
        "TUTOR_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}",
        "TUTOR_HEARTBEAT_FILE": str(tmp_path / "heartbeat.json"),
        "TUTOR_TRAINING_WORKERS": "1",
        "TUTOR_LOG_LEVEL": "DEBUG",  # the most talkative setting: the token still must not appear
        "TUTOR_TEST_DISCORD_API": fake.api_base,
        "TUTOR_TEST_DISCORD_GATEWAY": fake.gateway_url,
        "PYTHONPATH": os.pathsep.join([str(SITE), str(ROOT)]),
        "MPLBACKEND": "Agg",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output = bytearray()

    async def drain() -> None:
        assert process.stdout is not None
        while chunk := await process.stdout.read(65536):
            output.extend(chunk)

    reader = asyncio.create_task(drain())
    try:
        await asyncio.wait_for(fake.identified.wait(), timeout=240)
        assert fake.identify_payload is not None and fake.identify_payload["token"] == token
        # no shard settings: Discord's recommended count (the fake's one), every shard in this process
        assert fake.identify_payload["shard"] == [0, 1]
        assert any(r.path == "/gateway/bot" for r in fake.requests)
        assert fake.identify_payload["intents"] == gateway_intents().value
        assert {"train", "quiz", "lesson", "help"} <= {c["name"] for c in fake.commands["global"]}
        hindi = next(c for c in fake.commands["global"] if c["name"] == "train")
        assert hindi["name_localizations"]["hi"] == "प्रशिक्षण"

        # /quiz, then a click on its first answer button → the message is updated with feedback
        await fake.dispatch(
            "INTERACTION_CREATE", _interaction(2, "tok-quiz", _command(fake, "quiz", topic="neuron", count=2))
        )
        question = await fake.wait_for(_callback("tok-quiz"), timeout=10)
        components = question.body["data"]["components"]
        # an answer button (A–D, True/False) or, for a typed question, Skip: every question has one
        buttons = [item for row in components for item in row["components"]]
        button = next(b for b in buttons if b["custom_id"].startswith(f"qz:{LEARNER_ID}:"))
        message = fake._message(question.body["data"])
        message["channel_id"] = str(DM_CHANNEL_ID)
        await fake.dispatch(
            "INTERACTION_CREATE",
            _interaction(
                3, "tok-click", {"custom_id": button["custom_id"], "component_type": 2}, message=message
            ),
        )
        answered = await fake.wait_for(_callback("tok-click"), timeout=10)
        assert answered.body["type"] == 7  # UPDATE_MESSAGE: feedback replaces the question
        titles = [e["title"] for e in answered.body["data"]["embeds"]]
        assert titles[0] in ("✅ Correct!", "❌ Not quite.", "⏭️ Skipped.")

        # /train dataset:xor optimizer:adam → deferred, then the placeholder edited into the result with PNGs
        await fake.dispatch(
            "INTERACTION_CREATE",
            _interaction(2, "tok-train", _command(fake, "train", dataset="xor", optimizer="adam")),
        )
        deferred = await fake.wait_for(_callback("tok-train"), timeout=10)
        assert deferred.body["type"] == 5
        posted: Recorded = await fake.wait_for(
            lambda r: _original_edit("tok-train")(r) and r.files, timeout=60
        )
        assert not any(_followup("tok-train")(r) for r in fake.requests)  # one message per run
        assert sorted(posted.files) == ["decision_boundary.png", "loss_curve.png"]
        assert all(data.startswith(PNG) and len(data) > 5000 for data in posted.files.values())
        assert posted.body["embeds"][0]["title"].startswith("mlp 2-8-1 tanh on xor, adam")

        # /teacher settings in a server: Discord says whether the member has Manage Server (0x20)
        for token_name, permissions in (("tok-teach", "32"), ("tok-pupil", "0")):
            member = {
                "user": user_payload(LEARNER_ID, "learner"),
                "roles": [],
                "permissions": permissions,
                "joined_at": "2026-01-01T00:00:00+00:00",
                "deaf": False,
                "mute": False,
                "flags": 0,
            }
            payload = _interaction(
                2,
                token_name,
                _group_command(fake, "teacher", "settings"),
                guild_id=str(GUILD_ID),
                guild_locale="en-US",
                channel_id=str(GUILD_CHANNEL_ID),
                channel={
                    "id": str(GUILD_CHANNEL_ID),
                    "type": 0,
                    "guild_id": str(GUILD_ID),
                    "name": "learn",
                    "position": 0,
                    "permission_overwrites": [],
                    "nsfw": False,
                    "parent_id": None,
                },
                member=member,
                context=0,
            )
            del payload["user"]  # a server's interaction names its member instead
            await fake.dispatch("INTERACTION_CREATE", payload)
        teacher = await fake.wait_for(_callback("tok-teach"), timeout=10)
        assert teacher.body["data"]["flags"] & 64  # ephemeral: only the teacher sees it
        assert teacher.body["data"]["embeds"][0]["title"] == "Settings of this server"
        pupil = await fake.wait_for(_callback("tok-pupil"), timeout=10)
        assert pupil.body["data"]["content"].startswith("Only this server's teachers can do that")
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), timeout=30)
            except TimeoutError:
                process.kill()
                await process.wait()
        await reader
        await fake.close()
    log = output.decode("utf-8", "replace")
    assert "logging in using static token" in log or "connected as" in log, log[-3000:]
    assert token not in log
    for request in fake.requests:  # the token travels only in the Authorization header
        assert token not in str(request.body)
