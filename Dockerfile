# syntax=docker/dockerfile:1
# One image for every Sunshine service; the command picks the service, as in the local runner:
#   sunshine-gateway | sunshine-disclosure | sunshine-hotline | sunshine-evaluation
# Build from the repository root:  docker build -t sunshine:dev .     (docs/deploy.md)
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
# make runs the same `make proto` as a developer's machine; this stage is discarded, so make is not pinned.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends make \
 && rm -rf /var/lib/apt/lists/*
ENV UV_PYTHON_DOWNLOADS=never \
    UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1
WORKDIR /src
COPY . .
# First the contracts' Python code, which is generated, never committed (make installs the pinned uv first);
# then the four services and what they need, exactly as locked in uv.lock, installed (not linked) into
# /opt/sunshine.
RUN --mount=type=cache,target=/root/.cache/uv \
    make proto \
 && UV_PROJECT_ENVIRONMENT=/opt/sunshine uv sync --frozen --no-dev --no-editable \
      --package sunshine-gateway --package sunshine-disclosure --package sunshine-hotline --package sunshine-evaluation

FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 sunshine \
 && useradd --system --uid 10001 --gid sunshine --no-log-init --create-home --home-dir /var/lib/sunshine sunshine \
 && install -d -o sunshine -g sunshine -m 0700 /var/lib/sunshine-dev-auth
COPY --from=build /opt/sunshine /opt/sunshine
ENV PATH=/opt/sunshine/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    SUNSHINE_DATA_DIR=/var/lib/sunshine
USER 10001:10001
WORKDIR /var/lib/sunshine
# gateway HTTP, disclosure/hotline/evaluation gRPC, the metrics endpoint of whichever process runs
EXPOSE 8080 50051 50052 50053 9464
CMD ["sunshine-gateway"]
