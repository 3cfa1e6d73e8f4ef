"""Proactive disclosure (主动公开): catalogue entries and their 20-working-day publication clock (Art. 26).

The first slice: an entry published directly. Drafts, revision, repeal and the full Art. 12 metadata join
here as the catalogue is built out.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from google.protobuf.message import Message
from sunshine.events.v1 import disclosure_pb2 as events
from sunshine_kit.errors import FieldViolation, ValidationFailed
from sunshine_kit.timestamps import china_date, to_timestamp
from sunshine_kit.working_days import WorkingDayCalendar

PUBLICATION_WORKING_DAYS = 20
MAX_TITLE = 200
# 效力级别: the two levels table 二 of the annual report counts, and everything else.
RULE_FORCE_LEVELS = ("规章", "行政规范性文件")
OTHER_FORCE_LEVEL = "其他"
FORCE_LEVELS = (*RULE_FORCE_LEVELS, OTHER_FORCE_LEVEL)
IN_FORCE = "现行有效"  # 时效性; 已修改 and 已废止 come with revision and repeal (not built yet)
MAX_KEY_AREA = 50
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class EntryDraft:
    title: str
    issuing_organ: str
    document_number: str
    formed_on: str
    body: str
    force_level: str = OTHER_FORCE_LEVEL
    key_area: str = ""

    def violations(self, today: date) -> list[FieldViolation]:
        formed = _parse_date(self.formed_on)
        checks = [
            (not self.title.strip(), "title", "must not be empty"),
            (len(self.title) > MAX_TITLE, "title", f"at most {MAX_TITLE} characters"),
            (not self.issuing_organ.strip(), "issuing_organ", "must not be empty"),
            (formed is None, "formed_on", "must be a date YYYY-MM-DD"),
            (formed is not None and formed > today, "formed_on", "must not be in the future"),
            (not self.body.strip(), "body", "must not be empty"),
            (self.force_level not in FORCE_LEVELS, "force_level", "one of " + ", ".join(FORCE_LEVELS)),
            (len(self.key_area) > MAX_KEY_AREA, "key_area", f"at most {MAX_KEY_AREA} characters"),
        ]
        return [FieldViolation(name, text) for failed, name, text in checks if failed]


@dataclass
class CatalogueEntry:
    id: str
    index_number: str
    title: str
    issuing_organ: str
    document_number: str
    formed_on: date
    due_on: date
    published_at: datetime
    body: str
    force_level: str = OTHER_FORCE_LEVEL
    key_area: str = ""
    validity: str = IN_FORCE
    events: list[Message] = field(default_factory=list, repr=False, compare=False)

    @property
    def late(self) -> bool:
        return china_date(self.published_at) > self.due_on

    @classmethod
    def publish(
        cls, draft: EntryDraft, division: str, published_at: datetime, calendar: WorkingDayCalendar
    ) -> CatalogueEntry:
        violations = draft.violations(china_date(published_at))
        if violations:
            raise ValidationFailed(*violations)
        formed_on = date.fromisoformat(draft.formed_on)
        entry_id = str(uuid.uuid4())
        entry = cls(
            id=entry_id,
            index_number=f"{division}-{formed_on.year}-{entry_id[:8]}",
            title=draft.title.strip(),
            issuing_organ=draft.issuing_organ.strip(),
            document_number=draft.document_number.strip(),
            formed_on=formed_on,
            due_on=calendar.add_working_days(formed_on, PUBLICATION_WORKING_DAYS),
            published_at=published_at,
            body=draft.body,
            force_level=draft.force_level,
            key_area=draft.key_area.strip(),
        )
        entry.events.append(entry._published_event())
        return entry

    def _published_event(self) -> events.CatalogueEntryPublished:
        return events.CatalogueEntryPublished(
            entry_id=self.id,
            index_number=self.index_number,
            title=self.title,
            issuing_organ=self.issuing_organ,
            document_number=self.document_number,
            formed_on=self.formed_on.isoformat(),
            due_on=self.due_on.isoformat(),
            published_at=to_timestamp(self.published_at),
            late=self.late,
            force_level=self.force_level,
        )


def _parse_date(text: str) -> date | None:
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
