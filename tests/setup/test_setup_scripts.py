"""The set-up scripts run under `pipefail`: a pipeline that ends in a reader which stops early
(`grep -q`, `head`, `grep -m`) kills its writer with SIGPIPE, so a match reads as a failure now and
then (issue 11: `apt-cache policy chromium | grep -q …` failed 38 times in 40)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = [ROOT / "Makefile", *sorted((ROOT / ".ci").iterdir())]
EARLY_EXIT_READER = re.compile(r"\|\s*(grep\s+(-\w+\s+)*-\w*[qm]|head\b)")


def early_exit_pipelines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if EARLY_EXIT_READER.search(line)]


def test_the_check_recognises_early_exit_readers():
    assert early_exit_pipelines("x=$(apt-cache policy chromium | grep -q 'Candidate')")
    assert early_exit_pipelines("psql -tAc 'SELECT 1' | grep -q 1 || createdb")
    assert early_exit_pipelines("ls /etc/postgresql | sort -V | head -n 1")
    assert early_exit_pipelines("dpkg -l | grep -i -q chromium")
    assert not early_exit_pipelines("grep -q ubuntu /etc/os-release")
    assert not early_exit_pipelines("head -c 48 /dev/urandom | base64")


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_no_pipeline_ends_in_a_reader_that_exits_early(script):
    assert early_exit_pipelines(script.read_text()) == []
