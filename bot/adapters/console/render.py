"""Plain-text rendering of the service's replies for the terminal. Pure functions."""

from __future__ import annotations

import textwrap

from bot.adapters.console import assignments
from bot.core.arrangement import example
from bot.core.replies import (
    AnswerFeedback,
    AskedQuestion,
    ClassDeleted,
    ClassGoal,
    DailyPost,
    EssayAsked,
    EssayHistory,
    Forgotten,
    GoalSetting,
    Leaderboard,
    PlanCompared,
    PrivacySettings,
    RatingNoted,
    ReferenceCard,
    RemindersSetting,
    ReviewsDone,
    ScheduleInfo,
    Stats,
    TaughtTopics,
    Timeline,
    TopicInfo,
    TopicSummary,
    judgement_notes,
)
from bot.core.vocabulary import Mode, QuestionKind

WIDTH = 78


def _wrap(text: str, indent: str = "") -> str:
    return "\n".join(
        textwrap.fill(line, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ") if line else ""
        for line in text.splitlines()
    )


def question_title(card: AskedQuestion) -> str:
    if card.assignment is not None:
        return assignments.question_title(card)
    if card.ref.mode is Mode.REVIEW:
        return f"Review ({card.reviews_due} due today)"
    return "Today's question" if card.is_daily else "Practice question"


def question(card: AskedQuestion) -> str:
    title = question_title(card)
    lines = [f"{title} \u00b7 {card.topic}"]
    if card.extract is not None:
        lines += [_wrap(card.extract.text, "  \u2502 "), _wrap(f"\u2014 {card.extract.attribution}", "    ")]
        lines += [_wrap(f"({card.extract.note})", "    ")] if card.extract.note else []
    lines.append(_wrap(card.prompt))
    if card.kind is QuestionKind.MULTIPLE_CHOICE:
        lines += [_wrap(f"{option.letter}) {option.text}", "  ") for option in card.options]
        hint = f"Answer with: answer <{'/'.join(option.letter for option in card.options)}>"
    elif card.kind is QuestionKind.TRUE_FALSE:
        hint = "Answer with: answer true  or  answer false"
    elif card.kind is QuestionKind.ORDER:
        lines += [_wrap(f"{option.letter}. {option.text}", "  ") for option in card.options]
        hint = f"Answer with the numbers in time order, earliest first: answer {example(card.kind, len(card.options))}"
    elif card.kind is QuestionKind.MATCH:
        lines += [_wrap(f"{n}. {left}", "  ") for n, left in enumerate(card.lefts, start=1)]
        lines += [_wrap(f"{option.letter}) {option.text}", "  ") for option in card.options]
        hint = f"Answer with a letter for each number: answer {example(card.kind, len(card.lefts))}"
    else:
        hint = "Answer with: answer <your answer>"
    if card.already_answered:
        hint = "You've already answered this one today (answer again to see your result)."
    return "\n".join([*lines, hint])


def feedback(result: AnswerFeedback) -> str:
    verdict = "\u2714 Correct!" if result.correct else "\u2718 Not quite."
    lines = [verdict if not result.repeated else f"{verdict} (your first answer: {result.given})"]
    if not result.correct:
        if not result.repeated:
            lines.append(_wrap(f"Your answer: {result.given}"))  # an order or match answer says how much was right
        lines.append(f"The answer: {result.correct_answer}")
        if result.why_wrong:
            lines.append(_wrap(f"Why not yours: {result.why_wrong}"))
    lines.append(_wrap(result.explanation))
    if result.ref.mode.value == "daily":
        lines.append(f"+{result.points} points \u00b7 streak {result.streak} \u00b7 total {result.total_points}")
    else:
        lines.append(no_points(result))
    if result.note:
        lines.append(_wrap(result.note))
    if result.figure:
        lines.append(f"More: rival {result.figure.name}")
    if result.term:
        lines.append(f"More: explain {result.term.name}")
    return "\n".join(lines + review_footer(result) + assignments.footer(result))


def no_points(result: AnswerFeedback) -> str:
    return (
        "Assignment: no leaderboard points."
        if result.ref.mode is Mode.ASSIGNMENT
        else "Practice: no leaderboard points."
    )


def review_footer(result: AnswerFeedback) -> list[str]:
    """What to do next about review: the next one, and re-grading a right answer."""
    lines = []
    if result.correct and not result.repeated:
        lines.append("Guessed it? `review guessed` brings it back sooner; too easy? `review easy`.")
    if result.reviews_due:
        lines.append(f"Next review: `review` ({result.reviews_due} more due today).")
    elif result.reviews_due == 0:
        lines.append("That was your last review for today.")
    return lines


def when(moment) -> str:  # noqa: ANN001 - a local datetime
    return f"{moment:%a %d %b at %H:%M}"


def reviews_done(done: ReviewsDone) -> str:
    if done.next_due is None:
        lines = ["Nothing to review yet: questions you answer come back here when you are about to forget them."]
    else:
        lines = [
            f"No reviews due today. Done today: {done.done_today}.",
            f"Next review: {when(done.next_due)} \u00b7 due this week: {done.due_this_week}.",
        ]
    if done.weakest_topic:
        lines.append(f"Practise your weakest topic, {done.weakest_topic.title}: `quiz weak`.")
    return "\n".join(lines)


def rating_noted(noted: RatingNoted) -> str:
    how = "a guess" if noted.rating == "guessed" else "too easy"
    return f"Noted as {how}: it comes back {when(noted.next_due)}."


def privacy_settings(settings: PrivacySettings) -> str:
    shown = f"as {settings.shown_as}" if settings.shown_as else "nowhere: you are off the public boards"
    whose = "your choice" if settings.chosen else "the class's default"
    lines = [
        f"On the class's boards and posts you appear {shown} ({settings.choice}, {whose}).",
        f"Your pseudonym: {settings.pseudonym}. You always see your own rank.",
        "Change it: privacy named | privacy pseudonym | privacy hidden | privacy new-name (once a week)",
    ]
    return "\n".join(lines)


def goal_setting(setting: GoalSetting) -> str:
    if setting.goal_percent is None:
        return "No class goal now. Set one with: goal 70%"
    return f"The class's goal: {setting.goal_percent}% of the week's daily answers right (shown in the weekly post)."


def class_deleted(deleted: ClassDeleted) -> str:
    return f"Deleted: this class's {deleted.members} members, {deleted.answers} answers, scores and settings."


def class_goal(goal: ClassGoal) -> str:
    share = f"{goal.percent_right}% of this week's {goal.answered} daily answers right"
    if goal.goal_percent is None:
        return f"Class: {share}."
    verdict = "goal reached!" if goal.reached else f"goal {goal.goal_percent}%"
    return f"Class goal: {share} \u00b7 {verdict}"


def reminders_setting(setting: RemindersSetting) -> str:
    return ("Review reminders are on. " if setting.on else "Review reminders are off. ") + setting.when


def mastery_lines(result: Stats) -> list[str]:
    if not result.mastery:
        return []
    lines = [f"Mastery now (due now {result.due_now} \u00b7 this week {result.due_this_week}):"]
    for m in result.mastery:
        bar = "\u2588" * round(m.recall * 10) + "\u2591" * (10 - round(m.recall * 10))
        lines.append(f"  {m.topic:<45} {bar} {m.recall:.0%} ({m.met}/{m.total} met)")
    return lines


def leaderboard(board: Leaderboard, *, personal: bool = True) -> str:
    lines = [f"Leaderboard \u00b7 {board.period_label}"]
    if not board.entries:
        lines.append("No points yet in this period. Answer `daily` to get on the board!")
    for entry in board.entries:
        marker = " \u2190 you" if entry.is_caller else ""
        lines.append(f"{entry.rank:>3}. {entry.name:<30} {entry.points:>5}{marker}")
    if board.caller and not any(entry.is_caller for entry in board.entries):
        lines.append(f"  \u2026 {board.caller.rank}. {board.caller.name} {board.caller.points} (you)")
    elif board.caller is None and personal:
        lines.append("You're not on this board yet.")
    return "\n".join(lines)


def card(reference: ReferenceCard) -> str:
    lines = [reference.name.upper(), _wrap(reference.summary)]
    if reference.aliases:
        lines.append(_wrap(f"Also: {', '.join(reference.aliases)}"))
    for section in reference.sections:
        lines += ["", f"{section.heading}:", _wrap(section.text, "  ")]
    if reference.record and reference.record.answered:
        lines += ["", f"Your record: {reference.record.correct} of {reference.record.answered} right"]
    if reference.has_questions:
        lines += ["", f"Quiz yourself: quiz --about {reference.card_id}"]
    return "\n".join(lines)


def stats(result: Stats) -> str:
    lines = [
        f"Stats for {result.name}",
        f"Answered {result.answered} ({result.daily_answered} daily, {result.practice_answered} practice, "
        f"{result.review_answered} review{result.assignment_note}), "
        f"{result.accuracy:.0%} correct",
        f"Points {result.points} \u00b7 streak {result.current_streak} (best {result.best_streak})"
        f" \u00b7 {result.freeze_note}",
    ]
    lines += [f"  {t.topic:<45} {t.correct}/{t.answered} ({t.accuracy:.0%})" for t in result.per_topic]
    return "\n".join(lines + mastery_lines(result))


def forgotten(result: Forgotten) -> str:
    if not result.existed:
        return "There was nothing stored about you here."
    return f"Done: your {result.attempts_deleted} answers, your scores and your name are deleted from this class."


def topics(items: list[TopicInfo]) -> str:
    return "Topics:\n" + "\n".join(f"  {t.topic_id:<18} {t.title} ({t.question_count})" for t in items)


def daily_post(post: DailyPost) -> str:
    parts = []
    if post.reveal:
        r = post.reveal
        streaks = ", ".join(f"{h.name} ({h.streak} days)" for h in r.top_streaks)
        parts.append(
            f"Yesterday's answer ({r.day:%a %d %b}): {r.correct_answer}\n{_wrap(r.explanation)}\n"
            f"{r.answered} answered, {r.percent_correct}% correct." + (f" Top streaks: {streaks}." if streaks else "")
        )
    if post.goal:
        parts.append(class_goal(post.goal))
    parts.append(question(post.question))
    if post.reviews_waiting:
        parts.append(waiting(post.reviews_waiting))
    if post.leaderboard:
        parts.append(leaderboard(post.leaderboard, personal=False))
    return "\n\n".join(parts)


def waiting(count: int) -> str:
    return f"{count} of you {'has' if count == 1 else 'have'} reviews waiting: `review`."


def slot_passed(info: ScheduleInfo) -> bool:
    """Posting now because today's slot has passed (rather than because a teacher asked)."""
    return info.next_post is not None and info.next_post.time() >= info.time_of_day


def taught_topics(result: TaughtTopics) -> str:
    if result.whole_bank:
        head = "Taught so far: every topic." + (" (Saved.)" if result.changed else "")
        hint = "Name the topics taught so far with `topics taught <topic, topic ...>`."
        return f"{head}\n{topics(list(result.taught))}\n{hint}"
    head = "Saved. " if result.changed else ""
    lines = [f"{head}The daily question, practice and review ask only the topics taught so far:"]
    lines += [f"  {t.topic_id:<18} {t.title} ({t.question_count})" for t in result.taught]
    if result.not_yet:
        lines.append("Not taught yet: " + ", ".join(t.title for t in result.not_yet) + ".")
    if result.changed:
        lines.append("(Today's question stays as it is; the change counts from the next one.)")
    lines.append("`topics taught all` asks every topic again.")
    return "\n".join(lines)


def schedule(info: ScheduleInfo) -> str:
    elsewhere = "".join(f"\nAnother channel is failing: {line}" for line in info.failing_elsewhere)
    if not info.exists:
        return "No daily-question schedule here. Set one with: schedule set 08:30 [Europe/London] [mon-fri]" + elsewhere
    lines = [
        f"Daily question at {info.time_of_day:%H:%M} {info.timezone}, {info.days}.",
        f"({info.timezone} is the class's time zone: its schedules, daily question and leaderboards follow it.)",
    ]
    if info.moved_to_timezone:
        lines.append(f"Moved to {info.timezone} with it: {', '.join(info.moved_to_timezone)}.")
    if info.topics:
        lines.append(f"Topics: {', '.join(info.topics)}.")
    if info.untaught_topics == info.topics and info.topics:
        lines.append("None of them is taught yet (`topics taught`): the posts draw from the topics taught so far.")
    elif info.untaught_topics:
        lines.append(f"Not taught yet, so not asked: {', '.join(info.untaught_topics)}.")
    if info.weekly_leaderboard:
        lines.append(f"Weekly leaderboard on {info.weekly_leaderboard}s.")
    for start, end in info.pauses:
        lines.append(f"Paused {start:%d %b %Y} to {end:%d %b %Y}.")
    if info.skipped:
        days = ", ".join(f"{day:%A %d %B}" for day in info.skipped)
        lines.append(f"Skipped: {days} (`schedule resume` brings skipped posts back).")
    if info.paused:
        lines.append("Paused until you resume it.")
    elif info.posting_now and slot_passed(info):
        lines.append(f"Today's {info.time_of_day:%H:%M} slot has passed: today's question is posted now.")
    elif info.posting_now:
        lines.append("Today's question is posted now (it is today's post: none later today).")
    elif info.next_post:
        lines.append(f"Next post: {info.next_post:%A %d %B, %H:%M} ({info.timezone}).")
    if info.last_error:
        lines.append(f"The last post failed: {info.last_error}")
    return "\n".join(lines) + elsewhere


def timeline(reply: Timeline) -> str:
    lines = [reply.title]
    lines += [_wrap(f"{event.when:>17}  {event.event}", "").replace("\n", "\n" + " " * 19) for event in reply.events]
    return "\n".join([*lines, *filter(None, [reply.more_note])])


def summary(reply: TopicSummary) -> str:
    lines = [f"Summary \u00b7 {reply.topic.title}"]
    if reply.description:
        lines.append(_wrap(reply.description))
    if reply.dates:
        lines += ["", "Key dates:"] + [f"  {event.when}: {event.event}" for event in reply.dates]
    if reply.people:
        lines += ["", "People: " + ", ".join(person.name for person in reply.people) + "  (rival <name>)"]
    if reply.terms:
        lines += ["Terms: " + ", ".join(term.name for term in reply.terms) + "  (explain <term>)"]
    lines += ["", reply.record]
    lines += [_wrap(f"- {prompt}", "  ") for prompt in reply.missed]
    lines.append(f"Practise it: quiz {reply.topic.topic_id}")
    return "\n".join(lines)


def essay_asked(asked: EssayAsked) -> str:
    lines = [f"Essay plan \u00b7 {asked.topic} \u00b7 {asked.marks} marks", _wrap(asked.question), "", "Factors:"]
    lines += [_wrap(f"{n}. {factor}", "  ") for n, factor in enumerate(asked.factors, start=1)]
    lines += ["", "Evidence:"]
    lines += [_wrap(f"{letter}) {text}", "  ") for letter, text in zip(asked.letters, asked.evidence, strict=True)]
    lines += [
        "",
        "Plan it: 3 or 4 factors, most important first, an evidence letter for each, and a one-line judgement:",
        "  plan 2 4 1 | B D A | your answer to the question, and why",
    ]
    return "\n".join(lines)


def plan_compared(compared: PlanCompared) -> str:
    lines = [f"Your plan beside the model's \u00b7 {compared.marks} marks", _wrap(compared.question), "", "Yours:"]
    for n, factor in enumerate(compared.mine, start=1):
        lines.append(_wrap(f"{n}. {factor.name}: {factor.evidence}", "  "))
        if not factor.fits:
            lines.append(_wrap(f"That evidence proves another factor; for this one: {factor.better}", "     "))
    lines += ["", "The model plan, most important first:"]
    for n, (factor, link) in enumerate(zip(compared.model, compared.links, strict=True), start=1):
        lines.append(_wrap(f"{n}. {factor.name}: {factor.evidence} ({link})", "  "))
    if compared.missed:
        lines.append(_wrap("You left out: " + "; ".join(compared.missed)))
    lines += ["", _wrap(f"Your judgement: {compared.judgement}"), _wrap(f"The model's: {compared.model_judgement}")]
    lines += [_wrap(" ".join(judgement_notes(compared)))]
    lines += [
        "",
        _wrap(f"A plan like this aims at level {compared.level} ({compared.level_marks}): {compared.level_descriptor}"),
    ]
    if compared.lift:
        lines.append(_wrap(compared.lift))
    lines.append(_wrap(compared.honest_note))
    return "\n".join(lines)


def essay_history(history: EssayHistory) -> str:
    if not history.plans:
        return "No essay plans yet: try `essay`."
    lines = ["Your essay plans:"]
    lines += [
        _wrap(f"{plan.finished_at:%d %b %Y}  level {plan.level} of 4  {plan.question} ({plan.marks})", "  ")
        for plan in history.plans
    ]
    return "\n".join(lines)
