"""Pure renderers: platform-neutral replies -> Slack Block Kit payloads.

Every function returns a plain dict (a message: `text` + `blocks`, or a modal `view`) and does no
I/O, so the Block Kit limits can be checked in unit tests. Text that comes from students (their
answers, names, unknown words) is escaped, so `<!channel>` or `<@U123>` can never ping anyone,
and truncated, so a long input cannot push a block over Slack's limits.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from bot.core.errors import StudyError, UnknownName, UnknownTopic
from bot.core.replies import (
    AnswerFeedback,
    DailyPost,
    Forgotten,
    Leaderboard,
    QuestionCard,
    QuestionRef,
    ReferenceCard,
    Reveal,
    ScheduleInfo,
    Stats,
)
from bot.core.vocabulary import QuestionKind

# Block Kit limits (https://docs.slack.dev/reference/block-kit).
SECTION_TEXT = 3000
HEADER_TEXT = 150
BUTTON_TEXT = 75
ACTION_VALUE = 2000
MAX_BLOCKS = 50
_USER_ID = re.compile(r"[UW][A-Z0-9]+")  # a Slack user id, safe to mention back
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
FORGET_CONFIRM_ACTION = "study_forget_confirm"
FORGET_CANCEL_ACTION = "study_forget_cancel"
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
    ("forget-me", "delete everything stored about you (asks first)"),
    (
        "schedule set <HH:MM> [time zone] [days] [topics=a,b] [board=fri|off]",
        "teachers: post the daily question in this channel by itself",
    ),
    ("schedule show|pause [from..to]|resume|off", "teachers: see or change this channel's schedule"),
    ("schedule off #channel", "teachers: stop another channel's posts (a deleted one, say)"),
    ("schedule list", "teachers: every channel's schedule in this workspace"),
    ("schedule teachers [add|remove @name]", "workspace admins: name the teachers who manage schedules"),
    ("help", "this list"),
)

NOT_TEACHER = (
    "Only workspace admins and the teachers they name can see or change the daily-question schedules. "
    f"An admin can name you with `{COMMAND} schedule teachers add @you`."
)
SCHEDULE_USAGE = (
    f"Try `{COMMAND} schedule set 08:30 Europe/London mon-fri`, `{COMMAND} schedule show`, "
    f"`{COMMAND} schedule pause 2026-12-19..2027-01-04`, `{COMMAND} schedule resume`, `{COMMAND} schedule off`, "
    f"`{COMMAND} schedule list`, or `{COMMAND} schedule teachers add @name`."
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
        blocks += _actions(
            [
                _button(
                    f"{o.letter}. {o.text}" if multiple_choice else o.text,
                    ANSWER_ACTION_PREFIX + o.letter,
                    answer_value(card.ref, o.letter),
                )
                for o in card.options
            ]
        )
    else:
        value = f"{card.ref.encode()}|{card.prompt}"  # cut to the value limit by _button
        blocks += _actions([_button("Type your answer", OPEN_MODAL_ACTION, value, style="primary")])
        blocks.append(_context(f"or reply with `{COMMAND} answer <your answer>`"))
    if card.already_answered:
        blocks.append(_context("You have already answered today's question: answering again shows your first result."))
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
        verdict = "\u2705 Your first answer was right." if fb.correct else "\u274c Your first answer was not right."
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


def leaderboard(board: Leaderboard, *, personal: bool = True) -> Message:
    """Top entries by plain display name: never a mention, so nobody is pinged.

    `personal=False` is the board posted in a channel for everyone: no "your rank" line."""
    title = "Leaderboard" if personal else "This week's leaderboard"
    blocks: list[dict[str, Any]] = [_header(f"{title} \u00b7 {board.period_label}")]
    if board.entries:
        rows = []
        for entry in board.entries:
            row = f"{entry.rank}. {echo(entry.name, 80)} \u2014 {_points(entry.points)}"
            rows.append(f"*{row}* \u2190 you" if entry.is_caller else row)
        blocks.append(_section("\n".join(rows)))
    else:
        blocks.append(_section(f"No points yet for {escape(board.period_label)}. Be the first: `{COMMAND} daily`."))
    if not personal:
        blocks.append(_context(f"{board.total_ranked} on the board \u00b7 your own rank: `{COMMAND} leaderboard`"))
    else:
        if board.caller is not None:
            you = f"Your rank: *{board.caller.rank}* of {board.total_ranked} with {_points(board.caller.points)}."
        else:
            you = "You have no points in this period yet."
        blocks.append(_context(you, f"`{COMMAND} leaderboard week|month|all`"))
    top = ", ".join(f"{e.rank}. {e.name} ({e.points})" for e in board.entries) or "no points yet"
    return _message(f"{title}, {board.period_label}: {top}", blocks)


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
        rows = [f"{escape(t.topic)}: {t.correct}/{t.answered} ({t.accuracy:.0%})" for t in s.per_topic if t.answered]
        if rows:
            blocks.append(_section("*By topic*\n" + "\n".join(rows)))
    if not s.answered:
        blocks.append(_context(f"No answers yet: try `{COMMAND} daily` or `{COMMAND} quiz`."))
    return _message(
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
        _button("Yes, delete my data", FORGET_CONFIRM_ACTION, "forget", style="danger"),
        _button("Cancel", FORGET_CANCEL_ACTION, "keep"),
    ]
    return _message("Delete your data? Use the buttons to confirm or cancel.", [_section(text), *_actions(buttons)])


def forget_cancelled() -> Message:
    text = "Kept everything: nothing was deleted."
    return _message(text, [_section(text)])


def forgotten(result: Forgotten) -> Message:
    if result.existed:
        text = (
            f"Done: I deleted your {result.attempts_deleted} answer(s), your points and your streak. "
            f"If you use `{COMMAND}` again you start from zero."
        )
    else:
        text = "I had nothing stored about you, so there was nothing to delete."
    return _message(text, [_section(text)])


# ---------------------------------------------------------------- scheduled posts


def _day(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def _reveal_blocks(r: Reveal) -> list[dict[str, Any]]:
    """The previous daily question, its answer and how the class did. Names only right answerers
    (the Reveal holds no others), as plain escaped text: nobody is pinged."""
    blocks: list[dict[str, Any]] = [
        _context(f"*The last question* \u00b7 {_day(r.day)}"),
        _section(f"{escape(truncate(r.prompt, 1000))}\n*Answer:* {escape(r.correct_answer)}"),
    ]
    if r.explanation:
        blocks.append(_section(escape(r.explanation)))
    if r.answered:
        summary = [f"{r.answered} answered \u00b7 {r.percent_correct}% correct"]
        if r.top_streaks:
            streaks = ", ".join(f"{echo(h.name, 80)} ({h.streak} days)" for h in r.top_streaks)
            summary.append(f"Top streaks: {streaks}")
    else:
        summary = ["Nobody answered it."]
    blocks += [_context(*summary), {"type": "divider"}]
    return blocks


def daily_post(post: DailyPost) -> list[Message]:
    """A scheduled post as channel messages: the reveal and today's question (with its answer buttons,
    the same as `/study daily`), then on the leaderboard day the week's board as a second message
    (unless nobody has points this week: an empty board in a class channel is only noise)."""
    today = question(post.question)
    blocks = [*(_reveal_blocks(post.reveal) if post.reveal else []), *today["blocks"]]
    messages = [{"text": today["text"], "blocks": blocks[:MAX_BLOCKS]}]
    if post.leaderboard is not None and post.leaderboard.entries:
        messages.append(leaderboard(post.leaderboard, personal=False))
    return messages


def _when(moment: dt.datetime) -> str:
    return f"{moment:%A} {moment.day} {moment:%B} at {moment:%H:%M}"


def schedule(info: ScheduleInfo, done: str = "") -> Message:
    """A channel's schedule: when, which days, pauses, when the next post goes out (channel time), the last error."""
    intro = [f"*{escape(done)}*"] if done else []
    if not info.exists:
        failing = [
            f":warning: Another channel is failing: {escape(truncate(line, 300))}"
            for line in info.failing_elsewhere[:5]
        ]
        text = "\n".join([*intro, "There is no daily-question schedule in this channel.", *failing])
        hint = f"Teachers can set one: `{COMMAND} schedule set 08:30 Europe/London mon-fri`."
        return _message(f"{done} No daily-question schedule here.".strip(), [_section(text), _context(hint)])
    lines = [
        *intro,
        (
            f"The daily question is posted in <#{info.channel_id}> at *{info.time_of_day:%H:%M}* "
            f"({escape(info.timezone)}), {escape(info.days)}."
        ),
    ]
    if info.topics:
        lines.append("Topics: " + escape(", ".join(info.topics)) + ".")
    lines.append(
        f"The week's leaderboard is posted on {escape(info.weekly_leaderboard)}s."
        if info.weekly_leaderboard
        else "No weekly leaderboard post."
    )
    for start, end in info.pauses:
        lines.append(
            f"Paused {_day(start)} {start.year} to {_day(end)} {end.year}."
            if start != end
            else f"Paused on {_day(start)} {start.year}."
        )
    if info.paused:
        lines.append(f"*Paused* until a teacher runs `{COMMAND} schedule resume`.")
    elif info.next_post is not None:
        lines.append(f"Next post: *{_when(info.next_post)}* ({escape(info.timezone)}).")
    else:
        lines.append("No post is coming up: every posting day is paused.")
    blocks = [_header("Daily-question schedule"), _section("\n".join(lines))]
    if info.last_error:
        blocks.append(_section(f":warning: *The last post failed:* {escape(truncate(info.last_error, 500))}"))
    if info.failing_elsewhere:
        blocks.append(
            _section(
                truncate(
                    ":warning: *Other channels failing:*\n"
                    + "\n".join(escape(line) for line in info.failing_elsewhere[:5]),
                    2900,
                )
            )
        )
    blocks.append(
        _context(
            "In a private channel, invite me first (`/invite @Study Bot`). "
            f"Change it: `{COMMAND} schedule set|pause|resume|off`."
        )
    )
    when = f" Next: {_when(info.next_post)}." if info.next_post and not info.paused else ""
    return _message(f"Daily question at {info.time_of_day:%H:%M} {info.timezone}, {info.days}.{when}", blocks)


def schedule_list(infos: Sequence[ScheduleInfo]) -> Message:
    """Every schedule in the workspace, a line per channel: when, the next post or why none, failures."""
    if not infos:
        text = "No channel here has a daily-question schedule yet."
        return _message(
            text, [_section(text), _context(f"Set one in a class channel: `{COMMAND} schedule set 08:30`.")]
        )
    lines = []
    for info in infos:
        line = f"<#{info.channel_id}> *{info.time_of_day:%H:%M}* ({escape(info.timezone)}), {escape(info.days)}"
        if info.paused:
            line += " \u00b7 *paused*"
        elif info.next_post is not None:
            line += f" \u00b7 next {_when(info.next_post)}"
        if info.last_error:  # name it as it was: Slack cannot link a deleted channel
            line += (
                f"\n:warning: #{escape(info.channel_name or info.channel_id)}: last post failed: "
                f"{escape(truncate(info.last_error, 200))}"
            )
        lines.append(line)
    blocks = [_header(f"Daily-question schedules ({len(infos)})")]
    section = ""
    for line in lines:
        if len(section) + len(line) + 1 > SECTION_TEXT - 100:
            blocks.append(_section(section))
            section = ""
        section = f"{section}\n{line}" if section else line
    blocks.append(_section(section))
    blocks = blocks[: MAX_BLOCKS - 1]  # a workspace with thousands of channels sees the first ~100 000 characters
    blocks.append(
        _context(
            f"Change one in its channel: `{COMMAND} schedule set|pause|resume|off`. "
            f"Stop a deleted one with `{COMMAND} schedule off #its-name`."
        )
    )
    return _message(f"{len(infos)} daily-question schedules.", blocks)


def teachers(user_ids: Sequence[str]) -> Message:
    """The named teachers, as mentions (ephemeral: nobody is pinged)."""
    if user_ids:
        named = ", ".join(f"<@{user_id}>" for user_id in user_ids if _USER_ID.fullmatch(user_id))
        text = f"Named teachers: {named}. Workspace admins can always manage schedules too."
    else:
        text = "No teachers are named yet; workspace admins can always manage schedules."
    return _message(text, [_section(text), _context(f"`{COMMAND} schedule teachers add|remove @name`")])


def schedule_removed_elsewhere(channel_id: str) -> Message:
    """`channel_id` comes from Slack's own `<#C...|name>` escape."""
    text = f"Schedule removed: the daily question is no longer posted in <#{channel_id}>."
    return _message(text, [_section(text)])


def teacher_changed(user_id: str, *, added: bool) -> Message:
    """`user_id` comes from Slack's own `<@U...|name>` escape: safe to mention back (ephemeral: no ping)."""
    who = f"<@{user_id}>"
    if added:
        text = f"{who} is now a teacher here: they can manage daily-question schedules in this workspace."
    else:
        text = f"{who} is no longer a named teacher here (workspace admins can always manage schedules)."
    return {"text": text, "blocks": [_section(text)]}


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
