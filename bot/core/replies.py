"""What a use case returns: plain data each front door only renders (a message with embeds and buttons
in Discord; lines of text and saved pictures in the console).

Texts in a reply are already in the learner's language (the core composed them, 'both' included), so
both front doors say exactly the same words. Markdown is Discord's small subset: **bold**, `code`,
```fences``` and ||spoilers||; the console turns it into terminal text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

Tone = Literal["lesson", "quiz", "success", "failure", "skipped", "teaching", "progress", "info"]
Style = Literal["primary", "secondary", "success", "danger"]
AnswerKind = Literal["choice", "true_false", "number", "text"]


@dataclass(frozen=True)
class Picture:
    """A PNG to show, with its title in the learner's language; saved or attached as `<name>.png`."""

    name: str
    png: bytes
    title: str = ""

    @property
    def filename(self) -> str:
        """The attachment's file name."""
        return f"{self.name}.png"


@dataclass(frozen=True)
class File:
    """A file to hand over (an exported PyTorch script)."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class Field:
    """A short labelled value (final loss, XP …)."""

    name: str
    value: str
    inline: bool = True


@dataclass(frozen=True)
class Card:
    """One block of a reply (a Discord embed): a heading line, title, body, fields, footer, pictures."""

    title: str = ""
    body: str = ""
    heading: str = ""  # a line over the title: the lesson a page belongs to
    fields: tuple[Field, ...] = ()
    footer: str = ""
    pictures: tuple[Picture, ...] = ()  # the first is the card's image; more become cards of their own
    tone: Tone = "info"

    def texts(self) -> list[str]:
        """Every text of the card, in reading order."""
        parts = [self.heading, self.title, self.body, *(t for f in self.fields for t in (f.name, f.value))]
        return [text for text in [*parts, self.footer, *(p.title for p in self.pictures)] if text]


@dataclass(frozen=True)
class MenuOption:
    """One choice of a menu action: what it says and the value it sends (`current`: the one shown)."""

    label: str
    value: int | str
    current: bool = False


@dataclass(frozen=True)
class Action:
    """A button, or with `options` a menu: which use case choosing it runs (`kind`), with which
    arguments, and how it looks (a menu's `label` is its placeholder; the chosen option's value is
    appended to `args`).

    Kinds and their arguments:
    - "lesson.prev" / "lesson.next" / "lesson.lang" (lesson_id, page, lang)   another page, or the same
      page in another language
    - "lesson.open" (lesson_id, page, lang)        another lesson (the next one, at the end of a lesson)
    - "lesson.section" (lesson_id, lang) + page    a menu: jump to a section's first page
    - "quiz.start" (lesson_id,)                    a new quiz on that lesson
    - "quiz.choice" (session_id, number, choice)   an answer button (a-d, t, f) or "skip"
    - "quiz.typed"  (session_id, number)           open the typed-answer box
    - "train.code"  (spec_code,)                   the run as a PyTorch script
    - "train.compare" (spec_code,)                 the same network with every optimizer
    - "train.more" (replay_code, epochs)           the run continued that many epochs further
    - "train.animate" (replay_code,)               the run learning, as an animated GIF
    - "train.units" (replay_code,)                 each hidden unit of the run's first layer, one panel each
    """

    kind: str
    label: str
    args: tuple[str | int, ...] = ()
    style: Style = "primary"
    emoji: str | None = None
    disabled: bool = False
    options: tuple[MenuOption, ...] = ()


@dataclass(frozen=True)
class LessonPlace:
    """The lesson page a reply shows (the console keeps it to turn pages)."""

    lesson_id: str
    page: int  # 0-based
    pages: int


@dataclass(frozen=True)
class QuizPlace:
    """The quiz question a reply asks (the console keeps it to grade the next line it reads)."""

    session_id: int
    number: int  # 1-based position of the question being asked
    answer_kind: AnswerKind


@dataclass(frozen=True)
class OwnThread:
    """Where a learner's long work goes in a server whose replies go to a thread per learner (Discord):
    the thread's `name`; `moved`, what the asker reads where they asked (`{thread}` stands for the
    thread's mention); `refused`, the line above the reply when the bot may not open threads in that
    channel, so the reply stays in the channel and says why."""

    name: str
    moved: str
    refused: str


@dataclass(frozen=True)
class Reply:
    """One answer of the tutor: a line of text, cards, files and buttons.

    `owner` is the learner the buttons belong to; `private` asks the front door to show it only to
    them (Discord: ephemeral); `shared` that the whole class reads it together (a live quiz), so it stays
    public even in a server whose teachers made replies private; `thread` (Discord) that it opens a new
    thread of that name, where the class carries on; `own_thread` that it goes to the learner's own
    thread (opened once per channel, then reused). `expiry_note` is what the message says when its
    buttons time out.
    `lesson` / `quiz` say where the learner now is; `quiz_over` that the quiz has ended.
    `private_cards` come before `cards` and are for the asker alone even when the rest is public (the
    feedback that reveals a quiz question's answer): a front door that shows the reply to others shows
    them to the asker privately (Discord: an ephemeral response), one that shows it to the asker alone
    (the console, a private reply) shows them in place.
    """

    note: str = ""
    private_cards: tuple[Card, ...] = ()
    cards: tuple[Card, ...] = ()
    files: tuple[File, ...] = ()
    actions: tuple[Action, ...] = ()
    private: bool = False
    shared: bool = False
    thread: str = ""
    own_thread: OwnThread | None = None
    owner: int | None = None
    expiry_note: str = ""
    lesson: LessonPlace | None = None
    quiz: QuizPlace | None = None
    quiz_over: bool = False

    def with_note(self, note: str) -> Reply:
        """This reply with `note` above it."""
        return replace(self, note=note)

    def for_asker_alone(self) -> Reply:
        """This reply as the asker alone sees it: private, its private cards in place before the others."""
        return replace(self, private_cards=(), cards=self.all_cards, private=True)

    @property
    def all_cards(self) -> tuple[Card, ...]:
        """The private cards, then the others (reading order)."""
        return (*self.private_cards, *self.cards)

    def texts(self) -> list[str]:
        """Every text of this reply, in reading order (what a learner reads)."""
        labels = [
            text for action in self.actions for text in (action.label, *(o.label for o in action.options))
        ]
        return [
            text for text in [self.note, *(t for c in self.all_cards for t in c.texts()), *labels] if text
        ]

    @property
    def pictures(self) -> tuple[Picture, ...]:
        """Every picture of every card, in order."""
        return tuple(p for card in self.all_cards for p in card.pictures)


def notice(text: str, *, private: bool = False) -> Reply:
    """A reply that is one line of text."""
    return Reply(note=text, private=private)
