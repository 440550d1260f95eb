"""Bytes from a teacher's file to text: UTF-8 with or without a BOM, UTF-16 from Excel's "Unicode text",
or Windows-1252 from an older Windows program; line endings made `\\n`."""

from __future__ import annotations

import codecs
from dataclasses import dataclass


class NotText(ValueError):
    """The bytes are not text in any encoding we read."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str


def decode(data: bytes) -> Decoded:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(_lines(data.decode("utf-16")), "UTF-16")
    if b"\x00" in data:
        raise NotText("the file is not text (it has NUL bytes)")
    try:
        return Decoded(_lines(data.decode("utf-8-sig")), "UTF-8")
    except UnicodeDecodeError:
        pass
    try:  # not UTF-8: Windows-1252, which Excel and Notepad on Windows still write
        return Decoded(_lines(data.decode("cp1252")), "Windows-1252")
    except UnicodeDecodeError as error:
        raise NotText("the file is neither UTF-8 nor Windows-1252 text") from error


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
