"""/train, /compare and their buttons: deferred, queue position, PNGs, refusals, cooldowns (real pool).

A run is one message: the deferred placeholder shows the status, then is edited into the result."""

from __future__ import annotations

import simcord

from bot.core.tutor import Tutor
from bot.errors import InvalidRequest
from bot.training.scheduler import ComputeBudget
from tests.cogs.conftest import World, callback_types

PNG = b"\x89PNG\r\n\x1a\n"


async def test_train_is_deferred_then_answered_with_figures_and_pngs(world: World, env: simcord.Env) -> None:
    result = await world.alice.slash(world.channel, "train", dataset="xor", optimizer="adam", epochs=300)
    assert callback_types(env) == [5]  # deferred at once
    edits = [e.json for e in env.http_requests if e.method == "PATCH" and isinstance(e.json, dict)]
    assert any("Training" in str(edit.get("content")) for edit in edits)  # the status, in the placeholder
    assert result.followups == []  # one message per run: the placeholder became the result
    posted = world.last
    assert not posted.content  # the status line is gone
    embed = posted.embeds[0]
    assert (embed.title or "").startswith("mlp 2-8-1 tanh on xor, adam")
    assert {f.name for f in embed.fields} >= {"Final loss", "Training accuracy", "Epochs"}
    # XOR holds nothing out: the confusion matrix says it counts the 4 training points
    assert "Confusion matrix on the 4 training points" in (embed.description or "")
    assert "true\\pred" in (embed.description or "")
    names = sorted(a.filename for a in posted.attachments)
    assert names == ["decision_boundary.png", "loss_curve.png"]
    for attachment in posted.attachments:
        assert (await attachment.read()).startswith(PNG)
    assert any(
        i.startswith(f"tr:code:{world.alice.id}:xor;mlp;8;tanh;bce;adam;")
        for i in [child.custom_id for row in posted.components for child in row.children]  # type: ignore[union-attr]
    )


async def test_refused_request_is_private_and_nothing_is_queued(
    world: World, env: simcord.Env, tutor: Tutor
) -> None:
    pool = tutor.pool.pool
    before = dict(pool.counts)
    result = await world.alice.slash(world.channel, "train", dataset="xor", optimizer="adam", hidden="100")
    assert result.ephemeral and callback_types(env) == [4]  # answered at once, never deferred
    assert result.response is not None and "1 to 64 neurons" in (result.response.content or "")
    assert [e.__cause__.code for e in env.errors] == ["too_wide"]  # type: ignore[union-attr]
    assert pool.counts == before  # nothing reached a worker


async def test_refusal_in_hindi_for_a_hindi_client(
    world: World, env: simcord.Env, locales: dict[int, str]
) -> None:
    locales[world.alice.id] = "hi"
    result = await world.alice.slash(world.channel, "train", dataset="xor", optimizer="adam", hidden="100")
    assert result.response is not None and "हर hidden layer" in (result.response.content or "")
    assert isinstance(env.errors[0].__cause__, InvalidRequest)


async def test_compute_budget_per_learner(world: World, env: simcord.Env, tutor: Tutor) -> None:
    scheduler = tutor.pool.pool.scheduler
    scheduler.budget = ComputeBudget(worker_seconds=1.0, window_seconds=600.0, min_charge=1.0)
    try:
        await world.alice.slash(world.channel, "train", dataset="and", optimizer="sgd", epochs=50)
        again = await world.alice.slash(world.channel, "train", dataset="and", optimizer="sgd", epochs=50)
        other = await world.bob.slash(world.channel, "train", dataset="and", optimizer="sgd", epochs=50)
    finally:
        scheduler.budget = None
    # refused by the pool once the reply was deferred: the refusal is what the deferred reply says
    said = [m.content or "" for m in [*([again.response] if again.response else []), *again.followups]]
    assert any("You can train again in" in text for text in said), said
    assert not other.ephemeral and (world.last.embeds[0].title or "").startswith("mlp 2-8-1")
    assert [e.__cause__.code for e in env.errors] == ["compute_budget"]  # type: ignore[union-attr]


async def test_show_code_and_compare_buttons(world: World, env: simcord.Env) -> None:
    await world.alice.slash(world.channel, "train", dataset="xor", optimizer="sgd", epochs=100)
    posted = world.last
    code = await world.alice.click(posted, label="Show code")
    (script,) = code.response.attachments  # type: ignore[union-attr]
    assert script.filename.endswith(".py") and b"torch" in await script.read()
    await world.alice.click(posted, label="Compare optimizers")
    assert callback_types(env)[-1] == 5
    chart = world.last
    assert "sgd vs momentum vs rmsprop vs adam" in (chart.embeds[0].title or "")
    assert [a.filename for a in chart.attachments] == ["optimizers.png"]


async def test_training_buttons_belong_to_their_learner(world: World) -> None:
    await world.alice.slash(world.channel, "train", dataset="xor", optimizer="sgd", epochs=50)
    click = await world.bob.click(world.last, label="Show code")
    assert click.ephemeral and "someone else" in (click.response.content or "")  # type: ignore[union-attr]


async def test_compare_command(world: World, env: simcord.Env) -> None:
    await world.alice.slash(world.channel, "compare", dataset="xor", optimizers="sgd,adam")
    assert callback_types(env) == [5]
    chart = world.last
    assert "sgd vs adam" in (chart.embeds[0].title or "")
    assert "Adam" in (chart.embeds[0].description or "")


async def test_replay_code_in_the_footer_replays_and_plus_500_continues(
    world: World, env: simcord.Env
) -> None:
    await world.alice.slash(world.channel, "train", dataset="xor", optimizer="momentum", epochs=300)
    posted = world.last
    footer = posted.embeds[0].footer.text or ""
    code = footer.split()[2]  # "Replay code: CODE (…)"
    assert code.startswith("01121_8_0.1_300_0_")
    final = {f.name: f.value for f in posted.embeds[0].fields}["Final loss"]
    await world.alice.slash(world.channel, "train", replay=code)
    replayed = world.last
    assert replayed.embeds[0].title == posted.embeds[0].title
    assert {f.name: f.value for f in replayed.embeds[0].fields}["Final loss"] == final
    await world.alice.click(posted, label="+500 epochs")
    longer = world.last
    assert "800 epochs" in (longer.embeds[0].title or "")
    assert {f.name: f.value for f in longer.embeds[0].fields}["Epochs"] == "800"


async def test_a_changed_replay_code_or_one_with_options_is_refused(world: World, env: simcord.Env) -> None:
    bad = await world.alice.slash(world.channel, "train", replay="01122_8_0.1_300_0_zzzz")
    assert bad.ephemeral and "not a replay code" in (bad.response.content or "")  # type: ignore[union-attr]
    mixed = await world.alice.slash(world.channel, "train", replay="01122_8_0.1_300_0_zzzz", epochs=5)
    assert mixed.ephemeral and "alone" in (mixed.response.content or "")  # type: ignore[union-attr]
    assert [e.__cause__.code for e in env.errors] == ["bad_replay_code", "replay_with_options"]  # type: ignore[union-attr]


async def test_animate_button_posts_the_run_learning_as_a_gif(world: World) -> None:
    await world.alice.slash(world.channel, "train", dataset="moons", optimizer="adam", epochs=200)
    await world.alice.click(world.last, label="Animate")
    posted = world.last
    assert [a.filename for a in posted.attachments] == ["training_moons_adam.gif"]
    assert (await posted.attachments[0].read()).startswith(b"GIF8")
    assert "Watch it learn" in (posted.embeds[0].description or "")


async def test_a_setting_comparison_asked_in_a_message(world: World, env: simcord.Env) -> None:
    user = env.bot.user
    assert user is not None
    await world.alice.send(world.channel, f"<@{user.id}> compare 2 4 hidden on xor, 60 epochs")
    posted = world.last
    embed = posted.embeds[0]
    assert (embed.title or "").startswith("hidden 2 vs 4 on xor")
    assert "final loss" in (embed.description or "")
    assert [a.filename for a in posted.attachments] == ["setting_compare.png"]
    assert (await posted.attachments[0].read()).startswith(PNG)
    await world.alice.click(posted, label="Show code")
    script = world.last.attachments[0]
    assert script.filename == "compare_xor_hidden.py"
    assert "final_loss[{value}]" in (await script.read()).decode()


async def test_show_units_button_posts_the_hidden_units(world: World) -> None:
    await world.alice.slash(world.channel, "train", dataset="moons", optimizer="adam", epochs=100)
    run = world.last
    assert "Confusion matrix on the 50 held-out test points" in (run.embeds[0].description or "")
    await world.alice.click(run, label="Show units")
    posted = world.last
    assert [a.filename for a in posted.attachments] == ["hidden_units.png"]
    assert (await posted.attachments[0].read()).startswith(PNG)
    assert "Each panel is one unit of the first hidden layer (8 of 8)" in (posted.embeds[0].description or "")


async def test_a_regression_run_has_no_show_units_button(world: World) -> None:
    await world.alice.slash(world.channel, "train", dataset="linear", optimizer="sgd", epochs=50)
    labels = [child.label for row in world.last.components for child in row.children]  # type: ignore[union-attr]
    assert "Animate" in labels and "Show units" not in labels
