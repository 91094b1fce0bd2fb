"""Every API operation fuzzed by Schemathesis against the real PostgreSQL (DESIGN.md: "the API by
schemathesis"). Each operation gets generated valid and invalid requests, sent in-process to the WSGI
application as a national administrator and as a scoped regency officer (bearer tokens) over the
shared test world; every response must be no server error, carry a status code and content type the
schema declares, and match the declared response schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(params=["admin", "kukar"])
def token(world: dict[str, Any], request: Any) -> Iterator[str]:
    """The national administrator, and a regency officer whose scope turns most ids into 404s: no
    operation may answer either with a server error (issue 25)."""
    from paritrana.accounts.services import api_token_create
    from paritrana.core.actors import system_actor

    _, secret = api_token_create(actor=system_actor(), user=world["users"][request.param], name="fuzz")
    # The WSGI handler closes the database connection after each request; the test's transaction
    # must survive, as under Django's test client, which disconnects the same handlers.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield secret
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_operation(case: Any, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
