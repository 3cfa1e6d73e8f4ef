"""Who sees what of a ticket: the view is chosen among the roles that read the stack's division only, and
each view masks the caller, the address and the description as docs/hotline.md says."""

from __future__ import annotations

import pytest
from hotline.domain.caller import Caller
from hotline.domain.privacy import listed_to, mask_address, shown_to
from hotline.domain.ticket import Ticket
from hotline.domain.workflow import Actor
from hotline.service.access import unit_of, viewer
from sunshine_kit.auth import Principal, Role
from sunshine_kit.errors import PermissionDenied

from .builders import LIMITS, T0, intake

TOWNSHIP, COUNTY, CITY, SIBLING = "510117101", "510117", "510100", "510117102"
CALLER = Caller("张三", "13800001234", "510104199001011234")
ADDRESS = "双流区东升街道棠湖路 18 号 3 栋"
DESCRIPTION = "我是张三，电话13800001234，邻居13912345678家噪音扰民，身份证510104199001011234"


def principal(division: str, *roles: Role, subject: str = "jd001:li") -> Principal:
    return Principal(subject, frozenset(roles), division)


def ticket(confidential: bool = False) -> Ticket:
    details = intake(
        caller=CALLER, address=ADDRESS, description=DESCRIPTION, confidential=confidential, place_division=TOWNSHIP
    )
    return Ticket.accept(details, T0, LIMITS, "20260302-00000001", "hash")


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ((Role.HOTLINE_OPERATOR, Role.LEADER), Actor.LEADER),
        ((Role.HANDLING_UNIT, Role.LEADER), Actor.LEADER),
        ((Role.HOTLINE_OPERATOR, Role.HANDLING_UNIT, Role.EVALUATOR), Actor.EVALUATOR),
        ((Role.HANDLING_UNIT, Role.STACK_OPERATOR), Actor.STACK_OPERATOR),
    ],
)
def test_a_combined_principal_above_reads_only_with_the_role_that_reads_below(
    roles: tuple[Role, ...], expected: Actor
) -> None:
    assert viewer(principal(COUNTY, *roles), TOWNSHIP) is expected
    assert viewer(principal(CITY, *roles), TOWNSHIP) is expected


@pytest.mark.parametrize("roles", [(Role.HOTLINE_OPERATOR,), (Role.HANDLING_UNIT,), (Role.DISCLOSURE_OFFICER,)])
def test_roles_that_do_not_read_below_are_refused_above(roles: tuple[Role, ...]) -> None:
    with pytest.raises(PermissionDenied):
        viewer(principal(COUNTY, *roles), TOWNSHIP)


def test_in_its_own_division_the_most_privileged_view_applies() -> None:
    assert viewer(principal(TOWNSHIP, Role.LEADER, Role.HOTLINE_OPERATOR), TOWNSHIP) is Actor.OPERATOR
    assert viewer(principal(TOWNSHIP, Role.LEADER, Role.HANDLING_UNIT), TOWNSHIP) is Actor.UNIT


@pytest.mark.parametrize("division", [SIBLING, "510104", "440100"])
def test_no_role_reads_sideways(division: str) -> None:
    with pytest.raises(PermissionDenied, match="not within"):
        viewer(principal(division, *Role), TOWNSHIP)


def test_a_subject_without_a_unit_speaks_for_no_unit() -> None:
    assert unit_of(principal(TOWNSHIP, Role.HANDLING_UNIT, subject="cgj:li")) == "cgj"
    for subject in (":li", " :li", ":"):
        with pytest.raises(PermissionDenied, match="names no handling unit"):
            unit_of(principal(TOWNSHIP, Role.HANDLING_UNIT, subject=subject))


def test_an_operator_sees_everything() -> None:
    shown = shown_to(Actor.OPERATOR, ticket(confidential=True))
    assert (shown.caller, shown.address, shown.description) == (CALLER, ADDRESS, DESCRIPTION)


def test_a_unit_sees_the_place_and_the_text_and_the_caller_unless_confidential() -> None:
    assert shown_to(Actor.UNIT, ticket()).caller == CALLER
    shown = shown_to(Actor.UNIT, ticket(confidential=True))
    assert shown.caller == CALLER.masked()
    assert (shown.address, shown.description) == (ADDRESS, DESCRIPTION)


@pytest.mark.parametrize("who", [Actor.LEADER, Actor.EVALUATOR, Actor.STACK_OPERATOR])
def test_leaders_evaluators_and_stack_operators_see_personal_data_masked(who: Actor) -> None:
    shown = shown_to(who, ticket())
    assert shown.caller == Caller("张*", "138****1234", "5101**********1234")
    assert shown.address == "双流区东升街" + "*" * (len(ADDRESS) - 6)
    assert shown.description == "我是张*，电话138****1234，邻居139****5678家噪音扰民，身份证5101**********1234"


def test_the_public_sees_no_caller_and_masked_text() -> None:
    shown = shown_to(Actor.CITIZEN, ticket())
    assert shown.caller == Caller()
    assert shown.address == mask_address(ADDRESS)
    assert not any(number in shown.description for number in ("13800001234", "13912345678", "510104199001011234"))
    assert "张三" not in shown.description


@pytest.mark.parametrize("who", list(Actor))
def test_a_list_masks_the_caller_for_everyone(who: Actor) -> None:
    listed = listed_to(who, ticket())
    assert listed.caller in (CALLER.masked(), Caller())
    assert listed.address == shown_to(who, ticket()).address
