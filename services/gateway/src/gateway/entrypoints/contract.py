"""Integer inputs as the contracts (proto/) carry them.

Every integer the gateway takes in goes into a protobuf int32 field, and a value outside int32 cannot even be
put into the request message. So every integer input is declared with one of these types: FastAPI refuses a
value outside with 400 naming the field, and the OpenAPI document states the range. The narrower ranges a
service decides (the years of an annual report, at most 100 search hits) stay the service's to check, after
the caller's role.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1

Int32 = Annotated[int, Field(ge=INT32_MIN, le=INT32_MAX)]
# How many of something: never negative.
Count = Annotated[int, Field(ge=0, le=INT32_MAX)]
# At most this many in a list: one at least.
Limit = Annotated[int, Field(ge=1, le=INT32_MAX)]
