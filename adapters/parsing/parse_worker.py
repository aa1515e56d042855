"""The parser process: ``python -m adapters.parsing.parse_worker``, started and fed by ``ParserProcessPool``.

Untrusted files are parsed here, never in the service's own process, under limits the kernel enforces:
- ``RLIMIT_AS`` (address space, bytes given as the first argument): an allocation past it fails
  (``MemoryError``), the reply says so and the process exits, to be replaced by a fresh one;
- ``RLIMIT_CPU``, reset before each request to the CPU used so far plus that request's allowance: past it
  the kernel sends ``SIGXCPU``, which ends the process, and the service reports the file as too costly;
- a lower scheduling priority (``nice``, ``NICENESS`` unless the pool says otherwise), so a parse yields the
  cores to request serving;
- the service's wall-clock timeout, enforced from outside with ``SIGKILL``.
Only the parsing libraries are imported (never torch or the web stack). The process exits when its stdin
closes, so it cannot outlive the service.
"""

from __future__ import annotations

import math
import os
import resource
import signal
import sys

NICENESS = 10


def _limit_cpu(seconds: float) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = usage.ru_utime + usage.ru_stime
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = math.ceil(used + seconds)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _limit_memory(limit: int) -> None:
    if limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _near_memory_limit(limit: int) -> bool:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
    return limit > 0 and peak > limit // 2


def _too_much_memory(limit: int) -> str:
    return f"reading the file needs more than the {limit // 2**20:,} MB of memory a document may use"


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in a terminal is the service's to handle
    os.nice(int(sys.argv[2]) if len(sys.argv) > 2 else NICENESS)
    # The protocol owns the real stdout; anything a library prints goes to stderr (the service's log).
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    requests = sys.stdin.buffer

    from adapters.parsing.document_parsers import DocumentParsers
    from adapters.parsing.worker_protocol import READY, ParseReply, frame, read_request
    from application.ports.document_parser import UnreadableDocument

    memory_limit = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    _limit_memory(memory_limit)
    replies.write(READY)
    replies.flush()
    while (request := read_request(requests)) is not None:
        _limit_cpu(request.cpu_seconds)
        try:
            reply = ParseReply(document=DocumentParsers(request.limits).parse_sync(request.data, request.content_type))
        except UnreadableDocument as exc:
            # C libraries report a failed allocation in their own words (lxml: "unknown error"), which the
            # parsers turn into "damaged"; a library failure at a peak near the limit is the limit.
            if exc.__cause__ is not None and _near_memory_limit(memory_limit):
                reply = ParseReply(unreadable=_too_much_memory(memory_limit), retire=True)
            else:
                reply = ParseReply(unreadable=exc.message)
        except MemoryError:
            reply = ParseReply(unreadable=_too_much_memory(memory_limit), retire=True)
        del request
        replies.write(frame(reply))
        replies.flush()
        if reply.retire:
            return


if __name__ == "__main__":
    main()
