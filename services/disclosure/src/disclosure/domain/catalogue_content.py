"""What staff write for a catalogue entry: the Art. 12 metadata (domain.md §1.1) and the text, validated."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sunshine_kit.errors import FieldViolation

MAX_TITLE = 200
MAX_SUMMARY = 500
MAX_CATEGORY = 50
MAX_KEY_AREA = 50
MAX_ATTACHMENTS = 20
MAX_ATTACHMENT_NAME = 200
MAX_REFERENCE = 500
# 效力级别: the two levels table 二 of the annual report counts, and everything else.
RULE_FORCE_LEVELS = ("规章", "行政规范性文件")
OTHER_FORCE_LEVEL = "其他"
FORCE_LEVELS = (*RULE_FORCE_LEVELS, OTHER_FORCE_LEVEL)
# 公开方式 (domain.md §1.1): code → the name used on the page.
CHANNELS = {
    "website": "政府网站",
    "notice_board": "政务公开栏",
    "press_conference": "新闻发布会",
    "weibo": "政务微博",
    "app": "政务服务App",
    "gazette": "政府公报",
}
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Attachment:
    """A published file, by reference (a URL or a key of the unit's file store): Sunshine stores no files."""

    name: str
    reference: str


@dataclass(frozen=True)
class EntryContent:
    title: str
    issuing_organ: str
    document_number: str
    formed_on: str  # YYYY-MM-DD: formed or changed; the 20-working-day clock runs from it (Art. 26)
    body: str
    force_level: str = OTHER_FORCE_LEVEL
    key_area: str = ""
    summary: str = ""
    category: str = ""  # 法规类别
    channels: tuple[str, ...] = ("website",)
    in_force_on: str = ""  # 生效日期, may lie in the future
    attachments: tuple[Attachment, ...] = field(default=())

    @property
    def formed_date(self) -> date:
        return date.fromisoformat(self.formed_on)

    @property
    def in_force_date(self) -> date | None:
        return date.fromisoformat(self.in_force_on) if self.in_force_on else None

    def violations(self, today: date) -> list[FieldViolation]:
        formed = parse_date(self.formed_on)
        checks = [
            (not self.title.strip(), "title", "must not be empty"),
            (len(self.title) > MAX_TITLE, "title", f"at most {MAX_TITLE} characters"),
            (not self.issuing_organ.strip(), "issuing_organ", "must not be empty"),
            (formed is None, "formed_on", "must be a date YYYY-MM-DD"),
            (formed is not None and formed > today, "formed_on", "must not be in the future"),
            (not self.body.strip(), "body", "must not be empty"),
            (self.force_level not in FORCE_LEVELS, "force_level", "one of " + ", ".join(FORCE_LEVELS)),
            (len(self.key_area) > MAX_KEY_AREA, "key_area", f"at most {MAX_KEY_AREA} characters"),
            (len(self.summary) > MAX_SUMMARY, "summary", f"at most {MAX_SUMMARY} characters"),
            (len(self.category) > MAX_CATEGORY, "category", f"at most {MAX_CATEGORY} characters"),
            (not self.channels, "channels", "name at least one channel"),
            (not set(self.channels) <= CHANNELS.keys(), "channels", "each one of " + ", ".join(CHANNELS)),
            (bool(self.in_force_on) and parse_date(self.in_force_on) is None, "in_force_on", "a date YYYY-MM-DD"),
            (len(self.attachments) > MAX_ATTACHMENTS, "attachments", f"at most {MAX_ATTACHMENTS}"),
            (not all(map(_attachment_ok, self.attachments)), "attachments", "each needs a name and a reference"),
        ]
        return [FieldViolation(name, text) for failed, name, text in checks if failed]

    def stripped(self) -> EntryContent:
        return EntryContent(
            title=self.title.strip(),
            issuing_organ=self.issuing_organ.strip(),
            document_number=self.document_number.strip(),
            formed_on=self.formed_on,
            body=self.body,
            force_level=self.force_level,
            key_area=self.key_area.strip(),
            summary=self.summary.strip(),
            category=self.category.strip(),
            channels=tuple(dict.fromkeys(self.channels)),
            in_force_on=self.in_force_on,
            attachments=self.attachments,
        )


def _attachment_ok(attachment: Attachment) -> bool:
    name, reference = attachment.name.strip(), attachment.reference.strip()
    return bool(name and reference) and len(name) <= MAX_ATTACHMENT_NAME and len(reference) <= MAX_REFERENCE


def parse_date(text: str) -> date | None:
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
