"""What every API module shares: the refusal's schema (the handler in ``paritrana/api.py`` writes
it, ``core/errors.refusal_body``) and a lazily mapped list for pagination.

No ``from __future__ import annotations`` here: Django Ninja reads the annotations at import time.
"""

from typing import Any

from ninja import Schema


class Problem(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorOut(Problem):
    errors: list[Problem] = []


class ProblemOut(Schema):
    """A calculator's refusal: every problem with the input at once."""

    code: str
    message: str
    field: str | None
    errors: list[dict[str, Any]]


# The refusals every operation may answer with, for its ``response=``.
ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class Mapped:
    """A lazily mapped queryset, so that pagination slices before rows are turned into dicts."""

    def __init__(self, queryset: Any, fn: Any, *, on_page: Any = None) -> None:
        self.queryset, self.fn, self.on_page = queryset, fn, on_page
        self.known_count: int | None = None

    def count(self) -> int:
        # A first page shorter than asked for is the whole result: no second query to count it (a NIK
        # lookup, the API's most frequent call, finds one person or none).
        if self.known_count is not None:
            return self.known_count
        return int(self.queryset.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[Any]:
        rows = list(self.queryset[item])
        start = item.start or 0
        if start == 0 and item.stop is not None and len(rows) < item.stop:
            self.known_count = len(rows)
        if self.on_page is not None and rows:
            self.on_page(rows)
        return [self.fn(row) for row in rows]
