"""The disclosure service's own Prometheus gauge; the kit's runtime samples it and serves it with the rest."""

from prometheus_client import Gauge

OVERDUE_REQUESTS = Gauge(
    "sunshine_disclosure_overdue_requests",
    "Requests in progress past their statutory deadline (超期未答复的依申请公开)",
    ["division"],
)
