"""A hostile upload costs its owner a ``failed`` document with a reason and costs nobody else anything: on a
real server, a CPU-bomb PDF and a paragraph-bomb DOCX fail at their parser process's limits, those processes
are gone afterwards, and another user's searches are answered all the while."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from tests.support.api import bearer, signed_up, upload, wait_for_status
from tests.support.hostile_files import cpu_bomb_pdf, paragraph_bomb_docx
from tests.support.processes import parser_processes, process_info
from tests.support.server_process import ServerProcess

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def test_hostile_files_fail_alone_while_another_user_is_served(
    server_env: dict[str, str], tmp_path: Path
) -> None:
    server_env.update(
        RAGCHAT_PARSE_WORKERS="2",
        RAGCHAT_PARSE_CPU_SECONDS="3",
        RAGCHAT_PARSE_MEMORY_BYTES=str(512 * 2**20),
        RAGCHAT_PARSE_TIMEOUT_SECONDS="600",
    )
    server = ServerProcess(server_env, log_path=tmp_path / "server.log").start()
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
            other, attacker = await signed_up(http), await signed_up(http)
            notes = (await upload(http, other, "notes.md", b"# Ferry\n\nThe ferry leaves at seven.")).json()
            assert (await wait_for_status(http, other, notes["id"], wait_seconds=120))["status"] == "ready"

            bombs = [
                (await upload(http, attacker, "bomb.pdf", cpu_bomb_pdf(), "application/pdf")).json()["id"],
                (await upload(http, attacker, "bomb.docx", paragraph_bomb_docx(), DOCX)).json()["id"],
            ]
            busy: set[int] = set()
            answered = 0
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 600
            while True:
                found = await http.get("/search", params={"q": "ferry"}, headers=bearer(other))
                assert found.status_code == 200, found.text
                assert found.json()["items"], "the other user's search found nothing"
                answered += 1
                assert server.pid is not None
                busy.update(p.pid for p in parser_processes(server.pid) if p.cpu_seconds > 0.5)
                statuses = [(await http.get(f"/documents/{i}", headers=bearer(attacker))).json() for i in bombs]
                if all(body["status"] in ("ready", "failed") for body in statuses):
                    break
                assert loop.time() < deadline, f"hostile files still parsing: {statuses}"
                await asyncio.sleep(0.2)

        pdf, docx = statuses
        assert pdf["status"] == "failed"
        assert pdf["failure_reason"] == "reading the file took more than 3 seconds of processor time, so it was stopped"
        assert docx["status"] == "failed"
        assert docx["failure_reason"] == "reading the file needs more than the 512 MB of memory a document may use"
        assert answered >= 3, "the other user's searches were not answered while the files parsed"
        assert busy, "no parser process was seen working"
        assert all(process_info(pid) is None for pid in busy), "a hostile file's parser process is still there"
    finally:
        server.stop()
