"""`sunshine-local run` (what `make run` calls) and `sunshine-local status`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
import time
from pathlib import Path

from sunshine_localstack.hierarchy import HierarchyError, load_hierarchy
from sunshine_localstack.ports import PortInUse
from sunshine_localstack.runner import DESCRIPTION_FILE, LocalHierarchy, NotReady
from sunshine_localstack.stack import SERVICES, MissingCommand
from sunshine_localstack.status import print_status

SAMPLE_DATA_NOTE = "样例数据 / SAMPLE DATA: invented names, no real government"
_OPERATOR_ERRORS = (HierarchyError, PortInUse, MissingCommand, NotReady)


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s sunshine-local: %(message)s", datefmt="%H:%M:%S")
    # Every readiness probe would be logged otherwise.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if args.command == "status":
        sys.exit(print_status(args.state_dir / DESCRIPTION_FILE))
    try:
        sys.exit(asyncio.run(_run(args)))
    except _OPERATOR_ERRORS as error:
        sys.exit(f"sunshine-local: {error}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sunshine-local", description="Run the local city/county/township hierarchy.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="start every stack and supervise it until Ctrl-C or SIGTERM")
    run.add_argument("--hierarchy", type=Path, default=Path("deploy/local/hierarchy.toml"))
    run.add_argument("--nats-only", action="store_true", help="only the nats-servers (run services yourself)")
    status = commands.add_parser("status", help="query every stack of the running hierarchy")
    for command in (run, status):
        command.add_argument("--state-dir", type=Path, default=Path("var/local"))
    return parser


async def _run(args: argparse.Namespace) -> int:
    hierarchy = load_hierarchy(args.hierarchy)
    runner = LocalHierarchy(hierarchy, args.state_dir, services=() if args.nats_only else SERVICES)
    note = f" — {SAMPLE_DATA_NOTE}" if hierarchy.sample_data else ""
    print(f"sunshine-local: starting {len(hierarchy.stacks)} stacks from {args.hierarchy}{note}", flush=True)
    stop_requested = _stop_on_signals()
    began = time.monotonic()
    starting = asyncio.create_task(runner.start())
    stopping = asyncio.create_task(stop_requested.wait())
    await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
    if not starting.done():
        print("sunshine-local: interrupted while starting; stopping", flush=True)
        starting.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await starting
        return 130
    starting.result()  # a failed start has stopped everything already; main reports the error
    _print_running(runner, time.monotonic() - began, note)
    await stopping
    print("sunshine-local: stopping (children before parents)", flush=True)
    await runner.stop()
    print("sunshine-local: stopped", flush=True)
    return 0


def _stop_on_signals() -> asyncio.Event:
    stop_requested = asyncio.Event()
    loop = asyncio.get_running_loop()
    # SIGHUP too: closing the terminal must not orphan the stacks (they run in their own sessions).
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(signum, stop_requested.set)
    return stop_requested


def _print_running(runner: LocalHierarchy, elapsed_s: float, note: str) -> None:
    print(f"sunshine-local: {len(runner.stacks)} stacks running, ready in {elapsed_s:.1f}s{note}")
    for stack in runner.stacks.values():
        indent = "  " * runner.hierarchy.depth(stack.division)
        gateway = stack.gateway_url if runner.serves_gateways else "(no gateway: --nats-only)"
        print(f"  {indent}{stack.division} {stack.identity.level.value} {stack.identity.name}: "
              f"gateway {gateway}  nats {stack.nats_url}")
    print(f"  hierarchy: {runner.description_path}")
    print(f"  logs:      {runner.state_dir}/<division>/<process>.log")
    print(f"  dev token: SUNSHINE_AUTH_DEV_KEY_FILE={runner.auth_key_file} "
          "uv run sunshine-dev-token --subject 张三 --role leader --division <division>")
    print("  Ctrl-C stops everything", flush=True)
