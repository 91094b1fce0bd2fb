"""Who may act on claims: shared by the claim services and the pension services."""

from __future__ import annotations

from typing import Any

from paritrana.accounts.scope import CLAIM_OFFICER_ROLES, Scope, scope_for
from paritrana.core.errors import PermissionDenied


def can_decide(actor: Any) -> bool:
    scope = scope_for(actor)
    return scope.everything or scope.role in CLAIM_OFFICER_ROLES


def require_claim_officer(actor: Any) -> Scope:
    scope = scope_for(actor)
    if not (scope.everything or scope.role in CLAIM_OFFICER_ROLES):
        raise PermissionDenied("Hanya petugas BPJS Ketenagakerjaan yang memproses klaim.")
    return scope
