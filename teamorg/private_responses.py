"""Answers for a signed-in user are nobody else's: unless a view chose its own caching (charts
and PDFs revalidate with `private, no-cache` and an ETag), such a response is marked
`private, no-store`, so that neither a shared proxy nor the browser's disk keeps a design,
an editor page or an API answer."""

from django.utils.cache import patch_cache_control


class PrivateResponsesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # DRF sets it here too for token requests
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
