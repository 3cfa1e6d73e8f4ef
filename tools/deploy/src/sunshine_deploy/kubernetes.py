"""The Kubernetes manifests of deploy/k8s/: every overlay built with `kubectl kustomize`, each resource validated
against the Kubernetes schemas (kubernetes-validate, offline), and each level's NATS values checked against the
stack the overlay describes."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import kubernetes_validate
import yaml
from sunshine_kit.nats_server_config import APPLICATION_SUBJECTS, jetstream_domain

# The oldest Kubernetes the manifests promise to work on.
KUBERNETES_VERSION = "1.32.0"
# Custom resources with no schema to validate against offline, and why.
UNVALIDATED_KINDS = {
    ("postgresql.cnpg.io/v1", "Cluster"): (
        "CloudNativePG publishes its CRD schema only with the operator's manifests; no packaged offline copy"
    ),
}
STACK_CONFIG = "sunshine-stack"
NATS_REPLICAS = 3


@dataclass
class OverlayReport:
    overlay: str
    resources: int = 0
    problems: list[str] = field(default_factory=list)
    unvalidated: list[str] = field(default_factory=list)


def overlays(k8s_dir: Path) -> list[Path]:
    return sorted(path.parent for path in (k8s_dir / "overlays").glob("*/kustomization.yaml"))


def kustomize(overlay: Path) -> list[dict[str, Any]]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        raise FileNotFoundError("kubectl is not on PATH (docs/deploy.md: what `make deploy-check` needs)")
    built = subprocess.run([kubectl, "kustomize", str(overlay)], capture_output=True, text=True, check=False)
    if built.returncode != 0:
        raise ValueError(f"kubectl kustomize {overlay} failed: {built.stderr.strip()}")
    return [resource for resource in yaml.safe_load_all(built.stdout) if resource]


def check_overlay(overlay: Path) -> OverlayReport:
    report = OverlayReport(overlay.name)
    try:
        resources = kustomize(overlay)
    except ValueError as error:
        report.problems.append(str(error))
        return report
    report.resources = len(resources)
    for resource in resources:
        _validate(resource, report)
    stack = _stack_config(resources)
    if stack is None:
        report.problems.append(f"no ConfigMap {STACK_CONFIG}")
        return report
    report.problems += _stack_problems(resources, stack)
    report.problems += nats_values_problems(overlay / "nats-values.yaml", stack)
    return report


def _validate(resource: dict[str, Any], report: OverlayReport) -> None:
    kind, api_version = resource.get("kind", "?"), resource.get("apiVersion", "?")
    name = f"{kind} {resource.get('metadata', {}).get('name', '?')}"
    reason = UNVALIDATED_KINDS.get((api_version, kind))
    if reason is not None:
        report.unvalidated.append(f"{name}: {reason}")
        return
    try:
        kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as error:
        path = "/".join(str(part) for part in error.path)
        report.problems.append(f"{name}: {path}: {error.message}")
    except kubernetes_validate.SchemaNotFoundError as error:
        report.problems.append(f"{name}: {error.message}")


def _stack_config(resources: list[dict[str, Any]]) -> dict[str, str] | None:
    for resource in resources:
        if resource["kind"] == "ConfigMap" and resource["metadata"]["name"].startswith(f"{STACK_CONFIG}-"):
            return dict(resource.get("data", {}))
    return None


def _stack_problems(resources: list[dict[str, Any]], stack: dict[str, str]) -> list[str]:
    """The overlay's namespace and level link follow from the stack it names."""
    division = stack.get("SUNSHINE_DIVISION", "")
    problems = []
    namespaces = {r["metadata"].get("namespace") for r in resources if r["kind"] != "Namespace"}
    if namespaces != {f"sunshine-{division}"}:
        found = sorted(map(str, namespaces))
        problems.append(f"resources should all be in namespace sunshine-{division}, found {found}")
    policies = {r["metadata"]["name"] for r in resources if r["kind"] == "NetworkPolicy"}
    links = (("level-link-from-children", _has_children(stack)), ("level-link-to-parent", _has_parent(stack)))
    for policy, wanted in links:
        if (policy in policies) != wanted:
            problems.append(f"NetworkPolicy {policy} {'missing' if wanted else 'present'} for stack {division}")
    return problems


def nats_values_problems(path: Path, stack: dict[str, str]) -> list[str]:
    """The level's values for the NATS chart agree with the stack: its domain, a leaf listener exactly when it
    has children, a remote with credentials and TLS exactly when it has a parent, no application subject
    across the link."""
    if not path.exists():
        return [f"{path}: missing (the NATS chart's values for this level)"]
    values = yaml.safe_load(path.read_text(encoding="utf-8"))
    shared = yaml.safe_load((path.parent.parent.parent / "nats" / "values.yaml").read_text(encoding="utf-8"))
    config, division = values.get("config", {}), stack.get("SUNSHINE_DIVISION", "")
    problems = []
    if shared["config"]["cluster"] != {"enabled": True, "replicas": NATS_REPLICAS}:
        problems.append(f"nats/values.yaml: the cluster must be {NATS_REPLICAS} servers")
    domain = config.get("jetstream", {}).get("merge", {}).get("domain")
    if domain != jetstream_domain(division):
        problems.append(f"{path.name}: JetStream domain {domain!r}, expected {jetstream_domain(division)!r}")
    if config.get("leafnodes", {}).get("enabled", False) != _has_children(stack):
        problems.append(f"{path.name}: a leaf listener is needed exactly when the stack has children")
    remotes = config.get("merge", {}).get("leafnodes", {}).get("remotes", [])
    if bool(remotes) != _has_parent(stack):
        problems.append(f"{path.name}: a leaf remote is needed exactly when the stack has a parent")
    for remote in remotes:
        problems += _remote_problems(path.name, remote)
    return problems


def _remote_problems(name: str, remote: dict[str, Any]) -> list[str]:
    problems = []
    if not remote.get("credentials") or not remote.get("tls"):
        problems.append(f"{name}: the link to the parent needs credentials and TLS")
    for rule in ("deny_imports", "deny_exports"):
        if remote.get(rule) != [APPLICATION_SUBJECTS]:
            problems.append(f"{name}: {rule} must be [{APPLICATION_SUBJECTS!r}], as in the local runner")
    return problems


def _has_children(stack: dict[str, str]) -> bool:
    return bool(json.loads(stack.get("SUNSHINE_CHILDREN", "[]")))


def _has_parent(stack: dict[str, str]) -> bool:
    return bool(stack.get("SUNSHINE_PARENT_DIVISION"))
