"""Auth primitives: roles, principals, jurisdiction checks, token verification and how tokens travel.

The dev issuer (``sunshine_kit.auth.dev_issuer``) and the settings (``sunshine_kit.auth.settings``) are
imported from their own modules.
"""

from sunshine_kit.auth.callers import CallerVerifier
from sunshine_kit.auth.jurisdiction import (
    READS_BELOW,
    check_act,
    contains,
    reading_roles,
    require_read,
    require_role,
)
from sunshine_kit.auth.metadata import bearer_metadata, token_from_metadata
from sunshine_kit.auth.principal import Principal, Role
from sunshine_kit.auth.service_identity import ServiceCredentials, ServicePrincipal, require_service
from sunshine_kit.auth.tokens import TokenVerifier

__all__ = [
    "READS_BELOW",
    "CallerVerifier",
    "Principal",
    "Role",
    "ServiceCredentials",
    "ServicePrincipal",
    "TokenVerifier",
    "bearer_metadata",
    "check_act",
    "contains",
    "reading_roles",
    "require_read",
    "require_role",
    "require_service",
    "token_from_metadata",
]
