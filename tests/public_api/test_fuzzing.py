"""Schema fuzzing of a township's and a county's gateway, started as `make run` starts them: schemathesis runs
every phase (examples, coverage, fuzzing, stateful) over every operation of the OpenAPI document, anonymously
and with a staff token, and every check it has but two (tests/public_api/schemathesis.toml): no server error,
and every answer as the document says (status, content type, body schema), invalid input refused.

Sized for CI by default; `make fuzz` runs it full size (docs/api.md): SUNSHINE_FUZZ_MAX_EXAMPLES cases per
operation and phase, SUNSHINE_FUZZ_SEED (a number, or `random`), SUNSHINE_FUZZ_CALLERS (comma-separated)."""

from __future__ import annotations

import asyncio
import os
import re
import sysconfig
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from sunshine_kit.auth.principal import Role
from sunshine_kit.identity import Level
from sunshine_localstack.hierarchy import Hierarchy, StackSpec

from tests.real_processes.hierarchy import RunningHierarchy, running
from tests.stack_in_process import NO_LIMITS

pytestmark = [pytest.mark.nats, pytest.mark.asyncio(loop_scope="module")]

COUNTY, TOWNSHIP = "510117", "510117101"
CONFIG = Path(__file__).with_name("schemathesis.toml")
MAX_EXAMPLES = os.environ.get("SUNSHINE_FUZZ_MAX_EXAMPLES", "5")
SEED = os.environ.get("SUNSHINE_FUZZ_SEED", "1")
CALLERS = os.environ.get("SUNSHINE_FUZZ_CALLERS", "anonymous,staff").split(",")
# A staff token with every role reaches every operation's own logic; an evaluator's is refused by most.
ROLES = {"anonymous": (), "staff": tuple(Role), "evaluator": (Role.EVALUATOR,)}
RUN_TIMEOUT_S = int(os.environ.get("SUNSHINE_FUZZ_RUN_TIMEOUT_S", "600"))


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def hierarchy(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningHierarchy]:
    county_and_township = Hierarchy(
        stacks=(
            StackSpec(COUNTY, Level.COUNTY, "示例区（样例数据）"),
            StackSpec(TOWNSHIP, Level.TOWNSHIP, "示例街道（样例数据）", parent=COUNTY),
        )
    )
    with pytest.MonkeyPatch.context() as env:
        for name, value in NO_LIMITS.items():  # the fuzzer is one client: every case should reach the operation
            env.setenv(name, value)
        async with running(county_and_township, tmp_path_factory.mktemp("fuzzed")) as started:
            yield started


@pytest.mark.timeout(RUN_TIMEOUT_S)
@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("division", [TOWNSHIP, COUNTY])
async def test_every_operation_answers_as_documented_and_never_with_a_server_error(
    hierarchy: RunningHierarchy, division: str, caller: str, tmp_path: Path
) -> None:
    roles = ROLES[caller]
    headers = hierarchy.token(division, *roles, subject=f"fuzz-{caller}") if roles else {}
    url = hierarchy.runner.stacks[division].gateway_url

    code, output = await _schemathesis(f"{url}/openapi.json", headers, tmp_path)

    generated, seed = re.search(r"(\d+) generated", output), re.search(r"Seed: (\d+)", output)
    assert generated and int(generated.group(1)) > 0, output[-3000:]
    print(f"{division} {caller}: {generated.group(1)} cases, seed {seed.group(1) if seed else '?'}")
    assert code == 0, output[-20000:]


async def _schemathesis(schema_url: str, headers: dict[str, str], workdir: Path) -> tuple[int, str]:
    """Runs the schemathesis CLI (in `workdir`, where it keeps its cache) and returns its exit code and output."""
    command = [
        str(Path(sysconfig.get_path("scripts")) / "st"),
        "--config-file", str(CONFIG), "--no-color",
        "run", schema_url,
        "--phases", "examples,coverage,fuzzing,stateful",
        "--max-examples", MAX_EXAMPLES,
        "--workers", "2",
        "--request-timeout", "30",
        *(["--seed", SEED] if SEED != "random" else []),
        *(arg for name, value in headers.items() for arg in ("--header", f"{name}: {value}")),
    ]
    process = await asyncio.create_subprocess_exec(
        *command, cwd=workdir, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output, _ = await process.communicate()
    return process.returncode or 0, output.decode(errors="replace")
