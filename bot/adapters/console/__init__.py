"""The local console front end: the same service, no token needed. Reads commands one a line.

At a terminal it edits lines, keeps a history and completes commands, topics and names
(console/terminal.py), and shows replies in colour with tables and panels (console/styled.py); piped
input and output stay plain text (console/lines.py, console/render.py). With `--json` every reply and error
is one JSON object a line, for scripts (console/json_view.py)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.adapters.console import assignments, report_views
from bot.adapters.console.json_view import JsonView
from bot.adapters.console.lines import lines
from bot.adapters.console.views import PlainView, RichView, ScheduleList, TopicList, View, wants_colour
from bot.core import commands as grammar
from bot.core.actor import Actor, Platform
from bot.core.errors import UNEXPECTED_ERROR, InvalidInput, StudyError
from bot.core.grading import clean_input, normalise
from bot.core.publishing import Publishers
from bot.core.replies import DailyPost

if TYPE_CHECKING:
    from bot.service import StudyService

log = logging.getLogger(__name__)

COMMUNITY = "local-class"
HELP = """Commands:
  daily                      today's question for the class
  review                     your next spaced-review question (what you are about to forget)
  review guessed | easy      the last right answer was a guess / too easy (it comes back sooner / later)
  review reminders on|off    a message on days reviews wait (at the class's post time)
  answer <letter or text>    answer the question you were shown last (or just type A, B, true ...)
  quiz [topic]               a practice question (no points); `topics` lists them; `quiz weak`: your weakest
  topics taught [a, b | all] the topics taught so far: the daily question, practice and review ask only those
  leaderboard [week|month|all]
  rival <name>               a card on Trotsky, Zinoviev, Kamenev, Bukharin ...
  explain <name or term>     a figure card or a glossary entry (NEP, kulak ...)
  timeline [from] [to]       the key dated events of those years, in order (e.g. timeline 1928 1932)
  summary <topic>            the topic on one screen: key dates, people, terms and what you missed
  essay [topic]              an exam-style essay question to plan; `essay history`: your plans
  plan 2 4 1 | B D A | ...   your plan: factors most important first, evidence letters, a judgement
  stats                      your accuracy and streaks
  user <name>                act as another student of this class
  forget-me                  delete your answers and scores (asks first)
  my-data [--out FILE]       everything stored about you here, as a JSON file
  privacy [named|pseudonym|hidden|new-name]
                             how the class sees you on its boards (`privacy default <choice>`: the class's)
  goal <N%> | goal off       the class's weekly goal of right daily answers (shown in the weekly post)
  class delete               delete all of this class's data (asks you to type a confirmation)
  report [week|month|term|since YYYY-MM-DD] [topic] [--out FILE.png]
                             the class report: who practises, weakest topics, hardest questions, each
                             student; its chart goes to FILE.png (default: class-report_<dates>.png here)
  export [period] [--out FILE.csv]
                             every answer of the class as a spreadsheet (default: class-answers_<dates>.csv)
  assign <topic|all> [n=10] due:YYYY-MM-DD [goal=70%]
                             set the class an assignment: wrong answers come back until the goal
  assignments                the class's assignments: who finished, who is working, who hasn't started
  assignments mine           your own: what you still have to do
  assignments close <N>      close assignment N early
  start <N>                  do assignment N: its next question (the Start button on Discord and Slack)
  schedule set <HH:MM> [time zone] [days] [topics=a,b] [board=fri|off]
  schedule show | pause [from..to] | resume | off | list
                             post the daily question here by itself (try a time a minute away)
  schedule now | skip        post today's question now (once: it is today's post) / skip the next post
                             (`schedule resume` brings skipped posts back)
  help, quit"""
SCHEDULE_USAGE = (
    "Use: schedule set <HH:MM> [time zone] [days] | show | now | skip | pause [from..to] | resume | off | list"
)
CONSOLE_WORDS = ("user", "quit")  # the console's own words, offered for a misspelt command
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
    words come first: `user <name>`, `quit`, the `yes` that confirms forget-me, and a bare
    letter or true/false, which answers the last question."""

    def __init__(self, service: StudyService, user: str, view: View) -> None:
        self.service = service
        self.actor = actor_for(user)
        self.view = view
        self.confirming_forget = False
        self.commands = COMMAND_WORDS
        self.last_answered: str | None = None  # the question `review guessed|easy` re-grades

    def say(self, reply: object) -> None:
        self.view.show(reply)

    def say_error(self, message: str) -> None:
        self.view.show_error(message)

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
                    self.say(await self.service.forget_me(self.actor))
                else:
                    self.say("Kept everything. Nothing was deleted.")
                return True
            if word in {"quit", "exit", "q"}:
                return False
            reply = await self.run(word, rest, line)
            if reply:
                self.say(reply)
        except StudyError as error:
            self.say_error(error.message)
        except Exception:
            log.exception("console command failed: %r", line[:100])
            self.say_error(UNEXPECTED_ERROR)
        return True

    async def run(self, word: str, rest: str, line: str) -> object:
        """The reply to one line: a reply of the service's, or a short text."""
        if word == "user":
            self.actor = actor_for(rest)
            self.last_answered = None
            return f"You are now {self.actor.display_name}."
        command = grammar.parse_command(line, also=CONSOLE_WORDS)
        if isinstance(command, grammar.Unknown) and _looks_like_answer(line):
            command = grammar.Answer(line)
        service, actor = self.service, self.actor
        match command:
            case grammar.Daily():
                return await service.daily_question(actor)
            case grammar.Quiz(topic=topic, figure=figure):
                return await service.practice_question(actor, topic, figure=figure)
            case grammar.Answer(text=answer):
                result = await service.submit_answer(actor, answer)
                self.last_answered = result.ref.question_id
                return result
            case grammar.Review():
                return await service.next_review(actor)
            case grammar.Rate(how=how):
                if self.last_answered is None:
                    raise InvalidInput("Answer a question first; then `review guessed` or `review easy` re-grades it.")
                return await service.rate_answer(actor, self.last_answered, how)
            case grammar.ReviewReminders(on=on):
                return await service.set_review_reminders(actor, on)
            case grammar.SetGoal(text=text):
                return await service.set_goal(actor, text)
            case grammar.DeleteClass(confirmation=confirmation):
                return await service.delete_class(actor, confirmation)
            case grammar.MyDataExport(out=out):
                exported = await service.my_data(actor)
                path = Path(out or exported.filename).expanduser()
                try:
                    path.write_text(exported.json_text + "\n", encoding="utf-8")
                except OSError as error:
                    raise InvalidInput(f"Could not write {path}: {error.strerror or error}.") from None
                return f"Everything stored about {actor.display_name} in this class is in {path}."
            case grammar.Privacy(choice=choice, new_name=new_name, class_default=class_default):
                if new_name:
                    return await service.new_pseudonym(actor)
                if class_default:
                    return await service.set_privacy_default(actor, choice or "")
                return await (service.set_privacy(actor, choice) if choice else service.privacy(actor))
            case grammar.ShowLeaderboard(period=period):
                return await service.leaderboard(actor, period)
            case grammar.Rival(name=name):
                return await service.explain(name, kind="figure", actor=actor)
            case grammar.Explain(name=name):
                return await service.explain(name, actor=actor)
            case grammar.ShowTimeline(start=start, end=end):
                return await service.timeline(start, end)
            case grammar.Summary(topic=topic):
                return await service.summary(topic, actor)
            case grammar.StartEssay(topic=topic):
                return await service.start_essay(actor, topic)
            case grammar.ShowEssayHistory():
                return await service.essay_history(actor)
            case grammar.PlanEssay(factors=factors, evidence=evidence, judgement=judgement):
                return await service.submit_essay_plan(actor, factors, evidence, judgement)
            case grammar.ShowStats():
                return await service.stats(actor)  # the console shows your own
            case grammar.ForgetMe():
                self.confirming_forget = True
                return (
                    f"This deletes every answer and score of {actor.display_name} in this class. Type yes to confirm."
                )
            case grammar.Assign() | grammar.ShowAssignments() | grammar.StartAssignment():
                return await assignments.run(service, actor, command, CHANNEL)
            case grammar.Report() | grammar.Export():
                return await report_views.run(service, actor, command)
            case grammar.ShowTopics():
                return TopicList(service.topics())
            case grammar.Taught(topics=topics):
                return await (service.set_taught_topics(actor, topics) if topics else service.taught_topics(actor))
            case grammar.Help():
                return HELP
            case grammar.Unknown(word=unknown, suggestion=suggestion):
                hint = f" Did you mean `{suggestion}`?" if suggestion else ""
                message = f"I don't know the command \u201c{unknown[:40]}\u201d.{hint} Type `help` for the list."
                raise InvalidInput(message)
        return await self.schedule(command)

    async def schedule(self, command: grammar.Command) -> object:
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
            case grammar.ScheduleNow():
                info = await schedules.now(self.actor, CHANNEL)
            case grammar.ScheduleSkip():
                info = await schedules.skip(self.actor, CHANNEL)
            case grammar.ScheduleOff():
                info = await schedules.off(self.actor, CHANNEL)
            case grammar.ScheduleList():
                return ScheduleList(await schedules.list_all(self.actor))
            case grammar.ScheduleHelp(unknown=str()):  # `schedule <a word it does not know>`
                raise InvalidInput(SCHEDULE_USAGE)
            case _:  # teachers are named on Discord and Slack; here there is no one else
                return SCHEDULE_USAGE
        return info


class ConsolePublisher:
    """Scheduled posts appear in the terminal, as they would in a class channel."""

    def __init__(self, view: View) -> None:
        self.view = view
        self.count = 0

    async def publish(self, channel_id: str, post: DailyPost) -> str:
        self.count += 1
        self.view.show(f"[scheduled post in #{channel_id}]")
        self.view.show(post)
        return f"console-{self.count}"


def _looks_like_answer(line: str) -> bool:
    word = line.strip().rstrip(").").lower()
    return len(word) == 1 and word in "abcde" or word in {"true", "false"}


async def run(
    service: StudyService,
    *,
    user: str = "Student",
    input_stream: TextIO | None = None,
    output: TextIO | None = None,
    publishers: Publishers | None = None,
    json_output: bool = False,
) -> None:
    """Read commands until `quit` or end of input. With `publishers`, scheduled posts for the console's
    channel appear here too. A person at a terminal gets line editing, history, completion and colour;
    `json_output` prints every reply as one JSON object a line instead, at a terminal too."""
    input_stream = input_stream or sys.stdin
    output = output or sys.stdout
    at_terminal = not json_output and _is_terminal(input_stream) and _is_terminal(output)
    view: View
    if json_output:
        view = JsonView(output)
    else:
        view = RichView() if at_terminal and wants_colour(output) else PlainView(output)
    console = Console(service, user, view)
    publisher = ConsolePublisher(view)
    if publishers is not None:
        publishers.add(Platform.CONSOLE.value, publisher)
    console.say(f"Studying as {console.actor.display_name}. Type `help` for commands, `daily` for today's question.")
    try:
        if at_terminal:
            from bot.adapters.console.terminal import commands_completer, typed_lines  # prompt_toolkit: a person's

            names = [card_id for card_id, _ in service.complete_name("", limit=1000)]
            completer = commands_completer(COMMAND_WORDS, [t.topic_id for t in service.topics()], names)
            source = typed_lines(completer)
        else:
            source = lines(input_stream)
        async for line in source:
            if not await console.handle(line):
                break
    finally:
        if publishers is not None:
            publishers.remove(Platform.CONSOLE.value, publisher)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
