"""`sunshine-audit verify`: recompute the hash chain of each service's audit trail, from SUNSHINE_* settings.

It prints each trail's entries, whether the chain is intact, and the head (sequence number and hash) to note
down elsewhere; it exits 1 when any chain is broken, so it can run from cron or a monitoring job."""

from __future__ import annotations

import argparse
import asyncio
import sys

from sqlalchemy import MetaData

from sunshine_kit.audit.trail import AuditTrail, Verification, audit_tables
from sunshine_kit.db import create_engine, session_factory
from sunshine_kit.settings import StackSettings

SERVICES = ("disclosure", "hotline", "evaluation")


def main() -> None:
    parser = argparse.ArgumentParser(prog="sunshine-audit", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    verify = commands.add_parser("verify", help="verify the audit trails' hash chains")
    verify.add_argument("--service", action="append", choices=SERVICES, help="this service only (repeatable)")
    args = parser.parse_args()
    settings = StackSettings()
    intact = True
    for service in args.service or SERVICES:
        found = asyncio.run(_verify(settings.database_url(service)))
        intact &= found.intact
        print(_line(service, found))
    sys.exit(0 if intact else 1)


async def _verify(url: str) -> Verification:
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            return await AuditTrail(*audit_tables(MetaData())).verify(session)
    finally:
        await engine.dispose()


def _line(service: str, found: Verification) -> str:
    if found.intact:
        return f"{service}: {found.entries} entries, chain intact; head {found.head_seq} {found.head_hash}"
    return f"{service}: BROKEN at entry {found.first_broken_seq}: {found.problem} ({found.entries} entries before it)"
