"""Persistent buttons and the short-answer modal.

Every button is a DynamicItem: its custom_id (custom_ids.py) carries all the click needs, and the
classes are registered with the client at start-up, so buttons on messages sent before a restart
keep working. The modal works the same way: its custom_id carries the question, and its submission
is handled from that (`submit_typed_answer`), not by an object in memory. Nothing is kept per message.
A click on a button none of these recognise (an old or forged id) gets a friendly answer (`answer_unclaimed`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from typing import Any

import discord
from discord.ui import DynamicItem

from bot.adapters.discord import custom_ids, render
from bot.adapters.discord.render import assignments as assignment_render
from bot.adapters.discord.respond import actor_for, deliver, report_error, scope_of, send, service_of
from bot.core.errors import StudyError
from bot.core.essays import MAX_JUDGEMENT
from bot.core.grading import MAX_INPUT
from bot.core.replies import QuestionRef

INPUT_DESCRIPTION = 100
ANSWER_INPUT = "answer"


class Persistent:
    """Mixin for our DynamicItems: parse the custom_id, run, and report any failure in one place."""

    item: discord.ui.Button
    template: re.Pattern[str]

    def __init__(self, item: discord.ui.Button) -> None:
        super().__init__(item)  # type: ignore[call-arg]

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> Any:
        return cls(item)  # parsing happens in callback, where errors are reported to the user

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            match = self.template.fullmatch(self.item.custom_id or "")
            assert match is not None, "DynamicItem dispatched with a custom_id its template refuses"
            await self.run(interaction, match)
        except Exception as error:  # noqa: BLE001 - report_error logs it and answers the user
            await report_error(interaction, error)

    async def run(self, interaction: discord.Interaction, match: re.Match[str]) -> None:
        raise NotImplementedError


class AnswerButton(Persistent, DynamicItem[discord.ui.Button], template=custom_ids.ANSWER):
    async def run(self, interaction: discord.Interaction, match: re.Match[str]) -> None:
        actor = await actor_for(interaction, match["guild"])
        ref = QuestionRef.decode(match["ref"])
        await deliver(
            interaction,
            service_of(interaction).submit_answer(actor, match["answer"], ref),
            render.feedback,
            ephemeral=True,
        )


class TypeAnswerButton(Persistent, DynamicItem[discord.ui.Button], template=custom_ids.TYPED):
    async def run(self, interaction: discord.Interaction, match: re.Match[str]) -> None:
        await actor_for(interaction, match["guild"])  # refuse outside a server before opening the modal
        ref = QuestionRef.decode(match["ref"])
        message = interaction.message
        prompt = message.embeds[0].description if message is not None and message.embeds else None
        await interaction.response.send_modal(answer_modal(ref, prompt or "", scope=scope_of(interaction)))


class TapButton(Persistent, DynamicItem[discord.ui.Button], template=custom_ids.ARRANGE):
    """One tap of an order or match answer. The first (on the question, which may be the class's post)
    answers privately; the next ones update that private message, until the last submits the answer."""

    async def run(self, interaction: discord.Interaction, match: re.Match[str]) -> None:
        actor = await actor_for(interaction, match["guild"])
        ref = QuestionRef.decode(match["ref"])
        result = service_of(interaction).tap_answer(actor, ref, match["so_far"], match["tap"])
        await deliver(interaction, result, render.tapped, ephemeral=True, update=bool(match["shown"]))


class CardButton(Persistent, DynamicItem[discord.ui.Button], template=custom_ids.CARD):
    async def run(self, interaction: discord.Interaction, match: re.Match[str]) -> None:
        actor = await actor_for(interaction, match["guild"])
        await deliver(
            interaction,
            service_of(interaction).explain(match["query"], actor=actor),
            functools.partial(render.reference, private=True),
            ephemeral=True,
        )


class QuizButton(Persistent, DynamicItem[discord.ui.Button], template=custom_ids.QUIZ):
    async def run(self, interaction: discord.Interaction, match: re.Match[str]) -> None:
        actor = await actor_for(interaction, match["guild"])
        await deliver(
            interaction,
            service_of(interaction).practice_question(actor, figure=match["card"]),
            render.question,
            ephemeral=True,
        )


class ForgetButton(Persistent, DynamicItem[discord.ui.Button], template=custom_ids.FORGET):
    async def run(self, interaction: discord.Interaction, match: re.Match[str]) -> None:
        actor = await actor_for(interaction, match["guild"])
        if match["choice"] == "yes":
            await deliver(
                interaction, service_of(interaction).forget_me(actor), render.forgotten, ephemeral=True, update=True
            )
        else:
            await send(interaction, render.forget_cancelled(), ephemeral=True, update=True)


# ---------------------------------------------------------------- spaced review


def _now(interaction: discord.Interaction) -> dt.datetime:
    return service_of(interaction).clock()


class ReviewButton(Persistent, DynamicItem[discord.ui.Button], template=custom_ids.REVIEW):
    """The next question due: the "Next review" button after a review answer, and "Start review" in a reminder."""

    async def run(self, interaction: discord.Interaction, match: re.Match[str]) -> None:
        actor = await actor_for(interaction, match["guild"])
        review = functools.partial(render.review, now=_now(interaction))
        await deliver(interaction, service_of(interaction).next_review(actor), review, ephemeral=True)


class RateButton(Persistent, DynamicItem[discord.ui.Button], template=custom_ids.RATE):
    """The "I guessed" / "Too easy" buttons after a right answer: re-grade it, say when it comes back."""

    async def run(self, interaction: discord.Interaction, match: re.Match[str]) -> None:
        how = custom_ids.RATINGS.get(match["how"])
        if how is None:
            raise StudyError(render.OUTDATED_BUTTON)
        actor = await actor_for(interaction, match["guild"])
        rating = functools.partial(render.rating, now=_now(interaction))
        await deliver(
            interaction, service_of(interaction).rate_answer(actor, match["question"], how), rating, ephemeral=True
        )


class TopicButton(Persistent, DynamicItem[discord.ui.Button], template=custom_ids.TOPIC):
    """A practice question from a topic: the "Practise <weakest topic>" button when no reviews are due."""

    async def run(self, interaction: discord.Interaction, match: re.Match[str]) -> None:
        actor = await actor_for(interaction, match["guild"])
        await deliver(
            interaction,
            service_of(interaction).practice_question(actor, match["topic"]),
            render.question,
            ephemeral=True,
        )


class RemindersButton(Persistent, DynamicItem[discord.ui.Button], template=custom_ids.REMINDERS):
    """The "Turn off reminders" button (in every reminder) and "Turn reminders back on"."""

    async def run(self, interaction: discord.Interaction, match: re.Match[str]) -> None:
        if match["choice"] not in {"on", "off"}:
            raise StudyError(render.OUTDATED_BUTTON)
        actor = await actor_for(interaction, match["guild"])
        await deliver(
            interaction,
            service_of(interaction).set_review_reminders(actor, match["choice"] == "on"),
            render.reminders_setting,
            ephemeral=True,
        )


# ---------------------------------------------------------------- assignments


def _assignment_number(match: re.Match[str]) -> int:
    if not match["assignment"].isdigit() or len(match["assignment"]) > 9:
        raise StudyError(render.OUTDATED_BUTTON)
    return int(match["assignment"])


class AssignmentButton(Persistent, DynamicItem[discord.ui.Button], template=custom_ids.ASSIGNMENT):
    """The "Start" button on an assignment's announcement and "Next question" under an answer: the student's next
    question of it, privately (or, once they reached the goal, their standing)."""

    async def run(self, interaction: discord.Interaction, match: re.Match[str]) -> None:
        number = _assignment_number(match)
        actor = await actor_for(interaction, match["guild"])
        work = service_of(interaction).assignments.start(actor, number)
        await deliver(interaction, work, assignment_render.step, ephemeral=True)


class CloseAssignmentButton(Persistent, DynamicItem[discord.ui.Button], template=custom_ids.CLOSE_ASSIGNMENT):
    """A teacher's "Close #N" on their list of the class's assignments (the service checks they are one)."""

    async def run(self, interaction: discord.Interaction, match: re.Match[str]) -> None:
        number = _assignment_number(match)
        actor = await actor_for(interaction, match["guild"])
        work = service_of(interaction).assignments.close(actor, number)
        await deliver(interaction, work, assignment_render.closed, ephemeral=True)


# ---------------------------------------------------------------- essay plans

PLAN_INPUTS = (
    ("factors", "Your factors, most important first", "e.g. 2 4 1", 20),
    ("evidence", "An evidence letter for each, in the same order", "e.g. B D A", 20),
    ("judgement", "Your judgement, in one line", "Your answer to the question, and why", MAX_JUDGEMENT),
)


class EssayPlanButton(Persistent, DynamicItem[discord.ui.Button], template=custom_ids.ESSAY):
    async def run(self, interaction: discord.Interaction, match: re.Match[str]) -> None:
        await actor_for(interaction, match["guild"])  # refuse outside a server before opening the form
        prefilled = {"factors": " ".join(match["factors"] or ""), "evidence": " ".join(match["evidence"] or "")}
        await interaction.response.send_modal(plan_modal(int(match["plan"]), prefilled, scope=scope_of(interaction)))


class EssayTapButton(Persistent, DynamicItem[discord.ui.Button], template=custom_ids.ESSAY_TAP):
    """One tap of a plan built by buttons: the first answers privately, the next update that message."""

    async def run(self, interaction: discord.Interaction, match: re.Match[str]) -> None:
        actor = await actor_for(interaction, match["guild"])
        plan_id, factors, evidence, tap = int(match["plan"]), match["factors"], match["evidence"], match["tap"]
        step = service_of(interaction).essay_step(actor, plan_id, factors, evidence, tap)
        await deliver(interaction, step, render.essay_step, ephemeral=True, update=bool(match["shown"]))


def plan_modal(plan_id: int, prefilled: dict[str, str] | None = None, *, scope: int | None = None) -> discord.ui.Modal:
    custom_id = custom_ids.essay_form(plan_id)
    custom_id = (custom_ids.scoped(custom_id, scope) or custom_id) if scope is not None else custom_id
    modal = discord.ui.Modal(title="Your essay plan", custom_id=custom_id, timeout=None)
    for input_id, label, hint, length in PLAN_INPUTS:
        style = discord.TextStyle.paragraph if input_id == "judgement" else discord.TextStyle.short
        field = discord.ui.TextInput(
            custom_id=input_id,
            style=style,
            max_length=length,
            required=True,
            placeholder=hint,
            default=(prefilled or {}).get(input_id) or None,
        )
        modal.add_item(discord.ui.Label(text=label, component=field))
    modal.stop()
    return modal


async def submit_essay_plan(interaction: discord.Interaction) -> None:
    """Compare a submitted plan form, whenever it was opened; ignore any other interaction."""
    data, match = _submitted(interaction, custom_ids.ESSAY_FORM)
    if match is None:
        return
    try:
        actor = await actor_for(interaction, match["guild"])
        values = typed_values(data)
        parts = [values.get(input_id, "") for input_id, *_ in PLAN_INPUTS]
        compared = service_of(interaction).submit_essay_plan(actor, *parts, plan_id=int(match["plan"]))
        await deliver(interaction, compared, render.plan_compared, ephemeral=True)
    except Exception as error:  # noqa: BLE001 - report_error logs it and answers the user
        await report_error(interaction, error)


PERSISTENT_ITEMS: tuple[type[DynamicItem[Any]], ...] = (
    AnswerButton,
    TypeAnswerButton,
    TapButton,
    CardButton,
    QuizButton,
    ForgetButton,
    ReviewButton,
    RateButton,
    TopicButton,
    RemindersButton,
    AssignmentButton,
    CloseAssignmentButton,
    EssayPlanButton,
    EssayTapButton,
)


def build_view(buttons: Sequence[render.Button], *, scope: int | None = None) -> discord.ui.View | None:
    """A view of persistent buttons (laid out 5 to a row), or None when there are none. With `scope` (a
    direct message acting in that server) each id carries the server; one that would not fit is left out."""
    view = discord.ui.View(timeout=None)
    for spec in buttons[: render.BUTTONS]:
        custom_id = custom_ids.scoped(spec.custom_id, scope) if scope is not None else spec.custom_id
        if custom_id is None:
            continue
        kind = next(k for k in PERSISTENT_ITEMS if k.__discord_ui_compiled_template__.fullmatch(custom_id))
        view.add_item(
            kind(
                discord.ui.Button(
                    label=render.clip(spec.label, render.BUTTON_LABEL), custom_id=custom_id, style=spec.style
                )
            )
        )
    return view if view.children else None


def answer_modal(ref: QuestionRef, prompt: str, *, scope: int | None = None) -> discord.ui.Modal:
    """The "Type your answer" modal. It is stopped before it is sent, so discord.py does not keep it
    in memory (where a restart would lose it): `submit_typed_answer` handles its submission. With
    `scope`, opened in a direct message, its id names the server as the button's did."""
    custom_id = custom_ids.typed_answer(ref)
    custom_id = (custom_ids.scoped(custom_id, scope) or custom_id) if scope is not None else custom_id
    modal = discord.ui.Modal(title="Your answer", custom_id=custom_id, timeout=None)
    answer = discord.ui.TextInput(
        custom_id=ANSWER_INPUT, style=discord.TextStyle.short, max_length=MAX_INPUT, required=True
    )
    modal.add_item(
        discord.ui.Label(
            text="Your answer", description=render.clip(prompt, INPUT_DESCRIPTION) or None, component=answer
        )
    )
    modal.stop()
    return modal


async def submit_typed_answer(interaction: discord.Interaction) -> None:
    """Score a submitted answer modal, whenever it was opened; ignore any other interaction."""
    data, match = _submitted(interaction, custom_ids.TYPED_ANSWER)
    if match is None:
        return
    try:
        actor = await actor_for(interaction, match["guild"])
        ref = QuestionRef.decode(match["ref"])
        await deliver(
            interaction,
            service_of(interaction).submit_answer(actor, _typed_value(data), ref),
            render.feedback,
            ephemeral=True,
        )
    except Exception as error:  # noqa: BLE001 - report_error logs it and answers the user
        await report_error(interaction, error)


async def answer_unclaimed(interaction: discord.Interaction) -> None:
    """A button click or modal none of ours recognise (an id from an older version, or forged): without
    this Discord would show the student only "This interaction failed"."""
    data: dict[str, Any] = interaction.data or {}  # type: ignore[assignment]
    custom_id = str(data.get("custom_id", ""))
    if interaction.type is discord.InteractionType.component:
        if any(kind.__discord_ui_compiled_template__.fullmatch(custom_id) for kind in PERSISTENT_ITEMS):
            return
    elif interaction.type is discord.InteractionType.modal_submit:
        if re.fullmatch(custom_ids.TYPED_ANSWER, custom_id) or re.fullmatch(custom_ids.ESSAY_FORM, custom_id):
            return
    else:
        return
    await report_error(interaction, StudyError(render.OUTDATED_BUTTON))


def _submitted(interaction: discord.Interaction, template: str) -> tuple[dict[str, Any], re.Match[str] | None]:
    """A submitted form's data, and its custom_id matched against `template` (None: not this form)."""
    data: dict[str, Any] = interaction.data or {}  # type: ignore[assignment]
    if interaction.type is not discord.InteractionType.modal_submit:
        return data, None
    return data, re.fullmatch(template, str(data.get("custom_id", "")))


def typed_values(data: dict[str, Any]) -> dict[str, str]:
    """A submitted form's text inputs by custom_id, wherever they sit (in labels, or action rows in older
    clients)."""
    found: dict[str, str] = {}
    pending = list(data.get("components") or [])
    while pending:
        component = pending.pop()
        if "custom_id" in component and "value" in component:
            found[str(component["custom_id"])] = str(component["value"])
        pending += [component["component"]] if "component" in component else component.get("components") or []
    return found


def _typed_value(data: dict[str, Any]) -> str:
    """The answer input's value."""
    return typed_values(data).get(ANSWER_INPUT, "")
