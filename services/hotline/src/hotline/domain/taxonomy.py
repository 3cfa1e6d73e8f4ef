"""The topic taxonomy (诉求分类): what tickets are about; also the Open311 service list."""

from __future__ import annotations

from dataclasses import dataclass

from sunshine_kit.errors import ValidationFailed


@dataclass(frozen=True)
class Topic:
    code: str  # stable, ASCII: the Open311 service_code
    name: str  # 环境卫生
    description: str
    group: str  # Open311 group, e.g. 城市管理


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]

    def by_code(self, code: str) -> Topic | None:
        return next((t for t in self.topics if t.code == code), None)

    def by_name(self, name: str) -> Topic | None:
        return next((t for t in self.topics if t.name == name), None)

    def require(self, name: str) -> Topic:
        topic = self.by_name(name)
        if topic is None:
            known = "、".join(t.name for t in self.topics)
            raise ValidationFailed.field("topic", f"not in the taxonomy; choose one of {known}")
        return topic
