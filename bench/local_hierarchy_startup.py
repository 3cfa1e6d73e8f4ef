"""Start-up time and idle memory of the local four-stack hierarchy (deploy/local/hierarchy.toml).

    uv run python bench/local_hierarchy_startup.py [--settle 10]

Starts the hierarchy twice through the runner, on free ports in a temporary directory: first with empty
data directories (migrations, new JetStream stores), then again on the data the first run left. Each time it
measures the seconds until every gateway's /readyz is 200; after the second start it lets the processes
settle and reads each process's resident memory (VmRSS) from /proc.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from sunshine_localstack.hierarchy import load_hierarchy
from sunshine_localstack.ports import FreePorts
from sunshine_localstack.runner import LocalHierarchy
from sunshine_localstack.stack import NATS_SERVER, SERVICES

HIERARCHY = Path(__file__).resolve().parents[1] / "deploy/local/hierarchy.toml"


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise ValueError(f"no VmRSS for pid {pid}")


async def timed_start(runner: LocalHierarchy) -> float:
    began = time.monotonic()
    await runner.start()
    return time.monotonic() - began


def print_memory(runner: LocalHierarchy) -> None:
    print(f"\nidle RSS (MiB) per process:\n{'division':<11}{'process':<13}{'RSS':>8}")
    total = 0.0
    for division in runner.stacks:
        for name in (NATS_SERVER, *SERVICES):
            rss = rss_mib(runner.process(division, name).pid or 0)
            total += rss
            print(f"{division:<11}{name:<13}{rss:>8.1f}")
    print(f"{'total':<24}{total:>8.1f}")


async def main(settle_s: float) -> None:
    hierarchy = load_hierarchy(HIERARCHY)
    with tempfile.TemporaryDirectory(prefix="sunshine-bench-") as state_dir:
        fresh = LocalHierarchy(hierarchy, Path(state_dir), FreePorts())
        cold_s = await timed_start(fresh)
        await fresh.stop()
        warm = LocalHierarchy(hierarchy, Path(state_dir), FreePorts())
        warm_s = await timed_start(warm)
        try:
            print(f"{len(hierarchy.stacks)} stacks, {len(warm.processes())} processes")
            print(f"start until every /readyz is 200: {cold_s:.1f}s (empty data dirs), {warm_s:.1f}s (existing data)")
            await asyncio.sleep(settle_s)
            print_memory(warm)
        finally:
            await warm.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--settle", type=float, default=10.0, help="idle seconds before reading memory")
    asyncio.run(main(parser.parse_args().settle))
