"""`sunshine-healthcheck`: a container's health check, for runtimes without native gRPC probes (docker compose).

`sunshine-healthcheck grpc 127.0.0.1:50052` asks the standard gRPC health service; `sunshine-healthcheck http
http://127.0.0.1:8080/readyz` expects a 200. Exit status 0 when healthy, 1 otherwise, with the answer printed.
"""

from __future__ import annotations

import argparse
import sys
import urllib.error
import urllib.request

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

TIMEOUT_S = 3.0


def grpc_serving(address: str, service: str = "") -> tuple[bool, str]:
    with grpc.insecure_channel(address) as channel:
        try:
            reply = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service=service), timeout=TIMEOUT_S
            )
        except grpc.RpcError as error:
            return False, f"{address}: {error.code().name}"  # type: ignore[attr-defined]
    status = health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)
    return reply.status == health_pb2.HealthCheckResponse.SERVING, f"{address}: {status}"


def http_ok(url: str) -> tuple[bool, str]:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
            return response.status == 200, f"{url}: {response.status}"
    except urllib.error.HTTPError as error:
        return False, f"{url}: {error.code}"
    except (urllib.error.URLError, OSError) as error:
        return False, f"{url}: {error}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="sunshine-healthcheck", description=__doc__)
    kinds = parser.add_subparsers(dest="kind", required=True)
    grpc_check = kinds.add_parser("grpc", help="the gRPC health service of host:port reports SERVING")
    grpc_check.add_argument("address")
    grpc_check.add_argument("--service", default="", help="a service name; the server as a whole by default")
    http_check = kinds.add_parser("http", help="GET url answers 200")
    http_check.add_argument("url")
    args = parser.parse_args(argv)
    healthy, answer = grpc_serving(args.address, args.service) if args.kind == "grpc" else http_ok(args.url)
    print(answer)
    sys.exit(0 if healthy else 1)
