"""What Linux's /proc says about processes: children of a server, their CPU time and memory (no psutil)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class ProcessInfo:
    pid: int
    command: str
    cpu_seconds: float
    rss_bytes: int


def process_info(pid: int) -> ProcessInfo | None:
    """``None`` once the process is gone (or only a zombie is left of it)."""
    root = Path(f"/proc/{pid}")
    try:
        stat = (root / "stat").read_text()
        command = (root / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        rss_pages = int((root / "statm").read_text().split()[1])
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    if fields[0] == "Z":
        return None
    cpu = (int(fields[11]) + int(fields[12])) / _TICKS  # utime + stime
    return ProcessInfo(pid=pid, command=command, cpu_seconds=cpu, rss_bytes=rss_pages * os.sysconf("SC_PAGE_SIZE"))


def children(pid: int) -> list[ProcessInfo]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid and (info := process_info(int(entry.name))):
            found.append(info)
    return found


def parser_processes(server_pid: int) -> list[ProcessInfo]:
    return [child for child in children(server_pid) if "adapters.parsing.parse_worker" in child.command]
