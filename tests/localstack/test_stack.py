"""What a local stack hands its services: the environment contract, read back by the kit's settings."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from gateway.config import Open311Settings
from sunshine_kit.auth.settings import AuthSettings
from sunshine_kit.identity import Level
from sunshine_kit.settings import StackSettings
from sunshine_localstack.hierarchy import Hierarchy
from sunshine_localstack.ports import FreePorts
from sunshine_localstack.runner import LocalHierarchy, _process_environment

COUNTY, TOWNSHIP = "510117", "510117101"


def test_the_services_read_the_stack_from_its_environment(
    two_levels: Hierarchy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    county = LocalHierarchy(two_levels, tmp_path, FreePorts()).stacks[COUNTY]
    for name, value in county.environment().items():
        monkeypatch.setenv(name, value)

    settings = StackSettings()

    assert settings.identity == two_levels.identity(COUNTY)
    assert settings.level is Level.COUNTY
    assert settings.parent_division is None
    assert settings.data_dir == tmp_path.resolve() / COUNTY
    assert settings.nats_url == county.nats_url
    assert settings.gateway_http_addr == f"127.0.0.1:{county.ports.gateway}"
    assert settings.grpc_addr("hotline") == f"127.0.0.1:{county.ports.hotline}"
    assert settings.metrics_addr("hotline") == f"127.0.0.1:{county.metrics_ports.hotline}"
    assert settings.metrics_addr("gateway") == f"127.0.0.1:{county.metrics_ports.gateway}"
    auth = AuthSettings()
    assert auth.mode == "dev"
    assert auth.dev_key_file == tmp_path.resolve() / "dev-auth" / "signing-key.pem"


def test_a_child_links_to_its_parents_leaf_port_and_only_parents_listen_for_leaves(
    two_levels: Hierarchy, tmp_path: Path
) -> None:
    stacks = LocalHierarchy(two_levels, tmp_path, FreePorts()).stacks
    county, township = stacks[COUNTY].nats_config(), stacks[TOWNSHIP].nats_config()

    assert county.leaf_listen == f"127.0.0.1:{stacks[COUNTY].ports.nats_leaf}"
    assert county.parent_urls == ()
    assert township.leaf_listen is None
    assert township.parent_urls == (f"nats-leaf://127.0.0.1:{stacks[COUNTY].ports.nats_leaf}",)
    assert township.store_dir == str(tmp_path.resolve() / TOWNSHIP / "jetstream")
    assert "nats_leaf of 510117101" not in [purpose for purpose, _ in stacks[TOWNSHIP].used_ports()]


def test_only_the_metrics_ports_of_the_services_that_run_are_checked(two_levels: Hierarchy, tmp_path: Path) -> None:
    county = LocalHierarchy(two_levels, tmp_path, FreePorts()).stacks[COUNTY]

    everything = dict(county.used_ports())
    nats_only = dict(county.used_ports(services=()))

    assert everything[f"hotline metrics of {COUNTY}"] == county.metrics_ports.hotline
    assert everything[f"gateway metrics of {COUNTY}"] == county.metrics_ports.gateway
    assert not [purpose for purpose in nats_only if "metrics" in purpose]


def test_the_override_file_reaches_the_services_only_when_configured(
    two_levels: Hierarchy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (
        "SUNSHINE_CALENDAR_OVERRIDE_FILE"
        not in LocalHierarchy(two_levels, tmp_path, FreePorts()).stacks[COUNTY].environment()
    )
    override = tmp_path / "calendar.json"
    with_file = Hierarchy(two_levels.stacks, calendar_override_file=override)
    county = LocalHierarchy(with_file, tmp_path, FreePorts()).stacks[COUNTY]
    for name, value in county.environment().items():
        monkeypatch.setenv(name, value)
    assert StackSettings().calendar_override_file == override


def test_open311_keys_come_from_the_hierarchy_file_or_the_operators_environment(
    two_levels: Hierarchy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyed = dataclasses.replace(two_levels, open311_api_keys=("file-key", "other-file-key"))
    county = LocalHierarchy(keyed, tmp_path, FreePorts()).stacks[COUNTY]
    monkeypatch.setenv("SUNSHINE_HOTLINE_DATABASE_URL", "postgresql://not-for-every-stack")
    monkeypatch.delenv("SUNSHINE_OPEN311_API_KEYS", raising=False)
    from_file = _process_environment(county.service_process("gateway"))
    monkeypatch.setenv("SUNSHINE_OPEN311_API_KEYS", "operator-key")
    from_operator = _process_environment(county.service_process("gateway"))

    assert "SUNSHINE_HOTLINE_DATABASE_URL" not in from_file | from_operator
    for environment, accepted, refused in (
        (from_file, ["file-key", "other-file-key"], ["operator-key"]),
        (from_operator, ["operator-key"], ["file-key"]),
    ):
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        settings = Open311Settings()
        assert [settings.accepts(key) for key in accepted + refused] == [True] * len(accepted) + [False] * len(refused)
