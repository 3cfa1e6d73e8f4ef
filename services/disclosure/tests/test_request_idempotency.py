"""Idempotency keys of online submissions, in the domain: a replay of the same submission gets the same request
with a new secret code (the earlier one stops working) and no event; anything else under the key is refused
naming it."""

from __future__ import annotations

import pytest
from disclosure.domain import secret_codes, submission_keys
from disclosure.domain.applicants import Applicant, ApplicantType
from disclosure.domain.disclosure_request import DisclosureRequest, Intake
from sunshine_kit.errors import ValidationFailed

from .requests_fixtures import ADDRESS, DIVISION, ID_NUMBER, NAME, NOW, PHONE, TODAY, intake

KEY = "hotline-hand-over:1b7c0f1e-2d4a-4c55-9e1a-0d3f2b6a7c81"
STAFF = submission_keys.staff_scope(DIVISION)


def _keyed(scope: str = STAFF) -> tuple[DisclosureRequest, str]:
    return DisclosureRequest.submit_online(intake(), DIVISION, NOW, TODAY, KEY, scope)


def _refusal(error: pytest.ExceptionInfo[ValidationFailed]) -> list[str]:
    return [v.field for v in error.value.violations]


def test_a_keyed_submission_keeps_its_key_and_fingerprint_and_an_unkeyed_one_neither() -> None:
    request, _code = _keyed()
    assert request.idempotency_key == f"staff:{DIVISION}|{KEY}"  # qualified by the caller's scope
    assert _keyed(submission_keys.PUBLIC)[0].idempotency_key == f"public|{KEY}"
    assert request.idempotency_fingerprint == submission_keys.fingerprint(intake(), STAFF)
    plain, _code = DisclosureRequest.submit_online(intake(), DIVISION, NOW, TODAY)
    assert (plain.idempotency_key, plain.idempotency_fingerprint) == ("", "")


def test_a_replay_issues_a_new_code_that_replaces_the_first_and_emits_nothing() -> None:
    request, first = _keyed()
    number, emitted = request.number, len(request.events)
    second = request.replay(intake(), STAFF)
    assert second != first
    assert request.number == number
    assert len(request.events) == emitted
    assert secret_codes.matches(number, second, request.code_digest)
    assert not secret_codes.matches(number, first, request.code_digest)


@pytest.mark.parametrize(
    "other",
    [
        pytest.param(intake(description="另一项政府信息"), id="description"),
        pytest.param(
            Intake(
                Applicant(ApplicantType.NATURAL_PERSON, NAME, "13900000000", ID_NUMBER, ADDRESS), intake().description
            ),
            id="phone",
        ),  # fmt: skip
        pytest.param(intake(ApplicantType.COMMERCIAL_ENTERPRISE), id="applicant type"),
    ],
)
def test_other_content_under_the_key_is_refused_naming_it(other: Intake) -> None:
    request, _code = _keyed()
    digest = request.code_digest
    with pytest.raises(ValidationFailed) as refused:
        request.replay(other, STAFF)
    assert _refusal(refused) == ["idempotency_key"]
    assert request.code_digest == digest


def test_another_kind_of_caller_cannot_replay_the_key() -> None:
    request, _code = _keyed()
    for scope in (submission_keys.PUBLIC, submission_keys.staff_scope("510117")):
        with pytest.raises(ValidationFailed) as refused:
            request.replay(intake(), scope)
        assert _refusal(refused) == ["idempotency_key"]


def test_a_request_submitted_without_a_key_is_never_replayed() -> None:
    plain, _code = DisclosureRequest.submit_online(intake(), DIVISION, NOW, TODAY)
    with pytest.raises(ValidationFailed) as refused:
        plain.replay(intake(), submission_keys.PUBLIC)
    assert _refusal(refused) == ["idempotency_key"]


@pytest.mark.parametrize("key", ["k" * 201, " padded", "tab\tinside"])
def test_a_malformed_key_is_refused_naming_it(key: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        DisclosureRequest.submit_online(intake(), DIVISION, NOW, TODAY, key, STAFF)
    assert _refusal(refused) == ["idempotency_key"]


def test_the_longest_key_is_accepted() -> None:
    request, _code = DisclosureRequest.submit_online(intake(), DIVISION, NOW, TODAY, "k" * 200, STAFF)
    assert request.idempotency_key == f"{STAFF}|{'k' * 200}"
    assert len(request.idempotency_key) <= submission_keys.MAX_SCOPED_KEY


def test_the_fingerprint_covers_the_scope_the_applicant_and_the_text() -> None:
    base = submission_keys.fingerprint(intake(), STAFF)
    assert submission_keys.fingerprint(intake(), STAFF) == base
    assert submission_keys.fingerprint(intake(description="  2025年锦江区老旧小区改造资金使用情况 "), STAFF) == base
    changed = [
        submission_keys.fingerprint(intake(), submission_keys.PUBLIC),
        submission_keys.fingerprint(intake(description="别的"), STAFF),
        submission_keys.fingerprint(
            Intake(Applicant(ApplicantType.NATURAL_PERSON, NAME, PHONE, ID_NUMBER, "别处"), intake().description), STAFF
        ),  # fmt: skip
        submission_keys.fingerprint(
            Intake(Applicant(ApplicantType.NATURAL_PERSON, "李四", PHONE, ID_NUMBER, ADDRESS), intake().description),
            STAFF,
        ),  # fmt: skip
    ]
    assert base not in changed and len(set(changed)) == len(changed)
