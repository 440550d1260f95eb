"""Domain errors. Each carries a message that is safe and friendly to show a student."""

from __future__ import annotations

UNEXPECTED_ERROR = "Something went wrong on our side. Please try again in a moment."


def first_line(error: BaseException, limit: int = 300) -> str:
    """An error in one short line for a log or a console (its type's name when it says nothing)."""
    lines = str(error).splitlines()
    return lines[0][:limit] if lines and lines[0] else type(error).__name__


class StudyError(Exception):
    """Base class: `message` is what the student sees."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnknownName(StudyError):
    """No figure or glossary entry matched; `suggestions` are the closest names."""

    def __init__(self, query: str, suggestions: tuple[str, ...] = ()) -> None:
        self.query = query
        self.suggestions = suggestions
        hint = f" Did you mean {_either(suggestions)}?" if suggestions else ""
        super().__init__(f"I don't have a card for \u201c{query}\u201d.{hint}")


class UnknownTopic(StudyError):
    def __init__(self, query: str, known: tuple[str, ...], suggestions: tuple[str, ...] = ()) -> None:
        self.query = query
        self.known = known
        self.suggestions = suggestions
        hint = f" Did you mean {_either(suggestions)}?" if suggestions else ""
        super().__init__(f"There is no topic \u201c{query}\u201d.{hint} Topics: {', '.join(known)}.")


class InvalidInput(StudyError):
    """Empty, overlong or otherwise unusable text from a student."""


class NoQuestionPending(StudyError):
    def __init__(self) -> None:
        super().__init__("You have no question waiting for an answer. Ask for `daily` or `quiz` first.")


class NoQuestionsAvailable(StudyError):
    def __init__(self, detail: str = "") -> None:
        super().__init__(f"There are no questions to ask{detail}. Ask your teacher to add some.")


class NotAllowed(StudyError):
    """The actor lacks the permission a use case needs (teachers' commands)."""


class NotFound(StudyError):
    """Something the request points at no longer exists (a retired question, a forgotten member)."""


def _either(names: tuple[str, ...]) -> str:
    quoted = [f"\u201c{name}\u201d" for name in names]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


class DatabaseTrouble(StudyError):
    """The database could not do what was asked (full disk, read-only file, lost connection). The message
    names the cause and says what was not done; nothing claims to be saved that was not."""

    def __init__(self, cause: str, *, not_done: str = "nothing was changed") -> None:
        self.cause = cause
        super().__init__(f"Sorry, {cause}; {not_done}. Please try again in a moment.")
