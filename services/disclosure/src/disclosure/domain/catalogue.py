"""Proactive disclosure (主动公开): a catalogue entry's lifecycle and its publication clock.

draft → published → (revised: a new version, still published) → repealed. A draft is edited in place until it
is published, or withdrawn (撤回: kept, never public). Every published version is kept:
the current one is 现行有效, earlier ones 已修改, and the last version of a repealed entry 已废止. Each version
is due 20 working days after the information was formed or changed (Art. 26); publishing later flags it late.
A due date counted through a year whose holiday arrangement is not published yet is provisional (预计); drafts'
and published versions' deadlines are counted again when the calendar changes (`recompute`), and a version's
`late` follows the deadline counted on the official calendar, either way.
A policy interpretation (政策解读) is an entry that names the policy it explains; it can be published only
while that policy is published.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from google.protobuf.message import Message
from sunshine.events.v1 import disclosure_pb2 as events
from sunshine_kit.errors import FieldViolation, IllegalTransition, ValidationFailed
from sunshine_kit.timestamps import china_date, to_timestamp
from sunshine_kit.working_days import WorkingDayCalendar

from disclosure.domain.catalogue_content import EntryContent
from disclosure.domain.date_changes import DateChange

PUBLICATION_WORKING_DAYS = 20
MAX_WITHDRAWAL_REASON = 2000
# 时效性
IN_FORCE = "现行有效"
REVISED = "已修改"
REPEALED = "已废止"


class EntryState(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    REPEALED = "repealed"
    WITHDRAWN = "withdrawn"  # a draft that will never be published


@dataclass(frozen=True)
class PublishedVersion:
    number: int
    content: EntryContent
    due_on: date
    published_at: datetime
    due_on_provisional: bool = False

    @property
    def late(self) -> bool:
        return china_date(self.published_at) > self.due_on

    @property
    def deadline(self) -> tuple[date, bool]:
        """The due date and whether it is provisional."""
        return self.due_on, self.due_on_provisional

    def recounted(self, calendar: WorkingDayCalendar) -> PublishedVersion:
        due_on = calendar.add_working_days(self.content.formed_date, PUBLICATION_WORKING_DAYS)
        provisional = calendar.provisional_between(self.content.formed_date, due_on)
        return replace(self, due_on=due_on, due_on_provisional=provisional)


@dataclass
class CatalogueEntry:
    id: str
    index_number: str
    state: EntryState
    content: EntryContent
    due_on: date
    due_on_provisional: bool = False
    interprets: str = ""  # the policy a 政策解读 explains
    versions: list[PublishedVersion] = field(default_factory=list)
    repealed_on: date | None = None
    withdrawn_on: date | None = None
    withdrawal_reason: str = ""
    events: list[Message] = field(default_factory=list, repr=False, compare=False)

    # --- reading -----------------------------------------------------------------------------------------------

    @property
    def version(self) -> int:
        return len(self.versions)

    @property
    def published_at(self) -> datetime | None:
        return self.versions[-1].published_at if self.versions else None

    @property
    def late(self) -> bool:
        return bool(self.versions) and self.versions[-1].late

    @property
    def validity(self) -> str:
        return {EntryState.PUBLISHED: IN_FORCE, EntryState.REPEALED: REPEALED}.get(self.state, "")

    @property
    def is_public(self) -> bool:
        return self.state in (EntryState.PUBLISHED, EntryState.REPEALED)

    def validity_of(self, version: PublishedVersion) -> str:
        return self.validity if version.number == self.version else REVISED

    # --- lifecycle ---------------------------------------------------------------------------------------------

    @classmethod
    def draft(
        cls,
        content: EntryContent,
        division: str,
        today: date,
        calendar: WorkingDayCalendar,
        policy: CatalogueEntry | None = None,
    ) -> CatalogueEntry:
        """A draft: not public, not searchable. `policy` is the entry an interpretation explains."""
        content = _validated(content, today)
        if policy is not None and policy.interprets:
            raise ValidationFailed.field("interprets", "must be a policy, not another interpretation")
        entry_id = str(uuid.uuid4())
        entry = cls(
            id=entry_id,
            index_number=f"{division}-{content.formed_date.year}-{entry_id[:8]}",
            state=EntryState.DRAFT,
            content=content,
            due_on=content.formed_date,
            interprets=policy.id if policy else "",
        )
        entry._set_due(calendar)
        return entry

    def edit(self, content: EntryContent, now: datetime, calendar: WorkingDayCalendar) -> None:
        """A draft's content replaced in place; its clock runs from the new formed_on. Published entries are
        revised instead (a new version)."""
        self._require("edit a draft", EntryState.DRAFT)
        self.content = _validated(content, china_date(now))
        self._set_due(calendar)
        self.events.append(
            events.CatalogueDraftEdited(
                entry_id=self.id,
                formed_on=self.content.formed_on,
                due_on=self.due_on.isoformat(),
                edited_at=to_timestamp(now),
                due_on_provisional=self.due_on_provisional,
            )
        )

    def withdraw(self, reason: str, today: date) -> None:
        """撤回: the draft will never be published; it stays stored with its content, not public."""
        self._require("withdraw a draft", EntryState.DRAFT)
        if not reason.strip():
            raise ValidationFailed.field("reason", "say why the draft is withdrawn")
        if len(reason) > MAX_WITHDRAWAL_REASON:
            raise ValidationFailed.field("reason", f"at most {MAX_WITHDRAWAL_REASON} characters")
        self.state, self.withdrawn_on, self.withdrawal_reason = EntryState.WITHDRAWN, today, reason.strip()
        self.events.append(
            events.CatalogueDraftWithdrawn(
                entry_id=self.id, withdrawn_on=today.isoformat(), force_level=self.content.force_level
            )
        )

    def publish(self, now: datetime, policy: CatalogueEntry | None = None) -> None:
        """Publishes the draft as version 1; an interpretation needs its policy (`policy`) published."""
        self._require("publish", EntryState.DRAFT)
        if self.interprets and (policy is None or policy.id != self.interprets or policy.state != EntryState.PUBLISHED):
            raise ValidationFailed.field("interprets", "the policy must be published (not a draft, not repealed)")
        self.state = EntryState.PUBLISHED
        self.versions.append(PublishedVersion(1, self.content, self.due_on, now, self.due_on_provisional))
        self.events.append(self._published_event())
        if policy is not None:
            self.events.append(
                events.PolicyInterpretationLinked(
                    interpretation_id=self.id,
                    policy_id=policy.id,
                    policy_force_level=policy.content.force_level,
                    published_at=to_timestamp(now),
                )
            )

    def revise(self, content: EntryContent, now: datetime, calendar: WorkingDayCalendar) -> None:
        """A new version; its clock runs from the day of the change, which may not precede the last version's."""
        self._require("revise", EntryState.PUBLISHED)
        content = _validated(content, china_date(now))
        if content.formed_date < self.content.formed_date:
            raise ValidationFailed.field("formed_on", f"the change cannot precede {self.content.formed_on}")
        self.content = content
        self._set_due(calendar)
        version = PublishedVersion(self.version + 1, content, self.due_on, now, self.due_on_provisional)
        self.versions.append(version)
        self.events.append(
            events.CatalogueEntryRevised(
                entry_id=self.id,
                version=version.number,
                title=content.title,
                document_number=content.document_number,
                formed_on=content.formed_on,
                due_on=self.due_on.isoformat(),
                published_at=to_timestamp(now),
                late=version.late,
                force_level=content.force_level,
                key_area=content.key_area,
                due_on_provisional=self.due_on_provisional,
            )
        )

    def repeal(self, on: date | None, today: date) -> None:
        """已废止 from `on` (default today): not before the current version was formed, not in the future."""
        self._require("repeal", EntryState.PUBLISHED)
        repealed_on = on or today
        if repealed_on > today or repealed_on < self.content.formed_date:
            raise ValidationFailed(
                FieldViolation("repealed_on", f"from {self.content.formed_on} to {today.isoformat()}")
            )
        self.state = EntryState.REPEALED
        self.repealed_on = repealed_on
        self.events.append(
            events.CatalogueEntryRepealed(
                entry_id=self.id, repealed_on=repealed_on.isoformat(), force_level=self.content.force_level
            )
        )

    def recompute(self, today: date, calendar: WorkingDayCalendar) -> bool:
        """The deadlines counted again on the calendar as it is now: a draft's, and every published version's
        (whose `late` then follows the new one). True, with an event, when one moved or stopped (or started)
        being provisional. A withdrawn draft has no deadline to keep."""
        if self.state is EntryState.WITHDRAWN:
            return False
        old = (self.due_on, self.due_on_provisional)
        self._set_due(calendar)
        if self.state is EntryState.DRAFT:
            return self._draft_recomputed(today, old)
        recounted = [version.recounted(calendar) for version in self.versions]
        moved = [(was, now) for was, now in zip(self.versions, recounted, strict=True) if was != now]
        self.versions = recounted
        if not moved:
            return False
        self.events.append(
            events.CatalogueEntryRecomputed(
                entry_id=self.id,
                recomputed_on=today.isoformat(),
                versions=[self._recomputed_version(today, was, now) for was, now in moved],
            )
        )
        return True

    def _draft_recomputed(self, today: date, old: tuple[date, bool]) -> bool:
        new = (self.due_on, self.due_on_provisional)
        if new == old:
            return False
        change = DateChange.of(today, "due_on", old, new)
        self.events.append(
            events.CatalogueDraftRecomputed(entry_id=self.id, recomputed_on=today.isoformat(), due_on=change.payload())
        )
        return True

    @staticmethod
    def _recomputed_version(today: date, was: PublishedVersion, now: PublishedVersion) -> events.RecomputedVersion:
        change = DateChange.of(today, "due_on", was.deadline, now.deadline)
        return events.RecomputedVersion(
            version=now.number,
            due_on=change.payload(),
            old_late=was.late,
            late=now.late,
            force_level=now.content.force_level,
        )

    def _set_due(self, calendar: WorkingDayCalendar) -> None:
        """Art. 26: 20 working days from the day the current content was formed or changed."""
        self.due_on = calendar.add_working_days(self.content.formed_date, PUBLICATION_WORKING_DAYS)
        self.due_on_provisional = calendar.provisional_between(self.content.formed_date, self.due_on)

    def _require(self, action: str, state: EntryState) -> None:
        if self.state != state:
            raise IllegalTransition(action, str(self.state))

    def _published_event(self) -> events.CatalogueEntryPublished:
        version = self.versions[-1]
        return events.CatalogueEntryPublished(
            entry_id=self.id,
            index_number=self.index_number,
            title=self.content.title,
            issuing_organ=self.content.issuing_organ,
            document_number=self.content.document_number,
            formed_on=self.content.formed_on,
            due_on=self.due_on.isoformat(),
            published_at=to_timestamp(version.published_at),
            late=version.late,
            force_level=self.content.force_level,
            key_area=self.content.key_area,
            interprets=self.interprets,
            due_on_provisional=self.due_on_provisional,
        )


def _validated(content: EntryContent, today: date) -> EntryContent:
    violations = content.violations(today)
    if violations:
        raise ValidationFailed(*violations)
    return content.stripped()
