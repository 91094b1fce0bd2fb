"""A developer's machine and the demo: the embedded database, a secret generated once under var/.

DEBUG stays off unless PARITRANA_DEBUG=1, so the demo answers errors the way a deployment does.
"""

import os
import secrets
from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR


def _local_secret(path: Path) -> str:
    """The machine's own key, made on first use and readable by its owner only."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = os.environ.get("PARITRANA_SECRET_KEY") or _local_secret(BASE_DIR / "var" / "secret_key")
