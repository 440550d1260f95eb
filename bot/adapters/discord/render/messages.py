"""Replies to a student: questions, feedback, leaderboards, stats, reference cards, forgetting, errors."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.adapters.discord import custom_ids
from bot.adapters.discord.render.base import (
    BLUE,
    BUTTON_LABEL,
    BUTTONS,
    CONTENT,
    FIELD_VALUE,
    FIELDS,
    GOLD,
    GREEN,
    RED,
    Button,
    Reply,
    add_field,
    bar,
    clip,
    fit,
    new_embed,
    plural,
    set_footer,
    user_text,
)
from bot.core.arrangement import RESTART
from bot.core.errors import UNEXPECTED_ERROR, StudyError, UnknownName
from bot.core.replies import (
    AnswerFeedback,
    ArrangementStep,
    AskedQuestion,
    EssayAsked,
    EssayHistory,
    EssayStep,
    Forgotten,
    Leaderboard,
    PlanCompared,
    ReferenceCard,
    Stats,
    Timeline,
    TopicMastery,
    TopicSummary,
    judgement_notes,
)
from bot.core.vocabulary import Mode, QuestionKind

# ---------------------------------------------------------------- questions and answers


def question(card: AskedQuestion) -> Reply:
    daily = card.ref.mode is Mode.DAILY
    kind = {Mode.DAILY: "Question of the day", Mode.REVIEW: "Review", Mode.ASSIGNMENT: "Assignment"}.get(
        card.ref.mode, "Practice"
    )
    title = f"{kind} \u00b7 {card.topic}"
    embed = new_embed(title, "\n".join(_question_lines(card)))
    typed = Button("Type your answer", custom_ids.typed(card.ref), discord.ButtonStyle.primary)
    if card.kind in (QuestionKind.ORDER, QuestionKind.MATCH):
        buttons = (*_tap_buttons(card, "", [option.letter for option in card.options]), typed)
        if card.kind is QuestionKind.ORDER:
            how = "Tap the events in time order, earliest first, or type them (e.g. 3 1 4 2)."
        else:
            how = f"Tap the letter for 1. {card.lefts[0]}, then 2, and so on, or type them all (e.g. C A B)."
    elif card.kind.typed:
        buttons = (typed,)
        how = "Tap \u201cType your answer\u201d."
    else:
        buttons = tuple(
            Button(
                clip(option.letter, BUTTON_LABEL),
                custom_ids.answer(card.ref, option.letter),
                discord.ButtonStyle.primary,
            )
            for option in card.options[:BUTTONS]
        )
        how = "Tap your answer."
    if daily:
        note = (
            "You've answered this one: tap again to see your result."
            if card.already_answered
            else "Only you see your result."
        )
        set_footer(embed, how, note)
    elif card.ref.mode is Mode.REVIEW:
        due = f"{plural(card.reviews_due, 'review')} due today, this one included" if card.reviews_due else ""
        set_footer(embed, how, due, "No leaderboard points.")
    elif card.assignment is not None:
        set_footer(embed, how, f"Assignment #{card.assignment.assignment.assignment_id}: {card.assignment.progress}")
    else:
        set_footer(embed, how, "Practice: no leaderboard points.")
    return Reply(embed=fit(embed), buttons=buttons)


def _question_lines(card: AskedQuestion) -> list[str]:
    """The question as the embed shows it: a source's extract first, then the prompt and its options."""
    lines = [card.prompt]
    if card.extract is not None:
        source = card.extract
        lines = [
            f"> *{source.text}*",
            f"\u2014 {source.attribution}",
            *filter(None, [source.note and f"({source.note})"]),
        ]
        lines += ["", f"**{card.prompt}**"]
    if card.kind in (QuestionKind.MULTIPLE_CHOICE, QuestionKind.ORDER):
        lines += [""] + [f"**{option.letter}.** {option.text}" for option in card.options]
    elif card.kind is QuestionKind.MATCH:
        lines += [""] + [f"**{n}.** {left}" for n, left in enumerate(card.lefts, start=1)]
        lines += [""] + [f"**{option.letter}.** {option.text}" for option in card.options]
    return lines


def _tap_buttons(card: AskedQuestion, so_far: str, choices: Sequence[str]) -> tuple[Button, ...]:
    return tuple(
        Button(choice, custom_ids.arrange(card.ref, so_far, choice), discord.ButtonStyle.secondary)
        for choice in choices
    )


def arrangement_step(step: ArrangementStep) -> Reply:
    """An order or match being tapped in: the question again, what was tapped so far, and the next buttons."""
    card = step.card
    embed = new_embed(f"Your answer so far \u00b7 {card.topic}", "\n".join(_question_lines(card)))
    add_field(embed, "So far", step.progress)
    set_footer(embed, step.next_step)
    again = Button("Start again", custom_ids.arrange(card.ref, ".", RESTART))
    buttons = (*_tap_buttons(card, "." + step.so_far, step.left), again)
    return Reply(embed=fit(embed), buttons=buttons)


def tapped(result: ArrangementStep | AnswerFeedback) -> Reply:
    """After a tap: the next step, or the answer's feedback once the last tap completed it."""
    return arrangement_step(result) if isinstance(result, ArrangementStep) else feedback(result)


def feedback(result: AnswerFeedback) -> Reply:
    title = "\u2705 Correct!" if result.correct else "\u274c Not quite"
    embed = new_embed(title, result.explanation, GREEN if result.correct else RED)
    add_field(embed, "Your answer", user_text(result.given), inline=True)
    add_field(embed, "Correct answer", result.correct_answer, inline=True)
    if result.why_wrong:
        add_field(embed, "Why not yours", result.why_wrong)
    if result.ref.mode is Mode.DAILY and not result.repeated:
        add_field(embed, "Points", f"+{result.points} (total {result.total_points})", inline=True)
    else:
        add_field(embed, "Points", f"no new points (total {result.total_points})", inline=True)
    add_field(embed, "Streak", plural(result.streak, "day"), inline=True)
    notes = [result.note] if result.note else []
    if result.ref.mode is Mode.PRACTICE and not result.note:
        notes.append("Practice questions don't change the leaderboard.")
    review = result.ref.mode is Mode.REVIEW and result.reviews_due is not None
    if review:
        left = result.reviews_due or 0
        notes.append(f"{plural(left, 'more review')} due today." if left else "That was your last review for today.")
    if result.assignment is not None:
        verdict = "\u2705 Goal reached!" if result.assignment.finished else "So far"
        add_field(embed, "Assignment", f"{verdict} {result.assignment.progress}")
    if result.correct:
        notes.append("Was it a guess, or too easy? Say so below: it comes back sooner, or later.")
    set_footer(embed, *notes)
    buttons: list[Button] = []
    for card in filter(None, (result.figure, result.term)):
        buttons.append(Button(clip(f"Card: {card.name}", BUTTON_LABEL), custom_ids.card(card.card_id)))
    if result.correct:
        buttons += [
            Button("I guessed", custom_ids.rate(result.ref.question_id, "guessed")),
            Button("Too easy", custom_ids.rate(result.ref.question_id, "easy")),
        ]
    if review:
        label = f"Next review ({left} left)" if left else "Finish review"
        buttons.append(Button(label, custom_ids.next_review(), discord.ButtonStyle.primary))
    if result.assignment is not None and not result.assignment.finished:
        number = result.assignment.assignment.assignment_id
        buttons.append(Button("Next question", custom_ids.assignment(number), discord.ButtonStyle.primary))
    return Reply(embed=fit(embed), buttons=tuple(buttons))


# ---------------------------------------------------------------- leaderboard and stats


def leaderboard(board: Leaderboard, *, personal: bool = True) -> Reply:
    """The board; `personal=False` for a public post, which has no caller to give a rank to, and for a
    caller shown under a pseudonym or not at all (a "you" would tie them to it: see privacy.own_rank)."""
    lines = [
        f"**{entry.rank}.** {user_text(entry.name, 100)} \u2014 {plural(entry.points, 'pt')}"
        + (" \u2190 you" if personal and entry.is_caller else "")
        for entry in board.entries
    ]
    if not lines:
        lines = ["No points yet. Answer `/daily` to get on the board!"]
    embed = new_embed(f"Leaderboard \u00b7 {board.period_label}", "\n".join(lines), GOLD)
    if not personal:
        you = "Answer the daily question to climb the board."
    elif board.caller is not None:
        you = f"You are #{board.caller.rank} of {board.total_ranked} with {plural(board.caller.points, 'pt')}."
    else:
        you = "You have no points in this period yet."
    set_footer(embed, you, "Name, pseudonym or hidden: /privacy")
    return Reply(embed=fit(embed))


def stats(result: Stats, *, own: bool = True) -> Reply:
    """A student's stats; `own=False` when someone else's are asked for (then without their reviews due)."""
    if result.answered:
        answered = f"{result.daily_answered} daily, {result.practice_answered} practice"
        if result.review_answered:
            answered += f", {result.review_answered} review"
        answered += result.assignment_note
        lines = [
            f"**Accuracy:** {result.accuracy:.0%} ({result.correct} of {result.answered} correct)",
            f"**Answered:** {answered}",
            f"**Points:** {result.points}",
            f"**Streak:** {plural(result.current_streak, 'day')} (best {result.best_streak})"
            f" \u00b7 {result.freeze_note}",
        ]
        if own:
            lines.append(f"**Due now:** {result.due_now} \u00b7 **this week:** {result.due_this_week} (`/review`)")
        description = "\n".join(lines)
    else:
        description = "No answers yet. Try `/daily` or `/quiz`."
    embed = new_embed(f"Stats \u00b7 {user_text(result.name, 100)}", description)
    if result.mastery:
        add_field(embed, "Mastery: what you'd recall now" if own else "Mastery", mastery_lines(result.mastery))
    topics = list(result.per_topic)
    room = FIELDS - len(embed.fields)
    shown = topics if len(topics) <= room else topics[: room - 1]
    for topic in shown:
        add_field(embed, topic.topic, f"{topic.correct}/{topic.answered} correct ({topic.accuracy:.0%})", inline=True)
    if len(shown) < len(topics):
        rest = topics[len(shown) :]
        add_field(
            embed,
            f"{len(rest)} more topics",
            f"{sum(t.correct for t in rest)}/{sum(t.answered for t in rest)} correct",
            inline=True,
        )
    return Reply(embed=fit(embed))


# ---------------------------------------------------------------- reference cards


def reference(card: ReferenceCard, *, private: bool = False) -> Reply:
    """A card; `private` (only the asker sees it) adds their own record on the figure's questions."""
    embed = new_embed(card.name, card.summary, GOLD if card.kind == "figure" else BLUE)
    for section in card.sections:
        add_field(embed, section.heading, section.text)
    record = record_line(card) if private else ""
    set_footer(embed, record, "Also known as: " + ", ".join(card.aliases) if card.aliases else "")
    buttons = ()
    if card.has_questions:
        buttons = (Button("Quiz me on this", custom_ids.quiz(card.card_id), discord.ButtonStyle.primary),)
    return Reply(embed=fit(embed), buttons=buttons)


def record_line(card: ReferenceCard) -> str:
    """The line "Your record: 3 of 4 right" when the asker has answered this figure's questions; else empty."""
    if card.record is None or card.record.answered <= 0:
        return ""
    return f"Your record: {card.record.correct} of {card.record.answered} right"


def record_note(card: ReferenceCard) -> Reply | None:
    """The asker's record, privately, beside a card shown to the whole channel (None when there is none)."""
    line = record_line(card)
    return Reply(content=f"{line} on {card.name}'s questions. (Only you can see this.)") if line else None


def mastery_lines(mastery: Sequence[TopicMastery], limit: int = FIELD_VALUE) -> str:
    """A line a topic: a bar and the share recalled now, the topic, and how many of its questions were met."""
    lines: list[str] = []
    length = 0
    for index, topic in enumerate(mastery):
        line = f"`{bar(topic.recall)}` {topic.recall:.0%} {clip(topic.topic, 80)} ({topic.met}/{topic.total} met)"
        more = f"\u2026 and {len(mastery) - index} more topics"
        if length + len(line) + 1 > limit - len(more) - 1 and index < len(mastery) - 1:
            lines.append(more)
            break
        lines.append(line)
        length += len(line) + 1
    return "\n".join(lines)


# ---------------------------------------------------------------- forgetting


def forget_prompt(community_name: str) -> Reply:
    where = f"**{user_text(community_name, 100)}**" if community_name else "this server"
    return Reply(
        content=f"This deletes all your answers, points and streaks in {where}. It cannot be undone.",
        buttons=(
            Button("Delete my data", custom_ids.forget(True), discord.ButtonStyle.danger),
            Button("Cancel", custom_ids.forget(False)),
        ),
    )


def forgotten(result: Forgotten) -> Reply:
    if not result.existed:
        return Reply(content="There was nothing stored about you in this server.")
    return Reply(
        content=f"Done: I deleted {plural(result.attempts_deleted, 'answer')} and your points "
        "and streaks in this server."
    )


def forget_cancelled() -> Reply:
    return Reply(content="Nothing was deleted.")


# ---------------------------------------------------------------- errors


def error(exc: BaseException) -> Reply:
    """The one friendly reply for any failure: a StudyError's message, or a generic apology."""
    if not isinstance(exc, StudyError):
        return Reply(content=UNEXPECTED_ERROR)
    buttons: tuple[Button, ...] = ()
    if isinstance(exc, UnknownName):
        buttons = tuple(
            Button(clip(name, BUTTON_LABEL), custom_ids.card(name))
            for name in dict.fromkeys(exc.suggestions)
            if custom_ids.fits(name)
        )[:5]
    return Reply(content=clip(exc.message, CONTENT), buttons=buttons)


def timeline(reply: Timeline) -> Reply:
    lines = [f"**{event.when}** \u00b7 {user_text(event.event, 200)}" for event in reply.events]
    embed = new_embed(reply.title, "\n".join(lines))
    if reply.more_note:
        set_footer(embed, reply.more_note.replace("`timeline 1928 1932`", "/timeline from:1928 to:1932"))
    return Reply(embed=fit(embed))


def summary(reply: TopicSummary) -> Reply:
    embed = new_embed(f"Summary \u00b7 {reply.topic.title}", reply.description)
    if reply.dates:
        add_field(embed, "Key dates", "\n".join(f"**{event.when}**: {event.event}" for event in reply.dates))
    if reply.people:
        add_field(embed, "People", ", ".join(person.name for person in reply.people), inline=True)
    if reply.terms:
        add_field(embed, "Terms", ", ".join(term.name for term in reply.terms), inline=True)
    add_field(embed, "You", "\n".join([reply.record, *(f"\u2022 {prompt}" for prompt in reply.missed)]))
    set_footer(embed, f"Practise it: /quiz topic:{reply.topic.topic_id}")
    cards = [*reply.people, *reply.terms][:BUTTONS]
    buttons = tuple(Button(clip(f"Card: {card.name}", BUTTON_LABEL), custom_ids.card(card.card_id)) for card in cards)
    return Reply(embed=fit(embed), buttons=buttons)


def essay_asked(asked: EssayAsked) -> Reply:
    embed = new_embed(f"Essay plan \u00b7 {asked.topic} \u00b7 {asked.marks} marks", f"**{asked.question}**")
    add_field(embed, "Factors", "\n".join(f"**{n}.** {factor}" for n, factor in enumerate(asked.factors, start=1)))
    pool = zip(asked.letters, asked.evidence, strict=True)
    add_field(embed, "Evidence", "\n".join(f"**{letter}.** {text}" for letter, text in pool))
    set_footer(
        embed,
        "Tap your factors, most important first (3 or 4), then the evidence for each, then write your "
        "judgement; or tap \u201cWrite your plan\u201d to type it all (e.g. 2 4 1, B D A, a one-line judgement).",
    )
    taps = tuple(
        Button(str(n), custom_ids.essay_tap(asked.plan_id, "", "", str(n))) for n in range(1, len(asked.factors) + 1)
    )
    buttons = (*taps, Button("Write your plan", custom_ids.essay(asked.plan_id), discord.ButtonStyle.primary))
    return Reply(embed=fit(embed), buttons=buttons)


def essay_step(step: EssayStep) -> Reply:
    """A plan being tapped in: the question, its factors and evidence, the plan so far and the next buttons."""
    asked = step.asked
    reply = essay_asked(asked)
    assert reply.embed is not None
    embed = reply.embed
    embed.title = f"Your plan so far \u00b7 {asked.marks} marks"
    waiting = "\u2026"
    plan = [f"**{n}. {factor}**: {evidence or waiting}" for n, (factor, evidence) in enumerate(step.chosen, 1)]
    add_field(embed, "Your plan", "\n".join(plan) or waiting)
    set_footer(embed, step.next_step)
    shown = "." + step.factors

    def tap(label: str, value: str) -> Button:
        return Button(label, custom_ids.essay_tap(asked.plan_id, shown, step.evidence, value))

    if step.stage == "factors":
        buttons = [tap(number, number) for number in step.factors_left]
        if step.can_stop_choosing:
            buttons.append(tap("These 3", "."))
    elif step.stage == "evidence":
        buttons = [tap(letter, letter) for letter in asked.letters]
    else:
        write = custom_ids.essay(asked.plan_id, step.factors, step.evidence)
        buttons = [Button("Write your judgement", write, discord.ButtonStyle.primary)]
    buttons.append(tap("Start again", "0"))
    return Reply(embed=fit(embed), buttons=tuple(buttons))


def plan_compared(compared: PlanCompared) -> Reply:
    embed = new_embed("Your plan beside the model's", f"**{compared.question}** ({compared.marks} marks)", BLUE)
    mine = []
    for n, factor in enumerate(compared.mine, start=1):
        mine.append(f"**{n}. {factor.name}**: {factor.evidence}")
        if not factor.fits:
            mine.append(f"\u2003*That evidence proves another factor; for this one:* {factor.better}")
    add_field(embed, "Your plan", "\n".join(mine))
    model = zip(compared.model, compared.links, strict=True)
    add_field(
        embed,
        "The model plan",
        "\n".join(f"**{n}. {f.name}**: {f.evidence} *({link})*" for n, (f, link) in enumerate(model, 1)),
    )
    if compared.missed:
        add_field(embed, "You left out", "; ".join(compared.missed))
    verdict = [f"Yours: {user_text(compared.judgement, 400)}", f"The model's: {compared.model_judgement}"]
    add_field(embed, "Judgement", "\n".join([*verdict, " ".join(judgement_notes(compared))]))
    level = f"Level {compared.level} ({compared.level_marks}): {compared.level_descriptor}"
    add_field(embed, "A plan like this aims at", "\n".join(filter(None, [level, compared.lift])))
    set_footer(embed, compared.honest_note)
    return Reply(embed=fit(embed))


def essay_history(history: EssayHistory) -> Reply:
    if not history.plans:
        return Reply(embed=new_embed("Your essay plans", "No essay plans yet: try /essay plan."))
    lines = [
        f"{plan.finished_at:%d %b %Y} \u00b7 level {plan.level} of 4 \u00b7 {plan.question} ({plan.marks})"
        for plan in history.plans
    ]
    return Reply(embed=fit(new_embed("Your essay plans", "\n".join(lines))))
