"""Reading back what a stream stored, to assert on it."""

from __future__ import annotations

from nats.js import JetStreamContext
from nats.js.api import RawStreamMsg


async def stored_messages(js: JetStreamContext, stream: str) -> list[RawStreamMsg]:
    """Every message the stream holds, in stream order."""
    state = (await js.stream_info(stream)).state
    if state.messages == 0:
        return []
    return [await js.get_msg(stream, seq) for seq in range(state.first_seq, state.last_seq + 1)]
