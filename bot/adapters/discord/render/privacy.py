"""`/privacy`: how the class sees a student on its public boards and posts, and a pseudonymous or hidden
student's own rank, sent to them alone beside a public `/leaderboard`."""

from __future__ import annotations

import discord

from bot.adapters.discord.render.base import Reply, fit, new_embed, plural, set_footer, user_text
from bot.core.privacy import BoardName
from bot.core.replies import Leaderboard, PrivacySettings

HOW = {
    BoardName.NAMED: "by your own name",
    BoardName.PSEUDONYM: "under your pseudonym",
    BoardName.HIDDEN: "nowhere: you're off the public boards",
}
CHANGE = (
    "Change it with `/privacy choice:` named (your name), pseudonym (a made-up name), hidden (off the boards) "
    "or new-name (a new pseudonym, once a week). You always see your own rank."
)
TEACHERS = "Teachers: `/privacy class_default:` sets how members show unless they choose."


def named(settings: PrivacySettings | None) -> bool:
    """Whether the class sees this student by name (None: no settings to go by, as for a public post)."""
    return settings is None or settings.choice == BoardName.NAMED.value


def privacy_settings(settings: PrivacySettings, *, heading: str = "") -> Reply:
    """What `/privacy` shows (after a change, with `heading` above it): always a private reply."""
    choice = BoardName(settings.choice)
    appear = HOW[choice]
    if settings.shown_as:
        appear += f", **{user_text(settings.shown_as, 100)}**"
    whose = "your own choice" if settings.chosen else "the class default"
    lines = [f"On this server's boards and posts you appear {appear} ({whose})."]
    pseudonym = f"**Your pseudonym:** {user_text(settings.pseudonym, 100)}" if settings.pseudonym else ""
    if pseudonym and settings.next_pseudonym_change is not None:
        pseudonym += f" (a new one from {discord.utils.format_dt(settings.next_pseudonym_change, 'D')})"
    lines += [pseudonym, f"**Class default:** {BoardName(settings.class_default).value}"]
    embed = new_embed("Privacy \u00b7 how the class sees you", "\n".join(line for line in lines if line))
    set_footer(embed, CHANGE, TEACHERS)
    return Reply(content=heading or None, embed=fit(embed))


def own_rank(board: Leaderboard, settings: PrivacySettings | None) -> Reply | None:
    """A pseudonymous or hidden student's rank, for them alone (a public reply would tie it to them);
    None when the public board already says it (named) or they have no points."""
    caller = board.caller
    if caller is None or named(settings):
        return None
    points = plural(caller.points, "pt")
    if settings is not None and settings.shown_as:
        text = (
            f"You are #{caller.rank} of {board.total_ranked} with {points}, "
            f"shown to the class as **{user_text(settings.shown_as, 100)}**."
        )
    else:
        text = f"You're hidden from the class's boards; you'd be #{caller.rank} with {points}."
    return Reply(content=f"{text} (Only you can see this. `/privacy` changes how you show.)")
