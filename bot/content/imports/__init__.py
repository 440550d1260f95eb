"""Questions from the formats teachers already have: GIFT, Aiken, CSV, Quizlet, Red trivia lists, Kahoot.

`parse(name, data)` reads any of them from bytes into drafts and problems (no disk, no bank: a chat upload
can call it too); `convert` makes bank questions of the drafts; `import_file` checks them against a
content directory with the real loader and writes one YAML file, all or nothing.
"""

from bot.content.imports.bank import Outcome, default_out, import_file
from bot.content.imports.model import Draft, Parsed
from bot.content.imports.reading import FORMATS, guess_format, parse
from bot.content.imports.writer import Converted, bank_yaml, convert, question_id

__all__ = [
    "FORMATS",
    "Converted",
    "Draft",
    "Outcome",
    "Parsed",
    "bank_yaml",
    "convert",
    "default_out",
    "guess_format",
    "import_file",
    "parse",
    "question_id",
]
