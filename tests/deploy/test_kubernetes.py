"""deploy/k8s: every overlay builds with `kubectl kustomize`, validates against the Kubernetes schemas and describes
one stack of the sample hierarchy; broken manifests and NATS values are reported, naming what is wrong."""

from __future__ import annotations

import json
import shutil
from pathlib import Path, PurePosixPath

import pytest
import yaml
from sunshine_deploy.checks import HIERARCHY, K8S
from sunshine_deploy.kubernetes import check_overlay, kustomize, overlays
from sunshine_kit.settings import StackSettings
from sunshine_localstack.hierarchy import load_hierarchy

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("gateway", "disclosure", "hotline", "evaluation")

pytestmark = pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")


@pytest.fixture
def k8s_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "k8s"
    shutil.copytree(ROOT / K8S, copy)
    return copy


@pytest.mark.parametrize("overlay", ["city", "county", "township"])
def test_each_level_builds_and_validates(overlay: str) -> None:
    report = check_overlay(ROOT / K8S / "overlays" / overlay)

    assert report.problems == []
    assert [note.split(":")[0] for note in report.unvalidated] == ["Cluster sunshine-db"]


@pytest.mark.parametrize("overlay", ["city", "county", "township"])
def test_each_level_is_a_stack_of_the_hierarchy_with_every_service(overlay: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    resources = kustomize(ROOT / K8S / "overlays" / overlay)
    by_kind: dict[str, set[str]] = {}
    for resource in resources:
        by_kind.setdefault(resource["kind"], set()).add(resource["metadata"]["name"])
    [config] = [r for r in resources if r["metadata"]["name"].startswith("sunshine-stack-")]
    for name, value in config["data"].items():
        monkeypatch.setenv(name, value)
    settings = StackSettings()
    monkeypatch.delenv("SUNSHINE_CALENDAR_OVERRIDE_FILE")  # a path inside the pods; the hierarchy would read it

    assert settings.level.value == overlay
    assert settings.identity == load_hierarchy(ROOT / HIERARCHY).identity(settings.division)
    for kind in ("Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler"):
        assert set(SERVICES) <= by_kind[kind], kind
    headless = {r["metadata"]["name"] for r in resources if r["kind"] == "Service" and r["spec"].get("clusterIP")}
    assert headless == {"disclosure", "hotline", "evaluation"}


@pytest.mark.parametrize("overlay", ["city", "county", "township"])
def test_every_service_mounts_the_calendar_override_file_it_is_told_to_read(overlay: str) -> None:
    resources = kustomize(ROOT / K8S / "overlays" / overlay)
    [stack] = [r for r in resources if r["metadata"]["name"].startswith("sunshine-stack-")]
    override = PurePosixPath(stack["data"]["SUNSHINE_CALENDAR_OVERRIDE_FILE"])
    [calendar] = [r for r in resources if r["kind"] == "ConfigMap" and r["metadata"]["name"] == "sunshine-calendar"]
    assert json.loads(calendar["data"][override.name]) == {}  # the base's: no year overridden, nothing invented
    for deployment in (r for r in resources if r["kind"] == "Deployment"):
        pod = deployment["spec"]["template"]["spec"]
        volumes = {v["name"] for v in pod["volumes"] if v.get("configMap", {}).get("name") == "sunshine-calendar"}
        mounts = {m["mountPath"] for m in pod["containers"][0]["volumeMounts"] if m["name"] in volumes}
        assert mounts == {str(override.parent)}, deployment["metadata"]["name"]


def test_secrets_are_referenced_never_contained() -> None:
    for overlay in overlays(ROOT / K8S):
        resources = kustomize(overlay)
        assert [r for r in resources if r["kind"] == "Secret"] == []
        references = {
            (ref["secretKeyRef"]["name"], ref["secretKeyRef"]["key"])
            for r in resources
            if r["kind"] == "Deployment"
            for container in r["spec"]["template"]["spec"]["containers"]
            for ref in (entry.get("valueFrom", {}) for entry in container.get("env", []))
            if "secretKeyRef" in ref
        }
        assert ("sunshine-auth", "service-private-key") in references
        assert ("sunshine-hotline", "personal-data-key") in references


def test_an_invalid_field_is_reported_with_the_resource(k8s_copy: Path) -> None:
    hotline = k8s_copy / "base" / "hotline.yaml"
    hotline.write_text(hotline.read_text().replace("minAvailable: 1", "minAvailable: 1\n  maxUnavailible: 1"))

    report = check_overlay(k8s_copy / "overlays" / "county")

    assert any("PodDisruptionBudget hotline" in p and "maxUnavailible" in p for p in report.problems), report.problems


def test_nats_values_that_disagree_with_the_stack_are_reported(k8s_copy: Path) -> None:
    values = k8s_copy / "overlays" / "township" / "nats-values.yaml"
    document = yaml.safe_load(values.read_text())
    document["config"]["jetstream"]["merge"]["domain"] = "d510117"
    del document["config"]["merge"]["leafnodes"]["remotes"][0]["credentials"]
    values.write_text(yaml.safe_dump(document))

    problems = check_overlay(k8s_copy / "overlays" / "township").problems

    assert any("JetStream domain 'd510117', expected 'd510117101'" in p for p in problems), problems
    assert any("needs credentials and TLS" in p for p in problems), problems


def test_a_stack_without_its_level_link_is_reported(k8s_copy: Path) -> None:
    kustomization = k8s_copy / "overlays" / "county" / "kustomization.yaml"
    kustomization.write_text(kustomization.read_text().replace("  - ../../components/links-to-parent\n", ""))

    problems = check_overlay(k8s_copy / "overlays" / "county").problems

    assert "NetworkPolicy level-link-to-parent missing for stack 510117" in problems
