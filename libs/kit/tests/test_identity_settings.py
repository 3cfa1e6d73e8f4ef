"""Stack identity (division codes, levels) and StackSettings read from SUNSHINE_* environment variables."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pydantic import ValidationError
from sunshine.events.v1 import envelope_pb2
from sunshine_kit.identity import ChildStack, Level, StackIdentity, is_division_code
from sunshine_kit.settings import StackSettings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No SUNSHINE_* variable from the developer's shell leaks into a test."""
    for name in list(os.environ):
        if name.upper().startswith("SUNSHINE_"):
            monkeypatch.delenv(name)


# --- division codes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["510100", "510104", "510104001"])
def test_six_and_nine_digit_codes_are_division_codes(code: str) -> None:
    assert is_division_code(code) is True


@pytest.mark.parametrize(
    "code", ["", "51010", "5101040", "51010400", "5101040011", "51010a", " 510100", "510100 ", "510-100"]
)
def test_other_strings_are_not_division_codes(code: str) -> None:
    assert is_division_code(code) is False


@pytest.mark.parametrize(
    "code", ["510100\n", "５１０１００", "٥١٠١٠٠"], ids=["trailing-newline", "fullwidth", "arabic-indic"]
)
def test_only_ascii_digits_without_trailing_newline_are_division_codes(code: str) -> None:
    assert is_division_code(code) is False


@pytest.mark.parametrize(
    ("changes", "label"),
    [({"division": "5101"}, "division"), ({"parent_division": "51-100"}, "parent_division")],
)
def test_stack_identity_refuses_a_bad_code_naming_the_field(changes: dict[str, str], label: str) -> None:
    fields = {"level": Level.COUNTY, "division": "510104", "name": "锦江区", "parent_division": "510100"}
    with pytest.raises(ValueError, match=f"^{label}: "):
        StackIdentity(**{**fields, **changes})  # type: ignore[arg-type]


def test_stack_identity_without_parent_is_a_top_stack() -> None:
    assert StackIdentity(Level.CITY, "510100", "成都市").parent_division is None


@pytest.mark.parametrize(
    ("level", "proto"),
    [
        (Level.CITY, envelope_pb2.LEVEL_CITY),
        (Level.COUNTY, envelope_pb2.LEVEL_COUNTY),
        (Level.TOWNSHIP, envelope_pb2.LEVEL_TOWNSHIP),
    ],
)
def test_level_maps_to_its_proto_enum(level: Level, proto: int) -> None:
    assert level.to_proto() == proto


# --- StackSettings from the environment -------------------------------------------------------------------


def test_defaults_describe_a_lone_embedded_city_stack() -> None:
    identity = StackSettings().identity
    assert (identity.level, identity.division) == (Level.CITY, "510100")
    assert (identity.parent_division, identity.children) == (None, ())


def test_identity_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUNSHINE_LEVEL", "county")
    monkeypatch.setenv("SUNSHINE_DIVISION", "510104")
    monkeypatch.setenv("SUNSHINE_NAME", "锦江区")
    monkeypatch.setenv("SUNSHINE_PARENT_DIVISION", "510100")
    children = [{"division": "510104001", "name": "春熙路街道"}, {"division": "510104002", "name": "书院街街道"}]
    monkeypatch.setenv("SUNSHINE_CHILDREN", json.dumps(children, ensure_ascii=False))
    assert StackSettings().identity == StackIdentity(
        level=Level.COUNTY,
        division="510104",
        name="锦江区",
        parent_division="510100",
        children=(ChildStack("510104001", "春熙路街道"), ChildStack("510104002", "书院街街道")),
    )


def test_empty_parent_division_means_no_parent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUNSHINE_PARENT_DIVISION", "")
    assert StackSettings().parent_division is None


def test_unknown_level_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUNSHINE_LEVEL", "village")
    with pytest.raises(ValidationError, match="level"):
        StackSettings()


def test_bad_division_in_the_environment_is_refused_by_the_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUNSHINE_DIVISION", "chengdu")
    with pytest.raises(ValueError, match="division: 'chengdu'"):
        StackSettings().identity  # noqa: B018


def test_database_url_defaults_to_a_sqlite_file_in_the_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SUNSHINE_DATA_DIR", str(tmp_path))
    settings = StackSettings()
    assert settings.database_url("hotline") == f"sqlite+aiosqlite:///{tmp_path}/hotline.db"
    assert settings.database_url("disclosure") == f"sqlite+aiosqlite:///{tmp_path}/disclosure.db"


def test_default_data_dir_is_var_embedded() -> None:
    assert StackSettings().database_url("evaluation") == "sqlite+aiosqlite:///var/embedded/evaluation.db"


def test_database_url_override_applies_to_its_service_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SUNSHINE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SUNSHINE_HOTLINE_DATABASE_URL", "postgresql+asyncpg://sunshine@db/hotline")
    settings = StackSettings()
    assert settings.database_url("hotline") == "postgresql+asyncpg://sunshine@db/hotline"
    assert settings.database_url("disclosure") == f"sqlite+aiosqlite:///{tmp_path}/disclosure.db"


def test_grpc_addresses_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUNSHINE_HOTLINE_GRPC_ADDR", "hotline:50052")
    settings = StackSettings()
    assert settings.grpc_addr("hotline") == "hotline:50052"
    assert settings.grpc_addr("disclosure") == "127.0.0.1:50051"
