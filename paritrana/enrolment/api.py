"""Bulk enrolment over HTTP: upload a list (multipart), read its counts and bad rows, queue its apply."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from paritrana.core.pagination import Paged
from paritrana.registry.api import ERRORS

from . import selectors, services

router = Router(tags=["enrolment"])


class UploadOut(Schema):
    upload: int
    status: str
    rows: int
    valid: int
    invalid: int
    applied: int
    already_enrolled: int
    errors_by_code: dict[str, int]
    seconds: float
    progress: int
    budget: dict[str, Any] | None = None


class RowErrorOut(Schema):
    line: int
    field: str
    code: str
    message: str


def _out(upload: Any) -> dict[str, Any]:
    return {**services.upload_summary(upload), "progress": upload.progress, "budget": upload.detail.get("budget")}


@router.post("/enrolment/uploads", response={201: UploadOut, **ERRORS})
def upload_create(
    request: HttpRequest,
    file: File[UploadedFile],
    sponsor_code: Form[str] = "",
    employer_npp: Form[str] = "",
    valid_from: Form[date | None] = None,
    dry_run: Form[bool] = False,
) -> Any:
    """Stage and check a CSV/XLSX list (template headers or aliases). Bad rows are reported, not refused;
    a file whose required columns are missing is refused whole (422). Apply with ``/apply``."""
    upload = services.upload_create(
        actor=request.user,
        content=file.read(),
        file_name=file.name or "unggahan",
        sponsor_code=sponsor_code or None,
        employer_npp=employer_npp or None,
        valid_from=valid_from,
        dry_run=dry_run,
        channel="api",
    )
    return 201, _out(upload)


@router.get("/enrolment/uploads/{upload_id}", response={200: UploadOut, **ERRORS})
def upload_get(request: HttpRequest, upload_id: int) -> Any:
    """An upload's counts and the progress of its apply job (percent of lines committed)."""
    return _out(selectors.upload_get(user=request.user, upload_id=upload_id))


@router.get("/enrolment/uploads/{upload_id}/errors", response={200: list[RowErrorOut], **ERRORS})
@paginate(Paged)
def upload_errors(request: HttpRequest, upload_id: int) -> Any:
    """Every problem of every bad row: line, column, stable code and the reason in Indonesian."""
    return selectors.upload_errors(upload=selectors.upload_get(user=request.user, upload_id=upload_id))


@router.post("/enrolment/uploads/{upload_id}/apply", response={202: UploadOut, **ERRORS})
def upload_apply(request: HttpRequest, upload_id: int) -> Any:
    """Queue the background job that enrols the valid rows; poll the upload for its progress."""
    return 202, _out(services.upload_queue(actor=request.user, upload_id=upload_id, channel="api"))
