"""Errors people read in Indonesian and programs read by stable code.

A service raises ``DomainError`` (one problem) or ``ValidationFailed`` (several at once, like Django's
password validators): pages show the messages, the API returns ``{"code","message","field"}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    field: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "field": self.field}


class DomainError(Exception):
    """One rule broken. ``code`` is stable; ``message`` is Indonesian."""

    status = 400

    def __init__(self, code: str, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.problem = Problem(code, message, field)

    @property
    def code(self) -> str:
        return self.problem.code

    @property
    def problems(self) -> list[Problem]:
        return [self.problem]


@dataclass
class ValidationFailed(Exception):
    """Every unmet condition at once, each with its own code."""

    problems: list[Problem] = field(default_factory=list)
    status: int = 400

    def __post_init__(self) -> None:
        super().__init__("; ".join(p.message for p in self.problems))

    @property
    def code(self) -> str:
        return self.problems[0].code if self.problems else "invalid"


class NotFound(DomainError):
    status = 404

    def __init__(self, what: str = "Data") -> None:
        super().__init__("not_found", f"{what} tidak ditemukan atau di luar wewenang Anda.")


class PermissionDenied(DomainError):
    status = 403

    def __init__(self, message: str = "Anda tidak berwenang melakukan tindakan ini.") -> None:
        super().__init__("forbidden", message)


def refusal_body(problems: list[Problem]) -> dict[str, object]:
    """A refusal as every door writes it (API, command line, a page's JSON): the first problem's
    ``code``, ``message`` and ``field``, and all of them under ``errors``."""
    errors = [p.as_dict() for p in problems] or [Problem("invalid", "Masukan tidak sah.").as_dict()]
    return {**errors[0], "errors": errors}
