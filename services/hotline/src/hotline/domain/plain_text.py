"""Text as the hotline keeps it: no control characters, whatever channel brought them.

Callers and clients bring stray ones (a form feed pasted from a word processor, a NUL or BEL from a buggy client,
terminal escapes); one stored in a description made the Open311 XML list unreadable for every client. Free text
keeps its line breaks (as LF) and tabs; a one-line field (topic, address, the caller's name, phone …) gets a space
for each line break or tab. Every other control character (C0, DEL, C1) and the non-characters U+FFFE and U+FFFF,
which XML cannot carry, are dropped: they carry no meaning a reader could see.
"""

from __future__ import annotations

import re

_LINE_BREAK = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_LAYOUT = re.compile(r"[\t\n]")
_DROPPED = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def free_text(text: str) -> str:
    """A description, an answer, a note: line breaks and tabs kept."""
    return _DROPPED.sub("", _LINE_BREAK.sub("\n", text))


def one_line(text: str) -> str:
    """A name, a phone number, an address, a URL: line breaks and tabs become spaces."""
    return _LAYOUT.sub(" ", free_text(text))
