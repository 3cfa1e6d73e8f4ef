"""Fixed port blocks for `make run`, free ports for tests, and a clear refusal of a busy port."""

from __future__ import annotations

import socket

import pytest
from sunshine_localstack.ports import FreePorts, MetricsPorts, PortBlocks, PortInUse, StackPorts, ensure_free


def test_stack_i_gets_the_block_base_plus_ten_i() -> None:
    assert PortBlocks(18000).ports_for(2) == StackPorts(
        gateway=18020,
        disclosure=18021,
        hotline=18022,
        evaluation=18023,
        nats=18024,
        nats_monitor=18025,
        nats_leaf=18026,
    )


def test_a_process_metrics_port_is_its_own_port_plus_500() -> None:
    blocks = PortBlocks(18000)

    metrics, ports = blocks.metrics_ports_for(2), blocks.ports_for(2)

    assert metrics == MetricsPorts(gateway=18520, disclosure=18521, hotline=18522, evaluation=18523)
    own_ports = [ports.gateway, ports.disclosure, ports.hotline, ports.evaluation]
    assert [port - 500 for _, port in metrics.named()] == own_ports


def test_a_block_never_takes_the_system_nats_port() -> None:
    with pytest.raises(ValueError, match="4222"):
        PortBlocks(4200).ports_for(2)
    with pytest.raises(ValueError, match="4222"):
        PortBlocks(3700).metrics_ports_for(2)


def test_free_ports_are_all_different() -> None:
    allocator = FreePorts()

    ports = [
        port
        for index in range(3)
        for named in (allocator.ports_for(index).named(), allocator.metrics_ports_for(index).named())
        for _, port in named
    ]

    assert len(set(ports)) == len(ports) == 33


def test_a_busy_port_is_named_with_its_purpose() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]

        with pytest.raises(PortInUse, match=f"port 127.0.0.1:{port} \\(hotline of 510117\\) is not free"):
            ensure_free(port, "hotline of 510117")
