"""Reading deploy/local/hierarchy.toml and refusing hierarchies that cannot be."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sunshine_kit.identity import ChildStack, Level
from sunshine_localstack.hierarchy import Hierarchy, HierarchyError, StackSpec, load_hierarchy

REPOSITORY = Path(__file__).resolve().parents[2]


def test_the_demo_hierarchy_is_a_city_a_county_and_two_townships_of_sample_data() -> None:
    hierarchy = load_hierarchy(REPOSITORY / "deploy/local/hierarchy.toml")

    assert [(s.division, s.level, s.parent) for s in hierarchy.stacks] == [
        ("510100", Level.CITY, None),
        ("510117", Level.COUNTY, "510100"),
        ("510117101", Level.TOWNSHIP, "510117"),
        ("510117102", Level.TOWNSHIP, "510117"),
    ]
    assert hierarchy.sample_data
    assert all("样例数据" in stack.name for stack in hierarchy.stacks)
    assert hierarchy.port_base == 18000
    assert hierarchy.open311_api_keys == ("sample-open311-key",)


def test_a_stack_knows_its_parent_and_children() -> None:
    hierarchy = load_hierarchy(REPOSITORY / "deploy/local/hierarchy.toml")

    county = hierarchy.identity("510117")

    assert county.parent_division == "510100"
    assert county.children == (
        ChildStack("510117101", "示例街道（样例数据）"),
        ChildStack("510117102", "示例镇（样例数据）"),
    )
    assert hierarchy.depth("510117102") == 2


def test_children_stop_before_their_parents() -> None:
    hierarchy = load_hierarchy(REPOSITORY / "deploy/local/hierarchy.toml")

    order = [[stack.division for stack in level] for level in hierarchy.deepest_first()]

    assert order == [["510117101", "510117102"], ["510117"], ["510100"]]


@pytest.mark.parametrize(
    ("stacks", "complaint"),
    [
        (
            (StackSpec("510100", Level.CITY, "市"), StackSpec("510117101", Level.TOWNSHIP, "镇", "510100")),
            "cannot sit under",
        ),
        ((StackSpec("510117", Level.COUNTY, "区", "510100"),), "no stack with division 510100"),
        ((StackSpec("510100", Level.CITY, "市"), StackSpec("510100", Level.CITY, "市")), "appears twice"),
    ],
    ids=["level-skipped", "unknown-parent", "duplicate"],
)
def test_an_impossible_hierarchy_is_refused(stacks: tuple[StackSpec, ...], complaint: str) -> None:
    with pytest.raises(HierarchyError, match=complaint):
        Hierarchy(stacks)


def test_a_malformed_division_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "hierarchy.toml"
    path.write_text('[[stacks]]\ndivision = "5101"\nlevel = "city"\nname = "市"\n', encoding="utf-8")

    with pytest.raises(HierarchyError, match="5101"):
        load_hierarchy(path)


# --- the calendar override file (docs/working-days.md) --------------------------------------------------------

LONE_CITY = '[[stacks]]\ndivision = "510100"\nlevel = "city"\nname = "示例市（样例数据）"\n'
EXAMPLE_2027 = '{"2027": {"holidays": ["2027-01-01"], "working_weekends": []}}'  # test data, not official


def test_the_demo_hierarchy_names_an_empty_override_file_the_compose_file_mounts_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SUNSHINE_CALENDAR_OVERRIDE_FILE", raising=False)
    override = load_hierarchy(REPOSITORY / "deploy/local/hierarchy.toml").calendar_override_file
    assert override == REPOSITORY / "deploy/local/calendar/calendar.json"
    assert json.loads(override.read_text()) == {}  # no invented dates
    assert "./deploy/local/calendar}:/etc/sunshine/calendar:ro" in (REPOSITORY / "docker-compose.yml").read_text()


def test_the_override_file_is_relative_to_the_hierarchy_and_the_operators_variable_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SUNSHINE_CALENDAR_OVERRIDE_FILE", raising=False)
    (tmp_path / "calendar.json").write_text(EXAMPLE_2027)
    path = tmp_path / "hierarchy.toml"
    path.write_text(f'calendar_override_file = "calendar.json"\n{LONE_CITY}', encoding="utf-8")
    assert load_hierarchy(path).calendar_override_file == (tmp_path / "calendar.json").resolve()

    operators = tmp_path / "operators.json"
    operators.write_text(EXAMPLE_2027)
    monkeypatch.setenv("SUNSHINE_CALENDAR_OVERRIDE_FILE", str(operators))
    assert load_hierarchy(path).calendar_override_file == operators


def test_a_bad_override_file_stops_the_run_before_any_stack_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SUNSHINE_CALENDAR_OVERRIDE_FILE", raising=False)
    (tmp_path / "calendar.json").write_text('{"2027": {"holidays": ["2027-02-30"], "working_weekends": []}}')
    path = tmp_path / "hierarchy.toml"
    path.write_text(f'calendar_override_file = "calendar.json"\n{LONE_CITY}', encoding="utf-8")
    with pytest.raises(HierarchyError, match=r"calendar.json: 2027.holidays\[0\]"):
        load_hierarchy(path)


@pytest.mark.parametrize("keys", ['"one-key"', '["a,b"]', '[""]', "[1]"])
def test_open311_keys_must_be_a_list_of_keys(tmp_path: Path, keys: str) -> None:
    path = tmp_path / "hierarchy.toml"
    stack = '[[stacks]]\ndivision = "510100"\nlevel = "city"\nname = "市"\n'
    path.write_text(f"[open311]\napi_keys = {keys}\n\n{stack}", encoding="utf-8")

    with pytest.raises(HierarchyError, match="api_keys"):
        load_hierarchy(path)
