"""/quiz: answer buttons, immediate feedback, the score, modals, other learners, stale buttons, restarts,
'both' composed per language with the buttons' letters, and counts refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import discord
import pytest
import simcord

from bot.cogs.bot import TutorBot
from bot.cogs.buttons import VIEW_TIMEOUT as QUIZ_VIEW_TIMEOUT
from bot.content.schema import CodeOutput, MultipleChoice, Numeric, TrueFalse
from bot.core.quiz import OPTION_INDENT
from bot.core.tutor import Tutor
from bot.i18n import Bilingual, say, tr
from tests.cogs.conftest import World, custom_ids, embed_text


def _told(clicked: simcord.InteractionResult) -> discord.Embed:
    """The feedback on an answer: the first embed of the one message the answerer alone sees."""
    (private,) = clicked.followups
    assert private.ephemeral
    return private.embeds[0]


async def _question(tutor: Tutor, learner: int) -> Any:
    active = await tutor.quiz.active_session(learner)
    assert active is not None
    return active


def _right_and_wrong(question: Any) -> tuple[str, str]:
    """Labels of a right and a wrong button for a choice question."""
    if isinstance(question, MultipleChoice | CodeOutput):
        wrong = next(o.id for o in question.options if o.id != question.answer)
        return question.answer.upper(), wrong.upper()
    assert isinstance(question, TrueFalse)
    return ("True", "False") if question.answer else ("False", "True")


async def _skip_to(world: World, tutor: Tutor, kinds: tuple[type, ...], longer_than: int = 0) -> Any:
    """Skip questions until one of `kinds` (with a prompt over `longer_than` characters) is current."""
    for _ in range(20):
        qv = await _question(tutor, world.alice.id)
        if isinstance(qv.question, kinds) and len(qv.question.prompt.en) > longer_than:
            return qv
        await world.alice.click(world.last, label="Skip")
    raise AssertionError(f"no question of kinds {kinds}")


async def test_right_answer_gets_feedback_and_next_question(world: World, tutor: Tutor) -> None:
    result = await world.alice.slash(world.channel, "quiz", topic="neuron", count=20)
    assert result.response is not None and "Question 1/" in (result.response.embeds[0].footer.text or "")
    qv = await _skip_to(world, tutor, (MultipleChoice, CodeOutput, TrueFalse))
    right, _ = _right_and_wrong(qv.question)
    feedback = _told(await world.alice.click(world.last, label=right))
    (following,) = world.last.embeds
    assert feedback.title == "✅ Correct!"
    assert feedback.description  # the explanation
    assert f"Question {qv.number + 1}/" in (following.footer.text or "")


async def test_wrong_answer_shows_the_right_one_and_the_score_at_the_end(world: World, tutor: Tutor) -> None:
    await world.alice.slash(world.channel, "quiz", topic="neuron", count=1)
    qv = await _question(tutor, world.alice.id)
    if isinstance(qv.question, MultipleChoice | CodeOutput | TrueFalse):
        feedback = _told(await world.alice.click(world.last, label=_right_and_wrong(qv.question)[1]))
        (final,) = world.last.embeds
        assert feedback.title == "❌ Not quite."
        assert "Right answer:" in (feedback.description or "")
    else:
        feedback = _told(await world.alice.click(world.last, label="Skip"))
        (final,) = world.last.embeds
        assert feedback.title == "⏭️ Skipped."
    assert (final.title or "").startswith("Quiz finished: 0/1")
    assert world.last.components == []


def _answer_field(modal: dict[str, Any] | None) -> str:
    """The custom id of the typed-answer box's text field (inside its label)."""
    assert modal is not None
    labelled = [c for c in modal["components"] if c["type"] == 18]  # 18: a label around a control
    assert len(labelled) == 1
    return str(labelled[0]["component"]["custom_id"])


async def test_numeric_answer_through_a_modal(world: World, tutor: Tutor) -> None:
    await world.alice.slash(world.channel, "quiz", topic="activation", count=20)
    qv = await _skip_to(world, tutor, (Numeric,))
    shown = await world.alice.click(world.last, label="Answer")
    assert shown.modal is not None
    answered = await world.alice.submit_modal(shown, {_answer_field(shown.modal): f"{qv.question.answer}"})
    assert _told(answered).title == "✅ Correct!"


async def test_the_answer_box_shows_the_whole_question(world: World, tutor: Tutor) -> None:
    await world.alice.slash(world.channel, "quiz", topic="activation", count=20)
    qv = await _skip_to(world, tutor, (Numeric,), longer_than=45)  # longer than a field label carries
    shown = await world.alice.click(world.last, label="Answer")
    assert shown.modal is not None
    texts = [c["content"] for c in shown.modal["components"] if c["type"] == 10]  # 10: a text display
    assert texts == [qv.question.prompt.en]
    assert len(qv.question.prompt.en) > 45  # longer than a field label could carry


async def test_the_answer_box_in_hindi_shows_the_hindi_question(
    world: World, tutor: Tutor, locales: dict[int, str]
) -> None:
    locales[world.alice.id] = "hi"
    await world.alice.slash(world.channel, "quiz", topic="activation", count=20)
    qv = await _skip_to_hindi(world, tutor)
    shown = await world.alice.click(world.last, label="उत्तर दें")
    assert shown.modal is not None
    assert shown.modal["title"] == "आपका उत्तर"
    texts = [c["content"] for c in shown.modal["components"] if c["type"] == 10]
    assert texts == [qv.question.prompt.hi]


async def _skip_to_hindi(world: World, tutor: Tutor) -> Any:
    for _ in range(20):
        qv = await _question(tutor, world.alice.id)
        if isinstance(qv.question, Numeric):
            return qv
        await world.alice.click(world.last, label="छोड़ें")
    raise AssertionError("no numeric question")


async def test_an_answer_box_opened_before_a_restart_is_answered_after_it(
    world: World, env: simcord.Env, tutor: Tutor
) -> None:
    await world.alice.slash(world.channel, "quiz", topic="activation", count=20)
    qv = await _skip_to(world, tutor, (Numeric,))
    shown = await world.alice.click(world.last, label="Answer")
    await env.restart_bot(TutorBot(tutor))
    answered = await world.alice.submit_modal(shown, {_answer_field(shown.modal): f"{qv.question.answer}"})
    assert _told(answered).title == "✅ Correct!"
    assert (await _question(tutor, world.alice.id)).number == qv.number + 1


async def test_malformed_typed_answer_is_refused_and_nothing_recorded(world: World, tutor: Tutor) -> None:
    await world.alice.slash(world.channel, "quiz", topic="activation", count=20)
    qv = await _skip_to(world, tutor, (Numeric,))
    shown = await world.alice.click(world.last, label="Answer")
    refused = await world.alice.submit_modal(shown, {_answer_field(shown.modal): "banana"})
    assert refused.ephemeral
    assert (await _question(tutor, world.alice.id)).number == qv.number


async def test_other_learner_cannot_answer(world: World, tutor: Tutor) -> None:
    result = await world.alice.slash(world.channel, "quiz", topic="neuron", count=3)
    assert result.response is not None
    click = await world.bob.click(result.response, label="Skip")
    assert click.ephemeral and click.response is not None
    assert "someone else" in (click.response.content or "")
    assert (await _question(tutor, world.alice.id)).number == 1


async def test_stale_button_says_so(world: World, tutor: Tutor) -> None:
    first = await world.alice.slash(world.channel, "quiz", topic="neuron", count=3)
    await world.alice.slash(world.channel, "quiz", topic="perceptron", count=3)  # replaces the first quiz
    assert first.response is not None
    click = await world.alice.click(first.response, label="Skip")
    assert click.ephemeral and click.response is not None
    assert "no longer works" in (click.response.content or "")


async def test_buttons_work_after_a_restart(world: World, env: simcord.Env, tutor: Tutor) -> None:
    result = await world.alice.slash(world.channel, "quiz", topic="neuron", count=3)
    assert result.response is not None
    await env.restart_bot(TutorBot(tutor))
    assert _told(await world.alice.click(result.response, label="Skip")).title == "⏭️ Skipped."
    assert (await _question(tutor, world.alice.id)).number == 2


async def test_quiz_buttons_time_out_visibly_and_quiz_resumes(
    world: World, env: simcord.Env, tutor: Tutor
) -> None:
    await world.alice.slash(world.channel, "quiz", topic="neuron", count=3)
    await world.alice.click(world.last, label="Skip")
    await env.advance_time(QUIZ_VIEW_TIMEOUT + 1)
    assert "/quiz" in (world.last.content or "")
    resumed = await world.alice.slash(world.channel, "quiz")
    assert resumed.response is not None
    assert "Question 2/3" in (resumed.response.embeds[0].footer.text or "")
    assert all(
        i.startswith(f"qz:{world.alice.id}:") or i.startswith("qm:")
        for i in custom_ids(resumed.response.components)
    )


# ---- 'both': each language's line whole, letters as on the buttons --------------------------------


def _bilingual_choice(question: Any) -> bool:
    return isinstance(question, MultipleChoice) and all(
        isinstance(o.text, Bilingual) and o.text.hi != o.text.en for o in question.options
    )


async def _skip_until(world: World, tutor: Tutor, wanted: Callable[[Any], bool], skip: str) -> Any:
    """Alice skips questions until one `wanted` is current; returns that question."""
    for _ in range(20):
        active = await tutor.quiz.active_session(world.alice.id)
        assert active is not None
        if wanted(active.question):
            return active.question
        await world.alice.click(world.last, label=skip)
    raise AssertionError("no such question in the quiz")


async def test_both_composes_each_language_whole_with_button_letters(world: World, tutor: Tutor) -> None:
    chosen = await world.alice.slash(world.channel, "language", name="both")
    assert chosen.response is not None
    assert chosen.response.content == "भाषा चुनी गई: हिंदी + अंग्रेज़ी।\nLanguage set: Hindi + English."
    await world.alice.slash(world.channel, "quiz", topic="neuron", count=20)
    question = await _skip_until(world, tutor, _bilingual_choice, "छोड़ें")
    assert isinstance(question, MultipleChoice)
    shown = world.last.embeds[-1]
    assert "\n" not in (shown.title or "") and (shown.title or "").endswith("पर Quiz")
    body = (shown.description or "").split("\n")
    for option in question.options:
        assert isinstance(option.text, Bilingual)
        head = body.index(f"**{option.id.upper()}**) {option.text.hi.splitlines()[0]}")
        assert body[head + 1] == OPTION_INDENT + option.text.en.splitlines()[0]

    wrong = next(o for o in question.options if o.id != question.answer)
    right = next(o for o in question.options if o.id == question.answer)
    assert isinstance(right.text, Bilingual)
    lines = (_told(await world.alice.click(world.last, label=wrong.id.upper())).description or "").split("\n")
    letter = right.id.upper()
    hindi = lines.index(f"सही उत्तर: **{letter}**) {right.text.hi.splitlines()[0]}")
    english = lines.index(f"Right answer: **{letter}**) {right.text.en.splitlines()[0]}")
    assert hindi < english
    assert not any("सही उत्तर" in line and "Right answer" in line for line in lines)


async def test_right_answer_letter_matches_the_buttons_in_english(world: World, tutor: Tutor) -> None:
    await world.alice.slash(world.channel, "quiz", topic="neuron", count=20)
    question = await _skip_until(world, tutor, lambda q: isinstance(q, MultipleChoice), "Skip")
    assert isinstance(question, MultipleChoice)
    buttons = [c.label for row in world.last.components for c in row.children]  # type: ignore[union-attr]
    assert question.answer.upper() in buttons
    wrong = next(o.id for o in question.options if o.id != question.answer)
    told = _told(await world.alice.click(world.last, label=wrong.upper())).description or ""
    assert f"Right answer: **{question.answer.upper()}**) " in told
    assert f"Right answer: {question.answer}) " not in told  # not the core's lower-case letter


# ---- the number of questions ---------------------------------------------------------------------


async def test_quiz_count_outside_the_range_is_refused(world: World, env: simcord.Env, tutor: Tutor) -> None:
    for count in (0, 21):  # Discord itself refuses a slash option outside its range
        with pytest.raises(simcord.SetupError, match="count"):
            await world.alice.slash(world.channel, "quiz", topic="neuron", count=count)
    await world.alice.send(world.channel, f"<@{env.bot.user.id}> quiz me on neuron 50")  # type: ignore[union-attr]
    assert (world.last.content or "").startswith("A quiz has 1 to 20 questions.")
    asked = await world.alice.slash(world.channel, "ask", text="quiz 0")
    assert asked.ephemeral and asked.response is not None
    assert (asked.response.content or "").startswith("A quiz has 1 to 20 questions.")
    assert await tutor.quiz.active_session(world.alice.id) is None  # nothing was started
    assert [getattr(e.__cause__, "code", None) for e in env.errors] == ["quiz_bad_count"]


# ---- a quiet channel: the feedback that reveals an answer is the answerer's alone ----------------


def _label(key: str, lang: str) -> str:
    return tr(key).pick(lang, one_line=True)


def _seen_by(world: World, viewer: simcord.MemberActor) -> str:
    """Everything `viewer` can read in #learn: contents and embeds of the messages shown to them."""
    messages = world.channel.history(viewer=viewer)
    return "\n".join(
        [m.content or "" for m in messages] + [embed_text(e) for m in messages for e in m.embeds]
    )


@pytest.mark.parametrize("lang", ["en", "hi"])
async def test_another_member_never_sees_the_answer_the_answerer_sees_it_privately(
    world: World, tutor: Tutor, locales: dict[int, str], lang: str
) -> None:
    if lang == "hi":
        locales[world.alice.id] = "hi"
    skip = _label("quiz.skip_button", lang)
    await world.alice.slash(world.channel, "quiz", topic="neuron", count=3)
    right_answer = say("quiz.right_answer", lang, answer="").strip()
    explanations: list[str] = []
    for number in (1, 2, 3):
        question = (await _question(tutor, world.alice.id)).question
        choice = isinstance(question, MultipleChoice | CodeOutput | TrueFalse)
        label = (
            _right_and_wrong(question)[1] if choice else skip
        )  # a wrong pick (or a skip) is told the answer
        if isinstance(question, TrueFalse):
            label = _label("quiz.true" if label == "True" else "quiz.false", lang)
        clicked = await world.alice.click(world.last, label=label)
        told = _told(clicked)  # to alice alone: what was right and why
        explanation = question.explanation.pick(lang)
        assert right_answer in (told.description or "") and explanation in (told.description or "")
        explanations.append(explanation)
        public = world.last  # the quiz message: the next question or the score, nothing of the answer
        assert public.embeds and right_answer not in embed_text(public.embeds[0])
        if number < 3:
            assert f"{number + 1}/3" in (public.embeds[0].footer.text or "")
    bob_sees, alice_sees = _seen_by(world, world.bob), _seen_by(world, world.alice)
    assert right_answer not in bob_sees
    assert not any(explanation in bob_sees for explanation in explanations)
    assert right_answer in alice_sees and all(explanation in alice_sees for explanation in explanations)
    final = world.last.embeds[0].title or ""
    finished = tr("quiz.finished_xp", score=0, total=3, xp=0).pick(lang, one_line=True).split(":")[0]
    assert final.startswith(finished) and final in bob_sees  # the score is the channel's to see


@pytest.mark.parametrize("chosen_by", ["learner", "server"])
async def test_private_replies_get_the_feedback_in_the_quiz_message(
    world: World, env: simcord.Env, chosen_by: str
) -> None:
    if chosen_by == "learner":
        await world.alice.slash(world.channel, "replies", mode="private")
    else:  # the server's teacher made every reply private
        staff = world.guild.create_role("staff", permissions=discord.Permissions(manage_guild=True))
        teacher = world.guild.add_member(env.create_user("sir"), roles=[staff])
        await teacher.slash(world.channel, "teacher settings", replies="private")
    asked = await world.alice.slash(world.channel, "quiz", topic="neuron", count=2)
    assert asked.ephemeral and asked.response is not None
    skipped = await world.alice.click(asked.response.message, label="Skip")
    assert skipped.followups == []  # one private message: the feedback, then the next question
    assert skipped.response is not None and skipped.response.ephemeral
    feedback, following = skipped.response.embeds
    assert feedback.title == "⏭️ Skipped." and "Question 2/2" in (following.footer.text or "")
    assert world.channel.history(viewer=world.bob) == []


async def test_in_a_dm_the_feedback_replaces_the_question_in_one_message(env: simcord.Env) -> None:
    # Only the learner reads a DM: the answer needs no separate private message there.
    learner = env.create_user("ravi")
    asked = await learner.slash("quiz", topic="neuron", count=2)
    assert asked.response is not None
    skipped = await learner.click(asked.response.message, label="Skip")
    assert skipped.followups == []
    assert skipped.response is not None
    feedback, following = skipped.response.embeds
    assert feedback.title == "⏭️ Skipped." and "Question 2/2" in (following.footer.text or "")
