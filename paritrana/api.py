"""The HTTP API at /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from paritrana.accounts.services import api_token_user
from paritrana.award.api import router as award_router
from paritrana.benefits.api import router as benefits_router
from paritrana.contributions.api import router as contributions_router
from paritrana.core.errors import DomainError, Problem, ValidationFailed, refusal_body
from paritrana.core.forms import OWN_CODES
from paritrana.coverage.api import router as coverage_router
from paritrana.enrolment.api import router as enrolment_router
from paritrana.linkage.api import router as linkage_router
from paritrana.registry.api import router as registry_router
from paritrana.subsidies.api import router as subsidies_router


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


# Every error leaves through the handlers below as {code, message, field, errors}; the schema says so for
# each operation, so that clients (and the fuzzer) can rely on it.
ERROR_SCHEMA = {
    "type": "object",
    "required": ["code", "message", "field", "errors"],
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "field": {"type": ["string", "null"]},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
}
ERROR_DESCRIPTIONS = {
    "400": "Isian ditolak aturan (kode stabil di code)",
    "401": "Belum masuk atau token API tidak sah",
    "403": "Di luar lingkup peran",
    "404": "Tidak ditemukan dalam lingkup Anda",
    "422": "Isian tidak sesuai skema",
}


class ParitranaAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_DESCRIPTIONS.items():
                    if int(status) in responses or status in responses:
                        continue
                    if status == "401" and not operation.get("security"):
                        continue  # a public operation (auth=None) never asks for a login
                    responses[int(status)] = {
                        "description": description,
                        "content": {"application/json": {"schema": ERROR_SCHEMA}},
                    }
        return schema


api = ParitranaAPI(
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
api.add_router("/", enrolment_router)
api.add_router("/", coverage_router)
api.add_router("/", subsidies_router)
api.add_router("/", linkage_router)
api.add_router("/", award_router)


def _error(request: HttpRequest, status: int, problems: list[dict[str, Any]]) -> HttpResponse:
    return api.create_response(request, refusal_body([Problem(**p) for p in problems]), status=status)


@api.exception_handler(ValidationFailed)
def _validation_failed(request: HttpRequest, exc: ValidationFailed) -> HttpResponse:
    return api.create_response(request, refusal_body(exc.problems), status=exc.status)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, refusal_body(exc.problems), status=exc.status)


@api.exception_handler(SchemaValidationError)
def _schema_error(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    problems = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query", "path", "filters")]
        own = err.get("type") in OWN_CODES  # a field type of core/forms.py with its own code and words
        problems.append(
            {
                "code": err["type"] if own else "invalid_input",
                "message": f"Isian tidak valid: {err.get('msg', '')}",
                "field": ".".join(loc) or None,
            }
        )
    return _error(request, 422, problems or [{"code": "invalid_input", "message": "Isian tidak valid.", "field": None}])


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Django Ninja raises these itself, for instance on a body that is not JSON.
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        problem = {"code": "body_unparseable", "message": "Isi permintaan bukan JSON yang sah.", "field": None}
    else:
        problem = {"code": f"http_{exc.status_code}", "message": str(exc), "field": None}
    return _error(request, exc.status_code, [problem])


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request,
        401,
        [{"code": "unauthenticated", "message": "Silakan masuk atau gunakan token API.", "field": None}],
    )
