"""Caller data: masked for every role, sealed at rest, found again by a keyed hash; the follow-up code."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from cryptography.exceptions import InvalidTag
from hotline.adapters.personal_data import DEV_KEY_FILE, PersonalDataCipher, load_key
from hotline.domain.caller import Caller, caller_for, mask_id_number, mask_name, mask_phone
from hotline.domain.follow import CODE_LENGTH, code_hash, new_code, new_number
from hotline.domain.workflow import Actor
from sunshine_kit.errors import StartRefused

from .builders import CALLER

MASKED = Caller("张*", "138****1234", "5101**********1234")
# viewer: (sees for an ordinary ticket, sees for a confidential one)
EXPECTED = {
    Actor.OPERATOR: (CALLER, CALLER),
    Actor.UNIT: (CALLER, MASKED),
    Actor.LEADER: (MASKED, MASKED),
    Actor.EVALUATOR: (MASKED, MASKED),
    Actor.STACK_OPERATOR: (MASKED, MASKED),
    Actor.DISCLOSURE_OFFICER: (MASKED, MASKED),
    Actor.CITIZEN: (Caller(), Caller()),
    Actor.SYSTEM: (Caller(), Caller()),
}


@pytest.mark.parametrize("viewer", list(Actor))
@pytest.mark.parametrize("confidential", [False, True])
def test_each_role_sees_what_it_needs(viewer: Actor, confidential: bool) -> None:
    assert caller_for(viewer, CALLER, confidential) == EXPECTED[viewer][confidential]


def test_the_table_covers_every_actor() -> None:
    assert set(EXPECTED) == set(Actor)


@pytest.mark.parametrize(
    ("masker", "value", "masked"),
    [
        (mask_name, "欧阳娜娜", "欧***"),
        (mask_name, "", ""),
        (mask_phone, "02887654321", "028****4321"),
        (mask_phone, "110", "*10"),
        (mask_id_number, "51010419900101123X", "5101**********123X"),
        (mask_id_number, "1234", "****"),
    ],
)
def test_masks(masker, value: str, masked: str) -> None:  # type: ignore[no-untyped-def]
    assert masker(value) == masked


CIPHER = PersonalDataCipher(bytes(range(32)))


def test_sealed_values_open_again_and_do_not_contain_the_plaintext() -> None:
    sealed = CIPHER.seal("13800001234", "caller_phone")
    assert sealed is not None and b"13800001234" not in sealed
    assert CIPHER.open(sealed, "caller_phone") == "13800001234"
    assert CIPHER.seal("13800001234", "caller_phone") != sealed  # a fresh nonce each time


def test_a_value_moved_to_another_column_or_read_with_another_key_does_not_open() -> None:
    sealed = CIPHER.seal("张三", "caller_name")
    with pytest.raises(InvalidTag):
        CIPHER.open(sealed, "caller_phone")
    with pytest.raises(InvalidTag):
        PersonalDataCipher(bytes(32)).open(sealed, "caller_name")


def test_empty_values_are_not_stored() -> None:
    assert CIPHER.seal("", "caller_name") is None and CIPHER.open(None, "caller_name") == ""


def test_the_caller_key_is_the_same_for_the_same_phone_however_written() -> None:
    assert CIPHER.caller_key(Caller(phone="138 0000 1234")) == CIPHER.caller_key(Caller("李四", "13800001234"))
    assert CIPHER.caller_key(Caller(phone="13800001235")) != CIPHER.caller_key(Caller(phone="13800001234"))
    assert CIPHER.caller_key(Caller()) is None
    assert "13800001234" not in (CIPHER.caller_key(Caller(phone="13800001234")) or "")


@pytest.mark.parametrize("dev_mode", [True, False])
def test_the_key_comes_from_the_environment_value(tmp_path, dev_mode: bool) -> None:  # type: ignore[no-untyped-def]
    key = bytes(range(32))
    assert load_key(base64.b64encode(key).decode(), tmp_path, dev_mode) == key
    assert not (tmp_path / DEV_KEY_FILE).exists()
    for bad in (base64.b64encode(b"short").decode(), "not base64 at all!", "A" * 43):
        with pytest.raises(StartRefused, match="32 bytes, base64"):
            load_key(bad, tmp_path, dev_mode)


def test_in_dev_mode_without_a_key_a_private_dev_key_file_is_created_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = load_key(None, tmp_path, dev_mode=True)
    assert len(first) == 32 and load_key(None, tmp_path, dev_mode=True) == first
    assert (tmp_path / DEV_KEY_FILE).stat().st_mode & 0o777 == 0o600


def test_outside_dev_mode_a_start_without_the_key_is_refused_and_writes_nothing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StartRefused, match="SUNSHINE_HOTLINE_PERSONAL_DATA_KEY .* is required"):
        load_key(None, tmp_path, dev_mode=False)
    assert not any(tmp_path.iterdir())


def test_a_follow_code_matches_only_its_number() -> None:
    number, code = new_number(datetime(2026, 3, 2, 1, 0, tzinfo=UTC)), new_code()
    stored = code_hash(number, code)
    assert number.startswith("20260302") and len(number) == 16 and len(code) == CODE_LENGTH
    assert code not in stored
    assert code_hash(number, f" {code.lower()} ") == stored
    assert code_hash(number, "WRONG123") != stored
    assert code_hash("2026030299999999", code) != stored
