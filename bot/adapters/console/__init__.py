"""The local console front end: the same service, no token needed. Reads commands one a line."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, TextIO

from bot.adapters.console import render
from bot.adapters.console.lines import lines
from bot.core import commands as grammar
from bot.core.actor import Actor, Platform
from bot.core.errors import UNEXPECTED_ERROR, StudyError
from bot.core.grading import clean_input, normalise
from bot.core.replies import DailyPost

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
  schedule show | pause [from..to] | resume | off | list
                             post the daily question here by itself (try a time a minute away)
  help, quit"""
SCHEDULE_USAGE = "Use: schedule set <HH:MM> [time zone] [days] | show | pause [from..to] | resume | off | list"
CONSOLE_WORDS = ("topics", "user", "quit")  # the console's own words, offered for a misspelt command
COMMAND_WORDS = (*grammar.COMMANDS, *CONSOLE_WORDS)  # every first word the console knows (for completion)
CHANNEL = "console"


def actor_for(name: str) -> Actor:
    display = clean_input(name, what="The user name", limit=100)
    return Actor(
        Platform.CONSOLE, COMMUNITY, normalise(display) or display, display, is_admin=True, community_name="Local class"
    )


class Console:
    """One student's session at the terminal; `user` switches who is answering.

    Lines are parsed by core's text grammar (bot.core.commands), as Slack's are; the console's own
    words come first: `user <name>`, `topics`, `quit`, the `yes` that confirms forget-me, and a bare
    letter or true/false, which answers the last question."""

    def __init__(self, service: StudyService, user: str, output: TextIO) -> None:
        self.service = service
        self.actor = actor_for(user)
        self.output = output
        self.confirming_forget = False
        self.commands = COMMAND_WORDS

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
            word, rest = grammar.split_word(line)
            if self.confirming_forget:
                self.confirming_forget = False
                if word in {"yes", "y"}:
                    self.say(render.forgotten(await self.service.forget_me(self.actor)))
                else:
                    self.say("Kept everything. Nothing was deleted.")
                return True
            if word in {"quit", "exit", "q"}:
                return False
            reply = await self.run(word, rest, line)
            if reply:
                self.say(reply)
        except StudyError as error:
            self.say(error.message)
        except Exception:
            log.exception("console command failed: %r", line[:100])
            self.say(UNEXPECTED_ERROR)
        return True

    async def run(self, word: str, rest: str, line: str) -> str:
        if word == "topics":
            return render.topics(self.service.topics())
        if word == "user":
            self.actor = actor_for(rest)
            return f"You are now {self.actor.display_name}."
        command = grammar.parse_command(line, also=CONSOLE_WORDS)
        if isinstance(command, grammar.Unknown) and _looks_like_answer(line):
            command = grammar.Answer(line)
        service, actor = self.service, self.actor
        match command:
            case grammar.Daily():
                return render.question(await service.daily_question(actor))
            case grammar.Quiz(topic=topic, figure=figure):
                return render.question(await service.practice_question(actor, topic, figure=figure))
            case grammar.Answer(text=answer):
                return render.feedback(await service.submit_answer(actor, answer))
            case grammar.ShowLeaderboard(period=period):
                return render.leaderboard(await service.leaderboard(actor, period))
            case grammar.Rival(name=name):
                return render.card(await service.explain(name, kind="figure"))
            case grammar.Explain(name=name):
                return render.card(await service.explain(name))
            case grammar.ShowStats():
                return render.stats(await service.stats(actor))  # the console shows your own
            case grammar.ForgetMe():
                self.confirming_forget = True
                return (
                    f"This deletes every answer and score of {actor.display_name} in this class. Type yes to confirm."
                )
            case grammar.Help():
                return HELP
            case grammar.Unknown(word=unknown, suggestion=suggestion):
                hint = f" Did you mean `{suggestion}`?" if suggestion else ""
                return f"I don't know the command \u201c{unknown[:40]}\u201d.{hint} Type `help` for the list."
        return await self.schedule(command)

    async def schedule(self, command: grammar.Command) -> str:
        """The console is one channel, and whoever sits at it is its teacher."""
        schedules = self.service.schedules
        match command:
            case grammar.ScheduleSet(args=args):
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
            case grammar.ScheduleShow():
                info = await schedules.show(self.actor, CHANNEL)
            case grammar.SchedulePause(period=period):
                info = await schedules.pause(self.actor, CHANNEL, period)
            case grammar.ScheduleResume():
                info = await schedules.resume(self.actor, CHANNEL)
            case grammar.ScheduleOff():
                info = await schedules.off(self.actor, CHANNEL)
            case grammar.ScheduleList():
                infos = await schedules.list_all(self.actor)
                return "\n\n".join(render.schedule(info) for info in infos) or "No daily-question schedule yet."
            case _:  # teachers are named on Discord and Slack; here there is no one else
                return SCHEDULE_USAGE
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
