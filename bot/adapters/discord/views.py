"""Persistent buttons and the short-answer modal.

Every button is a DynamicItem: its custom_id (custom_ids.py) carries all the click needs, and the
classes are registered with the client at start-up, so buttons on messages sent before a restart
keep working. The modal works the same way: its custom_id carries the question, and its submission
is handled from that (`submit_typed_answer`), not by an object in memory. Nothing is kept per message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import discord
from discord.ui import DynamicItem

from bot.adapters.discord import custom_ids, render
from bot.adapters.discord.respond import actor_from, deliver, report_error, send, service_of
from bot.core.grading import MAX_INPUT
from bot.core.replies import QuestionRef

INPUT_DESCRIPTION = 100
ANSWER_INPUT = "answer"


class _Persistent:
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


class AnswerButton(_Persistent, DynamicItem[discord.ui.Button], template=custom_ids.ANSWER):
    async def run(self, interaction: discord.Interaction, match: re.Match[str]) -> None:
        actor = actor_from(interaction)
        ref = QuestionRef.decode(match["ref"])
        await deliver(
            interaction,
            service_of(interaction).submit_answer(actor, match["answer"], ref),
            render.feedback,
            ephemeral=True,
        )


class TypeAnswerButton(_Persistent, DynamicItem[discord.ui.Button], template=custom_ids.TYPED):
    async def run(self, interaction: discord.Interaction, match: re.Match[str]) -> None:
        actor_from(interaction)  # refuse outside a server before opening the modal
        ref = QuestionRef.decode(match["ref"])
        message = interaction.message
        prompt = message.embeds[0].description if message is not None and message.embeds else None
        await interaction.response.send_modal(answer_modal(ref, prompt or ""))


class CardButton(_Persistent, DynamicItem[discord.ui.Button], template=custom_ids.CARD):
    async def run(self, interaction: discord.Interaction, match: re.Match[str]) -> None:
        actor_from(interaction)
        await deliver(interaction, service_of(interaction).explain(match["query"]), render.reference, ephemeral=True)


class QuizButton(_Persistent, DynamicItem[discord.ui.Button], template=custom_ids.QUIZ):
    async def run(self, interaction: discord.Interaction, match: re.Match[str]) -> None:
        actor = actor_from(interaction)
        await deliver(
            interaction,
            service_of(interaction).practice_question(actor, figure=match["card"]),
            render.question,
            ephemeral=True,
        )


class ForgetButton(_Persistent, DynamicItem[discord.ui.Button], template=custom_ids.FORGET):
    async def run(self, interaction: discord.Interaction, match: re.Match[str]) -> None:
        actor = actor_from(interaction)
        if match["choice"] == "yes":
            await deliver(
                interaction, service_of(interaction).forget_me(actor), render.forgotten, ephemeral=True, update=True
            )
        else:
            await send(interaction, render.forget_cancelled(), ephemeral=True, update=True)


PERSISTENT_ITEMS: tuple[type[DynamicItem[Any]], ...] = (
    AnswerButton,
    TypeAnswerButton,
    CardButton,
    QuizButton,
    ForgetButton,
)


def build_view(buttons: Sequence[render.Button]) -> discord.ui.View | None:
    """A view of persistent buttons (laid out 5 to a row), or None when there are none."""
    if not buttons:
        return None
    view = discord.ui.View(timeout=None)
    for spec in buttons[: render.BUTTONS]:
        kind = next(k for k in PERSISTENT_ITEMS if k.__discord_ui_compiled_template__.fullmatch(spec.custom_id))
        view.add_item(
            kind(
                discord.ui.Button(
                    label=render.clip(spec.label, render.BUTTON_LABEL), custom_id=spec.custom_id, style=spec.style
                )
            )
        )
    return view


def answer_modal(ref: QuestionRef, prompt: str) -> discord.ui.Modal:
    """The "Type your answer" modal. It is stopped before it is sent, so discord.py does not keep it
    in memory (where a restart would lose it): `submit_typed_answer` handles its submission."""
    modal = discord.ui.Modal(title="Your answer", custom_id=custom_ids.typed_answer(ref), timeout=None)
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
    data: dict[str, Any] = interaction.data or {}  # type: ignore[assignment]
    match = re.fullmatch(custom_ids.TYPED_ANSWER, str(data.get("custom_id", "")))
    if interaction.type is not discord.InteractionType.modal_submit or match is None:
        return
    try:
        actor = actor_from(interaction)
        ref = QuestionRef.decode(match["ref"])
        await deliver(
            interaction,
            service_of(interaction).submit_answer(actor, _typed_value(data), ref),
            render.feedback,
            ephemeral=True,
        )
    except Exception as error:  # noqa: BLE001 - report_error logs it and answers the user
        await report_error(interaction, error)


def _typed_value(data: dict[str, Any]) -> str:
    """The answer input's value, wherever it sits (in a label, or an action row in older clients)."""
    pending = list(data.get("components") or [])
    while pending:
        component = pending.pop()
        if component.get("custom_id") == ANSWER_INPUT and "value" in component:
            return str(component["value"])
        pending += [component["component"]] if "component" in component else component.get("components") or []
    return ""
