"""Who is shown how on what the class sees: a student's own name, a pseudonym, or nothing (off the board).

The students are mostly 16-18, so a new class defaults to pseudonyms (the UK Age Appropriate Design Code
asks for high privacy by default). A pseudonym is two friendly words ("Amber Heron"), stable for a
student, unique in their class, and changeable once a week.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Container
from enum import StrEnum

from bot.core.errors import InvalidInput


class BoardName(StrEnum):
    NAMED = "named"  # on the board under the name the platform shows
    PSEUDONYM = "pseudonym"  # under a generated two-word name
    HIDDEN = "hidden"  # off every public board and post; the student still sees their own rank


CLASS_DEFAULT = BoardName.PSEUDONYM
PSEUDONYM_CHANGE_EVERY = dt.timedelta(days=7)

ADJECTIVES = (
    "Amber", "Azure", "Bold", "Brave", "Bright", "Calm", "Clever", "Coral", "Crimson", "Daring", "Eager",
    "Emerald", "Fair", "Gentle", "Golden", "Grand", "Happy", "Hazel", "Honest", "Ivory", "Jade", "Jolly",
    "Keen", "Kind", "Lively", "Lucky", "Mellow", "Merry", "Misty", "Noble", "Olive", "Patient", "Plucky",
    "Proud", "Quick", "Quiet", "Rapid", "Royal", "Ruby", "Rustic", "Sage", "Scarlet", "Silver", "Steady",
    "Sunny", "Swift", "Tidy", "Topaz", "Tranquil", "Trusty", "Velvet", "Vivid", "Warm", "Wise", "Witty",
    "Zesty",
)  # fmt: skip
ANIMALS = (
    "Badger", "Beaver", "Bison", "Crane", "Curlew", "Dolphin", "Dormouse", "Eagle", "Egret", "Falcon",
    "Ferret", "Finch", "Fox", "Gannet", "Gazelle", "Heron", "Hare", "Hedgehog", "Ibis", "Jay", "Kestrel",
    "Kingfisher", "Koala", "Lark", "Lynx", "Marten", "Merlin", "Mole", "Moose", "Narwhal", "Newt", "Otter",
    "Owl", "Panda", "Pelican", "Penguin", "Plover", "Puffin", "Quail", "Raven", "Robin", "Salmon", "Seal",
    "Sparrow", "Squirrel", "Stoat", "Swallow", "Swan", "Swift", "Tern", "Thrush", "Toad", "Vole", "Walrus",
    "Wombat", "Wren",
)  # fmt: skip


def parse_board_name(text: str) -> BoardName:
    word = text.strip().lower()
    aliases = {"name": BoardName.NAMED, "named": BoardName.NAMED, "pseudonym": BoardName.PSEUDONYM,
               "alias": BoardName.PSEUDONYM, "hidden": BoardName.HIDDEN, "off": BoardName.HIDDEN,
               "hide": BoardName.HIDDEN}  # fmt: skip
    if word not in aliases:
        raise InvalidInput(
            "Choose one of: named (your own name), pseudonym (a made-up name) or hidden (off the board)."
        )
    return aliases[word]


def pseudonym(community_id: int, user_id: str, taken: Container[str], salt: int = 0) -> str:
    """A stable two-word name for this student in this class, not one of `taken`. The same student gets
    the same name every time (until they ask for a new one with a new `salt`)."""
    for attempt in range(10_000):
        digest = hashlib.sha256(f"{community_id}|{user_id}|{salt}|{attempt}".encode()).digest()
        name = f"{ADJECTIVES[digest[0] % len(ADJECTIVES)]} {ANIMALS[digest[1] % len(ANIMALS)]}"
        if attempt >= 50:  # a very full class: a number keeps it unique
            name = f"{name} {int.from_bytes(digest[2:4], 'big') % 1000}"
        if name not in taken:
            return name
    raise RuntimeError("no free pseudonym")  # 3,136 names, then a million more: never in a class


def shown_name(choice: BoardName, display_name: str, alias: str) -> str | None:
    """The name a public board or post shows for a student, or None: not shown at all."""
    if choice is BoardName.NAMED:
        return display_name
    if choice is BoardName.PSEUDONYM:
        return alias
    return None
