"""/replies private: a learner's runs (their progress too) and quizzes are answered to them alone;
other learners' stay in the channel; /replies public turns it back."""

from __future__ import annotations

import simcord

from tests.cogs.conftest import World


async def test_a_learner_who_asked_gets_private_runs_and_quizzes(world: World, env: simcord.Env) -> None:
    chosen = await world.alice.slash(world.channel, "replies", mode="private")
    assert chosen.ephemeral and "only you see them" in (chosen.response.content or "")  # type: ignore[union-attr]
    run = await world.alice.slash(world.channel, "train", dataset="and", optimizer="sgd", epochs=50)
    assert run.ephemeral  # the placeholder with its progress, then the result
    assert run.response is not None and run.response.embeds[0].title.startswith("mlp 2-8-1")  # type: ignore[union-attr]
    assert run.followups == []
    asked = await world.alice.slash(world.channel, "quiz", topic="neuron", count=1)
    assert asked.ephemeral  # the question, and the feedback that reveals its answer
    other = await world.bob.slash(world.channel, "train", dataset="and", optimizer="sgd", epochs=50)
    assert not other.ephemeral
    await world.alice.slash(world.channel, "replies", mode="public")
    loud = await world.alice.slash(world.channel, "train", dataset="and", optimizer="sgd", epochs=50)
    assert not loud.ephemeral
