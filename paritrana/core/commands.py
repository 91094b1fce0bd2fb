"""The command line's one door for answers and refusals.

A command prints its result as JSON on stdout; a refusal prints the body the API answers with,
``{"code", "message", "field", "errors": [...]}``, and exits with status 1, so that a script reads
both doors the same way. Subclasses implement :meth:`JsonCommand.run` and raise the domain's errors
(``DomainError``, ``ValidationFailed``); they never build their own refusal.
"""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

from django.core.management.base import BaseCommand

from .errors import DomainError, Problem, ValidationFailed, refusal_body


class JsonCommand(BaseCommand):
    """A management command answering in JSON (see the module docstring)."""

    indent: int | None = None

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = self.run(**options)
        except (DomainError, ValidationFailed) as exc:
            self.refuse(exc.problems)
        if result is not None:
            self.answer(result)

    def run(self, **options: Any) -> Any:
        raise NotImplementedError

    def plain(self, value: Any) -> Any:
        """JSON for what json cannot write: amounts as exact strings, dates in ISO."""
        if isinstance(value, (set, frozenset)):
            return sorted(value)
        return str(value)

    def answer(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, default=self.plain, indent=self.indent))

    def refuse(self, problems: list[Problem]) -> NoReturn:
        self.stdout.write(json.dumps(refusal_body(problems), ensure_ascii=False))
        sys.exit(1)

    def fail(self, code: str, message: str, field: str | None = None) -> NoReturn:
        self.refuse([Problem(code, message, field)])
