"""Pure renderers: platform-neutral replies -> Slack Block Kit payloads.

Every function returns a plain dict (a message: `text` + `blocks`, or a modal `view`) and does no
I/O, so the Block Kit limits can be checked in unit tests. Text that comes from students (their
answers, names, unknown words) is escaped, so `<!channel>` or `<@U123>` can never ping anyone,
and truncated, so a long input cannot push a block over Slack's limits.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from bot.core.errors import StudyError, UnknownName, UnknownTopic
from bot.core.replies import (
    AnswerFeedback,
    Forgotten,
    Leaderboard,
    QuestionCard,
    QuestionKind,
    QuestionRef,
    ReferenceCard,
    Stats,
)

# Block Kit limits (https://docs.slack.dev/reference/block-kit).
SECTION_TEXT = 3000
HEADER_TEXT = 150
BUTTON_TEXT = 75
ACTION_VALUE = 2000
MAX_BLOCKS = 50
MAX_ACTIONS = 25
MODAL_TITLE = 24
MODAL_BUTTON = 24
ECHO = 200  # how much of a student's own text we repeat back
ECHO_NAME = 60  # ... when it is a name or a topic we did not find
FALLBACK_TEXT = 3000  # the notification / screen-reader text of a message

COMMAND = "/study"

# action_ids and callback_ids the listeners register for.
ANSWER_ACTION_PREFIX = "study_answer_"  # + letter; value "<ref>|<letter>"
OPEN_MODAL_ACTION = "study_open_answer"  # value "<ref>|<prompt>" (the modal repeats the prompt)
SHOW_CARD_ACTION = "study_card"  # value: a card id or a name
QUIZ_FIGURE_ACTION = "study_quiz_figure"  # value: a card id
ANSWER_VIEW = "study_answer_view"
ANSWER_BLOCK = "answer"
ANSWER_INPUT = "text"
ANSWER_MAX = 500  # bot.core.grading.MAX_INPUT

GENERIC_ERROR = "Something went wrong on our side; your answers are safe. Please try again."

HELP_LINES: tuple[tuple[str, str], ...] = (
    ("daily", "today's question for everyone here (points and streaks)"),
    ("quiz [topic]", "a practice question, from any topic or one you name"),
    ("answer <text>", "answer your last question in words"),
    ("leaderboard [week|month|all]", "the top ten and your own rank"),
    ("rival <name>", "a card on one of Stalin's rivals (Trotsky, Bukharin, ...)"),
    ("explain <name or term>", "a card on a person or a term (NEP, kulak, ...)"),
    ("stats", "your answers, accuracy and streaks"),
    ("forget-me", "delete everything stored about you"),
    ("help", "this list"),
)

Message = dict[str, Any]


# ---------------------------------------------------------------- text helpers


def escape(text: str) -> str:
    """Slack's three control characters, so text is shown and never parsed as a mention or link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """At most `limit` characters, with an ellipsis when something was cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def echo(text: str, limit: int = ECHO) -> str:
    """A student's own text, safe to put back into mrkdwn."""
    return escape(truncate(" ".join(text.split()), limit))


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _fit_mrkdwn(text, SECTION_TEXT)}}


def _fit_mrkdwn(text: str, limit: int) -> str:
    # Escaping happens before this, and an entity must not be cut in half.
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut.rstrip() + "\u2026"


def _context(*texts: str) -> dict[str, Any]:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": _fit_mrkdwn(text, SECTION_TEXT)} for text in texts[:10]],
    }


def _header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": truncate(text, HEADER_TEXT), "emoji": True}}


def _button(text: str, action_id: str, value: str, *, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": truncate(text, BUTTON_TEXT), "emoji": True},
        "action_id": action_id,
        "value": value[:ACTION_VALUE],
    }
    if style:
        button["style"] = style
    return button


def _actions(buttons: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"type": "actions", "elements": list(buttons[:MAX_ACTIONS])}] if buttons else []


def _message(text: str, blocks: Iterable[dict[str, Any]]) -> Message:
    # The fallback text is shown in notifications and parsed as mrkdwn too: escape it as well.
    return {"text": escape(truncate(text, FALLBACK_TEXT)), "blocks": list(blocks)[:MAX_BLOCKS]}


def _points(n: int) -> str:
    return f"{n} point" if n == 1 else f"{n} points"


# ---------------------------------------------------------------- questions


def answer_value(ref: QuestionRef, letter: str) -> str:
    return f"{ref.encode()}|{letter}"


def parse_answer_value(value: str) -> tuple[QuestionRef, str]:
    """The inverse of `answer_value`: ValueError when the value was not made by us."""
    ref_text, _, letter = value.rpartition("|")
    if not ref_text or not letter:
        raise ValueError(f"not an answer value: {value[:40]!r}")
    return QuestionRef.decode(ref_text), letter


def question(card: QuestionCard) -> Message:
    label = "Daily question" if card.is_daily else "Practice question"
    blocks: list[dict[str, Any]] = [
        _context(f"*{label}* \u00b7 {escape(card.topic)}"),
        _section(f"*{escape(card.prompt)}*"),
    ]
    if card.options:  # multiple choice (letters) or true/false
        multiple_choice = card.kind is QuestionKind.MULTIPLE_CHOICE
        if multiple_choice:
            blocks.append(_section("\n".join(f"*{escape(o.letter)}.* {escape(o.text)}" for o in card.options)))
        blocks += _actions([
            _button(
                f"{o.letter}. {o.text}" if multiple_choice else o.text,
                ANSWER_ACTION_PREFIX + o.letter,
                answer_value(card.ref, o.letter),
            )
            for o in card.options
        ])
    else:
        value = f"{card.ref.encode()}|{card.prompt}"  # cut to the value limit by _button
        blocks += _actions([_button("Type your answer", OPEN_MODAL_ACTION, value, style="primary")])
        blocks.append(_context(f"or reply with `{COMMAND} answer <your answer>`"))
    if card.already_answered:
        blocks.append(
            _context("You have already answered today's question: answering again shows your first result.")
        )
    return _message(f"{label}: {card.prompt}", blocks)


def parse_modal_value(value: str) -> tuple[QuestionRef, str]:
    """The "Type your answer" button's value -> (ref, prompt)."""
    ref_text, _, prompt = value.partition("|")
    return QuestionRef.decode(ref_text), prompt


def answer_modal(card_prompt: str, ref: QuestionRef, *, response_url: str | None, channel_id: str | None) -> dict:
    """The modal a short-answer question opens; `private_metadata` remembers where to reply."""
    # A ref (~80 characters) and a response_url (~100) stay far below the 3,000 allowed.
    metadata = json.dumps({"ref": ref.encode(), "url": response_url or "", "channel": channel_id or ""})
    return {
        "type": "modal",
        "callback_id": ANSWER_VIEW,
        "private_metadata": metadata,
        "title": {"type": "plain_text", "text": truncate("Your answer", MODAL_TITLE)},
        "submit": {"type": "plain_text", "text": truncate("Submit", MODAL_BUTTON)},
        "close": {"type": "plain_text", "text": truncate("Cancel", MODAL_BUTTON)},
        "blocks": [
            _section(f"*{escape(card_prompt)}*") if card_prompt else _section("Type your answer below."),
            {
                "type": "input",
                "block_id": ANSWER_BLOCK,
                "label": {"type": "plain_text", "text": "Answer"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": ANSWER_INPUT,
                    "min_length": 1,
                    "max_length": ANSWER_MAX,
                    "placeholder": {"type": "plain_text", "text": "A name, a year or a term"},
                },
            },
        ],
    }


def parse_modal_metadata(text: str) -> tuple[QuestionRef, str | None, str | None]:
    data = json.loads(text or "{}")
    return QuestionRef.decode(data["ref"]), data.get("url") or None, data.get("channel") or None


# ---------------------------------------------------------------- feedback


def feedback(fb: AnswerFeedback) -> Message:
    if fb.repeated:
        title = "You already answered this one"
        verdict = ("\u2705 Your first answer was right." if fb.correct else "\u274c Your first answer was not right.")
    else:
        title = "\u2705 Correct!" if fb.correct else "\u274c Not quite"
        verdict = ""
    lines = [verdict] if verdict else []
    lines.append(f"You answered: *{echo(fb.given)}*")
    if not fb.correct or fb.repeated:
        lines.append(f"Correct answer: *{escape(fb.correct_answer)}*")
    blocks: list[dict[str, Any]] = [_header(title), _section("\n".join(lines))]
    if fb.explanation:
        blocks.append(_section(escape(fb.explanation)))
    if fb.repeated:
        notes = [escape(fb.note or "No new points: this shows your first answer.")]
    else:
        score = f"+{_points(fb.points)} \u00b7 streak {fb.streak} \u00b7 total {_points(fb.total_points)}"
        notes = [score, *([escape(fb.note)] if fb.note else [])]
    blocks.append(_context(*notes))
    if fb.figure:
        blocks += _actions([_button(f"Show card: {fb.figure.name}", SHOW_CARD_ACTION, fb.figure.card_id)])
    summary = "Correct" if fb.correct else f"Not quite. The answer is {fb.correct_answer}"
    return _message(f"{summary}. {fb.explanation}".strip(), blocks)


# ---------------------------------------------------------------- leaderboard


def leaderboard(board: Leaderboard) -> Message:
    """Top entries by plain display name: never a mention, so nobody is pinged."""
    blocks: list[dict[str, Any]] = [_header(f"Leaderboard \u00b7 {board.period_label}")]
    if board.entries:
        rows = []
        for entry in board.entries:
            row = f"{entry.rank}. {echo(entry.name, 80)} \u2014 {_points(entry.points)}"
            rows.append(f"*{row}* \u2190 you" if entry.is_caller else row)
        blocks.append(_section("\n".join(rows)))
    else:
        blocks.append(_section(f"No points yet for {escape(board.period_label)}. Be the first: `{COMMAND} daily`."))
    if board.caller is not None:
        you = f"Your rank: *{board.caller.rank}* of {board.total_ranked} with {_points(board.caller.points)}."
    else:
        you = "You have no points in this period yet."
    blocks.append(_context(you, f"`{COMMAND} leaderboard week|month|all`"))
    top = ", ".join(f"{e.rank}. {e.name} ({e.points})" for e in board.entries) or "no points yet"
    return _message(f"Leaderboard, {board.period_label}: {top}", blocks)


# ---------------------------------------------------------------- cards, stats, forget


def reference_card(card: ReferenceCard) -> Message:
    blocks: list[dict[str, Any]] = [_header(card.name)]
    if card.summary:
        blocks.append(_section(escape(card.summary)))
    if card.aliases:
        blocks.append(_context("Also known as: " + escape(", ".join(card.aliases))))
    room = MAX_BLOCKS - len(blocks) - 1  # keep space for the button
    for section in card.sections[:room]:
        blocks.append(_section(f"*{escape(section.heading)}*\n{escape(section.text)}"))
    if card.has_questions:
        blocks += _actions([_button("Quiz me on this", QUIZ_FIGURE_ACTION, card.card_id, style="primary")])
    return _message(f"{card.name}: {card.summary}", blocks)


def stats(s: Stats) -> Message:
    accuracy = f"{s.accuracy:.0%}" if s.answered else "\u2014"
    fields = [
        f"*Answered*\n{s.answered} ({s.daily_answered} daily, {s.practice_answered} practice)",
        f"*Correct*\n{s.correct} ({accuracy})",
        f"*Points*\n{s.points}",
        f"*Streak*\n{s.current_streak} (best {s.best_streak})",
    ]
    blocks: list[dict[str, Any]] = [
        _header(f"Stats for {s.name}"),
        {"type": "section", "fields": [{"type": "mrkdwn", "text": f} for f in fields]},
    ]
    if s.per_topic:
        rows = [
            f"{escape(t.topic)}: {t.correct}/{t.answered} ({t.accuracy:.0%})" for t in s.per_topic if t.answered
        ]
        if rows:
            blocks.append(_section("*By topic*\n" + "\n".join(rows)))
    if not s.answered:
        blocks.append(_context(f"No answers yet: try `{COMMAND} daily` or `{COMMAND} quiz`."))
    return _message(
        f"{s.name}: {s.answered} answered, {s.correct} correct, {s.points} points, streak {s.current_streak}",
        blocks,
    )


def forgotten(result: Forgotten) -> Message:
    if result.existed:
        text = (
            f"Done: I deleted your {result.attempts_deleted} answer(s), your points and your streak. "
            f"If you use `{COMMAND}` again you start from zero."
        )
    else:
        text = "I had nothing stored about you, so there was nothing to delete."
    return _message(text, [_section(text)])


# ---------------------------------------------------------------- help and errors


def help_message(unknown: str | None = None, suggestion: str | None = None) -> Message:
    blocks: list[dict[str, Any]] = []
    if unknown is not None:
        hint = f" Did you mean `{COMMAND} {suggestion}`?" if suggestion else ""
        blocks.append(_section(f"I don't know `{echo(unknown, 40)}`.{hint}"))
    rows = "\n".join(f"`{COMMAND} {usage}` \u2014 {what}" for usage, what in HELP_LINES)
    blocks.append(_section("*What I can do*\n" + rows))
    text = f"Unknown sub-command. Did you mean {COMMAND} {suggestion}?" if suggestion else f"{COMMAND} help"
    return _message(text, blocks)


def error(err: StudyError | None) -> Message:
    """One friendly message; the only renderer for failures. `None` means an unexpected error."""
    if err is None:
        return _message(GENERIC_ERROR, [_section(GENERIC_ERROR)])
    # These two repeat what the student typed: say it again with the echo cut short.
    if isinstance(err, UnknownName):
        err = UnknownName(truncate(err.query, ECHO_NAME), err.suggestions)
    elif isinstance(err, UnknownTopic):
        err = UnknownTopic(truncate(err.query, ECHO_NAME), err.known, err.suggestions)
    blocks = [_section(_fit_mrkdwn(escape(err.message), SECTION_TEXT))]
    if isinstance(err, UnknownName) and err.suggestions:
        blocks += _actions([_button(name, SHOW_CARD_ACTION, name) for name in err.suggestions[:5]])
    return _message(err.message, blocks)
