"""Knowledge (知识库): the disclosure catalogue's documents an operator used for the answer, linked to the ticket.

The catalogue belongs to the disclosure service; the hotline keeps, per ticket, which entries were cited and how
they read when linked (title, document number, validity), so the record stays readable if an entry is revised or
repealed later. A direct answer (直接答复) closes the ticket with the number of linked documents in its event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sunshine_kit.errors import IllegalTransition, ValidationFailed

from hotline.domain.ticket import LinkedDocument, Ticket
from hotline.domain.vocabulary import TicketState
from hotline.domain.workflow import Actor

LINK = "link_documents"
MAX_LINKED = 20
# A final ticket's record is closed: nothing is cited after the evaluation or into a merged ticket.
NOT_LINKABLE = frozenset({TicketState.EVALUATED, TicketState.MERGED})


@dataclass(frozen=True)
class Document:
    """A catalogue entry as the disclosure service shows it: a search hit or one looked up by id."""

    entry_id: str
    title: str
    document_number: str = ""
    issuing_organ: str = ""
    validity: str = ""
    formed_on: str = ""
    score: int = 0


def link(
    ticket: Ticket, documents: Sequence[Document], actor: Actor, actor_id: str, at: datetime
) -> list[LinkedDocument]:
    """Link the documents not linked yet; returns those newly linked (recorded in the history as one step)."""
    if ticket.state in NOT_LINKABLE:
        raise IllegalTransition(LINK, ticket.state.value)
    known = {d.entry_id for d in ticket.documents}
    new: list[LinkedDocument] = []
    for d in documents:
        if d.entry_id not in known:
            known.add(d.entry_id)
            new.append(LinkedDocument(d.entry_id, d.title, d.document_number, d.validity, at, actor_id))
    if len(ticket.documents) + len(new) > MAX_LINKED:
        raise ValidationFailed.field("entry_ids", f"at most {MAX_LINKED} documents per ticket")
    if new:
        ticket.documents += tuple(new)
        ticket.record(LINK, actor, actor_id, at, ticket.state, "、".join(_cited(d) for d in new))
    return new


def _cited(document: LinkedDocument) -> str:
    number = f"（{document.document_number}）" if document.document_number else ""
    return f"《{document.title}》{number}"
