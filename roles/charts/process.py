"""Running the installed Graphviz `dot` in a subprocess, with a timeout, and asking it once per
process how it treats backslashes in HTML-like labels (which differs between versions)."""

from __future__ import annotations

import functools
import logging
import subprocess
import threading
from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class ChartError(Exception):
    """The chart could not be drawn; the message is safe to show to the user."""


class ChartTimeout(ChartError):
    """`dot` ran longer than settings.TEAMORG_DOT_TIMEOUT_SECONDS and was killed."""


class ChartTooLarge(ChartError):
    """The chart is too large for the format asked for (a PNG of more pixels than allowed)."""


def run_dot(source: str, arguments: Iterable[str], *, timeout: float | None = None) -> bytes:
    """The output of `dot <arguments>` on `source`. Raises ChartTimeout when dot runs longer
    than `timeout` seconds (default settings.TEAMORG_DOT_TIMEOUT_SECONDS), ChartError when it is
    missing or fails (the details are logged, not shown)."""
    timeout = settings.TEAMORG_DOT_TIMEOUT_SECONDS if timeout is None else timeout
    try:
        process = subprocess.Popen(
            ["dot", *arguments],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError as exc:
        logger.error("cannot run dot: %s", exc)
        raise ChartError(_("The chart program (Graphviz) is not installed.")) from exc
    # A watchdog thread kills a dot that runs too long. subprocess's own timeout waits for the
    # child's exit by polling with sleeps of 1, 2, 4 … ms, which added about a millisecond to
    # every chart; without one, communicate() blocks in waitpid and returns as dot exits.
    expired = threading.Event()

    def kill() -> None:
        expired.set()
        process.kill()

    watchdog = threading.Timer(timeout, kill)
    watchdog.start()
    try:
        stdout, stderr = process.communicate(source.encode("utf-8"))
    except BaseException:
        process.kill()
        process.wait()
        raise
    finally:
        watchdog.cancel()
    if expired.is_set() and process.returncode != 0:
        # dot was killed and has exited (communicate waited for it): none is left running.
        raise ChartTimeout(
            _(
                "The chart took longer than %(seconds)s seconds to draw. Choose a smaller depth "
                "or a part of the organization (a root)."
            )
            % {"seconds": f"{timeout:g}"}
        )
    if process.returncode != 0 or not stdout:
        logger.error("dot failed with %s: %s", process.returncode, stderr[-2000:].decode())
        raise ChartError(_("The chart could not be drawn. The error was logged."))
    return stdout


@functools.lru_cache(maxsize=1)
def html_labels_expand_escapes() -> bool:
    """Whether this Graphviz expands `\\N`, `\\G` and `\\\\` inside HTML-like labels too.

    Graphviz 2.43 does (a role titled `a\\Nb` would show its node id), later versions may not;
    asking the installed `dot` once per process keeps backslashes literal on both. The answer is
    remembered: tests and benchmarks that count or time dot runs call this first, so that the
    probe's own run is not counted as a chart's."""
    probe = "digraph{a[shape=plain label=<x\\\\y>]}"
    try:
        svg = run_dot(probe, ("-Tsvg",), timeout=10)
    except ChartError:
        return True
    return b"x\\\\y" not in svg
