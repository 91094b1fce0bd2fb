"""Documents uploaded as files (issue 27 §5): checked, stored outside the web root, read back only
through the owning app's view (which checks scope and audits the read).

A file is accepted by what its first bytes are, not by its name or the type the browser claims:
PDF, JPEG or PNG — what a phone's camera or a scanner gives — up to ``MAX_BYTES``. The bytes are
stored once under their SHA-256 in ``settings.PRIVATE_FILES_DIR``; the database row keeps the name
people gave it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings

from .errors import Problem, ValidationFailed
from .models import StoredFile
from .uploads import read_upload

MAX_BYTES = 5 * 1024 * 1024
# What a file's first bytes say it is.
MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def _root() -> Path:
    return Path(settings.PRIVATE_FILES_DIR)


def _path(sha256: str) -> Path:
    return _root() / sha256[:2] / sha256


def kind_of(content: bytes) -> str | None:
    return next((kind for magic, kind in MAGIC if content.startswith(magic)), None)


def store(upload: Any, *, actor: Any, field: str = "file") -> StoredFile:
    """Check and keep an uploaded file; ``ValidationFailed`` naming ``field`` when it is empty, too
    large or not a PDF, JPEG or PNG."""
    try:
        content = read_upload(upload, max_bytes=MAX_BYTES)
    except ValidationFailed as exc:
        raise ValidationFailed([Problem(p.code, p.message, field) for p in exc.problems]) from exc
    if not content:
        raise ValidationFailed([Problem("file_empty", "Berkas kosong.", field)])
    kind = kind_of(content)
    if kind is None:
        said = "Berkas harus PDF, JPG atau PNG (foto atau pindaian dokumen)."
        raise ValidationFailed([Problem("file_type", said, field)])
    sha256 = hashlib.sha256(content).hexdigest()
    path = _path(sha256)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_bytes(content)
        partial.replace(path)  # never a half-written file under the final name
    name = Path(str(getattr(upload, "name", "") or "dokumen")).name[:200]
    user = actor if getattr(actor, "is_authenticated", False) else None
    return StoredFile.objects.create(
        sha256=sha256, size=len(content), content_type=kind, original_name=name, uploaded_by=user
    )


def read(stored: StoredFile) -> bytes:
    return _path(stored.sha256).read_bytes()
