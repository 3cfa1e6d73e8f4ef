"""Linking disclosure catalogue documents (知识库) to a ticket, and what a direct answer then reports."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hotline.domain.knowledge import MAX_LINKED, Document, link
from hotline.domain.loop import Act, Params, apply
from hotline.domain.vocabulary import TicketState
from hotline.domain.workflow import Action, Actor
from sunshine.events.v1 import hotline_pb2 as ev
from sunshine_kit.errors import IllegalTransition, ValidationFailed

from .builders import LIMITS, T0, ticket_in

RULES = Document("e1", "城市生活垃圾分类管理办法", "成府发〔2026〕7号", validity="现行有效")
GUIDE = Document("e2", "垃圾分类投放指南")
LATER = T0 + timedelta(minutes=5)


def test_documents_are_linked_once_as_they_read_and_the_step_is_in_the_history() -> None:
    ticket = ticket_in(TicketState.ACCEPTED)
    first = link(ticket, [RULES, RULES], Actor.OPERATOR, "op-1", LATER)
    again = link(ticket, [RULES, GUIDE], Actor.OPERATOR, "op-2", LATER)
    assert [d.entry_id for d in first] == ["e1"] and [d.entry_id for d in again] == ["e2"]
    assert [(d.entry_id, d.title, d.linked_by) for d in ticket.documents] == [
        ("e1", RULES.title, "op-1"),
        ("e2", GUIDE.title, "op-2"),
    ]
    assert [(h.action, h.note) for h in ticket.history[-2:]] == [
        ("link_documents", "《城市生活垃圾分类管理办法》（成府发〔2026〕7号）"),
        ("link_documents", "《垃圾分类投放指南》"),
    ]
    assert ticket.state is TicketState.ACCEPTED


def test_linking_only_what_is_linked_already_changes_nothing() -> None:
    ticket = ticket_in(TicketState.ACCEPTED)
    link(ticket, [RULES], Actor.OPERATOR, "op-1", LATER)
    known = len(ticket.history)
    assert link(ticket, [RULES], Actor.OPERATOR, "op-1", LATER) == []
    assert len(ticket.history) == known


@pytest.mark.parametrize("state", [TicketState.EVALUATED, TicketState.MERGED])
def test_a_final_ticket_takes_no_more_documents(state: TicketState) -> None:
    with pytest.raises(IllegalTransition) as refused:
        link(ticket_in(state), [RULES], Actor.OPERATOR, "op-1", LATER)
    assert refused.value.current_state == state.value


def test_at_most_so_many_documents_per_ticket() -> None:
    ticket = ticket_in(TicketState.ACCEPTED)
    many = [Document(f"e{i}", f"文件{i}") for i in range(MAX_LINKED + 1)]
    with pytest.raises(ValidationFailed) as refused:
        link(ticket, many, Actor.OPERATOR, "op-1", LATER)
    assert refused.value.violations[0].field == "entry_ids"
    assert ticket.documents == ()


def test_a_direct_answer_reports_how_many_documents_it_cited() -> None:
    ticket = ticket_in(TicketState.ACCEPTED)
    link(ticket, [RULES, GUIDE], Actor.OPERATOR, "op-1", LATER)
    apply(ticket, Action.ANSWER_DIRECTLY, Act(Actor.OPERATOR, "op-1", LATER), Params(answer="请分类投放"), LIMITS)
    closed = ticket.events[-1]
    assert isinstance(closed, ev.TicketClosed)
    assert (closed.direct_answer, closed.linked_documents, closed.handed_to_disclosure) == (True, 2, False)
