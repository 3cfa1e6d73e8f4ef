"""The Dockerfile, checked without Docker: hadolint, and every package, command and path it relies on exists."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path

import yaml
from packaging.specifiers import SpecifierSet
from sunshine_deploy.checks import COMPOSE, DOCKERFILE, K8S, hadolint_problems
from sunshine_deploy.kubernetes import kustomize, overlays

ROOT = Path(__file__).resolve().parents[2]


def dockerfile() -> str:
    return (ROOT / DOCKERFILE).read_text(encoding="utf-8")


def workspace_members() -> dict[str, dict]:
    """Project name -> its pyproject.toml, for every workspace member."""
    members = {}
    for pyproject in sorted(ROOT.glob("*/*/pyproject.toml")):
        project = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        members[project["project"]["name"]] = {**project, "dir": pyproject.parent}
    return members


def image_packages() -> list[str]:
    return re.findall(r"--package (\S+)", dockerfile())


def image_scripts() -> set[str]:
    """The console scripts the image installs: those of its packages and of the workspace packages they use."""
    members, scripts, todo = workspace_members(), set(), list(image_packages())
    while todo:
        project = members[todo.pop()]
        scripts |= set(project["project"].get("scripts", {}))
        todo += [dep for dep in project["project"]["dependencies"] if dep in members]
    return scripts


def test_hadolint_finds_nothing_and_does_find_a_bad_dockerfile(tmp_path: Path) -> None:
    assert hadolint_problems(ROOT / DOCKERFILE) == []
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python\nRUN apt-get update && apt-get install -y curl\n")

    problems = "\n".join(hadolint_problems(bad))

    assert "DL3006" in problems  # an untagged base image
    assert "DL3009" in problems or "DL3015" in problems  # apt lists kept, recommends installed


def test_the_image_installs_the_four_services_from_the_workspace() -> None:
    services = ["sunshine-disclosure", "sunshine-evaluation", "sunshine-gateway", "sunshine-hotline"]
    assert sorted(image_packages()) == services
    assert set(image_packages()) <= set(workspace_members())
    assert "uv sync --frozen --no-dev" in dockerfile()


def test_every_command_compose_and_kubernetes_run_is_in_the_image() -> None:
    scripts = image_scripts()
    compose = yaml.safe_load((ROOT / COMPOSE).read_text(encoding="utf-8"))
    ours = [s for s in compose["services"].values() if s["image"].startswith("${SUNSHINE_IMAGE")]
    commands = {service["command"][0] for service in ours}
    commands |= {service["healthcheck"]["test"][1] for service in ours}
    for overlay in overlays(ROOT / K8S):
        commands |= {
            container["command"][0]
            for resource in kustomize(overlay)
            if resource["kind"] == "Deployment"
            for container in resource["spec"]["template"]["spec"]["containers"]
        }
    cmd = re.search(r'^CMD \["([^"]+)"\]', dockerfile(), re.MULTILINE)

    assert cmd is not None and cmd.group(1) in scripts
    services = {"sunshine-gateway", "sunshine-disclosure", "sunshine-hotline", "sunshine-evaluation"}
    assert commands == services | {"sunshine-healthcheck"}
    assert commands <= scripts


def test_the_build_context_keeps_what_the_build_needs() -> None:
    ignored = [
        line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines() if line.strip() and line[0] != "#"
    ]
    needed = ["uv.lock", "pyproject.toml", "Makefile", "proto/sunshine/hotline/v1/hotline.proto"]
    needed += [str(m["dir"].relative_to(ROOT) / "src") for m in workspace_members().values()]
    for path in needed:
        assert not any(fnmatch.fnmatch(path, pattern) for pattern in ignored), path
    assert "libs/contracts/src/sunshine" in ignored  # generated in the build, never copied from a checkout


def test_the_base_image_python_is_the_one_the_project_requires() -> None:
    base = re.search(r"PYTHON_IMAGE=python:(\d+\.\d+)-", dockerfile())
    requires = SpecifierSet(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"])

    assert base is not None and f"{base.group(1)}.0" in requires
