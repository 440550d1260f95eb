"""The local console front end: the same service, no token needed. Reads commands one a line."""

from __future__ import annotations

import logging
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TextIO

from rapidfuzz import process

from bot.adapters.console import render
from bot.adapters.console.lines import lines
from bot.core.actor import Actor, Platform
from bot.core.errors import StudyError
from bot.core.grading import clean_input, normalise
from bot.core.replies import DailyPost
from bot.core.schedules import parse_schedule_text

if TYPE_CHECKING:
    from bot.service import StudyService

log = logging.getLogger(__name__)

COMMUNITY = "local-class"
HELP = """Commands:
  daily                      today's question for the class
  answer <letter or text>    answer the question you were shown last (or just type A, B, true ...)
  quiz [topic]               a practice question (no points); `topics` lists them
  leaderboard [week|month|all]
  rival <name>               a card on Trotsky, Zinoviev, Kamenev, Bukharin ...
  explain <name or term>     a figure card or a glossary entry (NEP, kulak ...)
  stats                      your accuracy and streaks
  user <name>                act as another student of this class
  forget-me                  delete your answers and scores (asks first)
  schedule set <HH:MM> [time zone] [days] [topics=a,b] [board=fri|off]
  schedule show | pause [from..to] | resume | off
                             post the daily question here by itself (try a time a minute away)
  help, quit"""
CHANNEL = "console"


def actor_for(name: str) -> Actor:
    display = clean_input(name, what="The user name", limit=100)
    return Actor(
        Platform.CONSOLE, COMMUNITY, normalise(display) or display, display, is_admin=True, community_name="Local class"
    )


class Console:
    """One student's session at the terminal; `user` switches who is answering."""

    def __init__(self, service: StudyService, user: str, output: TextIO) -> None:
        self.service = service
        self.actor = actor_for(user)
        self.output = output
        self.confirming_forget = False
        self.commands: dict[str, Callable[[str], Awaitable[str | None]]] = {
            "daily": self.daily,
            "answer": self.answer,
            "quiz": self.quiz,
            "topics": self.list_topics,
            "leaderboard": self.leaderboard,
            "rival": self.rival,
            "explain": self.explain,
            "stats": self.stats,
            "user": self.switch_user,
            "forget-me": self.forget_me,
            "schedule": self.schedule,
            "help": self.help,
        }

    def say(self, text: str) -> None:
        self.output.write(text.rstrip() + "\n\n")
        self.output.flush()

    async def handle(self, line: str) -> bool:
        """Run one command line; False means quit."""
        line = line.strip()
        if not line:
            return True
        try:
            line = clean_input(line, what="The command", limit=600)
            word, _, rest = line.partition(" ")
            word = word.lower()
            if self.confirming_forget:
                self.confirming_forget = False
                if word in {"yes", "y"}:
                    self.say(render.forgotten(await self.service.forget_me(self.actor)))
                else:
                    self.say("Kept everything. Nothing was deleted.")
                return True
            if word in {"quit", "exit", "q"}:
                return False
            command = self.commands.get(word)
            if command is None and _looks_like_answer(line):
                command, rest = self.answer, line
            if command is None:
                self.say(_unknown(word, list(self.commands)))
                return True
            reply = await command(rest.strip())
            if reply:
                self.say(reply)
        except StudyError as error:
            self.say(error.message)
        except Exception:
            log.exception("console command failed: %r", line[:100])
            self.say("Something went wrong on our side; your answers are safe. Please try again.")
        return True

    async def daily(self, _: str) -> str:
        return render.question(await self.service.daily_question(self.actor))

    async def answer(self, text: str) -> str:
        return render.feedback(await self.service.submit_answer(self.actor, text))

    async def quiz(self, text: str) -> str:
        if text.startswith("--about "):
            card = await self.service.practice_question(self.actor, figure=text.removeprefix("--about ").strip())
        else:
            card = await self.service.practice_question(self.actor, text or None)
        return render.question(card)

    async def list_topics(self, _: str) -> str:
        return render.topics(self.service.topics())

    async def leaderboard(self, text: str) -> str:
        return render.leaderboard(await self.service.leaderboard(self.actor, text or "week"))

    async def rival(self, text: str) -> str:
        return render.card(await self.service.explain(text, kind="figure"))

    async def explain(self, text: str) -> str:
        return render.card(await self.service.explain(text))

    async def stats(self, _: str) -> str:
        return render.stats(await self.service.stats(self.actor))

    async def switch_user(self, text: str) -> str:
        self.actor = actor_for(text)
        return f"You are now {self.actor.display_name}."

    async def forget_me(self, _: str) -> str:
        self.confirming_forget = True
        return f"This deletes every answer and score of {self.actor.display_name} in this class. Type yes to confirm."

    async def help(self, _: str) -> str:
        return HELP

    async def schedule(self, text: str) -> str:
        schedules = self.service.schedules
        action, _, rest = text.partition(" ")
        action = action.lower() or "show"
        if action == "set":
            args = parse_schedule_text(rest, "schedule set 08:30 Europe/London mon-fri")
            info = await schedules.set(
                self.actor,
                CHANNEL,
                time=args.time,
                timezone=args.timezone,
                days=args.days,
                topics=args.topics,
                weekly_leaderboard=args.weekly_leaderboard,
                channel_name="console",
            )
        elif action == "show":
            info = await schedules.show(self.actor, CHANNEL)
        elif action == "pause":
            info = await schedules.pause(self.actor, CHANNEL, rest or None)
        elif action == "resume":
            info = await schedules.resume(self.actor, CHANNEL)
        elif action == "off":
            info = await schedules.off(self.actor, CHANNEL)
        else:
            return "Use: schedule set <HH:MM> [time zone] [days] | show | pause [from..to] | resume | off"
        return render.schedule(info)


class ConsolePublisher:
    """Scheduled posts appear in the terminal, as they would in a class channel."""

    def __init__(self, output: TextIO) -> None:
        self.output = output
        self.count = 0

    async def publish(self, channel_id: str, post: DailyPost) -> str:
        self.count += 1
        self.output.write(f"\n[scheduled post in #{channel_id}]\n{render.daily_post(post)}\n\n")
        self.output.flush()
        return f"console-{self.count}"


def _looks_like_answer(line: str) -> bool:
    word = line.strip().rstrip(").").lower()
    return len(word) == 1 and word in "abcde" or word in {"true", "false"}


def _unknown(word: str, known: list[str]) -> str:
    best = process.extractOne(word[:40], known, score_cutoff=60)
    hint = f" Did you mean `{best[0]}`?" if best else ""
    return f"I don't know the command \u201c{word[:40]}\u201d.{hint} Type `help` for the list."


async def run(
    service: StudyService, *, user: str = "Student", input_stream: TextIO | None = None, output: TextIO | None = None
) -> None:
    """Read commands until `quit` or end of input. Prompts only when a person is typing."""
    input_stream = input_stream or sys.stdin
    output = output or sys.stdout
    console = Console(service, user, output)
    interactive = input_stream.isatty()
    console.say(f"Studying as {console.actor.display_name}. Type `help` for commands, `daily` for today's question.")
    if interactive:
        output.write("> ")
        output.flush()
    async for line in lines(input_stream):
        if not await console.handle(line):
            break
        if interactive:
            output.write("> ")
            output.flush()
