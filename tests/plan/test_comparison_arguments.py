"""What `comparison_for` makes of the compare page's and the API's arguments, without HTTP."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from departments import services as department_services
from roles import services as role_services
from roles.planning.compare import comparison_choices, comparison_for
from tests.factories import UserFactory


def error_codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


def test_two_phases_of_this_design(user, organization, phases):
    requested = comparison_for(
        user, organization, phase_a=str(phases[0].pk), phase_b=f" {phases[2].pk} "
    )
    assert requested.comparison.mode == "phases"
    assert requested.base == {"slug": "acme", "name": "测试电商", "phase": phases[0].pk}
    assert requested.target["phase"] == phases[2].pk


def test_another_design_by_slug(user, organization, loaded_templates):
    requested = comparison_for(user, organization, with_slug=" startup ")
    assert requested.comparison.mode == "designs"
    assert (requested.base["slug"], requested.target["slug"]) == ("startup", "acme")
    assert requested.base["phase"] is None


def test_without_arguments_a_clone_is_compared_with_its_source(user, organization):
    clone = role_services.organization_clone(source=organization, owner=user, slug="acme-2")
    requested = comparison_for(user, clone)
    assert requested.base["slug"] == "acme" and requested.comparison.changes == []
    assert comparison_for(user, organization) is None  # not a clone: nothing to compare


def test_the_source_of_a_clone_the_user_cannot_read_is_not_offered(user, organization):
    clone = role_services.organization_clone(source=organization, owner=user, slug="acme-2")
    stranger = UserFactory(username="stranger")
    department_services.membership_set(organization=clone, user=stranger, role="viewer")
    assert comparison_for(stranger, clone) is None


def test_bad_arguments_name_their_field_and_code(user, organization, phases):
    other = department_services.organization_create(name_zh="别人的", owner=UserFactory())
    cases = [
        ({"with_slug": "startup", "phase_a": str(phases[0].pk)}, {"with": ["ambiguous"]}),
        ({"phase_a": str(phases[0].pk)}, {"phase_b": ["required"]}),
        ({"phase_b": "1"}, {"phase_a": ["required"]}),
        ({"phase_a": "x", "phase_b": str(phases[0].pk)}, {"phase_a": ["invalid"]}),
        ({"phase_a": str(phases[0].pk), "phase_b": "9" * 12}, {"phase_b": ["invalid"]}),
        (
            {"phase_a": str(phases[0].pk), "phase_b": str(other.phases.first().pk)},
            {"phase_b": ["invalid"]},
        ),
    ]
    for arguments, expected in cases:
        with pytest.raises(ValidationError) as raised:
            comparison_for(user, organization, **arguments)
        assert error_codes(raised.value) == expected, arguments


def test_a_design_the_user_cannot_read_is_not_found(user, organization):
    private = department_services.organization_create(name_zh="别人的", owner=UserFactory())
    for slug in (private.slug, "no-such"):
        with pytest.raises(Http404):
            comparison_for(user, organization, with_slug=slug)


def test_choices_are_the_other_readable_designs_and_the_phases(
    user, organization, phases, loaded_templates
):
    department_services.organization_create(name_zh="别人的", owner=UserFactory())
    mine = department_services.organization_create(name_zh="我的", owner=user)
    choices = comparison_choices(user, organization)
    slugs = set(choices.others.values_list("slug", flat=True))
    assert mine.slug in slugs and "startup" in slugs
    assert "acme" not in slugs and len(slugs) == 6  # five templates and mine
    assert choices.phases == phases
