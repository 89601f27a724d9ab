"""Lessons: open one (or resume where the learner stopped), turn its pages, jump to a section, switch
its language; the last page leads on to the lesson's quiz and the next lesson.

Every page shown is recorded (the last page completes the lesson), so resume and progress follow the
learner in both front doors. A lesson read to its end does not "resume" on that last page: /lesson alone
goes on to the next lesson not yet finished.
"""

from __future__ import annotations

from bot.chat import lookup
from bot.content.pages import Page, lesson_pages
from bot.content.schema import Lesson
from bot.core import pictures
from bot.core.learners import Learner
from bot.core.numbers import clip
from bot.core.replies import Action, Card, LessonPlace, MenuOption, Picture, Reply, notice
from bot.core.status import Status
from bot.core.tutor import Tutor
from bot.errors import InvalidRequest, NotFound
from bot.i18n import Lang, say, tr

# the language the pager's language button switches to
OTHER_LANGUAGE: dict[str, Lang] = {"en": "hi", "hi": "en", "both": "en"}
TOPIC_SHOWN = 60  # characters of what the learner typed, quoted back in a refusal
MENU_LABEL_MAX = 100  # a menu option's label (Discord's limit)


def lesson_names(tutor: Tutor) -> str:
    """What a learner can type to open a lesson: "1 neuron, 2 perceptron, …"."""
    return ", ".join(f"{lesson.order} {lesson.id}" for lesson in tutor.catalog.lessons)


def find_lesson(tutor: Tutor, topic: str) -> Lesson:
    """The lesson a learner means; NotFound quoting (a short piece of) what they typed, with the list."""
    lesson = lookup.find_lesson(tutor.catalog, topic)
    if lesson is None:
        raise NotFound("lesson_not_found", topic=clip(topic, TOPIC_SHOWN), lessons=lesson_names(tutor))
    return lesson


def lesson_list(tutor: Tutor, learner: Learner) -> Reply:
    """Every lesson in teaching order."""
    lines = [f"**{lesson.order}.** {lesson.title.pick(learner.lang)}" for lesson in tutor.catalog.lessons]
    title = say("lesson.list_title", learner.lang)
    return Reply(cards=(Card(title=title, body="\n".join(lines), tone="lesson"),))


def following_lesson(tutor: Tutor, lesson: Lesson) -> Lesson | None:
    """The lesson after `lesson` in teaching order (None after the last one)."""
    order = tutor.catalog.lessons
    at = next(i for i, known in enumerate(order) if known.id == lesson.id)
    return order[at + 1] if at + 1 < len(order) else None


async def _next_to_read(tutor: Tutor, learner: Learner, finished: Lesson) -> Lesson | None:
    """After `finished`: the first lesson not yet completed, looking past it first, then from the start."""
    states = await tutor.progress.lessons(learner.id)
    order = list(tutor.catalog.lessons)
    at = next(i for i, known in enumerate(order) if known.id == finished.id)
    for lesson in order[at + 1 :] + order[:at]:
        state = states.get(lesson.id)
        if state is None or not state.completed:
            return lesson
    return None


async def open_lesson(tutor: Tutor, learner: Learner, topic: str | None, status: Status) -> Reply:
    """A lesson by topic or number at its first page; without one, the lesson read last at the page
    last read (said so), the next unfinished lesson when that one was read to its end, or the list of
    lessons for a learner who has read none (or has finished them all)."""
    if topic:
        return await show_page(tutor, learner, find_lesson(tutor, topic).id, 0, status)
    last = await tutor.progress.last_read(learner.id)
    known = {lesson.id for lesson in tutor.catalog.lessons}
    if last is None or last[0] not in known:  # never read, or a reload removed the lesson
        return lesson_list(tutor, learner)
    lesson = tutor.catalog.lesson(last[0])
    total = len(lesson_pages(lesson, learner.lang))
    page = _clamp(last[1], total)
    if page == total - 1:  # read to the end: going back to its last page would be a dead end
        following = await _next_to_read(tutor, learner, lesson)
        if following is None:
            return lesson_list(tutor, learner).with_note(say("lesson.finished_all", learner.lang))
        reply = await show_page(tutor, learner, following.id, 0, status)
        note = tr(
            "lesson.finished_next",
            order=lesson.order,
            title=lesson.title,
            next_order=following.order,
            next_title=following.title,
        )
        return reply.with_note(note.pick(learner.lang))
    reply = await show_page(tutor, learner, lesson.id, page, status)
    note = tr("lesson.resume", order=lesson.order, title=lesson.title, page=page + 1)
    return reply.with_note(note.pick(learner.lang))


async def show_page(tutor: Tutor, learner: Learner, lesson_id: str, page: int, status: Status) -> Reply:
    """Page `page` (0-based) of a lesson in the learner's language, with its figure; recorded as read."""
    try:
        lesson = tutor.catalog.lesson(lesson_id)
    except NotFound:  # an old button after a reload removed the lesson
        raise InvalidRequest("stale_button") from None
    pages = lesson_pages(lesson, learner.lang)
    page = _clamp(page, len(pages))
    shown = pages[page]
    png = None
    if shown.figure is not None:
        png = await pictures.lesson_figure(tutor, shown.figure, learner.lang, learner.id, status)
    await _record(tutor, learner, lesson, page, len(pages))
    return _page_reply(tutor, learner, lesson, pages, shown, png)


def section_page(tutor: Tutor, learner: Learner, lesson_id: str, number: int) -> int:
    """The page (0-based) where part `number` of a lesson starts: 1 the overview, then each section, the
    summary last (as the section menu lists them); InvalidRequest "no_such_section" outside them."""
    try:
        lesson = tutor.catalog.lesson(lesson_id)
    except NotFound:
        raise InvalidRequest("stale_button") from None
    starts = [page.index for page in lesson_pages(lesson, learner.lang) if not page.continued]
    if not 1 <= number <= len(starts):
        raise InvalidRequest("no_such_section", asked=number, count=len(starts))
    return starts[number - 1]


async def jump_to_section(tutor: Tutor, learner: Learner, number: int, status: Status) -> Reply:
    """Part `number` of the lesson the learner reads (1: the overview, then the sections, the summary)."""
    last = await tutor.progress.last_read(learner.id)
    if last is None or last[0] not in {lesson.id for lesson in tutor.catalog.lessons}:
        raise InvalidRequest("no_open_lesson")
    page = section_page(tutor, learner, last[0], number)
    return await show_page(tutor, learner, last[0], page, status)


async def turn_page(tutor: Tutor, learner: Learner, step: int, status: Status) -> Reply:
    """The next (`step` 1) or previous (-1) page of the lesson the learner reads; a note at either end."""
    last = await tutor.progress.last_read(learner.id)
    if last is None or last[0] not in {lesson.id for lesson in tutor.catalog.lessons}:
        raise InvalidRequest("no_open_lesson")
    lesson_id, page = last
    pages = len(lesson_pages(tutor.catalog.lesson(lesson_id), learner.lang))
    target = _clamp(page, pages) + step
    if target >= pages:
        return notice(say("lesson.end", learner.lang, lesson=lesson_id))
    if target < 0:
        return notice(say("lesson.start", learner.lang))
    return await show_page(tutor, learner, lesson_id, target, status)


def _clamp(page: int, total: int) -> int:
    return max(0, min(page, total - 1))


async def _record(tutor: Tutor, learner: Learner, lesson: Lesson, page: int, total: int) -> None:
    """Remember the page read; the last page completes the lesson (XP: each page once, completion once)."""
    where = learner.guild_id
    state = await tutor.progress.record_page(learner.id, lesson.id, page, learner.name, guild_id=where)
    if page >= total - 1 and not state.completed:
        await tutor.progress.complete_lesson(learner.id, lesson.id, learner.name, guild_id=where)


def _section_menu(lesson: Lesson, pages: list[Page], page: Page, lang: Lang) -> Action:
    """A menu of the lesson's parts (overview, sections, summary), the one this page belongs to marked."""
    starts = [shown for shown in pages if not shown.continued]
    here = max(start.index for start in starts if start.index <= page.index)
    options = tuple(
        MenuOption(clip(start.title, MENU_LABEL_MAX), start.index, current=start.index == here)
        for start in starts
    )
    placeholder = tr("lesson.jump_to_section").pick(lang, one_line=True)
    return Action("lesson.section", placeholder, (lesson.id, lang), "secondary", "📑", options=options)


def _end_actions(tutor: Tutor, lesson: Lesson, lang: Lang) -> tuple[Action, ...]:
    """What the last page leads on to: the lesson's quiz and the next lesson."""
    actions: list[Action] = []
    try:
        has_quiz = bool(tutor.catalog.quiz(lesson.id).questions)
    except NotFound:
        has_quiz = False
    if has_quiz:
        label = tr("lesson.quiz_this_lesson").pick(lang, one_line=True)
        actions.append(Action("quiz.start", label, (lesson.id,), "success", "📝"))
    following = following_lesson(tutor, lesson)
    if following is not None:
        label = tr("lesson.next_lesson", order=following.order).pick(lang, one_line=True)
        actions.append(Action("lesson.open", label, (following.id, 0, lang), "primary", "⏭️"))
    return tuple(actions)


def _page_reply(
    tutor: Tutor, learner: Learner, lesson: Lesson, pages: list[Page], page: Page, png: bytes | None
) -> Reply:
    lang = learner.lang
    title = lesson.title
    heading = f"{lesson.order}. {f'{title.hi} / {title.en}' if lang == 'both' else title.pick(lang)}"
    footer = tr("common.page", page=page.number, pages=page.total).pick(lang, one_line=True)
    shown: tuple[Picture, ...] = ()
    if page.figure is not None and png is not None:
        shown = (Picture(page.figure, png),)
    elif page.figure is not None:
        footer = f"{footer}\n{tr('lesson.figure_unavailable').pick(lang, one_line=True)}"
    card = Card(
        title=page.title,
        body=page.body,
        heading="" if page.title == heading else heading,  # the first page's title is the lesson's own
        footer=footer,
        pictures=shown,
        tone="lesson",
    )
    last = page.total - 1
    label = {key: tr(key).pick(lang, one_line=True) for key in ("common.previous", "common.next")}
    actions = (
        Action(
            "lesson.prev",
            label["common.previous"],
            (lesson.id, max(page.index - 1, 0), lang),
            "primary",
            "◀️",
            disabled=page.index == 0,
        ),
        Action(
            "lesson.next",
            label["common.next"],
            (lesson.id, min(page.index + 1, last), lang),
            "primary",
            "▶️",
            disabled=page.index == last,
        ),
        Action(
            "lesson.lang",
            tr("lesson.toggle_language").pick(lang, one_line=True),
            (lesson.id, page.index, OTHER_LANGUAGE[lang]),
            "secondary",
            "🌐",
        ),
        *(_end_actions(tutor, lesson, lang) if page.index == last else ()),
        _section_menu(lesson, pages, page, lang),
    )
    return Reply(
        cards=(card,),
        actions=actions,
        owner=learner.id,
        expiry_note=tr("common.timed_out").pick(lang),
        lesson=LessonPlace(lesson.id, page.index, page.total),
    )
