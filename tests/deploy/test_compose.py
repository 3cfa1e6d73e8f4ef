"""docker-compose.yml: what the generator writes from the hierarchy description, valid Compose, and read by the
services as the same stacks the local runner starts."""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath

import pytest
import yaml
from sunshine_deploy.checks import COMPOSE, HIERARCHY, compose_drift, compose_schema_problems
from sunshine_kit.settings import StackSettings
from sunshine_localstack.hierarchy import load_hierarchy
from sunshine_localstack.ports import PortBlocks

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def compose() -> dict:
    return yaml.safe_load((ROOT / COMPOSE).read_text(encoding="utf-8"))


def test_the_committed_file_is_what_the_generator_writes() -> None:
    assert compose_drift(ROOT / HIERARCHY, ROOT / COMPOSE) is None


def test_a_changed_hierarchy_shows_as_drift(tmp_path: Path) -> None:
    hierarchy = tmp_path / "hierarchy.toml"
    shutil.copy(ROOT / HIERARCHY, hierarchy)
    shutil.copytree((ROOT / HIERARCHY).parent / "calendar", tmp_path / "calendar")  # the override file it names
    with hierarchy.open("a", encoding="utf-8") as file:
        file.write('\n[[stacks]]\ndivision = "510117103"\nlevel = "township"\nname = "新镇"\nparent = "510117"\n')

    drift = compose_drift(hierarchy, ROOT / COMPOSE)

    assert drift is not None and "+  hotline-510117103:" in drift


def test_the_file_follows_the_compose_specification(tmp_path: Path) -> None:
    assert compose_schema_problems(ROOT / COMPOSE) == []
    broken = tmp_path / "docker-compose.yml"
    document = yaml.safe_load((ROOT / COMPOSE).read_text(encoding="utf-8"))
    document["services"]["hotline-510100"]["restart_policy"] = "always"
    broken.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")

    [problem] = compose_schema_problems(broken)
    assert "services/hotline-510100" in problem and "restart_policy" in problem


def test_every_service_reads_its_own_stack_from_its_environment(
    compose: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    hierarchy = load_hierarchy(ROOT / HIERARCHY)
    for spec in hierarchy.stacks:
        for service in ("disclosure", "hotline", "evaluation", "gateway"):
            environment = compose["services"][f"{service}-{spec.division}"]["environment"]
            with monkeypatch.context() as env:
                for name, value in environment.items():
                    env.setenv(name, value)
                settings = StackSettings()
            assert settings.identity == hierarchy.identity(spec.division)
            assert settings.metrics_addr(service) == "0.0.0.0:9464"
            if service != "gateway":
                assert settings.grpc_addr(service).startswith("0.0.0.0:")
                assert f"@postgres:5432/{service}" in settings.database_url(service)


def test_every_service_mounts_the_calendar_override_file_it_is_told_to_read(compose: dict) -> None:
    hierarchy = load_hierarchy(ROOT / HIERARCHY)
    for spec in hierarchy.stacks:
        for service in ("disclosure", "hotline", "evaluation", "gateway"):
            container = compose["services"][f"{service}-{spec.division}"]
            override = PurePosixPath(container["environment"]["SUNSHINE_CALENDAR_OVERRIDE_FILE"])
            assert f"${{SUNSHINE_CALENDAR_DIR:-./deploy/local/calendar}}:{override.parent}:ro" in container["volumes"]
    assert (ROOT / "deploy/local/calendar" / override.name).is_file()


def test_only_the_nats_servers_cross_stacks_and_each_child_links_to_its_parent(compose: dict) -> None:
    hierarchy = load_hierarchy(ROOT / HIERARCHY)
    on_levels_network = {name for name, service in compose["services"].items() if "levels" in service["networks"]}
    assert on_levels_network == {f"nats-{spec.division}" for spec in hierarchy.stacks}
    for spec in hierarchy.stacks:
        config = compose["configs"][f"nats-{spec.division}"]["content"]
        assert f'domain: "d{spec.division}"' in config
        assert ('listen: "0.0.0.0:7422"' in config) == bool(hierarchy.children(spec.division))
        if spec.parent:
            assert f'urls: ["nats-leaf://nats-{spec.parent}:7422"]' in config
            assert 'deny_imports: ["sunshine.>"]' in config


def test_the_host_ports_are_the_local_runners(compose: dict) -> None:
    hierarchy = load_hierarchy(ROOT / HIERARCHY)
    blocks = PortBlocks(hierarchy.port_base)
    for index, spec in enumerate(hierarchy.stacks):
        gateway = compose["services"][f"gateway-{spec.division}"]
        metrics = blocks.metrics_ports_for(index)
        assert gateway["ports"] == [
            f"127.0.0.1:{blocks.ports_for(index).gateway}:8080",
            f"127.0.0.1:{metrics.gateway}:9464",
        ]
        assert compose["services"][f"hotline-{spec.division}"]["ports"] == [f"127.0.0.1:{metrics.hotline}:9464"]


def test_every_dependency_is_a_service_with_a_health_check(compose: dict) -> None:
    services = compose["services"]
    for name, service in services.items():
        assert "healthcheck" in service, name
        for dependency, condition in service.get("depends_on", {}).items():
            assert dependency in services and condition == {"condition": "service_healthy"}, (name, dependency)
