"""Template loading refuses a spec over the organization-size limits, like the editor and the
API refuse a design that grows over them: before anything is written."""

import copy

import pytest
from django.core.exceptions import ValidationError

from roles.services import template_loading
from roles.services.template_loading import parse_spec, read_spec
from teamorg import limits


def test_a_spec_with_more_roles_than_allowed_is_refused(monkeypatch):
    spec = read_spec("startup")
    parse_spec(spec)  # the shipped template is within the limits
    monkeypatch.setattr(template_loading, "ROLES_PER_ORGANIZATION", len(spec["roles"]) - 1)
    with pytest.raises(ValidationError, match="roles, more than the"):
        parse_spec(spec)


def test_a_spec_with_too_many_lines_or_too_long_a_line_is_refused():
    spec = copy.deepcopy(read_spec("startup"))
    role = spec["roles"][0]
    line = role["duties"][0]
    role["duties"] = [line] * (limits.LINES_PER_ROLE + 1)
    with pytest.raises(ValidationError, match="more than 50 duties"):
        parse_spec(spec)
    role["duties"] = [{**line, "zh": "长" * 2_001}]
    with pytest.raises(ValidationError, match="longer than 2000 characters"):
        parse_spec(spec)
