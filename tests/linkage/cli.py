"""The ``link`` command as the tests call it: its JSON answer, parsed."""

from __future__ import annotations

import io
import json
from typing import Any

from django.core.management import call_command


def link_cli(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("link", *args, stdout=out)
    return json.loads(out.getvalue())
