"""The OpenAPI document: the error answers each operation gives, with the stable body, no 422, and every
integer input within what the contracts carry (protobuf int32). tests/public_api/test_fuzzing.py holds the
document against what a running gateway answers."""

from __future__ import annotations

from typing import Any

import pytest
from gateway.entrypoints.app import create_app
from gateway.entrypoints.contract import INT32_MAX, INT32_MIN
from sunshine_kit.auth.settings import AuthSettings
from sunshine_kit.settings import StackSettings

ERROR_BODY = {"$ref": "#/components/schemas/ErrorBody"}


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    data_dir = tmp_path_factory.mktemp("gateway")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SUNSHINE_AUTH_MODE", "dev")  # the document of a demo stack, which serves it
        verifier = AuthSettings(dev_key_file=data_dir / "signing-key.pem").verifier()
        return create_app(StackSettings(data_dir=data_dir), verifier).openapi()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method.upper(), path, op) for path, ops in document["paths"].items() for method, op in ops.items()]


def test_422_is_not_advertised_since_the_api_answers_400(document: dict[str, Any]) -> None:
    assert [(m, p) for m, p, op in operations(document) if "422" in op["responses"]] == []
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_every_error_answer_outside_open311_has_the_stable_body(document: dict[str, Any]) -> None:
    for method, path, op in operations(document):
        if "open311" in op.get("tags", ()):
            continue
        for status, answer in op["responses"].items():
            if int(status) >= 400 and (method, path, status) != ("GET", "/readyz", "503"):
                assert answer["content"]["application/json"]["schema"] == ERROR_BODY, (method, path, status)


@pytest.mark.parametrize(
    ("method", "path", "errors"),
    [
        ("GET", "/api/v1/hotline/tickets", {"400", "401", "403", "404", "409", "413", "503"}),
        ("POST", "/api/v1/hotline/public/follow", {"400", "404", "409", "413", "429", "503"}),
        ("GET", "/api/v1/sync/status", {"401", "403", "503"}),
        ("GET", "/readyz", {"503"}),
        ("GET", "/api/v1/stack", {"429"}),  # public, so under the public rate limits
    ],
)
def test_operations_document_the_errors_they_give(
    document: dict[str, Any], method: str, path: str, errors: set[str]
) -> None:
    answers = document["paths"][path][method.lower()]["responses"]
    assert {status for status in answers if int(status) >= 400} == errors


def test_every_integer_input_is_within_int32(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    found = []
    for method, path, op in operations(document):
        inputs = [(p["name"], p["schema"]) for p in op.get("parameters", ())]
        for content in op.get("requestBody", {}).get("content", {}).values():
            inputs.append(("body", content["schema"]))
        for name, schema in inputs:
            for where, integer in _integers(schema, schemas, name):
                found.append(where)
                bounds = (integer.get("minimum"), integer.get("maximum"))
                assert None not in bounds, (method, path, where)
                assert INT32_MIN <= bounds[0] <= bounds[1] <= INT32_MAX, (method, path, where, bounds)
    assert len(found) >= 10  # limit, offset, days, quantity, year, figures, … : the walk does find them


def _integers(schema: dict[str, Any], schemas: dict[str, Any], where: str, seen: frozenset[str] = frozenset()):  # type: ignore[no-untyped-def]
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name not in seen:
            yield from _integers(schemas[name], schemas, where, seen | {name})
        return
    if schema.get("type") == "integer":
        yield where, schema
    for key, sub in schema.get("properties", {}).items():
        yield from _integers(sub, schemas, f"{where}.{key}", seen)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from _integers(schema[key], schemas, f"{where}[]", seen)
    for key in ("anyOf", "allOf", "oneOf"):
        for sub in schema.get(key, ()):
            yield from _integers(sub, schemas, where, seen)
