"""`python -m benchmarks.ws_drop_storm [N]`: N turns over a real server (embedded mode, fresh data folder),
each with the socket killed at a random point mid-answer and resumed; prints lost/duplicated counts."""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from pathlib import Path

import httpx

from tests.support.api import bearer, signed_up, upload, wait_for_status
from tests.support.drop_storm import drop_storm
from tests.support.server_process import ServerProcess


async def main(turns: int) -> None:
    root = Path(tempfile.mkdtemp(prefix="ragchat-storm-"))
    server = ServerProcess({"RAGCHAT_DATA_DIR": str(root / "data"), "RAGCHAT_EMBEDDER": "hashing",
                            "RAGCHAT_WS_MESSAGES_PER_SECOND": "1000", "RAGCHAT_WS_MESSAGE_BURST": "1000",
                            "RAGCHAT_TOKEN_COALESCE_MS": "0"},
                           log_path=root / "server.log").start()
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
            user = await signed_up(http)
            doc = (await upload(http, user, "vectors.md", b"# Vectors\n\nVectors are lists of numbers. " * 20,
                                "text/markdown")).json()
            await wait_for_status(http, user, doc["id"])
            chat = (await http.post("/chats", headers=bearer(user))).json()
            report = await drop_storm(server.ws_url, http, user, chat["id"], turns=turns)
        print(f"turns={report.turns} drops={report.drops} frames={report.frames} "
              f"lost={report.lost} duplicated={report.duplicated} seconds={report.seconds} "
              f"turns/s={report.turns / report.seconds:.1f}")
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
