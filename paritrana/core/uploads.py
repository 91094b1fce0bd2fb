"""Reading an uploaded file without trusting its size.

Django keeps an upload over FILE_UPLOAD_MAX_MEMORY_SIZE on disk; ``read_upload`` checks the size it
reports before reading anything into memory, so a file past a door's limit costs nothing.
"""

from __future__ import annotations

from typing import Any

from .errors import Problem, ValidationFailed


def too_large(max_bytes: int) -> ValidationFailed:
    return ValidationFailed([Problem("file_too_large", f"Berkas paling besar {max_bytes / 1024 / 1024:g} MB.", "file")])


def read_upload(upload: Any, *, max_bytes: int) -> bytes:
    """The file's bytes, or ``file_too_large`` when it has more than ``max_bytes``."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise too_large(max_bytes)
    chunks: list[bytes] = []
    read = 0
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        read += len(chunk)
        if read > max_bytes:
            raise too_large(max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)
