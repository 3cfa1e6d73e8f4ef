"""A county with one township: the smallest hierarchy that has a level link."""

from __future__ import annotations

import pytest
from sunshine_kit.identity import Level
from sunshine_localstack.hierarchy import Hierarchy, StackSpec

COUNTY = "510117"
TOWNSHIP = "510117101"


@pytest.fixture
def two_levels() -> Hierarchy:
    return Hierarchy(
        stacks=(
            StackSpec(COUNTY, Level.COUNTY, "示例区（样例数据）"),
            StackSpec(TOWNSHIP, Level.TOWNSHIP, "示例街道（样例数据）", parent=COUNTY),
        )
    )
