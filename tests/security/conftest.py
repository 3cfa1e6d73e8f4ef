"""A township stack in the test process, seen by principals of every division around it.

The township 510117101 sits under the county 510117 and the city 510100; its sibling is 510117102, and
440106 is a district of another province. Every principal's token is signed with the same dev key, as one
identity provider signs everyone's, so only roles and jurisdiction decide."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import pytest_asyncio
from sunshine_kit.auth import Role
from sunshine_kit.testing.nats_server import NatsServer

from tests.stack_in_process import InProcessStack, in_process_stack

OWN, SIBLING, COUNTY, CITY, UNRELATED = "510117101", "510117102", "510117", "510100", "440106"
OPEN311_KEY = "security-test-open311-key"


@dataclass(frozen=True)
class Who:
    """A principal (or nobody): its name in reports, roles, division and subject."""

    name: str
    roles: frozenset[Role] = frozenset()
    division: str = ""
    subject: str = "tester"

    @property
    def anonymous(self) -> bool:
        return not self.roles

    def headers(self, stack: InProcessStack) -> dict[str, str]:
        if self.anonymous:
            return {}
        token = stack.issuer.issue(self.subject, self.roles, self.division, timedelta(minutes=30))
        return {"Authorization": f"Bearer {token}"}


def contained(ancestor: str, code: str) -> bool:
    """`code` strictly below `ancestor` (the nesting of GB/T 2260 codes, written out apart from the kit's)."""
    above = {code[:6], code[:4] + "00", code[:2] + "0000"} if len(code) == 9 else {code[:4] + "00", code[:2] + "0000"}
    return ancestor in above - {code}


def who(division: str, *roles: Role, subject: str = "") -> Who:
    names = "+".join(sorted(roles))
    unit = Role.HANDLING_UNIT in roles
    return Who(f"{names}@{division}", frozenset(roles), division, subject or ("jd001:li" if unit else f"u-{names}"))


def principals() -> list[Who]:
    """Anonymous; each role in the own, sibling, parent, city and an unrelated division; combined roles."""
    singles = [who(division, role) for division in (OWN, SIBLING, COUNTY, CITY, UNRELATED) for role in Role]
    combined = [
        who(COUNTY, Role.HOTLINE_OPERATOR, Role.LEADER),
        who(COUNTY, Role.HANDLING_UNIT, Role.LEADER),
        who(CITY, Role.DISCLOSURE_OFFICER, Role.EVALUATOR),
        who(SIBLING, *Role),
        who(OWN, Role.HANDLING_UNIT, Role.LEADER),
    ]
    return [Who("anonymous"), *singles, *combined]


@pytest.fixture(scope="module")
def module_patch() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@asynccontextmanager
async def township(workdir: Path, patch: pytest.MonkeyPatch, **env: str) -> AsyncIterator[InProcessStack]:
    server = NatsServer(workdir / "nats")
    server.start()
    patch.setenv("SUNSHINE_OPEN311_API_KEYS", OPEN311_KEY)
    for name, value in env.items():
        patch.setenv(name, value)
    try:
        async with in_process_stack(
            server.url, workdir / "stack", patch, division=OWN, level="township", parent_division=COUNTY
        ) as stack:
            yield stack
    finally:
        server.stop()


def township_fixture(name: str, **env: str):  # type: ignore[no-untyped-def]
    """A module's `stack` fixture: one township stack for the module's tests, with these settings."""

    @pytest_asyncio.fixture(scope="module", loop_scope="module")
    async def stack(
        tmp_path_factory: pytest.TempPathFactory, module_patch: pytest.MonkeyPatch
    ) -> AsyncIterator[InProcessStack]:
        async with township(tmp_path_factory.mktemp(name), module_patch, **env) as running:
            yield running

    return stack


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/security" in str(item.path):
            item.add_marker(pytest.mark.nats)
