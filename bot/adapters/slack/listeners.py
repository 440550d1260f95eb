"""Bolt listeners: parse a Slack payload -> call the service -> render -> reply (ephemeral).

Every listener acknowledges first (Slack allows three seconds) and does its work afterwards; the
reply goes to the payload's `response_url`. Failures of any kind become one friendly ephemeral
message in `_reply`, the single place that turns exceptions into replies; details go to the log.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process
from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack import render
from bot.adapters.slack.admins import AdminCache
from bot.adapters.slack.names import NameDirectory
from bot.core.actor import Actor, Platform
from bot.core.errors import InvalidInput, NotAllowed, NotFound, StudyError
from bot.core.schedules import parse_schedule_text
from bot.core.vocabulary import Period

if TYPE_CHECKING:
    from bot.service import StudyService

log = logging.getLogger(__name__)

SUBCOMMANDS = (
    "daily",
    "quiz",
    "answer",
    "leaderboard",
    "rival",
    "explain",
    "stats",
    "forget-me",
    "schedule",
    "help",
)
_SUGGEST_CUTOFF = 55
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>")
# A word that starts the days of `schedule set` (so the optional time zone before it can be left out).

Work = Callable[[], Awaitable[render.Message | None]]
ButtonHandler = Callable[[dict[str, Any], str, "Replier"], Awaitable[render.Message | None]]


# ---------------------------------------------------------------- parsing


def actor_from(body: dict[str, Any]) -> Actor:
    """The member behind a slash command, a button click or a modal submission."""
    if "user_id" in body:  # slash command (form fields)
        team_id, user_id = body.get("team_id"), body.get("user_id")
        name, domain = body.get("user_name"), body.get("team_domain")
    else:  # block_actions / view_submission (JSON payload)
        user, team = body.get("user") or {}, body.get("team") or {}
        team_id, user_id = team.get("id") or user.get("team_id"), user.get("id")
        name, domain = user.get("username") or user.get("name"), team.get("domain")
    enterprise_id = body.get("enterprise_id") or (body.get("enterprise") or {}).get("id")
    community = team_id or (f"enterprise:{enterprise_id}" if enterprise_id else None)
    if not community or not user_id:
        raise ValueError("payload without a team or a user")
    return Actor(
        Platform.SLACK,
        community_id=community,
        user_id=user_id,
        display_name=name or user_id,
        community_name=domain or "",
    )


def split_command(text: str | None) -> tuple[str, str]:
    """`"Quiz  collectivisation"` -> `("quiz", "collectivisation")`; empty text is `help`."""
    words = (text or "").strip().split(maxsplit=1)
    if not words:
        return "help", ""
    return words[0].lower(), words[1].strip() if len(words) > 1 else ""


def closest_subcommand(word: str) -> str | None:
    found = process.extractOne(word, SUBCOMMANDS, scorer=fuzz.ratio, score_cutoff=_SUGGEST_CUTOFF)
    return found[0] if found else None


def parse_period(text: str) -> Period:
    word = text.strip().lower() or Period.WEEK.value
    try:
        return Period(word)
    except ValueError:
        raise InvalidInput(
            f"Choose `week`, `month` or `all` (for example `{render.COMMAND} leaderboard month`)."
        ) from None


def _required(text: str, usage: str) -> str:
    if not text.strip():
        raise InvalidInput(f"Try `{render.COMMAND} {usage}`.")
    return text


# ---------------------------------------------------------------- replying


@dataclass(frozen=True, slots=True)
class Replier:
    """Where a reply goes: the interaction's response_url, else an ephemeral chat message."""

    client: AsyncWebClient
    response_url: str | None
    channel_id: str | None
    user_id: str | None

    @classmethod
    def for_body(cls, body: dict[str, Any], client: AsyncWebClient) -> Replier:
        channel = body.get("channel_id") or (body.get("channel") or {}).get("id")
        channel = channel or (body.get("container") or {}).get("channel_id")
        user = body.get("user_id") or (body.get("user") or {}).get("id")
        return cls(client, body.get("response_url"), channel, user)

    async def send(self, message: render.Message, *, replace: bool = False) -> None:
        """`replace` swaps the (ephemeral) message the button was on for this one, when the response_url works."""
        if self.response_url:
            payload = {**message, "response_type": "ephemeral", "replace_original": replace}
            response = await AsyncWebhookClient(self.response_url).send_dict(payload)
            if response.status_code == 200:
                return
            # Never log the URL itself: it is a credential for this conversation.
            log.warning("slack response_url refused the reply (status %s)", response.status_code)
        if self.channel_id and self.user_id:
            await self.client.chat_postEphemeral(
                channel=self.channel_id, user=self.user_id, text=message["text"], blocks=message.get("blocks")
            )
        else:
            log.warning("slack reply dropped: no response_url and no channel")


async def _reply(replier: Replier, what: str, work: Work, *, replace: bool = False) -> None:
    """Run `work` after the ack and send its message: the ONE place errors become replies."""
    try:
        message = await work()
    except StudyError as err:
        log.info("slack %s: %s: %s", what, type(err).__name__, err.message)
        message = render.error(err)
    except Exception:
        log.exception("slack %s failed", what)
        message = render.error(None)
    if message is None:
        return
    try:
        await replier.send(message, replace=replace)
    except Exception:
        log.exception("slack %s: could not send the reply", what)


# ---------------------------------------------------------------- listeners


def register(app: AsyncApp, service: StudyService) -> None:
    """All of the Slack front end, registered in one place."""
    admins = AdminCache()
    names = NameDirectory()

    async def named(body: dict[str, Any], client: AsyncWebClient) -> Actor:
        """The member behind the request, under the name Slack shows for them (not their handle)."""
        actor = actor_from(body)
        return replace(
            actor, display_name=await names.name(client, actor.community_id, actor.user_id, actor.display_name)
        )

    @app.middleware
    async def skip_retries(req, next_):  # bolt injects arguments by name
        # We ack before working, so a retry means only that Slack missed our ack while the first
        # delivery is being (or has been) handled: acknowledge it and do nothing twice.
        if req.headers.get("x-slack-retry-num"):
            log.info("slack retry ignored (attempt %s)", req.headers["x-slack-retry-num"][0])
            return BoltResponse(status=200, body="")
        return await next_()

    @app.command(render.COMMAND)
    async def on_command(ack, body, client):
        await ack()
        name, rest = split_command(body.get("text"))
        await _reply(Replier.for_body(body, client), f"command {name!r}", lambda: _command(name, rest, body, client))

    async def _command(name: str, rest: str, body: dict[str, Any], client: AsyncWebClient) -> render.Message:
        actor = await named(body, client)
        if name == "daily":
            return render.question(await service.daily_question(actor))
        if name == "quiz":
            return render.question(await service.practice_question(actor, rest or None))
        if name == "answer":
            return render.feedback(await service.submit_answer(actor, _required(rest, "answer <your answer>")))
        if name == "leaderboard":
            return render.leaderboard(await service.leaderboard(actor, parse_period(rest)))
        if name == "rival":
            query = _required(rest, "rival <name>, e.g. rival Trotsky")
            return render.reference_card(await service.explain(query, kind="figure"))
        if name == "explain":
            return render.reference_card(await service.explain(_required(rest, "explain <name or term>")))
        if name == "stats":
            mention = _MENTION.search(rest)
            member = mention.group(1) if mention else None
            return render.stats(await service.stats(actor, member_user_id=member))
        if name == "forget-me":
            return render.forget_confirm()  # only the "Yes, delete my data" click deletes
        if name == "schedule":
            return await _schedule(actor, rest, body, client)
        if name == "help":
            return render.help_message()
        return render.help_message(unknown=name, suggestion=closest_subcommand(name))

    async def _schedule(actor: Actor, text: str, body: dict[str, Any], client: AsyncWebClient) -> render.Message:
        """`schedule set|show|pause|resume|off` for the command's channel, `schedule list` for all of
        them, `schedule teachers [add|remove @name]`. The service decides who may (admins and named
        teachers); here we only find out who is an admin."""
        action, rest = split_command(text)
        action = "show" if action == "help" and not text.strip() else action
        channel_id = body.get("channel_id") or ""
        if not channel_id:
            raise InvalidInput("Run the schedule commands in the channel the daily question should go to.")
        actor = replace(actor, is_admin=await admins.is_admin(client, actor.community_id, actor.user_id))
        schedules = service.schedules
        if action in {"teachers", "teacher"}:
            return await _teachers(actor, rest)
        try:
            if action == "set":
                args = parse_schedule_text(rest, f"{render.COMMAND} schedule set 08:30 Europe/London mon-fri")
                info = await schedules.set(
                    actor,
                    channel_id,
                    time=args.time,
                    timezone=args.timezone,
                    days=args.days,
                    topics=args.topics,
                    weekly_leaderboard=args.weekly_leaderboard,
                    channel_name=body.get("channel_name") or "",
                )
                return render.schedule(info, "Schedule saved.")
            if action == "show":
                return render.schedule(await schedules.show(actor, channel_id))
            if action == "pause":
                info = await schedules.pause(actor, channel_id, rest or None)
                return render.schedule(info, f"Paused {rest}." if rest else "Paused.")
            if action == "resume":
                return render.schedule(await schedules.resume(actor, channel_id), "Resumed.")
            if action == "off":
                other = await _scheduled_channel(actor, rest) if rest else channel_id
                if other != channel_id:  # `schedule off #old-room`, e.g. for a deleted channel
                    await schedules.off(actor, other)
                    return render.schedule_removed_elsewhere(other)
                return render.schedule(await schedules.off(actor, channel_id), "Schedule removed.")
            if action == "list":
                return render.schedule_list(await schedules.list_all(actor))
        except NotAllowed:
            raise NotAllowed(render.NOT_TEACHER) from None  # the service's wording is not Slack's
        raise InvalidInput(render.SCHEDULE_USAGE)

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

    async def _teachers(actor: Actor, text: str) -> render.Message:
        """`schedule teachers` lists them; `schedule teachers add|remove @name` names them."""
        verb, who = split_command(text)
        if verb in {"help", "list"} and not who:
            try:
                return render.teachers(await service.schedules.teachers(actor))
            except NotAllowed:
                raise NotAllowed(render.NOT_TEACHER) from None
        mention = _MENTION.search(who)
        if verb not in {"add", "remove"} or mention is None:
            raise InvalidInput(f"Try `{render.COMMAND} schedule teachers add @name` (or `remove @name`).")
        if verb == "add":
            await service.schedules.add_teacher(actor, mention.group(1))
        else:
            await service.schedules.remove_teacher(actor, mention.group(1))
        return render.teacher_changed(mention.group(1), added=verb == "add")

    def on_button(
        action_id: str | re.Pattern[str], what: str, *, replace_original: bool = False
    ) -> Callable[[ButtonHandler], ButtonHandler]:
        """Registers `handle(body, value, replier)` for a button: ack, then handle, then reply."""

        def decorate(handle: ButtonHandler) -> ButtonHandler:
            async def listener(ack, body, action, client):
                await ack()
                replier = Replier.for_body(body, client)
                await _reply(
                    replier, what, lambda: handle(body, action.get("value", ""), replier), replace=replace_original
                )

            listener.__name__ = handle.__name__  # bolt logs listeners by name
            app.action(action_id)(listener)
            return handle

        return decorate

    @on_button(re.compile("^" + re.escape(render.ANSWER_ACTION_PREFIX)), "answer button")
    async def answer_button(body: dict[str, Any], value: str, replier: Replier) -> render.Message:
        ref, letter = _decode(render.parse_answer_value, value)
        return render.feedback(await service.submit_answer(await named(body, replier.client), letter, ref))

    @on_button(render.OPEN_MODAL_ACTION, "open answer modal")
    async def open_answer_modal(body: dict[str, Any], value: str, replier: Replier) -> None:
        # Straight after the ack, before any other work: the trigger_id expires three seconds after the click.
        ref, prompt = _decode(render.parse_modal_value, value)
        view = render.answer_modal(prompt, ref, response_url=replier.response_url, channel_id=replier.channel_id)
        await replier.client.views_open(trigger_id=body["trigger_id"], view=view)

    @on_button(render.SHOW_CARD_ACTION, "show card")
    async def show_card(body: dict[str, Any], value: str, replier: Replier) -> render.Message:
        return render.reference_card(await service.explain(value))

    @on_button(render.QUIZ_FIGURE_ACTION, "quiz me on this")
    async def quiz_me_on_this(body: dict[str, Any], value: str, replier: Replier) -> render.Message:
        return render.question(await service.practice_question(actor_from(body), figure=value))

    @on_button(render.FORGET_CONFIRM_ACTION, "forget-me confirmed", replace_original=True)
    async def forget_confirmed(body: dict[str, Any], value: str, replier: Replier) -> render.Message:
        # Whoever clicks is the one forgotten: the confirmation is ephemeral, only its asker sees it.
        return render.forgotten(await service.forget_me(actor_from(body)))

    @on_button(render.FORGET_CANCEL_ACTION, "forget-me cancelled", replace_original=True)
    async def forget_cancelled(body: dict[str, Any], value: str, replier: Replier) -> render.Message:
        return render.forget_cancelled()

    @app.view(render.ANSWER_VIEW)
    async def on_modal_submit(ack, body, view, client):
        value = ((view.get("state") or {}).get("values") or {}).get(render.ANSWER_BLOCK, {})
        text = (value.get(render.ANSWER_INPUT) or {}).get("value") or ""
        if not text.strip():
            await ack(response_action="errors", errors={render.ANSWER_BLOCK: "Please type an answer."})
            return
        await ack()
        try:
            ref, url, channel = render.parse_modal_metadata(view.get("private_metadata", ""))
        except (ValueError, KeyError):
            ref, url, channel = None, None, None
        replier = Replier(client, url, channel, (body.get("user") or {}).get("id"))

        async def work() -> render.Message:
            if ref is None:
                raise NotFound("That form no longer works. Ask for a new question.")
            return render.feedback(await service.submit_answer(await named(body, client), text, ref))

        await _reply(replier, "answer modal", work)


def _decode(parse: Callable[[str], Any], value: str) -> Any:
    """Button values are ours; one that does not parse is from an old or foreign message."""
    try:
        return parse(value)
    except (ValueError, KeyError):
        raise NotFound(f"That button no longer works. Ask for a new question with `{render.COMMAND} quiz`.") from None
