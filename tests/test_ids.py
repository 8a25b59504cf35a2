"""teamorg.ids.parse_id: ASCII digits within a 64-bit id, nothing else."""

import pytest

from teamorg.ids import MAX_ID, parse_id


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), (" 7 ", 7), (3, 3), (str(MAX_ID), MAX_ID)]
    + [(bad, None) for bad in ("", None, "²", "١٢", "1.5", "-1", "0", "+1", "1e3", "9" * 20)]
    + [(str(MAX_ID + 1), None), ("9" * 5000, None)],
)
def test_parse_id(value, expected):
    assert parse_id(value) == expected
