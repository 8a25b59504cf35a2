"""The candidate version of a job description as PDF (`roles.documents.content` gathers what it
shows; `roles.documents.pdf` renders). Cached like the other documents: a PDF is a pure function
of the organization's revision (the profile is part of it) and the language."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext

from departments.models import Organization
from roles.documents.content import candidate_document, role_with_design
from roles.documents.pdf import PDF, cached_pdf, pdf_filename, render_pdf

# Bumped when the candidate template or its CSS change in a way the cache must not serve.
CANDIDATE_VERSION = 1


def candidate_pdf(organization: Organization, pk: int, *, use_cache: bool = True) -> PDF:
    """The candidate version of the job description of role `pk` as PDF; DocumentNotFound if
    the organization has no such role."""

    def build() -> PDF:
        design, role = role_with_design(organization, pk)
        doc = candidate_document(design, role)
        context = {
            "document_title": doc.title,
            "organization": organization,
            "author": organization.name,
            "language": translation.get_language() or settings.LANGUAGE_CODE,
            "doc": doc,
        }
        content = render_pdf("roles/print/role_candidate.html", context)
        return PDF(content, pdf_filename(pgettext("document", "Job description"), doc.title))

    if not use_cache:
        return build()
    return cached_pdf(f"role-candidate-{CANDIDATE_VERSION}", organization, pk, build)
