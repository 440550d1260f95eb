"""What the Discord tests share: the servers and people of the fake Discord, a way to start bots
against it, and how a student answers a question shown on the wire. Fixtures live in conftest.py."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from bot.adapters.discord import StudyBot
from bot.content.schema import Question
from bot.core.replies import QuestionRef
from bot.core.selection import option_order
from bot.core.vocabulary import QuestionKind
from bot.service import StudyService
from tests.adapters.discord.fake_discord import Exchange, FakeDiscord, Guild, User

MANAGE_SERVER = 0x20
TEACHERS_ROLE = "340000000000000001"
TUTORS_ROLE = "340000000000000002"  # no Manage Server: teachers only once a server names it (/teacher role)
HISTORY_9B = "320000000000000011"  # a second channel in School A, for scheduled posts
SCHOOL_A = Guild(
    "310000000000000001",
    "School A",
    "320000000000000001",
    channels={HISTORY_9B: "history-9b"},
    roles={TEACHERS_ROLE: ("Teachers", 3072 | MANAGE_SERVER), TUTORS_ROLE: ("History tutors", 3072)},
)
SCHOOL_B = Guild("310000000000000002", "School B", "320000000000000002")
ANNA = User("330000000000000001", "Anna")
BORIS = User("330000000000000002", "Boris")
CLARA = User("330000000000000003", "Clara")  # in School B
TUTOR = User("330000000000000008", "Mr Tutor", roles=(TUTORS_ROLE,))  # in School A, with the tutors' role
TEACHER = User("330000000000000009", "Ms Smith", permissions=0x400 | 0x800 | MANAGE_SERVER, roles=(TEACHERS_ROLE,))


class Bots:
    """Starts fresh StudyBots (as `run` does) against the fake and waits until each is ready."""

    def __init__(self) -> None:
        self.running: dict[StudyBot, asyncio.Task[None]] = {}

    async def start(self, service: StudyService, **options: Any) -> StudyBot:
        bot = StudyBot(service, guild_ready_timeout=0.01, **options)
        task = asyncio.create_task(bot.start("fake-token"))
        self.running[bot] = task
        ready = asyncio.create_task(bot.wait_until_ready())
        await asyncio.wait({ready, task}, timeout=5, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            task.result()  # start-up failed: raise its error here
        assert bot.is_ready(), "the bot did not become ready"
        return bot

    async def stop(self, bot: StudyBot) -> None:
        task = self.running.pop(bot)
        await bot.close()
        await asyncio.wait_for(task, 5)

    async def stop_all(self) -> None:
        for bot in list(self.running):
            await self.stop(bot)


def unscoped(custom_id: str) -> str:
    """A button's id without the server a direct message's buttons name (`g<guild id>|`)."""
    return re.sub(r"^g[0-9]+\|", "", custom_id)


def question_of(shown: Exchange, service: StudyService) -> tuple[QuestionRef, Question]:
    ids = [unscoped(b["custom_id"]) for b in shown.buttons]
    assert ids, f"no buttons on {shown.data}"
    ref = QuestionRef.decode(ids[0].split("|")[1])
    return ref, service.bank.questions[ref.question_id]


def button(shown: Exchange, label: str) -> str:
    """The custom_id of the button labelled `label` (its start, for labels with a count) on a reply."""
    found = [b["custom_id"] for b in shown.buttons if b["label"].startswith(label)]
    assert found, f"no {label!r} button among {[b['label'] for b in shown.buttons]}"
    return found[0]


async def answer(
    fake: FakeDiscord, service: StudyService, shown: Exchange, user: User, guild: Guild | None, *, correct: bool = True
) -> Exchange:
    """Answer the question on `shown` the way a student would: a button, or the modal for short answers
    (in a direct message, `guild=None`, the buttons name their server)."""
    ref, question = question_of(shown, service)
    if question.kind is QuestionKind.SHORT_ANSWER:
        typed = next(b["custom_id"] for b in shown.buttons if unscoped(b["custom_id"]) == f"typed|{ref.encode()}")
        opened = await fake.click(shown.message, typed, user, guild)
        assert opened.callback["type"] == 9, opened.callback
        typed = question.answer_text if correct else "definitely not this"
        return await fake.submit(opened.callback["data"], typed, user, guild)
    if question.kind is QuestionKind.TRUE_FALSE:
        choice = str(question.answer is correct)
    else:
        letters = {text: letter for letter, text in option_order(question.id, question.options)}
        right = letters.pop(question.answer_text)
        choice = right if correct else next(iter(letters.values()))
    custom_id = next(b["custom_id"] for b in shown.buttons if b["custom_id"].endswith(f"|{choice}"))
    return await fake.click(shown.message, custom_id, user, guild)


def assert_private(exchange: Exchange) -> None:
    assert exchange.ephemeral, f"expected an ephemeral reply, got {exchange.data}"
    assert exchange.seconds_to_first_reply < 3


async def followups(fake: FakeDiscord, shown: Exchange, count: int = 1, timeout: float = 2.0) -> list[dict]:
    """The follow-up messages sent after `shown`'s reply (by the same interaction), once `count` have come."""
    token = next(c.path.split("/")[3] for c in shown.calls if c.path.endswith("/callback"))
    for _ in range(int(timeout / 0.01)):
        found = [c.body for c in fake.calls if c.method == "POST" and "/webhooks/" in c.path and token in c.path]
        if len(found) >= count:
            return found
        await asyncio.sleep(0.01)
    return found


def with_button(message: dict, custom_id: str, label: str = "Forged") -> dict:
    """`message` with one more button: what a modified client could claim to click (discord.py only
    dispatches a click to a button that is on the message)."""
    row = {"type": 1, "components": [{"type": 2, "style": 2, "label": label, "custom_id": custom_id}]}
    return message | {"components": [*(message.get("components") or []), row]}
