"""Who is writing, and through which channel, for every request (see `recording.acting`)."""

from departments.history.recording import Actor, acting
from departments.models import Channel

# The editor's tab sends its random id with every request (static/js/editor.js).
CLIENT_HEADER = "X-TeamOrg-Client"


def channel_of(path: str) -> str:
    if path.startswith("/api/"):
        return Channel.API
    if path.startswith("/admin/"):
        return Channel.ADMIN
    return Channel.EDITOR


class HistoryActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = channel_of(request.path_info)
        client = request.headers.get(CLIENT_HEADER, "")[:40] if channel == Channel.EDITOR else ""
        # Asked when a write starts: the API authenticates its token inside the view, and
        # DRF then sets the user on this request too.
        with acting(lambda: Actor(getattr(request, "user", None), channel, client)):
            return self.get_response(request)
