"""A body larger than the gateway takes is refused with 413, anonymously too, and never reaches a service."""

from __future__ import annotations

import pytest

from tests.stack_in_process import InProcessStack

pytestmark = pytest.mark.nats


async def test_a_follow_code_of_5_mb_is_refused_with_413(stack: InProcessStack) -> None:
    body = {"number": "12345-20261203-000001", "code": "x" * (5 * 1024 * 1024)}

    refused = await stack.http("POST", "/api/v1/hotline/public/follow", json=body)

    assert refused.status_code == 413, refused.text
    assert refused.json()["error"]["code"] == "RESOURCE_EXHAUSTED"
    still_serving = await stack.http("POST", "/api/v1/hotline/public/follow", json={**body, "code": "x"})
    assert still_serving.status_code == 404, still_serving.text
