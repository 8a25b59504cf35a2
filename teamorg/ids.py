"""Ids from user input, parsed strictly: ASCII digits only ("²" and "٣" are digits to
`str.isdigit` but not to `int`, and the database), at most what a 64-bit id column holds.
Anything else is no id at all, which the caller answers with its usual 400 or 404."""

MAX_ID = 2**63 - 1


def parse_id(value: object) -> int | None:
    """The id `value` spells, or None."""
    text = str(value if value is not None else "").strip()
    if not text or len(text) > 19 or not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
