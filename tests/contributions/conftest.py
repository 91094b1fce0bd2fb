from typing import Any

import pytest

from tests.conftest import ensure_contribution_law


@pytest.fixture(autouse=True)
def _contribution_law(request: Any) -> None:
    if request.node.get_closest_marker("django_db") or "db" in request.fixturenames:
        request.getfixturevalue("db")
        ensure_contribution_law()
