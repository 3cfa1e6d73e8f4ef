"""`sunshine-healthcheck`, the compose health check: its exit status follows the gRPC health service and /readyz."""

from __future__ import annotations

import asyncio
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sunshine_kit.auth.settings import AuthSettings
from sunshine_kit.healthcheck import main
from sunshine_kit.rpc.server import GrpcServer


def exit_status(*argv: str) -> int:
    with pytest.raises(SystemExit) as stopped:
        main(list(argv))
    return int(stopped.value.code or 0)


async def test_grpc_health_decides_the_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    verifier = AuthSettings(mode="dev", dev_key_file=tmp_path / "dev.pem").caller_verifier("510100", tmp_path)
    server = GrpcServer("127.0.0.1:0", [], verifier)
    await server.start()
    address = f"127.0.0.1:{server.port}"
    try:
        assert await asyncio.to_thread(exit_status, "grpc", address) == 1
        assert "NOT_SERVING" in capsys.readouterr().out
        await server.set_serving(True)
        assert await asyncio.to_thread(exit_status, "grpc", address) == 0
    finally:
        await server.stop(0)
    assert await asyncio.to_thread(exit_status, "grpc", address) == 1
    assert "UNAVAILABLE" in capsys.readouterr().out


@pytest.fixture
def readyz() -> Iterator[tuple[str, list[int]]]:
    """An HTTP server answering each request with the next status of the list."""
    statuses: list[int] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            self.send_response(statuses.pop(0))
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/readyz", statuses
    finally:
        server.shutdown()
        server.server_close()


def test_http_health_needs_a_200(readyz: tuple[str, list[int]]) -> None:
    url, statuses = readyz
    statuses += [200, 503]

    assert exit_status("http", url) == 0
    assert exit_status("http", url) == 1
    assert exit_status("http", "http://127.0.0.1:1/readyz") == 1
