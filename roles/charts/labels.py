"""User text in a chart: cleaned to one displayable line, wrapped to the box, HTML-escaped for a
Graphviz HTML-like label, and shown in full as the tooltip.

Every piece of user text goes through `label_text()` or `tooltip_text()`: no user text is ever put
in a plain (escString) attribute such as `tooltip`, where `\\N`, `\\G` or quotes would mean
something, and backslashes stay literal whatever the installed Graphviz does with them.
"""

from __future__ import annotations

import functools
import html
import unicodedata

from roles.charts.process import html_labels_expand_escapes

# Width (in half-width characters) and line count of wrapped labels; the full text is always in
# the tooltip.
TITLE_WIDTH, TITLE_LINES = 26, 3
NAME_WIDTH, NAME_LINES = 30, 3
NOTE_WIDTH, NOTE_LINES = 30, 2


def clean_text(value: str | None) -> str:
    """One line of displayable text: control characters and every kind of line break become
    spaces, characters XML cannot carry are replaced, runs of white space collapse."""
    if not value:
        return ""
    value = str(value)
    if value.isprintable():  # no control, surrogate or non-character code point: the usual case
        return " ".join(value.split())
    out = []
    for char in value:
        category = unicodedata.category(char)
        if category == "Cc":
            out.append(" ")
        elif category == "Cs" or char in "\ufffe\uffff":
            out.append("\ufffd")
        else:
            out.append(char)
    return " ".join("".join(out).split())


@functools.lru_cache(maxsize=4096)
def _width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def wrap_label(value: str | None, width: int, max_lines: int) -> list[str]:
    """Wrap cleaned text into at most `max_lines` lines of about `width` half-width characters,
    breaking at spaces where possible (English) and anywhere otherwise (Chinese); text that does
    not fit ends with "…"."""
    text = clean_text(value)
    if not text:
        return []
    if (len(text) if text.isascii() else sum(map(_width, text))) <= width:
        return [text]  # fits on one line, as most names and titles do
    lines: list[str] = []
    line, line_width, last_space = "", 0, -1
    for char in text:
        if line_width + _width(char) > width and line:
            if char == " ":
                lines.append(line)
                line, line_width, last_space = "", 0, -1
                continue
            if last_space > 0:
                lines.append(line[:last_space])
                line = line[last_space + 1 :]
            else:
                lines.append(line)
                line = ""
            line_width = sum(_width(c) for c in line)
            last_space = line.rfind(" ")
        if char == " " and not line:
            continue
        if char == " ":
            last_space = len(line)
        line += char
        line_width += _width(char)
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and sum(_width(c) for c in last) + 1 > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


def escape_label(value: str) -> str:
    """HTML-escape cleaned text for an HTML-like label, keeping backslashes literal."""
    escaped = html.escape(value, quote=True)
    if "\\" in escaped and html_labels_expand_escapes():
        escaped = escaped.replace("\\", "\\\\")
    return escaped


def label_text(value: str | None, width: int, max_lines: int, *, align: str = "CENTER") -> str:
    """Wrapped, escaped label text; lines are joined by <BR/> (built here, never from input)."""
    lines = wrap_label(value, width, max_lines)
    return f'<BR ALIGN="{align}"/>'.join(escape_label(line) for line in lines)


def tooltip_text(value: str | None) -> str:
    """The full text for a TOOLTIP attribute of an HTML-like label (escaped, quotes too)."""
    return escape_label(clean_text(value)) or " "
