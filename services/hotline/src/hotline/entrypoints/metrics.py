"""The hotline's own Prometheus gauge; the kit's runtime samples it and serves it with the rest."""

from prometheus_client import Gauge

OVERDUE_TICKETS = Gauge("sunshine_hotline_overdue_tickets", "Open tickets past their due time (超期工单)", ["division"])
