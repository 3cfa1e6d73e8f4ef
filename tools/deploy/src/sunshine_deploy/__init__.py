"""`sunshine-deploy`: docker-compose.yml generated from the hierarchy description, and the checks CI runs on the
image, the compose file and the Kubernetes manifests (docs/deploy.md)."""
