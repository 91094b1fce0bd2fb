"""Request guards that apply before any view."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

# Content types whose body is text that ends up in text columns. Uploads (multipart) are left to the
# importers, which read files with their own checks.
_TEXT_BODIES = ("application/json", "application/x-www-form-urlencoded")
_NUL_MARKERS = (b"\x00", b"\\u0000", b"%00")


class RejectNulMiddleware:
    """PostgreSQL text cannot hold the NUL character: a request carrying one is refused as bad input
    (400 with a stable code) rather than failing in the database as a server error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._carries_nul(request):
            problem = {"code": "nul_character", "message": "Isian mengandung karakter NUL yang tidak diizinkan."}
            if request.path.startswith("/api/"):
                body = {**problem, "field": None, "errors": [{**problem, "field": None}]}
                return HttpResponse(json.dumps(body), status=400, content_type="application/json")
            return HttpResponse(problem["message"], status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request: HttpRequest) -> bool:
        if "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if request.content_type not in _TEXT_BODIES:
            return False
        body = request.body.lower()
        return any(marker in body for marker in _NUL_MARKERS)


class RequestSizeLimitMiddleware:
    """A request announcing a body larger than ``PARITRANA_MAX_REQUEST_BYTES`` (default 110 MB: the
    largest upload, 100 MB, with its form) is refused with 413 before Django reads any of it; a
    reverse proxy in front should set the same limit for bodies sent without a length."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.PARITRANA_MAX_REQUEST_BYTES:
            problem = {"code": "request_too_large", "message": "Permintaan terlalu besar."}
            body = {**problem, "field": None, "errors": [{**problem, "field": None}]}
            return HttpResponse(json.dumps(body), status=413, content_type="application/json")
        return self.get_response(request)


class DomainRefusalMiddleware:
    """The pages' one door for refusals: a domain error a view does not handle itself becomes the
    answer people read — 404 for what is not found, outside their scope or not for their role (a
    page does not tell a role what exists beyond it; the API says 403 to programs), 400 with every
    problem for bad input — rendered in ``refusal.html`` (or the API's JSON body for a ``.json``
    page). The API has its own handlers (paritrana/api.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from .errors import DomainError, NotFound, PermissionDenied, ValidationFailed, refusal_body

        if request.path.startswith("/api/") or not isinstance(exception, (DomainError, ValidationFailed)):
            return None
        from django.utils.translation import gettext

        if isinstance(exception, (NotFound, PermissionDenied)):
            status, title = 404, gettext("Not found")
        else:
            status, title = exception.status, gettext("The input cannot be accepted")
        if request.path.endswith(".json"):
            body = json.dumps(refusal_body(exception.problems), ensure_ascii=False)
            return HttpResponse(body, status=status, content_type="application/json")
        return refusal_page(request, status=status, title=title, problems=exception.problems)


def refusal_page(request: HttpRequest, *, status: int, title: str, problems: list[Any]) -> HttpResponse:
    from django.shortcuts import render

    return render(request, "refusal.html", {"title": title, "problems": problems, "status": status}, status=status)
