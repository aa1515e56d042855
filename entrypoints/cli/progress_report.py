"""What ``ragchat ingest`` and ``ragchat reindex`` print while they work: a bar on a terminal, JSON otherwise.

Both count files (or documents) and the passages embedded so far; each item ends ``indexed``, ``skipped`` (with
why: an unsupported type, already uploaded) or ``failed`` (with the reason), and the last line adds them up,
so the numbers always account for every file named. ``TextReport`` draws the bar with rich (files done of
total, passages and passages per second, elapsed time and an estimate of the time left) and prints one line
per finished item above it; ``JsonReport`` prints one object per line (``start``, ``progress`` at most once a
second, ``item``, ``summary``) for scripts and logs.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Literal, TextIO

Status = Literal["indexed", "skipped", "failed"]


@dataclass
class Tally:
    noun: str  # "files", "documents"
    total: int = 0
    passages: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {"indexed": 0, "skipped": 0, "failed": 0})
    indexed_passages: int = 0
    started: float = field(default_factory=time.perf_counter)
    ended: float | None = None
    """When the work ended (``end_work``): the summary's time leaves out closing down afterwards."""

    @property
    def done(self) -> int:
        return sum(self.counts.values())

    @property
    def seconds(self) -> float:
        return (self.ended or time.perf_counter()) - self.started

    @property
    def rate(self) -> float:
        return self.passages / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> str:
        c = self.counts
        return (
            f"{self.total} {self.noun}: {c['indexed']} indexed ({self.indexed_passages} passages), "
            f"{c['skipped']} skipped, {c['failed']} failed in {self.seconds:.1f} s ({self.rate:.1f} passages/s)"
        )


class JsonReport:
    def __init__(self, noun: str, out: TextIO, every_seconds: float = 1.0) -> None:
        self.tally = Tally(noun)
        self._out = out
        self._every = every_seconds
        self._last_progress: float | None = None

    def _emit(self, event: str, **fields: Any) -> None:
        print(json.dumps({"event": event, **fields}, ensure_ascii=False), file=self._out, flush=True)

    def start(self, total: int, database: str) -> None:
        self.tally.total = total
        self.tally.started = time.perf_counter()
        self._emit("start", total=total, noun=self.tally.noun, database=database)

    def note(self, message: str) -> None:
        self._emit("note", message=message)

    def begin_work(self) -> None:
        """Indexing proper starts now (after the model loaded): rates are measured from here."""
        self.tally.started = time.perf_counter()
        self.tally.passages = 0  # a warm-up's

    def end_work(self) -> None:
        """Indexing ended (everything committed, the index built); what follows is closing down."""
        self.tally.ended = time.perf_counter()

    def embedded(self, passages: int) -> None:
        self.tally.passages += passages
        now = time.perf_counter()
        if self._last_progress is None or now - self._last_progress >= self._every:
            self._last_progress = now
            t = self.tally
            self._emit(
                "progress",
                done=t.done,
                total=t.total,
                passages=t.passages,
                passages_per_second=round(t.rate, 2),
                seconds=round(t.seconds, 2),
            )

    def item(self, name: str, status: Status, detail: str = "", passages: int = 0) -> None:
        self.tally.counts[status] += 1
        if status == "indexed":
            self.tally.indexed_passages += passages
        self._emit(
            "item",
            name=name,
            status=status,
            detail=detail,
            passages=passages,
            done=self.tally.done,
            total=self.tally.total,
        )

    def finish(self) -> None:
        t = self.tally
        self._emit(
            "summary",
            total=t.total,
            noun=t.noun,
            **t.counts,
            passages=t.indexed_passages,
            seconds=round(t.seconds, 2),
            passages_per_second=round(t.rate, 2),
            text=t.summary(),
        )

    def close(self) -> None:
        pass


class TextReport:
    """rich's live bar on the terminal; finished items scroll above it, the summary stays below."""

    def __init__(self, noun: str, out: TextIO) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.tally = Tally(noun)
        self._console = Console(file=out, highlight=False)
        self._progress = Progress(
            TextColumn(f"[bold]{noun}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("· {task.fields[passages]} passages · {task.fields[rate]:.1f}/s ·"),
            TimeElapsedColumn(),
            TextColumn("· left"),
            TimeRemainingColumn(),
            console=self._console,
            redirect_stderr=False,
        )
        self._task = self._progress.add_task(noun, total=None, passages=0, rate=0.0)

    def start(self, total: int, database: str) -> None:
        self.tally.total = total
        self._console.print(f"using {database}")
        self._progress.update(self._task, total=total)
        self._progress.start()

    def note(self, message: str) -> None:
        self._console.print(message)

    def begin_work(self) -> None:
        self.tally.started = time.perf_counter()
        self.tally.passages = 0  # a warm-up's
        self._progress.reset(self._task, total=self.tally.total, completed=self.tally.done, passages=0, rate=0.0)

    def end_work(self) -> None:
        self.tally.ended = time.perf_counter()

    def embedded(self, passages: int) -> None:
        self.tally.passages += passages
        self._progress.update(self._task, passages=self.tally.passages, rate=self.tally.rate)

    def item(self, name: str, status: Status, detail: str = "", passages: int = 0) -> None:
        from rich.text import Text

        self.tally.counts[status] += 1
        if status == "indexed":
            self.tally.indexed_passages += passages
            detail = detail or f"{passages} passages"
        style = {"indexed": "green", "skipped": "yellow", "failed": "red"}[status]
        line = Text.assemble((f"{status:<8}", style), name, (f"  {detail}" if detail else ""))
        self._progress.console.print(line)
        self._progress.update(self._task, completed=self.tally.done, passages=self.tally.passages, rate=self.tally.rate)

    def finish(self) -> None:
        self._progress.stop()
        self._console.print(self.tally.summary())

    def close(self) -> None:
        self._progress.stop()


Report = JsonReport | TextReport


def make_report(mode: Literal["text", "json"], noun: str, out: TextIO) -> Report:
    return TextReport(noun, out) if mode == "text" else JsonReport(noun, out)
