"""Button clicks: answer a choice, open the short-answer modal, show a card, quiz me on this, forget-me, and
spaced review's: start or go on with a review, practise the weakest topic, "I guessed" / "Too easy", and
turn reminders off (from the reminder's direct message)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp

from bot.adapters.slack import ids, render
from bot.adapters.slack.listeners.actors import Actors
from bot.adapters.slack.listeners.replies import Replier, decode, reply

if TYPE_CHECKING:
    from bot.service import StudyService

START_A_PLAN = f"Start a plan with `{ids.COMMAND} essay`."
ButtonHandler = Callable[[dict[str, Any], str, Replier], Awaitable[render.Message | None]]


def register(app: AsyncApp, service: StudyService, actors: Actors) -> None:
    def on_button(
        action_id: str | re.Pattern[str], what: str, *, replace_original: bool | Callable[[str], bool] = False
    ) -> Callable[[ButtonHandler], ButtonHandler]:
        """Registers `handle(body, value, replier)` for a button: ack, then handle, then reply (replacing the
        message the button was on when `replace_original` is true, or says so of the button's value)."""

        def decorate(handle: ButtonHandler) -> ButtonHandler:
            async def listener(ack, body, action, client):
                await ack()
                replier = Replier.for_body(body, client)
                value = action.get("value", "")
                replace = replace_original(value) if callable(replace_original) else replace_original
                await reply(replier, what, lambda: handle(body, value, replier), replace=replace)

            listener.__name__ = handle.__name__  # bolt logs listeners by name
            app.action(action_id)(listener)
            return handle

        return decorate

    @on_button(re.compile("^" + re.escape(ids.ANSWER_ACTION_PREFIX)), "answer button")
    async def answer_button(body: dict[str, Any], value: str, replier: Replier) -> render.Message:
        ref, letter = decode(ids.parse_answer_value, value)
        return render.feedback(await service.submit_answer(await actors.named(body, replier.client), letter, ref))

    # An order's or match's taps, and an essay plan's: the first answers privately; the taps on that private
    # message replace it, the last with the result.
    @on_button(re.compile("^" + re.escape(ids.TAP_ACTION_PREFIX)), "tap button", replace_original=ids.on_tapped_message)
    async def tap_button(body: dict[str, Any], value: str, replier: Replier) -> render.Message:
        ref, _, so_far = decode(ids.parse_tap_value, value)
        actor = await actors.named(body, replier.client)
        return render.tapped(await service.tap_answer(actor, ref, so_far, ids.tapped(body, ids.TAP_ACTION_PREFIX)))

    @on_button(ids.OPEN_MODAL_ACTION, "open answer modal")
    async def open_answer_modal(body: dict[str, Any], value: str, replier: Replier) -> None:
        # Straight after the ack, before any other work: the trigger_id expires three seconds after the click.
        ref, prompt = decode(ids.parse_modal_value, value)
        view = render.answer_modal(prompt, ref, response_url=replier.response_url, channel_id=replier.channel_id)
        await replier.client.views_open(trigger_id=body["trigger_id"], view=view)

    @on_button(ids.OPEN_ESSAY_ACTION, "open essay plan form")
    async def open_essay_form(body: dict[str, Any], value: str, replier: Replier) -> None:
        plan_id, _, factors, evidence = decode(ids.parse_essay_value, value)
        prefilled = {"factors": " ".join(factors), "evidence": " ".join(evidence)}  # what was tapped
        where = {"response_url": replier.response_url, "channel_id": replier.channel_id}
        await replier.client.views_open(
            trigger_id=body["trigger_id"], view=render.essay_modal(plan_id, prefilled, **where)
        )

    @on_button(re.compile("^" + re.escape(ids.ESSAY_TAP_PREFIX)), "essay tap", replace_original=ids.on_tapped_message)
    async def essay_tap(body: dict[str, Any], value: str, replier: Replier) -> render.Message:
        plan_id, _, factors, evidence = decode(ids.parse_essay_value, value, instead=START_A_PLAN)
        tap = ids.tapped(body, ids.ESSAY_TAP_PREFIX)
        actor = await actors.named(body, replier.client)
        return render.essay_step(await service.essay_step(actor, plan_id, factors, evidence, tap))

    @on_button(ids.SHOW_CARD_ACTION, "show card")
    async def show_card(body: dict[str, Any], value: str, replier: Replier) -> render.Message:
        return render.reference_card(await service.explain(value, actor=await actors.named(body, replier.client)))

    @on_button(ids.QUIZ_FIGURE_ACTION, "quiz me on this")
    async def quiz_me_on_this(body: dict[str, Any], value: str, replier: Replier) -> render.Message:
        return render.question(await service.practice_question(await actors.named(body, replier.client), figure=value))

    @on_button(ids.FORGET_CONFIRM_ACTION, "forget-me confirmed", replace_original=True)
    async def forget_confirmed(body: dict[str, Any], value: str, replier: Replier) -> render.Message:
        # Whoever clicks is the one forgotten: the confirmation is ephemeral, only its asker sees it.
        return render.forgotten(await service.forget_me(await actors.named(body, replier.client)))

    @on_button(ids.FORGET_CANCEL_ACTION, "forget-me cancelled", replace_original=True)
    async def forget_cancelled(body: dict[str, Any], value: str, replier: Replier) -> render.Message:
        return render.forget_cancelled()

    @on_button(ids.REVIEW_ACTION, "review button")
    async def review_button(body: dict[str, Any], value: str, replier: Replier) -> render.Message:
        # "Start review" (in a reminder) and "Next review" (under a review answer): the value says nothing more.
        actor = await actors.named(body, replier.client)
        return render.next_review(await service.next_review(actor), service.clock())

    @on_button(ids.PRACTISE_TOPIC_ACTION, "practise topic")
    async def practise_topic(body: dict[str, Any], value: str, replier: Replier) -> render.Message:
        topic = decode(ids.parse_topic_value, value)
        return render.question(await service.practice_question(await actors.named(body, replier.client), topic))

    @on_button(re.compile("^" + re.escape(ids.RATE_ACTION_PREFIX)), "rate button")
    async def rate_button(body: dict[str, Any], value: str, replier: Replier) -> render.Message:
        action_id = ((body.get("actions") or [{}])[0] or {}).get("action_id", "")  # the rating is in the id
        question_id, how = decode(lambda v: ids.parse_rate(action_id, v), value)
        noted = await service.rate_answer(await actors.named(body, replier.client), question_id, how)
        return render.rating_noted(noted, service.clock())

    @on_button(ids.REMINDERS_ACTION, "reminders button")
    async def reminders_button(body: dict[str, Any], value: str, replier: Replier) -> render.Message:
        on = decode(ids.parse_reminders_value, value)
        return render.reminders_setting(
            await service.set_review_reminders(await actors.named(body, replier.client), on)
        )
