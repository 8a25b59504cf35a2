"""The one formatter of a `ValidationError` for the pages (`teamorg.errors.validation_messages`)."""

from django.core.exceptions import ValidationError

from teamorg.errors import field_error, validation_messages


def test_a_plain_error_gives_its_messages():
    error = ValidationError(["First.", ValidationError("Second.", code="x")])
    assert validation_messages(error) == ["First.", "Second."]


def test_field_errors_give_every_message_in_the_order_raised_without_field_names():
    error = ValidationError(
        {
            "salary_max": ValidationError("The band is inverted.", code="inverted"),
            "__all__": [ValidationError("A role needs a title."), "And a department."],
        }
    )
    assert validation_messages(error) == [
        "The band is inverted.",
        "A role needs a title.",
        "And a department.",
    ]


def test_a_services_field_error_gives_its_message():
    error = field_error("parent", "It cannot be moved under itself.", "cycle")
    assert validation_messages(error) == ["It cannot be moved under itself."]
