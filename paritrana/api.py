"""The HTTP API at /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from paritrana.accounts.services import api_token_user
from paritrana.benefits.api import router as benefits_router
from paritrana.contributions.api import router as contributions_router
from paritrana.core.errors import DomainError, ValidationFailed
from paritrana.registry.api import router as registry_router


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser's login session; CSRF is checked for writes."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


api = NinjaAPI(
    title="Paritrana API",
    version="1",
    description="Registri Jamsostek: orang (NIK), pemberi kerja (NPP), penanggung iuran, kepesertaan (KPJ). "
    "Galat: {code, message, field}.",
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
)
api.add_router("/", registry_router)
api.add_router("/", contributions_router)
api.add_router("/", benefits_router)


def _error(request: HttpRequest, status: int, problems: list[dict[str, Any]]) -> HttpResponse:
    first = problems[0]
    return api.create_response(request, {**first, "errors": problems}, status=status)


@api.exception_handler(ValidationFailed)
def _validation_failed(request: HttpRequest, exc: ValidationFailed) -> HttpResponse:
    return _error(request, 400, [p.as_dict() for p in exc.problems])


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status, [exc.problem.as_dict()])


@api.exception_handler(SchemaValidationError)
def _schema_error(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    problems = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query", "path", "filters")]
        problems.append(
            {
                "code": "invalid_input",
                "message": f"Isian tidak valid: {err.get('msg', '')}",
                "field": ".".join(loc) or None,
            }
        )
    return _error(request, 422, problems or [{"code": "invalid_input", "message": "Isian tidak valid.", "field": None}])


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request,
        401,
        [{"code": "unauthenticated", "message": "Silakan masuk atau gunakan token API.", "field": None}],
    )
