"""The candidate version of a job description as PDF (`roles.documents.content` gathers what it
shows; `roles.documents.pdf` renders). Cached like the other documents: a PDF is a pure function
of the organization's revision (the profile is part of it) and the language."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import pgettext

from departments.models import Organization
from roles.documents.content import candidate_document, role_with_design
from roles.documents.pdf import CACHE_SECONDS, DOCUMENTS_VERSION, PDF, pdf_filename, render_pdf

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
    key = ":".join(
        str(part)
        for part in (
            "teamorg:pdf",
            DOCUMENTS_VERSION,
            CANDIDATE_VERSION,
            "role-candidate",
            organization.pk,
            organization.revision,
            translation.get_language(),
            pk,
        )
    )
    cached = cache.get(key)
    if cached is not None:
        return PDF(*cached)
    pdf = build()
    cache.set(key, (pdf.content, pdf.filename), CACHE_SECONDS)
    return pdf
