"""The summary's time is the work's: from ``begin_work`` to ``end_work``, not what comes after."""

from __future__ import annotations

import io
import json
import time

from entrypoints.cli.progress_report import JsonReport


def test_the_summary_time_stops_at_the_end_of_the_work() -> None:
    out = io.StringIO()
    report = JsonReport("files", out)
    report.start(1, "test database")
    report.begin_work()
    report.embedded(10)
    report.item("a.md", "indexed", passages=10)
    report.end_work()
    ended = report.tally.seconds
    deadline = time.perf_counter() + 5
    while time.perf_counter() < deadline and time.perf_counter() - report.tally.started < ended + 0.05:
        pass  # closing down takes a while
    report.finish()
    summary = json.loads(out.getvalue().splitlines()[-1])
    assert summary["event"] == "summary"
    assert summary["seconds"] == round(ended, 2)
    assert time.perf_counter() - report.tally.started >= ended + 0.05
