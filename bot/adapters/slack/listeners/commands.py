"""The `/study` slash command: core's grammar parses the text, each command maps to one service call
and one renderer. What is Slack's own stays here: `<@U123>` mentions, `<#C123>` channels, who is an
admin, the wording of a refused teachers' command, `my-data`'s file (listeners/files.py), and the
teachers' `report` and `export`, which go to their DM (listeners/reports.py)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import render
from bot.adapters.slack.listeners import assignments
from bot.adapters.slack.listeners.actors import Actors
from bot.adapters.slack.listeners.files import send_my_data
from bot.adapters.slack.listeners.replies import Replier, reply
from bot.adapters.slack.listeners.reports import send_export, send_report
from bot.core import commands as grammar
from bot.core.actor import Actor
from bot.core.errors import InvalidInput, NotAllowed

if TYPE_CHECKING:
    from bot.service import StudyService

T = TypeVar("T")
PREFIX = f"{render.COMMAND} "
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>")

ScheduleCommand = (
    grammar.ScheduleSet
    | grammar.ScheduleShow
    | grammar.SchedulePause
    | grammar.ScheduleResume
    | grammar.ScheduleOff
    | grammar.ScheduleList
    | grammar.Teachers
    | grammar.ScheduleHelp
    | grammar.ScheduleNow
    | grammar.ScheduleSkip
)


def register(app: AsyncApp, service: StudyService, actors: Actors) -> None:
    @app.command(render.COMMAND)
    async def on_command(ack, body, client):
        await ack()
        text = body.get("text")
        what = f"command {grammar.split_word(text)[0] or 'help'!r}"
        await reply(Replier.for_body(body, client), what, lambda: run(text, body, client))

    async def run(text: str | None, body: dict[str, Any], client: AsyncWebClient) -> render.Message:
        command = grammar.parse_command(text, prefix=PREFIX)
        actor = await actors.named(body, client)
        match command:
            case grammar.Daily():
                return render.question(await service.daily_question(actor))
            case grammar.Review():
                return render.next_review(await service.next_review(actor), service.clock())
            case grammar.Rate():
                raise InvalidInput(render.rate_by_button())  # a button names the question; typed text cannot
            case grammar.ReviewReminders(on=on):
                return render.reminders_setting(await service.set_review_reminders(actor, on))
            case grammar.Quiz(topic=topic, figure=figure):
                return render.question(await service.practice_question(actor, topic, figure=figure))
            case grammar.Answer(text=answer):
                return render.feedback(await service.submit_answer(actor, answer))
            case grammar.ShowLeaderboard(period=period):
                return render.leaderboard(await service.leaderboard(actor, period))
            case grammar.Rival(name=name):
                return render.reference_card(await service.explain(name, kind="figure", actor=actor))
            case grammar.Explain(name=name):
                return render.reference_card(await service.explain(name, actor=actor))
            case grammar.ShowTimeline(start=start, end=end):
                return render.timeline(await service.timeline(start, end))
            case grammar.Summary(topic=topic):
                return render.summary(await service.summary(topic, actor))
            case grammar.StartEssay(topic=topic):
                return render.essay_asked(await service.start_essay(actor, topic))
            case grammar.ShowEssayHistory():
                return render.essay_history(await service.essay_history(actor))
            case grammar.PlanEssay(factors=factors, evidence=evidence, judgement=judgement):
                return render.plan_compared(await service.submit_essay_plan(actor, factors, evidence, judgement))
            case grammar.ShowStats(who=who):
                mention = _MENTION.search(who)
                member = mention.group(1) if mention else None
                if member and member != actor.user_id:  # a classmate's: teachers only, so ask who is an admin
                    actor = await actors.with_admin(actor, client)
                try:
                    return render.stats(await service.stats(actor, member_user_id=member))
                except NotAllowed:  # only a classmate's stats are refused: say so in Slack's words
                    raise NotAllowed(render.CLASSMATES_NOT_TEACHER) from None
            case grammar.Privacy():
                return await privacy(command, actor, client)
            case grammar.SetGoal(text=goal):
                return render.goal_setting(await _as_teacher(service.set_goal, actor, client, goal))
            case grammar.DeleteClass(confirmation=confirmation):
                return render.class_deleted(await _as_teacher(service.delete_class, actor, client, confirmation))
            case grammar.MyDataExport():
                return render.my_data_sent(await send_my_data(client, await service.my_data(actor), actor.user_id))
            case grammar.Report(args=args):  # teachers: the service decides; here we only find out who is an admin
                return await send_report(service, client, await actors.with_admin(actor, client), args)
            case grammar.Export(period=period):
                return await send_export(service, client, await actors.with_admin(actor, client), period)
            case grammar.Assign() | grammar.ShowAssignments() | grammar.StartAssignment():
                return await assignments.run(service, actors, command, actor, body, client)
            case grammar.ForgetMe():
                return render.forget_confirm()  # only the "Yes, delete my data" click deletes
            case grammar.ShowTopics():
                return render.topic_list(service.topics())
            case grammar.Taught(topics=topics):
                return await taught(actor, topics, client)
            case grammar.Help():
                return render.help_message()
            case grammar.Unknown(word=word, suggestion=suggestion):
                return render.help_message(unknown=word, suggestion=suggestion)
        return await schedule(command, actor, body, client)

    async def _as_teacher(
        use_case: Callable[[Actor, str], Awaitable[T]], actor: Actor, client: AsyncWebClient, text: str
    ) -> T:
        """`goal` and `class delete`: the service decides who is a teacher; here we only find out who is an admin."""
        try:
            return await use_case(await actors.with_admin(actor, client), text)
        except NotAllowed:
            raise NotAllowed(render.NOT_TEACHER_CLASS) from None  # the service's wording is not Slack's

    async def taught(actor: Actor, topics: str, client: AsyncWebClient) -> render.Message:
        """`topics taught` shows what the class has been taught so far; `topics taught <topics>|all` changes it
        (teachers: the service decides; here we only find out who is an admin)."""
        if not topics:
            return render.taught_topics(await service.taught_topics(actor))
        try:
            changed = await service.set_taught_topics(await actors.with_admin(actor, client), topics)
        except NotAllowed:
            raise NotAllowed(render.NOT_TEACHER_TOPICS) from None  # the service's wording is not Slack's
        return render.taught_topics(changed)

    async def privacy(command: grammar.Privacy, actor: Actor, client: AsyncWebClient) -> render.Message:
        """`privacy`, `privacy named|pseudonym|hidden`, `privacy new-name`, `privacy default <choice>`
        (teachers: the service decides; here we only find out who is an admin)."""
        if command.class_default:
            if not command.choice:
                raise InvalidInput(render.DEFAULT_USAGE)
            try:
                settings = await service.set_privacy_default(await actors.with_admin(actor, client), command.choice)
            except NotAllowed:
                raise NotAllowed(render.NOT_TEACHER_PRIVACY) from None  # the service's wording is not Slack's
            return render.privacy_settings(settings, f"The class's default is now: {settings.class_default}.")
        if command.new_name:
            settings = await service.new_pseudonym(actor)
            return render.privacy_settings(settings, f"Your new pseudonym is {settings.pseudonym}.")
        if command.choice:
            return render.privacy_settings(await service.set_privacy(actor, command.choice), "Saved.")
        return render.privacy_settings(await service.privacy(actor))

    async def schedule(
        command: ScheduleCommand, actor: Actor, body: dict[str, Any], client: AsyncWebClient
    ) -> render.Message:
        """`schedule ...` for the command's channel. The service decides who may (admins and named
        teachers); here we only find out who is an admin."""
        channel_id = body.get("channel_id") or ""
        if not channel_id:
            raise InvalidInput("Run the schedule commands in the channel the daily question should go to.")
        actor = await actors.with_admin(actor, client)
        if isinstance(command, grammar.Teachers) and command.verb != "list":
            return await _name_teacher(command, actor)  # admins only: the service says so in its words
        try:
            return await _schedule(command, actor, channel_id, body.get("channel_name") or "")
        except NotAllowed:
            raise NotAllowed(render.NOT_TEACHER) from None  # the service's wording is not Slack's

    async def _schedule(command: ScheduleCommand, actor: Actor, channel_id: str, channel_name: str) -> render.Message:
        schedules = service.schedules
        match command:
            case grammar.ScheduleSet(args=args):
                info = await schedules.set(
                    actor,
                    channel_id,
                    time=args.time,
                    timezone=args.timezone,
                    days=args.days,
                    topics=args.topics,
                    weekly_leaderboard=args.weekly_leaderboard,
                    channel_name=channel_name,
                )
                return render.schedule(info, "Schedule saved.")
            case grammar.ScheduleShow():
                return render.schedule(await schedules.show(actor, channel_id))
            case grammar.SchedulePause(period=period):
                info = await schedules.pause(actor, channel_id, period)
                return render.schedule(info, f"Paused {period}." if period else "Paused.")
            case grammar.ScheduleResume():
                return render.schedule(await schedules.resume(actor, channel_id), "Resumed.")
            case grammar.ScheduleNow():
                return render.schedule(await schedules.now(actor, channel_id), "Posting today's question now.")
            case grammar.ScheduleSkip():
                info = await schedules.skip(actor, channel_id)
                day = info.skipped[-1]  # the latest: skipping again skips the post after the ones skipped
                return render.schedule(info, f"Skipped the post of {day:%A} {day.day} {day:%B}.")
            case grammar.ScheduleOff(target=target):
                other = await _scheduled_channel(actor, target) if target else channel_id
                if other != channel_id:  # `schedule off #old-room`, e.g. for a deleted channel
                    await schedules.off(actor, other)
                    return render.schedule_removed_elsewhere(other)
                return render.schedule(await schedules.off(actor, channel_id), "Schedule removed.")
            case grammar.ScheduleList():
                return render.schedule_list(await schedules.list_all(actor))
            case grammar.Teachers(verb="list"):
                return render.teachers(await schedules.teachers(actor))
        raise InvalidInput(render.SCHEDULE_USAGE)

    async def _name_teacher(command: grammar.Teachers, actor: Actor) -> render.Message:
        """`schedule teachers add|remove @name`."""
        mention = _MENTION.search(command.who)
        if mention is None:
            raise InvalidInput(grammar.teachers_usage(PREFIX))
        if command.verb == "add":
            await service.schedules.add_teacher(actor, mention.group(1))
        else:
            await service.schedules.remove_teacher(actor, mention.group(1))
        return render.teacher_changed(mention.group(1), added=command.verb == "add")

    async def _scheduled_channel(actor: Actor, text: str) -> str:
        """A channel by its #mention, or, for a deleted channel (Slack no longer links it), by the
        name or id it was scheduled under."""
        mention = _CHANNEL.search(text)
        if mention:
            return mention.group(1)
        wanted = text.strip().lstrip("#").lower()
        for info in await service.schedules.list_all(actor):
            if wanted in (info.channel_id.lower(), info.channel_name.lower()):
                return info.channel_id
        raise InvalidInput(
            f"No channel with a schedule has that name. `{render.COMMAND} schedule list` shows them all."
        )
