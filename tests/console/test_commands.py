"""The console's command handling, in-process, over a Tutor on a temporary SQLite database."""

from __future__ import annotations

from pathlib import Path

from bot.console.session import LOCAL_LEARNER_ID
from bot.content.schema import MultipleChoice, TrueFalse
from bot.core.learners import identify
from bot.core.tutor import Tutor
from tests.console.conftest import Session


async def test_quit_words_end_the_session(session: Session) -> None:
    for word in ("quit", "exit", "/quit"):
        assert await session.console.handle(word) is False


async def test_blank_lines_are_ignored(session: Session) -> None:
    assert await session.say("   ") == ""


async def test_help_lists_the_commands(session: Session) -> None:
    reply = await session.say("/help")
    for command in ("/lesson", "/quiz", "/review", "/train", "/compare", "/progress", "/leaderboard"):
        assert command in reply


async def test_unknown_command_is_named(session: Session) -> None:
    assert "/frobnicate" in await session.say("/frobnicate now")


async def test_lesson_pages_turn_and_stop_at_the_ends(session: Session, tutor: Tutor) -> None:
    first = await session.say("/lesson 1")
    assert "Page 1/" in first
    assert "This is the first page." in await session.say("/prev")
    assert "Page 2/" in await session.say("/next")
    assert "Page 1/" in await session.say("back")  # free text routed to the previous page
    lessons = await tutor.progress.lessons(LOCAL_LEARNER_ID)
    assert lessons[tutor.catalog.lessons[0].id].page == 1


async def test_unknown_lesson_lists_the_lessons(session: Session, tutor: Tutor) -> None:
    reply = await session.say("/lesson quantum chromodynamics")
    assert "No lesson matches" in reply
    assert tutor.catalog.lessons[0].id in reply


async def test_glossary_and_free_text_questions(session: Session, tutor: Tutor) -> None:
    term = tutor.catalog.find_term("relu")
    assert term is not None
    assert term.definition.en in await session.say("/glossary relu")
    assert term.definition.en in await session.say("relu kya hai?")
    assert "not in the glossary" in await session.say("/glossary zorbulator")


async def test_one_reply_in_hindi_when_the_text_asks_for_it(session: Session, tutor: Tutor) -> None:
    term = tutor.catalog.find_term("relu")
    assert term is not None
    assert term.definition.hi in await session.say("relu kya hai hindi mein")
    assert session.console.lang == "en"  # the stored language did not change


async def test_language_choice_is_stored(session: Session, tutor: Tutor) -> None:
    assert "भाषा चुनी गई: हिंदी" in await session.say("/language hi")
    stored = await tutor.learners.get(LOCAL_LEARNER_ID)
    assert stored is not None and stored.language == "hi"
    assert "Language set: Hindi + English." in await session.say("language both")
    assert (await identify(tutor, LOCAL_LEARNER_ID, "tester")).lang == "both"
    assert "Usage" in await session.say("/language klingon")


async def test_quiz_commands_and_answers(session: Session, tutor: Tutor) -> None:
    reply = await session.say("/quiz neuron 3")
    assert "Question 1/3" in reply
    assert session.console.prompt == "quiz> "
    term = tutor.catalog.find_term("relu")
    assert term is not None
    # a slash line is a command during a quiz
    assert term.definition.en in await session.say("/glossary relu")
    assert "Question 2/3" in await session.say("/skip")
    view = await tutor.quiz.active_session(LOCAL_LEARNER_ID)
    assert view is not None and view.number == 2
    q = view.question
    right = (
        q.answer
        if isinstance(q, MultipleChoice)
        else ("true" if q.answer else "false")
        if isinstance(q, TrueFalse)
        else None
    )
    if right is not None:
        assert "✅ Correct!" in await session.say(str(right))
    else:
        await session.say("/skip")
    stopped = await session.say("/stop")
    assert "Quiz stopped" in stopped
    assert session.console.prompt == "> "
    assert await tutor.quiz.active_session(LOCAL_LEARNER_ID) is None


async def test_a_bad_answer_keeps_the_question(session: Session, tutor: Tutor) -> None:
    await session.say("/quiz neuron 2")
    view = await tutor.quiz.active_session(LOCAL_LEARNER_ID)
    assert view is not None
    if isinstance(view.question, MultipleChoice):
        assert "⚠️" in await session.say("z")
        after = await tutor.quiz.active_session(LOCAL_LEARNER_ID)
        assert after is not None and after.number == view.number


async def test_quiz_on_an_unknown_topic_is_refused(session: Session) -> None:
    assert "No lesson matches" in await session.say("/quiz underwater basket weaving")
    assert session.console.quiz is None


async def test_review_with_nothing_due(session: Session) -> None:
    assert "Nothing is due" in await session.say("/review")


async def test_skipped_question_is_scheduled_for_review(session: Session, tutor: Tutor) -> None:
    await session.say("/quiz neuron 1")
    view = await tutor.quiz.active_session(LOCAL_LEARNER_ID)
    assert view is not None
    done = await session.say("/skip")
    assert "Quiz finished: 0/1" in done
    assert await tutor.review.next_due(LOCAL_LEARNER_ID, view.question.id) is not None


async def test_an_unfinished_quiz_resumes_in_a_new_console(tutor: Tutor, tmp_path: Path) -> None:
    first = Session(tutor, tmp_path)
    await first.console.start()
    await first.say("/quiz neuron 2")
    second = Session(tutor, tmp_path)
    await second.console.start()
    assert "Question 1/2" in second.buffer.getvalue()
    assert second.console.prompt == "quiz> "


async def test_training_refusals_reach_the_learner_in_their_language(session: Session) -> None:
    assert "⚠️" in await session.say("/train xor adam lr 500")
    await session.say("/language hi")
    reply = await session.say("/train xor adam epochs 999999")
    assert "⚠️" in reply
    assert any("\u0900" <= ch <= "\u097f" for ch in reply)


async def test_train_without_a_request_says_how(session: Session) -> None:
    assert "/train xor adam" in await session.say("/train")


async def test_leaderboard_and_progress_read_the_database(session: Session) -> None:
    await session.say("/lesson 1")
    board = await session.say("/leaderboard all")
    assert "tester — " in board and "🥇" in board
    assert "Leaderboard (all time)" in board


async def test_unexpected_errors_do_not_escape(session: Session, tutor: Tutor) -> None:
    # the pool was never started: jobs fail with a domain error that is shown, not raised
    reply = await session.say("/activation relu")
    assert "⚠️" in reply
    assert await session.console.handle("/help")


async def test_free_text_that_means_nothing_gets_a_hint(session: Session) -> None:
    assert "/help" in await session.say("the weather in delhi tomorrow looks quite nice")


async def test_an_unknown_leaderboard_period_is_refused(session: Session) -> None:
    reply = await session.say("/leaderboard year")
    assert "“year”" in reply and "(week)" in reply and "(month)" in reply and "(all)" in reply
    assert "Leaderboard (" not in reply


async def test_unknown_activation_is_refused_in_the_learners_language(session: Session) -> None:
    await session.say("/language hi")
    reply = await session.say("/activation wobble")
    assert "⚠️" in reply and "wobble" in reply and "activation" in reply
    assert any("\u0900" <= ch <= "\u097f" for ch in reply)
    assert "I don't know" not in reply  # no English line for a Hindi learner
