"""`sunshine-deploy compose` writes docker-compose.yml from the hierarchy description; `sunshine-deploy check`
runs every check on the deployment files and exits 1 on any problem (what `make deploy-check` runs)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sunshine_localstack.hierarchy import load_hierarchy

from sunshine_deploy import checks, kubernetes
from sunshine_deploy.compose import render


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    if args.command == "compose":
        args.output.write_text(render(load_hierarchy(args.hierarchy)), encoding="utf-8")
        print(f"wrote {args.output} from {args.hierarchy}")
        return
    sys.exit(0 if _check_all(args.root) else 1)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sunshine-deploy", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    compose = commands.add_parser("compose", help="write docker-compose.yml from the hierarchy description")
    compose.add_argument("--hierarchy", type=Path, default=checks.HIERARCHY)
    compose.add_argument("--output", type=Path, default=checks.COMPOSE)
    check = commands.add_parser("check", help="Dockerfile, docker-compose.yml and the Kubernetes overlays")
    check.add_argument("--root", type=Path, default=Path("."), help="the repository root")
    return parser


def _check_all(root: Path) -> bool:
    problems = _report("Dockerfile (hadolint)", checks.hadolint_problems(root / checks.DOCKERFILE))
    drift = checks.compose_drift(root / checks.HIERARCHY, root / checks.COMPOSE)
    problems += _report(
        "docker-compose.yml is what `sunshine-deploy compose` writes",
        [f"out of date; run `uv run sunshine-deploy compose`:\n{drift}"] if drift else [],
    )
    problems += _report(
        "docker-compose.yml follows the Compose specification",
        checks.compose_schema_problems(root / checks.COMPOSE),
    )
    for overlay in kubernetes.overlays(root / checks.K8S):
        report = kubernetes.check_overlay(overlay)
        version = kubernetes.KUBERNETES_VERSION
        title = f"deploy/k8s/overlays/{report.overlay}: {report.resources} resources, Kubernetes {version}"
        problems += _report(title, report.problems)
        for note in report.unvalidated:
            print(f"    not validated: {note}")
    return problems == 0


def _report(title: str, problems: list[str]) -> int:
    print(f"{'ok  ' if not problems else 'FAIL'} {title}")
    for problem in problems:
        print(f"    {problem}")
    return len(problems)
