"""Files are parsed in separate processes under CPU, memory and wall-clock limits: a hostile file fails with a
reason, its process is gone, and the pool goes on parsing the next file in a fresh one."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import pytest

from adapters.parsing.document_parsers import ParserLimits
from adapters.parsing.parser_pool import ParserProcessPool
from application.ports.document_parser import UnreadableDocument
from domain.document_types import DocumentType
from tests.support.hostile_files import cpu_bomb_pdf, paragraph_bomb_docx
from tests.support.processes import parser_processes, process_info

GENEROUS = 240.0  # wall-clock seconds: the machine may be busy, and parser processes run at a lower priority


def _pool(**overrides: float) -> ParserProcessPool:
    settings = {"workers": 1, "cpu_seconds": 2.0, "memory_bytes": 512 * 2**20, **overrides}
    return ParserProcessPool(
        ParserLimits(timeout_seconds=settings.pop("timeout_seconds", GENEROUS)),
        workers=int(settings["workers"]),
        cpu_seconds=settings["cpu_seconds"],
        memory_bytes=int(settings["memory_bytes"]),
    )


async def _fails_and_its_process_is_gone(
    pool: ParserProcessPool, data: bytes, kind: DocumentType, working_cpu: float = 0.5
) -> str:
    """``working_cpu``: CPU seconds past which a parser process is surely busy with the file (starting up
    takes a few tenths)."""
    parse = asyncio.create_task(pool.parse(data, kind.value))
    busy: set[int] = set()
    while not parse.done():  # note which parser process took the file
        busy.update(p.pid for p in parser_processes(os.getpid()) if p.cpu_seconds >= working_cpu)
        await asyncio.sleep(0.05)
    with pytest.raises(UnreadableDocument) as failed:
        await parse
    assert busy, "no parser process was seen working on the file"
    assert all(process_info(pid) is None for pid in busy), "the parser process outlived its file"
    return failed.value.message


async def test_a_cpu_bomb_pdf_is_stopped_at_its_cpu_limit() -> None:
    pool = _pool()
    try:
        reason = await _fails_and_its_process_is_gone(pool, cpu_bomb_pdf(), DocumentType.PDF)
        assert reason == "reading the file took more than 2 seconds of processor time, so it was stopped"
        parsed = await pool.parse(b"# Still here\n\nThe next file is read.", DocumentType.MARKDOWN.value)
        assert "The next file is read." in parsed.text
    finally:
        await pool.close()


async def test_a_paragraph_bomb_docx_fails_at_a_limit() -> None:
    pool = _pool(cpu_seconds=60.0)
    try:
        reason = await _fails_and_its_process_is_gone(pool, paragraph_bomb_docx(), DocumentType.DOCX)
        assert reason == "reading the file needs more than the 512 MB of memory a document may use"
        assert (await pool.parse(b"plain words", DocumentType.TEXT.value)).text == "plain words"
    finally:
        await pool.close()


async def test_a_parse_over_its_wall_clock_time_is_killed() -> None:
    pool = _pool(cpu_seconds=600.0, timeout_seconds=1.0)
    try:
        # The only parser process is the one started for this file (no spare was started), busy or not.
        reason = await _fails_and_its_process_is_gone(pool, cpu_bomb_pdf(), DocumentType.PDF, working_cpu=0)
        assert reason == "reading the file took longer than 1 seconds"
    finally:
        await pool.close()


async def test_closing_the_pool_ends_its_processes() -> None:
    pool = _pool(workers=2)
    await asyncio.gather(*(pool.parse(b"words", DocumentType.TEXT.value) for _ in range(4)))
    started = parser_processes(os.getpid())
    assert 1 <= len(started) <= 2, "at most `workers` parser processes"
    await pool.close()
    assert all(process_info(p.pid) is None for p in started)


def test_the_parser_process_imports_neither_torch_nor_the_web_stack() -> None:
    probe = (
        "import sys; import adapters.parsing.parse_worker, adapters.parsing.document_parsers, "
        "adapters.parsing.worker_protocol; print(sorted({'torch', 'litestar', 'sqlalchemy'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("niceness", [0, 7])
async def test_parser_processes_run_at_the_pools_niceness(niceness: int) -> None:
    pool = ParserProcessPool(ParserLimits(timeout_seconds=GENEROUS), workers=1, niceness=niceness)
    try:
        parsed = await pool.parse(b"# Priority\n\nParsed at the pool's niceness.", DocumentType.MARKDOWN.value)
        assert "Parsed at the pool's niceness." in parsed.text
        workers = parser_processes(os.getpid())
        assert workers, "no parser process found"
        own = os.getpriority(os.PRIO_PROCESS, 0)
        assert {os.getpriority(os.PRIO_PROCESS, worker.pid) - own for worker in workers} == {niceness}
    finally:
        await pool.close()
