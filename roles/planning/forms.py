"""The health page's form: the span-of-control and layer limits the checks use."""

from __future__ import annotations

from django import forms
from django.utils.translation import pgettext_lazy

from departments.models import Organization
from teamorg.limits import LAYER_LIMIT_RANGE, SPAN_OF_CONTROL_RANGE


class LimitsForm(forms.Form):
    span_of_control_limit = forms.IntegerField(
        label=pgettext_lazy("plan", "Most direct reports per manager"),
        min_value=SPAN_OF_CONTROL_RANGE[0],
        max_value=SPAN_OF_CONTROL_RANGE[1],
    )
    layer_limit = forms.IntegerField(
        label=pgettext_lazy("plan", "Most reporting layers"),
        min_value=LAYER_LIMIT_RANGE[0],
        max_value=LAYER_LIMIT_RANGE[1],
    )
    # The revision the form was read at: a save on top of someone else's change is refused.
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    @classmethod
    def for_organization(cls, organization: Organization) -> LimitsForm:
        """The form filled in with the organization's current limits."""
        return cls(
            initial={
                "span_of_control_limit": organization.span_of_control_limit,
                "layer_limit": organization.layer_limit,
                "revision": organization.revision,
            }
        )
