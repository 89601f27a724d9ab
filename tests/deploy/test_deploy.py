"""Deployment files agree with the code: .env.example vs Settings, docker-compose structure, Dockerfile."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import AliasChoices

from bot.config import Settings
from bot.paths import PROJECT_ROOT

_ASSIGNMENT = re.compile(r"^(?:#\s*)?([A-Z][A-Z0-9_]*)=(.*)$")


def _env_name(name: str) -> str:
    alias = Settings.model_fields[name].validation_alias
    if isinstance(alias, AliasChoices):
        return str(alias.choices[0])
    return f"TUTOR_{name.upper()}"


def _env_example() -> list[str]:
    return (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8").splitlines()


def _documented() -> dict[str, str]:
    """Each variable of .env.example -> the comment block right above it."""
    found: dict[str, str] = {}
    comments: list[str] = []
    for line in _env_example():
        match = _ASSIGNMENT.match(line)
        if match:
            assert match.group(1) not in found, f"{match.group(1)} appears twice in .env.example"
            found[match.group(1)] = " ".join(comments)
            comments = []
        elif line.startswith("#"):
            comments.append(line.lstrip("# ").strip())
        else:
            comments = []
    return found


def test_env_example_documents_every_setting_once() -> None:
    documented = _documented()
    expected = {_env_name(name) for name in Settings.model_fields}
    assert set(documented) == expected


def test_env_example_descriptions_match_the_settings_class() -> None:
    documented = _documented()
    for name, info in Settings.model_fields.items():
        assert info.description, f"Settings.{name} has no description"
        assert info.description in documented[_env_name(name)], name


def test_env_example_values_are_valid_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    values = {}
    for line in _env_example():
        match = _ASSIGNMENT.match(line)
        if match and not line.startswith("#"):
            values[match.group(1)] = match.group(2)
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    settings = Settings()
    assert settings.discord_token is None  # the example must never start Discord by accident
    assert settings.database_url.startswith("sqlite+aiosqlite:///")


def _compose() -> dict[str, Any]:
    data = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_compose_bot_service_keeps_its_data_and_restarts() -> None:
    bot = _compose()["services"]["bot"]
    assert bot["env_file"] == ".env"
    assert "./data:/app/data" in bot["volumes"]
    assert bot["restart"] == "on-failure"
    assert "profiles" not in bot  # the bot starts with a plain `docker compose up`


def test_compose_healthcheck_runs_the_health_command() -> None:
    check = _compose()["services"]["bot"]["healthcheck"]
    assert check["test"] == ["CMD", "python", "-m", "bot", "health"]
    assert {"interval", "timeout", "retries"} <= set(check)


def test_compose_postgres_is_an_optional_profile() -> None:
    compose = _compose()
    postgres = compose["services"]["postgres"]
    assert postgres["profiles"] == ["postgres", "scale"]
    assert postgres["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert "pgdata" in compose["volumes"]
    dependency = compose["services"]["bot"]["depends_on"]["postgres"]
    assert dependency == {"condition": "service_healthy", "required": False}
    # the URL the documentation gives for the profile names that service, user and database
    assert (
        "postgresql+asyncpg://tutor:tutor@postgres:5432/tutor" in (PROJECT_ROOT / ".env.example").read_text()
    )


def test_compose_queue_profile_runs_redis_and_a_worker_of_the_bots_image() -> None:
    services = _compose()["services"]
    redis, worker = services["redis"], services["worker"]
    assert redis["profiles"] == worker["profiles"] == ["queue", "scale"]
    assert redis["image"].startswith("redis:") and "redis-cli" in redis["healthcheck"]["test"]
    assert worker["image"] == services["bot"]["image"] and worker["env_file"] == ".env"
    assert worker["command"][:4] == ["python", "-m", "bot", "worker"]
    assert worker["depends_on"]["redis"]["condition"] == "service_healthy"
    # the URL the compose file's comment gives names that service
    assert "TUTOR_BROKER_URL=redis://redis:6379/0" in (PROJECT_ROOT / "docker-compose.yml").read_text()


def test_compose_scale_profile_runs_two_shards_over_postgres_and_the_queue(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services = _compose()["services"]
    shards = {name: services[name] for name in ("shard-0", "shard-1")}
    seen = []
    for shard in shards.values():
        assert shard["profiles"] == ["scale"] and shard["image"] == services["bot"]["image"]
        assert shard["healthcheck"]["test"] == services["bot"]["healthcheck"]["test"]
        for key, value in shard["environment"].items():  # as compose passes them, interpolated
            monkeypatch.setenv(key, value.replace("${POSTGRES_PASSWORD:-tutor}", "tutor"))
        settings = Settings(_env_file=None)  # type: ignore[call-arg]
        assert settings.database_url == "postgresql+asyncpg://tutor:tutor@postgres:5432/tutor"
        assert (
            settings.broker_url
            == "redis://redis:6379/0"
            == services["worker"]["environment"]["TUTOR_BROKER_URL"]
        )
        assert settings.shard_count == 2
        seen.append((settings.shard_ids, settings.heartbeat_file))
    assert seen[0][0] == [0] and seen[1][0] == [1] and seen[0][1] != seen[1][1]  # a heartbeat file each
    # shard 1 starts once shard 0 is healthy: it has migrated the database and synced the commands
    assert shards["shard-1"]["depends_on"] == {"shard-0": {"condition": "service_healthy"}}
    assert set(shards["shard-0"]["depends_on"]) == {"postgres", "redis"}


def _dockerfile() -> list[str]:
    text = (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_dockerfile_cpu_torch_the_packaged_font_and_a_non_root_user() -> None:
    lines = _dockerfile()
    assert lines[0] == "FROM python:3.11-slim"
    assert any("download.pytorch.org/whl/cpu" in x and "torch==2.13.0" in x for x in lines)
    # Devanagari comes with the package (bot/assets/fonts), so the image needs no system font
    assert "COPY bot ./bot" in lines and not any("fonts-noto" in x for x in lines)
    for weight in ("Regular", "Bold"):
        assert (PROJECT_ROOT / "bot" / "assets" / "fonts" / f"NotoSansDevanagari-{weight}.ttf").is_file()
    assert (PROJECT_ROOT / "bot" / "assets" / "fonts" / "OFL.txt").is_file()
    users = [x.split()[1] for x in lines if x.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")


def test_dockerfile_migrates_then_runs_and_checks_health() -> None:
    lines = _dockerfile()
    cmd = next(x for x in lines if x.startswith("CMD "))
    assert cmd.index("python -m bot db upgrade") < cmd.index("exec python -m bot")
    health = next(x for x in lines if x.startswith("HEALTHCHECK "))
    assert '"python", "-m", "bot", "health"' in health


def test_dockerignore_keeps_secrets_and_data_out_of_the_image() -> None:
    ignored = (PROJECT_ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".env", ".venv", "data/", ".git"} <= set(ignored)


def test_run_script_is_valid_bash_and_starts_the_bot() -> None:
    script = PROJECT_ROOT / "scripts" / "run.sh"
    subprocess.run(["bash", "-n", str(script)], check=True)
    text = script.read_text(encoding="utf-8")
    assert "bash scripts/setup-venv.sh" in text
    assert text.index("setup-venv.sh") < text.index("exec .venv/bin/python -m bot")
    # the bot migrates when behind (bot.db.engine.upgrade_when_behind): a separate `db upgrade` start
    # would only delay the prompt
    assert "db upgrade" not in text


def _readme() -> str:
    return (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_gives_the_two_commands_and_real_pictures() -> None:
    readme = _readme()
    assert "bash scripts/run.sh" in readme and "bash scripts/test.sh" in readme
    for name in ("loss_curve", "decision_boundary"):
        path = PROJECT_ROOT / "docs" / "images" / f"{name}.png"
        assert f"docs/images/{name}.png" in readme
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_readme_quiz_example_is_valid_content() -> None:
    from bot.content.formula import evaluate
    from bot.content.schema import Numeric, QuizBank

    block = _readme().split("# content/quizzes/activation.yaml\n", 1)[1].split("```", 1)[0]
    bank = QuizBank.model_validate(yaml.safe_load(block))
    question = bank.questions[0]
    assert isinstance(question, Numeric)
    assert abs(evaluate(question.formula) - question.answer) <= question.tolerance


def test_readme_invite_lists_scopes_and_permissions() -> None:
    readme = _readme()
    for needed in (
        "`bot`",
        "`applications.commands`",
        "Send Messages",
        "Embed Links",
        "Attach Files",
        "Use Application Commands",
        "Read Message History",
        "Message Content Intent",
    ):
        assert needed in readme, needed
