"""The hotline's vocabulary: categories, channels, urgency, states and callback outcomes."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    INQUIRY = "咨询"
    HELP = "求助"
    COMPLAINT = "投诉"
    REPORT = "举报"
    SUGGESTION = "意见建议"
    PRAISE = "表扬"


class Channel(StrEnum):
    PHONE = "phone"
    WEB = "web"
    APP = "app"
    WECHAT = "wechat"
    EMAIL = "email"
    OPEN311 = "open311"
    PARENT = "parent"  # handed down (下派) by the parent stack; never chosen at intake
    DISCLOSURE = "disclosure"  # a disclosure request redirected as a complaint (Art. 39); never chosen at intake


CITIZEN_CHANNELS = frozenset({Channel.WEB, Channel.APP, Channel.WECHAT, Channel.EMAIL, Channel.OPEN311})
# Channels only the service itself uses, for work that arrives from another service or stack.
SYSTEM_CHANNELS = frozenset({Channel.PARENT, Channel.DISCLOSURE})


class Urgency(StrEnum):
    NORMAL = "一般"
    URGENT = "紧急"


class TicketState(StrEnum):
    ACCEPTED = "受理"
    DISPATCHED = "派单"
    HANDED_DOWN = "下派"  # handled by a child stack, whose progress comes back (domain/below.py)
    RETURNED = "退单"
    SIGNED = "签收"
    HANDLING = "办理"
    ANSWERED = "答复"
    CLOSED = "办结"
    CALLED_BACK = "回访"
    EVALUATED = "评价"
    MERGED = "并单"


OPEN_STATES = frozenset(
    {
        TicketState.ACCEPTED,
        TicketState.DISPATCHED,
        TicketState.HANDED_DOWN,
        TicketState.RETURNED,
        TicketState.SIGNED,
        TicketState.HANDLING,
        TicketState.ANSWERED,
    }
)


class Satisfaction(StrEnum):
    SATISFIED = "满意"
    BASICALLY_SATISFIED = "基本满意"
    UNSATISFIED = "不满意"
