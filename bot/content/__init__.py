"""Loading and validating the YAML question bank, figure cards and glossary."""

from bot.content.loader import ContentError, Problem, load_bank
from bot.content.schema import Bank, Figure, Question, Term, Topic

__all__ = ["Bank", "ContentError", "Figure", "Problem", "Question", "Term", "Topic", "load_bank"]
