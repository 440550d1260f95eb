"""Replies to a student: questions and the answer modal, feedback, leaderboards, cards, stats,
forget-me, help and errors. Pure functions from a reply to a Block Kit message."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.adapters.slack import ids
from bot.adapters.slack.ids import COMMAND
from bot.adapters.slack.render.assignments import note as assignment_note
from bot.adapters.slack.render.blocks import (
    ECHO_NAME,
    MAX_BLOCKS,
    MODAL_BUTTON,
    MODAL_TITLE,
    SECTION_TEXT,
    Message,
    actions,
    button,
    context,
    echo,
    escape,
    fit_mrkdwn,
    header,
    message,
    points,
    section,
    truncate,
)
from bot.adapters.slack.render.review import feedback_buttons, review_note
from bot.core.arrangement import RESTART, example
from bot.core.errors import UNEXPECTED_ERROR, StudyError, UnknownName, UnknownTopic
from bot.core.grading import MAX_INPUT
from bot.core.replies import (
    AnswerFeedback,
    ArrangementStep,
    AskedQuestion,
    EssayAsked,
    EssayHistory,
    EssayStep,
    Forgotten,
    Leaderboard,
    Option,
    PlanCompared,
    QuestionRef,
    ReferenceCard,
    Stats,
    Timeline,
    TopicSummary,
    judgement_notes,
)
from bot.core.vocabulary import Mode, QuestionKind

HELP_LINES: tuple[tuple[str, str], ...] = (
    ("daily", "today's question for everyone here (points and streaks)"),
    ("review", "your spaced review: what you got wrong or may be forgetting, the most overdue first"),
    ("review reminders on|off", "a direct message on days reviews wait for you"),
    ("quiz [topic]", "a practice question, from any topic or one you name"),
    ("quiz weak", "a practice question from your weakest topic"),
    ("topics", "the topics there are questions on"),
    ("answer <text>", "answer your last question in words"),
    ("leaderboard [week|month|all]", "the top ten and your own rank"),
    ("rival <name>", "a card on one of Stalin's rivals (Trotsky, Bukharin, ...)"),
    ("explain <name or term>", "a card on a person or a term (NEP, kulak, ...)"),
    ("timeline [from] [to]", "the key dated events of those years, in order (e.g. timeline 1928 1932)"),
    ("summary <topic>", "the topic on one screen: key dates, people, terms and what you missed"),
    ("essay [topic]", "an exam-style essay question to plan, compared with the model plan; `essay history`"),
    ("stats", "your answers, accuracy and streaks"),
    ("stats @name", "teachers: a student's stats"),
    ("privacy [named|pseudonym|hidden]", "how the class sees you on boards: your name, a made-up name, or not at all"),
    ("privacy new-name", "a new made-up name (once a week)"),
    ("my-data", "everything stored about you here, as a JSON file in a direct message"),
    ("forget-me", "delete everything stored about you (asks first)"),
    (
        "schedule set <HH:MM> [time zone] [days] [topics=a,b] [board=fri|off]",
        "teachers: post the daily question in this channel by itself",
    ),
    ("schedule show|pause [from..to]|resume|off", "teachers: see or change this channel's schedule"),
    ("schedule now", "teachers: post this channel's question now (once: it is today's post)"),
    ("schedule skip", "teachers: skip the next post (`schedule resume` brings skipped posts back)"),
    ("topics taught [topic, topic ...|all]", "teachers: the topics taught so far (the questions ask only those)"),
    ("schedule off #channel", "teachers: stop another channel's posts (a deleted one, say)"),
    ("schedule list", "teachers: every channel's schedule in this workspace"),
    ("schedule teachers [add|remove @name]", "workspace admins: name the teachers who manage schedules"),
    ("privacy default named|pseudonym|hidden", "teachers: how this workspace's students show unless they choose"),
    ("goal <N%>|off", "teachers: the class's weekly target of right daily answers (shown on the weekly post)"),
    ("class delete delete everything", "teachers: delete every answer, score, setting and schedule of this class"),
    ("assign <topic|all> [n=10] due:YYYY-MM-DD [goal=70%]", "teachers: an assignment, announced here with Start"),
    ("assignments [close N]", "your assignments (teachers: who has finished; close one early)"),
    ("start N", "assignment N's next question: wrong ones come back until you reach the goal"),
    (
        "report [week|month|term|since YYYY-MM-DD] [topic]",
        "teachers: the class report (weakest topics, hardest questions, each student) and its chart, in a DM",
    ),
    ("export [week|month|term|since YYYY-MM-DD]", "teachers: every answer of the class as a spreadsheet, in a DM"),
    ("help", "this list"),
)


# ---------------------------------------------------------------- questions


LABELS = {
    Mode.DAILY: "Daily question",
    Mode.PRACTICE: "Practice question",
    Mode.REVIEW: "Review",
    Mode.ASSIGNMENT: "Assignment",
}


def question(card: AskedQuestion) -> Message:
    label = LABELS.get(card.ref.mode, "Practice question")
    due = f" \u00b7 {card.reviews_due} due today" if card.ref.mode is Mode.REVIEW and card.reviews_due else ""
    if card.assignment is not None:
        due = f" \u00b7 #{card.assignment.assignment.assignment_id}: {card.assignment.progress}"
    blocks: list[dict[str, Any]] = [context(f"*{label}* \u00b7 {escape(card.topic)}{due}")]
    if card.extract is not None:
        blocks.append(section(quote(card.extract.text)))
        blocks.append(context(escape(f"\u2014 {card.extract.attribution}"), *filter(None, [escape(card.extract.note)])))
    blocks.append(section(f"*{escape(card.prompt)}*"))
    if card.kind.typed:
        listing = arrangement_text(card)
        if listing:
            blocks.append(section(listing))
        plain = arrangement_text(card, plain=True)
        value = ids.modal_value(card.ref, "\n".join(filter(None, (card.prompt, plain))))  # cut to the limit
        taps = _tap_buttons(card, "", [o.letter for o in card.options]) if listing else []
        blocks += actions([*taps, button("Type your answer", ids.OPEN_MODAL_ACTION, value, style="primary")])
        example_answer = example(card.kind, len(card.lefts or card.options)) if listing else "<your answer>"
        blocks.append(context(f"or reply with `{COMMAND} answer {example_answer}`"))
    elif card.options:  # multiple choice (letters) or true/false
        multiple_choice = card.kind is QuestionKind.MULTIPLE_CHOICE
        if multiple_choice:
            blocks.append(section("\n".join(f"*{escape(o.letter)}.* {escape(o.text)}" for o in card.options)))
        blocks += actions(
            [
                button(
                    f"{o.letter}. {o.text}" if multiple_choice else o.text,
                    ids.answer_action(o.letter),
                    ids.answer_value(card.ref, o.letter),
                )
                for o in card.options
            ]
        )
    if card.already_answered:
        blocks.append(context("You have already answered today's question: answering again shows your first result."))
    return message(f"{label}: {card.prompt}", blocks)


def quote(text: str) -> str:
    """A source's words as a Slack block quote."""
    return "\n".join(f"> {escape(line)}" for line in text.splitlines() or [""])


def _tap_buttons(card: AskedQuestion, so_far: str, choices: Sequence[str]) -> list[dict[str, Any]]:
    return [button(choice, ids.tap_action(choice), ids.tap_value(card.ref, so_far)) for choice in choices]


def arrangement_step(step: ArrangementStep) -> Message:
    """An order or match being tapped in: the question's items, what was tapped so far, the next buttons."""
    card = step.card
    blocks = [
        context(f"*Your answer so far* \u00b7 {escape(card.topic)}"),
        section(f"*{escape(card.prompt)}*"),
        section(arrangement_text(card)),
        section(f"*So far*: {escape(step.progress)}\n{escape(step.next_step)}"),
    ]
    again = button("Start again", ids.tap_action(RESTART), ids.tap_value(card.ref, "."))
    blocks += actions([*_tap_buttons(card, "." + step.so_far, step.left), again])
    return message(f"So far: {step.progress}", blocks)


def tapped(result: ArrangementStep | AnswerFeedback) -> Message:
    """After a tap: the next step, or the answer's feedback once the last tap completed it."""
    return arrangement_step(result) if isinstance(result, ArrangementStep) else feedback(result)


def arrangement_text(card: AskedQuestion, *, plain: bool = False) -> str:
    """An order item's numbered events, or a match item's numbered and lettered items, with how to answer
    (mrkdwn, or `plain` text for the modal, which escapes it itself); "" for other kinds."""
    if card.kind is QuestionKind.ORDER:
        items = [*card.options]
        how = "Give the numbers in time order, earliest first"
    elif card.kind is QuestionKind.MATCH:
        items = [Option(str(n), left) for n, left in enumerate(card.lefts, start=1)] + [*card.options]
        how = "Give a letter for each number, in turn"
    else:
        return ""
    shape = example(card.kind, len(card.lefts or card.options))
    if plain:
        return "\n".join([*(f"{o.letter}. {o.text}" for o in items), f"{how}, e.g. {shape}"])
    return "\n".join([*(f"*{o.letter}.* {escape(o.text)}" for o in items), f"_{how}, e.g. {shape}_"])


def _modal_question(text: str) -> str:
    """The question in bold, and an order or match item's items under it as they are."""
    prompt, *items = text.split("\n")
    return "\n".join([f"*{escape(prompt)}*", *map(escape, items)])


def answer_modal(card_prompt: str, ref: QuestionRef, *, response_url: str | None, channel_id: str | None) -> dict:
    """The modal a short-answer question opens; `private_metadata` remembers where to reply."""
    return {
        "type": "modal",
        "callback_id": ids.ANSWER_VIEW,
        "private_metadata": ids.modal_metadata(ref, response_url, channel_id),
        "title": {"type": "plain_text", "text": truncate("Your answer", MODAL_TITLE)},
        "submit": {"type": "plain_text", "text": truncate("Submit", MODAL_BUTTON)},
        "close": {"type": "plain_text", "text": truncate("Cancel", MODAL_BUTTON)},
        "blocks": [
            section(_modal_question(card_prompt)) if card_prompt else section("Type your answer below."),
            {
                "type": "input",
                "block_id": ids.ANSWER_BLOCK,
                "label": {"type": "plain_text", "text": "Answer"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": ids.ANSWER_INPUT,
                    "min_length": 1,
                    "max_length": MAX_INPUT,
                    "placeholder": {"type": "plain_text", "text": "A name, a year or a term"},
                },
            },
        ],
    }


# ---------------------------------------------------------------- feedback


def feedback(fb: AnswerFeedback) -> Message:
    if fb.repeated:
        title = "You already answered this one"
        verdict = "\u2705 Your first answer was right." if fb.correct else "\u274c Your first answer was not right."
    else:
        title = "\u2705 Correct!" if fb.correct else "\u274c Not quite"
        verdict = ""
    lines = [verdict] if verdict else []
    lines.append(f"You answered: *{echo(fb.given)}*")
    if not fb.correct or fb.repeated:
        lines.append(f"Correct answer: *{escape(fb.correct_answer)}*")
    if fb.why_wrong:
        lines.append(f"Why not yours: {escape(fb.why_wrong)}")
    blocks: list[dict[str, Any]] = [header(title), section("\n".join(lines))]
    if fb.explanation:
        blocks.append(section(escape(fb.explanation)))
    if fb.repeated:
        notes = [escape(fb.note or "No new points: this shows your first answer.")]
    elif fb.ref.mode is Mode.REVIEW:
        notes = [review_note(fb), *([escape(fb.note)] if fb.note else [])]
    elif fb.assignment is not None:
        notes = [assignment_note(fb.assignment), *([escape(fb.note)] if fb.note else [])]
    else:
        score = f"+{points(fb.points)} \u00b7 streak {fb.streak} \u00b7 total {points(fb.total_points)}"
        notes = [score, *([escape(fb.note)] if fb.note else [])]
    blocks.append(context(*notes))
    card = [button(f"Show card: {c.name}", ids.SHOW_CARD_ACTION, c.card_id) for c in filter(None, (fb.figure, fb.term))]
    blocks += actions(feedback_buttons(fb, card))
    summary = "Correct" if fb.correct else f"Not quite. The answer is {fb.correct_answer}"
    return message(f"{summary}. {fb.explanation}".strip(), blocks)


# ---------------------------------------------------------------- leaderboard


def leaderboard(board: Leaderboard, *, personal: bool = True) -> Message:
    """Top entries by plain display name: never a mention, so nobody is pinged.

    `personal=False` is the board posted in a channel for everyone: no "your rank" line."""
    title = "Leaderboard" if personal else "This week's leaderboard"
    blocks: list[dict[str, Any]] = [header(f"{title} \u00b7 {board.period_label}")]
    if board.entries:
        rows = []
        for entry in board.entries:
            row = f"{entry.rank}. {echo(entry.name, 80)} \u2014 {points(entry.points)}"
            rows.append(f"*{row}* \u2190 you" if entry.is_caller else row)
        blocks.append(section("\n".join(rows)))
    else:
        blocks.append(section(f"No points yet for {escape(board.period_label)}. Be the first: `{COMMAND} daily`."))
    if not personal:
        blocks.append(context(f"{board.total_ranked} on the board \u00b7 your own rank: `{COMMAND} leaderboard`"))
    else:
        if board.caller is not None:
            you = f"Your rank: *{board.caller.rank}* of {board.total_ranked} with {points(board.caller.points)}."
        else:
            you = "You have no points in this period yet."
        blocks.append(context(you, f"`{COMMAND} leaderboard week|month|all`"))
    top = ", ".join(f"{e.rank}. {e.name} ({e.points})" for e in board.entries) or "no points yet"
    return message(f"{title}, {board.period_label}: {top}", blocks)


# ---------------------------------------------------------------- cards, stats, forget


def reference_card(card: ReferenceCard) -> Message:
    blocks: list[dict[str, Any]] = [header(card.name)]
    if card.summary:
        blocks.append(section(escape(card.summary)))
    if card.aliases:
        blocks.append(context("Also known as: " + escape(", ".join(card.aliases))))
    if card.record is not None and card.record.answered:
        blocks.append(context(f"Your record: {card.record.correct} of {card.record.answered} right"))
    room = MAX_BLOCKS - len(blocks) - 1  # keep space for the button
    for part in card.sections[:room]:
        blocks.append(section(f"*{escape(part.heading)}*\n{escape(part.text)}"))
    if card.has_questions:
        blocks += actions([button("Quiz me on this", ids.QUIZ_FIGURE_ACTION, card.card_id, style="primary")])
    return message(f"{card.name}: {card.summary}", blocks)


def bar(fraction: float, width: int = 10) -> str:
    """A small bar for a fraction 0..1: `\u2588\u2588\u2588\u2591\u2591...`."""
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "\u2588" * filled + "\u2591" * (width - filled)


def stats(s: Stats) -> Message:
    accuracy = f"{s.accuracy:.0%}" if s.answered else "\u2014"
    reviewed = f", {s.review_answered} review" if s.review_answered else ""
    fields = [
        f"*Answered*\n{s.answered} ({s.daily_answered} daily, {s.practice_answered} practice{reviewed}"
        f"{s.assignment_note})",
        f"*Correct*\n{s.correct} ({accuracy})",
        f"*Points*\n{s.points}",
        f"*Streak*\n{s.current_streak} (best {s.best_streak}) \u00b7 {s.freeze_note}",
    ]
    blocks: list[dict[str, Any]] = [
        header(f"Stats for {s.name}"),
        {"type": "section", "fields": [{"type": "mrkdwn", "text": f} for f in fields]},
    ]
    if s.per_topic:
        rows = [f"{escape(t.topic)}: {t.correct}/{t.answered} ({t.accuracy:.0%})" for t in s.per_topic if t.answered]
        if rows:
            blocks.append(section("*By topic*\n" + "\n".join(rows)))
    if s.mastery:
        rows = [
            f"{escape(m.topic)}: `{bar(m.recall)}` {m.recall:.0%} recall \u00b7 {m.met}/{m.total} questions met"
            for m in s.mastery
        ]
        blocks.append(section(fit_mrkdwn("*Mastery now*\n" + "\n".join(rows), SECTION_TEXT)))
    if s.answered or s.due_now or s.due_this_week:
        blocks.append(context(f"Due now: {s.due_now} \u00b7 this week: {s.due_this_week} \u00b7 `{COMMAND} review`"))
    if not s.answered:
        blocks.append(context(f"No answers yet: try `{COMMAND} daily` or `{COMMAND} quiz`."))
    return message(
        f"{s.name}: {s.answered} answered, {s.correct} correct, {s.points} points, streak {s.current_streak}",
        blocks,
    )


def forget_confirm() -> Message:
    """The question `forget-me` asks first; only the "Yes" click deletes anything."""
    text = (
        "This deletes every answer, point and streak of yours in this workspace, and your name from its "
        "leaderboards. It cannot be undone. Delete your data?"
    )
    buttons = [
        button("Yes, delete my data", ids.FORGET_CONFIRM_ACTION, "forget", style="danger"),
        button("Cancel", ids.FORGET_CANCEL_ACTION, "keep"),
    ]
    return message("Delete your data? Use the buttons to confirm or cancel.", [section(text), *actions(buttons)])


def forget_cancelled() -> Message:
    text = "Kept everything: nothing was deleted."
    return message(text, [section(text)])


def forgotten(result: Forgotten) -> Message:
    if result.existed:
        text = (
            f"Done: I deleted your {result.attempts_deleted} answer(s), your points and your streak. "
            f"If you use `{COMMAND}` again you start from zero."
        )
    else:
        text = "I had nothing stored about you, so there was nothing to delete."
    return message(text, [section(text)])


# ---------------------------------------------------------------- help and errors


def help_message(unknown: str | None = None, suggestion: str | None = None) -> Message:
    blocks: list[dict[str, Any]] = []
    if unknown is not None:
        hint = f" Did you mean `{COMMAND} {suggestion}`?" if suggestion else ""
        blocks.append(section(f"I don't know `{echo(unknown, 40)}`.{hint}"))
    rows = "\n".join(f"`{COMMAND} {usage}` \u2014 {what}" for usage, what in HELP_LINES)
    blocks.append(section("*What I can do*\n" + rows))
    text = f"Unknown sub-command. Did you mean {COMMAND} {suggestion}?" if suggestion else f"{COMMAND} help"
    return message(text, blocks)


def error(err: StudyError | None) -> Message:
    """One friendly message; the only renderer for failures. `None` means an unexpected error."""
    if err is None:
        return message(UNEXPECTED_ERROR, [section(UNEXPECTED_ERROR)])
    # These two repeat what the student typed: say it again with the echo cut short.
    if isinstance(err, UnknownName):
        err = UnknownName(truncate(err.query, ECHO_NAME), err.suggestions)
    elif isinstance(err, UnknownTopic):
        err = UnknownTopic(truncate(err.query, ECHO_NAME), err.known, err.suggestions)
    blocks = [section(fit_mrkdwn(escape(err.message), SECTION_TEXT))]
    if isinstance(err, UnknownName) and err.suggestions:
        blocks += actions([button(name, ids.SHOW_CARD_ACTION, name) for name in err.suggestions[:5]])
    return message(err.message, blocks)


def timeline(reply: Timeline) -> Message:
    lines = [f"*{escape(event.when)}* \u00b7 {escape(event.event)}" for event in reply.events]
    blocks = [header(reply.title), *(section("\n".join(lines[i : i + 20])) for i in range(0, len(lines), 20))]
    if reply.more_note:
        blocks.append(context(escape(reply.more_note).replace("`timeline", f"`{COMMAND} timeline")))
    return message(f"{reply.title}: {len(reply.events)} events", blocks)


def summary(reply: TopicSummary) -> Message:
    blocks = [header(f"Summary \u00b7 {reply.topic.title}")]
    if reply.description:
        blocks.append(section(escape(reply.description)))
    if reply.dates:
        blocks.append(section("*Key dates*\n" + "\n".join(f"{escape(e.when)}: {escape(e.event)}" for e in reply.dates)))
    cards = [*reply.people, *reply.terms]
    if cards:
        people = ", ".join(escape(person.name) for person in reply.people)
        terms = ", ".join(escape(term.name) for term in reply.terms)
        blocks.append(
            section("\n".join(filter(None, [people and f"*People*: {people}", terms and f"*Terms*: {terms}"])))
        )
        blocks += actions([button(f"Card: {card.name}", ids.SHOW_CARD_ACTION, card.card_id) for card in cards[:5]])
    record = [escape(reply.record), *(f"\u2022 {escape(prompt)}" for prompt in reply.missed)]
    blocks.append(section("\n".join(record)))
    blocks.append(context(f"Practise it: `{COMMAND} quiz {reply.topic.topic_id}`"))
    return message(f"Summary: {reply.topic.title}", blocks)


def essay_asked(asked: EssayAsked) -> Message:
    factors = "\n".join(f"*{n}.* {escape(factor)}" for n, factor in enumerate(asked.factors, start=1))
    pool = "\n".join(f"*{letter}.* {escape(text)}" for letter, text in zip(asked.letters, asked.evidence, strict=True))
    blocks = [
        context(f"*Essay plan* \u00b7 {escape(asked.topic)} \u00b7 {asked.marks} marks"),
        section(f"*{escape(asked.question)}*"),
        section(f"*Factors*\n{factors}"),
        section(f"*Evidence*\n{pool}"),
        *actions(
            [
                *(_essay_tap(asked.plan_id, "", "", str(n)) for n in range(1, len(asked.factors) + 1)),
                button("Write your plan", ids.OPEN_ESSAY_ACTION, ids.essay_value(asked.plan_id), style="primary"),
            ]
        ),
        context(
            "Tap your factors, most important first (3 or 4), then the evidence for each, then write your "
            f"judgement; or \u201cWrite your plan\u201d, or reply with `{COMMAND} plan 2 4 1 | B D A | your judgement`"
        ),
    ]
    return message(f"Essay plan: {asked.question}", blocks)


def _essay_tap(plan_id: int, factors: str, evidence: str, tap: str, label: str = "") -> dict[str, Any]:
    return button(label or tap, ids.ESSAY_TAP_PREFIX + tap, ids.essay_value(plan_id, factors, evidence))


def essay_step(step: EssayStep) -> Message:
    """A plan being tapped in: the question, its factors and evidence, the plan so far and the next buttons."""
    asked = step.asked
    shown = essay_asked(asked)["blocks"][:4]  # the label, the question, the factors and the evidence
    waiting = "\u2026"
    plan = "\n".join(f"*{n}. {escape(f)}*: {escape(e) or waiting}" for n, (f, e) in enumerate(step.chosen, 1))
    blocks = [*shown, section(f"*Your plan so far*\n{plan or waiting}\n_{escape(step.next_step)}_")]
    on_plan = "." + step.factors
    if step.stage == "factors":
        taps = [_essay_tap(asked.plan_id, on_plan, "", number) for number in step.factors_left]
        if step.can_stop_choosing:
            taps.append(_essay_tap(asked.plan_id, on_plan, "", ".", "These 3"))
    elif step.stage == "evidence":
        taps = [_essay_tap(asked.plan_id, on_plan, step.evidence, letter) for letter in asked.letters]
    else:
        value = ids.essay_value(asked.plan_id, step.factors, step.evidence)
        taps = [button("Write your judgement", ids.OPEN_ESSAY_ACTION, value, style="primary")]
    taps.append(_essay_tap(asked.plan_id, on_plan, step.evidence, "0", "Start again"))
    blocks += actions(taps)
    return message(f"Your plan so far: {len(step.factors)} factors", blocks)


def essay_modal(
    plan_id: int, prefilled: dict[str, str] | None = None, *, response_url: str | None, channel_id: str | None
) -> dict:
    """The plan form: factors, evidence letters and the judgement; `private_metadata` says where to reply."""
    inputs = (
        ("Your factors, most important first", "e.g. 2 4 1", 20),
        ("An evidence letter for each, in the same order", "e.g. B D A", 20),
        ("Your judgement, in one line", "Your answer to the question, and why", 400),
    )
    return {
        "type": "modal",
        "callback_id": ids.ESSAY_VIEW,
        "private_metadata": json.dumps({"plan": plan_id, "url": response_url or "", "channel": channel_id or ""}),
        "title": {"type": "plain_text", "text": truncate("Your essay plan", MODAL_TITLE)},
        "submit": {"type": "plain_text", "text": truncate("Compare", MODAL_BUTTON)},
        "close": {"type": "plain_text", "text": truncate("Cancel", MODAL_BUTTON)},
        "blocks": [
            {
                "type": "input",
                "block_id": block,
                "label": {"type": "plain_text", "text": label},
                "element": {
                    "type": "plain_text_input",
                    "action_id": ids.ANSWER_INPUT,
                    "max_length": length,
                    "placeholder": {"type": "plain_text", "text": hint},
                    **({"initial_value": (prefilled or {})[block]} if (prefilled or {}).get(block) else {}),
                },
            }
            for block, (label, hint, length) in zip(ids.ESSAY_BLOCKS, inputs, strict=True)
        ],
    }


def plan_compared(compared: PlanCompared) -> Message:
    mine = []
    for n, factor in enumerate(compared.mine, start=1):
        mine.append(f"*{n}. {escape(factor.name)}*: {escape(factor.evidence)}")
        if not factor.fits:
            mine.append(f"    _That evidence proves another factor; for this one_: {escape(factor.better)}")
    model = [
        f"*{n}. {escape(factor.name)}*: {escape(factor.evidence)} _({escape(link)})_"
        for n, (factor, link) in enumerate(zip(compared.model, compared.links, strict=True), start=1)
    ]
    verdict = [f"Yours: {echo(compared.judgement, 400)}", f"The model's: {escape(compared.model_judgement)}"]
    verdict.append(" ".join(judgement_notes(compared)))
    level = f"*A plan like this aims at level {compared.level} ({compared.level_marks})*: {compared.level_descriptor}"
    blocks = [
        header("Your plan beside the model's"),
        section(f"*{escape(compared.question)}* ({compared.marks} marks)"),
        section("*Your plan*\n" + "\n".join(mine)),
        section("*The model plan, most important first*\n" + "\n".join(model)),
    ]
    if compared.missed:
        blocks.append(section("*You left out*: " + "; ".join(escape(name) for name in compared.missed)))
    blocks += [section("*Judgement*\n" + "\n".join(verdict)), section("\n".join(filter(None, [level, compared.lift])))]
    blocks.append(context(escape(compared.honest_note)))
    return message(f"Your plan: level {compared.level} ({compared.level_marks})", blocks)


def essay_history(history: EssayHistory) -> Message:
    if not history.plans:
        return message("No essay plans yet", [section(f"No essay plans yet: try `{COMMAND} essay`.")])
    lines = [
        f"{plan.finished_at:%d %b %Y} \u00b7 level {plan.level} of 4 \u00b7 {escape(plan.question)} ({plan.marks})"
        for plan in history.plans
    ]
    return message(f"Your essay plans: {len(lines)}", [header("Your essay plans"), section("\n".join(lines))])
