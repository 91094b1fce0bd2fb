"""What a page answers when Django itself refuses (an unknown address, a CSRF failure, a request it
cannot read): the same refusal page the domain errors get (core/middleware.py), in Indonesian."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext

from .errors import Problem
from .middleware import refusal_page


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    message = "Halaman atau data tidak ada, atau di luar wewenang peran Anda."
    return refusal_page(request, status=404, title=gettext("Not found"), problems=[Problem("not_found", message)])


def forbidden(request: HttpRequest, exception: Any = None) -> HttpResponse:
    message = "Peran Anda tidak dapat membuka halaman ini, atau formulirnya kedaluwarsa; muat ulang halaman."
    return refusal_page(request, status=403, title=gettext("Not allowed"), problems=[Problem("forbidden", message)])


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    message = "Permintaan tidak dapat dibaca."
    return refusal_page(request, status=400, title=gettext("Bad request"), problems=[Problem("bad_request", message)])
