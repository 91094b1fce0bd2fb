"""What every page's frame needs: the signed-in user's menu (portal/menu.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .menu import menu_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    path = request.path
    items = menu_for(user)
    # The entry the reader is in: the longest menu path the page's path starts with.
    current = max((url for _, url in items if path.startswith(url)), key=len, default="")
    return {"menu": [{"label": label, "url": url, "current": url == current} for label, url in items]}
