"""One trace runs from a gateway request through a gRPC call and a JetStream event into its consumer."""

from __future__ import annotations

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import SpanKind
from sunshine_kit.auth.principal import Role
from sunshine_kit.testing.waiting import wait_until

from tests.stack_in_process import in_process_stack

TICKET = {
    "category": "complaint",
    "topic": "环境卫生",
    "channel": "phone",
    "place_division": "510100",
    "address": "示例路 1 号",
    "description": "垃圾未及时清运",
}


async def test_a_ticket_intake_is_one_trace_from_http_to_the_evaluation_consumer(
    nats_url, span_exporter, tmp_path, monkeypatch
) -> None:
    async with in_process_stack(nats_url, tmp_path, monkeypatch) as stack:
        reply = await stack.http(
            "POST", "/api/v1/hotline/tickets", json=TICKET, headers=stack.token(Role.HOTLINE_OPERATOR)
        )
        assert reply.status_code == 201, reply.text

        def consumed() -> list[ReadableSpan]:
            return [s for s in span_exporter.get_finished_spans() if s.kind == SpanKind.CONSUMER]

        async def consumer_span_finished() -> bool:
            return bool(consumed())

        await wait_until(consumer_span_finished, within=30)

    spans = span_exporter.get_finished_spans()
    http_span = _one(spans, SpanKind.SERVER, lambda s: s.name.startswith("POST /api/v1/hotline/tickets"))
    grpc_span = _one(spans, SpanKind.SERVER, lambda s: s.name == "/sunshine.hotline.v1.HotlineService/AcceptTicket")
    consumer_span = _one(spans, SpanKind.CONSUMER, lambda s: s.name.endswith(".hotline.ticket.accepted"))
    trace_id = http_span.context.trace_id
    assert grpc_span.context.trace_id == trace_id
    assert consumer_span.context.trace_id == trace_id
    assert consumer_span.attributes["messaging.consumer.group.name"] == "evaluation-intake"


def _one(spans, kind, matches) -> ReadableSpan:  # type: ignore[no-untyped-def]
    found = [s for s in spans if s.kind == kind and matches(s)]
    assert len(found) == 1, [(s.name, s.kind) for s in spans]
    return found[0]
